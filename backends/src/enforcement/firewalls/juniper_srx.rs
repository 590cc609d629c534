//! `juniper-srx`: a device's policy as Junos `set` commands for an SRX
//! (Junos OS 15.1X49 and later): the device's interfaces in security
//! zones named after the model's zones, a global address book, custom
//! applications, schedulers, one security policy per flow between its two
//! zones, and a global policy that denies and logs everything else.
//!
//! Junos applies a configuration as a whole at `commit`, so the file first
//! deletes kojo's previous policies and objects and then sets them again:
//! nothing of an older version lingers and nothing is open in between.
//! `policy-rematch` (which the delete also removes, so it is set again)
//! makes the device re-evaluate the open sessions of every policy the
//! commit changes or removes and drop those no policy allows any more. A
//! scheduler holds one time range per day, so a window that needs two on
//! some day (after shifting into the device's clock) becomes two
//! schedulers and the flow two policies, one per scheduler.

use std::collections::BTreeMap;

use ipnet::IpNet;
use kojo_compiler::types::Weekday;

use crate::enforcement::firewalls::vendor::{self, HostKey, HostObject, Names, ServiceObject, Side, PREFIX};
use crate::enforcement::policy::{DevicePolicy, Rule};
use crate::enforcement::{Artifact, Backend, Capabilities, Clock, Context, Kind, Unrenderable, Writer};

pub struct JuniperSrx;

pub const JUNIPER_SRX: JuniperSrx = JuniperSrx;

/// Zone, address, application, scheduler and policy names: 63 characters.
const NAME_MAX: usize = 63;
/// Policy descriptions: 900 characters.
const DESCRIPTION_MAX: usize = 900;
/// The global policy that denies (and logs) what no flow allows.
const DENY: &str = "kojo_default_deny";

impl Backend for JuniperSrx {
    fn name(&self) -> &'static str {
        "juniper-srx"
    }

    fn description(&self) -> &'static str {
        "Junos set commands for SRX: zones, address book, applications, schedulers, one policy per flow, logged global deny"
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities { kind: Kind::Firewall, ipv6: true, windows: Clock::Device, max_interface_name: None }
    }

    fn render(&self, _ctx: &Context<'_>, device: &DevicePolicy) -> Result<Vec<Artifact>, Vec<Unrenderable>> {
        let plan = Plan::new(device, self.name())?;
        let mut w = Writer::new();
        plan.header(&mut w);
        plan.delete(&mut w);
        plan.zones(&mut w);
        plan.address_book(&mut w);
        plan.applications(&mut w);
        plan.schedulers(&mut w);
        plan.policies(&mut w);
        Ok(vec![w.finish(format!("{}/juniper-srx.set", device.name), &device.name, self.name())])
    }
}

/// A host group's address-book entries: one address, or addresses and an
/// address set of them.
struct AddressEntry {
    /// What policies name.
    name: String,
    /// (address name, prefix); one entry, named `name`, without a set.
    members: Vec<(String, IpNet)>,
}

/// One scheduler: a name and at most one range per day, Monday first.
struct Scheduler {
    name: String,
    days: [Option<(u16, u16)>; 7],
}

struct Plan<'a> {
    device: &'a DevicePolicy,
    /// Security-zone name per interface.
    zones: Vec<String>,
    hosts: BTreeMap<HostKey, HostObject>,
    addresses: BTreeMap<HostKey, AddressEntry>,
    services: BTreeMap<String, ServiceObject>,
    /// The schedulers of each windowed conduit.
    schedulers: BTreeMap<String, Vec<Scheduler>>,
    /// The policy names of each rule: one, or one per scheduler.
    policies: Vec<Vec<String>>,
}

impl<'a> Plan<'a> {
    fn new(device: &'a DevicePolicy, target: &str) -> Result<Self, Vec<Unrenderable>> {
        let mut problems = Vec::new();
        for interface in device.interfaces.iter().filter(|i| !junos_interface(&i.name)) {
            problems.push(Unrenderable {
                rule: None,
                message: format!(
                    "`{}` (the interface in zone `{}`) is not a Junos logical interface name such as `ge-0/0/1.0` or `reth0.100`",
                    interface.name, interface.zone_name
                ),
                help: format!(
                    "name the device's interface in kojo.kdl: `device \"{}\" {{ interface \"{}\" \"ge-0/0/1.0\" }}`",
                    device.name, interface.zone_name
                ),
            });
        }
        let weeks = vendor::check_rules(device, target, &mut problems);
        if !problems.is_empty() {
            return Err(problems);
        }
        let mut zone_names = Names::new(junos_name_char);
        for reserved in ["any", "all", "global", "junos-host", "junos-global"] {
            zone_names.reserve(reserved);
        }
        let zones = device.interfaces.iter().map(|i| zone_names.unique(&i.zone_name, NAME_MAX)).collect();
        let mut names = Names::new(junos_name_char);
        names.reserve(DENY);
        let hosts = vendor::host_objects(device, &mut names, NAME_MAX);
        let mut addresses = BTreeMap::new();
        for (key, host) in &hosts {
            let members = if host.nets.len() == 1 {
                host.nets.iter().map(|n| (host.name.clone(), *n)).collect()
            } else {
                host.nets
                    .iter()
                    .enumerate()
                    .map(|(i, n)| (names.unique(&format!("{}_{}", host.name, i + 1), NAME_MAX), *n))
                    .collect()
            };
            addresses.insert(key.clone(), AddressEntry { name: host.name.clone(), members });
        }
        let services = vendor::service_objects(device, &mut names, PREFIX, NAME_MAX);
        let mut schedulers = BTreeMap::new();
        for (conduit, week) in weeks {
            let layers = vendor::layers(&week);
            let base = format!("{PREFIX}{conduit}");
            let list: Vec<Scheduler> = layers
                .into_iter()
                .enumerate()
                .map(|(i, days)| {
                    let wanted = if i == 0 { base.clone() } else { format!("{base}_{}", i + 1) };
                    Scheduler { name: names.unique(&wanted, NAME_MAX), days }
                })
                .collect();
            schedulers.insert(conduit, list);
        }
        let mut policy_names = Names::new(junos_name_char);
        policy_names.reserve(DENY);
        let policies = device
            .rules
            .iter()
            .map(|rule| {
                let base = format!("{PREFIX}{}_{}", rule.conduit_name, rule.flow);
                let count = match (&rule.window, schedulers.get(&*rule.conduit_name)) {
                    (Some(_), Some(list)) => list.len().max(1),
                    _ => 1,
                };
                (0..count)
                    .map(|i| {
                        let wanted = if i == 0 { base.clone() } else { format!("{base}_w{}", i + 1) };
                        policy_names.unique(&wanted, NAME_MAX)
                    })
                    .collect()
            })
            .collect();
        Ok(Plan { device, zones, hosts, addresses, services, schedulers, policies })
    }

    fn header(&self, w: &mut Writer) {
        let device = self.device;
        w.line_fmt(format_args!("# kojo: Juniper SRX security policy for device {}", device.name));
        w.line("# Generated by kojo from the model; change the model, not this file.");
        w.line("# For Junos OS 15.1X49 and later. Load with `load set FILE`, then `commit check` and `commit`.");
        w.line("# It replaces the device's security policies; `delete` of an object not there yet only warns.");
        if !self.schedulers.is_empty() {
            w.line_fmt(format_args!(
                "# Schedulers run on the device's clock, which must be set to {}.",
                device.timezone
            ));
        }
    }

    fn delete(&self, w: &mut Writer) {
        w.line("delete security policies");
        // The delete also removed this setting: without it, sessions a
        // changed or removed policy no longer allows would run on.
        w.line("set security policies policy-rematch");
        // A host's entry may turn from an address into a set or back.
        for address in self.addresses.values() {
            w.line_fmt(format_args!("delete security address-book global address-set {}", address.name));
            w.line_fmt(format_args!("delete security address-book global address {}", address.name));
        }
        for service in self.services.values() {
            w.line_fmt(format_args!("delete applications application {}", service.name));
        }
        for scheduler in self.schedulers.values().flatten() {
            w.line_fmt(format_args!("delete schedulers scheduler {}", scheduler.name));
        }
    }

    fn zones(&self, w: &mut Writer) {
        for (iface, zone) in self.device.interfaces.iter().zip(&self.zones) {
            w.line_fmt(format_args!("set security zones security-zone {zone} interfaces {}", iface.name));
        }
    }

    fn address_book(&self, w: &mut Writer) {
        for (key, address) in &self.addresses {
            let about = self.hosts.get(key).map(|h| h.describe(key)).unwrap_or_default();
            let description = format!("\"{}\"", text(&format!("kojo: {about}")));
            for (name, net) in &address.members {
                w.line_fmt(format_args!("set security address-book global address {name} {net}"));
                w.line_fmt(format_args!("set security address-book global address {name} description {description}"));
            }
            if address.members.len() > 1 {
                for (name, _) in &address.members {
                    w.line_fmt(format_args!(
                        "set security address-book global address-set {} address {name}",
                        address.name
                    ));
                }
                w.line_fmt(format_args!(
                    "set security address-book global address-set {} description {description}",
                    address.name
                ));
            }
        }
    }

    fn applications(&self, w: &mut Writer) {
        for (name, service) in &self.services {
            let application = format!("set applications application {}", service.name);
            let what = if service.catalogued { "service" } else { "port" };
            w.line_fmt(format_args!("{application} description \"{}\"", text(&format!("kojo: {what} {name}"))));
            let single = service.ports.len() == 1;
            for (i, range) in service.ports.iter().enumerate() {
                let at = if single { application.clone() } else { format!("{application} term t{}", i + 1) };
                let ports = match range.end {
                    Some(end) if end != range.port => format!("{}-{end}", range.port),
                    _ => range.port.to_string(),
                };
                w.line_fmt(format_args!("{at} protocol {}", range.protocol.as_str()));
                w.line_fmt(format_args!("{at} destination-port {ports}"));
            }
        }
    }

    fn schedulers(&self, w: &mut Writer) {
        for scheduler in self.schedulers.values().flatten() {
            for (day, range) in Weekday::ALL.iter().zip(scheduler.days.iter()) {
                let Some((start, end)) = range else { continue };
                w.line_fmt(format_args!(
                    "set schedulers scheduler {} {} start-time {} stop-time {}",
                    scheduler.name,
                    day_name(*day),
                    time(*start),
                    time(*end)
                ));
            }
        }
    }

    fn policies(&self, w: &mut Writer) {
        for (index, rule) in self.device.rules.iter().enumerate() {
            let names = self.policies.get(index).cloned().unwrap_or_default();
            let schedulers = match (&rule.window, self.schedulers.get(&*rule.conduit_name)) {
                (Some(_), Some(list)) => list.iter().map(|s| Some(s.name.clone())).collect(),
                _ => vec![None],
            };
            for (name, scheduler) in names.iter().zip(schedulers) {
                self.policy(w, rule, name, scheduler.as_deref());
            }
        }
        let deny = format!("set security policies global policy {DENY}");
        w.line_fmt(format_args!("{deny} match source-address any"));
        w.line_fmt(format_args!("{deny} match destination-address any"));
        w.line_fmt(format_args!("{deny} match application any"));
        w.line_fmt(format_args!("{deny} then deny"));
        w.line_fmt(format_args!("{deny} then log session-init"));
        w.line_fmt(format_args!("{deny} description \"kojo: default deny\""));
        w.line("set security policies default-policy deny-all");
    }

    fn policy(&self, w: &mut Writer, rule: &Rule, name: &str, scheduler: Option<&str>) {
        let zone = |i: usize| self.zones.get(i).cloned().unwrap_or_default();
        let at = format!("set security policies from-zone {} to-zone {} policy {name}", zone(rule.from), zone(rule.to));
        let mut lines = vec![format!("{at} description \"{}\"", text(&rule.comment()))];
        for (field, side) in [
            ("source-address", vendor::side(self.device, &rule.sources, rule.from)),
            ("destination-address", vendor::side(self.device, &rule.destinations, rule.to)),
        ] {
            match side {
                Side::Any => lines.push(format!("{at} match {field} any")),
                Side::Groups(keys) => {
                    for address in keys.iter().filter_map(|k| self.addresses.get(k)) {
                        lines.push(format!("{at} match {field} {}", address.name));
                    }
                }
            }
        }
        let mut applications: Vec<&str> = Vec::new();
        for service in rule.services.iter().filter_map(|s| self.services.get(&s.name)) {
            if !applications.contains(&service.name.as_str()) {
                applications.push(&service.name);
            }
        }
        for application in applications {
            lines.push(format!("{at} match application {application}"));
        }
        lines.push(format!("{at} then permit"));
        if rule.log {
            lines.push(format!("{at} then log session-close"));
        }
        if let Some(scheduler) = scheduler {
            lines.push(format!("{at} scheduler-name {scheduler}"));
        }
        w.traced(rule, lines.join("\n"));
    }
}

/// Letters, digits, `-` and `_`: what Junos allows in every name kojo sets.
fn junos_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-')
}

/// A logical interface as Junos names them: `ge-0/0/1.0`, `xe-1/0/0:2.0`,
/// `ae0.0`, `reth1.100`, `irb.10`, `st0.1`. A zone's name (the default when
/// the manifest names no interface) is not one.
fn junos_interface(name: &str) -> bool {
    let (physical, unit) = match name.split_once('.') {
        Some((physical, unit)) => (physical, Some(unit)),
        None => (name, None),
    };
    let unit_ok = unit.is_none_or(|u| !u.is_empty() && u.chars().all(|c| c.is_ascii_digit()));
    let kind_len = physical.chars().take_while(|c| c.is_ascii_lowercase()).count();
    let (kind, rest) = physical.split_at(kind_len);
    let rest_ok = match rest.strip_prefix('-') {
        // fpc/pic/port, optionally :channel
        Some(slots) => {
            let (slots, channel) = slots.split_once(':').map_or((slots, None), |(s, c)| (s, Some(c)));
            let parts: Vec<&str> = slots.split('/').collect();
            parts.len() == 3
                && parts.iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
                && channel.is_none_or(|c| !c.is_empty() && c.chars().all(|ch| ch.is_ascii_digit()))
        }
        None => rest.chars().all(|c| c.is_ascii_digit()),
    };
    // A bare word (`control`) is neither a physical port nor a unit.
    let numbered = name.chars().any(|c| c.is_ascii_digit());
    !kind.is_empty() && rest_ok && unit_ok && numbered
}

/// A quoted string's content: ASCII, without quotes or backslashes.
fn text(text: &str) -> String {
    vendor::ascii_text(text, &['"', '\\']).chars().take(DESCRIPTION_MAX).collect()
}

/// `hh:mm:ss`; the end of the day as 23:59:59.
fn time(minutes: u16) -> String {
    if minutes >= 1440 {
        "23:59:59".to_string()
    } else {
        format!("{:02}:{:02}:00", minutes / 60, minutes % 60)
    }
}

fn day_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "monday",
        Weekday::Tue => "tuesday",
        Weekday::Wed => "wednesday",
        Weekday::Thu => "thursday",
        Weekday::Fri => "friday",
        Weekday::Sat => "saturday",
        Weekday::Sun => "sunday",
    }
}

#[cfg(test)]
mod tests {
    use super::junos_interface;

    #[test]
    fn junos_interface_names() {
        for good in ["ge-0/0/1.0", "xe-1/0/0:2.0", "ae0.0", "reth1.100", "irb.10", "st0.1", "ge-0/0/3", "vlan.20"] {
            assert!(junos_interface(good), "{good}");
        }
        for bad in ["control", "prod_mgmt", "ge-0/0.0", "GigabitEthernet0/1", "ge-0/0/1.x", "eth1.", ".0", "port1/2"] {
            assert!(!junos_interface(bad), "{bad}");
        }
    }
}
