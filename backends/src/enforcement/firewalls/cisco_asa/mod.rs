//! `cisco-asa`: a device's policy as Cisco ASA (9.x) configuration
//! commands: network and service object-groups, a `time-range` per
//! windowed conduit, and an inbound and an outbound extended access list
//! per interface, bound with `access-group`, each ending in a logged
//! `deny ip any any`.
//!
//! An ASA access list bound inbound filters by where a connection
//! arrives, not where it leaves, and the ASA picks the way out by its
//! routes: a flow to `any` host of the internet would reach every other
//! interface too, and a wrong route would carry a flow into another zone.
//! So every interface gets two lists, inbound with the flows that arrive
//! by it and outbound with the flows that leave by it, and a connection
//! passes only where both allow it. Every interface gets them even when no
//! flow uses it, because an ASA interface without a list lets traffic
//! through by security level. A flow from or to `any` outside the site is
//! kept off the site's networks by a `deny` before it, and two flows the
//! lists still could not tell apart are refused (fail closed).
//!
//! The file replaces kojo's previous policy on the device: it first binds a
//! deny-all list to every interface (new connections wait; open ones, which
//! the ASA tracks statefully, go on), clears kojo's lists and objects, and
//! defines them again, so nothing of an older version lingers. Open
//! connections are then ended where the model ends them ([`sessions`]).
//!
//! A `periodic` end is inclusive (`to 17:59` matches until 17:59:59), so a
//! window's end is written as the minute before it.

mod crossings;
mod sessions;

use std::collections::BTreeMap;

use ipnet::IpNet;
use kojo_compiler::types::Weekday;

use crate::enforcement::firewalls::vendor::{self, HostKey, HostObject, Names, ServiceObject, Side, Week, PREFIX};
use crate::enforcement::policy::{DevicePolicy, Hosts, Rule};
use crate::enforcement::{Artifact, Backend, Capabilities, Clock, Context, Kind, Unrenderable, Writer};

pub struct CiscoAsa;

pub const CISCO_ASA: CiscoAsa = CiscoAsa;

/// Objects, object-groups and time-ranges: 64 characters.
const NAME_MAX: usize = 64;
/// Access-list names: 241 characters.
const ACL_MAX: usize = 241;
/// Access-list remarks: 100 characters.
const REMARK_MAX: usize = 100;
/// Object-group descriptions: 200 characters.
const DESCRIPTION_MAX: usize = 200;
/// The list every interface holds while the policy is replaced.
const HOLD: &str = "kojo_hold";

impl Backend for CiscoAsa {
    fn name(&self) -> &'static str {
        "cisco-asa"
    }

    fn description(&self) -> &'static str {
        "Cisco ASA 9.2+ commands: object-groups, time-ranges, inbound and outbound access lists per interface with a logged default deny, applets that end windows' connections"
    }

    fn capabilities(&self) -> Capabilities {
        // A nameif has at most 48 characters.
        Capabilities { kind: Kind::Firewall, ipv6: true, windows: Clock::Device, max_interface_name: Some(48) }
    }

    fn spends_pair_budget(&self) -> bool {
        true
    }

    fn render(&self, ctx: &Context<'_>, device: &DevicePolicy) -> Result<Vec<Artifact>, Vec<Unrenderable>> {
        let plan = Plan::new(device, self.name(), ctx.pairs)?;
        let mut w = Writer::new();
        plan.header(&mut w);
        plan.clear(&mut w);
        plan.objects(&mut w);
        plan.access_lists(&mut w);
        plan.bind(&mut w);
        plan.end_sessions(&mut w);
        Ok(vec![w.finish(format!("{}/cisco-asa.cfg", device.name), &device.name, self.name())])
    }
}

/// One access list: the flows of one interface and direction.
struct Acl {
    name: String,
    interface: usize,
    inbound: bool,
}

/// Everything named, before anything is written.
struct Plan<'a> {
    device: &'a DevicePolicy,
    hosts: BTreeMap<HostKey, HostObject>,
    services: BTreeMap<String, ServiceObject>,
    /// Time-range name and week, by conduit.
    windows: BTreeMap<String, (String, Week)>,
    /// The service group of each rule that names several services.
    rule_services: BTreeMap<usize, String>,
    /// The group of every subnet of the zones the device joins, when a
    /// flow to or from `any` outside them needs them kept out.
    internal: Option<(String, Vec<IpNet>)>,
    acls: Vec<Acl>,
}

impl<'a> Plan<'a> {
    fn new(
        device: &'a DevicePolicy,
        target: &str,
        pairs: &std::sync::Mutex<crate::enforcement::pairs::Budget>,
    ) -> Result<Self, Vec<Unrenderable>> {
        let mut problems = Vec::new();
        for interface in device.interfaces.iter().filter(|i| !valid_nameif(&i.name)) {
            problems.push(Unrenderable {
                rule: None,
                message: format!(
                    "`{}` (the interface in zone `{}`) is not an ASA interface name (nameif): use letters, digits, `_`, `-` and `.`",
                    interface.name, interface.zone_name
                ),
                help: format!(
                    "name the interface by its nameif in kojo.kdl: `device \"{}\" {{ interface \"{}\" \"inside\" }}`",
                    device.name, interface.zone_name
                ),
            });
        }
        let weeks = vendor::check_rules(device, target, &mut problems);
        if problems.is_empty() {
            problems.extend(crossings::crossings(device, pairs));
            problems.extend(sessions::check_applets(device, &weeks, &internal_networks(device), pairs));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let mut names = Names::new(asa_name_char);
        names.reserve(HOLD);
        let hosts = vendor::host_objects(device, &mut names, NAME_MAX);
        let services = vendor::service_objects(device, &mut names, &format!("{PREFIX}svc_"), NAME_MAX);
        let windows = weeks
            .into_iter()
            .map(|(conduit, week)| {
                let name = names.unique(&format!("{PREFIX}tw_{conduit}"), NAME_MAX);
                (conduit, (name, week))
            })
            .collect();
        let mut rule_services = BTreeMap::new();
        for (index, rule) in device.rules.iter().enumerate() {
            if service_names(rule).len() > 1 {
                let name = names.unique(&format!("{PREFIX}{}_{}", rule.conduit_name, rule.flow), NAME_MAX);
                rule_services.insert(index, name);
            }
        }
        let any_end = device.rules.iter().any(|r| r.sources == Hosts::Any || r.destinations == Hosts::Any);
        let subnets = internal_networks(device);
        let internal = (any_end && !subnets.is_empty())
            .then(|| (names.unique(&format!("{PREFIX}internal_networks"), NAME_MAX), subnets));
        let mut acl_names = Names::new(asa_name_char);
        acl_names.reserve(HOLD);
        let mut acls: Vec<Acl> = (0..device.interfaces.len())
            .filter_map(|i| device.interface(i).map(|iface| (i, iface)))
            .map(|(i, iface)| Acl {
                name: acl_names.unique(&format!("{PREFIX}{}_in", iface.name), ACL_MAX),
                interface: i,
                inbound: true,
            })
            .collect();
        for (i, iface) in device.interfaces.iter().enumerate() {
            let name = acl_names.unique(&format!("{PREFIX}{}_out", iface.name), ACL_MAX);
            acls.push(Acl { name, interface: i, inbound: false });
        }
        Ok(Plan { device, hosts, services, windows, rule_services, internal, acls })
    }

    fn header(&self, w: &mut Writer) {
        let device = self.device;
        w.line_fmt(format_args!("! kojo: Cisco ASA access policy for device {}", device.name));
        w.line("! Generated by kojo from the model; change the model, not this file.");
        w.line("! For ASA 9.2 and later 9.x (access lists match IPv4 and IPv6; EEM applets end windows).");
        w.line("! Paste it in configuration mode or copy it to running-config. It replaces kojo's earlier");
        w.line("! policy: on a device that never had one, the `no object-group` and `no time-range` lines");
        w.line("! report missing objects. It ends by clearing the connections through the device.");
        w.line("! EEM applets work only in single context mode. An applet this file does not define (its window");
        w.line("! was removed or its end moved) stays and goes on clearing connections daily at its time;");
        w.line("! list kojo's: show running-config event manager | include applet kojo_");
        w.line("! and remove each stale one: no event manager applet NAME");
        for iface in &device.interfaces {
            w.line_fmt(format_args!("! nameif {}: zone {}", iface.name, iface.zone_name));
        }
        if !self.windows.is_empty() {
            w.line_fmt(format_args!(
                "! Time ranges run on the device's clock, which must be set to {}.",
                device.timezone
            ));
        }
        w.line("!");
    }

    /// Holds every interface at deny, then removes kojo's lists and
    /// objects (groups that contain others first).
    fn clear(&self, w: &mut Writer) {
        w.line("! While the policy is replaced, every interface denies new connections.");
        w.line_fmt(format_args!("clear configure access-list {HOLD}"));
        w.line_fmt(format_args!("access-list {HOLD} extended deny ip any any"));
        for iface in &self.device.interfaces {
            w.line_fmt(format_args!("access-group {HOLD} in interface {}", iface.name));
        }
        for acl in &self.acls {
            w.line_fmt(format_args!("clear configure access-list {}", acl.name));
        }
        for name in self.rule_services.values() {
            w.line_fmt(format_args!("no object-group service {name}"));
        }
        for service in self.services.values() {
            w.line_fmt(format_args!("no object-group service {}", service.name));
        }
        for host in self.hosts.values() {
            w.line_fmt(format_args!("no object-group network {}", host.name));
        }
        if let Some((name, _)) = &self.internal {
            w.line_fmt(format_args!("no object-group network {name}"));
        }
        for (name, _) in self.windows.values() {
            w.line_fmt(format_args!("no time-range {name}"));
        }
        w.line("!");
    }

    fn objects(&self, w: &mut Writer) {
        for (key, host) in &self.hosts {
            w.line_fmt(format_args!("object-group network {}", host.name));
            w.line_fmt(format_args!(" description {}", description(&format!("kojo: {}", host.describe(key)))));
            for net in &host.nets {
                w.line_fmt(format_args!(" network-object {}", network(net)));
            }
        }
        if let Some((name, nets)) = &self.internal {
            w.line_fmt(format_args!("object-group network {name}"));
            w.line(" description kojo: every network of the zones the device joins");
            for net in nets {
                w.line_fmt(format_args!(" network-object {}", network(net)));
            }
        }
        for (name, service) in &self.services {
            w.line_fmt(format_args!("object-group service {}", service.name));
            let what = if service.catalogued { "service" } else { "port" };
            w.line_fmt(format_args!(" description {}", description(&format!("kojo: {what} {name}"))));
            for range in &service.ports {
                let ports = match range.end {
                    Some(end) if end != range.port => format!("range {} {end}", range.port),
                    _ => format!("eq {}", range.port),
                };
                w.line_fmt(format_args!(" service-object {} destination {ports}", range.protocol.as_str()));
            }
        }
        for (index, name) in &self.rule_services {
            let Some(rule) = self.device.rules.get(*index) else { continue };
            w.traced_fmt(rule, format_args!("object-group service {name}"));
            w.traced_fmt(rule, format_args!(" description {}", description(&rule.comment())));
            for service in service_names(rule) {
                if let Some(object) = self.services.get(service) {
                    w.traced_fmt(rule, format_args!(" group-object {}", object.name));
                }
            }
        }
        for (name, week) in self.windows.values() {
            w.line_fmt(format_args!("time-range {name}"));
            for ((start, end), days) in vendor::ranges_by_time(week) {
                // The end minute is inclusive: the window's last minute is end - 1.
                let last = vendor::hhmm(end.saturating_sub(1).max(start));
                w.line_fmt(format_args!(" periodic {} {} to {last}", periodic_days(&days), vendor::hhmm(start)));
            }
        }
        w.line("!");
    }

    /// Flows that name their hosts on the list's own side come first: the
    /// denies that keep a flow to or from `any` out of the site's networks
    /// must not come before them.
    fn access_lists(&self, w: &mut Writer) {
        // Each list's flows, gathered in one pass: a device with an
        // interface per zone would otherwise read every flow for every list.
        let interfaces = self.device.interfaces.len();
        let (mut arriving, mut leaving) = (vec![Vec::new(); interfaces], vec![Vec::new(); interfaces]);
        for (index, rule) in self.device.rules.iter().enumerate() {
            if let Some(list) = arriving.get_mut(rule.from) {
                list.push((index, rule));
            }
            if let Some(list) = leaving.get_mut(rule.to) {
                list.push((index, rule));
            }
        }
        for acl in &self.acls {
            let Some(iface) = self.device.interface(acl.interface) else { continue };
            let direction = if acl.inbound { "arriving on" } else { "leaving by" };
            w.line_fmt(format_args!(
                "! {}: connections {direction} {} (zone {})",
                acl.name, iface.name, iface.zone_name
            ));
            let by_list = if acl.inbound { &arriving } else { &leaving };
            let mine: &[(usize, &Rule)] = by_list.get(acl.interface).map_or(&[], Vec::as_slice);
            let open = |r: &Rule| if acl.inbound { r.destinations == Hosts::Any } else { r.sources == Hosts::Any };
            for (index, rule) in mine.iter().filter(|(_, r)| !open(r)).chain(mine.iter().filter(|(_, r)| open(r))) {
                self.rule(w, acl, *index, rule, open(rule));
            }
            sessions::icmp_errors(w, &acl.name);
            w.line_fmt(format_args!("access-list {} remark kojo: default deny", acl.name));
            w.line_fmt(format_args!("access-list {} extended deny ip any any log", acl.name));
            w.line("!");
        }
    }

    /// The flow's entries in one list. `open`: its end on this list's side
    /// is `any` outside the site, so the site's networks are denied to it
    /// first (another interface's flow must not pass on its entry).
    fn rule(&self, w: &mut Writer, acl: &Acl, index: usize, rule: &Rule, open: bool) {
        let name = &acl.name;
        let comment = vendor::ascii_text(&rule.comment(), &[]);
        for line in vendor::wrap(&comment, REMARK_MAX) {
            w.traced_fmt(rule, format_args!("access-list {name} remark {line}"));
        }
        let service = match self.rule_services.get(&index) {
            Some(group) => group.clone(),
            None => service_names(rule)
                .first()
                .and_then(|s| self.services.get(*s))
                .map(|s| s.name.clone())
                .unwrap_or_default(),
        };
        let log = if rule.log { " log" } else { "" };
        let mut options = log.to_string();
        if let Some((range, _)) = self.windows.get(&*rule.conduit_name).filter(|_| rule.window.is_some()) {
            options.push_str(&format!(" time-range {range}"));
        }
        let sources = self.operands(&vendor::side(self.device, &rule.sources, rule.from));
        let destinations = self.operands(&vendor::side(self.device, &rule.destinations, rule.to));
        if let (true, Some((internal, _))) = (open, &self.internal) {
            let internal = vec![format!("object-group {internal}")];
            let (sources, destinations) = if acl.inbound { (&sources, &internal) } else { (&internal, &destinations) };
            for source in sources {
                for destination in destinations {
                    w.traced_fmt(
                        rule,
                        format_args!(
                            "access-list {name} extended deny object-group {service} {source} {destination}{log}"
                        ),
                    );
                }
            }
        }
        for source in &sources {
            for destination in &destinations {
                w.traced_fmt(
                    rule,
                    format_args!(
                        "access-list {name} extended permit object-group {service} {source} {destination}{options}"
                    ),
                );
            }
        }
    }

    /// `any`, or `object-group NAME` per host group. Separate entries, not
    /// one nested group: the ASA cannot nest groups with IPv6 entries.
    fn operands(&self, side: &Side) -> Vec<String> {
        match side {
            Side::Any => vec!["any".to_string()],
            Side::Groups(keys) => {
                keys.iter().filter_map(|k| self.hosts.get(k)).map(|h| format!("object-group {}", h.name)).collect()
            }
        }
    }

    fn bind(&self, w: &mut Writer) {
        for acl in &self.acls {
            let Some(iface) = self.device.interface(acl.interface) else { continue };
            let direction = if acl.inbound { "in" } else { "out" };
            w.line_fmt(format_args!("access-group {} {direction} interface {}", acl.name, iface.name));
        }
        // Global, not per interface: it lifts only the block between equal
        // security levels; every interface kojo knows has lists that end in
        // a deny, so the lists still decide there.
        w.line("! Every interface has its own list, so equal security levels need not block flows.");
        w.line("same-security-traffic permit inter-interface");
        w.line_fmt(format_args!("clear configure access-list {HOLD}"));
    }

    /// ICMP error inspection, the applets that end each window's
    /// connections, and the clearing of connections opened under the
    /// earlier policy.
    fn end_sessions(&self, w: &mut Writer) {
        sessions::inspect_icmp_errors(w);
        let windowed: Vec<(usize, Week)> = self
            .device
            .rules
            .iter()
            .enumerate()
            .filter(|(_, r)| r.window.is_some())
            .filter_map(|(i, r)| self.windows.get(&*r.conduit_name).map(|(_, week)| (i, week.clone())))
            .collect();
        if !windowed.is_empty() {
            w.line_fmt(format_args!(
                "! Open connections outlive a time range: each window's are cleared {} minutes after it ends.",
                sessions::CLEAR_DELAY
            ));
            sessions::window_applets(w, self.device, &windowed);
        }
        sessions::clear_on_load(w);
    }
}

/// Every subnet of the zones the device joins, sorted.
pub(super) fn internal_networks(device: &DevicePolicy) -> Vec<IpNet> {
    let mut nets: Vec<IpNet> = device.interfaces.iter().flat_map(|i| i.subnets.iter().copied()).collect();
    nets.sort();
    nets.dedup();
    nets
}

/// The services a rule names, each once, in the model's order.
fn service_names(rule: &Rule) -> Vec<&str> {
    let mut names: Vec<&str> = Vec::new();
    for service in &rule.services {
        if !names.contains(&service.name.as_str()) {
            names.push(&service.name);
        }
    }
    names
}

/// Object names may hold letters, digits and `.!@#$%^&()-_{}`; kojo keeps
/// to the plain ones.
fn asa_name_char(c: char) -> bool {
    vendor::plain_name_char(c)
}

fn valid_nameif(name: &str) -> bool {
    !name.is_empty() && name.chars().all(vendor::plain_name_char)
}

/// `host 10.0.0.1`, `10.1.0.0 255.255.255.0`, `host fd00::1`, `fd00::/64`.
fn network(net: &IpNet) -> String {
    match net {
        IpNet::V4(v4) if v4.prefix_len() == 32 => format!("host {}", v4.addr()),
        IpNet::V4(v4) => format!("{} {}", v4.network(), v4.netmask()),
        IpNet::V6(v6) if v6.prefix_len() == 128 => format!("host {}", v6.addr()),
        IpNet::V6(v6) => format!("{}/{}", v6.network(), v6.prefix_len()),
    }
}

/// `daily`, `weekdays`, `weekend`, or the days by name.
fn periodic_days(days: &[Weekday]) -> String {
    use Weekday::*;
    match days {
        [Mon, Tue, Wed, Thu, Fri, Sat, Sun] => "daily".into(),
        [Mon, Tue, Wed, Thu, Fri] => "weekdays".into(),
        [Sat, Sun] => "weekend".into(),
        _ => days.iter().map(|d| day_name(*d)).collect::<Vec<_>>().join(" "),
    }
}

fn day_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

fn description(text: &str) -> String {
    vendor::ascii_text(text, &[]).chars().take(DESCRIPTION_MAX).collect()
}
