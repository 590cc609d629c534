//! The bad-input corpus: `tests/corpus/*.kojo` (and `*.kdl` manifests), one
//! or more files per diagnostic code. Each file says which codes it must
//! produce in `// expect: CODE` lines; the rendered diagnostics are
//! snapshotted beside the source.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::collections::BTreeSet;
use std::path::Path;

use kojo_compiler::MemorySource;
use kojo_lang::{Code, Severity};

const PLANT: &str = "plant \"T\" { profile meti-factory }\n";

fn expected(text: &str) -> Vec<String> {
    let mut codes: Vec<String> =
        text.lines().filter_map(|l| l.strip_prefix("// expect: ")).map(|c| c.trim().to_string()).collect();
    codes.sort();
    codes
}

fn run(path: &Path) -> (Vec<String>, String) {
    let bytes = std::fs::read(path).unwrap();
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let source = if name.ends_with(".kdl") {
        let mut source = MemorySource::new("corpus").with_file("plant.kojo", PLANT);
        source.manifest = Some(String::from_utf8(bytes).unwrap());
        source
    } else {
        // Evidence is checked against files that exist: in the corpus, none do.
        MemorySource::new("corpus").with_file(&name, bytes).with_documents::<&str>(&[])
    };
    let checked = kojo_compiler::check(&source, kojo_backends::names());
    let mut codes: Vec<String> = checked
        .diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Info)
        .map(|d| d.code.as_str().to_string())
        .collect();
    codes.sort();
    (codes, kojo::report::render_all(&checked.diagnostics, false))
}

#[test]
fn corpus() {
    let mut failures = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir("tests/corpus").unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in &entries {
        let text = String::from_utf8_lossy(&std::fs::read(path).unwrap()).into_owned();
        let (codes, rendered) = run(path);
        if codes != expected(&text) {
            failures.push(format!("{}: expected {:?}, got {:?}\n{rendered}", path.display(), expected(&text), codes));
        }
        let stem = path.file_name().unwrap().to_string_lossy().replace('.', "_");
        insta::with_settings!({ snapshot_path => "snapshots/corpus", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(stem, format!("{text}\n----- diagnostics -----\n{rendered}"));
        });
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Codes that need a real file system or generated input are covered by
/// the CLI tests in `tests/cli.rs` instead of the corpus; findings
/// (`KOJO-F0001`) and broken project profiles (`KOJO-E0108`) by the rule
/// tests in `tests/rules.rs`; the build's codes (`KOJO-E04xx`), which need a
/// model and a manifest together, by `tests/build.rs`; evidence through a
/// link and project templates (a file system) by `tests/documents.rs`.
const COVERED_ELSEWHERE: [Code; 11] = [
    Code::FileTooLarge,
    Code::ManifestNotFound,
    Code::NoSources,
    Code::Io,
    Code::Finding,
    Code::InvalidProfile,
    Code::Unrenderable,
    Code::DeviceConfig,
    Code::OutputPath,
    Code::EvidenceLeavesByLink,
    Code::InvalidTemplate,
];

#[test]
fn every_code_has_a_corpus_file_or_a_cli_test() {
    let mut covered: BTreeSet<String> = BTreeSet::new();
    for entry in std::fs::read_dir("tests/corpus").unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        covered.extend(expected(&String::from_utf8_lossy(&bytes)));
    }
    let missing: Vec<&str> = Code::ALL
        .iter()
        .filter(|c| !covered.contains(c.as_str()) && !COVERED_ELSEWHERE.contains(c))
        .map(|c| c.as_str())
        .collect();
    assert!(missing.is_empty(), "codes without a corpus file: {missing:?}");
}

#[test]
fn every_code_has_an_explain_page() {
    let missing: Vec<&str> =
        Code::ALL.iter().filter(|c| kojo_stdlib::explain_page(c.as_str()).is_none()).map(|c| c.as_str()).collect();
    assert!(missing.is_empty(), "codes without a page in stdlib/explain: {missing:?}");
}

/// The ```kojo example on each code's page produces that code.
#[test]
fn every_explain_example_triggers_its_code() {
    let mut checked_pages = 0;
    for code in Code::ALL {
        let page = kojo_stdlib::explain_page(code.as_str()).unwrap_or_default();
        let Some(start) = page.find("```kojo\n") else { continue };
        let body = &page[start + "```kojo\n".len()..];
        let body = &body[..body.find("```").unwrap()];
        let source = MemorySource::new("explain").with_file("example.kojo", body).with_documents::<&str>(&[]);
        let checked = kojo_compiler::check(&source, kojo_backends::names());
        assert!(
            checked.diagnostics.iter().any(|d| d.code == *code),
            "the example on {code}'s page does not produce {code}:\n{body}\n{}",
            kojo::report::render_all(&checked.diagnostics, false)
        );
        checked_pages += 1;
    }
    assert!(checked_pages >= 30, "only {checked_pages} pages have a kojo example");
}
