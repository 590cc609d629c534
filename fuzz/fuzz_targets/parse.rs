//! Feeds arbitrary bytes to the parser. Whenever they parse cleanly, the
//! formatter must succeed, its output must parse to the same tree (spans
//! aside), keep every comment, and be a fixed point of formatting.

#![no_main]

use kojo_lang::format::{format_source, source_comments};
use kojo_lang::SourceFile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (source, parsed) = kojo_lang::parse_bytes("fuzz.kojo", data.to_vec());
    let Some(source) = source else { return };
    if !parsed.diagnostics.is_empty() {
        return;
    }

    let formatted = match format_source(&source) {
        Ok(text) => text,
        Err(diagnostics) => panic!("a clean file failed to format: {diagnostics:?}"),
    };
    let output = SourceFile::new("formatted.kojo", formatted.clone());
    let reparsed = kojo_lang::parse(&output);
    assert!(reparsed.diagnostics.is_empty(), "formatted text does not parse: {:?}\n{formatted}", reparsed.diagnostics);
    assert_eq!(parsed.file, reparsed.file, "formatting changed the tree:\n{formatted}");

    let texts = |source: &SourceFile| -> Vec<String> {
        match source_comments(source) {
            Ok(comments) => comments.iter().map(|c| c.text(source.text()).to_string()).collect(),
            Err(diagnostics) => panic!("{diagnostics:?}"),
        }
    };
    assert_eq!(texts(&source), texts(&output), "comments differ:\n{formatted}");

    match format_source(&output) {
        Ok(again) => assert_eq!(again, formatted, "formatting is not idempotent"),
        Err(diagnostics) => panic!("formatted text failed to format: {diagnostics:?}"),
    }
});
