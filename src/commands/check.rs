//! `kojo check`: compile a project and report every problem.

use kojo_compiler::model::Model;
use kojo_compiler::tiers::ZoneTier;
use kojo_compiler::types::Date;
use kojo_compiler::{Checked, DiskSource, Options};
use kojo_lang::Severity;
use serde_json::json;

use crate::cli::{self, CheckArgs, FailOn, Format};
use crate::exit::{self, Exit};
use crate::report;

/// Today's date in UTC, for waiver expiry.
pub fn today() -> Date {
    let seconds = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    Date::from_unix_days(i64::try_from(seconds / 86_400).unwrap_or(0))
}

pub fn run(args: &CheckArgs) -> Exit {
    let today = match args.now.as_deref().map(Date::parse) {
        None => today(),
        Some(Ok(date)) => date,
        Some(Err(invalid)) => {
            eprintln!("error: --now: {}\n  help: {}", invalid.message, invalid.help);
            return Exit::Usage;
        }
    };
    let root = super::project_root(args.path.as_deref());
    let options = Options { backends: kojo_backends::names(), today: Some(today), ..Default::default() };
    let source = DiskSource::new(&root);
    let mut checked = kojo_compiler::check_with(&source, &options);
    // The project's document templates are part of what CI checks, though
    // only `kojo procure` and `kojo evidence` render them.
    if checked.manifest.is_some() {
        let problems = super::documents::read_templates(&source).1;
        if !problems.is_empty() {
            checked.model = None;
            checked.diagnostics.extend(problems);
            kojo_lang::diagnostic::sort(&mut checked.diagnostics);
        }
    }
    let fail_on = match args.fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
        FailOn::Info => Severity::Info,
    };
    let exit = exit::for_diagnostics(&checked.diagnostics, fail_on);
    match args.format {
        Format::Human => {
            if args.explain_tiers {
                if let Some(model) = &checked.model {
                    print!("{}", tier_table(model, &checked.tiers));
                }
            }
            if args.threats {
                if let Some(model) = &checked.model {
                    print!("{}", threat_table(model));
                }
            }
            if !checked.diagnostics.is_empty() {
                eprint!("{}", report::render_all(&checked.diagnostics, cli::color()));
            }
            if args.show_waived && !checked.waived.is_empty() {
                eprintln!("waived findings:");
                eprint!("{}", report::render_all(&checked.waived, cli::color()));
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
    .into_iter()
    .chain((!model.purchases.is_empty()).then(|| count(model.purchases.len(), "purchase", "purchases")))
    .collect::<Vec<_>>()
    .join(", ")
}

/// How each zone's tier is derived, one zone a line.
fn tier_table(model: &Model, tiers: &[ZoneTier]) -> String {
    let mut out = String::from("zone tiers (declared / derived from impact / in force):\n");
    let width = model.zones.iter().map(|z| z.name.len()).max().unwrap_or(0);
    for tier in tiers {
        let Some(zone) = model.zone(tier.zone) else { continue };
        let name = |t: Option<kojo_compiler::model::Tier>| t.map_or("-", |t| t.id());
        let why = match (&tier.raised_by, tier.derived) {
            (_, None) => format!("{} zone: not protected by this plant", zone.trust.keyword()),
            (Some(r), _) => format!("raised by {} ({} {})", r.entity, r.axis, r.level),
            (None, Some(_)) => "nothing rated in this zone".to_string(),
        };
        out.push_str(&format!(
            "  {:width$}  {:7} / {:7} / {:7}  {why}\n",
            zone.name,
            name(tier.declared),
            name(tier.derived),
            name(tier.effective)
        ));
    }
    out
}

/// The threat entry points of each zone, one a line.
fn threat_table(model: &Model) -> String {
    let Ok(catalogue) = kojo_stdlib::Catalogue::builtin() else { return String::new() };
    let mut out = String::from("threat entry points by zone (guideline step 1-7):\n");
    let mut last = None;
    for threat in kojo_compiler::threats::derive(model, catalogue) {
        if last != Some(threat.zone) {
            let name = model.zone(threat.zone).map_or("", |z| z.name.as_str());
            out.push_str(&format!("  {name}\n"));
            last = Some(threat.zone);
        }
        let label = catalogue.entry_point(&threat.entry_point).map_or("", |e| e.label.en.as_str());
        let status = match threat.status {
            kojo_compiler::threats::Status::Open => "open".to_string(),
            kojo_compiler::threats::Status::Addressed => format!("addressed by {}", threat.addressed_by.join(", ")),
            kojo_compiler::threats::Status::Unknown => "unknown: attest it (checklist E-4-4 / E-4-5)".to_string(),
        };
        let via = if threat.via.is_empty() { String::new() } else { format!(" via {}", threat.via.join(", ")) };
        out.push_str(&format!("    {} {label}: {status}{via}\n", threat.entry_point));
    }
    out
}

/// The one-line summary printed after the diagnostics.
pub fn summary(checked: &Checked, exit: Exit) -> String {
    let (errors, warnings, _) = report::counts(&checked.diagnostics);
    let name =
        checked.manifest.as_ref().map_or_else(|| "the project".to_string(), |m| format!("`{}`", m.project.value));
    let files = count(checked.files, "file", "files");
    let waived = match checked.waived.len() {
        0 => String::new(),
        n => format!(", {} waived", count(n, "finding", "findings")),
    };
    match (&checked.model, exit) {
        (Some(model), _) if errors == 0 && warnings == 0 => {
            format!("ok: {name} checked: {files}, {}{waived}", model_counts(model))
        }
        (Some(model), _) => format!(
            "{name} checked: {files}, {}; {} ({}, {}){waived}",
            model_counts(model),
            count(errors + warnings, "finding", "findings"),
            count(errors, "error", "errors"),
            count(warnings, "warning", "warnings")
        ),
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
            "purchases": m.purchases.len(),
        })
    });
    let tiers: Vec<_> = checked
        .tiers
        .iter()
        .filter_map(|t| {
            let zone = checked.model.as_ref()?.zone(t.zone)?;
            Some(json!({
                "zone": zone.name,
                "declared": t.declared.map(|t| t.id()),
                "derived": t.derived.map(|t| t.id()),
                "effective": t.effective.map(|t| t.id()),
                "raised_by": t.raised_by.as_ref().map(|r| json!({"entity": r.entity, "axis": r.axis, "level": r.level})),
            }))
        })
        .collect();
    let threats: Vec<_> = match (&checked.model, kojo_stdlib::Catalogue::builtin()) {
        (Some(model), Ok(catalogue)) => kojo_compiler::threats::derive(model, catalogue)
            .into_iter()
            .map(|t| {
                json!({
                    "zone": model.zone(t.zone).map(|z| z.name.clone()),
                    "entry_point": t.entry_point,
                    "status": t.status,
                    "via": t.via,
                    "addressed_by": t.addressed_by,
                })
            })
            .collect(),
        _ => Vec::new(),
    };
    json!({
        "version": 1,
        "project": checked.manifest.as_ref().map(|m| m.project.value.clone()),
        "exit_code": exit as u8,
        "summary": { "files": checked.files, "errors": errors, "warnings": warnings, "infos": infos },
        "model": model,
        "tiers": tiers,
        "threats": threats,
        "diagnostics": checked.diagnostics.iter().map(report::diagnostic_json).collect::<Vec<_>>(),
        "waived": checked.waived.iter().map(report::diagnostic_json).collect::<Vec<_>>(),
    })
}
