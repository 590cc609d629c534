//! `suricata`: a gateway's `suricata.rules` for the industrial flows of a
//! device. For every flow limited to protocol functions (`functions [read]`)
//! it writes rules that catch every request outside them, with Suricata's
//! own parsers where it has one (Modbus, DNP3, EtherNet/IP) and byte
//! matches where it has none (SLMP); the catalogue's inspection data says
//! which (`[services.inspection]`, `matches`). Rules alert on medium-tier
//! conduits and drop on high-tier ones. The packet filter (a firewall
//! backend) lets the flow through; these rules narrow it, so nothing here
//! repeats the firewall (no rules for hosts outside the flow).
//!
//! The file loads on its own: concrete addresses and ports, no variables,
//! sids from `sid`. The format is described in `docs/backends/suricata.md`.

mod matches;
pub mod sid;

use std::collections::BTreeSet;

use ipnet::IpNet;
use kojo_compiler::model::Tier;
use kojo_stdlib::{Catalogue, PortRange, Service, Transport};

use crate::enforcement::policy::{DevicePolicy, Hosts, Rule};
use crate::enforcement::{Artifact, Backend, Capabilities, Clock, Context, Kind, Unrenderable, Writer};

pub struct Suricata;

pub const SURICATA: Suricata = Suricata;

impl Backend for Suricata {
    fn name(&self) -> &'static str {
        "suricata"
    }

    fn description(&self) -> &'static str {
        "Suricata rules enforcing the protocol functions of industrial flows (alert at medium tier, drop at high)"
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities { kind: Kind::Gateway, ipv6: true, windows: Clock::None, max_interface_name: None }
    }

    fn enforces_functions(&self, catalogue: &Catalogue, service: &str) -> bool {
        catalogue.service(service).is_some_and(Service::functions_inspectable)
    }

    fn render(&self, ctx: &Context<'_>, device: &DevicePolicy) -> Result<Vec<Artifact>, Vec<Unrenderable>> {
        let mut blocks = Vec::new();
        let mut problems = Vec::new();
        for (index, rule) in device.rules.iter().enumerate() {
            match block(ctx.catalogue, device, rule) {
                Ok(Some(block)) => blocks.push((rule, block)),
                Ok(None) => {}
                Err(messages) => problems.extend(messages.into_iter().map(|(message, help)| Unrenderable {
                    rule: Some(index),
                    message,
                    help,
                })),
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        if blocks.is_empty() {
            return Ok(Vec::new());
        }
        let keys: Vec<String> = blocks
            .iter()
            .flat_map(|(_, lines)| lines.iter())
            .filter_map(|line| match line {
                Line::Rule { key, .. } => Some(key.clone()),
                Line::Comment(_) => None,
            })
            .collect();
        let Some(sids) = sid::assign(&keys) else {
            return Err(vec![Unrenderable {
                rule: None,
                message: format!("`{}` needs more Suricata rules than kojo's sid range holds", device.name),
                help: "split the device's conduits between gateways".into(),
            }]);
        };
        let mut sids = sids.into_iter();
        let mut w = Writer::new();
        header(&mut w, device, &blocks);
        for (rule, lines) in &blocks {
            w.line("");
            w.traced(rule, format!("# {}", rule.comment()));
            for line in lines {
                match line {
                    Line::Comment(text) => w.traced(rule, format!("# {text}")),
                    Line::Rule { body, .. } => {
                        let sid = sids.next().unwrap_or(sid::FIRST);
                        w.traced(rule, format!("{body} sid:{sid}; rev:1;)"));
                    }
                }
            }
        }
        Ok(vec![w.finish(format!("{}/suricata.rules", device.name), &device.name, self.name())])
    }
}

/// One line of a flow's block: a comment, or a rule without its sid.
enum Line {
    Comment(String),
    Rule { key: String, body: String },
}

/// The file's opening comments: what it is and what Suricata must have on.
fn header(w: &mut Writer, device: &DevicePolicy, blocks: &[(&Rule, Vec<Line>)]) {
    let title = device.title.as_deref().map(|t| format!(" ({t})")).unwrap_or_default();
    w.line(format!("# kojo: Suricata rules for {}{title}", device.name));
    w.line("# Generated from the plant model by `kojo build`; edit the model, not this file.");
    w.line("# Each rule catches requests outside the functions a flow allows: `drop` on");
    w.line("# high-tier conduits (needs IPS mode), `alert` otherwise. Nothing here passes");
    w.line("# traffic; the device's firewall rules do.");
    let parsers: BTreeSet<&str> = blocks
        .iter()
        .flat_map(|(_, lines)| lines.iter())
        .filter_map(|line| match line {
            Line::Rule { body, .. } => body.split(' ').nth(1),
            Line::Comment(_) => None,
        })
        .filter(|proto| !matches!(*proto, "tcp" | "udp"))
        .collect();
    if !parsers.is_empty() {
        let list: Vec<String> = parsers.iter().map(|p| format!("app-layer.protocols.{p}.enabled: yes")).collect();
        w.line(format!("# Needs in suricata.yaml: {}.", list.join(", ")));
    }
    w.line(format!(
        "# sids: {}-{}, derived from device, conduit, flow and match.",
        sid::FIRST,
        sid::FIRST + sid::COUNT - 1
    ));
}

/// The lines of one flow: `None` when the flow carries no industrial
/// service; otherwise its rules (or a note that it restricts nothing), or
/// why it cannot be rendered, as `(message, help)`.
fn block(
    catalogue: &Catalogue,
    device: &DevicePolicy,
    rule: &Rule,
) -> Result<Option<Vec<Line>>, Vec<(String, String)>> {
    let services: Vec<&Service> =
        rule.services.iter().filter(|s| s.catalogued).filter_map(|s| catalogue.service(&s.name)).collect();
    let industrial = services.iter().any(|s| s.industrial || s.inspection.is_some());
    if !industrial {
        return Ok(None);
    }
    let between = format!("{} -> {}", ends(&rule.sources), ends(&rule.destinations));
    let restricted: Vec<&&Service> = services.iter().filter(|s| !s.functions.is_empty()).collect();
    if rule.functions.is_empty() || restricted.is_empty() {
        let names: Vec<&str> = services.iter().map(|s| s.id.as_str()).collect();
        return Ok(Some(vec![Line::Comment(format!(
            "{between} {}: every function allowed (no `functions`), nothing to inspect",
            names.join(", ")
        ))]));
    }
    let action = if rule.tier == Some(Tier::High) { "drop" } else { "alert" };
    let flow = format!("flow {} of conduit `{}`", rule.flow, rule.conduit_name);
    let mut lines = Vec::new();
    let mut problems = Vec::new();
    for service in restricted {
        let allowed_names: Vec<&str> =
            rule.functions.iter().map(String::as_str).filter(|f| service.function(f).is_some()).collect();
        let allowed: BTreeSet<u32> =
            allowed_names.iter().filter_map(|f| service.function(f)).flat_map(|f| f.codes.iter().copied()).collect();
        let found = match matches::forbidden(service, &allowed) {
            Ok(found) => found,
            Err(reason) => {
                problems.push((
                    format!(
                        "{flow} allows only the {} functions [{}], and {reason}",
                        service.id,
                        rule.functions.join(", ")
                    ),
                    format!(
                        "describe where {} carries its function code in the catalogue's `[services.inspection]` (docs/backends/suricata.md), or enforce the flow with a gateway that reads {}",
                        service.id, service.id
                    ),
                ));
                continue;
            }
        };
        let Some(source) = addresses(&rule.sources) else {
            problems.push((format!("{flow} has no source addresses"), "name the flow's hosts".into()));
            continue;
        };
        let Some(destination) = addresses(&rule.destinations) else {
            problems.push((format!("{flow} has no destination addresses"), "name the flow's hosts".into()));
            continue;
        };
        let ports = rule.services.iter().find(|s| s.name == service.id).map(|s| s.ports.clone()).unwrap_or_default();
        lines.push(Line::Comment(format!(
            "{between} {}: functions [{}] allowed; {action} every other request",
            service.id,
            allowed_names.join(", ")
        )));
        let app_layer = service.inspection.as_ref().and_then(|i| i.app_layer.as_deref());
        let headers = headers(app_layer, &ports);
        let allowed_list = format!("[{}]", allowed_names.join(", "));
        for found in &found {
            // Parser options go under the app-layer header, payload options
            // under each transport's.
            let fitting: Vec<_> =
                headers.iter().filter(|(proto, ..)| found.payload != (Some(proto.as_str()) == app_layer)).collect();
            if fitting.is_empty() {
                problems.push((
                    format!(
                        "{flow}: the inspection data of {} matches {} without a protocol to write the rule for",
                        service.id, found.what
                    ),
                    format!("give {}'s `[services.inspection]` an `app_layer`", service.id),
                ));
            }
            for (proto, ports, flow_option) in fitting {
                let msg =
                    clean(&format!("kojo {} {}: {} is outside {allowed_list}", rule.label(), service.id, found.what));
                lines.push(Line::Rule {
                    key: format!(
                        "{}|{}|{}|{}|{proto}|{}",
                        device.name, rule.conduit_name, rule.flow, service.id, found.key
                    ),
                    body: format!(
                        "{action} {proto} {source} any -> {destination} {ports} (msg:\"{msg}\"; flow:{flow_option}; {} classtype:policy-violation;",
                        found.options
                    ),
                });
            }
        }
    }
    if problems.is_empty() {
        Ok(Some(lines))
    } else {
        Err(problems)
    }
}

/// The rule headers a service's matches go under: `(protocol, ports, flow
/// option)`: the app-layer protocol on every port of the service, and each
/// transport on its own ports for payload matches.
fn headers(app_layer: Option<&str>, ports: &[PortRange]) -> Vec<(String, String, &'static str)> {
    let transports: BTreeSet<Transport> = ports.iter().map(|p| p.protocol).collect();
    let state = |tcp_only: bool| if tcp_only { "established,to_server" } else { "to_server" };
    let mut out = Vec::new();
    if let Some(proto) = app_layer {
        let tcp_only = transports.iter().all(|t| *t == Transport::Tcp);
        out.push((proto.to_string(), port_list(ports.iter()), state(tcp_only)));
    }
    for transport in transports {
        let on: Vec<&PortRange> = ports.iter().filter(|p| p.protocol == transport).collect();
        out.push((transport.as_str().to_string(), port_list(on.into_iter()), state(transport == Transport::Tcp)));
    }
    out
}

/// `502`, `34962:34964`, or a group `[2222,44818]`.
fn port_list<'a>(ports: impl Iterator<Item = &'a PortRange>) -> String {
    let set: BTreeSet<String> = ports
        .map(|p| match p.end {
            Some(end) if end != p.port => format!("{}:{end}", p.port),
            _ => p.port.to_string(),
        })
        .collect();
    let list: Vec<String> = set.into_iter().collect();
    match list.as_slice() {
        [] => "any".into(),
        [one] => one.clone(),
        many => format!("[{}]", many.join(",")),
    }
}

/// A side's addresses as Suricata writes them: `any`, one address, or a
/// group; `None` for a group without addresses (which no rule may widen).
fn addresses(hosts: &Hosts) -> Option<String> {
    match hosts {
        Hosts::Any => Some("any".into()),
        Hosts::Groups(_) => {
            let nets: BTreeSet<IpNet> = hosts.nets().copied().collect();
            let list: Vec<String> = nets.iter().map(net).collect();
            match list.as_slice() {
                [] => None,
                [one] => Some(one.clone()),
                many => Some(format!("[{}]", many.join(","))),
            }
        }
    }
}

/// A host as its address, a subnet in CIDR notation.
fn net(net: &IpNet) -> String {
    if net.prefix_len() == net.max_prefix_len() {
        net.addr().to_string()
    } else {
        net.to_string()
    }
}

/// `scada`, `[mes, agv_pc]`, `any`: a side by name, for comments.
fn ends(hosts: &Hosts) -> String {
    match hosts {
        Hosts::Any => "any".into(),
        Hosts::Groups(groups) => {
            let names: Vec<String> = groups
                .iter()
                .map(|g| match g.name.strip_prefix("any_") {
                    Some(zone) if g.zone_any => format!("any@{zone}"),
                    _ => g.name.clone(),
                })
                .collect();
            match names.as_slice() {
                [one] => one.clone(),
                many => format!("[{}]", many.join(", ")),
            }
        }
    }
}

/// A message may not hold what ends an option or a rule.
fn clean(text: &str) -> String {
    text.chars().filter(|c| !matches!(c, ';' | '"' | '\\' | '\n' | '\r')).collect()
}

#[cfg(test)]
mod tests;
