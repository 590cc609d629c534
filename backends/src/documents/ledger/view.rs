//! The ledger in one language: one row per asset, plain data that the CSV,
//! JSON and CycloneDX writers (and the posture report) read.

use kojo_compiler::controls::{asset_controls, asset_tier};
use kojo_compiler::model::{Asset, EntityRef, Model, ZoneId};
use kojo_compiler::tiers::ZoneTier;
use kojo_compiler::types::Date;
use serde::Serialize;

use crate::documents::text::Words;

/// What a ledger is made from: the checked model and what the compiler
/// derived from it.
pub struct Source<'a> {
    pub model: &'a Model,
    pub tiers: &'a [ZoneTier],
    /// The document date: waivers that expired before it are not listed.
    pub date: Date,
}

#[derive(Debug, Clone, Serialize)]
pub struct LedgerView {
    pub lang: &'static str,
    pub project: String,
    pub plant_code: String,
    pub plant_name: Option<String>,
    /// The document date, `YYYY-MM-DD`.
    pub date: String,
    pub kojo_version: &'static str,
    /// In zone order (the zones as the model declares them), then by name;
    /// assets in no zone last.
    pub assets: Vec<AssetRow>,
}

/// One asset: what guideline checklist 2-6 asks an inventory to hold.
#[derive(Debug, Clone, Serialize)]
pub struct AssetRow {
    pub name: String,
    pub title: Option<String>,
    /// Its zone, or the zone of its first interface.
    pub zone: Option<String>,
    /// The other zones it has interfaces in, in model order.
    pub other_zones: Vec<String>,
    /// The tier in force (the highest of its zones'); none outside the plant.
    pub tier: Option<Named>,
    pub kind: Named,
    /// Its own addresses, then its interfaces'.
    pub addresses: Vec<Address>,
    pub vendor: Option<String>,
    pub model: Option<String>,
    pub firmware: Option<String>,
    pub services: Vec<String>,
    /// Declared, inherited from its zones, and proven by the model, by ID.
    pub controls: Vec<Named>,
    pub capabilities: Vec<String>,
    pub ports: Vec<Port>,
    /// The waivers that cover it and are live on the document date.
    pub waivers: Vec<WaiverRow>,
    /// The software it runs (`component`), in source order.
    pub components: Vec<ComponentRow>,
}

/// A piece of software an asset runs.
#[derive(Debug, Clone, Serialize)]
pub struct ComponentRow {
    pub name: String,
    /// `application`, `operating-system` or `library`: CycloneDX's type.
    pub kind: &'static str,
    pub version: Option<String>,
    pub vendor: Option<String>,
    pub purl: Option<String>,
    pub cpe: Option<String>,
}

/// A catalogue ID with its label in the document's language.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Named {
    pub id: String,
    pub label: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Address {
    pub address: String,
    /// The zone of the interface it belongs to; none for the asset's own.
    pub zone: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Port {
    pub port: String,
    pub state: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct WaiverRow {
    pub rules: Vec<String>,
    /// `YYYY-MM-DD`.
    pub until: String,
    pub reason: String,
}

/// The ledger of `source`'s model in the language of `words`.
pub fn build(source: &Source<'_>, words: &Words<'_>) -> LedgerView {
    let model = source.model;
    let mut order: Vec<&Asset> = model.assets.iter().collect();
    // Zone order first; an asset in no zone (none resolved) sorts last.
    order.sort_by(|a, b| {
        (home(a).map_or(u32::MAX, |z| z.0), &a.name).cmp(&(home(b).map_or(u32::MAX, |z| z.0), &b.name))
    });
    let assets = order.into_iter().map(|asset| row(source, words, asset)).collect();
    LedgerView {
        lang: words.lang.code(),
        project: model.project.clone(),
        plant_code: model.plant.code.clone(),
        plant_name: model.plant.name.clone(),
        date: source.date.to_string(),
        kojo_version: env!("CARGO_PKG_VERSION"),
        assets,
    }
}

/// The zone an asset is listed under.
fn home(asset: &Asset) -> Option<ZoneId> {
    asset.zone.or_else(|| asset.interfaces.first().map(|i| i.zone))
}

fn row(source: &Source<'_>, words: &Words<'_>, asset: &Asset) -> AssetRow {
    let model = source.model;
    let zone_name = |id: ZoneId| model.zone(id).map_or_else(|| "?".to_string(), |z| z.name.clone());
    let home = home(asset);
    let mut other_zones: Vec<ZoneId> = Vec::new();
    for interface in &asset.interfaces {
        if Some(interface.zone) != home && !other_zones.contains(&interface.zone) {
            other_zones.push(interface.zone);
        }
    }
    other_zones.sort();
    let addresses = asset
        .addresses
        .iter()
        .map(|a| Address { address: a.to_string(), zone: None })
        .chain(
            asset.interfaces.iter().map(|i| Address { address: i.address.to_string(), zone: Some(zone_name(i.zone)) }),
        )
        .collect();
    let kind_label = words
        .catalogue
        .asset_kind(&asset.kind)
        .map_or_else(|| asset.kind.clone(), |k| words.label(&k.label).to_string());
    AssetRow {
        name: asset.name.clone(),
        title: asset.title.clone(),
        zone: home.map(zone_name),
        other_zones: other_zones.into_iter().map(zone_name).collect(),
        tier: asset_tier(source.tiers, asset).map(|t| Named { id: t.id().to_string(), label: words.tier(t) }),
        kind: Named { id: asset.kind.clone(), label: kind_label },
        addresses,
        vendor: asset.vendor.clone(),
        model: asset.model.clone(),
        firmware: asset.firmware.clone(),
        services: asset.services.clone(),
        controls: asset_controls(model, words.catalogue, asset)
            .into_iter()
            .map(|id| Named { id: id.to_string(), label: words.control(id) })
            .collect(),
        capabilities: asset.capabilities.clone(),
        ports: asset.ports.iter().map(|p| Port { port: p.port.clone(), state: p.state.clone() }).collect(),
        waivers: waivers(source, asset),
        components: asset
            .components
            .iter()
            .map(|c| ComponentRow {
                name: c.name.clone(),
                kind: c.kind.keyword(),
                version: c.version.clone(),
                vendor: c.vendor.clone(),
                purl: c.purl.clone(),
                cpe: c.cpe.clone(),
            })
            .collect(),
    }
}

/// The live waivers covering `asset`, soonest expiry first, then in model order.
fn waivers(source: &Source<'_>, asset: &Asset) -> Vec<WaiverRow> {
    let model = source.model;
    let mut live: Vec<_> = model
        .waivers
        .iter()
        .filter(|w| w.until >= source.date && w.covers(model, EntityRef::Asset(asset.id)))
        .collect();
    live.sort_by_key(|w| w.until);
    live.into_iter()
        .map(|w| WaiverRow {
            rules: w.rule_ids().map(String::from).collect(),
            until: w.until.to_string(),
            reason: w.reason.clone(),
        })
        .collect()
}
