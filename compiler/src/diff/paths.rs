//! New paths from outside: a zone outside the plant (`untrusted`,
//! `external`) that can now reach, over conduits that allow something, an
//! internal zone at tier medium or high it could not reach before. A
//! stepping stone counts: traffic that lands in a DMZ can be relayed on by
//! whatever it compromises there. One change per outside zone, naming
//! every zone it newly reaches and the conduits of the shortest way.

use std::collections::{BTreeMap, VecDeque};

use super::rename::Names;
use super::snapshot::Snapshot;
use super::{Change, ChangeKind, Risk};
use crate::model::{Tier, Trust};

/// Steps the searches of one diff may take (a zone visited or a conduit
/// followed): far past any plant, but a crafted one of many outside zones
/// and conduits would otherwise cost their numbers multiplied.
pub const STEPS: u64 = 50_000_000;
/// Zones a new path's change names (and shows the way to), nearest and
/// most sensitive first.
const ZONES_NAMED: usize = 20;
/// Conduits of one way shown before the rest are counted.
const CONDUITS_NAMED: usize = 20;

/// The zones and the conduits with flows between them.
struct Graph<'a> {
    index: BTreeMap<&'a str, usize>,
    /// By zone: the zones a conduit leads to, in the snapshot's order.
    out: Vec<Vec<(usize, &'a str)>>,
}

/// How a search reached a zone: from which zone, by which conduit, after
/// how many conduits.
#[derive(Clone, Copy)]
struct Step<'a> {
    from: usize,
    conduit: &'a str,
    depth: usize,
}

impl<'a> Graph<'a> {
    fn of(snapshot: &'a Snapshot) -> Graph<'a> {
        let mut index: BTreeMap<&str, usize> = BTreeMap::new();
        let names = snapshot.zones.keys().map(String::as_str);
        for name in names.chain(snapshot.edges.iter().flat_map(|(a, b, _)| [a.as_str(), b.as_str()])) {
            let next = index.len();
            index.entry(name).or_insert(next);
        }
        let mut out = vec![Vec::new(); index.len()];
        for (from, to, conduit) in &snapshot.edges {
            if let (Some(&a), Some(&b)) = (index.get(from.as_str()), index.get(to.as_str())) {
                if let Some(list) = out.get_mut(a) {
                    list.push((b, conduit.as_str()));
                }
            }
        }
        Graph { index, out }
    }

    /// Every zone `start` reaches, by a shortest way (the first found, in
    /// the snapshot's order), none without a start; `None` once `steps`
    /// run out.
    fn reach(&self, start: Option<&str>, steps: &mut u64) -> Option<Vec<Option<Step<'a>>>> {
        let mut seen: Vec<Option<Step<'a>>> = vec![None; self.out.len()];
        *steps = steps.checked_sub(self.out.len() as u64)?;
        let Some(&first) = start.and_then(|s| self.index.get(s)) else { return Some(seen) };
        if let Some(slot) = seen.get_mut(first) {
            *slot = Some(Step { from: first, conduit: "", depth: 0 });
        }
        let mut queue = VecDeque::from([(first, 0usize)]);
        while let Some((zone, depth)) = queue.pop_front() {
            for &(to, conduit) in self.out.get(zone).map(Vec::as_slice).unwrap_or_default() {
                *steps = steps.checked_sub(1)?;
                if let Some(slot @ None) = seen.get_mut(to) {
                    *slot = Some(Step { from: zone, conduit, depth: depth + 1 });
                    queue.push_back((to, depth + 1));
                }
            }
        }
        Some(seen)
    }

    /// The conduits of the way to `zone`, from the start.
    fn way(seen: &[Option<Step<'a>>], zone: usize) -> Vec<&'a str> {
        let mut conduits = Vec::new();
        let mut at = zone;
        while let Some(step) = seen.get(at).copied().flatten().filter(|s| s.depth > 0) {
            conduits.push(step.conduit);
            at = step.from;
        }
        conduits.reverse();
        conduits
    }
}

/// The paths `new` opens that `old` did not have, one change per outside
/// zone, in `new`'s names (`map` takes them to `old`'s).
pub fn new_paths(old: &Snapshot, new: &Snapshot, map: &Names) -> Vec<Change> {
    let (before, after) = (Graph::of(old), Graph::of(new));
    let old_name = |zone: &str| map.get(&("zone".to_string(), zone.to_string())).cloned().unwrap_or(zone.to_string());
    let names: Vec<&str> = {
        let mut names = vec![""; after.index.len()];
        for (name, &i) in &after.index {
            if let Some(slot) = names.get_mut(i) {
                *slot = name;
            }
        }
        names
    };
    let mut steps = STEPS;
    let mut out = Vec::new();
    for (from, fact) in new.zones.iter().filter(|(_, f)| f.trust != Trust::Internal) {
        // What a zone reached while it was inside the plant is new from outside.
        let start = old_name(from);
        let outside_before = old.zones.get(&start).is_some_and(|z| z.trust != Trust::Internal);
        let (Some(reached), Some(was)) =
            (after.reach(Some(from), &mut steps), before.reach(outside_before.then_some(start.as_str()), &mut steps))
        else {
            return vec![too_many_to_trace()];
        };
        let was_reached = |zone: &str| {
            before.index.get(old_name(zone).as_str()).is_some_and(|&i| matches!(was.get(i), Some(Some(_))))
        };
        // (tier, zone, depth): most sensitive and nearest first.
        let mut opened: Vec<(Tier, usize, usize)> = Vec::new();
        for (i, step) in reached.iter().enumerate() {
            let (Some(step), Some(&to)) = (step, names.get(i)) else { continue };
            if step.depth == 0 || was_reached(to) {
                continue;
            }
            let Some(target) = new.zones.get(to) else { continue };
            // Judged by the higher of the zone's tiers: lowering the tier in
            // the same change must not hide the path it opens.
            let tier = target.tier.max(old.zones.get(&old_name(to)).and_then(|z| z.tier));
            if let Some(tier) = tier.filter(|t| *t >= Tier::Medium && target.trust == Trust::Internal) {
                opened.push((tier, i, step.depth));
            }
        }
        if opened.is_empty() {
            continue;
        }
        let name = |i: usize| names.get(i).copied().unwrap_or_default();
        opened.sort_by(|a, b| b.0.cmp(&a.0).then(a.2.cmp(&b.2)).then(name(a.1).cmp(name(b.1))));
        let mut ways: Vec<String> = opened
            .iter()
            .take(ZONES_NAMED)
            .map(|&(tier, to, _)| {
                format!("{} (tier {}) via {}", name(to), tier.id(), way_text(&Graph::way(&reached, to)))
            })
            .collect();
        let zones: Vec<&str> = opened.iter().take(ZONES_NAMED).map(|&(_, to, _)| name(to)).collect();
        let more = opened.len().saturating_sub(ZONES_NAMED);
        if more > 0 {
            ways.push(format!("{more} more zones"));
        }
        let first = opened.first().and_then(|&(_, to, _)| Graph::way(&reached, to).first().copied());
        let place = first.and_then(|c| new.entities.get(&format!("conduit:{c}"))).and_then(|c| c.place.clone());
        out.push(Change {
            entity: format!("path:{from}"),
            kind: ChangeKind::Added,
            facet: None,
            before: None,
            after: Some(ways.join("; ")),
            risk: Risk::High,
            reason: format!(
                "a new path from {} zone `{from}` into zones at tier medium or high: `{}`{}",
                fact.trust.keyword(),
                zones.join("`, `"),
                if more > 0 { format!(" and {more} more") } else { String::new() }
            ),
            place,
            place_before: false,
        });
    }
    out
}

/// `a, b, c`, or the first conduits and how many more.
fn way_text(conduits: &[&str]) -> String {
    match conduits.len().checked_sub(CONDUITS_NAMED) {
        Some(more) if more > 0 => {
            format!(
                "{}, … ({more} more conduits)",
                conduits.iter().take(CONDUITS_NAMED).copied().collect::<Vec<_>>().join(", ")
            )
        }
        _ => conduits.join(", "),
    }
}

/// What a diff says when its searches run out of steps: rated high, so a
/// review cannot take silence for safety.
fn too_many_to_trace() -> Change {
    Change {
        entity: "path:*".to_string(),
        kind: ChangeKind::Changed,
        facet: None,
        before: None,
        after: None,
        risk: Risk::High,
        reason: format!(
            "too many zones outside the plant and conduits to trace every new path from outside (more than {STEPS} steps): review the conduits that lead in from outside zones by hand"
        ),
        place: None,
        place_before: false,
    }
}
