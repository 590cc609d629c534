//! The working tree as an editor sees it: the files on disk, with the
//! buffers the editor has open (saved or not) in place of what is on disk.
//! `kojo lsp` checks through it on every change, so a diagnostic is about
//! the text the user is looking at.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use kojo_lang::Diagnostic;

use super::{DiskSource, EvidenceFile, ProjectSource, RawFile, Versioning, MANIFEST};

/// [`DiskSource`] with open buffers overlaid, by absolute path.
#[derive(Debug, Clone)]
pub struct OverlaySource {
    disk: DiskSource,
    root: PathBuf,
    buffers: BTreeMap<PathBuf, String>,
}

impl OverlaySource {
    /// The project at `root` (an absolute path) with `buffers` (absolute
    /// paths to texts) in place of the files on disk. A buffer outside the
    /// root, or not a `.kojo` file or the manifest, is not part of the
    /// project and is ignored.
    pub fn new(root: impl Into<PathBuf>, buffers: BTreeMap<PathBuf, String>) -> Self {
        let root = root.into();
        OverlaySource { disk: DiskSource::new(&root), root, buffers }
    }

    /// The buffer's path relative to the root, if it is inside it (no `..`).
    fn relative<'p>(&self, path: &'p Path) -> Option<&'p Path> {
        let relative = path.strip_prefix(&self.root).ok()?;
        relative.components().all(|c| matches!(c, Component::Normal(_))).then_some(relative)
    }

    fn raw(&self, path: &Path, text: &str) -> Option<RawFile> {
        let relative = self.relative(path)?;
        Some(RawFile {
            name: self.disk.name_of(relative),
            bytes: text.as_bytes().to_vec(),
            path: Some(path.to_path_buf()),
        })
    }
}

impl ProjectSource for OverlaySource {
    fn manifest(&self) -> Result<Option<RawFile>, Diagnostic> {
        match self.buffers.get(&self.root.join(MANIFEST)) {
            Some(text) => Ok(self.raw(&self.root.join(MANIFEST), text)),
            None => self.disk.manifest(),
        }
    }

    fn sources(&self) -> (Vec<RawFile>, Vec<Diagnostic>) {
        let (mut files, mut errors) = self.disk.sources();
        let mut open: BTreeMap<&Path, &String> = self
            .buffers
            .iter()
            .filter(|(path, _)| path.extension().is_some_and(|e| e == "kojo"))
            .map(|(path, text)| (path.as_path(), text))
            .collect();
        for file in &mut files {
            if let Some(text) = file.path.as_deref().and_then(|p| open.remove(p)) {
                file.bytes = text.as_bytes().to_vec();
            }
        }
        // A file whose buffer is open but which could not be read from disk
        // (not saved yet, or unreadable) is read from the buffer, where the
        // walk would read it: not one in `target/`, a hidden directory, a
        // nested project or a submodule.
        let added: Vec<RawFile> = open
            .into_iter()
            .filter(|(path, _)| self.relative(path).is_some_and(|r| super::walk::would_read(&self.root, r)))
            .filter_map(|(path, text)| self.raw(path, text))
            .collect();
        let names: std::collections::BTreeSet<String> = added.iter().map(|f| f.name.clone()).collect();
        errors.retain(|d| d.path_display().is_none_or(|p| !names.contains(&p)));
        files.extend(added);
        files.sort_by(|a, b| a.name.cmp(&b.name));
        (files, errors)
    }

    fn root_display(&self) -> String {
        self.disk.root_display()
    }

    fn profiles(&self) -> (Vec<RawFile>, Vec<Diagnostic>) {
        self.disk.profiles()
    }

    fn templates(&self) -> (Vec<RawFile>, Vec<Diagnostic>) {
        self.disk.templates()
    }

    fn evidence_file(&self, path: &str) -> EvidenceFile {
        self.disk.evidence_file(path)
    }

    fn history(&self, paths: &[String], as_of: crate::types::Date) -> Versioning {
        self.disk.history(paths, as_of)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_buffers_replace_and_add_files_and_nothing_outside_counts() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::write(root.join(MANIFEST), "project \"t\"\n").unwrap();
        std::fs::write(root.join("a.kojo"), "on disk").unwrap();
        let buffers = BTreeMap::from([
            (root.join("a.kojo"), "edited".to_string()),
            (root.join("new.kojo"), "unsaved".to_string()),
            (root.join("notes.txt"), "not kojo".to_string()),
            (root.join("../elsewhere.kojo"), "outside".to_string()),
            (root.join(MANIFEST), "project \"edited\"\n".to_string()),
        ]);
        let source = OverlaySource::new(&root, buffers);
        let (files, errors) = source.sources();
        assert!(errors.is_empty(), "{errors:?}");
        let texts: Vec<(String, String)> = files
            .iter()
            .map(|f| (f.name.rsplit('/').next().unwrap().to_string(), String::from_utf8(f.bytes.clone()).unwrap()))
            .collect();
        assert_eq!(texts, [("a.kojo".into(), "edited".into()), ("new.kojo".into(), "unsaved".into())]);
        let manifest = source.manifest().unwrap().unwrap();
        assert_eq!(manifest.bytes, b"project \"edited\"\n");
    }

    #[test]
    fn a_buffer_where_the_walk_does_not_read_is_not_added() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::write(root.join(MANIFEST), "project \"t\"\n").unwrap();
        std::fs::create_dir_all(root.join("nested")).unwrap();
        std::fs::write(root.join("nested").join(MANIFEST), "project \"other\"\n").unwrap();
        let buffers: BTreeMap<PathBuf, String> = ["target/x.kojo", ".hidden/x.kojo", "nested/x.kojo", "sub/ok.kojo"]
            .iter()
            .map(|p| (root.join(p), "unsaved".to_string()))
            .collect();
        let (files, _) = OverlaySource::new(&root, buffers).sources();
        let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names.len(), 1, "{names:?}");
        assert!(names[0].ends_with("sub/ok.kojo"), "{names:?}");
    }
}
