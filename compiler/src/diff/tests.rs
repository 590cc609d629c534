//! The diff on in-memory projects: matching, renames, pairing of flows,
//! and the ratings that need more than one entity to judge.

use super::*;
use crate::{check_with, MemorySource, Options};

const PLANT: &str = r#"plant "T"
zone internet "Internet" : untrusted
zone dmz "DMZ" { subnet 10.0.0.0/24 }
zone office "Office" { subnet 10.1.0.0/24 }
zone control "Control" {
  subnet 10.2.0.0/24
  tier high
  controls [segmentation-physical]
}
asset fw "FW" {
  kind firewall
  interfaces { internet 203.0.113.1; dmz 10.0.0.1; office 10.1.0.1; control 10.2.0.1 }
}
asset jump "Jump host" in dmz { kind server  ip 10.0.0.10 }
asset ws "WS" in office { kind workstation  ip 10.1.0.10 }
asset plc "PLC" in control { kind plc  ip 10.2.0.10  services [modbus-tcp] }
conduit office_to_control from office to control {
  allow ws -> plc service modbus-tcp { functions [read] }
  enforced-by fw
}
"#;

fn checked(plant: &str) -> Checked {
    let source = MemorySource::new("t").with_file("plant.kojo", plant);
    let checked = check_with(&source, &Options::default());
    assert!(checked.model.is_some(), "{:?}", checked.diagnostics);
    checked
}

fn between(before: &str, after: &str) -> Diff {
    diff(&checked(before), &checked(after)).unwrap()
}

/// `risk entity facet kind` of each change.
fn lines(diff: &Diff) -> Vec<String> {
    diff.changes
        .iter()
        .map(|c| format!("{} {} {} {:?}", c.risk.id(), c.entity, c.facet.as_deref().unwrap_or("-"), c.kind))
        .collect()
}

#[test]
fn the_same_plant_written_otherwise_is_no_change() {
    let reordered = PLANT.replace("zone dmz \"DMZ\" { subnet 10.0.0.0/24 }\n", "")
        + "zone dmz \"DMZ\" {\n  subnet 10.0.0.0/24\n}\n// end\n";
    let diff = between(PLANT, &reordered);
    assert!(diff.changes.is_empty() && (diff.introduced.total == 0) && (diff.fixed.total == 0), "{:?}", lines(&diff));
    assert_eq!(diff.risk(), None);
}

#[test]
fn a_renamed_zone_renames_nothing_else() {
    let renamed = PLANT.replace("office", "engineering");
    let diff = between(PLANT, &renamed);
    // The conduit's name changed too (`engineering_to_control`): a second rename, nothing more.
    assert_eq!(lines(&diff), ["low conduit:engineering_to_control - Renamed", "low zone:engineering - Renamed"]);
    assert!((diff.introduced.total == 0) && (diff.fixed.total == 0));
}

#[test]
fn a_flow_between_the_same_hosts_is_one_change() {
    let widened = PLANT.replace("{ functions [read] }", "{ functions [read, write] }");
    let diff = between(PLANT, &widened);
    assert_eq!(lines(&diff), ["medium conduit:office_to_control flow Changed"]);
    let change = &diff.changes[0];
    assert_eq!(change.before.as_deref(), Some("ws -> plc service modbus-tcp functions [read]"));
    assert_eq!(change.after.as_deref(), Some("ws -> plc service modbus-tcp functions [read, write]"));
    // Back again narrows: low.
    assert_eq!(lines(&between(&widened, PLANT)), ["low conduit:office_to_control flow Changed"]);
}

#[test]
fn a_path_through_a_stepping_stone_is_one_high_change_per_outside_zone() {
    let opened = format!(
        "{PLANT}conduit internet_to_dmz from internet to dmz {{\n  allow any -> jump service https\n  enforced-by fw\n}}\n\
         conduit dmz_to_control from dmz to control {{\n  allow jump -> plc service https\n  enforced-by fw\n}}\n"
    );
    let diff = between(PLANT, &opened);
    let paths: Vec<&Change> = diff.changes.iter().filter(|c| c.entity.starts_with("path:")).collect();
    assert_eq!(paths.len(), 1, "{:?}", lines(&diff));
    assert_eq!(paths[0].entity, "path:internet");
    assert_eq!(paths[0].after.as_deref(), Some("control (tier high) via internet_to_dmz, dmz_to_control"));
    assert_eq!(diff.risk(), Some(Risk::High));
}

#[test]
fn a_control_the_tier_requires_is_high_and_one_it_does_not_is_medium() {
    let without = PLANT.replace("  controls [segmentation-physical]\n", "");
    let diff = between(PLANT, &without);
    let zone: Vec<&Change> = diff.changes.iter().filter(|c| c.entity == "zone:control").collect();
    assert_eq!(zone.len(), 1, "{:?}", lines(&diff));
    assert_eq!((zone[0].risk, zone[0].before.as_deref()), (Risk::High, Some("segmentation-physical")));
    // Findings follow: the requirement now fails.
    assert!(diff.introduced.findings.iter().any(|f| f.rule == "NW-SEGMENT-PHYSICAL"), "{:?}", diff.introduced);
    let back = between(&without, PLANT);
    assert!(back.fixed.findings.iter().any(|f| f.rule == "NW-SEGMENT-PHYSICAL"), "{:?}", back.fixed);
}

#[test]
fn a_renamed_conduit_with_another_change_is_a_rename_and_that_change() {
    let changed = PLANT
        .replace("conduit office_to_control from", "conduit eng_access from")
        .replace("  enforced-by fw\n}", "  controls [firewall]\n  enforced-by fw\n}");
    let diff = between(PLANT, &changed);
    let lines = lines(&diff);
    assert!(lines.contains(&"low conduit:eng_access - Renamed".to_string()), "{lines:?}");
    assert!(!lines.iter().any(|l| l.contains("Added") || l.contains("Removed")), "{lines:?}");
    assert!((diff.introduced.total == 0), "{:?}", diff.introduced);
}

#[test]
fn lowering_a_tier_does_not_hide_the_path_the_same_change_opens() {
    let lowered = PLANT.replace("  tier high\n", "").replace("  controls [segmentation-physical]\n", "")
        + "conduit vendor from internet to control {\n  allow any -> plc service https\n  enforced-by fw\n}\n";
    let diff = between(PLANT, &lowered);
    let path = diff.changes.iter().find(|c| c.entity == "path:internet");
    assert!(path.is_some_and(|p| p.risk == Risk::High), "{:?}", lines(&diff));
}

#[test]
fn monitoring_a_function_limit_instead_of_enforcing_it_is_high() {
    let monitored = PLANT.replace("  enforced-by fw\n}", "  enforced-by fw\n  inspection monitor\n}");
    let diff = between(PLANT, &monitored);
    assert_eq!(lines(&diff), ["high conduit:office_to_control inspection Changed"]);
    assert_eq!(diff.changes[0].after.as_deref(), Some("monitor"));
    // Writing the default out changes nothing; enforcing again is low.
    let explicit = PLANT.replace("  enforced-by fw\n}", "  enforced-by fw\n  inspection inline\n}");
    assert!(between(PLANT, &explicit).changes.is_empty());
    assert_eq!(lines(&between(&monitored, PLANT)), ["low conduit:office_to_control inspection Changed"]);
}

#[test]
fn a_function_limited_flow_moved_into_a_monitored_conduit_is_high() {
    let plant = format!(
        "{PLANT}asset hmi \"HMI\" in office {{ kind hmi  ip 10.1.0.11 }}\n\
         conduit office_watch from office to control {{\n  allow hmi -> plc service https\n  enforced-by fw\n  inspection monitor\n}}\n"
    )
    .replace("conduit office_to_control from office to control {", "conduit office_to_control from office to control {\n  allow hmi -> plc service https");
    let moved = plant
        .replace("  allow ws -> plc service modbus-tcp { functions [read] }\n", "")
        .replace("  allow hmi -> plc service https\n  enforced-by fw\n  inspection monitor", "  allow hmi -> plc service https\n  allow ws -> plc service modbus-tcp { functions [read] }\n  enforced-by fw\n  inspection monitor");
    let diff = between(&plant, &moved);
    let added = diff.changes.iter().find(|c| c.entity == "conduit:office_watch").expect("the flow added");
    assert_eq!(added.risk, Risk::High, "{:?}", lines(&diff));
    assert!(added.reason.contains("only alerts"), "{}", added.reason);
}

#[test]
fn removing_a_function_limit_is_high_and_monitoring_no_limit_is_low() {
    let unlimited = PLANT.replace(" { functions [read] }", "");
    let diff = between(PLANT, &unlimited);
    assert_eq!(lines(&diff).first().map(String::as_str), Some("high conduit:office_to_control flow Changed"));
    // `inspection monitor` where no flow limits functions weakens nothing.
    let monitored = unlimited.replace("  enforced-by fw\n}", "  enforced-by fw\n  inspection monitor\n}");
    assert_eq!(lines(&between(&unlimited, &monitored)), ["low conduit:office_to_control inspection Changed"]);
    // …but a limited service added to a flow of that monitored conduit is only watched.
    let https = monitored.replace("allow ws -> plc service modbus-tcp", "allow ws -> plc service https");
    let both = monitored.replace(
        "allow ws -> plc service modbus-tcp",
        "allow ws -> plc service [https, modbus-tcp] { functions [read] }",
    );
    let diff = between(&https, &both);
    assert_eq!(diff.risk(), Some(Risk::High), "{:?}", lines(&diff));
}

#[test]
fn a_capability_declared_away_is_high_risk() {
    let without = PLANT.replace("kind plc  ip 10.2.0.10", "kind plc  ip 10.2.0.10  capabilities []");
    let diff = between(PLANT, &without);
    assert_eq!(lines(&diff), ["high asset:plc capabilities Removed"]);
    assert!(diff.changes[0].reason.contains("no longer apply"), "{}", diff.changes[0].reason);
    let with =
        PLANT.replace("kind plc  ip 10.2.0.10", "kind plc  ip 10.2.0.10  capabilities [on-premises, user-accounts]");
    let added = between(PLANT, &with);
    assert!(lines(&added).contains(&"low asset:plc capabilities Added".to_owned()), "{:?}", lines(&added));
}

#[test]
fn a_software_component_updated_is_a_low_risk_change() {
    let before =
        PLANT.replace("kind plc  ip 10.2.0.10", "kind plc  ip 10.2.0.10  component \"Runtime\" { version \"1.0\" }");
    let after =
        PLANT.replace("kind plc  ip 10.2.0.10", "kind plc  ip 10.2.0.10  component \"Runtime\" { version \"1.1\" }");
    let diff = between(&before, &after);
    assert_eq!(lines(&diff), ["low asset:plc components Changed"]);
    assert_eq!(lines(&between(&before, &before)), Vec::<String>::new());
}

#[test]
fn pinning_a_zone_level_is_a_low_risk_change_of_its_own() {
    let pinned =
        PLANT.replace("zone dmz \"DMZ\" { subnet 10.0.0.0/24 }", "zone dmz \"DMZ\" { subnet 10.0.0.0/24  level dmz }");
    assert_eq!(lines(&between(PLANT, &pinned)), ["low zone:dmz level Added"]);
}

#[test]
fn a_baseline_without_renames_carries_what_the_snapshots_would() {
    let waived = format!(
        "{PLANT}waive NW-MFA on asset plc {{\n  reason \"r\"\n  until 2099-01-01\n  compensating [segmentation-physical]\n}}\n"
    );
    let (before, after) = (checked(&waived), checked(&waived.replace("\"WS\"", "\"Workstation\"")));
    assert!(!rename::possible(before.model.as_ref().unwrap(), after.model.as_ref().unwrap()));
    let shortcut = carried_fingerprints(&before, &after).unwrap();
    assert!(!shortcut.is_empty());
    // The snapshot path, whatever `possible` says.
    assert_eq!(shortcut, carried(&Snapshot::of(&before).unwrap(), &Snapshot::entities_of(&after).unwrap()));
}

#[test]
fn a_finding_waived_under_a_renamed_entity_is_waived_not_fixed() {
    let before = checked(PLANT);
    let rule = before
        .findings
        .kept
        .iter()
        .find(|f| f.target == crate::model::EntityRef::Asset(before.model.as_ref().unwrap().assets[3].id))
        .map(|f| f.rule.clone())
        .expect("the PLC has a finding");
    // The PLC renamed, and that finding waived under its new name.
    let after = PLANT.replace("asset plc ", "asset plc_a ").replace("ws -> plc ", "ws -> plc_a ")
        + &format!("waive {rule} on asset plc_a {{\n  reason \"r\"\n  until 2099-01-01\n}}\n");
    let diff = between(PLANT, &after);
    assert!(diff.waived.findings.iter().any(|f| f.rule == rule), "{:?}", diff.waived);
    assert!(!diff.fixed.findings.iter().any(|f| f.rule == rule), "{:?}", diff.fixed);
}
