//! `CONTROL-CONTRADICTED`: a control claimed in `controls [...]` that the
//! model itself shows is not there.
//!
//! Some controls are facts of the model, not claims (see `controls.rs`): a
//! firewall is the device a conduit is `enforced-by`; message-type
//! restriction is flows that all name services between named hosts; function
//! restriction is flows that name their protocol functions; a time
//! window is a `window`; logical segmentation is a VLAN or subnet; port
//! lock-out is the state of the asset's ports; blocking (IPS) is not what a
//! conduit whose function limits are `inspection monitor` does. Claiming one of these while
//! the model says otherwise is an error: the claim would satisfy a tier
//! requirement that the plant does not meet.

use kojo_lang::ast::EntityKind;
use kojo_lang::Severity;

use super::{boundary, Context, Finding, Rule};
use crate::controls;
use crate::model::{EntityRef, Inspection, Loc};

pub const RULE: Rule = Rule {
    id: "CONTROL-CONTRADICTED",
    severity: Severity::Error,
    applies_to: &[EntityKind::Zone, EntityKind::Asset, EntityKind::Conduit],
    check,
};

fn finding(target: EntityRef, loc: Loc, what: String, control: &str, why: &str, help: &str) -> Finding {
    let message = format!("{what} claims `{control}`, but {why}");
    let mut finding = boundary::finding(&RULE, target, loc, message, format!("claims `{control}`"), help.to_string());
    finding.key = format!("control:{control}");
    finding
}

fn check(ctx: &Context<'_>) -> Vec<Finding> {
    let mut findings: Vec<Finding> = ctx.model.conduits.iter().flat_map(|c| conduit_claims(ctx, c)).collect();
    zone_and_asset_claims(ctx, &mut findings);
    findings
}

/// The controls a conduit claims that its own declaration contradicts.
fn conduit_claims(ctx: &Context<'_>, conduit: &crate::model::Conduit) -> Vec<Finding> {
    let mut findings = Vec::new();
    let target = EntityRef::Conduit(conduit.id);
    let what = format!("conduit `{}`", conduit.name);
    let claims = |c: &str| conduit.controls.iter().any(|x| x == c);
    if claims("firewall") && conduit.enforced_by.is_none() {
        findings.push(finding(
            target,
            conduit.loc,
            what.clone(),
            "firewall",
            "no device enforces it",
            "name the firewall that filters this conduit with `enforced-by DEVICE`",
        ));
    }
    if claims("protocol-allowlist") && !controls::flows_restrict_messages(conduit) {
        findings.push(finding(
            target,
            conduit.loc,
            what.clone(),
            "protocol-allowlist",
            "its flows do not all name services between named hosts",
            "give every `allow` a named source and destination and a `service` (not `any`, not raw ports), or drop the claim",
        ));
    }
    if claims("function-restriction") && !controls::flows_restrict_functions(ctx.catalogue, conduit) {
        findings.push(finding(
            target,
            conduit.loc,
            what.clone(),
            "function-restriction",
            "not every flow of a protocol with functions says which it allows",
            "add `{ functions [read] }` (or the functions really needed) to each Modbus, DNP3, S7, … flow",
        ));
    }
    if claims("ips")
        && conduit.inspection == Inspection::Monitor
        && conduit.flows.iter().any(|f| !f.functions.is_empty())
    {
        findings.push(finding(
            target,
            conduit.loc,
            what.clone(),
            "ips",
            "it says `inspection monitor`: the gateway only alerts on the functions its flows do not allow",
            "remove `inspection monitor` so the gateway blocks them inline, or claim `ids` instead of `ips`",
        ));
    }
    if claims("time-window") && conduit.window.is_none() {
        findings.push(finding(
            target,
            conduit.loc,
            what,
            "time-window",
            "it has no `window`",
            "add `window \"Mon-Fri 09:00-17:00 Asia/Tokyo\"` (or the real window) to the conduit",
        ));
    }
    findings
}

/// Segmentation a zone claims without a VLAN; port controls an asset claims
/// beyond what its unused ports say.
fn zone_and_asset_claims(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    for zone in &ctx.model.zones {
        if zone.controls.iter().any(|c| c == "segmentation-vlan") && zone.vlan.is_none() {
            findings.push(finding(
                EntityRef::Zone(zone.id),
                zone.loc,
                format!("zone `{}`", zone.name),
                "segmentation-vlan",
                "it has no `vlan` (a subnet is an address range, not a logical domain)",
                "give the zone its `vlan`, which is what proves the segmentation",
            ));
        }
    }
    let port_controls = ["port-caps", "soft-lockout", "hard-lockout"];
    for asset in &ctx.model.assets {
        // Used ports say nothing about the unused ones (利用ポート, 不要ポート).
        if !controls::has_unused_port(ctx.catalogue, asset) {
            continue;
        }
        let proven = controls::proven_port_controls(ctx.catalogue, asset);
        for claimed in asset.controls.iter().filter(|c| port_controls.contains(&c.as_str())) {
            if !proven.contains(&claimed.as_str()) {
                let weakest =
                    asset.ports.iter().map(|p| format!("{} {}", p.port, p.state)).collect::<Vec<_>>().join(", ");
                findings.push(finding(
                    EntityRef::Asset(asset.id),
                    asset.loc,
                    format!("asset `{}`", asset.name),
                    claimed,
                    &format!("its ports say otherwise ({weakest})"),
                    "the weakest declared unused port decides (a port in use is `used`): update `ports { … }` to the ports' real state, or drop the claim",
                ));
            }
        }
    }
}
