//! Threats per zone (guideline step 1-7 [3.1.7]): which of the thirteen
//! threat entry points (JNSA 脅威の入口) open into each internal zone, what
//! in the model opens them, which controls in force address them, and what
//! the model cannot tell.
//!
//! Entry points come from asset kinds (the catalogue says which kinds open
//! which: an access point opens Wi-Fi, a maintenance terminal brought-in
//! PCs, …) and from conduits (from an untrusted zone: the internet; from an
//! external zone: a maintenance line; from an office zone: the OA network).
//! Parts and raw materials (EP12) and newly purchased equipment (EP13) are
//! supply-chain matters: the model shows them only through attestations of
//! checklist items E-4-4 and E-4-5.

use std::collections::{BTreeMap, BTreeSet};

use kojo_stdlib::Catalogue;

use crate::controls;
use crate::model::{Model, Trust, ZoneId};

/// How an entry point stands in a zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Present, and no control in force addresses it.
    Open,
    /// Present, and at least one addressing control is in force.
    Addressed,
    /// The model cannot say: attest it, or declare what is missing.
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoneThreat {
    pub zone: ZoneId,
    pub entry_point: String,
    /// What opens it: `asset ap1 (access-point)`, `conduit vendor_in from vendor_centre`.
    pub via: Vec<String>,
    /// Addressing controls in force on the zone, the assets or conduits involved.
    pub addressed_by: Vec<String>,
    pub status: Status,
}

/// Kinds of asset that make a zone an office (OA) network for EP07.
const OFFICE_KINDS: [&str; 2] = ["workstation", "mfp"];

/// The threat table: for each internal zone, its entry points, sorted.
pub fn derive(model: &Model, catalogue: &Catalogue) -> Vec<ZoneThreat> {
    let mut out = Vec::new();
    let attested = |item: &str| model.attestations.iter().any(|a| a.item == item && a.level >= 3);
    for zone in model.zones.iter().filter(|z| z.trust == Trust::Internal) {
        // entry point → (evidence, controls in force on what opens it)
        let mut found: BTreeMap<String, (Vec<String>, BTreeSet<String>)> = BTreeMap::new();
        let zone_controls: BTreeSet<String> = controls::zone_controls(zone).into_iter().map(String::from).collect();
        let mut add = |ep: &str, via: String, in_force: BTreeSet<String>| {
            let entry = found.entry(ep.to_string()).or_default();
            entry.0.push(via);
            entry.1.extend(in_force);
        };
        for asset in model.assets_in(zone.id) {
            let Some(kind) = catalogue.asset_kind(&asset.kind) else { continue };
            let in_force: BTreeSet<String> =
                controls::asset_controls(model, catalogue, asset).into_iter().map(String::from).collect();
            for ep in &kind.entry_points {
                add(ep, format!("asset {} ({})", asset.name, asset.kind), in_force.clone());
            }
        }
        for conduit in model.conduits.iter().filter(|c| c.to == zone.id) {
            let Some(from) = model.zone(conduit.from) else { continue };
            let in_force: BTreeSet<String> =
                controls::conduit_controls(catalogue, conduit).into_iter().map(String::from).collect();
            let via = format!("conduit {} from {}", conduit.name, from.name);
            match from.trust {
                Trust::Untrusted => add("EP08", via, in_force),
                Trust::External => add("EP10", via, in_force),
                Trust::Internal if model.assets_in(from.id).any(|a| OFFICE_KINDS.contains(&a.kind.as_str())) => {
                    add("EP07", via, in_force)
                }
                Trust::Internal => {}
            }
        }
        for (ep, (via, mut in_force)) in found {
            in_force.extend(zone_controls.iter().cloned());
            let addressing: Vec<String> = catalogue
                .entry_point(&ep)
                .map(|e| e.addressed_by.iter().filter(|c| in_force.contains(*c)).cloned().collect())
                .unwrap_or_default();
            // Newly purchased equipment is addressed by acceptance inspection
            // (E-4-5); without that attestation the model cannot tell.
            let status = match ep.as_str() {
                "EP13" if attested("E-4-5") => Status::Addressed,
                _ if !addressing.is_empty() => Status::Addressed,
                "EP13" => Status::Unknown,
                _ => Status::Open,
            };
            out.push(ZoneThreat { zone: zone.id, entry_point: ep, via, addressed_by: addressing, status });
        }
        // Parts and raw materials never show in a network model.
        out.push(ZoneThreat {
            zone: zone.id,
            entry_point: "EP12".to_string(),
            via: Vec::new(),
            addressed_by: Vec::new(),
            status: if attested("E-4-4") { Status::Addressed } else { Status::Unknown },
        });
    }
    out.sort_by(|a, b| (a.zone, &a.entry_point).cmp(&(b.zone, &b.entry_point)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MemorySource;

    fn threats(zone_controls: &str) -> Vec<(String, Status)> {
        let text = format!(
            "plant \"T\"\nzone vendor \"V\" : external\nzone floor \"F\" {{\n  subnet 10.0.0.0/24\n  controls [{zone_controls}]\n}}\n\
             asset fw \"FW\" {{ kind firewall; interfaces {{ vendor 192.0.2.1; floor 10.0.0.1 }} }}\n\
             asset ap \"AP\" in floor {{ kind access-point; ip 10.0.0.5 }}\n\
             asset plc \"PLC\" in floor {{ kind plc; ip 10.0.0.6 }}\n\
             conduit maint \"M\" from vendor to floor {{ allow any -> plc service https; enforced-by fw }}\n"
        );
        let checked = crate::check(&MemorySource::new("t").with_file("t.kojo", text), &[]);
        let model = checked.model.unwrap();
        let catalogue = Catalogue::builtin().unwrap();
        let floor = model.zones.iter().find(|z| z.name == "floor").unwrap().id;
        derive(&model, catalogue).into_iter().filter(|t| t.zone == floor).map(|t| (t.entry_point, t.status)).collect()
    }

    #[test]
    fn entry_points_come_from_assets_and_conduits() {
        let found = threats("");
        let status = |ep: &str| found.iter().find(|(e, _)| e == ep).map(|(_, s)| *s);
        assert_eq!(status("EP09"), Some(Status::Open), "an access point opens Wi-Fi: {found:?}");
        assert_eq!(status("EP10"), Some(Status::Open), "a vendor conduit is a maintenance line");
        assert_eq!(status("EP13"), Some(Status::Unknown), "no acceptance inspection attested");
        assert_eq!(status("EP12"), Some(Status::Unknown));
        assert_eq!(status("EP08"), None, "no internet conduit");
    }

    #[test]
    fn controls_in_force_address_entry_points() {
        let found = threats("wireless-allowlist, mfa");
        let status = |ep: &str| found.iter().find(|(e, _)| e == ep).map(|(_, s)| *s);
        assert_eq!(status("EP09"), Some(Status::Addressed));
        assert_eq!(status("EP10"), Some(Status::Addressed), "zone controls count for the conduit's entry point");
    }
}
