//! Small reference readers of the three vendor formats, for the
//! differential test: each replays a generated file the way the device
//! applies it (ASA commands in order, FortiOS `config` blocks and `move`,
//! Junos `delete`/`set`) and decides a packet by the platform's documented
//! matching (ASA inbound and outbound lists with an implicit deny, FortiOS
//! first matching policy, SRX zone-pair policies then global ones). They
//! read only what kojo writes.
//!
//! Schedule ends are read as each platform documents them: an ASA
//! `periodic` end is inclusive (`09:00 to 17:59` runs until 17:59:59), as
//! Cisco documents. Junos schedulers stop at a second (`stop-time
//! 18:00:00`), read as exclusive. FortiOS does not document whether a
//! recurring schedule's end minute is included; it is read as exclusive
//! (`18:00` stops at 18:00), and docs/backends/vendor.md says that a
//! FortiGate may run a window up to a minute longer.

use std::collections::BTreeMap;
use std::net::IpAddr;

/// A connection's first packet as the firewall sees it.
#[derive(Debug, Clone)]
pub struct Packet {
    /// The interface it arrives on and the one it leaves by (names as in the file).
    pub from: String,
    pub to: String,
    pub src: IpAddr,
    pub dst: IpAddr,
    /// `tcp` or `udp`.
    pub proto: &'static str,
    pub port: u16,
    /// 0 = Monday, in the device's clock.
    pub day: usize,
    /// Minutes after midnight.
    pub minute: u16,
}

/// A policy's settings: key → values.
type Settings = BTreeMap<String, Vec<String>>;
/// (protocol, first port, last port).
type Ports = Vec<(String, u16, u16)>;
/// Per weekday (Monday first), ranges in minutes, end exclusive.
type Times = [Vec<(u16, u16)>; 7];

fn in_ports(ports: &Ports, p: &Packet) -> bool {
    ports.iter().any(|(proto, lo, hi)| proto == p.proto && (*lo..=*hi).contains(&p.port))
}

fn in_times(times: &Times, p: &Packet) -> bool {
    times[p.day].iter().any(|(start, end)| (*start..*end).contains(&p.minute))
}

fn hhmm(text: &str) -> u16 {
    let parts: Vec<u16> = text.trim_matches('"').split(':').map(|n| n.parse().unwrap()).collect();
    parts[0] * 60 + parts[1]
}

fn day_index(name: &str) -> usize {
    let names = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
    names.iter().position(|d| d.eq_ignore_ascii_case(name)).unwrap_or_else(|| panic!("day `{name}`"))
}

/// An address and prefix length.
#[derive(Debug, Clone, Copy)]
struct Cidr {
    address: IpAddr,
    len: u32,
}

impl Cidr {
    fn contains(&self, address: IpAddr) -> bool {
        let bits = |a: IpAddr| match a {
            IpAddr::V4(v4) => (u128::from(v4.to_bits()), 32),
            IpAddr::V6(v6) => (v6.to_bits(), 128),
        };
        let ((net, width), (other, other_width)) = (bits(self.address), bits(address));
        let shift = width - self.len;
        width == other_width && (shift == 128 || net >> shift == other >> shift)
    }
}

/// `10.0.0.0/24`, `fd00::1/128` or a bare address.
fn net(text: &str) -> Cidr {
    match text.split_once('/') {
        Some((address, len)) => Cidr { address: address.parse().unwrap(), len: len.parse().unwrap() },
        None => {
            let address: IpAddr = text.parse().unwrap();
            Cidr { address, len: if address.is_ipv4() { 32 } else { 128 } }
        }
    }
}

fn v4_mask(address: &str, mask: &str) -> Cidr {
    let len = mask.parse::<std::net::Ipv4Addr>().unwrap().to_bits().count_ones();
    Cidr { address: address.parse().unwrap(), len }
}

fn contains(nets: &[Cidr], address: IpAddr) -> bool {
    nets.iter().any(|n| n.contains(address))
}

/// One access-list entry: `None` for `ip` or `any`.
struct Ace {
    permit: bool,
    service: Option<String>,
    src: Option<String>,
    dst: Option<String>,
    time: Option<String>,
}

impl Ace {
    /// `permit object-group SVC object-group SRC any log time-range T`.
    fn parse(words: &[&str]) -> Ace {
        if let [action, "icmp" | "icmp6", "any", "any", kind] = words {
            // ICMP errors (no probe is ICMP): a service no TCP or UDP packet matches.
            return Ace {
                permit: *action == "permit",
                service: Some(format!("icmp:{kind}")),
                src: None,
                dst: None,
                time: None,
            };
        }
        let mut at = 1;
        let operand = |at: &mut usize| -> Option<String> {
            let word = words[*at];
            *at += 1;
            match word {
                "ip" | "any" => None,
                "object-group" => {
                    *at += 1;
                    Some(words[*at - 1].to_string())
                }
                other => panic!("operand `{other}` in {words:?}"),
            }
        };
        let service = operand(&mut at);
        let src = operand(&mut at);
        let dst = operand(&mut at);
        let time = words[at..].windows(2).find(|w| w[0] == "time-range").map(|w| w[1].to_string());
        Ace { permit: words[0] == "permit", service, src, dst, time }
    }
}

/// A Cisco ASA after the file is applied.
#[derive(Default)]
pub struct Asa {
    networks: BTreeMap<String, Vec<Cidr>>,
    services: BTreeMap<String, (Ports, Vec<String>)>,
    times: BTreeMap<String, Times>,
    acls: BTreeMap<String, Vec<Ace>>,
    /// Every service group's ports, nested groups included.
    flat: BTreeMap<String, Ports>,
    /// (interface, "in" | "out") → access list.
    bound: BTreeMap<(String, String), String>,
    /// EEM applets: the minute of the day they run, and their commands.
    pub applets: BTreeMap<String, (u16, Vec<String>)>,
    /// What `policy-map` lines inspect.
    pub inspections: Vec<String>,
    /// Whether the file ends open connections once loaded (`clear conn`).
    pub cleared: bool,
}

impl Asa {
    pub fn load(text: &str) -> Asa {
        let mut asa = Asa::default();
        let mut current: Option<(String, String)> = None;
        for line in text.lines().filter(|l| !l.starts_with('!')) {
            let words: Vec<&str> = line.split_whitespace().collect();
            if !line.starts_with(' ') {
                current = None;
            }
            match words.as_slice() {
                ["clear", "configure", "access-list", name] => {
                    asa.acls.remove(*name);
                    asa.bound.retain(|_, acl| acl != name);
                }
                ["no", "object-group", _, name] => {
                    asa.networks.remove(*name);
                    asa.services.remove(*name);
                }
                ["no", "time-range", name] => {
                    asa.times.remove(*name);
                }
                ["object-group", kind, name] => current = Some((kind.to_string(), name.to_string())),
                ["time-range", name] => current = Some(("time".into(), name.to_string())),
                ["access-list", name, "remark", ..] => {
                    asa.acls.entry(name.to_string()).or_default();
                }
                ["access-list", name, "extended", ..] => {
                    asa.acls.entry(name.to_string()).or_default().push(Ace::parse(&words[3..]));
                }
                ["access-group", acl, direction, "interface", interface] => {
                    assert!(asa.acls.contains_key(*acl), "access-group of an undefined list: {line}");
                    asa.bound.insert((interface.to_string(), direction.to_string()), acl.to_string());
                }
                ["same-security-traffic", ..] => {}
                // Session handling, not matching: checked by their own tests.
                ["clear", "conn"] => asa.cleared = true,
                ["no", "event", "manager", "applet", name] => drop(asa.applets.remove(*name)),
                ["event", "manager", "applet", name] => current = Some(("applet".into(), name.to_string())),
                ["policy-map", name] => current = Some(("policy-map".into(), name.to_string())),
                ["description", ..] => {}
                [keyword, rest @ ..] => {
                    let (kind, name) = current.clone().unwrap_or_else(|| panic!("unexpected: {line}"));
                    asa.sub_line(&kind, name, keyword, rest, line);
                }
                [] => {}
            }
        }
        asa.flat = asa.services.keys().map(|name| (name.clone(), asa.ports(name))).collect();
        asa
    }

    /// A line inside an object-group, time-range, applet or policy-map.
    fn sub_line(&mut self, kind: &str, name: String, keyword: &str, rest: &[&str], line: &str) {
        match (kind, keyword, rest) {
            ("network", "network-object", ["host", address]) => {
                self.networks.entry(name).or_default().push(net(address))
            }
            ("network", "network-object", [address, mask]) => {
                self.networks.entry(name).or_default().push(v4_mask(address, mask))
            }
            ("network", "network-object", [prefix]) => self.networks.entry(name).or_default().push(net(prefix)),
            ("service", "service-object", [proto, "destination", "eq", port]) => {
                let port: u16 = port.parse().unwrap();
                self.services.entry(name).or_default().0.push((proto.to_string(), port, port));
            }
            ("service", "service-object", [proto, "destination", "range", lo, hi]) => {
                let range = (proto.to_string(), lo.parse().unwrap(), hi.parse().unwrap());
                self.services.entry(name).or_default().0.push(range);
            }
            ("service", "group-object", [group]) => self.services.entry(name).or_default().1.push(group.to_string()),
            ("time", "periodic", [days @ .., start, "to", end]) => {
                let days: Vec<usize> = days
                    .iter()
                    .flat_map(|d| match *d {
                        "daily" => (0..7).collect(),
                        "weekdays" => (0..5).collect(),
                        "weekend" => vec![5, 6],
                        day => vec![day_index(day)],
                    })
                    .collect();
                // The end minute is inclusive: it runs to its 59th second.
                let times = self.times.entry(name).or_default();
                for day in days {
                    times[day].push((hhmm(start), hhmm(end) + 1));
                }
            }
            ("applet", "event", ["timer", "absolute", "time", time]) => {
                self.applets.entry(name).or_default().0 = hhmm(&time[..5]);
            }
            ("applet", "action", [_, "cli", "command", command @ ..]) => {
                self.applets.entry(name).or_default().1.push(command.join(" ").trim_matches('"').to_string());
            }
            ("applet", "description", _) => {}
            ("policy-map", "class" | "inspect", _) => self.inspections.push(line.trim().to_string()),
            _ => panic!("unexpected in {kind} {name}: {line}"),
        }
    }

    fn ports(&self, group: &str) -> Ports {
        let (ports, nested) = self.services.get(group).unwrap_or_else(|| panic!("service group `{group}`"));
        let mut all = ports.clone();
        for inner in nested {
            all.extend(self.ports(inner));
        }
        all
    }

    fn in_group(&self, group: &Option<String>, address: IpAddr) -> bool {
        group.as_ref().is_none_or(|g| contains(self.networks.get(g).unwrap_or_else(|| panic!("group `{g}`")), address))
    }

    /// The first entry of `acl` that matches decides; none: denied.
    fn list(&self, acl: &str, p: &Packet) -> bool {
        for ace in &self.acls[acl] {
            let icmp = ace.service.as_ref().is_some_and(|s| s.starts_with("icmp:"));
            if !icmp
                && ace.service.as_ref().is_none_or(|s| in_ports(&self.flat[s], p))
                && self.in_group(&ace.src, p.src)
                && self.in_group(&ace.dst, p.dst)
                && ace.time.as_ref().is_none_or(|t| in_times(&self.times[t], p))
            {
                return ace.permit;
            }
        }
        false
    }

    pub fn permits(&self, p: &Packet) -> bool {
        // An interface without a list passes traffic by security level:
        // count that as let through, so a missing list shows.
        let check = |interface: &str, direction: &str| match self.bound.get(&(interface.into(), direction.into())) {
            Some(acl) => self.list(acl, p),
            None => true,
        };
        check(&p.from, "in") && check(&p.to, "out")
    }
}

/// A FortiGate after the script runs.
#[derive(Default)]
pub struct Fortigate {
    addresses: BTreeMap<String, Vec<Cidr>>,
    groups: BTreeMap<String, Vec<String>>,
    services: BTreeMap<String, Ports>,
    recurring: BTreeMap<String, Times>,
    schedule_groups: BTreeMap<String, Vec<String>>,
    user_groups: BTreeMap<String, Settings>,
    /// Global settings (`config system settings`).
    pub settings: Settings,
    /// In list order: (id, settings).
    pub policies: Vec<(String, Settings)>,
}

impl Fortigate {
    pub fn load(text: &str) -> Fortigate {
        let mut fgt = Fortigate::default();
        let (mut section, mut item) = (String::new(), String::new());
        let mut settings: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for line in text.lines().map(str::trim).filter(|l| !l.starts_with('#')) {
            let words: Vec<String> = line.split_whitespace().map(|w| w.trim_matches('"').to_string()).collect();
            let words: Vec<&str> = words.iter().map(String::as_str).collect();
            match words.as_slice() {
                ["config", "firewall", rest @ ..] => section = rest.join(" "),
                ["config", rest @ ..] => section = rest.join(" "),
                ["purge"] if section == "policy" => fgt.policies.clear(),
                ["edit", name] => {
                    item = name.to_string();
                    settings = match section.as_str() {
                        "policy" => {
                            fgt.policies.iter().find(|(id, _)| id == name).map(|(_, s)| s.clone()).unwrap_or_default()
                        }
                        _ => BTreeMap::new(),
                    };
                }
                ["set", key, values @ ..] => {
                    settings.insert(key.to_string(), values.iter().map(|v| v.to_string()).collect());
                }
                ["unset", key] => {
                    settings.remove(*key);
                }
                ["next"] => fgt.store(&section, &item, std::mem::take(&mut settings)),
                ["end"] if section == "system settings" => {
                    fgt.settings.extend(std::mem::take(&mut settings));
                    section.clear();
                }
                ["move", id, "after", other] => {
                    let at = fgt.policies.iter().position(|(i, _)| i == id).unwrap();
                    let moved = fgt.policies.remove(at);
                    let after = fgt.policies.iter().position(|(i, _)| i == other).unwrap();
                    fgt.policies.insert(after + 1, moved);
                }
                ["end"] => section.clear(),
                _ => panic!("unexpected: {line}"),
            }
        }
        fgt
    }

    fn store(&mut self, section: &str, item: &str, settings: BTreeMap<String, Vec<String>>) {
        let get = |key: &str| settings.get(key).cloned().unwrap_or_default();
        match section {
            "address" => {
                self.addresses.insert(item.into(), vec![v4_mask(&get("subnet")[0], &get("subnet")[1])]).map(drop)
            }
            "address6" => self.addresses.insert(item.into(), vec![net(&get("ip6")[0])]).map(drop),
            "addrgrp" | "addrgrp6" => self.groups.insert(item.into(), get("member")).map(drop),
            "service custom" => {
                let mut ports = Ports::new();
                for (proto, key) in [("tcp", "tcp-portrange"), ("udp", "udp-portrange")] {
                    for range in get(key) {
                        let (lo, hi) = range.split_once('-').unwrap_or((&range, &range));
                        ports.push((proto.into(), lo.parse().unwrap(), hi.parse().unwrap()));
                    }
                }
                self.services.insert(item.into(), ports).map(drop)
            }
            "schedule recurring" => {
                let mut times: Times = Default::default();
                for day in get("day") {
                    times[day_index(&day)].push((hhmm(&get("start")[0]), hhmm(&get("end")[0])));
                }
                self.recurring.insert(item.into(), times).map(drop)
            }
            "schedule group" => self.schedule_groups.insert(item.into(), get("member")).map(drop),
            "user group" => self.user_groups.insert(item.into(), settings.clone()).map(drop),
            "system settings" => None,
            "policy" => {
                match self.policies.iter_mut().find(|(id, _)| id == item) {
                    Some((_, old)) => *old = settings,
                    None => self.policies.push((item.into(), settings)),
                }
                None
            }
            other => panic!("section `{other}`"),
        };
    }

    /// The conduits whose policies admit users through the SSL-VPN by a
    /// user group the file defines.
    pub fn vpn_conduits(&self) -> std::collections::BTreeSet<String> {
        let mut conduits = std::collections::BTreeSet::new();
        for (_, policy) in &self.policies {
            let get = |key: &str| policy.get(key).cloned().unwrap_or_default();
            if get("srcintf") == ["ssl.root"] {
                assert!(!get("groups").is_empty(), "an SSL-VPN policy without a user group: {policy:?}");
                for group in get("groups") {
                    assert!(self.user_groups.contains_key(&group), "user group `{group}` is not defined");
                }
                let comment = get("comments");
                conduits.insert(comment.get(2).cloned().unwrap_or_default());
            }
        }
        conduits
    }

    fn address(&self, name: &str, address: IpAddr) -> bool {
        if name == "all" {
            return true;
        }
        match self.groups.get(name) {
            Some(members) => members.iter().any(|m| self.address(m, address)),
            None => contains(self.addresses.get(name).unwrap_or_else(|| panic!("address `{name}`")), address),
        }
    }

    fn scheduled(&self, name: &str, p: &Packet) -> bool {
        match (name, self.schedule_groups.get(name)) {
            ("always", _) => true,
            (_, Some(members)) => members.iter().any(|m| self.scheduled(m, p)),
            _ => in_times(&self.recurring[name], p),
        }
    }

    pub fn permits(&self, p: &Packet) -> bool {
        let suffix = if p.src.is_ipv4() { "" } else { "6" };
        for (_, policy) in &self.policies {
            let get = |key: &str| policy.get(key).cloned().unwrap_or_default();
            let interface = |key: &str, name: &str| get(key).iter().any(|i| i == "any" || i == name);
            let addresses = |key: &str, address: IpAddr| get(key).iter().any(|n| self.address(n, address));
            let service = get("service").iter().any(|s| s == "ALL" || in_ports(&self.services[s], p));
            if interface("srcintf", &p.from)
                && interface("dstintf", &p.to)
                && addresses(&format!("srcaddr{suffix}"), p.src)
                && addresses(&format!("dstaddr{suffix}"), p.dst)
                && service
                && self.scheduled(&get("schedule")[0], p)
                && get("status") != ["disable"]
            {
                return get("action") == ["accept"];
            }
        }
        false
    }
}

/// An SRX after `load set` and `commit`.
#[derive(Default)]
pub struct Srx {
    zones: BTreeMap<String, String>,
    addresses: BTreeMap<String, Vec<Cidr>>,
    sets: BTreeMap<String, Vec<String>>,
    applications: BTreeMap<String, BTreeMap<String, (String, String)>>,
    schedulers: BTreeMap<String, Times>,
    /// (from-zone, to-zone) or ("global", "") → policies in order.
    policies: BTreeMap<(String, String), Vec<(String, Settings)>>,
    /// Open sessions are re-evaluated when their policy changes.
    pub rematch: bool,
}

impl Srx {
    pub fn load(text: &str) -> Srx {
        let mut srx = Srx::default();
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let words: Vec<&str> = line.split_whitespace().collect();
            match words.as_slice() {
                ["delete", "security", "policies"] => {
                    srx.policies.clear();
                    srx.rematch = false;
                }
                ["delete", "security", "address-book", "global", "address-set", name] => drop(srx.sets.remove(*name)),
                ["delete", "security", "address-book", "global", "address", name] => drop(srx.addresses.remove(*name)),
                ["delete", "applications", "application", name] => drop(srx.applications.remove(*name)),
                ["delete", "schedulers", "scheduler", name] => drop(srx.schedulers.remove(*name)),
                ["set", "security", "zones", "security-zone", zone, "interfaces", interface] => {
                    srx.zones.insert(interface.to_string(), zone.to_string());
                }
                ["set", "security", "address-book", "global", "address", _, "description", ..] => {}
                ["set", "security", "address-book", "global", "address", name, prefix] => {
                    srx.addresses.insert(name.to_string(), vec![net(prefix)]);
                }
                ["set", "security", "address-book", "global", "address-set", _, "description", ..] => {}
                ["set", "security", "address-book", "global", "address-set", name, "address", member] => {
                    srx.sets.entry(name.to_string()).or_default().push(member.to_string());
                }
                ["set", "applications", "application", _, "description", ..] => {}
                ["set", "applications", "application", name, rest @ ..] => {
                    let (term, rest) = match rest {
                        ["term", term, rest @ ..] => (term.to_string(), rest),
                        _ => (String::new(), rest),
                    };
                    let entry = srx.applications.entry(name.to_string()).or_default().entry(term).or_default();
                    match rest {
                        ["protocol", proto] => entry.0 = proto.to_string(),
                        ["destination-port", ports] => entry.1 = ports.to_string(),
                        _ => panic!("unexpected: {line}"),
                    }
                }
                ["set", "schedulers", "scheduler", name, day, "start-time", start, "stop-time", stop] => {
                    let seconds = |t: &str| -> u32 {
                        let parts: Vec<u32> = t.split(':').map(|n| n.parse().unwrap()).collect();
                        parts[0] * 3600 + parts[1] * 60 + parts[2]
                    };
                    // Minutes whose whole span lies in [start, stop).
                    let (start, stop) = (seconds(start).div_ceil(60), seconds(stop) / 60);
                    let times = srx.schedulers.entry(name.to_string()).or_default();
                    times[day_index(day)].push((start as u16, stop as u16));
                }
                ["set", "security", "policies", "from-zone", from, "to-zone", to, "policy", name, rest @ ..] => {
                    srx.policy((from.to_string(), to.to_string()), name, rest);
                }
                ["set", "security", "policies", "global", "policy", name, rest @ ..] => {
                    srx.policy(("global".into(), String::new()), name, rest);
                }
                ["set", "security", "policies", "default-policy", "deny-all"] => {}
                ["set", "security", "policies", "policy-rematch"] => srx.rematch = true,
                [] => {}
                _ => panic!("unexpected: {line}"),
            }
        }
        srx
    }

    fn policy(&mut self, pair: (String, String), name: &str, rest: &[&str]) {
        let list = self.policies.entry(pair).or_default();
        let at = match list.iter().position(|(n, _)| n == name) {
            Some(at) => at,
            None => {
                list.push((name.to_string(), BTreeMap::new()));
                list.len() - 1
            }
        };
        let settings = &mut list[at].1;
        match rest {
            ["match", key, value] => settings.entry(key.to_string()).or_default().push(value.to_string()),
            ["then", action] => drop(settings.insert("action".into(), vec![action.to_string()])),
            ["scheduler-name", scheduler] => drop(settings.insert("scheduler".into(), vec![scheduler.to_string()])),
            ["then", "log", ..] | ["description", ..] => {}
            _ => panic!("unexpected policy setting: {rest:?}"),
        }
    }

    fn address(&self, name: &str, address: IpAddr) -> bool {
        match (name, self.sets.get(name)) {
            ("any", _) => true,
            (_, Some(members)) => members.iter().any(|m| self.address(m, address)),
            _ => contains(self.addresses.get(name).unwrap_or_else(|| panic!("address `{name}`")), address),
        }
    }

    fn application(&self, name: &str, p: &Packet) -> bool {
        name == "any"
            || self.applications[name].values().any(|(proto, ports)| {
                let (lo, hi) = ports.split_once('-').unwrap_or((ports, ports));
                proto == p.proto && (lo.parse::<u16>().unwrap()..=hi.parse().unwrap()).contains(&p.port)
            })
    }

    pub fn permits(&self, p: &Packet) -> bool {
        let (Some(from), Some(to)) = (self.zones.get(&p.from), self.zones.get(&p.to)) else { return false };
        let pairs = [(from.clone(), to.clone()), ("global".to_string(), String::new())];
        for policy in pairs.iter().filter_map(|pair| self.policies.get(pair)).flatten().map(|(_, s)| s) {
            let get = |key: &str| policy.get(key).cloned().unwrap_or_default();
            let active = get("scheduler").first().is_none_or(|s| in_times(&self.schedulers[s], p));
            if get("source-address").iter().any(|a| self.address(a, p.src))
                && get("destination-address").iter().any(|a| self.address(a, p.dst))
                && get("application").iter().any(|a| self.application(a, p))
                && active
            {
                return get("action") == ["permit"];
            }
        }
        false
    }
}
