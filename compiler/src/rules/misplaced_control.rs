//! `CONTROL-MISPLACED`: a control claimed on a kind of entity it cannot
//! protect.
//!
//! Each catalogue control says what it can be attached to (`applies_to`:
//! zone, conduit, asset). A UPS on a conduit or VLAN segmentation on an
//! asset is a slip, and an unnoticed one counts: a control claimed on the
//! wrong entity may meet no requirement at all, or meet one it should not.
//! A zone may carry asset measures, since controls declared on a zone are
//! in force for its assets (a site-wide UPS, offline backups); a conduit
//! and an asset carry only their own.
//!
//! One finding per entity names the misplaced controls and where each
//! belongs. A warning: the model still means what it says.

use kojo_lang::ast::EntityKind;
use kojo_lang::Severity;
use kojo_stdlib::Applies;

use super::boundary::{self, and_list};
use super::{Context, Finding, Rule};
use crate::model::{EntityRef, Loc};

pub const RULE: Rule = Rule {
    id: "CONTROL-MISPLACED",
    severity: Severity::Warning,
    applies_to: &[EntityKind::Zone, EntityKind::Conduit, EntityKind::Asset],
    check,
};

fn check(ctx: &Context<'_>) -> Vec<Finding> {
    let model = ctx.model;
    let zones = model.zones.iter().map(|z| (EntityRef::Zone(z.id), "zone", &z.name, &z.controls, z.loc));
    let conduits = model.conduits.iter().map(|c| (EntityRef::Conduit(c.id), "conduit", &c.name, &c.controls, c.loc));
    let assets = model.assets.iter().map(|a| (EntityRef::Asset(a.id), "asset", &a.name, &a.controls, a.loc));
    zones
        .chain(conduits)
        .chain(assets)
        .filter_map(|(target, kind, name, claimed, loc)| misplaced(ctx, target, kind, name, claimed, loc))
        .collect()
}

/// The finding for one entity's misplaced controls, if it has any.
fn misplaced(
    ctx: &Context<'_>,
    target: EntityRef,
    kind: &str,
    name: &str,
    claimed: &[String],
    loc: Loc,
) -> Option<Finding> {
    // An enforcing device (a firewall) carries the measures of the
    // conduits it enforces: its own logs, its IPS.
    let enforcing = match target {
        EntityRef::Asset(id) => {
            ctx.model.asset(id).and_then(|a| ctx.catalogue.asset_kind(&a.kind)).is_some_and(|k| k.enforcing)
        }
        _ => false,
    };
    let fits = |applies: &dyn Fn(Applies) -> bool| match target {
        EntityRef::Zone(_) => applies(Applies::Zone) || applies(Applies::Asset),
        EntityRef::Conduit(_) => applies(Applies::Conduit),
        _ => applies(Applies::Asset) || (enforcing && applies(Applies::Conduit)),
    };
    let wrong: Vec<(String, String)> = claimed
        .iter()
        .filter_map(|id| {
            let control = ctx.catalogue.control(id)?;
            if fits(&|a| control.applies_to(a)) {
                return None;
            }
            let belongs: Vec<&str> = control.applies_to.iter().map(|a| a.as_str()).collect();
            Some((format!("`{id}`"), format!("`{id}` on {}", belongs.join(" or "))))
        })
        .collect();
    if wrong.is_empty() {
        return None;
    }
    let (ids, places): (Vec<String>, Vec<String>) = wrong.into_iter().unzip();
    let mut finding = boundary::finding(
        &RULE,
        target,
        loc,
        format!("{kind} `{name}` claims {} that cannot be {}'s control", and_list(&ids), article(kind)),
        format!("not {}'s control", article(kind)),
        format!(
            "claim each where it protects something ({}), or remove it; `kojo explain CONTROL` says where a control belongs",
            places.join("; ")
        ),
    );
    finding.key = format!("controls:{}", ids.join(",").replace('`', ""));
    Some(finding)
}

/// `an asset`, `a zone`.
fn article(kind: &str) -> String {
    match kind.starts_with(['a', 'e', 'i', 'o', 'u']) {
        true => format!("an {kind}"),
        false => format!("a {kind}"),
    }
}
