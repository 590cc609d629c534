//! `kojo procure` end to end: the specification of each example in both
//! languages (golden files), what it holds for items of different tiers,
//! conditions and kinds, how targets are found and refused, the buyer's
//! settings, escaping of the model's names, and the HTML page in headless
//! Chromium (no console errors, not blank, printed to PDF with its
//! Japanese headings, read back with `pdftotext`).
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

const GUIDELINE: &str = "examples/guideline-factory";

fn procure(dir: &Path, args: &[&str]) -> String {
    let mut all = vec!["procure"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--now", NOW]);
    let out = kojo(dir, &all);
    assert_exit(&out, 0);
    text(&out.stdout)
}

fn guideline(args: &[&str]) -> String {
    procure(&support::repo().join(GUIDELINE), args)
}

/// The requirement sources (`(device.unused-ports.high)`) a specification cites.
fn cited(spec: &str) -> Vec<String> {
    spec.lines()
        .filter(|l| l.starts_with("- Sources:") || l.starts_with("- 出典:"))
        .filter_map(|l| l.rsplit_once(" (").map(|(_, id)| id.trim_end_matches(')').to_string()))
        .collect()
}

#[test]
fn golden_specifications() {
    let cases =
        [(GUIDELINE, "line1_upgrade"), ("examples/small-plant", "control"), ("examples/semiconductor-fab", "fab")];
    for (example, target) in cases {
        for lang in ["en", "ja"] {
            let spec = procure(&support::repo().join(example), &[target, "--lang", lang]);
            let name =
                format!("procure__{}__{target}__{lang}.md", Path::new(example).file_name().unwrap().to_string_lossy());
            insta::with_settings!({ snapshot_path => "snapshots/documents", prepend_module_to_snapshot => false }, {
                insta::assert_snapshot!(name, spec);
            });
        }
    }
}

/// Every requirement has its acceptance tests, its sources and why it applies.
#[test]
fn every_requirement_is_traced_and_tested() {
    let spec = guideline(&["line1_upgrade"]);
    let requirements: Vec<&str> = spec.lines().filter(|l| l.starts_with("### F")).collect();
    let acceptance: Vec<&str> =
        spec.lines().filter(|l| l.starts_with("| F") && l.matches(" | ").count() >= 3).collect();
    assert!(requirements.len() > 100, "{}", requirements.len());
    assert_eq!(requirements.len(), acceptance.len(), "a FAT and a SAT row for every requirement");
    assert_eq!(spec.matches("\n- Sources:").count(), requirements.len());
    assert_eq!(spec.matches("\n- Why:").count(), requirements.len());
    // Acceptance rows have text in both test columns.
    for row in acceptance {
        let cells: Vec<&str> = row.split(" | ").collect();
        assert!(cells.len() >= 4 && cells.iter().all(|c| !c.trim().is_empty()), "{row}");
    }
    assert!(spec.contains("kojo's own template"), "the document says whose template it is");
}

/// The device table applies up to the tier of the item's zone.
#[test]
fn the_tier_decides_which_measures_apply() {
    let high = cited(&guideline(&["plc1"]));
    let medium = cited(&guideline(&["oa_terminal"]));
    assert!(high.iter().any(|id| id == "device.unused-ports.high"), "{high:?}");
    assert!(high.iter().any(|id| id == "device.unused-ports.minimum"));
    assert!(medium.iter().any(|id| id == "device.unused-ports.medium"));
    assert!(!medium.iter().any(|id| id.starts_with("device.") && id.ends_with(".high")), "{medium:?}");
    let device = |ids: &[String]| ids.iter().filter(|id| id.starts_with("device.")).count();
    assert!(device(&high) > device(&medium));
}

/// Conditional sections appear exactly where their condition holds.
#[test]
fn sections_follow_the_items() {
    // The vendor's maintenance line reaches the remote-maintenance server.
    assert!(guideline(&["wh_rm_server"]).contains("## F5 "));
    assert!(!guideline(&["plc1"]).contains("## F5 "));
    // The AGVs share a zone with the wireless access point.
    assert!(guideline(&["agv1"]).contains("## F11 "));
    assert!(!guideline(&["plc1"]).contains("## F11 "));
    // The HMI is packaged software: its questions are asked; the PLC has none.
    let hmi = guideline(&["hmi1"]);
    assert!(hmi.contains("PS-PACKAGED-FUNCTIONS"));
    assert!(!guideline(&["plc1"]).contains("PS-PACKAGED-FUNCTIONS"));
    // Every spec asks the 18 supply-chain questions.
    assert_eq!(hmi.lines().filter(|l| l.starts_with("| SC-")).count(), 18);
}

/// A firewall bought is specified with the functions of the conduits it
/// enforces, in the enforcing device's own clauses.
#[test]
fn an_enforcing_device_gets_its_own_functions() {
    let spec = guideline(&["fw_floor"]);
    assert!(spec.contains("as the firewall or gateway of conduits"), "{spec}");
    assert!(spec.contains("prod_mgmt_to_control"));
}

#[test]
fn targets_are_found_or_refused_clearly() {
    let dir = support::repo().join(GUIDELINE);
    for (args, wanted) in [
        (vec!["procure", "plc"], "did you mean `plc1`?"),
        (vec!["procure", "internet"], "outside the plant"),
        (vec!["procure", "vendor_ops"], "outside the plant"),
        (vec!["procure", "purchase:control"], "no purchase named `control`"),
        (vec!["procure", "zone:plc1"], "did you mean `asset:plc1`?"),
        (vec!["procure", "pump:plc1"], "`pump:` is not a kind of target"),
    ] {
        let out = kojo(&dir, &args);
        assert_exit(&out, 2);
        assert!(text(&out.stderr).contains(wanted), "{args:?}: {}", text(&out.stderr));
        assert!(out.stdout.is_empty());
    }
    // A qualified name works as the plain one.
    assert_eq!(guideline(&["zone:control"]), guideline(&["control"]));
}

const SMALL: &str = r#"plant "T" { name "Test | <b>plant</b>" }
zone line "Line | *one*" { subnet 10.2.0.0/24; vlan 20 }
asset line "PLC <script>alert(1)</script> | x" in line { kind plc; ip 10.2.0.5 }
"#;

#[test]
fn a_name_shared_by_an_asset_and_a_zone_must_be_qualified() {
    let tmp = tempfile::tempdir().unwrap();
    write_files(tmp.path(), &[("kojo.kdl", "project \"t\"\n"), ("plant.kojo", SMALL)]);
    let out = kojo(tmp.path(), &["procure", "line"]);
    assert_exit(&out, 2);
    let err = text(&out.stderr);
    assert!(err.contains("`asset:line`") && err.contains("`zone:line`"), "{err}");
    assert_exit(&kojo(tmp.path(), &["procure", "asset:line"]), 0);
}

/// Names and titles from the model cannot inject markup in either format,
/// and what the manifest does not set is "to be agreed", never invented.
#[test]
fn the_models_text_is_escaped_and_nothing_is_invented() {
    let tmp = tempfile::tempdir().unwrap();
    write_files(tmp.path(), &[("kojo.kdl", "project \"t\"\n"), ("plant.kojo", SMALL)]);
    let md = procure(tmp.path(), &["asset:line"]);
    assert!(md.contains("PLC \\<script\\>alert(1)\\</script\\> \\| x"), "{md}");
    assert!(!md.contains("<script>"));
    assert!(md.contains("| Buyer | \\[to be agreed\\] |"), "{md}");
    let html = procure(tmp.path(), &["asset:line", "--format", "html"]);
    assert!(
        html.contains("PLC &lt;script&gt;alert(1)&lt;&#x2F;script&gt; | x")
            || html.contains("PLC &lt;script&gt;alert(1)&lt;/script&gt; | x"),
        "{html}"
    );
    assert!(!html.contains("<script"));
    // The buyer's settings fill the clauses.
    write_files(
        tmp.path(),
        &[(
            "kojo.kdl",
            "project \"t\"\nprocurement {\n  buyer \"ACME Works\"\n  support-years 12\n  notice-days 14\n}\n",
        )],
    );
    let md = procure(tmp.path(), &["asset:line"]);
    assert!(md.contains("| Buyer | ACME Works (“the buyer”) |"), "{md}");
    assert_eq!(md.matches("ACME Works").count(), 1, "the name once, in the header; clauses say “the buyer”");
    assert!(md.contains("only when the buyer has agreed"));
    assert!(md.contains("12 years") && md.contains("14 days"), "the clauses carry the numbers");
    assert!(!md.contains("{buyer}") && !md.contains("{support_years}"));
}

#[test]
fn a_purchase_of_something_outside_the_plant_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let plant = format!("{SMALL}zone vendor : external\nasset vpc in vendor {{ kind workstation }}\npurchase q {{ assets [vpc, line] }}\n");
    write_files(tmp.path(), &[("kojo.kdl", "project \"t\"\n"), ("plant.kojo", &plant)]);
    let out = kojo(tmp.path(), &["procure", "q"]);
    assert_exit(&out, 2);
    assert!(text(&out.stderr).contains("purchase `q` lists `vpc`, outside the plant"), "{}", text(&out.stderr));
}

/// A template that is a link out of the project is never read: a pull
/// request could point it at the CI's environment or its git credentials.
#[cfg(unix)]
#[test]
fn a_template_linked_out_of_the_project_is_not_read() {
    let tmp = tempfile::tempdir().unwrap();
    let secret = tempfile::tempdir().unwrap();
    std::fs::write(secret.path().join("token"), "hunter2-secret").unwrap();
    write_files(tmp.path(), &[("kojo.kdl", "project \"t\"\n"), ("plant.kojo", SMALL)]);
    std::fs::create_dir_all(tmp.path().join("templates")).unwrap();
    std::os::unix::fs::symlink(secret.path().join("token"), tmp.path().join("templates/procurement.md.tera")).unwrap();
    for args in [&["procure", "asset:line"][..], &["check"][..]] {
        let out = kojo(tmp.path(), args);
        assert!(out.status.code().is_some_and(|c| c >= 2), "{args:?}");
        let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
        assert!(!all.contains("hunter2"), "{args:?}: {all}");
        assert!(all.contains("leads out of the project"), "{args:?}: {all}");
    }
}

/// What the model shows of each requirement today is for the buyer's own
/// copy (`--internal`), not for suppliers; a waiver is a deviation the
/// supplier is told of in either.
#[test]
fn the_model_status_is_internal_and_waivers_are_deviations() {
    let small = support::repo().join("examples/small-plant");
    let supplier = procure(&small, &["plc1"]);
    let internal = procure(&small, &["plc1", "--internal"]);
    assert!(!supplier.contains("In the model today"));
    assert!(internal.contains("- In the model today: in force on plc1."), "{internal}");
    assert!(internal.contains("- In the model today: not in force on plc1."));
    // small-plant waives DEV-ENCRYPTION on plc1 (SLMP has no encryption).
    let deviation = "Deviation agreed in the model: DEV-ENCRYPTION is waived for plc1 until 2027-03-31";
    assert!(supplier.contains(deviation) && internal.contains(deviation), "{supplier}");
}

/// `kojo check` catches a project template that cannot be used, so CI does
/// before any document is written.
#[test]
fn check_reports_broken_templates() {
    let tmp = tempfile::tempdir().unwrap();
    write_files(
        tmp.path(),
        &[
            ("kojo.kdl", "project \"t\"\n"),
            ("plant.kojo", SMALL),
            ("templates/procurement.md.tera", "{% for %}"),
            ("templates/procurment.md.tera", "typo in the name"),
        ],
    );
    let out = kojo(tmp.path(), &["check"]);
    assert_exit(&out, 3);
    let err = text(&out.stderr);
    assert_eq!(err.matches("`kojo explain KOJO-E0601` says more").count(), 2, "{err}");
    assert!(err.contains("templates/procurement.md.tera` cannot be used"), "{err}");
    assert!(err.contains("`procurment.md.tera` overrides no built-in template"), "{err}");
}

fn html_in_chromium(lang: &str, headings: &[&str]) {
    let tmp = tempfile::tempdir().unwrap();
    let page = tmp.path().join("spec.html");
    let html = guideline(&["line1_upgrade", "--format", "html", "--lang", lang]);
    assert!(browser::remote_urls(&html).is_empty(), "{:?}", browser::remote_urls(&html));
    std::fs::write(&page, &html).unwrap();
    let scratch = tmp.path().join("chromium");
    std::fs::create_dir_all(&scratch).unwrap();
    browser::assert_clean_console(&page, &scratch);
    browser::assert_not_blank(&page, &scratch, 0.02);
    browser::assert_pdf(&page, &scratch, headings, 10);
}

#[test]
fn html_specification_in_chromium_ja() {
    html_in_chromium("ja", &["調達仕様書", "機器のセキュリティ機能要件", "受入試験", "取引先"]);
}

#[test]
fn html_specification_in_chromium_en() {
    html_in_chromium("en", &["Procurement specification", "Device security functions", "Acceptance testing"]);
}

/// A measure whose rules all need a capability the item lacks (a PLC has no
/// user accounts, so no MFA) is not a requirement of its specification but
/// is listed as not applicable with the reason; declared capabilities
/// bring it back.
#[test]
fn measures_an_item_lacks_the_capability_for_are_listed_as_not_applicable() {
    let plc = guideline(&["plc1"]);
    assert!(!cited(&plc).iter().any(|id| id == "device.user-restriction.high"), "MFA is no requirement of a PLC");
    let (_, listed) = plc.split_once("### Not applicable").expect("a not-applicable list");
    let mfa = listed.lines().find(|l| l.contains("(device.user-restriction.high)")).expect("MFA listed");
    assert!(mfa.contains("plc1 lacks: User accounts (the default for its kind, PLC"), "{mfa}");
    assert!(cited(&guideline(&["hmi1"])).iter().any(|id| id == "device.user-restriction.high"));
    let ja = guideline(&["plc1", "--lang", "ja"]);
    assert!(ja.contains("### 適用外") && ja.contains("plc1：ユーザアカウントを持たない（機器種別「PLC"), "{ja}");

    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            ("kojo.kdl", "project \"p\"\n"),
            (
                "plant.kojo",
                "plant \"P\" { profile meti-factory }\nzone control { subnet 10.0.0.0/24; tier high }\n\
                 asset old \"Old PLC\" in control { kind plc; ip 10.0.0.10 }\n\
                 asset new \"New PLC\" in control { kind plc; ip 10.0.0.11; capabilities [user-accounts, on-premises] }\n",
            ),
        ],
    );
    let old = procure(dir.path(), &["old"]);
    assert!(old.contains("old lacks: User accounts (the default for its kind"), "{old}");
    let new = procure(dir.path(), &["new"]);
    assert!(cited(&new).iter().any(|id| id == "device.user-restriction.high"), "declared: it applies");
    assert!(new.contains("new lacks: General-purpose operating system (as the model declares)"), "{new}");
}
