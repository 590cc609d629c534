//! The controls in force for each zone, conduit and asset, and the tier
//! each one must meet.
//!
//! Controls come from three places: what the entity declares (`controls
//! [...]`), what its zone declares (zone controls are in force for every
//! asset in the zone), and what the model itself proves. Proven controls are
//! derived, not trusted: a conduit `enforced-by` a firewall has `firewall`;
//! one whose flows all name services between named hosts has
//! `protocol-allowlist`; flows that all name their protocol functions
//! (Modbus `read`) give `function-restriction`; a `window` gives `time-window`; a zone with a
//! `vlan` has `segmentation-vlan` (a subnet alone is an address range, not a
//! logical domain); an asset whose declared unused ports are all capped,
//! locked or sealed has the matching port controls.

use std::collections::BTreeSet;

use kojo_stdlib::Catalogue;

use crate::model::{Asset, Conduit, FlowEnd, Model, Tier, Traffic, Zone};
use crate::tiers::ZoneTier;

/// Controls the model proves for a zone.
pub fn proven_for_zone(zone: &Zone) -> Vec<&'static str> {
    if zone.vlan.is_some() {
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

/// The device table's rows for ports [3.2.2(1)②]: 不要ポート governs the
/// unused ports, 利用ポート the used ones.
pub const UNUSED_PORTS_ROW: &str = "unused-ports";
pub const USED_PORTS_ROW: &str = "used-ports";

/// Whether the port is in use (利用ポート) rather than unused.
fn in_use(catalogue: &Catalogue, port: &crate::model::PhysicalPort) -> bool {
    catalogue.port_state(&port.state).is_some_and(|s| s.used)
}

/// Whether a requirement of tier-table row `item` concerns the asset: the
/// unused-ports row one with an unused port, the used-ports row one with a
/// used port. An asset that declares no ports may have either.
pub fn row_concerns(catalogue: &Catalogue, item: &str, asset: &Asset) -> bool {
    if asset.ports.is_empty() {
        return true;
    }
    match item {
        UNUSED_PORTS_ROW => asset.ports.iter().any(|p| !in_use(catalogue, p)),
        USED_PORTS_ROW => asset.ports.iter().any(|p| in_use(catalogue, p)),
        _ => true,
    }
}

/// The port controls the asset's declared unused ports prove: the weakest
/// unused port's state and every state below it (the states are cumulative
/// like the table's ＋ cells: a `sealed` port is also capped and locked).
/// Nothing without a declared unused port, or with one left `open`.
pub fn proven_port_controls<'c>(catalogue: &'c Catalogue, asset: &Asset) -> Vec<&'c str> {
    let rank = |state: &str| catalogue.port_state(state).and_then(|s| s.tier.as_deref()).and_then(Tier::from_id);
    let unused = asset.ports.iter().filter(|p| !in_use(catalogue, p));
    let Some(weakest) = unused.map(|p| rank(&p.state)).min() else { return Vec::new() };
    let Some(weakest) = weakest else { return Vec::new() };
    let mut states: Vec<_> = catalogue
        .port_states()
        .filter_map(|s| Some((s.tier.as_deref().and_then(Tier::from_id)?, s.control.as_deref()?)))
        .filter(|(tier, _)| *tier <= weakest)
        .collect();
    states.sort();
    states.into_iter().map(|(_, control)| control).collect()
}

/// Whether the asset declares an unused port, whose state then decides
/// its port controls.
pub fn has_unused_port(catalogue: &Catalogue, asset: &Asset) -> bool {
    asset.ports.iter().any(|p| !in_use(catalogue, p))
}

/// Controls the model proves for an asset.
pub fn proven_for_asset<'c>(catalogue: &'c Catalogue, asset: &Asset) -> Vec<&'c str> {
    proven_port_controls(catalogue, asset)
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

    fn proven(ports: &str) -> Vec<String> {
        let model = model(ports);
        let catalogue = Catalogue::builtin().unwrap();
        proven_port_controls(catalogue, &model.assets[0]).into_iter().map(String::from).collect()
    }

    /// What the model proves is exactly what the catalogue says kojo
    /// derives (`proven_by`), so pages and help tell the truth about both.
    #[test]
    fn the_proven_controls_are_the_catalogues_derived_ones() {
        let text = "plant \"T\"\nzone a \"A\" { subnet 10.1.0.0/24; vlan 10 }\nzone b \"B\" { subnet 10.2.0.0/24 }\n\
                    asset fw \"FW\" { kind firewall; interfaces { a 10.1.0.1; b 10.2.0.1 } }\n\
                    asset x \"X\" in a { kind scada; ip 10.1.0.5 }\n\
                    asset y \"Y\" in b { kind plc; ip 10.2.0.5; ports { usb sealed } }\n\
                    conduit c from a to b { allow x -> y service modbus-tcp { functions [read] }; enforced-by fw; window \"Mon-Fri 09:00-17:00 Asia/Tokyo\" }\n";
        let model = crate::check(&MemorySource::new("t").with_file("t.kojo", text), &[]).model.unwrap();
        let catalogue = Catalogue::builtin().unwrap();
        let mut proven: BTreeSet<&str> = model.zones.iter().flat_map(proven_for_zone).collect();
        proven.extend(model.conduits.iter().flat_map(|c| proven_for_conduit(catalogue, c)));
        proven.extend(model.assets.iter().flat_map(|a| proven_for_asset(catalogue, a)));
        let derived: BTreeSet<&str> =
            catalogue.controls().filter(|c| c.proven_by.is_some()).map(|c| c.id.as_str()).collect();
        assert_eq!(proven, derived);
    }

    fn model(ports: &str) -> crate::model::Model {
        let text = format!("plant \"T\"\nzone a \"A\"\nasset x \"X\" in a {{\n  kind plc\n  ports {{ {ports} }}\n}}\n");
        crate::check(&MemorySource::new("t").with_file("t.kojo", text), &[]).model.unwrap()
    }

    #[test]
    fn the_weakest_unused_port_decides_and_states_are_cumulative() {
        assert_eq!(proven("usb sealed; ethernet-spare sealed"), ["port-caps", "soft-lockout", "hard-lockout"]);
        assert_eq!(proven("usb sealed; ethernet-spare capped"), ["port-caps"]);
        assert_eq!(proven("usb locked; serial sealed"), ["port-caps", "soft-lockout"]);
        assert!(proven("usb sealed; serial open").is_empty());
    }

    #[test]
    fn used_ports_are_not_unused_ports() {
        // a used port does not weaken what the unused ones show …
        assert_eq!(proven("usb used; ethernet-spare capped"), ["port-caps"]);
        // … and with only used ports, nothing is shown either way
        assert!(proven("usb used").is_empty());
        let catalogue = Catalogue::builtin().unwrap();
        let only_used = model("usb used; serial used");
        assert!(!row_concerns(catalogue, UNUSED_PORTS_ROW, &only_used.assets[0]));
        assert!(row_concerns(catalogue, USED_PORTS_ROW, &only_used.assets[0]));
        let only_unused = model("usb sealed");
        assert!(row_concerns(catalogue, UNUSED_PORTS_ROW, &only_unused.assets[0]));
        assert!(!row_concerns(catalogue, USED_PORTS_ROW, &only_unused.assets[0]));
        let undeclared = model("usb open").assets[0].clone();
        assert!(row_concerns(catalogue, "logging", &undeclared));
    }

    #[test]
    fn a_vlan_proves_logical_domains_and_a_subnet_does_not() {
        let zone = |body: &str| {
            let text = format!("plant \"T\"\nzone a \"A\" {{\n{body}\n}}\n");
            let model = crate::check(&MemorySource::new("t").with_file("t.kojo", text), &[]).model.unwrap();
            proven_for_zone(&model.zones[0])
        };
        assert_eq!(zone("  subnet 10.1.0.0/24\n  vlan 10"), ["segmentation-vlan"]);
        assert!(zone("  subnet 10.1.0.0/24").is_empty());
    }
}
