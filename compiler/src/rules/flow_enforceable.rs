//! `FLOW-NOT-ENFORCEABLE`: a flow of an enforced conduit that its enforcing
//! device cannot match.
//!
//! A firewall matches addresses. A flow of a conduit with `enforced-by`
//! whose end is an asset with no address in that zone, or `any` host of an
//! internal zone without a `subnet`, gives it nothing to match (the
//! interface alone would also match traffic routed beyond the zone); a
//! flow that names the enforcing device itself is traffic to or from the
//! device, which a forward rule never sees. `kojo build` refuses all three
//! for whatever format it generates (KOJO-E0401); the check reports them
//! first, from the model alone, so that a project whose check passes does
//! not fail to build for these reasons. The guideline's traffic
//! restriction by source and destination [3.2.2(1)①] is what the flow
//! stands for.

use kojo_lang::ast::EntityKind;
use kojo_lang::Severity;

use super::boundary;
use super::{Context, Finding, Rule};
use crate::model::{Asset, Conduit, EntityRef, Flow, FlowEnd, Model, Trust, Zone, ZoneId};

pub const RULE: Rule =
    Rule { id: "FLOW-NOT-ENFORCEABLE", severity: Severity::Error, applies_to: &[EntityKind::Conduit], check };

fn check(ctx: &Context<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    for conduit in &ctx.model.conduits {
        let Some(device) = conduit.enforced_by.and_then(|id| ctx.model.asset(id)) else { continue };
        // Each problem once per conduit (by its key), with the flows that have it.
        let mut problems: Vec<(Problem, Vec<&Flow>)> = Vec::new();
        for flow in &conduit.flows {
            for problem in flow_problems(ctx.model, conduit, device, flow) {
                match problems.iter_mut().find(|(p, _)| p.key == problem.key) {
                    Some((_, flows)) => flows.push(flow),
                    None => problems.push((problem, vec![flow])),
                }
            }
        }
        for (problem, flows) in problems {
            let Some((first, more)) = flows.split_first() else { continue };
            let mut finding = boundary::finding(
                &RULE,
                EntityRef::Conduit(conduit.id),
                first.loc,
                format!(
                    "conduit `{}`: {}, so `{}` cannot enforce the flow",
                    conduit.name, problem.message, device.name
                ),
                problem.label,
                problem.help,
            );
            finding.notes = more.iter().map(|f| (f.loc, String::from("here too"))).collect();
            finding.key = problem.key;
            findings.push(finding);
        }
    }
    findings
}

/// Why a device cannot match a flow: the words, and a key naming the cause.
struct Problem {
    key: String,
    message: String,
    label: String,
    help: String,
}

fn flow_problems(model: &Model, conduit: &Conduit, device: &Asset, flow: &Flow) -> Vec<Problem> {
    let names_device = |end: &FlowEnd| matches!(end, FlowEnd::Assets(ids) if ids.contains(&device.id));
    if names_device(&flow.source) || names_device(&flow.destination) {
        return vec![Problem {
            key: format!("device:{}", device.name),
            message: format!("a flow names `{}` itself, the device that enforces the conduit", device.name),
            label: String::from("traffic of the enforcing device itself"),
            help: String::from(
                "a firewall's forward rules never see its own management traffic: manage the device out of band, or model its management as a conduit enforced by another device",
            ),
        }];
    }
    let mut problems = Vec::new();
    for (end, zone) in [(&flow.source, conduit.from), (&flow.destination, conduit.to)] {
        let Some(zone) = model.zone(zone) else { continue };
        problems.extend(end_problems(model, end, zone));
    }
    problems
}

/// The hosts of one end that have nothing a firewall could match.
fn end_problems(model: &Model, end: &FlowEnd, zone: &Zone) -> Vec<Problem> {
    match end {
        FlowEnd::Any if zone.subnets.is_empty() && zone.trust == Trust::Internal => vec![Problem {
            key: format!("any:{}", zone.name),
            message: format!("`any` host in zone `{}`, which has no subnet", zone.name),
            label: format!("`any` in `{}`", zone.name),
            help: format!(
                "give zone `{}` its `subnet`; matching only the device's interface would also let through traffic routed beyond the zone",
                zone.name
            ),
        }],
        FlowEnd::Any => Vec::new(),
        FlowEnd::Assets(ids) => ids
            .iter()
            .filter_map(|id| model.asset(*id))
            .filter(|asset| !has_address_in(asset, zone.id))
            .map(|asset| Problem {
                key: format!("host:{}", asset.name),
                message: format!("asset `{}` has no address in zone `{}`", asset.name, zone.name),
                label: format!("`{}` has no address", asset.name),
                help: format!(
                    "give `{}` an `ip` in zone `{}` (or an interface there, for a device in several zones)",
                    asset.name, zone.name
                ),
            })
            .collect(),
    }
}

/// Whether a firewall can match the asset in the zone: an interface there,
/// or an address of the zone it sits in.
fn has_address_in(asset: &Asset, zone: ZoneId) -> bool {
    asset.interfaces.iter().any(|i| i.zone == zone) || (asset.zone == Some(zone) && !asset.addresses.is_empty())
}
