//! What a rule permits, as a set of new forwarded connections: the meaning
//! of each match (`ip saddr`, `tcp dport`, `iifname`, `ct state`) as boxes
//! in the [`space`](super::space), and the model's side, each flow of the
//! device's policy as the boxes its nftables and iptables lines render.
//!
//! Interfaces are numbered: every name the device's policy or the rule set
//! mentions, in order, each wildcard (`c*`) standing for the unnamed
//! interfaces it matches, then one number for every other interface (one
//! no pattern matches). Matches
//! kojo does not compare (`meta mark`, `icmp type`, time windows) are taken
//! as matching every packet, narrowed only by the protocol or family their
//! words imply, and noted; the walk then takes a rule with one the way that
//! errs towards drift ([`super::evaluate::Mode`]).

use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;

use kojo_stdlib::Transport;

use super::ruleset::{Ports, Rule, Ruleset, Selector, Table, Value, Verdict};
use super::space::{self, Block, Budget, Ranges, TooComplex, DIMS, DST, IIF, OIF, PORT, PROTO, SRC};
use crate::enforcement::firewalls::nftables::netfilter;
use crate::enforcement::policy::{DevicePolicy, Family, Hosts};

/// Transports with ports, for `th dport`.
const PORT_PROTOCOLS: [u128; 5] = [6, 17, 33, 132, 136];

/// The dimensions' values: which interface each number is.
#[derive(Debug, Clone)]
pub(super) struct Space {
    /// Sorted; the number after the last is every other interface.
    names: Vec<String>,
    /// The device's interfaces' zones, by interface name.
    zones: BTreeMap<String, String>,
}

impl Space {
    /// The interfaces of `device` and every name the rule sets match on.
    pub(super) fn new(device: &DevicePolicy, rulesets: &[&Ruleset]) -> Space {
        let mut names: BTreeSet<String> = device.interfaces.iter().map(|i| i.name.clone()).collect();
        for table in rulesets.iter().flat_map(|r| r.tables.iter()) {
            for rule in table.chains.iter().flat_map(|c| c.rules.iter()) {
                let exprs = rule.exprs.iter().map(|e| (&e.left, &e.right));
                let maps = match &rule.verdict {
                    Some(Verdict::Map { key, entries }) => entries.iter().map(|(v, _)| (key, v)).collect(),
                    _ => Vec::new(),
                };
                for (left, right) in exprs.chain(maps) {
                    if left.iter().any(|s| matches!(s, Selector::Iifname | Selector::Oifname)) {
                        // A wildcard `c*` adds a stand-in, itself: an interface
                        // named by no rule whose name starts with `c`.
                        names.extend(atoms(table, right).into_iter().map(str::to_string));
                    }
                }
            }
        }
        let zones = device.interfaces.iter().map(|i| (i.name.clone(), i.zone_name.clone())).collect();
        Space { names: names.into_iter().collect(), zones }
    }

    fn other(&self) -> u128 {
        self.names.len() as u128
    }

    /// Every new connection of `family`.
    pub(super) fn full(&self, family: Family) -> Block {
        let interfaces = Ranges::span(0, self.other());
        let addresses = Ranges::span(0, max_address(family));
        Block([
            interfaces.clone(),
            interfaces,
            addresses.clone(),
            addresses,
            Ranges::span(0, 255),
            Ranges::span(0, u128::from(u16::MAX)),
        ])
    }

    /// The interfaces a name matches: itself, or with a trailing `*`
    /// every name it starts (and the other interfaces).
    fn interfaces(&self, pattern: &str) -> Ranges {
        let number = |i: usize| i as u128;
        match pattern.strip_suffix('*') {
            Some(prefix) => {
                // The stand-ins of wildcards (see [`Space::new`]) are the
                // unnamed interfaces a pattern matches; "every other
                // interface" is then one that matches no pattern. A pattern
                // without its stand-in takes every other interface too.
                let known = self.names.binary_search_by(|n| n.as_str().cmp(pattern)).is_ok();
                let other = (!known).then_some((self.other(), self.other()));
                Ranges::from_spans(
                    self.names
                        .iter()
                        .enumerate()
                        .filter(|(_, n)| n.starts_with(prefix))
                        .map(|(i, _)| (number(i), number(i)))
                        .chain(other),
                )
            }
            None => match self.names.binary_search_by(|n| n.as_str().cmp(pattern)) {
                Ok(i) => Ranges::point(number(i)),
                Err(_) => Ranges::point(self.other()),
            },
        }
    }

    /// The names of a set of interface numbers, each with its zone when
    /// that is another name (`eth1 (control)`); `None` stands for "every
    /// other interface".
    pub(super) fn interface_names(&self, ranges: &Ranges) -> Vec<Option<String>> {
        let mut out = Vec::new();
        for &(a, b) in ranges.spans() {
            for n in a..=b.min(self.other()) {
                let name = usize::try_from(n).ok().and_then(|i| self.names.get(i));
                out.push(name.map(|name| match self.zones.get(name) {
                    Some(zone) if zone != name => format!("{name} ({zone})"),
                    _ => name.clone(),
                }));
            }
        }
        out
    }

    pub(super) fn interface_count(&self) -> u128 {
        self.other() + 1
    }
}

/// The highest address of a family, as a number.
pub(super) fn max_address(family: Family) -> u128 {
    match family {
        Family::V4 => u128::from(u32::MAX),
        Family::V6 => u128::MAX,
    }
}

/// The words of a set, flattened, named sets looked up in `table`.
fn atoms<'a>(table: &'a Table, value: &'a Value) -> Vec<&'a str> {
    match value {
        Value::Atom(a) => vec![a.as_str()],
        Value::Named(name) => {
            table.sets.get(name).map_or(Vec::new(), |items| items.iter().flat_map(|v| atoms(table, v)).collect())
        }
        Value::Set(items) | Value::Concat(items) => items.iter().flat_map(|v| atoms(table, v)).collect(),
    }
}

/// What one rule matches in one family, and the matches that were not compared.
#[derive(Debug, Clone, Default)]
pub(super) struct Lowered {
    pub region: Vec<Block>,
    pub ignored: Vec<String>,
    /// Whether a match other than a time window was not read: `region` is
    /// then the widest it may be (see [`super::evaluate::Mode`]).
    pub unread: bool,
}

/// The connections of `family` that `rule` (in `table`) matches, before its verdict.
pub(super) fn rule_region(
    space: &Space,
    table: &Table,
    rule: &Rule,
    family: Family,
    budget: &mut Budget,
) -> Result<Lowered, TooComplex> {
    let mut lowered = Lowered::default();
    if !table.family.covers(family) {
        return Ok(lowered);
    }
    lowered.region = vec![space.full(family)];
    for expr in &rule.exprs {
        let region = match expr_region(space, table, &expr.left, &expr.right, family, budget)? {
            Meaning::Region(region) => region,
            Meaning::Ignored(words, narrowed) => {
                if !lowered.ignored.contains(&words) {
                    lowered.ignored.push(words);
                }
                lowered.unread |= expr.left != [Selector::Time];
                if expr.negated {
                    continue;
                }
                vec![narrowed]
            }
        };
        let region = if expr.negated { space::minus(&[space.full(family)], &region, budget)? } else { region };
        lowered.region = space::intersect(&lowered.region, &region, budget)?;
        if lowered.region.is_empty() {
            break;
        }
    }
    Ok(lowered)
}

/// What a match means.
pub(super) enum Meaning {
    Region(Vec<Block>),
    /// Not compared: its words, and every connection its words allow.
    Ignored(String, Block),
}

/// The connections of `family` for which `left` is one of `right`'s elements.
pub(super) fn expr_region(
    space: &Space,
    table: &Table,
    left: &[Selector],
    right: &Value,
    family: Family,
    budget: &mut Budget,
) -> Result<Meaning, TooComplex> {
    let full = space.full(family);
    if let Some(words) = left.iter().find_map(ignored_words) {
        let narrowed = left.iter().fold(full, |b, s| implied(b, s, family));
        return Ok(Meaning::Ignored(words, narrowed));
    }
    let mut elements = Vec::new();
    if !flatten(table, right, &mut elements, 0) {
        return Ok(Meaning::Ignored(format!("a set kojo cannot read ({})", super::ruleset::value_key(right)), full));
    }
    let mut merged = Merged::default();
    for element in elements {
        let parts: Vec<&Value> = match (left, element) {
            ([_], element) => vec![element],
            (_, Value::Concat(parts)) if parts.len() == left.len() => parts.iter().collect(),
            _ => return Ok(Meaning::Ignored(format!("`{}`", super::ruleset::value_key(element)), full)),
        };
        let mut block = Some(full.clone());
        for (selector, part) in left.iter().zip(parts) {
            block = match (block, part) {
                (Some(b), Value::Atom(text)) => match constrain(space, b, selector, text, family) {
                    Ok(b) => Some(b),
                    Err(()) => return Ok(Meaning::Ignored(format!("`{text}`"), full)),
                },
                (_, other) => return Ok(Meaning::Ignored(format!("`{}`", super::ruleset::value_key(other)), full)),
            };
        }
        if let Some(block) = block.filter(|b| !b.is_empty()) {
            merged.add(block, budget)?;
        }
    }
    Ok(Meaning::Region(merged.finish()))
}

/// The boxes of a set's elements, joined as they come: an element that
/// differs from the first in one dimension only (the address, the port)
/// widens that box instead of adding one, so a set of millions of
/// addresses is one box. Every other box is charged to the budget.
#[derive(Default)]
struct Merged {
    first: Option<Block>,
    /// The dimension the elements widen, and their spans in it.
    widened: Option<(usize, Vec<(u128, u128)>)>,
    others: Vec<Block>,
}

impl Merged {
    fn add(&mut self, block: Block, budget: &mut Budget) -> Result<(), TooComplex> {
        let Some(first) = &self.first else {
            budget.spend(1)?;
            self.first = Some(block);
            return Ok(());
        };
        let differ: Vec<usize> = (0..DIMS).filter(|&d| block.dim(d) != first.dim(d)).collect();
        match (differ.as_slice(), &mut self.widened) {
            ([], _) => {}
            ([d], None) => self.widened = Some((*d, block.dim(*d).spans().to_vec())),
            ([d], Some((w, spans))) if w == d => spans.extend_from_slice(block.dim(*d).spans()),
            _ => {
                budget.spend(1)?;
                self.others.push(block);
            }
        }
        Ok(())
    }

    fn finish(self) -> Vec<Block> {
        let Some(mut first) = self.first else { return self.others };
        if let Some((d, spans)) = self.widened {
            let joined = Ranges::from_spans(first.dim(d).spans().iter().copied().chain(spans));
            if let Some(dim) = first.0.get_mut(d) {
                *dim = joined;
            }
        }
        let mut out = vec![first];
        out.extend(self.others);
        out
    }
}

/// The elements of a value (sets flattened, named sets looked up); false
/// when a named set is missing or sets nest too deep.
fn flatten<'a>(table: &'a Table, value: &'a Value, out: &mut Vec<&'a Value>, depth: usize) -> bool {
    if depth > 8 {
        return false;
    }
    match value {
        Value::Set(items) => items.iter().all(|v| flatten(table, v, out, depth + 1)),
        Value::Named(name) => match table.sets.get(name) {
            Some(items) => items.iter().all(|v| flatten(table, v, out, depth + 1)),
            None => false,
        },
        other => {
            out.push(other);
            true
        }
    }
}

/// The words of a selector kojo does not compare.
fn ignored_words(selector: &Selector) -> Option<String> {
    match selector {
        Selector::Time => Some("a time window".into()),
        Selector::Other(words) => Some(format!("`{words}`")),
        _ => None,
    }
}

/// What an uncompared selector's words still say: `icmp type` is ICMP,
/// `ip6 hoplimit` is IPv6.
fn implied(block: Block, selector: &Selector, family: Family) -> Block {
    let Selector::Other(words) = selector else { return block };
    let first = words.trim_start_matches("-m ").split_whitespace().next().unwrap_or_default();
    let wrong_family = match first {
        "ip" | "icmp" => family == Family::V6,
        "ip6" | "icmpv6" | "icmp6" => family == Family::V4,
        _ => false,
    };
    if wrong_family {
        return block.narrowed(SRC, &Ranges::empty());
    }
    let protocol = match first {
        "tcp" => 6,
        "udp" => 17,
        "icmp" => 1,
        "icmpv6" | "icmp6" => 58,
        "sctp" => 132,
        "dccp" => 33,
        "udplite" => 136,
        "ah" => 51,
        "esp" => 50,
        _ => return block,
    };
    block.narrowed(PROTO, &Ranges::point(protocol))
}

/// `block` narrowed to the connections whose `selector` is `text`.
fn constrain(space: &Space, block: Block, selector: &Selector, text: &str, family: Family) -> Result<Block, ()> {
    let none = Ranges::empty();
    Ok(match selector {
        Selector::Iifname => block.narrowed(IIF, &space.interfaces(text)),
        Selector::Oifname => block.narrowed(OIF, &space.interfaces(text)),
        Selector::Saddr(f) | Selector::Daddr(f) => {
            let dim = if matches!(selector, Selector::Saddr(_)) { SRC } else { DST };
            if *f != family {
                block.narrowed(dim, &none)
            } else {
                block.narrowed(dim, &addresses(text, family).ok_or(())?)
            }
        }
        Selector::Proto(Some(f)) if *f != family => block.narrowed(PROTO, &none),
        Selector::Proto(_) => block.narrowed(PROTO, &protocol(text).ok_or(())?),
        Selector::Nfproto => match (text, family) {
            ("ipv4" | "ip" | "2", Family::V4) | ("ipv6" | "ip6" | "10", Family::V6) => block,
            ("ipv4" | "ip" | "2" | "ipv6" | "ip6" | "10", _) => block.narrowed(SRC, &none),
            _ => return Err(()),
        },
        Selector::Dport(ports) => {
            let protocols = match ports {
                Ports::Tcp => Ranges::point(6),
                Ports::Udp => Ranges::point(17),
                Ports::Sctp => Ranges::point(132),
                Ports::Dccp => Ranges::point(33),
                Ports::Udplite => Ranges::point(136),
                Ports::Any => Ranges::from_spans(PORT_PROTOCOLS.map(|p| (p, p))),
            };
            block.narrowed(PROTO, &protocols).narrowed(PORT, &port_range(text).ok_or(())?)
        }
        // New connections only: `established`, `related`, `invalid` never match one.
        Selector::CtState => match text.to_ascii_lowercase().as_str() {
            "new" => block,
            "established" | "related" | "invalid" | "untracked" => block.narrowed(PROTO, &none),
            _ => return Err(()),
        },
        Selector::Time | Selector::Other(_) => block,
    })
}

/// `10.0.0.1`, `10.0.0.0/8`, `10.0.0.0/255.0.0.0`, `10.0.0.1-10.0.0.9`.
pub(super) fn addresses(text: &str, family: Family) -> Option<Ranges> {
    let number = |a: IpAddr| -> Option<u128> {
        match (a, family) {
            (IpAddr::V4(v4), Family::V4) => Some(u128::from(u32::from(v4))),
            (IpAddr::V6(v6), Family::V6) => Some(u128::from(v6)),
            _ => None,
        }
    };
    let width: u32 = if family == Family::V4 { 32 } else { 128 };
    if let Some((address, len)) = text.split_once('/') {
        let base = number(address.parse().ok()?)?;
        let len = match len.parse::<u32>() {
            Ok(len) => len,
            Err(_) => mask_length(number(len.parse().ok()?)?, width)?,
        };
        if len > width {
            return None;
        }
        let host = max_address(family).checked_shr(len).unwrap_or(0);
        return Some(Ranges::span(base & !host & max_address(family), (base & !host) | host));
    }
    if let Some((a, b)) = text.split_once('-') {
        return Some(Ranges::span(number(a.parse().ok()?)?, number(b.parse().ok()?)?));
    }
    Some(Ranges::point(number(text.parse().ok()?)?))
}

/// The prefix length of a contiguous netmask.
fn mask_length(mask: u128, width: u32) -> Option<u32> {
    let shifted = mask << (128 - width);
    let len = shifted.leading_ones();
    (shifted.checked_shl(len).unwrap_or(0) == 0).then_some(len)
}

/// A protocol by number or name.
fn protocol(text: &str) -> Option<Ranges> {
    if let Ok(n) = text.parse::<u8>() {
        return Some(Ranges::point(u128::from(n)));
    }
    let n: u128 = match text.to_ascii_lowercase().as_str() {
        "icmp" => 1,
        "igmp" => 2,
        "tcp" => 6,
        "udp" => 17,
        "gre" => 47,
        "esp" => 50,
        "ah" => 51,
        "icmpv6" | "ipv6-icmp" => 58,
        "dccp" => 33,
        "sctp" => 132,
        "udplite" => 136,
        "ospf" => 89,
        "vrrp" => 112,
        "all" => return Some(Ranges::span(0, 255)),
        _ => return None,
    };
    Some(Ranges::point(n))
}

/// `443`, `5000-5010`, or a service name nft or iptables may print.
fn port_range(text: &str) -> Option<Ranges> {
    let port = |t: &str| -> Option<u128> {
        if let Ok(n) = t.parse::<u16>() {
            return Some(u128::from(n));
        }
        Some(match t {
            "ftp" => 21,
            "ssh" => 22,
            "telnet" => 23,
            "smtp" => 25,
            "domain" => 53,
            "http" => 80,
            "ntp" => 123,
            "snmp" => 161,
            "https" => 443,
            "mqtt" => 1883,
            _ => return None,
        })
    };
    match text.split_once('-') {
        Some((a, b)) => Some(Ranges::span(port(a)?, port(b)?)),
        None => Some(Ranges::point(port(text)?)),
    }
}

/// One flow's connections in one family: a box per transport.
#[derive(Debug, Clone)]
pub(super) struct Permit {
    pub family: Family,
    pub block: Block,
    /// Index into the device's rules.
    pub rule: usize,
}

/// What the model lets the device forward: each flow as the nftables and
/// iptables backends render it (the same families and merged ports).
pub(super) fn model(space: &Space, device: &DevicePolicy) -> Vec<Permit> {
    let mut permits = Vec::new();
    for (index, rule) in device.rules.iter().enumerate() {
        // A flow the backends refuse is refused before drift compares.
        let Ok(shape) = netfilter::shape("nftables", index, rule) else { continue };
        let interface =
            |i: usize| device.interface(i).map_or(Ranges::point(space.other()), |i| space.interfaces(&i.name));
        let (from, to) = (interface(rule.from), interface(rule.to));
        let families: BTreeSet<Family> =
            shape.families.iter().flat_map(|f| f.map_or(vec![Family::V4, Family::V6], |f| vec![f])).collect();
        for family in families {
            let (sources, destinations) = (hosts(&rule.sources, family), hosts(&rule.destinations, family));
            for set in &shape.ports {
                let ports = Ranges::from_spans(set.ranges.iter().map(|&(a, b)| (u128::from(a), u128::from(b))));
                for transport in &set.transports {
                    let protocol = match transport {
                        Transport::Tcp => 6,
                        Transport::Udp => 17,
                    };
                    let dims: [Ranges; DIMS] = [
                        from.clone(),
                        to.clone(),
                        sources.clone(),
                        destinations.clone(),
                        Ranges::point(protocol),
                        ports.clone(),
                    ];
                    permits.push(Permit { family, block: Block(dims), rule: index });
                }
            }
        }
    }
    permits
}

/// A side of a flow in one family: its addresses, or every address.
fn hosts(hosts: &Hosts, family: Family) -> Ranges {
    match hosts {
        Hosts::Any => Ranges::span(0, max_address(family)),
        Hosts::Groups(_) => {
            let spans = netfilter::all_nets(hosts, family).into_iter().filter_map(|net| {
                let text = net.to_string();
                addresses(&text, family).and_then(|r| r.spans().first().copied())
            });
            Ranges::from_spans(spans)
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;

    #[test]
    fn addresses_in_every_spelling() {
        let v4 = |t: &str| addresses(t, Family::V4);
        assert_eq!(v4("10.0.0.1"), Some(Ranges::point(0x0a00_0001)));
        assert_eq!(v4("10.0.0.0/8"), Some(Ranges::span(0x0a00_0000, 0x0aff_ffff)));
        assert_eq!(v4("10.0.0.7/8"), v4("10.0.0.0/8"), "host bits are ignored, as the kernel does");
        assert_eq!(v4("10.0.0.0/255.0.0.0"), v4("10.0.0.0/8"));
        assert_eq!(v4("0.0.0.0/0"), Some(Ranges::span(0, u128::from(u32::MAX))));
        assert_eq!(v4("10.0.0.1-10.0.0.3"), Some(Ranges::span(0x0a00_0001, 0x0a00_0003)));
        assert_eq!(v4("10.0.0.0/255.0.255.0"), None, "not a contiguous mask");
        assert_eq!(v4("fd00::1"), None);
        assert_eq!(v4("10.0.0.0/33"), None);
        assert_eq!(addresses("::/0", Family::V6), Some(Ranges::span(0, u128::MAX)));
        assert_eq!(addresses("fd00::/128", Family::V6).unwrap().count(), 1);
    }

    #[test]
    fn ports_and_protocols() {
        assert_eq!(port_range("22-23"), Some(Ranges::span(22, 23)));
        assert_eq!(port_range("https"), Some(Ranges::point(443)));
        assert_eq!(port_range("70000"), None);
        assert_eq!(protocol("ipv6-icmp"), Some(Ranges::point(58)));
        assert_eq!(protocol("frob"), None);
    }
}
