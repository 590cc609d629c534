//! The comparison as a whole: kojo's own files read back show no drift,
//! in every format; and hand-made changes to them show what netfilter
//! would do (first match, jumps and returns, several base chains, policies).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use kojo_compiler::{check_with, MemorySource, Options};

use super::*;
use crate::enforcement::policy::DevicePolicy;

const PLANT: &str = r#"plant "T" { name "Test" }
zone internet "Internet" : untrusted
zone a "A" { subnet 10.1.0.0/24  subnet fd00:1::/64 }
zone b "B" { subnet 10.2.0.0/24  subnet fd00:2::/64 }
asset fw "FW" {
  kind firewall
  interfaces { internet 203.0.113.1; a 10.1.0.1; b 10.2.0.1 }
}
asset h1 "H1" in a { kind server  ip 10.1.0.10  ip fd00:1::10 }
asset h2 "H2" in a { kind server  ip 10.1.0.11 }
asset s1 "S1" in b { kind server  ip 10.2.0.10  ip fd00:2::10 }
conduit a_to_b from a to b {
  allow [h1, h2] -> s1 port [tcp/502, udp/5000-5010]
  allow any -> s1 service [https, dns]
  enforced-by fw
}
conduit internet_to_b from internet to b {
  allow any -> s1 service https
  enforced-by fw
  window "Mon-Fri 09:00-18:00 UTC"
}
"#;

/// The device and kojo's files for it, by format.
fn fixture() -> (DevicePolicy, Vec<Artifact>) {
    let mut source = MemorySource::new("t").with_file("plant.kojo", PLANT);
    source.manifest = Some("project \"t\"\nbackend \"nftables\" \"iptables\"\n".into());
    let checked =
        check_with(&source, &Options { backends: crate::enforcement::names(), today: None, ..Default::default() });
    let (model, manifest, catalogue) =
        (checked.model.as_ref().unwrap(), checked.manifest.as_ref().unwrap(), checked.catalogue.as_ref().unwrap());
    let request = crate::enforcement::Request { model, catalogue, tiers: &checked.tiers, manifest };
    let policy = crate::enforcement::build::policy(&request).unwrap();
    let device = policy.devices[0].clone();
    let mut artifacts = Vec::new();
    for backend in [backend(SourceFormat::NftText), backend(SourceFormat::IptablesSave)] {
        artifacts.extend(crate::enforcement::build::render_one(&request, &policy, &device, backend).unwrap());
    }
    (device, artifacts)
}

fn file<'a>(artifacts: &'a [Artifact], name: &str) -> &'a str {
    &artifacts.iter().find(|a| a.path.ends_with(name)).unwrap().content
}

/// The report for `text` (in `format`'s family of files).
fn report(device: &DevicePolicy, artifacts: &[Artifact], text: &str) -> Report {
    let deployed = parse(text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let expected = expected(deployed.format, artifacts).unwrap();
    compare(device, &deployed, &expected).unwrap()
}

fn nft(artifacts: &[Artifact]) -> String {
    file(artifacts, "nftables.nft").to_string()
}

/// `text` with `line` added after the line that contains `after`.
fn insert_after(text: &str, after: &str, line: &str) -> String {
    let at = text.find(after).unwrap_or_else(|| panic!("no `{after}`"));
    let end = at + text[at..].find('\n').unwrap() + 1;
    format!("{}{line}\n{}", &text[..end], &text[end..])
}

fn line(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

#[test]
fn kojos_own_files_show_no_drift() {
    let (device, artifacts) = fixture();
    let listing = nft(&artifacts);
    let r = report(&device, &artifacts, &listing);
    assert!(!r.drifted(), "{r:#?}");
    assert_eq!(r.families, ["ipv4", "ipv6"]);
    assert!(r.notes.iter().any(|n| n.contains("time windows")), "{:?}", r.notes);
    let both = format!("{}{}", file(&artifacts, "/iptables.rules"), file(&artifacts, "/ip6tables.rules"));
    let r = report(&device, &artifacts, &both);
    assert!(!r.drifted(), "{r:#?}");
    assert_eq!(r.families, ["ipv4", "ipv6"]);
    let r = report(&device, &artifacts, file(&artifacts, "/ip6tables.rules"));
    assert!(!r.drifted(), "{r:#?}");
    assert_eq!(r.families, ["ipv6"], "a file of one family compares that family");
}

#[test]
fn a_drop_before_a_flow_blocks_it_and_is_named() {
    let (device, artifacts) = fixture();
    let listing = insert_after(&nft(&artifacts), "chain a_to_b {", "\t\tip saddr 10.1.0.11 drop");
    let r = report(&device, &artifacts, &listing);
    assert!(r.allowed_not_modelled.is_empty(), "{:#?}", r.allowed_not_modelled);
    let missing = &r.modelled_not_allowed;
    assert_eq!(missing.len(), 2, "flow 1 from h2, and h2 as one of `any` for flow 2: {missing:#?}");
    assert_eq!((missing[0].conduit.as_str(), missing[0].flow), ("a_to_b", 1));
    let blocked = format!("line {}: ip saddr 10.1.0.11 drop", line(&listing, "10.1.0.11 drop"));
    assert_eq!(missing[0].blocked_by, [blocked]);
    assert!(missing[0].traffic.iter().all(|t| t.sources == "10.1.0.11"), "{:#?}", missing[0].traffic);
    assert_eq!(r.not_generated.len(), 1);
    assert!(
        r.not_generated[0].action.starts_with("drops ipv4 a -> b: 10.1.0.11 -> any"),
        "{}",
        r.not_generated[0].action
    );
}

#[test]
fn jumps_returns_and_shadowed_rules() {
    let (device, artifacts) = fixture();
    let chains = "\tchain extra {\n\t\tip saddr 10.1.0.99 return\n\t\ttcp dport 22 accept\n\t}\n";
    let listing = insert_after(&nft(&artifacts), "chain a_to_b {", "\t\tjump extra");
    let listing = insert_after(&listing, "table inet kojo {\n", chains);
    // After a drop of everything from h1, an accept of h1 decides nothing.
    let listing = insert_after(&listing, "chain a_to_b {", "\t\tip saddr 10.1.0.10 udp dport 7 accept");
    let listing = insert_after(&listing, "chain a_to_b {", "\t\tip saddr 10.1.0.10 meta l4proto udp drop");
    let r = report(&device, &artifacts, &listing);
    let extras: Vec<(&str, Vec<String>)> = r
        .allowed_not_modelled
        .iter()
        .map(|e| (e.rule.as_str(), e.traffic.iter().map(ToString::to_string).collect()))
        .collect();
    assert_eq!(
        extras,
        [(
            "tcp dport 22 accept",
            vec![
                "ipv4 a -> b: any but 10.1.0.99 -> any, tcp/22".to_string(),
                "ipv6 a -> b: any -> any, tcp/22".to_string()
            ]
        )],
        "only what the chain of a to b jumps with, less what returns"
    );
    let shadowed = r.not_generated.iter().find(|f| f.rule.contains("udp dport 7")).unwrap();
    assert!(shadowed.action.starts_with("accepts nothing"), "{}", shadowed.action);
    let missing: Vec<(&str, usize)> = r.modelled_not_allowed.iter().map(|m| (m.conduit.as_str(), m.flow)).collect();
    assert_eq!(missing, [("a_to_b", 1), ("a_to_b", 2)], "h1's UDP, and DNS on UDP from h1 as one of `any`");
}

#[test]
fn every_base_chain_must_accept_and_policies_are_the_frame() {
    let (device, artifacts) = fixture();
    let other = "table inet other {\n\tchain f {\n\t\ttype filter hook forward priority 10; policy accept;\n\t\tip6 daddr fd00:2::10 drop\n\t}\n}\n";
    let listing = nft(&artifacts) + other;
    let listing =
        listing.replacen("hook input priority filter; policy drop;", "hook input priority filter; policy accept;", 1);
    let listing = listing.replacen("\t\tct state invalid drop\n", "", 1);
    let r = report(&device, &artifacts, &listing);
    assert!(r.allowed_not_modelled.is_empty(), "{:#?}", r.allowed_not_modelled);
    assert!(r.modelled_not_allowed.iter().all(|m| m.traffic.iter().all(|t| t.family == "ipv6")));
    assert!(r.modelled_not_allowed[0].blocked_by[0].contains("ip6 daddr fd00:2::10 drop"));
    let frame: Vec<&str> = r.frame.iter().map(|f| f.message.as_str()).collect();
    assert_eq!(frame.len(), 2, "{frame:#?}");
    assert!(frame[0].contains("lacks kojo's `ct state invalid drop`"), "{frame:#?}");
    assert!(
        frame[1].contains("chain `input` in table inet kojo is type filter hook input, policy accept"),
        "{frame:#?}"
    );
    let foreign: Vec<&str> = r.not_generated.iter().map(|f| f.reason.as_str()).collect();
    assert_eq!(
        foreign,
        ["table inet other is not kojo's", "table inet other is not kojo's"],
        "the base chain, and its rule"
    );
}

#[test]
fn a_forward_policy_of_accept_and_no_table_forward_everything() {
    let (device, artifacts) = fixture();
    let listing = nft(&artifacts).replacen(
        "hook forward priority filter; policy drop;",
        "hook forward priority filter; policy accept;",
        1,
    );
    let r = report(&device, &artifacts, &listing);
    assert_eq!(r.allowed_not_modelled.len(), 1);
    assert_eq!(r.allowed_not_modelled[0].rule, "policy accept");
    assert!(r.frame[0].message.contains("policy accept; kojo's is type filter hook forward, policy drop"));
    let r = report(&device, &artifacts, "table inet unrelated {\n}\n");
    assert_eq!(r.allowed_not_modelled.len(), 1);
    assert!(r.allowed_not_modelled[0].at.is_none());
    assert!(r.allowed_not_modelled[0].rule.starts_with("no base chain on the forward hook for ipv4 and ipv6"));
    assert_eq!(r.allowed_not_modelled[0].traffic[0].service, "any traffic");
    assert_eq!(r.frame[0].message, "there is no table inet kojo: kojo's rule set is not loaded");
    assert!(r.modelled_not_allowed.is_empty());
}

#[test]
fn uncompared_matches_and_foreign_comments_are_said() {
    let (device, artifacts) = fixture();
    let listing = insert_after(&nft(&artifacts), "chain a_to_b {", "\t\tmeta mark 0x1 icmp type echo-request accept");
    let listing =
        insert_after(&listing, "chain a_to_b {", "\t\ttcp dport 9 accept comment \"kojo: conduit a_to_b flow 7\"");
    let r = report(&device, &artifacts, &listing);
    let icmp = r.allowed_not_modelled.iter().find(|e| e.rule.contains("meta mark")).unwrap();
    assert_eq!(icmp.not_compared, ["`icmp type`", "`meta mark`"]);
    assert_eq!(icmp.traffic[0].service, "icmp", "the protocol its words imply");
    assert!(r.notes.iter().any(|n| n.contains("`meta mark`")), "{:?}", r.notes);
    let claimed = r.not_generated.iter().find(|f| f.rule.contains("flow 7")).unwrap();
    assert!(claimed.reason.contains("which `fw` does not enforce"), "{}", claimed.reason);
}

#[test]
fn json_and_text_listings_agree() {
    let (device, artifacts) = fixture();
    let json = r#"{"nftables": [
      {"table": {"family": "inet", "name": "kojo", "handle": 1}},
      {"map": {"family": "inet", "name": "pairs", "table": "kojo", "type": ["ifname", "ifname"], "handle": 2, "map": "verdict",
               "elem": [[{"concat": ["a", "b"]}, {"jump": {"target": "a_to_b"}}]]}},
      {"chain": {"family": "inet", "table": "kojo", "name": "forward", "handle": 3, "type": "filter", "hook": "forward", "prio": 0, "policy": "drop"}},
      {"chain": {"family": "inet", "table": "kojo", "name": "a_to_b", "handle": 4}},
      {"rule": {"family": "inet", "table": "kojo", "chain": "forward", "handle": 5, "expr": [
        {"vmap": {"key": {"concat": [{"meta": {"key": "iifname"}}, {"meta": {"key": "oifname"}}]}, "data": "@pairs"}}]}},
      {"rule": {"family": "inet", "table": "kojo", "chain": "a_to_b", "handle": 6, "expr": [
        {"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "daddr"}}, "right": {"prefix": {"addr": "10.2.0.0", "len": 24}}}},
        {"accept": null}]}}
    ]}"#;
    let r = report(&device, &artifacts, json);
    let extra = &r.allowed_not_modelled[0];
    let at = extra.at.as_ref().unwrap();
    assert_eq!((at.chain.as_str(), at.place.handle, at.place.position), ("a_to_b", Some(6), 1));
    assert_eq!(at.describe(), "table inet kojo chain a_to_b handle 6 (rule 1)");
    let traffic: Vec<String> = extra.traffic.iter().map(ToString::to_string).collect();
    assert_eq!(
        traffic[0], "ipv4 a -> b: any but 10.1.0.0/24 -> 10.2.0.0/24, any traffic",
        "the zone's hosts as `any` reach s1"
    );
    assert_eq!(
        traffic[1..],
        [
            "ipv4 a -> b: 10.1.0.0/24 but 10.1.0.10/31 -> 10.2.0.10, tcp/* but 53,443",
            "ipv4 a -> b: 10.1.0.0/24 but 10.1.0.10/31 -> 10.2.0.10, udp/* but 53",
            "ipv4 a -> b: 10.1.0.0/24 -> 10.2.0.0/24 but 10.2.0.10, any traffic",
            "ipv4 a -> b: 10.1.0.0/24 -> 10.2.0.10, any protocol but tcp, udp",
            "ipv4 a -> b: 10.1.0.10/31 -> 10.2.0.10, tcp/* but 53,443,502",
            "ipv4 a -> b: 10.1.0.10/31 -> 10.2.0.10, udp/* but 53,5000-5010",
        ]
    );
    assert!(r.modelled_not_allowed.iter().any(|m| m.conduit == "internet_to_b"), "no pair for the internet");
}

/// Deterministic mutations of kojo's files: nothing panics, every run ends.
#[test]
fn mangled_files_never_panic() {
    let (device, artifacts) = fixture();
    let seeds = [nft(&artifacts), file(&artifacts, "/iptables.rules").to_string()];
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        usize::try_from(state % (n.max(1) as u64)).unwrap()
    };
    let pieces =
        ["{", "}", ";", ",", "\"", "\n", " . ", " : ", "@", "!=", "-A", "*filter\n", "COMMIT\n", "jump x", "vmap", "-"];
    for seed in &seeds {
        let bytes = seed.as_bytes();
        for _ in 0..300 {
            let mut text = bytes.to_vec();
            for _ in 0..1 + next(6) {
                let at = next(text.len());
                match next(3) {
                    0 => drop(text.drain(at..(at + next(40)).min(text.len()))),
                    1 => text.splice(at..at, pieces[next(pieces.len())].bytes()).for_each(drop),
                    _ => text.truncate(at),
                }
            }
            let text = String::from_utf8_lossy(&text);
            if let Ok(deployed) = parse(&text) {
                let expected = expected(deployed.format, &artifacts).unwrap();
                let _ = compare(&device, &deployed, &expected);
            }
        }
    }
}

#[test]
fn a_kojo_comment_does_not_make_a_rule_kojos() {
    let (device, artifacts) = fixture();
    let listing = nft(&artifacts);
    // After kojo's rules: a drop of marked traffic and an accept of the
    // rest, both carrying a flow's comment.
    let comment = "comment \"kojo: conduit a_to_b flow 1\"";
    let at = listing.find("chain a_to_b {").unwrap();
    let close = at + listing[at..].find("\n\t}").unwrap();
    let spoofed = format!("\n\t\tmeta mark 0x1 drop {comment}\n\t\taccept {comment}");
    let listing = format!("{}{spoofed}{}", &listing[..close], &listing[close..]);
    let r = report(&device, &artifacts, &listing);
    assert!(r.drifted(), "{r:#?}");
    let foreign: Vec<&str> = r.not_generated.iter().map(|f| f.rule.as_str()).collect();
    assert_eq!(foreign.len(), 2, "{foreign:#?}");
    // A windowed rule without its window, keeping its comment.
    let listing = nft(&artifacts);
    let windowed = listing.lines().find(|l| l.contains("meta hour") && l.contains("kojo: conduit")).unwrap();
    let start = windowed.find("meta day").or_else(|| windowed.find("meta hour")).unwrap();
    let hour = windowed.find("meta hour ").unwrap();
    let end = hour + 10 + windowed[hour + 10..].find(' ').unwrap();
    let bare = format!("{}{}", &windowed[..start], &windowed[end + 1..]);
    let listing = listing.replacen(windowed, &bare, 1);
    let r = report(&device, &artifacts, &listing);
    assert!(r.drifted(), "{r:#?}");
    assert_eq!(r.not_generated.len(), 1, "{:#?}", r.not_generated);
}

#[test]
fn a_dormant_table_filters_nothing() {
    let (device, artifacts) = fixture();
    let listing = nft(&artifacts).replacen("table inet kojo {\n", "table inet kojo {\n\tflags dormant\n", 1);
    let r = report(&device, &artifacts, &listing);
    assert!(r.drifted(), "{r:#?}");
    assert!(r.frame.iter().any(|f| f.message.contains("is dormant")), "{:#?}", r.frame);
    assert!(!r.allowed_not_modelled.is_empty(), "nothing filters forwarded traffic: {r:#?}");
    let json = |flags: &str| {
        format!(
            r#"{{"nftables": [
      {{"table": {{"family": "inet", "name": "kojo", "handle": 1, "flags": {flags}}}}},
      {{"chain": {{"family": "inet", "table": "kojo", "name": "forward", "handle": 3, "type": "filter", "hook": "forward", "prio": 0, "policy": "drop"}}}}
    ]}}"#
        )
    };
    for flags in [r#"["dormant"]"#, r#""dormant""#, "3"] {
        let r = report(&device, &artifacts, &json(flags));
        let flagged =
            |f: &FrameDiff| f.message.contains("is dormant") || f.message.contains("flags kojo does not know");
        assert!(r.frame.iter().any(flagged), "{flags}: {:#?}", r.frame);
        assert!(!r.allowed_not_modelled.is_empty(), "{flags}: {r:#?}");
    }
    let r = report(&device, &artifacts, &json(r#"["owner"]"#));
    assert!(r.frame.iter().all(|f| !f.message.contains("flags") && !f.message.contains("dormant")), "{:#?}", r.frame);
    assert!(r.allowed_not_modelled.is_empty(), "{r:#?}");
}

#[test]
fn a_drop_with_an_unread_match_lets_traffic_through_to_later_accepts() {
    let (device, artifacts) = fixture();
    let listing = nft(&artifacts);
    let hook = "hook forward priority filter; policy drop;";
    let listing = insert_after(&listing, hook, "\t\tiifname \"a\" accept");
    let listing = insert_after(&listing, hook, "\t\tiifname \"a\" limit rate over 1000/second drop");
    let r = report(&device, &artifacts, &listing);
    let accept = r.allowed_not_modelled.iter().find(|e| e.rule == "iifname \"a\" accept");
    assert!(accept.is_some(), "the accept forwards what the limit does not drop: {r:#?}");
    assert!(r.notes.iter().any(|n| n.contains("`limit`")), "{:?}", r.notes);
    let foreign = r.not_generated.iter().find(|f| f.rule == "iifname \"a\" accept").unwrap();
    assert!(foreign.action.starts_with("accepts ipv4 a -> "), "{}", foreign.action);
    // The same with a mark, and an accept of all after kojo's rules.
    let listing = insert_after(&nft(&artifacts), "chain a_to_b {", "\t\tmeta mark 0x1 drop\n\t\taccept");
    let r = report(&device, &artifacts, &listing);
    assert!(r.allowed_not_modelled.iter().any(|e| e.rule == "accept"), "{r:#?}");
    // A flow accepted only under a limit counts as blocked.
    let listing = nft(&artifacts);
    let flow = listing.lines().find(|l| l.contains("kojo: conduit a_to_b flow 1")).unwrap();
    let limited = flow.replacen(" accept", " limit rate 10/second accept", 1);
    let r = report(&device, &artifacts, &listing.replacen(flow, &limited, 1));
    assert!(r.modelled_not_allowed.iter().any(|m| m.conduit == "a_to_b" && m.flow == 1), "{r:#?}");
}
