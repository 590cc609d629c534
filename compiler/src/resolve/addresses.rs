//! Address checks across entities: an asset's addresses lie in its zone's
//! subnets, no address is used twice, and zone subnets do not overlap.
//!
//! Generated firewall rules match traffic by these subnets and addresses;
//! an address outside its zone, or two zones claiming the same range, would
//! make rules that silently match the wrong hosts.

use std::collections::BTreeMap;
use std::net::IpAddr;

use ipnet::IpNet;
use kojo_lang::{Code, Span};

use super::Ctx;
use crate::model::{FileId, Loc, Zone};

/// Where an address or subnet was written.
#[derive(Debug, Clone)]
pub(super) struct Site {
    pub loc: Loc,
    pub owner: String,
}

#[derive(Debug, Default)]
pub(super) struct Addresses {
    subnets: Vec<(IpNet, Site)>,
    hosts: BTreeMap<IpAddr, Site>,
}

impl Addresses {
    pub(super) fn add_subnet(&mut self, net: IpNet, site: Site) {
        self.subnets.push((net, site));
    }
}

/// Records a host address of `owner`: checks it is in `zone`'s subnets (when
/// the zone declares any) and not used by another asset.
pub(super) fn add_host(ctx: &mut Ctx<'_>, address: IpAddr, zone: Option<&Zone>, file: FileId, span: Span, owner: &str) {
    if let Some(zone) = zone {
        if !zone.subnets.is_empty() && !zone.contains(address) {
            let subnets: Vec<String> = zone.subnets.iter().map(ToString::to_string).collect();
            ctx.report(
                ctx.error(
                    Code::AddressOutsideSubnet,
                    file,
                    span,
                    format!("`{address}` of `{owner}` is outside zone `{}`", zone.name),
                )
                .with_label(format!("not in {}", subnets.join(", ")))
                .with_help(format!(
                    "give `{owner}` an address in {}, or place it in the zone whose subnet holds `{address}`",
                    subnets.join(" or ")
                )),
            );
        }
    }
    let site = Site { loc: Loc { file, span }, owner: owner.to_string() };
    if let Some(first) = ctx.addresses.hosts.get(&address).cloned() {
        let related =
            ctx.note(Code::DuplicateAddress, first.loc, &format!("`{address}` first given to `{}` here", first.owner));
        ctx.report(
            ctx.error(
                Code::DuplicateAddress,
                file,
                span,
                format!("`{address}` is given to both `{}` and `{owner}`", first.owner),
            )
            .with_label("address already in use")
            .with_help("every interface needs its own address; correct one of them")
            .with_related(related),
        );
        return;
    }
    ctx.addresses.hosts.insert(address, site);
}

/// Reports zone subnets that overlap, each pair once.
pub(super) fn check_overlaps(ctx: &mut Ctx<'_>) {
    let mut subnets = std::mem::take(&mut ctx.addresses.subnets);
    // A containing network sorts before the networks inside it.
    subnets.sort_by_key(|(net, _)| (net.network(), net.prefix_len()));
    let mut open: Option<&(IpNet, Site)> = None;
    for entry in &subnets {
        match open {
            Some(outer) if outer.0.contains(&entry.0.network()) => {
                let (net, site) = entry;
                let other = if outer.1.owner == site.owner {
                    format!("`{}`, another subnet of the same zone", outer.0)
                } else {
                    format!("`{}` of zone `{}`", outer.0, outer.1.owner)
                };
                let related = ctx.note(
                    Code::OverlappingSubnets,
                    outer.1.loc,
                    &format!("`{}` of zone `{}` is here", outer.0, outer.1.owner),
                );
                ctx.report(
                    ctx.error(
                        Code::OverlappingSubnets,
                        site.loc.file,
                        site.loc.span,
                        format!("subnet `{net}` of zone `{}` overlaps {other}", site.owner),
                    )
                    .with_label("overlaps another subnet")
                    .with_help("zones are separate networks: give each zone its own address range")
                    .with_related(related),
                );
            }
            _ => open = Some(entry),
        }
    }
}
