//! Threats per zone (guideline step 1-7 [3.1.7]): which of the thirteen
//! threat entry points (JNSA 脅威の入口) open into each internal zone, what
//! in the model opens them, which controls in force address them, and what
//! the model cannot tell.
//!
//! Entry points come from asset kinds (the catalogue says which kinds open
//! which: an access point opens Wi-Fi, a maintenance terminal brought-in
//! PCs, …) and from conduits: the internet (EP08) for a conduit from or to
//! an `untrusted` zone, since mail and web pages come back over outbound
//! connections; a maintenance line (EP10) for a conduit from outside that
//! lands in a `role remote-maintenance` zone, carries remote login or lands
//! on a jump host or maintenance terminal (not for any link with a third
//! party: a head office's order feed is none);
//! the office network (EP07) for a conduit from a zone with `role office`
//! (never guessed from the kinds in a zone); cloud services (EP11) for a
//! conduit to an `external` zone. Parts and raw materials (EP12) and newly
//! purchased equipment (EP13) are supply-chain matters: the model shows
//! them only through attestations of checklist items E-4-4 and E-4-5.
//!
//! Each asset or conduit that opens an entry point is judged on its own
//! controls (with its zone's): the entry point is addressed only when every
//! one of them is, so one guarded conduit does not vouch for another.

use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use kojo_stdlib::{Catalogue, EntryPoint, Purpose};

use crate::controls;
use crate::model::{Asset, Conduit, FlowEnd, Model, Traffic, Trust, Zone, ZoneId, ZoneRole};

/// How an entry point stands in a zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Present, and nothing that opens it has the controls that address it.
    Open,
    /// Present; some of what opens it is addressed, or has some of the
    /// controls, but not all.
    Partial,
    /// Present, and everything that opens it has the controls that address it.
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
    /// What an opener still lacks: `conduit vendor_in: ips`, `asset ap1: one of wireless-allowlist, …`.
    pub missing: Vec<String>,
    pub status: Status,
}

impl ZoneThreat {
    /// The status in words, for people.
    pub fn describe_status(&self) -> String {
        match self.status {
            Status::Open => match self.missing.is_empty() {
                true => "open".to_string(),
                false => format!("open: {}", listed(&self.missing, "; ")),
            },
            Status::Partial => {
                format!("partly addressed by {}; missing {}", self.addressed_by.join(", "), listed(&self.missing, "; "))
            }
            Status::Addressed => format!("addressed by {}", self.addressed_by.join(", ")),
            Status::Unknown => "unknown: attest it (checklist E-4-4 / E-4-5)".to_string(),
        }
    }
}

/// Entries a description names; the rest are counted. A zone of half a
/// million sensors opens its entry point through every one of them.
pub const LISTED: usize = 10;

/// The first [`LISTED`] of `items` joined by `separator`, and how many more.
pub fn listed(items: &[String], separator: &str) -> String {
    let mut out = items.iter().take(LISTED).map(String::as_str).collect::<Vec<_>>().join(separator);
    if items.len() > LISTED {
        out.push_str(&format!("{separator}and {} more", items.len() - LISTED));
    }
    out
}

/// One asset or conduit that opens an entry point, and the controls in
/// force on it (besides its zone's, which [`judge`] adds).
struct Opener<'a> {
    via: String,
    in_force: Rc<BTreeSet<&'a str>>,
}

/// The threat table: for each internal zone, its entry points, sorted.
pub fn derive(model: &Model, catalogue: &Catalogue) -> Vec<ZoneThreat> {
    let mut out = Vec::new();
    let attested = |item: &str| model.attestations.iter().any(|a| a.item == item && a.level >= 3);
    // Each asset's and conduit's controls are gathered once, however many
    // zones it joins: a core firewall sits in every zone of a large plant.
    let mut assets_by_zone: Vec<Vec<&Asset>> = vec![Vec::new(); model.zones.len()];
    for asset in &model.assets {
        for zone in asset.zone.into_iter().chain(asset.interfaces.iter().map(|i| i.zone)) {
            if let Some(list) = assets_by_zone.get_mut(zone.index()) {
                if list.last().is_none_or(|a| a.id != asset.id) {
                    list.push(asset);
                }
            }
        }
    }
    let mut conduits_by_zone: Vec<Vec<&Conduit>> = vec![Vec::new(); model.zones.len()];
    for conduit in &model.conduits {
        for zone in [conduit.from, conduit.to] {
            if let Some(list) = conduits_by_zone.get_mut(zone.index()) {
                if list.last().is_none_or(|c| c.id != conduit.id) {
                    list.push(conduit);
                }
            }
        }
    }
    let mut asset_controls: Vec<Option<Rc<BTreeSet<&str>>>> = vec![None; model.assets.len()];
    for zone in model.zones.iter().filter(|z| z.trust == Trust::Internal) {
        let zone_controls = controls::zone_controls(zone);
        let mut found: BTreeMap<&str, Vec<Opener>> = BTreeMap::new();
        for &asset in assets_by_zone.get(zone.id.index()).into_iter().flatten() {
            let Some(kind) = catalogue.asset_kind(&asset.kind) else { continue };
            if kind.entry_points.is_empty() {
                continue;
            }
            let Some(slot) = asset_controls.get_mut(asset.id.index()) else { continue };
            let in_force = slot.get_or_insert_with(|| Rc::new(controls::asset_controls(model, catalogue, asset)));
            for ep in &kind.entry_points {
                let via = format!("asset {} ({})", asset.name, asset.kind);
                found.entry(ep).or_default().push(Opener { via, in_force: Rc::clone(in_force) });
            }
        }
        for &conduit in conduits_by_zone.get(zone.id.index()).into_iter().flatten() {
            let openers = conduit_entry_points(model, catalogue, zone, conduit);
            if openers.is_empty() {
                continue;
            }
            let in_force = Rc::new(controls::conduit_controls(catalogue, conduit));
            for (ep, via) in openers {
                found.entry(ep).or_default().push(Opener { via, in_force: Rc::clone(&in_force) });
            }
        }
        for (ep, openers) in found {
            let Some(entry) = catalogue.entry_point(ep) else { continue };
            out.push(judge(zone.id, entry, openers, &zone_controls, &attested));
        }
        // Parts and raw materials never show in a network model.
        out.push(ZoneThreat {
            zone: zone.id,
            entry_point: "EP12".to_string(),
            via: Vec::new(),
            addressed_by: Vec::new(),
            missing: Vec::new(),
            status: if attested("E-4-4") { Status::Addressed } else { Status::Unknown },
        });
    }
    out.sort_by(|a, b| (a.zone, &a.entry_point).cmp(&(b.zone, &b.entry_point)));
    out
}

/// The entry points a conduit opens into `zone`, with how to name it.
fn conduit_entry_points(
    model: &Model,
    catalogue: &Catalogue,
    zone: &Zone,
    conduit: &Conduit,
) -> Vec<(&'static str, String)> {
    let inbound = conduit.to == zone.id;
    let other = if inbound { conduit.from } else { conduit.to };
    let Some(other) = model.zone(other) else { return Vec::new() };
    let via = match inbound {
        true => format!("conduit {} from {}", conduit.name, other.name),
        false => format!("conduit {} to {}", conduit.name, other.name),
    };
    let mut out = Vec::new();
    if other.trust == Trust::Untrusted {
        out.push(("EP08", via.clone()));
    }
    let maintenance = zone.role == Some(ZoneRole::RemoteMaintenance) || remote_login(model, catalogue, conduit);
    if inbound && other.trust != Trust::Internal && maintenance {
        out.push(("EP10", via.clone()));
    }
    if inbound && other.trust == Trust::Internal && other.is_office() {
        out.push(("EP07", via.clone()));
    }
    if !inbound && other.trust == Trust::External {
        out.push(("EP11", via));
    }
    out
}

/// Whether people log in over the conduit: a flow carries a remote-login
/// service, or lands on a jump host or maintenance terminal.
fn remote_login(model: &Model, catalogue: &Catalogue, conduit: &Conduit) -> bool {
    const LANDINGS: [&str; 2] = ["jump-host", "maintenance-terminal"];
    conduit.flows.iter().any(|flow| {
        let login = match &flow.traffic {
            Traffic::Services(names) => {
                names.iter().any(|n| catalogue.service(n).is_some_and(|s| s.purpose == Some(Purpose::RemoteLogin)))
            }
            Traffic::Ports(_) => false,
        };
        let lands = match &flow.destination {
            FlowEnd::Assets(ids) => {
                ids.iter().filter_map(|id| model.asset(*id)).any(|a| LANDINGS.contains(&a.kind.as_str()))
            }
            FlowEnd::Any => false,
        };
        login || lands
    })
}

/// How an entry point stands, judging each opener on its own controls.
fn judge(
    zone: ZoneId,
    entry: &EntryPoint,
    openers: Vec<Opener>,
    zone_controls: &BTreeSet<&str>,
    attested: &dyn Fn(&str) -> bool,
) -> ZoneThreat {
    let mut addressing = BTreeSet::new();
    let mut missing = Vec::new();
    let (mut done, mut some) = (0, false);
    for opener in &openers {
        let has = |c: &String| opener.in_force.contains(c.as_str()) || zone_controls.contains(c.as_str());
        addressing.extend(entry.required.iter().chain(&entry.addressed_by).filter(|c| has(c)).cloned());
        let lacks: Vec<&str> = entry.required.iter().filter(|c| !has(c)).map(String::as_str).collect();
        let any_ok = entry.addressed_by.is_empty() || entry.addressed_by.iter().any(has);
        some |= lacks.len() < entry.required.len() || (!entry.addressed_by.is_empty() && any_ok);
        let mut gaps: Vec<String> = lacks.iter().map(|c| (*c).to_string()).collect();
        if !any_ok {
            gaps.push(format!("one of {}", entry.addressed_by.join(", ")));
        }
        if gaps.is_empty() {
            done += 1;
        } else {
            missing.push(format!("{}: {}", opener.via, gaps.join(", ")));
        }
    }
    let nothing_addresses = entry.required.is_empty() && entry.addressed_by.is_empty();
    // Newly purchased equipment is addressed by acceptance inspection
    // (E-4-5); without that attestation the model cannot tell.
    let status = match entry.id.as_str() {
        "EP13" if attested("E-4-5") => Status::Addressed,
        _ if nothing_addresses => Status::Unknown,
        _ if done == openers.len() => Status::Addressed,
        "EP13" => Status::Unknown,
        _ if some => Status::Partial,
        _ => Status::Open,
    };
    ZoneThreat {
        zone,
        entry_point: entry.id.clone(),
        via: openers.into_iter().map(|o| o.via).collect(),
        addressed_by: addressing.into_iter().collect(),
        missing,
        status,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MemorySource;

    /// The floor zone's entry points and their status, for a plant with a
    /// vendor, the internet and an office around the floor.
    fn threats(zone_controls: &str, conduits: &str) -> Vec<(String, Status)> {
        let text = format!(
            "plant \"T\"\nzone vendor \"V\" : external\nzone internet \"I\" : untrusted\n\
             zone oa \"O\" {{ subnet 10.9.0.0/24; role office }}\n\
             zone agv \"A\" {{ subnet 10.8.0.0/24 }}\n\
             zone floor \"F\" {{\n  subnet 10.0.0.0/24\n  controls [{zone_controls}]\n}}\n\
             asset fw \"FW\" {{ kind firewall; interfaces {{ vendor 192.0.2.1; internet 203.0.113.1; oa 10.9.0.1; agv 10.8.0.1; floor 10.0.0.1 }} }}\n\
             asset ap \"AP\" in floor {{ kind access-point; ip 10.0.0.5 }}\n\
             asset plc \"PLC\" in floor {{ kind plc; ip 10.0.0.6 }}\n\
             asset pc \"Office PC\" in oa {{ kind workstation; ip 10.9.0.5 }}\n\
             asset agv_pc \"AGV control PC\" in agv {{ kind workstation; ip 10.8.0.5 }}\n{conduits}"
        );
        let checked = crate::check(&MemorySource::new("t").with_file("t.kojo", text), &[]);
        let model = checked.model.unwrap();
        let catalogue = Catalogue::builtin().unwrap();
        let floor = model.zones.iter().find(|z| z.name == "floor").unwrap().id;
        derive(&model, catalogue).into_iter().filter(|t| t.zone == floor).map(|t| (t.entry_point, t.status)).collect()
    }

    fn status(found: &[(String, Status)], ep: &str) -> Option<Status> {
        found.iter().find(|(e, _)| e == ep).map(|(_, s)| *s)
    }

    const VENDOR_SSH: &str =
        "conduit maint \"M\" from vendor to floor { allow any -> plc service ssh; enforced-by fw }\n";

    #[test]
    fn entry_points_come_from_assets_and_conduits() {
        let found = threats("", VENDOR_SSH);
        assert_eq!(status(&found, "EP09"), Some(Status::Open), "an access point opens Wi-Fi: {found:?}");
        assert_eq!(status(&found, "EP10"), Some(Status::Open), "remote login from a vendor is a maintenance line");
        assert_eq!(status(&found, "EP13"), Some(Status::Unknown), "no acceptance inspection attested");
        assert_eq!(status(&found, "EP12"), Some(Status::Unknown));
        assert_eq!(status(&found, "EP08"), None, "no internet conduit");
    }

    #[test]
    fn a_vendor_link_without_remote_login_is_no_maintenance_line() {
        let found =
            threats("", "conduit feed \"F\" from vendor to floor { allow any -> plc service https; enforced-by fw }\n");
        assert_eq!(status(&found, "EP10"), None, "{found:?}");
    }

    #[test]
    fn a_link_into_the_remote_maintenance_zone_is_a_maintenance_line() {
        let checked = crate::check(
            &MemorySource::new("t").with_file(
                "t.kojo",
                "plant \"T\"\nzone vendor \"V\" : external\nzone rm \"R\" { subnet 10.7.0.0/24; role remote-maintenance }\n\
                 asset fw \"FW\" { kind firewall; interfaces { vendor 192.0.2.1; rm 10.7.0.1 } }\n\
                 asset srv \"Remote maintenance server\" in rm { kind server; ip 10.7.0.10 }\n\
                 conduit in \"I\" from vendor to rm { allow any -> srv service https; enforced-by fw }\n",
            ),
            &[],
        );
        let model = checked.model.unwrap();
        let found = derive(&model, Catalogue::builtin().unwrap());
        assert!(found.iter().any(|t| t.entry_point == "EP10"), "{found:?}");
    }

    #[test]
    fn the_office_is_declared_never_guessed_from_its_workstations() {
        let conduits = "conduit from_oa \"O\" from oa to floor { allow pc -> plc service modbus-tcp; enforced-by fw }\n\
                        conduit from_agv \"A\" from agv to floor { allow agv_pc -> plc service modbus-tcp; enforced-by fw }\n";
        let found = threats("", conduits);
        let text = format!("{found:?}");
        assert_eq!(status(&found, "EP07"), Some(Status::Addressed), "firewall and named services: {text}");
        let catalogue = Catalogue::builtin().unwrap();
        let checked = crate::check(
            &MemorySource::new("t").with_file(
                "t.kojo",
                "plant \"T\"\nzone agv \"A\" { subnet 10.8.0.0/24 }\nzone floor \"F\" { subnet 10.0.0.0/24 }\n\
                 asset fw \"FW\" { kind firewall; interfaces { agv 10.8.0.1; floor 10.0.0.1 } }\n\
                 asset agv_pc \"AGV PC\" in agv { kind workstation; ip 10.8.0.5 }\n\
                 asset plc \"PLC\" in floor { kind plc; ip 10.0.0.6 }\n\
                 conduit from_agv \"A\" from agv to floor { allow agv_pc -> plc service modbus-tcp; enforced-by fw }\n",
            ),
            &[],
        );
        let model = checked.model.unwrap();
        assert!(
            derive(&model, catalogue).iter().all(|t| t.entry_point != "EP07"),
            "a workstation does not make an office"
        );
    }

    #[test]
    fn the_internet_comes_in_over_outbound_conduits_too() {
        let found = threats(
            "",
            "conduit out \"Out\" from floor to internet { allow plc -> any service https; enforced-by fw }\n",
        );
        assert_eq!(status(&found, "EP08"), Some(Status::Partial), "a firewall but no gateway or IPS: {found:?}");
    }

    #[test]
    fn one_control_does_not_address_a_maintenance_line() {
        let found = threats("wireless-allowlist, mfa", VENDOR_SSH);
        assert_eq!(status(&found, "EP09"), Some(Status::Addressed));
        assert_eq!(status(&found, "EP10"), Some(Status::Partial), "mfa alone is not Appendix E 3-6: {found:?}");
        let all = threats(
            "mfa, per-user-targets, out-of-window-detection, ips",
            &VENDOR_SSH.replace("enforced-by fw", "enforced-by fw; window \"Mon-Fri 09:00-17:00 Asia/Tokyo\""),
        );
        assert_eq!(status(&all, "EP10"), Some(Status::Addressed), "{all:?}");
    }

    #[test]
    fn every_opener_is_judged_on_its_own_controls() {
        let guarded =
            "conduit a \"A\" from oa to floor { allow pc -> plc service modbus-tcp; controls [ids]; enforced-by fw }\n\
                       conduit b \"B\" from oa to floor { allow pc -> ap port tcp/443; enforced-by fw }\n";
        let found = threats("", guarded);
        assert_eq!(status(&found, "EP07"), Some(Status::Partial), "conduit b has no ids: {found:?}");
    }
}
