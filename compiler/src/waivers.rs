//! Waivers: accepting a finding for a while, for a reason, with
//! compensating controls (guideline [3.3]: legacy equipment that cannot be
//! patched is the normal case in factories, not an exception).
//!
//! A waiver names a rule and an entity; it hides the findings of that rule
//! on that entity (on `plant`, on every entity) until it expires. An expired
//! waiver hides nothing and is itself an error; a waiver that matches no
//! finding is a warning; compensating controls must be in force for the
//! waived entity (declared on it, on its zone, or proven by the model).

use std::collections::BTreeSet;

use kojo_lang::Severity;
use kojo_stdlib::Catalogue;

use crate::controls;
use crate::model::{EntityRef, Model, Waiver};
use crate::rules::Finding;
use crate::suggest::did_you_mean;
use crate::types::Date;

pub const EXPIRED: &str = "WAIVER-EXPIRED";
pub const UNUSED: &str = "WAIVER-UNUSED";
pub const COMPENSATING_MISSING: &str = "WAIVER-COMPENSATING-MISSING";

/// Findings split by the waivers, plus the waivers' own findings.
#[derive(Debug, Default)]
pub struct Applied {
    pub kept: Vec<Finding>,
    pub waived: Vec<Finding>,
    /// For each of `waived`, the index of the waiver (in `Model::waivers`) that hides it.
    pub waived_by: Vec<usize>,
    pub problems: Vec<Finding>,
}

fn matches(waiver: &Waiver, finding: &Finding) -> bool {
    waiver.rule == finding.rule && (waiver.target == EntityRef::Plant || waiver.target == finding.target)
}

/// The controls in force for an entity (declared, inherited, proven).
fn controls_of<'a>(
    model: &'a Model,
    catalogue: &'a Catalogue,
    target: EntityRef,
) -> Option<(&'a str, BTreeSet<&'a str>)> {
    match target {
        EntityRef::Zone(id) => model.zone(id).map(|z| (z.name.as_str(), controls::zone_controls(z))),
        EntityRef::Asset(id) => {
            model.asset(id).map(|a| (a.name.as_str(), controls::asset_controls(model, catalogue, a)))
        }
        EntityRef::Conduit(id) => {
            model.conduit(id).map(|c| (c.name.as_str(), controls::conduit_controls(catalogue, c)))
        }
        EntityRef::Plant | EntityRef::Operation(_) | EntityRef::Data(_) => None,
    }
}

/// Applies the model's waivers to `findings`. `today` decides expiry; with
/// no date, no waiver expires. `rules` are the IDs a waiver may name.
pub fn apply(
    model: &Model,
    catalogue: &Catalogue,
    findings: Vec<Finding>,
    today: Option<Date>,
    rules: &[&str],
) -> Applied {
    let mut applied = Applied::default();
    let active: Vec<bool> = model.waivers.iter().map(|w| today.is_none_or(|t| w.until >= t)).collect();
    let mut used = vec![false; model.waivers.len()];
    for finding in findings {
        let hit = model.waivers.iter().enumerate().find(|(i, w)| active.get(*i) == Some(&true) && matches(w, &finding));
        match hit {
            Some((i, _)) => {
                if let Some(u) = used.get_mut(i) {
                    *u = true;
                }
                applied.waived.push(finding);
                applied.waived_by.push(i);
            }
            None => applied.kept.push(finding),
        }
    }
    for ((waiver, active), used) in model.waivers.iter().zip(active).zip(used) {
        let target = EntityRef::Plant;
        // The waivers' own findings are on the plant: which waiver is the key.
        let key = format!("waiver:{} on {}", waiver.rule, model.entity_path(waiver.target));
        if !active {
            applied.problems.push(Finding {
                rule: EXPIRED.to_string(),
                severity: Severity::Error,
                target,
                loc: waiver.loc,
                message: format!("the waiver of `{}` expired on {}", waiver.rule, waiver.until),
                label: format!("expired {}", waiver.until),
                help: "fix what the waiver covered, or review it and extend `until` with a reason that still holds"
                    .to_string(),
                notes: Vec::new(),
                key: key.clone(),
            });
            continue;
        }
        if !used {
            let help = if rules.contains(&waiver.rule.as_str()) {
                "the rule finds nothing to waive here: remove the waiver".to_string()
            } else {
                match did_you_mean(&waiver.rule, rules.iter().copied()) {
                    Some(s) => format!("there is no rule `{}`; did you mean `{s}`?", waiver.rule),
                    None => format!("there is no rule `{}`; `kojo explain` lists the rules", waiver.rule),
                }
            };
            applied.problems.push(Finding {
                rule: UNUSED.to_string(),
                severity: Severity::Warning,
                target,
                loc: waiver.loc,
                message: format!("the waiver of `{}` waives nothing", waiver.rule),
                label: "matches no finding".to_string(),
                help,
                notes: Vec::new(),
                key: key.clone(),
            });
        }
        if let Some((name, in_force)) = controls_of(model, catalogue, waiver.target) {
            let missing: Vec<&str> =
                waiver.compensating.iter().map(String::as_str).filter(|c| !in_force.contains(c)).collect();
            if !missing.is_empty() {
                applied.problems.push(Finding {
                    rule: COMPENSATING_MISSING.to_string(),
                    severity: Severity::Error,
                    target,
                    loc: waiver.loc,
                    message: format!("`{name}` does not have the compensating control `{}`", missing.join("`, `")),
                    label: "compensating controls the entity lacks".to_string(),
                    help: format!(
                        "a compensating control must be in place: add `{}` to the `controls` of `{name}`, or remove it from `compensating`",
                        missing.join("`, `")
                    ),
                    notes: Vec::new(),
                    key: key.clone(),
                });
            }
        }
    }
    applied
}
