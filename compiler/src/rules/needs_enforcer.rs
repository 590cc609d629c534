//! `CONDUIT-NEEDS-ENFORCER`: a conduit across a boundary that no device enforces.
//!
//! A conduit is a boundary when its zones differ in trust or in effective
//! tier, when either zone is outside the plant (`untrusted`, `external`), or
//! when it is `one-way` (only a device makes a path unidirectional). The
//! guideline's minimum network measure is traffic restriction by source and
//! destination at such a boundary (FW) [3.2.2(1)①], IEC 62443 SR 5.2 zone
//! boundary protection: without a device there is nothing that filters the
//! traffic, and nothing to generate the conduit's rules for. Whether the
//! device is of the right kind for an outside link or a one-way conduit is
//! `EXTERNAL-LINK-NEEDS-FIREWALL`'s and `ONE-WAY-DIRECTION`'s question.

use kojo_lang::ast::EntityKind;
use kojo_lang::Severity;

use super::boundary::{self, describe, zone_note};
use super::{Context, Finding, Rule};
use crate::model::EntityRef;

pub const RULE: Rule =
    Rule { id: "CONDUIT-NEEDS-ENFORCER", severity: Severity::Error, applies_to: &[EntityKind::Conduit], check };

fn check(ctx: &Context<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    for conduit in ctx.model.conduits.iter().filter(|c| c.enforced_by.is_none()) {
        let (Some(from), Some(to)) = (ctx.model.zone(conduit.from), ctx.model.zone(conduit.to)) else { continue };
        let why = if boundary::differ(ctx, from, to) || boundary::outside(from) || boundary::outside(to) {
            format!("joins {} and {}", describe(ctx, from), describe(ctx, to))
        } else if conduit.one_way {
            String::from("is `one-way`")
        } else {
            continue;
        };
        let mut finding = boundary::finding(
            &RULE,
            EntityRef::Conduit(conduit.id),
            conduit.loc,
            format!("conduit `{}` {why}, but no device enforces it", conduit.name),
            String::from("no `enforced-by`"),
            format!(
                "name the device that filters this path with `enforced-by DEVICE`: a firewall or gateway (a diode for a `one-way` conduit) with an interface in `{}` and in `{}`; traffic that crosses a boundary must pass a device that enforces the conduit's flows",
                from.name, to.name
            ),
        );
        finding.notes = vec![zone_note(ctx, from), zone_note(ctx, to)].into();
        findings.push(finding);
    }
    findings
}
