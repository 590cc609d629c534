//! `fortigate`: a device's policy as FortiOS CLI configuration (FortiOS 6.4
//! and later, where IPv4 and IPv6 share one policy table): addresses and
//! address groups, custom services, recurring schedules, and one firewall
//! policy per flow between its two interfaces, ending in a logged deny.
//!
//! FortiOS `set` replaces a setting, so loading the file again updates
//! kojo's objects in place; every setting kojo owns is set (or unset)
//! explicitly for that reason. Policies are numbered from 1 in the model's
//! order and the final deny follows the last flow; a policy left from a
//! longer earlier version sits after that deny, where it can never match.

use std::collections::BTreeMap;

use ipnet::IpNet;
use kojo_compiler::types::Weekday;

use crate::enforcement::firewalls::vendor::{self, HostKey, HostObject, Names, ServiceObject, Side, PREFIX};
use crate::enforcement::policy::{DevicePolicy, Family, Rule};
use crate::enforcement::{Artifact, Backend, Capabilities, Clock, Context, Kind, Unrenderable, Writer};

pub struct Fortigate;

pub const FORTIGATE: Fortigate = Fortigate;

/// Address, address group and service names: 79 characters.
const NAME_MAX: usize = 79;
/// Schedule names: 31 characters.
const SCHEDULE_MAX: usize = 31;
/// Policy comments: 1023 characters.
const COMMENT_MAX: usize = 1023;

impl Backend for Fortigate {
    fn name(&self) -> &'static str {
        "fortigate"
    }

    fn description(&self) -> &'static str {
        "FortiOS 6.4+ CLI: addresses, custom services, recurring schedules, one policy per flow and a logged deny"
    }

    fn capabilities(&self) -> Capabilities {
        // FortiOS interface names have at most 15 characters.
        Capabilities { kind: Kind::Firewall, ipv6: true, windows: Clock::Device, max_interface_name: Some(15) }
    }

    fn render(&self, _ctx: &Context<'_>, device: &DevicePolicy) -> Result<Vec<Artifact>, Vec<Unrenderable>> {
        let plan = Plan::new(device, self.name())?;
        let mut w = Writer::new();
        plan.header(&mut w);
        plan.addresses(&mut w);
        plan.services(&mut w);
        plan.schedules(&mut w);
        plan.policies(&mut w);
        Ok(vec![w.finish(format!("{}/fortigate.conf", device.name), &device.name, self.name())])
    }
}

/// The objects of one family of a host group: one address, or several
/// addresses and a group of them.
struct FamilyObject {
    /// What policies name: the address, or the group.
    name: String,
    /// (address name, network); one entry when there is no group.
    members: Vec<(String, IpNet)>,
}

/// A recurring schedule: its name, days and times.
struct Recurring {
    name: String,
    days: Vec<Weekday>,
    start: u16,
    end: u16,
}

/// A conduit's schedule: what policies name, and its recurring parts.
struct Schedule {
    name: String,
    recurring: Vec<Recurring>,
    /// A schedule group, when the window needs several recurring parts.
    group: bool,
}

struct Plan<'a> {
    device: &'a DevicePolicy,
    hosts: BTreeMap<HostKey, HostObject>,
    /// The IPv4 and IPv6 objects of each host group.
    families: BTreeMap<(HostKey, Family), FamilyObject>,
    services: BTreeMap<String, ServiceObject>,
    schedules: BTreeMap<String, Schedule>,
}

impl<'a> Plan<'a> {
    fn new(device: &'a DevicePolicy, target: &str) -> Result<Self, Vec<Unrenderable>> {
        let mut problems = Vec::new();
        for interface in device.interfaces.iter().filter(|i| i.name.eq_ignore_ascii_case("any")) {
            problems.push(Unrenderable {
                rule: None,
                message: format!(
                    "the interface in zone `{}` is named `{}`, which FortiOS policies read as every interface",
                    interface.zone_name, interface.name
                ),
                help: format!(
                    "name the interface in kojo.kdl: `device \"{}\" {{ interface \"{}\" \"port1\" }}`",
                    device.name, interface.zone_name
                ),
            });
        }
        let weeks = vendor::check_rules(device, target, &mut problems);
        if !problems.is_empty() {
            return Err(problems);
        }
        let mut names = Names::new(vendor::plain_name_char);
        for builtin in ["all", "none", "always", "ALL"] {
            names.reserve(builtin);
        }
        let hosts = vendor::host_objects(device, &mut names, NAME_MAX);
        let mut families = BTreeMap::new();
        for (key, host) in &hosts {
            let v4 = host.nets_of(Family::V4);
            for (family, nets) in [(Family::V4, v4.clone()), (Family::V6, host.nets_of(Family::V6))] {
                if nets.is_empty() {
                    continue;
                }
                // The group's own name goes to its IPv4 part when it has one.
                let name = if family == Family::V4 || v4.is_empty() {
                    host.name.clone()
                } else {
                    names.unique(&format!("{}_v6", host.name), NAME_MAX)
                };
                let members = if nets.len() == 1 {
                    nets.iter().map(|n| (name.clone(), *n)).collect()
                } else {
                    nets.iter()
                        .enumerate()
                        .map(|(i, n)| (names.unique(&format!("{name}_{}", i + 1), NAME_MAX), *n))
                        .collect()
                };
                families.insert((key.clone(), family), FamilyObject { name, members });
            }
        }
        let services = vendor::service_objects(device, &mut names, PREFIX, NAME_MAX);
        let mut schedules = BTreeMap::new();
        for (conduit, week) in weeks {
            let name = names.unique(&format!("{PREFIX}{conduit}"), SCHEDULE_MAX);
            let parts = vendor::ranges_by_time(&week);
            let group = parts.len() > 1;
            let recurring = parts
                .into_iter()
                .enumerate()
                .map(|(i, ((start, end), days))| Recurring {
                    name: if group { names.unique(&format!("{name}_{}", i + 1), SCHEDULE_MAX) } else { name.clone() },
                    days,
                    start,
                    end,
                })
                .collect();
            schedules.insert(conduit, Schedule { name, recurring, group });
        }
        Ok(Plan { device, hosts, families, services, schedules })
    }

    fn header(&self, w: &mut Writer) {
        let device = self.device;
        w.line(format!("# kojo: FortiGate firewall policy for device {}", device.name));
        w.line("# Generated by kojo from the model; change the model, not this file.");
        w.line("# For FortiOS 6.4 and later (IPv4 and IPv6 in one policy table). Run it as a CLI script.");
        w.line("# It owns the policy table: policies 1 and up are kojo's flows, then a logged deny.");
        for iface in &device.interfaces {
            w.line(format!("# interface {}: zone {}", iface.name, iface.zone_name));
        }
        if !self.schedules.is_empty() {
            w.line(format!("# Schedules run on the device's clock, which must be set to {}.", device.timezone));
        }
    }

    fn addresses(&self, w: &mut Writer) {
        for (family, section, group_section) in
            [(Family::V4, "address", "addrgrp"), (Family::V6, "address6", "addrgrp6")]
        {
            let objects: Vec<(&HostKey, &FamilyObject)> =
                self.families.iter().filter(|((_, f), _)| *f == family).map(|((k, _), o)| (k, o)).collect();
            if objects.is_empty() {
                continue;
            }
            w.line(format!("config firewall {section}"));
            for (key, object) in &objects {
                let about = self.hosts.get(key).map(|h| h.describe(key)).unwrap_or_default();
                for (name, net) in &object.members {
                    w.line(format!("    edit \"{name}\""));
                    match net {
                        IpNet::V4(v4) => {
                            w.line("        set type ipmask");
                            w.line(format!("        set subnet {} {}", v4.network(), v4.netmask()));
                        }
                        IpNet::V6(v6) => {
                            w.line("        set type ipprefix");
                            w.line(format!("        set ip6 {}/{}", v6.network(), v6.prefix_len()));
                        }
                    }
                    w.line(format!("        set comment \"{}\"", text(&format!("kojo: {about}"), 255)));
                    w.line("    next");
                }
            }
            w.line("end");
            let groups: Vec<&(&HostKey, &FamilyObject)> = objects.iter().filter(|(_, o)| o.members.len() > 1).collect();
            if groups.is_empty() {
                continue;
            }
            w.line(format!("config firewall {group_section}"));
            for (key, object) in groups {
                let about = self.hosts.get(key).map(|h| h.describe(key)).unwrap_or_default();
                w.line(format!("    edit \"{}\"", object.name));
                w.line(format!("        set member {}", quoted(object.members.iter().map(|(n, _)| n.as_str()))));
                w.line(format!("        set comment \"{}\"", text(&format!("kojo: {about}"), 255)));
                w.line("    next");
            }
            w.line("end");
        }
    }

    fn services(&self, w: &mut Writer) {
        if self.services.is_empty() {
            return;
        }
        w.line("config firewall service custom");
        for (name, service) in &self.services {
            w.line(format!("    edit \"{}\"", service.name));
            w.line("        set protocol TCP/UDP/SCTP");
            for (transport, keyword) in [("tcp", "tcp-portrange"), ("udp", "udp-portrange")] {
                let ranges: Vec<String> = service
                    .ports
                    .iter()
                    .filter(|p| p.protocol.as_str() == transport)
                    .map(|p| match p.end {
                        Some(end) if end != p.port => format!("{}-{end}", p.port),
                        _ => p.port.to_string(),
                    })
                    .collect();
                if ranges.is_empty() {
                    w.line(format!("        unset {keyword}"));
                } else {
                    w.line(format!("        set {keyword} {}", ranges.join(" ")));
                }
            }
            let what = if service.catalogued { "service" } else { "port" };
            w.line(format!("        set comment \"{}\"", text(&format!("kojo: {what} {name}"), 255)));
            w.line("    next");
        }
        w.line("end");
    }

    fn schedules(&self, w: &mut Writer) {
        if self.schedules.is_empty() {
            return;
        }
        w.line("config firewall schedule recurring");
        for part in self.schedules.values().flat_map(|s| s.recurring.iter()) {
            w.line(format!("    edit \"{}\"", part.name));
            w.line(format!("        set day {}", part.days.iter().map(|d| day_name(*d)).collect::<Vec<_>>().join(" ")));
            w.line(format!("        set start \"{}\"", vendor::hhmm(part.start)));
            w.line(format!("        set end \"{}\"", vendor::hhmm(part.end)));
            w.line("    next");
        }
        w.line("end");
        let groups: Vec<&Schedule> = self.schedules.values().filter(|s| s.group).collect();
        if groups.is_empty() {
            return;
        }
        w.line("config firewall schedule group");
        for schedule in groups {
            w.line(format!("    edit \"{}\"", schedule.name));
            w.line(format!("        set member {}", quoted(schedule.recurring.iter().map(|r| r.name.as_str()))));
            w.line("    next");
        }
        w.line("end");
    }

    fn policies(&self, w: &mut Writer) {
        w.line("config firewall policy");
        for (index, rule) in self.device.rules.iter().enumerate() {
            self.policy(w, index + 1, rule);
        }
        let deny = self.device.rules.len() + 1;
        w.line(format!("    edit {deny}"));
        w.line("        set status enable");
        w.line("        set srcintf \"any\"");
        w.line("        set dstintf \"any\"");
        w.line("        set action deny");
        w.line("        set srcaddr \"all\"");
        w.line("        set dstaddr \"all\"");
        w.line("        set srcaddr6 \"all\"");
        w.line("        set dstaddr6 \"all\"");
        w.line("        set schedule \"always\"");
        w.line("        set service \"ALL\"");
        w.line("        set logtraffic all");
        w.line("        set comments \"kojo: default deny\"");
        w.line("    next");
        if deny > 1 {
            w.line(format!("    move {deny} after {}", deny - 1));
        }
        w.line("end");
    }

    fn policy(&self, w: &mut Writer, id: usize, rule: &Rule) {
        let interface = |i: usize| self.device.interface(i).map(|i| i.name.clone()).unwrap_or_default();
        let families = vendor::shared_families(rule);
        let sources = vendor::side(self.device, &rule.sources, rule.from);
        let destinations = vendor::side(self.device, &rule.destinations, rule.to);
        let mut lines = vec![
            format!("    edit {id}"),
            "        set status enable".to_string(),
            format!("        set srcintf \"{}\"", interface(rule.from)),
            format!("        set dstintf \"{}\"", interface(rule.to)),
            "        set action accept".to_string(),
        ];
        for (family, suffix) in [(Family::V4, ""), (Family::V6, "6")] {
            if families.contains(&family) {
                lines.push(format!("        set srcaddr{suffix} {}", self.addresses_of(&sources, family)));
                lines.push(format!("        set dstaddr{suffix} {}", self.addresses_of(&destinations, family)));
            } else {
                lines.push(format!("        unset srcaddr{suffix}"));
                lines.push(format!("        unset dstaddr{suffix}"));
            }
        }
        let schedule = match (&rule.window, self.schedules.get(&rule.conduit_name)) {
            (Some(_), Some(schedule)) => schedule.name.clone(),
            _ => "always".to_string(),
        };
        lines.push(format!("        set schedule \"{schedule}\""));
        let mut services: Vec<&str> = Vec::new();
        for service in rule.services.iter().filter_map(|s| self.services.get(&s.name)) {
            if !services.contains(&service.name.as_str()) {
                services.push(&service.name);
            }
        }
        lines.push(format!("        set service {}", quoted(services.into_iter())));
        lines.push(format!("        set logtraffic {}", if rule.log { "all" } else { "utm" }));
        lines.push(format!("        set comments \"{}\"", text(&rule.comment(), COMMENT_MAX)));
        lines.push("    next".to_string());
        w.traced(rule, lines.join("\n"));
    }

    /// The quoted names of one family's objects for one end: `"all"` for
    /// any host on the interface.
    fn addresses_of(&self, side: &Side, family: Family) -> String {
        match side {
            Side::Any => "\"all\"".to_string(),
            Side::Groups(keys) => {
                quoted(keys.iter().filter_map(|k| self.families.get(&(k.clone(), family))).map(|o| o.name.as_str()))
            }
        }
    }
}

fn quoted<'n>(names: impl Iterator<Item = &'n str>) -> String {
    names.map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(" ")
}

/// A comment in double quotes: ASCII, without quotes or backslashes.
fn text(text: &str, max: usize) -> String {
    vendor::ascii_text(text, &['"', '\\']).chars().take(max).collect()
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
