//! Which active waiver hides a finding, found without scanning every
//! waiver for every finding (a plant of thousands of assets with a waiver
//! each would be quadratic): the waivers are indexed by rule and by what
//! their scope names (an entity, a zone, a kind), and only those that
//! could cover the finding's entity are asked.

use std::collections::BTreeMap;

use crate::model::{EntityRef, Model, WaiverScope, ZoneId};
use crate::rules::Finding;

/// A waiver and the position of the rule in its `rules`.
type Hit = (usize, usize);

#[derive(Debug, Default)]
pub(super) struct Index<'m> {
    /// `on KIND NAME`: the first waiver per rule and entity.
    named: BTreeMap<(&'m str, EntityRef), Hit>,
    /// `on zone Z and its assets`, `on assets in zone Z`, by rule and zone.
    zones: BTreeMap<(&'m str, ZoneId), Vec<Hit>>,
    /// `on assets of kind K [in zone Z]`, by rule and kind.
    kinds: BTreeMap<(&'m str, &'m str), Vec<Hit>>,
    /// `on plant`: the first waiver per rule.
    plant: BTreeMap<&'m str, Hit>,
}

impl<'m> Index<'m> {
    pub(super) fn new(model: &'m Model, active: &[bool]) -> Self {
        let mut index = Index::default();
        for (w, waiver) in model.waivers.iter().enumerate().filter(|(i, _)| active.get(*i) == Some(&true)) {
            for (r, rule) in waiver.rules.iter().enumerate() {
                let (rule, hit) = (rule.id.as_str(), (w, r));
                match &waiver.scope {
                    WaiverScope::Entities(list) => {
                        for entity in list {
                            index.named.entry((rule, *entity)).or_insert(hit);
                        }
                    }
                    WaiverScope::ZoneAndAssets(zone) | WaiverScope::AssetsInZone(zone) => {
                        index.zones.entry((rule, *zone)).or_default().push(hit);
                    }
                    WaiverScope::AssetsOfKind { kind, .. } => {
                        index.kinds.entry((rule, kind.as_str())).or_default().push(hit);
                    }
                    WaiverScope::Plant => {
                        index.plant.entry(rule).or_insert(hit);
                    }
                }
            }
        }
        index
    }

    /// The first waiver (in the model's order) that hides `finding`, and
    /// which of its rules; none for a finding the build refuses.
    pub(super) fn hider(&self, model: &Model, finding: &Finding) -> Option<Hit> {
        if crate::rules::BUILD_REFUSES.contains(&finding.rule.as_str()) {
            return None;
        }
        let (rule, target) = (finding.rule.as_str(), finding.target);
        let covers = |hit: &&Hit| model.waivers.get(hit.0).is_some_and(|w| w.covers(model, target));
        let mut candidates: Vec<Hit> = Vec::new();
        candidates.extend(self.named.get(&(rule, target)));
        candidates.extend(self.plant.get(rule));
        let zones: Vec<ZoneId> = match target {
            EntityRef::Zone(z) => vec![z],
            EntityRef::Asset(a) => model
                .asset(a)
                .map_or_else(Vec::new, |a| a.zone.into_iter().chain(a.interfaces.iter().map(|i| i.zone)).collect()),
            _ => Vec::new(),
        };
        for zone in zones {
            candidates.extend(self.zones.get(&(rule, zone)).into_iter().flatten().filter(covers));
        }
        if let Some(asset) = match target {
            EntityRef::Asset(a) => model.asset(a),
            _ => None,
        } {
            candidates.extend(self.kinds.get(&(rule, asset.kind.as_str())).into_iter().flatten().filter(covers));
        }
        candidates.into_iter().min()
    }
}
