//! The facts a specification needs about each asset it covers: where it
//! goes, the tier it must meet and why, the conduits and flows it takes
//! part in, and which conditional parts of the template apply to it.

use std::collections::BTreeSet;

use kojo_compiler::controls;
use kojo_compiler::model::{Asset, Conduit, ConduitId, FlowEnd, Model, Tier, Trust, ZoneId};
use kojo_compiler::tiers::ZoneTier;
use kojo_stdlib::Catalogue;

/// One asset of the specification.
pub struct Item<'m> {
    pub asset: &'m Asset,
    /// The plant's own zones the asset sits in (its zone, or its interfaces' zones).
    pub zones: Vec<ZoneId>,
    /// The tier its zones require of it; `None` outside the plant.
    pub tier: Option<Tier>,
    /// The highest tier of the item and of the conduits it takes part in:
    /// what the network measures around it must meet.
    pub network_tier: Option<Tier>,
    /// Conduits it opens or accepts connections on.
    pub conduits: Vec<&'m Conduit>,
    /// Conduits it enforces (as the firewall or gateway named by `enforced-by`).
    pub enforces: Vec<&'m Conduit>,
    /// The tier of each conduit it enforces.
    pub enforced_tiers: Vec<(ConduitId, Tier)>,
    /// Remote-access conduits that reach it: straight from outside the
    /// plant, or from a host that is itself reached from outside (a jump host).
    pub remote: Vec<&'m Conduit>,
    /// Wireless assets of its zones (itself, if it is one).
    pub wireless: Vec<&'m Asset>,
    pub in_force: BTreeSet<&'m str>,
}

impl<'m> Item<'m> {
    pub fn new(model: &'m Model, catalogue: &'m Catalogue, tiers: &[ZoneTier], asset: &'m Asset) -> Item<'m> {
        let zones: Vec<ZoneId> = asset
            .zone
            .into_iter()
            .chain(asset.interfaces.iter().map(|i| i.zone))
            .filter(|z| model.zone(*z).is_some_and(|z| z.trust == Trust::Internal))
            .collect();
        let tier = controls::asset_tier(tiers, asset);
        let conduits: Vec<&Conduit> = model.conduits.iter().filter(|c| takes_part(c, asset)).collect();
        let network_tier = conduits.iter().filter_map(|c| controls::conduit_tier(tiers, c)).chain(tier).max();
        let enforces: Vec<&Conduit> = model.conduits.iter().filter(|c| c.enforced_by == Some(asset.id)).collect();
        let enforced_tiers =
            enforces.iter().filter_map(|c| controls::conduit_tier(tiers, c).map(|t| (c.id, t))).collect();
        let wireless = zones
            .iter()
            .flat_map(|z| model.assets_in(*z))
            .filter(|a| catalogue.asset_kind(&a.kind).is_some_and(|k| k.wireless))
            .fold(Vec::new(), |mut seen: Vec<&Asset>, a| {
                if !seen.iter().any(|s| s.id == a.id) {
                    seen.push(a);
                }
                seen
            });
        Item {
            asset,
            zones,
            tier,
            network_tier,
            remote: remote_reach(model, asset),
            conduits,
            enforces,
            enforced_tiers,
            wireless,
            in_force: controls::asset_controls(model, catalogue, asset),
        }
    }
}

/// Whether `asset` is a source or destination of one of the conduit's flows
/// (named, or as `any` host of its zone on that side).
fn takes_part(conduit: &Conduit, asset: &Asset) -> bool {
    let on = |end: &FlowEnd, zone: ZoneId| match end {
        FlowEnd::Any => asset.is_in(zone) && !asset.enforcing,
        FlowEnd::Assets(ids) => ids.contains(&asset.id),
    };
    conduit.flows.iter().any(|f| on(&f.source, conduit.from) || on(&f.destination, conduit.to))
}

/// Whether `asset` is a destination of the conduit's flows.
fn destination_of(conduit: &Conduit, asset: &Asset) -> bool {
    conduit.flows.iter().any(|f| match &f.destination {
        FlowEnd::Any => asset.is_in(conduit.to) && !asset.enforcing,
        FlowEnd::Assets(ids) => ids.contains(&asset.id),
    })
}

/// Conduits from outside the plant that reach `asset`: directly, or through
/// a host they reach that opens a connection to it (the jump-host pattern).
fn remote_reach<'m>(model: &'m Model, asset: &Asset) -> Vec<&'m Conduit> {
    let outside = |z: ZoneId| model.zone(z).is_some_and(|z| z.trust != Trust::Internal);
    let inbound: Vec<&Conduit> = model.conduits.iter().filter(|c| outside(c.from) && !outside(c.to)).collect();
    let mut out: Vec<&Conduit> = inbound.iter().copied().filter(|c| destination_of(c, asset)).collect();
    // Hosts reached from outside, then the conduits those hosts open to `asset`.
    for way_in in &inbound {
        let landed: Vec<&Asset> = model.assets.iter().filter(|a| destination_of(way_in, a)).collect();
        let onward = model.conduits.iter().any(|c| {
            destination_of(c, asset)
                && c.flows.iter().any(|f| match &f.source {
                    FlowEnd::Assets(ids) => landed.iter().any(|a| ids.contains(&a.id)),
                    FlowEnd::Any => landed.iter().any(|a| a.is_in(c.from)),
                })
        });
        if onward && !out.iter().any(|c| c.id == way_in.id) {
            out.push(way_in);
        }
    }
    out.sort_by_key(|c| c.id);
    out
}
