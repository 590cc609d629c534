//! Lowering conduits and their flows.

use kojo_lang::ast::{self, ConduitItem, Endpoint, EntityKind, FlowWhat};
use kojo_lang::{Code, Span};

use super::names::Names;
use super::{id, Ctx};
use crate::model::{Asset, AssetId, Conduit, ConduitId, FileId, Flow, FlowEnd, Inspection, Loc, Traffic, Zone, ZoneId};
use crate::types::{PortRange, TimeWindow};

pub(super) fn conduit(
    ctx: &mut Ctx<'_>,
    zones: &[Zone],
    assets: &[Asset],
    index: usize,
    file: FileId,
    decl: &ast::Conduit,
) -> Conduit {
    let from = Names::lookup(ctx, EntityKind::Zone, &decl.from, file).map(ZoneId);
    let to = Names::lookup(ctx, EntityKind::Zone, &decl.to, file).map(ZoneId);
    if let (Some(a), Some(b)) = (from, to) {
        if a == b {
            ctx.report(
                ctx.error(
                    Code::ConduitLoop,
                    file,
                    decl.from.span.join(decl.to.span),
                    format!("conduit `{}` runs from zone `{}` to itself", decl.name.node, decl.from.node),
                )
                .with_label("same zone on both ends")
                .with_help("a conduit joins two different zones; traffic inside one zone needs no conduit"),
            );
        }
    }
    let sides = Sides { zones, assets, from, to, from_name: &decl.from.node, to_name: &decl.to.node };
    let mut flows = Vec::new();
    let (mut controls, mut enforced_by, mut window, mut one_way) = (None, None, None, None);
    let mut inspection = None;
    for item in &decl.items {
        match &item.node {
            ConduitItem::Allow(flow) => flows.extend(self::flow(ctx, &sides, file, flow, item.span)),
            ConduitItem::Controls(list) => {
                let list = ctx.controls(file, list);
                ctx.once(&mut controls, list, item.span, file, "controls");
            }
            ConduitItem::EnforcedBy(ident) => {
                if let Some(asset) = enforcer(ctx, &sides, file, ident) {
                    ctx.once(&mut enforced_by, asset, item.span, file, "enforced-by");
                }
            }
            ConduitItem::Window(text) => match TimeWindow::parse(&text.node) {
                Ok(w) => ctx.once(&mut window, w, item.span, file, "window"),
                Err(invalid) => ctx.report(
                    ctx.error(Code::InvalidWindow, file, text.span, invalid.message)
                        .with_label("invalid time window")
                        .with_help(invalid.help),
                ),
            },
            ConduitItem::OneWay => ctx.once(&mut one_way, (), item.span, file, "one-way"),
            ConduitItem::Inspection(ident) => match Inspection::from_id(&ident.node) {
                Some(mode) => ctx.once(&mut inspection, mode, item.span, file, "inspection"),
                None => ctx.unknown(
                    Code::UnknownInspection,
                    file,
                    ident,
                    "inspection mode",
                    Inspection::ALL.iter().map(|i| i.id()),
                ),
            },
        }
    }
    Conduit {
        id: id(index, ConduitId),
        name: decl.name.node.clone(),
        title: decl.title.as_ref().map(|t| t.node.clone()),
        from: from.unwrap_or(ZoneId(u32::MAX)),
        to: to.unwrap_or(ZoneId(u32::MAX)),
        flows,
        controls: controls.map(|c| c.0).unwrap_or_default(),
        enforced_by: enforced_by.map(|e| e.0),
        window: window.map(|w| w.0),
        one_way: one_way.is_some(),
        inspection: inspection.map(|i| i.0).unwrap_or_default(),
        loc: Loc { file, span: *decl.span },
    }
}

/// The device an `enforced-by` names, after checking that it can enforce
/// and sits between the conduit's zones (each problem reported).
fn enforcer(ctx: &mut Ctx<'_>, sides: &Sides<'_>, file: FileId, ident: &ast::Ident) -> Option<AssetId> {
    let (assets, from, to) = (sides.assets, sides.from, sides.to);
    if let Some(asset) = Names::lookup(ctx, EntityKind::Asset, ident, file) {
        if let Some(a) = assets.get(asset as usize) {
            if !a.enforcing && !a.kind.is_empty() {
                ctx.report(
                    ctx.error(
                        Code::NotEnforcingDevice,
                        file,
                        ident.span,
                        format!("`{}` is a {}, which cannot enforce a conduit", ident.node, a.kind),
                    )
                    .with_label("not an enforcing device")
                    .with_help("name an asset of kind firewall, router, gateway or diode"),
                );
            }
        }
        if let Some(a) = assets.get(asset as usize).filter(|a| a.enforcing) {
            let missing: Vec<&str> = [(from, sides.from_name), (to, sides.to_name)]
                .into_iter()
                .filter(|(zone, _)| zone.is_some_and(|z| !a.is_in(z)))
                .map(|(_, name)| name)
                .collect();
            if !missing.is_empty() {
                ctx.report(
                        ctx.error(
                            Code::NotEnforcingDevice,
                            file,
                            ident.span,
                            format!("`{}` has no interface in zone `{}`", ident.node, missing.join("` or `")),
                        )
                        .with_label("cannot sit between this conduit's zones")
                        .with_help(format!(
                            "a device enforces a conduit only if traffic passes through it: add `interfaces {{ {} ADDRESS }}` to `{}`, or name the device that joins `{}` and `{}`",
                            missing.join(" ADDRESS; "),
                            ident.node,
                            sides.from_name,
                            sides.to_name
                        )),
                    );
            }
        }
        return Some(AssetId(asset));
    }
    None
}

/// The two ends of a conduit, for checking flow endpoints.
struct Sides<'a> {
    zones: &'a [Zone],
    assets: &'a [Asset],
    from: Option<ZoneId>,
    to: Option<ZoneId>,
    from_name: &'a str,
    to_name: &'a str,
}

fn flow(ctx: &mut Ctx<'_>, sides: &Sides<'_>, file: FileId, flow: &ast::Flow, span: Span) -> Option<Flow> {
    if runs_backwards(ctx, sides, flow) {
        ctx.report(
            ctx.error(
                Code::EndpointOutsideConduit,
                file,
                span,
                format!("this flow runs from `{}` to `{}`, against the conduit", sides.to_name, sides.from_name),
            )
            .with_label("source and destination are swapped")
            .with_help(format!(
                "write `allow DESTINATION -> SOURCE`, or declare a conduit from `{}` to `{}` for connections opened in that direction",
                sides.to_name, sides.from_name
            )),
        );
        return None;
    }
    let source = endpoint(ctx, sides, file, &flow.source, sides.from, sides.from_name, "source");
    let destination = endpoint(ctx, sides, file, &flow.destination, sides.to, sides.to_name, "destination");
    let empty = match &flow.what {
        FlowWhat::Services { names, .. } => names.is_empty(),
        FlowWhat::Ports { ports, .. } => ports.is_empty(),
    };
    if empty {
        ctx.report(
            ctx.error(Code::MissingProperty, file, span, "the flow carries no service or port")
                .with_label("empty list")
                .with_help("name the services (`service [https, ssh]`) or ports (`port [tcp/8080]`) the flow allows"),
        );
        return None;
    }
    let traffic = match &flow.what {
        FlowWhat::Services { names, .. } => {
            let known = ctx.services(file, names);
            (known.len() == names.len()).then_some(Traffic::Services(known))
        }
        FlowWhat::Ports { ports, .. } => {
            let mut ranges = Vec::new();
            for port in ports {
                match PortRange::parse(&port.node) {
                    Ok(range) => ranges.push(range),
                    Err(invalid) => ctx.report(
                        ctx.error(Code::InvalidPort, file, port.span, invalid.message)
                            .with_label("invalid port")
                            .with_help(invalid.help),
                    ),
                }
            }
            (ranges.len() == ports.len()).then_some(Traffic::Ports(ranges))
        }
    };
    let functions = flow.functions.as_ref().map(|list| functions(ctx, file, list, &flow.what)).unwrap_or_default();
    Some(Flow { source: source?, destination: destination?, traffic: traffic?, functions, loc: Loc { file, span } })
}

/// Whether both ends are single assets sitting on the opposite sides.
fn runs_backwards(ctx: &Ctx<'_>, sides: &Sides<'_>, flow: &ast::Flow) -> bool {
    let (Endpoint::Asset(src), Endpoint::Asset(dst), Some(from), Some(to)) =
        (&flow.source, &flow.destination, sides.from, sides.to)
    else {
        return false;
    };
    let asset =
        |ident: &ast::Ident| ctx.names.get(EntityKind::Asset, &ident.node).and_then(|i| sides.assets.get(i as usize));
    match (asset(src), asset(dst)) {
        (Some(s), Some(d)) => s.is_in(to) && !s.is_in(from) && d.is_in(from) && !d.is_in(to),
        _ => false,
    }
}

fn endpoint(
    ctx: &mut Ctx<'_>,
    sides: &Sides<'_>,
    file: FileId,
    endpoint: &Endpoint,
    zone: Option<ZoneId>,
    zone_name: &str,
    side: &str,
) -> Option<FlowEnd> {
    let idents = match endpoint {
        Endpoint::Any(_) => return Some(FlowEnd::Any),
        Endpoint::Asset(ident) => std::slice::from_ref(ident),
        Endpoint::Assets(list) if list.items.is_empty() => {
            ctx.report(
                ctx.error(Code::MissingProperty, file, *list.span, format!("the flow's {side} is an empty list"))
                    .with_label("no hosts")
                    .with_help(format!("name the {side} hosts, or write `any` for every host of `{zone_name}`")),
            );
            return None;
        }
        Endpoint::Assets(list) => list.items.as_slice(),
    };
    let mut ids = Vec::new();
    let mut ok = true;
    for ident in idents {
        let Some(asset) = Names::lookup(ctx, EntityKind::Asset, ident, file) else {
            ok = false;
            continue;
        };
        let id = AssetId(asset);
        // An asset whose own zone did not resolve has been reported already.
        let placed = |a: &Asset| a.zone.is_some() || !a.interfaces.is_empty();
        if let (Some(zone), Some(a)) = (zone, sides.assets.get(asset as usize).filter(|a| placed(a))) {
            if !a.is_in(zone) {
                let actual = a
                    .zone
                    .and_then(|z| sides.zones.get(z.index()))
                    .map_or_else(|| "no zone".to_string(), |z| format!("zone `{}`", z.name));
                ctx.report(
                    ctx.error(
                        Code::EndpointOutsideConduit,
                        file,
                        ident.span,
                        format!("the {side} `{}` is in {actual}, not in `{zone_name}`", ident.node),
                    )
                    .with_label(format!("not in `{zone_name}`"))
                    .with_help(format!(
                        "a flow's {side} must be an asset in the conduit's `{}` zone (`{zone_name}`); swap the ends or use the conduit that joins {actual}",
                        if side == "source" { "from" } else { "to" }
                    )),
                );
                ok = false;
                continue;
            }
        }
        ids.push(id);
    }
    ok.then_some(FlowEnd::Assets(ids))
}

/// Checks a flow's `functions [...]` against its services' definitions.
fn functions(ctx: &mut Ctx<'_>, file: FileId, list: &ast::List, what: &FlowWhat) -> Vec<String> {
    let catalogue = ctx.catalogue;
    let services: Vec<_> = match what {
        // An unknown service has been reported; its functions cannot be checked.
        FlowWhat::Services { names, .. } if names.iter().any(|n| catalogue.service(&n.node).is_none()) => {
            return Vec::new()
        }
        FlowWhat::Services { names, .. } => names.iter().filter_map(|n| catalogue.service(&n.node)).collect(),
        FlowWhat::Ports { .. } => Vec::new(),
    };
    let mut out = Vec::new();
    for ident in &list.items {
        if services.iter().any(|s| s.function(&ident.node).is_some()) {
            out.push(ident.node.clone());
            continue;
        }
        let defined: Vec<&str> = services.iter().flat_map(|s| s.functions.iter().map(|f| f.name.as_str())).collect();
        if defined.is_empty() {
            let service_names: Vec<&str> = services.iter().map(|s| s.id.as_str()).collect();
            let help = if matches!(what, FlowWhat::Ports { .. }) {
                "functions can only be restricted on a named service: use `service modbus-tcp` instead of raw ports"
                    .to_string()
            } else {
                format!("`{}` defines no functions to restrict; remove `functions`", service_names.join("`, `"))
            };
            ctx.report(
                ctx.error(Code::UnknownFunction, file, ident.span, format!("unknown function `{}`", ident.node))
                    .with_label("no function of this flow's service has this name")
                    .with_help(help),
            );
        } else {
            ctx.unknown(Code::UnknownFunction, file, ident, "function", defined);
        }
    }
    out
}
