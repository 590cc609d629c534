//! `iptables`: each device's filter table in iptables-restore format,
//! `<device>/iptables.rules` for IPv4 and `<device>/ip6tables.rules` for
//! IPv6. It owns that layout: default-drop built-in chains, one user chain
//! per zone pair reached by `-i`/`-o` from FORWARD, and one line per flow,
//! family, port set and time slot, with the flow's comment.
//!
//! Both files are always written: a device whose flows are all IPv4 still
//! gets an ip6tables file that drops IPv6, because a kernel without one
//! forwards (and lets reach the device) every IPv6 packet.
//!
//! What iptables and nftables share (families, ports, windows, names) is
//! in [`crate::enforcement::firewalls::nftables::netfilter`].

use kojo_compiler::types::{Slot, Weekday};

use crate::enforcement::firewalls::nftables::netfilter::{self, Chain, PortSet, Shape};
use crate::enforcement::firewalls::nftables::tickets::{self, Tickets};
use crate::enforcement::policy::{DevicePolicy, Family, Hosts, Rule};
use crate::enforcement::{Artifact, Backend, Capabilities, Clock, Context, Kind, Unrenderable, Writer};

pub struct Iptables;

pub const IPTABLES: Iptables = Iptables;

/// xt_comment keeps 255 bytes.
const COMMENT_MAX: usize = 255;
/// Chain names: XT_EXTENSION_MAXNAMELEN less the terminating NUL.
const NAME_MAX: usize = 28;
/// xt_multiport matches at most 15 ports (a range counts as two).
const MULTIPORT_MAX: usize = 15;
/// The longest `-s`/`-d` list: iptables-restore refuses a parameter of
/// 1,024 characters or more ("Parameter too long!").
const LIST_MAX: usize = 1000;
/// The chain FORWARD sends established and related packets to.
const ESTABLISHED: &str = "kojo_established";
/// Above this many tickets in a file, `kojo_established` dispatches on a
/// mark's low six bits ([`BUCKET_MASK`]) to one chain per value, so that an
/// established packet walks at most 64 rules and one bucket's tickets (about
/// 64 + n/64 for n tickets) rather than all of them; at or below, the
/// flat list is as short and easier to read.
const BUCKETED_ABOVE: usize = 64;
const BUCKET_MASK: u32 = 0x3f;

impl Backend for Iptables {
    fn name(&self) -> &'static str {
        "iptables"
    }

    fn description(&self) -> &'static str {
        "iptables-restore and ip6tables-restore files per firewall: default deny, a chain per zone pair"
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities { kind: Kind::Firewall, ipv6: true, windows: Clock::Utc, max_interface_name: Some(15) }
    }

    /// Inline flows' connections go to `-j NFQUEUE --queue-num 0`.
    fn sends_inline(&self) -> bool {
        true
    }

    fn render(&self, ctx: &Context<'_>, device: &DevicePolicy) -> Result<Vec<Artifact>, Vec<Unrenderable>> {
        let shapes = netfilter::shapes(self.name(), device)?;
        let chains = chains(device);
        let tickets = Tickets::new(device, ctx.catalogue);
        Ok([(Family::V4, "iptables"), (Family::V6, "ip6tables")]
            .into_iter()
            .map(|(family, tool)| {
                let w = file(device, &shapes, &chains, &tickets, family, tool);
                w.finish(format!("{}/{tool}.rules", device.name), &device.name, self.name())
            })
            .collect())
    }
}

/// Every zone pair's chain, sorted by pair, named the same in both files.
fn chains(device: &DevicePolicy) -> Vec<Chain> {
    // A ticket's chain (`kojo_` and eight hex digits, 13 characters) never
    // clashes with a zone pair's: those hold `_to_`, unless cut at 28.
    netfilter::chains(device, &mut netfilter::Names::new(NAME_MAX, &["INPUT", "FORWARD", "OUTPUT", ESTABLISHED]))
}

/// The chain of the established tickets whose low six bits are `bucket`.
fn bucket_chain(bucket: u32) -> String {
    format!("kojo_est_{bucket:02x}")
}

/// The chain a ticket's new connections jump to: it sets the mark, then
/// accepts or queues.
fn ticket_chain(ticket: u32) -> String {
    format!("kojo_{ticket:08x}")
}

/// Whether a rule has lines in `family`'s file: it names addresses of
/// that family, or none at all.
fn in_family(shape: &Shape, family: Family) -> bool {
    shape.families.iter().any(|f| f.is_none_or(|f| f == family))
}

fn file(
    device: &DevicePolicy,
    shapes: &[Shape],
    chains: &[Chain],
    tickets: &Tickets,
    family: Family,
    tool: &str,
) -> Writer {
    let mut w = Writer::new();
    header(&mut w, device, tickets, family, tool);
    let used: Vec<&Chain> = chains
        .iter()
        .filter(|c| c.rules.iter().any(|&i| shapes.get(i).is_some_and(|s| in_family(s, family))))
        .collect();
    // The tickets of the rules with lines in this file, each once, ascending
    // (one pass over the rules: a ticket per flow would make a scan per
    // ticket quadratic).
    let here: std::collections::BTreeSet<u32> = tickets
        .by_rule
        .iter()
        .enumerate()
        .filter(|(i, _)| shapes.get(*i).is_some_and(|s| in_family(s, family)))
        .map(|(_, &t)| t)
        .collect();
    let mut ticketed: Vec<(u32, usize)> =
        tickets.distinct.iter().filter(|(ticket, _)| here.contains(ticket)).copied().collect();
    ticketed.sort_unstable();
    w.line("*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]");
    w.line_fmt(format_args!(":{ESTABLISHED} - [0:0]"));
    for bucket in buckets(&ticketed) {
        w.line_fmt(format_args!(":{} - [0:0]", bucket_chain(bucket)));
    }
    for &(ticket, _) in &ticketed {
        w.line_fmt(format_args!(":{} - [0:0]", ticket_chain(ticket)));
    }
    for chain in &used {
        w.line_fmt(format_args!(":{} - [0:0]", chain.name));
    }
    w.line("-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT");
    w.line("-A INPUT -m conntrack --ctstate INVALID -j DROP");
    w.line("-A INPUT -i lo -j ACCEPT");
    if family == Family::V6 {
        for kind in ["neighbour-solicitation", "neighbour-advertisement"] {
            w.line_fmt(format_args!("-A INPUT -p ipv6-icmp -m icmp6 --icmpv6-type {kind} -m hl --hl-eq 255 -j ACCEPT"));
        }
    }
    w.line_fmt(format_args!(
        "-A INPUT -m limit --limit 10/min --limit-burst 20 -j LOG --log-prefix \"{}\"",
        netfilter::log_prefix(device, "in")
    ));
    w.line_fmt(format_args!("-A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j {ESTABLISHED}"));
    w.line("-A FORWARD -m conntrack --ctstate INVALID -j DROP");
    let name = |i: usize| device.interface(i).map(|i| i.name.as_str()).unwrap_or_default();
    for chain in &used {
        w.line_fmt(format_args!("-A FORWARD -i {} -o {} -j {}", name(chain.from), name(chain.to), chain.name));
    }
    w.line_fmt(format_args!(
        "-A FORWARD -m limit --limit 10/min --limit-burst 20 -j LOG --log-prefix \"{}\"",
        netfilter::log_prefix(device, "fwd")
    ));
    established(&mut w, device, shapes, &ticketed);
    for chain in &used {
        for &index in &chain.rules {
            if let (Some(rule), Some(shape)) = (device.rules.get(index), shapes.get(index)) {
                flow(&mut w, &chain.name, rule, shape, family, tickets.of(index));
            }
        }
    }
    w.line("COMMIT");
    w
}

/// The comment block at the top of a file: what it does and how to load it.
fn header(w: &mut Writer, device: &DevicePolicy, tickets: &Tickets, family: Family, tool: &str) {
    let title = device.title.as_deref().map(|t| format!(" ({})", netfilter::quoted(t, 200))).unwrap_or_default();
    let version = match family {
        Family::V4 => "IPv4",
        Family::V6 => "IPv6",
    };
    w.line_fmt(format_args!("# kojo: the {version} filter table of `{}`{title}.", device.name));
    w.line("# Generated from the plant model: change the .kojo sources and run `kojo build`, not this file.");
    w.line("#");
    w.line_fmt(format_args!("# Load with `{tool}-restore {tool}.rules`: it replaces the whole filter table."));
    w.line("# Load both iptables.rules and ip6tables.rules, so neither family is left open.");
    w.line("# FORWARD: default drop. New connections pass only by a flow's rule, in the chain");
    w.line("#   of the zone pair whose interfaces they enter (-i) and leave (-o) by, which");
    w.line("#   jumps to its ticket's chain: CONNMARK sets the connection's mark to the flow's");
    w.line("#   ticket (kojo owns the whole connmark). Established and related packets pass");
    w.line_fmt(format_args!("#   only in {ESTABLISHED}, when their mark is a ticket in this file (inside its"));
    w.line("#   window, if it has one): loading a file without a flow, or with it changed,");
    w.line("#   ends its open TCP connections (with a reset); other packets of such a");
    w.line("#   connection return to FORWARD and are judged by the flows, like new ones.");
    w.line("# INPUT: default drop, on every interface. Only replies, loopback (and IPv6 neighbour");
    w.line("#   discovery) reach the device itself: new connections to it (SSH, web) are dropped,");
    w.line("#   so manage it from its console. Sessions open at loading time keep working.");
    w.line("# OUTPUT: accept. Time windows (-m time) are in UTC.");
    if tickets.distinct.iter().any(|&(t, _)| tickets::is_inline(t)) {
        w.line_fmt(format_args!(
            "# NFQUEUE: flows limited to protocol functions go, both ways, to queue {},",
            tickets::QUEUE
        ));
        w.line_fmt(format_args!(
            "#   where Suricata must run in NFQ mode (`suricata -q {}`). Without it their",
            tickets::QUEUE
        ));
        w.line("#   packets are dropped: the queue has no bypass (fail closed).");
    }
    w.line("#");
    w.line("# Interfaces:");
    let width = device.interfaces.iter().map(|i| i.name.len()).max().unwrap_or(0);
    for interface in &device.interfaces {
        w.line_fmt(format_args!("#   {:width$}  zone {} ({})", interface.name, interface.zone_name, interface.address));
    }
}

/// The buckets `kojo_established` dispatches to, ascending: none when the
/// file has few enough tickets for one flat list.
fn buckets(ticketed: &[(u32, usize)]) -> Vec<u32> {
    if ticketed.len() <= BUCKETED_ABOVE {
        return Vec::new();
    }
    let mut buckets: Vec<u32> = ticketed.iter().map(|&(ticket, _)| ticket & BUCKET_MASK).collect();
    buckets.sort_unstable();
    buckets.dedup();
    buckets
}

/// What established packets may pass: those of each ticket (inside its
/// window), accepted or queued, in `kojo_established` or its buckets; a
/// connection no current flow opened is reset (TCP) or judged by the
/// flows (the rest). Then each ticket's chain for new connections.
fn established(w: &mut Writer, device: &DevicePolicy, shapes: &[Shape], ticketed: &[(u32, usize)]) {
    let buckets = buckets(ticketed);
    for &bucket in &buckets {
        w.line_fmt(format_args!(
            "-A {ESTABLISHED} -m connmark --mark 0x{bucket:02x}/0x{BUCKET_MASK:02x} -j {}",
            bucket_chain(bucket)
        ));
    }
    if buckets.is_empty() {
        ticket_lines(w, device, shapes, ticketed, ESTABLISHED);
    }
    // A connection no current flow opened: TCP is reset (its sender learns
    // at once, the other end by its own timeout); anything else returns to
    // FORWARD's zone chains, so a UDP flow whose ticket changed is marked
    // again by its flow instead of being dropped for as long as it polls.
    w.line_fmt(format_args!("-A {ESTABLISHED} -p tcp -j REJECT --reject-with tcp-reset"));
    w.line_fmt(format_args!("-A {ESTABLISHED} -j RETURN"));
    for &bucket in &buckets {
        let inside: Vec<(u32, usize)> =
            ticketed.iter().filter(|&&(ticket, _)| ticket & BUCKET_MASK == bucket).copied().collect();
        ticket_lines(w, device, shapes, &inside, &bucket_chain(bucket));
    }
    for &(ticket, index) in ticketed {
        let Some(rule) = device.rules.get(index) else { continue };
        let chain = ticket_chain(ticket);
        let comment = format!("-m comment --comment \"{}\"", netfilter::comment(rule, COMMENT_MAX));
        w.traced_fmt(
            rule,
            format_args!("-A {chain} {comment} -j CONNMARK --set-xmark {}/0xffffffff", tickets::hex(ticket)),
        );
        w.traced_fmt(rule, format_args!("-A {chain} {comment} -j {}", target(ticket)));
    }
}

/// Accepts or queues a ticket's established packets (inside its window),
/// or NFQUEUE for inline ones.
fn target(ticket: u32) -> String {
    if tickets::is_inline(ticket) {
        format!("NFQUEUE --queue-num {}", tickets::QUEUE)
    } else {
        "ACCEPT".to_string()
    }
}

/// In `chain`, a line per ticket and time slot that lets its established
/// packets through.
fn ticket_lines(w: &mut Writer, device: &DevicePolicy, shapes: &[Shape], ticketed: &[(u32, usize)], chain: &str) {
    for &(ticket, index) in ticketed {
        let Some(rule) = device.rules.get(index) else { continue };
        let comment = format!("-m comment --comment \"{}\"", netfilter::comment(rule, COMMENT_MAX));
        let times: Vec<String> = match shapes.get(index).and_then(|s| s.slots.as_ref()) {
            Some(slots) => slots.iter().map(|slot| format!(" {}", time(slot))).collect(),
            None => vec![String::new()],
        };
        for time in times {
            w.traced_fmt(
                rule,
                format_args!(
                    "-A {chain} -m connmark --mark {}{time} {comment} -j {}",
                    tickets::hex(ticket),
                    target(ticket)
                ),
            );
        }
    }
}

/// The lines of one flow in one family's file: per time slot, address
/// list (for iptables' parameter limit), port set and (for multiport's
/// limit) port chunk.
fn flow(w: &mut Writer, chain: &str, rule: &Rule, shape: &Shape, family: Family, ticket: u32) {
    let Some(lines_family) = shape.families.iter().find(|f| f.is_none_or(|f| f == family)).copied() else { return };
    if let Some(note) = shape.slots.as_deref().and_then(|slots| netfilter::window_note(rule, slots)) {
        w.traced_fmt(rule, format_args!("# {note}"));
    }
    let hosts = |hosts: &Hosts, flag: &str| match lines_family {
        Some(family) if matches!(hosts, Hosts::Groups(_)) => {
            let nets: Vec<String> = netfilter::all_nets(hosts, family).iter().map(netfilter::address).collect();
            lists(&nets).into_iter().map(|list| format!("{flag} {list}")).collect()
        }
        _ => vec![String::new()],
    };
    let (sources, destinations) = (hosts(&rule.sources, "-s"), hosts(&rule.destinations, "-d"));
    let times: Vec<String> = match &shape.slots {
        Some(slots) => slots.iter().map(time).collect(),
        None => vec![String::new()],
    };
    let tail =
        format!("-m comment --comment \"{}\" -j {}", netfilter::comment(rule, COMMENT_MAX), ticket_chain(ticket));
    let head = format!("-A {chain}");
    for time in &times {
        for source in &sources {
            for destination in &destinations {
                for ports in shape.ports.iter().flat_map(port_matches) {
                    let parts = [head.as_str(), source, destination, &ports, time, &tail];
                    let line: Vec<&str> = parts.into_iter().filter(|p| !p.is_empty()).collect();
                    w.traced(rule, line.join(" "));
                }
            }
        }
    }
}

/// Comma lists of `addresses`, each within [`LIST_MAX`] characters.
fn lists(addresses: &[String]) -> Vec<String> {
    let mut lists: Vec<String> = Vec::new();
    for address in addresses {
        match lists.last_mut() {
            Some(list) if list.len() + 1 + address.len() <= LIST_MAX => {
                list.push(',');
                list.push_str(address);
            }
            _ => lists.push(address.clone()),
        }
    }
    lists
}

/// `-p tcp -m tcp --dport 443`, or `-p tcp -m multiport --dports 443,1000:2000`
/// per transport, in as many lines as multiport's limit needs.
fn port_matches(ports: &PortSet) -> Vec<String> {
    let mut chunks: Vec<Vec<String>> = vec![Vec::new()];
    let mut used = 0;
    for &(a, b) in &ports.ranges {
        let (text, cost) = if a == b { (a.to_string(), 1) } else { (format!("{a}:{b}"), 2) };
        if used + cost > MULTIPORT_MAX {
            chunks.push(Vec::new());
            used = 0;
        }
        used += cost;
        if let Some(chunk) = chunks.last_mut() {
            chunk.push(text);
        }
    }
    let mut out = Vec::new();
    for transport in &ports.transports {
        let p = transport.as_str();
        for chunk in &chunks {
            out.push(match chunk.as_slice() {
                [one] => format!("-p {p} -m {p} --dport {one}"),
                _ => format!("-p {p} -m multiport --dports {}", chunk.join(",")),
            });
        }
    }
    out
}

/// `-m time --weekdays Mon,Tue --timestart 00:00 --timestop 08:59:59`, in
/// UTC (no `--kerneltz`); the stop is inclusive.
fn time(slot: &Slot) -> String {
    let mut parts = Vec::new();
    if slot.days.len() < Weekday::ALL.len() {
        let days: Vec<&str> = slot.days.iter().map(|d| d.as_str()).collect();
        parts.push(format!("--weekdays {}", days.join(",")));
    }
    if slot.start > 0 || slot.end < 1440 {
        let stop = (u32::from(slot.end) * 60).min(netfilter::DAY).saturating_sub(1);
        parts.push(format!(
            "--timestart {} --timestop {:02}:{:02}:{:02}",
            netfilter::hhmm(slot.start),
            stop / 3600,
            stop / 60 % 60,
            stop % 60
        ));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("-m time {}", parts.join(" "))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;
    use kojo_stdlib::Transport;

    #[test]
    fn multiport_stays_within_fifteen_ports() {
        let one = PortSet { transports: vec![Transport::Tcp], ranges: vec![(443, 443)] };
        assert_eq!(port_matches(&one), ["-p tcp -m tcp --dport 443"]);
        let range = PortSet { transports: vec![Transport::Tcp, Transport::Udp], ranges: vec![(34962, 34964)] };
        assert_eq!(port_matches(&range), ["-p tcp -m tcp --dport 34962:34964", "-p udp -m udp --dport 34962:34964"]);
        let many: Vec<(u16, u16)> = (1..=14).map(|p| (p * 10, p * 10)).chain([(1000, 2000)]).collect();
        let lines = port_matches(&PortSet { transports: vec![Transport::Tcp], ranges: many });
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(lines[0].ends_with(",140"), "{}", lines[0]);
        assert_eq!(lines[1], "-p tcp -m tcp --dport 1000:2000");
    }

    #[test]
    fn address_lists_stay_within_the_parameter_limit() {
        let addresses: Vec<String> = (1..=200).map(|i| format!("fd00:1234:5678:9abc::{i:x}")).collect();
        let lists = lists(&addresses);
        assert_eq!(lists.len(), 5, "{lists:?}");
        assert!(lists.iter().all(|l| l.len() <= LIST_MAX));
        assert_eq!(lists.join(","), addresses.join(","), "every address once, in order");
        assert_eq!(super::lists(&["10.0.0.1".to_string()]), ["10.0.0.1"]);
    }

    #[test]
    fn times_are_utc_with_an_inclusive_stop() {
        use Weekday::*;
        let slot = |days: &[Weekday], start: u16, end: u16| Slot { days: days.to_vec(), start, end };
        assert_eq!(
            time(&slot(&[Mon, Tue], 0, 540)),
            "-m time --weekdays Mon,Tue --timestart 00:00 --timestop 08:59:59"
        );
        assert_eq!(time(&slot(&Weekday::ALL, 1320, 1440)), "-m time --timestart 22:00 --timestop 23:59:59");
        assert_eq!(time(&slot(&[Sun], 0, 1440)), "-m time --weekdays Sun");
        assert_eq!(time(&slot(&Weekday::ALL, 0, 1440)), "");
    }
}
