//! Sessions end when the model says so, on every vendor format: at a
//! window's end (FortiOS `schedule-timeout`, SRX schedulers, ASA applets
//! that clear the window's connections), and when a new policy is loaded
//! (FortiOS re-evaluates dirty sessions, Junos `policy-rematch`, the ASA
//! clears its connections); a FortiGate's policy table is kojo's alone;
//! remote access with MFA passes a FortiGate only through its SSL-VPN; an
//! ASA passes the ICMP errors path MTU discovery needs. An ASA applet
//! clears exactly its flow's connections, and a window whose daily applet
//! would cut connections still allowed is refused.

use std::collections::BTreeSet;

use kojo_backends::cisco_asa::CISCO_ASA;
use kojo_backends::fortigate::FORTIGATE;
use kojo_backends::juniper_srx::JUNIPER_SRX;
use kojo_backends::policy::DevicePolicy;
use kojo_backends::Backend;

use crate::evaluate::{self, Packet};

/// The (arrival, exit) interface pairs of the flows a FortiGate admits
/// through its SSL-VPN: users reach the tunnel by the arrival interface.
pub fn vpn_pairs(device: &DevicePolicy, fortigate: &evaluate::Fortigate) -> BTreeSet<(String, String)> {
    let conduits = fortigate.vpn_conduits();
    device
        .rules
        .iter()
        .filter(|r| conduits.contains(&*r.conduit_name))
        .map(|r| (device.interfaces[r.from].name.clone(), device.interfaces[r.to].name.clone()))
        .collect()
}

/// The example and the lab rendered by one backend, with their policies.
fn rendered(backend: &dyn Backend) -> Vec<(DevicePolicy, String)> {
    let (example, lab) = (crate::example_for(backend.name()), crate::lab(backend.name(), crate::LAB));
    let mut out = Vec::new();
    for dir in [example.path(), lab.path()] {
        let artifacts = crate::render_dir(dir, backend).unwrap();
        for device in crate::policy(dir).devices {
            let artifact = artifacts.iter().find(|a| a.device == device.name).unwrap();
            out.push((device, artifact.content.clone()));
        }
    }
    out
}

#[test]
fn fortigate_sessions_end_with_their_schedule_and_when_the_table_changes() {
    for (device, text) in rendered(&FORTIGATE) {
        let fgt = evaluate::Fortigate::load(&text);
        assert_eq!(fgt.settings.get("firewall-session-dirty"), Some(&vec!["check-all".to_string()]), "{}", device.name);
        for (id, policy) in &fgt.policies {
            let schedule = policy.get("schedule").cloned().unwrap_or_default();
            let timeout = policy.get("schedule-timeout").cloned().unwrap_or_default();
            if schedule != ["always"] {
                assert_eq!(timeout, ["enable"], "{} policy {id}: a session outlives its schedule", device.name);
            }
        }
    }
}

#[test]
fn a_fortigate_file_says_how_to_load_it_and_what_loading_does() {
    let docs = std::fs::read_to_string("docs/backends/vendor.md").unwrap();
    let row = docs.lines().find(|l| l.starts_with("| `fortigate` |")).unwrap();
    // Pasted in the interactive CLI, `purge` would take the next line as its answer.
    assert!(row.contains("as a script") && !row.contains("paste"), "{row}");
    for (device, text) in rendered(&FORTIGATE) {
        let header: String = text.lines().take_while(|l| l.starts_with('#')).collect::<Vec<_>>().join("\n");
        for stated in [
            "Only with multi-VDOM mode off (everything in root): the file has no `config vdom`.",
            "# Load it as a script (uploaded in the GUI, or a FortiManager CLI script), not by pasting",
            "there `purge` asks to confirm (y/n)",
            "Load it in a maintenance window",
            "`firewall-session-dirty check-all`",
            "replacing check-new or per-policy settings",
        ] {
            assert!(header.contains(stated), "{}: the header lacks {stated}:\n{header}", device.name);
        }
        assert!(!text.lines().any(|l| l.trim_start().starts_with("config vdom")), "{}", device.name);
    }
}

#[test]
fn a_fortigate_policy_table_is_exactly_kojos_after_loading() {
    // A device that ran a longer earlier version and has settings kojo
    // never writes: FortiOS keeps both when a policy is only edited.
    let before = "config firewall policy\n".to_string()
        + &(1..=9)
            .map(|id| format!("    edit {id}\n        set srcintf \"any\"\n        set dstintf \"any\"\n        set srcaddr \"all\"\n        set dstaddr \"all\"\n        set service \"ALL\"\n        set schedule \"always\"\n        set action accept\n        set ippool enable\n    next\n"))
            .collect::<String>()
        + "end\n";
    for (device, text) in rendered(&FORTIGATE) {
        let fgt = evaluate::Fortigate::load(&format!("{before}{text}"));
        let ids: Vec<String> = fgt.policies.iter().map(|(id, _)| id.clone()).collect();
        let expected: Vec<String> = (1..=device.rules.len() + 1).map(|n| n.to_string()).collect();
        assert_eq!(ids, expected, "{}", device.name);
        assert!(fgt.policies.iter().all(|(_, p)| !p.contains_key("ippool")), "{}", device.name);
        assert_eq!(fgt.policies.last().unwrap().1["action"], ["deny"]);
    }
}

#[test]
fn an_srx_reevaluates_sessions_when_policies_change() {
    for (device, text) in rendered(&JUNIPER_SRX) {
        assert!(evaluate::Srx::load(&text).rematch, "{}: policy-rematch is off after loading", device.name);
    }
}

/// The minutes (device clock) at which a flow's window ends, from the
/// model: not at midnight when the window goes on the next day.
fn window_ends(device: &DevicePolicy, rule: &kojo_backends::Rule) -> BTreeSet<u16> {
    let slots = rule.window.as_ref().unwrap().slots_in(&device.timezone).unwrap();
    let starts_at_midnight =
        |day: usize| slots.iter().any(|s| s.start == 0 && s.days.iter().any(|d| usize::from(d.index()) == day));
    let mut ends = BTreeSet::new();
    for slot in &slots {
        for day in slot.days.iter().map(|d| usize::from(d.index())) {
            if !(slot.end >= 1440 && starts_at_midnight((day + 1) % 7)) {
                ends.insert(slot.end % 1440);
            }
        }
    }
    ends
}

#[test]
fn an_asa_clears_each_windows_connections_after_it_ends_and_all_on_load() {
    for (device, text) in rendered(&CISCO_ASA) {
        let asa = evaluate::Asa::load(&text);
        let last = text.lines().rfind(|l| !l.starts_with('!')).unwrap();
        assert_eq!(last, "clear conn", "{}: the file must end by clearing connections", device.name);
        assert!(asa.cleared);
        for stated in [
            "! EEM applets work only in single context mode.",
            "! was removed or its end moved) stays and goes on clearing connections daily at its time;\n",
            "! list kojo's: show running-config event manager | include applet kojo_\n",
            "! and remove each stale one: no event manager applet NAME\n",
        ] {
            assert!(text.contains(stated), "{}: the header lacks {stated}", device.name);
        }
        // Every applet is kojo's by its prefix, which the header's listing uses.
        assert!(asa.applets.keys().all(|name| name.starts_with("kojo_")), "{:?}", asa.applets);
        // Loaded again, each applet holds only this file's actions.
        assert_eq!(evaluate::Asa::load(&format!("{text}{text}")).applets, asa.applets, "{}", device.name);
        for rule in device.rules.iter().filter(|r| r.window.is_some()) {
            let wanted = clears_of(rule);
            for end in window_ends(&device, rule) {
                // Cisco: a time range ends up to 100 s after its minute.
                let at = (end + 2) % 1440;
                let applet = asa.applets.values().find(|(minute, commands)| {
                    *minute == at && commands.iter().map(|c| parse_clear(c)).collect::<BTreeSet<_>>() == wanted
                });
                assert!(
                    applet.is_some(),
                    "{}: nothing clears exactly {} at {at} ({wanted:?}): {:?}",
                    device.name,
                    rule.label(),
                    asa.applets
                );
            }
        }
    }
}

/// A `clear conn` by protocol, source, destination and destination ports:
/// (protocol, source range, destination range, first port, last port).
type Clear = (String, String, String, u16, u16);

/// The one `clear conn` shape applets may use; anything else fails.
fn parse_clear(command: &str) -> Clear {
    let words: Vec<&str> = command.split_whitespace().collect();
    let ["clear", "conn", "protocol", protocol, "address", source, "address", destination, "port", ports] =
        words.as_slice()
    else {
        panic!("not a clear of one flow's connections: {command}");
    };
    let (first, last) = ports.split_once('-').unwrap_or((ports, ports));
    (protocol.to_string(), source.to_string(), destination.to_string(), first.parse().unwrap(), last.parse().unwrap())
}

/// What must clear a flow's connections, from the model: every source and
/// destination of one family (`any` is every address), each port range.
fn clears_of(rule: &kojo_backends::Rule) -> BTreeSet<Clear> {
    let ends = |hosts: &kojo_backends::policy::Hosts| -> Vec<(bool, String)> {
        if *hosts == kojo_backends::policy::Hosts::Any {
            return vec![
                (true, "0.0.0.0-255.255.255.255".into()),
                (false, "::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff".into()),
            ];
        }
        hosts
            .nets()
            .map(|n| {
                let one = n.prefix_len() == n.max_prefix_len();
                let text = if one { n.addr().to_string() } else { format!("{}-{}", n.network(), n.broadcast()) };
                (n.addr().is_ipv4(), text)
            })
            .collect()
    };
    let mut out = BTreeSet::new();
    for range in rule.ports() {
        for (v4, source) in ends(&rule.sources) {
            for (_, destination) in ends(&rule.destinations).into_iter().filter(|(d, _)| *d == v4) {
                let protocol = range.protocol.as_str().to_string();
                out.insert((protocol, source.clone(), destination, range.port, range.last()));
            }
        }
    }
    out
}

#[test]
fn an_asa_refuses_a_window_applet_that_would_cut_another_flows_connections() {
    // The web server's window clears `any` -> pc1 https; the vendor's
    // terminal reaches pc1 on https at any time, so its connections would
    // be cut every day at 11:02 UTC.
    let kojo = crate::lab_with(
        "conduit vendor_to_office \"Vendor web access\" from vendor to office {\n  allow vendor_ops -> pc1 service https\n  controls [firewall]\n  enforced-by fw1\n}\n",
    );
    let dir = crate::lab("cisco-asa", &kojo);
    let text = crate::refusal(crate::render_dir(dir.path(), &CISCO_ASA));
    assert!(
        text.contains("flow 1 of conduit `internet_to_office` and flow 1 of conduit `vendor_to_office` share protocol, port and addresses")
            && text.contains("at 11:02 every day"),
        "{text}"
    );
    // Schedules that end sessions by policy have no such problem.
    let dir = crate::lab("fortigate", &kojo);
    crate::render_dir(dir.path(), &FORTIGATE).unwrap();
}

#[test]
fn an_asa_refuses_a_window_applet_that_would_run_while_its_window_is_open() {
    // Ends at 23:59 from Monday to Friday; its applet runs every day at
    // 00:01, while the window is open on Tuesday to Friday.
    let kojo = crate::lab_with(
        "conduit office_to_vendor \"Weekday uploads\" from office to vendor {\n  allow pc2 -> vendor_ops service https\n  controls [firewall]\n  enforced-by fw1\n  window \"Mon-Fri 00:00-23:59 UTC\"\n}\n",
    );
    let dir = crate::lab("cisco-asa", &kojo);
    let text = crate::refusal(crate::render_dir(dir.path(), &CISCO_ASA));
    assert!(
        text.contains("flow 1 of conduit `office_to_vendor`: its window ends at 23:59 on some days and is open at 00:01 on others"),
        "{text}"
    );
}

#[test]
fn asa_lists_pass_the_icmp_errors_of_allowed_connections() {
    for (device, text) in rendered(&CISCO_ASA) {
        let asa = evaluate::Asa::load(&text);
        assert!(asa.inspections.iter().any(|i| i == "inspect icmp error"), "{}", device.name);
        let said = "! ICMP error inspection; it applies only if the device uses the default global_policy.\npolicy-map global_policy\n";
        assert!(text.contains(said), "{}", device.name);
        let lines: Vec<&str> = text.lines().collect();
        for deny in lines.iter().filter(|l| l.ends_with(" extended deny ip any any log")) {
            let acl = deny.split_whitespace().nth(1).unwrap();
            let at = lines.iter().position(|l| l == deny).unwrap();
            for wanted in ["icmp any any unreachable", "icmp6 any any unreachable", "icmp6 any any packet-too-big"] {
                let entry = format!("access-list {acl} extended permit {wanted}");
                let found = lines.iter().position(|l| *l == entry);
                assert!(found.is_some_and(|f| f < at), "{}: {acl} lacks `{wanted}` before its deny", device.name);
            }
        }
    }
}

#[test]
fn a_fortigate_admits_remote_access_with_mfa_only_through_its_vpn() {
    let rendered = rendered(&FORTIGATE);
    let (device, text) = rendered.iter().find(|(d, _)| d.name == "vpn_fw").unwrap();
    let fgt = evaluate::Fortigate::load(text);
    assert_eq!(fgt.vpn_conduits(), BTreeSet::from(["internet_to_oa".to_string()]));
    assert!(text.contains("config user group\n"), "{text}");
    assert!(text.contains("        set groups \"kojo_users_internet_to_oa\"\n"), "{text}");
    // An HTTPS connection from the internet to the OA server, on Monday at noon.
    let packet = Packet {
        from: "wan1".into(),
        to: "internal".into(),
        src: "192.0.2.7".parse().unwrap(),
        dst: "10.1.0.10".parse().unwrap(),
        proto: "tcp",
        port: 443,
        day: 0,
        minute: 12 * 60,
    };
    assert!(!fgt.permits(&packet), "remote access passes without the VPN");
    assert!(fgt.permits(&Packet { from: "ssl.root".into(), ..packet }));
    // `nat` (hide the inside) is source NAT where flows leave; through the
    // VPN the inside is reached from the FortiGate's own tunnel.
    let natted: BTreeSet<String> = fgt
        .policies
        .iter()
        .filter(|(_, p)| p.get("nat").is_some_and(|v| v == &["enable"]))
        .map(|(_, p)| p["comments"][2].clone())
        .collect();
    assert_eq!(natted, BTreeSet::from(["oa_to_internet".to_string(), "oa_to_intersite".to_string()]));
    assert_eq!(device.rules.len() + 1, fgt.policies.len());
}

#[test]
fn fortigate_users_from_named_hosts_authenticate_at_the_policy() {
    let rendered = rendered(&FORTIGATE);
    // The example's vendor flow, fw_rm on a FortiGate: MFA from a named host.
    let (_, text) = rendered.iter().find(|(d, _)| d.name == "fw_rm").unwrap();
    let fgt = evaluate::Fortigate::load(text);
    let (_, policy) = fgt.policies.iter().find(|(_, p)| p["comments"][2] == "vendor_to_remote_maint").unwrap();
    assert_eq!(policy["srcintf"], ["port1"]);
    assert_eq!(policy["srcaddr"], ["kojo_vendor_ops"]);
    assert_eq!(policy["groups"], ["kojo_users_vendor_to_remote_maint"]);
    // Remote access: no source NAT, though the conduit has `nat`.
    assert!(!policy.contains_key("nat"), "{policy:?}");
    // The lab's conduits ask for no MFA: no user groups at all.
    let (_, lab) = rendered.iter().find(|(d, _)| d.name == "fw1").unwrap();
    assert!(!lab.contains("config user group") && !lab.contains("set groups"), "{lab}");
}

#[test]
fn each_file_states_the_versions_the_docs_state() {
    let docs = std::fs::read_to_string("docs/backends/vendor.md").unwrap();
    for (backend, header, table) in [
        (&CISCO_ASA as &dyn Backend, "For ASA 9.2 and later 9.x", "Cisco ASA 9.2 and later 9.x"),
        (&FORTIGATE, "For FortiOS 6.4, 7.0, 7.2 and 7.4", "FortiOS 6.4, 7.0, 7.2 and 7.4"),
        (&JUNIPER_SRX, "For Junos OS 15.1X49 and later", "Junos OS 15.1X49 and later on SRX"),
    ] {
        assert!(docs.contains(&format!("| {table}")), "docs/backends/vendor.md: {table}");
        for (device, text) in rendered(backend) {
            let head: String = text.lines().take(4).collect::<Vec<_>>().join("\n");
            assert!(head.contains(header), "{} {}: {head}", backend.name(), device.name);
        }
    }
}
