//! `REMOTE-ACCESS-CONTROLS`: a way in from outside the plant without the
//! remote-access measures of checklist item 3-6.
//!
//! Where hosts in an `untrusted` or `external` zone (the internet, a
//! vendor's maintenance centre) may open connections to hosts in the
//! plant's own zones, Appendix E item 3-6 [3.2.2(1)] asks for
//! authentication (two-factor etc.), each remote user restricted to their
//! own target devices, connection time windows, detection of anomalies
//! such as connections outside the maintenance period, and network
//! intrusion prevention. The measures are the item's `controls` in
//! `checklist.toml`, which the item's evidence derivation reads too, so
//! the rule and the checklist never disagree. Remote maintenance lines
//! (EP10) and internet VPNs (EP08) are among the commonest ways into
//! factories.
//!
//! Every conduit from an outside zone into an internal one that allows at
//! least one flow needs all of them in force (`time-window` is proven by a
//! `window`); one finding per conduit lists what is missing.

use kojo_lang::ast::EntityKind;
use kojo_lang::Severity;

use super::boundary::{self, and_list, describe};
use super::{Context, Finding, Rule};
use crate::controls;
use crate::model::EntityRef;

pub const RULE: Rule =
    Rule { id: "REMOTE-ACCESS-CONTROLS", severity: Severity::Error, applies_to: &[EntityKind::Conduit], check };

/// The derivation of the checklist item whose measures the rule asks for
/// (E-3-6); the catalogue refuses to load without one, or with no measures.
pub const DERIVATION: &str = "remote-access";

fn check(ctx: &Context<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    let needed = ctx
        .catalogue
        .checklist_items()
        .find(|i| i.derivation.as_deref() == Some(DERIVATION))
        .map(|i| i.controls.clone())
        .unwrap_or_default();
    if needed.is_empty() {
        return findings;
    }
    for conduit in ctx.model.conduits.iter().filter(|c| !c.flows.is_empty()) {
        let (Some(from), Some(to)) = (ctx.model.zone(conduit.from), ctx.model.zone(conduit.to)) else { continue };
        if !boundary::outside(from) || boundary::outside(to) {
            continue;
        }
        let in_force = controls::conduit_controls(ctx.catalogue, conduit);
        let missing: Vec<&str> = needed.iter().map(String::as_str).filter(|id| !in_force.contains(id)).collect();
        if missing.is_empty() {
            continue;
        }
        let ids: Vec<String> = missing.iter().map(|id| format!("`{id}`")).collect();
        let means: Vec<String> = missing
            .iter()
            .map(|id| match ctx.catalogue.control(id) {
                Some(c) => format!("{} (`{id}`)", in_sentence(&c.label.en)),
                None => format!("`{id}`"),
            })
            .collect();
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
                "access from outside the plant needs {} (Appendix E 3-6): put them in place, then list them in the conduit's `controls` (a `window` proves `time-window`)",
                and_list(&means)
            ),
        );
        finding.notes = vec![boundary::zone_note(ctx, from)].into();
        findings.push(finding);
    }
    findings
}

/// A label inside a sentence: "Multi-factor authentication" → "multi-factor
/// authentication", an acronym ("IPS …") left as it is.
fn in_sentence(label: &str) -> String {
    let mut chars = label.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if second.is_lowercase() => {
            first.to_lowercase().chain(label.chars().skip(1)).collect()
        }
        _ => label.to_string(),
    }
}
