//! What makes an ASA's open connections end when the model says so, and
//! keeps the connections it allows working: the ICMP errors of allowed
//! connections (path MTU discovery), the end of each window, and the load
//! of a new policy.
//!
//! An ASA access list governs only new connections: a connection opened
//! before a time range ends, or before its entry was removed, runs on. So
//! the file ends by clearing the connections through the device (`clear
//! conn`, which leaves connections to the device itself, such as the
//! administrator's SSH session, alone), and each windowed flow gets an EEM
//! applet that clears its connections shortly after the window's end.
//! EEM runs only in single context mode, and its timers are daily.

use std::collections::{BTreeMap, BTreeSet};

use ipnet::{IpNet, Ipv4Net, Ipv6Net};

use crate::enforcement::firewalls::vendor::{self, Names, Week, PREFIX};
use crate::enforcement::pairs::{self, Budget};
use crate::enforcement::policy::{DevicePolicy, Hosts, Rule};
use crate::enforcement::{Unrenderable, Writer};

/// EEM applet names: Cisco limits them to 32 characters (TAC document
/// 117883, on configuring EEM on the ASA).
const APPLET_MAX: usize = 32;

/// Cisco documents that a time range ends 80 to 100 seconds after the
/// minute it names; the applet runs after that (two minutes past the end).
pub const CLEAR_DELAY: u16 = 2;

/// The entries before a list's final deny that let ICMP errors through:
/// unreachable (with "fragmentation needed") and, for IPv6,
/// packet-too-big. Without them path MTU discovery breaks and large
/// transfers stall. Which errors then pass is the ASA's ICMP error
/// handling (see [`inspect_icmp_errors`]), not these entries alone.
pub fn icmp_errors(w: &mut Writer, acl: &str) {
    w.line_fmt(format_args!("access-list {acl} remark kojo: ICMP errors of allowed connections (path MTU discovery)"));
    w.line_fmt(format_args!("access-list {acl} extended permit icmp any any unreachable"));
    w.line_fmt(format_args!("access-list {acl} extended permit icmp6 any any unreachable"));
    w.line_fmt(format_args!("access-list {acl} extended permit icmp6 any any packet-too-big"));
}

/// ICMP error inspection (`inspect icmp error`), which Cisco documents as
/// translating the addresses in ICMP error messages where NAT applies. Added
/// to the default inspection class of `global_policy`: it applies only on
/// a device whose service policy is the default global one.
pub fn inspect_icmp_errors(w: &mut Writer) {
    w.line("! ICMP error inspection; it applies only if the device uses the default global_policy.");
    w.line("policy-map global_policy");
    w.line(" class inspection_default");
    w.line("  inspect icmp error");
}

/// The minutes of the day (device clock) at which the week's windows end:
/// a range that runs to midnight and goes on the next day does not end
/// there.
pub fn ends(week: &Week) -> BTreeSet<u16> {
    let mut ends = BTreeSet::new();
    for (day, ranges) in week.iter().enumerate() {
        let next = week.get((day + 1) % 7).map(Vec::as_slice).unwrap_or_default();
        for &(_, end) in ranges {
            if end >= 1440 && next.iter().any(|&(start, _)| start == 0) {
                continue;
            }
            ends.insert(end % 1440);
        }
    }
    ends
}

/// One EEM applet per windowed flow and end of its window. An ASA applet's
/// `event timer absolute` runs every day (EEM has no weekly timer), at the
/// end plus [`CLEAR_DELAY`]; [`check_applets`] has refused every model in
/// which that would end a connection some flow allows at that time. The
/// applet clears the flow's connections by source, destination, protocol
/// and destination port.
pub fn window_applets(w: &mut Writer, device: &DevicePolicy, windows: &[(usize, Week)]) {
    let mut names = Names::new(vendor::plain_name_char);
    for (index, week) in windows {
        let Some(rule) = device.rules.get(*index) else { continue };
        for end in ends(week) {
            let at = (end + CLEAR_DELAY) % 1440;
            // The time first, so that cutting a long conduit name keeps it.
            let wanted = format!("{PREFIX}{:02}{:02}_{}_{}", end / 60, end % 60, rule.conduit_name, rule.flow);
            let name = names.unique(&wanted, APPLET_MAX);
            // Removed first: defining an applet again would keep the
            // earlier version's actions beyond the new ones.
            let mut lines = vec![
                format!("no event manager applet {name}"),
                format!("event manager applet {name}"),
                format!(" description {}: clear its connections after the window ends", rule.comment()),
                format!(" event timer absolute time {}:00", vendor::hhmm(at)),
            ];
            for (n, command) in clear_commands(rule).iter().enumerate() {
                lines.push(format!(" action {n} cli command \"{command}\""));
            }
            w.traced(rule, lines.join("\n"));
        }
    }
}

/// Refusals. Each windowed flow's applet runs every day and clears
/// connections by address and port, not by the flow that allowed them:
/// it must not run while the flow's own window is open on another day,
/// nor where another flow allows the same connections at that time.
///
/// Every windowed flow is compared with every flow: the comparisons are
/// spent from the build's shared budget, like the crossings', so a plant
/// with a window on most of its flows is refused rather than checked for
/// hours.
pub fn check_applets(
    device: &DevicePolicy,
    weeks: &BTreeMap<String, Week>,
    internal: &[IpNet],
    pairs: &std::sync::Mutex<Budget>,
) -> Vec<Unrenderable> {
    let week_of = |rule: &Rule| rule.window.as_ref().and_then(|_| weeks.get(&*rule.conduit_name));
    let mut problems = Vec::new();
    let mut reported = BTreeSet::new();
    // A poisoned lock only means a panic elsewhere, caught; its count stands.
    let mut budget = pairs.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    for (index, rule) in device.rules.iter().enumerate() {
        let Some(week) = week_of(rule) else { continue };
        for end in ends(week) {
            if !budget.spend(device.rules.len() as u64) {
                return vec![pairs::refusal(
                    &device.name,
                    "that each window's applet cuts no connection another flow allows",
                    &format!("give fewer flows of `{}` a window, or build a format whose schedules end sessions (fortigate, juniper-srx) for it in its `device` block in kojo.kdl", device.name),
                )];
            }
            let at = (end + CLEAR_DELAY) % 1440;
            if open_at(week, at) && reported.insert((index, index)) {
                problems.push(Unrenderable {
                    rule: Some(index),
                    message: format!(
                        "{}: its window ends at {} on some days and is open at {} on others; an ASA applet runs every day at one time, so the one that ends the window's connections at {} would cut connections the window allows on those days",
                        vendor::flow_name(rule), vendor::hhmm(end), vendor::hhmm(at), vendor::hhmm(at)
                    ),
                    help: "end the window at one time of day, or at no time it is open on another day; or build a format whose schedules end sessions (fortigate, juniper-srx)".into(),
                });
            }
            for (other_index, other) in device.rules.iter().enumerate().filter(|(i, _)| *i != index) {
                let allows_then = week_of(other).is_none_or(|w| open_at(w, at));
                if allows_then && clears(rule, other, internal) && reported.insert((index, other_index)) {
                    problems.push(Unrenderable {
                        rule: Some(index),
                        message: format!(
                            "{} and {} share protocol, port and addresses: the ASA applet that ends the first's connections at {} every day clears by address and port, and would cut connections the second allows then",
                            vendor::flow_name(rule), vendor::flow_name(other), vendor::hhmm(at)
                        ),
                        help: "name hosts that tell the two flows apart, give them the same window, or build a format whose schedules end sessions by policy (fortigate, juniper-srx)".into(),
                    });
                }
            }
        }
    }
    problems
}

/// Whether the week's window is open at `minute` of some day (a range past
/// midnight counts on the next day).
fn open_at(week: &Week, minute: u16) -> bool {
    let spill = |ranges: &Vec<(u16, u16)>| ranges.iter().any(|&(_, end)| end > 1440 && minute < end - 1440);
    week.iter().any(|ranges| ranges.iter().any(|&(start, end)| start <= minute && minute < end) || spill(ranges))
}

/// Whether clearing `rule`'s connections (by its addresses, `any` being
/// every address, and its destination ports) can end one `other` allows
/// (its `any` is every address outside the site, as the lists deny the
/// site's networks to it).
fn clears(rule: &Rule, other: &Rule, internal: &[IpNet]) -> bool {
    let theirs = other.ports();
    let covers = |cleared: &Hosts, allowed: &Hosts| {
        cleared == &Hosts::Any || super::crossings::overlap(cleared, allowed, internal)
    };
    rule.ports()
        .iter()
        .any(|p| theirs.iter().any(|q| p.protocol == q.protocol && p.port <= q.last() && q.port <= p.last()))
        && covers(&rule.sources, &other.sources)
        && covers(&rule.destinations, &other.destinations)
}

/// `clear conn protocol tcp address 10.1.0.0-10.1.0.255 address
/// 10.2.0.10 port 443`, per source, destination of the same family and
/// port range. In Cisco's syntax the first `address` is the connection's
/// source and the second its destination, and a `port` after the second
/// is the destination port (the source port is left open); a single
/// `address` would match either end.
fn clear_commands(rule: &Rule) -> Vec<String> {
    let (sources, destinations) = (clear_nets(&rule.sources), clear_nets(&rule.destinations));
    let mut commands = Vec::new();
    let mut seen = BTreeSet::new();
    for range in rule.ports() {
        let port = match range.end {
            Some(end) if end != range.port => format!("port {}-{end}", range.port),
            _ => format!("port {}", range.port),
        };
        let protocol = range.protocol.as_str();
        for source in &sources {
            for destination in destinations.iter().filter(|d| d.addr().is_ipv4() == source.addr().is_ipv4()) {
                let (from, to) = (address(source), address(destination));
                let command = format!("clear conn protocol {protocol} address {from} address {to} {port}");
                if seen.insert(command.clone()) {
                    commands.push(command);
                }
            }
        }
    }
    commands
}

/// The networks a clear names for one end: `any` is every address.
fn clear_nets(hosts: &Hosts) -> Vec<IpNet> {
    match hosts {
        Hosts::Any => vec![IpNet::V4(Ipv4Net::default()), IpNet::V6(Ipv6Net::default())],
        Hosts::Groups(_) => hosts.nets().copied().collect(),
    }
}

/// `10.1.0.10`, or a subnet as its first and last address.
fn address(net: &IpNet) -> String {
    match net {
        IpNet::V4(n) if n.prefix_len() == 32 => n.addr().to_string(),
        IpNet::V6(n) if n.prefix_len() == 128 => n.addr().to_string(),
        net => format!("{}-{}", net.network(), net.broadcast()),
    }
}

/// The last lines: every connection through the device is cleared, so
/// none that the new policy no longer allows runs on. The allowed ones
/// are opened again by their clients.
pub fn clear_on_load(w: &mut Writer) {
    w.line("! ---- kojo apply: end the connections opened under the earlier policy ----");
    w.line("! Connections through the device restart once; those to the device itself stay.");
    w.line("clear conn");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_across_midnight_ends_once() {
        let mut week: Week = Default::default();
        week[0] = vec![(22 * 60, 1440)];
        week[1] = vec![(0, 120), (9 * 60, 1440)];
        week[6] = vec![(9 * 60, 17 * 60)];
        assert_eq!(ends(&week).into_iter().collect::<Vec<_>>(), [0, 120, 17 * 60]);
    }

    #[test]
    fn a_window_is_open_at_a_minute_of_any_day_including_past_midnight() {
        let mut week: Week = Default::default();
        week[0] = vec![(6 * 60, 14 * 60)];
        week[5] = vec![(6 * 60, 18 * 60)];
        assert!(open_at(&week, 14 * 60 + 2), "open on Saturday at 14:02");
        assert!(!open_at(&week, 18 * 60 + 2));
        week[6] = vec![(23 * 60, 1440 + 60)];
        assert!(open_at(&week, 30), "open past Sunday's midnight");
    }

    #[test]
    fn any_is_every_address_of_both_families() {
        let nets: Vec<String> = clear_nets(&Hosts::Any).iter().map(address).collect();
        assert_eq!(nets, ["0.0.0.0-255.255.255.255", "::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"]);
    }
}
