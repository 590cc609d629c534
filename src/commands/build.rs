//! `kojo build`: check the project, render every artifact in memory, then
//! write them all (or, with `--check`, compare them with what is on disk).

use std::path::{Path, PathBuf};

use kojo_backends::Build;
use kojo_compiler::source::shown;
use kojo_compiler::{Checked, DiskSource, Options};
use kojo_lang::{Code, Diagnostic, Severity};

use crate::cli::{self, BuildArgs};
use crate::exit::{self, Exit};
use crate::report;
use crate::write::outdir::{self, State, Target};

/// A checked project and what it builds into.
pub struct Built {
    pub checked: Checked,
    pub build: Build,
    /// The output directory (the project root joined with the manifest's `output`).
    pub output: PathBuf,
    target: Target,
}

/// Checks and builds the project at `path` in memory. On failure the
/// diagnostics have been printed and the exit code is returned. Findings
/// are printed too unless `quiet` (for commands that only read the build).
pub fn build_project(path: Option<&Path>, quiet: bool) -> Result<Built, Exit> {
    let root = super::project_root(path);
    let options =
        Options { backends: kojo_backends::names(), today: Some(super::check::today()), ..Default::default() };
    let checked = kojo_compiler::check_with(&DiskSource::new(&root), &options);
    // Findings are shown but do not stop a build: a plant adopting the
    // guideline has open findings for months and still needs its firewalls
    // generated; `kojo check` is the gate for findings. A source that does
    // not compile builds nothing.
    // What the caps left out counts too (a dropped compile error stops the build).
    let stop = exit::for_diagnostics(&checked.diagnostics, Severity::Error).max(exit::for_dropped(&checked.dropped));
    let shown: Vec<&Diagnostic> = checked.diagnostics.iter().filter(|d| !quiet || d.code != Code::Finding).collect();
    if !shown.is_empty() {
        crate::output::err_rendered(&shown_diagnostics(&checked, &shown));
    }
    // What the caps left out: errors always, findings not listed when findings are shown.
    if !quiet || checked.dropped.total() > 0 {
        crate::output::err(&report::dropped::lines(&checked.dropped));
    }
    if matches!(stop, Exit::Usage | Exit::Compile) {
        if !quiet {
            errln!("error: nothing was written: the project does not compile (`kojo check` lists the same errors)");
        }
        return Err(stop);
    }
    let (Some(model), Some(manifest), Some(catalogue)) = (&checked.model, &checked.manifest, &checked.catalogue) else {
        return Err(Exit::Compile);
    };
    // The manifest's `output` was checked with the manifest (KOJO-E0403).
    let relative = kojo_compiler::manifest::output::relative(manifest.output.as_ref());
    let target = match Target::new(&root, &relative) {
        Ok(target) => target,
        Err(err) => {
            errln!("error[{}]: {}", Code::OutputPath, kojo_lang::inert::escape(&err.to_string()));
            return Err(Exit::Usage);
        }
    };
    let output = target.output().to_path_buf();
    let request = kojo_backends::Request { model, catalogue, tiers: &checked.tiers, manifest };
    match kojo_backends::build(&request) {
        Ok(build) => Ok(Built { checked, build, output, target }),
        Err(diagnostics) => {
            crate::output::err_rendered(&report::render_all(&diagnostics, cli::color()));
            errln!("error: nothing was written: kojo writes all of a build or none of it");
            Err(exit::for_diagnostics(&diagnostics, Severity::Error))
        }
    }
}

/// The diagnostics a build shows, as `kojo check` shows them: in full, or,
/// past [`FULL_UP_TO`](report::grouped::FULL_UP_TO) findings, the errors in
/// full and the findings grouped by rule (a plant adopting the guideline
/// builds with thousands of open findings; `kojo check --format full`
/// lists each).
fn shown_diagnostics(checked: &kojo_compiler::Checked, shown: &[&Diagnostic]) -> String {
    let color = cli::color();
    let in_full = |ds: &[&Diagnostic]| ds.iter().map(|d| report::render(d, color)).collect::<Vec<_>>().join("\n");
    let (findings, others): (Vec<&Diagnostic>, Vec<&Diagnostic>) = shown.iter().partition(|d| d.rule.is_some());
    if findings.len() <= report::grouped::FULL_UP_TO {
        return in_full(shown);
    }
    let unshown = report::unshown::Unshown::new(checked, None, Severity::Error);
    let mut out = in_full(&others);
    if !out.is_empty() {
        out.push('\n');
    }
    out.push_str(&report::grouped::render(checked, &findings, &unshown));
    out
}

pub fn run(args: &BuildArgs) -> Exit {
    let built = match build_project(args.path.as_deref(), false) {
        Ok(built) => built,
        Err(exit) => return exit,
    };
    let exit = write_or_check(args, &built);
    let Built { checked, build, .. } = built;
    super::leave((checked, build));
    exit
}

/// Writes the build (or, with `--check`, compares it with the output).
fn write_or_check(args: &BuildArgs, built: &Built) -> Exit {
    let Built { build, target, .. } = built;
    let Some(manifest) = &built.checked.manifest else { return Exit::Compile };
    let selects_any = !manifest.backends.is_empty()
        || manifest.devices.iter().any(|d| d.backends.as_ref().is_some_and(|b| !b.is_empty()));
    if !selects_any {
        errln!(
            "error: nothing to build: kojo.kdl selects no backend\n  help: add a line such as `backend \"nftables\" \"suricata\"` (backends: {})",
            kojo_backends::names().join(", ")
        );
        return Exit::Usage;
    }
    for device in &build.policy.devices {
        let backends = kojo_backends::build::selected(manifest, &device.name);
        if !backends.is_empty() && !backends.iter().any(|b| b.capabilities().kind == kojo_backends::Kind::Firewall) {
            errln!(
                "note: no firewall format is selected for `{}`: only its gateway policies are generated",
                device.name
            );
        }
    }
    // Conduits no device enforces get no rules: say so, rather than leave
    // them out silently (at a boundary they are CONDUIT-NEEDS-ENFORCER findings).
    if let Some(model) = &built.checked.model {
        for conduit in model.conduits.iter().filter(|c| c.enforced_by.is_none()) {
            errln!(
                "note: conduit `{}` ({}) has no `enforced-by`: no device enforces it, so nothing is generated for it",
                conduit.name,
                model.locate(conduit.loc)
            );
        }
    }
    if args.check {
        return check_drift(build, target);
    }
    match write_build(target, build) {
        Ok((changed, stale)) => {
            let devices: std::collections::BTreeSet<&str> = build.artifacts.iter().map(|a| a.device.as_str()).collect();
            let plural = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
            let removed = if stale > 0 { format!(", {stale} no longer generated removed") } else { String::new() };
            outln!(
                "built {} for {} in {} ({changed} changed{removed})",
                plural(build.artifacts.len(), "file", "files"),
                plural(devices.len(), "device", "devices"),
                shown(target.output()),
            );
            Exit::Clean
        }
        Err(exit) => exit,
    }
}

/// The artifacts as the output directory writer takes them.
fn files(build: &Build) -> Vec<(&str, &[u8])> {
    build.artifacts.iter().map(|a| (a.path.as_str(), a.content.as_bytes())).collect()
}

fn waiting() {
    errln!("note: another `kojo build` of this project is running; waiting for it to finish");
}

/// Writes the build: the output directory is replaced whole (see
/// `write::outdir`). Returns how many files changed and how many files of
/// an earlier build were removed.
fn write_build(output: &Target, build: &Build) -> Result<(usize, usize), Exit> {
    let written = match outdir::write(output, &files(build), waiting) {
        Ok(written) => written,
        Err(err) => {
            report_write_error(output, &err, true);
            return Err(Exit::Usage);
        }
    };
    if written.restored {
        errln!(
            "note: an interrupted build had moved `{}` aside; it was put back before this build",
            shown(output.output())
        );
    }
    if !written.removed.is_empty() {
        errln!("note: removed what an interrupted build left behind:");
        for path in &written.removed {
            errln!("  {}", shown(path));
        }
    }
    for rel in &written.in_device_dirs {
        errln!(
            "warning: `{}` is not kojo's, in a device's directory: a deployment of the directory would take it too; it is kept, and `kojo build --check` fails until it is moved",
            shown(&output.output().join(rel))
        );
    }
    for problem in &written.after_swap {
        errln!(
            "warning: the new build is in place, but {}; the next build tries again",
            kojo_lang::inert::escape(problem)
        );
    }
    Ok((written.changed, written.stale))
}

fn report_write_error(output: &Target, err: &outdir::Error, writing: bool) {
    match err {
        outdir::Error::Io(err) => {
            let help = match err.kind() {
                std::io::ErrorKind::PermissionDenied => {
                    "\n  help: make the output directory and the directory it is in writable (kojo writes the new build beside the old one)"
                }
                std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded => {
                    "\n  help: free some space: kojo writes the whole new build before it removes the old one"
                }
                _ => "",
            };
            errln!(
                "error[{}]: cannot {} the build {} `{}`: {}{help}{}",
                Code::Io,
                if writing { "write" } else { "read" },
                if writing { "to" } else { "in" },
                shown(output.output()),
                kojo_lang::inert::escape(&err.to_string()),
                if writing { "\n  note: no file was changed" } else { "" }
            )
        }
        outdir::Error::Path(reason) => errln!(
            "error[{}]: {}\n  help: set `output` in kojo.kdl to a directory of its own inside the project (`kojo explain {}`)",
            Code::OutputPath,
            kojo_lang::inert::escape(reason),
            Code::OutputPath
        ),
        outdir::Error::InTheWay(reasons) => {
            for reason in reasons {
                errln!("error[{}]: {}", Code::OutputPath, kojo_lang::inert::escape(reason));
            }
            errln!("error: nothing was written: kojo writes all of a build or none of it");
        }
    }
}

/// `--check`: exit 1 if a generated file differs from the one on disk, is
/// missing, a file of an earlier build is no longer generated, an
/// interrupted build left something behind, something stands in the way, or
/// a device's directory holds a file kojo did not generate.
fn check_drift(build: &Build, output: &Target) -> Exit {
    let files = files(build);
    let plan = match outdir::check(output, &files, waiting) {
        Ok(plan) => plan,
        Err(err) => {
            report_write_error(output, &err, false);
            return Exit::Usage;
        }
    };
    let at = |rel: &Path| shown(&output.output().join(rel));
    // (kind, line), kinds in the order the summary names them.
    let mut drift: Vec<(&str, String)> = Vec::new();
    for file in &plan.files {
        match file.state {
            State::Same | State::Blocked => {}
            State::Changed => {
                drift.push(("changed", format!("changed: {} (differs from what the source generates)", at(&file.path))))
            }
            State::Mode => drift.push((
                "changed",
                format!("changed: {} (a setuid, setgid or sticky bit: kojo generates none)", at(&file.path)),
            )),
            State::New => drift.push(("missing", format!("missing: {}", at(&file.path)))),
        }
    }
    drift.extend(plan.stale.iter().map(|rel| ("stale", format!("stale: {} (no longer generated)", at(rel)))));
    for path in &plan.leftovers {
        let fix = if !plan.exists && *path == output.retired() { "puts it back" } else { "removes it" };
        drift.push(("leftover", format!("leftover: {} (from an interrupted build; `kojo build` {fix})", shown(path))));
    }
    drift.extend(plan.conflicts.iter().map(|reason| ("in the way", format!("in the way: {reason}"))));
    drift.extend(plan.in_device_dirs.iter().map(|rel| {
        let line =
            format!("not generated: {} (in a device's directory: a deployment of it would take this too)", at(rel));
        ("not generated", line)
    }));
    if drift.is_empty() {
        outln!("{} generated files in {} are up to date", build.artifacts.len(), shown(output.output()));
        return Exit::Clean;
    }
    for (_, line) in &drift {
        errln!("{}", kojo_lang::inert::escape(line));
    }
    errln!("error: {}", drift_summary(&drift));
    Exit::Findings
}

/// `2 changed, 1 in the way: remove what is in the way, then run …`.
fn drift_summary(drift: &[(&str, String)]) -> String {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for (kind, _) in drift {
        match counts.iter_mut().find(|(k, _)| k == kind) {
            Some((_, n)) => *n += 1,
            None => counts.push((kind, 1)),
        }
    }
    let has = |kind: &str| counts.iter().any(|(k, _)| *k == kind);
    let mut fixes = Vec::new();
    if has("in the way") {
        fixes.push("remove what is in the way (kojo never writes over it)");
    }
    if has("not generated") {
        fixes.push("move what kojo did not generate out of the devices' directories");
    }
    if ["changed", "missing", "stale", "leftover"].iter().any(|k| has(k)) || has("in the way") {
        fixes.push("run `kojo build` and commit the result");
    }
    let counts: Vec<String> = counts.iter().map(|(kind, n)| format!("{n} {kind}")).collect();
    format!("the build output is not what the source generates ({}): {}", counts.join(", "), fixes.join(", then "))
}
