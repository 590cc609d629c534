//! The waivers, soonest to expire first: what each accepts, for how long,
//! why, with which compensating controls, and how many findings it hides.

use serde::Serialize;

use super::{Request, EXPIRING_DAYS};
use crate::documents::text::{Words, WordsError};

#[derive(Debug, Clone, Serialize)]
pub struct WaiverRow {
    pub rules: Vec<String>,
    /// The scope as written: `asset:hmi`, `zone:control and its assets`.
    pub scope: String,
    pub reason: String,
    pub until: String,
    /// Days from the report's date to `until`; negative once expired.
    pub days_left: i64,
    /// `live`, `expiring` (within [`EXPIRING_DAYS`]) or `expired`.
    pub status: &'static str,
    pub status_label: String,
    /// Compensating controls, by their labels.
    pub compensating: Vec<String>,
    /// Findings it hides on the report's date.
    pub hides: usize,
    pub at: String,
}

/// `live`, `expiring` or `expired` on the report's date, `days_left` days before `until`.
pub fn status(days_left: i64) -> &'static str {
    match days_left {
        d if d < 0 => "expired",
        d if d <= EXPIRING_DAYS => "expiring",
        _ => "live",
    }
}

/// Every waiver of the model, soonest to expire first (then as declared).
pub fn rows(request: &Request<'_>, words: &Words<'_>) -> Result<Vec<WaiverRow>, WordsError> {
    let model = request.model;
    let mut hides = vec![0; model.waivers.len()];
    for &waiver in &request.findings.waived_by {
        if let Some(n) = hides.get_mut(waiver) {
            *n += 1;
        }
    }
    let mut order: Vec<usize> = (0..model.waivers.len()).collect();
    order.sort_by_key(|&i| model.waivers.get(i).map(|w| (w.until, w.loc)));
    let mut rows = Vec::with_capacity(order.len());
    for i in order {
        let Some(waiver) = model.waivers.get(i) else { continue };
        let days_left = request.now.days_until(waiver.until);
        let status = status(days_left);
        rows.push(WaiverRow {
            rules: waiver.rule_ids().map(str::to_string).collect(),
            scope: waiver.scope_path(model),
            reason: waiver.reason.clone(),
            until: waiver.until.to_string(),
            days_left,
            status,
            status_label: words.plain(&format!("report.waiver.{status}"))?,
            compensating: waiver.compensating.iter().map(|c| words.control(c)).collect(),
            hides: hides.get(i).copied().unwrap_or(0),
            at: model.locate(waiver.loc),
        });
    }
    Ok(rows)
}
