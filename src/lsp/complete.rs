//! `textDocument/completion`: what may be written where the cursor is,
//! read from the line before it: zones after `in`, `from`, `to` and in
//! `zones [...]`; assets in flows, `enforced-by`, `assets [...]` and
//! `stored-on [...]`; data in `data [...]`; controls, services, asset
//! kinds and rule IDs from the catalogue; the declaration keywords at the
//! start of a line; nothing elsewhere (a value, a title). Each with its
//! title or label as documentation, replacing the whole word typed so far
//! (names have hyphens, which many editors end a word at), and only those
//! that start with it, at most [`MAX_ITEMS`].

use kojo_compiler::symbols::{SymbolKind, Symbols};
use kojo_lang::ast::EntityKind;
use kojo_stdlib::Lang;
use lsp_types::{CompletionItem, CompletionItemKind, CompletionTextEdit, Documentation, Range, TextEdit};

/// Items sent at most: a plant of a hundred thousand assets would make
/// every keystroke send megabytes; past this the list says it is
/// incomplete, and the editor asks again as the user types on.
pub const MAX_ITEMS: usize = 1_000;

/// What the cursor's place asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    Names(EntityKind),
    Controls,
    Services,
    Kinds,
    Rules,
    Keywords,
    /// A place no name or keyword goes (a value, a title).
    Nothing,
}

/// The slot for the text of the line before the cursor.
pub fn slot(line: &str) -> Slot {
    let open_list =
        |word: &str| line.rfind(&format!("{word} [")).is_some_and(|i| !line.get(i..).unwrap_or_default().contains(']'));
    let words: Vec<&str> = line.split_whitespace().collect();
    let typing = !line.ends_with(char::is_whitespace);
    // The word before the one being typed (or before the cursor).
    let previous = if typing { words.iter().rev().nth(1) } else { words.last() }.copied().unwrap_or_default();
    if open_list("controls") || open_list("compensating") {
        Slot::Controls
    } else if open_list("services") || previous == "service" {
        Slot::Services
    } else if open_list("zones") {
        Slot::Names(EntityKind::Zone)
    } else if open_list("assets") || open_list("stored-on") {
        Slot::Names(EntityKind::Asset)
    } else if open_list("data") {
        Slot::Names(EntityKind::Data)
    } else if previous == "kind" {
        Slot::Kinds
    } else if previous == "waive" {
        Slot::Rules
    } else if matches!(previous, "in" | "from" | "to") || (previous == "zone" && line.trim_start().starts_with("waive"))
    {
        Slot::Names(EntityKind::Zone)
    } else if matches!(previous, "allow" | "->" | "enforced-by" | "," | "[") || previous.ends_with(',') {
        Slot::Names(EntityKind::Asset)
    } else if words.len() <= 1 && !line.starts_with(char::is_whitespace) {
        Slot::Keywords
    } else {
        Slot::Nothing
    }
}

/// The word being typed at the end of `line` (letters, digits, `_`, `-`).
pub fn typed(line: &str) -> &str {
    let start = line.rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-')).map_or(0, |i| i + 1);
    line.get(start..).unwrap_or_default()
}

const KEYWORDS: &[&str] = &["plant", "zone", "asset", "conduit", "operation", "data", "purchase", "waive", "attest"];

/// The items for `slot` that start with `typed`, each replacing `range`
/// (the word typed so far); and whether more were left out.
pub fn items(symbols: &Symbols, slot: Slot, typed: &str, range: Range, lang: Lang) -> (Vec<CompletionItem>, bool) {
    let item = |label: &str, kind: CompletionItemKind, doc: String| CompletionItem {
        label: label.to_string(),
        kind: Some(kind),
        documentation: (!doc.is_empty()).then_some(Documentation::String(doc)),
        text_edit: Some(CompletionTextEdit::Edit(TextEdit { range, new_text: label.to_string() })),
        ..CompletionItem::default()
    };
    let Ok(catalogue) = kojo_stdlib::Catalogue::builtin() else { return (Vec::new(), false) };
    let both = |en: &str, ja: &str| format!("{en} / {ja}");
    let wanted = |id: &str| id.starts_with(typed);
    let mut out: Vec<CompletionItem> = match slot {
        Slot::Names(kind) => {
            let mut out: Vec<CompletionItem> = symbols
                .names(SymbolKind::Entity(kind))
                .filter(|d| wanted(&d.name))
                .take(MAX_ITEMS + 1)
                .map(|d| {
                    let text = symbols.file(d.file).map(|f| f.text()).unwrap_or_default();
                    let header = text.get(d.span.range()).and_then(|t| t.lines().next()).unwrap_or_default();
                    item(&d.name, CompletionItemKind::REFERENCE, header.trim_end_matches('{').trim().to_string())
                })
                .collect();
            if kind == EntityKind::Asset && wanted("any") {
                out.push(item("any", CompletionItemKind::KEYWORD, "every host of the zone".into()));
            }
            out
        }
        Slot::Controls => catalogue
            .controls()
            .filter(|c| wanted(&c.id))
            .map(|c| item(&c.id, CompletionItemKind::CONSTANT, both(&c.label.en, &c.label.ja)))
            .collect(),
        Slot::Services => catalogue
            .services()
            .filter(|s| wanted(&s.id))
            .map(|s| item(&s.id, CompletionItemKind::CONSTANT, both(&s.label.en, &s.label.ja)))
            .collect(),
        Slot::Kinds => catalogue
            .asset_kinds()
            .filter(|k| wanted(&k.id))
            .map(|k| item(&k.id, CompletionItemKind::ENUM_MEMBER, both(&k.label.en, &k.label.ja)))
            .collect(),
        Slot::Rules => kojo_compiler::rules::all_ids(catalogue)
            .into_iter()
            .filter(|id| wanted(id))
            .map(|id| {
                let page = kojo_compiler::rules::page(catalogue, &id, lang);
                let title = page.as_deref().and_then(kojo_compiler::rules::page_title).unwrap_or_default();
                item(&id, CompletionItemKind::CONSTANT, title)
            })
            .collect(),
        Slot::Keywords => {
            KEYWORDS.iter().filter(|k| wanted(k)).map(|k| item(k, CompletionItemKind::KEYWORD, String::new())).collect()
        }
        Slot::Nothing => Vec::new(),
    };
    let more = out.len() > MAX_ITEMS;
    out.truncate(MAX_ITEMS);
    (out, more)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_before_the_cursor_says_what_fits() {
        assert_eq!(slot("asset plc1 \"PLC\" in "), Slot::Names(EntityKind::Zone));
        assert_eq!(slot("asset plc1 \"PLC\" in con"), Slot::Names(EntityKind::Zone));
        assert_eq!(slot("conduit c from a to "), Slot::Names(EntityKind::Zone));
        assert_eq!(slot("  allow hmi1 -> "), Slot::Names(EntityKind::Asset));
        assert_eq!(slot("  allow "), Slot::Names(EntityKind::Asset));
        assert_eq!(slot("  enforced-by f"), Slot::Names(EntityKind::Asset));
        assert_eq!(slot("  controls [ids, "), Slot::Controls);
        assert_eq!(slot("  controls [ids] "), Slot::Nothing);
        assert_eq!(slot("  ip 10.0."), Slot::Nothing);
        assert_eq!(slot("  subnet "), Slot::Nothing);
        assert_eq!(slot("  allow a -> b service "), Slot::Services);
        assert_eq!(slot("  kind "), Slot::Kinds);
        assert_eq!(slot("waive "), Slot::Rules);
        assert_eq!(slot("  zones [control, "), Slot::Names(EntityKind::Zone));
        assert_eq!(slot(""), Slot::Keywords);
        assert_eq!(slot("zo"), Slot::Keywords);
        assert_eq!(typed("  allow a -> b service modbus-t"), "modbus-t");
        assert_eq!(typed("  zones [control, "), "");
    }
}
