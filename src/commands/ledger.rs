//! `kojo ledger`: the asset ledger (guideline checklist 2-6) as CSV, JSON
//! or a CycloneDX SBOM. Findings do not stop it: it shows the plant as it is.

use kojo_backends::documents::ledger::{self, LedgerFormat, Source};
use kojo_backends::documents::render::RenderError;
use kojo_backends::documents::text::Words;

use crate::cli::{self, LedgerArgs};
use crate::exit::Exit;

use super::documents;

pub fn run(args: &LedgerArgs) -> Exit {
    let format = match (args.format, args.bom) {
        (cli::LedgerFormat::Csv, bom) => LedgerFormat::Csv { bom },
        (_, true) => {
            errln!("error: --bom applies to CSV only\n  help: drop --bom, or use --format csv");
            return Exit::Usage;
        }
        (cli::LedgerFormat::Json, false) => LedgerFormat::Json,
        (cli::LedgerFormat::Cyclonedx, false) => LedgerFormat::CycloneDx,
    };
    let (date, loaded) = match documents::dated(args.path.as_deref(), args.now.as_deref()) {
        Ok(opened) => opened,
        Err(exit) => return exit,
    };
    let checked = &loaded.checked;
    let (Some(model), Some(catalogue), Some(profile)) = (&checked.model, &checked.catalogue, &checked.profile) else {
        return Exit::Compile;
    };
    let words = match Words::new(documents::lang(args.lang, checked), catalogue, profile) {
        Ok(words) => words,
        Err(error) => return documents::render_failed(&RenderError::Internal(error.to_string())),
    };
    let source = Source { model, tiers: &checked.tiers, date };
    match ledger::render(&source, &words, format) {
        Ok(text) => documents::print(&text),
        Err(error) => documents::render_failed(&error),
    }
}
