//! `remote-access`: a remote-access gateway's policy (`remote-access.json`)
//! for the conduits that run from outside the site into it: who (a role:
//! the flow's source, an asset or `any@<zone>`) may reach which targets on
//! which services, when (the conduit's window, in its own time zone), and
//! what the gateway must do about it (MFA, session recording, per-user
//! targets, alerts outside the window), from the conduit's controls in
//! force. The gateway (VPN, jump host, PAM) enforces the users behind each
//! role; the firewall backends carry the same flows as packets.
//!
//! One JSON document, one entry per line and per (flow, role), so diffs and
//! `kojo explain --artifact` point at a flow. The schema is
//! `docs/backends/remote-access.md` (`kojo-remote-access/2`), with a JSON
//! Schema beside it.

use serde_json::{json, Value};

use crate::enforcement::policy::{DevicePolicy, HostGroup, Hosts};
use crate::enforcement::{Artifact, Backend, Capabilities, Clock, Context, Kind, Unrenderable, Writer};

pub struct RemoteAccess;

pub const REMOTE_ACCESS: RemoteAccess = RemoteAccess;

/// The schema's name and version, in every file.
pub const SCHEMA: &str = "kojo-remote-access/2";

impl Backend for RemoteAccess {
    fn name(&self) -> &'static str {
        "remote-access"
    }

    fn description(&self) -> &'static str {
        "remote-access gateway policy as JSON: roles, targets, services, time windows, MFA and session recording"
    }

    fn capabilities(&self) -> Capabilities {
        // Windows are kept as written, in their own zone: the gateway, not
        // kojo, evaluates them.
        Capabilities { kind: Kind::RemoteAccess, ipv6: true, windows: Clock::Device, max_interface_name: None }
    }

    fn render(&self, ctx: &Context<'_>, device: &DevicePolicy) -> Result<Vec<Artifact>, Vec<Unrenderable>> {
        if !device.rules.iter().any(|r| r.remote_access) {
            return Ok(Vec::new());
        }
        let mut entries = Vec::new();
        let mut problems = Vec::new();
        for (index, rule) in device.rules.iter().enumerate().filter(|(_, r)| r.remote_access) {
            // Without the conduit its controls are unknown, and `false`
            // would tell the gateway that no MFA is needed.
            let Some(conduit) = ctx.model.conduit(rule.conduit) else {
                problems.push(Unrenderable {
                    rule: Some(index),
                    message: format!(
                        "flow {} of conduit `{}` has no conduit in the model",
                        rule.flow, rule.conduit_name
                    ),
                    help: "this is a bug in kojo; please report it".into(),
                });
                continue;
            };
            let controls = kojo_compiler::controls::conduit_controls(ctx.catalogue, conduit);
            let zone = |index: usize| device.interface(index).map(|i| i.zone_name.clone()).unwrap_or_default();
            let (from, to) = (zone(rule.from), zone(rule.to));
            let window = rule.window.as_ref().map(|w| {
                json!({
                    "days": w.days.iter().map(|d| d.as_str()).collect::<Vec<_>>(),
                    "start": clock(w.start),
                    "end": clock(w.end),
                    "zone": w.zone,
                })
            });
            let targets = parties(&rule.destinations, &to);
            let services: Vec<Value> = rule
                .services
                .iter()
                .map(|s| json!({ "name": s.name, "ports": s.ports.iter().map(crate::enforcement::policy::port_name).collect::<Vec<_>>() }))
                .collect();
            for role in parties(&rule.sources, &from) {
                let entry = json!({
                    "role": role,
                    "targets": targets,
                    "services": services,
                    "functions": rule.functions,
                    "window": window,
                    "mfa_required": controls.contains("mfa"),
                    "session_recording": controls.contains("session-log"),
                    "per_user_targets": controls.contains("per-user-targets"),
                    "out_of_window_alert": controls.contains("out-of-window-detection"),
                    "from": from,
                    "to": to,
                    "conduit": &*rule.conduit_name,
                    "flow": rule.flow,
                });
                entries.push((rule, entry));
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let mut w = Writer::new();
        let header = json!({
            "schema": SCHEMA,
            "device": device.name,
            "title": device.title,
        });
        let header = serde_json::to_string(&header).unwrap_or_default();
        // The header object without its closing brace, then the entries.
        w.line_fmt(format_args!("{},", header.strip_suffix('}').unwrap_or(&header)));
        w.line("\"entries\": [");
        let count = entries.len();
        for (index, (rule, entry)) in entries.iter().enumerate() {
            let text = serde_json::to_string(entry).unwrap_or_default();
            let comma = if index + 1 < count { "," } else { "" };
            w.traced_fmt(rule, format_args!("  {text}{comma}"));
        }
        w.line("]}");
        Ok(vec![w.finish(format!("{}/remote-access.json", device.name), &device.name, self.name())])
    }
}

/// One side of a flow as named parties: each asset with its addresses, or
/// `any@<zone>` with the zone's subnets. A zone outside the site has no
/// subnets: its party says `"any_address": true` and has no `addresses`
/// at all, so a reader that looks for addresses fails rather than reading
/// an empty list as "no restriction".
fn parties(hosts: &Hosts, zone: &str) -> Vec<Value> {
    let name = format!("any@{zone}");
    match hosts {
        Hosts::Any => vec![json!({ "name": name, "kind": "zone", "any_address": true })],
        Hosts::Groups(groups) => groups
            .iter()
            .map(|g: &HostGroup| {
                let addresses: Vec<String> = g.nets.iter().map(ToString::to_string).collect();
                if g.zone_any {
                    json!({ "name": name, "kind": "zone", "addresses": addresses })
                } else {
                    json!({ "name": g.name, "kind": "asset", "addresses": addresses })
                }
            })
            .collect(),
    }
}

/// `09:00` from minutes after midnight (`24:00` for the end of the day).
fn clock(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

    use kojo_compiler::{check_with, MemorySource, Options};

    use super::*;
    use crate::enforcement::{render_backend, Request};

    const PLANT: &str = r#"plant "T" { name "Test" }
zone internet "Internet" : untrusted
zone vendor "Vendor" : external
zone dmz "DMZ" {
  subnet 10.7.0.0/24
  subnet fd00:7::/64
}
zone office "Office" { subnet 10.1.0.0/24 }
asset gw "Gateway" {
  kind firewall
  interfaces { internet 203.0.113.1; vendor 198.51.100.1; dmz 10.7.0.1; office 10.1.0.1 }
}
asset engineers "Vendor engineers" in vendor { kind workstation  ip 198.51.100.150 }
asset jump "Jump host" in dmz {
  kind server
  ip 10.7.0.10
  ip fd00:7::10
  services [https, ssh]
}
asset files "File server" in office { kind server  ip 10.1.0.20  services [https] }
conduit vendor_in from vendor to dmz {
  allow engineers -> jump service [https, ssh]
  controls [firewall, mfa, session-log, per-user-targets, time-window, out-of-window-detection]
  enforced-by gw
  window "Mon-Fri 09:00-18:00 Asia/Tokyo"
}
conduit staff_in from internet to office {
  allow any -> files service https
  controls [firewall, mfa]
  enforced-by gw
}
conduit office_to_dmz from office to dmz {
  allow any -> jump service ssh
  enforced-by gw
}
"#;

    fn render(plant: &str) -> Vec<Artifact> {
        let mut source = MemorySource::new("t").with_file("plant.kojo", plant);
        source.manifest = Some("project \"t\"\nbackend \"remote-access\"\n".into());
        let checked =
            check_with(&source, &Options { backends: crate::enforcement::names(), today: None, ..Default::default() });
        let messages: Vec<&str> = checked.diagnostics.iter().map(|d| d.message.as_str()).collect();
        let (model, manifest, catalogue) = match (&checked.model, &checked.manifest, &checked.catalogue) {
            (Some(m), Some(f), Some(c)) => (m, f, c),
            _ => panic!("{messages:#?}"),
        };
        render_backend(&Request { model, catalogue, tiers: &checked.tiers, manifest }, &REMOTE_ACCESS).unwrap()
    }

    #[test]
    fn roles_targets_windows_and_controls_of_each_remote_flow() {
        let files = render(PLANT);
        assert_eq!(files.len(), 1);
        let file = &files[0];
        assert_eq!(file.path, "gw/remote-access.json");
        let doc: Value = serde_json::from_str(&file.content).unwrap();
        assert_eq!(doc["schema"], SCHEMA);
        let entries = doc["entries"].as_array().unwrap();
        // office_to_dmz starts inside the site: not remote access.
        assert_eq!(entries.len(), 2, "{}", file.content);
        let vendor = &entries[0];
        assert_eq!(vendor["role"], json!({"name": "engineers", "kind": "asset", "addresses": ["198.51.100.150/32"]}));
        assert_eq!(vendor["targets"][0]["addresses"], json!(["10.7.0.10/32", "fd00:7::10/128"]));
        assert_eq!(vendor["services"][1], json!({"name": "ssh", "ports": ["tcp/22"]}));
        assert_eq!(
            vendor["window"],
            json!({"days": ["Mon", "Tue", "Wed", "Thu", "Fri"], "start": "09:00", "end": "18:00", "zone": "Asia/Tokyo"})
        );
        for flag in ["mfa_required", "session_recording", "per_user_targets", "out_of_window_alert"] {
            assert_eq!(vendor[flag], true, "{flag}");
        }
        assert_eq!((vendor["conduit"].as_str(), vendor["flow"].as_u64()), (Some("vendor_in"), Some(1)));
        assert!(vendor.get("origin").is_none(), "no source line in generated files");
        let staff = &entries[1];
        // Any address is said in so many words, never as an empty list.
        assert_eq!(staff["role"], json!({"name": "any@internet", "kind": "zone", "any_address": true}));
        assert!(staff["role"].get("addresses").is_none());
        assert_eq!(staff["window"], Value::Null);
        assert_eq!((staff["mfa_required"].as_bool(), staff["session_recording"].as_bool()), (Some(true), Some(false)));
        // Every entry line is traced to its flow; the rest is not.
        for (index, line) in file.content.lines().enumerate() {
            let trace = file.trace(index + 1);
            assert_eq!(trace.is_some(), line.starts_with("  {"), "line {}: {line}", index + 1);
        }
        assert_eq!(&*file.trace(3).unwrap().conduit, "vendor_in");
        assert_eq!(render(PLANT), files);
    }

    #[test]
    fn one_entry_per_role_and_no_file_without_remote_access() {
        let plant = PLANT.replace(
            "asset engineers \"Vendor engineers\" in vendor { kind workstation  ip 198.51.100.150 }",
            "asset engineers \"Vendor engineers\" in vendor { kind workstation  ip 198.51.100.150 }\nasset support \"Support\" in vendor { kind workstation  ip 198.51.100.151 }",
        );
        let plant = plant.replace("allow engineers -> jump", "allow [engineers, support] -> jump");
        let doc: Value = serde_json::from_str(&render(&plant)[0].content).unwrap();
        let roles: Vec<&str> =
            doc["entries"].as_array().unwrap().iter().map(|e| e["role"]["name"].as_str().unwrap()).collect();
        assert_eq!(roles, ["engineers", "support", "any@internet"]);

        let inside = PLANT.split("conduit vendor_in").next().unwrap().to_string()
            + "conduit office_to_dmz from office to dmz {\n  allow any -> jump service ssh\n  enforced-by gw\n}\n";
        assert_eq!(render(&inside), vec![]);
    }
}
