//! Documents people sign: the procurement specification (Appendix F),
//! the checklist evidence (Appendix E) and the asset ledger (checklist 2-6,
//! as CSV, JSON or a CycloneDX SBOM, written without templates).
//!
//! Each document is built in two steps: a view of the model in the chosen
//! language (plain data, serialisable, every word from the catalogues or the
//! message files of `kojo-stdlib`), then that view rendered with a tera
//! template (Markdown or HTML) or written as JSON (or OSCAL). Templates are
//! built in (`kojo-stdlib/templates`); a project overrides one with a file
//! of the same name in its `templates/` directory. Values from the model
//! are escaped for the format everywhere, so a name in a pull request can
//! neither break a table nor inject markup.

pub mod evidence;
pub mod graph;
pub mod ledger;
pub mod procurement;
pub mod render;
pub mod report;
pub mod text;

/// The language a document is written in.
pub use kojo_stdlib::Lang;

/// The formats a document is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Html,
    Json,
    /// OSCAL assessment results (checklist evidence only).
    Oscal,
}

impl Format {
    /// The template extension, for Markdown and HTML.
    pub fn template_suffix(self) -> Option<&'static str> {
        match self {
            Format::Markdown => Some("md"),
            Format::Html => Some("html"),
            Format::Json | Format::Oscal => None,
        }
    }
}

/// A project's own template, by name (`procurement.md`), with the file it came from.
#[derive(Debug, Clone)]
pub struct ProjectTemplate {
    pub name: String,
    pub file: String,
    pub text: String,
}
