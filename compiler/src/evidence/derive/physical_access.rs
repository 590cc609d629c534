//! `physical-access` (Appendix E 3-4, [3.2.2(2)⑥]): physical access to
//! important equipment tiered (rooms, entry management, cameras) or
//! mitigated by escorts.
//!
//! The model shows which zones claim `physical-access-control`: every
//! high-tier zone should (every internal zone, if none is high). How the
//! rooms are run needs an attestation (scope "part").

use super::{internal_zones, Ctx, Derived};
use crate::controls;
use crate::evidence::message::{key, Message};
use crate::model::Tier;

const CONTROL: &str = "physical-access-control";

pub fn derive(ctx: &Ctx<'_>) -> Derived {
    let zones: Vec<_> = internal_zones(ctx.model).collect();
    let high: Vec<_> =
        zones.iter().filter(|z| controls::zone_tier(ctx.tiers, z.id) == Some(Tier::High)).copied().collect();
    let important = if high.is_empty() { zones } else { high };
    let (covered, uncovered): (Vec<_>, Vec<_>) =
        important.iter().partition(|z| controls::zone_controls(z).contains(CONTROL));
    let names = |zs: &[&&crate::model::Zone]| zs.iter().map(|z| z.name.clone()).collect::<Vec<_>>();
    let supports = if covered.is_empty() {
        Vec::new()
    } else {
        vec![Message::new(key::PHY_COVERED).names("zones", names(&covered))]
    };
    let missing = if uncovered.is_empty() {
        Vec::new()
    } else {
        vec![Message::new(key::PHY_UNCOVERED).names("zones", names(&uncovered))]
    };
    Derived::graded(!covered.is_empty(), supports, missing)
}
