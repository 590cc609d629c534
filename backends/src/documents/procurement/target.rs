//! What a procurement specification is for: one asset, every asset going
//! into a zone, or a purchase (a named group of assets bought together).
//!
//! `kojo procure NAME` finds NAME among the plant's assets, zones and
//! purchases; `asset:NAME`, `zone:NAME` and `purchase:NAME` say which when
//! two share a name. Only the plant's own things are procured: an asset or
//! zone outside the plant (the internet, a vendor's network) is refused.

use kojo_compiler::model::PurchaseId;
use kojo_compiler::model::{AssetId, Model, Trust, ZoneId};
use kojo_compiler::suggest::did_you_mean;

/// A resolved target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Asset(AssetId),
    Zone(ZoneId),
    Purchase(PurchaseId),
}

impl Target {
    pub fn kind(self) -> &'static str {
        match self {
            Target::Asset(_) => "asset",
            Target::Zone(_) => "zone",
            Target::Purchase(_) => "purchase",
        }
    }

    /// The target's name as written in the model.
    pub fn name(self, model: &Model) -> String {
        match self {
            Target::Asset(id) => model.asset(id).map(|a| a.name.clone()),
            Target::Zone(id) => model.zone(id).map(|z| z.name.clone()),
            Target::Purchase(id) => model.purchase(id).map(|p| p.name.clone()),
        }
        .unwrap_or_default()
    }

    /// The assets the specification covers, in model order.
    pub fn assets(self, model: &Model) -> Vec<AssetId> {
        match self {
            Target::Asset(id) => vec![id],
            Target::Zone(id) => model.assets_in(id).map(|a| a.id).collect(),
            Target::Purchase(id) => model.purchase(id).map(|p| p.assets.clone()).unwrap_or_default(),
        }
    }
}

/// Why a name names nothing that can be procured; the message says how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetError {
    pub message: String,
    pub help: String,
}

/// Finds `written` (`plc1`, `zone:control`) in the model.
pub fn resolve(model: &Model, written: &str) -> Result<Target, TargetError> {
    let (kind, name) = match written.split_once(':') {
        Some((kind @ ("asset" | "zone" | "purchase"), name)) => (Some(kind), name),
        Some((other, _)) => {
            return Err(TargetError {
                message: format!("`{other}:` is not a kind of target"),
                help: "write `asset:NAME`, `zone:NAME` or `purchase:NAME`, or the name alone".into(),
            })
        }
        None => (None, written),
    };
    let mut found = Vec::new();
    if kind.is_none_or(|k| k == "asset") {
        found.extend(model.assets.iter().filter(|a| a.name == name).map(|a| Target::Asset(a.id)));
    }
    if kind.is_none_or(|k| k == "zone") {
        found.extend(model.zones.iter().filter(|z| z.name == name).map(|z| Target::Zone(z.id)));
    }
    if kind.is_none_or(|k| k == "purchase") {
        found.extend(model.purchases.iter().filter(|p| p.name == name).map(|p| Target::Purchase(p.id)));
    }
    match found.as_slice() {
        [] => Err(unknown(model, kind, name)),
        [target] => check(model, *target),
        several => {
            let forms: Vec<String> = several.iter().map(|t| format!("`{}:{name}`", t.kind())).collect();
            Err(TargetError {
                message: format!("`{name}` names {} things", several.len()),
                help: format!("say which: {}", forms.join(" or ")),
            })
        }
    }
}

fn unknown(model: &Model, kind: Option<&str>, name: &str) -> TargetError {
    let what = kind.unwrap_or("asset, zone or purchase");
    // The name exists, but as another kind: say which to write.
    let elsewhere: Vec<&str> = [
        ("asset", model.assets.iter().any(|a| a.name == name)),
        ("zone", model.zones.iter().any(|z| z.name == name)),
        ("purchase", model.purchases.iter().any(|p| p.name == name)),
    ]
    .into_iter()
    .filter_map(|(k, found)| found.then_some(k))
    .collect();
    if !elsewhere.is_empty() {
        let forms: Vec<String> = elsewhere.iter().map(|k| format!("`{k}:{name}`")).collect();
        return TargetError {
            message: format!("no {what} named `{name}`"),
            help: format!("did you mean {}?", forms.join(" or ")),
        };
    }
    let names: Vec<&str> = model
        .assets
        .iter()
        .map(|a| a.name.as_str())
        .chain(model.zones.iter().map(|z| z.name.as_str()))
        .chain(model.purchases.iter().map(|p| p.name.as_str()))
        .collect();
    let help = match did_you_mean(name, names.iter().copied()) {
        Some(s) => format!("did you mean `{s}`?"),
        None => "name an asset, a zone or a purchase declared in the project's .kojo files".into(),
    };
    TargetError { message: format!("no {what} named `{name}`"), help }
}

/// Only the plant's own things are procured.
fn check(model: &Model, target: Target) -> Result<Target, TargetError> {
    let outside = |zone: ZoneId| model.zone(zone).is_some_and(|z| z.trust != Trust::Internal);
    match target {
        Target::Zone(id) if outside(id) => Err(TargetError {
            message: format!("zone `{}` is outside the plant", target.name(model)),
            help: "procurement specifications are for what goes into the plant's own zones".into(),
        }),
        Target::Asset(id) => {
            let asset = model.asset(id);
            let zones: Vec<ZoneId> = asset
                .map(|a| a.zone.into_iter().chain(a.interfaces.iter().map(|i| i.zone)).collect())
                .unwrap_or_default();
            if !zones.is_empty() && zones.iter().all(|z| outside(*z)) {
                return Err(TargetError {
                    message: format!("asset `{}` is outside the plant", target.name(model)),
                    help: "procurement specifications are for what goes into the plant's own zones".into(),
                });
            }
            Ok(target)
        }
        Target::Purchase(_) => {
            let outside_assets: Vec<String> = target
                .assets(model)
                .into_iter()
                .filter_map(|id| model.asset(id))
                .filter(|a| {
                    let zones: Vec<ZoneId> = a.zone.into_iter().chain(a.interfaces.iter().map(|i| i.zone)).collect();
                    zones.iter().all(|z| outside(*z))
                })
                .map(|a| format!("`{}`", a.name))
                .collect();
            if outside_assets.is_empty() {
                Ok(target)
            } else {
                Err(TargetError {
                    message: format!(
                        "purchase `{}` lists {}, outside the plant",
                        target.name(model),
                        outside_assets.join(", ")
                    ),
                    help: "procurement specifications are for what goes into the plant's own zones: take them out of the purchase".into(),
                })
            }
        }
        _ if target.assets(model).is_empty() => Err(TargetError {
            message: format!("{} `{}` has no assets", target.kind(), target.name(model)),
            help: "a specification lists what is bought: declare the assets that go into it".into(),
        }),
        _ => Ok(target),
    }
}
