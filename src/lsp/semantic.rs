//! Semantic tokens (`textDocument/semanticTokens/full`) and inlay hints
//! (`textDocument/inlayHint`). The TextMate grammar colours keywords and
//! values; what only the resolver knows is what a name is: a zone, an
//! asset, a conduit, declared here or used. And what only a check knows is
//! the tier a zone ends up with, shown after its name.

use kojo_compiler::model::FileId;
use kojo_compiler::symbols::{SymbolKind, Symbols};
use kojo_compiler::Checked;
use kojo_lang::ast::EntityKind;
use kojo_lang::Span;
use lsp_types::{
    InlayHint, InlayHintKind, InlayHintLabel, SemanticToken, SemanticTokenModifier, SemanticTokenType,
    SemanticTokensLegend,
};

use super::convert;

/// The token types, in the order their indices refer to.
const TYPES: [SemanticTokenType; 6] = [
    SemanticTokenType::NAMESPACE, // zone
    SemanticTokenType::VARIABLE,  // asset
    SemanticTokenType::INTERFACE, // conduit
    SemanticTokenType::FUNCTION,  // operation
    SemanticTokenType::STRUCT,    // data, plant
    SemanticTokenType::EVENT,     // purchase
];

/// Bit 0: where the name is declared.
const DECLARATION: u32 = 1;

pub fn legend() -> SemanticTokensLegend {
    SemanticTokensLegend { token_types: TYPES.to_vec(), token_modifiers: vec![SemanticTokenModifier::DECLARATION] }
}

fn type_index(kind: SymbolKind) -> u32 {
    match kind {
        SymbolKind::Entity(EntityKind::Zone) => 0,
        SymbolKind::Entity(EntityKind::Asset) => 1,
        SymbolKind::Entity(EntityKind::Conduit) => 2,
        SymbolKind::Entity(EntityKind::Operation) => 3,
        SymbolKind::Entity(EntityKind::Data | EntityKind::Plant) => 4,
        SymbolKind::Purchase => 5,
    }
}

/// Every declared and used name of one file, encoded as LSP wants them:
/// sorted, each relative to the one before, lengths in UTF-16 units.
pub fn tokens(symbols: &Symbols, file: FileId) -> Vec<SemanticToken> {
    let Some(source) = symbols.file(file) else { return Vec::new() };
    let mut spans: Vec<(Span, u32, u32)> = Vec::new();
    for d in symbols.declarations.iter().filter(|d| d.file == file) {
        spans.push((d.name_span, type_index(d.kind), DECLARATION));
    }
    for r in symbols.references.iter().filter(|r| r.file == file) {
        // An unknown name is the diagnostic's to mark, not a colour's.
        if r.target.is_some() {
            spans.push((r.span, type_index(SymbolKind::Entity(r.kind)), 0));
        }
    }
    spans.sort_by_key(|(span, _, _)| (span.start, span.end));
    spans.dedup_by_key(|(span, _, _)| span.start);
    let mut out = Vec::with_capacity(spans.len());
    let (mut line, mut column) = (0u32, 0u32);
    for (span, token_type, modifiers) in spans {
        let start = convert::position_in(source, span.start);
        let end = convert::position_in(source, span.end);
        // Names never span lines; a token that would is left out.
        if end.line != start.line || end.character <= start.character {
            continue;
        }
        let delta_line = start.line - line;
        let delta_start = if delta_line == 0 { start.character - column } else { start.character };
        out.push(SemanticToken {
            delta_line,
            delta_start,
            length: end.character - start.character,
            token_type,
            token_modifiers_bitset: modifiers,
        });
        (line, column) = (start.line, start.character);
    }
    out
}

/// After each zone's name in the file, the tier it ends up with and why
/// (`tier high, raised by operation production`); none until the project
/// compiles.
pub fn tier_hints(checked: &Checked, file: FileId) -> Vec<InlayHint> {
    let (Some(model), Some(source)) = (&checked.model, checked.symbols.file(file)) else { return Vec::new() };
    let zones = checked
        .symbols
        .declarations
        .iter()
        .filter(|d| d.file == file && !d.duplicate && d.kind == SymbolKind::Entity(EntityKind::Zone));
    let mut out = Vec::new();
    for declaration in zones {
        let Some(zone) = model.zones.iter().find(|z| z.name == declaration.name) else { continue };
        let Some(tier) = checked.tiers.get(zone.id.index()) else { continue };
        let Some(effective) = tier.effective else { continue };
        let mut label = format!("tier {}", effective.id());
        match (&tier.raised_by, tier.declared) {
            (_, Some(declared)) if Some(declared) == tier.effective && tier.derived < tier.effective => {
                label.push_str(", as declared");
            }
            (Some(raiser), _) => label.push_str(&format!(", raised by {}", raiser.entity)),
            _ => {}
        }
        out.push(InlayHint {
            position: convert::position_in(source, declaration.name_span.end),
            label: InlayHintLabel::String(label),
            kind: Some(InlayHintKind::TYPE),
            text_edits: None,
            tooltip: None,
            padding_left: Some(true),
            padding_right: None,
            data: None,
        });
    }
    out
}
