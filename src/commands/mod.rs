//! One module per subcommand.

pub mod check;
pub mod explain;
pub mod fmt;

use std::path::{Path, PathBuf};

/// The project directory for `path`: the directory itself, or the nearest
/// one upwards with a kojo.kdl when no path is given (or a file is).
pub fn project_root(path: Option<&Path>) -> PathBuf {
    match path {
        Some(p) if p.is_dir() => p.to_path_buf(),
        Some(p) => {
            let parent = p.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
            kojo_compiler::DiskSource::find_upwards(parent).unwrap_or_else(|| p.to_path_buf())
        }
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
