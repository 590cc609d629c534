//! Lowering zones and assets.

use kojo_lang::ast::{self, AssetItem, EntityKind, ZoneItem};
use kojo_lang::{Code, Span};

use super::addresses::{self, Site};
use super::names::Names;
use super::{bindings, id, Ctx};
use crate::model::{Asset, AssetId, FileId, Interface, Loc, PhysicalPort, Tier, Trust, Zone, ZoneId};
use crate::types::{parse_address, parse_subnet, parse_vlan};

pub(super) fn zone(ctx: &mut Ctx<'_>, index: usize, file: FileId, decl: &ast::Zone) -> Zone {
    let trust = match decl.trust.as_ref() {
        None => Trust::Internal,
        Some(t) => match t.node.as_str() {
            "internal" => Trust::Internal,
            "external" => Trust::External,
            "untrusted" => Trust::Untrusted,
            _ => {
                ctx.unknown(Code::UnknownTrust, file, t, "trust level", ["internal", "external", "untrusted"]);
                Trust::Internal
            }
        },
    };
    let mut subnets = Vec::new();
    let mut vlan = None;
    let mut tier = None;
    let mut controls = None;
    for item in &decl.items {
        match &item.node {
            ZoneItem::Subnet(text) => match parse_subnet(&text.node) {
                Ok(net) => {
                    let site = Site { loc: Loc { file, span: text.span }, owner: decl.name.node.clone() };
                    ctx.addresses.add_subnet(net, site);
                    subnets.push(net);
                }
                Err(invalid) => ctx.report(
                    ctx.error(Code::InvalidSubnet, file, text.span, invalid.message)
                        .with_label("invalid subnet")
                        .with_help(invalid.help),
                ),
            },
            ZoneItem::Vlan(text) => {
                if let Some(value) = checked(ctx, file, text.span, parse_vlan(&text.node), Code::InvalidVlan) {
                    ctx.once(&mut vlan, value, item.span, file, "vlan");
                }
            }
            ZoneItem::Tier(ident) => {
                if let Some(t) = self::tier(ctx, file, ident) {
                    ctx.once(&mut tier, t, item.span, file, "tier");
                }
            }
            ZoneItem::Controls(list) => {
                let list = ctx.controls(file, list);
                ctx.once(&mut controls, list, item.span, file, "controls");
            }
        }
    }
    Zone {
        id: id(index, ZoneId),
        name: decl.name.node.clone(),
        title: decl.title.as_ref().map(|t| t.node.clone()),
        trust,
        subnets,
        vlan: vlan.map(|v| v.0),
        declared_tier: tier.map(|t| t.0),
        controls: controls.map(|c| c.0).unwrap_or_default(),
        loc: Loc { file, span: *decl.span },
    }
}

/// A tier name checked against the profile.
pub(super) fn tier(ctx: &mut Ctx<'_>, file: FileId, ident: &ast::Ident) -> Option<Tier> {
    let profile = ctx.profile;
    match (profile.tier(&ident.node), Tier::from_id(&ident.node)) {
        (Some(_), Some(tier)) => Some(tier),
        _ => {
            ctx.unknown(Code::UnknownTier, file, ident, "tier", profile.tiers.iter().map(|t| t.id.as_str()));
            None
        }
    }
}

/// Reports an invalid value at `span`; passes a valid one through.
fn checked<T>(
    ctx: &mut Ctx<'_>,
    file: FileId,
    span: Span,
    result: Result<T, crate::types::Invalid>,
    code: Code,
) -> Option<T> {
    match result {
        Ok(value) => Some(value),
        Err(invalid) => {
            ctx.report(
                ctx.error(code, file, span, invalid.message).with_label("invalid value").with_help(invalid.help),
            );
            None
        }
    }
}

pub(super) fn asset(ctx: &mut Ctx<'_>, zones: &[Zone], index: usize, file: FileId, decl: &ast::Asset) -> Asset {
    let zone = decl.zone.as_ref().and_then(|z| Names::lookup(ctx, EntityKind::Zone, z, file)).map(ZoneId);
    let mut kind: Option<(String, Span)> = None;
    let mut enforcing = false;
    let mut addresses = Vec::new();
    let mut interfaces = Vec::new();
    let mut has_interfaces = false;
    let (mut vendor, mut model, mut firmware) = (None, None, None);
    let (mut services, mut ports, mut controls, mut impact) = (None, None, None, None);
    let catalogue = ctx.catalogue;
    for item in &decl.items {
        match &item.node {
            AssetItem::Kind(ident) => match catalogue.asset_kind(&ident.node) {
                Some(k) => {
                    enforcing = k.enforcing;
                    ctx.once(&mut kind, ident.node.clone(), item.span, file, "kind");
                }
                None => ctx.unknown(
                    Code::UnknownAssetKind,
                    file,
                    ident,
                    "asset kind",
                    catalogue.asset_kinds().map(|k| k.id.as_str()),
                ),
            },
            AssetItem::Ip(text) => {
                if let Some(a) = checked(ctx, file, text.span, parse_address(&text.node), Code::InvalidAddress) {
                    let zone = zone.and_then(|z| zones.get(z.index()));
                    addresses::add_host(ctx, a, zone, file, text.span, &decl.name.node);
                    addresses.push(a);
                }
            }
            AssetItem::Interfaces(list) => {
                if has_interfaces {
                    ctx.report(
                        ctx.error(Code::DuplicateProperty, file, item.span, "`interfaces` is given twice")
                            .with_label("given again here")
                            .with_help("list every interface in one `interfaces { … }` block"),
                    );
                }
                has_interfaces |= !list.is_empty();
                for interface in list {
                    let zone = Names::lookup(ctx, EntityKind::Zone, &interface.zone, file);
                    let address = checked(
                        ctx,
                        file,
                        interface.address.span,
                        parse_address(&interface.address.node),
                        Code::InvalidAddress,
                    );
                    if let (Some(zone), Some(address)) = (zone, address) {
                        let span = interface.address.span;
                        addresses::add_host(ctx, address, zones.get(zone as usize), file, span, &decl.name.node);
                        interfaces.push(Interface { zone: ZoneId(zone), address });
                    }
                }
            }
            AssetItem::Vendor(s) => ctx.once(&mut vendor, s.node.clone(), item.span, file, "vendor"),
            AssetItem::Model(s) => ctx.once(&mut model, s.node.clone(), item.span, file, "model"),
            AssetItem::Firmware(s) => ctx.once(&mut firmware, s.node.clone(), item.span, file, "firmware"),
            AssetItem::Services(list) => {
                let list = ctx.services(file, &list.items);
                ctx.once(&mut services, list, item.span, file, "services");
            }
            AssetItem::Ports(list) => {
                let list = physical_ports(ctx, file, list);
                ctx.once(&mut ports, list, item.span, file, "ports");
            }
            AssetItem::Controls(list) => {
                let list = ctx.controls(file, list);
                ctx.once(&mut controls, list, item.span, file, "controls");
            }
            AssetItem::Impact(ratings) => {
                let ratings = bindings::impact(ctx, file, ratings);
                ctx.once(&mut impact, ratings, item.span, file, "impact");
            }
        }
    }
    let header = decl.name.span;
    if kind.is_none() && !decl.items.iter().any(|i| matches!(i.node, AssetItem::Kind(_))) {
        ctx.missing(
            file,
            header,
            format!("asset `{}` has no `kind`", decl.name.node),
            "add a kind, e.g. `kind plc`; the kind decides which device controls apply",
        );
    }
    if decl.zone.is_none() && !has_interfaces {
        ctx.missing(
            file,
            header,
            format!("asset `{}` is in no zone", decl.name.node),
            "place it with `asset NAME \"Title\" in ZONE`, or give an enforcing device `interfaces { ZONE ADDRESS }`",
        );
    }
    Asset {
        id: id(index, AssetId),
        name: decl.name.node.clone(),
        title: decl.title.as_ref().map(|t| t.node.clone()),
        kind: kind.map(|k| k.0).unwrap_or_default(),
        enforcing,
        zone,
        addresses,
        interfaces,
        vendor: vendor.map(|v| v.0),
        model: model.map(|v| v.0),
        firmware: firmware.map(|v| v.0),
        services: services.map(|v| v.0).unwrap_or_default(),
        ports: ports.map(|v| v.0).unwrap_or_default(),
        controls: controls.map(|v| v.0).unwrap_or_default(),
        impact: impact.map(|v| v.0).unwrap_or_default(),
        loc: Loc { file, span: *decl.span },
    }
}

fn physical_ports(ctx: &mut Ctx<'_>, file: FileId, list: &[ast::PortState]) -> Vec<PhysicalPort> {
    let catalogue = ctx.catalogue;
    let mut out = Vec::new();
    for entry in list {
        let port_ok = catalogue.port_kind(&entry.port.node).is_some();
        if !port_ok {
            ctx.unknown(
                Code::UnknownPortState,
                file,
                &entry.port,
                "physical port",
                catalogue.port_kinds().map(|p| p.id.as_str()),
            );
        }
        let state_ok = catalogue.port_state(&entry.state.node).is_some();
        if !state_ok {
            ctx.unknown(
                Code::UnknownPortState,
                file,
                &entry.state,
                "port state",
                catalogue.port_states().map(|p| p.id.as_str()),
            );
        }
        if port_ok && state_ok {
            out.push(PhysicalPort { port: entry.port.node.clone(), state: entry.state.node.clone() });
        }
    }
    out
}
