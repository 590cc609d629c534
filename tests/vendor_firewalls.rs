//! The vendor firewall formats (Cisco ASA, FortiGate, Juniper SRX): golden
//! files of the example plant and of a small dual-stack lab, structural
//! checks on every file (each flow rendered and traced, every object
//! defined before it is used, names within the platform's limits, plain
//! ASCII, the same bytes on every run), and the flows and interface names
//! these formats refuse.
//!
//! No vendor device or maintained syntax checker for these CLIs runs here,
//! so the structure is checked by the tests themselves and the syntax by
//! the reviewed golden files.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use kojo_backends::cisco_asa::CISCO_ASA;
use kojo_backends::fortigate::FORTIGATE;
use kojo_backends::juniper_srx::JUNIPER_SRX;
use kojo_backends::policy::{DeviceSettings, Policy};
use kojo_backends::{Artifact, Backend};
use kojo_lang::Diagnostic;

#[path = "vendor_firewalls/evaluate.rs"]
mod evaluate;
#[path = "vendor_firewalls/fortios.rs"]
mod fortios;
#[path = "vendor_firewalls/reference.rs"]
mod reference;
#[path = "vendor_firewalls/sessions.rs"]
mod sessions;
#[path = "vendor_firewalls/structure.rs"]
mod structure;

use evaluate::Packet;
use reference::{probes, Reference};
use structure::{check_asa, check_fortigate, check_srx, flows_of};

const EXAMPLE: &str = "examples/guideline-factory";

/// The lab's interface names, per backend: ASA nameifs, FortiGate ports,
/// Junos logical interfaces.
fn lab_interfaces(backend: &str) -> [(&'static str, &'static str); 4] {
    match backend {
        "cisco-asa" => [("internet", "outside"), ("vendor", "vendor"), ("office", "inside"), ("control", "control")],
        "fortigate" => [("internet", "wan1"), ("vendor", "port2"), ("office", "port3"), ("control", "port4")],
        _ => [("internet", "ge-0/0/0.0"), ("vendor", "ge-0/0/1.0"), ("office", "reth0.10"), ("control", "reth0.20")],
    }
}

/// A dual-stack lab: `any` on zones with and without subnets, raw ports and
/// ranges, several services in one flow, hosts with several addresses, a
/// host in two zones, a window in Tokyo time on a device whose clock runs
/// on UTC (two ranges on some days), and one in UTC.
const LAB: &str = r#"plant "LAB1" { profile meti-factory }

zone internet "Internet" : untrusted
zone vendor "Vendor centre" : external
zone office "Office" {
  subnet 10.10.0.0/24
  subnet fd00:10::/64
}
zone control "Control" {
  subnet 10.20.0.0/24
  subnet fd00:20::/64
  tier high
}

asset fw1 "Lab firewall" {
  kind firewall
  interfaces { internet 203.0.113.1; vendor 198.51.100.1; office 10.10.0.1; control fd00:20::1 }
}
asset jump "Jump host in both zones" {
  kind server
  interfaces { office 10.10.0.5; control 10.20.0.5 }
}
asset pc1 "Dual-stack PC" in office { kind workstation; ip 10.10.0.10; ip fd00:10::10 }
asset pc2 "IPv4 PC" in office { kind workstation; ip 10.10.0.11 }
asset plc1 "PLC" in control { kind plc; ip 10.20.0.10 }
asset scada "SCADA" in control { kind scada; ip 10.20.0.20; ip fd00:20::20 }
asset hist "Historian" in control { kind server; ip fd00:20::30 }
asset vendor_ops "Vendor terminal" in vendor { kind workstation; ip 198.51.100.50 }

conduit office_to_control "Office to the floor" from office to control {
  allow [pc1, pc2] -> [plc1, scada] service modbus-tcp
  allow pc1 -> hist port [tcp/8080, udp/5000-5010]
  allow any -> scada service [https, dns]
  allow jump -> plc1 service ssh
  controls [firewall, device-logs]
  enforced-by fw1
}

conduit control_to_office "The jump host's file share" from control to office {
  allow jump -> pc1 service smb
  controls [firewall]
  enforced-by fw1
}

conduit internet_to_office "Web server, office hours in Tokyo" from internet to office {
  allow any -> pc1 service https
  controls [firewall]
  enforced-by fw1
  window "Mon-Fri 07:00-20:00 Asia/Tokyo"
}

conduit control_to_internet "Updates" from control to internet {
  allow scada -> any port tcp/443
  controls [firewall]
  enforced-by fw1
}

conduit vendor_to_control "Vendor maintenance on Saturday nights" from vendor to control {
  allow vendor_ops -> plc1 service https
  allow any -> any port tcp/102
  controls [firewall]
  enforced-by fw1
  window "Sat 22:00-24:00 UTC"
}
"#;

fn vendors() -> [&'static dyn Backend; 3] {
    [&CISCO_ASA, &FORTIGATE, &JUNIPER_SRX]
}

fn checked(dir: &Path) -> kojo_compiler::Checked {
    let checked = kojo_compiler::check_with(
        &kojo_compiler::DiskSource::new(dir),
        &kojo_compiler::Options { backends: kojo_backends::names(), today: None, ..Default::default() },
    );
    let errors: Vec<&Diagnostic> = checked
        .diagnostics
        .iter()
        .filter(|d| d.severity == kojo_lang::Severity::Error && d.code != kojo_lang::Code::Finding)
        .collect();
    assert!(errors.is_empty(), "{}: {errors:#?}", dir.display());
    checked
}

fn render_dir(dir: &Path, backend: &dyn Backend) -> Result<Vec<Artifact>, Vec<Diagnostic>> {
    let checked = checked(dir);
    let (model, manifest, catalogue) =
        (checked.model.as_ref().unwrap(), checked.manifest.as_ref().unwrap(), checked.catalogue.as_ref().unwrap());
    let request = kojo_backends::Request { model, catalogue, tiers: &checked.tiers, manifest };
    kojo_backends::render_backend(&request, backend)
}

/// The policy every backend renders, lowered with the manifest's device
/// settings as `kojo build` does.
fn policy(dir: &Path) -> Policy {
    let checked = checked(dir);
    let (model, manifest, catalogue) =
        (checked.model.as_ref().unwrap(), checked.manifest.as_ref().unwrap(), checked.catalogue.as_ref().unwrap());
    let settings: BTreeMap<String, DeviceSettings> = manifest
        .devices
        .iter()
        .map(|d| {
            let interfaces = d.interfaces.iter().map(|(z, n)| (z.value.clone(), n.value.clone())).collect();
            (
                d.name.value.clone(),
                DeviceSettings { interfaces, timezone: d.timezone.as_ref().map(|t| t.value.clone()) },
            )
        })
        .collect();
    kojo_backends::policy::lower(model, catalogue, &checked.tiers, &settings).unwrap()
}

/// `device` blocks for a manifest.
fn device_blocks(devices: &[(&str, &[(&str, &str)])]) -> String {
    let mut text = String::new();
    for (device, interfaces) in devices {
        text.push_str(&format!("device \"{device}\" {{\n"));
        for (zone, name) in *interfaces {
            text.push_str(&format!("  interface \"{zone}\" \"{name}\"\n"));
        }
        text.push_str("}\n");
    }
    text
}

fn lab(backend: &str, kojo: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let manifest = format!(
        "project \"lab\"\nprofile \"meti-factory\"\nbackend \"{backend}\"\n{}",
        device_blocks(&[("fw1", &lab_interfaces(backend))])
    );
    std::fs::write(dir.path().join("kojo.kdl"), manifest).unwrap();
    std::fs::write(dir.path().join("lab.kojo"), kojo).unwrap();
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The example's enforcing devices and the zones of their interfaces.
const EXAMPLE_DEVICES: &[(&str, &[&str])] = &[
    ("vpn_fw", &["internet", "intersite", "oa"]),
    ("fw_ot", &["oa", "prod_mgmt"]),
    ("fw_floor", &["prod_mgmt", "control", "monitoring", "transport", "warehouse"]),
    ("fw_rm", &["vendor_centre", "remote_maint", "warehouse"]),
];

/// The example plant with every device on one format, its interfaces
/// named as that platform names them (ASA nameifs are the zones' names),
/// the clocks as in the example's manifest.
fn example_for(backend: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(Path::new(EXAMPLE), dir.path());
    let mut manifest = format!("project \"guideline-factory\"\nprofile \"meti-factory\"\nbackend \"{backend}\"\n");
    for (device, zones) in EXAMPLE_DEVICES {
        manifest.push_str(&format!("device \"{device}\" {{\n"));
        for (n, zone) in zones.iter().enumerate() {
            let name = match backend {
                "fortigate" if *device == "vpn_fw" => ["wan1", "wan2", "internal"][n].to_string(),
                "fortigate" => format!("port{}", n + 1),
                "juniper-srx" if *device == "fw_rm" => format!("ge-0/0/{n}"),
                "juniper-srx" => format!("ge-0/0/{n}.0"),
                _ => zone.to_string(),
            };
            manifest.push_str(&format!("  interface \"{zone}\" \"{name}\"\n"));
        }
        if *device != "fw_floor" {
            manifest.push_str("  timezone \"Asia/Tokyo\"\n");
        }
        manifest.push_str("}\n");
    }
    std::fs::write(dir.path().join("kojo.kdl"), manifest).unwrap();
    dir
}

/// Every file of the three formats for the example plant and the lab.
fn all_artifacts() -> Vec<(&'static str, Artifact)> {
    let mut out = Vec::new();
    for backend in vendors() {
        let (example, lab) = (example_for(backend.name()), lab(backend.name(), LAB));
        for (plant, dir) in [("example", example.path()), ("lab", lab.path())] {
            let artifacts = render_dir(dir, backend).unwrap_or_else(|d| panic!("{plant} {}: {d:#?}", backend.name()));
            out.extend(artifacts.into_iter().map(|a| (plant, a)));
        }
    }
    out
}

#[test]
fn golden_files() {
    let artifacts = all_artifacts();
    assert_eq!(artifacts.len(), 3 * (4 + 1));
    for (plant, artifact) in &artifacts {
        let name = format!("{plant}__{}", artifact.path.replace('/', "__"));
        insta::assert_snapshot!(name, artifact.content);
    }
}

#[test]
fn the_same_model_gives_the_same_bytes() {
    let first: Vec<String> = all_artifacts().into_iter().map(|(_, a)| a.content).collect();
    let second: Vec<String> = all_artifacts().into_iter().map(|(_, a)| a.content).collect();
    assert_eq!(first, second);
}

/// `conduit X flow N (` as every comment kojo writes says it.
fn flow_text(conduit: &str, flow: usize) -> String {
    format!("conduit {conduit} flow {flow}")
}

/// Whether `line` names that flow (`flow 1`, not `flow 12`).
fn names_flow(line: &str, conduit: &str, flow: usize) -> bool {
    let text = flow_text(conduit, flow);
    line.match_indices(&text).any(|(at, _)| !line[at + text.len()..].starts_with(|c: char| c.is_ascii_digit()))
}

/// Whether a line lets something through, so must be traced to a flow.
fn permits(backend: &str, line: &str) -> bool {
    match backend {
        // ICMP errors pass only for connections the lists allowed (the ASA
        // drops those of no connection), so they belong to no one flow.
        "cisco-asa" => line.contains(" extended permit ") && !line.contains(" permit icmp"),
        "fortigate" => line.trim() == "set action accept",
        _ => line.ends_with(" then permit"),
    }
}

#[test]
fn every_flow_is_rendered_and_traced_and_nothing_else_is() {
    for (plant, artifact) in all_artifacts() {
        let lines: Vec<&str> = artifact.content.lines().collect();
        let traced: BTreeMap<usize, (String, usize)> =
            artifact.traced_lines().map(|(line, t)| (line, (t.conduit.to_string(), t.flow))).collect();
        let where_ = format!("{plant} {}", artifact.path);
        // Every flow of the device, and only those, has traced lines.
        let covered: BTreeSet<(String, usize)> = traced.values().cloned().collect();
        assert_eq!(covered, flows_of(&artifact, plant), "{where_}");
        for (number, line) in lines.iter().enumerate().map(|(i, l)| (i + 1, *l)) {
            match traced.get(&number) {
                // Lines that let traffic through belong to a flow.
                None => {
                    assert!(!permits(artifact.backend, line), "{where_}:{number} untraced: {line}");
                    assert!(!line.contains("kojo: conduit"), "{where_}:{number} untraced: {line}");
                }
                // A traced line names no other flow.
                Some((conduit, flow)) => {
                    if line.contains("kojo: conduit") {
                        assert!(names_flow(line, conduit, *flow), "{where_}:{number}: {line}");
                    }
                }
            }
        }
        // Each run of lines traced to one flow says which flow it is.
        let mut runs: Vec<((String, usize), String)> = Vec::new();
        for (number, flow) in &traced {
            let line = lines[number - 1];
            match runs.last_mut() {
                Some((last, text)) if last == flow && traced.contains_key(&(number - 1)) => {
                    text.push_str(line);
                    text.push('\n');
                }
                _ => runs.push((flow.clone(), format!("{line}\n"))),
            }
        }
        for ((conduit, flow), text) in &runs {
            assert!(
                names_flow(text, conduit, *flow),
                "{where_}: a run of {conduit}#{flow} without its comment:\n{text}"
            );
        }
        for flow in &covered {
            let permitted =
                runs.iter().any(|(f, text)| f == flow && text.lines().any(|l| permits(artifact.backend, l)));
            assert!(permitted, "{where_}: {flow:?} permits nothing");
        }
        // FortiGate and SRX give each flow one place; the ASA one per list.
        let mut per_flow: BTreeMap<&(String, usize), usize> = BTreeMap::new();
        for (flow, _) in &runs {
            *per_flow.entry(flow).or_default() += 1;
        }
        if artifact.backend != "cisco-asa" {
            assert!(per_flow.values().all(|n| *n == 1), "{where_}: {per_flow:?}");
        }
        // The default deny closes the file's policy, logged.
        let deny = match artifact.backend {
            "cisco-asa" => "extended deny ip any any log",
            "fortigate" => "set comments \"kojo: default deny\"",
            _ => "then log session-init",
        };
        assert!(artifact.content.contains(deny), "{where_}");
    }
}

#[test]
fn every_object_is_defined_before_use_and_named_within_limits() {
    for (plant, artifact) in all_artifacts() {
        let where_ = format!("{plant} {}", artifact.path);
        assert!(artifact.content.is_ascii() && !artifact.content.contains('\t'), "{where_}");
        match artifact.backend {
            "cisco-asa" => check_asa(&where_, &artifact.content),
            "fortigate" => check_fortigate(&where_, &artifact.content),
            _ => check_srx(&where_, &artifact.content),
        }
    }
}

/// The lab's plant with one more conduit.
fn lab_with(conduit: &str) -> String {
    format!("{LAB}\n{conduit}")
}

/// The messages and helps of a refused build.
fn refusal(result: Result<Vec<Artifact>, Vec<Diagnostic>>) -> String {
    let diagnostics = result.expect_err("the build should be refused");
    diagnostics.iter().map(|d| format!("{} / {}\n", d.message, d.help.clone().unwrap_or_default())).collect()
}

#[test]
fn a_flow_whose_ends_share_no_address_family_is_refused() {
    let kojo = lab_with(
        "conduit v4_to_v6 \"IPv4 PC to an IPv6 historian\" from office to control {\n  allow pc2 -> hist service https\n  controls [firewall]\n  enforced-by fw1\n}\n",
    );
    for backend in vendors() {
        let dir = lab(backend.name(), &kojo);
        let text = refusal(render_dir(dir.path(), backend));
        assert!(text.contains("flow 1 of conduit `v4_to_v6`"), "{text}");
        assert!(text.contains("IPv4 hosts only") && text.contains("IPv6 hosts only"), "{text}");
        assert!(text.contains(backend.name()), "{text}");
    }
}

#[test]
fn interface_names_the_platform_cannot_take_are_refused() {
    // An ASA names interfaces by nameif, not by hardware port.
    let dir = lab("cisco-asa", LAB);
    let manifest = dir.path().join("kojo.kdl");
    let text = std::fs::read_to_string(&manifest).unwrap().replace("\"inside\"", "\"GigabitEthernet0/1\"");
    std::fs::write(&manifest, text).unwrap();
    let text = refusal(render_dir(dir.path(), &CISCO_ASA));
    assert!(
        text.contains("`GigabitEthernet0/1` (the interface in zone `office`) is not an ASA interface name"),
        "{text}"
    );
    assert!(text.contains("device \"fw1\" { interface \"office\" \"inside\" }"), "{text}");

    // An SRX needs its real interfaces, not the zones' names.
    let dir = example_for("cisco-asa");
    let text = refusal(render_dir(dir.path(), &JUNIPER_SRX));
    assert!(
        text.contains("`control` (the interface in zone `control`) is not a Junos logical interface name"),
        "{text}"
    );
    assert!(text.contains("device \"fw_floor\" { interface \"control\" \"ge-0/0/1.0\" }"), "{text}");

    // FortiOS interface names have at most 15 characters.
    let dir = lab("fortigate", LAB);
    let manifest = dir.path().join("kojo.kdl");
    let text = std::fs::read_to_string(&manifest).unwrap().replace("\"port3\"", "\"office-downlink-1\"");
    std::fs::write(&manifest, text).unwrap();
    let text = refusal(render_dir(dir.path(), &FORTIGATE));
    assert!(text.contains("fortigate interface names have at most 15 characters"), "{text}");
}

#[test]
fn a_window_the_device_clock_cannot_keep_is_refused() {
    // Tokyo has no daylight saving and Berlin has: no weekly schedule on a
    // Berlin clock keeps Tokyo's hours all year.
    for backend in vendors() {
        let dir = lab(backend.name(), LAB);
        let manifest = dir.path().join("kojo.kdl");
        let text = std::fs::read_to_string(&manifest)
            .unwrap()
            .replace("device \"fw1\" {\n", "device \"fw1\" {\n  timezone \"Europe/Berlin\"\n");
        std::fs::write(&manifest, text).unwrap();
        let text = refusal(render_dir(dir.path(), backend));
        assert!(text.contains("flow 1 of conduit `internet_to_office`"), "{text}");
        assert!(text.contains("timezone \"Asia/Tokyo\""), "{text}");
    }
}

#[test]
fn a_window_on_the_device_clock_is_not_shifted() {
    for backend in vendors() {
        let dir = lab(backend.name(), LAB);
        let manifest = dir.path().join("kojo.kdl");
        let text = std::fs::read_to_string(&manifest)
            .unwrap()
            .replace("device \"fw1\" {\n", "device \"fw1\" {\n  timezone \"Asia/Tokyo\"\n");
        std::fs::write(&manifest, text).unwrap();
        let artifacts = render_dir(dir.path(), backend).unwrap();
        let text = &artifacts[0].content;
        let expected = match backend.name() {
            // ASA ends are inclusive: 19:59 runs to 20:00.
            "cisco-asa" => "periodic weekdays 07:00 to 19:59",
            "fortigate" => "set start \"07:00\"\n        set end \"20:00\"",
            _ => "monday start-time 07:00:00 stop-time 20:00:00",
        };
        assert!(text.contains(expected), "{}:\n{text}", backend.name());
        assert!(text.contains("must be set to Asia/Tokyo"), "{text}");
        // Saturday 22:00-24:00 UTC is Sunday 07:00-09:00 in Tokyo.
        let sunday = match backend.name() {
            "cisco-asa" => "periodic Sunday 07:00 to 08:59",
            "fortigate" => "set day sunday\n        set start \"07:00\"\n        set end \"09:00\"",
            _ => "sunday start-time 07:00:00 stop-time 09:00:00",
        };
        assert!(text.contains(sunday), "{}:\n{text}", backend.name());
    }
}

/// Each file, read back the way its device applies it, lets through
/// exactly what the model allows: never more, and never less except in the
/// last minute of a day on a FortiGate or SRX (their schedules end at
/// 23:59 and 23:59:59) and, on an ASA, site addresses on an `any` end
/// outside the site (spoofed or misrouted). An ASA's inclusive ends are
/// read as such, so a window that ran a minute late would show. A
/// FortiGate admits remote access with MFA only through its SSL-VPN:
/// those packets are read as arriving by the tunnel (`ssl.root`), and
/// `sessions.rs` checks that none passes without it.
#[test]
fn each_file_lets_through_exactly_what_the_model_allows() {
    for backend in vendors() {
        let (example, lab) = (example_for(backend.name()), lab(backend.name(), LAB));
        for dir in [example.path(), lab.path()] {
            let policy = policy(dir);
            let artifacts = render_dir(dir, backend).unwrap();
            for device in &policy.devices {
                let artifact = artifacts.iter().find(|a| a.device == device.name).unwrap();
                let permits: Box<dyn Fn(&Packet) -> bool> = match backend.name() {
                    "cisco-asa" => {
                        let asa = evaluate::Asa::load(&artifact.content);
                        Box::new(move |p| asa.permits(p))
                    }
                    "fortigate" => {
                        let fortigate = evaluate::Fortigate::load(&artifact.content);
                        let vpn = sessions::vpn_pairs(device, &fortigate);
                        Box::new(move |p| match vpn.contains(&(p.from.clone(), p.to.clone())) {
                            true => fortigate.permits(&Packet { from: "ssl.root".into(), ..p.clone() }),
                            false => fortigate.permits(p),
                        })
                    }
                    _ => {
                        let srx = evaluate::Srx::load(&artifact.content);
                        Box::new(move |p| srx.permits(p))
                    }
                };
                let reference = Reference::new(device);
                let (mut allowed, mut checked) = (0, 0);
                for packet in probes(device) {
                    let (model, file) = (reference.allows(&packet, false), permits(&packet));
                    let must = reference.allows(&packet, backend.name() == "cisco-asa");
                    checked += 1;
                    allowed += usize::from(model);
                    assert!(!file || model, "{} lets through what the model does not: {packet:?}", artifact.path);
                    if packet.minute != 1439 || backend.name() == "cisco-asa" {
                        assert!(file || !must, "{} drops what the model allows: {packet:?}", artifact.path);
                    }
                }
                assert!(allowed > 0 && allowed < checked, "{}: {allowed} of {checked}", artifact.path);
            }
        }
    }
}

#[test]
fn an_asa_refuses_two_flows_between_outside_zones_it_cannot_tell_apart() {
    // vendor -> internet and internet -> partner, both `any` to `any` on
    // tcp/443: a connection from the vendor to the partner would pass the
    // vendor's inbound list by the first and the partner's outbound list by
    // the second. Zone-based formats tell them apart.
    let kojo = lab_with(
        "zone partner \"Partner\" : external\n\
         conduit vendor_to_internet \"Vendor uplink\" from vendor to internet {\n  allow any -> any port tcp/443\n  controls [firewall]\n  enforced-by fw1\n}\n\
         conduit internet_to_partner \"Partner portal\" from internet to partner {\n  allow any -> any port tcp/443\n  controls [firewall]\n  enforced-by fw1\n}\n",
    )
    .replace("control fd00:20::1 }", "control fd00:20::1; partner 192.0.2.1 }");
    let dir = lab("cisco-asa", &kojo);
    let text = refusal(render_dir(dir.path(), &CISCO_ASA));
    assert!(
        text.contains("flow 1 of conduit `vendor_to_internet` and flow 1 of conduit `internet_to_partner` could together let a connection from zone `vendor` through to zone `partner`"),
        "{text}"
    );
    let dir = lab("fortigate", &kojo);
    render_dir(dir.path(), &FORTIGATE).unwrap();
}

#[test]
fn an_asa_refuses_flows_whose_hosts_share_addresses_across_zones() {
    // An internet host numbered inside the office's subnet, and a vendor host
    // inside the control zone's: a connection from 10.10.0.99 on the office
    // side to 10.20.0.77 leaving into the control zone would pass the
    // office's inbound list by the first flow and the control zone's
    // outbound list by the second, though no flow joins those interfaces.
    let kojo = lab_with(
        "asset odd_web \"Internet host in office numbering\" in internet { kind server; ip 10.10.0.99 }\n\
         asset odd_ops \"Vendor host in control numbering\" in vendor { kind workstation; ip 10.20.0.77 }\n\
         conduit office_to_vendor \"Office to the vendor\" from office to vendor {\n  allow any -> odd_ops port tcp/443\n  controls [firewall]\n  enforced-by fw1\n}\n\
         conduit internet_to_control \"Into the floor\" from internet to control {\n  allow odd_web -> any port tcp/443\n  controls [firewall]\n  enforced-by fw1\n}\n",
    );
    let dir = lab("cisco-asa", &kojo);
    let text = refusal(render_dir(dir.path(), &CISCO_ASA));
    assert!(text.contains("from zone `office` through to zone `control`"), "{text}");
}
