//! The findings of a checklist item's rules, as evidence lists them: the
//! first [`LISTED`] in source order and how many there are. A plant of
//! thousands of alike assets has a finding per asset under several items;
//! listing them all would make an evidence document of gigabytes, and
//! gathering them item by item would read every finding once per item.

use std::collections::BTreeMap;

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
        Index { applied, by_rule }
    }

    /// Whether `rule` has any finding, kept or waived.
    pub(super) fn any(&self, rule: &str) -> bool {
        self.by_rule.get(rule).is_some_and(|e| !e.is_empty())
    }

    /// The findings of `rules`.
    pub(super) fn of(&self, model: &Model, rules: &[String]) -> ItemFindings {
        let mut entries: Vec<(&Entry, &str)> = rules
            .iter()
            .filter_map(|rule| self.by_rule.get(rule.as_str()).map(|e| (e, rule.as_str())))
            .flat_map(|(entries, rule)| entries.iter().map(move |e| (e, rule)))
            .collect();
        let total = entries.len();
        let order = |a: &(&Entry, &str), b: &(&Entry, &str)| (a.0.loc, a.1).cmp(&(b.0.loc, b.1));
        if entries.len() > LISTED {
            entries.select_nth_unstable_by(LISTED, order);
            entries.truncate(LISTED);
        }
        entries.sort_by(order);
        let listed = entries.iter().filter_map(|(entry, _)| self.finding(model, entry)).collect();
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
