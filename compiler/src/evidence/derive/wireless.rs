//! `wireless` (Appendix E 2-7): where a wireless LAN is used, a ledger of
//! the devices allowed on it and a mechanism that rejects the others.
//!
//! A zone has a wireless LAN when it holds an asset of a wireless kind (an
//! access point). It is covered when `wireless-allowlist` is in force on
//! the zone or on every wireless asset in it. No wireless anywhere: the
//! item does not apply.

use super::{internal_zones, Ctx, Derived};
use crate::controls;
use crate::evidence::message::{key, Message};

const CONTROL: &str = "wireless-allowlist";

pub fn derive(ctx: &Ctx<'_>) -> Derived {
    let model = ctx.model;
    let wireless = |a: &crate::model::Asset| ctx.catalogue.asset_kind(&a.kind).is_some_and(|k| k.wireless);
    let (mut covered, mut uncovered) = (Vec::new(), Vec::new());
    for zone in internal_zones(model) {
        let aps: Vec<_> = model.assets_in(zone.id).filter(|a| wireless(a)).collect();
        if aps.is_empty() {
            continue;
        }
        let on_zone = controls::zone_controls(zone).contains(CONTROL);
        let on_all = aps.iter().all(|a| controls::asset_controls(model, ctx.catalogue, a).contains(CONTROL));
        let names: Vec<String> = aps.iter().map(|a| a.name.clone()).collect();
        let message = |k| Message::new(k).name("zone", &zone.name).names("assets", names.clone());
        if on_zone || on_all {
            covered.push(message(key::WL_COVERED));
        } else {
            uncovered.push(message(key::WL_UNCOVERED));
        }
    }
    if covered.is_empty() && uncovered.is_empty() {
        return Derived::not_applicable(Message::new(key::WL_NONE));
    }
    Derived::graded(!covered.is_empty(), covered, uncovered)
}
