//! Explicit applicability end to end: a requirement that needs a capability
//! an asset lacks is no finding but a not-applicable entry with its reason,
//! in `kojo check`'s human output (`--show-not-applicable`) and its JSON;
//! declaring the capability brings the requirement back. Organisations'
//! profiles are checked for the capabilities they name.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::Path;
use std::process::{Command, Output};

use kojo_compiler::MemorySource;
use kojo_lang::Code;

fn kojo(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kojo")).args(args).current_dir(cwd).env("NO_COLOR", "1").output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A project with one high-tier zone and a PLC, its items given.
fn plant(plc: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("kojo.kdl"), "project \"t\"\n").unwrap();
    let source = format!(
        "plant \"T\" {{ profile meti-factory }}\nzone control \"C\" {{ subnet 10.0.0.0/24; tier high }}\n\
         asset plc1 \"PLC\" in control {{ kind plc; ip 10.0.0.10{plc} }}\n"
    );
    std::fs::write(dir.path().join("plant.kojo"), source).unwrap();
    dir
}

fn json(dir: &Path) -> serde_json::Value {
    let out = kojo(&["check", "--format", "json"], dir);
    serde_json::from_slice(&out.stdout).unwrap()
}

fn rules(value: &serde_json::Value) -> Vec<String> {
    value["diagnostics"].as_array().unwrap().iter().filter_map(|d| d["code"].as_str().map(str::to_owned)).collect()
}

#[test]
fn a_plc_without_user_accounts_gets_no_mfa_finding_but_a_reason() {
    let dir = plant("");
    let out = kojo(&["check"], dir.path());
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(!stderr.contains("NW-MFA"), "{stderr}");
    assert!(
        stdout.contains("requirements not applicable on 1 asset (`--show-not-applicable` lists them with the reason)"),
        "{stdout}"
    );

    let out = kojo(&["check", "--show-not-applicable"], dir.path());
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(
            "  NW-MFA (Multi-factor authentication) on asset `plc1`: lacks `user-accounts` (the default of kind `plc`)"
        ),
        "{stderr}"
    );

    let value = json(dir.path());
    assert!(!rules(&value).iter().any(|r| r == "NW-MFA"), "{value}");
    let entries = value["not_applicable"].as_array().unwrap();
    let mfa = entries.iter().find(|e| e["rule"] == "NW-MFA").expect("NW-MFA is listed");
    assert_eq!(mfa["entity"], "asset:plc1");
    assert_eq!(mfa["missing"], serde_json::json!(["user-accounts"]));
    assert_eq!(mfa["from"], "kind");
    assert_eq!(mfa["reason"], "lacks `user-accounts` (the default of kind `plc`)");
}

#[test]
fn declaring_user_accounts_brings_mfa_back() {
    let dir = plant("; capabilities [user-accounts, on-premises]");
    let value = json(dir.path());
    assert!(rules(&value).iter().any(|r| r == "NW-MFA"), "{value}");
    let entries = value["not_applicable"].as_array().unwrap();
    assert!(!entries.iter().any(|e| e["rule"] == "NW-MFA"));
    let host_fw = entries.iter().find(|e| e["rule"] == "DEV-HOST-FIREWALL").expect("still no general-purpose OS");
    assert_eq!(host_fw["from"], "asset");
    assert_eq!(host_fw["reason"], "lacks `general-purpose-os` (the asset's own `capabilities`)");
}

#[test]
fn a_misspelt_capability_is_an_error_with_a_guess() {
    let dir = plant("; capabilities [user-acounts]");
    let out = kojo(&["check"], dir.path());
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("KOJO-E0323") && stderr.contains("did you mean `user-accounts`?"), "{stderr}");
}

#[test]
fn a_project_profile_naming_an_unknown_capability_is_reported() {
    let mut source = MemorySource::new("p").with_file("plant.kojo", "plant \"T\" { profile acme }\n");
    let requirement =
        "[[requirements]]\nid = \"ACME-MFA\"\nlabel = { en = \"M\", ja = \"M\" }\napplies_to = \"asset\"\n\
                       tier = \"minimum\"\nany_of = [\"mfa\"]\ntable = \"network\"\nitem = \"user-restriction\"\n\
                       source = \"3.2.2(1)①\"\nneeds = [\"accounts\"]\n";
    source.profiles.push((
        "profiles/acme.toml".into(),
        format!("id = \"acme\"\nlabel = {{ en = \"A\", ja = \"A\" }}\n{requirement}"),
    ));
    let checked = kojo_compiler::check(&source, &[]);
    let codes: Vec<Code> = checked.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, [Code::InvalidProfile], "{:?}", checked.diagnostics);
    assert!(
        checked.diagnostics[0].message.contains("unknown capability `accounts`"),
        "{}",
        checked.diagnostics[0].message
    );
}

#[test]
fn the_requirement_page_says_what_it_needs() {
    let out = kojo(&["explain", "NW-MFA"], Path::new(env!("CARGO_MANIFEST_DIR")));
    let page = text(&out.stdout);
    assert!(page.contains("- `user-accounts`: User accounts / ユーザアカウント"), "{page}");
}
