//! `kojo lsp`: the language server editors start, speaking LSP over
//! standard input and output.
//!
//! It checks a project the way `kojo check` does (through
//! [`kojo_compiler::source::OverlaySource`]: the open buffers over the
//! disk), after each change once no other message is waiting, and
//! publishes every diagnostic of every file of the project. Navigation,
//! hover and completion read the resolver's names
//! ([`kojo_compiler::symbols`]), which a project with errors still has;
//! hover adds the model's tiers, controls and findings once it compiles.
//!
//! A handler that fails answers with an error and the server carries on;
//! a message that is not JSON-RPC is answered with a parse error.

mod actions;
mod complete;
mod convert;
mod diagnostics;
mod format;
mod hover;
mod navigate;
mod outline;
mod requests;
mod semantic;
mod transport;
mod world;

use std::collections::BTreeMap;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::mpsc::TryRecvError;

use kojo_stdlib::Lang;
use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::Notification as _;
use lsp_types::request::Request as _;
use lsp_types::{
    CompletionOptions, HoverProviderCapability, InitializeResult, OneOf, RenameOptions, ServerCapabilities, ServerInfo,
    TextDocumentSyncCapability, TextDocumentSyncKind, WorkDoneProgressOptions,
};
use serde_json::Value;

use crate::exit::Exit;
use transport::{Incoming, Outgoing, Transport};
use world::World;

/// Workspace symbols answered per request.
const WORKSPACE_SYMBOLS: usize = 500;

/// Runs the server until the editor says `exit` or closes its end.
pub fn run() -> Exit {
    let transport = Transport::stdio();
    let mut server = Server {
        worlds: BTreeMap::new(),
        out: transport.outgoing.clone(),
        initialized: false,
        shutdown: false,
        lang: Lang::En,
    };
    let mut clean_exit = false;
    loop {
        let pending = server.worlds.values().any(|w| w.dirty || w.unbuilt);
        let incoming = if pending {
            match transport.incoming.try_recv() {
                Ok(incoming) => incoming,
                Err(TryRecvError::Empty) => {
                    // The check first; the build's refusals once idle again.
                    if server.worlds.values().any(|w| w.dirty) {
                        server.refresh();
                    } else {
                        server.build();
                    }
                    continue;
                }
                Err(TryRecvError::Disconnected) => break,
            }
        } else {
            match transport.incoming.recv() {
                Ok(incoming) => incoming,
                Err(_) => break,
            }
        };
        match incoming {
            Incoming::Malformed(why) => server.send(transport::parse_error(&why)),
            Incoming::Message(Message::Request(request)) => server.request(request),
            Incoming::Message(Message::Notification(n)) if n.method == lsp_types::notification::Exit::METHOD => {
                clean_exit = server.shutdown;
                break;
            }
            Incoming::Message(Message::Notification(n)) => server.notification(n),
            Incoming::Message(Message::Response(_)) => {}
        }
    }
    // The writer ends once every sender is gone, the server's included.
    drop(server);
    transport.finish();
    if clean_exit {
        Exit::Clean
    } else {
        Exit::Usage
    }
}

struct Server {
    /// The open projects, by root.
    worlds: BTreeMap<PathBuf, World>,
    out: std::sync::mpsc::Sender<Outgoing>,
    initialized: bool,
    shutdown: bool,
    /// The editor's language, which `kojo explain` pages are written in.
    lang: Lang,
}

impl Server {
    fn send(&self, message: Outgoing) {
        let _ = self.out.send(message);
    }

    fn respond(&self, id: RequestId, result: Result<Value, (ErrorCode, String)>) {
        let response = match result {
            Ok(value) => Response { id, result: Some(value), error: None },
            Err((code, message)) => Response::new_err(id, code as i32, message),
        };
        self.send(Outgoing::Message(Message::Response(response)));
    }

    fn request(&mut self, request: Request) {
        let Request { id, method, params } = request;
        if !self.initialized && method != lsp_types::request::Initialize::METHOD {
            return self.respond(id, Err((ErrorCode::ServerNotInitialized, "initialize first".into())));
        }
        if self.shutdown {
            return self.respond(id, Err((ErrorCode::InvalidRequest, "the server is shutting down".into())));
        }
        self.refresh();
        let answer = std::panic::catch_unwind(AssertUnwindSafe(|| self.answer(&method, params)));
        let result = answer.unwrap_or_else(|_| {
            Err((
                ErrorCode::InternalError,
                format!("kojo failed on `{method}`; this is a bug in kojo, please report it"),
            ))
        });
        self.respond(id, result);
    }

    fn answer(&mut self, method: &str, params: Value) -> Result<Value, (ErrorCode, String)> {
        use lsp_types::request as r;
        fn read<T: serde::de::DeserializeOwned>(params: Value) -> Result<T, (ErrorCode, String)> {
            serde_json::from_value::<T>(params).map_err(|e| (ErrorCode::InvalidParams, e.to_string()))
        }
        let answer = match method {
            r::Initialize::METHOD => {
                self.initialized = true;
                self.lang = editor_language(&params);
                serde_json::to_value(initialize_result())
            }
            r::Shutdown::METHOD => {
                self.shutdown = true;
                Ok(Value::Null)
            }
            r::HoverRequest::METHOD => {
                let p: lsp_types::HoverParams = read(params)?;
                serde_json::to_value(self.hover(&p.text_document_position_params))
            }
            r::GotoDefinition::METHOD => serde_json::to_value(self.definition(&read(params)?)),
            r::References::METHOD => serde_json::to_value(self.references(&read(params)?)),
            r::PrepareRenameRequest::METHOD => serde_json::to_value(self.prepare_rename(&read(params)?)),
            r::Rename::METHOD => serde_json::to_value(self.rename(&read(params)?)?),
            r::Formatting::METHOD => serde_json::to_value(self.formatting(&read(params)?)),
            r::DocumentSymbolRequest::METHOD => serde_json::to_value(self.document_symbols(&read(params)?)),
            r::WorkspaceSymbolRequest::METHOD => {
                let p: lsp_types::WorkspaceSymbolParams = read(params)?;
                let found = outline::workspace(self.worlds.values(), &p.query, WORKSPACE_SYMBOLS);
                serde_json::to_value(lsp_types::WorkspaceSymbolResponse::Flat(found))
            }
            r::Completion::METHOD => serde_json::to_value(self.completion(&read(params)?)),
            r::SemanticTokensFullRequest::METHOD => serde_json::to_value(self.semantic_tokens(&read(params)?)),
            r::InlayHintRequest::METHOD => serde_json::to_value(self.inlay_hints(&read(params)?)),
            r::CodeActionRequest::METHOD => serde_json::to_value(self.code_actions(&read(params)?)),
            _ => return Err((ErrorCode::MethodNotFound, format!("kojo does not answer `{method}`"))),
        };
        answer.map_err(|e| (ErrorCode::InternalError, e.to_string()))
    }

    fn notification(&mut self, n: Notification) {
        use lsp_types::notification as notify;
        // The protocol drops notifications before `initialize` (but `exit`,
        // handled by the loop).
        if !self.initialized {
            return;
        }
        let Notification { method, params } = n;
        let _ = std::panic::catch_unwind(AssertUnwindSafe(|| match method.as_str() {
            notify::DidOpenTextDocument::METHOD => {
                if let Ok(p) = serde_json::from_value::<lsp_types::DidOpenTextDocumentParams>(params) {
                    self.edit(&p.text_document.uri, Some(p.text_document.text));
                }
            }
            notify::DidChangeTextDocument::METHOD => {
                if let Ok(p) = serde_json::from_value::<lsp_types::DidChangeTextDocumentParams>(params) {
                    // Whole documents are synchronised: the last change is the text.
                    if let Some(change) = p.content_changes.into_iter().last() {
                        self.edit(&p.text_document.uri, Some(change.text));
                    }
                }
            }
            notify::DidCloseTextDocument::METHOD => {
                if let Ok(p) = serde_json::from_value::<lsp_types::DidCloseTextDocumentParams>(params) {
                    self.edit(&p.text_document.uri, None);
                }
            }
            notify::DidSaveTextDocument::METHOD | notify::DidChangeWatchedFiles::METHOD => {
                self.worlds.values_mut().for_each(|w| w.dirty = true);
            }
            _ => {}
        }));
    }

    /// A document opened or changed (`Some`), or closed (`None`).
    fn edit(&mut self, uri: &lsp_types::Uri, text: Option<String>) {
        let Some(path) = convert::path(uri) else { return };
        let Some(root) = world::project_of(&path) else { return };
        let world = self.worlds.entry(root.clone()).or_insert_with(|| World::new(root));
        match text {
            Some(text) => world.buffers.insert(path, text),
            None => world.buffers.remove(&path),
        };
        world.dirty = true;
    }

    /// Checks every project with a change and publishes its diagnostics.
    fn refresh(&mut self) {
        let today = crate::commands::check::today();
        let mut notes = Vec::new();
        for world in self.worlds.values_mut().filter(|w| w.dirty) {
            let analyzed = std::panic::catch_unwind(AssertUnwindSafe(|| world.analyze(today)));
            if analyzed.is_err() {
                world.dirty = false;
                continue;
            }
            notes.extend(diagnostics::publish(world));
        }
        self.publish(notes);
    }

    /// Adds the build's refusals to every check that lacks them, and
    /// publishes again.
    fn build(&mut self) {
        let mut notes = Vec::new();
        for world in self.worlds.values_mut().filter(|w| w.unbuilt && !w.dirty) {
            let count = |w: &World| w.checked.as_ref().map_or(0, |c| c.diagnostics.len() + c.dropped.total());
            let before = count(world);
            if std::panic::catch_unwind(AssertUnwindSafe(|| world.build())).is_err() {
                world.unbuilt = false;
                continue;
            }
            // Most checks have no refusal: nothing new to publish.
            if count(world) != before {
                notes.extend(diagnostics::publish(world));
            }
        }
        self.publish(notes);
    }

    fn publish(&self, notes: Vec<lsp_types::PublishDiagnosticsParams>) {
        for params in notes {
            let method = lsp_types::notification::PublishDiagnostics::METHOD.to_string();
            self.send(Outgoing::Message(Message::Notification(Notification::new(method, params))));
        }
    }

    fn world_of(&self, path: &Path) -> Option<&World> {
        self.worlds.get(&world::project_of(path)?)
    }

    /// The world, file and declaration at a position (the declaration
    /// `None` where the position names nothing).
    fn at(
        &self,
        p: &lsp_types::TextDocumentPositionParams,
    ) -> Option<(&World, kojo_compiler::model::FileId, Option<usize>)> {
        let path = convert::path(&p.text_document.uri)?;
        let world = self.world_of(&path)?;
        let symbols = &world.checked.as_ref()?.symbols;
        let file = symbols.file_id_of(&world.root, &path)?;
        let offset = convert::offset(symbols.file(file)?.text(), p.position);
        Some((world, file, symbols.at(file, offset)))
    }

    fn hover(&self, p: &lsp_types::TextDocumentPositionParams) -> Option<lsp_types::Hover> {
        let (world, file, index) = self.at(p)?;
        let checked = world.checked.as_ref()?;
        let markdown = match index.and_then(|i| checked.symbols.declarations.get(i)) {
            Some(declaration) => hover::entity(checked, declaration, &world.root),
            None => {
                let text = checked.symbols.file(file)?.text();
                hover::word(text, convert::offset(text, p.position), self.lang)?
            }
        };
        Some(lsp_types::Hover {
            contents: lsp_types::HoverContents::Markup(lsp_types::MarkupContent {
                kind: lsp_types::MarkupKind::Markdown,
                value: markdown,
            }),
            range: None,
        })
    }
}

/// The language the editor asks for: `initializationOptions.language`
/// (`"en"` or `"ja"`, for clients that send no locale, such as Neovim's),
/// else the `locale` VS Code sends (`ja`, `ja-JP`), else English.
fn editor_language(params: &Value) -> Lang {
    let option = params.pointer("/initializationOptions/language").and_then(Value::as_str).and_then(Lang::parse);
    let locale = || params.get("locale").and_then(Value::as_str).map(Lang::of_locale);
    option.or_else(locale).unwrap_or_default()
}

fn initialize_result() -> InitializeResult {
    InitializeResult {
        capabilities: ServerCapabilities {
            text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
            hover_provider: Some(HoverProviderCapability::Simple(true)),
            definition_provider: Some(OneOf::Left(true)),
            references_provider: Some(OneOf::Left(true)),
            rename_provider: Some(OneOf::Right(RenameOptions {
                prepare_provider: Some(true),
                work_done_progress_options: WorkDoneProgressOptions::default(),
            })),
            document_formatting_provider: Some(OneOf::Left(true)),
            semantic_tokens_provider: Some(lsp_types::SemanticTokensServerCapabilities::SemanticTokensOptions(
                lsp_types::SemanticTokensOptions {
                    legend: semantic::legend(),
                    full: Some(lsp_types::SemanticTokensFullOptions::Bool(true)),
                    ..lsp_types::SemanticTokensOptions::default()
                },
            )),
            inlay_hint_provider: Some(OneOf::Left(true)),
            code_action_provider: Some(lsp_types::CodeActionProviderCapability::Options(
                lsp_types::CodeActionOptions {
                    code_action_kinds: Some(vec![lsp_types::CodeActionKind::QUICKFIX]),
                    ..lsp_types::CodeActionOptions::default()
                },
            )),
            document_symbol_provider: Some(OneOf::Left(true)),
            workspace_symbol_provider: Some(OneOf::Left(true)),
            completion_provider: Some(CompletionOptions {
                trigger_characters: Some(vec![" ".into(), "[".into(), ",".into(), ">".into()]),
                ..CompletionOptions::default()
            }),
            ..ServerCapabilities::default()
        },
        server_info: Some(ServerInfo { name: "kojo".into(), version: Some(env!("CARGO_PKG_VERSION").into()) }),
    }
}
