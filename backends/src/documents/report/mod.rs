//! The posture report (`kojo report`): one self-contained HTML page that
//! says where the plant stands, for a plant manager reading top-down.
//!
//! It owns the page's sections and their order: the header and its
//! counts, the summary by zone and tier, the findings grouped by rule with
//! the fix, the waivers soonest to expire first, the threat entry points per
//! zone and the Appendix E checklist. It derives nothing itself: tiers,
//! findings, waivers, threats and the checklist assessment are the
//! compiler's, and the checklist is worded by the evidence document's own
//! view builder ([`super::evidence::view`]). It does not own the zone
//! diagram (`graph`) or the asset ledger (`ledger`): it shows the
//! diagram's SVG and the ledger's rows as they are.
//!
//! Every word comes from the message files (`report.*`) or the catalogues'
//! labels; names from the model are escaped by the template environment.
//! The page carries no script, and its Content-Security-Policy allows none.

mod findings;
mod ledger;
mod threats;
mod view;
mod waivers;
mod zones;

#[cfg(test)]
mod tests;

use kojo_compiler::evidence::Assessment;
use kojo_compiler::model::Model;
use kojo_compiler::tiers::ZoneTier;
use kojo_compiler::types::Date;
use kojo_compiler::waivers::Applied;
use kojo_stdlib::{Catalogue, Profile};

pub use findings::{FindingRow, RuleGroup};
pub use ledger::{KindCount, LedgerSection, LIST_UP_TO};
pub use threats::{ThreatRow, ZoneThreats};
pub use view::{Counts, ReportView};
pub use waivers::WaiverRow;
pub use zones::{TierCount, ZoneRow};

use super::render::{render as render_template, RenderError};
use super::text::Words;
use super::{Format, Lang, ProjectTemplate};

/// How many findings of one rule the report lists before "… and N more":
/// a plant with a hundred thousand findings stays a page a browser opens.
pub const FOLD: usize = 25;

/// A waiver that expires within this many days is counted as expiring.
pub const EXPIRING_DAYS: i64 = 30;

/// What the report is made from.
pub struct Request<'a> {
    pub model: &'a Model,
    pub catalogue: &'a Catalogue,
    pub profile: &'a Profile,
    /// Every zone's tiers, indexed by zone ID.
    pub tiers: &'a [ZoneTier],
    pub findings: &'a Applied,
    pub assessment: &'a Assessment,
    /// The report's date: waivers' days left are counted from it.
    pub now: Date,
    pub lang: Lang,
    /// The command line that produced the report, for its footer.
    pub command: String,
    pub templates: &'a [ProjectTemplate],
}

/// The report in the request's language, as the template sees it.
pub fn view(request: &Request<'_>) -> Result<ReportView, RenderError> {
    let words = Words::new(request.lang, request.catalogue, request.profile)
        .map_err(|e| RenderError::Internal(e.to_string()))?;
    view::build(request, &words)
}

/// The page's text.
pub fn render(request: &Request<'_>) -> Result<String, RenderError> {
    let words = Words::new(request.lang, request.catalogue, request.profile)
        .map_err(|e| RenderError::Internal(e.to_string()))?;
    let view = view::build(request, &words)?;
    render_template("report.html", Format::Html, &view, words.messages, request.templates)
}
