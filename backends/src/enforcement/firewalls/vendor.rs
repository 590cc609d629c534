//! What the vendor firewall formats (`cisco-asa`, `fortigate`,
//! `juniper-srx`) share: object names within each platform's limits, the
//! host and service objects of a device, the checks that make a flow
//! renderable at all, and a window as weekly day ranges.
//!
//! The three formats name the same things (an asset's addresses, a
//! service's ports, a conduit's window) and refuse the same things (a flow
//! whose ends share no address family, a port outside 1-65535), so the
//! decisions are made once here and each format only spells them.

use std::collections::{BTreeMap, BTreeSet};

use ipnet::IpNet;
use kojo_compiler::types::Weekday;
use kojo_stdlib::PortRange;

use crate::enforcement::policy::{DevicePolicy, Family, HostGroup, Hosts, Rule};
use crate::enforcement::Unrenderable;

/// The prefix of every object kojo defines on a vendor firewall, so that
/// kojo's objects never merge with the administrator's own.
pub const PREFIX: &str = "kojo_";

/// Object names unique within one configuration, made from the model's
/// names: characters the platform does not allow become `_`, long names are
/// cut, and a name already taken (compared without case, as some
/// platforms do) gets `_2`, `_3`, … Callers ask in a sorted order, so the
/// same model always gets the same names.
#[derive(Debug)]
pub struct Names {
    allowed: fn(char) -> bool,
    taken: BTreeSet<String>,
}

impl Names {
    /// `allowed` must only accept ASCII characters.
    pub fn new(allowed: fn(char) -> bool) -> Self {
        Names { allowed, taken: BTreeSet::new() }
    }

    /// Keeps `name` from being given out (a keyword or built-in object).
    pub fn reserve(&mut self, name: &str) {
        self.taken.insert(name.to_ascii_lowercase());
    }

    /// A new name like `wanted`, at most `max` characters long.
    pub fn unique(&mut self, wanted: &str, max: usize) -> String {
        let clean: String = wanted.chars().map(|c| if (self.allowed)(c) && c.is_ascii() { c } else { '_' }).collect();
        let clean = if clean.is_empty() { "x".to_string() } else { clean };
        let mut candidate = cut(&clean, max);
        let mut n = 2usize;
        while self.taken.contains(&candidate.to_ascii_lowercase()) {
            let suffix = format!("_{n}");
            candidate = format!("{}{suffix}", cut(&clean, max.saturating_sub(suffix.len())));
            n += 1;
        }
        self.taken.insert(candidate.to_ascii_lowercase());
        candidate
    }
}

/// `text` cut to `max` characters (the text is ASCII).
fn cut(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

/// Letters, digits, `_`, `-` and `.`: safe in every vendor's names.
pub fn plain_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')
}

/// A host group of one zone: an asset's addresses there, or the zone's
/// subnets (`any`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct HostKey {
    /// The asset's name, or `any_<zone>`.
    pub group: String,
    pub zone: String,
    /// A whole zone's subnets (`any`), never the same object as an asset
    /// that happens to be named `any_<zone>`.
    pub zone_any: bool,
}

/// An address object to define: what it is and the name it got.
#[derive(Debug, Clone)]
pub struct HostObject {
    pub name: String,
    pub nets: Vec<IpNet>,
    pub zone_any: bool,
}

impl HostObject {
    /// The object's addresses of one family.
    pub fn nets_of(&self, family: Family) -> Vec<IpNet> {
        self.nets.iter().filter(|n| Family::of(n) == family).copied().collect()
    }

    /// For a description: `asset mes (zone prod_mgmt)`.
    pub fn describe(&self, key: &HostKey) -> String {
        if self.zone_any {
            format!("every host of zone {}", key.zone)
        } else {
            format!("asset {} (zone {})", key.group, key.zone)
        }
    }
}

/// One end of a rule, as objects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Side {
    /// Whatever arrives on (or leaves by) the interface.
    Any,
    Groups(Vec<HostKey>),
}

/// The host groups of a rule's sources (in the `from` zone) or
/// destinations (in the `to` zone).
pub fn side(device: &DevicePolicy, hosts: &Hosts, interface: usize) -> Side {
    let zone = device.interface(interface).map(|i| i.zone_name.clone()).unwrap_or_default();
    match hosts {
        Hosts::Any => Side::Any,
        Hosts::Groups(groups) => Side::Groups(
            groups
                .iter()
                .map(|g| HostKey { group: g.name.clone(), zone: zone.clone(), zone_any: g.zone_any })
                .collect(),
        ),
    }
}

/// Every host group the device's rules name, each named once: after the
/// asset (`kojo_mes`), or after the asset and zone when the asset appears
/// in two zones with different addresses (`kojo_mes_oa`).
pub fn host_objects(device: &DevicePolicy, names: &mut Names, max: usize) -> BTreeMap<HostKey, HostObject> {
    let mut groups: BTreeMap<HostKey, &HostGroup> = BTreeMap::new();
    for rule in &device.rules {
        for (hosts, interface) in [(&rule.sources, rule.from), (&rule.destinations, rule.to)] {
            let Hosts::Groups(list) = hosts else { continue };
            let zone = device.interface(interface).map(|i| i.zone_name.clone()).unwrap_or_default();
            for group in list {
                let key = HostKey { group: group.name.clone(), zone: zone.clone(), zone_any: group.zone_any };
                groups.entry(key).or_insert(group);
            }
        }
    }
    let mut zones_of: BTreeMap<&str, usize> = BTreeMap::new();
    for key in groups.keys() {
        *zones_of.entry(key.group.as_str()).or_default() += 1;
    }
    let mut objects = BTreeMap::new();
    for (key, group) in &groups {
        let wanted = if zones_of.get(key.group.as_str()).copied().unwrap_or(0) > 1 {
            format!("{PREFIX}{}_{}", key.group, key.zone)
        } else {
            format!("{PREFIX}{}", key.group)
        };
        let object =
            HostObject { name: names.unique(&wanted, max), nets: group.nets.clone(), zone_any: group.zone_any };
        objects.insert(key.clone(), object);
    }
    objects
}

/// A service object to define: a catalogue service or a raw port, with the
/// name it got.
#[derive(Debug, Clone)]
pub struct ServiceObject {
    pub name: String,
    /// Sorted, each once.
    pub ports: Vec<PortRange>,
    pub catalogued: bool,
}

/// Every service the device's rules name, by the model's name
/// (`modbus-tcp`, `tcp/8080`), each named once: `kojo_modbus-tcp`,
/// `kojo_tcp_8080`.
pub fn service_objects(
    device: &DevicePolicy,
    names: &mut Names,
    prefix: &str,
    max: usize,
) -> BTreeMap<String, ServiceObject> {
    let mut services: BTreeMap<String, (BTreeSet<PortRange>, bool)> = BTreeMap::new();
    for service in device.rules.iter().flat_map(|r| r.services.iter()) {
        let entry = services.entry(service.name.clone()).or_insert_with(|| (BTreeSet::new(), service.catalogued));
        entry.0.extend(service.ports.iter().copied());
    }
    services
        .into_iter()
        .map(|(name, (ports, catalogued))| {
            let object = ServiceObject {
                name: names.unique(&format!("{prefix}{}", name.replace('/', "_")), max),
                ports: ports.into_iter().collect(),
                catalogued,
            };
            (name, object)
        })
        .collect()
}

/// `flow 2 of conduit `x``, for messages.
pub fn flow_name(rule: &Rule) -> String {
    format!("flow {} of conduit `{}`", rule.flow, rule.conduit_name)
}

/// The address families a rule can match on a platform that needs both
/// ends in one family: those its sources and destinations share.
pub fn shared_families(rule: &Rule) -> BTreeSet<Family> {
    let of = |hosts: &Hosts| -> BTreeSet<Family> {
        match hosts {
            Hosts::Any => [Family::V4, Family::V6].into(),
            Hosts::Groups(_) => hosts.nets().map(Family::of).collect(),
        }
    };
    of(&rule.sources).intersection(&of(&rule.destinations)).copied().collect()
}

/// What makes a flow unrenderable on every vendor format: no ports, a port
/// outside 1-65535 or a backwards range, or ends that share no address
/// family (no packet could match; the vendors reject such a rule or would
/// need a rule that matches nothing).
pub fn check_rule(index: usize, rule: &Rule, target: &str) -> Vec<Unrenderable> {
    let mut problems = Vec::new();
    let flow = flow_name(rule);
    let ports = rule.ports();
    if ports.is_empty() {
        problems.push(Unrenderable {
            rule: Some(index),
            message: format!("{flow} allows no ports, and a {target} rule needs at least one"),
            help: "name a service from the catalogue or a raw port (`port tcp/N`) in the flow".into(),
        });
    }
    for range in ports.iter().filter(|p| p.port == 0 || p.last() < p.port) {
        problems.push(Unrenderable {
            rule: Some(index),
            message: format!(
                "{flow} allows `{}`, which {target} cannot express",
                crate::enforcement::policy::port_name(range)
            ),
            help: "write ports from 1 to 65535, ranges low to high (`tcp/N-M`)".into(),
        });
    }
    if shared_families(rule).is_empty() {
        let hosts = |hosts: &Hosts| -> &'static str {
            let families: BTreeSet<Family> = hosts.nets().map(Family::of).collect();
            match (families.contains(&Family::V4), families.contains(&Family::V6)) {
                (true, false) => "IPv4 hosts only",
                (false, true) => "IPv6 hosts only",
                (false, false) => "no hosts",
                (true, true) => "IPv4 and IPv6 hosts",
            }
        };
        problems.push(Unrenderable {
            rule: Some(index),
            message: format!(
                "{flow} goes from {} to {}, so no packet can match it and {target} cannot render it",
                hosts(&rule.sources),
                hosts(&rule.destinations)
            ),
            help: "give the hosts addresses of the same family (IPv4 or IPv6) on both ends of the flow".into(),
        });
    }
    problems
}

/// A window as ranges per weekday (Monday first), in minutes after
/// midnight, sorted, adjacent ranges merged.
pub type Week = [Vec<(u16, u16)>; 7];

/// Every rule's generic refusals (into `problems`), and each windowed
/// conduit's week on the device clock, by conduit name.
pub fn check_rules(device: &DevicePolicy, target: &str, problems: &mut Vec<Unrenderable>) -> BTreeMap<String, Week> {
    let mut weeks = BTreeMap::new();
    for (index, rule) in device.rules.iter().enumerate() {
        problems.extend(check_rule(index, rule, target));
        match week(device, index, rule, target) {
            Ok(Some(week)) => {
                weeks.entry(rule.conduit_name.to_string()).or_insert(week);
            }
            Ok(None) => {}
            Err(problem) => problems.push(problem),
        }
    }
    weeks
}

/// The flow's window in the device's clock, or `None` when it has none.
pub fn week(device: &DevicePolicy, index: usize, rule: &Rule, target: &str) -> Result<Option<Week>, Unrenderable> {
    let Some(window) = &rule.window else { return Ok(None) };
    let slots = window.slots_in(&device.timezone).map_err(|err| Unrenderable {
        rule: Some(index),
        message: format!("{}: {target} schedules run on {}, and {}", flow_name(rule), device.timezone, err.message),
        help: format!(
            "set the device's clock zone to the window's in kojo.kdl: `device \"{}\" {{ timezone \"{}\" }}`",
            device.name, window.zone
        ),
    })?;
    let mut week: Week = Default::default();
    for slot in &slots {
        for day in &slot.days {
            if let Some(ranges) = week.get_mut(usize::from(day.index())) {
                ranges.push((slot.start, slot.end));
            }
        }
    }
    for ranges in &mut week {
        // Schedules name minutes up to 23:59: a range that starts in the
        // day's last minute would become 23:59-23:59, which some platforms
        // read as the whole day. It is dropped (closing a minute early).
        ranges.retain(|&(start, end)| start < end && start < 1439);
        ranges.sort();
        let mut merged: Vec<(u16, u16)> = Vec::new();
        for &(start, end) in ranges.iter() {
            match merged.last_mut() {
                Some(last) if start <= last.1 => last.1 = last.1.max(end),
                _ => merged.push((start, end)),
            }
        }
        *ranges = merged;
    }
    Ok(Some(week))
}

/// The week's ranges with the days that share each, sorted by time: the
/// shape of ASA `periodic` lines and FortiGate recurring schedules.
pub fn ranges_by_time(week: &Week) -> Vec<((u16, u16), Vec<Weekday>)> {
    let mut by_time: BTreeMap<(u16, u16), Vec<Weekday>> = BTreeMap::new();
    for (day, ranges) in Weekday::ALL.iter().zip(week.iter()) {
        for range in ranges {
            by_time.entry(*range).or_default().push(*day);
        }
    }
    by_time.into_iter().collect()
}

/// The week split into layers with at most one range per day: the first
/// range of each day, then the second, … (the shape of Junos schedulers,
/// which hold one range per day).
pub fn layers(week: &Week) -> Vec<[Option<(u16, u16)>; 7]> {
    let depth = week.iter().map(Vec::len).max().unwrap_or(0);
    (0..depth)
        .map(|k| {
            let mut layer = [None; 7];
            for (slot, ranges) in layer.iter_mut().zip(week.iter()) {
                *slot = ranges.get(k).copied();
            }
            layer
        })
        .collect()
}

/// `HH:MM`; the end of the day (24:00) as 23:59, the last minute the
/// vendors' schedules can name (the window closes up to a minute early,
/// never late).
pub fn hhmm(minutes: u16) -> String {
    let minutes = minutes.min(1439);
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// `text` with every character outside printable ASCII as `?` (vendor CLIs
/// take comments in ASCII) and the platform's quote characters replaced.
pub fn ascii_text(text: &str, quotes: &[char]) -> String {
    text.chars()
        .map(|c| {
            if quotes.contains(&c) {
                '\''
            } else if c == ' ' || c.is_ascii_graphic() {
                c
            } else {
                '?'
            }
        })
        .collect()
}

/// `text` in lines of at most `max` characters, broken between words.
pub fn wrap(text: &str, max: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let mut word: String = word.to_string();
        while word.len() > max {
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            let rest = word.split_off(max.max(1));
            lines.push(word);
            word = rest;
        }
        if !line.is_empty() && line.len() + 1 + word.len() > max {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;

    #[test]
    fn names_are_clean_short_and_unique() {
        let mut names = Names::new(plain_name_char);
        names.reserve("any");
        assert_eq!(names.unique("any", 10), "any_2");
        assert_eq!(names.unique("tcp/8080", 10), "tcp_8080");
        assert_eq!(names.unique("a_very_long_name", 10), "a_very_lon");
        assert_eq!(names.unique("a_very_long_name_too", 10), "a_very_l_2");
        assert_eq!(names.unique("A_VERY_LON", 10), "A_VERY_L_3");
        assert_eq!(names.unique("", 10), "x");
    }

    #[test]
    fn wrap_breaks_between_words_and_splits_long_words() {
        assert_eq!(wrap("kojo: conduit a flow 1 (c.kojo:3)", 14), ["kojo: conduit", "a flow 1", "(c.kojo:3)"]);
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap("", 4), [""]);
    }

    #[test]
    fn layers_hold_one_range_per_day() {
        let mut week: Week = Default::default();
        week[0] = vec![(0, 660), (1320, 1440)];
        week[6] = vec![(1320, 1440)];
        let layers = layers(&week);
        assert_eq!(layers.len(), 2);
        assert_eq!(layers[0][0], Some((0, 660)));
        assert_eq!(layers[0][6], Some((1320, 1440)));
        assert_eq!(layers[1][0], Some((1320, 1440)));
        assert_eq!(layers[1][6], None);
        let by_time = ranges_by_time(&week);
        assert_eq!(by_time, [((0, 660), vec![Weekday::Mon]), ((1320, 1440), vec![Weekday::Mon, Weekday::Sun])]);
    }

    #[test]
    fn end_of_day_is_the_last_minute() {
        assert_eq!(hhmm(0), "00:00");
        assert_eq!(hhmm(9 * 60 + 5), "09:05");
        assert_eq!(hhmm(1440), "23:59");
    }

    #[test]
    fn ascii_text_replaces_what_a_cli_cannot_take() {
        assert_eq!(ascii_text("kojo: \"a\" 工場.kojo:3", &['"']), "kojo: 'a' ??.kojo:3");
    }
}
