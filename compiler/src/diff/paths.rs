//! New paths from outside: a zone outside the plant (`untrusted`,
//! `external`) that can now reach, over conduits that allow something, an
//! internal zone at tier medium or high it could not reach before. A
//! stepping stone counts: traffic that lands in a DMZ can be relayed on by
//! whatever it compromises there. One change per outside zone, naming
//! every zone it newly reaches and the conduits of the shortest way.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use super::rename::Names;
use super::snapshot::Snapshot;
use super::{Change, ChangeKind, Risk};
use crate::model::{Tier, Trust};

/// Each zone every outside zone reaches, with the conduits of one
/// shortest way there.
fn reach(snapshot: &Snapshot) -> BTreeMap<(String, String), Vec<String>> {
    let mut out = BTreeMap::new();
    for (start, fact) in &snapshot.zones {
        if fact.trust == Trust::Internal {
            continue;
        }
        let mut seen: BTreeSet<&str> = BTreeSet::from([start.as_str()]);
        let mut queue: VecDeque<(&str, Vec<String>)> = VecDeque::from([(start.as_str(), Vec::new())]);
        while let Some((zone, via)) = queue.pop_front() {
            for (from, to, conduit) in &snapshot.edges {
                if from == zone && seen.insert(to.as_str()) {
                    let mut next = via.clone();
                    next.push(conduit.clone());
                    out.insert((start.clone(), to.clone()), next.clone());
                    queue.push_back((to.as_str(), next));
                }
            }
        }
    }
    out
}

/// The paths `new` opens that `old` did not have, one change per outside
/// zone, in `new`'s names (`map` takes them to `old`'s).
pub fn new_paths(old: &Snapshot, new: &Snapshot, map: &Names) -> Vec<Change> {
    let before = reach(old);
    let old_name = |zone: &str| map.get(&("zone".to_string(), zone.to_string())).cloned().unwrap_or(zone.to_string());
    // Per outside zone: (tier, zone, way), most sensitive and nearest first.
    let mut opened: BTreeMap<String, Vec<(Tier, String, Vec<String>)>> = BTreeMap::new();
    for ((from, to), via) in reach(new) {
        if before.contains_key(&(old_name(&from), old_name(&to))) {
            continue;
        }
        let Some(target) = new.zones.get(&to) else { continue };
        // Judged by the higher of the zone's tiers: lowering the tier in the
        // same change must not hide the path it opens.
        let was = old.zones.get(&old_name(&to)).and_then(|z| z.tier);
        let tier = target.tier.max(was);
        let Some(tier) = tier.filter(|t| *t >= Tier::Medium && target.trust == Trust::Internal) else {
            continue;
        };
        opened.entry(from).or_default().push((tier, to, via));
    }
    let mut out = Vec::new();
    for (from, mut zones) in opened {
        zones.sort_by(|a, b| b.0.cmp(&a.0).then(a.2.len().cmp(&b.2.len())).then(a.1.cmp(&b.1)));
        let trust = new.zones.get(&from).map_or("outside", |f| f.trust.keyword());
        let ways: Vec<String> =
            zones.iter().map(|(tier, to, via)| format!("{to} (tier {}) via {}", tier.id(), via.join(", "))).collect();
        let first = zones.first().and_then(|(_, _, via)| via.first());
        let place = first.and_then(|c| new.entities.get(&format!("conduit:{c}"))).and_then(|c| c.place.clone());
        let names: Vec<&str> = zones.iter().map(|(_, to, _)| to.as_str()).collect();
        out.push(Change {
            entity: format!("path:{from}"),
            kind: ChangeKind::Added,
            facet: None,
            before: None,
            after: Some(ways.join("; ")),
            risk: Risk::High,
            reason: format!(
                "a new path from {trust} zone `{from}` into zones at tier medium or high: `{}`",
                names.join("`, `")
            ),
            place,
            place_before: false,
        });
    }
    out
}
