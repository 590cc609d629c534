//! `kojo drift DEVICE FILE`: a device's exported rule set against what the
//! model generates for it. The comparison is `kojo_backends::drift`'s; this
//! command checks the project, finds the device, reads the file (at most
//! [`FILE_MAX`] bytes), renders the device's own nftables or iptables
//! files for the frame, and shows the report. Exit 0 without drift, 1 with.

use std::io::Read;
use std::path::Path;

use kojo_backends::drift::{self, At, Extra, Foreign, FrameDiff, Missing, Report};
use kojo_backends::policy::{DevicePolicy, Policy};
use kojo_compiler::model::Model;
use kojo_compiler::{DiskSource, Options};
use kojo_lang::{Code, Diagnostic, Severity};
use serde_json::json;

use crate::cli::{self, DriftArgs, Format};
use crate::exit::{self, Exit};
use crate::report;

/// The largest file read: a rule set of a million rules fits many times.
pub const FILE_MAX: u64 = 64 * 1024 * 1024;

pub fn run(args: &DriftArgs) -> Exit {
    let root = super::project_root(args.project.as_deref());
    let options =
        Options { backends: kojo_backends::names(), today: Some(super::check::today()), ..Default::default() };
    let checked = kojo_compiler::check_with(&DiskSource::new(&root), &options);
    // Findings are `kojo check`'s; what stops a comparison is a source
    // that does not compile.
    let errors: Vec<Diagnostic> = checked.diagnostics.iter().filter(|d| d.code != Code::Finding).cloned().collect();
    if !errors.is_empty() {
        crate::output::err_rendered(&report::render_all(&errors, cli::color()));
    }
    let stop = exit::for_diagnostics(&checked.diagnostics, Severity::Error);
    if matches!(stop, Exit::Usage | Exit::Compile) {
        return stop;
    }
    let (Some(model), Some(manifest), Some(catalogue)) = (&checked.model, &checked.manifest, &checked.catalogue) else {
        return Exit::Compile;
    };
    let request = kojo_backends::Request { model, catalogue, tiers: &checked.tiers, manifest };
    let policy = match kojo_backends::build::policy(&request) {
        Ok(policy) => policy,
        Err(diagnostics) => {
            crate::output::err_rendered(&report::render_all(&diagnostics, cli::color()));
            return exit::for_diagnostics(&diagnostics, Severity::Error);
        }
    };
    let device = match device(model, &policy, &args.device) {
        Ok(device) => device,
        Err(message) => {
            errln!("error: {message}");
            return Exit::Usage;
        }
    };
    let shown = args.file.display().to_string();
    let deployed = match read(&args.file).and_then(|text| drift::parse(&text).map_err(|e| format!("`{shown}`: {e}"))) {
        Ok(deployed) => deployed,
        Err(message) => {
            errln!("error[{}]: {message}", Code::Io);
            return Exit::Usage;
        }
    };
    let backend = drift::backend(deployed.format);
    let artifacts = match kojo_backends::build::render_one(&request, &policy, device, backend) {
        Ok(artifacts) => artifacts,
        Err(diagnostics) => {
            crate::output::err_rendered(&report::render_all(&diagnostics, cli::color()));
            errln!("error: `{}` cannot be compared: kojo cannot render it for {}", device.name, backend.name());
            return Exit::Compile;
        }
    };
    let compared = drift::expected(deployed.format, &artifacts).and_then(|e| drift::compare(device, &deployed, &e));
    let report = match compared {
        Ok(report) => report,
        Err(error) => {
            errln!("error: `{shown}`: {error}");
            return Exit::Usage;
        }
    };
    let exit = if report.drifted() { Exit::Findings } else { Exit::Clean };
    match args.format {
        Format::Human => out!("{}", human(&report, &shown)),
        Format::Json => {
            let mut value = serde_json::to_value(&report).unwrap_or_default();
            if let Some(object) = value.as_object_mut() {
                object.insert("version".into(), json!(1));
                object.insert("file".into(), json!(shown));
                object.insert("drift".into(), json!(report.drifted()));
                object.insert("exit_code".into(), json!(exit as u8));
            }
            crate::output::out_raw(&format!("{}\n", serde_json::to_string_pretty(&value).unwrap_or_default()));
        }
    }
    exit
}

/// The enforcing device called `name`.
fn device<'a>(model: &Model, policy: &'a Policy, name: &str) -> Result<&'a DevicePolicy, String> {
    if let Some(device) = policy.devices.iter().find(|d| d.name == name) {
        return Ok(device);
    }
    let names: Vec<&str> = policy.devices.iter().map(|d| d.name.as_str()).collect();
    let listed = if names.is_empty() { "none".to_string() } else { names.join(", ") };
    if model.assets.iter().any(|a| a.name == name) {
        return Err(format!(
            "`{name}` enforces no conduit, so kojo generates no rules to compare with\n  help: devices that enforce conduits: {listed}"
        ));
    }
    Err(match kojo_compiler::suggest::did_you_mean(name, names.iter().copied()) {
        Some(s) => format!("no enforcing device `{name}`\n  help: did you mean `{s}`?"),
        None => format!("no enforcing device `{name}`\n  help: devices that enforce conduits: {listed}"),
    })
}

/// The file's text (`-`: standard input), at most [`FILE_MAX`] bytes.
fn read(path: &Path) -> Result<String, String> {
    let shown = path.display();
    let mut bytes = Vec::new();
    let result = if path.as_os_str() == "-" {
        std::io::stdin().lock().take(FILE_MAX + 1).read_to_end(&mut bytes)
    } else {
        if path.is_dir() {
            return Err(format!("`{shown}` is a directory, not an exported rule set"));
        }
        std::fs::File::open(path).and_then(|file| file.take(FILE_MAX + 1).read_to_end(&mut bytes))
    };
    result.map_err(|e| format!("cannot read `{shown}`: {e}"))?;
    if bytes.len() as u64 > FILE_MAX {
        return Err(format!("`{shown}` is larger than {} MiB: not read", FILE_MAX / 1024 / 1024));
    }
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// `line 44 (table inet kojo, chain x)`, or the JSON's chain and handle.
fn place(at: &At) -> String {
    match at.place.line {
        Some(line) => format!("line {line} (table {}, chain {})", at.table, at.chain),
        None => at.describe(),
    }
}

/// Appends a titled section of `items`, each shown by `show`, if there are any.
fn section<T>(out: &mut String, title: &str, items: &[T], show: impl Fn(&T) -> String) {
    if items.is_empty() {
        return;
    }
    if !out.is_empty() {
        out.push('\n');
    }
    out.push_str(&format!("{title} ({}):\n", items.len()));
    for item in items {
        out.push_str(&show(item));
    }
}

fn extra(extra: &Extra) -> String {
    let at = extra.at.as_ref().map(|a| format!("{}: ", place(a))).unwrap_or_default();
    let mut out = format!("  {at}{}\n", extra.rule);
    if let Some(carries) = &extra.carries {
        out.push_str(&format!("    (carries kojo's comment for {carries})\n"));
    }
    for traffic in &extra.traffic {
        out.push_str(&format!("    {traffic}\n"));
    }
    if extra.more > 0 {
        out.push_str(&format!("    … and {} more\n", extra.more));
    }
    if !extra.not_compared.is_empty() {
        out.push_str(&format!(
            "    not compared: {} (taken as matching every packet)\n",
            extra.not_compared.join(", ")
        ));
    }
    out
}

fn missing(missing: &Missing) -> String {
    let mut out = format!("  kojo: conduit {} flow {} ({})\n", missing.conduit, missing.flow, missing.origin);
    for traffic in &missing.traffic {
        out.push_str(&format!("    {traffic}\n"));
    }
    if missing.more > 0 {
        out.push_str(&format!("    … and {} more\n", missing.more));
    }
    for cause in &missing.blocked_by {
        out.push_str(&format!("    blocked by {cause}\n"));
    }
    out
}

fn foreign(foreign: &Foreign) -> String {
    format!("  {}: {}\n    {}\n    ({})\n", place(&foreign.at), foreign.rule, foreign.action, foreign.reason)
}

fn frame(diff: &FrameDiff) -> String {
    let at = diff.at.as_ref().map(|a| format!("{}: ", place(a))).unwrap_or_default();
    format!("  {at}{}\n", diff.message)
}

/// The report for people; its last line says whether there is drift.
fn human(report: &Report, file: &str) -> String {
    let mut out = String::new();
    section(&mut out, "the device allows what the model does not", &report.allowed_not_modelled, extra);
    section(&mut out, "the model allows what the device does not", &report.modelled_not_allowed, missing);
    section(&mut out, "rules kojo did not generate", &report.not_generated, foreign);
    section(&mut out, "frame", &report.frame, frame);
    section(&mut out, "notes", &report.notes, |note| format!("  {note}\n"));
    if !out.is_empty() {
        out.push('\n');
    }
    let what = format!("`{file}` ({}; {})", report.format.describe(), report.families.join(", "));
    if report.drifted() {
        out.push_str(&format!(
            "drift: {what} differs from what the model generates for `{}`: {} allowed beyond the model, {} modelled blocked, {} not generated by kojo, {} in the frame\n",
            report.device,
            report.allowed_not_modelled.len(),
            report.modelled_not_allowed.len(),
            report.not_generated.len(),
            report.frame.len(),
        ));
    } else {
        out.push_str(&format!("no drift: {what} enforces what the model generates for `{}`\n", report.device));
    }
    out
}
