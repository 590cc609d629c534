//! The Cisco ASA's crossing check: with a list in and a list out on every
//! interface, two flows' entries can together pass a connection neither
//! allows. Compared pair by pair within a [`Budget`]
//! ([`kojo_compiler::pairs`]).

use std::collections::BTreeMap;

use ipnet::IpNet;

use super::internal_networks;
use crate::enforcement::firewalls::vendor;
use crate::enforcement::pairs::{self, Budget};
use crate::enforcement::policy::{DevicePolicy, Hosts, Rule};
use crate::enforcement::Unrenderable;

/// Pairs of flows whose entries could together pass a connection neither
/// allows. With a list in and a list out on every interface, a connection
/// from interface X to W passes when some flow of X's list and some flow of
/// W's list match it; they are the same flow unless the two flows join
/// different interfaces and share hosts and ports. Denying the site's
/// networks to `any` ends rules that out except where both flows reach
/// outside the site (through `any`) on both ends, which an ASA cannot
/// tell apart.
pub(super) fn crossings(device: &DevicePolicy, pairs: &std::sync::Mutex<Budget>) -> Vec<Unrenderable> {
    let internal = internal_networks(device);
    let ports: Vec<Vec<kojo_stdlib::PortRange>> = device.rules.iter().map(Rule::ports).collect();
    // A connection that arrives by rule `a`'s interface and leaves by rule `b`'s.
    let crosses = |a: usize, b: usize| {
        let (Some(x), Some(y), Some(px), Some(py)) =
            (device.rules.get(a), device.rules.get(b), ports.get(a), ports.get(b))
        else {
            return false;
        };
        // An ASA does not send a connection out by the interface it came in by.
        x.from != y.from
            && x.to != y.to
            && x.from != y.to
            && px
                .iter()
                .any(|p| py.iter().any(|q| p.protocol == q.protocol && p.port <= q.last() && q.port <= p.last()))
            && overlap(&x.sources, &y.sources, &internal)
            && overlap(&x.destinations, &y.destinations, &internal)
    };
    // Ends of different zones share a host only through `any`, unless two
    // zones' addresses overlap: then a pair needs a rule with an `any` end.
    let any_end = |r: &Rule| r.sources == Hosts::Any || r.destinations == Hosts::Any;
    let every_pair = zones_share_addresses(device);
    // Only flows of interface pairs that can cross are compared (on a
    // device of two interfaces, none): a conduit of many flows would
    // otherwise cost their number squared.
    let mut by_interfaces: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
    for (i, rule) in device.rules.iter().enumerate() {
        by_interfaces.entry((rule.from, rule.to)).or_default().push(i);
    }
    let can_cross = |x: (usize, usize), y: (usize, usize)| x.0 != y.0 && x.1 != y.1 && x.0 != y.1;
    // Unless zones share addresses, a pair needs an `any` end: a rule
    // without one is compared only with the rules that have one.
    let mut any_ended: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
    for (group, members) in &by_interfaces {
        let with_any: Vec<usize> =
            members.iter().copied().filter(|&i| device.rules.get(i).is_some_and(any_end)).collect();
        if !with_any.is_empty() {
            any_ended.insert(*group, with_any);
        }
    }
    let mut problems = Vec::new();
    // A poisoned lock only means a panic elsewhere, caught; its count stands.
    let mut budget = pairs.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let sizes: Vec<usize> = device
        .rules
        .iter()
        .zip(&ports)
        .map(|(r, p)| p.len() + r.sources.nets().count() + r.destinations.nets().count())
        .collect();
    let refused = || {
        pairs::refusal(
            &device.name,
            "that no two of its access lists together pass a connection neither flow allows",
            &format!("name the hosts of the `any` ends, or build a format that matches both interfaces of a flow for `{}` (fortigate, juniper-srx, nftables) in its `device` block in kojo.kdl", device.name),
        )
    };
    for (i, a) in device.rules.iter().enumerate() {
        let groups = if every_pair || any_end(a) { &by_interfaces } else { &any_ended };
        // Scanning the groups is work too, even where none crosses.
        if !budget.spend(groups.len() as u64) {
            return vec![refused()];
        }
        let crossing = groups.iter().filter(|(g, _)| can_cross((a.from, a.to), **g) || can_cross(**g, (a.from, a.to)));
        let mut later: Vec<usize> = crossing
            .flat_map(|(_, members)| members.get(members.partition_point(|&j| j <= i)..).unwrap_or_default())
            .copied()
            .collect();
        later.sort_unstable();
        // The first flow `a` crosses with, and how many: one refusal per
        // flow, however many it crosses.
        let mut first: Option<(usize, usize, usize)> = None;
        let mut count = 0usize;
        for j in later {
            let Some(b) = device.rules.get(j) else { continue };
            if !every_pair && !any_end(a) && !any_end(b) {
                continue;
            }
            let cost = Budget::pair_cost(sizes.get(i).copied().unwrap_or(0), sizes.get(j).copied().unwrap_or(0));
            if !budget.spend(cost) {
                return vec![refused()];
            }
            let (from, to) = match (crosses(i, j), crosses(j, i)) {
                (true, _) => (a.from, b.to),
                (_, true) => (b.from, a.to),
                _ => continue,
            };
            count += 1;
            first = first.or(Some((j, from, to)));
        }
        let Some((j, from, to)) = first else { continue };
        let Some(b) = device.rules.get(j) else { continue };
        problems.push(problem(device, i, (a, b), (from, to), count));
    }
    problems
}

/// The refusal of flow `a` (rule `index`), which crosses `b` (and
/// `count - 1` more).
fn problem(
    device: &DevicePolicy,
    index: usize,
    (a, b): (&Rule, &Rule),
    (from, to): (usize, usize),
    count: usize,
) -> Unrenderable {
    let zone = |i: usize| device.interface(i).map(|i| i.zone_name.clone()).unwrap_or_default();
    let mut message = format!(
        "{} and {} could together let a connection from zone `{}` through to zone `{}`: an ASA access list cannot tell which interface a connection arrived by, and the two flows share ports and, through their `any` ends outside the site, hosts",
        vendor::flow_name(a),
        vendor::flow_name(b),
        zone(from),
        zone(to)
    );
    if count > 1 {
        message.push_str(&format!(" (and {} more later flows)", count - 1));
    }
    Unrenderable {
        rule: Some(index),
        message,
        help: format!(
            "name the hosts on one end of one of the flows, or build a format that matches both interfaces of a flow for `{}` (fortigate, juniper-srx, nftables) in its `device` block in kojo.kdl",
            device.name
        ),
    }
}

/// Whether an address of the hosts the rules name in one zone lies in a
/// network they name in another (external zones have no subnets to keep
/// their assets apart).
fn zones_share_addresses(device: &DevicePolicy) -> bool {
    let mut spans: Vec<(bool, u128, u128, usize)> = Vec::new();
    for rule in &device.rules {
        for (hosts, zone) in [(&rule.sources, rule.from), (&rule.destinations, rule.to)] {
            for net in hosts.nets() {
                let (v6, start, end) = match net {
                    IpNet::V4(n) => (false, u128::from(n.network().to_bits()), u128::from(n.broadcast().to_bits())),
                    IpNet::V6(n) => (true, n.network().to_bits(), n.broadcast().to_bits()),
                };
                spans.push((v6, start, end, zone));
            }
        }
    }
    spans.sort_unstable();
    // The furthest-reaching span so far, and the furthest of another zone.
    let mut first: Option<(bool, u128, usize)> = None;
    let mut second: Option<(bool, u128)> = None;
    for (v6, start, end, zone) in spans {
        if first.is_some_and(|(f, _, _)| f != v6) {
            (first, second) = (None, None);
        }
        match first {
            Some((_, reach, z)) if z != zone && start <= reach => return true,
            Some((_, _, z)) if z == zone && second.is_some_and(|(_, reach)| start <= reach) => return true,
            _ => {}
        }
        match first {
            Some((_, reach, z)) if end <= reach => {
                if z != zone && second.is_none_or(|(_, r)| end > r) {
                    second = Some((v6, end));
                }
            }
            Some((_, reach, z)) => {
                if z != zone {
                    second = Some((v6, reach));
                }
                first = Some((v6, end, zone));
            }
            None => first = Some((v6, end, zone)),
        }
    }
    false
}

/// Whether two ends can share a host, `any` standing for every address
/// outside the site's networks (the lists deny those to it).
pub(super) fn overlap(a: &Hosts, b: &Hosts, internal: &[IpNet]) -> bool {
    let outside = |n: &IpNet| !internal.iter().any(|i| i.contains(n));
    match (a, b) {
        (Hosts::Any, Hosts::Any) => true,
        (Hosts::Any, other) | (other, Hosts::Any) => other.nets().any(outside),
        (a, b) => a.nets().any(|x| b.nets().any(|y| x.contains(y) || y.contains(x))),
    }
}
