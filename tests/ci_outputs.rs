//! `kojo check`'s CI outputs: SARIF, JUnit XML, GitHub workflow commands
//! and GitLab Code Quality, written with `--output FORMAT=PATH` and printed
//! with `--format`; validated by the real validators (see
//! `ci/validate.rs`), and snapshotted for a small fixed project
//! (`tests/ci/small`).

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

#[path = "ci/validate.rs"]
mod validate;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn kojo(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kojo")).args(args).current_dir(cwd).env("NO_COLOR", "1").output().unwrap()
}

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn assert_exit(out: &Output, code: i32) {
    assert_eq!(out.status.code(), Some(code), "stdout:\n{}\nstderr:\n{}", text(&out.stdout), text(&out.stderr));
    assert!(!text(&out.stderr).contains("panicked"), "{}", text(&out.stderr));
}

/// A copy of `tests/ci/small` in `dir`, plus `extra` files.
fn small(dir: &Path, extra: &[(&str, &str)]) {
    std::fs::create_dir_all(dir).unwrap();
    for entry in std::fs::read_dir(repo().join("tests/ci/small")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.join(path.file_name().unwrap())).unwrap();
    }
    for (name, contents) in extra {
        std::fs::write(dir.join(name), contents).unwrap();
    }
}

/// The three files of one run.
struct Written {
    _dir: tempfile::TempDir,
    sarif: PathBuf,
    junit: PathBuf,
    gitlab: PathBuf,
}

/// `kojo check PROJECT --output sarif=… --output junit=… --output gitlab=…
/// --format github` from `cwd`, every output validated.
fn check_and_validate(project: &str, cwd: &Path, exit: i32) -> (Written, Output) {
    let dir = tempfile::tempdir().unwrap();
    let (sarif, junit, gitlab) =
        (dir.path().join("kojo.sarif"), dir.path().join("junit.xml"), dir.path().join("gl.json"));
    let arg = |format: &str, path: &Path| format!("{format}={}", path.display());
    let out = kojo(
        &[
            "check",
            project,
            "--now",
            "2026-01-01",
            "--output",
            &arg("sarif", &sarif),
            "--output",
            &arg("junit", &junit),
            "--output",
            &arg("gitlab", &gitlab),
            "--format",
            "github",
        ],
        cwd,
    );
    assert_exit(&out, exit);
    validate::sarif(&sarif);
    validate::junit(&junit);
    validate::gitlab(&gitlab);
    (Written { _dir: dir, sarif, junit, gitlab }, out)
}

fn json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn results(sarif: &Value) -> &Vec<Value> {
    sarif["runs"][0]["results"].as_array().unwrap()
}

#[test]
fn the_guideline_factory_validates_with_its_waivers_as_suppressions() {
    let (written, out) = check_and_validate("examples/guideline-factory", repo(), 0);
    let sarif = json(&written.sarif);
    let results = results(&sarif);
    assert!(!results.is_empty());
    for result in results {
        let suppression = &result["suppressions"][0];
        assert_eq!(suppression["kind"], "inSource", "every finding of the example is waived: {result}");
        assert!(suppression["justification"].as_str().is_some_and(|j| !j.is_empty()), "{result}");
        assert!(suppression["properties"]["until"].as_str().is_some(), "{result}");
        let uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap();
        assert!(uri.starts_with("examples/guideline-factory/"), "relative to the repository: {uri}");
        assert!(result["partialFingerprints"]["kojo/v1"].as_str().is_some(), "{result}");
    }
    let junit = std::fs::read_to_string(&written.junit).unwrap();
    assert!(junit.contains("<skipped message=\"waived until "), "{junit}");
    assert!(junit.contains("name=\"no findings\"/>"), "rules that found nothing pass");
    assert_eq!(validate::gitlab(&written.gitlab), Vec::<Value>::new(), "waived findings are no issues");
    // No annotations: only the summary line.
    assert_eq!(text(&out.stdout).lines().count(), 1, "{}", text(&out.stdout));
}

#[test]
fn findings_and_compile_errors_validate_and_the_outputs_are_written_though_the_check_fails() {
    let dir = tempfile::tempdir().unwrap();
    let attest = "attest E-1-1 level 3 {\n  evidence \"docs/missing.md\"\n}\n";
    small(dir.path(), &[("attestations.kojo", attest)]);
    let (written, out) = check_and_validate(".", dir.path(), 3);
    let sarif = json(&written.sarif);
    let rules: Vec<&str> = results(&sarif).iter().map(|r| r["ruleId"].as_str().unwrap()).collect();
    assert!(rules.contains(&"DEV-FILE-ACCESS") && rules.contains(&"WAIVER-UNUSED"), "{rules:?}");
    let compile: Vec<&str> = rules.iter().copied().filter(|r| r.starts_with("KOJO-E")).collect();
    assert_eq!(compile.len(), 1, "{rules:?}");
    let junit = std::fs::read_to_string(&written.junit).unwrap();
    assert!(junit.contains(&format!("<testcase classname=\"{}\" name=\"attestations.kojo:2:", compile[0])), "{junit}");
    assert!(junit.contains("<error type=\"KOJO-E"), "{junit}");
    let issues = validate::gitlab(&written.gitlab);
    assert!(issues.iter().any(|i| i["severity"] == "blocker" && i["location"]["path"] == "attestations.kojo"));
    let annotations = text(&out.stdout);
    assert!(annotations.contains("::error file=attestations.kojo,line=2,"), "{annotations}");
    assert!(annotations.lines().last().unwrap().starts_with("error: `small` does not compile"), "{annotations}");
}

#[test]
fn files_are_named_from_the_root_of_the_repository() {
    let dir = tempfile::tempdir().unwrap();
    git2::Repository::init(dir.path()).unwrap();
    let project = dir.path().join("site/plant");
    small(&project, &[]);
    let out = kojo(&["check", "--now", "2026-01-01", "--format", "sarif"], &project);
    assert_exit(&out, 1);
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    let uri = &results(&sarif)[0]["locations"][0]["physicalLocation"]["artifactLocation"];
    assert_eq!(uri["uri"], "site/plant/plant.kojo");
    assert_eq!(uri["uriBaseId"], "%SRCROOT%");
    let github = kojo(&["check", "site/plant", "--now", "2026-01-01", "--format", "github"], dir.path());
    assert!(
        text(&github.stdout).starts_with("::error file=site/plant/plant.kojo,line=29,"),
        "{}",
        text(&github.stdout)
    );
}

#[test]
fn outputs_are_written_atomically_relative_to_the_current_directory_and_stdout_still_prints() {
    let dir = tempfile::tempdir().unwrap();
    small(&dir.path().join("p"), &[]);
    std::fs::create_dir(dir.path().join("reports")).unwrap();
    std::fs::write(dir.path().join("reports/kojo.json"), "old").unwrap();
    let out = kojo(
        &[
            "check",
            "p",
            "--now",
            "2026-01-01",
            "--output",
            "json=reports/kojo.json",
            "--output",
            "human=reports/kojo.txt",
        ],
        dir.path(),
    );
    assert_exit(&out, 1);
    assert!(text(&out.stdout).starts_with("`small` checked: "), "{}", text(&out.stdout));
    let written: Value = json(&dir.path().join("reports/kojo.json"));
    assert_eq!(written["exit_code"], 1);
    let human = std::fs::read_to_string(dir.path().join("reports/kojo.txt")).unwrap();
    assert!(human.contains("DEV-FILE-ACCESS") && human.ends_with(&text(&out.stdout)), "{human}");
    assert!(!human.contains('\u{1b}'), "no colour in files");
    let left: Vec<_> = std::fs::read_dir(dir.path().join("reports")).unwrap().collect();
    assert_eq!(left.len(), 2, "no temporary files are left");
}

#[test]
fn bad_outputs_are_usage_errors_naming_the_formats() {
    let dir = tempfile::tempdir().unwrap();
    small(dir.path(), &[]);
    for bad in ["xml=out.xml", "sarif=", "kojo.sarif"] {
        let out = kojo(&["check", "--output", bad], dir.path());
        assert_exit(&out, 2);
        let err = text(&out.stderr);
        assert!(err.contains("human, json, sarif, junit, github, gitlab"), "{bad}: {err}");
    }
    let out = kojo(&["check", "--format", "xml"], dir.path());
    assert_exit(&out, 2);
    // A file that cannot be written: the others are, and the exit says so.
    let out = kojo(
        &["check", "--now", "2026-01-01", "--output", "sarif=no/such/dir/x.sarif", "--output", "junit=j.xml"],
        dir.path(),
    );
    assert_exit(&out, 2);
    assert!(text(&out.stderr).contains("error: cannot write `no/such/dir/x.sarif`"), "{}", text(&out.stderr));
    assert!(dir.path().join("j.xml").is_file());
}

#[test]
fn a_project_that_cannot_be_read_still_gets_its_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let out = kojo(&["check", "--output", "sarif=kojo.sarif", "--output", "junit=junit.xml"], dir.path());
    assert_exit(&out, 2);
    let sarif = json(&dir.path().join("kojo.sarif"));
    assert_eq!(results(&sarif)[0]["ruleId"], "KOJO-E0101");
    validate::sarif(&dir.path().join("kojo.sarif"));
    validate::junit(&dir.path().join("junit.xml"));
}

/// Every format for the small project, the SARIF's tool version
/// normalised so that a release does not change the snapshot.
#[test]
fn snapshots_of_every_format() {
    let dir = tempfile::tempdir().unwrap();
    small(dir.path(), &[]);
    for format in ["human", "json", "sarif", "junit", "github", "gitlab"] {
        let out = kojo(&["check", "--now", "2026-01-01", "--output", &format!("{format}=out")], dir.path());
        assert_exit(&out, 1);
        let mut written = std::fs::read_to_string(dir.path().join("out")).unwrap();
        if format == "sarif" {
            let version = format!("\"{}\"", env!("CARGO_PKG_VERSION"));
            written = written.replace(&format!("\"version\": {version}"), "\"version\": \"[version]\"");
            written = written.replace(&format!("\"semanticVersion\": {version}"), "\"semanticVersion\": \"[version]\"");
        }
        insta::with_settings!({ snapshot_path => "snapshots/ci", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(format!("small.{format}"), written);
        });
    }
}
