//! The requests about a document, one method each: where a name is
//! declared and used, renaming it, formatting, outlines, completion,
//! semantic tokens, inlay hints and quick fixes. Each answers `None` where
//! the document is in no project or the project has not been checked.

use lsp_server::ErrorCode;
use lsp_types as lsp;

use super::{actions, complete, convert, format, navigate, outline, semantic, Server};

impl Server {
    pub(super) fn definition(&self, p: &lsp::GotoDefinitionParams) -> Option<lsp::Location> {
        let (world, _, index) = self.at(&p.text_document_position_params)?;
        navigate::definition(world, &world.checked.as_ref()?.symbols, index?)
    }

    pub(super) fn references(&self, p: &lsp::ReferenceParams) -> Option<Vec<lsp::Location>> {
        let (world, _, index) = self.at(&p.text_document_position)?;
        Some(navigate::references(world, &world.checked.as_ref()?.symbols, index?, p.context.include_declaration))
    }

    /// The range of the name under the cursor, where a rename may start.
    pub(super) fn prepare_rename(&self, p: &lsp::TextDocumentPositionParams) -> Option<lsp::Range> {
        let (world, _, index) = self.at(p)?;
        let symbols = &world.checked.as_ref()?.symbols;
        let d = symbols.declarations.get(index?)?;
        let path = convert::path(&p.text_document.uri)?;
        let at = convert::offset(&world.text(&path)?, p.position);
        let on = std::iter::once((d.file, d.name_span)).chain(symbols.references_to(index?).map(|r| (r.file, r.span)));
        let here = symbols.file_id_of(&world.root, &path)?;
        on.filter(|(f, s)| *f == here && s.start <= at && at <= s.end)
            .find_map(|(f, s)| navigate::location(world, symbols, f, s))
            .map(|l| l.range)
    }

    pub(super) fn rename(&self, p: &lsp::RenameParams) -> Result<Option<lsp::WorkspaceEdit>, (ErrorCode, String)> {
        let Some((world, _, Some(index))) = self.at(&p.text_document_position) else { return Ok(None) };
        let Some(checked) = &world.checked else { return Ok(None) };
        // With errors, some uses may not have been resolved (a broken
        // declaration): a rename could miss them.
        if checked.model.is_none() {
            return Err((
                ErrorCode::InvalidParams,
                "the project has errors: fix them first, so that every use of the name is known".into(),
            ));
        }
        match navigate::rename(world, &checked.symbols, index, &p.new_name) {
            Ok(edit) => Ok(Some(edit)),
            Err(refused) => Err((ErrorCode::InvalidParams, refused.to_string())),
        }
    }

    pub(super) fn formatting(&self, p: &lsp::DocumentFormattingParams) -> Option<Vec<lsp::TextEdit>> {
        let path = convert::path(&p.text_document.uri)?;
        let text = self.world_of(&path).and_then(|w| w.text(&path))?;
        format::document(&path.to_string_lossy(), &text)
    }

    pub(super) fn document_symbols(&self, p: &lsp::DocumentSymbolParams) -> Option<lsp::DocumentSymbolResponse> {
        let path = convert::path(&p.text_document.uri)?;
        let world = self.world_of(&path)?;
        let symbols = &world.checked.as_ref()?.symbols;
        Some(lsp::DocumentSymbolResponse::Nested(outline::document(symbols, symbols.file_id_of(&world.root, &path)?)))
    }

    pub(super) fn completion(&self, p: &lsp::CompletionParams) -> Option<lsp::CompletionResponse> {
        let position = &p.text_document_position;
        let path = convert::path(&position.text_document.uri)?;
        let world = self.world_of(&path)?;
        let text = world.text(&path)?;
        let offset = convert::offset(&text, position.position);
        let line = text.get(..offset)?.rsplit('\n').next().unwrap_or_default();
        let symbols = &world.checked.as_ref()?.symbols;
        let typed = complete::typed(line);
        let start = convert::position(&text, offset - typed.len());
        let range = lsp::Range { start, end: position.position };
        let (items, is_incomplete) = complete::items(symbols, complete::slot(line), typed, range, self.lang);
        Some(lsp::CompletionResponse::List(lsp::CompletionList { is_incomplete, items }))
    }

    pub(super) fn semantic_tokens(&self, p: &lsp::SemanticTokensParams) -> Option<lsp::SemanticTokensResult> {
        let path = convert::path(&p.text_document.uri)?;
        let world = self.world_of(&path)?;
        let symbols = &world.checked.as_ref()?.symbols;
        let data = semantic::tokens(symbols, symbols.file_id_of(&world.root, &path)?);
        Some(lsp::SemanticTokensResult::Tokens(lsp::SemanticTokens { result_id: None, data }))
    }

    pub(super) fn inlay_hints(&self, p: &lsp::InlayHintParams) -> Option<Vec<lsp::InlayHint>> {
        let path = convert::path(&p.text_document.uri)?;
        let world = self.world_of(&path)?;
        let checked = world.checked.as_ref()?;
        let hints = semantic::tier_hints(checked, checked.symbols.file_id_of(&world.root, &path)?);
        Some(hints.into_iter().filter(|h| within(&p.range, h.position)).collect())
    }

    pub(super) fn code_actions(&self, p: &lsp::CodeActionParams) -> Option<lsp::CodeActionResponse> {
        let path = convert::path(&p.text_document.uri)?;
        let world = self.world_of(&path)?;
        let found = actions::actions(world, &p.text_document.uri, &p.context.diagnostics);
        Some(found.into_iter().map(lsp::CodeActionOrCommand::CodeAction).collect())
    }
}

/// Whether `position` is in `range` (ends included).
fn within(range: &lsp::Range, position: lsp::Position) -> bool {
    let key = |p: lsp::Position| (p.line, p.character);
    key(range.start) <= key(position) && key(position) <= key(range.end)
}
