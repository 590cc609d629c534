//! `textDocument/formatting`: `kojo fmt`'s layout, as one edit of the
//! whole document; nothing for a document that does not parse (the
//! diagnostics say why).

use kojo_lang::SourceFile;
use lsp_types::{Position, Range, TextEdit};

use super::convert;

pub fn document(name: &str, text: &str) -> Option<Vec<TextEdit>> {
    let formatted = kojo_lang::format::format_source(&SourceFile::new(name, text)).ok()?;
    if formatted == text {
        return Some(Vec::new());
    }
    let end = convert::position(text, text.len());
    Some(vec![TextEdit { range: Range { start: Position::default(), end }, new_text: formatted }])
}
