//! The diagram as SVG: one standalone document with its CSS inside, no
//! script and nothing fetched (the fonts are the reader's own sans-serif).
//! Zone boxes are `<rect class="zone TIER">` with numeric geometry, so
//! tools (and the tests) can check the layout; every box, item and arrow
//! has a `<title>` a browser shows as its tooltip.

use std::fmt::Write;

use super::escape::xml;
use super::layout::{Layout, Rect, HEADING, LEGEND_LINE, LINE};
use super::view::View;

// Every selector is under the root's class: a page that embeds the
// element (the posture report) keeps its own `.label`, `.item`, `.note`,
// and the weights are explicit so the page's rules for those do not
// reach into the diagram.
const STYLE: &str = "
svg.kojo-graph{background:#fff}
.kojo-graph text{font-family:sans-serif;fill:#1a1a1a}
.kojo-graph .title{font-size:18px;font-weight:bold}
.kojo-graph .as-of,.kojo-graph .note{font-size:12px;font-weight:normal;fill:#444}
.kojo-graph .band{font-size:12px;font-weight:bold;fill:#555}
.kojo-graph .boundary{stroke:#444;stroke-width:2;stroke-dasharray:14 6}
.kojo-graph .boundary-label{font-size:12px;font-style:italic;fill:#444}
.kojo-graph .zone,.kojo-graph .swatch{stroke-width:1.5}
.kojo-graph .high{fill:#fbe0de;stroke:#a93226}
.kojo-graph .medium{fill:#fcefd4;stroke:#a0620b}
.kojo-graph .minimum{fill:#e2f1df;stroke:#2e7d32}
.kojo-graph .outside{fill:#efefef;stroke:#666;stroke-dasharray:6 4}
.kojo-graph .heading{font-size:14px;font-weight:bold}
.kojo-graph .caption{font-size:12px;font-weight:normal;fill:#333}
.kojo-graph .item{font-size:12px;font-weight:normal}
.kojo-graph .separator{stroke:#999;stroke-width:.8}
.kojo-graph .waived{fill:#a04000}
.kojo-graph .conduit path,.kojo-graph .line{fill:none;stroke:#333;stroke-width:1.4}
.kojo-graph .one-way path,.kojo-graph .line.one-way{stroke:#1f4e99;stroke-width:2.6;stroke-dasharray:10 3}
.kojo-graph .label-bg{fill:#fff;fill-opacity:.9;stroke:#bbb;stroke-width:.6}
.kojo-graph .label{font-size:11px;font-weight:normal}
.kojo-graph .arrow{fill:#333}
.kojo-graph .arrow-one-way{fill:#1f4e99;stroke:#1f4e99;stroke-width:1.5}
@media print{svg.kojo-graph{background:none}}
";

/// A number for an attribute: one decimal, the same on every machine.
fn n(value: f64) -> String {
    format!("{value:.1}")
}

/// The SVG document: an XML declaration and the `<svg>` element.
pub(super) fn render(view: &View, layout: &Layout) -> String {
    format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{}", element(view, layout))
}

/// The `<svg>` element alone, for a page that embeds it; its marker IDs
/// start with `kojo-graph-`.
pub(super) fn element(view: &View, layout: &Layout) -> String {
    let mut out = String::with_capacity(4096 + view.zones.len() * 600 + view.edges.len() * 500);
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"kojo-graph\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" lang=\"{lang}\" role=\"img\">",
        w = n(layout.width),
        h = n(layout.height),
        lang = xml(&view.lang)
    );
    let _ = writeln!(out, "<title>{}</title>", xml(&view.title));
    let _ = writeln!(out, "<style>{STYLE}</style>");
    out.push_str(concat!(
        "<defs>\n",
        "<marker id=\"kojo-graph-arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto-start-reverse\">",
        "<path class=\"arrow\" d=\"M0,0 L10,5 L0,10 z\"/></marker>\n",
        "<marker id=\"kojo-graph-arrow-one-way\" viewBox=\"0 0 14 10\" refX=\"14\" refY=\"5\" markerWidth=\"9\" markerHeight=\"7\" orient=\"auto-start-reverse\">",
        "<path class=\"arrow-one-way\" d=\"M0,0 L10,5 L0,10 z M12,0 L12,10\"/></marker>\n",
        "</defs>\n"
    ));
    let _ = writeln!(out, "<text class=\"title\" x=\"20.0\" y=\"38.0\">{}</text>", xml(&view.title));
    let _ = writeln!(out, "<text class=\"as-of\" x=\"20.0\" y=\"58.0\">{}</text>", xml(&view.as_of));
    bands(&mut out, view, layout);
    // Arrows under the boxes, so a box stays readable where arrows cross
    // it; labels over both.
    for (edge, curve) in view.edges.iter().zip(&layout.edges) {
        arrow(&mut out, edge, curve);
    }
    for (zone, rect) in view.zones.iter().zip(&layout.zones) {
        zone_group(&mut out, zone, rect);
    }
    for (edge, curve) in view.edges.iter().zip(&layout.edges) {
        if let Some(r) = curve.label {
            label(&mut out, edge, &r);
        }
    }
    legend(&mut out, view, layout);
    out.push_str("</svg>\n");
    out
}

/// A conduit's curve, with its tooltip.
fn arrow(out: &mut String, edge: &super::view::Edge, curve: &super::layout::Curve) {
    let mut d = String::new();
    if let Some([start, ..]) = curve.segments.first() {
        let _ = write!(d, "M{} {}", n(start.0), n(start.1));
    }
    for [_, c1, c2, end] in &curve.segments {
        let _ = write!(d, " C{} {} {} {} {} {}", n(c1.0), n(c1.1), n(c2.0), n(c2.1), n(end.0), n(end.1));
    }
    let mut class = String::from("conduit");
    for (on, name) in [(edge.one_way, " one-way"), (edge.windowed, " windowed"), (!edge.waived.is_empty(), " waived")] {
        if on {
            class.push_str(name);
        }
    }
    let marker = if edge.one_way { "kojo-graph-arrow-one-way" } else { "kojo-graph-arrow" };
    let _ = writeln!(
        out,
        "<g class=\"{class}\" id=\"{}\"><title>{}</title><path d=\"{d}\" marker-end=\"url(#{marker})\"/></g>",
        xml(&edge.key),
        xml(&edge.tooltip),
    );
}

/// A conduit's label: a white box and a line of text per line, with the
/// arrow's tooltip.
fn label(out: &mut String, edge: &super::view::Edge, r: &Rect) {
    let _ = writeln!(out, "<g class=\"conduit-label\"><title>{}</title>", xml(&edge.tooltip));
    let _ = writeln!(
        out,
        "<rect class=\"label-bg\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\"/>",
        n(r.x),
        n(r.y),
        n(r.w),
        n(r.h)
    );
    let _ = write!(out, "<text class=\"label\" x=\"{}\" y=\"{}\">", n(r.x + 4.0), n(r.y + 3.0));
    for line in &edge.lines {
        let _ = write!(out, "<tspan x=\"{}\" dy=\"14\">{}</tspan>", n(r.x + 4.0), xml(line));
    }
    out.push_str("</text></g>\n");
}

/// Each band's label in the gutter, and the plant boundary.
fn bands(out: &mut String, view: &View, layout: &Layout) {
    for band in &layout.bands {
        let Some(row) = view.rows.get(band.row) else { continue };
        let _ = writeln!(out, "<text class=\"band\" x=\"20.0\" y=\"{}\">{}</text>", n(band.y + 16.0), xml(&row.label));
    }
    if let Some(y) = layout.boundary {
        let _ = writeln!(
            out,
            "<line class=\"boundary\" x1=\"10.0\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\"/>\n<text class=\"boundary-label\" x=\"20.0\" y=\"{}\">{}</text>",
            n(layout.width - 10.0),
            n(y.max(0.0) - 6.0),
            xml(&view.boundary),
            y = n(y),
        );
    }
}

fn zone_group(out: &mut String, zone: &super::view::ZoneBox, r: &Rect) {
    let _ = writeln!(out, "<g class=\"zone-group\" id=\"{}\"><title>{}</title>", xml(&zone.key), xml(&zone.tooltip));
    let _ = writeln!(
        out,
        "<rect class=\"zone {}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"6\"/>",
        xml(&zone.class),
        n(r.x),
        n(r.y),
        n(r.w),
        n(r.h)
    );
    let x = n(r.x + 10.0);
    let mut y = r.y + 10.0 + 14.0;
    let _ = writeln!(out, "<text class=\"heading\" x=\"{x}\" y=\"{}\">{}</text>", n(y), xml(&zone.heading));
    y += HEADING - 4.0;
    let _ = writeln!(out, "<text class=\"caption\" x=\"{x}\" y=\"{}\">{}</text>", n(y), xml(&zone.caption));
    if let Some(text) = &zone.waived_text {
        y += LINE;
        let _ = writeln!(out, "<text class=\"caption waived\" x=\"{x}\" y=\"{}\">{}</text>", n(y), xml(text));
    }
    if !zone.items.is_empty() {
        y += 8.0;
        let _ = writeln!(
            out,
            "<line class=\"separator\" x1=\"{x}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>",
            n(y - 2.0),
            n(r.right() - 10.0),
            n(y - 2.0)
        );
    }
    for item in &zone.items {
        y += LINE;
        let class = if item.waived.is_empty() { "item" } else { "item waived" };
        let _ = writeln!(
            out,
            "<text class=\"{class}\" id=\"{}\" x=\"{x}\" y=\"{}\"><title>{}</title>{}</text>",
            xml(&item.key),
            n(y),
            xml(&item.tooltip),
            xml(&item.text)
        );
    }
    out.push_str("</g>\n");
}

fn legend(out: &mut String, view: &View, layout: &Layout) {
    let (x, mut y) = layout.legend;
    let _ = writeln!(
        out,
        "<g class=\"legend\">\n<text class=\"heading\" x=\"{}\" y=\"{}\">{}</text>",
        n(x),
        n(y),
        xml(&view.legend_title)
    );
    for entry in &view.legend {
        y += LEGEND_LINE;
        let swatch = match entry.class.as_str() {
            "high" | "medium" | "minimum" | "outside" => format!(
                "<rect class=\"swatch {}\" x=\"{}\" y=\"{}\" width=\"24\" height=\"12\" rx=\"2\"/>",
                xml(&entry.class),
                n(x),
                n(y - 10.0)
            ),
            "conduit" => {
                format!(
                    "<path class=\"line\" d=\"M{} {} h24\" marker-end=\"url(#kojo-graph-arrow)\"/>",
                    n(x),
                    n(y - 4.0)
                )
            }
            "one-way" => {
                format!(
                    "<path class=\"line one-way\" d=\"M{} {} h24\" marker-end=\"url(#kojo-graph-arrow-one-way)\"/>",
                    n(x),
                    n(y - 4.0)
                )
            }
            _ => String::new(),
        };
        let class = if entry.class == "waiver" { "caption waived" } else { "caption" };
        let _ = writeln!(
            out,
            "{swatch}<text class=\"{class}\" x=\"{}\" y=\"{}\">{}</text>",
            n(x + 34.0),
            n(y),
            xml(&entry.text)
        );
    }
    out.push_str("</g>\n");
}
