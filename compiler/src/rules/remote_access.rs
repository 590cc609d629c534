//! `REMOTE-ACCESS-CONTROLS`: a way in from outside the plant without the
//! remote-access controls of checklist item 3-6.
//!
//! Where hosts in an `untrusted` or `external` zone (the internet, a
//! vendor's maintenance centre) may open connections to hosts in the
//! plant's own zones, the guideline's Appendix E item 3-6 [3.2.2(1)] asks
//! for multi-factor authentication, each remote user restricted to their own
//! target devices, connections only in a time window, and a record of the
//! sessions (with detection of out-of-window connections and intrusion
//! prevention, which the tier requirements cover); IEC 62443 SR 1.13 access
//! via untrusted networks, SR 2.1 authorization enforcement, SR 2.8
//! auditable events. Remote maintenance lines (EP10) and internet VPNs
//! (EP08) are among the commonest ways into factories.
//!
//! Every conduit from an outside zone into an internal one that allows at
//! least one flow needs `mfa`, `per-user-targets`, `time-window` (proven by
//! a `window`) and `session-log` in force; one finding per conduit lists
//! what is missing.

use kojo_lang::ast::EntityKind;
use kojo_lang::Severity;

use super::boundary::{self, and_list, describe};
use super::{Context, Finding, Rule};
use crate::controls;
use crate::model::EntityRef;

pub const RULE: Rule =
    Rule { id: "REMOTE-ACCESS-CONTROLS", severity: Severity::Error, applies_to: &[EntityKind::Conduit], check };

/// The controls of checklist 3-6, with what each one means for the help.
const NEEDED: [(&str, &str); 4] = [
    ("mfa", "multi-factor authentication (`mfa`)"),
    ("per-user-targets", "a restriction of each remote user to their own target devices (`per-user-targets`)"),
    ("time-window", "a connection time window (`window \"Mon-Fri 09:00-17:00 Asia/Tokyo\"` proves `time-window`)"),
    ("session-log", "a record of every session (`session-log`)"),
];

fn check(ctx: &Context<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    for conduit in ctx.model.conduits.iter().filter(|c| !c.flows.is_empty()) {
        let (Some(from), Some(to)) = (ctx.model.zone(conduit.from), ctx.model.zone(conduit.to)) else { continue };
        if !boundary::outside(from) || boundary::outside(to) {
            continue;
        }
        let in_force = controls::conduit_controls(ctx.catalogue, conduit);
        let missing: Vec<_> = NEEDED.iter().filter(|(id, _)| !in_force.contains(id)).collect();
        if missing.is_empty() {
            continue;
        }
        let ids: Vec<String> = missing.iter().map(|(id, _)| format!("`{id}`")).collect();
        let means: Vec<String> = missing.iter().map(|(_, what)| (*what).to_string()).collect();
        let mut finding = boundary::finding(
            &RULE,
            EntityRef::Conduit(conduit.id),
            conduit.loc,
            format!(
                "conduit `{}` lets {} into {} without {}",
                conduit.name,
                describe(ctx, from),
                describe(ctx, to),
                and_list(&ids)
            ),
            format!("remote access without {}", and_list(&ids)),
            format!(
                "access from outside the plant needs {} (Appendix E 3-6): put them in place, then list them in the conduit's `controls`",
                and_list(&means)
            ),
        );
        finding.notes = vec![boundary::zone_note(ctx, from)];
        findings.push(finding);
    }
    findings
}
