//! `kojo report`: where the plant stands, as one self-contained HTML page
//! (zones and tiers, findings by rule with the fix, waivers soonest to
//! expire first, threats per zone, the Appendix E checklist).

use kojo_backends::documents::report::{self, Request};

use crate::cli::ReportArgs;
use crate::exit::Exit;

use super::documents;

pub fn run(args: &ReportArgs) -> Exit {
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
    let lang = documents::lang(args.lang, checked);
    let request = Request {
        model,
        catalogue,
        profile,
        tiers: &checked.tiers,
        findings: &checked.findings,
        assessment: &assessment,
        now,
        lang,
        command: command(args, lang.code(), &now.to_string()),
        templates: &templates,
    };
    match report::render(&request) {
        Ok(text) => documents::print(&text),
        Err(error) => documents::render_failed(&error),
    }
}

/// The command that gives this report again: the path as given, the
/// language and date as used (whatever the defaults were).
fn command(args: &ReportArgs, lang: &str, now: &str) -> String {
    let mut words = vec!["kojo report".to_string()];
    if let Some(path) = &args.path {
        words.push(path.display().to_string());
    }
    words.push(format!("--lang {lang} --now {now}"));
    words.join(" ")
}
