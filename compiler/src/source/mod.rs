//! Where a project's files come from. The compiler reads through the
//! [`ProjectSource`] trait so the same pipeline can read the working tree
//! ([`DiskSource`]), memory ([`MemorySource`]) or a git revision
//! ([`GitSource`]) without knowing which.
//!
//! Besides the sources, a project source answers the questions that need
//! the file system or version control: whether an attestation's evidence
//! file exists inside the project, and when it last changed in git
//! ([`history`]), which is what proves a review.

mod disk;
pub mod git;
pub mod history;
mod memory;
mod overlay;
mod walk;

use std::path::PathBuf;

use kojo_lang::Diagnostic;

pub use disk::{open_regular, shown, DiskSource};
pub use git::{GitSource, RevisionError};
pub use history::{Change, Versioning};
pub use memory::MemorySource;
pub use overlay::OverlaySource;

/// The manifest's file name.
pub const MANIFEST: &str = "kojo.kdl";

/// Where a project keeps its own profiles.
pub const PROFILES_DIR: &str = "profiles";

/// Where a project keeps its own document templates.
pub const TEMPLATES_DIR: &str = "templates";

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
    /// The project's own document templates: `templates/*.tera` under the
    /// root, sorted; each overrides the built-in template of its name.
    fn templates(&self) -> (Vec<RawFile>, Vec<Diagnostic>) {
        (Vec::new(), Vec::new())
    }
    /// What is at `path`, a normalised relative path inside the project
    /// (no `..`, no leading `/`): an attestation's evidence. The file is
    /// never read.
    fn evidence_file(&self, _path: &str) -> EvidenceFile {
        EvidenceFile::Unchecked
    }
    /// When each of `paths` (as for [`evidence_file`](Self::evidence_file))
    /// last changed in the version control the project lives in, counting
    /// only commits made on or before `as_of` (an assessment dated in the
    /// past reads the history up to that date).
    fn history(&self, _paths: &[String], _as_of: crate::types::Date) -> Versioning {
        Versioning::NotVersioned
    }
}

/// What an evidence path leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EvidenceFile {
    /// A regular file inside the project.
    File,
    /// Nothing (or a link to nothing).
    Missing,
    /// A directory, a pipe, a device: not a document.
    NotAFile,
    /// A link on the way leads out of the project, to `target`.
    LeavesProject { target: String },
    /// This source cannot tell (an in-memory project without documents).
    Unchecked,
}
