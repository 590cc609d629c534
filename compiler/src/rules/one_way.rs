//! `ONE-WAY-DIRECTION`: a `one-way` conduit that points into the more
//! protected zone, or that no diode or unidirectional gateway enforces.
//!
//! A data diode (一方向ゲートウェイ) is the strongest form of the guideline's
//! physical separation and gateway measures at the high tier [3.2.2(1)①];
//! IEC 62443 SR 5.1 RE(3), SR 5.2. It exists to let data leave a protected
//! zone (historian copies, logs, production results) while nothing can come
//! back. Pointed the other way, from a lower-tier zone (or the outside)
//! into a higher one, it is a path in that carries no replies to check: the
//! conduit must run from the higher-tier zone to the lower. An internal zone
//! ranks above an outside one, and between zones of one trust the higher
//! effective tier ranks higher; between equals the direction is free.
//!
//! `one-way` is a physical property, so the device that enforces the
//! conduit must be a diode or a unidirectional gateway (`kind diode` or
//! `kind gateway`): a firewall's or router's rules are two-way by design
//! and one reconfiguration from carrying traffic back. A one-way conduit
//! with no device at all is reported by `CONDUIT-NEEDS-ENFORCER`.

use kojo_lang::ast::EntityKind;
use kojo_lang::Severity;

use super::boundary::{self, describe};
use super::{Context, Finding, Rule};
use crate::model::{EntityRef, Tier, Zone};

pub const RULE: Rule =
    Rule { id: "ONE-WAY-DIRECTION", severity: Severity::Error, applies_to: &[EntityKind::Conduit], check };

/// Kinds that can make a path unidirectional.
const ONE_WAY_KINDS: [&str; 2] = ["diode", "gateway"];

/// How protected a zone is: internal above outside, then by tier.
fn rank(ctx: &Context<'_>, zone: &Zone) -> (bool, Option<Tier>) {
    (!boundary::outside(zone), boundary::tier(ctx, zone.id))
}

fn check(ctx: &Context<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    for conduit in ctx.model.conduits.iter().filter(|c| c.one_way) {
        let (Some(from), Some(to)) = (ctx.model.zone(conduit.from), ctx.model.zone(conduit.to)) else { continue };
        let target = EntityRef::Conduit(conduit.id);
        if rank(ctx, to) > rank(ctx, from) {
            let mut finding = boundary::finding(
                &RULE,
                target,
                conduit.loc,
                format!(
                    "one-way conduit `{}` runs from {} into {}: a diode exports from the protected side",
                    conduit.name,
                    describe(ctx, from),
                    describe(ctx, to)
                ),
                String::from("one-way into a more protected zone"),
                format!(
                    "if data leaves `{to}`, declare the conduit `from {to} to {from}`; if `{to}` must receive data from `{from}`, use a two-way conduit with the controls of `{to}`'s tier instead of a diode pointed inwards",
                    to = to.name,
                    from = from.name
                ),
            );
            finding.notes = vec![boundary::zone_note(ctx, from), boundary::zone_note(ctx, to)].into();
            finding.key = "direction".to_string();
            findings.push(finding);
        }
        let Some(enforcer) = conduit.enforced_by.and_then(|a| ctx.model.asset(a)) else { continue };
        if !ONE_WAY_KINDS.contains(&enforcer.kind.as_str()) {
            let mut finding = boundary::finding(
                &RULE,
                target,
                conduit.loc,
                format!(
                    "one-way conduit `{}` is enforced by `{}`, a {}, which cannot make it one-way",
                    conduit.name, enforcer.name, enforcer.kind
                ),
                format!("`one-way` through a {}", enforcer.kind),
                format!(
                    "enforce the conduit with a data diode or unidirectional gateway (`kind diode` or `kind gateway`) and name it in `enforced-by`; if the path through `{}` is not physically one-way, remove `one-way`",
                    enforcer.name
                ),
            );
            finding.notes = vec![(enforcer.loc, format!("`{}` is a {}", enforcer.name, enforcer.kind))].into();
            finding.key = "enforcer".to_string();
            findings.push(finding);
        }
    }
    findings
}
