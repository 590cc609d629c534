//! Writing the next generation of the output directory beside it: every
//! generated file (unchanged ones hard-linked, so they keep their inode and
//! time), and everything kojo did not generate, kept as it was. Each file is
//! closed as soon as it is written (a build of any size holds one file
//! open), and the whole tree is flushed to disk before it is swapped in.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::{OpenOptions, Permissions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::plan::{Carried, Plan, Planned, State, INDEX};
use super::target::Target;

pub(super) fn stage(target: &Target, plan: &Plan<'_>) -> io::Result<()> {
    let staging = target.staging();
    let output = target.output();
    std::fs::create_dir(&staging)?;
    // The index first: a staging directory holding kojo's index (or
    // nothing) is one the next build may remove as kojo's own.
    let (index, generated): (Vec<&Planned<'_>>, Vec<&Planned<'_>>) =
        plan.files.iter().partition(|f| f.path.as_os_str() == INDEX);
    for file in index.into_iter().chain(generated) {
        let to = in_dir(&staging, &file.path)?;
        if file.state == State::Same && std::fs::hard_link(output.join(&file.path), &to).is_ok() {
            continue;
        }
        write_new(&to, &file.contents, file.kept_mode.clone().or_else(default_mode))?;
    }
    for carried in &plan.carried {
        match carried {
            Carried::Dir(rel) => std::fs::create_dir_all(staging.join(rel))?,
            Carried::File(rel) => {
                let to = in_dir(&staging, rel)?;
                if std::fs::hard_link(output.join(rel), &to).is_err() {
                    std::fs::copy(output.join(rel), &to)?;
                }
            }
            Carried::Link(rel, points_to) => symlink(points_to, &in_dir(&staging, rel)?)?,
        }
    }
    keep_directory_modes(output, &staging, plan)?;
    sync(&staging)
}

/// `staging/rel`, with the directories above it made (inside the staging
/// directory, which this build created and nothing else writes to).
fn in_dir(staging: &Path, rel: &Path) -> io::Result<PathBuf> {
    let path = staging.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    Ok(path)
}

fn write_new(path: &Path, contents: &[u8], mode: Option<Permissions>) -> io::Result<()> {
    let mut file = OpenOptions::new().write(true).create_new(true).open(path)?;
    file.write_all(contents)?;
    if let Some(mode) = mode {
        // Set on the open file, not by path: nothing else is touched.
        file.set_permissions(mode)?;
    }
    #[cfg(not(target_os = "linux"))]
    file.sync_all()?;
    Ok(())
}

/// The directories of the new generation keep the modes the old ones had
/// (all but setuid, which means nothing on a directory), set last and
/// deepest first so that a read-only directory could still be filled.
fn keep_directory_modes(output: &Path, staging: &Path, plan: &Plan<'_>) -> io::Result<()> {
    let mut dirs: BTreeMap<usize, BTreeSet<PathBuf>> = BTreeMap::new();
    let mut add = |rel: &Path| dirs.entry(rel.components().count()).or_default().insert(rel.to_path_buf());
    add(Path::new(""));
    for carried in &plan.carried {
        if let Carried::Dir(rel) = carried {
            add(rel);
        }
    }
    for file in &plan.files {
        for dir in file.path.ancestors().skip(1).filter(|a| !a.as_os_str().is_empty()) {
            add(dir);
        }
    }
    for rel in dirs.values().rev().flatten() {
        if let Some(mode) = dir_mode(&output.join(rel)) {
            std::fs::set_permissions(staging.join(rel), mode)?;
        }
    }
    Ok(())
}

#[cfg(unix)]
fn dir_mode(path: &Path) -> Option<Permissions> {
    use std::os::unix::fs::PermissionsExt;
    let metadata = std::fs::symlink_metadata(path).ok().filter(|m| m.is_dir())?;
    // Setgid (new files take the directory's group) and sticky (only an
    // owner removes a file) are kept: both make a shared directory safer.
    Some(Permissions::from_mode(metadata.permissions().mode() & 0o3777))
}

#[cfg(not(unix))]
fn dir_mode(_path: &Path) -> Option<Permissions> {
    None
}

/// rw-r--r--: generated files are read by other tools and users (a
/// Suricata daemon, a reviewer); temporary files would be rw-------.
#[cfg(unix)]
fn default_mode() -> Option<Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Some(Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn default_mode() -> Option<Permissions> {
    None
}

#[cfg(unix)]
fn symlink(points_to: &Path, path: &Path) -> io::Result<()> {
    std::os::unix::fs::symlink(points_to, path)
}

#[cfg(not(unix))]
fn symlink(_points_to: &Path, path: &Path) -> io::Result<()> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        format!("`{}` is a symbolic link kojo cannot keep on this system", kojo_compiler::source::shown(path)),
    ))
}

/// One call flushes every file and directory of the new generation.
#[cfg(target_os = "linux")]
fn sync(staging: &Path) -> io::Result<()> {
    let dir = std::fs::File::open(staging)?;
    rustix::fs::syncfs(&dir)?;
    Ok(())
}

#[cfg(not(target_os = "linux"))]
fn sync(staging: &Path) -> io::Result<()> {
    std::fs::File::open(staging)?.sync_all()
}
