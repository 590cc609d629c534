//! Structural checks of the vendor formats: every object a line uses is
//! defined on an earlier line, names and texts are within the platform's
//! limits; and which flows each device of the example and the lab must
//! carry, read from their sources.

use std::collections::{BTreeMap, BTreeSet};

fn name_ok(name: &str, max: usize) -> bool {
    !name.is_empty() && name.len() <= max && name.chars().all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c))
}

pub fn check_asa(at: &str, text: &str) {
    let mut defined: BTreeSet<String> = BTreeSet::new();
    for (number, line) in text.lines().enumerate() {
        let words: Vec<&str> = line.split_whitespace().collect();
        let at = format!("{at}:{}", number + 1);
        let mut uses: Vec<&str> = Vec::new();
        match words.as_slice() {
            ["object-group", "network" | "service", name] | ["time-range", name] => {
                assert!(name_ok(name, 64), "{at}: {line}");
                defined.insert(name.to_string());
            }
            ["access-list", acl, "remark", rest @ ..] => {
                assert!(name_ok(acl, 241) && rest.join(" ").len() <= 100, "{at}: {line}");
                defined.insert(acl.to_string());
            }
            ["access-list", acl, "extended", "permit" | "deny", rest @ ..] => {
                defined.insert(acl.to_string());
                for pair in rest.windows(2) {
                    if pair[0] == "object-group" || pair[0] == "time-range" {
                        uses.push(pair[1]);
                    }
                }
            }
            ["group-object", name] => uses.push(name),
            ["access-group", acl, "in" | "out", "interface", _] => uses.push(acl),
            _ => {}
        }
        for name in uses {
            assert!(defined.contains(name), "{at}: `{name}` used before it is defined: {line}");
        }
    }
}

pub fn check_fortigate(at: &str, text: &str) {
    let builtin = ["all", "ALL", "always"];
    let mut defined: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    let mut section = "";
    for (number, line) in text.lines().enumerate() {
        let at = format!("{at}:{}", number + 1);
        let trimmed = line.trim();
        if let Some(rest) = trimmed.strip_prefix("config ").filter(|r| !r.starts_with("firewall ")) {
            section = if rest == "user group" { "user group" } else { "other" };
            continue;
        }
        if let Some(rest) = trimmed.strip_prefix("config firewall ") {
            section = match rest {
                "address" | "addrgrp" => "v4",
                "address6" | "addrgrp6" => "v6",
                "service custom" => "service",
                "schedule recurring" | "schedule group" => "schedule",
                _ => "policy",
            };
            continue;
        }
        if let Some(name) = trimmed.strip_prefix("edit \"").and_then(|n| n.strip_suffix('"')) {
            let max = match section {
                "schedule" => 31,
                "user group" => 35,
                _ => 79,
            };
            assert!(name_ok(name, max), "{at}: {line}");
            defined.entry(section).or_default().insert(name.to_string());
        }
        let Some(rest) = trimmed.strip_prefix("set ") else { continue };
        let (key, values) = rest.split_once(' ').unwrap_or((rest, ""));
        let kind = match (section, key) {
            ("v4" | "v6", "member") => section,
            ("schedule", "member") => "schedule",
            ("policy", "srcaddr" | "dstaddr") => "v4",
            ("policy", "srcaddr6" | "dstaddr6") => "v6",
            ("policy", "service") => "service",
            ("policy", "schedule") => "schedule",
            ("policy", "groups") => "user group",
            (_, "comments" | "comment") => {
                assert!(values.len() <= 1023 + 2 && values.starts_with('"') && values.ends_with('"'), "{at}: {line}");
                assert_eq!(values.matches('"').count(), 2, "{at}: {line}");
                continue;
            }
            _ => continue,
        };
        for name in values.split_whitespace() {
            let name = name.trim_matches('"');
            let known = defined.get(kind).is_some_and(|d| d.contains(name)) || builtin.contains(&name);
            assert!(known, "{at}: `{name}` used before it is defined as {kind}: {line}");
        }
    }
}

pub fn check_srx(at: &str, text: &str) {
    let mut defined: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for (number, line) in text.lines().enumerate() {
        let at = format!("{at}:{}", number + 1);
        if line.starts_with('#') || line.starts_with("delete ") {
            continue;
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        let mut define = |kind, name: &str| {
            assert!(name_ok(name, 63) && !name.contains('.'), "{at}: {line}");
            defined.entry(kind).or_default().insert(name.to_string());
        };
        let mut uses: Vec<(&str, &str)> = Vec::new();
        match words.as_slice() {
            ["set", "security", "zones", "security-zone", zone, "interfaces", _] => define("zone", zone),
            ["set", "security", "address-book", "global", "address", name, ..] => define("address", name),
            ["set", "security", "address-book", "global", "address-set", name, "address", member] => {
                uses.push(("address", member));
                define("address", name);
            }
            ["set", "applications", "application", name, ..] => define("application", name),
            ["set", "schedulers", "scheduler", name, ..] => define("scheduler", name),
            ["set", "security", "policies", "from-zone", from, "to-zone", to, "policy", name, rest @ ..] => {
                assert!(name_ok(name, 63), "{at}: {line}");
                uses.extend([("zone", *from), ("zone", *to)]);
                match rest {
                    ["match", "source-address" | "destination-address", address] if *address != "any" => {
                        uses.push(("address", address))
                    }
                    ["match", "application", application] => uses.push(("application", application)),
                    ["scheduler-name", scheduler] => uses.push(("scheduler", scheduler)),
                    _ => {}
                }
            }
            _ => {}
        }
        for (kind, name) in uses {
            assert!(defined.get(kind).is_some_and(|d| d.contains(name)), "{at}: {kind} `{name}` not defined: {line}");
        }
        if let Some((_, description)) = line.split_once(" description ") {
            assert!(description.len() <= 902 && description.starts_with('"') && description.ends_with('"'), "{at}");
        }
    }
}

/// The flows each device must carry, from the policy every backend renders.
pub fn flows_of(artifact: &kojo_backends::Artifact, plant: &str) -> BTreeSet<(String, usize)> {
    let text = std::fs::read_to_string(match plant {
        "example" => std::path::Path::new(crate::EXAMPLE).join("conduits.kojo"),
        _ => return lab_flows(),
    })
    .unwrap();
    // The example's flows by conduit, in order; each conduit says its device.
    let mut flows = BTreeSet::new();
    let mut conduit: Option<(String, usize)> = None;
    let mut device_flows: Vec<(String, usize)> = Vec::new();
    for line in text.lines().map(str::trim) {
        if let Some(rest) = line.strip_prefix("conduit ") {
            conduit = Some((rest.split_whitespace().next().unwrap().to_string(), 0));
            device_flows.clear();
        } else if line.starts_with("allow ") {
            let (name, count) = conduit.as_mut().unwrap();
            *count += 1;
            device_flows.push((name.clone(), *count));
        } else if line == format!("enforced-by {}", artifact.device) {
            flows.extend(device_flows.drain(..));
        }
    }
    flows
}

fn lab_flows() -> BTreeSet<(String, usize)> {
    let mut flows = BTreeSet::new();
    let mut conduit = (String::new(), 0);
    for line in crate::LAB.lines().map(str::trim) {
        if let Some(rest) = line.strip_prefix("conduit ") {
            conduit = (rest.split_whitespace().next().unwrap().to_string(), 0);
        } else if line.starts_with("allow ") {
            conduit.1 += 1;
            flows.insert(conduit.clone());
        }
    }
    flows
}
