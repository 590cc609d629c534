//! Lowering zones and assets.

use kojo_lang::ast::{self, AssetItem, EntityKind, ZoneItem};
use kojo_lang::{Code, Span};

use super::addresses::{self, Site};
use super::names::Names;
use super::{bindings, components, id, Ctx};
use crate::model::{
    Asset, AssetId, FileId, Interface, Loc, PhysicalPort, Tier, Trust, Zone, ZoneId, ZoneLevel, ZoneRole,
};
use crate::suggest::did_you_mean;
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
    let mut role = None;
    let mut level = None;
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
            ZoneItem::Role(ident) => match ZoneRole::ALL.into_iter().find(|r| r.keyword() == ident.node) {
                Some(r) => ctx.once(&mut role, r, item.span, file, "role"),
                None => {
                    ctx.unknown(Code::UnknownZoneRole, file, ident, "zone role", ZoneRole::ALL.map(ZoneRole::keyword))
                }
            },
            ZoneItem::Level(word) => match ZoneLevel::parse(&word.node) {
                Some(l) => ctx.once(&mut level, l, item.span, file, "level"),
                None => ctx.report(
                    ctx.error(Code::InvalidZoneLevel, file, word.span, format!("`{}` is not a zone level", word.node))
                        .with_label("not a level")
                        .with_help("write `level 0` (the process) to `level 5` (the enterprise), or `level dmz` for the zone between enterprise and operations"),
                ),
            },
            ZoneItem::Controls(list) => {
                let list = ctx.controls(file, list);
                ctx.once(&mut controls, list, item.span, file, "controls");
            }
        }
    }
    if let (Some((_, span)), Trust::External | Trust::Untrusted) = (&level, trust) {
        ctx.report(
            ctx.error(Code::InvalidZoneLevel, file, *span, "a zone outside the plant has no level")
                .with_label("the zone is `external` or `untrusted`")
                .with_help("remove `level`: a zone outside the plant is drawn above the plant boundary; if the zone is one of the plant's own, drop `: external` / `: untrusted`"),
        );
    }
    Zone {
        id: id(index, ZoneId),
        name: decl.name.node.clone(),
        title: decl.title.as_ref().map(|t| t.node.clone()),
        trust,
        subnets,
        vlan: vlan.map(|v| v.0),
        declared_tier: tier.map(|t| t.0),
        role: role.map(|r| r.0),
        level: level.map(|l| l.0),
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
    let (mut services, mut ports, mut controls, mut impact, mut software) = (None, None, None, None, None);
    let mut capabilities = None;
    let mut components = Vec::new();
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
                interfaces.extend(self::interfaces(ctx, zones, file, &decl.name.node, list));
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
            AssetItem::Software(list) => {
                let list = software_kinds(ctx, file, list);
                ctx.once(&mut software, list, item.span, file, "software");
            }
            AssetItem::Capabilities(list) => {
                let list = known_capabilities(ctx, file, list);
                ctx.once(&mut capabilities, list, item.span, file, "capabilities");
            }
            AssetItem::Component(c) => {
                if let Some(c) = components::component(ctx, file, item.span, c, &components) {
                    components.push(c);
                }
            }
        }
    }
    required(ctx, file, decl, has_interfaces);
    let software_declared = software.is_some();
    // The kind's default applies only where the model says nothing, `[]` included.
    let software = match (software, &kind) {
        (Some((list, _)), _) => list,
        (None, Some((kind, _))) => catalogue.asset_kind(kind).map(|k| k.software.clone()).unwrap_or_default(),
        (None, None) => Vec::new(),
    };
    let capabilities_declared = capabilities.is_some();
    let mut capabilities = match (capabilities, &kind) {
        (Some((list, _)), _) => list,
        (None, Some((kind, _))) => catalogue.asset_kind(kind).map(|k| k.capabilities.clone()).unwrap_or_default(),
        (None, None) => Vec::new(),
    };
    capabilities.sort();
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
        software,
        software_declared,
        capabilities,
        capabilities_declared,
        components,
        loc: Loc { file, span: *decl.span },
    }
}

/// Reports what every asset must have: a kind and a place.
fn required(ctx: &mut Ctx<'_>, file: FileId, decl: &ast::Asset, has_interfaces: bool) {
    let header = decl.name.span;
    if !decl.items.iter().any(|i| matches!(i.node, AssetItem::Kind(_))) {
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
}

/// The interfaces of `owner` whose zone and address are valid; each address
/// is recorded as a host in its zone.
fn interfaces(ctx: &mut Ctx<'_>, zones: &[Zone], file: FileId, owner: &str, list: &[ast::Interface]) -> Vec<Interface> {
    let mut out = Vec::new();
    for interface in list {
        let zone = Names::lookup(ctx, EntityKind::Zone, &interface.zone, file);
        let span = interface.address.span;
        let address = checked(ctx, file, span, parse_address(&interface.address.node), Code::InvalidAddress);
        if let (Some(zone), Some(address)) = (zone, address) {
            addresses::add_host(ctx, address, zones.get(zone as usize), file, span, owner);
            out.push(Interface { zone: ZoneId(zone), address });
        }
    }
    out
}

/// Checks `software [...]` against the program-check kinds; returns the
/// known ones, each once. There are only three kinds, so the help always
/// names them all, a close guess first.
fn software_kinds(ctx: &mut Ctx<'_>, file: FileId, list: &ast::List) -> Vec<String> {
    let catalogue = ctx.catalogue;
    let mut out: Vec<String> = Vec::new();
    for ident in &list.items {
        if catalogue.program_check_kind(&ident.node).is_some() {
            if !out.contains(&ident.node) {
                out.push(ident.node.clone());
            }
            continue;
        }
        let known: Vec<&str> = catalogue.program_checks().map(|k| k.id.as_str()).collect();
        let help = match did_you_mean(&ident.node, known.iter().copied()) {
            Some(guess) => {
                let others: Vec<&str> = known.iter().copied().filter(|k| *k != guess).collect();
                format!("did you mean `{guess}`? the others are {}", and_list(&others))
            }
            None => format!("the software kinds are {}", and_list(&known)),
        };
        ctx.report(
            ctx.error(Code::UnknownSoftwareKind, file, ident.span, format!("unknown software kind `{}`", ident.node))
                .with_label("not a known software kind")
                .with_help(help),
        );
    }
    out
}

/// Checks `capabilities [...]` against the capability catalogue; returns
/// the known ones, each once, sorted (the order says nothing).
fn known_capabilities(ctx: &mut Ctx<'_>, file: FileId, list: &ast::List) -> Vec<String> {
    let catalogue = ctx.catalogue;
    let mut out = std::collections::BTreeSet::new();
    for ident in &list.items {
        if catalogue.capability(&ident.node).is_some() {
            out.insert(ident.node.clone());
            continue;
        }
        let known: Vec<&str> = catalogue.capabilities().map(|c| c.id.as_str()).collect();
        let help = match did_you_mean(&ident.node, known.iter().copied()) {
            Some(guess) => format!("did you mean `{guess}`? the capabilities are {}", and_list(&known)),
            None => format!("the capabilities are {}", and_list(&known)),
        };
        ctx.report(
            ctx.error(Code::UnknownCapability, file, ident.span, format!("unknown capability `{}`", ident.node))
                .with_label("not a known capability")
                .with_help(help),
        );
    }
    out.into_iter().collect()
}

/// `` `a`, `b` and `c` ``
fn and_list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => format!("`{one}`"),
        [init @ .., last] => {
            format!("{} and `{last}`", init.iter().map(|i| format!("`{i}`")).collect::<Vec<_>>().join(", "))
        }
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

#[cfg(test)]
mod tests {
    use kojo_lang::Code;

    use crate::model::Asset;
    use crate::resolve::tests::resolve_text;

    const ZONE: &str = "plant \"P\" { profile meti-factory }\nzone a { subnet 10.0.0.0/24 }\n";

    fn asset(body: &str) -> Asset {
        let (model, diagnostics) = resolve_text(&format!("{ZONE}asset x in a {{ {body} }}\n"));
        assert!(diagnostics.is_empty(), "{body}: {diagnostics:?}");
        model.unwrap().assets.remove(0)
    }

    #[test]
    fn software_comes_from_the_kind_unless_declared() {
        let server = asset("kind server");
        assert_eq!(
            (server.software.as_slice(), server.software_declared),
            (&["packaged-software".to_owned()][..], false)
        );
        let cloud = asset("kind cloud-service");
        assert_eq!(cloud.software, ["external-service"]);
        let plc = asset("kind plc");
        assert!(plc.software.is_empty() && !plc.software_declared);

        let mes = asset("kind server; software [in-house-program, packaged-software, in-house-program]");
        assert_eq!(mes.software, ["in-house-program", "packaged-software"]);
        assert!(mes.software_declared);
        let kiosk = asset("kind workstation; software []");
        assert!(kiosk.software.is_empty() && kiosk.software_declared, "`[]` replaces the default");
        let equipment = asset("software [in-house-program]; kind equipment");
        assert_eq!(
            (equipment.software.as_slice(), equipment.software_declared),
            (&["in-house-program".to_owned()][..], true)
        );
    }

    #[test]
    fn an_unknown_software_kind_is_reported_with_the_known_ones() {
        let (model, diagnostics) =
            resolve_text(&format!("{ZONE}asset x in a {{ kind server; software [inhouse-program, firmware] }}\n"));
        assert!(model.is_none());
        let found: Vec<(Code, &str, Option<&str>)> =
            diagnostics.iter().map(|d| (d.code, d.message.as_str(), d.help.as_deref())).collect();
        assert_eq!(
            found,
            [
                (
                    Code::UnknownSoftwareKind,
                    "unknown software kind `inhouse-program`",
                    Some("did you mean `in-house-program`? the others are `packaged-software` and `external-service`")
                ),
                (
                    Code::UnknownSoftwareKind,
                    "unknown software kind `firmware`",
                    Some("the software kinds are `packaged-software`, `in-house-program` and `external-service`")
                ),
            ]
        );
    }

    #[test]
    fn software_is_given_once() {
        let (_, diagnostics) =
            resolve_text(&format!("{ZONE}asset x in a {{ kind server; software []; software [packaged-software] }}\n"));
        let found: Vec<(Code, &str)> = diagnostics.iter().map(|d| (d.code, d.message.as_str())).collect();
        assert_eq!(found, [(Code::DuplicateProperty, "`software` is given twice")]);
    }

    #[test]
    fn capabilities_come_from_the_kind_unless_declared() {
        let plc = asset("kind plc");
        assert_eq!((plc.capabilities.as_slice(), plc.capabilities_declared), (&["on-premises".to_owned()][..], false));
        let server = asset("kind server");
        assert_eq!(server.capabilities, ["file-storage", "general-purpose-os", "on-premises", "user-accounts"]);
        let managed = asset("kind plc; capabilities [user-accounts, on-premises, user-accounts]");
        assert_eq!(managed.capabilities, ["on-premises", "user-accounts"]);
        assert!(managed.capabilities_declared);
        let bare = asset("kind server; capabilities []");
        assert!(bare.capabilities.is_empty() && bare.capabilities_declared, "`[]` replaces the default");
    }

    #[test]
    fn an_unknown_capability_is_reported_with_a_guess() {
        let (_, diagnostics) =
            resolve_text(&format!("{ZONE}asset x in a {{ kind plc; capabilities [user-acounts] }}\n"));
        let found: Vec<(Code, &str, Option<&str>)> =
            diagnostics.iter().map(|d| (d.code, d.message.as_str(), d.help.as_deref())).collect();
        assert_eq!(
            found,
            [(
                Code::UnknownCapability,
                "unknown capability `user-acounts`",
                Some(
                    "did you mean `user-accounts`? the capabilities are `file-storage`, `general-purpose-os`, \
                     `on-premises` and `user-accounts`"
                )
            )]
        );
    }
}
