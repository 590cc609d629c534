//! `specifications` (Appendix E 4-6): security requirements stated in the
//! design specification of new systems.
//!
//! The model states them: each device's requirements follow from its zone's
//! tier, and `kojo procure` renders them, per device, per zone or per
//! purchase. That specifications for new systems carry them needs an
//! attestation (scope "part").

use super::{plant_assets, Ctx, Derived};
use crate::evidence::message::{key, Message};

pub fn derive(ctx: &Ctx<'_>) -> Derived {
    let count = plant_assets(ctx.model).filter(|a| crate::controls::asset_tier(ctx.tiers, a).is_some()).count();
    if count == 0 {
        return Derived::nothing_modelled(Message::new(key::ACC_NONE));
    }
    let mut supports = vec![Message::new(key::SPEC_REQUIREMENTS).count("count", count)];
    if !ctx.model.purchases.is_empty() {
        supports
            .push(Message::new(key::SPEC_PURCHASES).names("names", ctx.model.purchases.iter().map(|p| p.name.clone())));
    }
    Derived::graded(true, supports, Vec::new())
}
