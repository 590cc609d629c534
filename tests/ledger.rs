//! `kojo ledger` end to end: the ledger of each example in each format
//! (golden files), the CSV read back by an RFC 4180 reader with hostile
//! text surviving as text (never as a formula), the byte-order mark, the
//! CycloneDX SBOM validated against the CycloneDX 1.6 JSON schema by
//! `cyclonedx-python-lib` (which must reject a broken one), and a
//! 10,000-asset synthetic plant.
//!
//! A missing validator fails the test unless `KOJO_SKIP_TOOLS=1`.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

#[allow(dead_code)]
#[path = "documents/support.rs"]
mod support;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use support::{assert_exit, kojo, text, write_files, NOW};

const EXAMPLES: [&str; 3] = ["examples/guideline-factory", "examples/small-plant", "examples/semiconductor-fab"];

fn ledger(dir: &Path, args: &[&str]) -> Vec<u8> {
    let mut all = vec!["ledger"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--now", NOW]);
    let out = kojo(dir, &all);
    assert_exit(&out, 0);
    out.stdout
}

/// Hostile text in every free-text field a cell or a property takes.
const HOSTILE: &str = r#"plant "T" { name "Plant, \"quoted\"" }
zone line "Line, one" { subnet 10.2.0.0/24; vlan 20 }
asset plc1 "=HYPERLINK(\"http://x\",\"y\")" in line { kind plc; ip 10.2.0.5; vendor "+cmd|' /C calc'!A0"; model "-2+3"; firmware "@SUM(1)" }
asset hmi1 "HMI, \"line 1\"\nsecond line" in line { kind hmi; ip 10.2.0.6; vendor "\tTab"; model "<img src=x onerror=alert(1)>" }
waive NW-MFA on asset hmi1 { reason "=1+1, \"not\"\r\nyet"; until 2027-01-31 }
"#;

fn hostile() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    write_files(tmp.path(), &[("kojo.kdl", "project \"t\"\n"), ("plant.kojo", HOSTILE)]);
    tmp
}

#[test]
fn golden_ledgers() {
    for example in EXAMPLES {
        let dir = support::repo().join(example);
        let stem = Path::new(example).file_name().unwrap().to_string_lossy().into_owned();
        let cases: [(&str, &[&str]); 4] = [
            ("en.csv", &["--lang", "en"]),
            ("ja.csv", &["--lang", "ja"]),
            ("json", &["--format", "json", "--lang", "en"]),
            ("cdx.json", &["--format", "cyclonedx"]),
        ];
        for (suffix, args) in cases {
            let out = text(&ledger(&dir, args));
            let name = format!("ledger__{stem}.{suffix}");
            insta::with_settings!({ snapshot_path => "snapshots/documents", prepend_module_to_snapshot => false }, {
                insta::assert_snapshot!(name, out);
            });
        }
    }
}

/// RFC 4180: fields separated by commas, records by CRLF; a quoted field
/// holds anything, its quotes doubled. Fails on anything else.
fn read_csv(input: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut chars = input.chars().peekable();
    let mut at_start = true;
    while let Some(c) = chars.next() {
        match c {
            '"' if at_start => loop {
                match chars.next() {
                    Some('"') if chars.peek() == Some(&'"') => {
                        chars.next();
                        field.push('"');
                    }
                    Some('"') => break,
                    Some(other) => field.push(other),
                    None => panic!("unterminated quoted field"),
                }
            },
            '"' => panic!("a quote inside an unquoted field: {field:?}"),
            ',' => {
                record.push(std::mem::take(&mut field));
                at_start = true;
                continue;
            }
            '\r' => {
                assert_eq!(chars.next(), Some('\n'), "CR without LF after {field:?}");
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
                at_start = true;
                continue;
            }
            '\n' => panic!("a bare LF ends a record after {field:?}"),
            other => field.push(other),
        }
        at_start = false;
    }
    assert!(field.is_empty() && record.is_empty(), "the last record has no CRLF");
    records
}

#[test]
fn the_csv_reads_back_and_hostile_text_stays_text() {
    let tmp = hostile();
    let csv = text(&ledger(tmp.path(), &[]));
    let rows = read_csv(&csv);
    assert_eq!(rows.len(), 3, "{csv}");
    assert!(rows.iter().all(|r| r.len() == rows[0].len()), "{rows:?}");
    assert_eq!(rows[0][0], "Name");
    // Zone order, then name.
    let hmi = &rows[1];
    let plc = &rows[2];
    assert_eq!((hmi[0].as_str(), plc[0].as_str()), ("hmi1", "plc1"));
    assert_eq!(hmi[1], "HMI, \"line 1\"\nsecond line");
    assert_eq!(hmi[2], "line");
    assert_eq!(hmi[8], "'\tTab");
    assert_eq!(hmi[9], "<img src=x onerror=alert(1)>");
    assert_eq!(hmi[15], "NW-MFA until 2027-01-31: =1+1, \"not\"\r\nyet");
    // Every cell starting like a formula has the apostrophe first.
    assert_eq!(plc[1], "'=HYPERLINK(\"http://x\",\"y\")");
    assert_eq!(plc[8], "'+cmd|' /C calc'!A0");
    assert_eq!(plc[9], "'-2+3");
    assert_eq!(plc[10], "'@SUM(1)");
    for cell in rows.iter().flatten() {
        assert!(!cell.starts_with(['=', '+', '-', '@', '\t', '\r']), "{cell:?}");
    }
}

#[test]
fn the_japanese_header_comes_from_the_message_files() {
    let tmp = hostile();
    let rows = read_csv(&text(&ledger(tmp.path(), &["--lang", "ja"])));
    assert_eq!(&rows[0][..3], ["名前", "名称", "ゾーン"]);
    assert_eq!(rows[1][15], "NW-MFA（2027-01-31まで例外承認）：=1+1, \"not\"\r\nyet");
}

#[test]
fn the_byte_order_mark_is_only_a_prefix_and_only_for_csv() {
    let dir = support::repo().join("examples/guideline-factory");
    let plain = ledger(&dir, &["--lang", "ja"]);
    let marked = ledger(&dir, &["--lang", "ja", "--bom"]);
    assert_eq!(&marked[..3], [0xEF, 0xBB, 0xBF]);
    assert_eq!(&marked[3..], plain.as_slice());
    assert_ne!(&plain[..3], [0xEF, 0xBB, 0xBF]);
    for format in ["json", "cyclonedx"] {
        let out = kojo(&dir, &["ledger", "--format", format, "--bom"]);
        assert_exit(&out, 2);
        assert!(out.stdout.is_empty());
        assert!(text(&out.stderr).contains("--bom applies to CSV only"), "{}", text(&out.stderr));
    }
}

#[test]
fn a_project_that_does_not_compile_writes_no_ledger() {
    let tmp = tempfile::tempdir().unwrap();
    write_files(
        tmp.path(),
        &[("kojo.kdl", "project \"t\"\n"), ("plant.kojo", "plant \"T\"\nasset a in nowhere { kind plc }\n")],
    );
    let out = kojo(tmp.path(), &["ledger"]);
    assert_exit(&out, 3);
    assert!(out.stdout.is_empty());
    assert!(text(&out.stderr).contains("nowhere"), "{}", text(&out.stderr));
}

#[test]
fn the_json_is_versioned_and_has_every_asset() {
    let tmp = hostile();
    let json: serde_json::Value = serde_json::from_slice(&ledger(tmp.path(), &["--format", "json"])).unwrap();
    assert_eq!(json["kind"], "kojo-ledger");
    assert_eq!(json["version"], 1);
    assert_eq!(json["date"], NOW);
    let assets = json["assets"].as_array().unwrap();
    let names: Vec<&str> = assets.iter().map(|a| a["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["hmi1", "plc1"]);
    // The JSON is data: no apostrophe is added.
    assert_eq!(assets[1]["vendor"], "+cmd|' /C calc'!A0");
    assert_eq!(assets[0]["waivers"][0]["rules"][0], "NW-MFA");
    assert_eq!(assets[1]["tier"]["id"], "minimum");
}

/// An expired waiver covers nothing on the document date.
#[test]
fn expired_waivers_are_not_listed() {
    let tmp = hostile();
    let out = kojo(tmp.path(), &["ledger", "--format", "json", "--now", "2027-02-01"]);
    assert_exit(&out, 0);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["assets"][0]["waivers"], serde_json::json!([]));
}

/// `cyclonedx-python-lib`'s strict validator on `bom`: its errors, if any.
fn validate_cyclonedx(bom: &[u8]) -> Option<Result<(), String>> {
    const SCRIPT: &str = "import sys\n\
        from cyclonedx.schema import SchemaVersion\n\
        from cyclonedx.validation.json import JsonStrictValidator\n\
        error = JsonStrictValidator(SchemaVersion.V1_6).validate_str(sys.stdin.read())\n\
        print(error if error is not None else 'valid')\n\
        sys.exit(1 if error is not None else 0)\n";
    let import = Command::new("python3").args(["-c", "import cyclonedx.validation.json, jsonschema"]).output();
    if !import.is_ok_and(|o| o.status.success()) {
        assert!(
            support::skip_tools(),
            "cyclonedx-python-lib[json-validation] is missing: run .ci/test as root, or set KOJO_SKIP_TOOLS=1"
        );
        return None;
    }
    let mut child = Command::new("python3")
        .args(["-c", SCRIPT])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(bom).unwrap();
    let out = child.wait_with_output().unwrap();
    let said = format!("{}{}", text(&out.stdout), text(&out.stderr));
    Some(if out.status.success() { Ok(()) } else { Err(said) })
}

#[test]
fn the_sbom_is_valid_cyclonedx_1_6() {
    let tmp = hostile();
    let mut boms: Vec<(String, Vec<u8>)> = EXAMPLES
        .iter()
        .map(|e| (e.to_string(), ledger(&support::repo().join(e), &["--format", "cyclonedx"])))
        .collect();
    boms.push(("hostile".to_string(), ledger(tmp.path(), &["--format", "cyclonedx"])));
    for (name, bom) in &boms {
        let Some(result) = validate_cyclonedx(bom) else { return };
        assert_eq!(result, Ok(()), "{name}");
        let json: serde_json::Value = serde_json::from_slice(bom).unwrap();
        assert_eq!(json["specVersion"], "1.6");
        assert_eq!(json["metadata"]["timestamp"], format!("{NOW}T00:00:00Z"));
    }
    // The validator is not a rubber stamp: a component type CycloneDX does
    // not define is refused.
    let broken = text(&boms[0].1).replacen("\"type\": \"device\"", "\"type\": \"plant\"", 1);
    assert!(validate_cyclonedx(broken.as_bytes()).unwrap().is_err());
}

#[test]
fn the_sbom_is_deterministic_and_names_each_device_and_its_firmware() {
    let dir = support::repo().join("examples/small-plant");
    let first = ledger(&dir, &["--format", "cyclonedx"]);
    assert_eq!(first, ledger(&dir, &["--format", "cyclonedx"]));
    let json: serde_json::Value = serde_json::from_slice(&first).unwrap();
    let serial = json["serialNumber"].as_str().unwrap();
    assert!(serial.starts_with("urn:uuid:") && &serial[23..24] == "5", "{serial}");
    let utm = json["components"].as_array().unwrap().iter().find(|c| c["bom-ref"] == "asset:utm1").unwrap();
    assert_eq!(utm["type"], "device");
    assert_eq!(utm["manufacturer"]["name"], "ExampleNet");
    assert_eq!(utm["components"][0]["type"], "firmware");
    assert_eq!(utm["components"][0]["version"], "7.4.3");
    let props: Vec<(&str, &str)> = utm["properties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["name"].as_str().unwrap(), p["value"].as_str().unwrap()))
        .collect();
    assert!(props.contains(&("kojo:zone", "internet")), "{props:?}");
    assert!(props.contains(&("kojo:tier", "high")), "{props:?}");
    assert!(props.contains(&("kojo:model", "UTM-60")), "{props:?}");
    // Another date is another document.
    let later = kojo(&dir, &["ledger", "--format", "cyclonedx", "--now", "2027-01-01"]);
    assert_exit(&later, 0);
    let later: serde_json::Value = serde_json::from_slice(&later.stdout).unwrap();
    assert_ne!(later["serialNumber"], json["serialNumber"]);
}

/// A plant of 10,000 assets (and its core firewall): every one is a row (the ledger is linear in
/// the assets; the figures are in docs/performance.md, not timed here).
#[test]
fn a_ten_thousand_asset_plant_has_a_row_per_asset() {
    let tmp = tempfile::tempdir().unwrap();
    let files = kojo::synth::plant(kojo::synth::Params::with_assets(10_000));
    let borrowed: Vec<(&str, &str)> = files.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
    write_files(tmp.path(), &borrowed);
    let declared = files.iter().flat_map(|(_, t)| t.lines()).filter(|l| l.starts_with("asset ")).count();
    assert!(declared > 10_000, "{declared}");
    let csv = text(&ledger(tmp.path(), &[]));
    assert_eq!(read_csv(&csv).len(), declared + 1);
}
