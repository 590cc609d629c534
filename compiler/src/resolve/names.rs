//! The symbol table: every declared name, by kind, with where it was declared.
//!
//! Names are unique per namespace (a zone and an asset may share a name, two
//! zones may not). Lookups that fail suggest a close name of the same kind,
//! or say when the name exists as another kind.

use std::collections::BTreeMap;

use kojo_lang::ast::{EntityKind, Ident};
use kojo_lang::Code;

use crate::model::Loc;
use crate::suggest::did_you_mean_within;

use super::Ctx;

/// A namespace: one per kind of entity a waiver can name, and one for
/// purchases, which waivers cannot name and nothing in a model refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Namespace {
    Entity(EntityKind),
    Purchase,
}

impl Namespace {
    fn keyword(self) -> &'static str {
        match self {
            Namespace::Entity(kind) => kind.keyword(),
            Namespace::Purchase => "purchase",
        }
    }
}

impl From<EntityKind> for Namespace {
    fn from(kind: EntityKind) -> Self {
        Namespace::Entity(kind)
    }
}

#[derive(Debug, Default)]
pub(super) struct Names {
    tables: BTreeMap<Namespace, BTreeMap<String, (u32, Loc)>>,
}

impl Names {
    /// Declares `ident` as the next entity of `kind`, returning its index,
    /// or `None` (after reporting) when the name is taken or reserved.
    pub(super) fn declare(ctx: &mut Ctx<'_>, kind: Namespace, ident: &Ident, loc: Loc) -> Option<u32> {
        if ident.node == "any" {
            ctx.report(
                ctx.error(Code::ReservedName, loc.file, ident.span, format!("`any` cannot name a {}", kind.keyword()))
                    .with_label("reserved word")
                    .with_help("`any` means every host of a zone in a flow; choose another name"),
            );
            return None;
        }
        let symbol = match kind {
            Namespace::Entity(kind) => crate::symbols::SymbolKind::Entity(kind),
            Namespace::Purchase => crate::symbols::SymbolKind::Purchase,
        };
        ctx.symbols.declare(symbol, &ident.node, loc.file, ident.span, loc.span);
        let table = ctx.names.tables.entry(kind).or_default();
        if let Some((_, first)) = table.get(&ident.node) {
            let first = *first;
            let related = ctx.note(Code::DuplicateName, first, "first declared here");
            ctx.report(
                ctx.error(
                    Code::DuplicateName,
                    loc.file,
                    ident.span,
                    format!("{} `{}` is declared twice", kind.keyword(), ident.node),
                )
                .with_label("declared again here")
                .with_help(format!("rename one of them; {} names must be unique in a project", kind.keyword()))
                .with_related(related),
            );
            return None;
        }
        let index = u32::try_from(table.len()).unwrap_or(u32::MAX);
        table.insert(ident.node.clone(), (index, loc));
        Some(index)
    }

    /// The index of `name` as a `kind`, without reporting.
    pub(super) fn get(&self, kind: EntityKind, name: &str) -> Option<u32> {
        self.tables.get(&kind.into()).and_then(|t| t.get(name)).map(|(index, _)| *index)
    }

    /// The index of `ident` as a `kind`, or `None` after reporting.
    pub(super) fn lookup(
        ctx: &mut Ctx<'_>,
        kind: EntityKind,
        ident: &Ident,
        file: crate::model::FileId,
    ) -> Option<u32> {
        let namespace = Namespace::from(kind);
        ctx.symbols.refer(kind, &ident.node, file, ident.span);
        if let Some((index, _)) = ctx.names.tables.get(&namespace).and_then(|t| t.get(&ident.node)) {
            return Some(*index);
        }
        let candidates = ctx.names.tables.get(&namespace);
        let mut budget = ctx.suggestions;
        let suggestion = candidates
            .filter(|_| ctx.keeps(file))
            .and_then(|t| did_you_mean_within(&ident.node, t.keys().map(String::as_str), &mut budget));
        ctx.suggestions = budget;
        let other_kind =
            ctx.names.tables.iter().find(|(k, t)| **k != namespace && t.contains_key(&ident.node)).map(|(k, _)| *k);
        // The name existing as another kind is a surer hint than a near miss.
        let help = match (suggestion, other_kind) {
            (_, Some(other)) => {
                format!("`{}` is a {}, but a {} is needed here", ident.node, other.keyword(), kind.keyword())
            }
            (Some(s), None) => format!("did you mean `{s}`?"),
            (None, None) if ident.node == "any" => {
                "`any` is only an endpoint of its own, not a name in a list".to_string()
            }
            (None, None) => format!("declare it with `{} {} …`, or check the spelling", kind.keyword(), ident.node),
        };
        ctx.report(
            ctx.error(Code::UnknownName, file, ident.span, format!("unknown {} `{}`", kind.keyword(), ident.node))
                .with_label(format!("no {} has this name", kind.keyword()))
                .with_help(help),
        );
        None
    }
}
