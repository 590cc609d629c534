//! The names and shared objects of a device's `table inet kojo`, decided
//! before anything is written: one chain per zone pair, a named set per
//! host group and family that has several prefixes (when the group is alone
//! on its side of a flow; several groups are one anonymous set), and a named
//! set per distinct list of ports.
//!
//! A group with a single prefix is matched literally (`ip saddr 10.2.0.10`)
//! and a single port too: every set is a kernel object that costs far more
//! to load than a rule (on the 10,000-asset synthetic plant, one set per
//! host took `nft -f` 17 s, literals 1.3 s).

use std::collections::BTreeMap;

use ipnet::IpNet;
use kojo_stdlib::Transport;

use super::netfilter::{self, Chain, Names};
use super::tickets::Tickets;
use crate::enforcement::policy::{DevicePolicy, Family, HostGroup, Hosts, Rule};

/// Chain and set names (NFT_NAME_MAXLEN is 256; shorter reads better).
const NAME_MAX: usize = 64;

/// What a named set holds.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Elements {
    /// One host group's prefixes in one family.
    Hosts(Family, Vec<IpNet>),
    /// Destination ports, each with its transport, merged and sorted.
    Ports(Vec<(Transport, u16, u16)>),
}

#[derive(Debug)]
pub(super) struct Set {
    pub name: String,
    pub elements: Elements,
}

#[derive(Debug)]
pub(super) struct Layout {
    /// Sorted by name.
    pub sets: Vec<Set>,
    /// Sorted by zone pair.
    pub chains: Vec<Chain>,
    /// The chain that queues to Suricata, when a flow is inline.
    pub gateway: Option<String>,
    /// The chain that re-checks a windowed flow's established packets, by ticket.
    pub windows: BTreeMap<u32, String>,
    /// By (the name it was wanted under, what it holds).
    names: BTreeMap<(String, Elements), String>,
}

impl Layout {
    pub(super) fn new(device: &DevicePolicy, tickets: &Tickets) -> Self {
        let mut names = Names::new(NAME_MAX, &["forward", "input", "output"]);
        let gateway =
            tickets.distinct.iter().any(|&(t, _)| super::tickets::is_inline(t)).then(|| names.claim("gateway"));
        let mut windows = BTreeMap::new();
        for &(ticket, index) in &tickets.distinct {
            if device.rules.get(index).is_some_and(|r| r.window.is_some()) {
                windows.insert(ticket, names.claim(&format!("window_{ticket:08x}")));
            }
        }
        let chains = netfilter::chains(device, &mut names);
        let mut layout = Layout { sets: Vec::new(), chains, gateway, windows, names: BTreeMap::new() };
        for rule in &device.rules {
            for family in [Family::V4, Family::V6] {
                for hosts in [&rule.sources, &rule.destinations] {
                    let Hosts::Groups(groups) = hosts else { continue };
                    // A side with several groups is one anonymous set (see
                    // `hosts`); only a group alone on its side is named.
                    let present: Vec<&HostGroup> =
                        groups.iter().filter(|g| !netfilter::nets(g, family).is_empty()).collect();
                    if let [group] = present.as_slice() {
                        if let Some(key) = host_set(group, family) {
                            layout.add(&mut names, key);
                        }
                    }
                }
            }
            if let Some(key) = port_set(rule) {
                layout.add(&mut names, key);
            }
        }
        layout.sets.sort_by(|a, b| a.name.cmp(&b.name));
        layout
    }

    fn add(&mut self, names: &mut Names, key: (String, Elements)) {
        if self.names.contains_key(&key) {
            return;
        }
        let name = names.claim(&key.0);
        self.sets.push(Set { name: name.clone(), elements: key.1.clone() });
        self.names.insert(key, name);
    }

    /// A match per group of `hosts` with addresses in `family`, each with
    /// the group's name (`ip saddr @mes_v4`, `ip daddr 10.3.0.11`); one empty
    /// match, named `any`, for `any` or a line without addresses.
    pub(super) fn hosts(&self, hosts: &Hosts, family: Option<Family>, direction: &str) -> Vec<(String, String)> {
        let (Some(family), Hosts::Groups(groups)) = (family, hosts) else {
            return vec![(String::new(), "any".to_string())];
        };
        let keyword = match family {
            Family::V4 => "ip",
            Family::V6 => "ip6",
        };
        // Several hosts on one side of a flow: one anonymous set of their
        // summarised addresses, so the flow stays one rule per family.
        let present: Vec<&HostGroup> = groups.iter().filter(|g| !netfilter::nets(g, family).is_empty()).collect();
        if present.len() > 1 {
            let nets = netfilter::all_nets(hosts, family);
            let value = match nets.as_slice() {
                [one] => netfilter::address(one),
                _ => format!("{{ {} }}", nets.iter().map(netfilter::address).collect::<Vec<_>>().join(", ")),
            };
            let names = present.iter().map(|g| g.name.as_str()).collect::<Vec<_>>().join(", ");
            return vec![(format!("{keyword} {direction} {value}"), names)];
        }
        groups
            .iter()
            .filter_map(|group| {
                let value = match host_set(group, family) {
                    Some(key) => format!("@{}", self.names.get(&key)?),
                    None => netfilter::address(netfilter::nets(group, family).first()?),
                };
                Some((format!("{keyword} {direction} {value}"), group.name.clone()))
            })
            .collect()
    }

    /// `tcp dport 443`, `udp dport @ports_ethernet-ip`, or
    /// `meta l4proto . th dport @ports_https_dns`.
    pub(super) fn ports(&self, rule: &Rule) -> String {
        let ports = ports(rule);
        match (ports.as_slice(), port_set(rule)) {
            ([(transport, a, b)], _) => format!("{} dport {}", transport.as_str(), range(*a, *b)),
            (_, Some(key)) => {
                let name = self.names.get(&key).map(String::as_str).unwrap_or_default();
                match single_transport(&ports) {
                    Some(transport) => format!("{} dport @{name}", transport.as_str()),
                    None => format!("meta l4proto . th dport @{name}"),
                }
            }
            // Unreachable: `shape` refuses rules without ports.
            (_, None) => String::new(),
        }
    }
}

/// The set a group needs in `family`: none for a single prefix (or none).
fn host_set(group: &HostGroup, family: Family) -> Option<(String, Elements)> {
    let nets = netfilter::nets(group, family);
    let suffix = match family {
        Family::V4 => "v4",
        Family::V6 => "v6",
    };
    (nets.len() > 1).then(|| (format!("{}_{suffix}", group.name), Elements::Hosts(family, nets)))
}

/// The set a rule's ports need: none for a single port or range. Named
/// after the rule's services (`ports_https_dns`, raw ports as `tcp8080`);
/// the prefix keeps a service's name from reading as an nft keyword.
fn port_set(rule: &Rule) -> Option<(String, Elements)> {
    let ports = ports(rule);
    if ports.len() < 2 {
        return None;
    }
    let mut name: Vec<String> = rule
        .services
        .iter()
        .map(|s| {
            s.name
                .chars()
                .filter(|c| *c != '/')
                .map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' })
                .collect()
        })
        .collect();
    name.dedup();
    Some((format!("ports_{}", name.join("_")), Elements::Ports(ports)))
}

/// The rule's ports, merged per transport, sorted.
fn ports(rule: &Rule) -> Vec<(Transport, u16, u16)> {
    let mut by_transport: BTreeMap<Transport, Vec<(u16, u16)>> = BTreeMap::new();
    for p in rule.ports() {
        by_transport.entry(p.protocol).or_default().push((p.port, p.last().max(p.port)));
    }
    by_transport
        .into_iter()
        .flat_map(|(t, ranges)| netfilter::merge_ranges(ranges).into_iter().map(move |(a, b)| (t, a, b)))
        .collect()
}

fn single_transport(ports: &[(Transport, u16, u16)]) -> Option<Transport> {
    let first = ports.first()?.0;
    ports.iter().all(|p| p.0 == first).then_some(first)
}

pub(super) fn range(a: u16, b: u16) -> String {
    if a == b {
        a.to_string()
    } else {
        format!("{a}-{b}")
    }
}

/// The set's definition, one line per item.
pub(super) fn definition(set: &Set) -> Vec<String> {
    let (kind, interval, elements): (&str, bool, Vec<String>) = match &set.elements {
        Elements::Hosts(family, nets) => {
            let kind = match family {
                Family::V4 => "ipv4_addr",
                Family::V6 => "ipv6_addr",
            };
            (
                kind,
                nets.iter().any(|n| n.prefix_len() < n.max_prefix_len()),
                nets.iter().map(netfilter::address).collect(),
            )
        }
        Elements::Ports(ports) => {
            let interval = ports.iter().any(|p| p.1 != p.2);
            match single_transport(ports) {
                Some(_) => ("inet_service", interval, ports.iter().map(|p| range(p.1, p.2)).collect()),
                None => (
                    "inet_proto . inet_service",
                    interval,
                    ports.iter().map(|p| format!("{} . {}", p.0.as_str(), range(p.1, p.2))).collect(),
                ),
            }
        }
    };
    let mut lines = vec![format!("\tset {} {{", set.name), format!("\t\ttype {kind}")];
    if interval {
        lines.push("\t\tflags interval".to_string());
    }
    lines.push(format!("\t\telements = {{ {} }}", elements.join(", ")));
    lines.push("\t}".to_string());
    lines
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;
    use crate::enforcement::firewalls::nftables::netfilter::tests::{device, group, rule};

    #[test]
    fn single_prefixes_are_literal_and_groups_are_sets() {
        let plc = group("plc1", &["10.3.0.11/32"]);
        let scada = group("scada", &["10.4.0.10/32", "10.4.0.12/32", "fd00::4/128"]);
        let r = rule(
            Hosts::Groups(vec![plc.clone(), scada.clone()]),
            Hosts::Groups(vec![scada]),
            &[(Transport::Tcp, 502, None)],
        );
        let device = device(vec![r.clone()]);
        let layout = Layout::new(&device, &tickets(&device));
        let names: Vec<&str> = layout.sets.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["scada_v4"], "one IPv6 address needs no set; several groups on a side need none");
        let v4 = layout.hosts(&r.sources, Some(Family::V4), "saddr");
        assert_eq!(v4, [("ip saddr { 10.3.0.11, 10.4.0.10, 10.4.0.12 }".into(), "plc1, scada".into())]);
        let v6 = layout.hosts(&r.sources, Some(Family::V6), "saddr");
        assert_eq!(v6, [("ip6 saddr fd00::4".to_string(), "scada".to_string())]);
        assert_eq!(
            layout.hosts(&r.destinations, Some(Family::V4), "daddr"),
            [("ip daddr @scada_v4".into(), "scada".into())]
        );
        assert_eq!(layout.hosts(&Hosts::Any, Some(Family::V4), "daddr"), [(String::new(), "any".to_string())]);
        assert_eq!(definition(&layout.sets[0])[2], "\t\telements = { 10.4.0.10, 10.4.0.12 }");
    }

    #[test]
    fn port_lists_are_shared_sets() {
        let ports = [(Transport::Udp, 2222, None), (Transport::Udp, 44818, None)];
        let a = rule(Hosts::Any, Hosts::Any, &ports);
        let mut b = a.clone();
        b.flow = 2;
        let mixed = rule(
            Hosts::Any,
            Hosts::Any,
            &[(Transport::Tcp, 53, None), (Transport::Udp, 53, None), (Transport::Udp, 5000, Some(5010))],
        );
        let single = rule(Hosts::Any, Hosts::Any, &[(Transport::Udp, 5000, Some(5010))]);
        let device = device(vec![a.clone(), b, mixed.clone(), single.clone()]);
        let layout = Layout::new(&device, &tickets(&device));
        assert_eq!(layout.sets.len(), 2, "{:?}", layout.sets);
        assert_eq!(layout.ports(&a), "udp dport @ports_x");
        assert_eq!(layout.ports(&mixed), "meta l4proto . th dport @ports_x_2");
        assert_eq!(layout.ports(&single), "udp dport 5000-5010");
        let mixed_set = layout.sets.iter().find(|s| s.name == "ports_x_2").unwrap();
        assert_eq!(
            definition(mixed_set)[1..4],
            [
                "\t\ttype inet_proto . inet_service",
                "\t\tflags interval",
                "\t\telements = { tcp . 53, udp . 53, udp . 5000-5010 }"
            ]
        );
    }

    fn tickets(device: &DevicePolicy) -> Tickets {
        Tickets::new(device, kojo_stdlib::Catalogue::builtin().unwrap())
    }
}
