//! `INTERNET-FROM-FACTORY-SYSTEM`: web or e-mail from a factory system to
//! the internet.
//!
//! Appendix E 2-3 [3.1.1(3)] asks that e-mail and internet access from the
//! systems in the factory be forbidden. The model shows the technical side:
//! a conduit from an internal zone to an `untrusted` one that lets a host
//! browse the web or send mail (a service whose catalogue `purpose` is
//! `web` or `mail`, or a raw port one of them uses). Mail and web pages are
//! how ransomware reaches a plant's PCs, and a production PC that reaches
//! the internet is a way out as well as in.
//!
//! kojo's reading: the office network (`role office`, 情報系) is not a
//! factory system here. The guideline's assumed factory reaches the
//! internet through its information network, and a plant that counts its
//! office PCs among the factory systems waives this rule's exemption by
//! not declaring the role. Only direct conduits are judged; a relay in the
//! office zone is the office's traffic.

use kojo_lang::ast::EntityKind;
use kojo_lang::Severity;
use kojo_stdlib::{Catalogue, Purpose};

use super::boundary::{self, and_list, describe};
use super::{Context, Finding, Rule};
use crate::model::{EntityRef, Flow, Traffic, Trust};

pub const RULE: Rule =
    Rule { id: "INTERNET-FROM-FACTORY-SYSTEM", severity: Severity::Error, applies_to: &[EntityKind::Conduit], check };

/// The web or mail services a flow carries: named, or reached by a raw
/// port that such a service uses.
fn internet_use(catalogue: &Catalogue, flow: &Flow) -> Vec<String> {
    let wanted = |p: Option<Purpose>| matches!(p, Some(Purpose::Web | Purpose::Mail));
    let mut out: Vec<String> = match &flow.traffic {
        Traffic::Services(names) => names
            .iter()
            .filter(|n| catalogue.service(n).is_some_and(|s| wanted(s.purpose)))
            .map(|n| format!("`{n}`"))
            .collect(),
        Traffic::Ports(ranges) => catalogue
            .services()
            .filter(|s| wanted(s.purpose))
            .filter(|s| {
                s.ports
                    .iter()
                    .any(|p| ranges.iter().any(|r| r.transport == p.protocol && r.start <= p.last() && p.port <= r.end))
            })
            .map(|s| format!("`{}` (by port)", s.id))
            .collect(),
    };
    out.sort();
    out.dedup();
    out
}

fn check(ctx: &Context<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    for conduit in &ctx.model.conduits {
        let (Some(from), Some(to)) = (ctx.model.zone(conduit.from), ctx.model.zone(conduit.to)) else { continue };
        if from.trust != Trust::Internal || from.is_office() || to.trust != Trust::Untrusted {
            continue;
        }
        for flow in &conduit.flows {
            let uses = internet_use(ctx.catalogue, flow);
            if uses.is_empty() {
                continue;
            }
            let mut finding = boundary::finding(
                &RULE,
                EntityRef::Conduit(conduit.id),
                flow.loc,
                format!(
                    "conduit `{}` lets {} use {} on {}",
                    conduit.name,
                    describe(ctx, from),
                    and_list(&uses),
                    describe(ctx, to)
                ),
                "web or e-mail from a factory system".to_string(),
                format!(
                    "factory systems use neither the web nor e-mail (Appendix E 2-3): remove the flow, or fetch what it fetches through a relay in the office zone; if `{}` is the office network, say so with `role office`",
                    from.name
                ),
            );
            finding.notes = vec![boundary::zone_note(ctx, from)].into();
            finding.key = format!("flow:{}", crate::diff::snapshot::flow_text(ctx.model, flow));
            findings.push(finding);
        }
    }
    findings
}
