//! The controls in force for each zone, conduit and asset, and the tier
//! each one must meet.
//!
//! Controls come from three places: what the entity declares (`controls
//! [...]`), what its zone declares (zone controls are in force for every
//! asset in the zone), and what the model itself proves. Proven controls are
//! derived, not trusted: a conduit `enforced-by` a firewall has `firewall`;
//! one whose flows all name services between named hosts has
//! `protocol-allowlist`; flows that all name their protocol functions
//! (Modbus `read`) give `function-restriction`; a `window` gives `time-window`; a zone with a VLAN
//! or subnet has `segmentation-vlan`; an asset whose declared ports are all
//! capped, locked or sealed has the matching port control.

use std::collections::BTreeSet;

use kojo_stdlib::Catalogue;

use crate::model::{Asset, Conduit, FlowEnd, Model, Tier, Traffic, Zone};
use crate::tiers::ZoneTier;

/// The controls kojo derives from the model rather than trusting a claim
/// (see the functions below); claiming one the model does not show is
/// CONTROL-CONTRADICTED.
pub const DERIVED: [&str; 8] = [
    "firewall",
    "protocol-allowlist",
    "function-restriction",
    "time-window",
    "segmentation-vlan",
    "port-caps",
    "soft-lockout",
    "hard-lockout",
];

/// Controls the model proves for a zone.
pub fn proven_for_zone(zone: &Zone) -> Vec<&'static str> {
    if zone.vlan.is_some() || !zone.subnets.is_empty() {
        vec!["segmentation-vlan"]
    } else {
        Vec::new()
    }
}

/// Whether every flow of the conduit names services between named hosts.
pub fn flows_restrict_messages(conduit: &Conduit) -> bool {
    !conduit.flows.is_empty()
        && conduit.flows.iter().all(|f| {
            matches!(f.traffic, Traffic::Services(_)) && f.source != FlowEnd::Any && f.destination != FlowEnd::Any
        })
}

/// Whether every flow whose services define protocol functions (Modbus
/// read/write, …) says which functions it allows, and at least one does.
pub fn flows_restrict_functions(catalogue: &Catalogue, conduit: &Conduit) -> bool {
    let has_functions = |flow: &crate::model::Flow| match &flow.traffic {
        Traffic::Services(names) => names.iter().any(|n| catalogue.service(n).is_some_and(|s| !s.functions.is_empty())),
        Traffic::Ports(_) => false,
    };
    let restrictable: Vec<_> = conduit.flows.iter().filter(|f| has_functions(f)).collect();
    !restrictable.is_empty() && restrictable.iter().all(|f| !f.functions.is_empty())
}

/// Controls the model proves for a conduit.
pub fn proven_for_conduit(catalogue: &Catalogue, conduit: &Conduit) -> Vec<&'static str> {
    let mut proven = Vec::new();
    if conduit.enforced_by.is_some() {
        proven.push("firewall");
    }
    if flows_restrict_messages(conduit) {
        proven.push("protocol-allowlist");
    }
    if conduit.window.is_some() {
        proven.push("time-window");
    }
    if flows_restrict_functions(catalogue, conduit) {
        proven.push("function-restriction");
    }
    proven
}

/// The port control the asset's weakest declared port proves, if all its
/// declared ports are at least capped.
pub fn proven_port_control<'c>(catalogue: &'c Catalogue, asset: &Asset) -> Option<&'c str> {
    // The weakest port decides (by tier, not by name): an `open` port,
    // which has no tier, proves nothing.
    let weakest = asset
        .ports
        .iter()
        .map(|p| catalogue.port_state(&p.state))
        .min_by_key(|state| state.and_then(|s| s.tier.as_deref()).and_then(Tier::from_id))?;
    weakest.and_then(|s| s.control.as_deref())
}

/// Controls the model proves for an asset.
pub fn proven_for_asset<'c>(catalogue: &'c Catalogue, asset: &Asset) -> Vec<&'c str> {
    proven_port_control(catalogue, asset).into_iter().collect()
}

/// The controls in force for a zone.
pub fn zone_controls(zone: &Zone) -> BTreeSet<&str> {
    zone.controls.iter().map(String::as_str).chain(proven_for_zone(zone)).collect()
}

/// The controls in force for a conduit.
pub fn conduit_controls<'a>(catalogue: &Catalogue, conduit: &'a Conduit) -> BTreeSet<&'a str> {
    conduit.controls.iter().map(String::as_str).chain(proven_for_conduit(catalogue, conduit)).collect()
}

/// The controls in force for an asset: its own, its zones', and proven ones.
pub fn asset_controls<'a>(model: &'a Model, catalogue: &'a Catalogue, asset: &'a Asset) -> BTreeSet<&'a str> {
    let zones = asset.zone.into_iter().chain(asset.interfaces.iter().map(|i| i.zone)).filter_map(|z| model.zone(z));
    asset
        .controls
        .iter()
        .map(String::as_str)
        .chain(zones.flat_map(|z| z.controls.iter().map(String::as_str)))
        .chain(proven_for_asset(catalogue, asset))
        .collect()
}

/// A zone's tier in force; `None` for external and untrusted zones.
pub fn zone_tier(tiers: &[ZoneTier], zone: crate::model::ZoneId) -> Option<Tier> {
    tiers.get(zone.index()).and_then(|t| t.effective)
}

/// A conduit's tier: the higher of its two zones' (guideline: a conduit
/// into a zone needs the controls of the higher tier).
pub fn conduit_tier(tiers: &[ZoneTier], conduit: &Conduit) -> Option<Tier> {
    zone_tier(tiers, conduit.from).max(zone_tier(tiers, conduit.to))
}

/// An asset's tier: the highest of the zones it sits in.
pub fn asset_tier(tiers: &[ZoneTier], asset: &Asset) -> Option<Tier> {
    asset.zone.into_iter().chain(asset.interfaces.iter().map(|i| i.zone)).filter_map(|z| zone_tier(tiers, z)).max()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MemorySource;

    fn proven(ports: &str) -> Option<String> {
        let text = format!("plant \"T\"\nzone a \"A\"\nasset x \"X\" in a {{\n  kind plc\n  ports {{ {ports} }}\n}}\n");
        let checked = crate::check(&MemorySource::new("t").with_file("t.kojo", text), &[]);
        let model = checked.model.unwrap();
        let catalogue = Catalogue::builtin().unwrap();
        proven_port_control(catalogue, &model.assets[0]).map(String::from)
    }

    #[test]
    fn the_weakest_port_decides() {
        assert_eq!(proven("usb sealed; ethernet-spare sealed").as_deref(), Some("hard-lockout"));
        assert_eq!(proven("usb sealed; ethernet-spare capped").as_deref(), Some("port-caps"));
        assert_eq!(proven("usb locked; serial sealed").as_deref(), Some("soft-lockout"));
        assert_eq!(proven("usb sealed; serial open"), None);
    }
}
