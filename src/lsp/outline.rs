//! Document symbols (a file's outline) and workspace symbols (every
//! declaration of the open projects, by name).

use kojo_compiler::symbols::{SymbolKind, Symbols};
use kojo_lang::ast::EntityKind;
use lsp_types::{DocumentSymbol, SymbolInformation};

use super::world::World;
use super::{convert, navigate};

/// The editor's icon for a kind of declaration.
fn icon(kind: SymbolKind) -> lsp_types::SymbolKind {
    match kind {
        SymbolKind::Entity(EntityKind::Zone) => lsp_types::SymbolKind::NAMESPACE,
        SymbolKind::Entity(EntityKind::Asset) => lsp_types::SymbolKind::OBJECT,
        SymbolKind::Entity(EntityKind::Conduit) => lsp_types::SymbolKind::INTERFACE,
        SymbolKind::Entity(EntityKind::Operation) => lsp_types::SymbolKind::FUNCTION,
        SymbolKind::Entity(EntityKind::Data) => lsp_types::SymbolKind::STRUCT,
        SymbolKind::Entity(EntityKind::Plant) => lsp_types::SymbolKind::MODULE,
        SymbolKind::Purchase => lsp_types::SymbolKind::EVENT,
    }
}

/// The declarations of one file, in order.
pub fn document(symbols: &Symbols, file: kojo_compiler::model::FileId) -> Vec<DocumentSymbol> {
    let Some(source) = symbols.file(file) else { return Vec::new() };
    symbols
        .declarations
        .iter()
        .filter(|d| d.file == file)
        .map(|d| {
            #[allow(deprecated)] // `deprecated` is a required field of the type
            DocumentSymbol {
                name: d.name.clone(),
                detail: Some(d.kind.keyword().to_string()),
                kind: icon(d.kind),
                tags: None,
                deprecated: None,
                range: convert::range_in(source, d.span),
                selection_range: convert::range_in(source, d.name_span),
                children: None,
            }
        })
        .collect()
}

/// Declarations whose name contains `query` (ignoring case), at most
/// `limit`.
pub fn workspace<'w>(worlds: impl Iterator<Item = &'w World>, query: &str, limit: usize) -> Vec<SymbolInformation> {
    let query = query.to_lowercase();
    let mut out = Vec::new();
    for world in worlds {
        let Some(checked) = &world.checked else { continue };
        let symbols = &checked.symbols;
        for (index, d) in symbols.declarations.iter().enumerate() {
            if out.len() >= limit {
                return out;
            }
            if !d.name.to_lowercase().contains(&query) || d.duplicate {
                continue;
            }
            if let Some(location) = navigate::definition(world, symbols, index) {
                #[allow(deprecated)] // `deprecated` is a required field of the type
                out.push(SymbolInformation {
                    name: d.name.clone(),
                    kind: icon(d.kind),
                    tags: None,
                    deprecated: None,
                    location,
                    container_name: Some(d.kind.keyword().to_string()),
                });
            }
        }
    }
    out
}
