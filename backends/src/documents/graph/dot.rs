//! The diagram as Graphviz DOT: a `digraph` with one `subgraph cluster_…`
//! per zone (its assets as nodes, an invisible anchor the conduits start
//! and end at), invisible row nodes chained top to bottom so each zone's
//! rank follows its level, and every ID generated (`z3`, `a12`), never a
//! model name.

use std::fmt::Write;

use super::escape::dot as esc;
use super::view::View;

/// Border and fill of a zone's cluster, by class.
fn colours(class: &str) -> (&'static str, &'static str, &'static str) {
    match class {
        "high" => ("#a93226", "#fbe0de", "solid"),
        "medium" => ("#a0620b", "#fcefd4", "solid"),
        "minimum" => ("#2e7d32", "#e2f1df", "solid"),
        _ => ("#666666", "#efefef", "dashed"),
    }
}

pub(super) fn render(view: &View) -> String {
    let mut out = String::with_capacity(2048 + view.zones.len() * 400 + view.edges.len() * 300);
    out.push_str("digraph plant {\n");
    let _ = writeln!(
        out,
        "  label=\"{}\\n{}\";\n  labelloc=t;\n  fontname=\"sans-serif\";",
        esc(&view.title),
        esc(&view.as_of)
    );
    out.push_str("  compound=true;\n  newrank=true;\n  rankdir=TB;\n  nodesep=0.3;\n  ranksep=0.6;\n");
    out.push_str(
        "  node [shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", fontname=\"sans-serif\", fontsize=10];\n",
    );
    out.push_str("  edge [fontname=\"sans-serif\", fontsize=9];\n");
    for (r, row) in view.rows.iter().enumerate() {
        let _ = writeln!(out, "  r{r} [shape=plaintext, style=\"\", label=\"{}\"];", esc(&row.label));
    }
    if view.rows.len() > 1 {
        let chain: Vec<String> = (0..view.rows.len()).map(|r| format!("r{r}")).collect();
        let _ = writeln!(out, "  {} [style=invis, minlen=2];", chain.join(" -> "));
    }
    for (r, row) in view.rows.iter().enumerate() {
        for &z in &row.zones {
            let Some(zone) = view.zones.get(z) else { continue };
            let (border, fill, style) = colours(&zone.class);
            let mut label = format!("{}\\n{}", esc(&zone.heading), esc(&zone.caption));
            if let Some(text) = &zone.waived_text {
                let _ = write!(label, "\\n{}", esc(text));
            }
            let _ = writeln!(out, "  subgraph cluster_{} {{", zone.key);
            let _ = writeln!(
                out,
                "    label=\"{label}\";\n    tooltip=\"{}\";\n    style=\"{style},filled\";\n    color=\"{border}\";\n    fillcolor=\"{fill}\";",
                esc(&zone.tooltip)
            );
            let _ = writeln!(out, "    {} [shape=point, style=invis, width=0, label=\"\"];", zone.key);
            for item in &zone.items {
                let _ = writeln!(
                    out,
                    "    {} [label=\"{}\", tooltip=\"{}\"];",
                    item.key,
                    esc(&item.text),
                    esc(&item.tooltip)
                );
                let _ = writeln!(out, "    {} -> {} [style=invis];", zone.key, item.key);
            }
            out.push_str("  }\n");
            let _ = writeln!(out, "  {{ rank=same; r{r}; {}; }}", zone.key);
        }
    }
    for edge in &view.edges {
        let (Some(from), Some(to)) = (view.zones.get(edge.from), view.zones.get(edge.to)) else { continue };
        let label: Vec<String> = edge.lines.iter().map(|l| esc(l)).collect();
        let style = if edge.one_way { ", style=bold, color=\"#1f4e99\", arrowhead=normaltee" } else { "" };
        let _ = writeln!(
            out,
            "  {} -> {} [ltail=cluster_{}, lhead=cluster_{}, label=\"{}\", tooltip=\"{}\", constraint=false{style}];",
            from.key,
            to.key,
            from.key,
            to.key,
            label.join("\\n"),
            esc(&edge.tooltip)
        );
    }
    out.push_str("}\n");
    out
}
