//! The symbol table: every declared name, by kind, with where it was declared.
//!
//! Names are unique per kind (a zone and an asset may share a name, two
//! zones may not). Lookups that fail suggest a close name of the same kind,
//! or say when the name exists as another kind.

use std::collections::BTreeMap;

use kojo_lang::ast::{EntityKind, Ident};
use kojo_lang::Code;

use crate::model::Loc;
use crate::suggest::did_you_mean;

use super::Ctx;

#[derive(Debug, Default)]
pub(super) struct Names {
    tables: BTreeMap<EntityKind, BTreeMap<String, (u32, Loc)>>,
}

impl Names {
    /// Declares `ident` as the next entity of `kind`, returning its index,
    /// or `None` (after reporting) when the name is taken or reserved.
    pub(super) fn declare(ctx: &mut Ctx<'_>, kind: EntityKind, ident: &Ident, loc: Loc) -> Option<u32> {
        if ident.node == "any" {
            ctx.report(
                ctx.error(Code::ReservedName, loc.file, ident.span, format!("`any` cannot name a {}", kind.keyword()))
                    .with_label("reserved word")
                    .with_help("`any` means every host of a zone in a flow; choose another name"),
            );
            return None;
        }
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
        self.tables.get(&kind).and_then(|t| t.get(name)).map(|(index, _)| *index)
    }

    /// The index of `ident` as a `kind`, or `None` after reporting.
    pub(super) fn lookup(
        ctx: &mut Ctx<'_>,
        kind: EntityKind,
        ident: &Ident,
        file: crate::model::FileId,
    ) -> Option<u32> {
        if let Some((index, _)) = ctx.names.tables.get(&kind).and_then(|t| t.get(&ident.node)) {
            return Some(*index);
        }
        let candidates = ctx.names.tables.get(&kind);
        let suggestion = candidates.and_then(|t| did_you_mean(&ident.node, t.keys().map(String::as_str)));
        let other_kind = EntityKind::ALL
            .into_iter()
            .find(|k| *k != kind && ctx.names.tables.get(k).is_some_and(|t| t.contains_key(&ident.node)));
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
