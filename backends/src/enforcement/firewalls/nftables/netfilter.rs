//! What the two Linux netfilter formats (nftables and iptables-restore)
//! share: splitting a rule into the address families it can match, the
//! port sets it allows and the UTC slots of its window; naming chains and
//! sets without collisions; and quoting comments so the loaders accept them.
//!
//! Both renderers call [`shape`] first, so a flow either one refuses is
//! refused by the other for the same reason.

use std::collections::{BTreeMap, BTreeSet};

use ipnet::IpNet;
use kojo_compiler::types::{Slot, Weekday};
use kojo_stdlib::Transport;

use crate::enforcement::policy::{DevicePolicy, Family, HostGroup, Hosts, Rule};
use crate::enforcement::Unrenderable;

/// The seconds in a day; netfilter matches the time of day in seconds.
pub(crate) const DAY: u32 = 86_400;

/// One rule, cut into what a netfilter line can match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Shape {
    /// The families to render, each on its own lines; `None`: neither side
    /// names addresses, so one line matches both.
    pub families: Vec<Option<Family>>,
    /// Port sets, each on its own lines.
    pub ports: Vec<PortSet>,
    /// When the rule applies, in UTC; `None`: always.
    pub slots: Option<Vec<Slot>>,
}

/// Destination ports that one line matches, on one or more transports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PortSet {
    /// Sorted; several only when every transport allows the same ports.
    pub transports: Vec<Transport>,
    /// Sorted, merged, inclusive ranges.
    pub ranges: Vec<(u16, u16)>,
}

/// Splits `rule` (the device's rule number `index`) for a netfilter target,
/// or says why the target cannot render it.
pub(crate) fn shape(target: &str, index: usize, rule: &Rule) -> Result<Shape, Unrenderable> {
    let flow = format!("flow {} of conduit `{}`", rule.flow, rule.conduit_name);
    let refuse = |message: String, help: &str| Unrenderable { rule: Some(index), message, help: help.to_string() };
    let families = families(rule).ok_or_else(|| {
        refuse(
            format!("{flow} has no address family on both ends (its sources and destinations are not both IPv4 or both IPv6), so {target} could match no packet of it"),
            "give the hosts of both ends addresses of the same family",
        )
    })?;
    let ports = port_sets(rule);
    if ports.is_empty() {
        return Err(refuse(
            format!("{flow} names no port, and {target} matches flows by port"),
            "name a service or a `port` in the flow",
        ));
    }
    let slots = match &rule.window {
        None => None,
        Some(window) => {
            let slots = window.slots_in("UTC").map_err(|e| {
                refuse(
                    format!("{flow}: {target} matches times in UTC, and {}", e.message),
                    "write the window in a zone without daylight saving, or in UTC",
                )
            })?;
            if slots.is_empty() {
                return Err(refuse(format!("{flow} has a window with no day in it"), "name the days of the window"));
            }
            let always = slots.iter().any(|s| s.days.len() == Weekday::ALL.len() && s.start == 0 && s.end == 1440);
            (!always).then_some(slots)
        }
    };
    Ok(Shape { families, ports, slots })
}

/// The families a rule can match: those both ends have addresses in.
fn families(rule: &Rule) -> Option<Vec<Option<Family>>> {
    let side = |hosts: &Hosts| match hosts {
        Hosts::Any => None,
        Hosts::Groups(_) => Some(hosts.nets().map(Family::of).collect::<BTreeSet<Family>>()),
    };
    let families: Vec<Option<Family>> = match (side(&rule.sources), side(&rule.destinations)) {
        (None, None) => return Some(vec![None]),
        (Some(one), None) | (None, Some(one)) => one.into_iter().map(Some).collect(),
        (Some(a), Some(b)) => a.intersection(&b).copied().map(Some).collect(),
    };
    (!families.is_empty()).then_some(families)
}

/// The rule's ports, one set per transport, or one set for every transport
/// when they allow the same ports (DNS on TCP and UDP).
fn port_sets(rule: &Rule) -> Vec<PortSet> {
    let mut by_transport: BTreeMap<Transport, Vec<(u16, u16)>> = BTreeMap::new();
    for range in rule.ports() {
        by_transport.entry(range.protocol).or_default().push((range.port, range.last().max(range.port)));
    }
    let merged: Vec<(Transport, Vec<(u16, u16)>)> =
        by_transport.into_iter().map(|(t, ranges)| (t, merge_ranges(ranges))).collect();
    let mut sets: Vec<PortSet> = Vec::new();
    for (transport, ranges) in merged {
        match sets.iter_mut().find(|s| s.ranges == ranges) {
            Some(set) => set.transports.push(transport),
            None => sets.push(PortSet { transports: vec![transport], ranges }),
        }
    }
    sets
}

/// Sorted, with overlapping and adjacent ranges joined (netfilter refuses
/// overlapping intervals in one set).
pub(crate) fn merge_ranges(mut ranges: Vec<(u16, u16)>) -> Vec<(u16, u16)> {
    ranges.sort_unstable();
    let mut out: Vec<(u16, u16)> = Vec::new();
    for (start, end) in ranges {
        match out.last_mut() {
            Some(last) if u32::from(start) <= u32::from(last.1) + 1 => last.1 = last.1.max(end),
            _ => out.push((start, end)),
        }
    }
    out
}

/// The group's addresses in `family`, summarised into the fewest prefixes.
pub(crate) fn nets(group: &HostGroup, family: Family) -> Vec<IpNet> {
    let nets: Vec<IpNet> = group.nets.iter().filter(|n| Family::of(n) == family).copied().collect();
    IpNet::aggregate(&nets)
}

/// Every address of `hosts` in `family`, summarised; empty for `any`.
pub(crate) fn all_nets(hosts: &Hosts, family: Family) -> Vec<IpNet> {
    let nets: Vec<IpNet> = hosts.nets().filter(|n| Family::of(n) == family).copied().collect();
    IpNet::aggregate(&nets)
}

/// An address as loaders print it: hosts without their `/32` or `/128`.
pub(crate) fn address(net: &IpNet) -> String {
    if net.prefix_len() == net.max_prefix_len() {
        net.addr().to_string()
    } else {
        net.to_string()
    }
}

/// The rule's comment, cut to `max` bytes and safe inside double quotes
/// (neither format has escapes that both loaders agree on).
pub(crate) fn comment(rule: &Rule, max: usize) -> String {
    quoted(&rule.comment(), max)
}

/// `text` without double quotes, backslashes or control characters, at
/// most `max` bytes.
pub(crate) fn quoted(text: &str, max: usize) -> String {
    let clean: String = text
        .chars()
        .map(|c| match c {
            '"' => '\'',
            '\\' => '/',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    truncate(&clean, max)
}

/// At most `max` bytes of `text`, cut at a character boundary.
pub(crate) fn truncate(text: &str, max: usize) -> String {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.get(..end).unwrap_or_default().to_string()
}

/// The log prefix of denied packets: names the device and where they were
/// dropped, within iptables' 29 characters (nftables uses the same text).
pub(crate) fn log_prefix(device: &DevicePolicy, hook: &str) -> String {
    let fixed = format!("kojo  drop {hook}: ");
    let room = 29usize.saturating_sub(fixed.len());
    format!("kojo {} drop {hook}: ", truncate(&quoted(&device.name, room), room))
}

/// `HH:MM` for minutes after midnight.
pub(crate) fn hhmm(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// A slot for people: `Mon,Tue 00:00-09:00`.
pub(crate) fn describe(slot: &Slot) -> String {
    let days: Vec<&str> = slot.days.iter().map(|d| d.as_str()).collect();
    format!("{} {}-{}", days.join(","), hhmm(slot.start), hhmm(slot.end))
}

/// The note above a windowed flow's lines: the window as written and,
/// unless it is written in UTC, its slots in UTC.
pub(crate) fn window_note(rule: &Rule, slots: &[Slot]) -> Option<String> {
    let window = rule.window.as_ref()?;
    if window.zone == "UTC" {
        return Some(format!("window {window}"));
    }
    let utc: Vec<String> = slots.iter().map(|s| format!("{} UTC", describe(s))).collect();
    Some(format!("window {window}, in UTC: {}", utc.join("; ")))
}

/// Unique chain and set names, each at most `max` bytes: a name already
/// taken (two zone pairs or two groups that would read the same) gets
/// `_2`, `_3`…, in the order names are claimed.
#[derive(Debug)]
pub(crate) struct Names {
    taken: BTreeSet<String>,
    max: usize,
}

impl Names {
    /// `reserved` names are never handed out (the built-in chains).
    pub(crate) fn new(max: usize, reserved: &[&str]) -> Self {
        Names { taken: reserved.iter().map(|r| r.to_string()).collect(), max }
    }

    pub(crate) fn claim(&mut self, wanted: &str) -> String {
        let first = truncate(wanted, self.max);
        if self.taken.insert(first.clone()) {
            return first;
        }
        let mut n = 2usize;
        loop {
            let suffix = format!("_{n}");
            let name = format!("{}{suffix}", truncate(wanted, self.max.saturating_sub(suffix.len())));
            if self.taken.insert(name.clone()) {
                return name;
            }
            n += 1;
        }
    }
}

/// The chain of one zone pair: both Linux formats give each pair of
/// interfaces (entered, left) a chain of its own.
#[derive(Debug)]
pub(crate) struct Chain {
    pub name: String,
    pub from: usize,
    pub to: usize,
    /// Indexes into the device's rules, in source order.
    pub rules: Vec<usize>,
}

/// Every zone pair's chain, sorted by pair, named `<from>_to_<to>` by `names`.
pub(crate) fn chains(device: &DevicePolicy, names: &mut Names) -> Vec<Chain> {
    let mut pairs: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
    for (index, rule) in device.rules.iter().enumerate() {
        pairs.entry((rule.from, rule.to)).or_default().push(index);
    }
    let zone = |i: usize| device.interface(i).map(|i| i.zone_name.as_str()).unwrap_or("unknown");
    pairs
        .into_iter()
        .map(|((from, to), rules)| Chain {
            name: names.claim(&format!("{}_to_{}", zone(from), zone(to))),
            from,
            to,
            rules,
        })
        .collect()
}

/// Every rule's shape, or every reason the device cannot be rendered by a
/// Linux rule set (its interfaces' names, and each rule's own).
pub(crate) fn shapes(target: &str, device: &DevicePolicy) -> Result<Vec<Shape>, Vec<Unrenderable>> {
    let mut problems = interface_problems(target, device);
    let mut shapes = Vec::new();
    for (index, rule) in device.rules.iter().enumerate() {
        match shape(target, index, rule) {
            Ok(shape) => shapes.push(shape),
            Err(problem) => problems.push(problem),
        }
    }
    if problems.is_empty() {
        Ok(shapes)
    } else {
        Err(problems)
    }
}

/// Interfaces a Linux rule set cannot name: `/` and `:` are the vendor
/// formats' `Gi0/1`, never a Linux device, so a rule on one would match
/// nothing. (Two zones on one interface are refused for every firewall by
/// `build`.)
pub(crate) fn interface_problems(target: &str, device: &DevicePolicy) -> Vec<Unrenderable> {
    let mut problems = Vec::new();
    for interface in &device.interfaces {
        let (name, zone) = (interface.name.as_str(), interface.zone_name.as_str());
        if name.contains(['/', ':']) || name == "." || name == ".." {
            problems.push(Unrenderable {
                rule: None,
                message: format!(
                    "`{name}` (the interface of `{}` in zone {zone}) cannot be a Linux interface name, so {target} rules on it would match nothing",
                    device.name
                ),
                help: format!(
                    "give each zone its Linux interface (or VLAN interface) in kojo.kdl: `device \"{}\" {{ interface \"{zone}\" \"eth2\" }}`",
                    device.name
                ),
            });
        }
    }
    problems
}

#[cfg(test)]
pub(crate) mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;
    use crate::enforcement::policy::ServiceMatch;
    use kojo_compiler::model::ConduitId;
    use kojo_compiler::types::TimeWindow;
    use kojo_stdlib::PortRange;

    /// A device named `fw` with these rules and no interfaces.
    pub(crate) fn device(rules: Vec<Rule>) -> crate::enforcement::policy::DevicePolicy {
        crate::enforcement::policy::DevicePolicy {
            device: kojo_compiler::model::AssetId(0),
            name: "fw".into(),
            title: None,
            interfaces: Vec::new(),
            rules,
            timezone: "UTC".into(),
        }
    }

    pub(crate) fn group(name: &str, nets: &[&str]) -> HostGroup {
        HostGroup { name: name.into(), nets: nets.iter().map(|n| n.parse().unwrap()).collect(), zone_any: false }
    }

    pub(crate) fn rule(sources: Hosts, destinations: Hosts, ports: &[(Transport, u16, Option<u16>)]) -> Rule {
        Rule {
            conduit: ConduitId(0),
            conduit_name: "a_to_b".into(),
            flow: 1,
            origin: "conduits.kojo:3".into(),
            from: 0,
            to: 1,
            sources,
            destinations,
            services: ports
                .iter()
                .map(|&(protocol, port, end)| ServiceMatch {
                    name: "x".into(),
                    catalogued: false,
                    ports: vec![PortRange { protocol, port, end }],
                })
                .collect(),
            functions: Vec::new(),
            inspection: Default::default(),
            window: None,
            tier: None,
            log: false,
            one_way: false,
            remote_access: false,
        }
    }

    #[test]
    fn families_are_those_both_ends_share() {
        let v4 = Hosts::Groups(vec![group("a", &["10.0.0.1/32"])]);
        let dual = Hosts::Groups(vec![group("b", &["10.0.0.2/32", "fd00::2/128"])]);
        let v6 = Hosts::Groups(vec![group("c", &["fd00::3/128"])]);
        let tcp = [(Transport::Tcp, 22, None)];
        let of = |s: &Hosts, d: &Hosts| shape("nftables", 0, &rule(s.clone(), d.clone(), &tcp)).map(|s| s.families);
        assert_eq!(of(&Hosts::Any, &Hosts::Any).unwrap(), [None]);
        assert_eq!(of(&Hosts::Any, &dual).unwrap(), [Some(Family::V4), Some(Family::V6)]);
        assert_eq!(of(&v4, &dual).unwrap(), [Some(Family::V4)]);
        assert_eq!(of(&dual, &v6).unwrap(), [Some(Family::V6)]);
        let err = of(&v4, &v6).unwrap_err();
        assert!(err.message.contains("flow 1 of conduit `a_to_b`"), "{}", err.message);
        assert_eq!(err.rule, Some(0));
        assert!(of(&Hosts::Groups(Vec::new()), &Hosts::Any).is_err(), "no hosts at all matches nothing");
    }

    #[test]
    fn ports_merge_and_share_transports() {
        let r = rule(
            Hosts::Any,
            Hosts::Any,
            &[
                (Transport::Udp, 53, None),
                (Transport::Tcp, 53, None),
                (Transport::Tcp, 8080, Some(8090)),
                (Transport::Tcp, 8085, Some(8100)),
                (Transport::Tcp, 8101, None),
                (Transport::Udp, 8080, Some(8101)),
            ],
        );
        let s = shape("nftables", 0, &r).unwrap();
        assert_eq!(
            s.ports,
            [PortSet { transports: vec![Transport::Tcp, Transport::Udp], ranges: vec![(53, 53), (8080, 8101)] }]
        );
        let r = rule(
            Hosts::Any,
            Hosts::Any,
            &[(Transport::Tcp, 502, None), (Transport::Udp, 502, None), (Transport::Udp, 503, None)],
        );
        let s = shape("nftables", 0, &r).unwrap();
        assert_eq!(s.ports.len(), 2);
        assert_eq!(s.ports[1].ranges, [(502, 503)]);
        assert!(shape("nftables", 0, &rule(Hosts::Any, Hosts::Any, &[])).is_err());
    }

    #[test]
    fn windows_shift_to_utc() {
        let mut r = rule(Hosts::Any, Hosts::Any, &[(Transport::Tcp, 443, None)]);
        r.window = Some(TimeWindow::parse("Mon-Sat 07:00-22:00 Asia/Tokyo").unwrap());
        let slots = shape("nftables", 0, &r).unwrap().slots.unwrap();
        let text: Vec<String> = slots.iter().map(describe).collect();
        assert_eq!(text, ["Mon,Tue,Wed,Thu,Fri,Sat 00:00-13:00", "Mon,Tue,Wed,Thu,Fri,Sun 22:00-24:00"]);
        r.window = Some(TimeWindow::parse("Mon-Sun 00:00-24:00 UTC").unwrap());
        assert_eq!(shape("nftables", 0, &r).unwrap().slots, None, "a window that is always open needs no match");
        r.window = Some(TimeWindow::parse("Mon 09:00-17:00 Europe/Berlin").unwrap());
        let err = shape("nftables", 0, &r).unwrap_err();
        assert!(err.message.contains("daylight saving"), "{}", err.message);
    }

    #[test]
    fn addresses_are_summarised() {
        let g = group("g", &["10.0.0.10/32", "10.0.0.11/32", "10.0.0.13/32", "fd00::1/128"]);
        let v4: Vec<String> = nets(&g, Family::V4).iter().map(address).collect();
        assert_eq!(v4, ["10.0.0.10/31", "10.0.0.13"]);
        assert_eq!(nets(&g, Family::V6).iter().map(address).collect::<Vec<_>>(), ["fd00::1"]);
    }

    #[test]
    fn names_never_collide() {
        let mut names = Names::new(12, &["forward"]);
        assert_eq!(names.claim("forward"), "forward_2");
        assert_eq!(names.claim("a_to_b_to_c"), "a_to_b_to_c");
        assert_eq!(names.claim("a_to_b_to_c"), "a_to_b_to__2", "cut to fit the suffix");
        assert_eq!(names.claim("a_very_long_zone_name"), "a_very_long_");
        assert_eq!(names.claim("a_very_long_zone_other"), "a_very_lon_2");
    }

    #[test]
    fn comments_and_prefixes_fit() {
        assert_eq!(quoted("a \"b\"\\c\nd", 100), "a 'b'/c d");
        assert_eq!(quoted("日本語", 4), "日");
        let mut device = DevicePolicy {
            device: kojo_compiler::model::AssetId(0),
            name: "fw_floor".into(),
            title: None,
            interfaces: Vec::new(),
            rules: Vec::new(),
            timezone: "UTC".into(),
        };
        assert_eq!(log_prefix(&device, "fwd"), "kojo fw_floor drop fwd: ");
        device.name = "a_firewall_with_a_long_name".into();
        let prefix = log_prefix(&device, "fwd");
        assert!(prefix.len() <= 29, "{prefix}");
        assert_eq!(prefix, "kojo a_firewall_wi drop fwd: ");
    }
}
