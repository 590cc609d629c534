//! Properties of the rule engine over generated plants:
//! adding a control never adds a finding, and lowering an impact never
//! raises a tier.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::collections::BTreeSet;

use kojo_compiler::{Checked, MemorySource, Options};
use kojo_lang::Code;
use kojo_stdlib::Applies;
use proptest::prelude::*;

/// Controls a generated plant may declare. Controls the model proves
/// (`firewall`, `protocol-allowlist`, `time-window`, `segmentation-vlan`, port
/// lock-outs) are left out: claiming those against the model is an error by
/// design (CONTROL-CONTRADICTED).
const CONTROLS: [&str; 14] = [
    "ids",
    "ips",
    "nat",
    "gateway",
    "mfa",
    "individual-id",
    "password-policy",
    "patching",
    "ups",
    "log-analysis",
    "asset-inventory",
    "offline-backup",
    "host-firewall",
    "session-log",
];
const KINDS: [&str; 5] = ["server", "plc", "hmi", "workstation", "equipment"];
const LEVELS: [&str; 3] = ["low", "mid", "high"];
const AXES: [&str; 5] = ["safety", "continuity", "quality", "delivery", "cost"];

#[derive(Debug, Clone)]
struct Plant {
    zones: usize,
    /// (zone, kind, controls)
    assets: Vec<(usize, usize, Vec<usize>)>,
    /// (from, to, source asset, destination asset, controls)
    conduits: Vec<(usize, usize, usize, usize, Vec<usize>)>,
    /// (zone, [(axis, level)])
    operations: Vec<(usize, Vec<(usize, usize)>)>,
    zone_controls: Vec<Vec<usize>>,
}

fn plant() -> impl Strategy<Value = Plant> {
    (2usize..5).prop_flat_map(|zones| {
        let controls = || prop::collection::vec(0..CONTROLS.len(), 0..4);
        (
            Just(zones),
            prop::collection::vec((0..zones, 0..KINDS.len(), controls()), 1..8),
            prop::collection::vec((0..zones, 0..zones, 0usize..8, 0usize..8, controls()), 0..5),
            prop::collection::vec((0..zones, prop::collection::vec((0..AXES.len(), 0..LEVELS.len()), 1..4)), 0..4),
            prop::collection::vec(controls(), zones),
        )
            .prop_map(|(zones, assets, conduits, operations, zone_controls)| Plant {
                zones,
                assets,
                conduits,
                operations,
                zone_controls,
            })
    })
}

fn list(indices: &[usize]) -> String {
    let names: BTreeSet<&str> = indices.iter().map(|i| CONTROLS[*i]).collect();
    names.into_iter().collect::<Vec<_>>().join(", ")
}

impl Plant {
    fn source(&self) -> String {
        let mut out = String::from("plant \"P\" { profile meti-factory }\n");
        for z in 0..self.zones {
            out += &format!(
                "zone z{z} \"Z\" {{\n  subnet 10.{z}.0.0/24\n  controls [{}]\n}}\n",
                list(&self.zone_controls[z])
            );
        }
        out += "asset fw \"FW\" {\n  kind firewall\n  interfaces {";
        for z in 0..self.zones {
            out += &format!(" z{z} 10.{z}.0.1;");
        }
        out += " }\n}\n";
        for (i, (zone, kind, controls)) in self.assets.iter().enumerate() {
            out += &format!(
                "asset a{i} \"A\" in z{zone} {{\n  kind {}\n  ip 10.{zone}.0.{}\n  controls [{}]\n}}\n",
                KINDS[*kind],
                10 + i,
                list(controls)
            );
        }
        for (i, (from, to, src, dst, controls)) in self.conduits.iter().enumerate() {
            if from == to {
                continue;
            }
            let in_zone = |zone: usize, pick: usize| {
                let here: Vec<usize> = (0..self.assets.len()).filter(|a| self.assets[*a].0 == zone).collect();
                here.get(pick % here.len().max(1)).map(|a| format!("a{a}"))
            };
            out += &format!(
                "conduit c{i} \"C\" from z{from} to z{to} {{\n  enforced-by fw\n  controls [{}]\n",
                list(controls)
            );
            if let (Some(s), Some(d)) = (in_zone(*from, *src), in_zone(*to, *dst)) {
                out += &format!("  allow {s} -> {d} service https\n");
            }
            out += "}\n";
        }
        for (i, (zone, ratings)) in self.operations.iter().enumerate() {
            let mut seen = BTreeSet::new();
            let ratings: Vec<String> = ratings
                .iter()
                .filter(|(axis, _)| seen.insert(*axis))
                .map(|(axis, level)| format!("{} {}", AXES[*axis], LEVELS[*level]))
                .collect();
            out += &format!("operation o{i} \"O\" {{\n  impact {{ {} }}\n  zones [z{zone}]\n}}\n", ratings.join("; "));
        }
        out
    }
}

fn check(text: &str) -> Checked {
    let source = MemorySource::new("p").with_file("plant.kojo", text);
    let checked = kojo_compiler::check_with(&source, &Options::default());
    let language: Vec<_> = checked.diagnostics.iter().filter(|d| d.code != Code::Finding).collect();
    assert!(language.is_empty(), "generated plant does not compile: {language:?}\n{text}");
    checked
}

fn findings(checked: &Checked) -> BTreeSet<(String, String)> {
    checked.diagnostics.iter().map(|d| (d.id().to_string(), d.message.clone())).collect()
}

fn derived_tiers(checked: &Checked) -> Vec<Option<kojo_compiler::model::Tier>> {
    checked.tiers.iter().map(|t| t.derived).collect()
}

proptest! {
    #[test]
    fn adding_a_control_never_adds_a_finding(plant in plant(), control in 0..CONTROLS.len(), pick in 0usize..100) {
        let before = findings(&check(&plant.source()));
        let mut more = plant.clone();
        // Add the control to one entity that can carry it (a claim where it
        // cannot protect anything is CONTROL-MISPLACED): a zone (its own or
        // its assets' measures), an asset or a conduit.
        let catalogue = kojo_stdlib::Catalogue::builtin().unwrap();
        let applies = |a| catalogue.control(CONTROLS[control]).is_some_and(|c| c.applies_to(a));
        let mut targets: Vec<(usize, usize)> = Vec::new();
        if applies(Applies::Zone) || applies(Applies::Asset) {
            targets.extend((0..more.zones).map(|i| (0, i)));
        }
        if applies(Applies::Asset) {
            targets.extend((0..more.assets.len()).map(|i| (1, i)));
        }
        if applies(Applies::Conduit) {
            targets.extend((0..more.conduits.len()).map(|i| (2, i)));
        }
        prop_assume!(!targets.is_empty());
        match targets[pick % targets.len()] {
            (0, i) => more.zone_controls[i].push(control),
            (1, i) => more.assets[i].2.push(control),
            (_, i) => more.conduits[i].4.push(control),
        }
        let after = findings(&check(&more.source()));
        let added: Vec<_> = after.difference(&before).collect();
        prop_assert!(added.is_empty(), "adding `{}` added {:?}\n{}", CONTROLS[control], added, more.source());
    }

    #[test]
    fn lowering_an_impact_never_raises_a_tier(plant in plant(), pick in 0usize..100) {
        prop_assume!(!plant.operations.is_empty());
        let before = derived_tiers(&check(&plant.source()));
        let mut lower = plant.clone();
        let op = pick % lower.operations.len();
        let ratings = &mut lower.operations[op].1;
        let r = pick % ratings.len();
        ratings[r].1 = ratings[r].1.saturating_sub(1);
        let after = derived_tiers(&check(&lower.source()));
        for (b, a) in before.iter().zip(&after) {
            prop_assert!(a <= b, "a tier rose from {:?} to {:?}\n{}", b, a, lower.source());
        }
    }
}
