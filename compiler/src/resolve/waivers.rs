//! Lowering waivers: their rules, their scope (names looked up, an asset
//! kind checked against the catalogue), reason, expiry and compensating
//! controls; and the rule that no two waivers cover the same rule on the
//! same entity.

use std::collections::BTreeMap;

use kojo_lang::ast::{self, EntityKind, WaiveItem, WaiveScope};
use kojo_lang::{Code, Span};

use super::names::Names;
use super::Ctx;
use crate::model::{
    AssetId, ConduitId, DataId, EntityRef, FileId, Loc, OperationId, WaivedRule, Waiver, WaiverScope, ZoneId,
};
use crate::types::Date;

pub(super) fn waiver(ctx: &mut Ctx<'_>, file: FileId, decl: &ast::Waive) -> Option<Waiver> {
    let rules = rules(ctx, file, &decl.rules);
    let scope = scope(ctx, file, &decl.scope.node);
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
    let first = decl.rules.first().map_or(decl.scope.span, |r| r.span);
    let header = first.join(decl.scope.span);
    let written = written_rules(&decl.rules);
    if reason.is_none() {
        ctx.missing(
            file,
            header,
            format!("the waiver of `{written}` gives no `reason`"),
            "say why the rule cannot be met, e.g. `reason \"the vendor cannot add MFA\"`",
        );
    }
    if !until_given {
        ctx.missing(
            file,
            header,
            format!("the waiver of `{written}` has no expiry"),
            "every waiver expires: add `until YYYY-MM-DD` and review it before then",
        );
    }
    Some(Waiver {
        rules,
        scope: scope?,
        reason: reason?.0,
        until: until?.0,
        compensating: compensating.map(|c| c.0).unwrap_or_default(),
        loc: Loc { file, span: *decl.span },
    })
}

/// `A` or `A, B`, for messages about the waiver as a whole.
fn written_rules(rules: &[ast::Word]) -> String {
    rules.iter().map(|r| r.node.as_str()).collect::<Vec<_>>().join("`, `")
}

/// The rules, each once; whether a rule exists is decided when the waivers
/// are applied (an unknown one waives nothing, and says so).
fn rules(ctx: &mut Ctx<'_>, file: FileId, written: &[ast::Word]) -> Vec<WaivedRule> {
    let mut out: Vec<WaivedRule> = Vec::new();
    for rule in written {
        match out.iter().find(|r| r.id == rule.node) {
            Some(first) => twice(ctx, file, first.loc.span, rule.span, &format!("rule `{}`", rule.node)),
            None => out.push(WaivedRule { id: rule.node.clone(), loc: Loc { file, span: rule.span } }),
        }
    }
    out
}

/// A name written twice in one waiver.
fn twice(ctx: &mut Ctx<'_>, file: FileId, first: Span, again: Span, what: &str) {
    let related = ctx.note(Code::DuplicateName, Loc { file, span: first }, "first named here");
    ctx.report(
        ctx.error(Code::DuplicateName, file, again, format!("{what} is named twice in one waiver"))
            .with_label("named again here")
            .with_help("name it once")
            .with_related(related),
    );
}

fn scope(ctx: &mut Ctx<'_>, file: FileId, written: &WaiveScope) -> Option<WaiverScope> {
    match written {
        WaiveScope::Entities { kind, names } if kind.node == EntityKind::Plant => plant(ctx, file, names),
        WaiveScope::Entities { kind, names } => {
            let mut found: Vec<(EntityRef, Span)> = Vec::new();
            let mut complete = true;
            for name in names {
                match Names::lookup(ctx, kind.node, name, file).map(|i| entity(kind.node, i)) {
                    Some(e) => match found.iter().find(|(f, _)| *f == e) {
                        Some((_, first)) => twice(ctx, file, *first, name.span, &format!("`{}`", name.node)),
                        None => found.push((e, name.span)),
                    },
                    None => complete = false,
                }
            }
            complete.then(|| WaiverScope::Entities(found.into_iter().map(|(e, _)| e).collect()))
        }
        WaiveScope::ZoneAndAssets(zone) => zone_id(ctx, file, zone).map(WaiverScope::ZoneAndAssets),
        WaiveScope::AssetsInZone(zone) => zone_id(ctx, file, zone).map(WaiverScope::AssetsInZone),
        WaiveScope::AssetsOfKind { kind, zone } => {
            let catalogue = ctx.catalogue;
            let known = catalogue.asset_kind(&kind.node).is_some();
            if !known {
                let kinds = catalogue.asset_kinds().map(|k| k.id.as_str());
                ctx.unknown(Code::UnknownAssetKind, file, kind, "asset kind", kinds);
            }
            let zone = match zone {
                Some(z) => Some(zone_id(ctx, file, z)?),
                None => None,
            };
            known.then(|| WaiverScope::AssetsOfKind { kind: kind.node.clone(), zone })
        }
    }
}

/// `on plant CODE`: the one plant, by its code.
fn plant(ctx: &mut Ctx<'_>, file: FileId, names: &[ast::Ident]) -> Option<WaiverScope> {
    let Some(code) = ctx.plant_code.clone() else {
        // No plant declaration: that is reported on its own.
        return Some(WaiverScope::Plant);
    };
    let wrong: Vec<&ast::Ident> = names.iter().filter(|n| n.node != code).collect();
    for name in &wrong {
        ctx.report(
            ctx.error(Code::UnknownName, file, name.span, format!("unknown plant `{}`", name.node))
                .with_label(format!("the plant is `{code}`"))
                .with_help(format!("write `on plant {code}`")),
        );
    }
    if let [first, again, ..] = names {
        if wrong.is_empty() {
            twice(ctx, file, first.span, again.span, &format!("plant `{code}`"));
        }
    }
    wrong.is_empty().then_some(WaiverScope::Plant)
}

fn zone_id(ctx: &mut Ctx<'_>, file: FileId, zone: &ast::Ident) -> Option<ZoneId> {
    Names::lookup(ctx, EntityKind::Zone, zone, file).map(ZoneId)
}

fn entity(kind: EntityKind, index: u32) -> EntityRef {
    match kind {
        EntityKind::Zone => EntityRef::Zone(ZoneId(index)),
        EntityKind::Asset => EntityRef::Asset(AssetId(index)),
        EntityKind::Conduit => EntityRef::Conduit(ConduitId(index)),
        EntityKind::Operation => EntityRef::Operation(OperationId(index)),
        EntityKind::Data => EntityRef::Data(DataId(index)),
        EntityKind::Plant => EntityRef::Plant,
    }
}

/// No two waivers may cover the same rule on the same entity: a finding
/// would be hidden by whichever came first, and when that one expires or
/// shrinks the other silently takes over; a review would see only one.
/// A `plant` waiver covers every entity, so it overlaps any other waiver
/// of the same rule. `assets` are the model's, by ID; `path` names an entity.
pub(super) fn check_duplicates(
    ctx: &mut Ctx<'_>,
    waivers: &[Waiver],
    assets: &[crate::model::Asset],
    path: &dyn Fn(EntityRef) -> String,
) {
    let mut seen: BTreeMap<(&str, EntityRef), Loc> = BTreeMap::new();
    for waiver in waivers {
        let entities = waiver.scope.entities(assets);
        let everything = waiver.scope == WaiverScope::Plant;
        for rule in &waiver.rules {
            let id = rule.id.as_str();
            let clash = seen
                .range((id, EntityRef::Plant)..)
                .take_while(|((r, _), _)| *r == id)
                .find(|((_, e), _)| everything || *e == EntityRef::Plant || entities.contains(e))
                .map(|((_, e), first)| (*e, *first));
            match clash {
                Some((on, first)) => {
                    let on = if on == EntityRef::Plant { entities.first().copied().unwrap_or(on) } else { on };
                    report_duplicate(ctx, rule, first, &path(on));
                }
                None => {
                    for e in &entities {
                        seen.insert((id, *e), rule.loc);
                    }
                }
            }
        }
    }
}

fn report_duplicate(ctx: &mut Ctx<'_>, rule: &WaivedRule, first: Loc, on: &str) {
    let related = ctx.note(Code::DuplicateName, first, "first waived here");
    let on = if on == "plant" { "the plant".to_string() } else { format!("`{on}`") };
    ctx.report(
        ctx.error(Code::DuplicateName, rule.loc.file, rule.loc.span, format!("`{}` is waived twice for {on}", rule.id))
            .with_label("waived again here")
            .with_help(
                "keep one waiver per rule and entity: take the rule or the entity out of one of the waivers, \
                 or change the first one's `until`, `reason` or `compensating` instead",
            )
            .with_related(related),
    );
}
