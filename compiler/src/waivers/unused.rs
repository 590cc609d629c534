//! WAIVER-UNUSED: a waiver, or a part of one, that hides nothing, and why.
//!
//! Why a rule of a waiver waives nothing, checked in this order:
//! - the scope is empty (no asset of the kind in the zone): one warning for
//!   the whole waiver;
//! - there is no such rule (with a did-you-mean);
//! - the rule cannot be waived: the build refuses what it finds;
//! - the rule never applies to the kinds of entity the scope holds
//!   (`NW-MFA` is checked on assets; the waiver is on a conduit);
//! - the rule finds nothing to waive on these entities: it is not asked at
//!   their tier, does not apply to them (a capability they lack), or is met.
//!
//! A rule that hides something still warns, for entities named one by one,
//! about each named entity on which it hides nothing; entities a set scope
//! brings in (a zone's assets, a kind) are not named by the waiver, so they
//! do not warn one by one.

use std::sync::Arc;

use std::collections::BTreeSet;

use kojo_lang::ast::EntityKind;
use kojo_lang::Severity;

use super::{Hits, UNUSED};
use crate::controls;
use crate::model::{EntityRef, Tier, Waiver, WaiverScope};
use crate::rules::{self, Context, Finding};
use crate::suggest::did_you_mean;

/// A warning about a waiver or a part of it.
struct Unused {
    key: String,
    message: String,
    label: &'static str,
    help: String,
}

pub(super) fn check(ctx: &Context<'_>, waiver: &Waiver, hits: &Hits, key: &str) -> Vec<Finding> {
    let entities = waiver.entities(ctx.model);
    if entities.is_empty() {
        let scope = waiver.scope_path(ctx.model);
        let message = format!("the waiver on `{scope}` waives nothing: {}", empty_scope(ctx, &waiver.scope));
        let help = "the scope covers no entity: correct the zone or kind, or remove the waiver".to_string();
        return vec![finding_at(waiver.loc, Unused { key: key.to_string(), message, label: "covers no entity", help })];
    }
    let several_rules = waiver.rules.len() > 1;
    let mut out = Vec::new();
    for (index, rule) in waiver.rules.iter().enumerate() {
        let hit_on: BTreeSet<EntityRef> = hits.iter().filter(|(r, _)| *r == index).map(|(_, e)| *e).collect();
        let rule_key = if several_rules { format!("{key} part {}", rule.id) } else { key.to_string() };
        // With several rules, a warning about one points at its ID.
        let at = if several_rules { rule.loc } else { waiver.loc };
        let Some(kinds) = rules::applies_to(ctx, &rule.id) else {
            out.push(finding_at(at, unknown_rule(ctx, &rule.id, rule_key)));
            continue;
        };
        if rules::BUILD_REFUSES.contains(&rule.id.as_str()) {
            out.push(finding_at(at, unwaivable(&rule.id, rule_key)));
            continue;
        }
        if hit_on.is_empty() {
            out.push(finding_at(at, nothing(ctx, waiver, &rule.id, &kinds, &entities, rule_key)));
            continue;
        }
        if let WaiverScope::Entities(named) = &waiver.scope {
            for entity in named.iter().filter(|e| !hit_on.contains(e)) {
                out.push(finding_at(at, part(ctx, &rule.id, &kinds, *entity, key)));
            }
        }
    }
    out
}

fn applicable(kinds: &[EntityKind], entity: EntityRef) -> bool {
    entity == EntityRef::Plant || kinds.contains(&kind_of(entity))
}

/// A rule whose findings the build refuses: waiving it would let the check
/// pass and the build fail.
fn unwaivable(rule: &str, key: String) -> Unused {
    Unused {
        key,
        message: format!("the waiver of `{rule}` waives nothing: `{rule}` cannot be waived"),
        label: "cannot be waived",
        help: format!(
            "`kojo build` refuses what `{rule}` finds, waived or not: change the flow as `kojo explain {rule}` says, and remove the waiver"
        ),
    }
}

/// A rule ID no rule has.
fn unknown_rule(ctx: &Context<'_>, rule: &str, key: String) -> Unused {
    let known = rules::ids(ctx);
    let help = match did_you_mean(rule, known.iter().copied()) {
        Some(s) => format!("there is no rule `{rule}`; did you mean `{s}`?"),
        None => format!("there is no rule `{rule}`; `kojo explain` lists the rules"),
    };
    let message = format!("the waiver of `{rule}` waives nothing: there is no such rule");
    Unused { key, message, label: "no such rule", help }
}

/// A rule that hides nothing anywhere in the scope: it never applies to
/// the kinds of entity there, or it is met.
fn nothing(
    ctx: &Context<'_>,
    waiver: &Waiver,
    rule: &str,
    kinds: &[EntityKind],
    entities: &[EntityRef],
    key: String,
) -> Unused {
    let several_rules = waiver.rules.len() > 1;
    let checked_on = and_list(kinds.iter().map(|k| plural(*k)));
    if entities.iter().any(|e| applicable(kinds, *e)) {
        let reasons: BTreeSet<String> =
            entities.iter().filter(|e| applicable(kinds, **e)).map(|e| why_nothing(ctx, rule, *e)).collect();
        let why = match reasons.len() {
            1 => reasons.into_iter().next().unwrap_or_default(),
            _ => reasons.into_iter().collect::<Vec<_>>().join("; or "),
        };
        Unused {
            key,
            message: format!("`{rule}` finds nothing to waive on `{}`: {why}", waiver.scope_path(ctx.model)),
            label: "matches no finding",
            help: format!("nothing here breaks the rule: {}", remove(several_rules, rule)),
        }
    } else {
        // The common slip: a zone named for its devices.
        let zones: Vec<&str> = entities
            .iter()
            .filter_map(|e| match e {
                EntityRef::Zone(z) => ctx.model.zone(*z).map(|z| z.name.as_str()),
                _ => None,
            })
            .collect();
        let named = matches!(waiver.scope, WaiverScope::Entities(_));
        let help = match zones.as_slice() {
            [zone] if kinds.contains(&EntityKind::Asset) && !named => {
                format!("zone `{zone}` has no assets for `{rule}` to be found on: {}", remove(several_rules, rule))
            }
            [zone] if kinds.contains(&EntityKind::Asset) => format!(
                "a zone's findings are its own; to waive `{rule}` on the assets in it, write `on zone {zone} and its assets` or `on assets in zone {zone}`"
            ),
            _ => format!("waive `{rule}` on the {checked_on} it finds, or {}", remove(several_rules, rule)),
        };
        Unused {
            key,
            message: format!("`{rule}` never applies to {}: it is checked on {checked_on}", described(entities)),
            label: "the rule never applies here",
            help,
        }
    }
}

/// A named entity of a list on which a rule that hides something elsewhere
/// hides nothing.
fn part(ctx: &Context<'_>, rule: &str, kinds: &[EntityKind], entity: EntityRef, key: &str) -> Unused {
    let path = ctx.model.entity_path(entity);
    let why = if applicable(kinds, entity) {
        why_nothing(ctx, rule, entity)
    } else {
        format!("it is checked on {}", and_list(kinds.iter().map(|k| plural(*k))))
    };
    Unused {
        key: format!("{key} part {rule} on {path}"),
        message: format!("`{rule}` waives nothing on `{path}`: {why}"),
        label: "a part waives nothing",
        help: format!("take `{path}` out of this waiver, or give it a waiver of its own for the rules it needs"),
    }
}

/// Why a rule that is checked on this kind of entity finds nothing on it:
/// a requirement of a higher tier than the entity's, one that does not
/// apply for want of a capability or outside its kinds, or one that is met.
fn why_nothing(ctx: &Context<'_>, rule: &str, entity: EntityRef) -> String {
    const MET: &str = "it is met there";
    let Some(requirement) = ctx.profile.requirements.iter().find(|r| r.id == rule) else { return MET.to_string() };
    let asset = match entity {
        EntityRef::Asset(id) => ctx.model.asset(id),
        _ => None,
    };
    let tier = match entity {
        EntityRef::Zone(id) => controls::zone_tier(ctx.tiers, id),
        EntityRef::Conduit(id) => ctx.model.conduit(id).and_then(|c| controls::conduit_tier(ctx.tiers, c)),
        EntityRef::Asset(_) => asset.and_then(|a| controls::asset_tier(ctx.tiers, a)),
        _ => None,
    };
    if let Some(asks) = Tier::from_id(&requirement.tier) {
        match tier {
            Some(t) if t < asks => {
                return format!("it is not required there: tier {} (the rule asks it from tier {})", t.id(), asks.id())
            }
            None => return format!("it is not required there: no tier (the rule asks it from tier {})", asks.id()),
            Some(_) => {}
        }
    }
    if let Some(asset) = asset {
        let missing = rules::applicability::missing(requirement, asset);
        if !missing.is_empty() {
            return format!(
                "it does not apply there: `{}` lacks `{}` (`kojo check --show-not-applicable`)",
                asset.name,
                missing.join("`, `")
            );
        }
        if !requirement.kinds.is_empty() && !requirement.kinds.contains(&asset.kind) {
            return format!(
                "it does not apply there: the rule is asked only of kinds {}",
                requirement.kinds.join(", ")
            );
        }
    }
    MET.to_string()
}

fn finding_at(loc: crate::model::Loc, unused: Unused) -> Finding {
    Finding {
        rule: UNUSED.to_string(),
        severity: Severity::Warning,
        target: EntityRef::Plant,
        loc,
        message: unused.message,
        label: unused.label.into(),
        help: unused.help.into(),
        notes: Arc::new([]),
        key: unused.key,
    }
}

fn remove(several_rules: bool, rule: &str) -> String {
    if several_rules {
        format!("take `{rule}` out of this waiver")
    } else {
        "remove the waiver".to_string()
    }
}

/// Why a set scope is empty.
fn empty_scope(ctx: &Context<'_>, scope: &WaiverScope) -> String {
    let zone = |id| ctx.model.zone(id).map_or("?", |z| z.name.as_str());
    match scope {
        WaiverScope::AssetsInZone(z) => format!("no asset is in zone `{}`", zone(*z)),
        WaiverScope::AssetsOfKind { kind, zone: Some(z) } => {
            format!("no asset of kind `{kind}` is in zone `{}`", zone(*z))
        }
        WaiverScope::AssetsOfKind { kind, zone: None } => format!("no asset is of kind `{kind}`"),
        // The others always hold an entity: the plant, the zone, the names.
        _ => "it covers no entity".to_string(),
    }
}

pub(super) fn kind_of(entity: EntityRef) -> EntityKind {
    match entity {
        EntityRef::Plant => EntityKind::Plant,
        EntityRef::Zone(_) => EntityKind::Zone,
        EntityRef::Asset(_) => EntityKind::Asset,
        EntityRef::Conduit(_) => EntityKind::Conduit,
        EntityRef::Operation(_) => EntityKind::Operation,
        EntityRef::Data(_) => EntityKind::Data,
    }
}

fn plural(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Plant => "the plant",
        EntityKind::Zone => "zones",
        EntityKind::Asset => "assets",
        EntityKind::Conduit => "conduits",
        EntityKind::Operation => "operations",
        EntityKind::Data => "data",
    }
}

/// "a conduit", "conduits", "a zone and assets": the kinds a scope holds.
fn described(entities: &[EntityRef]) -> String {
    let kinds: BTreeSet<EntityKind> = entities.iter().map(|e| kind_of(*e)).collect();
    match (entities, kinds.len()) {
        ([one], _) => format!("a {}", kind_of(*one).keyword()),
        _ => and_list(kinds.into_iter().map(plural)),
    }
}

fn and_list<'a>(items: impl Iterator<Item = &'a str>) -> String {
    let items: Vec<&str> = items.collect();
    match items.as_slice() {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
