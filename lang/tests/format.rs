//! The formatter on real text: snapshots of messy inputs, idempotence,
//! comments kept, meaning kept, broken files refused.

// Test helpers outside `#[test]` functions may panic too.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::Path;

use kojo_lang::format::{format_source, source_comments};
use kojo_lang::{parse, SourceFile};

fn format(name: &str, text: &str) -> String {
    match format_source(&SourceFile::new(name, text)) {
        Ok(out) => out,
        Err(diagnostics) => {
            panic!("{name} does not parse: {:#?}", diagnostics.iter().map(|d| &d.message).collect::<Vec<_>>())
        }
    }
}

/// The comments of a text, as the formatter prints them.
fn comment_texts(name: &str, text: &str) -> Vec<String> {
    let comments = source_comments(&SourceFile::new(name, text)).expect("parses");
    comments.iter().map(|c| c.text(text).to_string()).collect()
}

/// Everything a formatted text must satisfy, given its input.
fn check_formatted(name: &str, input: &str, output: &str) {
    // Idempotent.
    let again = format(name, output);
    assert_eq!(again, output, "{name}: formatting is not idempotent");
    // Same tree.
    let before = parse(&SourceFile::new(name, input)).file;
    let after = parse(&SourceFile::new(name, output)).file;
    assert_eq!(&before, &after, "{name}: formatting changed the tree");
    // Every comment exactly once, in the same order.
    assert_eq!(comment_texts(name, input), comment_texts(name, output), "{name}: comments differ");
    // Canonical whitespace.
    assert!(!output.starts_with('\n'), "{name}: leading blank line");
    assert!(
        output.is_empty() || (output.ends_with('\n') && !output.ends_with("\n\n")),
        "{name}: not exactly one trailing newline"
    );
    assert!(!output.contains("\n\n\n"), "{name}: two blank lines");
    for line in output.lines() {
        assert_eq!(line, line.trim_end(), "{name}: trailing blanks in {line:?}");
    }
}

/// The messy inputs under `tests/format/`, by file name.
fn inputs() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/format");
    let mut inputs: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "kojo"))
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&path).unwrap())
        })
        .collect();
    inputs.sort();
    assert!(inputs.len() >= 8, "test inputs missing");
    inputs
}

#[test]
fn snapshots() {
    insta::glob!("format/*.kojo", |path: &Path| {
        let input = std::fs::read_to_string(path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        insta::assert_snapshot!(format(&name, &input));
    });
}

#[test]
fn every_input_is_idempotent_and_keeps_its_tree_and_comments() {
    for (name, input) in inputs() {
        let output = format(&name, &input);
        check_formatted(&name, &input, &output);
    }
}

#[test]
fn reference_example_formats_and_keeps_its_comments() {
    let input = include_str!("format/reference.kojo");
    let output = format("reference.kojo", input);
    check_formatted("reference.kojo", input, &output);
    for comment in ["// catalogue to check against; profiles stack", "// may raise the derived tier, never lower it"] {
        assert_eq!(output.matches(comment).count(), 1, "{comment}");
    }
    // Three items on one source line become three lines.
    assert!(output.contains("  vendor \"ExampleCorp\"\n  model \"X-100\"\n  firmware \"1.05\"\n"));
}

#[test]
fn syntax_errors_are_returned_not_formatted() {
    let source = SourceFile::new("broken.kojo", "zone a \"A\" {\n  vlan\n}\nzone b\n");
    let diagnostics = format_source(&source).unwrap_err();
    assert!(!diagnostics.is_empty());
    assert!(diagnostics.iter().all(|d| d.severity == kojo_lang::Severity::Error));

    let source = SourceFile::new("unclosed.kojo", "zone a { vlan 1\n");
    assert!(format_source(&source).is_err());

    let source = SourceFile::new("comment.kojo", "zone a /* never closed\n");
    assert!(format_source(&source).is_err());
}

#[test]
fn empty_and_comment_only_files() {
    assert_eq!(format("empty.kojo", ""), "");
    assert_eq!(format("blank.kojo", "\n\n  \n"), "");
    let input = "\n\n// only\n\n\n/* comments */   // here\n";
    let output = format("comments.kojo", input);
    assert_eq!(output, "// only\n\n/* comments */ // here\n");
    check_formatted("comments.kojo", input, &output);
}

#[test]
fn crlf_and_bom() {
    let input = "\u{FEFF}zone a \"A\" {\r\n  vlan 1 // one\r\n  tier high\r\n}\r\n";
    let output = format("crlf.kojo", input);
    assert_eq!(output, "zone a \"A\" {\n  vlan 1 // one\n  tier high\n}\n");
    check_formatted("crlf.kojo", input, &output);
}

#[test]
fn one_line_declarations_keep_their_grouping() {
    let input = "zone a : x\nzone b : y\n\nzone c : z\nzone d { vlan 1 }\nzone e : w\n";
    let output = format("group.kojo", input);
    assert_eq!(output, "zone a : x\nzone b : y\n\nzone c : z\n\nzone d {\n  vlan 1\n}\n\nzone e : w\n");
}

#[test]
fn an_empty_body_loses_its_braces_unless_it_holds_comments() {
    assert_eq!(format("e.kojo", "zone a {}\n"), "zone a\n");
    assert_eq!(format("e.kojo", "zone a { // why\n}\n"), "zone a { // why\n}\n");
    assert_eq!(format("e.kojo", "zone a {\n  // later\n}\n"), "zone a {\n  // later\n}\n");
}

#[test]
fn comment_like_text_in_strings_is_not_a_comment_but_after_an_address_it_is() {
    let input = "zone a \"// not /* a comment\" { subnet 10.0.0.0/24// note\n}\n// real\n";
    let output = format("opaque.kojo", input);
    assert_eq!(output, "zone a \"// not /* a comment\" {\n  subnet 10.0.0.0/24 // note\n}\n// real\n");
    assert_eq!(comment_texts("opaque.kojo", input), ["// note", "// real"]);
    check_formatted("opaque.kojo", input, &output);
}

#[test]
fn comments_in_odd_places_move_before_their_item() {
    let input = "asset x {\n  impact { /* a */ safety high; // b\n    continuity mid }\n}\n";
    let output = format("odd.kojo", input);
    assert_eq!(output, "asset x {\n  /* a */ // b\n  impact { safety high; continuity mid }\n}\n");
    check_formatted("odd.kojo", input, &output);

    let input = "conduit /* x */ c from /* y */ a to b\n";
    let output = format("odd.kojo", input);
    assert_eq!(output, "/* x */ /* y */\nconduit c from a to b\n");
    check_formatted("odd.kojo", input, &output);
}

#[test]
fn long_flows_break_their_body_first() {
    let input = "conduit c from a to b { allow [alpha, beta, gamma, delta] -> [epsilon, zeta, eta] service [modbus-tcp] { functions [read, write] } }\n";
    let output = format("flow.kojo", input);
    assert_eq!(
        output,
        "conduit c from a to b {\n  allow [alpha, beta, gamma, delta] -> [epsilon, zeta, eta] service [modbus-tcp] {\n    functions [read, write]\n  }\n}\n"
    );
    check_formatted("flow.kojo", input, &output);
}

#[test]
fn lines_fit_in_the_width_when_they_can() {
    for (name, input) in inputs() {
        let output = format(&name, &input);
        for line in output.lines() {
            // Only strings, comments and single long tokens may overflow.
            if line.contains('"') || line.contains("//") || line.contains("/*") {
                continue;
            }
            assert!(line.chars().count() <= kojo_lang::format::MAX_WIDTH, "{name}: {line:?}");
        }
    }
}
