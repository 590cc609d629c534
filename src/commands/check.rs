//! `kojo check`: compile a project and report every problem.

use kojo_compiler::model::Model;
use kojo_compiler::{Checked, DiskSource};
use kojo_lang::Severity;
use serde_json::json;

use crate::cli::{self, CheckArgs, FailOn, Format};
use crate::exit::{self, Exit};
use crate::report;

pub fn run(args: &CheckArgs) -> Exit {
    let root = super::project_root(args.path.as_deref());
    let checked = kojo_compiler::check(&DiskSource::new(&root), kojo_backends::names());
    let fail_on = match args.fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
        FailOn::Info => Severity::Info,
    };
    let exit = exit::for_diagnostics(&checked.diagnostics, fail_on);
    match args.format {
        Format::Human => {
            if !checked.diagnostics.is_empty() {
                eprint!("{}", report::render_all(&checked.diagnostics, cli::color()));
            }
            println!("{}", summary(&checked, exit));
        }
        Format::Json => println!("{}", serde_json::to_string_pretty(&to_json(&checked, exit)).unwrap_or_default()),
    }
    exit
}

/// `1 zone`, `2 zones`.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn model_counts(model: &Model) -> String {
    let flows: usize = model.conduits.iter().map(|c| c.flows.len()).sum();
    [
        count(model.zones.len(), "zone", "zones"),
        count(model.assets.len(), "asset", "assets"),
        format!("{} ({})", count(model.conduits.len(), "conduit", "conduits"), count(flows, "flow", "flows")),
        count(model.operations.len(), "operation", "operations"),
        count(model.data.len(), "data item", "data items"),
        count(model.waivers.len(), "waiver", "waivers"),
        count(model.attestations.len(), "attestation", "attestations"),
    ]
    .join(", ")
}

/// The one-line summary printed after the diagnostics.
pub fn summary(checked: &Checked, exit: Exit) -> String {
    let (errors, warnings, _) = report::counts(&checked.diagnostics);
    let name =
        checked.manifest.as_ref().map_or_else(|| "the project".to_string(), |m| format!("`{}`", m.project.value));
    let files = count(checked.files, "file", "files");
    match (&checked.model, exit) {
        (Some(model), Exit::Clean) if warnings == 0 => {
            format!("ok: {name} checked: {files}, {}", model_counts(model))
        }
        (Some(model), _) => {
            format!("{name} checked: {files}, {}; {}", model_counts(model), count(warnings, "warning", "warnings"))
        }
        (None, Exit::Usage) => format!("error: {name} could not be checked: {}", count(errors, "error", "errors")),
        (None, _) => format!(
            "error: {name} does not compile: {}, {} in {files}",
            count(errors, "error", "errors"),
            count(warnings, "warning", "warnings")
        ),
    }
}

fn to_json(checked: &Checked, exit: Exit) -> serde_json::Value {
    let (errors, warnings, infos) = report::counts(&checked.diagnostics);
    let model = checked.model.as_ref().map(|m| {
        json!({
            "plant": m.plant.code,
            "zones": m.zones.len(),
            "assets": m.assets.len(),
            "conduits": m.conduits.len(),
            "flows": m.conduits.iter().map(|c| c.flows.len()).sum::<usize>(),
            "operations": m.operations.len(),
            "data": m.data.len(),
            "waivers": m.waivers.len(),
            "attestations": m.attestations.len(),
        })
    });
    json!({
        "version": 1,
        "project": checked.manifest.as_ref().map(|m| m.project.value.clone()),
        "exit_code": exit as u8,
        "summary": { "files": checked.files, "errors": errors, "warnings": warnings, "infos": infos },
        "model": model,
        "diagnostics": checked.diagnostics.iter().map(report::diagnostic_json).collect::<Vec<_>>(),
    })
}
