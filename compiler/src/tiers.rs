//! Tiers from impact (guideline steps 1-3, 1-5, 1-6 and 2-1).
//!
//! An operation, a data item or an asset rated on the impact axes (S, BC, Q,
//! D, C) is as important as its highest rating. Importance flows to where
//! the thing lives: an operation to the zones and assets it names, data to
//! the assets it is stored on, an asset to its zones. A zone needs the tier
//! its most important resident maps to (the profile says which tier each
//! impact level needs); a declared `tier` may raise that, never lower it.

use kojo_stdlib::Profile;

use crate::model::{ImpactRating, Loc, Model, Tier, Trust, ZoneId};

/// What raised a zone's tier: the entity and its highest rating.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Raiser {
    /// `operation production`, `data recipe`, `asset plc1`.
    pub entity: String,
    /// `operation`, `data` or `asset`, and its name: for documents, which
    /// word the kind in their own language.
    pub kind: &'static str,
    pub name: String,
    pub axis: String,
    pub level: String,
    pub tier: Tier,
    pub loc: Loc,
}

/// A zone's tiers: declared, derived from impact, and the one that applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoneTier {
    pub zone: ZoneId,
    pub declared: Option<Tier>,
    /// `None` for external and untrusted zones: the plant does not protect them.
    pub derived: Option<Tier>,
    /// The most important thing in the zone, if anything is rated.
    pub raised_by: Option<Raiser>,
    /// What the zone must meet: the higher of declared and derived.
    pub effective: Option<Tier>,
}

/// The tier each impact level maps to, by the profile; `None` if unmapped.
fn tier_of(profile: &Profile, level: &str) -> Option<Tier> {
    profile.level(level).and_then(|l| Tier::from_id(&l.tier))
}

/// The highest rating of an impact, as a raiser named `entity`.
fn strongest(profile: &Profile, kind: &'static str, name: &str, impact: &[ImpactRating], loc: Loc) -> Option<Raiser> {
    let entity = format!("{kind} {name}");
    impact
        .iter()
        .filter_map(|r| tier_of(profile, &r.level).map(|tier| (tier, r.rank, r)))
        .max_by_key(|(tier, rank, _)| (*tier, *rank))
        .map(|(tier, _, r)| Raiser {
            entity,
            kind,
            name: name.to_string(),
            axis: r.axis.clone(),
            level: r.level.clone(),
            tier,
            loc,
        })
}

/// Keeps the higher of two raisers; on a tie, the first (source order).
fn higher(a: Option<Raiser>, b: Option<Raiser>) -> Option<Raiser> {
    match (a, b) {
        (Some(a), Some(b)) if b.tier > a.tier => Some(b),
        (Some(a), _) => Some(a),
        (None, b) => b,
    }
}

/// Derives every zone's tier, in zone order.
pub fn derive(model: &Model, profile: &Profile) -> Vec<ZoneTier> {
    // The most important thing bound to each asset, then to each zone.
    let mut by_asset: Vec<Option<Raiser>> =
        model.assets.iter().map(|a| strongest(profile, "asset", &a.name, &a.impact, a.loc)).collect();
    let mut by_zone: Vec<Option<Raiser>> = vec![None; model.zones.len()];
    for data in &model.data {
        let raiser = strongest(profile, "data", &data.name, &data.impact, data.loc);
        for asset in &data.stored_on {
            if let Some(slot) = by_asset.get_mut(asset.index()) {
                *slot = higher(slot.take(), raiser.clone());
            }
        }
    }
    for op in &model.operations {
        let raiser = strongest(profile, "operation", &op.name, &op.impact, op.loc);
        for asset in &op.assets {
            if let Some(slot) = by_asset.get_mut(asset.index()) {
                *slot = higher(slot.take(), raiser.clone());
            }
        }
        for zone in &op.zones {
            if let Some(slot) = by_zone.get_mut(zone.index()) {
                *slot = higher(slot.take(), raiser.clone());
            }
        }
    }
    for (asset, raiser) in model.assets.iter().zip(&by_asset) {
        let zones = asset.zone.into_iter().chain(asset.interfaces.iter().map(|i| i.zone));
        for zone in zones {
            if let Some(slot) = by_zone.get_mut(zone.index()) {
                *slot = higher(slot.take(), raiser.clone());
            }
        }
    }
    model
        .zones
        .iter()
        .zip(by_zone)
        .map(|(zone, raised_by)| {
            let derived = match zone.trust {
                Trust::Internal => Some(raised_by.as_ref().map_or(Tier::Minimum, |r| r.tier)),
                Trust::External | Trust::Untrusted => None,
            };
            let effective = match (zone.declared_tier, derived) {
                (Some(d), Some(e)) => Some(d.max(e)),
                (d, e) => d.or(e),
            };
            ZoneTier { zone: zone.id, declared: zone.declared_tier, derived, raised_by, effective }
        })
        .collect()
}
