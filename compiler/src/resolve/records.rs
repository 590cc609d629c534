//! Lowering the plant declaration, waivers and attestations.

use kojo_lang::ast::{self, AttestItem, EntityKind, PlantItem, WaiveItem};
use kojo_lang::{Code, Diagnostic};

use super::names::Names;
use super::Ctx;
use crate::model::{
    AssetId, Attestation, ConduitId, DataId, EntityRef, EvidencePath, FileId, Loc, OperationId, Plant, Waiver, ZoneId,
};
use crate::types::Date;

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

pub(super) fn waiver(ctx: &mut Ctx<'_>, file: FileId, decl: &ast::Waive) -> Option<Waiver> {
    let kind = decl.kind.node;
    let target = match kind {
        EntityKind::Plant if ctx.plant_code.as_deref().is_some_and(|code| code != decl.target.node) => {
            let code = ctx.plant_code.clone().unwrap_or_default();
            ctx.report(
                ctx.error(Code::UnknownName, file, decl.target.span, format!("unknown plant `{}`", decl.target.node))
                    .with_label(format!("the plant is `{code}`"))
                    .with_help(format!("write `waive {} on plant {code}`", decl.rule.node)),
            );
            None
        }
        EntityKind::Plant => Some(EntityRef::Plant),
        _ => Names::lookup(ctx, kind, &decl.target, file).map(|i| match kind {
            EntityKind::Zone => EntityRef::Zone(ZoneId(i)),
            EntityKind::Asset => EntityRef::Asset(AssetId(i)),
            EntityKind::Conduit => EntityRef::Conduit(ConduitId(i)),
            EntityKind::Operation => EntityRef::Operation(OperationId(i)),
            EntityKind::Data => EntityRef::Data(DataId(i)),
            EntityKind::Plant => EntityRef::Plant,
        }),
    };
    let (mut reason, mut until, mut compensating) = (None, None, None);
    let mut until_given = false;
    for item in &decl.items {
        match &item.node {
            WaiveItem::Reason(s) => ctx.once(&mut reason, s.node.clone(), item.span, file, "reason"),
            WaiveItem::Until(text) => {
                until_given = true;
                match Date::parse(&text.node) {
                    Ok(date) => ctx.once(&mut until, date, item.span, file, "until"),
                    Err(invalid) => ctx.report(
                        ctx.error(Code::InvalidDate, file, text.span, invalid.message)
                            .with_label("invalid date")
                            .with_help(invalid.help),
                    ),
                }
            }
            WaiveItem::Compensating(list) => {
                let list = ctx.controls(file, list);
                ctx.once(&mut compensating, list, item.span, file, "compensating");
            }
        }
    }
    let header = decl.rule.span.join(decl.target.span);
    if reason.is_none() {
        ctx.missing(
            file,
            header,
            format!("the waiver of `{}` gives no `reason`", decl.rule.node),
            "say why the rule cannot be met, e.g. `reason \"the vendor cannot add MFA\"`",
        );
    }
    if !until_given {
        ctx.missing(
            file,
            header,
            format!("the waiver of `{}` has no expiry", decl.rule.node),
            "every waiver expires: add `until YYYY-MM-DD` and review it before then",
        );
    }
    Some(Waiver {
        rule: decl.rule.node.clone(),
        target: target?,
        reason: reason?.0,
        until: until?.0,
        compensating: compensating.map(|c| c.0).unwrap_or_default(),
        loc: Loc { file, span: *decl.span },
    })
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

/// One waiver per rule and entity: a second would hide a finding the first
/// no longer covers (expired, shortened), and a review would see only one.
pub(super) fn check_duplicate_waivers(ctx: &mut Ctx<'_>, waivers: &[Waiver]) {
    let mut seen: std::collections::BTreeMap<(&str, EntityRef), Loc> = std::collections::BTreeMap::new();
    for waiver in waivers {
        match seen.get(&(waiver.rule.as_str(), waiver.target)) {
            Some(first) => {
                let related = ctx.note(Code::DuplicateName, *first, "first waived here");
                ctx.report(
                    ctx.error(
                        Code::DuplicateName,
                        waiver.loc.file,
                        waiver.loc.span,
                        format!("`{}` is waived twice for the same entity", waiver.rule),
                    )
                    .with_label("waived again here")
                    .with_help(
                        "keep one waiver per rule and entity: change its `until`, `reason` or `compensating` instead",
                    )
                    .with_related(related),
                );
            }
            None => {
                seen.insert((&waiver.rule, waiver.target), waiver.loc);
            }
        }
    }
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
