//! What the server knows of one project: the editor's open buffers over
//! the files on disk, and the last check of them. A project is the
//! directory of the nearest `kojo.kdl` upwards from a document; several can
//! be open at once.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use kojo_compiler::project::ParseCache;
use kojo_compiler::source::OverlaySource;
use kojo_compiler::types::Date;
use kojo_compiler::{Checked, Options};

pub struct World {
    pub root: PathBuf,
    /// The open documents, by absolute path.
    pub buffers: BTreeMap<PathBuf, String>,
    /// The last check; `None` until the first.
    pub checked: Option<Checked>,
    /// Whether a buffer changed since the last check.
    pub dirty: bool,
    /// Whether the last check still lacks the build's refusals, which are
    /// found once no message is waiting (building every backend in memory
    /// costs several times the check on a large plant).
    pub unbuilt: bool,
    /// The files diagnostics were last published for, so that a file
    /// whose problems are fixed is cleared.
    pub published: BTreeSet<PathBuf>,
    /// Parses of files whose bytes have not changed, reused: a keystroke
    /// re-parses one file.
    cache: ParseCache,
}

impl World {
    pub fn new(root: PathBuf) -> World {
        World {
            root,
            buffers: BTreeMap::new(),
            checked: None,
            dirty: true,
            unbuilt: false,
            published: BTreeSet::new(),
            cache: ParseCache::default(),
        }
    }

    /// Checks the project as the editor has it, as `kojo check` would but
    /// for the build's refusals ([`World::build`]).
    pub fn analyze(&mut self, today: Date) {
        let source = OverlaySource::new(&self.root, self.buffers.clone());
        let options =
            Options { backends: kojo_backends::names(), today: Some(today), parsed: Some(&self.cache), symbols: true };
        self.checked = Some(crate::commands::check::check_before_build(&source, &options));
        self.dirty = false;
        self.unbuilt = true;
    }

    /// Adds what `kojo build` would refuse to the last check.
    pub fn build(&mut self) {
        if let Some(checked) = &mut self.checked {
            crate::commands::check::refusals(checked);
        }
        self.unbuilt = false;
    }

    /// The path of a file as diagnostics name it: the root joined with the
    /// file's place in the project.
    pub fn path_of(&self, name: &str) -> PathBuf {
        let path = Path::new(name);
        if path.is_absolute() {
            path.to_path_buf()
        } else {
            self.root.join(path)
        }
    }

    /// The text of a file: its buffer, or what the last check read.
    pub fn text(&self, path: &Path) -> Option<String> {
        if let Some(text) = self.buffers.get(path) {
            return Some(text.clone());
        }
        let symbols = &self.checked.as_ref()?.symbols;
        let file = symbols.files.iter().find(|f| self.path_of(f.name()) == path)?;
        Some(file.text().to_string())
    }
}

/// The project a document belongs to: the nearest directory upwards with a
/// `kojo.kdl`; `None` outside any project.
pub fn project_of(document: &Path) -> Option<PathBuf> {
    let parent = document.parent()?;
    kojo_compiler::DiskSource::find_upwards(parent)
}
