//! Go to definition, find references, rename: all from the resolver's
//! names ([`kojo_compiler::symbols`]), so they work in a project with
//! errors too.

use std::collections::HashMap;

use kojo_compiler::symbols::Symbols;
use kojo_lang::Span;
use lsp_types::{Location, TextEdit, Uri, WorkspaceEdit};

use super::convert;
use super::world::World;

/// The location of `span` in file `file` of the symbols.
pub fn location(world: &World, symbols: &Symbols, file: kojo_compiler::model::FileId, span: Span) -> Option<Location> {
    let source = symbols.file(file)?;
    let uri = convert::uri(&world.path_of(source.name()))?;
    Some(Location { uri, range: convert::range_in(source, span) })
}

/// Where declaration `index` is declared (its name).
pub fn definition(world: &World, symbols: &Symbols, index: usize) -> Option<Location> {
    let d = symbols.declarations.get(index)?;
    location(world, symbols, d.file, d.name_span)
}

/// Every use of declaration `index`, and the declaration if asked.
pub fn references(world: &World, symbols: &Symbols, index: usize, declaration: bool) -> Vec<Location> {
    let mut out: Vec<Location> = Vec::new();
    if declaration {
        out.extend(definition(world, symbols, index));
    }
    out.extend(symbols.references_to(index).filter_map(|r| location(world, symbols, r.file, r.span)));
    out
}

/// Why a rename cannot be made.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    NotAName(String),
    Taken(String),
    Reserved,
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refused::NotAName(n) => write!(f, "`{n}` is not a name: a letter or `_`, then letters, digits, `_` or `-`"),
            Refused::Taken(what) => write!(f, "{what} already has that name"),
            Refused::Reserved => f.write_str("`any` is reserved: it means every host of a zone in a flow"),
        }
    }
}

/// The edits renaming declaration `index` and every use of it to `new`;
/// refused when `new` is not a name or another entity of the kind has it.
// `WorkspaceEdit::changes` is a map keyed by `Uri`, which caches its parse
// inside; the keys are never changed once in the map.
#[allow(clippy::mutable_key_type)]
pub fn rename(world: &World, symbols: &Symbols, index: usize, new: &str) -> Result<WorkspaceEdit, Refused> {
    let Some(d) = symbols.declarations.get(index) else { return Ok(WorkspaceEdit::default()) };
    if !is_name(new) {
        return Err(Refused::NotAName(new.to_string()));
    }
    if new == "any" {
        return Err(Refused::Reserved);
    }
    if new != d.name && symbols.find(d.kind, new).is_some() {
        return Err(Refused::Taken(format!("{} `{new}`", d.kind.keyword())));
    }
    let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    let places = std::iter::once((d.file, d.name_span)).chain(symbols.references_to(index).map(|r| (r.file, r.span)));
    for (file, span) in places {
        if let Some(location) = location(world, symbols, file, span) {
            changes
                .entry(location.uri)
                .or_default()
                .push(TextEdit { range: location.range, new_text: new.to_string() });
        }
    }
    Ok(WorkspaceEdit { changes: Some(changes), ..WorkspaceEdit::default() })
}

/// Whether `text` is a name the grammar accepts (`ident`): a letter or
/// `_`, then letters, digits, `_`, and `-` each followed by one of those.
fn is_name(text: &str) -> bool {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    text.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && text.chars().all(|c| word(c) || c == '-')
        && !text.ends_with('-')
        && !text.contains("--")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_grammar() {
        assert!(is_name("plc_2") && is_name("a-b") && is_name("x"));
        assert!(!is_name("") && !is_name("2x") && !is_name("a b") && !is_name("工場"));
        assert!(!is_name("a-") && !is_name("a--b") && is_name("_x"));
    }
}
