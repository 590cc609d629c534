//! `operations-and-zones` (Appendix E 0-2, steps 1-2 … 1-7): operations and
//! protected objects listed with their importance, zones set and bound to
//! them, threats per zone organised.
//!
//! The model is this list: operations and data rated on the impact axes,
//! assets bound to zones, each internal zone's tier derived from what it
//! holds, and the threat entry points per zone (step 1-7). Missing: an
//! operation or data item without a rating, data stored nowhere, an
//! internal zone that nothing rated is bound to (its tier is a default,
//! not a decision).

use super::{internal_zones, Ctx, Derived};
use crate::evidence::message::{key, Message};

pub fn derive(ctx: &Ctx<'_>) -> Derived {
    let model = ctx.model;
    if model.operations.is_empty() && model.data.is_empty() {
        return Derived::nothing_modelled(Message::new(key::OPS_NONE));
    }
    let mut supports = Vec::new();
    let mut missing = Vec::new();
    let rated = model.operations.iter().filter(|o| !o.impact.is_empty()).count();
    supports.push(Message::new(key::OPS_OPERATIONS).count("count", model.operations.len()).count("rated", rated));
    let unrated: Vec<&str> = model.operations.iter().filter(|o| o.impact.is_empty()).map(|o| o.name.as_str()).collect();
    if !unrated.is_empty() {
        missing.push(Message::new(key::OPS_UNRATED).names("names", unrated));
    }
    let bound = model.data.iter().filter(|d| !d.impact.is_empty() && !d.stored_on.is_empty()).count();
    supports.push(Message::new(key::OPS_DATA).count("count", model.data.len()).count("bound", bound));
    let unbound: Vec<&str> =
        model.data.iter().filter(|d| d.impact.is_empty() || d.stored_on.is_empty()).map(|d| d.name.as_str()).collect();
    if !unbound.is_empty() {
        missing.push(Message::new(key::OPS_DATA_UNBOUND).names("names", unbound));
    }
    let zones: Vec<_> = internal_zones(model).collect();
    let raised = |z: &crate::model::Zone| ctx.tiers.get(z.id.index()).is_some_and(|t| t.raised_by.is_some());
    supports.push(
        Message::new(key::OPS_ZONES)
            .count("count", zones.len())
            .count("bound", zones.iter().filter(|z| raised(z)).count()),
    );
    let idle: Vec<&str> = zones.iter().filter(|z| !raised(z)).map(|z| z.name.as_str()).collect();
    if !idle.is_empty() {
        missing.push(Message::new(key::OPS_ZONES_UNBOUND).names("names", idle));
    }
    let threats = ctx.threats();
    let mut zones_with: Vec<_> = threats.iter().map(|t| t.zone).collect();
    zones_with.dedup();
    supports.push(Message::new(key::OPS_THREATS).count("zones", zones_with.len()).count("count", threats.len()));
    Derived::graded(true, supports, missing)
}
