//! `MULTI-HOMED-BRIDGE`: a host with a foot in two zones of different trust
//! or tier.
//!
//! Zones are joined only by conduits, and conduits are enforced by devices
//! that filter what crosses (guideline segmentation and traffic restriction
//! [3.2.2(1)①]; IEC 62443 SR 5.1 network segmentation, SR 5.2 zone boundary
//! protection). A server, PC or PLC that is not an enforcing device but has
//! addresses in two such zones (its `in` zone and an interface, or
//! interfaces in both) is a path between them that no conduit describes and
//! no firewall sees: whoever takes the host is in both zones, and a
//! misconfigured route or bridge turns it into a router. Multi-homed
//! engineering PCs and historians are among the commonest ways around an
//! OT firewall. Zones of the same trust and tier are not a boundary, so an
//! asset may sit in both.

use kojo_lang::ast::EntityKind;
use kojo_lang::Severity;

use super::boundary::{self, and_list, describe, zone_note};
use super::{Context, Finding, Rule};
use crate::model::{EntityRef, Zone};

pub const RULE: Rule =
    Rule { id: "MULTI-HOMED-BRIDGE", severity: Severity::Error, applies_to: &[EntityKind::Asset], check };

fn check(ctx: &Context<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    for asset in ctx.model.assets.iter().filter(|a| !a.enforcing) {
        let mut zones: Vec<&Zone> = Vec::new();
        for id in asset.zone.into_iter().chain(asset.interfaces.iter().map(|i| i.zone)) {
            if let Some(zone) = ctx.model.zone(id).filter(|z| !zones.iter().any(|seen| seen.id == z.id)) {
                zones.push(zone);
            }
        }
        let bridges =
            zones.iter().enumerate().any(|(i, a)| zones.iter().skip(i + 1).any(|b| boundary::differ(ctx, a, b)));
        if !bridges {
            continue;
        }
        let described: Vec<String> = zones.iter().map(|z| describe(ctx, z)).collect();
        let mut finding = boundary::finding(
            &RULE,
            EntityRef::Asset(asset.id),
            asset.loc,
            format!("asset `{}` sits in {}: it bridges them outside any conduit", asset.name, and_list(&described)),
            String::from("multi-homed across a boundary"),
            help(&asset.name, &zones),
        );
        finding.notes = zones.iter().map(|z| zone_note(ctx, z)).collect();
        findings.push(finding);
    }
    findings
}

fn help(asset: &str, zones: &[&Zone]) -> String {
    let Some((home, others)) = zones.split_first() else { return String::new() };
    let others: Vec<String> = others.iter().map(|z| format!("`{}`", z.name)).collect();
    format!(
        "keep `{asset}` in `{}` only and let it reach {} through a conduit; if it must route between the zones, it is a boundary device: make it a firewall or gateway and declare the conduits it enforces",
        home.name,
        and_list(&others)
    )
}
