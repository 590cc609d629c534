//! `inventory` (Appendix E 2-6, step 1-4): an inventory of the devices on
//! the factory network and a system configuration diagram.
//!
//! The model is the inventory: every device of the plant's zones with its
//! kind, zone and address; vendor, model and firmware identify it (and let
//! advisories be matched, 2-8). Zones and conduits are the configuration.
//! Missing: devices without vendor and model, without firmware, or
//! without an address (a cloud service has neither firmware nor address).

use super::{plant_assets, Ctx, Derived};
use crate::evidence::message::{key, Message};

/// Kinds that are services rather than devices: no firmware, no address.
const SERVICE_KINDS: [&str; 1] = ["cloud-service"];

pub fn derive(ctx: &Ctx<'_>) -> Derived {
    let assets: Vec<_> = plant_assets(ctx.model).collect();
    if assets.is_empty() {
        return Derived::nothing_modelled(Message::new(key::INV_NONE));
    }
    let device = |a: &&&crate::model::Asset| !SERVICE_KINDS.contains(&a.kind.as_str());
    let identified = assets.iter().filter(|a| a.vendor.is_some() && a.model.is_some()).count();
    let supports = vec![
        Message::new(key::INV_DEVICES).count("count", assets.len()),
        Message::new(key::INV_IDENTIFIED).count("identified", identified).count("count", assets.len()),
    ];
    let names = |pick: &dyn Fn(&crate::model::Asset) -> bool| -> Vec<String> {
        assets.iter().filter(|a| pick(a)).map(|a| a.name.clone()).collect()
    };
    let mut missing = Vec::new();
    let unidentified = names(&|a| a.vendor.is_none() || a.model.is_none());
    if !unidentified.is_empty() {
        missing.push(Message::new(key::INV_UNIDENTIFIED).names("names", unidentified));
    }
    let devices: Vec<_> = assets.iter().filter(device).collect();
    let no_firmware: Vec<String> = devices.iter().filter(|a| a.firmware.is_none()).map(|a| a.name.clone()).collect();
    if !no_firmware.is_empty() {
        missing.push(Message::new(key::INV_NO_FIRMWARE).names("names", no_firmware));
    }
    let no_address: Vec<String> =
        devices.iter().filter(|a| a.addresses.is_empty() && a.interfaces.is_empty()).map(|a| a.name.clone()).collect();
    if !no_address.is_empty() {
        missing.push(Message::new(key::INV_NO_ADDRESS).names("names", no_address));
    }
    Derived::graded(true, supports, missing)
}
