//! A project as it was at a git revision, read from the repository's
//! objects with `git2`: nothing is checked out, and the working tree, the
//! index and `.git` are never written.
//!
//! The same rules as on disk decide what is read: hidden entries, `target`,
//! `node_modules` and nested projects are skipped; a link is followed only
//! while it stays inside the project; a submodule is another repository
//! and is not read (the disk loader skips checked-out submodules too); a
//! file over the size limit is read only as far as the parser needs to
//! refuse it.

use std::path::{Component, Path};
use std::rc::Rc;

use git2::{ObjectType, Oid, Repository, Tree};
use kojo_lang::{Code, Diagnostic};

use super::{EvidenceFile, ProjectSource, RawFile, Versioning, MANIFEST, PROFILES_DIR, TEMPLATES_DIR};

/// How many links in a row are followed before giving up (a loop).
const MAX_LINKS: usize = 8;

/// Entries listed, and directories deep, before a tree is refused: a few
/// kilobytes of objects can name billions of paths.
const MAX_ENTRIES: usize = 100_000;
const MAX_DEPTH: usize = 64;

/// Bytes read of one file: one more than the parser accepts, so it can say
/// the file is too large.
const READ_LIMIT: usize = kojo_lang::parser::MAX_FILE_BYTES + 1;

/// A project at a revision of a git repository.
pub struct GitSource {
    /// Shared: a history walk reads many revisions of one repository.
    repo: Rc<Repository>,
    /// The revision as the user wrote it (`origin/main`, `HEAD~2`).
    revision: String,
    commit: Oid,
    /// The project's directory in the repository, `/`-separated, no
    /// leading or trailing `/`; empty at the repository's root.
    prefix: String,
}

/// Why a revision cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RevisionError {
    /// The directory is not inside a git repository.
    NotARepository { path: String },
    /// Git knows no such revision.
    Unknown { revision: String, shallow: bool },
    /// The revision names something that leads to no commit (a blob).
    NotACommit { revision: String },
    /// The project directory is not inside the repository's working tree.
    OutsideWorkTree { path: String },
    /// The repository could not be read.
    Unreadable { message: String },
}

impl RevisionError {
    /// The diagnostic users see (a usage error: the source is not at fault).
    pub fn to_diagnostic(&self) -> Diagnostic {
        let (path, message, help) = match self {
            RevisionError::NotARepository { path } => (
                path.clone(),
                format!("`{path}` is not inside a git repository"),
                "run kojo inside a clone of the repository, or leave out the revision".to_string(),
            ),
            RevisionError::Unknown { revision, shallow: true } => (
                revision.clone(),
                format!("revision `{revision}` is not in this repository, which is a shallow clone"),
                format!(
                    "the clone's history may stop before `{revision}`: fetch it (`git fetch --unshallow`; a \
                     branch of a single-branch clone with `git fetch origin BRANCH:refs/remotes/origin/BRANCH`; \
                     `fetch-depth: 0` in GitHub Actions, `GIT_DEPTH: 0` in GitLab CI)"
                ),
            ),
            RevisionError::Unknown { revision, shallow: false } => (
                revision.clone(),
                format!("revision `{revision}` is not in this repository"),
                "name a branch, a tag, a commit ID or an expression such as `HEAD~2`; a remote branch \
                 (`origin/main`) must have been fetched"
                    .to_string(),
            ),
            RevisionError::NotACommit { revision } => (
                revision.clone(),
                format!("revision `{revision}` is not a commit"),
                "name a branch, a tag or a commit".to_string(),
            ),
            RevisionError::OutsideWorkTree { path } => (
                path.clone(),
                format!("`{path}` is not inside the repository's working tree"),
                "run kojo on a project inside the repository".to_string(),
            ),
            RevisionError::Unreadable { message } => (
                ".git".to_string(),
                format!("the git repository cannot be read: {message}"),
                "check that the repository is intact (`git fsck`)".to_string(),
            ),
        };
        Diagnostic::at_path(Code::Io, path, message).with_help(help)
    }
}

impl std::fmt::Display for RevisionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_diagnostic().message)
    }
}

/// The repository `dir` is in, and `dir`'s path inside its working tree
/// (`/`-separated, empty at the root). A bare repository has no working
/// tree: its projects are named by their path in the tree (`prefix`).
pub fn locate(dir: &Path) -> Result<(Repository, String), RevisionError> {
    let display = dir.to_string_lossy().into_owned();
    let repo = Repository::discover(dir).map_err(|err| match err.code() {
        git2::ErrorCode::NotFound => RevisionError::NotARepository { path: display.clone() },
        _ => RevisionError::Unreadable { message: err.message().to_string() },
    })?;
    let Some(workdir) = repo.workdir() else { return Ok((repo, String::new())) };
    let (Ok(dir), Ok(workdir)) = (dir.canonicalize(), workdir.canonicalize()) else {
        return Err(RevisionError::OutsideWorkTree { path: display });
    };
    let Ok(inside) = dir.strip_prefix(&workdir) else { return Err(RevisionError::OutsideWorkTree { path: display }) };
    let prefix = normal_parts(inside).join("/");
    Ok((repo, prefix))
}

fn normal_parts(path: &Path) -> Vec<String> {
    path.components()
        .filter_map(|c| match c {
            Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect()
}

/// The commit `revision` names in `repo`.
pub fn resolve(repo: &Repository, revision: &str) -> Result<Oid, RevisionError> {
    let object = repo.revparse_single(revision).map_err(|err| match (err.code(), err.class()) {
        (git2::ErrorCode::NotFound | git2::ErrorCode::InvalidSpec | git2::ErrorCode::Ambiguous, _)
        | (_, git2::ErrorClass::Reference) => {
            RevisionError::Unknown { revision: revision.to_string(), shallow: repo.is_shallow() }
        }
        _ => RevisionError::Unreadable { message: err.message().to_string() },
    })?;
    match object.peel_to_commit() {
        Ok(commit) => Ok(commit.id()),
        Err(_) => Err(RevisionError::NotACommit { revision: revision.to_string() }),
    }
}

impl GitSource {
    /// The project at `dir` (a directory in a working tree) as it was at
    /// `revision`.
    pub fn open(dir: &Path, revision: &str) -> Result<GitSource, RevisionError> {
        let (repo, prefix) = locate(dir)?;
        GitSource::at(repo, &prefix, revision)
    }

    /// The project at `prefix` (a directory in the repository's tree) as it
    /// was at `revision`.
    pub fn at(repo: Repository, prefix: &str, revision: &str) -> Result<GitSource, RevisionError> {
        let commit = resolve(&repo, revision)?;
        Ok(GitSource::at_commit(Rc::new(repo), prefix, commit, revision))
    }

    /// The project at `prefix` as it was at `commit`, shown as `label`.
    pub fn at_commit(repo: Rc<Repository>, prefix: &str, commit: Oid, label: &str) -> GitSource {
        let prefix = prefix.trim_matches('/').to_string();
        GitSource { repo, revision: label.to_string(), commit, prefix }
    }

    /// The commit read, in full hex.
    pub fn commit(&self) -> String {
        self.commit.to_string()
    }

    /// The project directory's tree at this revision, if there is one: two
    /// revisions with the same tree hold the same project.
    pub fn directory(&self) -> Option<Oid> {
        let tree = self.tree().ok()?;
        if self.prefix.is_empty() {
            return Some(tree.id());
        }
        tree.get_path(Path::new(&self.prefix)).ok().filter(|e| e.kind() == Some(ObjectType::Tree)).map(|e| e.id())
    }

    /// What the project's meaning is made of, as object IDs: the manifest,
    /// every source (with its path) and the project's profiles. Two
    /// revisions with the same inputs mean the same; a history walk skips
    /// the commits that change none of them without checking them.
    pub fn inputs(&self) -> Vec<(String, Oid)> {
        let Ok(tree) = self.tree() else { return Vec::new() };
        let id = |path: &str| match self.entry(&tree, path) {
            Ok(Some((id, _))) => Some(id),
            _ => None,
        };
        let mut out: Vec<(String, Oid)> = Vec::new();
        out.extend(id(MANIFEST).map(|i| (MANIFEST.to_string(), i)));
        out.extend(id(PROFILES_DIR).map(|i| (PROFILES_DIR.to_string(), i)));
        for path in self.source_paths(&tree).0 {
            if let Some(i) = id(&path) {
                out.push((path, i));
            }
        }
        out
    }

    fn tree(&self) -> Result<Tree<'_>, Diagnostic> {
        self.repo.find_commit(self.commit).and_then(|c| c.tree()).map_err(|err| self.error("", err.message()))
    }

    /// `prefix/path`.
    fn full(&self, path: &str) -> String {
        if self.prefix.is_empty() {
            path.to_string()
        } else if path.is_empty() {
            self.prefix.clone()
        } else {
            format!("{}/{path}", self.prefix)
        }
    }

    /// How a file is shown: `REV:path`, the path from the repository's root.
    fn display(&self, relative: &str) -> String {
        format!("{}:{}", self.revision, self.full(relative))
    }

    fn error(&self, relative: &str, reason: &str) -> Diagnostic {
        let name = if relative.is_empty() { self.root_display() } else { self.display(relative) };
        Diagnostic::at_path(Code::Io, &name, format!("cannot read `{name}`: {reason}"))
            .with_help("check the revision's files; kojo reads a revision's own files only")
    }

    /// The entry at `relative` (from the project root), every link on the
    /// way followed while it stays inside the project (a link to a
    /// directory too, as on disk): its object ID and kind, or why it
    /// cannot be read.
    fn entry(&self, tree: &Tree<'_>, relative: &str) -> Result<Option<(Oid, Kind)>, String> {
        let mut hops = 0;
        // The path resolved so far (no link in it), and what is left.
        let mut done: Vec<String> = self.prefix.split('/').filter(|p| !p.is_empty()).map(String::from).collect();
        let mut rest: Vec<String> = relative.split('/').filter(|p| !p.is_empty()).map(String::from).collect();
        rest.reverse();
        let mut found = match done.is_empty() {
            true => Some((tree.id(), Kind::Directory)),
            false => self.kind_at(tree, &done.join("/")),
        };
        while let Some(part) = rest.pop() {
            done.push(part);
            let path = done.join("/");
            found = self.kind_at(tree, &path);
            let Some((id, Kind::Link)) = found else {
                if found.is_none() {
                    return Ok(None);
                }
                continue;
            };
            hops += 1;
            if hops > MAX_LINKS {
                return Err("it is a chain of links too long to follow (a loop?)".into());
            }
            let target = self.link_target(id)?;
            done.pop();
            let resolved = self
                .inside(Path::new(&done.join("/")), &target)
                .ok_or("it is a link that leads out of the project, which kojo never follows")?;
            done.clear();
            // Resolve the target's own parts: they may be links too.
            for part in resolved.split('/').rev().filter(|p| !p.is_empty()) {
                rest.push(part.to_string());
            }
        }
        Ok(found)
    }

    /// What is at `path` (from the repository's root), not following links.
    fn kind_at(&self, tree: &Tree<'_>, path: &str) -> Option<(Oid, Kind)> {
        let entry = tree.get_path(Path::new(path)).ok()?;
        let kind = match (entry.kind(), entry.filemode()) {
            (Some(ObjectType::Blob), 0o120_000) => Kind::Link,
            (Some(ObjectType::Blob), _) => Kind::File,
            (Some(ObjectType::Tree), _) => Kind::Directory,
            (Some(ObjectType::Commit), _) => Kind::Submodule,
            _ => Kind::Other,
        };
        Some((entry.id(), kind))
    }

    /// A link's text; a link longer than a path can be is refused unread.
    fn link_target(&self, id: Oid) -> Result<String, String> {
        let (size, _) = self.repo.odb().and_then(|odb| odb.read_header(id)).map_err(|e| e.message().to_string())?;
        if size > 4096 {
            return Err("it is a link whose target is longer than any path".into());
        }
        let blob = self.repo.find_blob(id).map_err(|e| e.message().to_string())?;
        Ok(String::from_utf8_lossy(blob.content()).into_owned())
    }

    /// `target` (a link's text) from `base`, as a repository path, if it
    /// stays inside the project.
    fn inside(&self, base: &Path, target: &str) -> Option<String> {
        if Path::new(target).is_absolute() {
            return None;
        }
        let mut parts: Vec<String> = normal_parts(base);
        for component in Path::new(target).components() {
            match component {
                Component::Normal(part) => parts.push(part.to_string_lossy().into_owned()),
                Component::ParentDir => {
                    parts.pop()?;
                }
                Component::CurDir => {}
                Component::RootDir | Component::Prefix(_) => return None,
            }
        }
        let joined = parts.join("/");
        let inside =
            self.prefix.is_empty() || joined == self.prefix || joined.starts_with(&format!("{}/", self.prefix));
        inside.then_some(joined)
    }

    fn read(&self, tree: &Tree<'_>, relative: &str) -> Result<Option<RawFile>, Diagnostic> {
        let (id, kind) = match self.entry(tree, relative) {
            Ok(Some(found)) => found,
            Ok(None) => return Ok(None),
            Err(reason) => return Err(self.error(relative, &reason)),
        };
        if kind != Kind::File {
            return Err(self.error(relative, "it is not a regular file"));
        }
        // libgit2 inflates a whole object to read it: look at its size first.
        let size =
            self.repo.odb().and_then(|odb| odb.read_header(id)).map_err(|e| self.error(relative, e.message()))?.0;
        if size > kojo_lang::parser::MAX_FILE_BYTES {
            let name = self.display(relative);
            let message = format!(
                "`{name}` is larger than {} MiB, the most kojo reads from one file",
                kojo_lang::parser::MAX_FILE_BYTES / (1024 * 1024)
            );
            return Err(Diagnostic::at_path(Code::FileTooLarge, &name, message)
                .with_help("split the plant over several .kojo files"));
        }
        let blob = self.repo.find_blob(id).map_err(|err| self.error(relative, err.message()))?;
        let content = blob.content();
        let bytes = content.get(..READ_LIMIT.min(content.len())).unwrap_or(content).to_vec();
        Ok(Some(RawFile { name: self.display(relative), bytes, path: None }))
    }

    /// The `*.ext` files directly in the project's `dir`, sorted.
    fn files_in(&self, dir: &str, ext: &str) -> (Vec<RawFile>, Vec<Diagnostic>) {
        let tree = match self.tree() {
            Ok(tree) => tree,
            Err(diagnostic) => return (Vec::new(), vec![diagnostic]),
        };
        let Ok(Some((id, Kind::Directory))) = self.entry(&tree, dir) else { return (Vec::new(), Vec::new()) };
        let Ok(listing) = self.repo.find_tree(id) else { return (Vec::new(), Vec::new()) };
        let mut names: Vec<String> = listing
            .iter()
            .filter_map(|e| e.name().map(String::from))
            .filter(|n| Path::new(n).extension().is_some_and(|e| e == ext))
            .collect();
        names.sort();
        let mut files = Vec::new();
        let mut errors = Vec::new();
        for name in names {
            match self.read(&tree, &format!("{dir}/{name}")) {
                Ok(Some(file)) => files.push(file),
                Ok(None) => {}
                Err(diagnostic) => errors.push(diagnostic),
            }
        }
        (files, errors)
    }

    /// Every `.kojo` path under the project, from its root, sorted like the
    /// disk loader sorts them; and the entries that cannot be read.
    fn source_paths(&self, tree: &Tree<'_>) -> (Vec<String>, Vec<Diagnostic>) {
        let mut paths = Vec::new();
        let mut errors = Vec::new();
        let root = match self.entry(tree, "") {
            Ok(Some((id, Kind::Directory))) => id,
            _ => return (paths, errors),
        };
        // (directory tree, its path from the project root)
        let mut stack = vec![(root, String::new())];
        let mut seen = 0usize;
        while let Some((id, dir)) = stack.pop() {
            let Ok(listing) = self.repo.find_tree(id) else { continue };
            // A tree that names one subtree many times over holds billions
            // of paths in a few kilobytes: stop, and say so.
            seen += listing.len();
            if seen > MAX_ENTRIES || dir.matches('/').count() >= MAX_DEPTH {
                errors.push(self.error(&dir, "the project holds too many files or directories too deep to read"));
                break;
            }
            for entry in listing.iter() {
                let Some(name) = entry.name() else { continue };
                if name.starts_with('.') {
                    continue;
                }
                let relative = if dir.is_empty() { name.to_string() } else { format!("{dir}/{name}") };
                let is_kojo = Path::new(name).extension().is_some_and(|e| e == "kojo");
                // A link is what it leads to, as on disk.
                let kind = match (entry.kind(), entry.filemode()) {
                    (Some(ObjectType::Blob), 0o120_000) => match self.entry(tree, &relative) {
                        Ok(Some((target, kind))) => Some((target, kind)),
                        Ok(None) => None,
                        Err(reason) => {
                            if is_kojo {
                                errors.push(self.error(&relative, &reason));
                            }
                            None
                        }
                    },
                    (Some(ObjectType::Blob), _) => Some((entry.id(), Kind::File)),
                    (Some(ObjectType::Tree), _) => Some((entry.id(), Kind::Directory)),
                    // A submodule (`Commit`) is another repository's.
                    _ => None,
                };
                match kind {
                    Some((id, Kind::Directory)) => {
                        let nested = self.repo.find_tree(id).is_ok_and(|t| t.get_name(MANIFEST).is_some());
                        if is_kojo {
                            errors.push(self.error(&relative, "it is a directory, not a file"));
                        } else if name != "target" && name != "node_modules" && !nested {
                            stack.push((id, relative));
                        }
                    }
                    Some((_, Kind::File)) if is_kojo => paths.push(relative),
                    _ => {}
                }
            }
        }
        paths.sort_by(|a, b| a.split('/').cmp(b.split('/')));
        (paths, errors)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    File,
    Link,
    Directory,
    Submodule,
    Other,
}

impl ProjectSource for GitSource {
    fn manifest(&self) -> Result<Option<RawFile>, Diagnostic> {
        let tree = self.tree()?;
        self.read(&tree, MANIFEST)
    }

    fn sources(&self) -> (Vec<RawFile>, Vec<Diagnostic>) {
        let tree = match self.tree() {
            Ok(tree) => tree,
            Err(diagnostic) => return (Vec::new(), vec![diagnostic]),
        };
        let (paths, mut errors) = self.source_paths(&tree);
        let mut files = Vec::new();
        for path in paths {
            match self.read(&tree, &path) {
                Ok(Some(file)) => files.push(file),
                Ok(None) => {}
                Err(diagnostic) => errors.push(diagnostic),
            }
        }
        (files, errors)
    }

    fn root_display(&self) -> String {
        if self.prefix.is_empty() {
            format!("{}:", self.revision)
        } else {
            format!("{}:{}", self.revision, self.prefix)
        }
    }

    fn profiles(&self) -> (Vec<RawFile>, Vec<Diagnostic>) {
        self.files_in(PROFILES_DIR, "toml")
    }

    fn templates(&self) -> (Vec<RawFile>, Vec<Diagnostic>) {
        self.files_in(TEMPLATES_DIR, "tera")
    }

    fn evidence_file(&self, path: &str) -> EvidenceFile {
        let Ok(tree) = self.tree() else { return EvidenceFile::Missing };
        match self.entry(&tree, path) {
            Ok(Some((_, Kind::File))) => EvidenceFile::File,
            Ok(Some(_)) => EvidenceFile::NotAFile,
            Ok(None) => EvidenceFile::Missing,
            Err(_) => EvidenceFile::LeavesProject { target: path.to_string() },
        }
    }

    fn history(&self, paths: &[String], as_of: crate::types::Date) -> Versioning {
        let wanted: Vec<String> = paths.iter().map(|p| self.full(p)).collect();
        super::history::at_commit(&self.repo, self.commit, &wanted, as_of)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A repository with `files` (and links, `(path, target)`) committed.
    fn repo(files: &[(&str, &str)], links: &[(&str, &str)]) -> (tempfile::TempDir, Repository) {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        for (path, text) in files {
            let full = dir.path().join(path);
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(full, text).unwrap();
        }
        for (path, target) in links {
            let full = dir.path().join(path);
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::os::unix::fs::symlink(target, full).unwrap();
        }
        let mut index = repo.index().unwrap();
        index.add_all(["*"], git2::IndexAddOption::DEFAULT, None).unwrap();
        let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
        let sig = git2::Signature::now("t", "t@example.invalid").unwrap();
        repo.commit(Some("HEAD"), &sig, &sig, "one", &tree, &[]).unwrap();
        drop(tree);
        (dir, repo)
    }

    #[test]
    fn links_are_followed_inside_the_project_and_never_out_of_it() {
        let (_dir, repo) = repo(
            &[
                ("outside.kojo", "zone leaked \"x\"\n"),
                ("plant/kojo.kdl", "project \"t\"\n"),
                ("plant/real/a.kojo", "zone a \"A\"\n"),
                ("plant/records/review.md", "reviewed\n"),
            ],
            &[("plant/linked", "real"), ("plant/docs", "records"), ("plant/evil.kojo", "../outside.kojo")],
        );
        let source = GitSource::at(repo, "plant", "HEAD").unwrap();
        let (files, errors) = source.sources();
        let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
        // As on disk: a linked directory is read through its link too.
        assert_eq!(names, ["HEAD:plant/linked/a.kojo", "HEAD:plant/real/a.kojo"]);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].message.contains("HEAD:plant/evil.kojo") && errors[0].message.contains("leads out"));
        assert_eq!(source.evidence_file("docs/review.md"), EvidenceFile::File);
        assert_eq!(source.evidence_file("docs"), EvidenceFile::NotAFile);
        assert_eq!(source.evidence_file("docs/none.md"), EvidenceFile::Missing);
        assert!(matches!(source.evidence_file("evil.kojo"), EvidenceFile::LeavesProject { .. }));
    }

    #[test]
    fn a_loop_of_links_and_an_oversize_file_are_refused() {
        let big = "x".repeat(kojo_lang::parser::MAX_FILE_BYTES + 1);
        let (_dir, repo) =
            repo(&[("kojo.kdl", "project \"t\"\n"), ("big.kojo", &big)], &[("a.kojo", "b.kojo"), ("b.kojo", "a.kojo")]);
        let source = GitSource::at(repo, "", "HEAD").unwrap();
        let (files, errors) = source.sources();
        assert!(files.is_empty(), "{files:?}");
        let codes: Vec<(Code, bool)> = errors.iter().map(|e| (e.code, e.message.contains("too long"))).collect();
        assert_eq!(codes, [(Code::Io, true), (Code::Io, true), (Code::FileTooLarge, false)], "{errors:?}");
    }

    #[test]
    fn a_revision_that_does_not_exist_is_named() {
        let (_dir, repo) = repo(&[("kojo.kdl", "project \"t\"\n")], &[]);
        let Err(err) = GitSource::at(repo, "", "no-such") else { panic!("found") };
        assert_eq!(err, RevisionError::Unknown { revision: "no-such".into(), shallow: false });
    }
}
