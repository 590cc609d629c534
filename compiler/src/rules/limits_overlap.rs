//! `FUNCTION-LIMITS-OVERLAP`: two flows through one device that can carry
//! the same connection with different function limits.
//!
//! A gateway's rules match hosts and ports, not flows: where a flow limited
//! to `functions [read]` and another flow of the same device (between the
//! same zones) can carry the same connection with other limits, or none,
//! one flow's drops would fall on the other's requests, and which rule a
//! connection meets first would decide whether it is inspected at all.
//! `kojo build` refuses such a pair for a device it builds a gateway for,
//! and a device with a function-limited flow is refused without one; so
//! whatever the manifest selects, the pair does not build. The check
//! reports it first, from the model and the catalogue alone.

use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;

use ipnet::IpNet;
use kojo_lang::ast::EntityKind;
use kojo_lang::Severity;

use super::boundary;
use super::{Context, Finding, Rule};
use crate::model::{AssetId, Conduit, EntityRef, Flow, FlowEnd, Inspection, Model, Traffic, ZoneId};
use crate::pairs::Budget;

pub const RULE: Rule =
    Rule { id: "FUNCTION-LIMITS-OVERLAP", severity: Severity::Error, applies_to: &[EntityKind::Conduit], check };

/// A flow as a gateway matches it.
struct Matched<'a> {
    conduit: &'a Conduit,
    number: usize,
    flow: &'a Flow,
    /// `None`: every function; else the limited services, the functions
    /// and the inspection, sorted.
    limits: Option<(Vec<String>, Vec<String>, Inspection)>,
    sources: Option<Vec<IpNet>>,
    destinations: Option<Vec<IpNet>>,
    ports: Vec<(kojo_stdlib::Transport, u16, u16)>,
}

fn check(ctx: &Context<'_>) -> Vec<Finding> {
    // Flows by enforcing device and zone pair: only they meet one gateway
    // on one path.
    let mut groups: BTreeMap<(AssetId, ZoneId, ZoneId), Vec<Matched<'_>>> = BTreeMap::new();
    for conduit in &ctx.model.conduits {
        let Some(device) = conduit.enforced_by else { continue };
        for (index, flow) in conduit.flows.iter().enumerate() {
            let matched = matched(ctx, conduit, index + 1, flow);
            groups.entry((device, conduit.from, conduit.to)).or_default().push(matched);
        }
    }
    let mut findings = Vec::new();
    // Bounded for the whole plant, not per device: a crafted plant of many
    // devices would multiply a budget each had of its own.
    let mut budget = Budget::new();
    'groups: for flows in groups.values() {
        // Flows a gateway matches alike cannot conflict with each other:
        // the first of each stands for the rest, so that a pull request of
        // thousands of copies costs what one does.
        let mut seen = BTreeSet::new();
        let unique: Vec<&Matched<'_>> = flows.iter().filter(|f| seen.insert(signature(f))).collect();
        // Pairs with a limited flow only, so that a device of many
        // unlimited flows stays linear; each unordered pair once; one
        // finding per later flow, naming the first it overlaps.
        let mut reported = BTreeSet::new();
        let size = |m: &Matched<'_>| {
            m.ports.len() + m.sources.as_ref().map_or(0, Vec::len) + m.destinations.as_ref().map_or(0, Vec::len)
        };
        for (i, a) in unique.iter().enumerate().filter(|(_, f)| f.limits.is_some()) {
            for (j, b) in unique.iter().enumerate() {
                let both_limited = b.limits.is_some();
                let skipped = i == j || (both_limited && j < i) || a.limits == b.limits;
                let cost = if skipped { 1 } else { Budget::pair_cost(size(a), size(b)) };
                if !budget.spend(cost) {
                    findings.push(too_many(a));
                    break 'groups;
                }
                if skipped {
                    continue;
                }
                let (first, second, later) = if i < j { (a, b, j) } else { (b, a, i) };
                if !reported.contains(&later) && overlap(a, b) {
                    reported.insert(later);
                    findings.push(finding(ctx.model, first, second));
                }
            }
        }
    }
    findings
}

/// The finding when the plant's flows are too many to compare: at the
/// limited flow the check stopped at, so that it fails rather than pass
/// unproven.
fn too_many(flow: &Matched<'_>) -> Finding {
    let mut finding = boundary::finding(
        &RULE,
        EntityRef::Conduit(flow.conduit.id),
        flow.flow.loc,
        format!(
            "the plant's flows with function limits are too many to check that no two of different limits overlap (more than {} comparisons in all); the check stopped at conduit `{}`",
            crate::pairs::PAIRS_PER_CHECK,
            flow.conduit.name
        ),
        String::from("one of too many flows with function limits to compare"),
        String::from(
            "give the flows of one conduit the same `functions`, or split the limited flows over conduits through another device",
        ),
    );
    finding.key = String::from("too-many-flows");
    finding
}

/// What a gateway matches of a flow: its limits, hosts and ports.
fn signature(flow: &Matched<'_>) -> String {
    format!("{:?}|{:?}|{:?}|{:?}", flow.limits, flow.sources, flow.destinations, flow.ports)
}

fn matched<'a>(ctx: &Context<'a>, conduit: &'a Conduit, number: usize, flow: &'a Flow) -> Matched<'a> {
    let limited: Vec<String> = match &flow.traffic {
        Traffic::Services(ids) if !flow.functions.is_empty() => ids
            .iter()
            .filter(|id| ctx.catalogue.service(id).is_some_and(|s| !s.functions.is_empty()))
            .cloned()
            .collect(),
        _ => Vec::new(),
    };
    let limits = (!limited.is_empty()).then(|| {
        let (mut services, mut functions) = (limited, flow.functions.clone());
        services.sort();
        functions.sort();
        (services, functions, conduit.inspection)
    });
    let ports = match &flow.traffic {
        Traffic::Services(ids) => ids
            .iter()
            .filter_map(|id| ctx.catalogue.service(id))
            .flat_map(|s| s.ports.iter().map(|p| (p.protocol, p.port, p.last())))
            .collect(),
        Traffic::Ports(ranges) => ranges.iter().map(|r| (r.transport, r.start, r.end)).collect(),
    };
    Matched {
        conduit,
        number,
        flow,
        limits,
        sources: hosts(ctx.model, &flow.source, conduit.from),
        destinations: hosts(ctx.model, &flow.destination, conduit.to),
        ports,
    }
}

/// The networks a firewall matches for one end; `None`: every host (`any`
/// in a zone without a subnet).
fn hosts(model: &Model, end: &FlowEnd, zone: ZoneId) -> Option<Vec<IpNet>> {
    match end {
        FlowEnd::Any => model.zone(zone).map(|z| z.subnets.clone()).filter(|s| !s.is_empty()),
        FlowEnd::Assets(ids) => Some(
            ids.iter()
                .filter_map(|id| model.asset(*id))
                .flat_map(|a| {
                    let own = if a.zone == Some(zone) { a.addresses.clone() } else { Vec::new() };
                    a.interfaces.iter().filter(|i| i.zone == zone).map(|i| i.address).chain(own)
                })
                .map(|address: IpAddr| IpNet::from(address))
                .collect(),
        ),
    }
}

/// Whether some connection could match both flows: a source, a
/// destination and a port in common.
fn overlap(a: &Matched<'_>, b: &Matched<'_>) -> bool {
    let hosts = |x: &Option<Vec<IpNet>>, y: &Option<Vec<IpNet>>| match (x, y) {
        (None, _) | (_, None) => true,
        (Some(x), Some(y)) => x.iter().any(|n| y.iter().any(|m| n.contains(m) || m.contains(n))),
    };
    let ports = a.ports.iter().any(|(t, s, e)| b.ports.iter().any(|(u, f, g)| t == u && s <= g && f <= e));
    ports && hosts(&a.sources, &b.sources) && hosts(&a.destinations, &b.destinations)
}

/// The finding, at the later flow of the pair.
fn finding(model: &Model, first: &Matched<'_>, second: &Matched<'_>) -> Finding {
    let describe = |m: &Matched<'_>| match &m.limits {
        Some((services, functions, inspection)) => format!(
            "flow {} of conduit `{}` ({} [{}], {})",
            m.number,
            m.conduit.name,
            services.join(", "),
            functions.join(", "),
            match inspection {
                Inspection::Inline => "inline",
                Inspection::Monitor => "monitor",
            }
        ),
        None => format!("flow {} of conduit `{}` (every function)", m.number, m.conduit.name),
    };
    let mut finding = boundary::finding(
        &RULE,
        EntityRef::Conduit(second.conduit.id),
        second.flow.loc,
        format!(
            "{} and {} can carry the same connections with different function limits; a gateway matches hosts and ports, so it would apply one flow's limits to the other's requests",
            describe(first),
            describe(second)
        ),
        String::from("overlaps a flow with other function limits"),
        String::from(
            "give both flows the same `functions`, or name hosts so that they do not overlap (e.g. list the sources of an `any` flow)",
        ),
    );
    finding.notes = vec![(first.flow.loc, String::from("the other flow"))].into();
    let text = |m: &Matched<'_>| format!("{}:{}", m.conduit.name, crate::diff::snapshot::flow_text(model, m.flow));
    finding.key = format!("flows:{} & {}", text(first), text(second));
    finding
}
