//! `internet-access` (Appendix E 2-3): e-mail and internet access from the
//! factory systems forbidden.
//!
//! The model shows the technical side: which of the plant's zones have a
//! conduit straight to an `untrusted` zone (the internet) and what it
//! carries. The policy itself needs an attestation (scope "part"). Every
//! internal zone counts, the office network too: the checklist speaks of
//! the systems in the factory; an organisation that rates its office
//! network apart replaces the item in its own profile.

use super::{Ctx, Derived};
use crate::evidence::message::{key, Message};
use crate::model::{Traffic, Trust};

pub fn derive(ctx: &Ctx<'_>) -> Derived {
    let model = ctx.model;
    let mut reaches = Vec::new();
    for conduit in model.conduits.iter().filter(|c| !c.flows.is_empty()) {
        let (Some(from), Some(to)) = (model.zone(conduit.from), model.zone(conduit.to)) else { continue };
        if from.trust != Trust::Internal || to.trust != Trust::Untrusted {
            continue;
        }
        let mut what: Vec<String> = conduit
            .flows
            .iter()
            .flat_map(|f| match &f.traffic {
                Traffic::Services(names) => names.clone(),
                Traffic::Ports(ports) => ports.iter().map(|p| p.to_string()).collect(),
            })
            .collect();
        what.sort();
        what.dedup();
        reaches.push(
            Message::new(key::NET_REACHES)
                .name("zone", &from.name)
                .name("conduit", &conduit.name)
                .names("traffic", what),
        );
    }
    if reaches.is_empty() {
        return Derived::graded(true, vec![Message::new(key::NET_NONE)], Vec::new());
    }
    Derived::graded(true, Vec::new(), reaches)
}
