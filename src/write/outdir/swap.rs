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
    if missing && is_real_dir(&retired) {
        std::fs::rename(&retired, output)?;
        recovery.restored = true;
    }
    for leftover in [target.staging(), retired] {
        if std::fs::symlink_metadata(&leftover).is_ok() {
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
    } else if exchange(&staging, output)? {
        Ok(Some(staging.clone()))
    } else {
        let retired = target.retired();
        std::fs::rename(output, &retired).and_then(|()| match std::fs::rename(&staging, output) {
            Ok(()) => Ok(Some(retired.clone())),
            Err(err) => {
                let _ = std::fs::rename(&retired, output);
                Err(err)
            }
        })
    };
    result.map_err(|err| explain(err, output))
}

/// Makes the renames durable.
pub(super) fn sync_parent(target: &Target) -> io::Result<()> {
    std::fs::File::open(target.parent())?.sync_all()
}

fn is_real_dir(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.is_dir())
}

/// A mount point cannot be renamed: say what to do instead.
fn explain(err: io::Error, output: &Path) -> io::Error {
    if !matches!(err.kind(), io::ErrorKind::ResourceBusy | io::ErrorKind::CrossesDevices) {
        return err;
    }
    io::Error::new(
        err.kind(),
        format!(
            "`{}` cannot be replaced ({err}): it is a mount point or on another file system than the directory it is in; kojo replaces the output directory whole, so set `output` to a directory inside the mount",
            output.display()
        ),
    )
}

/// Exchanges two directories atomically; `false` if this system or file
/// system cannot.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<bool> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    use rustix::io::Errno;
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
    remove(path, 0)
}

fn remove(path: &Path, depth: usize) -> io::Result<()> {
    let metadata = std::fs::symlink_metadata(path)?;
    if !metadata.is_dir() {
        return std::fs::remove_file(path);
    }
    // Deeper than any output directory kojo accepts (its scan stops at 64).
    if depth > 256 {
        return std::fs::remove_dir_all(path);
    }
    make_writable(path, &metadata)?;
    for entry in std::fs::read_dir(path)? {
        remove(&entry?.path(), depth + 1)?;
    }
    std::fs::remove_dir(path)
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
