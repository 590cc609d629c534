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

use std::collections::BTreeSet;

use ipnet::IpNet;

use crate::enforcement::firewalls::vendor::{self, Names, Week, PREFIX};
use crate::enforcement::policy::{DevicePolicy, Hosts, Rule};
use crate::enforcement::Writer;

/// EEM applet names; Cisco does not state a limit, kojo keeps them short.
const APPLET_MAX: usize = 32;

/// Cisco documents that a time range ends 80 to 100 seconds after the
/// minute it names; the applet runs after that (two minutes past the end).
pub const CLEAR_DELAY: u16 = 2;

/// The entries before a list's final deny that let the ICMP errors of
/// allowed connections through: unreachable (with "fragmentation needed")
/// and, for IPv6, packet-too-big. The ASA drops an ICMP error that belongs
/// to no connection it tracks (syslog 313005), so these pass only errors
/// about connections the lists allowed; without them path MTU discovery
/// breaks and large transfers stall.
pub fn icmp_errors(w: &mut Writer, acl: &str) {
    w.line(format!("access-list {acl} remark kojo: ICMP errors of allowed connections (path MTU discovery)"));
    w.line(format!("access-list {acl} extended permit icmp any any unreachable"));
    w.line(format!("access-list {acl} extended permit icmp6 any any unreachable"));
    w.line(format!("access-list {acl} extended permit icmp6 any any packet-too-big"));
}

/// ICMP error inspection, so the errors of inspected connections are
/// matched to them (and translated where NAT applies). Added to the
/// default inspection class, which every ASA has.
pub fn inspect_icmp_errors(w: &mut Writer) {
    w.line("! ICMP errors are matched to the connections they belong to.");
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

/// One EEM applet per windowed flow and end of its window, run every day
/// at the end plus [`CLEAR_DELAY`]: it clears the flow's connections, by
/// the addresses of its destinations (its sources when the destinations
/// are `any` outside the site), its protocol and ports. On a day the window
/// does not end at that time the flow has no connections to clear, though
/// another flow's to the same host and port would restart.
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
                format!(" event timer absolute time {:02}:{:02}:00", at / 60, at % 60),
            ];
            for (n, command) in clear_commands(rule).iter().enumerate() {
                lines.push(format!(" action {n} cli command \"{command}\""));
            }
            w.traced(rule, lines.join("\n"));
        }
    }
}

/// `clear conn protocol tcp address 10.1.0.10 port 443`, per address and
/// port range of the flow.
fn clear_commands(rule: &Rule) -> Vec<String> {
    let hosts = match (&rule.destinations, &rule.sources) {
        (Hosts::Groups(_), _) => &rule.destinations,
        (Hosts::Any, other) => other,
    };
    let addresses: Vec<String> = hosts.nets().map(address).collect();
    let mut commands = Vec::new();
    for range in rule.ports() {
        let port = match range.end {
            Some(end) if end != range.port => format!("port {}-{end}", range.port),
            _ => format!("port {}", range.port),
        };
        let protocol = range.protocol.as_str();
        if addresses.is_empty() {
            commands.push(format!("clear conn protocol {protocol} {port}"));
        }
        for address in &addresses {
            commands.push(format!("clear conn protocol {protocol} address {address} {port}"));
        }
    }
    commands.dedup();
    commands
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
}
