//! One flow's block of rules: for each service whose functions the flow
//! limits, the guards (`guards`) and the matches for every request outside
//! the allowed functions (`matches`), under the flow's addresses and the
//! service's ports, with the action the conduit's `inspection` asks for.

use std::collections::{BTreeMap, BTreeSet};

use kojo_stdlib::{Catalogue, PortRange, Service, Transport};

use super::guards::{self, Guard};
use super::matches::{self, Match};
use super::{addresses, clean, ends, port_list, Line};
use crate::enforcement::policy::{DevicePolicy, Inspection, Rule};

/// The ports each app-layer parser must be told to look at, by protocol.
pub(super) type Parsers = BTreeMap<String, BTreeSet<PortRange>>;

/// `(message, help)` for a flow that cannot be rendered.
pub(super) type Problem = (String, String);

/// The lines of one flow: `None` when the flow carries no industrial
/// service; otherwise its rules (or a note that it restricts nothing), or
/// why it cannot be rendered. Records in `parsers` the ports each parser
/// the rules use must detect its protocol on.
pub(super) fn block(
    catalogue: &Catalogue,
    device: &DevicePolicy,
    rule: &Rule,
    parsers: &mut Parsers,
) -> Result<Option<Vec<Line>>, Vec<Problem>> {
    let services: Vec<&Service> =
        rule.services.iter().filter(|s| s.catalogued).filter_map(|s| catalogue.service(&s.name)).collect();
    let industrial = services.iter().any(|s| s.industrial || s.inspection.is_some());
    if !industrial {
        return Ok(None);
    }
    let between = format!("{} -> {}", ends(&rule.sources), ends(&rule.destinations));
    let restricted: Vec<&Service> = rule.limited_services(catalogue).collect();
    if restricted.is_empty() {
        let names: Vec<&str> = services.iter().map(|s| s.id.as_str()).collect();
        return Ok(Some(vec![Line::Comment(format!(
            "{between} {}: every function allowed (no `functions`), nothing to inspect",
            names.join(", ")
        ))]));
    }
    let flow = format!("flow {} of conduit `{}`", rule.flow, rule.conduit_name);
    let (Some(source), Some(destination)) = (addresses(&rule.sources), addresses(&rule.destinations)) else {
        return Err(vec![(format!("{flow} has no addresses on one side"), "name the flow's hosts".into())]);
    };
    let mut lines = Vec::new();
    let mut problems = Vec::new();
    for service in restricted {
        let ctx = Restricted { rule, device, service, source: &source, destination: &destination };
        match ctx.lines(&between, parsers) {
            Ok(more) => lines.extend(more),
            Err(problem) => problems.push(problem),
        }
    }
    if problems.is_empty() {
        Ok(Some(lines))
    } else {
        Err(problems)
    }
}

/// One restricted service of a flow, with what its rules share.
struct Restricted<'a> {
    rule: &'a Rule,
    device: &'a DevicePolicy,
    service: &'a Service,
    source: &'a str,
    destination: &'a str,
}

impl Restricted<'_> {
    /// The service's comment, guards and matches; its parser's ports into
    /// `parsers`.
    fn lines(&self, between: &str, parsers: &mut Parsers) -> Result<Vec<Line>, Problem> {
        let (rule, service) = (self.rule, self.service);
        let flow = format!("flow {} of conduit `{}`", rule.flow, rule.conduit_name);
        let action = action(rule.inspection);
        let allowed_names: Vec<&str> =
            rule.functions.iter().map(String::as_str).filter(|f| service.function(f).is_some()).collect();
        let allowed: BTreeSet<u32> =
            allowed_names.iter().filter_map(|f| service.function(f)).flat_map(|f| f.codes.iter().copied()).collect();
        let found = matches::forbidden(service, &allowed).map_err(|reason| {
            (
                format!("{flow} allows only the {} functions [{}], and {reason}", service.id, rule.functions.join(", ")),
                format!(
                    "describe where {} carries its function code in the catalogue's `[services.inspection]` (docs/backends/suricata.md), or enforce the flow with a gateway that reads {}",
                    service.id, service.id
                ),
            )
        })?;
        let Some(inspection) = service.inspection.as_ref() else {
            return Err((format!("{flow}: {} has no inspection data", service.id), String::new()));
        };
        let ports: Vec<PortRange> =
            rule.services.iter().find(|s| s.name == service.id).map(|s| s.ports.clone()).unwrap_or_default();
        let others: Vec<PortRange> =
            rule.services.iter().filter(|s| s.name != service.id).flat_map(|s| s.ports.iter().copied()).collect();
        let allowed_list = format!("[{}]", allowed_names.join(", "));
        let mut lines = vec![Line::Comment(format!(
            "{between} {}: functions {allowed_list} allowed; {action} every other request",
            service.id
        ))];
        let guards = guards::guards(inspection, &ports, &others);
        if let Some(protocol) = inspection.app_layer.as_deref() {
            let detect = parsers.entry(protocol.to_string()).or_default();
            detect.extend(guards::parsed_ports(inspection, &ports));
            detect.extend(guards.iter().filter(|g| g.proto == protocol).flat_map(|g| g.ports.iter().copied()));
        }
        for guard in &guards {
            lines.push(self.guard_line(guard, &allowed_list));
        }
        let app_layer = inspection.app_layer.as_deref();
        let parsed = guards::parsed_ports(inspection, &ports);
        let headers = headers(app_layer, &parsed);
        for found in &found {
            // Parser options go under the app-layer header, payload options
            // under each transport's.
            let fitting: Vec<_> =
                headers.iter().filter(|(proto, ..)| found.payload != (Some(proto.as_str()) == app_layer)).collect();
            if fitting.is_empty() {
                return Err((
                    format!(
                        "{flow}: the inspection data of {} matches {} without a protocol to write the rule for",
                        service.id, found.what
                    ),
                    format!("give {}'s `[services.inspection]` an `app_layer`", service.id),
                ));
            }
            for (proto, ports, flow_option) in fitting {
                lines.push(self.match_line(found, proto, ports, flow_option, &allowed_list));
            }
        }
        Ok(lines)
    }

    fn key(&self, proto: &str, what: &str) -> String {
        let rule = self.rule;
        format!("{}|{}|{}|{}|{proto}|{what}", self.device.name, rule.conduit_name, rule.flow, self.service.id)
    }

    fn guard_line(&self, guard: &Guard, allowed: &str) -> Line {
        let action = guard.action.unwrap_or_else(|| action(self.rule.inspection));
        let msg = if guard.action.is_some() {
            clean(&format!("kojo {} {}: {}", self.rule.label(), self.service.id, guard.what))
        } else {
            clean(&format!("kojo {} {}: {} is outside {allowed}", self.rule.label(), self.service.id, guard.what))
        };
        Line::Rule {
            key: self.key(&guard.proto, &guard.key),
            body: format!(
                "{action} {} {} any -> {} {} (msg:\"{msg}\"; {} classtype:policy-violation;",
                guard.proto,
                self.source,
                self.destination,
                port_list(guard.ports.iter()),
                guard.options
            ),
        }
    }

    fn match_line(&self, found: &Match, proto: &str, ports: &str, flow_option: &str, allowed: &str) -> Line {
        let msg =
            clean(&format!("kojo {} {}: {} is outside {allowed}", self.rule.label(), self.service.id, found.what));
        Line::Rule {
            key: self.key(proto, &found.key),
            body: format!(
                "{} {proto} {} any -> {} {ports} (msg:\"{msg}\"; flow:{flow_option}; {} classtype:policy-violation;",
                action(self.rule.inspection),
                self.source,
                self.destination,
                found.options
            ),
        }
    }
}

/// Inline flows drop what they do not allow; monitored ones alert.
pub(super) fn action(inspection: Inspection) -> &'static str {
    match inspection {
        Inspection::Inline => "drop",
        Inspection::Monitor => "alert",
    }
}

/// The rule headers a service's matches go under: `(protocol, ports, flow
/// option)`: the app-layer protocol on every port of the service, and each
/// transport on its own ports for payload matches.
fn headers(app_layer: Option<&str>, ports: &[PortRange]) -> Vec<(String, String, &'static str)> {
    let transports: BTreeSet<Transport> = ports.iter().map(|p| p.protocol).collect();
    let mut out = Vec::new();
    if let Some(proto) = app_layer {
        let state = if transports.iter().all(|t| *t == Transport::Tcp) { "established,to_server" } else { "to_server" };
        out.push((proto.to_string(), port_list(ports.iter()), state));
    }
    for transport in transports {
        let on: Vec<&PortRange> = ports.iter().filter(|p| p.protocol == transport).collect();
        out.push((transport.as_str().to_string(), port_list(on.into_iter()), guards::flow_state(transport)));
    }
    out
}
