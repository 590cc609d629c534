//! Name resolution and type checking: parsed files → [`Model`].
//!
//! Resolution runs in two passes. The first declares every named entity of
//! every file, so declarations may refer to each other in any order and
//! across files. The second lowers each declaration into its model entity,
//! checking every value and reference. Nothing stops at the first problem:
//! a bad value is reported and left out, and resolution carries on, so one
//! run reports everything. The model is returned only when nothing is wrong.

mod addresses;
mod bindings;
mod components;
mod conduits;
mod names;
mod purchases;
mod records;
mod waivers;
mod zones_assets;

use kojo_lang::ast::{self, Decl, EntityKind, Ident};
use kojo_lang::{Code, Diagnostic, Severity, SourceFile, Span};
use kojo_stdlib::{Catalogue, Profile};

use crate::model::{FileId, Loc, Model};
use crate::suggest::did_you_mean;
use names::{Names, Namespace};

/// What resolution needs.
pub struct Input<'a> {
    /// How the project root is shown (for project-wide diagnostics).
    pub root: String,
    pub project: String,
    pub profiles: Vec<String>,
    pub files: Vec<(SourceFile, ast::File)>,
    pub catalogue: &'a Catalogue,
    /// The profile whose tiers and impact scale apply.
    pub profile: &'a Profile,
    /// Whether to record every name for an editor ([`crate::symbols`]).
    pub symbols: bool,
}

pub(crate) struct Ctx<'a> {
    files: Vec<SourceFile>,
    catalogue: &'a Catalogue,
    profile: &'a Profile,
    names: Names,
    addresses: addresses::Addresses,
    root: String,
    /// The plant's code, once its declaration is lowered (waivers on `plant` name it).
    plant_code: Option<String>,
    /// Capped: a file of a million bad declarations keeps a hundred.
    diagnostics: crate::cap::Collector,
    /// Comparisons "did you mean" may still spend on the plant's names.
    suggestions: usize,
    /// Every name declared and looked up, for editors ([`crate::symbols`]).
    symbols: crate::symbols::Symbols,
}

impl Ctx<'_> {
    fn source(&self, file: FileId) -> SourceFile {
        self.files.get(file.index()).cloned().unwrap_or_else(|| SourceFile::new("<unknown>", ""))
    }

    fn error(&self, code: Code, file: FileId, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(code, &self.source(file), span, message)
    }

    /// A note for another diagnostic of `code`, pointing at `loc`.
    fn note(&self, code: Code, loc: Loc, message: &str) -> Diagnostic {
        Diagnostic::error(code, &self.source(loc.file), loc.span, message)
            .with_severity(Severity::Info)
            .with_label(message)
    }

    /// Whether a diagnostic in `file` would be kept by the caps: "did you
    /// mean" is only worth its cost for one that is shown.
    fn keeps(&self, file: FileId) -> bool {
        self.files.get(file.index()).is_none_or(|f| self.diagnostics.keeps(f.name()))
    }

    fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// Reports a name that is not in a catalogue, suggesting a close one.
    fn unknown<'c>(
        &mut self,
        code: Code,
        file: FileId,
        ident: &Ident,
        what: &str,
        candidates: impl IntoIterator<Item = &'c str>,
    ) {
        let all: Vec<&str> = candidates.into_iter().collect();
        let help = match did_you_mean(&ident.node, all.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => {
                if all.len() <= 12 {
                    format!("known {what}s: {}", all.join(", "))
                } else {
                    format!("`kojo explain {code}` lists where the {what}s come from")
                }
            }
        };
        self.report(
            self.error(code, file, ident.span, format!("unknown {what} `{}`", ident.node))
                .with_label(format!("not a known {what}"))
                .with_help(help),
        );
    }

    /// Checks control names against the catalogue; returns the known ones.
    fn controls(&mut self, file: FileId, list: &ast::List) -> Vec<String> {
        let catalogue = self.catalogue;
        let mut out = Vec::new();
        for ident in &list.items {
            if catalogue.control(&ident.node).is_some() {
                out.push(ident.node.clone());
            } else {
                self.unknown(Code::UnknownControl, file, ident, "control", catalogue.controls().map(|c| c.id.as_str()));
            }
        }
        out
    }

    /// Checks service names against the catalogue; returns the known ones.
    fn services<'i>(&mut self, file: FileId, idents: impl IntoIterator<Item = &'i Ident>) -> Vec<String> {
        let catalogue = self.catalogue;
        let mut out = Vec::new();
        for ident in idents {
            if catalogue.service(&ident.node).is_some() {
                out.push(ident.node.clone());
            } else {
                self.unknown(Code::UnknownService, file, ident, "service", catalogue.services().map(|s| s.id.as_str()));
            }
        }
        out
    }

    /// Records a property that may be given once; reports a repeat.
    fn once<T>(&mut self, slot: &mut Option<(T, Span)>, value: T, span: Span, file: FileId, property: &str) {
        match slot {
            Some((_, first)) => {
                let first = *first;
                self.report(
                    self.error(Code::DuplicateProperty, file, span, format!("`{property}` is given twice"))
                        .with_label("given again here")
                        .with_secondary(first, "first given here")
                        .with_help(format!("keep one `{property}`")),
                );
            }
            None => *slot = Some((value, span)),
        }
    }

    /// Reports a required property that is missing.
    fn missing(&mut self, file: FileId, span: Span, message: String, help: &str) {
        self.report(self.error(Code::MissingProperty, file, span, message).with_label("declared here").with_help(help));
    }
}

/// What resolution produced: the model (`None` if any error was found),
/// the problems, what the caps left out, and every name declared and used.
pub struct Resolved {
    pub model: Option<Model>,
    pub problems: Vec<Diagnostic>,
    pub dropped: crate::cap::Dropped,
    pub symbols: crate::symbols::Symbols,
}

/// Resolves parsed files into a model.
pub fn resolve(input: Input<'_>) -> Resolved {
    let Input { root, project, profiles, files, catalogue, profile, symbols } = input;
    let mut ctx = Ctx {
        files: files.iter().map(|(f, _)| f.clone()).collect(),
        catalogue,
        profile,
        names: Names::default(),
        addresses: addresses::Addresses::default(),
        root,
        plant_code: None,
        diagnostics: crate::cap::Collector::default(),
        suggestions: crate::suggest::MAX_COMPARISONS_PER_CHECK,
        symbols: crate::symbols::Symbols::new(files.iter().map(|(f, _)| f.clone()).collect(), symbols),
    };

    // Pass 1: declare every name; remember which declarations own an ID.
    let mut decls: Decls<'_> = Decls::default();
    for (index, (_, file)) in files.iter().enumerate() {
        let file_id = FileId(u32::try_from(index).unwrap_or(u32::MAX));
        for decl in &file.decls {
            let loc = Loc { file: file_id, span: decl.span() };
            let (kind, name) = match decl {
                Decl::Zone(d) => (EntityKind::Zone.into(), &d.name),
                Decl::Asset(d) => (EntityKind::Asset.into(), &d.name),
                Decl::Conduit(d) => (EntityKind::Conduit.into(), &d.name),
                Decl::Operation(d) => (EntityKind::Operation.into(), &d.name),
                Decl::Data(d) => (EntityKind::Data.into(), &d.name),
                Decl::Purchase(d) => (Namespace::Purchase, &d.name),
                Decl::Plant(d) => {
                    decls.plants.push((file_id, d));
                    continue;
                }
                Decl::Waive(d) => {
                    decls.waivers.push((file_id, d));
                    continue;
                }
                Decl::Attest(d) => {
                    decls.attests.push((file_id, d));
                    continue;
                }
            };
            if Names::declare(&mut ctx, kind, name, loc).is_some() {
                match decl {
                    Decl::Zone(d) => decls.zones.push((file_id, d)),
                    Decl::Asset(d) => decls.assets.push((file_id, d)),
                    Decl::Conduit(d) => decls.conduits.push((file_id, d)),
                    Decl::Operation(d) => decls.operations.push((file_id, d)),
                    Decl::Data(d) => decls.data.push((file_id, d)),
                    Decl::Purchase(d) => decls.purchases.push((file_id, d)),
                    _ => {}
                }
            }
        }
    }

    // Pass 2: lower each declaration. IDs are positions in these vectors,
    // in the order names were declared.
    let plant = records::plant(&mut ctx, &decls.plants);
    ctx.plant_code = plant.as_ref().map(|p| p.code.clone());
    let zones: Vec<_> =
        decls.zones.iter().enumerate().map(|(i, (f, d))| zones_assets::zone(&mut ctx, i, *f, d)).collect();
    let assets: Vec<_> =
        decls.assets.iter().enumerate().map(|(i, (f, d))| zones_assets::asset(&mut ctx, &zones, i, *f, d)).collect();
    let conduits: Vec<_> = decls
        .conduits
        .iter()
        .enumerate()
        .map(|(i, (f, d))| conduits::conduit(&mut ctx, &zones, &assets, i, *f, d))
        .collect();
    let data: Vec<_> = decls.data.iter().enumerate().map(|(i, (f, d))| bindings::data(&mut ctx, i, *f, d)).collect();
    let operations: Vec<_> =
        decls.operations.iter().enumerate().map(|(i, (f, d))| bindings::operation(&mut ctx, i, *f, d)).collect();
    let purchases: Vec<_> =
        decls.purchases.iter().enumerate().map(|(i, (f, d))| purchases::purchase(&mut ctx, i, *f, d)).collect();
    let waivers: Vec<_> = decls.waivers.iter().filter_map(|(f, d)| waivers::waiver(&mut ctx, *f, d)).collect();
    let attestations: Vec<_> =
        decls.attests.iter().filter_map(|(f, d)| records::attestation(&mut ctx, *f, d)).collect();
    addresses::check_overlaps(&mut ctx);
    records::check_duplicate_attestations(&mut ctx, &attestations);
    let path = |e: crate::model::EntityRef| {
        let named = |kind: &str, name: Option<&String>| format!("{kind}:{}", name.map_or("?", |n| n.as_str()));
        match e {
            crate::model::EntityRef::Plant => "plant".to_string(),
            crate::model::EntityRef::Zone(id) => named("zone", zones.get(id.index()).map(|z| &z.name)),
            crate::model::EntityRef::Asset(id) => named("asset", assets.get(id.index()).map(|a| &a.name)),
            crate::model::EntityRef::Conduit(id) => named("conduit", conduits.get(id.index()).map(|c| &c.name)),
            crate::model::EntityRef::Operation(id) => named("operation", operations.get(id.index()).map(|o| &o.name)),
            crate::model::EntityRef::Data(id) => named("data", data.get(id.index()).map(|d| &d.name)),
        }
    };
    waivers::check_duplicates(&mut ctx, &waivers, &assets, &path);

    let has_errors = ctx.diagnostics.has_errors();
    let model = match (has_errors, plant) {
        (false, Some(plant)) => Some(
            Model {
                project,
                profiles,
                plant,
                zones,
                assets,
                conduits,
                operations,
                data,
                purchases,
                waivers,
                attestations,
                files: ctx.files.clone(),
                root: ctx.root.clone(),
                members: Vec::new(),
            }
            .indexed(),
        ),
        _ => None,
    };
    let (problems, dropped) = ctx.diagnostics.finish();
    Resolved { model, problems, dropped, symbols: ctx.symbols }
}

#[derive(Default)]
struct Decls<'a> {
    plants: Vec<(FileId, &'a ast::Plant)>,
    zones: Vec<(FileId, &'a ast::Zone)>,
    assets: Vec<(FileId, &'a ast::Asset)>,
    conduits: Vec<(FileId, &'a ast::Conduit)>,
    operations: Vec<(FileId, &'a ast::Operation)>,
    data: Vec<(FileId, &'a ast::Data)>,
    purchases: Vec<(FileId, &'a ast::Purchase)>,
    waivers: Vec<(FileId, &'a ast::Waive)>,
    attests: Vec<(FileId, &'a ast::Attest)>,
}

/// Converts a vector position to a typed ID.
fn id<T>(index: usize, make: impl FnOnce(u32) -> T) -> T {
    make(u32::try_from(index).unwrap_or(u32::MAX))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Resolves one file against the built-in catalogue and `meti-factory`:
    /// what resolution reports, without the rules' findings.
    pub(crate) fn resolve_text(text: &str) -> (Option<Model>, Vec<Diagnostic>) {
        let source = SourceFile::new("t.kojo", text);
        let parsed = kojo_lang::parse(&source);
        assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
        let catalogue = Catalogue::builtin().unwrap();
        let profile = catalogue.profile("meti-factory").unwrap();
        let Resolved { model, problems: diagnostics, .. } = resolve(Input {
            root: ".".into(),
            project: "t".into(),
            profiles: vec!["meti-factory".into()],
            files: vec![(source, parsed.file)],
            catalogue,
            profile,
            symbols: false,
        });
        (model, diagnostics)
    }
}
