//! `kojo procure TARGET`: the procurement specification (Appendix F style)
//! for one asset, every asset going into a zone, or a purchase.

use kojo_backends::documents::procurement::{self, Request};
use kojo_backends::documents::Format;

use crate::cli::{ProcureArgs, SpecFormat};
use crate::exit::Exit;

use super::documents;

pub fn run(args: &ProcureArgs) -> Exit {
    let (date, loaded, templates) = match documents::open(args.path.as_deref(), args.now.as_deref()) {
        Ok(opened) => opened,
        Err(exit) => return exit,
    };
    let checked = &loaded.checked;
    let (Some(model), Some(catalogue), Some(profile), Some(manifest)) =
        (&checked.model, &checked.catalogue, &checked.profile, &checked.manifest)
    else {
        return Exit::Compile;
    };
    let target = match procurement::resolve(model, &args.target) {
        Ok(target) => target,
        Err(error) => {
            errln!("error: {}\n  help: {}", error.message, error.help);
            return Exit::Usage;
        }
    };
    let request = Request {
        model,
        catalogue,
        profile,
        tiers: &checked.tiers,
        findings: &checked.findings,
        manifest,
        target,
        date,
        lang: documents::lang(args.lang, checked),
        format: match args.format {
            SpecFormat::Md => Format::Markdown,
            SpecFormat::Html => Format::Html,
        },
        templates: &templates,
        internal: args.internal,
    };
    match procurement::render(&request) {
        Ok(text) => documents::print(&text),
        Err(error) => documents::render_failed(&error),
    }
}
