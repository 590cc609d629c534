//! The asset ledger (`kojo ledger`): every asset of the model with its
//! zone, tier in force, kind, addresses, vendor, model, firmware, services,
//! controls in force, the waivers that cover it and the software it runs
//! (`component`), as CSV, JSON or a CycloneDX SBOM.
//!
//! It is the inventory guideline checklist item 2-6 asks for (台帳 of the
//! devices on the factory network [3.1.4]; `stdlib/data/checklist.toml`
//! `E-2-6`), from the same model the firewalls are generated from, so the
//! ledger cannot drift from what is enforced. The view ([`view`]) is plain
//! data in one language, which the posture report shows as a table; this
//! module owns the view and its three writers, not the zone diagram or the
//! report. What is in force is the compiler's
//! ([`kojo_compiler::controls`]); this module only words and writes it.

mod csv;
mod cyclonedx;
mod view;

pub use csv::SEPARATOR;
pub use view::{Address, AssetRow, ComponentRow, LedgerView, Named, Port, Source, WaiverRow};

use super::render::RenderError;
use super::text::Words;

/// The formats of the ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LedgerFormat {
    /// RFC 4180 CSV; `bom`: starting with a UTF-8 byte-order mark.
    Csv { bom: bool },
    /// The view as JSON, with a kind and a version (documented in docs/cli.md).
    Json,
    /// A CycloneDX 1.6 SBOM, JSON.
    CycloneDx,
}

/// The ledger of `source` in the language of `words`: the rows every
/// format (and the posture report) is made from.
pub fn view(source: &Source<'_>, words: &Words<'_>) -> LedgerView {
    view::build(source, words)
}

/// The ledger's text in `format`.
pub fn render(source: &Source<'_>, words: &Words<'_>, format: LedgerFormat) -> Result<String, RenderError> {
    let view = view(source, words);
    match format {
        LedgerFormat::Csv { bom } => csv::render(&view, words, bom).map_err(|e| RenderError::Internal(e.to_string())),
        LedgerFormat::Json => Ok(json(&view)),
        LedgerFormat::CycloneDx => Ok(cyclonedx::render(&view)),
    }
}

/// The view as JSON, `"kind": "kojo-ledger"` and `"version": 1` first,
/// serialised directly (no intermediate JSON tree).
fn json(view: &LedgerView) -> String {
    #[derive(serde::Serialize)]
    struct Versioned<'a> {
        kind: &'static str,
        version: u32,
        #[serde(flatten)]
        view: &'a LedgerView,
    }
    let mut text =
        serde_json::to_string_pretty(&Versioned { kind: "kojo-ledger", version: 1, view }).unwrap_or_default();
    text.push('\n');
    text
}
