//! `INSECURE-PROTOCOL-ACROSS-TIERS`: an insecure IT protocol allowed across
//! a boundary.
//!
//! A conduit between zones that differ in trust or tier should not carry a
//! protocol that sends credentials and content in clear or authenticates
//! nobody (`telnet`, `ftp`, `http`, `vnc`, `smbv1`, `snmp` v1/v2c …; the
//! service catalogue marks them `secure = false`): whoever sits on the
//! lower side, or on the path, reads the passwords that open the higher
//! side. The guideline's device measures protect data in transit by
//! encryption from the medium tier [3.2.2(1)②] and ask for minimal services
//! (Appendix E 3-3); IEC 62443 SR 3.1 communication integrity, SR 4.1
//! information confidentiality, SR 1.1/1.2 authentication. Industrial
//! protocols (Modbus/TCP, S7comm …) are insecure too but often have no
//! replacement in the installed base; they are handled by the tier's
//! protocol allow-list and IDS/IPS requirements instead, so this rule is
//! about IT protocols only (`secure = false`, `industrial = false`), for
//! which secure replacements are common; the help names the catalogue's
//! `secure_alternative` where it has one. Raw `port` flows are not
//! classified.

use kojo_lang::ast::EntityKind;
use kojo_lang::Severity;

use super::boundary::{self, describe};
use super::{Context, Finding, Rule};
use crate::model::{EntityRef, Flow, Traffic};

pub const RULE: Rule =
    Rule { id: "INSECURE-PROTOCOL-ACROSS-TIERS", severity: Severity::Error, applies_to: &[EntityKind::Conduit], check };

fn check(ctx: &Context<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    for conduit in &ctx.model.conduits {
        let (Some(from), Some(to)) = (ctx.model.zone(conduit.from), ctx.model.zone(conduit.to)) else { continue };
        if !boundary::differ(ctx, from, to) {
            continue;
        }
        // Each insecure service once, with the flows that carry it, in source order.
        let mut insecure: Vec<(&str, Vec<&Flow>)> = Vec::new();
        for flow in &conduit.flows {
            let Traffic::Services(services) = &flow.traffic else { continue };
            for id in services {
                let Some(service) = ctx.catalogue.service(id).filter(|s| !s.secure && !s.industrial) else { continue };
                match insecure.iter_mut().find(|(s, _)| *s == service.id) {
                    Some((_, flows)) => flows.push(flow),
                    None => insecure.push((&service.id, vec![flow])),
                }
            }
        }
        for (id, flows) in insecure {
            let Some((first, more)) = flows.split_first() else { continue };
            let alternative = ctx.catalogue.service(id).and_then(|s| s.secure_alternative.as_deref());
            let fix = match alternative {
                Some(alt) => format!("replace `{id}` with `{alt}`, its secure alternative"),
                None => {
                    format!("replace `{id}` with an authenticated, encrypted protocol (or tunnel it, e.g. over `ssh`)")
                }
            };
            let mut finding = boundary::finding(
                &RULE,
                EntityRef::Conduit(conduit.id),
                first.loc,
                format!(
                    "conduit `{}` carries `{id}`, an insecure protocol, from {} into {}",
                    conduit.name,
                    describe(ctx, from),
                    describe(ctx, to)
                ),
                format!("`{id}` across a boundary"),
                format!(
                    "{fix}, or keep `{id}` inside one zone; across zones of different trust or tier it exposes credentials and content to the lower side"
                ),
            );
            finding.notes = more.iter().map(|f| (f.loc, format!("`{id}` is allowed here too"))).collect();
            finding.key = format!("service:{id}");
            findings.push(finding);
        }
    }
    findings
}
