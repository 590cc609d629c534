//! The checks of function-limited flows: a gateway that inspects the
//! protocol, a firewall format that sends an inline flow through it, and
//! no two flows whose limits the gateway cannot keep apart.

use std::collections::BTreeMap;

use kojo_stdlib::{Catalogue, PortRange};

use crate::enforcement::pairs::Budget;
use crate::enforcement::policy::{DevicePolicy, Hosts, Rule};
use crate::enforcement::{Backend, Kind, Unrenderable};

/// Flows restricted to protocol functions need a selected backend that
/// inspects them; a packet filter alone would let every function through.
/// An inline flow also needs a firewall format that sends it through the
/// gateway, and no firewall format that would let it past the gateway.
pub(super) fn check_functions(
    catalogue: &Catalogue,
    device: &DevicePolicy,
    backends: &[&'static dyn Backend],
) -> Vec<Unrenderable> {
    if backends.is_empty() {
        return Vec::new();
    }
    let names: Vec<&str> = backends.iter().map(|b| b.name()).collect();
    // A description of the policy (`json`) neither enforces nor bypasses.
    let firewalls: Vec<&dyn Backend> =
        backends.iter().copied().filter(|b| b.capabilities().kind == Kind::Firewall && !b.describes_only()).collect();
    let mut problems = Vec::new();
    for (index, rule) in device.rules.iter().enumerate() {
        let flow = format!("flow {} of conduit `{}`", rule.flow, rule.conduit_name);
        for service in rule.limited_services(catalogue) {
            if !backends.iter().any(|b| b.enforces_functions(catalogue, &service.id)) {
                problems.push(Unrenderable {
                    rule: Some(index),
                    message: format!(
                        "{flow} allows only the {} functions [{}], but no backend built for `{}` ({}) inspects {}",
                        service.id,
                        rule.functions.join(", "),
                        device.name,
                        names.join(", "),
                        service.id,
                    ),
                    help: functions_help(catalogue, &service.id, &device.name, rule.inline(catalogue)),
                });
            }
        }
        if !rule.inline(catalogue) {
            continue;
        }
        let help = format!(
            "build `{}` with a firewall format that sends the flow through Suricata inline (nftables, iptables), or write `inspection monitor` in conduit `{}` if an alert is all this device can give",
            device.name, rule.conduit_name
        );
        for firewall in firewalls.iter().filter(|b| !b.sends_inline()) {
            problems.push(Unrenderable {
                rule: Some(index),
                message: format!(
                    "{flow} is limited to [{}] and inspected inline, but {} cannot send its packets through the gateway: it would let every function through",
                    rule.functions.join(", "),
                    firewall.name()
                ),
                help: help.clone(),
            });
        }
        if firewalls.is_empty() {
            problems.push(Unrenderable {
                rule: Some(index),
                message: format!(
                    "{flow} is limited to [{}] and inspected inline, but no firewall format built for `{}` ({}) sends its packets through the gateway",
                    rule.functions.join(", "),
                    device.name,
                    names.join(", ")
                ),
                help,
            });
        }
    }
    problems
}

/// How to get a function-limited flow built: a gateway format that
/// inspects the service where kojo has one; where none has, no manifest
/// setting helps, and the limit has to go or move to the device.
fn functions_help(catalogue: &Catalogue, service: &str, device: &str, inline: bool) -> String {
    let gateways: Vec<&str> = crate::enforcement::all()
        .iter()
        .filter(|b| b.enforces_functions(catalogue, service))
        .map(|b| b.name())
        .collect();
    if gateways.is_empty() {
        return format!(
            "no gateway kojo generates can recognise {service} functions (the service catalogue has no inspection data for them): remove `functions` from the flow and limit them at the device itself, or carry the traffic over a service whose functions a gateway inspects (`kojo explain {service}`)"
        );
    }
    format!(
        "add a gateway backend that inspects {service} (`{}`) to `backend` in kojo.kdl, or to the device's own `device \"{device}\"` block{}",
        gateways.join("`, `"),
        if inline { ", with `nftables` or `iptables` to send the flow through it inline" } else { "" }
    )
}

/// Two flows of a device that may carry the same connection, one limited to
/// functions the other does not share: the gateway's rules match hosts and
/// ports, so the stricter flow's drops would hit the other's requests, and
/// which flow's rule a connection meets first decides whether it is
/// inspected at all. Refused rather than enforced by accident.
pub(super) fn check_overlaps(
    catalogue: &Catalogue,
    device: &DevicePolicy,
    pairs: &std::sync::Mutex<Budget>,
) -> Vec<Unrenderable> {
    let limits: Vec<Option<Limits>> = device.rules.iter().map(|r| Limits::of(catalogue, r)).collect();
    let ports: Vec<Vec<PortRange>> = device.rules.iter().map(Rule::ports).collect();
    // Packets of different interface pairs never meet, and flows of the
    // same limits never conflict: only flows of one interface pair and
    // different limits are compared (none where no flow is limited).
    let mut classes: BTreeMap<(usize, usize), ByLimits<'_>> = BTreeMap::new();
    for (i, (rule, limit)) in device.rules.iter().zip(&limits).enumerate() {
        classes.entry((rule.from, rule.to)).or_default().entry(limit).or_default().push(i);
    }
    // By the later flow: the earliest flow it overlaps, and how many. One
    // refusal per flow, however many it overlaps (a conduit of hundreds of
    // limited and unlimited flows would otherwise be refused pair by pair).
    let mut overlaps: BTreeMap<usize, (usize, usize)> = BTreeMap::new();
    // A poisoned lock only means a panic elsewhere, caught; its count stands.
    let mut budget = pairs.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    // What comparing a flow costs: its ports and hosts, each against the
    // other flow's.
    let size = |i: usize| {
        let rule = device.rules.get(i);
        let nets = |h: Option<&Hosts>| h.map_or(0, |h| h.nets().count());
        ports.get(i).map_or(0, Vec::len) + nets(rule.map(|r| &r.sources)) + nets(rule.map(|r| &r.destinations))
    };
    let sizes: Vec<usize> = (0..device.rules.len()).map(size).collect();
    for by_limits in classes.values().filter(|c| c.len() > 1) {
        let groups: Vec<&Vec<usize>> = by_limits.values().collect();
        for (n, xs) in groups.iter().enumerate() {
            for ys in groups.iter().skip(n + 1) {
                for (&x, &y) in xs.iter().flat_map(|x| ys.iter().map(move |y| (x, y))) {
                    let cost =
                        Budget::pair_cost(sizes.get(x).copied().unwrap_or(0), sizes.get(y).copied().unwrap_or(0));
                    if !budget.spend(cost) {
                        return vec![super::super::pairs::refusal(
                            &device.name,
                            "that no two of different function limits overlap",
                            "give the flows of one conduit the same `functions`, or split the limited flows over conduits of their own (through other interfaces)",
                        )];
                    }
                    let (i, j) = (x.min(y), x.max(y));
                    let (Some(a), Some(b), Some(pa), Some(pb)) =
                        (device.rules.get(i), device.rules.get(j), ports.get(i), ports.get(j))
                    else {
                        continue;
                    };
                    if overlap(a, b, pa, pb) {
                        let entry = overlaps.entry(j).or_insert((i, 0));
                        *entry = (entry.0.min(i), entry.1 + 1);
                    }
                }
            }
        }
    }
    let mut problems = Vec::new();
    for (j, (i, count)) in overlaps {
        let (Some(a), Some(b), Some(la), Some(lb)) =
            (device.rules.get(i), device.rules.get(j), limits.get(i), limits.get(j))
        else {
            continue;
        };
        let mut problem = overlap_problem(j, (a, la), (b, lb));
        if count > 1 {
            problem.message.push_str(&format!(" (it overlaps {} other flows with other limits too)", count - 1));
        }
        problems.push(problem);
    }
    problems
}

/// The flows of one interface pair by their limits.
type ByLimits<'a> = BTreeMap<&'a Option<Limits>, Vec<usize>>;

/// The refusal of two overlapping flows, at the later one.
fn overlap_problem(at: usize, first: (&Rule, &Option<Limits>), second: (&Rule, &Option<Limits>)) -> Unrenderable {
    let describe = |(r, l): (&Rule, &Option<Limits>)| match l {
        Some(l) => format!(
            "flow {} of conduit `{}` ({} [{}], {})",
            r.flow,
            r.conduit_name,
            l.services.join(", "),
            l.functions.join(", "),
            l.inspection.id()
        ),
        None => format!("flow {} of conduit `{}` (every function)", r.flow, r.conduit_name),
    };
    Unrenderable {
        rule: Some(at),
        message: format!(
            "{} and {} can carry the same connections with different function limits; the gateway matches hosts and ports, so it would apply one flow's limits to the other's requests",
            describe(first),
            describe(second)
        ),
        help: "give both flows the same `functions`, or name hosts so that they do not overlap (e.g. list the sources of an `any` flow)"
            .into(),
    }
}

/// What a gateway enforces for a flow: its limited services, functions and
/// inspection. `None`: the flow limits nothing.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Limits {
    services: Vec<String>,
    functions: Vec<String>,
    inspection: crate::enforcement::policy::Inspection,
}

impl Limits {
    fn of(catalogue: &Catalogue, rule: &Rule) -> Option<Limits> {
        let mut services: Vec<String> = rule.limited_services(catalogue).map(|s| s.id.clone()).collect();
        if services.is_empty() {
            return None;
        }
        services.sort();
        let mut functions = rule.functions.clone();
        functions.sort();
        Some(Limits { services, functions, inspection: rule.inspection })
    }
}

/// Whether some packet could match two rules of one interface pair: a
/// source and a destination address in common, and a port in common.
fn overlap(a: &Rule, b: &Rule, pa: &[PortRange], pb: &[PortRange]) -> bool {
    let hosts = |x: &Hosts, y: &Hosts| match (x, y) {
        (Hosts::Any, _) | (_, Hosts::Any) => true,
        _ => x.nets().any(|n| y.nets().any(|m| n.contains(m) || m.contains(n))),
    };
    let ports = pa.iter().any(|p| {
        pb.iter()
            .any(|q| p.protocol == q.protocol && p.port <= q.end.unwrap_or(q.port) && q.port <= p.end.unwrap_or(p.port))
    });
    ports && hosts(&a.sources, &b.sources) && hosts(&a.destinations, &b.destinations)
}
