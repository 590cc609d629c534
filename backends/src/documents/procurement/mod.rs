//! The procurement specification (Appendix F style): what an integrator or
//! vendor must deliver into the plant, for one asset, every asset going
//! into a zone, or a purchase, in Japanese or English, Markdown or HTML.
//!
//! kojo's template is its own (the guideline's Appendix F is known here only
//! by its title): the sections of `stdlib/data/procurement.toml`, the device
//! and network tier tables cell by cell (`tier-tables.toml`), the lifecycle
//! clauses, every requirement with its factory and site acceptance checks,
//! the supply-chain and program questions the vendor must answer. Every
//! requirement cites its source and says why it applies to these items.

mod items;
mod requirements;
pub mod target;
mod view;
mod wording;

use kojo_compiler::manifest::Manifest;
use kojo_compiler::model::Model;
use kojo_compiler::tiers::ZoneTier;
use kojo_compiler::types::Date;
use kojo_compiler::waivers::Applied;
use kojo_stdlib::{Catalogue, Profile};

pub use target::{resolve, Target, TargetError};
pub use view::ProcurementView;

use super::render::{render as render_template, RenderError};
use super::text::Words;
use super::{Format, Lang, ProjectTemplate};

/// What a specification is made from.
pub struct Request<'a> {
    pub model: &'a Model,
    pub catalogue: &'a Catalogue,
    pub profile: &'a Profile,
    pub tiers: &'a [ZoneTier],
    /// The findings as `kojo check` applied the waivers: deviations come from them.
    pub findings: &'a Applied,
    pub manifest: &'a Manifest,
    pub target: Target,
    /// The date the specification is issued on.
    pub date: Date,
    pub lang: Lang,
    pub format: Format,
    pub templates: &'a [ProjectTemplate],
    /// The buyer's own copy: each requirement also says what the model
    /// shows of it today (which items have it in force). A copy for
    /// suppliers leaves that out.
    pub internal: bool,
}

/// The specification's view in the request's language, for tests and tools.
pub fn view(request: &Request<'_>) -> Result<ProcurementView, RenderError> {
    let words = Words::new(request.lang, request.catalogue, request.profile)
        .map_err(|e| RenderError::Internal(e.to_string()))?;
    view_in(request, &words)
}

fn view_in(request: &Request<'_>, words: &Words<'_>) -> Result<ProcurementView, RenderError> {
    let items: Vec<items::Item<'_>> = request
        .target
        .assets(request.model)
        .into_iter()
        .filter_map(|id| request.model.asset(id))
        .map(|asset| items::Item::new(request.model, request.catalogue, request.tiers, asset))
        .collect();
    view::build(request, words, &items).map_err(|e| RenderError::Internal(e.to_string()))
}

/// The specification's text.
pub fn render(request: &Request<'_>) -> Result<String, RenderError> {
    let words = Words::new(request.lang, request.catalogue, request.profile)
        .map_err(|e| RenderError::Internal(e.to_string()))?;
    let view = view_in(request, &words)?;
    let messages = words.messages;
    match request.format {
        Format::Html => render_template("procurement.html", Format::Html, &view, messages, request.templates),
        _ => render_template("procurement.md", Format::Markdown, &view, messages, request.templates),
    }
}
