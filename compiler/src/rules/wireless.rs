//! `WIRELESS-ALLOWLIST`: a zone with wireless devices and no allow-list of
//! the devices that may join.
//!
//! An access point or a wireless handheld (asset kinds marked `wireless` in
//! the catalogue) opens a medium that reaches beyond the walls and that
//! anyone in range can try to join: threat entry points EP09 Wi-Fi, EP03
//! smartphones and tablets, EP06 handy terminals. Appendix E item 2-7
//! [3.1.4, 3.2.2(1)] asks that, where wireless LAN is used, a ledger of the
//! permitted devices exists and unpermitted devices are rejected; IEC 62443
//! SR 1.6 wireless access management, SR 2.2 wireless use control.
//!
//! Every wireless asset needs `wireless-allowlist` in force for the zone it
//! sits in: declared on the zone, or on the asset itself (an access point
//! that enforces the ledger). One finding per zone names the wireless
//! assets without it.

use kojo_lang::ast::EntityKind;
use kojo_lang::Severity;

use super::boundary::{self, and_list};
use super::{Context, Finding, Rule};
use crate::controls;
use crate::model::EntityRef;

pub const RULE: Rule =
    Rule { id: "WIRELESS-ALLOWLIST", severity: Severity::Error, applies_to: &[EntityKind::Zone], check };

const CONTROL: &str = "wireless-allowlist";

fn check(ctx: &Context<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    for zone in &ctx.model.zones {
        if controls::zone_controls(zone).contains(CONTROL) {
            continue;
        }
        let open: Vec<_> = ctx
            .model
            .assets_in(zone.id)
            .filter_map(|a| Some((a, ctx.catalogue.asset_kind(&a.kind).filter(|k| k.wireless)?)))
            .filter(|(a, _)| !a.controls.iter().any(|c| c == CONTROL))
            .collect();
        if open.is_empty() {
            continue;
        }
        let named: Vec<String> = open.iter().map(|(a, k)| format!("`{}` ({})", a.name, k.id)).collect();
        let mut finding = boundary::finding(
            &RULE,
            EntityRef::Zone(zone.id),
            zone.loc,
            format!(
                "zone `{}` has {} {}, but no `{CONTROL}`",
                zone.name,
                if named.len() == 1 { "a wireless device," } else { "wireless devices" },
                and_list(&named)
            ),
            format!("no `{CONTROL}`"),
            format!(
                "keep a ledger of the devices allowed on the wireless LAN and reject all others (802.1X or certificates; a MAC list alone is easily spoofed), then add `{CONTROL}` to the zone's `controls` (or to each access point's)"
            ),
        );
        finding.notes = open
            .iter()
            .map(|(a, k)| {
                let entry_points: Vec<String> = k
                    .entry_points
                    .iter()
                    .filter_map(|ep| ctx.catalogue.entry_point(ep))
                    .map(|ep| format!("{} {}", ep.id, ep.label.en))
                    .collect();
                let what = format!("`{}` (kind `{}`) opens a wireless medium into the zone", a.name, k.id);
                if entry_points.is_empty() {
                    (a.loc, what)
                } else {
                    (a.loc, format!("{what}; entry points {}", entry_points.join("; ")))
                }
            })
            .collect();
        findings.push(finding);
    }
    findings
}
