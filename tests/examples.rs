//! Every example project and every ```kojo block in the docs compiles.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::Path;

use kojo_compiler::{DiskSource, MemorySource};
use kojo_lang::{Code, Severity};

#[test]
fn every_example_checks_clean() {
    let mut examples: Vec<_> = std::fs::read_dir("examples").unwrap().map(|e| e.unwrap().path()).collect();
    examples.sort();
    assert!(examples.len() >= 2);
    for example in examples.iter().filter(|p| p.join("kojo.kdl").is_file()) {
        let checked = kojo_compiler::check(&DiskSource::new(example), kojo_backends::names());
        assert!(
            checked.diagnostics.is_empty(),
            "{}:\n{}",
            example.display(),
            kojo::report::render_all(&checked.diagnostics, false)
        );
        assert!(checked.model.is_some());
    }
}

/// The ```kojo blocks of a Markdown file, with their info strings.
fn blocks(markdown: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut current: Option<(String, String)> = None;
    for line in markdown.lines() {
        match (&mut current, line.trim_start().strip_prefix("```")) {
            (None, Some(info)) if info.starts_with("kojo") => current = Some((info.to_string(), String::new())),
            (Some(_), Some(_)) => out.extend(current.take()),
            (Some((_, body)), None) => {
                body.push_str(line);
                body.push('\n');
            }
            _ => {}
        }
    }
    out
}

#[test]
fn language_doc_examples_compile() {
    let doc = std::fs::read_to_string(Path::new("docs/language.md")).unwrap();
    let blocks = blocks(&doc);
    assert!(blocks.len() >= 5, "docs/language.md has {} kojo blocks", blocks.len());
    for (i, (info, body)) in blocks.iter().enumerate() {
        let source = MemorySource::new("doc").with_file(&format!("block{i}.kojo"), body.as_bytes());
        let checked = kojo_compiler::check(&source, &[]);
        // Blocks show the language, not a compliant plant: guideline
        // findings are fine, language errors are not.
        let language: Vec<_> = checked.diagnostics.iter().filter(|d| d.code != Code::Finding).cloned().collect();
        let errors = language.iter().any(|d| d.severity == Severity::Error);
        if info.contains("error") {
            assert!(errors, "block {i} ({info}) should fail:\n{body}");
        } else {
            assert!(
                language.is_empty(),
                "block {i} of docs/language.md:\n{body}\n{}",
                kojo::report::render_all(&language, false)
            );
        }
    }
}

/// The other pages' ```kojo blocks are fragments of a project (a
/// `purchase` without its assets, an `attest` without its plant): each
/// must at least be valid syntax.
#[test]
fn other_doc_fragments_parse() {
    let mut pages: Vec<_> = std::fs::read_dir("docs").unwrap().map(|e| e.unwrap().path()).collect();
    pages.sort();
    let mut checked = 0;
    for page in pages.iter().filter(|p| p.extension().is_some_and(|e| e == "md")) {
        if page.file_name().is_some_and(|n| n == "language.md") {
            continue;
        }
        for (i, (_, body)) in blocks(&std::fs::read_to_string(page).unwrap()).iter().enumerate() {
            let (_, parsed) = kojo_lang::parse_bytes(&format!("block{i}.kojo"), body.as_bytes().to_vec());
            assert!(
                parsed.diagnostics.is_empty(),
                "{} block {i}:\n{body}\n{}",
                page.display(),
                kojo::report::render_all(&parsed.diagnostics, false)
            );
            checked += 1;
        }
    }
    assert!(checked >= 2, "only {checked} fragments found");
}
