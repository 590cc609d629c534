//! `kojo graph [PATH]`: the zone diagram, as SVG (laid out in-process),
//! Graphviz DOT or Mermaid, on standard output.

use std::path::PathBuf;

use clap::ValueEnum;
use kojo_backends::documents::graph::{self, Assets, Format, Request};
use kojo_backends::documents::render::RenderError;

use crate::cli::DocLang;
use crate::exit::Exit;

use super::documents;

#[derive(Debug, clap::Args)]
pub struct GraphArgs {
    /// The project directory (default: the nearest directory upwards with a kojo.kdl).
    pub path: Option<PathBuf>,
    /// The diagram's format: SVG (self-contained), Graphviz DOT or Mermaid.
    #[arg(long, value_enum, default_value_t = GraphFormat::Svg)]
    pub format: GraphFormat,
    /// The labels' language (default: the manifest's `language`, else English).
    #[arg(long, value_enum)]
    pub lang: Option<DocLang>,
    /// Assets in their zones: every one by name (`list`), counts per kind with conduits between the same zones
    /// merged (`count`), or `list` up to 200 assets and `count` above (`auto`).
    #[arg(long, value_enum, default_value_t = GraphAssets::Auto)]
    pub assets: GraphAssets,
    /// The diagram's date, YYYY-MM-DD (default: today, UTC): waivers in force on it are marked.
    #[arg(long, value_name = "DATE")]
    pub now: Option<String>,
}

/// The formats of the zone diagram.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    Svg,
    Dot,
    Mermaid,
}

/// How assets are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphAssets {
    Auto,
    List,
    Count,
}

pub fn run(args: &GraphArgs) -> Exit {
    let (date, loaded) = match documents::dated(args.path.as_deref(), args.now.as_deref()) {
        Ok(opened) => opened,
        Err(exit) => return exit,
    };
    let checked = &loaded.checked;
    let (Some(model), Some(catalogue), Some(profile)) = (&checked.model, &checked.catalogue, &checked.profile) else {
        return Exit::Compile;
    };
    let request = Request {
        model,
        catalogue,
        profile,
        tiers: &checked.tiers,
        date,
        lang: documents::lang(args.lang, checked),
        assets: match args.assets {
            GraphAssets::Auto => Assets::Auto,
            GraphAssets::List => Assets::List,
            GraphAssets::Count => Assets::Count,
        },
    };
    let format = match args.format {
        GraphFormat::Svg => Format::Svg,
        GraphFormat::Dot => Format::Dot,
        GraphFormat::Mermaid => Format::Mermaid,
    };
    let view = match graph::view(&request) {
        Ok(view) => view,
        Err(error) => return documents::render_failed(&RenderError::Internal(error.to_string())),
    };
    let text = match format {
        Format::Svg => graph::svg(&view),
        Format::Dot => graph::dot(&view),
        Format::Mermaid => graph::mermaid(&view),
    };
    if format == Format::Mermaid && !graph::mermaid_renders(&view, &text) {
        errln!("{}", mermaid_warning(&view, &text, args.assets));
    }
    documents::print(&text)
}

/// Why GitHub and GitLab will not draw the flowchart, limit by limit, and
/// what to do: merging arrows helps only where assets are listed.
fn mermaid_warning(view: &graph::View, text: &str, assets: GraphAssets) -> String {
    let mut past = Vec::new();
    if view.edges.len() > graph::MERMAID_MAX_EDGES {
        past.push(format!("{} arrows (Mermaid draws up to {})", view.edges.len(), graph::MERMAID_MAX_EDGES));
    }
    if text.len() > graph::MERMAID_MAX_TEXT {
        past.push(format!("{} characters (Mermaid reads up to {})", text.len(), graph::MERMAID_MAX_TEXT));
    }
    let help = match assets {
        GraphAssets::List => "--assets count merges arrows between the same zones; for a plant this size, --format svg or dot draws everything",
        GraphAssets::Auto | GraphAssets::Count => "for a plant this size, use --format svg or dot",
    };
    format!(
        "warning: GitHub and GitLab will show an error instead of this flowchart: it has {}\n  help: {help}",
        past.join(" and ")
    )
}
