//! Derivations: what the plant model itself shows of a checklist item.
//!
//! One module per derivation, named in `checklist.toml` by `derivation`.
//! Each looks at the resolved model (and the catalogue, the profile and the
//! zone tiers) and says how much of its item it can see done: level 1 (not
//! done), 2 (partly done) or 3 (done), with the facts that support it and
//! what is missing. Levels 4 and 5 need proof of review, which only an
//! attestation's git history gives.

mod acceptance;
mod countermeasures;
mod detection;
mod internet;
mod inventory;
mod logging;
mod minimal_services;
mod operations;
mod physical_access;
mod remote_access;
mod segmentation;
mod specifications;
mod vulnerabilities;
mod wireless;

use kojo_stdlib::{Catalogue, Profile};

use super::message::Message;
use crate::model::{Asset, Model, Trust, Zone};
use crate::tiers::ZoneTier;

/// What a derivation may look at.
pub struct Ctx<'a> {
    pub model: &'a Model,
    pub catalogue: &'a Catalogue,
    pub profile: &'a Profile,
    pub tiers: &'a [ZoneTier],
    /// The threat table, derived once for the derivations that read it.
    pub threats: std::cell::OnceCell<Vec<crate::threats::ZoneThreat>>,
}

impl Ctx<'_> {
    pub fn threats(&self) -> &[crate::threats::ZoneThreat] {
        self.threats.get_or_init(|| crate::threats::derive(self.model, self.catalogue))
    }
}

/// What the model shows of one checklist item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Derived {
    /// 1 not done, 2 partly done, 3 done: as far as the model can see.
    pub level: u8,
    /// `false` when the item does not concern this plant (no wireless LAN,
    /// no remote access from outside).
    pub applicable: bool,
    pub supports: Vec<Message>,
    pub missing: Vec<Message>,
    /// The model holds nothing to judge the item by (no operations, no
    /// devices modelled): level 1 because it is silent, not because it shows
    /// a gap, so it does not contradict an attestation.
    pub silent: bool,
}

impl Derived {
    /// Level 1 with nothing to show, 3 with nothing missing, 2 otherwise.
    fn graded(any: bool, supports: Vec<Message>, missing: Vec<Message>) -> Derived {
        let level = match (any, missing.is_empty()) {
            (false, _) => 1,
            (true, true) => 3,
            (true, false) => 2,
        };
        Derived { level, applicable: true, supports, missing, silent: false }
    }

    /// Nothing in the model to judge the item by; `why` says what is absent.
    fn nothing_modelled(why: Message) -> Derived {
        Derived { level: 1, applicable: true, supports: Vec::new(), missing: vec![why], silent: true }
    }

    fn not_applicable(why: Message) -> Derived {
        Derived { level: 1, applicable: false, supports: vec![why], missing: Vec::new(), silent: false }
    }
}

pub type Derivation = fn(&Ctx<'_>) -> Derived;

/// Every derivation, by the name `checklist.toml` gives it.
pub const DERIVATIONS: &[(&str, Derivation)] = &[
    ("operations-and-zones", operations::derive),
    ("countermeasures", countermeasures::derive),
    ("internet-access", internet::derive),
    ("inventory", inventory::derive),
    ("wireless", wireless::derive),
    ("vulnerabilities", vulnerabilities::derive),
    ("minimal-services", minimal_services::derive),
    ("physical-access", physical_access::derive),
    ("segmentation", segmentation::derive),
    ("remote-access", remote_access::derive),
    ("network-detection", detection::derive),
    ("logging", logging::derive),
    ("acceptance", acceptance::derive),
    ("specifications", specifications::derive),
];

/// The derivation named `name`.
pub fn find(name: &str) -> Option<Derivation> {
    DERIVATIONS.iter().find(|(n, _)| *n == name).map(|(_, d)| *d)
}

/// The plant's own zones: what it protects.
fn internal_zones(model: &Model) -> impl Iterator<Item = &Zone> {
    model.zones.iter().filter(|z| z.trust == Trust::Internal)
}

/// The plant's own devices: assets in at least one internal zone.
fn plant_assets(model: &Model) -> impl Iterator<Item = &Asset> {
    model.assets.iter().filter(|a| {
        a.zone
            .into_iter()
            .chain(a.interfaces.iter().map(|i| i.zone))
            .any(|z| model.zone(z).is_some_and(|z| z.trust == Trust::Internal))
    })
}
