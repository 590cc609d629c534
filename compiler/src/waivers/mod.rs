//! Waivers: accepting findings for a while, for a reason, with
//! compensating controls. Legacy equipment that cannot be patched or
//! reconfigured is common in factories; a waiver records that decision
//! where a reviewer sees it, instead of a finding everyone learns to ignore.
//!
//! A waiver names one or more rules and a scope: entities named one by one,
//! a zone and its assets, the assets in a zone, the assets of a kind, or the
//! plant (every entity). It hides every finding of any of its rules on any
//! entity of its scope until it expires. An expired waiver hides nothing and
//! is itself an error. A waiver, or a part of one, that hides nothing is a
//! warning that says why (see [`unused`]). Compensating controls must be in
//! force on every entity whose finding the waiver hides (see [`compensating`]).

mod compensating;
mod index;
mod unused;

#[cfg(test)]
mod tests;

use std::collections::BTreeSet;

use kojo_lang::Severity;

use crate::model::{EntityRef, Waiver};
use crate::rules::{Context, Finding};
use crate::types::Date;

pub const EXPIRED: &str = "WAIVER-EXPIRED";
pub const UNUSED: &str = "WAIVER-UNUSED";
pub const COMPENSATING_MISSING: &str = "WAIVER-COMPENSATING-MISSING";

/// Findings split by the waivers, plus the waivers' own findings.
#[derive(Debug, Default)]
pub struct Applied {
    pub kept: Vec<Finding>,
    pub waived: Vec<Finding>,
    /// For each of `waived`, the index of the waiver (in `Model::waivers`)
    /// that hides it: its `loc`, `reason`, `until` and `compensating` are
    /// what a report shows next to the finding.
    pub waived_by: Vec<usize>,
    pub problems: Vec<Finding>,
}

/// What a waiver hid: (index of the rule in `Waiver::rules`, entity).
type Hits = BTreeSet<(usize, EntityRef)>;

/// Applies the model's waivers to `findings`. `today` decides expiry; with
/// no date, no waiver expires. The rules a waiver may name, and the kinds
/// of entity each applies to, come from `ctx`.
pub fn apply(ctx: &Context<'_>, findings: Vec<Finding>, today: Option<Date>) -> Applied {
    let model = ctx.model;
    let mut applied = Applied::default();
    let active: Vec<bool> = model.waivers.iter().map(|w| today.is_none_or(|t| w.until >= t)).collect();
    let mut hits: Vec<Hits> = vec![Hits::new(); model.waivers.len()];
    // The kept findings stay where they are (a plant may have millions);
    // the waived ones are taken out, in order.
    let index = index::Index::new(model, &active);
    let mut kept = findings;
    let waived = kept.extract_if(.., |finding| match index.hider(model, finding) {
        Some((waiver, rule)) => {
            if let Some(h) = hits.get_mut(waiver) {
                h.insert((rule, finding.target));
            }
            applied.waived_by.push(waiver);
            true
        }
        None => false,
    });
    applied.waived = waived.collect();
    applied.kept = kept;
    for ((waiver, active), hits) in model.waivers.iter().zip(active).zip(&hits) {
        let key = format!("waiver:{}", waiver.name(model));
        if !active {
            applied.problems.push(expired(ctx, waiver, key));
            continue;
        }
        applied.problems.extend(unused::check(ctx, waiver, hits, &key));
        applied.problems.extend(compensating::check(ctx, waiver, hits, &key));
    }
    applied
}

fn expired(ctx: &Context<'_>, waiver: &Waiver, key: String) -> Finding {
    Finding {
        rule: EXPIRED.to_string(),
        severity: Severity::Error,
        target: EntityRef::Plant,
        loc: waiver.loc,
        message: format!("the waiver of {} expired on {}", waived(ctx, waiver), waiver.until),
        label: format!("expired {}", waiver.until).into(),
        help: "fix what the waiver covered, or review it and extend `until` with a reason that still holds".into(),
        notes: std::sync::Arc::new([]),
        key,
    }
}

/// "`NW-MFA`" or "`NW-MFA`, `NW-INDIVIDUAL-ID` on `zone:control and its
/// assets`": what a waiver waives, for messages. The scope is shown when
/// it is not a single entity, whose place the diagnostic already shows.
fn waived(ctx: &Context<'_>, waiver: &Waiver) -> String {
    let rules = waiver.rule_ids().map(|r| format!("`{r}`")).collect::<Vec<_>>().join(", ");
    match &waiver.scope {
        crate::model::WaiverScope::Entities(list) if list.len() == 1 => rules,
        _ => format!("{rules} on `{}`", waiver.scope_path(ctx.model)),
    }
}
