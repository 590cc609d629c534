//! `kojo check`'s output for people and for terminals: many findings
//! grouped by rule with what to do first, `--format full` with every
//! snippet, `--format concise` one line each, and `--show-waived` naming
//! each waiver, on a fixed plant with many findings
//! (`tests/check_output/many`).

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::Path;
use std::process::{Command, Output};

use serde_json::{json, Value};

fn kojo(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kojo")).args(args).current_dir(cwd).env("NO_COLOR", "1").output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A copy of `tests/check_output/many`, so diagnostics name `plant.kojo`.
fn many() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/check_output/many");
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
    }
    dir
}

/// `kojo check` in `dir` with `args`, expecting findings (exit 1).
fn check(dir: &Path, args: &[&str]) -> Output {
    let mut all = vec!["check", "--now", "2026-01-01"];
    all.extend_from_slice(args);
    let out = kojo(&all, dir);
    assert_eq!(out.status.code(), Some(1), "stdout:\n{}\nstderr:\n{}", text(&out.stdout), text(&out.stderr));
    out
}

fn snapshot(name: &str, value: &str) {
    insta::with_settings!({ snapshot_path => "snapshots/check_output", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(name, value);
    });
}

/// The findings as JSON, to count what the other formats show.
fn json_of(dir: &Path, args: &[&str]) -> Value {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    serde_json::from_slice(&check(dir, &all).stdout).unwrap()
}

#[test]
fn many_findings_are_grouped_by_rule_with_what_to_do_first() {
    let dir = many();
    let out = check(dir.path(), &[]);
    let (err, stdout) = (text(&out.stderr), text(&out.stdout));
    assert!(!err.contains("╭─["), "no snippet when grouped:\n{err}");
    assert!(stdout.contains("31 findings (30 errors, 1 warning)"), "{stdout}");
    snapshot("many.human", &format!("{err}{stdout}"));
}

#[test]
fn what_to_do_first_clears_what_it_says() {
    let dir = many();
    let err = text(&check(dir.path(), &[]).stderr);
    // Each step: "declare `CONTROL` on zone `line` … clears N findings".
    // The office's two workstations get a step of their own (a zone carries
    // its assets' measures); the line's three are applied below.
    assert!(err.contains("  - declare `file-access-control` on zone `office`"), "{err}");
    let steps: Vec<&str> =
        err.lines().filter(|l| l.starts_with("  - declare ") && l.contains("on zone `line`")).collect();
    assert_eq!(steps.len(), 3, "{err}");
    let controls: Vec<&str> = steps.iter().map(|s| s.split('`').nth(1).unwrap()).collect();
    assert!(steps.iter().all(|s| s.contains("on zone `line`")), "{err}");
    let clears: Vec<u64> =
        steps.iter().map(|s| s.split("clears ").nth(1).unwrap().split(' ').next().unwrap().parse().unwrap()).collect();
    assert_eq!(clears, [9, 9, 9], "{err}");
    let before = json_of(dir.path(), &[])["summary"]["errors"].as_u64().unwrap();
    let plant = std::fs::read_to_string(dir.path().join("plant.kojo")).unwrap();
    let declared = format!("  tier minimum\n  controls [{}]\n}}\n\nzone office", controls.join(", "));
    let plant = plant.replacen("  tier minimum\n}\n\nzone office", &declared, 1);
    std::fs::write(dir.path().join("plant.kojo"), plant).unwrap();
    let after = json_of(dir.path(), &[])["summary"]["errors"].as_u64().unwrap();
    assert_eq!(before - after, 27, "the three steps clear the 27 findings they say");
}

#[test]
fn full_shows_every_finding_with_its_source() {
    let dir = many();
    let value = json_of(dir.path(), &[]);
    let findings = value["diagnostics"].as_array().unwrap().len();
    let err = text(&check(dir.path(), &["--format", "full"]).stderr);
    assert_eq!(err.matches("  help: ").count(), findings, "{err}");
    assert!(!err.contains("what to do first"), "{err}");
}

#[test]
fn concise_is_one_line_per_diagnostic_then_the_summary() {
    let dir = many();
    let value = json_of(dir.path(), &[]);
    let findings = value["diagnostics"].as_array().unwrap();
    let out = check(dir.path(), &["--format", "concise"]);
    assert!(out.stderr.is_empty(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), findings.len() + 1, "{stdout}");
    for (line, finding) in lines.iter().zip(findings) {
        let at = format!(
            "{}:{}:{}: ",
            finding["file"].as_str().unwrap(),
            finding["start"]["line"],
            finding["start"]["column"]
        );
        let code =
            format!("{}[KOJO-F0001/{}]: ", finding["severity"].as_str().unwrap(), finding["code"].as_str().unwrap());
        assert_eq!(*line, format!("{at}{code}{}", finding["message"].as_str().unwrap()));
    }
    assert!(lines.last().unwrap().starts_with("`many` checked: "), "{stdout}");
    snapshot("many.concise", &stdout);
    // The same text written by `--output concise=PATH`.
    let written = dir.path().join("out.txt");
    check(dir.path(), &["--output", &format!("concise={}", written.display()), "--format", "concise"]);
    assert_eq!(std::fs::read_to_string(written).unwrap(), stdout);
}

#[test]
fn compile_errors_stay_in_full_above_grouped_findings() {
    let dir = many();
    // A missing evidence file is an error of its own, not a finding.
    let attest = "attest E-1-1 level 3 {\n  evidence \"docs/missing.pdf\"\n  owner \"Plant manager\"\n}\n";
    std::fs::write(dir.path().join("attest.kojo"), attest).unwrap();
    let out = kojo(&["check", "--now", "2026-01-01"], dir.path());
    let err = text(&out.stderr);
    let snippet = err.find("╭─[attest.kojo:2:").expect("the error with its source");
    assert!(snippet < err.find("findings in ").unwrap(), "{err}");
    assert!(err.contains("  - fix the 1 error shown above with their source: the check fails"), "{err}");
    // The plant is checked all the same: the advice still knows the zones.
    assert!(err.contains("on zone `"), "{err}");
}

#[test]
fn show_waived_names_the_waiver_in_human_and_json() {
    let dir = many();
    let err = text(&check(dir.path(), &["--show-waived"]).stderr);
    let waived = &err[err.find("waived findings").unwrap()..];
    snapshot("many.show-waived.human", waived);
    let value = json_of(dir.path(), &["--show-waived"]);
    let waived = value["waived"].as_array().unwrap();
    assert_eq!(waived.len(), 1);
    assert_eq!(
        waived[0]["waiver"],
        json!({
            "file": "waivers.kojo",
            "line": 2,
            "reason": "the vendor's recipe tool runs as one shared user; replaced in the 2027 refit",
            "until": "2099-12-31",
            "compensating": ["vuln-info"],
        })
    );
    assert_eq!(waived[0]["fingerprint"], "DEV-FILE-ACCESS/asset:ws3");
    let concise = text(&check(dir.path(), &["--format", "concise", "--show-waived"]).stdout);
    assert!(
        concise.contains(
            "plant.kojo:114:1: note[KOJO-F0001/DEV-FILE-ACCESS]: waived by waivers.kojo:2:1 until 2099-12-31: "
        ),
        "{concise}"
    );
}

#[test]
fn few_findings_are_shown_in_full_with_their_waivers() {
    let dir = many();
    // Declaring what the advice says leaves 3 findings: shown in full.
    let plant = std::fs::read_to_string(dir.path().join("plant.kojo")).unwrap();
    let plant = plant.replacen(
        "  tier minimum\n}\n\nzone office",
        "  tier minimum\n  controls [device-logs, system-logs, password-policy, remove-unneeded-users]\n}\n\nzone office",
        1,
    );
    std::fs::write(dir.path().join("plant.kojo"), plant).unwrap();
    let err = text(&check(dir.path(), &["--show-waived"]).stderr);
    assert_eq!(err.matches("╭─[").count(), 4, "3 findings and 1 waived, each with its source:\n{err}");
    assert!(!err.contains("what to do first"), "{err}");
    assert!(
        err.contains(
            "  waived by waivers.kojo:2:1 until 2099-12-31 (compensating: vuln-info): \"the vendor's recipe tool"
        ),
        "{err}"
    );
}
