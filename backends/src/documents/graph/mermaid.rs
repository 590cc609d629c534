//! The diagram as a Mermaid flowchart (GitHub and GitLab render it in
//! Markdown): one `subgraph` per zone in row order, its assets as nodes,
//! conduits as arrows between subgraphs (`==>` one-way). Mermaid lays the
//! chart out itself, from the arrows: the rows are not kept, and each
//! subgraph's title says the zone's tier and trust but not its level. IDs are generated;
//! every label is quoted with Mermaid's entity codes for the characters
//! that could end it or start markup. No `click`, links or `%%{init}`.

use std::fmt::Write;

use super::escape::mermaid as esc;
use super::view::View;

/// Mermaid's own limits (its defaults `maxEdges` and `maxTextSize`, which a
/// diagram cannot raise for itself: GitHub and GitLab render with them).
/// A flowchart past either is refused with "Maximum text size in diagram
/// exceeded" or "Edge limit exceeded".
pub const MAX_EDGES: usize = 500;
pub const MAX_TEXT: usize = 50_000;

/// Whether GitHub or GitLab would render `text`, the Mermaid of `view`.
pub fn renders(view: &View, text: &str) -> bool {
    view.edges.len() <= MAX_EDGES && text.len() <= MAX_TEXT
}

/// Fill, border and dash of a zone, by class.
fn style(class: &str) -> &'static str {
    match class {
        "high" => "fill:#fbe0de,stroke:#a93226",
        "medium" => "fill:#fcefd4,stroke:#a0620b",
        "minimum" => "fill:#e2f1df,stroke:#2e7d32",
        _ => "fill:#efefef,stroke:#666666,stroke-dasharray:6 4",
    }
}

/// Lines of a label, each escaped, joined with Mermaid's line break.
fn lines<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    parts.into_iter().map(esc).collect::<Vec<_>>().join("<br/>")
}

pub(super) fn render(view: &View) -> String {
    let mut out = String::with_capacity(1024 + view.zones.len() * 300 + view.edges.len() * 200);
    out.push_str("flowchart TB\n");
    for row in &view.rows {
        for &z in &row.zones {
            let Some(zone) = view.zones.get(z) else { continue };
            // One line: Mermaid draws a subgraph's later title lines over its nodes.
            let mut title = format!("{} · {}", zone.heading, zone.caption);
            if let Some(waived) = &zone.waived_text {
                title = format!("{title} · {waived}");
            }
            let label = esc(&title);
            let _ = writeln!(out, "  subgraph {}[\"{label}\"]", zone.key);
            out.push_str("    direction TB\n");
            for item in &zone.items {
                let _ = writeln!(out, "    {}[\"{}\"]", item.key, esc(&item.text));
            }
            out.push_str("  end\n");
        }
    }
    for edge in &view.edges {
        let (Some(from), Some(to)) = (view.zones.get(edge.from), view.zones.get(edge.to)) else { continue };
        let arrow = if edge.one_way { "==>" } else { "-->" };
        let label = lines(edge.lines.iter().map(String::as_str));
        let _ = writeln!(out, "  {} {arrow}|\"{label}\"| {}", from.key, to.key);
    }
    for zone in &view.zones {
        let _ = writeln!(out, "  style {} {}", zone.key, style(&zone.class));
    }
    out
}
