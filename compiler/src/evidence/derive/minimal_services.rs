//! `minimal-services` (Appendix E 3-3): services and applications kept to
//! what is needed; unused services and ports stopped or disabled.
//!
//! In the model, each device lists the services it offers, and every flow
//! to it must reach one of them: a flow to a service the device does not
//! declare means the declaration (the hardening baseline) is not the
//! truth. Physical ports: every declared port is at least capped, or in
//! use. The port and service rules are the rules' part.

use super::{plant_assets, Ctx, Derived};
use crate::evidence::message::{key, Message};
use crate::model::{FlowEnd, Traffic};

pub fn derive(ctx: &Ctx<'_>) -> Derived {
    let model = ctx.model;
    let assets: Vec<_> = plant_assets(model).collect();
    if assets.is_empty() {
        return Derived::nothing_modelled(Message::new(key::INV_NONE));
    }
    let mut undeclared: Vec<String> = Vec::new();
    for conduit in &model.conduits {
        for flow in &conduit.flows {
            let (FlowEnd::Assets(ids), Traffic::Services(services)) = (&flow.destination, &flow.traffic) else {
                continue;
            };
            for asset in ids.iter().filter_map(|id| model.asset(*id)) {
                // An enforcing device's own services are its management plane; flows to it are refused elsewhere.
                for service in services.iter().filter(|s| !asset.services.contains(s)) {
                    undeclared.push(format!("{} → {} ({service})", conduit.name, asset.name));
                }
            }
        }
    }
    undeclared.sort();
    undeclared.dedup();
    let declaring = assets.iter().filter(|a| !a.services.is_empty()).count();
    let mut supports = vec![Message::new(key::SVC_DECLARED).count("declaring", declaring).count("count", assets.len())];
    let with_ports: Vec<_> = assets.iter().filter(|a| !a.ports.is_empty()).collect();
    let open: Vec<String> = with_ports
        .iter()
        .filter(|a| {
            a.ports.iter().any(|p| ctx.catalogue.port_state(&p.state).is_some_and(|s| s.tier.is_none() && !s.used))
        })
        .map(|a| a.name.clone())
        .collect();
    supports.push(Message::new(key::SVC_PORTS).count("count", with_ports.len()));
    let mut missing = Vec::new();
    if !undeclared.is_empty() {
        missing.push(Message::new(key::SVC_UNDECLARED).names("flows", undeclared));
    }
    if !open.is_empty() {
        supports.push(Message::new(key::SVC_OPEN_PORTS).names("names", open));
    }
    Derived::graded(!assets.is_empty(), supports, missing)
}
