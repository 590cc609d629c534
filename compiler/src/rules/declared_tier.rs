//! `TIER-BELOW-DERIVED`: a zone declared at a lower tier than its contents need.
//!
//! The guideline sets a zone's countermeasure tier from the importance of
//! the operations, data and devices in it [3.1.6, 3.2.1]. A declared tier
//! may raise that (a company may protect more than it must), never lower it:
//! the controls of the lower tier would leave the important thing exposed.

use kojo_lang::ast::EntityKind;
use kojo_lang::Severity;

use super::{Context, Finding, Rule};
use crate::model::EntityRef;

pub const RULE: Rule =
    Rule { id: "TIER-BELOW-DERIVED", severity: Severity::Error, applies_to: &[EntityKind::Zone], check };

fn check(ctx: &Context<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    for tiers in ctx.tiers {
        let (Some(declared), Some(derived), Some(raiser)) = (tiers.declared, tiers.derived, &tiers.raised_by) else {
            continue;
        };
        let Some(zone) = ctx.model.zone(tiers.zone) else { continue };
        if declared >= derived {
            continue;
        }
        findings.push(Finding {
            rule: RULE.id.to_string(),
            severity: RULE.severity,
            target: EntityRef::Zone(zone.id),
            loc: zone.loc,
            message: format!(
                "zone `{}` is declared `{}`, but `{}` needs `{}`",
                zone.name,
                declared.id(),
                raiser.entity,
                derived.id()
            ),
            label: format!("declared `{}`", declared.id()).into(),
            help: format!(
                "raise the zone to `tier {}`, or move `{}` out of the zone; a declared tier may raise the derived one, never lower it",
                derived.id(),
                raiser.entity
            )
            .into(),
            notes: vec![(raiser.loc, format!("{} is rated `{}` on {}", raiser.entity, raiser.level, raiser.axis))].into(),
            key: String::new(),
        });
    }
    findings
}
