//! `ANY-ENDPOINT`: a flow with an `any` end on a medium- or high-tier conduit.
//!
//! From the medium tier the guideline restricts traffic not only by source
//! and destination but by message type (通信電文種別制限), and restricts the
//! devices that may connect (IP/MAC restriction) [3.2.2(1)①]; IEC 62443
//! SR 5.2 zone boundary protection (deny by default, allow by exception).
//! `any` on the plant's side of such a conduit allows every host of the
//! zone, present and future, including the one an attacker plugs in: an
//! error. A conduit's tier is the higher of its two zones'.
//!
//! On the outside (an `untrusted` or `external` zone) the plant cannot name
//! the hosts: `any` as a destination there is ordinary (web access), and
//! `any` as a source is how remote users arrive. Those users must then be
//! authenticated at the boundary (IEC 62443 SR 1.13 access via untrusted
//! networks; the guideline's multi-factor authentication at the high tier
//! and for remote access, Appendix E 3-6): `any` as the source in an outside
//! zone without `mfa` on the conduit is a warning.

use kojo_lang::ast::EntityKind;
use kojo_lang::Severity;

use super::boundary::{self, describe};
use super::{Context, Finding, Rule};
use crate::controls;
use crate::model::{EntityRef, FlowEnd, Tier};

pub const RULE: Rule =
    Rule { id: "ANY-ENDPOINT", severity: Severity::Error, applies_to: &[EntityKind::Conduit], check };

fn check(ctx: &Context<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    for conduit in &ctx.model.conduits {
        let Some(tier) = controls::conduit_tier(ctx.tiers, conduit).filter(|t| *t >= Tier::Medium) else { continue };
        let (Some(from), Some(to)) = (ctx.model.zone(conduit.from), ctx.model.zone(conduit.to)) else { continue };
        let mfa = controls::conduit_controls(ctx.catalogue, conduit).contains("mfa");
        for flow in &conduit.flows {
            let source_any = flow.source == FlowEnd::Any;
            let destination_any = flow.destination == FlowEnd::Any;
            let mut ends = Vec::new();
            if source_any && !boundary::outside(from) {
                ends.push(format!("from `any` host in zone `{}`", from.name));
            }
            if destination_any && !boundary::outside(to) {
                ends.push(format!("to `any` host in zone `{}`", to.name));
            }
            let target = EntityRef::Conduit(conduit.id);
            let key = format!("flow:{}", crate::diff::snapshot::flow_text(ctx.model, flow));
            if !ends.is_empty() {
                let mut finding = boundary::finding(
                    &RULE,
                    target,
                    flow.loc,
                    format!(
                        "conduit `{}` is at tier {}, but this flow allows connections {}",
                        conduit.name,
                        tier.id(),
                        ends.join(" ")
                    ),
                    String::from("`any` endpoint"),
                    String::from(
                        "name the hosts that need the flow (`allow [a, b] -> …`): from tier medium a conduit admits named peers and message types only, and generated firewall rules need their addresses",
                    ),
                );
                finding.key = key;
                findings.push(finding);
            } else if source_any && boundary::outside(from) && !mfa {
                let mut finding = boundary::finding(
                    &RULE,
                    target,
                    flow.loc,
                    format!(
                        "conduit `{}` is at tier {} and lets `any` host in {} connect, without `mfa`",
                        conduit.name,
                        tier.id(),
                        describe(ctx, from)
                    ),
                    String::from("`any` remote source without `mfa`"),
                    String::from(
                        "authenticate whoever connects from outside with multi-factor authentication at the VPN or gateway and add `mfa` to the conduit's `controls`, or name the remote hosts that may connect",
                    ),
                );
                finding.severity = Severity::Warning;
                finding.key = key;
                findings.push(finding);
            }
        }
    }
    findings
}
