//! Lowering operations and data, and their impact ratings (guideline steps
//! 1-2 to 1-6: what the plant does, what it protects, and how much each
//! matters).

use kojo_lang::ast::{self, DataItem, EntityKind, OperationItem};
use kojo_lang::Code;

use super::names::Names;
use super::{id, Ctx};
use crate::model::{AssetId, Data, DataId, FileId, ImpactRating, Loc, Operation, OperationId, ZoneId};

/// Checks impact ratings against the profile's axes and scale.
pub(super) fn impact(ctx: &mut Ctx<'_>, file: FileId, ratings: &[ast::ImpactRating]) -> Vec<ImpactRating> {
    let profile = ctx.profile;
    let mut out: Vec<ImpactRating> = Vec::new();
    let mut seen: Vec<(String, kojo_lang::Span)> = Vec::new();
    for rating in ratings {
        let axis = profile.axis(&rating.axis.node);
        if axis.is_none() {
            ctx.unknown(
                Code::UnknownImpactAxis,
                file,
                &rating.axis,
                "impact axis",
                profile.impact.axes.iter().flat_map(|a| [a.id.as_str(), a.short.as_str()]),
            );
        }
        let rank = profile.impact.levels.iter().position(|l| l.id == rating.level.node);
        if rank.is_none() {
            ctx.unknown(
                Code::UnknownImpactLevel,
                file,
                &rating.level,
                "impact level",
                profile.impact.levels.iter().map(|l| l.id.as_str()),
            );
        }
        let (Some(axis), Some(rank)) = (axis, rank) else { continue };
        let span = rating.axis.span.join(rating.level.span);
        if let Some((_, first)) = seen.iter().find(|(a, _)| *a == axis.id) {
            ctx.report(
                ctx.error(Code::DuplicateProperty, file, span, format!("impact on `{}` is given twice", axis.id))
                    .with_label("given again here")
                    .with_secondary(*first, "first given here")
                    .with_help("rate each axis once"),
            );
            continue;
        }
        seen.push((axis.id.clone(), span));
        out.push(ImpactRating { axis: axis.id.clone(), level: rating.level.node.clone(), rank });
    }
    out.sort();
    out
}

fn names(ctx: &mut Ctx<'_>, kind: EntityKind, file: FileId, list: &ast::List) -> Vec<u32> {
    list.items.iter().filter_map(|i| Names::lookup(ctx, kind, i, file)).collect()
}

pub(super) fn operation(ctx: &mut Ctx<'_>, index: usize, file: FileId, decl: &ast::Operation) -> Operation {
    let (mut impact, mut zones, mut data, mut assets) = (None, None, None, None);
    for item in &decl.items {
        match &item.node {
            OperationItem::Impact(ratings) => {
                let ratings = self::impact(ctx, file, ratings);
                ctx.once(&mut impact, ratings, item.span, file, "impact");
            }
            OperationItem::Zones(list) => {
                let ids = names(ctx, EntityKind::Zone, file, list).into_iter().map(ZoneId).collect();
                ctx.once(&mut zones, ids, item.span, file, "zones");
            }
            OperationItem::Data(list) => {
                let ids = names(ctx, EntityKind::Data, file, list).into_iter().map(DataId).collect();
                ctx.once(&mut data, ids, item.span, file, "data");
            }
            OperationItem::Assets(list) => {
                let ids = names(ctx, EntityKind::Asset, file, list).into_iter().map(AssetId).collect();
                ctx.once(&mut assets, ids, item.span, file, "assets");
            }
        }
    }
    Operation {
        id: id(index, OperationId),
        name: decl.name.node.clone(),
        title: decl.title.as_ref().map(|t| t.node.clone()),
        impact: impact.map(|v| v.0).unwrap_or_default(),
        zones: zones.map(|v| v.0).unwrap_or_default(),
        data: data.map(|v| v.0).unwrap_or_default(),
        assets: assets.map(|v| v.0).unwrap_or_default(),
        loc: Loc { file, span: *decl.span },
    }
}

pub(super) fn data(ctx: &mut Ctx<'_>, index: usize, file: FileId, decl: &ast::Data) -> Data {
    let (mut impact, mut stored_on) = (None, None);
    for item in &decl.items {
        match &item.node {
            DataItem::Impact(ratings) => {
                let ratings = self::impact(ctx, file, ratings);
                ctx.once(&mut impact, ratings, item.span, file, "impact");
            }
            DataItem::StoredOn(list) => {
                let ids = names(ctx, EntityKind::Asset, file, list).into_iter().map(AssetId).collect();
                ctx.once(&mut stored_on, ids, item.span, file, "stored-on");
            }
        }
    }
    Data {
        id: id(index, DataId),
        name: decl.name.node.clone(),
        title: decl.title.as_ref().map(|t| t.node.clone()),
        impact: impact.map(|v| v.0).unwrap_or_default(),
        stored_on: stored_on.map(|v| v.0).unwrap_or_default(),
        loc: Loc { file, span: *decl.span },
    }
}
