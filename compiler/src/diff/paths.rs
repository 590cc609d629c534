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

/// The longest text of one change, in bytes: a change per outside zone,
/// each naming up to twenty ways, would otherwise repeat long names once
/// per outside zone.
const TEXT_MAX: usize = 2_000;

/// What the search needs of each zone of the later revision, by its index
/// there: its name, its index in the earlier revision, whether it is
/// inside the plant, and the higher of its tiers (lowering the tier in the
/// same change must not hide the path it opens).
struct Zones<'a> {
    names: Vec<&'a str>,
    before: Vec<Option<usize>>,
    internal: Vec<bool>,
    tier: Vec<Option<Tier>>,
}

impl<'a> Zones<'a> {
    fn of(old: &Snapshot, new: &'a Snapshot, before: &Graph<'_>, after: &Graph<'a>, map: &Names) -> Zones<'a> {
        let n = after.index.len();
        let mut zones =
            Zones { names: vec![""; n], before: vec![None; n], internal: vec![false; n], tier: vec![None; n] };
        for (name, &i) in &after.index {
            let was = map.get(&("zone".to_string(), name.to_string())).map_or(*name, String::as_str);
            let fact = new.zones.get(*name);
            let slots =
                (zones.names.get_mut(i), zones.before.get_mut(i), zones.internal.get_mut(i), zones.tier.get_mut(i));
            if let (Some(slot), Some(before_slot), Some(internal), Some(tier)) = slots {
                *slot = name;
                *before_slot = before.index.get(was).copied();
                *internal = fact.is_some_and(|f| f.trust == Trust::Internal);
                *tier = fact.and_then(|f| f.tier).max(old.zones.get(was).and_then(|z| z.tier));
            }
        }
        zones
    }
}

/// The paths `new` opens that `old` did not have, one change per outside
/// zone, in `new`'s names (`map` takes them to `old`'s).
pub fn new_paths(old: &Snapshot, new: &Snapshot, map: &Names) -> Vec<Change> {
    let (before, after) = (Graph::of(old), Graph::of(new));
    let zones = Zones::of(old, new, &before, &after, map);
    let mut steps = STEPS;
    let mut out = Vec::new();
    for (from, fact) in new.zones.iter().filter(|(_, f)| f.trust != Trust::Internal) {
        // What a zone reached while it was inside the plant is new from outside.
        let start = map.get(&("zone".to_string(), from.clone())).unwrap_or(from);
        let outside_before = old.zones.get(start).is_some_and(|z| z.trust != Trust::Internal);
        let (Some(reached), Some(was)) =
            (after.reach(Some(from), &mut steps), before.reach(outside_before.then_some(start.as_str()), &mut steps))
        else {
            return vec![too_many_to_trace()];
        };
        let was_reached =
            |i: usize| zones.before.get(i).copied().flatten().is_some_and(|b| matches!(was.get(b), Some(Some(_))));
        // (tier, zone, depth): most sensitive and nearest first.
        let mut opened: Vec<(Tier, usize, usize)> = Vec::new();
        for (i, step) in reached.iter().enumerate() {
            let Some(step) = step else { continue };
            if step.depth == 0 || !zones.internal.get(i).copied().unwrap_or(false) || was_reached(i) {
                continue;
            }
            if let Some(tier) = zones.tier.get(i).copied().flatten().filter(|t| *t >= Tier::Medium) {
                opened.push((tier, i, step.depth));
            }
        }
        if !opened.is_empty() {
            out.push(change(new, &zones, from, fact.trust, &reached, opened));
        }
    }
    out
}

/// The change for the zones `opened` from outside zone `from`.
fn change(
    new: &Snapshot,
    zones: &Zones<'_>,
    from: &str,
    trust: Trust,
    reached: &[Option<Step<'_>>],
    mut opened: Vec<(Tier, usize, usize)>,
) -> Change {
    let name = |i: usize| zones.names.get(i).copied().unwrap_or_default();
    opened.sort_by(|a, b| b.0.cmp(&a.0).then(a.2.cmp(&b.2)).then(name(a.1).cmp(name(b.1))));
    let mut ways: Vec<String> = opened
        .iter()
        .take(ZONES_NAMED)
        .map(|&(tier, to, _)| format!("{} (tier {}) via {}", name(to), tier.id(), way_text(&Graph::way(reached, to))))
        .collect();
    let named: Vec<&str> = opened.iter().take(ZONES_NAMED).map(|&(_, to, _)| name(to)).collect();
    let more = opened.len().saturating_sub(ZONES_NAMED);
    if more > 0 {
        ways.push(format!("{more} more zones"));
    }
    let first = opened.first().and_then(|&(_, to, _)| Graph::way(reached, to).first().copied());
    let place = first.and_then(|c| new.entities.get(&format!("conduit:{c}"))).and_then(|c| c.place.clone());
    let reason = format!(
        "a new path from {} zone `{from}` into zones at tier medium or high: `{}`{}",
        trust.keyword(),
        named.join("`, `"),
        if more > 0 { format!(" and {more} more") } else { String::new() }
    );
    Change {
        entity: format!("path:{from}"),
        kind: ChangeKind::Added,
        facet: None,
        before: None,
        after: Some(kojo_lang::inert::cut(&ways.join("; "), TEXT_MAX).into_owned()),
        risk: Risk::High,
        reason: kojo_lang::inert::cut(&reason, TEXT_MAX).into_owned(),
        place,
        place_before: false,
    }
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
