//! `json`: a device's policy as JSON, for tools kojo has no format for
//! (and for comparing kojo with other generators). One rule per line, so
//! diffs and traces point at a flow. The schema is in `docs/backends.md`.

use serde_json::{json, Value};

use crate::enforcement::policy::{DevicePolicy, Hosts, Rule};
use crate::enforcement::{Artifact, Backend, Capabilities, Clock, Context, Kind, Unrenderable, Writer};

pub struct Json;

pub const JSON: Json = Json;

impl Backend for Json {
    fn name(&self) -> &'static str {
        "json"
    }

    fn description(&self) -> &'static str {
        "each device's policy as JSON (interfaces, and one rule per flow)"
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities { kind: Kind::Firewall, ipv6: true, windows: Clock::Utc, max_interface_name: None }
    }

    /// The policy names each flow's `inspection`; what enforces it is the
    /// consumer's, so it counts as neither sending a flow inline nor not.
    fn describes_only(&self) -> bool {
        true
    }

    fn render(&self, _ctx: &Context<'_>, device: &DevicePolicy) -> Result<Vec<Artifact>, Vec<Unrenderable>> {
        let mut w = Writer::new();
        let header = json!({
            "schema": "kojo-policy/1",
            "device": device.name,
            "title": device.title,
            "timezone": device.timezone,
            "interfaces": device.interfaces.iter().map(|i| json!({
                "zone": i.zone_name,
                "name": i.name,
                "address": i.address.to_string(),
                "subnets": i.subnets.iter().map(ToString::to_string).collect::<Vec<_>>(),
                "trust": i.trust.keyword(),
            })).collect::<Vec<_>>(),
        });
        let header = serde_json::to_string(&header).unwrap_or_default();
        // The header object without its closing brace, then the rules.
        w.line_fmt(format_args!("{},", header.strip_suffix('}').unwrap_or(&header)));
        w.line("\"rules\": [");
        let count = device.rules.len();
        for (index, rule) in device.rules.iter().enumerate() {
            let text = serde_json::to_string(&rule_json(device, rule)).unwrap_or_default();
            let comma = if index + 1 < count { "," } else { "" };
            w.traced_fmt(rule, format_args!("  {text}{comma}"));
        }
        w.line("]}");
        Ok(vec![w.finish(format!("{}/policy.json", device.name), &device.name, self.name())])
    }
}

fn hosts(hosts: &Hosts) -> Value {
    match hosts {
        Hosts::Any => json!("any"),
        Hosts::Groups(groups) => json!(groups
            .iter()
            .map(|g| json!({
                "name": g.name,
                "zone": g.zone_any,
                "addresses": g.nets.iter().map(ToString::to_string).collect::<Vec<_>>(),
            }))
            .collect::<Vec<_>>()),
    }
}

fn rule_json(device: &DevicePolicy, rule: &Rule) -> Value {
    let zone = |i: usize| device.interface(i).map(|i| i.zone_name.clone());
    let window = rule.window.as_ref().map(|w| {
        json!({
            "days": w.days.iter().map(|d| d.as_str()).collect::<Vec<_>>(),
            "start": format!("{:02}:{:02}", w.start / 60, w.start % 60),
            "end": format!("{:02}:{:02}", w.end / 60, w.end % 60),
            "zone": w.zone,
        })
    });
    json!({
        "conduit": &*rule.conduit_name,
        "flow": rule.flow,
        "from": zone(rule.from),
        "to": zone(rule.to),
        "sources": hosts(&rule.sources),
        "destinations": hosts(&rule.destinations),
        "services": rule.services.iter().map(|s| json!({
            "name": s.name,
            "ports": s.ports.iter().map(crate::enforcement::policy::port_name).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "functions": rule.functions,
        "inspection": rule.inspection.id(),
        "window": window,
        "tier": rule.tier.map(|t| t.id()),
        "log": rule.log,
        "remote_access": rule.remote_access,
    })
}
