//! Where a diagnostic's file is, as CI systems name files.
//!
//! Diagnostics name files as kojo read them: relative to the current
//! directory (`examples/plant/zones.kojo`), or absolute when the project
//! was given as an absolute path. GitHub code scanning, GitLab and SARIF
//! viewers want the path from the root of the repository, so that a
//! project in a subdirectory still points at the right file: when the
//! project is inside a git repository, paths are relative to its root;
//! otherwise relative to the current directory. A file outside that base
//! keeps its absolute path. A diagnostic about no file in particular (a
//! project without a manifest or without sources) is placed at the
//! project's `kojo.kdl`, since GitHub code scanning takes no result without
//! a file.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::{Component, Path, PathBuf};

use kojo_compiler::source::MANIFEST;

/// The base that paths are made relative to.
#[derive(Debug, Clone)]
pub struct Paths {
    /// The current directory, which relative names start from.
    cwd: PathBuf,
    /// The repository's root, or the current directory.
    base: PathBuf,
    /// The project's manifest (which may not exist).
    manifest: PathBuf,
    /// [`Paths::file`]'s answers by name: a check's diagnostics name a few
    /// files many times over, and each format asks about each diagnostic
    /// more than once; the disk is asked once per name.
    seen: RefCell<BTreeMap<String, Option<Result<String, String>>>>,
}

impl Paths {
    /// Paths for the project at `root` (as given on the command line):
    /// relative to the root of the git repository around it, if any,
    /// else to the current directory.
    pub fn discover(root: &Path) -> Paths {
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        let project = normalize(&cwd.join(root));
        let repository = git2::Repository::discover(&project)
            .ok()
            .and_then(|repo| repo.workdir().map(Path::to_path_buf))
            .map(|dir| dir.canonicalize().unwrap_or(dir));
        let base = repository.unwrap_or_else(|| cwd.clone());
        Paths { manifest: project.join(MANIFEST), cwd, base, seen: RefCell::default() }
    }

    /// Paths relative to `base`, names starting from `cwd`, for a project
    /// in `cwd` (for tests).
    pub fn new(cwd: impl Into<PathBuf>, base: impl Into<PathBuf>) -> Paths {
        let cwd = cwd.into();
        Paths { manifest: cwd.join(MANIFEST), cwd, base: base.into(), seen: RefCell::default() }
    }

    /// The file a diagnostic names, relative to the base with `/`
    /// separators; the absolute path (`Err`) for a file outside it.
    /// `None` for a name that is no file on disk (`<built-in catalogue>`,
    /// a project directory).
    pub fn file(&self, name: &str) -> Option<Result<String, String>> {
        if let Some(known) = self.seen.borrow().get(name) {
            return known.clone();
        }
        let absolute = normalize(&self.cwd.join(name));
        let answer = absolute.is_file().then(|| self.relative(&absolute));
        self.seen.borrow_mut().insert(name.to_string(), answer.clone());
        answer
    }

    /// The project's `kojo.kdl`, relative to the base (`Err`: absolute),
    /// whether it exists or not.
    pub fn manifest(&self) -> Result<String, String> {
        self.relative(&self.manifest)
    }

    /// [`Paths::file`], else the project's manifest: where a diagnostic
    /// is placed for CI systems that need a file.
    pub fn locate(&self, name: &str) -> Result<String, String> {
        self.file(name).unwrap_or_else(|| self.manifest())
    }

    /// Where a CI system can point for a position in `name`: the file and
    /// the span, or, when `name` is no file on disk (a name kojo shows
    /// escaped because it holds control characters names no file), the
    /// manifest with no span, since the span is not the manifest's.
    pub fn place<S>(&self, name: &str, span: Option<S>) -> (Result<String, String>, Option<S>) {
        match self.file(name) {
            Some(file) => (file, span),
            None => (self.manifest(), None),
        }
    }

    fn relative(&self, absolute: &Path) -> Result<String, String> {
        let relative = absolute.strip_prefix(&self.base).ok().map(Path::to_path_buf).or_else(|| {
            // The base is canonical (a repository's root); the name may
            // reach the file through a link (`/tmp` → `/private/tmp`).
            let real = absolute.parent()?.canonicalize().ok()?.join(absolute.file_name()?);
            real.strip_prefix(&self.base).ok().map(Path::to_path_buf)
        });
        match relative {
            Some(relative) => Ok(slashes(&relative)),
            None => Err(slashes(absolute)),
        }
    }

    /// The path shown to people: relative to the base, else absolute, else
    /// the name as the diagnostic has it (`<built-in catalogue>`).
    pub fn display(&self, name: &str) -> String {
        match self.file(name) {
            Some(Ok(path) | Err(path)) => path,
            None => name.to_string(),
        }
    }
}

/// A path with `/` separators.
fn slashes(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// `a/./b/../c` → `a/c`, without touching the disk.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// A relative path as a URI reference: every byte but the unreserved
/// characters and `/` percent-encoded (RFC 3986), so a space, a `:` or a
/// Japanese file name stays one valid reference.
pub fn uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// An absolute path as a `file://` URI.
pub fn file_uri(absolute: &str) -> String {
    let path = uri_path(absolute);
    if path.starts_with('/') {
        format!("file://{path}")
    } else {
        // `C:/x` on Windows.
        format!("file:///{path}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_relative_to_the_base_and_encoded_as_uris() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(base.join("site/plant")).unwrap();
        std::fs::write(base.join("site/plant/zones a.kojo"), "").unwrap();
        let paths = Paths::new(base.join("site"), &base);
        assert_eq!(paths.file("plant/zones a.kojo"), Some(Ok("site/plant/zones a.kojo".to_string())));
        assert_eq!(paths.file("./plant/../plant/zones a.kojo"), Some(Ok("site/plant/zones a.kojo".to_string())));
        assert_eq!(paths.file("<built-in catalogue>"), None);
        assert_eq!(paths.file("plant"), None, "a directory is no file");
        assert_eq!(paths.display("<built-in catalogue>"), "<built-in catalogue>");
        assert_eq!(paths.locate("<built-in catalogue>"), Ok("site/kojo.kdl".to_string()));
        assert_eq!(paths.locate("plant"), Ok("site/kojo.kdl".to_string()));
        let outside = Paths::new(base.join("site"), base.join("site/plant/elsewhere"));
        let absolute = slashes(&base.join("site/plant/zones a.kojo"));
        assert_eq!(outside.file("plant/zones a.kojo"), Some(Err(absolute.clone())));
        assert_eq!(outside.display("plant/zones a.kojo"), absolute);
        assert_eq!(uri_path("site/plant/zones a.kojo"), "site/plant/zones%20a.kojo");
        assert_eq!(uri_path("a:b/工場.kojo"), "a%3Ab/%E5%B7%A5%E5%A0%B4.kojo");
        assert_eq!(file_uri("/x y/a.kojo"), "file:///x%20y/a.kojo");
    }

    #[test]
    fn a_project_inside_a_repository_is_relative_to_its_root() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        git2::Repository::init(&root).unwrap();
        std::fs::create_dir_all(root.join("plants/one")).unwrap();
        std::fs::write(root.join("plants/one/zones.kojo"), "").unwrap();
        let paths = Paths::discover(&root.join("plants/one"));
        let name = slashes(&root.join("plants/one/zones.kojo"));
        assert_eq!(paths.file(&name), Some(Ok("plants/one/zones.kojo".to_string())));
    }
}
