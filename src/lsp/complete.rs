//! `textDocument/completion`: what may be written where the cursor is,
//! read from the line before it: zones after `in`, `from`, `to` and in
//! `zones [...]`; assets in flows, `enforced-by`, `assets [...]` and
//! `stored-on [...]`; data in `data [...]`; controls, services, asset
//! kinds and rule IDs from the catalogue; otherwise the declaration
//! keywords. Each with its title or label as documentation.

use kojo_compiler::symbols::{SymbolKind, Symbols};
use kojo_lang::ast::EntityKind;
use lsp_types::{CompletionItem, CompletionItemKind, Documentation};

/// What the cursor's place asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    Names(EntityKind),
    Controls,
    Services,
    Kinds,
    Rules,
    Keywords,
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
    } else if words.len() <= 1 {
        Slot::Keywords
    } else {
        Slot::Names(EntityKind::Asset)
    }
}

const KEYWORDS: &[&str] = &["plant", "zone", "asset", "conduit", "operation", "data", "purchase", "waive", "attest"];

pub fn items(symbols: &Symbols, slot: Slot) -> Vec<CompletionItem> {
    let item = |label: &str, kind: CompletionItemKind, doc: String| CompletionItem {
        label: label.to_string(),
        kind: Some(kind),
        documentation: (!doc.is_empty()).then_some(Documentation::String(doc)),
        ..CompletionItem::default()
    };
    let Ok(catalogue) = kojo_stdlib::Catalogue::builtin() else { return Vec::new() };
    let both = |en: &str, ja: &str| format!("{en} / {ja}");
    match slot {
        Slot::Names(kind) => {
            let mut out: Vec<CompletionItem> = symbols
                .names(SymbolKind::Entity(kind))
                .map(|d| {
                    let text = symbols.file(d.file).map(|f| f.text()).unwrap_or_default();
                    let header = text.get(d.span.range()).and_then(|t| t.lines().next()).unwrap_or_default();
                    item(&d.name, CompletionItemKind::REFERENCE, header.trim_end_matches('{').trim().to_string())
                })
                .collect();
            if kind == EntityKind::Asset {
                out.push(item("any", CompletionItemKind::KEYWORD, "every host of the zone".into()));
            }
            out
        }
        Slot::Controls => catalogue
            .controls()
            .map(|c| item(&c.id, CompletionItemKind::CONSTANT, both(&c.label.en, &c.label.ja)))
            .collect(),
        Slot::Services => catalogue
            .services()
            .map(|s| item(&s.id, CompletionItemKind::CONSTANT, both(&s.label.en, &s.label.ja)))
            .collect(),
        Slot::Kinds => catalogue
            .asset_kinds()
            .map(|k| item(&k.id, CompletionItemKind::ENUM_MEMBER, both(&k.label.en, &k.label.ja)))
            .collect(),
        Slot::Rules => kojo_compiler::rules::all_ids(catalogue)
            .into_iter()
            .map(|id| {
                let page = kojo_compiler::rules::page(catalogue, &id);
                let title = page.as_deref().and_then(kojo_compiler::rules::page_title).unwrap_or_default();
                item(&id, CompletionItemKind::CONSTANT, title)
            })
            .collect(),
        Slot::Keywords => KEYWORDS.iter().map(|k| item(k, CompletionItemKind::KEYWORD, String::new())).collect(),
    }
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
        assert_eq!(slot("  controls [ids] "), Slot::Names(EntityKind::Asset));
        assert_eq!(slot("  allow a -> b service "), Slot::Services);
        assert_eq!(slot("  kind "), Slot::Kinds);
        assert_eq!(slot("waive "), Slot::Rules);
        assert_eq!(slot("  zones [control, "), Slot::Names(EntityKind::Zone));
        assert_eq!(slot(""), Slot::Keywords);
        assert_eq!(slot("zo"), Slot::Keywords);
    }
}
