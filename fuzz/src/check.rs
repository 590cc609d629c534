//! The `check` target: the whole `kojo check` on a project held in memory
//! (see [`crate::container`] for the input's form): manifest, profiles,
//! parsing, resolving, tiers, every rule, waivers, threats, and for a
//! project that compiles the build in memory that `kojo check` runs to find
//! what `kojo build` would refuse. Every diagnostic is then rendered as the
//! CLI shows it: miette's report (in full, or findings grouped by rule when
//! there are many), one line each, JSON, SARIF, JUnit, GitHub and GitLab.
//! None of it may panic.

use kojo::report::{self, Outcome, Paths};
use kojo_compiler::{Checked, Options};
use kojo_lang::{inert, Code, Diagnostic, Severity};

/// Checks and renders the project `data` holds; panics only on a bug.
pub fn run(data: &[u8]) {
    let source = crate::container::project(data);
    let options = Options { backends: kojo_backends::names(), today: crate::today(), ..Default::default() };
    let mut checked = kojo_compiler::check_with(&source, &options);
    refusals(&mut checked);
    render(&checked);
}

/// What `kojo check` adds for a project that compiles and selects
/// backends: the build's refusals (a check that passes must not lead to a
/// build that fails). A build that succeeds must name each file once.
fn refusals(checked: &mut Checked) {
    let (Some(model), Some(manifest), Some(catalogue)) = (&checked.model, &checked.manifest, &checked.catalogue) else {
        return;
    };
    if checked.diagnostics.iter().any(|d| d.code != Code::Finding && d.severity == Severity::Error) {
        return;
    }
    let request = kojo_backends::Request { model, catalogue, tiers: &checked.tiers, manifest };
    match kojo_backends::build(&request) {
        Ok(build) => {
            let mut paths: Vec<&str> = build.artifacts.iter().map(|a| a.path.as_str()).collect();
            paths.dedup();
            assert_eq!(paths.len(), build.artifacts.len(), "a build names a file twice");
        }
        Err(mut refused) => {
            checked.diagnostics.append(&mut refused);
            kojo_lang::diagnostic::sort(&mut checked.diagnostics);
        }
    }
}

/// Every format `kojo check` prints, as it prints them.
fn render(checked: &Checked) {
    let paths = Paths::new("/nonexistent/kojo-fuzz", "/nonexistent/kojo-fuzz");
    let unshown = report::unshown::Unshown::new(checked, None, Severity::Error);
    let outcome = Outcome { checked, paths: &paths, baseline: None, fail_on: Severity::Error, unshown: &unshown };
    let all: Vec<&Diagnostic> = checked.diagnostics.iter().collect();
    let (findings, others): (Vec<&Diagnostic>, Vec<&Diagnostic>) = all.iter().copied().partition(|d| d.rule.is_some());
    let mut human: String = others.iter().map(|d| report::render(d, false)).collect();
    if findings.len() <= report::grouped::FULL_UP_TO {
        human.extend(findings.iter().map(|d| report::render(d, false)));
    } else {
        human.push_str(&report::grouped::render(checked, &findings, &unshown));
    }
    let waivers = outcome.waivers();
    let waived = report::waived(checked, &waivers);
    human.push_str(&report::waivers::render_waived(&waived, waived.len() <= report::grouped::FULL_UP_TO, false));
    human.push_str(&report::dropped::lines(&checked.dropped));
    human.push_str(&report::concise::render(&all, &waived, ""));
    let _ = inert::escape(&human);

    let json: Vec<serde_json::Value> = all.iter().map(|d| report::diagnostic_json(d)).collect();
    let _ = serde_json::to_string(&(json, report::dropped::json(&checked.dropped)));
    let _ = report::sarif::render(&outcome);
    let _ = report::junit::render(&outcome);
    let _ = report::github::render(&outcome, "");
    let _ = report::gitlab::render(&outcome);
}
