//! The backends a generated plant selects (for the project and per device)
//! and what they allow the plant to contain, and `kojo.kdl` itself.

use std::collections::BTreeSet;
use std::fmt::Write;

use kojo_backends::{Backend, Clock, Kind};

use super::vocab::Service;
use crate::bytes::Bytes;

/// Clocks a device may run on; the last two have daylight saving.
const TIMEZONES: [&str; 4] = ["UTC", "Asia/Tokyo", "Europe/Berlin", "America/New_York"];

/// Up to all backends, chosen by one byte's bits.
pub fn backends(b: &mut Bytes<'_>) -> Vec<&'static str> {
    let bits = b.byte();
    let chosen: Vec<&'static str> = kojo_backends::names()
        .iter()
        .enumerate()
        .filter(|(i, _)| bits & (1 << (i % 8)) != 0)
        .map(|(_, n)| *n)
        .collect();
    // No bit (a used-up input too) builds nftables: a plant that builds
    // nothing reaches no backend.
    if chosen.is_empty() {
        return vec!["nftables"];
    }
    chosen
}

/// An enforcing device and its `device` block.
pub struct Device {
    pub name: String,
    /// Its zones, in the order of its interfaces.
    pub zones: Vec<usize>,
    /// Its own backends, instead of the project's.
    own: Option<Vec<&'static str>>,
    timezone: Option<&'static str>,
    /// Interface names, one per zone; `None`: the zones' names.
    interfaces: Option<Vec<String>>,
    /// What each flow through it uses: ports, and the limits on them. Two
    /// flows with other limits on a port would overlap.
    used: Vec<(Vec<Ports>, Option<Limit>)>,
    /// How many conduits it enforces.
    pub enforces: usize,
}

/// What a device's backends let its conduits hold.
pub struct Caps {
    /// A gateway inspects functions; and sends them through inline.
    pub functions: bool,
    pub inline: bool,
    /// No firewall format (a stateful rule set) is built for it.
    pub one_way: bool,
    pub asa: bool,
    /// The zones its windows may be written in (none: no window).
    pub windows: Vec<&'static str>,
}

impl Device {
    pub fn new(b: &mut Bytes<'_>, name: String, kind: &str, zones: Vec<usize>, project: &[&'static str]) -> Device {
        // A diode is often built with gateways alone: its conduits may be one-way.
        let own = match b.byte() {
            0..=159 => None,
            160..=207 if kind == "diode" => Some(vec!["suricata", "remote-access"]),
            _ => Some(backends(b)),
        };
        let timezone = b.chance(96).then(|| b.pick(&TIMEZONES).copied()).flatten();
        let mut device = Device { name, zones, own, timezone, interfaces: None, used: Vec::new(), enforces: 0 };
        let selected = device.selected(project);
        let linux = selected.iter().any(|n| *n == "nftables" || *n == "iptables");
        let asa = selected.contains(&"cisco-asa");
        // Junos needs its own interface names; these are Linux, ASA and
        // FortiGate names too. `ge-0/0/N` is Junos only.
        if selected.contains(&"juniper-srx") || b.chance(64) {
            let style = b.below(if linux || asa { 3 } else { 4 });
            let names = device.zones.iter().map(|z| match style {
                0 => format!("reth0.{}", z + 10),
                1 => format!("ae1.{z}"),
                2 => format!("irb.{}", z + 100),
                _ => format!("ge-0/0/{z}.0"),
            });
            device.interfaces = Some(names.collect());
        }
        device
    }

    fn selected(&self, project: &[&'static str]) -> Vec<&'static str> {
        self.own.clone().unwrap_or_else(|| project.to_vec())
    }

    pub fn caps(&self, project: &[&'static str]) -> Caps {
        let selected: Vec<&'static dyn Backend> =
            self.selected(project).iter().filter_map(|n| kojo_backends::backend(n)).collect();
        let firewalls: Vec<&&dyn Backend> =
            selected.iter().filter(|b| b.capabilities().kind == Kind::Firewall).collect();
        let enforcing: Vec<&&&dyn Backend> = firewalls.iter().filter(|b| !b.describes_only()).collect();
        let asa = selected.iter().any(|b| b.name() == "cisco-asa");
        let utc = firewalls.iter().any(|b| b.capabilities().windows == Clock::Utc);
        let clock = self.timezone.unwrap_or("UTC");
        let daylight = clock == "Europe/Berlin" || clock == "America/New_York";
        // A window must keep its hours all year on every clock it is
        // shifted to; an ASA's windows stay on its own clock (its applet
        // that ends them runs at one time every day).
        let windows = match (firewalls.is_empty(), asa, daylight, utc) {
            (true, ..) => vec!["UTC", "Asia/Tokyo", "Europe/Berlin"],
            (false, _, true, true) => Vec::new(),
            (false, true, _, _) | (false, false, true, false) => vec![clock],
            (false, false, false, _) => vec!["UTC", "Asia/Tokyo"],
        };
        Caps {
            functions: selected.iter().any(|b| b.capabilities().kind == Kind::Gateway),
            inline: !enforcing.is_empty() && enforcing.iter().all(|b| b.sends_inline()),
            one_way: firewalls.is_empty(),
            asa,
            windows,
        }
    }

    /// Claims `services` for a flow of a conduit (`monitor`: whose limits
    /// are only watched) through this device: the functions the flow is
    /// limited to (`Some(None)` for none), or `None` when their ports are
    /// used by a flow with other limits, or the same limits inspected the
    /// other way: the gateway could not tell the two apart.
    pub fn claim(
        &mut self,
        b: &mut Bytes<'_>,
        services: &[&Service],
        single: bool,
        functions: bool,
        monitor: bool,
    ) -> Option<Option<Vec<String>>> {
        let ports: Vec<Ports> = services.iter().flat_map(|s| s.ports.iter().copied()).collect();
        let inspectable = services.first().map(|s| s.functions.as_slice()).unwrap_or_default();
        // A service keeps the limits it first had on the device.
        let earlier = self.used.iter().find(|(p, _)| *p == ports).map(|(_, l)| l.clone());
        let limit = match earlier {
            Some(limit) => limit,
            None if single && functions && !inspectable.is_empty() && b.chance(128) => {
                let chosen: Vec<String> = b.some_of(inspectable, 3).into_iter().cloned().collect();
                (!chosen.is_empty()).then_some(Limit { functions: chosen, monitor })
            }
            None => None,
        };
        if limit.as_ref().is_some_and(|l| l.monitor != monitor) {
            return None;
        }
        if self.used.iter().any(|(p, l)| *l != limit && overlaps(p, &ports)) {
            return None;
        }
        self.used.push((ports, limit.clone()));
        Some(limit.map(|l| l.functions))
    }
}

/// A protocol and a range of ports, `("tcp", 502, 502)`.
type Ports = (&'static str, u16, u16);

/// The functions a flow is limited to, and whether its conduit only
/// watches them (`inspection monitor`).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Limit {
    functions: Vec<String>,
    monitor: bool,
}

fn overlaps(a: &[Ports], b: &[Ports]) -> bool {
    a.iter().any(|(pa, la, ha)| b.iter().any(|(pb, lb, hb)| pa == pb && la <= hb && lb <= ha))
}

/// `kojo.kdl`, and the backends built for devices that enforce a conduit.
pub fn write(project: &[&'static str], devices: &[Device]) -> (String, BTreeSet<&'static str>) {
    let mut out = String::from("project \"generated\"\nprofile \"meti-factory\"\n");
    let quoted = |names: &[&str]| names.iter().map(|n| format!("{n:?}")).collect::<Vec<_>>().join(" ");
    if !project.is_empty() {
        let _ = writeln!(out, "backend {}", quoted(project));
    }
    let mut built = BTreeSet::new();
    // A `device` block must name a device that enforces a conduit.
    for device in devices.iter().filter(|d| d.enforces > 0) {
        built.extend(device.selected(project));
        if device.own.is_none() && device.timezone.is_none() && device.interfaces.is_none() {
            continue;
        }
        let _ = writeln!(out, "device {:?} {{", device.name);
        if let Some(own) = &device.own {
            let _ = writeln!(out, "  backend {}", quoted(own));
        }
        for (zone, name) in device.zones.iter().zip(device.interfaces.iter().flatten()) {
            let _ = writeln!(out, "  interface \"z{zone}\" {name:?}");
        }
        if let Some(timezone) = device.timezone {
            let _ = writeln!(out, "  timezone {timezone:?}");
        }
        out.push_str("}\n");
    }
    (out, built)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by the `plant` target: two conduits limited a service to the
    /// same functions, one inline and one monitored, and the build refused
    /// them (the gateway would apply one's inspection to the other).
    #[test]
    fn the_same_limits_inspected_another_way_are_not_claimed() {
        let v = crate::plant::vocab();
        let service = v.limitable.first().and_then(|&i| v.services.get(i)).expect("a service with functions");
        let mut device =
            Device::new(&mut Bytes::new(&[]), "d0".into(), "firewall", vec![0, 1], &["nftables", "suricata"]);
        // 255: a limit is chosen; then one function.
        let first = device.claim(&mut Bytes::new(&[255, 1, 0]), &[service], true, true, true);
        assert!(matches!(first, Some(Some(_))), "{first:?}");
        assert_eq!(device.claim(&mut Bytes::new(&[]), &[service], true, true, false), None);
        assert_eq!(device.claim(&mut Bytes::new(&[]), &[service], true, true, true), first);
    }
}
