//! `kojo report` end to end: the report of each example in both languages
//! (golden files), waivers soonest first, names from the model kept as
//! text (the dumped DOM of headless Chromium holds no injected element, and
//! the same check catches a page where the payload is live), the page in
//! Chromium (no console messages, no remote addresses, not blank, printed
//! to PDF with its section headings in both languages), and a report of a
//! 10,000-asset synthetic plant.
//!
//! A missing tool (chromium, pdftotext) fails the test unless
//! `KOJO_SKIP_TOOLS=1`.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

#[allow(dead_code)]
#[path = "documents/browser.rs"]
mod browser;
#[allow(dead_code)]
#[path = "documents/support.rs"]
mod support;

use std::path::Path;

use support::{assert_exit, kojo, text, write_files, NOW};

const EXAMPLES: [&str; 3] = ["examples/guideline-factory", "examples/small-plant", "examples/semiconductor-fab"];

fn report(dir: &Path, args: &[&str]) -> String {
    let mut all = vec!["report"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--now", NOW]);
    let out = kojo(dir, &all);
    assert_exit(&out, 0);
    text(&out.stdout)
}

#[test]
fn golden_reports() {
    for example in EXAMPLES {
        for lang in ["en", "ja"] {
            let html = report(&support::repo().join(example), &["--lang", lang]);
            let name = format!("report__{}__{lang}.html", Path::new(example).file_name().unwrap().to_string_lossy());
            insta::with_settings!({ snapshot_path => "snapshots/documents", prepend_module_to_snapshot => false }, {
                insta::assert_snapshot!(name, html);
            });
        }
    }
}

/// The same model gives the same bytes, and the footer names the command
/// that gives them again.
#[test]
fn the_report_is_deterministic_and_says_how_it_was_made() {
    let dir = support::repo().join("examples/small-plant");
    let first = report(&dir, &["--lang", "en"]);
    assert_eq!(first, report(&dir, &["--lang", "en"]));
    assert!(first.contains("with “kojo report --lang en --now 2026-12-06”."), "{first}");
}

/// Every payload is in a title, a name or a reason: none of them may become
/// markup. (The report shows asset and conduit titles only in sections
/// still to come, the ledger and the diagram; their payloads are here so
/// the same test covers them then.)
const PAYLOAD_PLANT: &str = r#"plant "INJ" { name "Plant <script>console.error('kojo-injected-plant')</script>" }
zone internet "<img src=x onerror=console.error('kojo-injected-zone-title')>" : untrusted { subnet 203.0.113.0/24 }
zone line "<img src=x onerror=console.error('kojo-injected-zone')>" { subnet 10.2.0.0/24; tier high }
asset hmi "<script>console.error('kojo-injected-asset')</script>" in line { kind hmi; ip 10.2.0.5 }
asset fw "Firewall" in line { kind firewall; ip 10.2.0.1; interfaces { internet 203.0.113.1 } }
conduit out "<img src=x onerror=console.error('kojo-injected-conduit')>" from line to internet {
  allow hmi -> any service https
  enforced-by fw
}
waive NW-MFA on asset hmi {
  reason "<img src=x onerror=console.error('kojo-injected-reason')>"
  until 2027-01-31
}
waive DEV-ENCRYPTION on asset hmi {
  reason "expired long ago"
  until 2026-01-31
}
waive DEV-UPS on asset hmi {
  reason "<script>console.error('kojo-injected-reason2')</script>"
  until 2026-12-20
}
"#;

fn payload_project() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    write_files(
        tmp.path(),
        &[("kojo.kdl", "project \"inj\"\nprofile \"meti-factory\"\n"), ("plant.kojo", PAYLOAD_PLANT)],
    );
    tmp
}

/// Elements of the DOM a payload would have made: kojo's report has no
/// image and no script of its own, so any is injected.
fn injected_elements(dom: &str) -> Vec<String> {
    let lower = dom.to_ascii_lowercase();
    ["<img", "<script"]
        .iter()
        .flat_map(|tag| lower.match_indices(tag).map(|(at, _)| lower[at..].chars().take(80).collect::<String>()))
        .collect()
}

#[test]
fn names_from_the_model_stay_text() {
    let tmp = payload_project();
    let html = report(tmp.path(), &["--lang", "en"]);
    assert!(injected_elements(&html).is_empty(), "{:?}", injected_elements(&html));
    for text in [
        "&lt;img src=x onerror=console.error(&#39;kojo-injected-zone&#39;)&gt;",
        "&lt;img src=x onerror=console.error(&#39;kojo-injected-zone-title&#39;)&gt;",
        "&lt;img src=x onerror=console.error(&#39;kojo-injected-reason&#39;)&gt;",
        "&lt;script&gt;console.error(&#39;kojo-injected-reason2&#39;)&lt;/script&gt;",
        "Plant &lt;script&gt;console.error(&#39;kojo-injected-plant&#39;)&lt;/script&gt;",
    ] {
        assert!(html.contains(text), "{text} not in the page:\n{html}");
    }
    let scratch = tempfile::tempdir().unwrap();
    let page = scratch.path().join("report.html");
    std::fs::write(&page, &html).unwrap();
    let Some(dom) = browser::dump_dom(&page, scratch.path()) else { return };
    assert!(injected_elements(&dom).is_empty(), "injected: {:?}", injected_elements(&dom));
    assert!(dom.contains("&lt;img src=x onerror=console.error('kojo-injected-zone')&gt;"), "the title is text:\n{dom}");
    assert!(dom.contains("&lt;script&gt;console.error('kojo-injected-reason2')&lt;/script&gt;"), "{dom}");
    browser::assert_clean_console(&page, scratch.path());

    // The same checks on the page with one payload live: the DOM has the
    // element, and the browser reports it (the policy refuses the handler).
    let live = html.replace(
        "&lt;img src=x onerror=console.error(&#39;kojo-injected-zone&#39;)&gt;",
        "<img src=x onerror=console.error('kojo-injected-zone')>",
    );
    assert_ne!(live, html);
    let bad = scratch.path().join("live.html");
    std::fs::write(&bad, &live).unwrap();
    let dom = browser::dump_dom(&bad, scratch.path()).unwrap();
    assert!(!injected_elements(&dom).is_empty(), "the check misses a live payload:\n{dom}");
    let console = browser::console_messages(&bad, scratch.path()).unwrap();
    assert!(!console.is_empty(), "a live handler leaves no console message");
}

/// Waivers come soonest to expire first; an expired one is marked, and is
/// itself a finding; findings are grouped by rule with what it asks.
#[test]
fn waivers_come_soonest_first() {
    let tmp = payload_project();
    let html = report(tmp.path(), &["--lang", "en"]);
    let waivers = html.split("<section id=\"waivers\">").nth(1).unwrap().split("</section>").next().unwrap();
    let order: Vec<usize> =
        ["2026-01-31", "2026-12-20", "2027-01-31"].iter().map(|d| waivers.find(d).expect(d)).collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{waivers}");
    assert!(waivers.contains("<span class=\"badge waiver-expired\">expired</span>"), "{waivers}");
    assert!(waivers.contains("<span class=\"badge waiver-expiring\">expiring</span>"), "{waivers}");
    assert!(waivers.contains("<td class=\"num\">-309</td>"), "days left on --now: {waivers}");
    let findings = html.split("<section id=\"findings\">").nth(1).unwrap().split("</section>").next().unwrap();
    assert!(findings.contains("id=\"rule-WAIVER-EXPIRED\""), "{findings}");
    assert!(findings.contains("<code>asset:hmi</code>"), "{findings}");
    // What a rule asks, in the report's language: a requirement's label,
    // one of kojo's own rules its message.
    assert!(findings.contains("Periodic offline data backup"), "{findings}");
    assert!(findings.contains("a waiver past its until date"), "{findings}");
    let ja = report(tmp.path(), &["--lang", "ja"]);
    assert!(ja.contains("定期オフラインデータバックアップ") && ja.contains("期限（until）を過ぎた例外承認"), "{ja}");
    assert!(ja.contains("<span class=\"badge waiver-expired\">期限切れ</span>"), "{ja}");
}

/// A project that does not compile gets its errors, not a report.
#[test]
fn a_project_that_does_not_compile_gets_no_report() {
    let tmp = tempfile::tempdir().unwrap();
    write_files(tmp.path(), &[("kojo.kdl", "project \"t\"\n"), ("plant.kojo", "zone { nope")]);
    let out = kojo(tmp.path(), &["report", "--now", NOW]);
    assert_exit(&out, 3);
    assert!(out.stdout.is_empty());
    let out = kojo(tmp.path(), &["report", "--now", "2026-13-01"]);
    assert_exit(&out, 2);
}

/// A plant of 10,000 assets gives a report of a size a browser opens
/// (timing is for docs/performance.md, not for a test). In process: a
/// debug build of the whole command takes long on a busy machine.
#[test]
fn a_ten_thousand_asset_plant_gives_a_report_a_browser_opens() {
    use kojo::synth::{self, Params};
    use kojo_backends::documents::{report as posture, Lang};
    use kojo_compiler::evidence::{assess, paths, Input};
    use kojo_compiler::types::Date;
    use kojo_compiler::ProjectSource;

    let source = synth::source(Params::with_assets(10_000));
    let now = Date::parse(NOW).unwrap();
    let options = kojo_compiler::Options { today: Some(now), ..Default::default() };
    let checked = kojo_compiler::check_with(&source, &options);
    let (model, catalogue, profile) =
        (checked.model.as_ref().unwrap(), checked.catalogue.as_ref().unwrap(), checked.profile.as_ref().unwrap());
    let versioning = source.history(&paths::inside(model), now);
    let input = Input {
        model,
        catalogue,
        profile,
        tiers: &checked.tiers,
        findings: &checked.findings,
        now,
        versioning: &versioning,
    };
    let assessment = assess(&input);
    let request = posture::Request {
        model,
        catalogue,
        profile,
        tiers: &checked.tiers,
        findings: &checked.findings,
        assessment: &assessment,
        now,
        lang: Lang::En,
        command: "kojo report".to_string(),
        templates: &[],
    };
    let html = posture::render(&request).unwrap();
    assert!(html.contains(&format!("assets: {}", model.assets.len())), "the header counts the plant");
    assert!(model.assets.len() > 10_000);
    assert!(html.len() < 4_000_000, "{} bytes", html.len());
    assert!(html.trim_end().ends_with("</html>"));
    // Assets collapse to counts, in the diagram and in the ledger section.
    let diagram =
        &html[html.find("<section id=\"diagram\">").unwrap()..html.find("<section id=\"findings\">").unwrap()];
    assert!(diagram.contains(" × "), "the diagram counts assets by kind");
    assert!(html.contains(&posture::LIST_UP_TO.to_string()), "the ledger section says it counts instead of listing");
    // …and a browser opens it.
    let tmp = tempfile::tempdir().unwrap();
    let page = tmp.path().join("report-10k.html");
    std::fs::write(&page, &html).unwrap();
    browser::assert_clean_console(&page, tmp.path());
    browser::assert_not_blank(&page, tmp.path(), 0.02);
}

/// Printed, the report is A4 and a table that runs over a page repeats its
/// header row: a plant of 3,000 assets has 60 zones, more than a page.
#[test]
fn the_report_prints_to_a4_with_headers_repeated() {
    use kojo::synth::{self, Params};
    let tmp = tempfile::tempdir().unwrap();
    let files = synth::plant(Params::with_assets(3_000));
    let borrowed: Vec<(&str, &str)> = files.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
    let project = tmp.path().join("plant");
    write_files(&project, &borrowed);
    let html = report(&project, &["--lang", "en"]);
    let page = tmp.path().join("report.html");
    std::fs::write(&page, &html).unwrap();
    let Some(pdf) = browser::print_to_pdf(&page, tmp.path()) else { return };
    let info = browser::pdf_info(&pdf).unwrap();
    assert!(info.contains("(A4)"), "{info}");
    // pdftotext breaks lines where the page did.
    let text = browser::pdf_text(&pdf).unwrap().split_whitespace().collect::<Vec<_>>().join(" ");
    let zones = text.split("Zones and assets by tier").next().unwrap();
    let headers = zones.matches("Conduits in / out").count();
    assert!(headers >= 2, "the zone table's header is printed {headers} times");
}

/// A project's `templates/report.html.tera` replaces kojo's page.
#[test]
fn a_project_template_overrides_the_page() {
    let tmp = payload_project();
    let template = "{% extends \"_page.html\" %}{% block body %}<h1>{{ t(key=\"report.doc.title\") }}</h1>ACME {{ counts.errors }} {{ plant_name }}{% endblock body %}";
    write_files(tmp.path(), &[("templates/report.html.tera", template)]);
    let html = report(tmp.path(), &["--lang", "en"]);
    assert!(html.contains("<h1>Security posture report</h1>ACME 86 Plant &lt;script&gt;"), "{html}");
    assert!(!html.contains("id=\"zones\""));
}

fn html_in_chromium(lang: &str, headings: &[&str]) {
    let tmp = tempfile::tempdir().unwrap();
    let page = tmp.path().join("report.html");
    let html = report(&support::repo().join("examples/guideline-factory"), &["--lang", lang]);
    assert!(browser::remote_urls(&html).is_empty(), "{:?}", browser::remote_urls(&html));
    std::fs::write(&page, &html).unwrap();
    let scratch = tmp.path().join("chromium");
    std::fs::create_dir_all(&scratch).unwrap();
    browser::assert_clean_console(&page, &scratch);
    browser::assert_not_blank(&page, &scratch, 0.02);
    browser::assert_pdf(&page, &scratch, headings, 3);
}

#[test]
fn report_in_chromium_en() {
    html_in_chromium(
        "en",
        &[
            "Security posture report",
            "At a glance",
            "Zones and tiers",
            "Findings by rule",
            "Waivers",
            "Threats per zone",
            "Appendix E checklist",
        ],
    );
}

#[test]
fn report_in_chromium_ja() {
    html_in_chromium(
        "ja",
        &[
            "セキュリティ対策状況レポート",
            "概況",
            "ゾーンとセキュリティ強度",
            "ルール別の指摘",
            "例外承認",
            "ゾーンごとの脅威",
            "付録E チェックリスト",
        ],
    );
}
