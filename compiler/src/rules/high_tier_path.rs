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
//! For each high-tier zone some such path reaches, the shortest one from
//! the nearest outside zone is reported, found by one breadth-first search
//! from every outside zone at once over the conduits without them (in
//! declaration order, so the result is deterministic): a finding per
//! high-tier zone, not per pair of zones, and one pass over the graph,
//! however many outside zones a plant has. The search does not continue
//! through a high-tier zone: that path is reported from there, and fixing
//! it fixes this one. Once the reported path is closed, the next check
//! finds the next one, if any.

use std::collections::{BTreeSet, VecDeque};

use kojo_lang::ast::EntityKind;
use kojo_lang::Severity;

use super::boundary::{self, describe};
use super::{Context, Finding, Rule};
use crate::controls;
use crate::model::{Conduit, EntityRef, Tier, Zone};

pub const RULE: Rule =
    Rule { id: "PATH-INTO-HIGH-TIER", severity: Severity::Error, applies_to: &[EntityKind::Conduit], check };

/// Hops of a way shown (and noted) at most, nearest the high-tier zone.
const HOPS_SHOWN: usize = 20;

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
    // Each zone: the conduit it was first reached by and the outside zone
    // that way starts from; outside zones start with none.
    let mut reached_by: Vec<Option<&Conduit>> = vec![None; zones.len()];
    let mut origin: Vec<Option<&Zone>> = vec![None; zones.len()];
    let mut seen: BTreeSet<crate::model::ZoneId> = BTreeSet::new();
    let mut queue: VecDeque<&Zone> = VecDeque::new();
    for source in zones.iter().filter(|z| boundary::outside(z)) {
        seen.insert(source.id);
        if let Some(slot) = origin.get_mut(source.id.index()) {
            *slot = Some(source);
        }
        queue.push_back(source);
    }
    while let Some(zone) = queue.pop_front() {
        if is_high(ctx, zone) {
            continue;
        }
        let from = origin.get(zone.id.index()).copied().flatten();
        for conduit in open.get(zone.id.index()).into_iter().flatten() {
            let Some(next) = ctx.model.zone(conduit.to) else { continue };
            if seen.insert(next.id) {
                if let (Some(slot), Some(start)) =
                    (reached_by.get_mut(next.id.index()), origin.get_mut(next.id.index()))
                {
                    *slot = Some(conduit);
                    *start = from;
                }
                queue.push_back(next);
            }
        }
    }
    let mut findings = Vec::new();
    for target in zones.iter().filter(|z| is_high(ctx, z) && reached_by.get(z.id.index()).is_some_and(Option::is_some))
    {
        let Some(source) = origin.get(target.id.index()).copied().flatten() else { continue };
        // The last hops only: a chain of thousands of zones into each of
        // thousands of high-tier zones would otherwise be their product.
        let mut hops = Vec::new();
        let mut at = target.id;
        while let Some(conduit) = reached_by.get(at.index()).copied().flatten() {
            if hops.len() == HOPS_SHOWN {
                break;
            }
            hops.push(conduit);
            at = conduit.from;
        }
        let skipped = reached_by.get(at.index()).copied().flatten().is_some();
        hops.reverse();
        findings.extend(finding(ctx, source, target, &hops, skipped));
    }
    findings
}

/// The finding for the way into `target`: `hops` are its last conduits,
/// all of them unless `skipped` (a longer way, shown from its start and its
/// last [`HOPS_SHOWN`] hops).
fn finding(ctx: &Context<'_>, source: &Zone, target: &Zone, hops: &[&Conduit], skipped: bool) -> Option<Finding> {
    let (last, before) = hops.split_last()?;
    let name = |id| ctx.model.zone(id).map_or("?", |z: &Zone| z.name.as_str());
    let first = hops.first().map(|c| name(c.from));
    let mut path: Vec<&str> = vec![source.name.as_str()];
    if skipped {
        path.extend(["…", first.unwrap_or("?")]);
    }
    path.extend(hops.iter().map(|c| name(c.to)));
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
