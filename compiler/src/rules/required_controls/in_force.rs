//! Every entity's controls in force, as bits over the controls the
//! profile's requirements name.
//!
//! A check asks "does this entity have one of these controls?" for every
//! requirement and every entity at its tier: on a 10k plant that is
//! hundreds of thousands of questions. A set of names per entity answered
//! each with string comparisons; a control the requirements name is a bit
//! here, so a requirement is met when its masks test true. Controls no
//! requirement names cannot change an answer and are left out.

use std::collections::BTreeMap;

use kojo_stdlib::{Catalogue, Requirement};

use super::Context;
use crate::controls;
use crate::model::{Asset, Tier};

/// Which bit stands for which control.
struct Index<'p> {
    bits: BTreeMap<&'p str, usize>,
    /// `u64`s per set.
    words: usize,
}

impl<'p> Index<'p> {
    fn new(requirements: &'p [Requirement]) -> Self {
        let mut bits = BTreeMap::new();
        for requirement in requirements {
            for control in requirement.all_of.iter().chain(&requirement.any_of) {
                let next = bits.len();
                bits.entry(control.as_str()).or_insert(next);
            }
        }
        let words = bits.len().div_ceil(64).max(1);
        Index { bits, words }
    }

    fn set<'c>(&self, controls: impl IntoIterator<Item = &'c str>) -> Vec<u64> {
        let mut words = vec![0; self.words];
        self.add(&mut words, controls);
        words
    }

    fn add<'c>(&self, words: &mut [u64], controls: impl IntoIterator<Item = &'c str>) {
        for control in controls {
            if let Some(&bit) = self.bits.get(control) {
                if let Some(word) = words.get_mut(bit / 64) {
                    *word |= 1 << (bit % 64);
                }
            }
        }
    }
}

/// A requirement's controls as masks.
struct Masks {
    all_of: Vec<u64>,
    any_of: Vec<u64>,
}

/// Every entity's controls in force and tier, computed once per check.
pub struct InForce<'p> {
    index: Index<'p>,
    /// One per requirement of the profile, in its order.
    requirements: Vec<Masks>,
    /// `index.words` words per entity, in the model's order.
    zones: Vec<u64>,
    conduits: Vec<u64>,
    assets: Vec<u64>,
    asset_tiers: Vec<Option<Tier>>,
}

impl<'p> InForce<'p> {
    pub fn new(ctx: &Context<'p>) -> Self {
        let index = Index::new(&ctx.profile.requirements);
        let requirements = ctx
            .profile
            .requirements
            .iter()
            .map(|r| Masks {
                all_of: index.set(r.all_of.iter().map(String::as_str)),
                any_of: index.set(r.any_of.iter().map(String::as_str)),
            })
            .collect();
        let model = ctx.model;
        let zones: Vec<u64> = model.zones.iter().flat_map(|z| index.set(controls::zone_controls(z))).collect();
        // An asset has its zones' declared controls (not what the model
        // proves of a zone): each zone's are gathered once.
        let declared: Vec<u64> =
            model.zones.iter().flat_map(|z| index.set(z.controls.iter().map(String::as_str))).collect();
        let conduits =
            model.conduits.iter().flat_map(|c| index.set(controls::conduit_controls(ctx.catalogue, c))).collect();
        let assets = model.assets.iter().flat_map(|a| asset_set(&index, &declared, ctx.catalogue, a)).collect();
        let asset_tiers = model.assets.iter().map(|a| controls::asset_tier(ctx.tiers, a)).collect();
        InForce { index, requirements, zones, conduits, assets, asset_tiers }
    }

    /// Every asset's tier, in the model's order.
    pub fn asset_tiers(&self) -> &[Option<Tier>] {
        &self.asset_tiers
    }

    pub(super) fn zone(&self, index: usize) -> Set<'_> {
        self.slice(&self.zones, index)
    }

    pub(super) fn conduit(&self, index: usize) -> Set<'_> {
        self.slice(&self.conduits, index)
    }

    pub(super) fn asset(&self, index: usize) -> Set<'_> {
        self.slice(&self.assets, index)
    }

    fn slice<'s>(&'s self, all: &'s [u64], index: usize) -> Set<'s> {
        let words = self.index.words;
        Set { words: all.get(index * words..(index + 1) * words).unwrap_or_default(), index: &self.index }
    }

    /// Whether `set` meets the profile's requirement at `requirement`.
    pub(super) fn met(&self, requirement: usize, set: Set<'_>) -> bool {
        let Some(masks) = self.requirements.get(requirement) else { return false };
        // A set of another width cannot be read against these masks: not met.
        if set.words.len() != masks.all_of.len() {
            return false;
        }
        let all = masks.all_of.iter().zip(set.words).all(|(need, have)| need & have == *need);
        let any_empty = masks.any_of.iter().all(|w| *w == 0);
        all && (any_empty || masks.any_of.iter().zip(set.words).any(|(need, have)| need & have != 0))
    }
}

fn asset_set(index: &Index<'_>, declared: &[u64], catalogue: &Catalogue, asset: &Asset) -> Vec<u64> {
    let mut words = index.set(asset.controls.iter().map(String::as_str));
    let zones = asset.zone.into_iter().chain(asset.interfaces.iter().map(|i| i.zone));
    for zone in zones {
        let start = zone.index() * index.words;
        for (word, zone_word) in words.iter_mut().zip(declared.get(start..start + index.words).unwrap_or_default()) {
            *word |= zone_word;
        }
    }
    index.add(&mut words, controls::proven_for_asset(catalogue, asset));
    words
}

/// One entity's controls in force.
#[derive(Clone, Copy)]
pub(super) struct Set<'s> {
    words: &'s [u64],
    index: &'s Index<'s>,
}

impl Set<'_> {
    /// Whether `control` is in force; only the requirements' controls are
    /// known, which are all a requirement asks about.
    pub fn contains(&self, control: &str) -> bool {
        let Some(&bit) = self.index.bits.get(control) else { return false };
        self.words.get(bit / 64).is_some_and(|w| w & (1 << (bit % 64)) != 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn requirement(all_of: &[&str], any_of: &[&str]) -> Requirement {
        let catalogue = Catalogue::builtin().unwrap_or_else(|e| panic!("{e:?}"));
        let profile = catalogue.profile("meti-factory").unwrap_or_else(|| panic!("meti-factory"));
        let mut r = profile.requirements.first().cloned().unwrap_or_else(|| panic!("a requirement"));
        r.all_of = all_of.iter().map(|s| s.to_string()).collect();
        r.any_of = any_of.iter().map(|s| s.to_string()).collect();
        r
    }

    /// The masks answer what the sets of names `controls` gives every
    /// other reader (hover, waivers, the ledger) answer, for every
    /// requirement and entity of a plant whose controls come from each
    /// source: declared, a zone's, and proven (a VLAN, an enforcer, ports).
    #[test]
    fn masks_agree_with_the_controls_in_force_by_name() {
        let (model, diagnostics) = crate::resolve::tests::resolve_text(
            r#"plant "P" { profile meti-factory }
zone office { subnet 10.0.0.0/24; tier high; controls [ids, asset-inventory] }
zone cell { subnet 10.1.0.0/24; vlan 20; tier high }
asset fw "Firewall" { kind firewall; interfaces { office 10.0.0.1; cell 10.1.0.1 }; controls [device-logs] }
asset pc in office { kind server; ip 10.0.0.5; controls [host-firewall, mfa]; ports { usb sealed } }
asset plc in cell { kind plc; ip 10.1.0.5; ports { usb locked; console open } }
conduit c from office to cell { enforced-by fw; controls [ips]; allow pc -> plc service modbus-tcp { functions [read] } }
"#,
        );
        let model = model.unwrap_or_else(|| panic!("{diagnostics:?}"));
        let catalogue = Catalogue::builtin().unwrap_or_else(|e| panic!("{e:?}"));
        let profile = catalogue.profile("meti-factory").unwrap_or_else(|| panic!("meti-factory"));
        let tiers = crate::tiers::derive(&model, profile);
        let ctx = Context { model: &model, catalogue, profile, tiers: &tiers };
        let in_force = InForce::new(&ctx);
        let mut compared = 0;
        for (r, requirement) in profile.requirements.iter().enumerate() {
            for (i, zone) in model.zones.iter().enumerate() {
                let names = controls::zone_controls(zone);
                assert_eq!(in_force.met(r, in_force.zone(i)), requirement.met_by(|c| names.contains(c)));
                compared += 1;
            }
            for (i, conduit) in model.conduits.iter().enumerate() {
                let names = controls::conduit_controls(catalogue, conduit);
                assert_eq!(in_force.met(r, in_force.conduit(i)), requirement.met_by(|c| names.contains(c)));
            }
            for (i, asset) in model.assets.iter().enumerate() {
                let names = controls::asset_controls(&model, catalogue, asset);
                let set = in_force.asset(i);
                assert_eq!(
                    in_force.met(r, set),
                    requirement.met_by(|c| names.contains(c)),
                    "{} {}",
                    requirement.id,
                    asset.name
                );
                assert_eq!(requirement.missing(|c| set.contains(c)), requirement.missing(|c| names.contains(c)));
            }
        }
        assert!(compared > 50, "{compared}");
        // Some requirement is met and some is not, or the test proves little.
        let asset_met: Vec<bool> =
            (0..profile.requirements.len()).map(|r| in_force.met(r, in_force.asset(1))).collect();
        assert!(asset_met.contains(&true) && asset_met.contains(&false), "{asset_met:?}");
    }

    /// More controls than one word holds: the masks span words, and a
    /// control past the first word is found like one inside it.
    #[test]
    fn masks_span_words_and_agree_with_names() {
        let names: Vec<String> = (0..70).map(|i| format!("c{i}")).collect();
        let all: Vec<&str> = names.iter().map(String::as_str).collect();
        let requirements = vec![requirement(&all[..65], &[]), requirement(&[], &["c3", "c69"])];
        let index = Index::new(&requirements);
        assert_eq!(index.words, 2);
        let have = index.set(all[..65].iter().copied());
        let set = Set { words: &have, index: &index };
        assert!(set.contains("c64") && !set.contains("c69") && !set.contains("unknown"));
        let masks: Vec<Masks> = requirements
            .iter()
            .map(|r| Masks {
                all_of: index.set(r.all_of.iter().map(String::as_str)),
                any_of: index.set(r.any_of.iter().map(String::as_str)),
            })
            .collect();
        let met = |i: usize, words: &[u64]| {
            let in_force = InForce {
                index: Index { bits: index.bits.clone(), words: index.words },
                requirements: masks
                    .iter()
                    .map(|m| Masks { all_of: m.all_of.clone(), any_of: m.any_of.clone() })
                    .collect(),
                zones: words.to_vec(),
                conduits: Vec::new(),
                assets: Vec::new(),
                asset_tiers: Vec::new(),
            };
            let zone = in_force.zone(0);
            (in_force.met(i, zone), requirements[i].met_by(|c| zone.contains(c)))
        };
        assert_eq!(met(0, &have), (true, true));
        assert_eq!(met(1, &have), (true, true), "c3 is one of the any_of");
        let without_c3 = index.set(all[4..64].iter().copied());
        assert_eq!(met(0, &without_c3), (false, false));
        assert_eq!(met(1, &without_c3), (false, false));
        assert_eq!(met(1, &index.set(["c69"])), (true, true), "the any_of past the first word");
    }
}
