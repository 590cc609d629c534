//! Swapping the next generation in, in one step, and cleaning up after a
//! build that was interrupted.
//!
//! On Linux the staged directory and the output directory are exchanged by
//! one `renameat2(RENAME_EXCHANGE)`: before it the output directory is the
//! whole old generation, after it the whole new one, and there is no
//! instant in between. Where the exchange is not available (other systems,
//! file systems without it) two renames are used, output → `.old.tmp` then
//! `.new.tmp` → output; a kill between them leaves no output directory and
//! the old generation whole beside it, which the next build (or
//! [`recover`]) puts back before anything else.

use std::io;
use std::path::{Path, PathBuf};

use kojo_compiler::source::shown;

use super::plan::is_generation;
use super::target::Target;

/// What [`recover`] found.
#[derive(Debug, Default)]
pub struct Recovery {
    /// The output directory was missing and the previous generation was
    /// put back.
    pub restored: bool,
    /// Leftovers removed: staging directories of interrupted builds.
    pub removed: Vec<PathBuf>,
}

/// Puts back an output directory an interrupted swap took away and removes
/// what interrupted builds left beside it. Called with the lock held.
pub(super) fn recover(target: &Target) -> io::Result<Recovery> {
    let mut recovery = Recovery::default();
    let output = target.output();
    let retired = target.retired();
    let missing = matches!(std::fs::symlink_metadata(output), Err(e) if e.kind() == io::ErrorKind::NotFound);
    // Only what is kojo's is put back or removed; anything else with these
    // names is left for the plan to report.
    if missing && is_generation(&retired) == Some(true) {
        std::fs::rename(&retired, output)?;
        recovery.restored = true;
    }
    for leftover in [target.staging(), retired] {
        if is_generation(&leftover) == Some(true) {
            remove_tree(&leftover)?;
            recovery.removed.push(leftover);
        }
    }
    Ok(recovery)
}

/// Puts the staged generation in place of the output directory. Returns
/// where the old generation now is, for the caller to remove.
pub(super) fn swap(target: &Target, output_exists: bool) -> io::Result<Option<PathBuf>> {
    let (staging, output) = (target.staging(), target.output());
    let result = if !output_exists {
        rename_new(&staging, output).map(|()| None)
    } else {
        match exchange(&staging, output) {
            Ok(true) => Ok(Some(staging.clone())),
            Ok(false) => {
                let retired = target.retired();
                std::fs::rename(output, &retired).and_then(|()| match std::fs::rename(&staging, output) {
                    Ok(()) => Ok(Some(retired.clone())),
                    Err(err) => {
                        let _ = std::fs::rename(&retired, output);
                        Err(err)
                    }
                })
            }
            Err(err) => Err(err),
        }
    };
    result.map_err(|err| explain(err, output))
}

/// Makes the renames durable.
pub(super) fn sync_parent(target: &Target) -> io::Result<()> {
    std::fs::File::open(target.parent())?.sync_all()
}

/// A mount point cannot be renamed: say what to do instead.
fn explain(err: io::Error, output: &Path) -> io::Error {
    if !matches!(err.kind(), io::ErrorKind::ResourceBusy | io::ErrorKind::CrossesDevices) {
        return err;
    }
    io::Error::new(
        err.kind(),
        format!(
            "`{}` cannot be replaced ({err}): it is a mount point, or on another file system than the directory it is in (an overlay file system, as in a container image, cannot rename a directory of a lower layer without `redirect_dir`); kojo replaces the output directory whole, so set `output` to a directory inside a mounted volume, or remove `{}` once and build again",
            shown(output),
            shown(output)
        ),
    )
}

/// Exchanges two directories atomically; `false` if this system or file
/// system cannot.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<bool> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    use rustix::io::Errno;
    // The tests kill the two-rename path at every step too, on a system
    // that has the exchange (debug builds only).
    #[cfg(debug_assertions)]
    if std::env::var_os("KOJO_TEST_NO_EXCHANGE").is_some() {
        return Ok(false);
    }
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(true),
        Err(Errno::INVAL | Errno::NOSYS | Errno::OPNOTSUPP) => Ok(false),
        Err(err) => Err(err.into()),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> io::Result<bool> {
    Ok(false)
}

/// Renames without replacing anything that appeared meanwhile.
#[cfg(target_os = "linux")]
fn rename_new(from: &Path, to: &Path) -> io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    use rustix::io::Errno;
    match renameat_with(CWD, from, CWD, to, RenameFlags::NOREPLACE) {
        Ok(()) => Ok(()),
        Err(Errno::INVAL | Errno::NOSYS | Errno::OPNOTSUPP) => std::fs::rename(from, to),
        Err(err) => Err(err.into()),
    }
}

#[cfg(not(target_os = "linux"))]
fn rename_new(from: &Path, to: &Path) -> io::Result<()> {
    std::fs::rename(from, to)
}

/// Removes a tree kojo made (a previous or staged generation) without
/// following links, making its directories writable first so that a
/// read-only directory kept from the output cannot block the next build.
pub(super) fn remove_tree(path: &Path) -> io::Result<()> {
    let device = device(&std::fs::symlink_metadata(path)?);
    remove(path, device, 0)
}

fn remove(path: &Path, device: u64, depth: usize) -> io::Result<()> {
    let metadata = std::fs::symlink_metadata(path)?;
    if !metadata.is_dir() {
        return std::fs::remove_file(path);
    }
    if self::device(&metadata) != device || (depth > 0 && super::plan::mount_root(path) == Some(true)) {
        return Err(io::Error::new(
            io::ErrorKind::ResourceBusy,
            format!("`{}` is a mount point; kojo removes nothing on another file system", shown(path)),
        ));
    }
    // Deeper than any output directory kojo accepts (its scan stops at 64).
    if depth > 256 {
        return std::fs::remove_dir_all(path);
    }
    make_writable(path, &metadata)?;
    // Listed, then closed before going down: one directory open at a time.
    let entries: Vec<PathBuf> = std::fs::read_dir(path)?.map(|e| e.map(|e| e.path())).collect::<io::Result<_>>()?;
    for entry in entries {
        remove(&entry, device, depth + 1)?;
    }
    std::fs::remove_dir(path)
}

#[cfg(unix)]
fn device(metadata: &std::fs::Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::dev(metadata)
}

#[cfg(not(unix))]
fn device(_metadata: &std::fs::Metadata) -> u64 {
    0
}

#[cfg(unix)]
fn make_writable(path: &Path, metadata: &std::fs::Metadata) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = metadata.permissions().mode();
    if mode & 0o700 != 0o700 {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode | 0o700))?;
    }
    Ok(())
}

#[cfg(not(unix))]
fn make_writable(_path: &Path, _metadata: &std::fs::Metadata) -> io::Result<()> {
    Ok(())
}
