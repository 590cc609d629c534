//! The profile's requirements: the controls each tier needs of zones,
//! conduits and assets (the guideline's tier tables [3.2.2(1)①②]).
//!
//! Unlike the other rules, these are data: each requirement in the profile
//! is a rule with its own ID, so an organisation's profile adds, removes or
//! re-tiers them without a rebuild. A finding names the entity, its tier and
//! what raised it, the requirement, and its guideline section.

use kojo_lang::Severity;
use kojo_stdlib::{Applies, Requirement};

use super::{Context, Finding};
use crate::controls;
use crate::model::{EntityRef, Loc, Tier, ZoneId};

pub fn check(ctx: &Context<'_>) -> Vec<Finding> {
    // Each entity's controls in force and tier, computed once.
    let zones: Vec<_> = ctx.model.zones.iter().map(controls::zone_controls).collect();
    let conduits: Vec<_> = ctx.model.conduits.iter().map(|c| controls::conduit_controls(ctx.catalogue, c)).collect();
    let assets: Vec<_> =
        ctx.model.assets.iter().map(|a| controls::asset_controls(ctx.model, ctx.catalogue, a)).collect();
    let asset_tiers: Vec<_> = ctx.model.assets.iter().map(|a| controls::asset_tier(ctx.tiers, a)).collect();
    let mut findings = Vec::new();
    for requirement in &ctx.profile.requirements {
        let Some(needed) = Tier::from_id(&requirement.tier) else { continue };
        match requirement.applies_to {
            Applies::Zone => {
                for (zone, in_force) in ctx.model.zones.iter().zip(&zones) {
                    let tier = controls::zone_tier(ctx.tiers, zone.id);
                    if tier.is_some_and(|t| t >= needed) && !met(requirement, in_force) {
                        let why = raised(ctx, [zone.id]);
                        findings.push(finding(
                            requirement,
                            EntityRef::Zone(zone.id),
                            zone.loc,
                            "zone",
                            &zone.name,
                            tier,
                            why,
                        ));
                    }
                }
            }
            Applies::Conduit => {
                for (conduit, in_force) in ctx.model.conduits.iter().zip(&conduits) {
                    let tier = controls::conduit_tier(ctx.tiers, conduit);
                    if tier.is_some_and(|t| t >= needed) && !met(requirement, in_force) {
                        let why = raised(ctx, [conduit.from, conduit.to]);
                        let target = EntityRef::Conduit(conduit.id);
                        findings.push(finding(requirement, target, conduit.loc, "conduit", &conduit.name, tier, why));
                    }
                }
            }
            Applies::Asset => {
                for ((asset, in_force), tier) in ctx.model.assets.iter().zip(&assets).zip(&asset_tiers) {
                    if !requirement.kinds.is_empty() && !requirement.kinds.contains(&asset.kind) {
                        continue;
                    }
                    let tier = *tier;
                    if tier.is_some_and(|t| t >= needed) && !met(requirement, in_force) {
                        let zones: Vec<ZoneId> =
                            asset.zone.into_iter().chain(asset.interfaces.iter().map(|i| i.zone)).collect();
                        let why = raised(ctx, zones);
                        let target = EntityRef::Asset(asset.id);
                        findings.push(finding(requirement, target, asset.loc, "asset", &asset.name, tier, why));
                    }
                }
            }
        }
    }
    findings
}

fn met(requirement: &Requirement, in_force: &std::collections::BTreeSet<&str>) -> bool {
    requirement.any_of.iter().any(|c| in_force.contains(c.as_str()))
}

/// The strongest raiser among `zones`, as a note.
fn raised(ctx: &Context<'_>, zones: impl IntoIterator<Item = ZoneId>) -> Option<(Loc, String)> {
    zones
        .into_iter()
        .filter_map(|z| ctx.tiers.get(z.index()))
        .filter_map(|t| Some((t, t.raised_by.as_ref()?)))
        .max_by_key(|(t, _)| t.effective)
        .map(|(t, r)| {
            let zone = ctx.model.zone(t.zone).map_or("", |z| z.name.as_str());
            (r.loc, format!("{} ({} {}) puts zone `{zone}` at tier {}", r.entity, r.axis, r.level, r.tier.id()))
        })
}

fn finding(
    requirement: &Requirement,
    target: EntityRef,
    loc: Loc,
    kind: &str,
    name: &str,
    tier: Option<Tier>,
    why: Option<(Loc, String)>,
) -> Finding {
    let tier = tier.map_or("", |t| t.id());
    let controls = requirement.any_of.join("` or `");
    Finding {
        rule: requirement.id.clone(),
        severity: Severity::Error,
        target,
        loc,
        message: format!(
            "{kind} `{name}` at tier {tier} lacks {} / {} [{}]",
            requirement.label.en, requirement.label.ja, requirement.source
        ),
        label: format!("needs `{controls}`"),
        help: format!(
            "the {} table's `{}` row asks for this from tier {}: add `{}` to the {kind}'s `controls` once it is in place, or waive `{}` with a reason, an expiry and compensating controls",
            requirement.table,
            requirement.item,
            requirement.tier,
            requirement.any_of.first().map_or("", String::as_str),
            requirement.id
        ),
        notes: why.into_iter().collect(),
    }
}
