//! The model's side of the differential test: which packets a device's
//! flows allow, and the probe packets around every flow.

use std::collections::BTreeSet;

use kojo_backends::policy::{DevicePolicy, Hosts};

use crate::evaluate::Packet;

/// The model's answer for a device: some flow joins a packet's
/// interfaces, hosts, port and time.
pub struct Reference<'a> {
    device: &'a DevicePolicy,
    /// Per rule: its ports, and its window's slots in the device's clock.
    rules: Vec<(Vec<kojo_stdlib::PortRange>, Option<Vec<kojo_compiler::types::Slot>>)>,
}

impl<'a> Reference<'a> {
    pub fn new(device: &'a DevicePolicy) -> Self {
        let rules = device
            .rules
            .iter()
            .map(|r| (r.ports(), r.window.as_ref().map(|w| w.slots_in(&device.timezone).unwrap())))
            .collect();
        Reference { device, rules }
    }

    /// `outside_only`: `any` in a zone without subnets stands only for
    /// addresses outside the subnets of the device's zones (an ASA denies a
    /// site address arriving from, or bound for, such a zone).
    pub fn allows(&self, p: &Packet, outside_only: bool) -> bool {
        let device = self.device;
        let site = |address: std::net::IpAddr| {
            device.interfaces.iter().flat_map(|i| i.subnets.iter()).any(|n| n.contains(&address))
        };
        let hosts = |hosts: &Hosts, address: std::net::IpAddr| match hosts {
            Hosts::Any => !(outside_only && site(address)),
            Hosts::Groups(groups) => groups.iter().any(|g| g.nets.iter().any(|n| n.contains(&address))),
        };
        device.rules.iter().zip(&self.rules).any(|(rule, (ports, slots))| {
            device.interfaces[rule.from].name == p.from
                && device.interfaces[rule.to].name == p.to
                && ports.iter().any(|r| r.protocol.as_str() == p.proto && (r.port..=r.last()).contains(&p.port))
                && hosts(&rule.sources, p.src)
                && hosts(&rule.destinations, p.dst)
                && slots.as_ref().is_none_or(|slots| {
                    slots.iter().any(|s| {
                        s.days.iter().any(|d| usize::from(d.index()) == p.day) && (s.start..s.end).contains(&p.minute)
                    })
                })
        })
    }
}

/// A host of a subnet (`10.1.0.0/24` → 10.1.0.7), or a host's own address.
fn inside(net: &str) -> std::net::IpAddr {
    let (address, len) = net.split_once('/').unwrap();
    match (address.parse().unwrap(), len.parse::<u8>().unwrap()) {
        (std::net::IpAddr::V4(a), len) if len < 32 => std::net::Ipv4Addr::from_bits(a.to_bits() + 7).into(),
        (std::net::IpAddr::V6(a), len) if len < 128 => std::net::Ipv6Addr::from_bits(a.to_bits() + 7).into(),
        (address, _) => address,
    }
}

/// Packets around every flow of the device. In space, at noon on Monday
/// and at the start of each window: every interface pair, each host, a host
/// of each zone's subnets and one outside them, the ends of each port range
/// and the ports beside them. In time, for each windowed flow: its own
/// hosts and ports at and beside the ends of each slot, on each day.
pub fn probes(device: &DevicePolicy) -> Vec<Packet> {
    let outside: [std::net::IpAddr; 2] = ["192.0.2.7".parse().unwrap(), "2001:db8::7".parse().unwrap()];
    let mut addresses: BTreeSet<std::net::IpAddr> = outside.into();
    addresses.extend(device.interfaces.iter().flat_map(|i| i.subnets.iter()).map(|n| inside(&n.to_string())));
    for rule in &device.rules {
        addresses.extend(rule.sources.nets().chain(rule.destinations.nets()).map(|n| inside(&n.to_string())));
    }
    let mut ports: BTreeSet<(&'static str, u16)> = BTreeSet::new();
    for range in device.rules.iter().flat_map(|r| r.ports()) {
        let proto = range.protocol.as_str();
        for port in [range.port.saturating_sub(1), range.port, range.last(), range.last().saturating_add(1)] {
            ports.insert((proto, port));
        }
        ports.insert((if proto == "tcp" { "udp" } else { "tcp" }, range.port));
    }
    let slots = |rule: &kojo_backends::Rule| rule.window.as_ref().map(|w| w.slots_in(&device.timezone).unwrap());
    let mut times: BTreeSet<(usize, u16)> = [(0, 12 * 60)].into();
    for slot in device.rules.iter().filter_map(slots).flatten() {
        times.insert((usize::from(slot.days[0].index()), slot.start));
    }
    let packet = |from: usize, to: usize, src, dst, (proto, port): (&'static str, u16), (day, minute)| Packet {
        from: device.interfaces[from].name.clone(),
        to: device.interfaces[to].name.clone(),
        src,
        dst,
        proto,
        port,
        day,
        minute,
    };
    let mut packets = Vec::new();
    let n = device.interfaces.len();
    for (from, to) in (0..n).flat_map(|a| (0..n).map(move |b| (a, b))).filter(|(a, b)| a != b) {
        for src in &addresses {
            for dst in addresses.iter().filter(|d| d.is_ipv4() == src.is_ipv4()) {
                for port in &ports {
                    for time in &times {
                        packets.push(packet(from, to, *src, *dst, *port, *time));
                    }
                }
            }
        }
    }
    for rule in device.rules.iter().filter(|r| r.window.is_some()) {
        let ends = |hosts: &Hosts| -> Vec<std::net::IpAddr> {
            match hosts {
                Hosts::Any => outside.to_vec(),
                Hosts::Groups(_) => hosts.nets().map(|n| inside(&n.to_string())).collect(),
            }
        };
        for slot in slots(rule).unwrap() {
            for day in slot.days.iter().map(|d| usize::from(d.index())) {
                let mut minutes = vec![slot.start, slot.end - 1];
                minutes.extend(slot.start.checked_sub(1));
                minutes.extend((slot.end < 1440).then_some(slot.end));
                for src in ends(&rule.sources) {
                    for dst in ends(&rule.destinations).into_iter().filter(|d| d.is_ipv4() == src.is_ipv4()) {
                        for range in rule.ports() {
                            for minute in &minutes {
                                let port = (range.protocol.as_str(), range.port);
                                packets.push(packet(rule.from, rule.to, src, dst, port, (day, *minute)));
                            }
                        }
                    }
                }
            }
        }
    }
    packets
}
