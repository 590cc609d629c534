//! `remote-access` (Appendix E 3-6): where the factory systems can be
//! reached from outside for remote maintenance, authentication (two-factor),
//! each remote user restricted to their target devices, connection time
//! windows, detection of connections outside them, and intrusion
//! prevention.
//!
//! Every conduit from an `untrusted` or `external` zone into an internal
//! one is a way in from outside; for each, the five measures must be in
//! force on the conduit: the item's `controls` in `checklist.toml` (`mfa`,
//! `per-user-targets`, `time-window` proven by a `window`,
//! `out-of-window-detection`, `ips`). No such conduit: the item does not
//! apply.

use super::{Ctx, Derived};
use crate::controls;
use crate::evidence::message::{key, Message};
use crate::model::Trust;

pub fn derive(ctx: &Ctx<'_>) -> Derived {
    let model = ctx.model;
    let (mut supports, mut missing) = (Vec::new(), Vec::new());
    let mut any = false;
    // The item's measures, as `REMOTE-ACCESS-CONTROLS` asks for them.
    let measures = ctx
        .catalogue
        .checklist_items()
        .find(|i| i.derivation.as_deref() == Some("remote-access"))
        .map(|i| i.controls.as_slice())
        .unwrap_or_default();
    for conduit in model.conduits.iter().filter(|c| !c.flows.is_empty()) {
        let (Some(from), Some(to)) = (model.zone(conduit.from), model.zone(conduit.to)) else { continue };
        if from.trust == Trust::Internal || to.trust != Trust::Internal {
            continue;
        }
        let in_force = controls::conduit_controls(ctx.catalogue, conduit);
        let (has, lacks): (Vec<&str>, Vec<&str>) =
            measures.iter().map(String::as_str).partition(|m| in_force.contains(m));
        any |= !has.is_empty();
        let base = |k| Message::new(k).name("conduit", &conduit.name).name("from", &from.name).name("to", &to.name);
        supports.push(base(key::RA_CONDUIT).controls("controls", has));
        if !lacks.is_empty() {
            missing.push(base(key::RA_MISSING).controls("controls", lacks));
        }
    }
    if supports.is_empty() {
        return Derived::not_applicable(Message::new(key::RA_NONE));
    }
    Derived::graded(any, supports, missing)
}
