//! The output directory of `kojo build`, replaced whole.
//!
//! A build is all or nothing, even if kojo is killed at any instant: the
//! next generation of the output directory is written in full beside it
//! (`.kojo-<name>.new.tmp`), flushed to disk, then swapped in by a single
//! atomic exchange of the two directories (see [`swap`]). A reader — a
//! firewall loader, `git add`, a reviewer — sees the whole old set of files
//! or the whole new set, never a mix. What an interrupted build left is
//! removed by the next one and reported by `kojo build --check`.
//!
//! The rest of the contract:
//! - the output path is checked before anything is created: every part that
//!   exists must be a real directory, never a symbolic link;
//! - nothing is written through a link or over one: a link (or a directory)
//!   where kojo generates a file stops the build, and a link kojo did not
//!   make is kept as a link, never followed;
//! - files kojo did not generate stay, as they were; files a previous build
//!   generated and this one does not are gone;
//! - a regenerated file keeps only the rwx bits of the file it replaces,
//!   never those of what a link points to;
//! - one file is open at a time, however large the build;
//! - builds of one project take turns (see [`lock`]), and a build that was
//!   killed leaves no lock behind.

mod lock;
mod plan;
mod stage;
mod swap;
mod target;

use std::io;
use std::path::PathBuf;

pub use plan::{index_text, Plan, Planned, State, INDEX};
pub use target::Target;

/// Why a build could not be written.
#[derive(Debug)]
pub enum Error {
    Io(io::Error),
    /// The output path cannot be used (a link or a file on it).
    Path(String),
    /// Things in the output directory that stop the build, one sentence each.
    InTheWay(Vec<String>),
}

impl From<io::Error> for Error {
    fn from(err: io::Error) -> Self {
        Error::Io(err)
    }
}

/// What a build did.
#[derive(Debug)]
pub struct Written {
    /// Generated files (the index included) that are new or changed.
    pub changed: usize,
    /// An interrupted build had taken the output directory away; it was put
    /// back first.
    pub restored: bool,
    /// Leftovers of interrupted builds that were removed.
    pub removed: Vec<PathBuf>,
    /// Files an earlier build generated that this one does not, removed.
    pub stale: usize,
    /// What kojo did not generate in a device's directory, kept.
    pub in_device_dirs: Vec<PathBuf>,
    /// What went wrong after the new generation was in place (the build
    /// stands; the next one tries again): the old generation could not be
    /// removed, or the rename could not be flushed to disk.
    pub after_swap: Vec<String>,
}

/// Writes `artifacts` (paths relative to the output directory, bytes) as
/// the output directory's new generation. `waiting` is called if another
/// build of the project holds the lock.
pub fn write(target: &Target, artifacts: &[(&str, &[u8])], waiting: impl FnOnce()) -> Result<Written, Error> {
    let missing = target.missing()?;
    target.create_parents(&missing)?;
    let _lock = lock::exclusive(target.parent(), waiting)?;
    let recovery = swap::recover(target)?;
    let mut removed = recovery.removed;
    let plan = plan::plan(target, artifacts)?;
    if !plan.conflicts.is_empty() {
        return Err(Error::InTheWay(plan.conflicts));
    }
    let mut written = Written {
        changed: plan.changed(),
        restored: recovery.restored,
        removed: Vec::new(),
        stale: plan.stale.len(),
        in_device_dirs: plan.in_device_dirs.clone(),
        after_swap: Vec::new(),
    };
    if plan.is_current() {
        written.removed = removed;
        return Ok(written);
    }
    // Leftovers inside the output directory go with the old generation.
    removed.extend(plan.leftovers.iter().cloned());
    let staged = stage::stage(target, &plan).and_then(|()| swap::swap(target, plan.exists));
    let old = match staged {
        Ok(old) => old,
        Err(err) => {
            let _ = swap::remove_tree(&target.staging());
            return Err(Error::Io(err));
        }
    };
    if let Err(err) = swap::sync_parent(target) {
        written.after_swap.push(format!("the rename could not be flushed to disk ({err})"));
    }
    if let Some(old) = old {
        if let Err(err) = swap::remove_tree(&old) {
            written.after_swap.push(format!(
                "the previous build at `{}` could not be removed ({err})",
                kojo_compiler::source::shown(&old)
            ));
        }
    }
    written.removed = removed;
    Ok(written)
}

/// What `kojo build` would change, read without writing (`--check`): waits
/// for a build in progress rather than read it halfway.
pub fn check<'a>(
    target: &Target,
    artifacts: &[(&'a str, &'a [u8])],
    waiting: impl FnOnce(),
) -> Result<Plan<'a>, Error> {
    let missing = target.missing()?;
    let _lock =
        if missing.iter().any(|m| m == target.parent()) { None } else { Some(lock::shared(target.parent(), waiting)?) };
    Ok(plan::plan(target, artifacts)?)
}
