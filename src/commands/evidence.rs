//! `kojo evidence`: the Appendix E checklist, every item with a level and
//! what supports it, from the model, its rules and its attestations (with
//! proof of review from git history).

use kojo_backends::documents::evidence::{self, Request};

use crate::cli::EvidenceArgs;
use crate::exit::Exit;

use super::documents;

pub fn run(args: &EvidenceArgs) -> Exit {
    let (now, loaded, templates) = match documents::open(args.path.as_deref(), args.now.as_deref()) {
        Ok(opened) => opened,
        Err(exit) => return exit,
    };
    let checked = &loaded.checked;
    let (Some(model), Some(catalogue), Some(profile), Some(assessment)) =
        (&checked.model, &checked.catalogue, &checked.profile, documents::assess(&loaded, now))
    else {
        return Exit::Compile;
    };
    let request = Request {
        model,
        catalogue,
        profile,
        assessment: &assessment,
        lang: documents::lang(args.lang, checked),
        format: documents::format(args.format),
        templates: &templates,
    };
    match evidence::render(&request) {
        Ok(text) => documents::print(&text),
        Err(error) => documents::render_failed(&error),
    }
}
