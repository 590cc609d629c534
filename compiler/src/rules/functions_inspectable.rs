//! `FUNCTIONS-NOT-INSPECTABLE`: a flow limited to protocol functions that no
//! gateway can tell apart.
//!
//! `functions [read-var]` promises that a peer can send only those requests;
//! a packet filter sees ports, so only a gateway that finds the function
//! code in each packet keeps the promise. The service catalogue says where
//! that code sits (`[services.inspection]`); a service with functions but no
//! such data (`s7comm`, `fins`, `iec-104` …) cannot be held to them by
//! anything kojo generates, and `kojo build` refuses such a flow for any
//! device it builds. The check reports it first, from the model and the
//! catalogue alone, whatever the manifest selects, so that a project whose
//! check passes does not fail to build for this reason. The guideline's
//! message-type restriction [3.2.2(1)①, 通信電文種別制限] and IEC 62443
//! SR 5.1 are what the flow claims; the finding says the claim is empty.

use kojo_lang::ast::EntityKind;
use kojo_lang::Severity;

use super::boundary;
use super::{Context, Finding, Rule};
use crate::model::{EntityRef, Flow, Traffic};

pub const RULE: Rule =
    Rule { id: "FUNCTIONS-NOT-INSPECTABLE", severity: Severity::Error, applies_to: &[EntityKind::Conduit], check };

fn check(ctx: &Context<'_>) -> Vec<Finding> {
    let inspectable: Vec<String> = ctx
        .catalogue
        .services()
        .filter(|s| !s.functions.is_empty() && s.functions_inspectable())
        .map(|s| format!("`{}`", s.id))
        .collect();
    let mut findings = Vec::new();
    for conduit in &ctx.model.conduits {
        // Each service once per conduit, with the flows that limit it, in source order.
        let mut blind: Vec<(&str, Vec<&Flow>)> = Vec::new();
        for flow in conduit.flows.iter().filter(|f| !f.functions.is_empty()) {
            let Traffic::Services(services) = &flow.traffic else { continue };
            for id in services {
                let Some(service) = ctx.catalogue.service(id) else { continue };
                if service.functions.is_empty() || service.functions_inspectable() {
                    continue;
                }
                match blind.iter_mut().find(|(s, _)| *s == service.id) {
                    Some((_, flows)) => flows.push(flow),
                    None => blind.push((&service.id, vec![flow])),
                }
            }
        }
        for (id, flows) in blind {
            let Some((first, more)) = flows.split_first() else { continue };
            let mut finding = boundary::finding(
                &RULE,
                EntityRef::Conduit(conduit.id),
                first.loc,
                format!(
                    "conduit `{}` limits `{id}` to [{}], but no gateway kojo generates can tell `{id}` functions apart: the limit cannot be enforced, and `kojo build` refuses the flow",
                    conduit.name,
                    first.functions.join(", ")
                ),
                format!("`{id}` functions cannot be inspected"),
                format!(
                    "remove `functions` from the flow and limit the functions at the device itself (its access protection), or carry the traffic over a service whose functions a gateway inspects ({}); `kojo explain {id}` lists its functions",
                    boundary::and_list(&inspectable)
                ),
            );
            finding.notes = more.iter().map(|f| (f.loc, format!("`{id}` is limited here too"))).collect();
            finding.key = format!("service:{id}");
            findings.push(finding);
        }
    }
    findings
}
