//! One build of a project at a time: an advisory lock (`flock`) on the
//! directory the output directory is in. The kernel drops the lock when the
//! process ends, however it ends, so a build that was killed leaves no stale
//! lock behind and no lock file to clean up.

use std::fs::{File, TryLockError};
use std::io;
use std::path::Path;

/// Held until dropped.
#[derive(Debug)]
pub(super) struct Lock {
    _dir: File,
}

/// Takes the lock for writing (one writer, no readers), calling `waiting`
/// first if another kojo holds it.
pub(super) fn exclusive(dir: &Path, waiting: impl FnOnce()) -> io::Result<Lock> {
    take(dir, false, waiting)
}

/// Takes the lock for reading (`kojo build --check`): never sees a build
/// halfway through.
pub(super) fn shared(dir: &Path, waiting: impl FnOnce()) -> io::Result<Lock> {
    take(dir, true, waiting)
}

fn take(dir: &Path, shared: bool, waiting: impl FnOnce()) -> io::Result<Lock> {
    let mut waiting = Some(waiting);
    // A directory replaced while this build waited (a checkout that removed
    // and made it again) is not the one the next build locks: lock again.
    for _ in 0..8 {
        let file = File::open(dir)?;
        let attempt = if shared { file.try_lock_shared() } else { file.try_lock() };
        match attempt {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                if let Some(waiting) = waiting.take() {
                    waiting();
                }
                if shared {
                    file.lock_shared()?;
                } else {
                    file.lock()?;
                }
            }
            Err(TryLockError::Error(err)) => return Err(err),
        }
        if same_directory(&file, dir)? {
            return Ok(Lock { _dir: file });
        }
    }
    Err(io::Error::new(io::ErrorKind::WouldBlock, "the directory the output is in keeps being replaced"))
}

#[cfg(unix)]
fn same_directory(file: &File, dir: &Path) -> io::Result<bool> {
    use std::os::unix::fs::MetadataExt;
    let (locked, now) = (file.metadata()?, std::fs::symlink_metadata(dir)?);
    Ok(locked.dev() == now.dev() && locked.ino() == now.ino())
}

#[cfg(not(unix))]
fn same_directory(_file: &File, _dir: &Path) -> io::Result<bool> {
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_writer_waits_and_a_dropped_lock_frees() {
        let dir = tempfile::tempdir().unwrap();
        let first = exclusive(dir.path(), || panic!("nothing holds it yet")).unwrap();
        let other = File::open(dir.path()).unwrap();
        assert!(matches!(other.try_lock(), Err(TryLockError::WouldBlock)));
        drop(first);
        assert!(other.try_lock().is_ok());
        drop(other);
        let readers = (shared(dir.path(), || {}).unwrap(), shared(dir.path(), || panic!("readers share")).unwrap());
        drop(readers);
    }
}
