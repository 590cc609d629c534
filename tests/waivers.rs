//! `kojo check` on a project with grouped waivers: a zone and its assets,
//! the assets of a kind, several rules at once; what they hide, what they
//! say when a part waives nothing, and `kojo diff` when a set scope grows.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

const NOW: &str = "2026-06-01";

const PLANT: &str = r#"plant "T" { profile meti-factory }

zone office "Office" { subnet 10.1.0.0/24; controls [physical-access-control] }
zone lab "Lab" { subnet 10.3.0.0/24 }

asset kiosk1 "Kiosk 1" in office { kind workstation; ip 10.1.0.5 }
asset kiosk2 "Kiosk 2" in office { kind workstation; ip 10.1.0.6 }
asset bench1 "Bench PC 1" in lab { kind workstation; ip 10.3.0.5; controls [physical-access-control] }
"#;

const WAIVERS: &str = r#"// The office and everything in it: one decision.
waive [NW-PASSWORD-POLICY, NW-REMOVE-UNNEEDED-USERS] on zone office and its assets {
  reason "shared kiosk logins until the directory service"
  until 2027-01-31
  compensating [physical-access-control]
}

// Every workstation of the lab.
waive NW-PASSWORD-POLICY on assets of kind workstation in zone lab {
  reason "bench PCs are re-imaged nightly"
  until 2027-01-31
  compensating [physical-access-control]
}
"#;

fn kojo(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kojo")).args(args).current_dir(cwd).env("NO_COLOR", "1").output().unwrap()
}

fn project(plant: &str, waivers: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("kojo.kdl"), "project \"waivers\"\n").unwrap();
    std::fs::write(dir.path().join("plant.kojo"), plant).unwrap();
    std::fs::write(dir.path().join("waivers.kojo"), waivers).unwrap();
    dir
}

fn check_json(dir: &Path) -> Value {
    let out = kojo(&["check", "--now", NOW, "--format", "json"], dir);
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

/// `(rule, fingerprint)` of the diagnostics under `key` in `kojo check --format json`.
fn listed(json: &Value, key: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = json[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default().to_string(),
                d["fingerprint"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

fn of_rule<'a>(list: &'a [(String, String)], rule: &str) -> Vec<&'a str> {
    list.iter().filter(|(r, _)| r == rule).map(|(_, f)| f.as_str()).collect()
}

#[test]
fn a_zone_and_its_assets_and_a_kind_waiver_hide_their_findings() {
    let dir = project(PLANT, WAIVERS);
    let json = check_json(dir.path());
    let waived = listed(&json, "waived");
    assert_eq!(
        of_rule(&waived, "NW-PASSWORD-POLICY"),
        ["NW-PASSWORD-POLICY/asset:bench1", "NW-PASSWORD-POLICY/asset:kiosk1", "NW-PASSWORD-POLICY/asset:kiosk2"],
        "{json:#}"
    );
    assert_eq!(
        of_rule(&waived, "NW-REMOVE-UNNEEDED-USERS"),
        ["NW-REMOVE-UNNEEDED-USERS/asset:kiosk1", "NW-REMOVE-UNNEEDED-USERS/asset:kiosk2"]
    );
    let reported = listed(&json, "diagnostics");
    // Outside the office waiver's scope the second rule is still reported.
    assert_eq!(of_rule(&reported, "NW-REMOVE-UNNEEDED-USERS"), ["NW-REMOVE-UNNEEDED-USERS/asset:bench1"]);
    assert!(of_rule(&reported, "NW-PASSWORD-POLICY").is_empty(), "{reported:?}");
    // The zone's compensating control is in force for the kiosks, the
    // bench PC has its own: nothing is missing, and nothing is unused.
    assert!(of_rule(&reported, "WAIVER-COMPENSATING-MISSING").is_empty(), "{reported:?}");
    assert!(of_rule(&reported, "WAIVER-UNUSED").is_empty(), "{reported:?}");
}

#[test]
fn a_kind_waiver_asks_each_asset_for_its_compensating_controls() {
    let plant = PLANT.replace("ip 10.3.0.5; controls [physical-access-control] }", "ip 10.3.0.5 }");
    let dir = project(&plant, WAIVERS);
    let out = kojo(&["check", "--now", NOW], dir.path());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("`bench1` does not have the compensating control `physical-access-control`"), "{err}");
}

/// The messages of `kojo check --format json`'s diagnostics.
fn messages(dir: &Path) -> Vec<String> {
    let json = check_json(dir);
    json["diagnostics"].as_array().unwrap().iter().map(|d| d["message"].as_str().unwrap().to_string()).collect()
}

#[test]
fn a_rule_that_never_applies_to_the_scope_is_named() {
    let waivers = WAIVERS.replace(
        "[NW-PASSWORD-POLICY, NW-REMOVE-UNNEEDED-USERS]",
        "[NW-PASSWORD-POLICY, NW-REMOVE-UNNEEDED-USERS, NW-TRAFFIC-FW]",
    );
    let dir = project(PLANT, &waivers);
    let messages = messages(dir.path());
    // A conduit rule on a zone and its assets; the other two rules still waive.
    assert!(
        messages.contains(&"`NW-TRAFFIC-FW` never applies to zones and assets: it is checked on conduits".to_string()),
        "{messages:#?}"
    );
    assert!(!messages.iter().any(|m| m.contains("NW-PASSWORD-POLICY")), "{messages:#?}");
}

#[test]
fn overlapping_scopes_are_one_waiver_too_many() {
    // The kind waiver, moved to the office, covers the kiosks the office waiver covers.
    let dir = project(PLANT, &WAIVERS.replace("in zone lab", "in zone office"));
    let out = kojo(&["check", "--now", NOW], dir.path());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "a compile error: {err}");
    assert!(err.contains("`NW-PASSWORD-POLICY` is waived twice for `asset:kiosk1`"), "{err}");
    assert!(err.contains("first waived here"), "{err}");
}

#[test]
fn an_empty_kind_scope_says_so() {
    let waivers = WAIVERS.replace("assets of kind workstation in zone lab", "assets of kind plc in zone lab");
    let dir = project(PLANT, &waivers);
    let messages = messages(dir.path());
    assert!(
        messages.contains(
            &"the waiver on `assets of kind plc in zone:lab` waives nothing: no asset of kind `plc` is in zone `lab`"
                .to_string()
        ),
        "{messages:#?}"
    );
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn diff_shows_a_set_scope_that_comes_to_cover_another_asset() {
    let dir = project(PLANT, WAIVERS);
    git(dir.path(), &["init", "-q", "-b", "main"]);
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-q", "-m", "plant"]);
    let bigger = format!("{PLANT}asset bench2 \"Bench PC 2\" in lab {{ kind workstation; ip 10.3.0.6; controls [physical-access-control] }}\n");
    std::fs::write(dir.path().join("plant.kojo"), bigger).unwrap();
    git(dir.path(), &["commit", "-q", "-am", "a second bench PC"]);
    let out = kojo(&["diff", "HEAD~1", "HEAD", "--format", "json"], dir.path());
    let json: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
    });
    let change = json["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["entity"] == "waiver:NW-PASSWORD-POLICY on assets of kind workstation in zone:lab")
        .unwrap_or_else(|| panic!("{json:#}"));
    assert_eq!(change["facet"], "covers", "{change}");
    assert_eq!(change["risk"], "high", "{change}");
}
