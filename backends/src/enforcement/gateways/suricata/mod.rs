//! `suricata`: a gateway's `suricata.rules` for the industrial flows of a
//! device, and `suricata-kojo.yaml`, the Suricata settings those rules
//! need (`config`). For every flow limited to protocol functions
//! (`functions [read]`) it writes rules that catch every request outside
//! them, with Suricata's own parsers where it has one (Modbus, DNP3,
//! EtherNet/IP) and byte matches where it has none (SLMP); the catalogue's
//! inspection data says which (`[services.inspection]`, `matches`), and
//! `guards` adds what keeps the limit from being talked around. Rules drop
//! on flows enforced inline (the conduit's `inspection`, the default) and
//! alert on monitored ones. The packet filter (a firewall backend) lets the
//! flow through, or queues it to Suricata; these rules narrow it, so
//! nothing here repeats the firewall (no rules for hosts outside the flow).
//!
//! The rules file loads on its own: concrete addresses and ports, no
//! variables, sids from `sid`. The format is described in
//! `docs/backends/suricata.md`.

pub mod config;
mod flow;
mod guards;
mod matches;
pub mod sid;

use std::collections::BTreeSet;

use ipnet::IpNet;
use kojo_stdlib::{Catalogue, PortRange, Service};

use crate::enforcement::policy::{DevicePolicy, Hosts, Inspection, Rule};
use crate::enforcement::{Artifact, Backend, Capabilities, Clock, Context, Kind, Unrenderable, Writer};

pub struct Suricata;

pub const SURICATA: Suricata = Suricata;

impl Backend for Suricata {
    fn name(&self) -> &'static str {
        "suricata"
    }

    fn description(&self) -> &'static str {
        "Suricata rules and settings enforcing the protocol functions of industrial flows (drop inline, alert when monitored)"
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
        let mut parsers = config::Parsers::new();
        for (index, rule) in device.rules.iter().enumerate() {
            let mut detect = flow::Parsers::new();
            match flow::block(ctx.catalogue, device, rule, &mut detect) {
                Ok(Some(block)) => blocks.push((rule, block)),
                Ok(None) => {}
                Err(messages) => problems.extend(messages.into_iter().map(|(message, help)| Unrenderable {
                    rule: Some(index),
                    message,
                    help,
                })),
            }
            for (protocol, ports) in detect {
                let parser = parsers.entry(protocol).or_default();
                parser.ports.extend(ports);
                parser.flows.push(rule);
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        if blocks.is_empty() {
            return Ok(Vec::new());
        }
        let rules = rules_file(device, &blocks)?;
        let inline = blocks.iter().any(|(rule, lines)| {
            rule.inspection == Inspection::Inline && lines.iter().any(|l| matches!(l, Line::Rule { .. }))
        });
        Ok(vec![rules, config::render(device, &parsers, inline, self.name())])
    }
}

/// `<device>/suricata.rules`: the header, then each flow's block, every
/// line of it traced to the flow.
fn rules_file(device: &DevicePolicy, blocks: &[(&Rule, Vec<Line>)]) -> Result<Artifact, Vec<Unrenderable>> {
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
    // The rules are all here: the file's size is known but for the short
    // parts around them (sids, comments, the header).
    let size: usize = blocks
        .iter()
        .flat_map(|(_, lines)| lines.iter())
        .map(|line| match line {
            Line::Rule { body, .. } => body.len() + 24,
            Line::Comment(text) => text.len() + 3,
        })
        .sum();
    let mut w = Writer::with_capacity(size + blocks.len() * 160 + 4096);
    header(&mut w, device);
    for (rule, lines) in blocks {
        w.line("");
        w.traced_fmt(rule, format_args!("# {}", rule.comment()));
        for line in lines {
            match line {
                Line::Comment(text) => w.traced_fmt(rule, format_args!("# {text}")),
                Line::Rule { body, .. } => {
                    let sid = sids.next().unwrap_or(sid::FIRST);
                    w.traced_fmt(rule, format_args!("{body} sid:{sid}; rev:1;)"));
                }
            }
        }
    }
    Ok(w.finish(format!("{}/suricata.rules", device.name), &device.name, SURICATA.name()))
}

/// One line of a flow's block: a comment, or a rule without its sid.
enum Line {
    Comment(String),
    Rule { key: String, body: String },
}

/// The file's opening comments: what it is and what Suricata must have on.
fn header(w: &mut Writer, device: &DevicePolicy) {
    let title = device.title.as_deref().map(|t| format!(" ({t})")).unwrap_or_default();
    w.line_fmt(format_args!("# kojo: Suricata rules for {}{title}", device.name));
    w.line("# Generated from the plant model by `kojo build`; edit the model, not this file.");
    w.line("# Each flow limited to protocol functions gets rules that catch every other");
    w.line("# request: `drop` when the flow is enforced inline (the firewall queues it to");
    w.line("# Suricata), `alert` when its conduit says `inspection monitor`. Nothing here");
    w.line("# passes traffic; the device's firewall rules do.");
    w.line_fmt(format_args!("# Loaded by {} (same directory, included at the end of suricata.yaml),", config::FILE));
    w.line("# which also enables the parsers these rules use.");
    w.line_fmt(format_args!(
        "# sids: {}-{}, derived from device, conduit, flow and match.",
        sid::FIRST,
        sid::FIRST + sid::COUNT - 1
    ));
}

/// `502`, `34962:34964`, or a group `[502,5006,5007]`, in port order.
fn port_list<'a>(ports: impl Iterator<Item = &'a PortRange>) -> String {
    let set: BTreeSet<(u16, u16)> = ports.map(|p| (p.port, p.last())).collect();
    let list: Vec<String> = set
        .into_iter()
        .map(|(first, last)| if first == last { first.to_string() } else { format!("{first}:{last}") })
        .collect();
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
