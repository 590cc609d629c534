//! `kojo build`: check the project, render every artifact in memory, then
//! write them all (or, with `--check`, compare them with what is on disk).

use std::io::Write;
use std::path::{Component, Path, PathBuf};

use kojo_backends::{Artifact, Build};
use kojo_compiler::{Checked, DiskSource, Options};
use kojo_lang::{Code, Diagnostic, Severity, Span};

use crate::cli::{self, BuildArgs};
use crate::exit::{self, Exit};
use crate::report;

/// The output directory when the manifest names none.
pub const DEFAULT_OUTPUT: &str = "build";
/// The list of generated files, kept in the output directory so that a
/// later build removes what it no longer generates and `--check` sees it.
pub const INDEX: &str = "kojo-index.txt";

/// A checked project and what it builds into.
pub struct Built {
    pub checked: Checked,
    pub build: Build,
    /// The output directory (the project root joined with the manifest's `output`).
    pub output: PathBuf,
    /// The project directory.
    pub root: PathBuf,
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
    let shown: Vec<Diagnostic> =
        checked.diagnostics.iter().filter(|d| !quiet || d.code != Code::Finding).cloned().collect();
    if !shown.is_empty() {
        crate::output::err_rendered(&report::render_all(&shown, cli::color()));
    }
    if matches!(stop, Exit::Usage | Exit::Compile) {
        return Err(stop);
    }
    let (Some(model), Some(manifest), Some(catalogue)) = (&checked.model, &checked.manifest, &checked.catalogue) else {
        return Err(Exit::Compile);
    };
    let output = match output_dir(manifest) {
        Ok(relative) => root.join(relative),
        Err(diagnostic) => {
            crate::output::err_rendered(&report::render(&diagnostic, cli::color()));
            return Err(Exit::Usage);
        }
    };
    let request = kojo_backends::Request { model, catalogue, tiers: &checked.tiers, manifest };
    match kojo_backends::build(&request) {
        Ok(build) => Ok(Built { checked, build, output, root }),
        Err(diagnostics) => {
            crate::output::err_rendered(&report::render_all(&diagnostics, cli::color()));
            errln!("error: nothing was written: kojo writes all of a build or none of it");
            Err(exit::for_diagnostics(&diagnostics, Severity::Error))
        }
    }
}

/// The manifest's `output`, which must stay inside the project.
fn output_dir(manifest: &kojo_compiler::manifest::Manifest) -> Result<PathBuf, Diagnostic> {
    let Some(entry) = &manifest.output else { return Ok(PathBuf::from(DEFAULT_OUTPUT)) };
    let path = Path::new(&entry.value);
    let escapes = path.components().any(|c| !matches!(c, Component::Normal(_) | Component::CurDir));
    if entry.value.is_empty() || escapes || path.components().all(|c| c == Component::CurDir) {
        let span: Span = entry.span;
        return Err(Diagnostic::error(
            Code::OutputPath,
            &manifest.file,
            span,
            format!("the output directory `{}` is not a directory inside the project", entry.value),
        )
        .with_label("must be a relative path without `..`")
        .with_help("write a relative path below the project, e.g. `output \"build\"`"));
    }
    Ok(path.to_path_buf())
}

pub fn run(args: &BuildArgs) -> Exit {
    let built = match build_project(args.path.as_deref(), false) {
        Ok(built) => built,
        Err(exit) => return exit,
    };
    let Built { build, output, root, .. } = &built;
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
        return check_drift(build, output);
    }
    match write_all(root, output, &build.artifacts) {
        Ok(changed) => {
            let devices: std::collections::BTreeSet<&str> = build.artifacts.iter().map(|a| a.device.as_str()).collect();
            let plural = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
            outln!(
                "built {} for {} in {} ({changed} changed)",
                plural(build.artifacts.len(), "file", "files"),
                plural(devices.len(), "device", "devices"),
                output.display(),
            );
            Exit::Clean
        }
        Err(err) => {
            errln!(
                "error[{}]: cannot write the build to `{}`: {err}\n  help: make the output directory writable; no file was changed",
                Code::Io,
                output.display()
            );
            Exit::Usage
        }
    }
}

fn index_text(artifacts: &[Artifact]) -> String {
    let mut text = String::from("# Files generated by `kojo build`; do not edit. Regenerate with `kojo build`.\n");
    for artifact in artifacts {
        text.push_str(&artifact.path);
        text.push('\n');
    }
    text
}

/// Paths listed in a previous build's index.
fn previous_index(output: &Path) -> Vec<String> {
    std::fs::read_to_string(output.join(INDEX))
        .map(|text| text.lines().filter(|l| !l.starts_with('#') && !l.is_empty()).map(str::to_string).collect())
        .unwrap_or_default()
}

/// A generated path as a path on disk; generated paths are relative and
/// never contain `..` (checked again here: nothing may escape `output`).
fn on_disk(output: &Path, path: &str) -> Option<PathBuf> {
    let relative = Path::new(path);
    relative.components().all(|c| matches!(c, Component::Normal(_))).then(|| output.join(relative))
}

/// Writes every file: all are staged as temporary files first, and only
/// when every one is written are they renamed into place; if a rename
/// fails, the files already replaced are put back. Files from a previous
/// build that are no longer generated are removed. Nothing is written or
/// removed outside `output`, which must itself be inside `root` (a
/// symbolic link in the way is refused). Returns how many files changed.
fn write_all(root: &Path, output: &Path, artifacts: &[Artifact]) -> std::io::Result<usize> {
    let escape = |what: &Path| {
        std::io::Error::new(
            std::io::ErrorKind::PermissionDenied,
            format!("`{}` leads outside the project (a symbolic link?); kojo writes only inside it", what.display()),
        )
    };
    std::fs::create_dir_all(output)?;
    let fence = output.canonicalize()?;
    if !fence.starts_with(root.canonicalize()?) {
        return Err(escape(output));
    }
    let inside = |dir: &Path| dir.canonicalize().is_ok_and(|d| d.starts_with(&fence));
    let index = index_text(artifacts);
    let previous = previous_index(output);
    let mut files: Vec<(PathBuf, &[u8])> = Vec::new();
    for artifact in artifacts {
        let path = on_disk(output, &artifact.path).ok_or_else(|| {
            std::io::Error::new(std::io::ErrorKind::InvalidInput, format!("unsafe path `{}`", artifact.path))
        })?;
        files.push((path, artifact.content.as_bytes()));
    }
    files.push((output.join(INDEX), index.as_bytes()));
    let mut staged = Vec::new();
    for (path, contents) in &files {
        let old = std::fs::read(path).ok();
        if old.as_deref() == Some(*contents) {
            continue;
        }
        let dir = path.parent().unwrap_or(output);
        std::fs::create_dir_all(dir)?;
        if !inside(dir) {
            return Err(escape(dir));
        }
        let mut temp = tempfile::Builder::new().prefix(".kojo-").suffix(".tmp").tempfile_in(dir)?;
        temp.write_all(contents)?;
        temp.as_file().sync_all()?;
        set_readable(temp.as_file(), path)?;
        staged.push((temp, path, old));
    }
    let changed = staged.len();
    let mut replaced: Vec<(&PathBuf, Option<Vec<u8>>)> = Vec::new();
    for (temp, path, old) in staged {
        if let Err(err) = temp.persist(path) {
            // Put back what this build already replaced: all or nothing.
            for (path, old) in replaced {
                let _ = match old {
                    Some(bytes) => std::fs::write(path, bytes),
                    None => std::fs::remove_file(path),
                };
            }
            return Err(err.error);
        }
        replaced.push((path, old));
    }
    let generated: std::collections::BTreeSet<&str> = artifacts.iter().map(|a| a.path.as_str()).collect();
    for stale in previous {
        if generated.contains(stale.as_str()) {
            continue;
        }
        let Some(path) = on_disk(output, &stale) else { continue };
        let Some(dir) = path.parent().filter(|d| inside(d)) else { continue };
        let _ = std::fs::remove_file(&path);
        if dir != output {
            // Only succeeds when the device's directory is now empty.
            let _ = std::fs::remove_dir(dir);
        }
    }
    Ok(changed)
}

/// Generated files are read by other tools and users (a Suricata daemon,
/// a reviewer): a replaced file keeps its mode, a new one is rw-r--r--
/// (temporary files are created rw-------).
#[cfg(unix)]
fn set_readable(file: &std::fs::File, target: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode =
        std::fs::metadata(target).map(|m| m.permissions()).unwrap_or_else(|_| std::fs::Permissions::from_mode(0o644));
    file.set_permissions(mode)
}

#[cfg(not(unix))]
fn set_readable(_file: &std::fs::File, _target: &Path) -> std::io::Result<()> {
    Ok(())
}

/// `--check`: exit 1 if a generated file differs from the one on disk, is
/// missing, or a file of an earlier build is no longer generated.
fn check_drift(build: &Build, output: &Path) -> Exit {
    let mut drift = Vec::new();
    for artifact in &build.artifacts {
        let Some(path) = on_disk(output, &artifact.path) else { continue };
        match std::fs::read(&path) {
            Ok(bytes) if bytes == artifact.content.as_bytes() => {}
            Ok(_) => drift.push(format!("changed: {} (differs from what the source generates)", path.display())),
            Err(_) => drift.push(format!("missing: {}", path.display())),
        }
    }
    let generated: std::collections::BTreeSet<&str> = build.artifacts.iter().map(|a| a.path.as_str()).collect();
    for stale in previous_index(output) {
        if !generated.contains(stale.as_str()) && on_disk(output, &stale).is_some_and(|p| p.exists()) {
            drift.push(format!("stale: {} (no longer generated)", output.join(&stale).display()));
        }
    }
    if drift.is_empty() {
        outln!("{} generated files in {} are up to date", build.artifacts.len(), output.display());
        Exit::Clean
    } else {
        for line in &drift {
            errln!("{line}");
        }
        errln!("error: {} generated files are out of date; run `kojo build` and commit the result", drift.len());
        Exit::Findings
    }
}
