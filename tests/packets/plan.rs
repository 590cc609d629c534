//! What the packet tests probe: every declared flow of the model (each
//! source host × destination host × the first and last port of each port
//! range), then samples of what must be blocked around each (the reverse
//! direction, another port or transport, another host in either zone,
//! `any` sources from the wrong zone) and between zones without a conduit.
//! What each probe should do is decided by the model's evaluator, not here.

use std::collections::BTreeMap;
use std::net::IpAddr;

use kojo_compiler::model::{ConduitId, FlowEnd, Model, Traffic};
use kojo_compiler::reach::addresses_in;
use kojo_compiler::types::Transport;
use kojo_stdlib::Catalogue;

use super::lab::Topology;

/// One connection to open.
#[derive(Debug, Clone)]
pub struct Probe {
    /// Why it is probed: `declared`, or the kind of sample.
    pub kind: &'static str,
    /// (index into the topology's zones, address)
    pub source: (usize, IpAddr),
    pub destination: (usize, IpAddr),
    pub transport: Transport,
    pub port: u16,
    /// The declared flows (conduit, index from 0) this probe exercises.
    pub flows: Vec<(ConduitId, usize)>,
}

/// The probes: every declared flow, then samples of what must be blocked.
pub fn plan(model: &Model, catalogue: &Catalogue, topology: &Topology) -> Vec<Probe> {
    let mut probes: Vec<Probe> = Vec::new();
    let mut index: BTreeMap<(IpAddr, IpAddr, Transport, u16), usize> = BTreeMap::new();
    let mut add = |probe: Probe| {
        if probe.source.0 == probe.destination.0 {
            return; // Same zone: no firewall sees it.
        }
        let key = (probe.source.1, probe.destination.1, probe.transport, probe.port);
        match index.get(&key) {
            Some(&at) => probes[at].flows.extend(probe.flows),
            None => {
                index.insert(key, probes.len());
                probes.push(probe);
            }
        }
    };
    let probe = |kind, source, destination, (transport, port): (Transport, u16)| Probe {
        kind,
        source,
        destination,
        transport,
        port,
        flows: Vec::new(),
    };
    let mut declared = Vec::new();
    for conduit in &model.conduits {
        let (Some(from), Some(to)) = (topology.zone_index(conduit.from), topology.zone_index(conduit.to)) else {
            continue;
        };
        for (number, flow) in conduit.flows.iter().enumerate() {
            for source in end_hosts(model, topology, &flow.source, from) {
                for destination in end_hosts(model, topology, &flow.destination, to) {
                    for port in traffic_ports(catalogue, &flow.traffic) {
                        let mut p = probe("declared", (from, source), (to, destination), port);
                        p.flows.push((conduit.id, number));
                        declared.push((p, flow.source == FlowEnd::Any));
                    }
                }
            }
        }
    }
    for (p, _) in &declared {
        add(p.clone());
    }
    for (p, any_source) in &declared {
        let (t, port) = (p.transport, p.port);
        add(probe("reverse", p.destination, p.source, (t, port)));
        add(probe("other port", p.source, p.destination, (t, if port == u16::MAX { port - 1 } else { port + 1 })));
        add(probe("other transport", p.source, p.destination, (other(t), port)));
        if let Some(other) = extra_host(topology, p.source.0) {
            add(probe("other source host", (p.source.0, other), p.destination, (t, port)));
        }
        if let Some(other) = extra_host(topology, p.destination.0) {
            add(probe("other destination host", p.source, (p.destination.0, other), (t, port)));
        }
        if *any_source {
            for (zone, _) in topology.zones.iter().enumerate().filter(|(z, _)| *z != p.source.0) {
                if let Some(host) = first_host(topology, zone) {
                    add(probe("any source, wrong zone", (zone, host), p.destination, (t, port)));
                }
            }
        }
    }
    // Zones without a conduit between them, adjacent or not (oa → control).
    for (a, za) in topology.zones.iter().enumerate() {
        for (b, zb) in topology.zones.iter().enumerate() {
            if a == b || model.conduits.iter().any(|c| c.from == za.id && c.to == zb.id) {
                continue;
            }
            let (Some(source), Some(destination)) = (first_host(topology, a), first_host(topology, b)) else {
                continue;
            };
            for port in [(Transport::Tcp, 443), (Transport::Tcp, 502), (Transport::Udp, 123)] {
                add(probe("no conduit", (a, source), (b, destination), port));
            }
        }
    }
    probes
}

/// The lab's hosts a flow end names in a zone (`any`: every host there).
fn end_hosts(model: &Model, topology: &Topology, end: &FlowEnd, zone: usize) -> Vec<IpAddr> {
    let hosts: Vec<IpAddr> = topology.zones[zone].hosts.iter().map(|h| h.address).collect();
    match end {
        FlowEnd::Any => hosts,
        FlowEnd::Assets(ids) => ids
            .iter()
            .flat_map(|id| addresses_in(model, *id, topology.zones[zone].id))
            .filter(|a| hosts.contains(a))
            .collect(),
    }
}

/// The first and last port of each port range the traffic carries.
fn traffic_ports(catalogue: &Catalogue, traffic: &Traffic) -> Vec<(Transport, u16)> {
    let ranges: Vec<(Transport, u16, u16)> = match traffic {
        Traffic::Services(ids) => ids
            .iter()
            .filter_map(|id| catalogue.service(id))
            .flat_map(|s| s.ports.iter().map(|p| (p.protocol, p.port, p.last())))
            .collect(),
        Traffic::Ports(ranges) => ranges.iter().map(|r| (r.transport, r.start, r.end)).collect(),
    };
    let mut ports: Vec<(Transport, u16)> =
        ranges.iter().flat_map(|&(t, first, last)| [(t, first), (t, last)]).collect();
    ports.sort();
    ports.dedup();
    ports
}

fn other(transport: Transport) -> Transport {
    match transport {
        Transport::Tcp => Transport::Udp,
        Transport::Udp => Transport::Tcp,
    }
}

/// The zone's first asset host (else the test's own).
fn first_host(topology: &Topology, zone: usize) -> Option<IpAddr> {
    topology.zones[zone].hosts.first().map(|h| h.address)
}

/// The test's own host in the zone, named by no flow.
fn extra_host(topology: &Topology, zone: usize) -> Option<IpAddr> {
    topology.zones[zone].hosts.iter().find(|h| h.extra).map(|h| h.address)
}
