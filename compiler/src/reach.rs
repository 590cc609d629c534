//! Reachability over the model: may a new connection from one host to
//! another be opened, and which conduit and flow allow it (or why not)?
//!
//! This reads the [`Model`] directly, not any generated rule set, so it is
//! the reference that generated firewalls are tested against (the packet
//! tests compare its verdicts with what the kernel does), and what
//! `kojo query` answers with. Semantics: traffic between two zones needs a
//! conduit from the source's zone to the destination's with a flow that
//! names both hosts (or `any` in their zone) and the port; conduits do not
//! chain (a conduit into a zone does not open the zones beyond it), and
//! replies to an allowed connection are allowed, new connections back are
//! not. [`evaluate_request`] goes one layer up: a function code inside an
//! allowed connection, judged by the flows' `functions` and the conduit's
//! `inspection` (what the inline gateway tests compare Suricata with).

use std::net::IpAddr;

use kojo_stdlib::Catalogue;

use crate::model::{AssetId, Conduit, ConduitId, FlowEnd, Inspection, Model, Traffic, ZoneId};
use crate::types::Transport;

/// One end of a connection: a host address in a zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Endpoint {
    pub zone: ZoneId,
    pub address: IpAddr,
}

/// A new connection to test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Connection {
    pub source: Endpoint,
    pub destination: Endpoint,
    /// The transport and destination port; `None` asks for any traffic.
    pub port: Option<(Transport, u16)>,
}

/// A flow that allows a connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allowing {
    pub conduit: ConduitId,
    /// The flow's index in the conduit, from 0.
    pub flow: usize,
}

/// The model's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Every flow that allows the connection, in source order.
    Allowed(Vec<Allowing>),
    Denied(Denial),
}

impl Verdict {
    pub fn allowed(&self) -> bool {
        matches!(self, Verdict::Allowed(_))
    }
}

/// Why a connection is denied, from the broadest reason to the narrowest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Denial {
    /// Both ends are in the same zone: no conduit is crossed, so no
    /// enforcing device sees the traffic.
    SameZone,
    /// No conduit runs from the source's zone to the destination's.
    /// `reverse` lists conduits the other way (their replies are allowed).
    NoConduit { reverse: Vec<ConduitId> },
    /// Conduits exist, but none of their flows names the source host.
    SourceNotAllowed { conduits: Vec<ConduitId> },
    /// Flows from the source exist, but none names the destination host.
    DestinationNotAllowed { conduits: Vec<ConduitId> },
    /// Flows between the two hosts exist, but not for this port.
    PortNotAllowed { flows: Vec<Allowing> },
}

/// Evaluates a connection against the model.
pub fn evaluate(model: &Model, catalogue: &Catalogue, connection: &Connection) -> Verdict {
    let Connection { source, destination, port } = *connection;
    if source.zone == destination.zone {
        return Verdict::Denied(Denial::SameZone);
    }
    let conduits: Vec<&Conduit> =
        model.conduits.iter().filter(|c| c.from == source.zone && c.to == destination.zone).collect();
    if conduits.is_empty() {
        let reverse =
            model.conduits.iter().filter(|c| c.from == destination.zone && c.to == source.zone).map(|c| c.id).collect();
        return Verdict::Denied(Denial::NoConduit { reverse });
    }
    let mut from_source = Vec::new();
    let mut between = Vec::new();
    let mut allowed = Vec::new();
    for conduit in &conduits {
        for (index, flow) in conduit.flows.iter().enumerate() {
            if !end_matches(model, &flow.source, source) {
                continue;
            }
            if !from_source.contains(&conduit.id) {
                from_source.push(conduit.id);
            }
            if !end_matches(model, &flow.destination, destination) {
                continue;
            }
            let allowing = Allowing { conduit: conduit.id, flow: index };
            let carries = match port {
                None => true,
                Some((transport, number)) => traffic_carries(catalogue, &flow.traffic, transport, number),
            };
            if carries {
                allowed.push(allowing);
            } else {
                between.push(allowing);
            }
        }
    }
    if !allowed.is_empty() {
        Verdict::Allowed(allowed)
    } else if !between.is_empty() {
        Verdict::Denied(Denial::PortNotAllowed { flows: between })
    } else if !from_source.is_empty() {
        Verdict::Denied(Denial::DestinationNotAllowed { conduits: from_source })
    } else {
        Verdict::Denied(Denial::SourceNotAllowed { conduits: conduits.iter().map(|c| c.id).collect() })
    }
}

/// A request inside a connection: one function code of a protocol
/// (Modbus function 6, an SLMP command), as a gateway sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Request<'a> {
    /// The catalogue's service ID (`modbus-tcp`).
    pub service: &'a str,
    pub code: u32,
}

/// The model's answer for a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestVerdict {
    /// A flow allows the connection, carries the service on that port, and
    /// either limits no function or lists the code's function.
    Allowed(Vec<Allowing>),
    /// The flows that carry it limit it to other functions and are
    /// enforced inline: the gateway drops the request.
    Blocked(Vec<Allowing>),
    /// As `Blocked`, but every such flow's conduit says `inspection
    /// monitor`: the request gets through and the gateway alerts.
    Alerted(Vec<Allowing>),
    /// The connection itself is denied.
    Denied(Denial),
}

/// Evaluates a request inside a connection: the connection as
/// [`evaluate`] judges it, then the function limits of the flows that
/// allow it and carry the request's service. Any one flow allowing the
/// request allows it, as any one flow allowing a connection does.
pub fn evaluate_request(
    model: &Model,
    catalogue: &Catalogue,
    connection: &Connection,
    request: &Request<'_>,
) -> RequestVerdict {
    let flows = match evaluate(model, catalogue, connection) {
        Verdict::Allowed(flows) => flows,
        Verdict::Denied(denial) => return RequestVerdict::Denied(denial),
    };
    let service = catalogue.service(request.service);
    let function = service.and_then(|s| s.function_for_code(request.code)).map(|f| f.name.as_str());
    let (mut allowed, mut blocked, mut alerted) = (Vec::new(), Vec::new(), Vec::new());
    for allowing in flows {
        let Some(conduit) = model.conduit(allowing.conduit) else { continue };
        let Some(flow) = conduit.flows.get(allowing.flow) else { continue };
        let passes = flow.functions.is_empty() || gateway_passes(catalogue, flow, connection, request, function);
        if passes {
            allowed.push(allowing);
        } else if conduit.inspection == Inspection::Monitor {
            alerted.push(allowing);
        } else {
            blocked.push(allowing);
        }
    }
    if !allowed.is_empty() {
        RequestVerdict::Allowed(allowed)
    } else if !alerted.is_empty() {
        RequestVerdict::Alerted(alerted)
    } else {
        RequestVerdict::Blocked(blocked)
    }
}

/// What the gateway does with a request on a flow limited to functions:
/// on the port of a limited service, only that service's listed functions
/// pass (anything else is not recognised as the protocol and dropped); on
/// a port of another of its services, a limited service's protocol is
/// dropped and any other passes (nothing inspects it).
fn gateway_passes(
    catalogue: &Catalogue,
    flow: &crate::model::Flow,
    connection: &Connection,
    request: &Request<'_>,
    function: Option<&str>,
) -> bool {
    let Traffic::Services(ids) = &flow.traffic else { return true };
    let limited: Vec<&kojo_stdlib::Service> =
        ids.iter().filter_map(|id| catalogue.service(id)).filter(|s| !s.functions.is_empty()).collect();
    let on_port = |s: &kojo_stdlib::Service| {
        connection.port.is_none_or(|(transport, port)| s.ports.iter().any(|p| p.contains(transport, port)))
    };
    match limited.iter().find(|s| on_port(s)) {
        Some(owner) => owner.id == request.service && function.is_some_and(|f| flow.functions.iter().any(|x| x == f)),
        None => !limited.iter().any(|s| s.id == request.service),
    }
}

/// Whether a host at `end` is one a flow end names.
fn end_matches(model: &Model, end: &FlowEnd, endpoint: Endpoint) -> bool {
    match end {
        // `any` is any host of the zone: its subnets, when it has them (as
        // the firewalls match it); anything arriving from a zone without.
        FlowEnd::Any => model.zone(endpoint.zone).is_some_and(|z| z.subnets.is_empty() || z.contains(endpoint.address)),
        FlowEnd::Assets(ids) => {
            ids.iter().any(|id| addresses_in(model, *id, endpoint.zone).contains(&endpoint.address))
        }
    }
}

/// An asset's addresses in a zone: its interface there, and its own
/// addresses when the zone is its primary one.
pub fn addresses_in(model: &Model, asset: AssetId, zone: ZoneId) -> Vec<IpAddr> {
    let Some(asset) = model.asset(asset) else { return Vec::new() };
    let mut addresses: Vec<IpAddr> = asset.interfaces.iter().filter(|i| i.zone == zone).map(|i| i.address).collect();
    if asset.zone == Some(zone) {
        addresses.extend(asset.addresses.iter().copied());
    }
    addresses
}

/// Whether traffic (services or raw ports) includes a transport port.
pub fn traffic_carries(catalogue: &Catalogue, traffic: &Traffic, transport: Transport, port: u16) -> bool {
    match traffic {
        Traffic::Services(ids) => ids
            .iter()
            .filter_map(|id| catalogue.service(id))
            .any(|s| s.ports.iter().any(|p| p.contains(transport, port))),
        Traffic::Ports(ranges) => ranges.iter().any(|r| r.transport == transport && (r.start..=r.end).contains(&port)),
    }
}

/// The zone an address belongs to: the zone of an asset (or interface)
/// with that address, else the zone whose subnet holds it (the longest
/// prefix wins). `None` for an address in no zone, e.g. on the internet.
pub fn zone_of(model: &Model, address: IpAddr) -> Option<ZoneId> {
    for asset in &model.assets {
        if asset.addresses.contains(&address) {
            if let Some(zone) = asset.zone {
                return Some(zone);
            }
        }
        if let Some(interface) = asset.interfaces.iter().find(|i| i.address == address) {
            return Some(interface.zone);
        }
    }
    model
        .zones
        .iter()
        .flat_map(|z| z.subnets.iter().filter(|n| n.contains(&address)).map(move |n| (n.prefix_len(), z.id)))
        .max_by_key(|(prefix, _)| *prefix)
        .map(|(_, zone)| zone)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MemorySource;

    const SOURCE: &str = r#"
plant "T" { name "t" }
zone internet "Internet" : untrusted
zone a "A" { subnet 10.1.0.0/24 }
zone b "B" { subnet 10.2.0.0/24 }
asset fw "FW" { kind firewall  interfaces { internet 203.0.113.1; a 10.1.0.1; b 10.2.0.1 } }
asset h1 "H1" in a { kind server  ip 10.1.0.10 }
asset h2 "H2" in a { kind server  ip 10.1.0.11 }
asset s1 "S1" in b { kind server  ip 10.2.0.10  services [https] }
conduit a_to_b from a to b {
  allow h1 -> s1 service https
  allow any -> s1 port udp/9000-9010
  enforced-by fw
}
conduit internet_to_a from internet to a {
  allow any -> h1 service ssh
  enforced-by fw
}
"#;

    fn model() -> (Model, Catalogue) {
        let source = MemorySource::new("t").with_file("t.kojo", SOURCE);
        let checked = crate::check(&source, &[]);
        let model = checked.model.unwrap_or_else(|| panic!("{:#?}", checked.diagnostics));
        (model, checked.catalogue.unwrap())
    }

    fn at(model: &Model, address: &str) -> Endpoint {
        let address: IpAddr = address.parse().unwrap();
        Endpoint { zone: zone_of(model, address).unwrap(), address }
    }

    #[test]
    fn verdicts() {
        let (model, catalogue) = model();
        let ask = |s: &str, d: &str, port: Option<(Transport, u16)>| {
            evaluate(&model, &catalogue, &Connection { source: at(&model, s), destination: at(&model, d), port })
        };
        let tcp = |p| Some((Transport::Tcp, p));
        assert!(ask("10.1.0.10", "10.2.0.10", tcp(443)).allowed());
        assert!(ask("10.1.0.11", "10.2.0.10", Some((Transport::Udp, 9005))).allowed(), "any in zone a");
        assert!(matches!(ask("10.1.0.11", "10.2.0.10", tcp(443)), Verdict::Denied(Denial::PortNotAllowed { .. })));
        assert!(matches!(ask("10.1.0.10", "10.2.0.10", tcp(22)), Verdict::Denied(Denial::PortNotAllowed { .. })));
        assert!(matches!(
            ask("10.1.0.10", "10.2.0.99", tcp(443)),
            Verdict::Denied(Denial::DestinationNotAllowed { .. })
        ));
        let back = ask("10.2.0.10", "10.1.0.10", tcp(443));
        assert!(matches!(back, Verdict::Denied(Denial::NoConduit { ref reverse }) if reverse.len() == 1), "{back:?}");
        assert_eq!(ask("10.1.0.10", "10.1.0.11", tcp(443)), Verdict::Denied(Denial::SameZone));
        assert!(ask("10.1.0.10", "10.2.0.10", None).allowed());
        let zone_a = model.zones.iter().find(|z| z.name == "a").unwrap().id;
        let stranger = Endpoint { zone: zone_a, address: "10.9.9.9".parse().unwrap() };
        let verdict = evaluate(
            &model,
            &catalogue,
            &Connection { source: stranger, destination: at(&model, "10.2.0.10"), port: Some((Transport::Udp, 9005)) },
        );
        assert!(!verdict.allowed(), "`any` in zone a is its subnet, not every address: {verdict:?}");
        let internet = model.zones.iter().find(|z| z.name == "internet").unwrap().id;
        let outside = Endpoint { zone: internet, address: "192.0.2.7".parse().unwrap() };
        let verdict = evaluate(
            &model,
            &catalogue,
            &Connection { source: outside, destination: at(&model, "10.1.0.10"), port: tcp(22) },
        );
        assert!(verdict.allowed());
        assert_eq!(zone_of(&model, "192.0.2.7".parse().unwrap()), None);
        assert_eq!(zone_of(&model, "203.0.113.1".parse().unwrap()), Some(internet), "an interface address");
    }

    #[test]
    fn requests_follow_the_function_limits_and_the_inspection() {
        let source = r#"plant "T" { name "t" }
zone a "A" { subnet 10.1.0.0/24 }
zone b "B" { subnet 10.2.0.0/24 }
asset fw "FW" { kind firewall  interfaces { a 10.1.0.1; b 10.2.0.1 } }
asset scada "SCADA" in a { kind scada  ip 10.1.0.10 }
asset hmi "HMI" in a { kind hmi  ip 10.1.0.11 }
asset plc "PLC" in b { kind plc  ip 10.2.0.10  services [modbus-tcp, https] }
conduit a_to_b from a to b {
  allow scada -> plc service [modbus-tcp, https] { functions [read] }
  allow hmi -> plc service modbus-tcp
  enforced-by fw
}
"#;
        let monitored = source.replace("  enforced-by fw\n", "  enforced-by fw\n  inspection monitor\n");
        for (text, refused) in [(source.to_string(), "blocked"), (monitored, "alerted")] {
            let checked = crate::check(&MemorySource::new("t").with_file("t.kojo", text.as_str()), &[]);
            let model = checked.model.unwrap_or_else(|| panic!("{:#?}", checked.diagnostics));
            let catalogue = checked.catalogue.unwrap();
            let speak = |service: &str, s: &str, port: u16, code: u32| {
                let connection = Connection {
                    source: at(&model, s),
                    destination: at(&model, "10.2.0.10"),
                    port: Some((Transport::Tcp, port)),
                };
                match evaluate_request(&model, &catalogue, &connection, &Request { service, code }) {
                    RequestVerdict::Allowed(_) => "allowed",
                    RequestVerdict::Blocked(_) => "blocked",
                    RequestVerdict::Alerted(_) => "alerted",
                    RequestVerdict::Denied(_) => "denied",
                }
            };
            let ask = |s: &str, port: u16, code: u32| speak("modbus-tcp", s, port, code);
            assert_eq!(ask("10.1.0.10", 502, 3), "allowed", "a read");
            assert_eq!(ask("10.1.0.10", 502, 6), refused, "a write");
            assert_eq!(ask("10.1.0.10", 443, 3), refused, "Modbus on the https port of a limited flow");
            assert_eq!(ask("10.1.0.10", 8080, 3), "denied", "no flow carries the port");
            assert_eq!(ask("10.1.0.11", 502, 6), "allowed", "the HMI's flow limits nothing");
            // Another protocol: on Modbus's port it is not Modbus, and
            // dropped; on the https port nothing inspects it.
            assert_eq!(speak("dnp3", "10.1.0.10", 502, 1), refused, "DNP3 on the Modbus port");
            assert_eq!(speak("dnp3", "10.1.0.10", 443, 2), "allowed", "DNP3 on the https port");
        }
    }
}
