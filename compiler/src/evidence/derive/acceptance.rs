//! `acceptance` (Appendix E 4-5): delivered equipment checked against a
//! security baseline before it is accepted.
//!
//! The model gives the baseline: every device of the plant has a tier from
//! its zone, and `kojo procure` turns it into factory and site acceptance
//! checks. That the inspections happen needs an attestation (scope "part").

use super::{plant_assets, Ctx, Derived};
use crate::evidence::message::{key, Message};

pub fn derive(ctx: &Ctx<'_>) -> Derived {
    let count = plant_assets(ctx.model).filter(|a| crate::controls::asset_tier(ctx.tiers, a).is_some()).count();
    if count == 0 {
        return Derived::nothing_modelled(Message::new(key::ACC_NONE));
    }
    Derived::graded(true, vec![Message::new(key::ACC_BASELINE).count("count", count)], Vec::new())
}
