//! `kojo graph` end to end: each format of each example (golden files),
//! the SVG parsed as XML with zone boxes that do not overlap (the examples
//! and a 10,000-asset synthetic plant), the DOT read by Graphviz `dot`,
//! the SVG in headless Chromium (no console message, not blank), and
//! names from the model that stay text in every format.
//!
//! A missing tool (chromium, dot) fails the test unless `KOJO_SKIP_TOOLS=1`.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

#[allow(dead_code)]
#[path = "documents/browser.rs"]
mod browser;
#[allow(dead_code)]
#[path = "documents/support.rs"]
mod support;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use kojo_backends::documents::graph::{self, layout, Assets, Request};
use kojo_backends::documents::Lang;
use support::{assert_exit, kojo, text, write_files, NOW};

const EXAMPLES: [&str; 3] = ["examples/guideline-factory", "examples/small-plant", "examples/semiconductor-fab"];

fn graph_of(dir: &Path, args: &[&str]) -> String {
    let mut all = vec!["graph"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--now", NOW]);
    let out = kojo(dir, &all);
    assert_exit(&out, 0);
    text(&out.stdout)
}

fn example(path: &str, args: &[&str]) -> String {
    graph_of(&support::repo().join(path), args)
}

fn name(path: &str) -> String {
    Path::new(path).file_name().unwrap().to_string_lossy().into_owned()
}

#[test]
fn golden_diagrams() {
    for path in EXAMPLES {
        for (format, ext) in [("svg", "svg"), ("dot", "dot"), ("mermaid", "mmd")] {
            let out = example(path, &["--format", format, "--lang", "en"]);
            insta::with_settings!({ snapshot_path => "snapshots/documents", prepend_module_to_snapshot => false }, {
                insta::assert_snapshot!(format!("graph__{}__en.{ext}", name(path)), out);
            });
        }
        let out = example(path, &["--format", "mermaid", "--lang", "ja"]);
        insta::with_settings!({ snapshot_path => "snapshots/documents", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(format!("graph__{}__ja.mmd", name(path)), out);
        });
    }
}

/// The zone boxes of an SVG (`<rect class="zone …">`), after checking the
/// document is well-formed XML whose root is an `<svg>` without a script.
fn zone_boxes(svg: &str) -> Vec<layout::Rect> {
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("not well-formed: {e}"));
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    assert!(doc.descendants().all(|n| n.tag_name().name() != "script" && n.attribute("onload").is_none()));
    let number = |n: &roxmltree::Node<'_, '_>, a: &str| n.attribute(a).unwrap().parse::<f64>().unwrap();
    doc.descendants()
        .filter(|n| n.tag_name().name() == "rect")
        .filter(|n| n.attribute("class").is_some_and(|c| c.split(' ').any(|c| c == "zone")))
        .map(|n| layout::Rect {
            x: number(&n, "x"),
            y: number(&n, "y"),
            w: number(&n, "width"),
            h: number(&n, "height"),
        })
        .collect()
}

/// Every box inside the viewBox, and no two boxes sharing any area.
fn assert_laid_out(svg: &str, zones: usize) {
    let boxes = zone_boxes(svg);
    assert_eq!(boxes.len(), zones, "one box per zone");
    let doc = roxmltree::Document::parse(svg).unwrap();
    let view: Vec<f64> =
        doc.root_element().attribute("viewBox").unwrap().split(' ').map(|v| v.parse().unwrap()).collect();
    // Sorted by x, each box is compared with those that start before it ends.
    let mut sorted = boxes.clone();
    sorted.sort_by(|a, b| a.x.total_cmp(&b.x));
    for (i, a) in sorted.iter().enumerate() {
        assert!(a.x >= view[0] && a.y >= view[1] && a.right() <= view[2] && a.bottom() <= view[3], "{a:?} outside");
        for b in sorted[i + 1..].iter().take_while(|b| b.x < a.right()) {
            assert!(!a.overlaps(b), "zones overlap: {a:?} and {b:?}");
        }
    }
}

#[test]
fn the_examples_svg_is_well_formed_and_its_zones_do_not_overlap() {
    for (path, zones) in EXAMPLES.into_iter().zip([10, 4, 2]) {
        for lang in ["en", "ja"] {
            for assets in ["list", "count"] {
                assert_laid_out(&example(path, &["--lang", lang, "--assets", assets]), zones);
            }
        }
    }
}

/// Zones, outside first and then by level: the boxes' tops follow the rows.
#[test]
fn zones_are_drawn_from_outside_down_to_the_field() {
    let svg = example(EXAMPLES[0], &["--lang", "en"]);
    let top = |heading: &str| {
        let at = svg.find(&format!(">{heading}")).unwrap_or_else(|| panic!("{heading}"));
        let rect = svg[..at].rfind("<rect class=\"zone").unwrap();
        let y = &svg[rect..].split("y=\"").nth(1).unwrap();
        y[..y.find('"').unwrap()].parse::<f64>().unwrap()
    };
    let order = [
        "Internet",
        "Head-office inter-site network",
        "OA zone",
        "Remote maintenance zone",
        "Production management zone",
        "Production monitoring zone",
        "Control zone",
    ];
    for pair in order.windows(2) {
        assert!(top(pair[0]) < top(pair[1]), "{} should be above {}", pair[0], pair[1]);
    }
    for band in
        ["Outside: untrusted", "Level 4: business", "Level 3.5: DMZ", "Level 1: basic control", "Plant boundary"]
    {
        assert!(svg.contains(band), "{band}");
    }
    // The enforcing device is on the arrows, not a box's asset.
    assert!(svg.contains("via fw_floor") && !svg.contains(">fw_floor —"), "firewalls go on the conduits");
}

#[test]
fn a_pinned_level_moves_the_zone() {
    let tmp = tempfile::tempdir().unwrap();
    let plant = |extra: &str| {
        format!(
            "plant \"T\" {{ profile meti-factory }}\nzone upper {{ subnet 10.0.0.0/24 }}\nzone lower {{ subnet 10.0.1.0/24 {extra} }}\n\
             asset s in upper {{ kind scada  ip 10.0.0.10 }}\nasset h in lower {{ kind historian  ip 10.0.1.10 }}\n"
        )
    };
    write_files(tmp.path(), &[("kojo.kdl", "project \"t\"\n"), ("plant.kojo", &plant(""))]);
    let before = graph_of(tmp.path(), &[]);
    let row = |svg: &str, band: &str| svg.find(band).unwrap_or_else(|| panic!("{band}: {svg}"));
    let (upper, lower) = (row(&before, ">Level 2: supervisory control<"), row(&before, ">Level 3: site operations<"));
    assert!(lower < upper, "the historian's zone (3) is above the SCADA zone (2)");
    write_files(tmp.path(), &[("plant.kojo", &plant("level 0"))]);
    let after = graph_of(tmp.path(), &[]);
    assert!(!after.contains(">Level 3: site operations<"), "{after}");
    assert!(row(&after, ">Level 2: supervisory control<") < row(&after, ">Level 0: process<"), "{after}");
    assert!(after.contains("zone lower: level pinned in the model"), "the tooltip says why");
}

/// A plant whose zone and asset titles are markup, quotes and the end of
/// a CDATA section or comment; one conduit waived, one one-way.
const HOSTILE: &str = r#"plant "T" { profile meti-factory }
zone z_evil "<img src=x onerror=console.error(\"pwned\")> \"q\" & ]]> -- #quot; `x` |" {
  subnet 10.0.0.0/24
}
zone z_ok "<script>console.error(\"pwned2\")</script>" { subnet 10.0.1.0/24 }
asset fw "FW" {
  kind firewall
  interfaces { z_evil 10.0.0.1; z_ok 10.0.1.1 }
}
asset a1 "</text><script>console.error(\"pwned3\")</script>" in z_evil { kind plc  ip 10.0.0.10  services [modbus-tcp] }
asset h1 in z_ok { kind hmi  ip 10.0.1.10 }
conduit c1 "x\"]; evil [label=\"y" from z_ok to z_evil {
  allow h1 -> a1 service modbus-tcp
  enforced-by fw
  one-way
}
"#;

fn hostile_project() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    write_files(tmp.path(), &[("kojo.kdl", "project \"t\"\n"), ("plant.kojo", HOSTILE)]);
    tmp
}

#[test]
fn names_from_the_model_stay_text_in_every_format() {
    let tmp = hostile_project();
    let svg = graph_of(tmp.path(), &[]);
    assert_laid_out(&svg, 2);
    let doc = roxmltree::Document::parse(&svg).unwrap();
    assert!(doc.descendants().all(|n| !matches!(n.tag_name().name(), "img" | "script")), "{svg}");
    let texts: String = doc.descendants().filter_map(|n| n.text()).collect();
    assert!(texts.contains("<img src=x onerror=console.error(\"pwned\")> \"q\" & ]]> --"), "{texts}");
    assert!(texts.contains("one-way"), "{texts}");

    let mermaid = graph_of(tmp.path(), &["--format", "mermaid"]);
    for line in mermaid.lines() {
        // Each label is one quoted string: exactly two quotes per label, no raw markup.
        assert!(!line.contains('<') || line.matches("<br/>").count() == line.matches('<').count(), "{line}");
        assert!(line.matches('"').count() % 2 == 0 && !line.contains('`'), "{line}");
    }
    assert!(mermaid.contains("#lt;img src=x onerror=console.error(#quot;pwned#quot;)#gt;"), "{mermaid}");
    assert!(mermaid.contains("z0 ==>|") || mermaid.contains("z1 ==>|"), "one-way is a thick arrow: {mermaid}");

    let dot = graph_of(tmp.path(), &["--format", "dot"]);
    assert!(dot.contains(r#"x\"]; evil [label=\"y"#), "{dot}");
    // Every node and cluster ID is generated: a letter and digits.
    for line in dot.lines().map(str::trim_start) {
        let id = line.split([' ', '[', ';']).next().unwrap_or_default().trim_start_matches("subgraph cluster_");
        let generated = id.starts_with(['r', 'z', 'a']) && id[1..].chars().all(|c| c.is_ascii_alphanumeric());
        let defaults = ["node ", "edge "].iter().any(|d| line.starts_with(d));
        assert!(!line.contains(" [") || line.starts_with('{') || defaults || generated, "{line}");
    }
}

/// Graphviz reads the DOT of every example and of the hostile plant.
#[test]
fn graphviz_accepts_the_dot() {
    let tmp = hostile_project();
    let mut cases: Vec<(String, String)> =
        EXAMPLES.iter().map(|p| (name(p), example(p, &["--format", "dot", "--lang", "ja"]))).collect();
    cases.push(("hostile".into(), graph_of(tmp.path(), &["--format", "dot"])));
    for (name, dot) in cases {
        let file = tmp.path().join(format!("{name}.dot"));
        std::fs::write(&file, &dot).unwrap();
        let out = match support::run_limited(Command::new("dot").arg("-Tsvg").arg(&file), Duration::from_secs(60)) {
            Ok(out) => out,
            Err(e) if support::skip_tools() => return eprintln!("skipping Graphviz ({e}), KOJO_SKIP_TOOLS=1"),
            Err(e) => panic!("dot did not run ({e}): apt-get install -y graphviz, or set KOJO_SKIP_TOOLS=1"),
        };
        assert!(out.status.success(), "{name}: dot failed:\n{}", text(&out.stderr));
        let stderr = text(&out.stderr);
        assert!(!stderr.contains("Error") && !stderr.contains("syntax"), "{name}:\n{stderr}");
        assert!(text(&out.stdout).contains("<svg"), "{name}");
    }
}

fn scratch(tmp: &Path) -> std::path::PathBuf {
    let scratch = tmp.join("chromium");
    std::fs::create_dir_all(&scratch).unwrap();
    scratch
}

#[test]
fn chromium_shows_the_svg() {
    let tmp = tempfile::tempdir().unwrap();
    for path in [EXAMPLES[0], EXAMPLES[1]] {
        for lang in ["en", "ja"] {
            let svg = example(path, &["--lang", lang]);
            assert!(browser::remote_urls(&svg).iter().all(|u| u == "http://www.w3.org/2000/svg"), "{svg}");
            let page = tmp.path().join(format!("{}-{lang}.svg", name(path)));
            std::fs::write(&page, svg).unwrap();
            browser::assert_clean_console(&page, &scratch(tmp.path()));
            browser::assert_not_blank(&page, &scratch(tmp.path()), 0.02);
        }
    }
}

/// The hostile names in a browser: had any become markup, the page would
/// fetch `x` (an error on the console), run a script (`pwned` on the
/// console) or hold an `<img>` or `<script>` element in its DOM.
#[test]
fn chromium_runs_nothing_a_name_says() {
    let project = hostile_project();
    let tmp = tempfile::tempdir().unwrap();
    let page = tmp.path().join("hostile.svg");
    std::fs::write(&page, graph_of(project.path(), &[])).unwrap();
    let Some(run) = browser::chromium(&page, &scratch(tmp.path()), &["--dump-dom"]) else { return };
    let dom = text(&run.output.stdout);
    assert!(!run.log.contains("pwned"), "{}", run.log);
    assert!(!dom.contains("<img") && !dom.contains("<script"), "{dom}");
    assert!(dom.contains("&lt;img src=x onerror=console.error(\"pwned\")&gt;"), "{dom}");
    browser::assert_clean_console(&page, &scratch(tmp.path()));
}

/// The 10,000-asset synthetic plant (5,000 conduits): assets collapse to
/// counts and conduits merge, the SVG stays a file a browser opens, its
/// zones do not overlap. The time is printed for docs/performance.md
/// (measured there in a release build; this debug build only bounds it).
#[test]
fn a_ten_thousand_asset_plant_stays_drawable() {
    let source = kojo::synth::source(kojo::synth::Params::with_assets(10_000));
    let checked = kojo_compiler::check_with(&source, &kojo_compiler::Options::default());
    let (model, catalogue, profile) =
        (checked.model.as_ref().unwrap(), checked.catalogue.as_ref().unwrap(), checked.profile.as_ref().unwrap());
    let request = Request {
        model,
        catalogue,
        profile,
        tiers: &checked.tiers,
        date: kojo_compiler::types::Date::parse(NOW).unwrap(),
        lang: Lang::En,
        assets: Assets::Auto,
    };
    let started = Instant::now();
    let view = graph::view(&request).unwrap();
    let svg = graph::svg(&view);
    let elapsed = started.elapsed();
    eprintln!("10k plant: view + SVG in {elapsed:?}, {} bytes, {} arrows", svg.len(), view.edges.len());
    assert!(elapsed < Duration::from_secs(20), "{elapsed:?}");
    assert!(view.zones.iter().all(|z| z.items.iter().all(|i| i.text.contains(" × "))), "collapsed to counts");
    assert!(view.edges.len() < model.conduits.len(), "conduits between the same zones merge");
    assert!(svg.len() < 8_000_000, "{} bytes", svg.len());
    let element = graph::svg_element(&view);
    assert!(
        element.starts_with("<svg ") && svg.ends_with(&element),
        "the element is the document without its declaration"
    );
    assert_laid_out(&svg, model.zones.len());
    for format in [graph::dot(&view), graph::mermaid(&view)] {
        assert!(format.len() < 4_000_000, "{} bytes", format.len());
    }
    let tmp = tempfile::tempdir().unwrap();
    let page = tmp.path().join("p10k.svg");
    std::fs::write(&page, &svg).unwrap();
    browser::assert_clean_console(&page, &scratch(tmp.path()));
    browser::assert_not_blank(&page, &scratch(tmp.path()), 0.02);
}

#[test]
fn a_project_that_does_not_compile_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    write_files(tmp.path(), &[("kojo.kdl", "project \"t\"\n"), ("plant.kojo", "plant \"T\"\nzone a { level 9 }\n")]);
    let out = kojo(tmp.path(), &["graph"]);
    assert_exit(&out, 3);
    assert!(text(&out.stderr).contains("KOJO-E0335"), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty());
}

/// The Mermaid of every example and of the hostile plant through the real
/// Mermaid (npm `mermaid`, pinned in .ci/test under target/ci-tools) in
/// headless Chromium: it parses and renders, and a name stays text.
#[test]
fn mermaid_parses_and_renders_the_flowcharts() {
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| support::repo().join("target"), Into::into);
    let script = target.join("ci-tools/mermaid/node_modules/mermaid/dist/mermaid.min.js");
    if !script.is_file() {
        assert!(support::skip_tools(), "{} missing: run .ci/test, or set KOJO_SKIP_TOOLS=1", script.display());
        return eprintln!("skipping Mermaid ({} missing), KOJO_SKIP_TOOLS=1", script.display());
    }
    let project = hostile_project();
    let mut cases: Vec<(String, String)> =
        EXAMPLES.iter().map(|p| (name(p), example(p, &["--format", "mermaid", "--lang", "ja"]))).collect();
    cases.push(("hostile".into(), graph_of(project.path(), &["--format", "mermaid"])));
    let tmp = tempfile::tempdir().unwrap();
    for (name, chart) in cases {
        let page = tmp.path().join(format!("{name}.html"));
        let script_url = format!("file://{}", script.canonicalize().unwrap().display());
        std::fs::write(&page, mermaid_page(&script_url, &chart)).unwrap();
        let args = ["--allow-file-access-from-files", "--virtual-time-budget=20000", "--dump-dom"];
        let Some(run) = browser::chromium(&page, &scratch(tmp.path()), &args) else { return };
        let dom = text(&run.output.stdout);
        let result = dom.split("<pre id=\"result\">").nth(1).and_then(|r| r.split('<').next()).unwrap_or_default();
        assert!(result.starts_with("rendered"), "{name}: {result}\n{chart}");
        assert!(!dom.contains("<img") && !run.log.contains("pwned"), "{name}: markup from a name went live");
    }
    let hostile = std::fs::read_to_string(tmp.path().join("hostile.html")).unwrap();
    assert!(hostile.contains("#lt;img src=x"), "the hostile chart was rendered");
}

/// A page that parses and renders `chart` with Mermaid and writes the
/// outcome where `--dump-dom` shows it.
fn mermaid_page(script: &str, chart: &str) -> String {
    let json = serde_json::to_string(chart).unwrap().replace("</", "<\\/");
    format!(
        r#"<!doctype html><html><head><meta charset="utf-8"><script src="{script}"></script></head>
<body><pre id="result">pending</pre><div id="chart"></div><script>
mermaid.initialize({{ startOnLoad: false, securityLevel: "strict" }});
(async () => {{
  const result = document.getElementById("result");
  try {{
    const chart = {json};
    await mermaid.parse(chart);
    const out = await mermaid.render("graph", chart);
    document.getElementById("chart").innerHTML = out.svg;
    result.textContent = "rendered " + out.svg.length;
  }} catch (e) {{
    result.textContent = "error " + (e && e.message ? e.message : e);
  }}
}})();
</script></body></html>"#
    )
}

/// Mermaid refuses a flowchart past 500 arrows or 50,000 characters, and
/// GitHub renders with those limits: `kojo graph` still writes it but says
/// so, and stays quiet for a diagram within them.
#[test]
fn a_flowchart_past_mermaids_limits_is_written_with_a_warning() {
    let tmp = tempfile::tempdir().unwrap();
    let files = kojo::synth::plant(kojo::synth::Params::with_assets(1_000));
    let borrowed: Vec<(&str, &str)> = files.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
    write_files(tmp.path(), &borrowed);
    let out = kojo(tmp.path(), &["graph", "--format", "mermaid", "--assets", "list", "--now", NOW]);
    assert_exit(&out, 0);
    let stderr = text(&out.stderr);
    assert!(stderr.contains("warning:") && stderr.contains("characters (Mermaid reads up to 50000)"), "{stderr}");
    assert!(stderr.contains("--assets count"), "listed assets: merging arrows is the advice: {stderr}");
    assert!(text(&out.stdout).starts_with("flowchart TB"));
    let small =
        kojo(&support::repo().join("examples/guideline-factory"), &["graph", "--format", "mermaid", "--now", NOW]);
    assert_exit(&small, 0);
    assert!(small.stderr.is_empty(), "{}", text(&small.stderr));
}
