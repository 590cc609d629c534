//! `segmentation` (Appendix E 3-5): the factory network managed in segments
//! by security level (VLAN etc.).
//!
//! Each internal zone is a segment when it has a VLAN or is physically
//! separate (`segmentation-physical`); traffic between segments passes only
//! through conduits, each enforced by a firewall (`enforced-by`). One flat
//! zone is not segmentation. The rules (segmentation by tier, enforcers,
//! multi-homed bridges, paths into high-tier zones) are the rules' part.

use super::{internal_zones, Ctx, Derived};
use crate::controls;
use crate::evidence::message::{key, Arg, Message};

pub fn derive(ctx: &Ctx<'_>) -> Derived {
    let model = ctx.model;
    let zones: Vec<_> = internal_zones(model).collect();
    if zones.len() < 2 {
        return Derived::graded(false, Vec::new(), vec![Message::new(key::SEG_FLAT).count("count", zones.len())]);
    }
    let mut supports = Vec::new();
    let mut unsegmented = Vec::new();
    for zone in &zones {
        let physical = controls::zone_controls(zone).contains("segmentation-physical");
        if zone.vlan.is_none() && !physical {
            unsegmented.push(zone.name.clone());
            continue;
        }
        let subnets: Vec<Arg> = zone.subnets.iter().map(|s| Arg::Name(s.to_string())).collect();
        if let Some(vlan) = zone.vlan {
            supports.push(
                Message::new(key::SEG_ZONE_VLAN)
                    .name("zone", &zone.name)
                    .arg("vlan", Arg::Text(vlan.to_string()))
                    .arg("subnets", Arg::List(subnets.clone())),
            );
        }
        if physical {
            supports
                .push(Message::new(key::SEG_ZONE_PHYSICAL).name("zone", &zone.name).arg("subnets", Arg::List(subnets)));
        }
    }
    let conduits: Vec<_> = model.conduits.iter().filter(|c| !c.flows.is_empty()).collect();
    let enforced = conduits.iter().filter(|c| c.enforced_by.is_some()).count();
    supports.push(Message::new(key::SEG_ENFORCED).count("enforced", enforced).count("count", conduits.len()));
    let mut missing = Vec::new();
    if !unsegmented.is_empty() {
        missing.push(Message::new(key::SEG_UNSEGMENTED).names("zones", unsegmented));
    }
    let unenforced: Vec<String> = conduits.iter().filter(|c| c.enforced_by.is_none()).map(|c| c.name.clone()).collect();
    if !unenforced.is_empty() {
        missing.push(Message::new(key::SEG_UNENFORCED).names("conduits", unenforced));
    }
    Derived::graded(true, supports, missing)
}
