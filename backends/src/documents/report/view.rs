//! The report in one language: plain data for the template, built from
//! what the compiler derived.

use kojo_compiler::model::ZoneId;
use kojo_compiler::rules::Finding;
use kojo_lang::Severity;
use serde::Serialize;

use super::findings::{self, RuleGroup};
use super::ledger::{self, LedgerSection};
use super::threats::{self, ZoneThreats};
use super::waivers::{self, WaiverRow};
use super::zones::{self, Tally, TierCount, ZoneRow};
use super::Request;
use crate::documents::evidence::{self, EvidenceView};
use crate::documents::graph;
use crate::documents::render::RenderError;
use crate::documents::text::{Words, WordsError};
use crate::documents::Format;

#[derive(Debug, Clone, Serialize)]
pub struct ReportView {
    pub lang: &'static str,
    pub project: String,
    pub plant_code: String,
    pub plant_name: Option<String>,
    /// The report's date, `YYYY-MM-DD`.
    pub date: String,
    /// The profiles in force, by ID, in stacking order.
    pub profiles: Vec<String>,
    pub profile_label: String,
    pub kojo_version: &'static str,
    pub command: String,
    pub counts: Counts,
    pub zones: Vec<ZoneRow>,
    pub tiers: Vec<TierCount>,
    pub findings: Vec<RuleGroup>,
    pub waivers: Vec<WaiverRow>,
    pub threats: Vec<ZoneThreats>,
    pub checklist: EvidenceView,
    /// The zone diagram's `<svg>` element, escaped by the diagram's own
    /// writer (`graph`), shown as it is.
    pub diagram: String,
    pub ledger: LedgerSection,
    /// How many findings of one rule are listed.
    pub fold: usize,
    pub expiring_days: i64,
}

/// The header's figures: where the plant stands at a glance.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Counts {
    pub zones: usize,
    pub assets: usize,
    pub conduits: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub waived: usize,
    pub waivers_live: usize,
    pub waivers_expiring: usize,
    pub waivers_expired: usize,
    pub threats_open: usize,
    pub threats_partial: usize,
    pub threats_unknown: usize,
    pub threats: usize,
}

/// The zone diagram as `kojo graph` draws it (assets counted in a large plant).
fn diagram(request: &Request<'_>) -> Result<String, RenderError> {
    let view = graph::view(&graph::Request {
        model: request.model,
        catalogue: request.catalogue,
        profile: request.profile,
        tiers: request.tiers,
        date: request.now,
        lang: request.lang,
        assets: graph::Assets::Auto,
    })
    .map_err(internal)?;
    Ok(graph::svg_element(&view))
}

fn internal(e: WordsError) -> RenderError {
    RenderError::Internal(e.to_string())
}

pub fn build(request: &Request<'_>, words: &Words<'_>) -> Result<ReportView, RenderError> {
    let model = request.model;
    let applied = request.findings;
    // What `kojo check` reports: the findings no waiver hides, and the waivers' own.
    let shown: Vec<&Finding> = applied.kept.iter().chain(&applied.problems).collect();
    let placements = zones::order(model, request.catalogue, request.tiers);
    let order: Vec<ZoneId> = placements.iter().map(|p| p.zone).collect();
    let mut tallies = vec![Tally::default(); model.zones.len()];
    zones::count_findings(model, &shown, &applied.waived, &mut tallies);
    let threats = threats::per_zone(request, words, &order, &mut tallies).map_err(internal)?;
    let zone_rows = zones::rows(request, words, &placements, &tallies).map_err(internal)?;
    let waiver_rows = waivers::rows(request, words).map_err(internal)?;
    let groups = findings::groups(request, words, &shown).map_err(internal)?;
    let checklist = evidence::view(
        &evidence::Request {
            model,
            catalogue: request.catalogue,
            profile: request.profile,
            assessment: request.assessment,
            lang: request.lang,
            format: Format::Html,
            templates: request.templates,
        },
        words,
    )?;
    let severity = |s: Severity| shown.iter().filter(|f| f.severity == s).count();
    let waivers_in = |status: &str| waiver_rows.iter().filter(|w| w.status == status).count();
    let counts = Counts {
        zones: model.zones.len(),
        assets: model.assets.len(),
        conduits: model.conduits.len(),
        errors: severity(Severity::Error),
        warnings: severity(Severity::Warning),
        infos: severity(Severity::Info),
        waived: applied.waived.len(),
        waivers_live: waivers_in("live"),
        waivers_expiring: waivers_in("expiring"),
        waivers_expired: waivers_in("expired"),
        threats_open: tallies.iter().map(|t| t.threats_open).sum(),
        threats_partial: tallies.iter().map(|t| t.threats_partial).sum(),
        threats_unknown: tallies.iter().map(|t| t.threats_unknown).sum(),
        threats: tallies.iter().map(|t| t.threats).sum(),
    };
    Ok(ReportView {
        lang: words.lang.code(),
        project: model.project.clone(),
        plant_code: model.plant.code.clone(),
        plant_name: model.plant.name.clone(),
        date: request.now.to_string(),
        profiles: model.profiles.clone(),
        profile_label: words.label(&request.profile.label).to_string(),
        kojo_version: env!("CARGO_PKG_VERSION"),
        command: request.command.clone(),
        counts,
        tiers: zones::tier_counts(words, &zone_rows, model, request.tiers),
        zones: zone_rows,
        findings: groups,
        waivers: waiver_rows,
        threats,
        checklist,
        diagram: diagram(request)?,
        ledger: ledger::section(request, words, &order),
        fold: super::FOLD,
        expiring_days: super::EXPIRING_DAYS,
    })
}
