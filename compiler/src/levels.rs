//! Where each zone sits in a Purdue-style layering: the row it is drawn in
//! by the zone diagram (`kojo graph`) and the order the posture report
//! lists zones in. It places zones for people to read; no rule and no tier
//! depends on it.
//!
//! Zones outside the plant come first: untrusted (the internet), then
//! external (a partner's network). Internal zones follow, from the
//! enterprise down to the process, at the first of:
//!
//! 1. the level the author pinned (`level 2`, `level dmz`);
//! 2. the zone's role: `role office` is the enterprise (level 4),
//!    `role remote-maintenance` the DMZ between enterprise and operations;
//! 3. the kinds of its assets (each kind's `purdue` in
//!    `stdlib/data/asset-kinds.toml`): the zone takes the *lowest* level,
//!    the one closest to the field. A control zone holds PLCs with the HMI
//!    and the maintenance terminal that serve them, and an AGV zone the
//!    PC that dispatches the AGVs; taking the highest would lift both
//!    beside the SCADA zone, where the guideline's system diagram (step
//!    1-4) does not draw them. Only assets placed in the zone count, not
//!    devices with an interface in it: a firewall's leg says nothing about
//!    what the zone is for;
//! 4. its tier in force: high is basic control (1), medium supervisory
//!    control (2), minimum site operations (3).
//!
//! Each placement says why, so the diagram can tell a reader who
//! disagrees what to change.

use std::cmp::Ordering;

use kojo_stdlib::Catalogue;

use crate::controls::zone_tier;
use crate::model::{Model, Tier, Trust, Zone, ZoneId, ZoneLevel, ZoneRole};
use crate::tiers::ZoneTier;

/// A zone's row in the diagram, top to bottom: untrusted, external, then
/// internal levels from 5 down to 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Row {
    Untrusted,
    External,
    Level(ZoneLevel),
}

impl Row {
    /// Whether the row is outside the plant.
    pub fn outside(self) -> bool {
        !matches!(self, Row::Level(_))
    }

    /// Position from the top: 0 for untrusted, 1 for external, then by
    /// height, highest first.
    fn position(self) -> (u8, u8) {
        match self {
            Row::Untrusted => (0, 0),
            Row::External => (1, 0),
            Row::Level(level) => (2, u8::MAX - level.height()),
        }
    }
}

impl PartialOrd for Row {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Top first.
impl Ord for Row {
    fn cmp(&self, other: &Self) -> Ordering {
        self.position().cmp(&other.position())
    }
}

/// Why a zone sits in its row.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case", tag = "by", content = "value")]
pub enum Why {
    /// Its trust puts it outside the plant.
    Trust(Trust),
    /// The author pinned it (`level N`).
    Pinned,
    /// Its role (`role office`).
    Role(ZoneRole),
    /// An asset of this kind (its ID) places it.
    Kind(String),
    /// Its tier in force, for want of anything better.
    Tier(Tier),
    /// Nothing says: site operations.
    Default,
}

/// A zone's row and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Placement {
    pub zone: ZoneId,
    pub row: Row,
    pub why: Why,
}

/// The level of a zone nothing places: site operations, the middle.
const DEFAULT_LEVEL: ZoneLevel = ZoneLevel::Level(3);

/// Every zone's placement, in zone order.
pub fn place(model: &Model, catalogue: &Catalogue, tiers: &[ZoneTier]) -> Vec<Placement> {
    let by_kind = kind_levels(model, catalogue);
    model
        .zones
        .iter()
        .map(|zone| {
            let (row, why) = placement(zone, by_kind.get(zone.id.index()).cloned().flatten(), tiers);
            Placement { zone: zone.id, row, why }
        })
        .collect()
}

fn placement(zone: &Zone, by_kind: Option<(ZoneLevel, String)>, tiers: &[ZoneTier]) -> (Row, Why) {
    match zone.trust {
        Trust::Untrusted => return (Row::Untrusted, Why::Trust(zone.trust)),
        Trust::External => return (Row::External, Why::Trust(zone.trust)),
        Trust::Internal => {}
    }
    if let Some(level) = zone.level {
        return (Row::Level(level), Why::Pinned);
    }
    match zone.role {
        Some(role @ ZoneRole::Office) => return (Row::Level(ZoneLevel::Level(4)), Why::Role(role)),
        Some(role @ ZoneRole::RemoteMaintenance) => return (Row::Level(ZoneLevel::Dmz), Why::Role(role)),
        None => {}
    }
    if let Some((level, kind)) = by_kind {
        return (Row::Level(level), Why::Kind(kind));
    }
    match zone_tier(tiers, zone.id) {
        Some(tier) => (Row::Level(tier_level(tier)), Why::Tier(tier)),
        None => (Row::Level(DEFAULT_LEVEL), Why::Default),
    }
}

/// The level a tier suggests: the higher the tier, the closer to the field.
fn tier_level(tier: Tier) -> ZoneLevel {
    match tier {
        Tier::High => ZoneLevel::Level(1),
        Tier::Medium => ZoneLevel::Level(2),
        Tier::Minimum => ZoneLevel::Level(3),
    }
}

/// For each zone, the lowest level of the kinds of the assets placed in
/// it, and the kind that gives it (the first in model order on a tie).
fn kind_levels(model: &Model, catalogue: &Catalogue) -> Vec<Option<(ZoneLevel, String)>> {
    let mut out: Vec<Option<(ZoneLevel, String)>> = vec![None; model.zones.len()];
    for asset in &model.assets {
        let Some(level) = catalogue.asset_kind(&asset.kind).and_then(|k| k.purdue) else { continue };
        let level = ZoneLevel::Level(level.min(ZoneLevel::TOP));
        let Some(slot) = asset.zone.and_then(|z| out.get_mut(z.index())) else { continue };
        if slot.as_ref().is_none_or(|(known, _)| level < *known) {
            *slot = Some((level, asset.kind.clone()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::MemorySource;

    fn placements(source: &str) -> Vec<(String, Row, Why)> {
        let checked = crate::check(&MemorySource::new("t").with_file("plant.kojo", source), &[]);
        let model = checked.model.as_ref().expect("compiles");
        let catalogue = checked.catalogue.as_ref().expect("catalogue");
        place(model, catalogue, &checked.tiers)
            .into_iter()
            .map(|p| (model.zones[p.zone.index()].name.clone(), p.row, p.why))
            .collect()
    }

    const PLANT: &str = r#"
plant "T" { profile meti-factory }
zone internet : untrusted
zone vendor : external
zone oa { subnet 10.0.0.0/24  role office }
zone rm { subnet 10.0.1.0/24  role remote-maintenance }
zone line { subnet 10.0.2.0/24 }
zone scada_z { subnet 10.0.3.0/24 }
zone pinned { subnet 10.0.4.0/24  level 0 }
zone empty { subnet 10.0.5.0/24  tier high }
asset hmi1 in line { kind hmi  ip 10.0.2.10 }
asset plc1 in line { kind plc  ip 10.0.2.11 }
asset scada1 in scada_z { kind scada  ip 10.0.3.10 }
asset plc2 in pinned { kind plc  ip 10.0.4.10 }
"#;

    #[test]
    fn each_source_of_a_level_in_order() {
        let got = placements(PLANT);
        let level = |n| Row::Level(ZoneLevel::Level(n));
        assert_eq!(
            got,
            vec![
                ("internet".into(), Row::Untrusted, Why::Trust(Trust::Untrusted)),
                ("vendor".into(), Row::External, Why::Trust(Trust::External)),
                ("oa".into(), level(4), Why::Role(ZoneRole::Office)),
                ("rm".into(), Row::Level(ZoneLevel::Dmz), Why::Role(ZoneRole::RemoteMaintenance)),
                ("line".into(), level(1), Why::Kind("plc".into())),
                ("scada_z".into(), level(2), Why::Kind("scada".into())),
                ("pinned".into(), level(0), Why::Pinned),
                ("empty".into(), level(1), Why::Tier(Tier::High)),
            ]
        );
    }

    #[test]
    fn rows_run_from_outside_to_the_process() {
        let mut rows = vec![
            Row::Level(ZoneLevel::Level(0)),
            Row::Level(ZoneLevel::Dmz),
            Row::External,
            Row::Level(ZoneLevel::Level(4)),
            Row::Untrusted,
            Row::Level(ZoneLevel::Level(3)),
        ];
        rows.sort();
        assert_eq!(
            rows,
            [
                Row::Untrusted,
                Row::External,
                Row::Level(ZoneLevel::Level(4)),
                Row::Level(ZoneLevel::Dmz),
                Row::Level(ZoneLevel::Level(3)),
                Row::Level(ZoneLevel::Level(0)),
            ]
        );
        assert!(Row::External.outside() && !Row::Level(ZoneLevel::Dmz).outside());
    }

    #[test]
    fn a_level_is_zero_to_five_or_dmz() {
        assert_eq!(ZoneLevel::parse("5"), Some(ZoneLevel::Level(5)));
        assert_eq!(ZoneLevel::parse("dmz"), Some(ZoneLevel::Dmz));
        assert_eq!(ZoneLevel::parse("6"), None);
        assert_eq!(ZoneLevel::parse("-1"), None);
        assert_eq!(ZoneLevel::parse("DMZ"), None);
    }
}
