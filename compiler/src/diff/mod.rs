//! The semantic diff of two revisions of a project: what a change does to
//! the plant's security, entity by entity, each change rated by risk.
//!
//! Entities are matched by kind and name, never by file or line: moving a
//! declaration, reformatting or editing comments changes nothing here. An
//! entity renamed with nothing else changed is one rename. Findings are
//! matched the way a baseline matches them (rule, entity, message), so the
//! diff also says which findings a change introduces and which it fixes.
//!
//! The ratings are in [`rate`], each with the reason shown to reviewers;
//! `docs/cli.md` lists them.

pub mod log;
mod paths;
mod rate;
mod rename;
pub mod snapshot;
#[cfg(test)]
mod tests;

use std::collections::BTreeSet;

use kojo_stdlib::Catalogue;

use crate::Checked;
use snapshot::{Entity, Facet, FindingKey};
pub use snapshot::{FindingAt, FindingFact, Place, Snapshot};

/// How much a change can weaken the plant's security.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Risk {
    Low,
    Medium,
    High,
}

impl Risk {
    pub const ALL: [Risk; 3] = [Risk::Low, Risk::Medium, Risk::High];

    pub fn id(self) -> &'static str {
        match self {
            Risk::Low => "low",
            Risk::Medium => "medium",
            Risk::High => "high",
        }
    }
}

/// What happened to an entity or one of its properties.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    Added,
    Removed,
    Changed,
    Renamed,
}

/// One change, rated.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Change {
    /// `conduit:vendor_remote`, under its name in the later revision.
    pub entity: String,
    pub kind: ChangeKind,
    /// The property changed (`tier in force`, `flow`); none for a whole
    /// entity added, removed or renamed.
    pub facet: Option<String>,
    pub before: Option<String>,
    pub after: Option<String>,
    pub risk: Risk,
    /// Why it is rated so, for the reviewer.
    pub reason: String,
    /// Where to look: in the later revision, or (for what was removed) in
    /// the earlier one.
    pub place: Option<Place>,
    /// Whether `place` is in the earlier revision.
    pub place_before: bool,
}

/// Changes, and findings of each kind, a diff lists; the rest are
/// counted. A review reads far fewer; a crafted change of millions would
/// otherwise make gigabytes of comment.
pub const LISTED: usize = crate::cap::FINDINGS_PER_RUN;

/// Everything two revisions differ in.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Diff {
    /// Highest risk first, then by entity: the first [`LISTED`].
    pub changes: Vec<Change>,
    /// How many changes of each risk, from low to high, listed or not.
    pub counts: [usize; 3],
    /// Findings of the later revision the earlier one did not have.
    pub introduced: Listed,
    /// Findings of the earlier revision the later one no longer has.
    pub fixed: Listed,
    /// Findings of the earlier revision a waiver hides in the later one.
    pub waived: Listed,
}

/// The first [`LISTED`] findings of a kind (by rule, entity and key), and
/// how many there are.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Listed {
    pub findings: Vec<FindingFact>,
    pub total: usize,
}

impl Listed {
    fn of(checked: &Checked, found: &[FindingAt]) -> Listed {
        let findings = found.iter().take(LISTED).filter_map(|at| Snapshot::fact(checked, *at)).collect();
        Listed { findings, total: found.len() }
    }

    /// How many are counted but not listed.
    pub fn unlisted(&self) -> usize {
        self.total.saturating_sub(self.findings.len())
    }
}

impl Diff {
    /// The highest risk of any change; `None`: no semantic change.
    pub fn risk(&self) -> Option<Risk> {
        Risk::ALL.into_iter().zip(self.counts).filter(|(_, n)| *n > 0).map(|(r, _)| r).max()
    }

    /// How many changes of each risk, from low to high.
    pub fn counts(&self) -> [usize; 3] {
        self.counts
    }

    /// How many changes are counted but not listed.
    pub fn unlisted_changes(&self) -> usize {
        self.counts.iter().sum::<usize>().saturating_sub(self.changes.len())
    }
}

/// Everything [`compare`] finds: every change, and the findings by where
/// they are in their checks (introduced in the later one; fixed and now
/// waived in the earlier one).
#[derive(Debug, Clone, Default)]
pub struct Comparison {
    pub changes: Vec<Change>,
    pub introduced: Vec<FindingAt>,
    pub fixed: Vec<FindingAt>,
    pub waived: Vec<FindingAt>,
}

/// The diff from `before` to `after`; `None` unless both compiled.
pub fn diff(before: &Checked, after: &Checked) -> Option<Diff> {
    let old = Snapshot::of(before)?;
    let new = Snapshot::of(after)?;
    let catalogue = after.catalogue.as_ref()?;
    let found = compare(&old, &new, catalogue);
    let counts = Risk::ALL.map(|r| found.changes.iter().filter(|c| c.risk == r).count());
    let mut changes = found.changes;
    changes.truncate(LISTED);
    Some(Diff {
        changes,
        counts,
        introduced: Listed::of(after, &found.introduced),
        fixed: Listed::of(before, &found.fixed),
        waived: Listed::of(before, &found.waived),
    })
}

/// The fingerprints of `before`'s findings (kept, waived, the waivers'
/// own) as they read in `after`: an entity renamed between the two carries
/// its new name, so a baseline still knows its findings. `None` unless
/// both compiled.
pub fn carried_fingerprints(before: &Checked, after: &Checked) -> Option<BTreeSet<String>> {
    let (Some(then), Some(now)) = (&before.model, &after.model) else { return None };
    // Most changes rename nothing: then the fingerprints are as they were,
    // and no snapshot (of millions of findings, on a vast plant) is taken.
    if !rename::possible(then, now) {
        let applied = &before.findings;
        let all = applied.kept.iter().chain(&applied.problems).chain(&applied.waived);
        return Some(all.map(|f| f.fingerprint(then)).collect());
    }
    Some(carried(&Snapshot::of(before)?, &Snapshot::entities_of(after)?))
}

/// The fingerprints of `old`'s findings under the names they have in `new`.
fn carried(old: &Snapshot, new: &Snapshot) -> BTreeSet<String> {
    let forward = rename::invert(&rename::find(old, new).1);
    let carried = old.findings.keys().chain(old.waived.keys()).map(|(rule, entity, key)| {
        let entity = rename::map_path(entity, &forward);
        match rename::map_key(key, &forward) {
            key if key.is_empty() => format!("{rule}/{entity}"),
            key => format!("{rule}/{entity}/{key}"),
        }
    });
    carried.collect()
}

/// The diff between two snapshots.
pub fn compare(old: &Snapshot, new: &Snapshot, catalogue: &Catalogue) -> Comparison {
    let (renames, map) = rename::find(old, new);
    let mapped = rename::map_snapshot(new, &map);
    let back = rename::invert(&map);
    let ctx = rate::Context { new: &mapped, catalogue };
    let mut changes = Vec::new();
    for (kind, from, to, exact) in &renames {
        let place = new.entities.get(&format!("{kind}:{to}")).and_then(|e| e.place.clone());
        changes.push(Change {
            entity: format!("{kind}:{to}"),
            kind: ChangeKind::Renamed,
            facet: None,
            before: Some(from.clone()),
            after: Some(to.clone()),
            risk: Risk::Low,
            reason: if *exact {
                "a new name, nothing else changed"
            } else {
                "a new name; its other changes are listed too"
            }
            .to_string(),
            place,
            place_before: false,
        });
    }
    let keys: BTreeSet<&String> = old.entities.keys().chain(mapped.entities.keys()).collect();
    let mut compared = Vec::new();
    for key in keys {
        match (old.entities.get(key), mapped.entities.get(key)) {
            (Some(a), Some(b)) => compared.extend(entity_changes(&ctx, a, b)),
            (None, Some(b)) => compared.extend(rate::added(&ctx, b)),
            (Some(a), None) => compared.extend(rate::removed(a)),
            (None, None) => {}
        }
    }
    // Shown under the later revision's names.
    for change in &mut compared {
        let kind = change.entity.split(':').next().unwrap_or_default().to_string();
        let facet = change.facet.clone().unwrap_or_default();
        change.entity = match kind.as_str() {
            "waiver" => rename::map_key(&change.entity, &back),
            _ => rename::map_path(&change.entity, &back),
        };
        change.after = change.after.as_deref().map(|v| rename::map_value(&kind, &facet, v, &back));
    }
    changes.extend(compared);
    changes.extend(paths::new_paths(old, new, &map));
    changes.sort_by(|a, b| {
        b.risk
            .cmp(&a.risk)
            .then_with(|| a.entity.cmp(&b.entity))
            .then_with(|| a.facet.cmp(&b.facet))
            .then_with(|| (a.kind, &a.before, &a.after).cmp(&(b.kind, &b.before, &b.after)))
    });
    let later = |k: &FindingKey| mapped.findings.contains_key(k) || mapped.waived.contains_key(k);
    let introduced = mapped.findings.iter().filter(|(k, _)| !old.findings.contains_key(*k)).map(|(_, at)| *at);
    let fixed = old.findings.iter().filter(|(k, _)| !later(k)).map(|(_, at)| *at);
    let waived = old.findings.iter().filter(|(k, _)| mapped.waived.contains_key(*k)).map(|(_, at)| *at);
    Comparison { changes, introduced: introduced.collect(), fixed: fixed.collect(), waived: waived.collect() }
}

/// The changes of one entity present in both revisions.
fn entity_changes(ctx: &rate::Context<'_>, a: &Entity, b: &Entity) -> Vec<Change> {
    let mut out = Vec::new();
    let names: BTreeSet<&&str> = a.facets.keys().chain(b.facets.keys()).collect();
    for facet in names {
        let (before, after) = (a.facets.get(*facet), b.facets.get(*facet));
        if before == after {
            continue;
        }
        if *facet == "flows" {
            out.extend(rate::flows(ctx, a, b));
            continue;
        }
        match (before, after) {
            (Some(Facet::Set(x)), Some(Facet::Set(y))) if splits(facet) => {
                for item in x.difference(y) {
                    out.push(rate::facet(ctx, a, b, facet, Some(item.clone()), None));
                }
                // Additions are rated alike, so they are one change.
                let added: Vec<&str> = y.difference(x).map(String::as_str).collect();
                if !added.is_empty() {
                    out.push(rate::facet(ctx, a, b, facet, None, Some(added.join(", "))));
                }
            }
            _ => out.push(rate::facet(ctx, a, b, facet, before.map(show), after.map(show))),
        }
    }
    out
}

/// Set properties whose removals are reported item by item (each is rated
/// on its own: one removed control may be required, another not).
fn splits(facet: &str) -> bool {
    matches!(facet, "controls in force" | "services" | "interfaces" | "compensating" | "evidence" | "capabilities")
}

/// A property's value in words.
pub(crate) fn show(facet: &Facet) -> String {
    match facet {
        Facet::One(text) => text.clone(),
        Facet::Set(items) if items.is_empty() => "none".to_string(),
        Facet::Set(items) => items.iter().cloned().collect::<Vec<_>>().join(", "),
    }
}
