//! `kojo query SRC DST [PORT]`: which conduit and flow allow a connection,
//! or why the model denies it. Answers from the model (`compiler::reach`),
//! the same reference the packet tests hold the generated firewalls to.
//! With `--function`, a request inside the connection ([`request`]).

use std::net::IpAddr;

use kojo_compiler::model::{Conduit, Inspection, Model, ZoneId};
use kojo_compiler::reach::{self, Connection, Denial, Endpoint, Verdict};
use kojo_compiler::types::Transport;
use kojo_compiler::{DiskSource, Options};
use kojo_lang::Severity;
use kojo_stdlib::Catalogue;
use serde_json::json;

use crate::cli::{self, Format, QueryArgs};
use crate::exit::{self, Exit};
use crate::report;

mod request;

/// A resolved end of the question, with how to show it.
struct End {
    endpoint: Endpoint,
    shown: String,
}

pub fn run(args: &QueryArgs) -> Exit {
    let root = super::project_root(args.project.as_deref());
    let options =
        Options { backends: kojo_backends::names(), today: Some(super::check::today()), ..Default::default() };
    let checked = kojo_compiler::check_with(&DiskSource::new(&root), &options);
    let (Some(model), Some(catalogue)) = (&checked.model, &checked.catalogue) else {
        crate::output::err_rendered(&report::render_all(&checked.diagnostics, cli::color()));
        return match exit::for_diagnostics(&checked.diagnostics, Severity::Error) {
            Exit::Clean | Exit::Findings => Exit::Compile,
            other => other,
        };
    };
    let ends = (end(model, &args.source), end(model, &args.destination));
    let (service, port) = match (&args.function, args.port.as_deref()) {
        (Some(_), Some(text)) => match text.split_once('@') {
            Some((service, port)) => (Some(service), Some(port)),
            None => (Some(text), Some(text)),
        },
        (None, port) => (None, port),
        (Some(_), None) => (None, None),
    };
    let request = args.function.as_deref().map(|f| request::parse(catalogue, service, f)).transpose();
    let port = port.map(|p| self::port(catalogue, p)).transpose();
    let (source, destination, port, request) = match (ends, port, request) {
        ((Ok(s), Ok(d)), Ok(p), Ok(r)) => (s, d, p, r),
        ((s, d), p, r) => {
            for message in [s.err(), d.err(), p.err(), r.err()].into_iter().flatten() {
                errln!("error: {message}");
            }
            return Exit::Usage;
        }
    };
    let connection = Connection { source: source.endpoint, destination: destination.endpoint, port };
    if let Some(request) = request {
        return request::answer(model, catalogue, &connection, &request, (&source, &destination), args.format);
    }
    let verdict = reach::evaluate(model, catalogue, &connection);
    let what = match port {
        Some((transport, number)) => format!("{}/{number}", transport.as_str()),
        None => "any traffic".to_string(),
    };
    match args.format {
        Format::Human => out!("{}", human(model, &source, &destination, &what, &verdict)),
        Format::Json => crate::output::out_raw(&format!(
            "{}\n",
            serde_json::to_string_pretty(&to_json(model, &source, &destination, &what, &verdict)).unwrap_or_default()
        )),
    }
    if verdict.allowed() {
        Exit::Clean
    } else {
        Exit::Findings
    }
}

fn zone_name(model: &Model, zone: ZoneId) -> &str {
    model.zone(zone).map_or("?", |z| z.name.as_str())
}

/// `mes`, `10.2.0.10`, `192.0.2.7@internet`, `fw_ot@oa`, or a zone name
/// (an unnamed host of the zone, which only `any` flows admit).
fn end(model: &Model, text: &str) -> Result<End, String> {
    let (name, zone) = match text.rsplit_once('@') {
        Some((name, zone)) => {
            let zone =
                model.zones.iter().find(|z| z.name == zone).ok_or_else(|| format!("no zone `{zone}` in `{text}`"))?;
            (name, Some(zone.id))
        }
        None => (text, None),
    };
    if let Ok(address) = name.parse::<IpAddr>() {
        let zone = zone.or_else(|| reach::zone_of(model, address)).ok_or_else(|| {
            format!("`{address}` is in no zone's subnet and is no asset's address; write `{address}@ZONE` (e.g. `@internet`)")
        })?;
        return Ok(End {
            endpoint: Endpoint { zone, address },
            shown: format!("{address} (zone {})", zone_name(model, zone)),
        });
    }
    if let Some(asset) = model.assets.iter().find(|a| a.name == name) {
        let zones: Vec<ZoneId> = asset.zone.into_iter().chain(asset.interfaces.iter().map(|i| i.zone)).collect();
        let zone = match (zone, zones.as_slice()) {
            (Some(z), _) if zones.contains(&z) => z,
            (Some(z), _) => return Err(format!("`{name}` has no address in zone `{}`", zone_name(model, z))),
            (None, [only]) => *only,
            (None, []) => return Err(format!("`{name}` is in no zone")),
            (None, _) => {
                let names: Vec<&str> = zones.iter().map(|z| zone_name(model, *z)).collect();
                return Err(format!("`{name}` is in several zones ({}); write `{name}@ZONE`", names.join(", ")));
            }
        };
        let address = reach::addresses_in(model, asset.id, zone)
            .first()
            .copied()
            .ok_or_else(|| format!("`{name}` has no address in zone `{}`", zone_name(model, zone)))?;
        return Ok(End {
            endpoint: Endpoint { zone, address },
            shown: format!("{name} ({address}, zone {})", zone_name(model, zone)),
        });
    }
    if let Some(z) = model.zones.iter().find(|z| z.name == name).filter(|_| zone.is_none()) {
        let address = IpAddr::from([0, 0, 0, 0]);
        return Ok(End { endpoint: Endpoint { zone: z.id, address }, shown: format!("a host in zone {}", z.name) });
    }
    let names = model.assets.iter().map(|a| a.name.as_str()).chain(model.zones.iter().map(|z| z.name.as_str()));
    Err(match kojo_compiler::suggest::did_you_mean(name, names) {
        Some(s) => format!("no asset, zone or address `{name}`; did you mean `{s}`?"),
        None => format!("no asset, zone or address `{name}`"),
    })
}

/// `tcp/502`, `502/tcp` or a catalogue service (`modbus-tcp`, its first port).
fn port(catalogue: &Catalogue, text: &str) -> Result<(Transport, u16), String> {
    let transport = |t: &str| match t {
        "tcp" => Some(Transport::Tcp),
        "udp" => Some(Transport::Udp),
        _ => None,
    };
    if let Some((a, b)) = text.split_once('/') {
        let parsed = match (transport(a), b.parse::<u16>(), transport(b), a.parse::<u16>()) {
            (Some(t), Ok(n), _, _) | (_, _, Some(t), Ok(n)) if n > 0 => Some((t, n)),
            _ => None,
        };
        return parsed.ok_or_else(|| format!("`{text}` is not a port; write `tcp/502` or `502/tcp`"));
    }
    match catalogue.service(text).and_then(|s| s.ports.first()) {
        Some(p) => Ok((p.protocol, p.port)),
        None => Err(format!("`{text}` is neither a port (`tcp/502`) nor a service in the catalogue")),
    }
}

/// `conduit x, flow 2 (conduits.kojo:149): allow mes -> plc1 service modbus-tcp`
pub fn describe_flow(model: &Model, conduit: &Conduit, index: usize) -> String {
    let Some(flow) = conduit.flows.get(index) else { return format!("conduit {}", conduit.name) };
    let text = model
        .file(flow.loc.file)
        .and_then(|f| f.text().get(flow.loc.span.start..flow.loc.span.end))
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .unwrap_or_default();
    format!("conduit {}, flow {} ({}): {text}", conduit.name, index + 1, model.locate(flow.loc))
}

fn conduit_names(model: &Model, ids: &[kojo_compiler::model::ConduitId]) -> String {
    ids.iter().filter_map(|id| model.conduit(*id)).map(|c| c.name.as_str()).collect::<Vec<_>>().join(", ")
}

fn human(model: &Model, source: &End, destination: &End, what: &str, verdict: &Verdict) -> String {
    match verdict {
        Verdict::Allowed(flows) => {
            format!("allowed: {} -> {} {what}\n{}", source.shown, destination.shown, allowing(model, flows))
        }
        Verdict::Denied(denial) => denied(model, source, destination, what, denial),
    }
}

/// Each allowing flow, with its device, window and functions.
fn allowing(model: &Model, flows: &[kojo_compiler::reach::Allowing]) -> String {
    let mut out = String::new();
    for allowing in flows {
        let Some(conduit) = model.conduit(allowing.conduit) else { continue };
        out.push_str(&format!("  by {}\n", describe_flow(model, conduit, allowing.flow)));
        if let Some(device) = conduit.enforced_by.and_then(|id| model.asset(id)) {
            out.push_str(&format!("  enforced by {}\n", device.name));
        } else {
            out.push_str("  enforced by no device (the conduit has no `enforced-by`)\n");
        }
        if let Some(window) = &conduit.window {
            out.push_str(&format!("  only in the window {window}\n"));
        }
        if let Some(flow) = conduit.flows.get(allowing.flow).filter(|f| !f.functions.is_empty()) {
            out.push_str(&format!(
                "  only the functions [{}], {}\n",
                flow.functions.join(", "),
                match conduit.inspection {
                    Inspection::Inline => "enforced inline by the gateway",
                    Inspection::Monitor => "monitored: the gateway alerts on others",
                }
            ));
        }
    }
    out
}

fn denied(model: &Model, source: &End, destination: &End, what: &str, denial: &Denial) -> String {
    let head = format!("{} -> {} {what}", source.shown, destination.shown);
    let (from, to) = (zone_name(model, source.endpoint.zone), zone_name(model, destination.endpoint.zone));
    let why = match denial {
        Denial::SameZone => format!(
            "both are in zone {from}: traffic inside a zone crosses no conduit, so no enforcing device filters it"
        ),
        Denial::NoConduit { reverse } if reverse.is_empty() => format!("no conduit runs from zone {from} to zone {to}"),
        Denial::NoConduit { reverse } => format!(
            "no conduit runs from zone {from} to zone {to}; {} runs the other way, so only replies to its connections pass",
            conduit_names(model, reverse)
        ),
        Denial::SourceNotAllowed { conduits } => {
            format!("no flow of {} comes from this source", conduit_names(model, conduits))
        }
        Denial::DestinationNotAllowed { conduits } => {
            format!("flows of {} come from this source, but none goes to this destination", conduit_names(model, conduits))
        }
        Denial::PortNotAllowed { flows } => {
            let mut text = String::from("flows between these hosts do not carry this port:");
            for allowing in flows {
                if let Some(conduit) = model.conduit(allowing.conduit) {
                    text.push_str(&format!("\n  {}", describe_flow(model, conduit, allowing.flow)));
                }
            }
            text
        }
    };
    format!("denied: {head}\n  {why}\n")
}

pub(super) fn flow_json(model: &Model, flows: &[kojo_compiler::reach::Allowing]) -> Vec<serde_json::Value> {
    flows
        .iter()
        .filter_map(|a| {
            let conduit = model.conduit(a.conduit)?;
            let flow = conduit.flows.get(a.flow)?;
            Some(json!({
                "conduit": conduit.name,
                "flow": a.flow + 1,
                "origin": model.locate(flow.loc),
                "enforced_by": conduit.enforced_by.and_then(|id| model.asset(id)).map(|d| d.name.clone()),
                "window": conduit.window.as_ref().map(ToString::to_string),
                "functions": flow.functions,
                "inspection": conduit.inspection.id(),
            }))
        })
        .collect()
}

/// The JSON word for a denial.
pub(super) fn denial_reason(denial: &Denial) -> &'static str {
    match denial {
        Denial::SameZone => "same-zone",
        Denial::NoConduit { .. } => "no-conduit",
        Denial::SourceNotAllowed { .. } => "source-not-allowed",
        Denial::DestinationNotAllowed { .. } => "destination-not-allowed",
        Denial::PortNotAllowed { .. } => "port-not-allowed",
    }
}

fn to_json(model: &Model, source: &End, destination: &End, what: &str, verdict: &Verdict) -> serde_json::Value {
    let flows = match verdict {
        Verdict::Allowed(flows) | Verdict::Denied(Denial::PortNotAllowed { flows }) => flow_json(model, flows),
        Verdict::Denied(_) => Vec::new(),
    };
    let reason = match verdict {
        Verdict::Allowed(_) => None,
        Verdict::Denied(denial) => Some(denial_reason(denial)),
    };
    json!({
        "source": source.shown,
        "destination": destination.shown,
        "traffic": what,
        "allowed": verdict.allowed(),
        "reason": reason,
        "flows": flows,
    })
}
