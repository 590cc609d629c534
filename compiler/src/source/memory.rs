//! A project held in memory: for tests, benchmarks and generated plants.

use kojo_lang::Diagnostic;

use super::{EvidenceFile, ProjectSource, RawFile, MANIFEST};

/// A project held in memory.
#[derive(Debug, Clone, Default)]
pub struct MemorySource {
    pub root: String,
    pub manifest: Option<String>,
    /// `(name, text)`, in any order; served sorted by name.
    pub files: Vec<(String, Vec<u8>)>,
    /// The project's own profiles, `(name, text)`, e.g. `("profiles/acme.toml", …)`.
    pub profiles: Vec<(String, String)>,
    /// The project's own templates, `(name, text)`, e.g. `("templates/procurement.md.tera", …)`.
    pub templates: Vec<(String, String)>,
    /// Files that exist besides the sources (evidence), as paths from the
    /// root; `None`: the project cannot tell, and evidence is not checked.
    pub documents: Option<Vec<String>>,
}

impl MemorySource {
    /// A project with a minimal manifest naming it `project`.
    pub fn new(project: &str) -> Self {
        MemorySource {
            root: project.to_string(),
            manifest: Some(format!("project \"{project}\"\n")),
            files: Vec::new(),
            profiles: Vec::new(),
            templates: Vec::new(),
            documents: None,
        }
    }

    pub fn with_file(mut self, name: &str, text: impl Into<Vec<u8>>) -> Self {
        self.files.push((name.to_string(), text.into()));
        self
    }

    /// Declares which other files exist (evidence), so that evidence paths
    /// are checked: every path not listed is missing.
    pub fn with_documents<S: AsRef<str>>(mut self, paths: &[S]) -> Self {
        self.documents = Some(paths.iter().map(|p| p.as_ref().to_string()).collect());
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
        (sorted(&self.profiles), Vec::new())
    }

    fn templates(&self) -> (Vec<RawFile>, Vec<Diagnostic>) {
        (sorted(&self.templates), Vec::new())
    }

    fn evidence_file(&self, path: &str) -> EvidenceFile {
        match &self.documents {
            None => EvidenceFile::Unchecked,
            Some(documents) if documents.iter().any(|d| d == path) => EvidenceFile::File,
            Some(_) => EvidenceFile::Missing,
        }
    }
}

fn sorted(files: &[(String, String)]) -> Vec<RawFile> {
    let mut files: Vec<RawFile> = files
        .iter()
        .map(|(name, text)| RawFile { name: name.clone(), bytes: text.clone().into_bytes(), path: None })
        .collect();
    files.sort_by(|a, b| a.name.cmp(&b.name));
    files
}
