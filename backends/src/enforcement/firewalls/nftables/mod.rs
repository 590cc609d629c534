//! `nftables`: one `table inet kojo` per device (`<device>/nftables.nft`),
//! loaded with `nft -f`. It owns the text of that table: default-drop base
//! chains, one chain per zone pair reached through an `iifname . oifname`
//! verdict map from the forward hook, and in it one rule per flow, family
//! and source/destination group, each with the flow's comment. IPv4 and
//! IPv6 share the table; a rule matches one family only when it names
//! addresses. Which named sets exist is [`layout`]'s decision.
//!
//! Time windows are written as `meta hour` in seconds after midnight UTC:
//! nft converts `"HH:MM"` from the loading shell's local time zone, but
//! takes plain numbers as they are (see `docs/backends/nftables.md`).

mod layout;
pub(crate) mod netfilter;
pub(crate) mod tickets;

use kojo_compiler::types::{Slot, Weekday};

use crate::enforcement::policy::{DevicePolicy, Rule};
use crate::enforcement::{Artifact, Backend, Capabilities, Clock, Context, Kind, Unrenderable, Writer};
use layout::Layout;
use netfilter::Shape;
use tickets::Tickets;

pub struct Nftables;

pub const NFTABLES: Nftables = Nftables;

/// nft refuses longer rule comments.
const COMMENT_MAX: usize = 128;

impl Backend for Nftables {
    fn name(&self) -> &'static str {
        "nftables"
    }

    fn description(&self) -> &'static str {
        "a `table inet kojo` per firewall for `nft -f`: default deny, a chain per zone pair, a rule per flow"
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities { kind: Kind::Firewall, ipv6: true, windows: Clock::Utc, max_interface_name: Some(15) }
    }

    /// Inline flows' connections jump to `chain gateway { queue num 0 }`.
    fn sends_inline(&self) -> bool {
        true
    }

    fn render(&self, ctx: &Context<'_>, device: &DevicePolicy) -> Result<Vec<Artifact>, Vec<Unrenderable>> {
        let shapes = netfilter::shapes(self.name(), device)?;
        let tickets = Tickets::new(device, ctx.catalogue);
        let layout = Layout::new(device, &tickets);
        let mut w = Writer::new();
        header(&mut w, device, layout.gateway.is_some());
        w.line("table inet kojo {}\ndelete table inet kojo\n\ntable inet kojo {");
        for set in &layout.sets {
            for line in layout::definition(set) {
                w.line(line);
            }
            w.line("");
        }
        forward(&mut w, device, &layout, &tickets);
        established(&mut w, device, &layout, &tickets, &shapes);
        for chain in &layout.chains {
            w.line_fmt(format_args!("\n\tchain {} {{", chain.name));
            for &index in &chain.rules {
                if let (Some(rule), Some(shape)) = (device.rules.get(index), shapes.get(index)) {
                    flow(&mut w, &layout, rule, shape, tickets.of(index));
                }
            }
            w.line("\t}");
        }
        local(&mut w, device);
        w.line("}");
        Ok(vec![w.finish(format!("{}/nftables.nft", device.name), &device.name, self.name())])
    }
}

fn header(w: &mut Writer, device: &DevicePolicy, gateway: bool) {
    let title = device.title.as_deref().map(|t| format!(" ({})", netfilter::quoted(t, 200))).unwrap_or_default();
    w.line("#!/usr/sbin/nft -f");
    w.line_fmt(format_args!("# kojo: the nftables rule set of `{}`{title}.", device.name));
    w.line("# Generated from the plant model: change the .kojo sources and run `kojo build`, not this file.");
    w.line("#");
    w.line("# Load with `nft -f nftables.nft`: it replaces the table `inet kojo`, and nothing");
    w.line("# else, in one transaction, so it can be loaded again after every build.");
    w.line("# forward: default drop. New connections pass only by a flow's rule, in the chain");
    w.line("#   of the zone pair whose interfaces they enter and leave by, which sets the");
    w.line("#   connection's mark (`ct mark`) to the flow's ticket. kojo owns the whole ct mark.");
    w.line("#   Established and related packets pass only when their mark is the ticket of a");
    w.line("#   flow in this file (inside its window, if it has one): loading a file without a");
    w.line("#   flow, or with it changed, ends its open TCP connections (with a reset); other");
    w.line("#   packets of such a connection are judged by the flows again, like new ones.");
    w.line("# input: default drop, on every interface. Only replies, loopback and IPv6 neighbour");
    w.line("#   discovery reach the device itself: new connections to it (SSH, web) are dropped,");
    w.line("#   so manage it from its console. Sessions open at loading time keep working.");
    w.line("# output: accept.");
    if gateway {
        w.line_fmt(format_args!(
            "# gateway: flows limited to protocol functions go, both ways, to netfilter queue {},",
            tickets::QUEUE
        ));
        w.line_fmt(format_args!(
            "#   where Suricata must run in NFQ mode (`suricata -q {}`). Without it their",
            tickets::QUEUE
        ));
        w.line("#   packets are dropped: the queue has no bypass (fail closed).");
    }
    if device.rules.iter().any(|r| r.window.is_some()) {
        w.line("# Time windows: `meta hour` is seconds after midnight UTC (nft would shift");
        w.line("#   \"HH:MM\" by the loading shell's TZ, never plain numbers); `meta day` runs on");
        w.line("#   the kernel's time zone, which is UTC unless the RTC keeps local time.");
        w.line("#   `TZ=UTC nft list table inet kojo` shows the hours in UTC.");
    }
    w.line("#");
    w.line("# Interfaces:");
    let width = device.interfaces.iter().map(|i| i.name.len()).max().unwrap_or(0);
    for interface in &device.interfaces {
        w.line_fmt(format_args!("#   {:width$}  zone {} ({})", interface.name, interface.zone_name, interface.address));
    }
    w.line("");
}

fn forward(w: &mut Writer, device: &DevicePolicy, layout: &Layout, tickets: &Tickets) {
    w.line("\tchain forward {");
    w.line("\t\ttype filter hook forward priority filter; policy drop;");
    if !tickets.distinct.is_empty() {
        w.line("\t\tct state established,related ct mark vmap {");
        let count = tickets.distinct.len();
        for (n, &(ticket, index)) in tickets.distinct.iter().enumerate() {
            let comma = if n + 1 < count { "," } else { "" };
            let line = format!("\t\t\t{} : {}{comma}", tickets::hex(ticket), established_verdict(layout, ticket));
            match device.rules.get(index) {
                Some(rule) => w.traced(rule, line),
                None => w.line(line),
            }
        }
        w.line("\t\t}");
    }
    // A connection no current flow opened (its flow was removed or changed,
    // its window closed, or it predates kojo). TCP is reset: the sender
    // learns at once (the other end only by its own timeout). Anything
    // else goes on to the flows, as a new connection would: a UDP poller
    // whose flow only changed its ticket refreshes its conntrack entry with
    // every packet, so dropping it here would cut it for as long as it
    // polls; a flow that still allows it marks it again, and what no flow
    // allows is dropped by the policy.
    w.line("\t\tct state established,related meta l4proto tcp reject with tcp reset");
    w.line("\t\tct state invalid drop");
    if !layout.chains.is_empty() {
        w.line("\t\tiifname . oifname vmap {");
        let count = layout.chains.len();
        for (n, chain) in layout.chains.iter().enumerate() {
            let name = |i: usize| device.interface(i).map(|i| i.name.as_str()).unwrap_or_default();
            let comma = if n + 1 < count { "," } else { "" };
            w.line_fmt(format_args!(
                "\t\t\t\"{}\" . \"{}\" : jump {}{comma}",
                name(chain.from),
                name(chain.to),
                chain.name
            ));
        }
        w.line("\t\t}");
    }
    w.line_fmt(format_args!(
        "\t\tlimit rate 10/minute burst 20 packets log prefix \"{}\"",
        netfilter::log_prefix(device, "fwd")
    ));
    w.line("\t}");
}

/// Where an established packet of `ticket` goes: its window's chain, the
/// gateway, or accept.
fn established_verdict(layout: &Layout, ticket: u32) -> String {
    match (layout.windows.get(&ticket), &layout.gateway) {
        (Some(window), _) => format!("jump {window}"),
        (None, Some(gateway)) if tickets::is_inline(ticket) => format!("jump {gateway}"),
        _ => "accept".to_string(),
    }
}

/// The gateway chain, and per windowed ticket the chain that lets its
/// established packets through only inside the window: what falls
/// through returns to `forward`, which resets TCP and judges the rest by
/// the flows (whose rules carry the same window).
fn established(w: &mut Writer, device: &DevicePolicy, layout: &Layout, tickets: &Tickets, shapes: &[Shape]) {
    if let Some(gateway) = &layout.gateway {
        w.line_fmt(format_args!("\n\tchain {gateway} {{"));
        w.line_fmt(format_args!("\t\tqueue num {}", tickets::QUEUE));
        w.line("\t}");
    }
    for (&ticket, name) in &layout.windows {
        // `distinct` is sorted by ticket: a search, not a scan per window.
        let Ok(found) = tickets.distinct.binary_search_by_key(&ticket, |(t, _)| *t) else { continue };
        let Some(&(_, index)) = tickets.distinct.get(found) else { continue };
        let (Some(rule), Some(slots)) = (device.rules.get(index), shapes.get(index).and_then(|s| s.slots.as_ref()))
        else {
            continue;
        };
        let verdict = match &layout.gateway {
            Some(gateway) if tickets::is_inline(ticket) => format!("jump {gateway}"),
            _ => "accept".to_string(),
        };
        w.line_fmt(format_args!("\n\tchain {name} {{"));
        if let Some(note) = netfilter::window_note(rule, slots) {
            w.traced_fmt(rule, format_args!("\t\t# {note}"));
        }
        let comment = netfilter::comment(rule, COMMENT_MAX);
        for slot in slots {
            w.traced_fmt(rule, format_args!("\t\t{} {verdict} comment \"{comment}\"", time(slot)));
        }
        w.line("\t}");
    }
}

fn local(w: &mut Writer, device: &DevicePolicy) {
    w.line("\n\tchain input {");
    w.line("\t\ttype filter hook input priority filter; policy drop;");
    w.line("\t\tct state established,related accept");
    w.line("\t\tct state invalid drop");
    w.line("\t\tiifname \"lo\" accept");
    w.line("\t\ticmpv6 type { nd-neighbor-solicit, nd-neighbor-advert } ip6 hoplimit 255 accept");
    w.line_fmt(format_args!(
        "\t\tlimit rate 10/minute burst 20 packets log prefix \"{}\"",
        netfilter::log_prefix(device, "in")
    ));
    w.line("\t}");
    w.line("\n\tchain output {");
    w.line("\t\ttype filter hook output priority filter; policy accept;");
    w.line("\t}");
}

/// Every line of one flow: per family, time slot, source group and
/// destination group, each with the groups' names after it.
fn flow(w: &mut Writer, layout: &Layout, rule: &Rule, shape: &Shape, ticket: u32) {
    let slots: Vec<Option<&Slot>> = match &shape.slots {
        Some(slots) => slots.iter().map(Some).collect(),
        None => vec![None],
    };
    if let Some(note) = shape.slots.as_deref().and_then(|slots| netfilter::window_note(rule, slots)) {
        w.traced_fmt(rule, format_args!("\t\t# {note}"));
    }
    let ports = layout.ports(rule);
    let verdict = match &layout.gateway {
        Some(gateway) if tickets::is_inline(ticket) => format!("jump {gateway}"),
        _ => "accept".to_string(),
    };
    let tail = format!(
        "{}ct mark set {} {verdict} comment \"{}\"",
        if rule.log { "counter " } else { "" },
        tickets::hex(ticket),
        netfilter::comment(rule, COMMENT_MAX)
    );
    for &family in &shape.families {
        for slot in &slots {
            let time = slot.map(time).unwrap_or_default();
            for (source, from) in layout.hosts(&rule.sources, family, "saddr") {
                for (destination, to) in layout.hosts(&rule.destinations, family, "daddr") {
                    let parts = [source.as_str(), &destination, &ports, &time, &tail];
                    let line: Vec<&str> = parts.into_iter().filter(|p| !p.is_empty()).collect();
                    let names = if source.is_empty() && destination.is_empty() {
                        String::new()
                    } else {
                        format!(" # {from} -> {to}")
                    };
                    w.traced_fmt(rule, format_args!("\t\t{}{names}", line.join(" ")));
                }
            }
        }
    }
}

/// `meta day { "Monday", "Tuesday" } meta hour 0-32399`: hours in seconds
/// after midnight UTC, the end inclusive.
fn time(slot: &Slot) -> String {
    let mut parts = Vec::new();
    if slot.days.len() < Weekday::ALL.len() {
        let days: Vec<String> = slot.days.iter().map(|d| format!("\"{}\"", day(*d))).collect();
        parts.push(match days.as_slice() {
            [one] => format!("meta day {one}"),
            _ => format!("meta day {{ {} }}", days.join(", ")),
        });
    }
    if slot.start > 0 || slot.end < 1440 {
        let start = u32::from(slot.start) * 60;
        let end = (u32::from(slot.end) * 60).min(netfilter::DAY).saturating_sub(1);
        parts.push(format!("meta hour {start}-{end}"));
    }
    parts.join(" ")
}

fn day(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;

    #[test]
    fn hours_are_utc_seconds_with_an_inclusive_end() {
        let slot = |days: &[Weekday], start: u16, end: u16| Slot { days: days.to_vec(), start, end };
        use Weekday::*;
        assert_eq!(time(&slot(&[Mon, Fri], 0, 540)), "meta day { \"Monday\", \"Friday\" } meta hour 0-32399");
        assert_eq!(time(&slot(&[Sun], 1320, 1440)), "meta day \"Sunday\" meta hour 79200-86399");
        assert_eq!(time(&slot(&Weekday::ALL, 540, 1080)), "meta hour 32400-64799");
        assert_eq!(time(&slot(&[Sat], 0, 1440)), "meta day \"Saturday\"");
    }
}
