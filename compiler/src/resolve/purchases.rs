//! Lowering purchases: the groups of assets bought together, which `kojo procure` writes specifications for.

use kojo_lang::ast::{self, EntityKind, PurchaseItem};
use kojo_lang::{Code, Severity, Span};

use super::names::Names;
use super::{id, Ctx};
use crate::model::{AssetId, FileId, Loc, Purchase, PurchaseId};

const ASSETS_HELP: &str = "list what is bought, e.g. `assets [plc1, hmi1]`";

pub(super) fn purchase(ctx: &mut Ctx<'_>, index: usize, file: FileId, decl: &ast::Purchase) -> Purchase {
    let (mut assets, mut supplier) = (None, None);
    for item in &decl.items {
        match &item.node {
            PurchaseItem::Assets(list) => {
                if list.items.is_empty() {
                    ctx.report(
                        ctx.error(
                            Code::MissingProperty,
                            file,
                            *list.span,
                            format!("purchase `{}` lists no assets", decl.name.node),
                        )
                        .with_label("empty list")
                        .with_help(ASSETS_HELP),
                    );
                }
                let ids = self::assets(ctx, file, &decl.name.node, list);
                ctx.once(&mut assets, ids, item.span, file, "assets");
            }
            PurchaseItem::Supplier(s) => ctx.once(&mut supplier, s.node.clone(), item.span, file, "supplier"),
        }
    }
    if !decl.items.iter().any(|i| matches!(i.node, PurchaseItem::Assets(_))) {
        ctx.missing(file, decl.name.span, format!("purchase `{}` has no `assets`", decl.name.node), ASSETS_HELP);
    }
    Purchase {
        id: id(index, PurchaseId),
        name: decl.name.node.clone(),
        title: decl.title.as_ref().map(|t| t.node.clone()),
        supplier: supplier.map(|s| s.0),
        assets: assets.map(|a| a.0).unwrap_or_default(),
        loc: Loc { file, span: *decl.span },
    }
}

/// The listed assets in source order, each once. A repeat is only a
/// warning: the asset is bought either way, but the list was likely meant
/// to name another.
fn assets(ctx: &mut Ctx<'_>, file: FileId, purchase: &str, list: &ast::List) -> Vec<AssetId> {
    let mut out: Vec<(AssetId, Span)> = Vec::new();
    for ident in &list.items {
        let Some(asset) = Names::lookup(ctx, EntityKind::Asset, ident, file).map(AssetId) else { continue };
        match out.iter().find(|(seen, _)| *seen == asset) {
            Some((_, first)) => ctx.report(
                ctx.error(
                    Code::DuplicateProperty,
                    file,
                    ident.span,
                    format!("asset `{}` is listed twice in purchase `{purchase}`", ident.node),
                )
                .with_severity(Severity::Warning)
                .with_label("listed again here")
                .with_secondary(*first, "first listed here")
                .with_help("remove the repeat, or name the asset that was meant"),
            ),
            None => out.push((asset, ident.span)),
        }
    }
    out.into_iter().map(|(asset, _)| asset).collect()
}

#[cfg(test)]
mod tests {
    use kojo_lang::{Code, Severity};

    use crate::resolve::tests::resolve_text;

    const ZONE: &str = "plant \"P\" { profile meti-factory }\nzone control { subnet 10.3.0.0/24 }\n\
        asset plc1 in control { kind plc; ip 10.3.0.11 }\nasset hmi1 in control { kind hmi; ip 10.3.0.31 }\n";

    #[test]
    fn a_purchase_keeps_its_assets_in_order_and_its_supplier() {
        let (model, diagnostics) =
            resolve_text(&format!("{ZONE}purchase line1 \"Line 1\" {{ assets [hmi1, plc1]; supplier \"Example\" }}\n"));
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let model = model.unwrap();
        let purchase = &model.purchases[0];
        assert_eq!((purchase.name.as_str(), purchase.title.as_deref()), ("line1", Some("Line 1")));
        assert_eq!(purchase.supplier.as_deref(), Some("Example"));
        let names: Vec<&str> = purchase.assets.iter().map(|a| model.asset(*a).unwrap().name.as_str()).collect();
        assert_eq!(names, ["hmi1", "plc1"]);
        assert_eq!(model.purchase(purchase.id).unwrap().name, "line1");
    }

    #[test]
    fn an_unknown_asset_suggests_a_close_name() {
        let (model, diagnostics) = resolve_text(&format!("{ZONE}purchase line1 {{ assets [plc1, hmi2] }}\n"));
        assert!(model.is_none());
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        assert_eq!(diagnostics[0].code, Code::UnknownName);
        assert_eq!(diagnostics[0].message, "unknown asset `hmi2`");
        assert_eq!(diagnostics[0].help.as_deref(), Some("did you mean `hmi1`?"));
    }

    #[test]
    fn a_purchase_needs_assets() {
        for body in ["", " { supplier \"S\" }", " { assets [] }"] {
            let (model, diagnostics) = resolve_text(&format!("{ZONE}purchase p{body}\n"));
            assert!(model.is_none(), "{body}");
            let codes: Vec<Code> = diagnostics.iter().map(|d| d.code).collect();
            assert_eq!(codes, [Code::MissingProperty], "{body}: {diagnostics:?}");
            assert!(diagnostics[0].help.as_deref().is_some_and(|h| h.contains("assets [")), "{body}");
        }
    }

    #[test]
    fn properties_are_given_once() {
        let text = format!("{ZONE}purchase p {{ assets [plc1]; supplier \"A\"; supplier \"B\"; assets [hmi1] }}\n");
        let (model, diagnostics) = resolve_text(&text);
        assert!(model.is_none());
        let messages: Vec<&str> = diagnostics.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(messages, ["`supplier` is given twice", "`assets` is given twice"]);
        assert!(diagnostics.iter().all(|d| d.code == Code::DuplicateProperty));
    }

    #[test]
    fn a_repeated_asset_is_a_warning_and_kept_once() {
        let (model, diagnostics) = resolve_text(&format!("{ZONE}purchase p {{ assets [plc1, hmi1, plc1] }}\n"));
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        assert_eq!((diagnostics[0].code, diagnostics[0].severity), (Code::DuplicateProperty, Severity::Warning));
        assert_eq!(diagnostics[0].message, "asset `plc1` is listed twice in purchase `p`");
        let model = model.unwrap();
        assert_eq!(model.purchases[0].assets.len(), 2);
    }

    #[test]
    fn purchases_have_their_own_namespace() {
        let text = format!("{ZONE}purchase plc1 {{ assets [plc1] }}\npurchase control {{ assets [hmi1] }}\n");
        let (model, diagnostics) = resolve_text(&text);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(model.unwrap().purchases.len(), 2);

        let text = format!("{ZONE}purchase p {{ assets [plc1] }}\npurchase p {{ assets [hmi1] }}\n");
        let (model, diagnostics) = resolve_text(&text);
        assert!(model.is_none());
        let found: Vec<(Code, &str)> = diagnostics.iter().map(|d| (d.code, d.message.as_str())).collect();
        assert_eq!(found, [(Code::DuplicateName, "purchase `p` is declared twice")]);
    }

    #[test]
    fn a_purchase_named_where_an_asset_is_needed_says_so() {
        let text = format!("{ZONE}purchase line1 {{ assets [plc1] }}\ndata d {{ stored-on [line1] }}\n");
        let (_, diagnostics) = resolve_text(&text);
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        let help = diagnostics[0].help.as_deref().unwrap_or_default();
        assert!(help.starts_with("`line1` is a purchase, but "), "{help}");
    }
}
