//! The threat entry points of each internal zone (guideline step 1-7), as
//! `kojo check --threats` derives them (the assessment carries them): what opens each, how it stands and
//! which controls address it.

use kojo_compiler::model::ZoneId;
use kojo_compiler::threats::Status;
use serde::Serialize;

use super::zones::Tally;
use super::Request;
use crate::documents::text::{Words, WordsError};

#[derive(Debug, Clone, Serialize)]
pub struct ZoneThreats {
    pub zone: String,
    pub title: Option<String>,
    pub entries: Vec<ThreatRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ThreatRow {
    /// `EP08`.
    pub id: String,
    pub label: String,
    /// `open`, `partial`, `addressed` or `unknown`.
    pub status: &'static str,
    pub status_label: String,
    /// What opens it, as the compiler names it (`conduit vendor_in from vendor_centre`).
    pub via: Vec<String>,
    /// Controls in force that address it, by their labels.
    pub addressed_by: Vec<String>,
    /// What an opener still lacks (`conduit vendor_in: ips`).
    pub missing: Vec<String>,
}

fn status_id(status: Status) -> &'static str {
    match status {
        Status::Open => "open",
        Status::Partial => "partial",
        Status::Addressed => "addressed",
        Status::Unknown => "unknown",
    }
}

/// Each zone's entry points, zones in `order` (zones with none left out),
/// counting open ones into the zones' tallies.
pub fn per_zone(
    request: &Request<'_>,
    words: &Words<'_>,
    order: &[ZoneId],
    tallies: &mut [Tally],
) -> Result<Vec<ZoneThreats>, WordsError> {
    let model = request.model;
    let mut by_zone: Vec<Vec<ThreatRow>> = vec![Vec::new(); model.zones.len()];
    // Derived once, with the checklist assessment, whose derivations read it.
    for threat in &request.assessment.threats {
        let status = status_id(threat.status);
        let label = request
            .catalogue
            .entry_point(&threat.entry_point)
            .map_or_else(|| threat.entry_point.clone(), |e| words.label(&e.label).to_string());
        let row = ThreatRow {
            id: threat.entry_point.clone(),
            label,
            status,
            status_label: words.plain(&format!("report.threat.{status}"))?,
            // A zone of thousands of alike assets: the first openers.
            via: words.first(&threat.via)?,
            addressed_by: threat.addressed_by.iter().map(|c| words.control(c)).collect(),
            missing: words.first(&threat.missing)?,
        };
        let i = threat.zone.index();
        if let Some(tally) = tallies.get_mut(i) {
            tally.threats += 1;
            tally.threats_open += usize::from(threat.status == Status::Open);
            tally.threats_partial += usize::from(threat.status == Status::Partial);
            tally.threats_unknown += usize::from(threat.status == Status::Unknown);
        }
        if let Some(rows) = by_zone.get_mut(i) {
            rows.push(row);
        }
    }
    let mut out = Vec::new();
    for zone in order.iter().filter_map(|id| model.zone(*id)) {
        let entries = by_zone.get_mut(zone.id.index()).map(std::mem::take).unwrap_or_default();
        if !entries.is_empty() {
            out.push(ZoneThreats { zone: zone.name.clone(), title: zone.title.clone(), entries });
        }
    }
    Ok(out)
}
