//! The summary by zone and tier: every zone from the outside in, with
//! trust, role, tiers, size, conduits, findings, waived findings and open
//! threat entry points; and how many zones and assets each tier holds.

use kojo_compiler::controls::asset_tier;
use kojo_compiler::levels::{self, Placement};
use kojo_compiler::model::{EntityRef, Model, Tier, Trust, ZoneId};
use kojo_compiler::rules::Finding;
use kojo_compiler::tiers::ZoneTier;
use kojo_lang::Severity;
use kojo_stdlib::Catalogue;
use serde::Serialize;

use super::Request;
use crate::documents::graph::row_key;
use crate::documents::text::{Words, WordsError};

#[derive(Debug, Clone, Serialize)]
pub struct ZoneRow {
    pub name: String,
    pub title: Option<String>,
    pub trust: &'static str,
    pub trust_label: String,
    pub role_label: Option<String>,
    /// The zone diagram's row: `Level 3: site operations`, `Outside: untrusted`.
    pub level_label: String,
    /// The tier in force (`high`), none outside the plant.
    pub tier: Option<&'static str>,
    pub tier_label: Option<String>,
    pub derived_label: Option<String>,
    pub declared_label: Option<String>,
    pub assets: usize,
    pub conduits_in: usize,
    pub conduits_out: usize,
    pub errors: usize,
    pub warnings: usize,
    pub waived: usize,
    pub threats_open: usize,
    pub threats_partial: usize,
    pub threats: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct TierCount {
    pub tier: &'static str,
    pub label: String,
    pub zones: usize,
    pub assets: usize,
}

/// What the other sections found in each zone, indexed by zone ID.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    pub errors: usize,
    pub warnings: usize,
    pub waived: usize,
    pub threats_open: usize,
    pub threats_partial: usize,
    pub threats_unknown: usize,
    pub threats: usize,
}

/// The order the report shows zones in: the zone diagram's rows from the
/// top (untrusted, external, then the plant's own from the enterprise
/// down to the process; [`levels`]), each row in declaration order.
pub fn order(model: &Model, catalogue: &Catalogue, tiers: &[ZoneTier]) -> Vec<Placement> {
    let mut placements = levels::place(model, catalogue, tiers);
    placements.sort_by_key(|p| (p.row, p.zone));
    placements
}

/// The zone a finding counts in: its zone, an asset's zone, the zone a
/// conduit enters, or the one it leaves when it enters a zone outside the
/// plant (the plant's own end is what the finding asks to protect); none
/// for the plant, operations, data.
pub fn zone_of(model: &Model, target: EntityRef) -> Option<ZoneId> {
    let internal = |z: ZoneId| model.zone(z).is_some_and(|z| z.trust == Trust::Internal);
    match target {
        EntityRef::Zone(z) => Some(z),
        EntityRef::Asset(a) => model.asset(a).and_then(|a| a.zone),
        EntityRef::Conduit(c) => {
            model.conduit(c).map(|c| if internal(c.to) || !internal(c.from) { c.to } else { c.from })
        }
        EntityRef::Plant | EntityRef::Operation(_) | EntityRef::Data(_) => None,
    }
}

/// Adds the findings shown and the findings waived to each zone's tally.
pub fn count_findings(model: &Model, shown: &[&Finding], waived: &[Finding], tallies: &mut [Tally]) {
    for finding in shown {
        if let Some(tally) = zone_of(model, finding.target).and_then(|z| tallies.get_mut(z.index())) {
            match finding.severity {
                Severity::Error => tally.errors += 1,
                Severity::Warning => tally.warnings += 1,
                Severity::Info => {}
            }
        }
    }
    for finding in waived {
        if let Some(tally) = zone_of(model, finding.target).and_then(|z| tallies.get_mut(z.index())) {
            tally.waived += 1;
        }
    }
}

/// How many assets each zone holds (by primary zone or an interface), in one pass.
fn assets_per_zone(model: &Model) -> Vec<usize> {
    let mut counts = vec![0; model.zones.len()];
    for asset in &model.assets {
        let mut zones: Vec<ZoneId> = asset.zone.into_iter().chain(asset.interfaces.iter().map(|i| i.zone)).collect();
        zones.sort();
        zones.dedup();
        for zone in zones {
            if let Some(count) = counts.get_mut(zone.index()) {
                *count += 1;
            }
        }
    }
    counts
}

/// One row per zone, in `order`.
pub fn rows(
    request: &Request<'_>,
    words: &Words<'_>,
    order: &[Placement],
    tallies: &[Tally],
) -> Result<Vec<ZoneRow>, WordsError> {
    let model = request.model;
    let assets = assets_per_zone(model);
    let (mut into, mut out_of) = (vec![0; model.zones.len()], vec![0; model.zones.len()]);
    for conduit in &model.conduits {
        if let Some(n) = into.get_mut(conduit.to.index()) {
            *n += 1;
        }
        if let Some(n) = out_of.get_mut(conduit.from.index()) {
            *n += 1;
        }
    }
    let none = Tally::default();
    let mut rows = Vec::with_capacity(order.len());
    for (zone, placement) in order.iter().filter_map(|p| Some((model.zone(p.zone)?, p))) {
        let i = zone.id.index();
        let tier = request.tiers.get(i);
        let tally = tallies.get(i).unwrap_or(&none);
        let label = |t: Option<Tier>| t.map(|t| words.tier(t));
        rows.push(ZoneRow {
            name: zone.name.clone(),
            title: zone.title.clone(),
            trust: zone.trust.keyword(),
            trust_label: words.plain(&format!("report.trust.{}", zone.trust.keyword()))?,
            level_label: words.plain(&format!("graph.level.{}", row_key(placement.row)))?,
            role_label: zone.role.map(|r| words.plain(&format!("report.role.{}", r.keyword()))).transpose()?,
            tier: tier.and_then(|t| t.effective).map(Tier::id),
            tier_label: label(tier.and_then(|t| t.effective)),
            derived_label: label(tier.and_then(|t| t.derived)),
            declared_label: label(tier.and_then(|t| t.declared)),
            assets: assets.get(i).copied().unwrap_or(0),
            conduits_in: into.get(i).copied().unwrap_or(0),
            conduits_out: out_of.get(i).copied().unwrap_or(0),
            errors: tally.errors,
            warnings: tally.warnings,
            waived: tally.waived,
            threats_open: tally.threats_open,
            threats_partial: tally.threats_partial,
            threats: tally.threats,
        });
    }
    Ok(rows)
}

/// How many internal zones, and assets in them, each tier holds, highest first.
///
/// An asset counts once, at its own tier (the highest of its zones'), so a
/// firewall with a leg in three zones is one asset, as in the header.
pub fn tier_counts(words: &Words<'_>, rows: &[ZoneRow], model: &Model, tiers: &[ZoneTier]) -> Vec<TierCount> {
    Tier::ALL
        .iter()
        .rev()
        .map(|tier| {
            let zones = rows.iter().filter(|r| r.tier == Some(tier.id())).count();
            let assets = model.assets.iter().filter(|a| asset_tier(tiers, a) == Some(*tier)).count();
            TierCount { tier: tier.id(), label: words.tier(*tier), zones, assets }
        })
        .collect()
}
