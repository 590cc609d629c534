//! Lowering the plant declaration and attestations.

use kojo_lang::ast::{self, AttestItem, PlantItem};
use kojo_lang::{Code, Diagnostic};

use super::Ctx;
use crate::model::{Attestation, EvidencePath, FileId, Loc, Plant};

/// The project's one `plant` declaration.
pub(super) fn plant(ctx: &mut Ctx<'_>, plants: &[(FileId, &ast::Plant)]) -> Option<Plant> {
    let Some((file, first)) = plants.first() else {
        ctx.report(
            Diagnostic::at_path(
                Code::PlantDeclaration,
                ctx.root.clone(),
                format!("no `plant` declaration in `{}`", ctx.root),
            )
            .with_help("add `plant \"CODE\" { name \"…\" }` to one of the project's .kojo files"),
        );
        return None;
    };
    for (other_file, other) in plants.iter().skip(1) {
        let related =
            ctx.note(Code::PlantDeclaration, Loc { file: *file, span: first.code.span }, "first plant declared here");
        ctx.report(
            ctx.error(Code::PlantDeclaration, *other_file, other.code.span, "a project declares one plant")
                .with_label("a second plant")
                .with_help("split plants into separate projects, each with its own kojo.kdl")
                .with_related(related),
        );
    }
    let mut name = None;
    for item in &first.items {
        if let PlantItem::Name(s) = &item.node {
            ctx.once(&mut name, s.node.clone(), item.span, *file, "name");
        }
    }
    Some(Plant { code: first.code.node.clone(), name: name.map(|n| n.0), loc: Loc { file: *file, span: *first.span } })
}

pub(super) fn attestation(ctx: &mut Ctx<'_>, file: FileId, decl: &ast::Attest) -> Option<Attestation> {
    let catalogue = ctx.catalogue;
    let known = catalogue.checklist_item(&decl.item.node).is_some();
    if !known {
        let ident = decl.item.clone();
        ctx.unknown(
            Code::UnknownChecklistItem,
            file,
            &ident,
            "checklist item",
            catalogue.checklist_items().map(|i| i.id.as_str()),
        );
    }
    let level = match decl.level.node.parse::<u8>() {
        Ok(level @ 1..=5) => Some(level),
        _ => {
            ctx.report(
                ctx.error(Code::InvalidLevel, file, decl.level.span, format!("`{}` is not an achievement level", decl.level.node))
                    .with_label("not a level from 1 to 5")
                    .with_help("Appendix E levels: 1 not done, 2 partly done, 3 done, 4 done and reviewed periodically, 5 done and reviewed continuously"),
            );
            None
        }
    };
    let mut evidence = Vec::new();
    let mut owner = None;
    for item in &decl.items {
        match &item.node {
            AttestItem::Evidence(s) => {
                evidence.push(EvidencePath { path: s.node.clone(), loc: Loc { file, span: s.span } })
            }
            AttestItem::Owner(s) => ctx.once(&mut owner, s.node.clone(), item.span, file, "owner"),
        }
    }
    Some(Attestation {
        item: known.then(|| decl.item.node.clone())?,
        level: level?,
        evidence,
        owner: owner.map(|o| o.0),
        loc: Loc { file, span: *decl.span },
    })
}

/// One attestation per checklist item: two would give the item two levels.
pub(super) fn check_duplicate_attestations(ctx: &mut Ctx<'_>, attestations: &[Attestation]) {
    let mut seen: std::collections::BTreeMap<&str, Loc> = std::collections::BTreeMap::new();
    for attestation in attestations {
        match seen.get(attestation.item.as_str()) {
            Some(first) => {
                let related = ctx.note(Code::DuplicateName, *first, "first attested here");
                ctx.report(
                    ctx.error(
                        Code::DuplicateName,
                        attestation.loc.file,
                        attestation.loc.span,
                        format!("checklist item `{}` is attested twice", attestation.item),
                    )
                    .with_label("attested again here")
                    .with_help("keep one `attest` per item, at the level the evidence supports")
                    .with_related(related),
                );
            }
            None => {
                seen.insert(&attestation.item, attestation.loc);
            }
        }
    }
}
