//! `network-detection` (Appendix E 3-7): network detection and prevention
//! of suspicious traffic in the factory network, the boundary with the IT
//! systems and remote access included.
//!
//! Every conduit into or out of the plant's zones needs an IDS or IPS in
//! force on it, and every internal zone monitoring (`ndr`, `ids` or `ips`
//! in force on the zone). Removing an IDS lowers the level.

use super::{internal_zones, Ctx, Derived};
use crate::controls;
use crate::evidence::message::{key, Message};
use crate::model::Trust;

const ON_CONDUITS: [&str; 2] = ["ids", "ips"];
const IN_ZONES: [&str; 3] = ["ndr", "ids", "ips"];

pub fn derive(ctx: &Ctx<'_>) -> Derived {
    let model = ctx.model;
    let internal = |id| model.zone(id).is_some_and(|z| z.trust == Trust::Internal);
    let conduits: Vec<_> =
        model.conduits.iter().filter(|c| !c.flows.is_empty() && (internal(c.from) || internal(c.to))).collect();
    let watched = |c: &crate::model::Conduit| {
        let in_force = controls::conduit_controls(ctx.catalogue, c);
        ON_CONDUITS.iter().any(|m| in_force.contains(m))
    };
    let monitored_conduits = conduits.iter().filter(|c| watched(c)).count();
    let zones: Vec<_> = internal_zones(model).collect();
    let monitored = |z: &crate::model::Zone| {
        let in_force = controls::zone_controls(z);
        IN_ZONES.iter().any(|m| in_force.contains(m))
    };
    let monitored_zones = zones.iter().filter(|z| monitored(z)).count();
    let supports = vec![
        Message::new(key::DET_CONDUITS).count("monitored", monitored_conduits).count("count", conduits.len()),
        Message::new(key::DET_ZONES).count("monitored", monitored_zones).count("count", zones.len()),
    ];
    let mut missing = Vec::new();
    let bare: Vec<String> = conduits.iter().filter(|c| !watched(c)).map(|c| c.name.clone()).collect();
    if !bare.is_empty() {
        missing.push(Message::new(key::DET_UNMONITORED_CONDUITS).names("conduits", bare));
    }
    let dark: Vec<String> = zones.iter().filter(|z| !monitored(z)).map(|z| z.name.clone()).collect();
    if !dark.is_empty() {
        missing.push(Message::new(key::DET_UNMONITORED_ZONES).names("zones", dark));
    }
    Derived::graded(monitored_conduits + monitored_zones > 0, supports, missing)
}
