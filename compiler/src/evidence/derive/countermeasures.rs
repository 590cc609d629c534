//! `countermeasures` (Appendix E 0-3, steps 2-1 and 2-2): a security policy
//! set and countermeasures mapped to the assumed threats.
//!
//! The model's policy is the profile in force and each internal zone's tier;
//! the mapping is the threat table of step 1-7 with, for each entry point,
//! the controls in force that address it. Entry points open (nothing in
//! force addresses them) or unknown (the model cannot tell) are missing.
//! The written policy itself needs an attestation (scope "part").

use super::{internal_zones, Ctx, Derived};
use crate::evidence::message::{key, Arg, Message};
use crate::threats::Status;

pub fn derive(ctx: &Ctx<'_>) -> Derived {
    let model = ctx.model;
    let zones: Vec<_> = internal_zones(model).collect();
    if zones.is_empty() {
        return Derived::nothing_modelled(Message::new(key::CM_NO_ZONES));
    }
    let tiers: Vec<Arg> = zones
        .iter()
        .filter_map(|z| {
            let tier = crate::controls::zone_tier(ctx.tiers, z.id)?;
            Some(Arg::Text(format!("{} ({})", z.name, tier.id())))
        })
        .collect();
    let mut supports = vec![Message::new(key::CM_TIERS).count("count", zones.len()).arg("zones", Arg::List(tiers))];
    let mut missing = Vec::new();
    let threats = ctx.threats();
    let name = |t: &crate::threats::ZoneThreat| {
        format!("{}: {}", model.zone(t.zone).map_or("", |z| z.name.as_str()), t.entry_point)
    };
    let of = |status: Status| threats.iter().filter(move |t| t.status == status);
    supports.push(
        Message::new(key::CM_ADDRESSED).count("addressed", of(Status::Addressed).count()).count("count", threats.len()),
    );
    // Partly addressed is not addressed: something that opens it lacks the controls.
    let open: Vec<String> = of(Status::Open).chain(of(Status::Partial)).map(name).collect();
    if !open.is_empty() {
        missing.push(Message::new(key::CM_OPEN).names("entries", open));
    }
    let unknown: Vec<String> = of(Status::Unknown).map(name).collect();
    if !unknown.is_empty() {
        missing.push(Message::new(key::CM_UNKNOWN).names("entries", unknown));
    }
    Derived::graded(true, supports, missing)
}
