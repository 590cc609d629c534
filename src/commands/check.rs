//! `kojo check`: compile a project and report every problem, on standard
//! output in one format and in files in others (`--output FORMAT=PATH`).

use std::path::Path;

use kojo_compiler::model::Model;
use kojo_compiler::tiers::ZoneTier;
use kojo_compiler::types::Date;
use kojo_compiler::{Checked, DiskSource, Options};
use kojo_lang::{Code, Diagnostic, Severity};
use serde_json::json;

use crate::cli::{self, CheckArgs, CheckFormat, FailOn};
use crate::exit::{self, Exit};
use crate::report::grouped::FULL_UP_TO;
use crate::report::unshown::Unshown;
use crate::report::{self, Baseline, Outcome, Paths, WaiverInfo};

/// Today's date in UTC, for waiver expiry.
pub fn today() -> Date {
    let seconds = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    Date::from_unix_days(i64::try_from(seconds / 86_400).unwrap_or(0))
}

pub fn run(args: &CheckArgs) -> Exit {
    let today = match super::documents::date(args.now.as_deref()) {
        Ok(date) => date,
        Err(exit) => return exit,
    };
    let root = super::project_root(args.path.as_deref());
    let mut checked = check_project(&root, today);
    let Some(revision) = &args.baseline else {
        let exit = report(args, &root, &checked, None);
        super::leave(checked);
        return exit;
    };
    match baseline(args.path.as_deref(), revision, today, &checked) {
        Ok(baseline) => {
            // Past the cap, the findings the change brings are listed first.
            checked.relist(&|f, model| baseline.fingerprints.contains(&f.fingerprint(model)));
            report(args, &root, &checked, Some(baseline))
        }
        // The files are still written (a CI step uploads them whatever
        // happened); they and the exit code say the baseline could not be
        // read.
        Err(exit) => {
            let problem = kojo_lang::Diagnostic::at_path(
                kojo_lang::Code::Io,
                revision.as_str(),
                format!("the baseline `{revision}` cannot be read, so no finding is known"),
            )
            .with_help("see the error above; fetch the revision, or name one the repository has");
            checked.diagnostics.push(problem);
            exit.max(report(args, &root, &checked, None))
        }
    }
}

/// The findings of the project as it was at `revision`, waived ones too (a
/// waiver's own expiry is a finding of its own), under the names they have
/// in `now` (today's check of the project), so a rename adds no new
/// finding. A baseline that does not compile knows no finding: every
/// finding then counts as new.
fn baseline(path: Option<&Path>, revision: &str, today: Date, now: &Checked) -> Result<Baseline, Exit> {
    let located = super::revision::locate(path)?;
    let side = super::revision::check(&located, Some(revision), today)?;
    let checked = &side.checked;
    // A baseline that cannot be read is the job's problem, not the change's.
    let unreadable: Vec<&kojo_lang::Diagnostic> = checked
        .diagnostics
        .iter()
        .filter(|d| exit::for_diagnostics(std::slice::from_ref(*d), Severity::Error) == Exit::Usage)
        .collect();
    if !unreadable.is_empty() {
        errln!("error: the baseline {} cannot be read:", side.label);
        for diagnostic in unreadable {
            crate::output::err_rendered(&report::render(diagnostic, cli::color()));
        }
        return Err(Exit::Usage);
    }
    // Without a project today that compiles, the names as they were.
    let fingerprints: std::collections::BTreeSet<String> = kojo_compiler::diff::carried_fingerprints(checked, now)
        .unwrap_or_else(|| {
            let unshown = Unshown::fingerprints(checked);
            checked
                .diagnostics
                .iter()
                .chain(&checked.waived)
                .filter_map(|d| d.fingerprint.clone())
                .chain(unshown)
                .collect()
        });
    if checked.model.is_none() && fingerprints.is_empty() {
        errln!(
            "warning: the baseline {} does not compile, so it knows no finding: every finding counts as new",
            side.label
        );
    }
    Ok(Baseline { revision: revision.to_string(), fingerprints })
}

/// Shows the check of the project at `root` in `--format`, and writes it in
/// each `--output` format; the findings `baseline` knows are reported as
/// known and do not fail (exit 0 when they are all there is; compile
/// errors still fail).
fn report(args: &CheckArgs, root: &Path, checked: &Checked, baseline: Option<Baseline>) -> Exit {
    let fail_on = match args.fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
        FailOn::Info => Severity::Info,
    };
    let unshown = Unshown::new(checked, baseline.as_ref(), fail_on);
    let mut exit = exit::for_check(&checked.diagnostics, fail_on, baseline.as_ref())
        .max(exit::for_dropped(&checked.dropped))
        .max(if unshown.fails { Exit::Findings } else { Exit::Clean });
    let paths = Paths::discover(root);
    let outcome = Outcome { checked, paths: &paths, baseline: baseline.as_ref(), fail_on, unshown: &unshown };
    // The files first: a CI step that uploads them needs them most when the
    // check fails, and a reader of the terminal sees a write error last.
    for output in &args.output {
        let contents: String = render(args, output.format, &outcome, exit, false).into_iter().map(|(_, t)| t).collect();
        if let Err(err) = crate::write::write_atomic(&output.path, contents.as_bytes()) {
            errln!("error: cannot write `{}`: {err}", output.path.display());
            exit = exit.max(Exit::Usage);
        }
    }
    // Machine formats escape by their own rules; what people read is made inert.
    let human = matches!(args.format, CheckFormat::Human | CheckFormat::Full | CheckFormat::Concise);
    for (stream, text) in render(args, args.format, &outcome, exit, cli::color()) {
        match stream {
            Stream::Out if human => crate::output::out(&text),
            Stream::Out => crate::output::out_raw(&text),
            Stream::Err => crate::output::err(&text),
            Stream::Rendered => crate::output::err_rendered(&text),
        }
    }
    exit
}

/// Checks the project at `root`, its document templates included.
fn check_project(root: &Path, today: Date) -> Checked {
    let options = Options { backends: kojo_backends::names(), today: Some(today), ..Default::default() };
    check_source(&DiskSource::new(root), &options)
}

/// What `kojo check` checks, from any source (the editor's buffers over
/// the disk, for `kojo lsp`): the project, its document templates, and
/// what the build would refuse.
pub(crate) fn check_source(source: &dyn kojo_compiler::ProjectSource, options: &Options<'_>) -> Checked {
    let mut checked = check_before_build(source, options);
    refusals(&mut checked);
    checked
}

/// [`check_source`] without the in-memory build: what an editor shows at
/// once, the build's refusals following when the user pauses.
pub(crate) fn check_before_build(source: &dyn kojo_compiler::ProjectSource, options: &Options<'_>) -> Checked {
    let mut checked = kojo_compiler::check_with(source, options);
    // The project's document templates are part of what CI checks, though
    // only `kojo procure` and `kojo evidence` render them.
    if checked.manifest.is_some() {
        let problems = super::documents::read_templates(source).1;
        if !problems.is_empty() {
            checked.model = None;
            checked.diagnostics.extend(problems);
            kojo_lang::diagnostic::sort(&mut checked.diagnostics);
        }
    }
    checked
}

/// What `kojo build` would refuse, found by building in memory (nothing is
/// written): a check that passes must never lead to a build that fails.
/// Only for a project that compiles and whose manifest selects backends;
/// the refusals are errors beside the findings.
pub(crate) fn refusals(checked: &mut Checked) {
    let (Some(model), Some(manifest), Some(catalogue)) = (&checked.model, &checked.manifest, &checked.catalogue) else {
        return;
    };
    let selects = !manifest.backends.is_empty() || manifest.devices.iter().any(|d| d.backends.is_some());
    if !selects || checked.diagnostics.iter().any(|d| d.code != Code::Finding && d.severity == Severity::Error) {
        return;
    }
    let request = kojo_backends::Request { model, catalogue, tiers: &checked.tiers, manifest };
    if let Err(mut refused) = kojo_backends::build(&request) {
        checked.diagnostics.append(&mut refused);
        kojo_lang::diagnostic::sort(&mut checked.diagnostics);
        // The refusals count against the caps like every other diagnostic.
        checked.diagnostics = kojo_compiler::cap::limit(std::mem::take(&mut checked.diagnostics), &mut checked.dropped);
    }
}

/// Where a part of the output goes when printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stream {
    Out,
    Err,
    /// Diagnostics rendered by miette, in colour on a terminal, on stderr.
    Rendered,
}

/// The output in `format`, in parts: printed to their streams, or written
/// one after the other to a file.
fn render(
    args: &CheckArgs,
    format: CheckFormat,
    outcome: &Outcome<'_>,
    exit: Exit,
    color: bool,
) -> Vec<(Stream, String)> {
    let json = |value: serde_json::Value| format!("{}\n", serde_json::to_string_pretty(&value).unwrap_or_default());
    match format {
        CheckFormat::Human => human(args, outcome, exit, color, false),
        CheckFormat::Full => human(args, outcome, exit, color, true),
        CheckFormat::Concise => vec![(Stream::Out, concise(args, outcome, exit))],
        CheckFormat::Json => {
            vec![(Stream::Out, json(to_json(outcome, exit, &outcome.waivers())))]
        }
        CheckFormat::Sarif => vec![(Stream::Out, report::sarif::render(outcome))],
        CheckFormat::Junit => vec![(Stream::Out, report::junit::render(outcome))],
        CheckFormat::Github => {
            vec![(Stream::Out, report::github::render(outcome, &summary(outcome, exit)))]
        }
        CheckFormat::Gitlab => vec![(Stream::Out, report::gitlab::render(outcome))],
    }
}

/// For people: the tables asked for, the diagnostics (grouped by rule when
/// there are many findings, unless `full`), notes (findings the baseline
/// knows), the waived findings with their waivers if asked for, the
/// summary.
fn human(args: &CheckArgs, outcome: &Outcome<'_>, exit: Exit, color: bool, full: bool) -> Vec<(Stream, String)> {
    let checked = outcome.checked;
    let mut parts = Vec::new();
    if let (true, Some(model)) = (args.explain_tiers, &checked.model) {
        parts.push((Stream::Out, tier_table(model, &checked.tiers)));
    }
    if let (true, Some(model)) = (args.threats, &checked.model) {
        parts.push((Stream::Out, threat_table(model)));
    }
    let new: Vec<&Diagnostic> = checked.diagnostics.iter().filter(|d| !outcome.known(d)).collect();
    // Many findings are grouped, and many waived ones shown in one line each.
    let forced = full;
    let findings = new.iter().filter(|d| d.rule.is_some()).count() + outcome.unshown.new.total();
    let full = forced || findings <= FULL_UP_TO;
    if !new.is_empty() || outcome.unshown.new.total() > 0 {
        parts.push((Stream::Rendered, diagnostics(outcome, &new, full, color)));
    }
    for note in notes(outcome) {
        parts.push((Stream::Err, format!("{note}\n")));
    }
    if args.show_waived && !checked.waived.is_empty() {
        let waivers = outcome.waivers();
        let waived = report::waived(checked, &waivers);
        let full = forced || (full && waived.len() <= FULL_UP_TO);
        parts.push((Stream::Rendered, report::waivers::render_waived(&waived, full, color)));
    }
    parts.extend(not_applicable_text(checked, args.show_not_applicable).map(|text| (Stream::Err, text)));
    let dropped = report::dropped::lines(&checked.dropped);
    if !dropped.is_empty() {
        parts.push((Stream::Err, dropped));
    }
    parts.push((Stream::Out, format!("{}\n", summary(outcome, exit))));
    parts
}

/// How many requirements are not applicable for want of a capability, for
/// the summary line (which says where the list is); empty when none are.
fn not_applicable_summary(checked: &Checked) -> String {
    let list = &checked.not_applicable;
    if list.total == 0 {
        return String::new();
    }
    format!(
        ", {} not applicable on {} (`--show-not-applicable` lists them with the reason)",
        count(list.total, "requirement", "requirements"),
        count(list.assets, "asset", "assets")
    )
}

/// With `--show-not-applicable`, the requirements not applicable for want
/// of a capability, one a line with the reason, the first
/// [`LISTED`](kojo_compiler::rules::applicability::LISTED) of them. Nothing
/// when there are none.
fn not_applicable_text(checked: &Checked, show: bool) -> Option<String> {
    let list = &checked.not_applicable;
    if list.total == 0 || !show {
        return None;
    }
    let n = count(list.total, "requirement", "requirements");
    let mut out = format!("{n} not applicable (a capability the asset lacks, or ports it does not have):\n");
    for entry in &list.listed {
        let label = checked.profile.as_ref().and_then(|p| p.requirement(&entry.requirement)).map(|r| &r.label.en);
        let label = label.map_or_else(String::new, |l| format!(" ({l})"));
        out.push_str(&format!("  {}{label} on asset `{}`: {}\n", entry.requirement, entry.name, entry.reason()));
    }
    if list.total > list.listed.len() {
        out.push_str(&format!(
            "  and {} more, not listed: kojo lists the first {}\n",
            list.total - list.listed.len(),
            list.listed.len()
        ));
    }
    Some(out)
}

/// The not-applicable requirements as JSON, the first
/// [`LISTED`](kojo_compiler::rules::applicability::LISTED) of them (the
/// report's `dropped.not_applicable` counts the rest).
fn not_applicable_json(checked: &Checked) -> Vec<serde_json::Value> {
    checked
        .not_applicable
        .listed
        .iter()
        .map(|entry| {
            json!({
                "rule": entry.requirement,
                "entity": format!("asset:{}", entry.name),
                "kind": entry.kind,
                "missing": entry.missing,
                "from": if entry.declared { "asset" } else { "kind" },
                "reason": entry.reason(),
            })
        })
        .collect()
}

/// The diagnostics for people: each in full, or compile errors and other
/// diagnostics in full (they are few, and need their source) and the
/// findings grouped by rule.
fn diagnostics(outcome: &Outcome<'_>, new: &[&Diagnostic], full: bool, color: bool) -> String {
    let (checked, unshown) = (outcome.checked, outcome.unshown);
    let in_full = |ds: &[&Diagnostic]| ds.iter().map(|d| report::render(d, color)).collect::<Vec<_>>().join("\n");
    if full {
        return in_full(new);
    }
    let (findings, others): (Vec<&Diagnostic>, Vec<&Diagnostic>) = new.iter().partition(|d| d.rule.is_some());
    let mut out = in_full(&others);
    if !out.is_empty() {
        out.push('\n');
    }
    out.push_str(&report::grouped::render(checked, &findings, unshown));
    out
}

/// What people are told after the diagnostics, one line each: how many
/// findings the baseline knows.
fn notes(outcome: &Outcome<'_>) -> Vec<String> {
    let known = outcome.checked.diagnostics.iter().filter(|d| outcome.known(d)).count() + outcome.unshown.known.total();
    let mut notes = Vec::new();
    if let (true, Some(baseline)) = (known > 0, outcome.baseline) {
        let n = count(known, "finding", "findings");
        notes.push(format!("{n} also in the baseline `{}` (not failing)", baseline.revision));
    }
    notes
}

/// One line per diagnostic the baseline does not know, the waived findings
/// if asked for, then the summary.
fn concise(args: &CheckArgs, outcome: &Outcome<'_>, exit: Exit) -> String {
    let checked = outcome.checked;
    let new: Vec<&Diagnostic> = checked.diagnostics.iter().filter(|d| !outcome.known(d)).collect();
    let waivers = outcome.waivers();
    let waived = if args.show_waived { report::waived(checked, &waivers) } else { Vec::new() };
    let summary = format!("{}{}", report::dropped::lines(&checked.dropped), summary(outcome, exit));
    report::concise::render(&new, &waived, &summary)
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
        let status = threat.describe_status();
        let via = match threat.via.is_empty() {
            true => String::new(),
            false => format!(" via {}", kojo_compiler::threats::listed(&threat.via, ", ")),
        };
        out.push_str(&format!("    {} {label}: {status}{via}\n", threat.entry_point));
    }
    out
}

/// The one-line summary printed after the diagnostics. Findings the
/// baseline knows are not counted as findings but said apart.
pub fn summary(outcome: &Outcome<'_>, exit: Exit) -> String {
    let (checked, baseline, unshown) = (outcome.checked, outcome.baseline, outcome.unshown);
    let (known, new): (Vec<_>, Vec<_>) =
        checked.diagnostics.iter().cloned().partition(|d| report::baseline::known(baseline, d));
    let (errors, warnings, _) = report::counts(&new);
    // What the caps left out counts too: the summary says how many there are.
    let (errors, warnings) = (
        errors + checked.dropped.errors + unshown.new.errors,
        warnings + checked.dropped.warnings + unshown.new.warnings,
    );
    let shown = match checked.dropped.total() + checked.dropped.findings() {
        0 => String::new(),
        _ => format!(" ({} shown)", checked.diagnostics.len()),
    };
    // Findings apart from the other diagnostics a project that compiles can
    // still have (an evidence file that does not exist).
    let (findings, others): (Vec<_>, Vec<_>) = new.iter().cloned().partition(|d| d.code == Code::Finding);
    let (finding_errors, finding_warnings, _) = report::counts(&findings);
    let (finding_errors, finding_warnings) =
        (finding_errors + unshown.new.errors, finding_warnings + unshown.new.warnings);
    let (other_errors, other_warnings, _) = report::counts(&others);
    let (other_errors, other_warnings) =
        (other_errors + checked.dropped.errors, other_warnings + checked.dropped.warnings);
    let other: String =
        [(other_errors, "other error", "other errors"), (other_warnings, "other warning", "other warnings")]
            .into_iter()
            .filter(|(n, _, _)| *n > 0)
            .map(|(n, one, many)| format!(", {}", count(n, one, many)))
            .collect();
    let name =
        checked.manifest.as_ref().map_or_else(|| "the project".to_string(), |m| format!("`{}`", m.project.value));
    let files = count(checked.files, "file", "files");
    let mut waived = match checked.waived.len() + checked.unshown.waived.len() {
        0 => String::new(),
        n => format!(", {} waived", count(n, "finding", "findings")),
    };
    let known = known.len() + unshown.known.total();
    if let (true, Some(baseline)) = (known > 0, baseline) {
        waived.push_str(&format!(", {} in the baseline `{}`", count(known, "finding", "findings"), baseline.revision));
    }
    waived.push_str(&not_applicable_summary(checked));
    match (&checked.model, exit) {
        (Some(model), _) if errors == 0 && warnings == 0 => {
            format!("ok: {name} checked: {files}, {}{waived}", model_counts(model))
        }
        (Some(model), _) => format!(
            "{name} checked: {files}, {}; {} ({}, {}){other}{waived}{shown}",
            model_counts(model),
            count(finding_errors + finding_warnings, "finding", "findings"),
            count(finding_errors, "error", "errors"),
            count(finding_warnings, "warning", "warnings")
        ),
        (None, Exit::Usage) => {
            format!("error: {name} could not be checked: {}{shown}", count(errors, "error", "errors"))
        }
        (None, _) => format!(
            "error: {name} does not compile: {}, {} in {files}{shown}",
            count(errors, "error", "errors"),
            count(warnings, "warning", "warnings")
        ),
    }
}

/// What the caps left out ([`report::dropped::json`]), and how many
/// not-applicable requirements are not listed.
fn dropped_json(checked: &Checked) -> serde_json::Value {
    let mut value = report::dropped::json(&checked.dropped);
    let list = &checked.not_applicable;
    if let serde_json::Value::Object(map) = &mut value {
        map.insert("not_applicable".into(), json!(list.total - list.listed.len()));
    }
    value
}

/// Openers of one entry point (`via`, `missing`) the JSON lists; the
/// counts say how many there are.
const THREAT_ENTRIES: usize = 100;

/// The check as JSON (docs/cli.md); a waived finding names its waiver.
fn to_json(
    outcome: &Outcome<'_>,
    exit: Exit,
    waivers: &std::collections::BTreeMap<String, WaiverInfo>,
) -> serde_json::Value {
    let (checked, baseline) = (outcome.checked, outcome.baseline);
    let (errors, warnings, infos) = report::counts(&checked.diagnostics);
    let (dropped, unshown) = (&checked.dropped, outcome.unshown.all());
    let (errors, warnings, infos) = (
        errors + dropped.errors + unshown.errors,
        warnings + dropped.warnings + unshown.warnings,
        infos + dropped.infos + unshown.infos,
    );
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
                    "via": t.via.iter().take(THREAT_ENTRIES).collect::<Vec<_>>(),
                    "via_count": t.via.len(),
                    "addressed_by": t.addressed_by,
                    "missing": t.missing.iter().take(THREAT_ENTRIES).collect::<Vec<_>>(),
                    "missing_count": t.missing.len(),
                })
            })
            .collect(),
        _ => Vec::new(),
    };
    json!({
        "version": 1,
        "project": checked.manifest.as_ref().map(|m| m.project.value.clone()),
        "exit_code": exit as u8,
        "summary": {
            "files": checked.files,
            "errors": errors,
            "warnings": warnings,
            "infos": infos,
            "shown": checked.diagnostics.len(),
        },
        "dropped": dropped_json(checked),
        "model": model,
        "tiers": tiers,
        "threats": threats,
        "baseline": baseline.map(|b| json!({
            "revision": b.revision,
            "unchanged": checked.diagnostics.iter().filter(|d| b.knows(d)).count() + outcome.unshown.known.total(),
        })),
        "diagnostics": checked.diagnostics.iter().map(|d| {
            let mut value = report::diagnostic_json(d);
            if let Some(b) = baseline {
                if let serde_json::Value::Object(map) = &mut value {
                    map.insert("baseline".into(), json!(if b.knows(d) { "unchanged" } else { "new" }));
                }
            }
            value
        }).collect::<Vec<_>>(),
        "waived": report::waived(checked, waivers).iter().map(|w| {
            let mut value = report::diagnostic_json(w.diagnostic);
            if let serde_json::Value::Object(map) = &mut value {
                map.insert("waiver".into(), w.waiver.map_or(serde_json::Value::Null, report::waiver_json));
            }
            value
        }).collect::<Vec<_>>(),
        "not_applicable": not_applicable_json(checked),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture::Fixture;

    fn args() -> CheckArgs {
        CheckArgs {
            path: None,
            format: CheckFormat::Human,
            output: Vec::new(),
            baseline: None,
            fail_on: FailOn::Error,
            now: None,
            show_waived: false,
            show_not_applicable: false,
            explain_tiers: false,
            threats: false,
        }
    }

    /// What goes to `stream`: `Stream::Err` is all of stderr, rendered or not.
    fn text(parts: &[(Stream, String)], stream: Stream) -> String {
        let on = |s: Stream| s == stream || (stream == Stream::Err && s == Stream::Rendered);
        parts.iter().filter(|(s, _)| on(*s)).map(|(_, t)| t.as_str()).collect()
    }

    #[test]
    fn people_see_new_findings_in_full_and_known_ones_in_one_line() {
        let fixture = Fixture::new();
        let baseline = fixture.baseline();
        let outcome = fixture.outcome(Some(&baseline));
        let exit = exit::for_check(&fixture.checked.diagnostics, Severity::Error, Some(&baseline));
        assert_eq!(exit, Exit::Clean, "only a known finding fails");
        let parts = human(&args(), &outcome, exit, false, false);
        let err = text(&parts, Stream::Err);
        assert!(!err.contains("DEV-FILE-ACCESS"), "{err}");
        assert!(err.contains("WAIVER-UNUSED"), "{err}");
        assert!(err.contains("\n1 finding also in the baseline `main` (not failing)\n"), "{err}");
        let out = text(&parts, Stream::Out);
        assert!(out.starts_with("`small` checked: ") && out.contains("1 finding (0 errors, 1 warning)"), "{out}");
        assert!(out.contains(", 1 finding waived, 1 finding in the baseline `main`"), "{out}");
        // The fixture's firewall has no general-purpose OS and stores no files:
        // DEV-FILE-ACCESS, DEV-USER-GROUPS and DEV-ANTI-MALWARE do not apply to it.
        assert!(
            out.ends_with(
                ", 3 requirements not applicable on 1 asset (`--show-not-applicable` lists them with the reason)\n"
            ),
            "{out}"
        );
        assert!(!err.contains("not applicable"), "listed only when asked for: {err}");
        let shown =
            text(&human(&CheckArgs { show_not_applicable: true, ..args() }, &outcome, exit, false, false), Stream::Err);
        assert!(
            shown.contains("  DEV-FILE-ACCESS (")
                && shown.contains("on asset `fw`: lacks `file-storage` (the default of kind `firewall`)\n"),
            "{shown}"
        );
    }

    #[test]
    fn json_says_which_findings_the_baseline_knows() {
        let fixture = Fixture::new();
        let baseline = fixture.baseline();
        let value = to_json(&fixture.outcome(Some(&baseline)), Exit::Clean, &fixture.outcome(None).waivers());
        assert_eq!(value["baseline"], json!({ "revision": "main", "unchanged": 1 }));
        let states: Vec<&str> =
            value["diagnostics"].as_array().unwrap().iter().map(|d| d["baseline"].as_str().unwrap()).collect();
        assert_eq!(states, ["unchanged", "new"]);
        assert_eq!(value["diagnostics"][0]["fingerprint"], "DEV-FILE-ACCESS/asset:jump");
        assert_eq!(to_json(&fixture.outcome(None), Exit::Findings, &Default::default())["baseline"], json!(null));
    }
}
