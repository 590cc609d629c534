//! A project directory on disk.

use std::io::Read;
use std::path::{Path, PathBuf};

use kojo_lang::{Code, Diagnostic};

use super::{EvidenceFile, ProjectSource, RawFile, Versioning, MANIFEST, PROFILES_DIR, TEMPLATES_DIR};

/// A project directory on disk.
#[derive(Debug, Clone)]
pub struct DiskSource {
    root: PathBuf,
}

/// Files above this size are not read whole; the parser reports them.
const READ_LIMIT: u64 = kojo_lang::parser::MAX_FILE_BYTES as u64 + 1;

impl DiskSource {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        DiskSource { root: root.into() }
    }

    /// The nearest directory at or above `start` that holds a `kojo.kdl`.
    pub fn find_upwards(start: &Path) -> Option<PathBuf> {
        // Any entry named kojo.kdl ends the search, not only a readable file:
        // a pull request that makes it a directory or a dangling link must
        // get an error about its own project, not a check of the one above.
        start.ancestors().find(|dir| std::fs::symlink_metadata(dir.join(MANIFEST)).is_ok()).map(Path::to_path_buf)
    }

    /// A file named on the command line (`kojo fmt plant.kojo`): a link is
    /// followed, since the user chose the path, but only a regular file is
    /// opened (a pipe or device would block or never end) and at most the
    /// parser's size limit, plus one byte to tell it was passed, is read.
    pub fn read_named(path: &Path) -> Result<Vec<u8>, Diagnostic> {
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_file() => {}
            Ok(meta) if meta.is_dir() => return Err(io_error(path, &"it is a directory, not a file")),
            Ok(_) => return Err(io_error(path, &"it is not a regular file")),
            Err(err) => return Err(io_error(path, &err)),
        }
        read_bounded(path)
    }

    /// How a file at `relative` under the root is named in diagnostics.
    pub fn name_of(&self, relative: &Path) -> String {
        self.display(relative)
    }

    fn display(&self, relative: &Path) -> String {
        let joined = if self.root == Path::new(".") { relative.to_path_buf() } else { self.root.join(relative) };
        // Windows' separators shown as `/`; elsewhere `\` is part of a
        // name (or of an escape `shown` wrote).
        let joined = if cfg!(windows) { PathBuf::from(joined.to_string_lossy().replace('\\', "/")) } else { joined };
        shown(&joined)
    }

    fn read(&self, path: &Path, relative: &Path) -> Result<RawFile, Diagnostic> {
        let name = self.display(relative);
        // A link may lead anywhere (`/proc/self/environ`, `../.git/config`),
        // and what is read may be printed in a document or a diagnostic:
        // only files inside the project are read.
        let real = path.canonicalize();
        let inside = match (&real, self.root.canonicalize()) {
            (Ok(real), Ok(root)) => real.starts_with(root),
            _ => false,
        };
        if !inside && std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(match real {
                Err(err) => io_error(path, &format!("it is a link that leads nowhere or loops ({err})")),
                Ok(_) => io_error(path, &"it is a link that leads out of the project, which kojo never follows"),
            });
        }
        // A pipe or device would block the read, or never end it: only
        // regular files are read (a link inside the project to its file).
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_file() && inside => {}
            Ok(meta) if meta.is_file() => return Err(io_error(path, &"it is outside the project")),
            Ok(_) => return Err(io_error(path, &"it is not a regular file")),
            Err(err) => return Err(io_error(path, &err)),
        }
        let bytes = read_bounded(path)?;
        Ok(RawFile { name, bytes, path: Some(path.to_path_buf()) })
    }
}

/// A file the type check has called regular, read up to the parser's size
/// limit and one byte more (so that passing it is seen).
fn read_bounded(path: &Path) -> Result<Vec<u8>, Diagnostic> {
    let mut bytes = Vec::new();
    open_regular(path, true)
        .and_then(|f| f.take(READ_LIMIT).read_to_end(&mut bytes))
        .map_err(|err| io_error(path, &err))?;
    Ok(bytes)
}

/// Opens a file for reading only if it is a regular file, without
/// blocking (a FIFO put in place of a file after a type check would block
/// the open until a writer came), checking the type on what was opened;
/// `follow_links: false` opens no symbolic link either. Shared by every
/// reader of a repository's files (sources, the build output).
#[cfg(unix)]
pub fn open_regular(path: &Path, follow_links: bool) -> std::io::Result<std::fs::File> {
    use rustix::fs::{Mode, OFlags};
    let mut flags = OFlags::RDONLY | OFlags::NONBLOCK | OFlags::CLOEXEC;
    if !follow_links {
        flags |= OFlags::NOFOLLOW;
    }
    let file = std::fs::File::from(rustix::fs::open(path, flags, Mode::empty())?);
    if file.metadata()?.is_file() {
        Ok(file)
    } else {
        Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, "it is not a regular file"))
    }
}

#[cfg(not(unix))]
pub fn open_regular(path: &Path, _follow_links: bool) -> std::io::Result<std::fs::File> {
    let file = std::fs::File::open(path)?;
    if file.metadata()?.is_file() {
        Ok(file)
    } else {
        Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, "it is not a regular file"))
    }
}

pub(super) fn io_error(path: &Path, err: &dyn std::fmt::Display) -> Diagnostic {
    let name = shown(path);
    Diagnostic::at_path(Code::Io, &name, format!("cannot read `{name}`: {err}"))
        .with_help("check that the path exists, is readable, and is not a link that loops")
}

/// A path as it may be shown: a name from a pull request may hold control
/// characters (an escape sequence that retitles or clears the reviewer's
/// terminal) or bytes that are not UTF-8; both are shown escaped.
pub fn shown(path: &Path) -> String {
    let mut out = String::new();
    for chunk in path.as_os_str().as_encoded_bytes().utf8_chunks() {
        for c in chunk.valid().chars() {
            // Tab and line feed too (a name is one line), and the bidi
            // overrides human output escapes everywhere else.
            if c.is_control() || kojo_lang::inert::is_hostile(c) {
                out.extend(c.escape_default());
            } else {
                out.push(c);
            }
        }
        for byte in chunk.invalid() {
            out.push_str(&format!("\\x{byte:02x}"));
        }
    }
    out
}

impl ProjectSource for DiskSource {
    fn manifest(&self) -> Result<Option<RawFile>, Diagnostic> {
        if matches!(std::fs::metadata(&self.root), Err(e) if e.kind() == std::io::ErrorKind::NotFound) {
            let name = shown(&self.root);
            return Err(Diagnostic::at_path(Code::ManifestNotFound, &name, format!("`{name}` does not exist"))
                .with_help("give the directory of a kojo project (the one with its kojo.kdl), or start one there with `kojo init PATH`"));
        }
        let path = self.root.join(MANIFEST);
        match std::fs::metadata(&path) {
            Ok(_) => self.read(&path, Path::new(MANIFEST)).map(Some),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(err) => Err(io_error(&path, &err)),
        }
    }

    fn sources(&self) -> (Vec<RawFile>, Vec<Diagnostic>) {
        let (paths, mut errors) = super::walk::kojo_files(&self.root);
        let mut files = Vec::new();
        for path in paths {
            let relative = path.strip_prefix(&self.root).unwrap_or(&path);
            match self.read(&path, relative) {
                Ok(file) => files.push(file),
                Err(diagnostic) => errors.push(diagnostic),
            }
        }
        (files, errors)
    }

    fn root_display(&self) -> String {
        self.root.to_string_lossy().into_owned()
    }

    fn profiles(&self) -> (Vec<RawFile>, Vec<Diagnostic>) {
        self.files_in(PROFILES_DIR, "toml")
    }

    fn templates(&self) -> (Vec<RawFile>, Vec<Diagnostic>) {
        self.files_in(TEMPLATES_DIR, "tera")
    }

    fn evidence_file(&self, path: &str) -> EvidenceFile {
        // Resolve links, then compare with the resolved root: a link inside
        // the project may point anywhere, and a pull request may add one.
        let Ok(root) = self.root.canonicalize() else { return EvidenceFile::Missing };
        let full = self.root.join(path);
        match full.canonicalize() {
            Ok(target) if !target.starts_with(&root) => {
                EvidenceFile::LeavesProject { target: target.to_string_lossy().into_owned() }
            }
            Ok(target) => match std::fs::metadata(&target) {
                Ok(meta) if meta.is_file() => EvidenceFile::File,
                Ok(_) => EvidenceFile::NotAFile,
                Err(_) => EvidenceFile::Missing,
            },
            Err(_) => EvidenceFile::Missing,
        }
    }

    fn history(&self, paths: &[String], as_of: crate::types::Date) -> Versioning {
        // A link inside the project is dated by the document it points to:
        // committing a new link proves no review of an old document.
        let root = self.root.canonicalize().ok();
        let resolved: Vec<String> = paths
            .iter()
            .map(|path| {
                let target = root.as_ref().and_then(|root| {
                    let real = self.root.join(path).canonicalize().ok()?;
                    let inside = real.strip_prefix(root).ok()?;
                    let parts: Vec<String> =
                        inside.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
                    Some(parts.join("/"))
                });
                target.unwrap_or_else(|| path.clone())
            })
            .collect();
        super::history::of_paths(&self.root, &resolved, as_of)
    }
}

impl DiskSource {
    /// The `*.ext` files directly in the project's `dir`, sorted; none if
    /// the directory does not exist.
    fn files_in(&self, dir: &str, ext: &str) -> (Vec<RawFile>, Vec<Diagnostic>) {
        let dir = self.root.join(dir);
        // The directory itself may be a link: listed only where it leads
        // inside the project, so no name from outside is ever shown (the
        // link rule of docs/cli.md, "Untrusted input").
        if std::fs::symlink_metadata(&dir).is_ok_and(|m| m.file_type().is_symlink()) {
            let inside = match (dir.canonicalize(), self.root.canonicalize()) {
                (Ok(real), Ok(root)) => real.starts_with(root),
                _ => false,
            };
            // Passed over like any link out that is not a source.
            if !inside {
                return (Vec::new(), Vec::new());
            }
        }
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return (Vec::new(), Vec::new()),
            Err(err) => return (Vec::new(), vec![io_error(&dir, &err)]),
        };
        // Bounded like the walk: a directory of millions of names is not listed whole.
        let mut paths: Vec<PathBuf> = entries
            .take(super::walk::MAX_ENTRIES)
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == ext))
            .collect();
        paths.sort();
        let mut files = Vec::new();
        let mut errors = Vec::new();
        for path in paths {
            let relative = path.strip_prefix(&self.root).unwrap_or(&path).to_path_buf();
            match self.read(&path, &relative) {
                // Sources are measured by the parser; these are not parsed
                // by it, so their size is checked here.
                Ok(file) if file.bytes.len() > kojo_lang::parser::MAX_FILE_BYTES => {
                    let limit = kojo_lang::parser::MAX_FILE_BYTES / (1024 * 1024);
                    let message =
                        format!("`{}` is larger than {limit} MiB, the most kojo reads from one file", file.name);
                    errors.push(
                        Diagnostic::at_path(Code::FileTooLarge, &file.name, message)
                            .with_help("a profile or template is a few pages: remove what does not belong in it"),
                    );
                }
                Ok(file) => files.push(file),
                Err(diagnostic) => errors.push(diagnostic),
            }
        }
        (files, errors)
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_fifo_is_opened_without_blocking_and_refused() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("x.kojo");
        assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
        // As if it became a FIFO after the type check: no writer, so a
        // blocking open would never return.
        let err = open_regular(&fifo, true).unwrap_err();
        assert!(err.to_string().contains("not a regular file"), "{err}");
        std::fs::write(dir.path().join("a.kojo"), "x").unwrap();
        assert!(open_regular(&dir.path().join("a.kojo"), true).is_ok());
        std::os::unix::fs::symlink("a.kojo", dir.path().join("link.kojo")).unwrap();
        assert!(open_regular(&dir.path().join("link.kojo"), false).is_err(), "no link when told so");
    }
}
