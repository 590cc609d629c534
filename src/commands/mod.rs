//! One module per subcommand.

pub mod build;
pub mod check;
pub mod diff;
pub(crate) mod documents;
pub mod drift;
pub mod evidence;
pub mod explain;
pub mod fmt;
pub mod graph;
pub mod init;
pub mod ledger;
pub mod log;
pub mod procure;
pub mod query;
pub mod report;
pub(crate) mod revision;

use std::path::{Path, PathBuf};

/// The project directory for `path`: the directory itself; for a file, the
/// nearest directory upwards with a kojo.kdl; with no path, the nearest one
/// upwards from the current directory.
pub fn project_root(path: Option<&Path>) -> PathBuf {
    match path {
        Some(p) if p.is_dir() => p.to_path_buf(),
        // A file inside a project checks that project.
        Some(p) if p.is_file() => {
            let parent = p.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
            kojo_compiler::DiskSource::find_upwards(parent).unwrap_or_else(|| p.to_path_buf())
        }
        // A path that does not exist is reported as having no manifest.
        Some(p) => p.to_path_buf(),
        None => {
            let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
            match kojo_compiler::DiskSource::find_upwards(&cwd) {
                Some(root) if root == cwd => PathBuf::from("."),
                Some(root) => root,
                None => PathBuf::from("."),
            }
        }
    }
}

/// Lets a command's large results go without freeing them piece by piece:
/// the process ends right after the command and the system takes its
/// memory back whole. Freeing a 10k-asset check's model and findings costs
/// several percent of the check. Only for plain data (no locks, no files).
pub(crate) fn leave<T>(done: T) {
    std::mem::forget(done);
}
