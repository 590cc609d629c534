//! "What to do first" after grouped findings: the controls whose
//! declaration clears most findings, the rules and the entities with most
//! findings, and where the full story is.
//!
//! A tier requirement is met by all of its `all_of` controls and one of its
//! `any_of` in force for the entity; a step adds one control, so it clears
//! a finding only where that one control completes the requirement. A
//! zone's controls are in force for its assets
//! (`kojo_compiler::controls`); so one control declared on a zone can
//! clear a requirement's findings on every asset there. The steps are
//! chosen greedily: each clears the most findings the steps before it
//! left, so their counts add up.

use std::collections::{BTreeMap, BTreeSet};

use kojo_compiler::controls;
use kojo_compiler::model::{EntityRef, Model};
use kojo_compiler::Checked;
use kojo_lang::{Diagnostic, Severity};
use kojo_stdlib::{Applies, Catalogue};

use super::grouped::{count, entity, Group};

/// At most this many steps, rules and entities are named.
const STEPS: usize = 5;
const TOP: usize = 3;

/// A control that, declared on an entity, meets requirements findings name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub entity: EntityRef,
    pub control: String,
    /// How many findings it clears (none that an earlier step clears).
    pub clears: usize,
    pub rules: BTreeSet<String>,
}

/// The steps that clear at least two findings each, most first.
pub fn steps(checked: &Checked, findings: &[&Diagnostic], targets: &BTreeMap<String, EntityRef>) -> Vec<Step> {
    let (Some(model), Some(profile)) = (&checked.model, &checked.profile) else { return Vec::new() };
    let catalogue = checked.catalogue.as_ref();
    // (where, control) → the findings it clears.
    let mut fixes: BTreeMap<(EntityRef, &str), BTreeSet<usize>> = BTreeMap::new();
    for (index, d) in findings.iter().enumerate() {
        let Some(requirement) = profile.requirement(d.id()) else { continue };
        let Some(target) = d.fingerprint.as_ref().and_then(|f| targets.get(f)) else { continue };
        // A step clears a finding only when the one control it adds meets
        // the requirement with what is already in force (all of `all_of`,
        // one of `any_of`).
        let in_force = in_force(checked, model, *target);
        for place in places(model, *target) {
            for control in requirement.controls() {
                let met = requirement.met_by(|c| c == control || in_force.contains(c));
                if met && declarable(catalogue, control, place, *target) {
                    fixes.entry((place, control)).or_default().insert(index);
                }
            }
        }
    }
    let mut left: BTreeSet<usize> = (0..findings.len()).collect();
    let mut steps = Vec::new();
    while steps.len() < STEPS {
        // The first in key order wins a tie: zones before assets, as a
        // zone's control also covers the assets added to it later.
        let mut best: Option<(&(EntityRef, &str), Vec<usize>)> = None;
        for (key, cleared) in &fixes {
            let cleared: Vec<usize> = cleared.intersection(&left).copied().collect();
            if best.as_ref().is_none_or(|(_, b)| cleared.len() > b.len()) {
                best = Some((key, cleared));
            }
        }
        let Some(((place, control), cleared)) = best.filter(|(_, c)| c.len() >= 2) else { break };
        for index in &cleared {
            left.remove(index);
        }
        let rules = cleared.iter().filter_map(|i| findings.get(*i)).map(|d| d.id().to_string()).collect();
        steps.push(Step { entity: *place, control: control.to_string(), clears: cleared.len(), rules });
    }
    steps
}

/// The controls in force for an entity (declared, inherited, proven).
fn in_force(checked: &Checked, model: &Model, target: EntityRef) -> BTreeSet<String> {
    let Some(catalogue) = checked.catalogue.as_ref() else { return BTreeSet::new() };
    let found: BTreeSet<&str> = match target {
        EntityRef::Zone(id) => model.zone(id).map(controls::zone_controls).unwrap_or_default(),
        EntityRef::Conduit(id) => {
            model.conduit(id).map(|c| controls::conduit_controls(catalogue, c)).unwrap_or_default()
        }
        EntityRef::Asset(id) => {
            model.asset(id).map(|a| controls::asset_controls(model, catalogue, a)).unwrap_or_default()
        }
        _ => BTreeSet::new(),
    };
    found.into_iter().map(String::from).collect()
}

/// Where declaring a control brings it in force for `target`: the entity
/// itself and, for an asset, its zones.
fn places(model: &Model, target: EntityRef) -> Vec<EntityRef> {
    let mut places = vec![target];
    if let EntityRef::Asset(id) = target {
        let asset = model.asset(id);
        let zones = asset.into_iter().flat_map(|a| a.zone.into_iter().chain(a.interfaces.iter().map(|i| i.zone)));
        for zone in zones.map(EntityRef::Zone) {
            if !places.contains(&zone) {
                places.push(zone);
            }
        }
    }
    places
}

/// Whether the catalogue lets `control` be declared on `place`; a control
/// the catalogue does not know only on the entity at fault itself.
fn declarable(catalogue: Option<&Catalogue>, control: &str, place: EntityRef, target: EntityRef) -> bool {
    let kind = match place {
        EntityRef::Zone(_) => Applies::Zone,
        EntityRef::Conduit(_) => Applies::Conduit,
        EntityRef::Asset(_) => Applies::Asset,
        _ => return false,
    };
    // A zone may carry its assets' measures: they are in force for each.
    let for_assets = kind == Applies::Zone && matches!(target, EntityRef::Asset(_));
    catalogue
        .and_then(|c| c.control(control))
        .map_or(place == target, |c| c.applies_to(kind) || (for_assets && c.applies_to(Applies::Asset)))
}

/// The "what to do first" section.
pub fn render(checked: &Checked, groups: &[Group<'_>], targets: &BTreeMap<String, EntityRef>) -> String {
    let findings: Vec<&Diagnostic> = groups.iter().flat_map(|g| g.findings.iter().copied()).collect();
    let mut out = String::from("what to do first:\n");
    let model = checked.model.as_ref();
    let errors = checked.diagnostics.iter().filter(|d| d.rule.is_none() && d.severity == Severity::Error).count();
    match (model, errors) {
        (_, 0) => {}
        // Until then the model is not there to say which controls clear what.
        (None, _) => out.push_str(&format!(
            "  - fix the {} shown above with their source: the project does not compile until then\n",
            count(errors, "error", "errors")
        )),
        // An evidence file that does not exist: the plant is checked, the check still fails.
        (Some(_), _) => out.push_str(&format!(
            "  - fix the {} shown above with their source: the check fails until then, whatever the findings\n",
            count(errors, "error", "errors")
        )),
    }
    let listed = if groups.iter().any(|g| g.more > 0) { " of those listed" } else { "" };
    for step in steps(checked, &findings, targets) {
        out.push_str(&format!("  - {}\n", step_text(model, &step, listed)));
    }
    if groups.len() > 1 {
        let top: Vec<&Group<'_>> = groups.iter().take(TOP).collect();
        let rules: Vec<&str> = top.iter().map(|g| g.rule).collect();
        let n: usize = top.iter().map(|g| g.total()).sum();
        let all: usize = groups.iter().map(|g| g.total()).sum();
        out.push_str(&format!(
            "  - the rules with most findings, {}, account for {n} of the {}\n",
            and_list(&rules),
            count(all, "finding", "findings")
        ));
    }
    let mut by_entity: BTreeMap<String, usize> = BTreeMap::new();
    for d in &findings {
        *by_entity.entry(entity(d)).or_default() += 1;
    }
    let mut entities: Vec<(String, usize)> = by_entity.into_iter().filter(|(e, _)| !e.is_empty()).collect();
    entities.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    if entities.len() > 1 {
        let top: Vec<String> = entities.iter().take(TOP).map(|(e, n)| format!("{e} ({n})")).collect();
        // Ties past the ones named are counted, not hidden.
        let last = entities.get(TOP - 1).map_or(0, |(_, n)| *n);
        let tied = entities.iter().skip(TOP).filter(|(_, n)| *n == last).count();
        let tied = if tied > 0 { format!(" and {tied} more with {last}") } else { String::new() };
        out.push_str(&format!("  - the entities with most findings{listed}: {}{tied}\n", top.join(", ")));
    }
    out.push_str(
        "  - `kojo explain RULE` says what a rule asks; `kojo check --format full` shows each listed finding with its source, \
         `--format concise` one line each\n",
    );
    out
}

/// `declare `ups` on zone `control` once it is in place (its assets have it too): clears 5 findings (DEV-UPS)`.
fn step_text(model: Option<&Model>, step: &Step, listed: &str) -> String {
    let name = model.map(|m| m.entity_path(step.entity)).unwrap_or_default();
    let (kind, name) = name.split_once(':').unwrap_or(("", &name));
    let scope = match step.entity {
        EntityRef::Zone(_) => " (in force for its assets)",
        _ => "",
    };
    let mut rules: Vec<&str> = step.rules.iter().map(String::as_str).collect();
    let more = rules.len().saturating_sub(STEPS);
    rules.truncate(STEPS);
    let mut rules = rules.join(", ");
    if more > 0 {
        rules.push_str(&format!(" and {more} more"));
    }
    format!(
        "declare `{}` on {kind} `{name}` once it is in place{scope}: clears {}{listed} ({rules})",
        step.control,
        count(step.clears, "finding", "findings")
    )
}

/// `a`, `a and b`, `a, b and c`.
fn and_list(items: &[&str]) -> String {
    match items.split_last() {
        Some((last, [])) => (*last).to_string(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_read_as_english() {
        assert_eq!(and_list(&[]), "");
        assert_eq!(and_list(&["A"]), "A");
        assert_eq!(and_list(&["A", "B"]), "A and B");
        assert_eq!(and_list(&["A", "B", "C"]), "A, B and C");
    }

    /// Three workstations in a medium-tier zone lacking DEV-OPERATION-LOGS
    /// (all of `operation-logs` and `log-forwarding`): where the zone
    /// forwards logs, declaring `operation-logs` on it completes all three;
    /// where it does not, no single control does, and no step pretends so.
    #[test]
    fn a_step_clears_only_what_its_one_control_completes() {
        let steps_for = |zone_controls: &str| {
            let mut text = format!(
                "plant \"T\" {{ profile meti-factory }}\nzone z {{ subnet 10.1.0.0/24; tier medium; controls [{zone_controls}] }}\n"
            );
            for i in 1..=3 {
                text.push_str(&format!("asset pc{i} in z {{ kind workstation; ip 10.1.0.{i} }}\n"));
            }
            let source = kojo_compiler::MemorySource::new("t").with_file("t.kojo", text);
            let checked = kojo_compiler::check_with(&source, &kojo_compiler::Options::default());
            let model = checked.model.as_ref().unwrap();
            let findings: Vec<&Diagnostic> =
                checked.diagnostics.iter().filter(|d| d.id() == "DEV-OPERATION-LOGS").collect();
            assert_eq!(findings.len(), 3, "{:?}", checked.diagnostics);
            let targets: BTreeMap<String, EntityRef> = model
                .assets
                .iter()
                .map(|a| (format!("DEV-OPERATION-LOGS/asset:{}", a.name), EntityRef::Asset(a.id)))
                .collect();
            steps(&checked, &findings, &targets)
        };
        assert!(steps_for("").is_empty(), "neither control alone meets the requirement");
        let steps = steps_for("log-forwarding");
        assert_eq!(steps.len(), 1, "{steps:?}");
        assert_eq!((steps[0].control.as_str(), steps[0].clears), ("operation-logs", 3), "{steps:?}");
    }
}
