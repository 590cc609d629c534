//! The asset ledger in the report: the ledger's own rows
//! ([`crate::documents::ledger`]) for a plant a page can list, or how many
//! assets each zone holds of each kind for one it cannot.

use std::collections::BTreeMap;

use kojo_compiler::model::ZoneId;
use serde::Serialize;

use super::Request;
use crate::documents::ledger::{self, AssetRow, Source};
use crate::documents::text::Words;

/// Above this many assets the report counts assets by zone and kind
/// instead of listing them: a ten-thousand-row table is no page for a
/// plant manager, and `kojo ledger` writes every row for a spreadsheet.
pub const LIST_UP_TO: usize = 500;

#[derive(Debug, Clone, Serialize)]
pub struct LedgerSection {
    pub total: usize,
    /// Every asset, in the ledger's order; empty when counted instead.
    pub rows: Vec<AssetRow>,
    /// Whether the assets are counted rather than listed.
    pub counted: bool,
    /// Assets by zone (in the report's zone order) and kind, when counted.
    pub counts: Vec<KindCount>,
    pub list_up_to: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct KindCount {
    pub zone: String,
    pub kind: String,
    pub count: usize,
}

pub fn section(request: &Request<'_>, words: &Words<'_>, zone_order: &[ZoneId]) -> LedgerSection {
    let model = request.model;
    let total = model.assets.len();
    if total <= LIST_UP_TO {
        let source = Source { model, tiers: request.tiers, date: request.now };
        let rows = ledger::view(&source, words).assets;
        return LedgerSection { total, rows, counted: false, counts: Vec::new(), list_up_to: LIST_UP_TO };
    }
    // zone index → kind → count; an asset counts in its own zone, or the
    // zone of its first interface (as the ledger lists it).
    let mut by_zone: Vec<BTreeMap<&str, usize>> = vec![BTreeMap::new(); model.zones.len()];
    for asset in &model.assets {
        let home = asset.zone.or_else(|| asset.interfaces.first().map(|i| i.zone));
        if let Some(kinds) = home.and_then(|z| by_zone.get_mut(z.index())) {
            *kinds.entry(asset.kind.as_str()).or_default() += 1;
        }
    }
    let mut counts = Vec::new();
    for &id in zone_order {
        let (Some(zone), Some(kinds)) = (model.zone(id), by_zone.get(id.index())) else { continue };
        for (kind, count) in kinds {
            let label = request.catalogue.asset_kind(kind).map_or(*kind, |k| words.label(&k.label));
            counts.push(KindCount { zone: zone.name.clone(), kind: label.to_string(), count: *count });
        }
    }
    LedgerSection { total, rows: Vec::new(), counted: true, counts, list_up_to: LIST_UP_TO }
}
