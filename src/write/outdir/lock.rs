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
    let file = File::open(dir)?;
    let attempt = if shared { file.try_lock_shared() } else { file.try_lock() };
    match attempt {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            waiting();
            if shared {
                file.lock_shared()?;
            } else {
                file.lock()?;
            }
        }
        Err(TryLockError::Error(err)) => return Err(err),
    }
    Ok(Lock { _dir: file })
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
