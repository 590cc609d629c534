//! Where a project's files come from. The compiler reads through the
//! [`ProjectSource`] trait so the same pipeline can read the working tree
//! (here) or a git revision (later) without knowing which.

use std::io::Read;
use std::path::{Path, PathBuf};

use kojo_lang::{Code, Diagnostic};

/// The manifest's file name.
pub const MANIFEST: &str = "kojo.kdl";

/// A file read from a project: its display name and raw bytes.
#[derive(Debug, Clone)]
pub struct RawFile {
    pub name: String,
    pub bytes: Vec<u8>,
    /// Where it lives on disk, for tools that write back (`kojo fmt`);
    /// `name` is only for showing.
    pub path: Option<PathBuf>,
}

pub trait ProjectSource {
    /// The manifest, or `None` if the project has none.
    fn manifest(&self) -> Result<Option<RawFile>, Diagnostic>;
    /// Every `.kojo` file, sorted by path, and a diagnostic for each entry
    /// that could not be read.
    fn sources(&self) -> (Vec<RawFile>, Vec<Diagnostic>);
    /// How the project root is shown to users.
    fn root_display(&self) -> String;
    /// The project's own profiles: `profiles/*.toml` under the root, sorted.
    fn profiles(&self) -> (Vec<RawFile>, Vec<Diagnostic>) {
        (Vec::new(), Vec::new())
    }
}

/// Where a project keeps its own profiles.
pub const PROFILES_DIR: &str = "profiles";

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
        start.ancestors().find(|dir| dir.join(MANIFEST).is_file()).map(Path::to_path_buf)
    }

    fn display(&self, relative: &Path) -> String {
        let joined = if self.root == Path::new(".") { relative.to_path_buf() } else { self.root.join(relative) };
        joined.to_string_lossy().replace('\\', "/")
    }

    fn read(&self, path: &Path, relative: &Path) -> Result<RawFile, Diagnostic> {
        let name = self.display(relative);
        let mut bytes = Vec::new();
        std::fs::File::open(path)
            .and_then(|f| f.take(READ_LIMIT).read_to_end(&mut bytes))
            .map_err(|err| io_error(path, &err))?;
        Ok(RawFile { name, bytes, path: Some(path.to_path_buf()) })
    }
}

fn io_error(path: &Path, err: &dyn std::fmt::Display) -> Diagnostic {
    Diagnostic::at_path(Code::Io, path, format!("cannot read `{}`: {err}", path.display()))
        .with_help("check that the path exists, is readable, and is not a link that loops")
}

/// Entries never read as sources: hidden files and directories (`.git`, an
/// editor's `.#plant.kojo` lock link), build output, and nested projects
/// (a directory with its own kojo.kdl is a project of its own).
fn skipped(entry: &walkdir::DirEntry) -> bool {
    let name = entry.file_name().to_string_lossy();
    if name.starts_with('.') {
        return true;
    }
    entry.file_type().is_dir() && (name == "target" || name == "node_modules" || entry.path().join(MANIFEST).exists())
}

impl ProjectSource for DiskSource {
    fn manifest(&self) -> Result<Option<RawFile>, Diagnostic> {
        let path = self.root.join(MANIFEST);
        match std::fs::metadata(&path) {
            Ok(_) => self.read(&path, Path::new(MANIFEST)).map(Some),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(err) => Err(io_error(&path, &err)),
        }
    }

    fn sources(&self) -> (Vec<RawFile>, Vec<Diagnostic>) {
        let mut files = Vec::new();
        let mut errors = Vec::new();
        let walker = walkdir::WalkDir::new(&self.root)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !skipped(e));
        for entry in walker {
            let entry = match entry {
                Ok(entry) => entry,
                Err(err) => {
                    let path = err.path().unwrap_or(&self.root).to_path_buf();
                    errors.push(io_error(&path, &err));
                    continue;
                }
            };
            let path = entry.path();
            if path.extension().is_none_or(|ext| ext != "kojo") {
                continue;
            }
            let relative = path.strip_prefix(&self.root).unwrap_or(path);
            if entry.file_type().is_dir() {
                errors.push(io_error(path, &"it is a directory, not a file"));
                continue;
            }
            match self.read(path, relative) {
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
        let dir = self.root.join(PROFILES_DIR);
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return (Vec::new(), Vec::new()),
            Err(err) => return (Vec::new(), vec![io_error(&dir, &err)]),
        };
        let mut paths: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|ext| ext == "toml"))
            .collect();
        paths.sort();
        let mut files = Vec::new();
        let mut errors = Vec::new();
        for path in paths {
            let relative = path.strip_prefix(&self.root).unwrap_or(&path).to_path_buf();
            match self.read(&path, &relative) {
                Ok(file) => files.push(file),
                Err(diagnostic) => errors.push(diagnostic),
            }
        }
        (files, errors)
    }
}

/// A project held in memory: for tests, benchmarks and generated plants.
#[derive(Debug, Clone, Default)]
pub struct MemorySource {
    pub root: String,
    pub manifest: Option<String>,
    /// `(name, text)`, in any order; served sorted by name.
    pub files: Vec<(String, Vec<u8>)>,
    /// The project's own profiles, `(name, text)`, e.g. `("profiles/acme.toml", …)`.
    pub profiles: Vec<(String, String)>,
}

impl MemorySource {
    /// A project with a minimal manifest naming it `project`.
    pub fn new(project: &str) -> Self {
        MemorySource {
            root: project.to_string(),
            manifest: Some(format!("project \"{project}\"\n")),
            files: Vec::new(),
            profiles: Vec::new(),
        }
    }

    pub fn with_file(mut self, name: &str, text: impl Into<Vec<u8>>) -> Self {
        self.files.push((name.to_string(), text.into()));
        self
    }
}

impl ProjectSource for MemorySource {
    fn manifest(&self) -> Result<Option<RawFile>, Diagnostic> {
        Ok(self.manifest.as_ref().map(|m| RawFile {
            name: MANIFEST.to_string(),
            bytes: m.clone().into_bytes(),
            path: None,
        }))
    }

    fn sources(&self) -> (Vec<RawFile>, Vec<Diagnostic>) {
        let mut files: Vec<RawFile> = self
            .files
            .iter()
            .map(|(name, bytes)| RawFile { name: name.clone(), bytes: bytes.clone(), path: None })
            .collect();
        files.sort_by(|a, b| a.name.cmp(&b.name));
        (files, Vec::new())
    }

    fn root_display(&self) -> String {
        self.root.clone()
    }

    fn profiles(&self) -> (Vec<RawFile>, Vec<Diagnostic>) {
        let mut files: Vec<RawFile> = self
            .profiles
            .iter()
            .map(|(name, text)| RawFile { name: name.clone(), bytes: text.clone().into_bytes(), path: None })
            .collect();
        files.sort_by(|a, b| a.name.cmp(&b.name));
        (files, Vec::new())
    }
}
