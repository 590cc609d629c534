#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::collections::BTreeSet;

use kojo_compiler::{check_with, MemorySource, Options};
use kojo_stdlib::Transport;

use super::matches::{forbidden, Match};
use super::*;
use crate::enforcement::{render_backend, Request};

fn service(id: &str) -> &'static Service {
    Catalogue::builtin().unwrap().service(id).unwrap()
}

fn allowed(id: &str, functions: &[&str]) -> BTreeSet<u32> {
    let s = service(id);
    functions.iter().flat_map(|f| s.function(f).unwrap().codes.iter().copied()).collect()
}

fn options(found: &[Match]) -> Vec<&str> {
    found.iter().map(|m| m.options.as_str()).collect()
}

#[test]
fn modbus_read_only_catches_every_other_function_code() {
    let found = forbidden(service("modbus-tcp"), &allowed("modbus-tcp", &["read"])).unwrap();
    let options = options(&found);
    for code in (5..=24).chain([43]) {
        assert!(options.contains(&format!("modbus: function {code};").as_str()), "no rule for FC {code}");
    }
    for code in 1..=4 {
        assert!(!options.contains(&format!("modbus: function {code};").as_str()), "FC {code} is allowed");
    }
    assert!(options.contains(&"modbus: function !assigned;"));
    assert_eq!(found.len(), 21 + 1);
    assert!(found.iter().all(|m| !m.payload));
    let write = found.iter().find(|m| m.key == "code 16").unwrap();
    assert_eq!(write.what, "function 16 (write)");
    let unknown = found.iter().find(|m| m.key == "code 9").unwrap();
    assert_eq!(unknown.what, "function 9 (not in the catalogue)");
}

#[test]
fn slmp_read_only_matches_command_ranges_in_both_frame_layouts() {
    let found = forbidden(service("slmp"), &allowed("slmp", &["read"])).unwrap();
    // Around 0x0401, 0x0403, 0x0406, 0x041A, 0x041C: six ranges per layout.
    let e3: Vec<&Match> = found.iter().filter(|m| m.key.starts_with("3E") && m.key.contains('-')).collect();
    assert_eq!(e3.len(), 6);
    let options = options(&found);
    let header = "dsize:>12; content:\"|50 00|\"; depth:2;";
    assert!(options.contains(&format!("{header} byte_test:2,<,1025,11,little;").as_str()), "{options:#?}");
    assert!(options.contains(&format!("{header} byte_test:2,=,1026,11,little;").as_str()));
    assert!(options.contains(&format!("{header} byte_test:2,>,1030,11,little; byte_test:2,<,1050,11,little;").as_str()));
    assert!(options.contains(&format!("{header} byte_test:2,>,1052,11,little;").as_str()));
    assert!(options.contains(&"dsize:>16; content:\"|54 00|\"; depth:2; byte_test:2,=,1026,15,little;"));
    assert!(options.contains(&"dsize:>8; content:\"|50 00|\"; depth:2; byte_jump:2,7,little; isdataat:1,relative;"));
    assert!(options.contains(&"dsize:>0; content:!\"|50 00|\"; depth:2; content:!\"|54 00|\"; depth:2;"));
    // A frame must be whole in its packet: cut before the command, or
    // shorter than its length field says.
    assert!(options.contains(&"dsize:<13; content:\"|50 00|\"; depth:2;"));
    assert!(options.contains(
        &"dsize:>8; content:\"|50 00|\"; depth:2; byte_extract:2,7,kojo_length,little; isdataat:!kojo_length,relative;"
    ));
    assert!(options.contains(&"dsize:<17; content:\"|54 00|\"; depth:2;"));
    // The I/O no. outside what SLMP defines (a Modbus MBAP length reads as
    // 0x0200-0xFE00 there), and 4E's reserved field other than 0.
    assert!(options
        .contains(&"dsize:>5; content:\"|50 00|\"; depth:2; byte_test:2,>,511,4,little; byte_test:2,<,976,4,little;"));
    assert!(options.contains(&"dsize:>5; content:\"|50 00|\"; depth:2; byte_test:2,>,1023,4,little;"));
    assert!(options.contains(&"dsize:>5; content:\"|54 00|\"; depth:2; byte_test:2,>,0,4,little;"));
    assert!(options
        .contains(&"dsize:>9; content:\"|54 00|\"; depth:2; byte_test:2,>,995,8,little; byte_test:2,<,1023,8,little;"));
    assert_eq!(found.len(), 2 * (6 + 3 + 4) + 1 + 1);
    assert!(found.iter().all(|m| m.payload));
    // No allowed command falls in a range.
    let ranges: Vec<(u32, u32)> = found
        .iter()
        .filter_map(|m| m.key.strip_prefix("3E binary request "))
        .filter_map(|r| r.split_once('-'))
        .map(|(a, b)| (a.parse().unwrap(), b.parse().unwrap()))
        .collect();
    for code in allowed("slmp", &["read"]) {
        assert!(ranges.iter().all(|(a, b)| !(a..=b).contains(&&code)), "{code:#x} is caught");
    }
    let covered: u32 = ranges.iter().map(|(a, b)| b - a + 1).sum();
    assert_eq!(covered, 0x10000 - 5);
}

#[test]
fn dnp3_names_catalogued_codes_and_ranges_the_rest() {
    let found = forbidden(service("dnp3"), &allowed("dnp3", &["read"])).unwrap();
    let options = options(&found);
    assert!(options.contains(&"dnp3_func:2;") && !options.contains(&"dnp3_func:1;"));
    assert!(options.contains(&"dnp3_data; byte_test:1,>,33,1; byte_test:1,<,129,1;"));
    assert!(options.contains(&"dnp3_data; byte_test:1,>,131,1;"));
    assert_eq!(found.len(), (34 + 3 - 1) + 2);
}

#[test]
fn cip_lists_every_other_service_code() {
    let found = forbidden(service("ethernet-ip"), &allowed("ethernet-ip", &["get-attribute", "read-tag"])).unwrap();
    assert_eq!(found.len(), 128 - 4);
    assert!(options(&found).contains(&"cip_service:77;"));
    assert!(!options(&found).contains(&"cip_service:76;"));
}

#[test]
fn protocols_without_inspection_data_are_refused() {
    let err = forbidden(service("s7comm"), &allowed("s7comm", &["read-var"])).unwrap_err();
    assert!(err.contains("no inspection data for s7comm"), "{err}");
    let suricata = &SURICATA;
    let catalogue = Catalogue::builtin().unwrap();
    assert!(suricata.enforces_functions(catalogue, "modbus-tcp"));
    assert!(suricata.enforces_functions(catalogue, "slmp"));
    assert!(!suricata.enforces_functions(catalogue, "s7comm"));
    assert!(!suricata.enforces_functions(catalogue, "modbus-tls"));
    assert!(!suricata.enforces_functions(catalogue, "no-such-service"));
}

const PLANT: &str = r#"plant "T" { name "Test" }
zone office "Office" { subnet 10.1.0.0/24 }
zone cell "Cell" {
  subnet 10.3.0.0/24
  subnet fd00:3::/64
  tier high
}
asset fw "FW" {
  kind firewall
  interfaces { office 10.1.0.1; cell 10.3.0.1 }
}
asset scada "SCADA" in office { kind server  ip 10.1.0.10 }
asset plc "PLC" in cell {
  kind plc
  ip 10.3.0.11
  ip fd00:3::11
  services [modbus-tcp, slmp]
}
conduit office_to_cell from office to cell {
  allow scada -> plc service modbus-tcp { functions [read] }
  allow scada -> plc service slmp { functions [read, write] }
  allow any -> plc service https
  enforced-by fw
}
"#;

fn render(plant: &str) -> Result<Vec<Artifact>, Vec<kojo_lang::Diagnostic>> {
    let mut source = MemorySource::new("t").with_file("plant.kojo", plant);
    source.manifest = Some("project \"t\"\nprofile \"meti-factory\"\nbackend \"suricata\"\n".into());
    let checked =
        check_with(&source, &Options { backends: crate::enforcement::names(), today: None, ..Default::default() });
    // Guideline findings (missing controls) do not stop a build's model.
    let messages: Vec<&str> = checked.diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert!(checked.model.is_some(), "{messages:#?}");
    let (model, manifest, catalogue) =
        (checked.model.as_ref().unwrap(), checked.manifest.as_ref().unwrap(), checked.catalogue.as_ref().unwrap());
    render_backend(&Request { model, catalogue, tiers: &checked.tiers, manifest }, &SURICATA)
}

#[test]
fn an_inline_flow_drops_and_every_rule_is_traced() {
    let files = render(PLANT).unwrap();
    assert_eq!(files.len(), 2);
    let file = &files[1];
    assert_eq!(file.path, "fw/suricata.rules");
    let rules: Vec<(usize, &str)> =
        file.content.lines().enumerate().filter(|(_, l)| !l.is_empty() && !l.starts_with('#')).collect();
    assert!(!rules.is_empty());
    for (index, line) in &rules {
        // Only the rules that mark a flow as Modbus are `alert`, and they never alert.
        assert!(line.starts_with("drop ") || line.contains("flowbits:noalert;"), "{line}");
        assert!(line.ends_with("rev:1;)"), "{line}");
        let trace = file.trace(index + 1).unwrap_or_else(|| panic!("line {} is not traced: {line}", index + 1));
        assert_eq!(&*trace.conduit, "office_to_cell");
    }
    // Both addresses of the PLC, IPv6 included; the parser's header for Modbus.
    let fc5 = rules.iter().find(|(_, l)| l.contains("modbus: function 5;")).unwrap().1;
    assert!(fc5.starts_with("drop modbus 10.1.0.10 any -> [10.3.0.11,fd00:3::11] 502 (msg:\"kojo office_to_cell#1 modbus-tcp: function 5 (write) is outside [read]\"; flow:established,to_server; modbus: function 5; classtype:policy-violation; sid:"), "{fc5}");
    // SLMP over TCP and UDP, by bytes; the flow's `write` commands pass.
    assert!(rules.iter().any(|(_, l)| l.starts_with("drop tcp 10.1.0.10 any -> [10.3.0.11,fd00:3::11] 5007 ")));
    assert!(rules.iter().any(|(_, l)| l.starts_with("drop udp 10.1.0.10 any -> [10.3.0.11,fd00:3::11] 5006 (")
        && l.contains("flow:to_server;")));
    assert!(!rules.iter().any(|(_, l)| l.contains("byte_test:2,=,5121,11")), "0x1401 (batch write) is allowed");
    // The https flow is not industrial: no block for it.
    assert!(!file.content.contains("flow 3"), "{}", file.content);
    // The settings enable the Modbus parser on the flow's port, no other.
    let yaml = &files[0];
    assert_eq!(yaml.path, "fw/suricata-kojo.yaml");
    assert!(yaml.content.contains("# kojo: conduit office_to_cell flow 1\napp-layer.protocols.modbus.enabled: yes\napp-layer.protocols.modbus.detection-ports.dp: \"502\"\n"), "{}", yaml.content);
    // One dotted key per setting: an included file that names a whole
    // section (`stream:`) would replace the operator's.
    let top: Vec<&str> =
        yaml.content.lines().filter(|l| !l.starts_with(['#', ' ', '%', '-']) && !l.is_empty()).collect();
    assert!(
        top.iter().all(|l| l.contains('.') || l.starts_with("action-order:") || l.starts_with("exception-policy:")),
        "{top:?}"
    );
    assert!(!yaml.content.contains("dnp3") && yaml.content.contains("exception-policy: drop-flow\n"));
    let traced = yaml.content.lines().position(|l| l.contains("# kojo: conduit office_to_cell flow 1")).unwrap();
    assert_eq!(yaml.trace(traced + 1).unwrap().flow, 1);
    // sids are unique.
    let sids: Vec<&str> = rules.iter().map(|(_, l)| l.split("sid:").nth(1).unwrap()).collect();
    assert_eq!(sids.iter().collect::<BTreeSet<_>>().len(), sids.len());
    // Same input, same bytes.
    assert_eq!(render(PLANT).unwrap(), files);
}

#[test]
fn monitored_flows_alert_and_flows_without_functions_are_noted() {
    let plant = PLANT
        .replace("  enforced-by fw\n", "  enforced-by fw\n  inspection monitor\n")
        .replace("service slmp { functions [read, write] }", "service slmp");
    let files = render(&plant).unwrap();
    let content = &files[1].content;
    // Nothing is enforced inline: Suricata may run as an IDS.
    assert!(files[0].content.contains("exception-policy: auto\n"));
    assert!(
        content.lines().filter(|l| !l.starts_with('#') && !l.is_empty()).all(|l| l.starts_with("alert ")),
        "{content}"
    );
    assert!(
        content.contains("# scada -> plc slmp: every function allowed (no `functions`), nothing to inspect"),
        "{content}"
    );
}

#[test]
fn a_device_without_industrial_flows_gets_no_file() {
    let plant = PLANT
        .replace("  allow scada -> plc service modbus-tcp { functions [read] }\n", "")
        .replace("  allow scada -> plc service slmp { functions [read, write] }\n", "");
    assert_eq!(render(&plant).unwrap(), vec![]);
}

#[test]
fn a_protocol_without_inspection_data_fails_closed() {
    let plant = PLANT.replace("services [modbus-tcp, slmp]", "services [modbus-tcp, slmp, s7comm]").replace(
        "  allow any -> plc service https\n",
        "  allow scada -> plc service s7comm { functions [read-var] }\n",
    );
    let errors = render(&plant).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let message = &errors[0].message;
    assert!(message.contains("flow 3 of conduit `office_to_cell`") && message.contains("s7comm"), "{message}");
    assert!(errors[0].help.as_ref().is_some_and(|h| h.contains("[services.inspection]")), "{:?}", errors[0].help);
}

#[test]
fn guards_hold_a_parsed_flow_to_its_protocol() {
    let modbus = service("modbus-tcp").inspection.as_ref().unwrap();
    let tcp = |port| PortRange { protocol: Transport::Tcp, port, end: None };
    let found = super::guards::guards(modbus, &[tcp(502)], &[tcp(5007)]);
    let options: Vec<&str> = found.iter().map(|g| g.options.as_str()).collect();
    assert_eq!(
        options[..2],
        [
            "flow:established,to_server; app-layer-protocol:modbus; flowbits:set,kojo.modbus; flowbits:noalert;",
            "flow:established,to_server; dsize:>0; flowbits:isnotset,kojo.modbus;",
        ]
    );
    // The setter is an `alert` that never alerts; the check takes the flow's action.
    assert_eq!((found[0].action, found[1].action), (Some("alert"), None));
    assert!(options.contains(&"flow:established,to_server; app-layer-event:modbus.invalid_length;"));
    let elsewhere = found.iter().find(|g| g.key == "modbus elsewhere").unwrap();
    assert_eq!((elsewhere.proto.as_str(), elsewhere.ports.clone()), ("modbus", vec![tcp(5007)]));
    // ENIP: whole encapsulations per segment; udp/2222 (cyclic I/O) is not required to be ENIP.
    let enip = service("ethernet-ip").inspection.as_ref().unwrap();
    let udp = |port| PortRange { protocol: Transport::Udp, port, end: None };
    let found = super::guards::guards(enip, &[tcp(44818), udp(44818), udp(2222)], &[]);
    assert!(found.iter().all(|g| !g.ports.contains(&udp(2222))));
    let cut = found.iter().find(|g| g.key == "pdu cut").unwrap();
    assert_eq!(
        cut.options,
        "flow:established,to_server; dsize:>23; byte_math:bytes 2, offset 2, oper +, rvalue 23, result kojo_end, endian little; isdataat:!kojo_end;"
    );
}

#[test]
fn a_service_none_of_whose_functions_is_listed_allows_no_request() {
    let none = BTreeSet::new();
    // SLMP: one range, every command, per frame layout: any whole frame.
    let slmp = forbidden(service("slmp"), &none).unwrap();
    let slmp = options(&slmp);
    assert!(slmp.contains(&"dsize:>12; content:\"|50 00|\"; depth:2;"), "{slmp:#?}");
    assert!(slmp.contains(&"dsize:>16; content:\"|54 00|\"; depth:2;"), "{slmp:#?}");
    // Modbus: every code the keyword names, and the rest.
    let modbus = forbidden(service("modbus-tcp"), &none).unwrap();
    let modbus = options(&modbus);
    for code in (1..=24).chain([43]) {
        assert!(modbus.contains(&format!("modbus: function {code};").as_str()), "no rule for FC {code}");
    }
    assert!(modbus.contains(&"modbus: function !assigned;"));
}
