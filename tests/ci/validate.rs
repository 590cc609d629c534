//! The real validators of the CI formats, which `.ci/test` installs:
//!
//! - SARIF: Microsoft's SARIF Multitool (`npm install --prefix
//!   target/ci-tools @microsoft/sarif-multitool-linux@5.7.0`), which checks
//!   the schema and SARIF's own rules, and python `jsonschema` against the
//!   schema that ships in that package (the Multitool alone misses some
//!   schema errors: it reads the file into its object model first).
//! - JUnit XML: `xmllint --schema tests/ci/junit.xsd` (Debian
//!   `libxml2-utils`).
//!
//! A missing tool fails the test unless `KOJO_SKIP_TOOLS=1`, which skips
//! the check and says so.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const MULTITOOL_VERSION: &str = "5.7.0";

fn skip_tools() -> bool {
    std::env::var("KOJO_SKIP_TOOLS").is_ok_and(|v| v == "1")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Runs a validator; `None` (said loudly) when it is missing and
/// `KOJO_SKIP_TOOLS=1`.
fn run(command: &mut Command, what: &str, install: &str) -> Option<Output> {
    match command.output() {
        Ok(out) => Some(out),
        Err(e) if skip_tools() => {
            eprintln!("SKIPPING the {what} check: it did not run ({e}); KOJO_SKIP_TOOLS=1");
            None
        }
        Err(e) => panic!("{what} did not run ({e}): {install}, or set KOJO_SKIP_TOOLS=1"),
    }
}

/// Where `.ci/test` installs the npm package.
fn package() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"), PathBuf::from);
    target.join("ci-tools/node_modules/@microsoft/sarif-multitool-linux")
}

fn multitool_install() -> String {
    format!(
        "install the SARIF Multitool (npm install --prefix target/ci-tools @microsoft/sarif-multitool-linux@{MULTITOOL_VERSION}, as .ci/test does)"
    )
}

/// Validates a SARIF file with both validators; panics with what they say.
pub fn sarif(path: &Path) {
    multitool(path);
    json_schema(path);
}

/// The Multitool exits 0 whatever it finds, so its own SARIF log is read:
/// any result at level error or warning (the default level) fails. Notes
/// (advice such as "provide a snippet") are fine, but there must be some:
/// a file it could not read gives none at all. Rule SARIF2006 (URIs are
/// reachable over HTTP) is off: tests do not use the network.
fn multitool(path: &Path) {
    let tool = package().join("Sarif.Multitool");
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.xml");
    std::fs::write(
        &config,
        r#"<?xml version="1.0" encoding="utf-8"?>
<Properties>
  <Properties Key="SARIF2006.UrisShouldBeReachable.Options">
    <Property Key="RuleEnabled" Value="Disabled" Type="Driver.RuleEnabledState" />
  </Properties>
</Properties>
"#,
    )
    .unwrap();
    let log = dir.path().join("validation.sarif");
    let mut command = Command::new(&tool);
    command
        .arg("validate")
        .arg("--config")
        .arg(&config)
        .args(["--rule-kind", "Sarif;Gh", "--level", "Error;Warning;Note", "--output"])
        .arg(&log)
        .arg(path)
        .env("DOTNET_CLI_TELEMETRY_OPTOUT", "1");
    let Some(out) = run(&mut command, "SARIF Multitool", &multitool_install()) else { return };
    let printed = format!("{}{}", text(&out.stdout), text(&out.stderr));
    assert!(out.status.success(), "the SARIF Multitool failed on {}:\n{printed}", path.display());
    let report: Value = serde_json::from_slice(&std::fs::read(&log).unwrap()).unwrap();
    let run = &report["runs"][0];
    let results = run["results"].as_array().cloned().unwrap_or_default();
    let problems: Vec<String> = results
        .iter()
        .filter(|r| matches!(r["level"].as_str(), None | Some("error" | "warning")))
        .map(|r| format!("{} {}: {}", r["ruleId"], r["level"], r["message"]))
        .collect();
    assert!(problems.is_empty(), "the SARIF Multitool on {}:\n{}\n{printed}", path.display(), problems.join("\n"));
    assert!(!results.is_empty(), "the SARIF Multitool said nothing at all about {}:\n{printed}", path.display());
    for invocation in run["invocations"].as_array().into_iter().flatten() {
        assert_eq!(invocation["executionSuccessful"], true, "{printed}");
        for notification in invocation["toolExecutionNotifications"].as_array().into_iter().flatten() {
            assert_ne!(notification["level"], "error", "{notification}\n{printed}");
        }
    }
}

/// python `jsonschema` against the schema in the Multitool's package.
fn json_schema(path: &Path) {
    let schema = package().join("sarif-2.1.0.json");
    if !schema.is_file() {
        assert!(
            skip_tools(),
            "no SARIF schema at {}: {}, or set KOJO_SKIP_TOOLS=1",
            schema.display(),
            multitool_install()
        );
        eprintln!("SKIPPING the SARIF JSON schema check: no {}; KOJO_SKIP_TOOLS=1", schema.display());
        return;
    }
    let script = "import json, sys, jsonschema\n\
        schema = json.load(open(sys.argv[1], encoding='utf-8'))\n\
        log = json.load(open(sys.argv[2], encoding='utf-8'))\n\
        cls = jsonschema.validators.validator_for(schema)\n\
        cls.check_schema(schema)\n\
        errors = list(cls(schema, format_checker=cls.FORMAT_CHECKER).iter_errors(log))\n\
        for e in errors: print('/'.join(map(str, e.absolute_path)), e.message)\n\
        sys.exit(1 if errors else 0)\n";
    let mut command = Command::new("python3");
    command.arg("-c").arg(script).arg(&schema).arg(path);
    let install = "install python3 and jsonschema (python3 -m pip install 'jsonschema==4.26.0')";
    let Some(out) = run(&mut command, "python3 jsonschema", install) else { return };
    let printed = format!("{}{}", text(&out.stdout), text(&out.stderr));
    if printed.contains("No module named 'jsonschema'") && skip_tools() {
        eprintln!("SKIPPING the SARIF JSON schema check: {printed}; KOJO_SKIP_TOOLS=1");
        return;
    }
    assert!(out.status.success(), "{} is not valid against the SARIF 2.1.0 schema:\n{printed}", path.display());
}

/// `xmllint --noout --schema tests/ci/junit.xsd`.
pub fn junit(path: &Path) {
    let xsd = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ci/junit.xsd");
    let mut command = Command::new("xmllint");
    command.arg("--noout").arg("--schema").arg(&xsd).arg(path);
    let Some(out) = run(&mut command, "xmllint", "install xmllint (apt-get install -y libxml2-utils)") else {
        return;
    };
    assert!(
        out.status.success(),
        "{} is not valid against tests/ci/junit.xsd:\n{}{}",
        path.display(),
        text(&out.stdout),
        text(&out.stderr)
    );
}

/// A GitLab Code Quality report: an array of issues with what GitLab
/// requires (GitLab publishes no schema to validate against).
pub fn gitlab(path: &Path) -> Vec<Value> {
    let issues: Vec<Value> = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    for issue in &issues {
        for key in ["description", "check_name", "fingerprint", "severity"] {
            assert!(issue[key].as_str().is_some_and(|s| !s.is_empty()), "{key} in {issue}");
        }
        let fingerprint = issue["fingerprint"].as_str().unwrap();
        assert!(fingerprint.len() == 32 && fingerprint.bytes().all(|b| b.is_ascii_hexdigit()), "{issue}");
        assert!(["info", "minor", "major", "critical", "blocker"].contains(&issue["severity"].as_str().unwrap()));
        assert!(issue["location"]["path"].as_str().is_some_and(|p| !p.is_empty()), "{issue}");
        assert!(issue["location"]["lines"]["begin"].as_u64().is_some_and(|l| l >= 1), "{issue}");
    }
    let mut fingerprints: Vec<&str> = issues.iter().map(|i| i["fingerprint"].as_str().unwrap()).collect();
    fingerprints.sort_unstable();
    fingerprints.dedup();
    assert_eq!(fingerprints.len(), issues.len(), "fingerprints are unique");
    issues
}
