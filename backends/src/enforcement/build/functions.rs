//! The checks of function-limited flows: a gateway that inspects the
//! protocol, a firewall format that sends an inline flow through it, and
//! no two flows whose limits the gateway cannot keep apart.

use kojo_stdlib::{Catalogue, PortRange};

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
            if !backends.iter().any(|b| b.enforces_functions(catalogue, &service.name)) {
                problems.push(Unrenderable {
                    rule: Some(index),
                    message: format!(
                        "{flow} allows only the {} functions [{}], but no backend built for `{}` ({}) inspects {}",
                        service.name,
                        rule.functions.join(", "),
                        device.name,
                        names.join(", "),
                        service.name,
                    ),
                    help: format!(
                        "add a gateway backend that inspects {} (`suricata`) to `backend` in kojo.kdl, or to the device's own `device \"{}\"` block{}",
                        service.name,
                        device.name,
                        if rule.inline(catalogue) {
                            ", with `nftables` or `iptables` to send the flow through it inline"
                        } else {
                            ""
                        }
                    ),
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

/// Two flows of a device that may carry the same connection, one limited to
/// functions the other does not share: the gateway's rules match hosts and
/// ports, so the stricter flow's drops would hit the other's requests, and
/// which flow's rule a connection meets first decides whether it is
/// inspected at all. Refused rather than enforced by accident.
pub(super) fn check_overlaps(catalogue: &Catalogue, device: &DevicePolicy) -> Vec<Unrenderable> {
    let limits: Vec<Option<Limits>> = device.rules.iter().map(|r| Limits::of(catalogue, r)).collect();
    let ports: Vec<Vec<PortRange>> = device.rules.iter().map(Rule::ports).collect();
    let mut problems = Vec::new();
    // Only pairs with a limited flow: a plant's function-limited flows are
    // few beside its others, so this stays near linear in the flows.
    for (i, a) in device.rules.iter().enumerate().filter(|(i, _)| limits.get(*i).is_some_and(Option::is_some)) {
        for (j, b) in device.rules.iter().enumerate() {
            let (la, lb) = (limits.get(i).cloned().flatten(), limits.get(j).cloned().flatten());
            // A pair of limited flows is met twice: judge it once.
            if j == i || (lb.is_some() && j < i) || la == lb {
                continue;
            }
            let (pa, pb) = (ports.get(i).map_or(&[][..], Vec::as_slice), ports.get(j).map_or(&[][..], Vec::as_slice));
            if !overlap(a, b, pa, pb) {
                continue;
            }
            let describe = |r: &Rule, l: &Option<Limits>| match l {
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
            let (first, second) = if i < j { ((a, &la), (b, &lb)) } else { ((b, &lb), (a, &la)) };
            problems.push(Unrenderable {
                rule: Some(i.max(j)),
                message: format!(
                    "{} and {} can carry the same connections with different function limits; the gateway matches hosts and ports, so it would apply one flow's limits to the other's requests",
                    describe(first.0, first.1),
                    describe(second.0, second.1)
                ),
                help: "give both flows the same `functions`, or name hosts so that they do not overlap (e.g. list the sources of an `any` flow)"
                    .into(),
            });
        }
    }
    problems
}

/// What a gateway enforces for a flow: its limited services, functions and
/// inspection. `None`: the flow limits nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Limits {
    services: Vec<String>,
    functions: Vec<String>,
    inspection: crate::enforcement::policy::Inspection,
}

impl Limits {
    fn of(catalogue: &Catalogue, rule: &Rule) -> Option<Limits> {
        let mut services: Vec<String> = rule.limited_services(catalogue).map(|s| s.name.clone()).collect();
        if services.is_empty() {
            return None;
        }
        services.sort();
        let mut functions = rule.functions.clone();
        functions.sort();
        Some(Limits { services, functions, inspection: rule.inspection })
    }
}

/// Whether some packet could match both rules: the same interfaces, a
/// source and a destination address in common, and a port in common.
fn overlap(a: &Rule, b: &Rule, pa: &[PortRange], pb: &[PortRange]) -> bool {
    if a.from != b.from || a.to != b.to {
        return false;
    }
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
