//! `PATH-INTO-HIGH-TIER`: a path of conduits from an untrusted or external
//! zone into a high-tier zone that never passes the high tier's boundary.
//!
//! Conduits form a directed graph of zones: a conduit from A to B lets
//! connections be opened from A into B, and whatever holds a host in B can
//! use B's conduits in turn. Checking each conduit against the tier of its
//! own two zones misses the attack that walks in through the lower zones:
//! the internet into the office, the office into production management,
//! production management into the line. The guideline asks for the high
//! tier's traffic restriction, content analysis and blocking of anomalous
//! traffic (IPS) on top of the firewall, where a high-tier zone can be
//! reached [3.2.2(1)①]; IEC 62443 SR 5.2 zone boundary protection, SR 1.13
//! access via untrusted networks.
//!
//! So every path from an `untrusted` or `external` zone into a high-tier
//! zone must pass at least one conduit with `ips` and `firewall` in force.
//! For each (outside zone, high zone) pair, the shortest path that does not
//! is reported, found by breadth-first search over the conduits without
//! them (in declaration order, so the result is deterministic). The search
//! does not continue through another outside zone or another high-tier
//! zone: that path is reported from there, and fixing it fixes this one.

use std::collections::{BTreeSet, VecDeque};

use kojo_lang::ast::EntityKind;
use kojo_lang::Severity;

use super::boundary::{self, describe};
use super::{Context, Finding, Rule};
use crate::controls;
use crate::model::{Conduit, EntityRef, Tier, Zone};

pub const RULE: Rule =
    Rule { id: "PATH-INTO-HIGH-TIER", severity: Severity::Error, applies_to: &[EntityKind::Conduit], check };

/// The controls a conduit needs to stand between the outside and a high-tier zone.
const NEEDED: [&str; 2] = ["ips", "firewall"];

/// What the conduit lacks of [`NEEDED`], as words for a note.
fn missing(ctx: &Context<'_>, conduit: &Conduit) -> Vec<&'static str> {
    let in_force = controls::conduit_controls(ctx.catalogue, conduit);
    NEEDED.into_iter().filter(|c| !in_force.contains(c)).collect()
}

fn is_high(ctx: &Context<'_>, zone: &Zone) -> bool {
    !boundary::outside(zone) && boundary::tier(ctx, zone.id) == Some(Tier::High)
}

fn check(ctx: &Context<'_>) -> Vec<Finding> {
    let zones = &ctx.model.zones;
    // Conduits without the high tier's controls, by the zone they leave.
    let mut open: Vec<Vec<&Conduit>> = vec![Vec::new(); zones.len()];
    for conduit in ctx.model.conduits.iter().filter(|c| !missing(ctx, c).is_empty()) {
        if let Some(out) = open.get_mut(conduit.from.index()) {
            out.push(conduit);
        }
    }
    let mut findings = Vec::new();
    for source in zones.iter().filter(|z| boundary::outside(z)) {
        // The conduit each zone was first reached by; the source has none.
        let mut reached_by: Vec<Option<&Conduit>> = vec![None; zones.len()];
        let mut seen = BTreeSet::from([source.id]);
        let mut queue = VecDeque::from([source]);
        while let Some(zone) = queue.pop_front() {
            if zone.id != source.id && (boundary::outside(zone) || is_high(ctx, zone)) {
                continue;
            }
            for conduit in open.get(zone.id.index()).into_iter().flatten() {
                let Some(next) = ctx.model.zone(conduit.to) else { continue };
                if seen.insert(next.id) {
                    if let Some(slot) = reached_by.get_mut(next.id.index()) {
                        *slot = Some(conduit);
                    }
                    queue.push_back(next);
                }
            }
        }
        for target in zones.iter().filter(|z| z.id != source.id && is_high(ctx, z) && seen.contains(&z.id)) {
            let mut hops = Vec::new();
            let mut at = target.id;
            while let Some(conduit) = reached_by.get(at.index()).copied().flatten() {
                hops.push(conduit);
                at = conduit.from;
            }
            hops.reverse();
            findings.extend(finding(ctx, source, target, &hops));
        }
    }
    findings
}

fn finding(ctx: &Context<'_>, source: &Zone, target: &Zone, hops: &[&Conduit]) -> Option<Finding> {
    let (last, before) = hops.split_last()?;
    let name = |id| ctx.model.zone(id).map_or("?", |z: &Zone| z.name.as_str());
    let path: Vec<&str> = std::iter::once(source.name.as_str()).chain(hops.iter().map(|c| name(c.to))).collect();
    let lacks = |c: &Conduit| {
        let words: Vec<&str> =
            missing(ctx, c).into_iter().map(|m| if m == "firewall" { "a firewall" } else { "`ips`" }).collect();
        words.join(" and ")
    };
    let mut finding = boundary::finding(
        &RULE,
        EntityRef::Conduit(last.id),
        last.loc,
        format!(
            "{} is reachable from {} without passing a firewall with `ips`: `{}`",
            describe(ctx, target),
            describe(ctx, source),
            path.join(" → ")
        ),
        format!("last hop into `{}`, without {}", target.name, lacks(last)),
        format!(
            "give one conduit on this path the high tier's boundary: `ips` (content analysis and blocking) on a firewall that enforces it (`enforced-by`), normally on `{}`, the conduit into `{}`; or remove the path",
            last.name, target.name
        ),
    );
    finding.notes = before
        .iter()
        .map(|c| (c.loc, format!("conduit `{}` (`{} → {}`) has no {}", c.name, name(c.from), name(c.to), lacks(c))))
        .collect();
    finding.key = format!("path:{}->{}", source.name, target.name);
    Some(finding)
}
