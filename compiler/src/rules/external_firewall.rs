//! `EXTERNAL-LINK-NEEDS-FIREWALL`: a conduit to an untrusted or external
//! zone enforced by a device that is not a firewall or gateway.
//!
//! Where the plant meets a network nobody in it controls (the internet, a
//! vendor's maintenance centre, a cloud service), the guideline's boundary
//! is a firewall or a security gateway: traffic restriction by source and
//! destination (FW), internal concealment (NAT, stealth, a gateway), and at
//! higher tiers inspection (IDS/IPS) [3.2.2(1)①]; IEC 62443 SR 5.2 zone
//! boundary protection, SR 1.13 access via untrusted networks. A router's
//! access lists are not that: they are stateless, inspect nothing and log
//! little. A data diode is accepted for a `one-way` conduit, which it makes
//! physically unidirectional. A conduit with no device at all is reported by
//! `CONDUIT-NEEDS-ENFORCER`.

use kojo_lang::ast::EntityKind;
use kojo_lang::Severity;

use super::boundary::{self, describe};
use super::{Context, Finding, Rule};
use crate::model::EntityRef;

pub const RULE: Rule =
    Rule { id: "EXTERNAL-LINK-NEEDS-FIREWALL", severity: Severity::Error, applies_to: &[EntityKind::Conduit], check };

/// Kinds that may enforce a conduit to an outside zone.
const BOUNDARY_KINDS: [&str; 2] = ["firewall", "gateway"];

fn check(ctx: &Context<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    for conduit in &ctx.model.conduits {
        let (Some(from), Some(to)) = (ctx.model.zone(conduit.from), ctx.model.zone(conduit.to)) else { continue };
        let Some(enforcer) = conduit.enforced_by.and_then(|a| ctx.model.asset(a)) else { continue };
        let outside: Vec<_> = [from, to].into_iter().filter(|z| boundary::outside(z)).collect();
        let Some(first) = outside.first() else { continue };
        let accepted =
            BOUNDARY_KINDS.contains(&enforcer.kind.as_str()) || (conduit.one_way && enforcer.kind == "diode");
        if accepted {
            continue;
        }
        let mut finding = boundary::finding(
            &RULE,
            EntityRef::Conduit(conduit.id),
            conduit.loc,
            format!(
                "conduit `{}` touches {}, but its enforcer `{}` is a {}, not a firewall or gateway",
                conduit.name,
                describe(ctx, first),
                enforcer.name,
                enforcer.kind
            ),
            format!("enforced by a {}", enforcer.kind),
            help(&first.name, &enforcer.kind),
        );
        finding.notes = vec![(enforcer.loc, format!("`{}` is a {}", enforcer.name, enforcer.kind))].into();
        findings.push(finding);
    }
    findings
}

fn help(zone: &str, kind: &str) -> String {
    let why = if kind == "diode" {
        String::from(
            "a diode passes data one way only, so mark the conduit `one-way` if that is what it carries; otherwise",
        )
    } else {
        format!("a {kind}'s access lists filter addresses but do not inspect or log as a boundary must;")
    };
    format!(
        "{why} put a firewall or security gateway (`kind firewall` or `kind gateway`) between the plant and `{zone}` and name it in `enforced-by`"
    )
}
