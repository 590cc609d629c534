//! Projects read from git revisions, for `kojo diff`, `kojo check
//! --baseline` and `kojo log`: which repository and which directory in it,
//! and one revision (or the working tree) checked.

use std::path::{Path, PathBuf};

use kojo_compiler::source::git::{self, GitSource};
use kojo_compiler::types::Date;
use kojo_compiler::{Checked, DiskSource, Options};

use crate::cli;
use crate::exit::Exit;
use crate::report;

/// Where a project lives in its repository.
pub struct Located {
    /// The project directory on disk (a working tree), if there is one.
    pub root: Option<PathBuf>,
    /// The repository's git directory, to open it again per revision.
    pub git_dir: PathBuf,
    /// The project's directory in the repository's tree (`/`-separated).
    pub prefix: String,
}

impl Located {
    /// `file` (relative to the project root) as a path from the
    /// repository's root.
    pub fn repo_path(&self, file: &str) -> String {
        if self.prefix.is_empty() {
            file.to_string()
        } else {
            format!("{}/{file}", self.prefix)
        }
    }
}

/// The project at `path` (default: as other commands find it) and its
/// repository. In a bare repository, which has no working tree, `path`
/// names the project's directory in the tree (default: the root).
pub fn locate(path: Option<&Path>) -> Result<Located, Exit> {
    let root = super::project_root(path);
    let start = if root.exists() { root.clone() } else { PathBuf::from(".") };
    let (repo, mut prefix) = match git::locate(&start) {
        Ok(found) => found,
        Err(err) => return Err(usage(&err.to_diagnostic())),
    };
    // A directory gone from the working tree may still be in a revision:
    // it is named from the current directory, never replaced by it.
    if !root.exists() && !repo.is_bare() {
        prefix = match join(&prefix, &root) {
            Some(prefix) => prefix,
            None => {
                errln!("error: `{}` is outside the repository", root.display());
                return Err(Exit::Usage);
            }
        };
    }
    let git_dir = repo.path().to_path_buf();
    if repo.is_bare() {
        let prefix = path.map(|p| p.to_string_lossy().trim_matches('/').to_string()).unwrap_or_default();
        let prefix = if prefix == "." { String::new() } else { prefix };
        return Ok(Located { root: None, git_dir, prefix });
    }
    Ok(Located { root: Some(root), git_dir, prefix })
}

/// `relative` (a path from the directory `base` of the repository) as a
/// path from the repository's root; `None` if it leaves the repository.
fn join(base: &str, relative: &Path) -> Option<String> {
    let mut parts: Vec<String> = base.split('/').filter(|p| !p.is_empty()).map(String::from).collect();
    for component in relative.components() {
        match component {
            std::path::Component::Normal(part) => parts.push(part.to_string_lossy().into_owned()),
            std::path::Component::ParentDir => {
                parts.pop()?;
            }
            std::path::Component::CurDir => {}
            _ => return None,
        }
    }
    Some(parts.join("/"))
}

/// The project as it was at `revision`.
pub fn open(located: &Located, revision: &str) -> Result<GitSource, Exit> {
    let repo = match git2::Repository::open(&located.git_dir) {
        Ok(repo) => repo,
        Err(err) => {
            let error = git::RevisionError::Unreadable { message: err.message().to_string() };
            return Err(usage(&error.to_diagnostic()));
        }
    };
    GitSource::at(repo, &located.prefix, revision).map_err(|err| {
        let mut diagnostic = err.to_diagnostic();
        // `kojo diff main my-plant`: a directory where a revision goes.
        if matches!(err, git::RevisionError::Unknown { .. }) && Path::new(revision).is_dir() {
            diagnostic = diagnostic.with_help(format!(
                "`{revision}` is a directory: name a project's directory with `--project {revision}`"
            ));
        }
        usage(&diagnostic)
    })
}

fn usage(diagnostic: &kojo_lang::Diagnostic) -> Exit {
    crate::output::err_rendered(&report::render(diagnostic, cli::color()));
    Exit::Usage
}

/// One side of a comparison: a revision or the working tree, checked.
pub struct Side {
    /// `origin/main (1a2b3c4)`, `the working tree`.
    pub label: String,
    /// The commit, when the side is a revision.
    pub commit: Option<String>,
    pub checked: Checked,
}

/// Checks `revision` (the working tree when `None`). Problems that keep
/// the project from being read are printed and returned as the exit code;
/// a project that does not compile is returned for the caller to report.
pub fn check(located: &Located, revision: Option<&str>, today: Date) -> Result<Side, Exit> {
    let options = Options { backends: kojo_backends::names(), today: Some(today), ..Default::default() };
    match revision {
        Some(revision) => {
            let source = open(located, revision)?;
            let commit = source.commit();
            let checked = kojo_compiler::check_with(&source, &options);
            Ok(Side { label: format!("{revision} ({})", short(&commit)), commit: Some(commit), checked })
        }
        None => {
            let Some(root) = &located.root else {
                errln!(
                    "error: a bare repository has no working tree\n  help: name both revisions, e.g. `kojo diff v1.2 v1.3`"
                );
                return Err(Exit::Usage);
            };
            let checked = kojo_compiler::check_with(&DiskSource::new(root), &options);
            Ok(Side { label: "the working tree".to_string(), commit: None, checked })
        }
    }
}

/// A commit ID as people read it: its first 7 digits.
pub fn short(commit: &str) -> &str {
    commit.get(..7).unwrap_or(commit)
}
