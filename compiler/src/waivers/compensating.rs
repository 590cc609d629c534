//! WAIVER-COMPENSATING-MISSING: a waiver's compensating controls must be in
//! force on every entity whose finding it hides — declared on it, inherited
//! from its zone, or proven by the model. That holds for every scope,
//! `plant` included: a waiver on a whole zone or kind is a decision for
//! each device in it, and each device must carry what made it acceptable.
//!
//! Zones, assets and conduits have controls. The plant, operations and
//! data declare none, so a finding hidden on one of them has nothing to
//! check the compensating controls against; no built-in rule or profile
//! requirement reports on them today (rules name the zone, asset or
//! conduit at fault).

use std::collections::BTreeSet;

use kojo_lang::Severity;
use kojo_stdlib::Catalogue;

use super::{Hits, COMPENSATING_MISSING};
use crate::controls;
use crate::model::{EntityRef, Loc, Model, Waiver};
use crate::rules::{Context, Finding};

/// The name, place and controls in force of an entity that has controls.
fn controls_of<'a>(
    model: &'a Model,
    catalogue: &'a Catalogue,
    target: EntityRef,
) -> Option<(&'a str, Loc, BTreeSet<&'a str>)> {
    match target {
        EntityRef::Zone(id) => model.zone(id).map(|z| (z.name.as_str(), z.loc, controls::zone_controls(z))),
        EntityRef::Asset(id) => {
            model.asset(id).map(|a| (a.name.as_str(), a.loc, controls::asset_controls(model, catalogue, a)))
        }
        EntityRef::Conduit(id) => {
            model.conduit(id).map(|c| (c.name.as_str(), c.loc, controls::conduit_controls(catalogue, c)))
        }
        EntityRef::Plant | EntityRef::Operation(_) | EntityRef::Data(_) => None,
    }
}

pub(super) fn check(ctx: &Context<'_>, waiver: &Waiver, hits: &Hits, key: &str) -> Option<Finding> {
    if waiver.compensating.is_empty() {
        return None;
    }
    let hidden: BTreeSet<EntityRef> = hits.iter().map(|(_, e)| *e).collect();
    let mut lacking: Vec<(&str, Loc, Vec<&str>)> = Vec::new();
    for entity in hidden {
        let Some((name, loc, in_force)) = controls_of(ctx.model, ctx.catalogue, entity) else { continue };
        let missing: Vec<&str> =
            waiver.compensating.iter().map(String::as_str).filter(|c| !in_force.contains(c)).collect();
        if !missing.is_empty() {
            lacking.push((name, loc, missing));
        }
    }
    let (message, help) = match lacking.as_slice() {
        [] => return None,
        [(name, _, missing)] => (
            format!("`{name}` does not have the compensating control `{}`", missing.join("`, `")),
            format!(
                "a compensating control must be in place: add `{}` to the `controls` of `{name}`, or remove it from `compensating`",
                missing.join("`, `")
            ),
        ),
        several => (
            format!(
                "{} entities whose findings the waiver hides lack its compensating controls: {}",
                several.len(),
                several.iter().map(|(n, _, m)| format!("`{n}` (`{}`)", m.join("`, `"))).collect::<Vec<_>>().join(", ")
            ),
            "a compensating control must be in place on every entity the waiver excuses: add the missing controls to each one's `controls`, or narrow the waiver to the entities that have them".to_string(),
        ),
    };
    let notes = if lacking.len() > 1 {
        lacking.iter().map(|(n, loc, m)| (*loc, format!("`{n}` lacks `{}`", m.join("`, `")))).collect()
    } else {
        Vec::new()
    };
    Some(Finding {
        rule: COMPENSATING_MISSING.to_string(),
        severity: Severity::Error,
        target: EntityRef::Plant,
        loc: waiver.loc,
        message,
        label: if lacking.len() > 1 {
            "compensating controls the entities lack"
        } else {
            "compensating controls the entity lacks"
        }
        .into(),
        help: help.into(),
        notes: notes.into(),
        key: key.to_string(),
    })
}
