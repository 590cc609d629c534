//! `fortigate`: a device's policy as FortiOS CLI configuration (FortiOS
//! 6.4, 7.0, 7.2 and 7.4, where IPv4 and IPv6 share one policy table; every
//! keyword is checked against Fortinet's per-version CLI schema in the
//! tests): addresses and address groups, custom services, recurring
//! schedules, user groups for remote access through the SSL-VPN, and one
//! firewall policy per flow between its two interfaces, ending in a logged
//! deny. FortiOS 7.6 renamed the custom services' protocol and dropped
//! SSL-VPN tunnel mode, so it is not a target.
//!
//! For a FortiGate with multi-VDOM mode off: the script has no `config
//! vdom`. It is loaded as a script, since the interactive CLI asks to
//! confirm `purge` and would take the script's next line as the answer.
//!
//! The script owns the policy table: it purges it and creates every policy
//! again, so no setting kojo does not write survives on a policy, and no
//! policy of an earlier, longer version lingers (FortiOS orders policies
//! by position, not number, so a leftover would not stay behind the deny).
//! Open sessions are re-evaluated against the new table
//! (`firewall-session-dirty check-all`), and a scheduled policy ends its
//! sessions when its schedule does (`schedule-timeout`).
//!
//! A remote-access flow whose conduit requires MFA names a user group made
//! for its conduit: from `any` address users come through the SSL-VPN
//! tunnel (`ssl.root`); from named hosts they authenticate at the policy.
//! The model does not name the users, so the group's members and their
//! second factor are the operator's.

use std::collections::BTreeMap;

use ipnet::IpNet;
use kojo_compiler::types::Weekday;

use crate::enforcement::firewalls::vendor::{self, HostKey, HostObject, Names, ServiceObject, Side, PREFIX};
use crate::enforcement::policy::{DevicePolicy, Family, Hosts, Rule};
use crate::enforcement::{Artifact, Backend, Capabilities, Clock, Context, Kind, Unrenderable, Writer};

pub struct Fortigate;

pub const FORTIGATE: Fortigate = Fortigate;

/// Address, address group and service names: 79 characters.
const NAME_MAX: usize = 79;
/// Schedule names: 31 characters.
const SCHEDULE_MAX: usize = 31;
/// User group names: 35 characters.
const USER_GROUP_MAX: usize = 35;
/// Policy comments: 1023 characters.
const COMMENT_MAX: usize = 1023;

impl Backend for Fortigate {
    fn name(&self) -> &'static str {
        "fortigate"
    }

    fn description(&self) -> &'static str {
        "FortiOS 6.4-7.4 CLI: addresses, custom services, recurring schedules, SSL-VPN user groups, one policy per flow and a logged deny"
    }

    fn capabilities(&self) -> Capabilities {
        // FortiOS interface names have at most 15 characters.
        Capabilities { kind: Kind::Firewall, ipv6: true, windows: Clock::Device, max_interface_name: Some(15) }
    }

    fn render(&self, ctx: &Context<'_>, device: &DevicePolicy) -> Result<Vec<Artifact>, Vec<Unrenderable>> {
        let plan = Plan::new(device, self.name(), access(ctx, device))?;
        let mut w = Writer::new();
        plan.header(&mut w);
        plan.settings(&mut w);
        plan.addresses(&mut w);
        plan.services(&mut w);
        plan.schedules(&mut w);
        plan.user_groups(&mut w);
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

/// How each rule is admitted, from its conduit's controls.
#[derive(Debug, Clone, Copy, Default)]
struct Access {
    /// Users authenticate (remote access with `mfa` in force): the policy
    /// names the conduit's user group.
    users: bool,
    /// Through the SSL-VPN tunnel: remote users from `any` address.
    vpn: bool,
    /// Source NAT to the outgoing interface's address (`nat` in force on a
    /// flow that does not come from outside the site).
    nat: bool,
}

/// Each rule's [`Access`]. Users from `any` address arrive by the SSL-VPN,
/// whose tunnel hides the inside; users from named hosts keep their
/// addresses and authenticate at the policy (FortiOS firewall
/// authentication). Hiding the inside from a flow that comes from outside
/// the site needs a virtual IP whose public address the model does not
/// say, so `nat` is rendered only on flows that start inside.
fn access(ctx: &Context<'_>, device: &DevicePolicy) -> Vec<Access> {
    // A conduit's controls in force read all its flows: once per conduit,
    // not once per rule (a conduit of many flows would be quadratic).
    let mut by_conduit = std::collections::BTreeMap::new();
    device
        .rules
        .iter()
        .map(|rule| {
            let (mfa, nat) = *by_conduit.entry(rule.conduit).or_insert_with(|| {
                let controls = ctx
                    .model
                    .conduit(rule.conduit)
                    .map(|c| kojo_compiler::controls::conduit_controls(ctx.catalogue, c))
                    .unwrap_or_default();
                (controls.contains("mfa"), controls.contains("nat"))
            });
            let users = rule.remote_access && mfa;
            Access { users, vpn: users && rule.sources == Hosts::Any, nat: nat && !rule.remote_access }
        })
        .collect()
}

/// The SSL-VPN tunnel interface of the root VDOM.
const SSL_VPN: &str = "ssl.root";

struct Plan<'a> {
    device: &'a DevicePolicy,
    access: Vec<Access>,
    /// The user group of each conduit whose users authenticate.
    user_groups: BTreeMap<String, String>,
    hosts: BTreeMap<HostKey, HostObject>,
    /// The IPv4 and IPv6 objects of each host group.
    families: BTreeMap<(HostKey, Family), FamilyObject>,
    services: BTreeMap<String, ServiceObject>,
    schedules: BTreeMap<String, Schedule>,
}

impl<'a> Plan<'a> {
    fn new(device: &'a DevicePolicy, target: &str, access: Vec<Access>) -> Result<Self, Vec<Unrenderable>> {
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
        for builtin in ["all", "none", "always", "ALL", "SSO_Guest_Users", "Guest-group"] {
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
        let mut user_groups = BTreeMap::new();
        for (rule, _) in device.rules.iter().zip(&access).filter(|(_, a)| a.users) {
            if !user_groups.contains_key(&*rule.conduit_name) {
                let name = names.unique(&format!("{PREFIX}users_{}", rule.conduit_name), USER_GROUP_MAX);
                user_groups.insert(rule.conduit_name.to_string(), name);
            }
        }
        Ok(Plan { device, access, user_groups, hosts, families, services, schedules })
    }

    fn header(&self, w: &mut Writer) {
        let device = self.device;
        w.line_fmt(format_args!("# kojo: FortiGate firewall policy for device {}", device.name));
        w.line("# Generated by kojo from the model; change the model, not this file.");
        w.line("# For FortiOS 6.4, 7.0, 7.2 and 7.4 (IPv4 and IPv6 in one policy table), root VDOM.");
        w.line("# Only with multi-VDOM mode off (everything in root): the file has no `config vdom`.");
        w.line("# Load it as a script (uploaded in the GUI, or a FortiManager CLI script), not by pasting");
        w.line("# it in the CLI: there `purge` asks to confirm (y/n) and takes the next line as the answer.");
        w.line("# It owns the policy table: it purges it, then creates kojo's flows as policies 1 and up");
        w.line("# and a logged deny after them. Load it in a maintenance window: until the policies are");
        w.line("# created again, new sessions are denied, and `firewall-session-dirty check-all` (set");
        w.line("# below for the VDOM, replacing check-new or per-policy settings) re-checks every session,");
        w.line("# so sessions may be dropped.");
        for iface in &device.interfaces {
            w.line_fmt(format_args!("# interface {}: zone {}", iface.name, iface.zone_name));
        }
        if let Some(vpn) = self.vpn_interface() {
            w.line_fmt(format_args!(
                "# {SSL_VPN}: the SSL-VPN tunnel, which users reach by {vpn}; its portal, address pool,"
            ));
            w.line("# certificate and the users with their second factor are the operator's.");
        }
        if !self.schedules.is_empty() {
            w.line_fmt(format_args!(
                "# Schedules run on the device's clock, which must be set to {}.",
                device.timezone
            ));
        }
    }

    /// The interface by which remote users reach the SSL-VPN, if any flow
    /// uses it.
    fn vpn_interface(&self) -> Option<String> {
        let mut names: Vec<String> = self
            .device
            .rules
            .iter()
            .zip(&self.access)
            .filter(|(_, a)| a.vpn)
            .filter_map(|(r, _)| self.device.interface(r.from).map(|i| i.name.clone()))
            .collect();
        names.sort();
        names.dedup();
        (!names.is_empty()).then(|| names.join(", "))
    }

    /// Open sessions are checked against the policy table again whenever
    /// it changes: sessions the new policies no longer allow end. This is
    /// FortiOS's default, set so that it holds; it replaces an operator's
    /// `check-new` or `check-policy-option` for the whole VDOM.
    fn settings(&self, w: &mut Writer) {
        w.line("config system settings");
        w.line("    set firewall-session-dirty check-all");
        w.line("end");
    }

    /// One user group per conduit whose users authenticate. Its members
    /// are the operator's (the model names no users), kept when the script
    /// runs again.
    fn user_groups(&self, w: &mut Writer) {
        if self.user_groups.is_empty() {
            return;
        }
        w.line("# Members, each with two-factor authentication, are the operator's; so is the SSL-VPN");
        w.line("# portal mapping of groups whose users come through the tunnel.");
        w.line("config user group");
        // The conduits whose users come through the tunnel, found in one
        // pass over the flows rather than one per group.
        let through_vpn: std::collections::BTreeSet<&str> =
            self.device.rules.iter().zip(&self.access).filter(|(_, a)| a.vpn).map(|(r, _)| &*r.conduit_name).collect();
        for (conduit, name) in &self.user_groups {
            let vpn = through_vpn.contains(&**conduit);
            let how = if vpn { "through the SSL-VPN" } else { "firewall authentication at the policy" };
            w.line_fmt(format_args!("    # kojo: remote access by conduit {conduit}, with MFA: {how}"));
            w.line_fmt(format_args!("    edit \"{name}\""));
            w.line("        set group-type firewall");
            w.line("    next");
        }
        w.line("end");
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
            w.line_fmt(format_args!("config firewall {section}"));
            for (key, object) in &objects {
                let about = self.hosts.get(key).map(|h| h.describe(key)).unwrap_or_default();
                for (name, net) in &object.members {
                    w.line_fmt(format_args!("    edit \"{name}\""));
                    match net {
                        IpNet::V4(v4) => {
                            w.line("        set type ipmask");
                            w.line_fmt(format_args!("        set subnet {} {}", v4.network(), v4.netmask()));
                        }
                        IpNet::V6(v6) => {
                            w.line("        set type ipprefix");
                            w.line_fmt(format_args!("        set ip6 {}/{}", v6.network(), v6.prefix_len()));
                        }
                    }
                    w.line_fmt(format_args!("        set comment \"{}\"", text(&format!("kojo: {about}"), 255)));
                    w.line("    next");
                }
            }
            w.line("end");
            let groups: Vec<&(&HostKey, &FamilyObject)> = objects.iter().filter(|(_, o)| o.members.len() > 1).collect();
            if groups.is_empty() {
                continue;
            }
            w.line_fmt(format_args!("config firewall {group_section}"));
            for (key, object) in groups {
                let about = self.hosts.get(key).map(|h| h.describe(key)).unwrap_or_default();
                w.line_fmt(format_args!("    edit \"{}\"", object.name));
                w.line_fmt(format_args!(
                    "        set member {}",
                    quoted(object.members.iter().map(|(n, _)| n.as_str()))
                ));
                w.line_fmt(format_args!("        set comment \"{}\"", text(&format!("kojo: {about}"), 255)));
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
            w.line_fmt(format_args!("    edit \"{}\"", service.name));
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
                    w.line_fmt(format_args!("        unset {keyword}"));
                } else {
                    w.line_fmt(format_args!("        set {keyword} {}", ranges.join(" ")));
                }
            }
            let what = if service.catalogued { "service" } else { "port" };
            w.line_fmt(format_args!("        set comment \"{}\"", text(&format!("kojo: {what} {name}"), 255)));
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
            w.line_fmt(format_args!("    edit \"{}\"", part.name));
            w.line_fmt(format_args!(
                "        set day {}",
                part.days.iter().map(|d| day_name(*d)).collect::<Vec<_>>().join(" ")
            ));
            w.line_fmt(format_args!("        set start \"{}\"", vendor::hhmm(part.start)));
            w.line_fmt(format_args!("        set end \"{}\"", vendor::hhmm(part.end)));
            w.line("    next");
        }
        w.line("end");
        let groups: Vec<&Schedule> = self.schedules.values().filter(|s| s.group).collect();
        if groups.is_empty() {
            return;
        }
        w.line("config firewall schedule group");
        for schedule in groups {
            w.line_fmt(format_args!("    edit \"{}\"", schedule.name));
            w.line_fmt(format_args!(
                "        set member {}",
                quoted(schedule.recurring.iter().map(|r| r.name.as_str()))
            ));
            w.line("    next");
        }
        w.line("end");
    }

    fn policies(&self, w: &mut Writer) {
        w.line("config firewall policy");
        // Every policy is created anew, in order (FortiOS appends a new
        // policy at the end of the list).
        w.line("    purge");
        for (index, rule) in self.device.rules.iter().enumerate() {
            let access = self.access.get(index).copied().unwrap_or_default();
            self.policy(w, index + 1, rule, access);
        }
        let deny = self.device.rules.len() + 1;
        w.line_fmt(format_args!("    edit {deny}"));
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
        w.line("end");
    }

    fn policy(&self, w: &mut Writer, id: usize, rule: &Rule, access: Access) {
        let interface = |i: usize| self.device.interface(i).map(|i| i.name.clone()).unwrap_or_default();
        let families = vendor::shared_families(rule);
        let sources = vendor::side(self.device, &rule.sources, rule.from);
        let destinations = vendor::side(self.device, &rule.destinations, rule.to);
        let srcintf = if access.vpn { SSL_VPN.to_string() } else { interface(rule.from) };
        let mut lines = vec![
            format!("    edit {id}"),
            "        set status enable".to_string(),
            format!("        set srcintf \"{srcintf}\""),
            format!("        set dstintf \"{}\"", interface(rule.to)),
            "        set action accept".to_string(),
        ];
        // A new policy has no addresses of either family: only the shared
        // ones are set.
        for (family, suffix) in [(Family::V4, ""), (Family::V6, "6")] {
            if families.contains(&family) {
                lines.push(format!("        set srcaddr{suffix} {}", self.addresses_of(&sources, family)));
                lines.push(format!("        set dstaddr{suffix} {}", self.addresses_of(&destinations, family)));
            }
        }
        if let Some(group) = self.user_groups.get(&*rule.conduit_name).filter(|_| access.users) {
            lines.push(format!("        set groups \"{group}\""));
        }
        match (&rule.window, self.schedules.get(&*rule.conduit_name)) {
            (Some(_), Some(schedule)) => {
                lines.push(format!("        set schedule \"{}\"", schedule.name));
                // Without it a session opened before the window closes runs on.
                lines.push("        set schedule-timeout enable".to_string());
            }
            _ => lines.push("        set schedule \"always\"".to_string()),
        }
        let mut services: Vec<&str> = Vec::new();
        for service in rule.services.iter().filter_map(|s| self.services.get(&s.name)) {
            if !services.contains(&service.name.as_str()) {
                services.push(&service.name);
            }
        }
        lines.push(format!("        set service {}", quoted(services.into_iter())));
        if access.nat {
            lines.push("        set nat enable".to_string());
        }
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
