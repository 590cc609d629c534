//! The findings of a checklist item's rules, as evidence lists them: the
//! first [`LISTED`] in source order and how many there are. A plant of
//! thousands of alike assets has a finding per asset under several items;
//! listing them all would make an evidence document of gigabytes, and
//! gathering them item by item would read every finding once per item.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{EntityRef, Loc, Model};
use crate::rules::Finding;
use crate::types::Date;
use crate::waivers::Applied;

/// Findings an item lists; the rest are counted (`kojo check` lists them).
pub const LISTED: usize = 100;

/// A finding of one of an item's rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FindingRef {
    pub rule: String,
    /// `zone control`, `asset plc1`, `plant`.
    pub entity: String,
    /// `file:line` of the entity.
    pub at: String,
    pub waiver: Option<WaiverRef>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaiverRef {
    pub reason: String,
    pub until: Date,
    pub compensating: Vec<String>,
    /// `file:line` of the waiver.
    pub at: String,
}

/// The findings of an item's rules, kept and waived.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemFindings {
    /// The first [`LISTED`], in source order.
    pub listed: Vec<FindingRef>,
    /// How many there are, listed or not.
    pub total: usize,
}

impl ItemFindings {
    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// How many are counted but not listed.
    pub fn unlisted(&self) -> usize {
        self.total.saturating_sub(self.listed.len())
    }
}

/// One finding: where it is (what source order sorts by), and which.
#[derive(Debug, Clone, Copy)]
struct Entry {
    loc: Loc,
    waived: bool,
    index: usize,
}

/// A check's findings by rule, gathered once for every item.
pub(super) struct Index<'a> {
    applied: &'a Applied,
    by_rule: BTreeMap<&'a str, Vec<Entry>>,
}

impl<'a> Index<'a> {
    pub(super) fn new(applied: &'a Applied) -> Index<'a> {
        let mut by_rule: BTreeMap<&str, Vec<Entry>> = BTreeMap::new();
        for (index, finding) in applied.kept.iter().enumerate() {
            by_rule.entry(finding.rule.as_str()).or_default().push(Entry { loc: finding.loc, waived: false, index });
        }
        for (index, finding) in applied.waived.iter().enumerate() {
            by_rule.entry(finding.rule.as_str()).or_default().push(Entry { loc: finding.loc, waived: true, index });
        }
        // In source order (then kept before waived, then as found): a total
        // order, so that which of tied findings are listed is never chance.
        for entries in by_rule.values_mut() {
            entries.sort_by_key(|e| (e.loc, e.waived, e.index));
        }
        Index { applied, by_rule }
    }

    /// Whether `rule` has any finding, kept or waived.
    pub(super) fn any(&self, rule: &str) -> bool {
        self.by_rule.get(rule).is_some_and(|e| !e.is_empty())
    }

    /// The findings of `rules`.
    pub(super) fn of(&self, model: &Model, rules: &[String]) -> ItemFindings {
        // An item that names a rule twice lists its findings once.
        let rules: BTreeSet<&str> = rules.iter().map(String::as_str).collect();
        let found: Vec<(&str, &[Entry])> =
            rules.into_iter().filter_map(|rule| Some((rule, self.by_rule.get(rule)?.as_slice()))).collect();
        let total = found.iter().map(|(_, entries)| entries.len()).sum();
        // Each rule's entries are in source order: the first of the item's
        // are among the first of each rule's, whatever a rule's size (many
        // items naming one rule of many findings cost no more).
        let mut entries: Vec<(&Entry, &str)> =
            found.iter().flat_map(|(rule, entries)| entries.iter().take(LISTED).map(move |e| (e, *rule))).collect();
        entries.sort_by(|(a, ra), (b, rb)| (a.loc, *ra, a.waived, a.index).cmp(&(b.loc, *rb, b.waived, b.index)));
        let listed = entries.iter().take(LISTED).filter_map(|(entry, _)| self.finding(model, entry)).collect();
        ItemFindings { listed, total }
    }

    fn finding(&self, model: &Model, entry: &Entry) -> Option<FindingRef> {
        if !entry.waived {
            return Some(finding_ref(model, self.applied.kept.get(entry.index)?, None));
        }
        let finding = self.applied.waived.get(entry.index)?;
        let waiver = self.applied.waived_by.get(entry.index).and_then(|w| model.waivers.get(*w)).map(|w| WaiverRef {
            reason: w.reason.clone(),
            until: w.until,
            compensating: w.compensating.clone(),
            at: model.locate(w.loc),
        });
        Some(finding_ref(model, finding, waiver))
    }
}

fn finding_ref(model: &Model, finding: &Finding, waiver: Option<WaiverRef>) -> FindingRef {
    FindingRef {
        rule: finding.rule.clone(),
        entity: entity_name(model, finding.target),
        at: model.locate(finding.loc),
        waiver,
    }
}

fn entity_name(model: &Model, entity: EntityRef) -> String {
    match entity {
        EntityRef::Plant => "plant".to_string(),
        EntityRef::Zone(id) => format!("zone {}", model.zone(id).map_or("?", |z| z.name.as_str())),
        EntityRef::Asset(id) => format!("asset {}", model.asset(id).map_or("?", |a| a.name.as_str())),
        EntityRef::Conduit(id) => format!("conduit {}", model.conduit(id).map_or("?", |c| c.name.as_str())),
        EntityRef::Operation(id) => {
            format!("operation {}", model.operations.get(id.index()).map_or("?", |o| o.name.as_str()))
        }
        EntityRef::Data(id) => format!("data {}", model.data.get(id.index()).map_or("?", |d| d.name.as_str())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MemorySource;

    #[test]
    fn a_rule_named_twice_lists_its_findings_once() {
        let text = "plant \"T\" { profile meti-factory }\nzone a \"A\" { subnet 10.0.0.0/24 }\n\
                    asset h1 \"H\" in a { kind sensor }\nasset h2 \"H\" in a { kind sensor }\n";
        let checked = crate::check(&MemorySource::new("t").with_file("t.kojo", text), &[]);
        let model = checked.model.as_ref().unwrap();
        let index = Index::new(&checked.findings);
        let rule = checked.findings.kept.first().unwrap().rule.clone();
        let once = index.of(model, std::slice::from_ref(&rule));
        let twice = index.of(model, &[rule.clone(), rule]);
        assert_eq!(once, twice);
        assert_eq!(once.total, once.listed.len());
    }
}
