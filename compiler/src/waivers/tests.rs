//! Waivers on a small plant: each scope form, each reason a waiver waives
//! nothing, compensating controls on every entity a waiver excuses.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use super::{COMPENSATING_MISSING, EXPIRED, UNUSED};
use crate::model::{EntityRef, Model};
use crate::types::Date;
use crate::{check_with, Checked, MemorySource, Options};

const TODAY: Date = Date { year: 2026, month: 6, day: 1 };

/// Three workstations (two in the office, one in control) and a conduit. At the minimum tier every workstation lacks a password policy
/// (`NW-PASSWORD-POLICY`) and still has its vendor accounts
/// (`NW-REMOVE-UNNEEDED-USERS`) unless it declares the controls.
const PLANT: &str = r#"plant "T" { profile meti-factory }
zone office "Office" { subnet 10.1.0.0/24 }
zone control "Control" { subnet 10.2.0.0/24 }
asset pc1 "PC 1" in office { kind workstation; ip 10.1.0.5 }
asset pc2 "PC 2" in office { kind workstation; ip 10.1.0.6 }
asset eng "Engineering PC" in control { kind workstation; ip 10.2.0.5 }
conduit office_to_control from office to control { allow any -> any service https }
"#;

fn check(waivers: &str) -> Checked {
    check_plant(PLANT, waivers)
}

fn check_plant(plant: &str, waivers: &str) -> Checked {
    let source = MemorySource::new("t").with_file("t.kojo", format!("{plant}{waivers}"));
    let checked = check_with(&source, &Options { backends: &[], today: Some(TODAY), ..Default::default() });
    let errors: Vec<_> = checked.diagnostics.iter().filter(|d| d.code != kojo_lang::Code::Finding).collect();
    assert!(errors.is_empty(), "{errors:?}");
    checked
}

fn model(checked: &Checked) -> &Model {
    checked.model.as_ref().expect("the plant compiles")
}

/// The entities on which findings of `rule` are waived, sorted.
fn waived_on(checked: &Checked, rule: &str) -> Vec<String> {
    let mut out: Vec<String> = checked
        .findings
        .waived
        .iter()
        .filter(|f| f.rule == rule)
        .map(|f| model(checked).entity_path(f.target))
        .collect();
    out.sort();
    out
}

/// The entities on which findings of `rule` are still reported, sorted.
fn kept_on(checked: &Checked, rule: &str) -> Vec<String> {
    let mut out: Vec<String> =
        checked.findings.kept.iter().filter(|f| f.rule == rule).map(|f| model(checked).entity_path(f.target)).collect();
    out.sort();
    out
}

fn problems(checked: &Checked, rule: &str) -> Vec<String> {
    checked.findings.problems.iter().filter(|f| f.rule == rule).map(|f| f.message.clone()).collect()
}

const BODY: &str = "{ reason \"shared logins until the directory service\"; until 2027-01-31 }";

fn covered(waiver: &str) -> Vec<String> {
    let checked = check(&format!("waive NW-PASSWORD-POLICY on {waiver} {BODY}\n"));
    let model = model(&checked);
    let waiver = &model.waivers[0];
    let all = [
        EntityRef::Plant,
        EntityRef::Zone(crate::model::ZoneId(0)),
        EntityRef::Zone(crate::model::ZoneId(1)),
        EntityRef::Asset(crate::model::AssetId(0)),
        EntityRef::Asset(crate::model::AssetId(1)),
        EntityRef::Asset(crate::model::AssetId(2)),
        EntityRef::Conduit(crate::model::ConduitId(0)),
    ];
    all.into_iter().filter(|e| waiver.covers(model, *e)).map(|e| model.entity_path(e)).collect()
}

#[test]
fn each_scope_covers_what_it_says() {
    assert_eq!(covered("asset pc1"), ["asset:pc1"]);
    assert_eq!(covered("asset [pc1, eng]"), ["asset:pc1", "asset:eng"]);
    // `zone NAME` keeps its meaning: the zone's own findings, not its assets'.
    assert_eq!(covered("zone office"), ["zone:office"]);
    assert_eq!(covered("zone office and its assets"), ["zone:office", "asset:pc1", "asset:pc2"]);
    assert_eq!(covered("assets in zone office"), ["asset:pc1", "asset:pc2"]);
    assert_eq!(covered("assets of kind workstation"), ["asset:pc1", "asset:pc2", "asset:eng"]);
    assert_eq!(covered("assets of kind workstation in zone control"), ["asset:eng"]);
    assert_eq!(covered("conduit office_to_control"), ["conduit:office_to_control"]);
    assert_eq!(covered("plant T").len(), 7, "a plant waiver covers every entity");
}

#[test]
fn a_waiver_hides_every_finding_of_its_rules_in_its_scope() {
    let checked =
        check(&format!("waive [NW-PASSWORD-POLICY, NW-REMOVE-UNNEEDED-USERS] on assets in zone office {BODY}\n"));
    for rule in ["NW-PASSWORD-POLICY", "NW-REMOVE-UNNEEDED-USERS"] {
        assert_eq!(waived_on(&checked, rule), ["asset:pc1", "asset:pc2"], "{rule}");
        assert_eq!(kept_on(&checked, rule), ["asset:eng"], "{rule}: outside the scope, still reported");
    }
    assert!(problems(&checked, UNUSED).is_empty(), "{:?}", problems(&checked, UNUSED));
    // Each waived finding knows its waiver, and the waiver what a report shows.
    let model = model(&checked);
    assert!(checked.findings.waived_by.iter().all(|i| *i == 0));
    let waiver = &model.waivers[0];
    assert_eq!(waiver.reason, "shared logins until the directory service");
    assert_eq!(waiver.until.to_string(), "2027-01-31");
    assert!(waiver.loc.span.start < waiver.loc.span.end);
    assert_eq!(waiver.name(model), "[NW-PASSWORD-POLICY, NW-REMOVE-UNNEEDED-USERS] on assets in zone:office");
}

#[test]
fn an_expired_grouped_waiver_hides_nothing() {
    let checked = check("waive NW-PASSWORD-POLICY on assets of kind workstation { reason \"r\"; until 2026-01-31 }\n");
    assert!(waived_on(&checked, "NW-PASSWORD-POLICY").is_empty());
    assert_eq!(
        problems(&checked, EXPIRED),
        ["the waiver of `NW-PASSWORD-POLICY` on `assets of kind workstation` expired on 2026-01-31"]
    );
}

#[test]
fn an_unknown_rule_waives_nothing_and_a_close_one_is_suggested() {
    let checked = check(&format!("waive [NW-PASSWORD-POLICY, NW-PASWORD-POLICY] on asset pc1 {BODY}\n"));
    let unused: Vec<_> = checked.findings.problems.iter().filter(|f| f.rule == UNUSED).collect();
    assert_eq!(unused.len(), 1, "the known rule still waives: {unused:?}");
    assert!(unused[0].message.contains("there is no such rule"), "{}", unused[0].message);
    assert!(unused[0].help.contains("did you mean `NW-PASSWORD-POLICY`?"), "{}", unused[0].help);
    assert_eq!(waived_on(&checked, "NW-PASSWORD-POLICY"), ["asset:pc1"]);
}

#[test]
fn a_rule_on_a_kind_it_never_applies_to_says_so() {
    let checked = check(&format!("waive NW-PASSWORD-POLICY on conduit office_to_control {BODY}\n"));
    assert_eq!(
        problems(&checked, UNUSED),
        ["`NW-PASSWORD-POLICY` never applies to a conduit: it is checked on assets"]
    );
    // A zone named for its devices: the help shows the scope that covers them.
    let checked = check(&format!("waive NW-PASSWORD-POLICY on zone office {BODY}\n"));
    let unused = checked.findings.problems.iter().find(|f| f.rule == UNUSED).unwrap();
    assert_eq!(unused.message, "`NW-PASSWORD-POLICY` never applies to a zone: it is checked on assets");
    assert!(unused.help.contains("`on zone office and its assets`"), "{}", unused.help);
    // A code rule knows its kinds too: TIER-BELOW-DERIVED is about zones.
    let checked = check(&format!("waive TIER-BELOW-DERIVED on asset [pc1, pc2] {BODY}\n"));
    assert_eq!(problems(&checked, UNUSED), ["`TIER-BELOW-DERIVED` never applies to assets: it is checked on zones"]);
}

#[test]
fn an_empty_scope_says_what_it_looked_for() {
    let checked = check(&format!("waive NW-PASSWORD-POLICY on assets of kind plc in zone office {BODY}\n"));
    assert_eq!(
        problems(&checked, UNUSED),
        ["the waiver on `assets of kind plc in zone:office` waives nothing: no asset of kind `plc` is in zone `office`"]
    );
    let checked = check(&format!("waive NW-PASSWORD-POLICY on assets of kind firewall {BODY}\n"));
    assert!(
        problems(&checked, UNUSED)[0].ends_with("no asset is of kind `firewall`"),
        "{:?}",
        problems(&checked, UNUSED)
    );
}

#[test]
fn a_met_rule_waives_nothing() {
    let plant = PLANT.replace("ip 10.1.0.5 }", "ip 10.1.0.5; controls [password-policy] }");
    let checked = check_plant(&plant, &format!("waive NW-PASSWORD-POLICY on asset pc1 {BODY}\n"));
    assert_eq!(
        problems(&checked, UNUSED),
        ["`NW-PASSWORD-POLICY` finds nothing to waive on `asset:pc1`: it is met there"]
    );
}

/// A rule that finds nothing says why: not asked at the entity's tier, or
/// not applicable for a capability the asset lacks; never "met" for those.
#[test]
fn a_rule_not_asked_here_says_why_not_that_it_is_met() {
    let checked = check(&format!("waive NW-MFA on asset pc1 {BODY}\n"));
    assert_eq!(
        problems(&checked, UNUSED),
        ["`NW-MFA` finds nothing to waive on `asset:pc1`: it is not required there: tier minimum (the rule asks it from tier high)"]
    );
    let plant = PLANT
        .replace(
            "zone office \"Office\" { subnet 10.1.0.0/24 }",
            "zone office \"Office\" { subnet 10.1.0.0/24; tier high }",
        )
        .replace("asset pc1 \"PC 1\" in office { kind workstation;", "asset pc1 \"PC 1\" in office { kind plc;");
    let checked = check_plant(&plant, &format!("waive NW-MFA on asset pc1 {BODY}\n"));
    assert_eq!(
        problems(&checked, UNUSED),
        ["`NW-MFA` finds nothing to waive on `asset:pc1`: it does not apply there: `pc1` lacks `user-accounts` (`kojo check --show-not-applicable`)"]
    );
}

#[test]
fn the_parts_of_a_list_that_waive_nothing_warn_and_the_rest_still_waives() {
    let plant = PLANT.replace("ip 10.1.0.6 }", "ip 10.1.0.6; controls [password-policy] }");
    let checked = check_plant(
        &plant,
        &format!("waive [NW-PASSWORD-POLICY, NW-REMOVE-UNNEEDED-USERS] on asset [pc1, pc2] {BODY}\n"),
    );
    assert_eq!(waived_on(&checked, "NW-PASSWORD-POLICY"), ["asset:pc1"]);
    assert_eq!(waived_on(&checked, "NW-REMOVE-UNNEEDED-USERS"), ["asset:pc1", "asset:pc2"]);
    assert_eq!(problems(&checked, UNUSED), ["`NW-PASSWORD-POLICY` waives nothing on `asset:pc2`: it is met there"]);
    // A set scope does not warn about each asset it brings in.
    let checked = check_plant(&plant, &format!("waive NW-PASSWORD-POLICY on assets in zone office {BODY}\n"));
    assert!(problems(&checked, UNUSED).is_empty(), "{:?}", problems(&checked, UNUSED));
}

/// The entities a WAIVER-COMPENSATING-MISSING finding names in its notes,
/// or in its message when there is one.
fn lacking(checked: &Checked) -> Vec<String> {
    problems(checked, COMPENSATING_MISSING)
}

#[test]
fn compensating_controls_are_checked_on_every_entity_a_kind_waiver_excuses() {
    let plant = PLANT.replace("ip 10.1.0.5 }", "ip 10.1.0.5; controls [physical-access-control] }");
    let checked = check_plant(
        &plant,
        "waive NW-PASSWORD-POLICY on assets of kind workstation { reason \"r\"; until 2027-01-31; compensating [physical-access-control] }\n",
    );
    assert_eq!(
        lacking(&checked),
        ["2 entities whose findings the waiver hides lack its compensating controls: `pc2` (`physical-access-control`), `eng` (`physical-access-control`)"]
    );
    let finding = checked.findings.problems.iter().find(|f| f.rule == COMPENSATING_MISSING).unwrap();
    assert_eq!(finding.notes.len(), 2, "each entity lacking it is pointed at");
}

#[test]
fn compensating_controls_are_checked_on_a_plant_waiver_too() {
    let checked = check(
        "waive NW-PASSWORD-POLICY on plant T { reason \"r\"; until 2027-01-31; compensating [physical-access-control] }\n",
    );
    assert!(lacking(&checked)[0].starts_with("3 entities"), "{:?}", lacking(&checked));
    assert_eq!(waived_on(&checked, "NW-PASSWORD-POLICY"), ["asset:eng", "asset:pc1", "asset:pc2"]);
}

#[test]
fn a_zone_scope_inherits_the_zone_controls_and_checks_each_asset() {
    let compensating = "{ reason \"r\"; until 2027-01-31; compensating [physical-access-control] }\n";
    let plant = PLANT.replace(
        "zone office \"Office\" { subnet 10.1.0.0/24 }",
        "zone office \"Office\" { subnet 10.1.0.0/24; controls [physical-access-control] }",
    );
    let checked =
        check_plant(&plant, &format!("waive NW-PASSWORD-POLICY on zone office and its assets {compensating}"));
    assert!(lacking(&checked).is_empty(), "{:?}", lacking(&checked));
    assert_eq!(waived_on(&checked, "NW-PASSWORD-POLICY"), ["asset:pc1", "asset:pc2"]);
    let checked = check(&format!("waive NW-PASSWORD-POLICY on zone control and its assets {compensating}"));
    assert_eq!(lacking(&checked), ["`eng` does not have the compensating control `physical-access-control`"]);
}

#[test]
fn entities_a_waiver_does_not_hide_findings_on_are_not_asked_for_controls() {
    // pc2 meets the rule: the waiver excuses nothing on it, so its controls do not matter.
    let plant = PLANT
        .replace("ip 10.1.0.5 }", "ip 10.1.0.5; controls [physical-access-control] }")
        .replace("ip 10.1.0.6 }", "ip 10.1.0.6; controls [password-policy] }");
    let checked = check_plant(
        &plant,
        "waive NW-PASSWORD-POLICY on assets in zone office { reason \"r\"; until 2027-01-31; compensating [physical-access-control] }\n",
    );
    assert!(lacking(&checked).is_empty(), "{:?}", lacking(&checked));
}
