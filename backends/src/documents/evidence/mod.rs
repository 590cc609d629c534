//! The checklist evidence document (Appendix E): every item with its level
//! and what supports it, as Markdown, HTML, JSON or OSCAL assessment results.
//!
//! The assessment itself is the compiler's ([`kojo_compiler::evidence`]);
//! this module words it in the chosen language ([`view`]) and renders it.

mod json;
mod oscal;
mod view;

use kojo_compiler::evidence::Assessment;
use kojo_compiler::model::Model;
use kojo_stdlib::{Catalogue, Profile};

pub use view::{CategoryView, EvidenceView, ItemView, LevelView};

use super::render::{render as render_template, RenderError};
use super::text::Words;
use super::{Format, Lang, ProjectTemplate};

/// What the evidence document is made from.
pub struct Request<'a> {
    pub model: &'a Model,
    pub catalogue: &'a Catalogue,
    pub profile: &'a Profile,
    pub assessment: &'a Assessment,
    pub lang: Lang,
    pub format: Format,
    pub templates: &'a [ProjectTemplate],
}

/// The checklist in the request's language, as the templates see it (the
/// posture report shows it too).
pub fn view(request: &Request<'_>, words: &Words<'_>) -> Result<EvidenceView, RenderError> {
    view::build(request, words).map_err(|e| RenderError::Internal(e.to_string()))
}

/// The document's text.
pub fn render(request: &Request<'_>) -> Result<String, RenderError> {
    let words = Words::new(request.lang, request.catalogue, request.profile)
        .map_err(|e| RenderError::Internal(e.to_string()))?;
    let view = view(request, &words)?;
    match request.format {
        Format::Markdown => render_template("evidence.md", Format::Markdown, &view, words.messages, request.templates),
        Format::Html => render_template("evidence.html", Format::Html, &view, words.messages, request.templates),
        Format::Json => Ok(json::render(request, &view)),
        Format::Oscal => Ok(oscal::render(request, &view)),
    }
}
