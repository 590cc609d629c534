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

use kojo_compiler::types::{Slot, Weekday};

use crate::enforcement::policy::{DevicePolicy, Rule};
use crate::enforcement::{Artifact, Backend, Capabilities, Clock, Context, Kind, Unrenderable, Writer};
use layout::Layout;
use netfilter::Shape;

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

    fn render(&self, _ctx: &Context<'_>, device: &DevicePolicy) -> Result<Vec<Artifact>, Vec<Unrenderable>> {
        let shapes = netfilter::shapes(self.name(), device)?;
        let layout = Layout::new(device);
        let mut w = Writer::new();
        header(&mut w, device);
        w.line("table inet kojo {}\ndelete table inet kojo\n\ntable inet kojo {");
        for set in &layout.sets {
            for line in layout::definition(set) {
                w.line(line);
            }
            w.line("");
        }
        forward(&mut w, device, &layout);
        for chain in &layout.chains {
            w.line(format!("\n\tchain {} {{", chain.name));
            for &index in &chain.rules {
                if let (Some(rule), Some(shape)) = (device.rules.get(index), shapes.get(index)) {
                    flow(&mut w, &layout, rule, shape);
                }
            }
            w.line("\t}");
        }
        local(&mut w, device);
        w.line("}");
        Ok(vec![w.finish(format!("{}/nftables.nft", device.name), &device.name, self.name())])
    }
}

fn header(w: &mut Writer, device: &DevicePolicy) {
    let title = device.title.as_deref().map(|t| format!(" ({})", netfilter::quoted(t, 200))).unwrap_or_default();
    w.line("#!/usr/sbin/nft -f");
    w.line(format!("# kojo: the nftables rule set of `{}`{title}.", device.name));
    w.line("# Generated from the plant model: change the .kojo sources and run `kojo build`, not this file.");
    w.line("#");
    w.line("# Load with `nft -f nftables.nft`: it replaces the table `inet kojo`, and nothing");
    w.line("# else, in one transaction, so it can be loaded again after every build.");
    w.line("# forward: default drop. Replies of allowed connections pass; new connections");
    w.line("#   pass only by a flow's rule, in the chain of the zone pair whose interfaces");
    w.line("#   they enter and leave by.");
    w.line("# input: default drop, on every interface. Only replies, loopback and IPv6 neighbour");
    w.line("#   discovery reach the device itself: new connections to it (SSH, web) are dropped,");
    w.line("#   so manage it from its console. Sessions open at loading time keep working.");
    w.line("# output: accept.");
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
        w.line(format!("#   {:width$}  zone {} ({})", interface.name, interface.zone_name, interface.address));
    }
    w.line("");
}

fn forward(w: &mut Writer, device: &DevicePolicy, layout: &Layout) {
    w.line("\tchain forward {");
    w.line("\t\ttype filter hook forward priority filter; policy drop;");
    w.line("\t\tct state established,related accept");
    w.line("\t\tct state invalid drop");
    if !layout.chains.is_empty() {
        w.line("\t\tiifname . oifname vmap {");
        let count = layout.chains.len();
        for (n, chain) in layout.chains.iter().enumerate() {
            let name = |i: usize| device.interface(i).map(|i| i.name.as_str()).unwrap_or_default();
            let comma = if n + 1 < count { "," } else { "" };
            w.line(format!("\t\t\t\"{}\" . \"{}\" : jump {}{comma}", name(chain.from), name(chain.to), chain.name));
        }
        w.line("\t\t}");
    }
    w.line(format!(
        "\t\tlimit rate 10/minute burst 20 packets log prefix \"{}\"",
        netfilter::log_prefix(device, "fwd")
    ));
    w.line("\t}");
}

fn local(w: &mut Writer, device: &DevicePolicy) {
    w.line("\n\tchain input {");
    w.line("\t\ttype filter hook input priority filter; policy drop;");
    w.line("\t\tct state established,related accept");
    w.line("\t\tct state invalid drop");
    w.line("\t\tiifname \"lo\" accept");
    w.line("\t\ticmpv6 type { nd-neighbor-solicit, nd-neighbor-advert } ip6 hoplimit 255 accept");
    w.line(format!("\t\tlimit rate 10/minute burst 20 packets log prefix \"{}\"", netfilter::log_prefix(device, "in")));
    w.line("\t}");
    w.line("\n\tchain output {");
    w.line("\t\ttype filter hook output priority filter; policy accept;");
    w.line("\t}");
}

/// Every line of one flow: per family, time slot, source group and
/// destination group, each with the groups' names after it.
fn flow(w: &mut Writer, layout: &Layout, rule: &Rule, shape: &Shape) {
    let slots: Vec<Option<&Slot>> = match &shape.slots {
        Some(slots) => slots.iter().map(Some).collect(),
        None => vec![None],
    };
    if let Some(note) = shape.slots.as_deref().and_then(|slots| netfilter::window_note(rule, slots)) {
        w.traced(rule, format!("\t\t# {note}"));
    }
    let ports = layout.ports(rule);
    let tail = format!(
        "{}accept comment \"{}\"",
        if rule.log { "counter " } else { "" },
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
                    w.traced(rule, format!("\t\t{}{names}", line.join(" ")));
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
