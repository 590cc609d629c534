//! The zone diagram (`kojo graph`): the plant's zones as boxes coloured by
//! the tier in force, in Purdue-style rows (outside the plant at the top,
//! then the enterprise down to the process: [`kojo_compiler::levels`]),
//! their assets inside them, and conduits as arrows labelled with their
//! services, enforcing device, direction, time window and waivers.
//!
//! It owns the diagram's [`View`] (every word in one language, from the
//! catalogues' labels and the `graph.` messages) and its three renderings:
//! SVG laid out here ([`layout`], no external program), Graphviz DOT and
//! Mermaid. It does not decide levels (the compiler does), and it does not
//! check anything: findings other than waivers are not drawn. The posture
//! report embeds [`svg`] of the same view.
//!
//! Names and titles from the model are escaped for each format, and the
//! DOT and Mermaid outputs use generated IDs only, so a name can neither
//! break the syntax nor inject markup.

mod dot;
mod escape;
pub mod layout;
mod mermaid;
mod svg;
mod view;

use kojo_compiler::model::Model;
use kojo_compiler::tiers::ZoneTier;
use kojo_compiler::types::Date;
use kojo_stdlib::{Catalogue, Profile};

pub use mermaid::{MAX_EDGES as MERMAID_MAX_EDGES, MAX_TEXT as MERMAID_MAX_TEXT};
pub(crate) use view::row_key;
pub use view::{Edge, Item, LegendEntry, Row, View, ZoneBox};

use super::text::{Words, WordsError};
use super::Lang;

/// Above this many assets, `--assets auto` shows counts per zone and kind
/// rather than every asset: a few hundred lines of boxes still read as a
/// diagram, thousands do not.
pub const LIST_LIMIT: usize = 200;

/// How assets appear inside their zones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Assets {
    /// A list up to [`LIST_LIMIT`] assets, counts above.
    #[default]
    Auto,
    /// Every asset by name.
    List,
    /// How many of each kind; conduits between the same two zones in the
    /// same direction merge into one arrow.
    Count,
}

/// The diagram's formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Svg,
    Dot,
    Mermaid,
}

/// What a diagram is drawn from.
pub struct Request<'a> {
    pub model: &'a Model,
    pub catalogue: &'a Catalogue,
    pub profile: &'a Profile,
    pub tiers: &'a [ZoneTier],
    /// Waivers in force on this date are marked; it is printed as the date
    /// of the diagram.
    pub date: Date,
    pub lang: Lang,
    pub assets: Assets,
}

/// The diagram's view in the request's language.
pub fn view(request: &Request<'_>) -> Result<View, WordsError> {
    let words = Words::new(request.lang, request.catalogue, request.profile)?;
    view::build(request, &words)
}

/// The diagram as a standalone SVG document: no script, no fetched font or
/// image; its CSS is inside.
pub fn svg(view: &View) -> String {
    svg::render(view, &layout::layout(view))
}

/// The diagram's `<svg>` element without the XML declaration, to embed
/// in an HTML page (the posture report).
pub fn svg_element(view: &View) -> String {
    svg::element(view, &layout::layout(view))
}

/// The diagram as a Graphviz `digraph`, a cluster per zone.
pub fn dot(view: &View) -> String {
    dot::render(view)
}

/// The diagram as a Mermaid `flowchart`, a subgraph per zone.
pub fn mermaid(view: &View) -> String {
    mermaid::render(view)
}

/// Whether the Mermaid `text` of `view` is within Mermaid's default
/// limits (500 arrows, 50,000 characters), past which GitHub and GitLab
/// show an error instead of the diagram.
pub fn mermaid_renders(view: &View, text: &str) -> bool {
    mermaid::renders(view, text)
}

/// The diagram in `format`.
pub fn render(request: &Request<'_>, format: Format) -> Result<String, WordsError> {
    let view = view(request)?;
    Ok(match format {
        Format::Svg => svg(&view),
        Format::Dot => dot(&view),
        Format::Mermaid => mermaid(&view),
    })
}
