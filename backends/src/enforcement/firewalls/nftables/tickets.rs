//! Tickets: the conntrack mark each flow's new connections get on a Linux
//! firewall (nftables `ct mark set`, iptables `CONNMARK`), and the only way
//! an established connection keeps passing. Both Linux formats accept an
//! established or related packet only when its connection's mark is the
//! ticket of a flow the loaded rule set still has, so loading a rule set
//! without a flow (or with the flow changed) ends the flow's open sessions
//! in the same atomic reload, with no script beside it.
//!
//! A ticket is derived from what the flow allows on the device (its
//! interfaces, addresses, ports, window, functions and inspection), never
//! from the conduit's name, the flow's number, the order of its services
//! or the device's name (tickets only ever meet on one device): renaming
//! a conduit or a device, or reordering flows or services, keeps
//! sessions; any change to what a flow allows ends them. Bit 31 says
//! whether the flow is inline (its packets go through Suricata); 0 is
//! never a ticket (a connection no kojo flow opened). kojo owns the whole
//! conntrack mark on the device.

use std::collections::BTreeMap;

use kojo_stdlib::Catalogue;

use crate::enforcement::policy::{DevicePolicy, Hosts, Rule};

/// Bit 31 of a ticket: the flow's packets go through the gateway.
pub(crate) const INLINE: u32 = 1 << 31;

/// The netfilter queue Suricata reads (`suricata -q 0`).
pub(crate) const QUEUE: u16 = 0;

/// Every rule's ticket on one device.
#[derive(Debug, Clone)]
pub(crate) struct Tickets {
    /// By rule index.
    pub by_rule: Vec<u32>,
    /// Each distinct ticket once, ascending, with the first rule that has it
    /// (rules with the same ticket allow the same thing).
    pub distinct: Vec<(u32, usize)>,
}

impl Tickets {
    pub(crate) fn new(device: &DevicePolicy, catalogue: &Catalogue) -> Tickets {
        let flows: Vec<(String, bool)> =
            device.rules.iter().map(|r| (descriptor(device, r, catalogue), r.inline(catalogue))).collect();
        let by_rule = assign(&flows, fnv1a);
        let mut distinct: BTreeMap<u32, usize> = BTreeMap::new();
        for (index, &ticket) in by_rule.iter().enumerate() {
            distinct.entry(ticket).or_insert(index);
        }
        Tickets { by_rule, distinct: distinct.into_iter().collect() }
    }

    pub(crate) fn of(&self, index: usize) -> u32 {
        self.by_rule.get(index).copied().unwrap_or_default()
    }
}

/// Each flow's ticket: its descriptor's hash, bit 31 its inline flag.
/// Flows with the same descriptor share a ticket; a different descriptor
/// whose hash is taken (or 0) is hashed again with a round number. Tickets
/// are handed out in the order of the descriptors, not of the rules, so a
/// collision resolves the same way whatever the source order. Adding a
/// flow whose descriptor sorts first and collides with an existing flow's
/// takes that flow's ticket, so the existing flow is re-ticketed (its
/// sessions end at the load): with n flows on a device, a chance of
/// about n²/2³² that some pair collides (1 in 43 for 10,000 flows; bit
/// 31 is the inline flag, so 31 bits are hashed), accepted for a hash that
/// needs no state between builds.
fn assign(flows: &[(String, bool)], hash: fn(&[u8]) -> u32) -> Vec<u32> {
    let mut order: Vec<usize> = (0..flows.len()).collect();
    order.sort_by(|&a, &b| flows.get(a).cmp(&flows.get(b)));
    let mut by_descriptor: BTreeMap<&str, u32> = BTreeMap::new();
    let mut taken: BTreeMap<u32, &str> = BTreeMap::new();
    for &index in &order {
        let Some((text, inline)) = flows.get(index) else { continue };
        if by_descriptor.contains_key(text.as_str()) {
            continue;
        }
        let bit = if *inline { INLINE } else { 0 };
        let mut round = 0u32;
        let ticket = loop {
            let seed = if round == 0 { text.clone() } else { format!("{text}round={round}\n") };
            let candidate = (hash(seed.as_bytes()) & !INLINE) | bit;
            if candidate & !INLINE != 0 && !taken.contains_key(&candidate) {
                break candidate;
            }
            round += 1;
        };
        taken.insert(ticket, text);
        by_descriptor.insert(text, ticket);
    }
    flows.iter().map(|(d, _)| by_descriptor.get(d.as_str()).copied().unwrap_or_default()).collect()
}

/// Whether a ticket's connections go through the gateway.
pub(crate) fn is_inline(ticket: u32) -> bool {
    ticket & INLINE != 0
}

/// How marks are written: as `nft list` and `iptables-save` print them.
pub(crate) fn hex(ticket: u32) -> String {
    format!("0x{ticket:08x}")
}

/// What the rule allows on this device, in one canonical text: addresses,
/// ports, functions and services sorted; host, conduit and device names
/// left out.
fn descriptor(device: &DevicePolicy, rule: &Rule, catalogue: &Catalogue) -> String {
    let interface = |i: usize| device.interface(i).map(|i| i.name.clone()).unwrap_or_default();
    let hosts = |hosts: &Hosts| match hosts {
        Hosts::Any => "any".to_string(),
        Hosts::Groups(_) => {
            let mut nets: Vec<String> = hosts.nets().map(|n| n.to_string()).collect();
            nets.sort();
            nets.dedup();
            nets.join(",")
        }
    };
    let ports: Vec<String> =
        rule.ports().iter().map(|p| format!("{}/{}-{}", p.protocol.as_str(), p.port, p.last().max(p.port))).collect();
    let mut functions = rule.functions.clone();
    functions.sort();
    functions.dedup();
    let mut limited: Vec<&str> = rule.limited_services(catalogue).map(|s| s.id.as_str()).collect();
    limited.sort_unstable();
    limited.dedup();
    format!(
        "in={}\nout={}\nsrc={}\ndst={}\nports={}\nwindow={}\nfunctions={}@{}\ninspection={}\n",
        interface(rule.from),
        interface(rule.to),
        hosts(&rule.sources),
        hosts(&rule.destinations),
        ports.join(","),
        rule.window.as_ref().map(|w| w.to_string()).unwrap_or_default(),
        functions.join(","),
        limited.join(","),
        rule.inspection.id(),
    )
}

/// 32-bit FNV-1a: small, stable across releases and platforms.
fn fnv1a(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5u32, |hash, &b| (hash ^ u32::from(b)).wrapping_mul(0x0100_0193))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;
    use crate::enforcement::firewalls::nftables::netfilter::tests::{device, group, rule};
    use crate::enforcement::policy::Inspection;
    use kojo_compiler::types::TimeWindow;
    use kojo_stdlib::Transport;

    #[test]
    fn fnv_is_the_standard_one() {
        assert_eq!(fnv1a(b""), 0x811c_9dc5);
        assert_eq!(fnv1a(b"a"), 0xe40c_292c);
    }

    #[test]
    fn tickets_follow_what_a_flow_allows_not_its_name() {
        let catalogue = kojo_stdlib::Catalogue::builtin().unwrap();
        let plc = Hosts::Groups(vec![group("plc1", &["10.3.0.11/32"])]);
        let a = rule(Hosts::Any, plc.clone(), &[(Transport::Tcp, 502, None)]);
        let mut renamed = a.clone();
        renamed.conduit_name = "other".into();
        renamed.flow = 7;
        let mut wider = a.clone();
        wider.services[0].ports[0].end = Some(503);
        let mut windowed = a.clone();
        windowed.window = Some(TimeWindow::parse("Mon-Fri 09:00-17:00 UTC").unwrap());
        let mut monitored = a.clone();
        monitored.inspection = Inspection::Monitor;
        let t = Tickets::new(&device(vec![a.clone(), renamed, wider, windowed, monitored]), catalogue);
        assert_eq!(t.of(0), t.of(1), "a name and a number are not what a flow allows");
        assert_ne!(t.of(0), t.of(2));
        assert_ne!(t.of(0), t.of(3));
        assert_ne!(t.of(0), t.of(4));
        assert_eq!(t.distinct.len(), 4);
        assert!(t.by_rule.iter().all(|&x| x & !INLINE != 0 && !is_inline(x)), "no functions: not inline");
        let alone = Tickets::new(&device(vec![a]), catalogue);
        assert_eq!(alone.of(0), t.of(0), "other flows do not change a ticket");
    }

    #[test]
    fn collisions_are_hashed_again_in_descriptor_order() {
        // A hash that collides on everything but the round number.
        fn poor(bytes: &[u8]) -> u32 {
            let text = String::from_utf8_lossy(bytes);
            text.rsplit_once("round=").map_or(0, |(_, n)| n.trim().parse().unwrap_or(0)) * 5
        }
        let flows = |names: &[&str]| names.iter().map(|n| (n.to_string(), false)).collect::<Vec<_>>();
        let t = assign(&flows(&["b", "a", "b"]), poor);
        assert_eq!(t, [10, 5, 10], "0 is never a ticket; `a` sorts first; equal descriptors share");
        assert_eq!(assign(&flows(&["a", "b"]), poor), [5, 10], "the same whatever the order");
        assert_eq!(assign(&[("a".into(), true)], poor), [INLINE | 5]);
    }

    #[test]
    fn service_order_and_device_name_keep_a_ticket() {
        let catalogue = kojo_stdlib::Catalogue::builtin().unwrap();
        let mut r = rule(Hosts::Any, Hosts::Any, &[(Transport::Tcp, 502, None), (Transport::Tcp, 5007, None)]);
        for (service, name) in r.services.iter_mut().zip(["modbus-tcp", "slmp"]) {
            service.name = name.into();
            service.catalogued = true;
        }
        r.functions = vec!["read".into()];
        let mut reordered = r.clone();
        reordered.services.reverse();
        let t = Tickets::new(&device(vec![r.clone(), reordered]), catalogue);
        assert_eq!(t.of(0), t.of(1), "the order of a flow's services is not what it allows");
        let mut renamed = device(vec![r]);
        renamed.name = "fw_renamed".into();
        assert_eq!(Tickets::new(&renamed, catalogue).of(0), t.of(0), "a device's name is not part of a ticket");
    }

    #[test]
    fn inline_flows_have_bit_31() {
        let catalogue = kojo_stdlib::Catalogue::builtin().unwrap();
        let mut r = rule(Hosts::Any, Hosts::Any, &[(Transport::Tcp, 502, None)]);
        r.services[0].name = "modbus-tcp".into();
        r.services[0].catalogued = true;
        r.functions = vec!["read".into()];
        let mut monitored = r.clone();
        monitored.inspection = Inspection::Monitor;
        let t = Tickets::new(&device(vec![r, monitored]), catalogue);
        assert!(is_inline(t.of(0)));
        assert!(!is_inline(t.of(1)));
        assert_eq!(hex(t.of(0)).len(), 10);
    }
}
