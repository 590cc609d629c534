//! When files last changed in git: the proof of review behind Appendix E
//! levels 4 and 5.
//!
//! The repository is read with `git2` (libgit2), never by running `git`:
//! nothing is checked out and nothing in `.git`, the index or the working
//! tree changes. The walk follows the first-parent history of `HEAD` (the
//! branch's own line, where merges land), newest first, and stops when
//! every path has been found or after [`MAX_COMMITS`] commits.

use std::path::{Component, Path, PathBuf};

use crate::types::Date;

/// A history longer than this is not walked further; paths not changed
/// within it are reported as such.
pub const MAX_COMMITS: usize = 200_000;

/// The most recent commit that changed a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The commit ID, in full hex.
    pub commit: String,
    /// The committer's date, in UTC: when the change landed.
    pub date: Date,
    /// The first line of the commit message.
    pub summary: String,
    /// The commit has no parent in a shallow clone: it may only be where the
    /// clone's history was cut, so it does not prove when the file changed.
    pub at_shallow_boundary: bool,
    /// The commit added the file (it was not there before): writing a
    /// document is not reviewing it.
    pub created: bool,
}

/// The version control a project lives in, and what it says of some paths.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Versioning {
    /// The project is not inside a git working tree.
    NotVersioned,
    /// A git repository.
    Git {
        /// `HEAD`'s commit; `None` before the first commit.
        head: Option<String>,
        /// The clone is shallow: history may be cut short.
        shallow: bool,
        /// The walk stopped at [`MAX_COMMITS`].
        truncated: bool,
        /// Per path asked about, in order: its last change, or `None` when
        /// no commit walked changed it (never committed).
        changes: Vec<Option<Change>>,
    },
    /// A repository was found but could not be read.
    Unreadable(String),
}

/// What git says of `paths` (relative to the project `root`, normalised),
/// counting only commits dated on or before `as_of`.
pub fn of_paths(root: &Path, paths: &[String], as_of: Date) -> Versioning {
    let repo = match git2::Repository::discover(root) {
        Ok(repo) => repo,
        Err(err) if err.code() == git2::ErrorCode::NotFound => return Versioning::NotVersioned,
        Err(err) => return Versioning::Unreadable(err.message().to_string()),
    };
    let Some(workdir) = repo.workdir() else { return Versioning::NotVersioned };
    let in_repo = match (root.canonicalize(), workdir.canonicalize()) {
        (Ok(root), Ok(workdir)) => match root.strip_prefix(&workdir) {
            Ok(prefix) => prefix.to_path_buf(),
            // A project outside the working tree it was discovered from
            // (through a link): its files are not in this history.
            Err(_) => return Versioning::NotVersioned,
        },
        (Err(err), _) | (_, Err(err)) => return Versioning::Unreadable(err.to_string()),
    };
    let wanted: Vec<String> = paths.iter().map(|p| repo_path(&in_repo, p)).collect();
    let head = match repo.head() {
        Ok(head) => head.peel_to_commit().map(|c| c.id()),
        // No commit yet: nothing has been committed.
        Err(err) if matches!(err.code(), git2::ErrorCode::UnbornBranch | git2::ErrorCode::NotFound) => {
            return Versioning::Git { head: None, shallow: false, truncated: false, changes: vec![None; paths.len()] };
        }
        Err(err) => Err(err),
    };
    match head {
        Ok(head) => at_commit(&repo, head, &wanted, as_of),
        Err(err) => Versioning::Unreadable(err.message().to_string()),
    }
}

/// What the history up to `commit` says of `paths` (repository paths,
/// `/`-separated): a revision read from git is dated by its own past, not
/// by the branch checked out.
pub fn at_commit(repo: &git2::Repository, commit: git2::Oid, paths: &[String], as_of: Date) -> Versioning {
    match walk(repo, commit, paths, as_of) {
        Ok((truncated, changes)) => {
            Versioning::Git { head: Some(commit.to_string()), shallow: repo.is_shallow(), truncated, changes }
        }
        Err(err) => Versioning::Unreadable(err.message().to_string()),
    }
}

/// `prefix/path` with `/` separators, as git names paths in trees.
pub(crate) fn repo_path(prefix: &Path, path: &str) -> String {
    let mut full = PathBuf::from(prefix);
    full.push(path);
    full.components()
        .filter_map(|c| match c {
            Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("/")
}

type Walked = (bool, Vec<Option<Change>>);

fn walk(repo: &git2::Repository, start: git2::Oid, paths: &[String], as_of: Date) -> Result<Walked, git2::Error> {
    let mut changes: Vec<Option<Change>> = vec![None; paths.len()];
    let head = repo.find_commit(start)?;
    let shallow = repo.is_shallow();
    let mut revwalk = repo.revwalk()?;
    revwalk.push(head.id())?;
    revwalk.simplify_first_parent()?;
    let mut open = paths.len();
    // Each path as it was named at the commit being looked at (moves followed back).
    let mut tracking: Vec<String> = paths.to_vec();
    let mut truncated = false;
    for (walked, oid) in revwalk.enumerate() {
        if open == 0 {
            break;
        }
        if walked >= MAX_COMMITS {
            truncated = true;
            break;
        }
        let commit = repo.find_commit(oid?)?;
        let date = Date::from_unix_days(commit.time().seconds().div_euclid(86_400));
        // A commit after the assessment date did not exist then; older
        // changes to the same file still count.
        if date > as_of {
            continue;
        }
        let tree = commit.tree()?;
        let parent_tree = match commit.parents().next() {
            Some(parent) => Some(parent.tree()?),
            None => None,
        };
        for (path, slot) in tracking.iter_mut().zip(changes.iter_mut()) {
            if slot.is_some() {
                continue;
            }
            let here = blob_at(&tree, path);
            let before = parent_tree.as_ref().and_then(|t| blob_at(t, path));
            // A document moved unchanged keeps its history: follow it to its
            // old path rather than call the move its first version.
            if let (Some(blob), None, Some(parent)) = (here, before, parent_tree.as_ref()) {
                if let Some(old) = path_of(parent, blob) {
                    *path = old;
                    continue;
                }
            }
            if here.is_some() && here != before {
                *slot = Some(Change {
                    commit: commit.id().to_string(),
                    date,
                    summary: commit.summary().unwrap_or_default().to_string(),
                    at_shallow_boundary: shallow && parent_tree.is_none(),
                    created: before.is_none(),
                });
                open -= 1;
            }
        }
    }
    Ok((truncated, changes))
}

/// The file (a blob, not a directory) at `path` in `tree`.
fn blob_at(tree: &git2::Tree<'_>, path: &str) -> Option<git2::Oid> {
    tree.get_path(Path::new(path)).ok().filter(|e| e.kind() == Some(git2::ObjectType::Blob)).map(|e| e.id())
}

/// Where `blob` is in `tree`, if anywhere (the first in tree order).
fn path_of(tree: &git2::Tree<'_>, blob: git2::Oid) -> Option<String> {
    let mut found = None;
    let _ = tree.walk(git2::TreeWalkMode::PreOrder, |root, entry| {
        if entry.id() == blob && entry.kind() == Some(git2::ObjectType::Blob) {
            found = Some(format!("{root}{}", entry.name().unwrap_or_default()));
            return git2::TreeWalkResult::Abort;
        }
        git2::TreeWalkResult::Ok
    });
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A repository whose commits land at chosen days since 1970.
    pub(crate) fn repo_with(dir: &Path, commits: &[(i64, &[(&str, &str)])]) {
        let repo = git2::Repository::init(dir).unwrap();
        let mut parent: Option<git2::Oid> = None;
        for (day, files) in commits {
            for (path, text) in *files {
                let full = dir.join(path);
                std::fs::create_dir_all(full.parent().unwrap()).unwrap();
                std::fs::write(&full, text).unwrap();
            }
            let mut index = repo.index().unwrap();
            index.add_all(["*"], git2::IndexAddOption::DEFAULT, None).unwrap();
            index.write().unwrap();
            let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
            let sig = git2::Signature::new("t", "t@example.invalid", &git2::Time::new(day * 86_400 + 3600, 0)).unwrap();
            let parents: Vec<git2::Commit<'_>> = parent.iter().map(|p| repo.find_commit(*p).unwrap()).collect();
            let refs: Vec<&git2::Commit<'_>> = parents.iter().collect();
            parent = Some(repo.commit(Some("HEAD"), &sig, &sig, &format!("day {day}"), &tree, &refs).unwrap());
        }
    }

    fn changes(versioning: Versioning) -> Vec<Option<i64>> {
        match versioning {
            Versioning::Git { changes, .. } => changes.into_iter().map(|c| c.map(|c| c.date.unix_days())).collect(),
            other => panic!("not git: {other:?}"),
        }
    }

    #[test]
    fn the_last_commit_that_changed_each_file() {
        let dir = tempfile::tempdir().unwrap();
        repo_with(
            dir.path(),
            &[
                (19_000, &[("plant/docs/a.md", "1"), ("plant/docs/b.md", "1")]),
                (19_100, &[("plant/docs/a.md", "2")]),
                (19_200, &[("other.txt", "x")]),
            ],
        );
        let root = dir.path().join("plant");
        let paths = ["docs/a.md", "docs/b.md", "docs/never.md"].map(String::from);
        let far = Date::from_unix_days(30_000);
        assert_eq!(changes(of_paths(&root, &paths, far)), [Some(19_100), Some(19_000), None]);
        // As of a day before the second change, the first one is the last.
        let before = Date::from_unix_days(19_099);
        assert_eq!(changes(of_paths(&root, &paths, before)), [Some(19_000), Some(19_000), None]);
    }

    #[test]
    fn a_moved_document_keeps_its_history() {
        let dir = tempfile::tempdir().unwrap();
        repo_with(dir.path(), &[(19_000, &[("old/a.md", "1")]), (19_100, &[("old/a.md", "2")])]);
        // Move it (same content) in a later commit.
        let repo = git2::Repository::open(dir.path()).unwrap();
        std::fs::create_dir_all(dir.path().join("new")).unwrap();
        std::fs::rename(dir.path().join("old/a.md"), dir.path().join("new/a.md")).unwrap();
        let mut index = repo.index().unwrap();
        index.add_all(["*"], git2::IndexAddOption::DEFAULT, None).unwrap();
        index.update_all(["*"], None).unwrap();
        let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
        let sig = git2::Signature::new("t", "t@example.invalid", &git2::Time::new(19_200 * 86_400, 0)).unwrap();
        let parent = repo.head().unwrap().peel_to_commit().unwrap();
        repo.commit(Some("HEAD"), &sig, &sig, "move", &tree, &[&parent]).unwrap();
        let found = of_paths(dir.path(), &["new/a.md".into()], Date::from_unix_days(30_000));
        let Versioning::Git { changes, .. } = found else { panic!("{found:?}") };
        let change = changes[0].clone().unwrap();
        assert_eq!((change.date.unix_days(), change.created), (19_100, false), "the move is not the last change");
    }

    #[test]
    fn a_file_only_in_the_working_tree_was_never_committed() {
        let dir = tempfile::tempdir().unwrap();
        repo_with(dir.path(), &[(19_000, &[("a.md", "1")])]);
        std::fs::write(dir.path().join("new.md"), "x").unwrap();
        std::fs::write(dir.path().join("a.md"), "changed, not committed").unwrap();
        let paths = ["a.md", "new.md"].map(String::from);
        assert_eq!(changes(of_paths(dir.path(), &paths, Date::from_unix_days(30_000))), [Some(19_000), None]);
    }

    #[test]
    fn outside_a_repository_and_before_the_first_commit() {
        let dir = tempfile::tempdir().unwrap();
        let now = Date::from_unix_days(20_000);
        assert_eq!(of_paths(dir.path(), &["a.md".into()], now), Versioning::NotVersioned);
        git2::Repository::init(dir.path()).unwrap();
        assert_eq!(
            of_paths(dir.path(), &["a.md".into()], now),
            Versioning::Git { head: None, shallow: false, truncated: false, changes: vec![None] }
        );
    }
}
