//! A deployed rule set as kojo reads it: tables, chains and rules, each
//! rule's matches, statements and verdict, the same whichever format it
//! came from (`nft -j list ruleset`, `nft list ruleset`, `iptables-save`).
//! The parsers build it; [`super::permits`] gives it meaning. It also owns
//! naming what nft's words select (`ip saddr`, `meta l4proto`, `th dport`)
//! and a rule's canonical key, by which a rule kojo writes is recognised
//! however a tool lists it again.

use std::collections::BTreeMap;
use std::net::IpAddr;

use serde::Serialize;

use crate::enforcement::policy::Family;

/// The formats `kojo drift` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceFormat {
    /// `nft -j list ruleset`.
    NftJson,
    /// `nft list ruleset`, or a file for `nft -f`.
    NftText,
    /// `iptables-save` and/or `ip6tables-save`, one after the other.
    IptablesSave,
}

impl SourceFormat {
    /// How the format is named in reports.
    pub fn describe(self) -> &'static str {
        match self {
            SourceFormat::NftJson => "nft -j list ruleset",
            SourceFormat::NftText => "nft list ruleset",
            SourceFormat::IptablesSave => "iptables-save",
        }
    }
}

/// A table's family: nft's, or `ip`/`ip6` for iptables and ip6tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TableFamily {
    Ip,
    Ip6,
    Inet,
    Arp,
    Bridge,
    Netdev,
}

impl TableFamily {
    pub fn parse(word: &str) -> Option<TableFamily> {
        Some(match word {
            "ip" => TableFamily::Ip,
            "ip6" => TableFamily::Ip6,
            "inet" => TableFamily::Inet,
            "arp" => TableFamily::Arp,
            "bridge" => TableFamily::Bridge,
            "netdev" => TableFamily::Netdev,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            TableFamily::Ip => "ip",
            TableFamily::Ip6 => "ip6",
            TableFamily::Inet => "inet",
            TableFamily::Arp => "arp",
            TableFamily::Bridge => "bridge",
            TableFamily::Netdev => "netdev",
        }
    }

    /// Whether the table sees forwarded packets of `family`.
    pub fn covers(self, family: Family) -> bool {
        matches!(
            (self, family),
            (TableFamily::Inet, _) | (TableFamily::Ip, Family::V4) | (TableFamily::Ip6, Family::V6)
        )
    }
}

/// Where something is in the file: its line (text formats) or its handle
/// (JSON), and its position in its chain, from 1.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Place {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub handle: Option<u64>,
    pub position: usize,
}

#[derive(Debug, Clone)]
pub struct Ruleset {
    pub format: SourceFormat,
    pub tables: Vec<Table>,
}

#[derive(Debug, Clone)]
pub struct Table {
    pub family: TableFamily,
    pub name: String,
    pub chains: Vec<Chain>,
    /// Named sets by name: their elements.
    pub sets: BTreeMap<String, Vec<Value>>,
    /// Named verdict maps by name: their entries.
    pub maps: BTreeMap<String, Vec<(Value, Verdict)>>,
    /// The table's flags as listed (`dormant`, `owner`, `persist`).
    pub flags: Vec<String>,
    pub place: Place,
    /// `chains` by name: their index (kept by [`Table::chain_mut`]).
    index: BTreeMap<String, usize>,
}

impl Table {
    pub fn new(family: TableFamily, name: &str, place: Place) -> Table {
        Table {
            family,
            name: name.to_string(),
            chains: Vec::new(),
            sets: BTreeMap::new(),
            maps: BTreeMap::new(),
            flags: Vec::new(),
            place,
            index: BTreeMap::new(),
        }
    }

    /// Why the table's chains do not filter as listed: `dormant`, or a
    /// flag kojo does not know (its chains are then not walked).
    pub fn inactive(&self) -> Option<String> {
        let odd: Vec<&str> =
            self.flags.iter().map(String::as_str).filter(|f| !matches!(*f, "owner" | "persist")).collect();
        match odd.as_slice() {
            [] => None,
            ["dormant"] => Some("is dormant (`flags dormant`): its chains filter nothing".into()),
            _ => Some(format!(
                "has flags kojo does not know ({}): its chains are not compared",
                odd.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", ")
            )),
        }
    }

    /// `inet kojo`, `ip filter`.
    pub fn label(&self) -> String {
        format!("{} {}", self.family.name(), self.name)
    }

    pub fn chain(&self, name: &str) -> Option<&Chain> {
        self.chain_index(name).and_then(|i| self.chains.get(i))
    }

    /// The index in `chains` of the chain called `name`: by the index, or
    /// (when `chains` was changed by hand) by looking.
    pub fn chain_index(&self, name: &str) -> Option<usize> {
        let indexed = self.index.get(name).copied().filter(|&i| self.chains.get(i).is_some_and(|c| c.name == name));
        if indexed.is_some() || self.index.len() == self.chains.len() {
            return indexed;
        }
        self.chains.iter().position(|c| c.name == name)
    }

    /// The chain called `name`, created (at `place`) if there is none.
    pub fn chain_mut(&mut self, name: &str, place: &Place) -> Option<&mut Chain> {
        let i = match self.chain_index(name) {
            Some(i) => i,
            None => {
                self.chains.push(Chain { name: name.to_string(), hook: None, rules: Vec::new(), place: place.clone() });
                let i = self.chains.len() - 1;
                self.index.insert(name.to_string(), i);
                i
            }
        };
        self.chains.get_mut(i)
    }
}

#[derive(Debug, Clone)]
pub struct Chain {
    pub name: String,
    /// Set for base chains (and iptables' built-in chains).
    pub hook: Option<Hook>,
    pub rules: Vec<Rule>,
    pub place: Place,
}

/// What a base chain hangs on and what it does with what no rule decides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hook {
    /// nft's chain type (`filter`, `nat`, `route`); for iptables the table (`filter`, `mangle`).
    pub kind: String,
    /// `forward`, `input`, `output`, `prerouting`…
    pub hook: String,
    pub policy: Policy,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    Accept,
    Drop,
}

impl Policy {
    pub fn name(self) -> &'static str {
        match self {
            Policy::Accept => "accept",
            Policy::Drop => "drop",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Rule {
    pub place: Place,
    /// The rule's order in the whole file, from 0.
    pub seq: usize,
    /// The rule as written, on one line.
    pub text: String,
    pub exprs: Vec<Expr>,
    /// Statements that are neither matches kojo reads nor verdicts
    /// (`log`, `limit`, `meta mark set`…), by kind; `counter` is left out.
    pub statements: Vec<String>,
    pub verdict: Option<Verdict>,
    pub comment: Option<String>,
}

/// One match: `LEFT [!=] RIGHT`, where LEFT may be a concatenation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expr {
    pub left: Vec<Selector>,
    pub negated: bool,
    pub right: Value,
}

/// What a match looks at.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Selector {
    Iifname,
    Oifname,
    Saddr(Family),
    Daddr(Family),
    /// The transport protocol; `ip protocol` and `ip6 nexthdr` also fix the family.
    Proto(Option<Family>),
    /// `meta nfproto`: the family.
    Nfproto,
    Dport(Ports),
    CtState,
    /// `meta day`, `meta hour`, `-m time`: windows are not compared.
    Time,
    /// Anything else, by its words (`tcp flags`, `meta mark`, `fib`).
    Other(String),
}

/// Whose destination port a `dport` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Ports {
    Tcp,
    Udp,
    Sctp,
    Dccp,
    Udplite,
    /// `th dport`: any transport with ports.
    Any,
}

/// The right-hand side of a match, as written: a word, a set, a
/// concatenation (`tcp . 5007`), or a named set (`@ports_slmp`). Words
/// keep their syntax (`10.0.0.0/8`, `5000-5010`, `eth*`); what they mean
/// depends on the selector.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Value {
    Atom(String),
    Set(Vec<Value>),
    Concat(Vec<Value>),
    Named(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Accept,
    /// `drop`, or `reject`.
    Drop,
    Return,
    Jump(String),
    Goto(String),
    /// `queue`, NFQUEUE: a program decides (taken as accepting). Its
    /// settings are a statement ([`super::marks::queue_key`]), so that a rule keeps
    /// being kojo's only while it queues where kojo's does.
    Queue,
    Continue,
    /// `KEY vmap { ELEMENT : VERDICT, … }`.
    Map {
        key: Vec<Selector>,
        entries: Vec<(Value, Verdict)>,
    },
    /// `KEY vmap @NAME`.
    NamedMap {
        key: Vec<Selector>,
        name: String,
    },
}

impl Verdict {
    /// `accept`, `jump x`, `vmap`.
    pub fn word(&self) -> String {
        match self {
            Verdict::Accept => "accept".into(),
            Verdict::Drop => "drop".into(),
            Verdict::Return => "return".into(),
            Verdict::Jump(c) => format!("jump {c}"),
            Verdict::Goto(c) => format!("goto {c}"),
            Verdict::Queue => "queue".into(),
            Verdict::Continue => "continue".into(),
            Verdict::Map { .. } | Verdict::NamedMap { .. } => "vmap".into(),
        }
    }
}

/// The selector nft's words name: `(ip, saddr)`, `(meta, l4proto)`,
/// `(iifname, -)`; the second word is used only when it is a field.
/// Returns the selector and how many words it took.
pub fn selector(first: &str, second: Option<&str>) -> (Selector, usize) {
    if let Some(one) = single_word(first) {
        return (one, 1);
    }
    let Some(field) = second else { return (Selector::Other(first.to_string()), 1) };
    let two = match (first, field) {
        ("ip", "saddr") => Selector::Saddr(Family::V4),
        ("ip", "daddr") => Selector::Daddr(Family::V4),
        ("ip6", "saddr") => Selector::Saddr(Family::V6),
        ("ip6", "daddr") => Selector::Daddr(Family::V6),
        ("ip", "protocol") => Selector::Proto(Some(Family::V4)),
        ("ip6", "nexthdr") => Selector::Proto(Some(Family::V6)),
        ("tcp", "dport") => Selector::Dport(Ports::Tcp),
        ("udp", "dport") => Selector::Dport(Ports::Udp),
        ("sctp", "dport") => Selector::Dport(Ports::Sctp),
        ("dccp", "dport") => Selector::Dport(Ports::Dccp),
        ("udplite", "dport") => Selector::Dport(Ports::Udplite),
        ("th", "dport") => Selector::Dport(Ports::Any),
        ("ct", "state") => Selector::CtState,
        ("meta", key) => match single_word(key) {
            Some(one) => one,
            None => Selector::Other(format!("meta {key}")),
        },
        (proto, field) => Selector::Other(format!("{proto} {field}")),
    };
    (two, 2)
}

/// Meta keys nft also writes without `meta`.
fn single_word(word: &str) -> Option<Selector> {
    Some(match word {
        "iifname" | "iif" => Selector::Iifname,
        "oifname" | "oif" => Selector::Oifname,
        "l4proto" => Selector::Proto(None),
        "nfproto" | "protocol" => Selector::Nfproto,
        "day" | "hour" | "time" => Selector::Time,
        _ => return None,
    })
}

/// Words that start a two-word selector (`ip saddr`, `meta mark`).
pub fn takes_field(word: &str) -> bool {
    matches!(
        word,
        "ip" | "ip6"
            | "tcp"
            | "udp"
            | "udplite"
            | "sctp"
            | "dccp"
            | "th"
            | "icmp"
            | "icmpv6"
            | "igmp"
            | "ah"
            | "esp"
            | "comp"
            | "ether"
            | "vlan"
            | "arp"
            | "meta"
            | "ct"
            | "dst"
            | "frag"
            | "hbh"
            | "mh"
            | "rt"
            | "srh"
            | "socket"
            | "osf"
            | "ipsec"
            | "gre"
            | "geneve"
            | "vxlan"
            | "dccpopt"
    )
}

/// Whether `word` starts a selector nft knows without a field.
pub fn is_single_selector(word: &str) -> bool {
    single_word(word).is_some() || matches!(word, "mark" | "skuid" | "skgid" | "priority" | "pkttype" | "cpu")
}

impl Rule {
    /// The rule's meaning as a string, the same however a tool lists it:
    /// matches sorted, values canonical, counters and comments left out,
    /// statements with their values where kojo writes them (`ct mark set`,
    /// a queue's number and flags, CONNMARK), by kind otherwise.
    pub fn key(&self) -> String {
        let mut parts: Vec<String> = self.exprs.iter().map(expr_key).collect();
        parts.sort();
        let mut statements = self.statements.clone();
        statements.sort();
        parts.extend(statements);
        if let Some(verdict) = &self.verdict {
            parts.push(verdict_key(verdict));
        }
        parts.join(" ")
    }
}

fn expr_key(expr: &Expr) -> String {
    let left: Vec<String> = expr.left.iter().map(|s| format!("{s:?}")).collect();
    let op = if expr.negated { "!=" } else { "==" };
    if expr.left == [Selector::Time] {
        return format!("{}{op}{}", left.join("."), time_key(&expr.right));
    }
    format!("{}{op}{}", left.join("."), value_key(&expr.right))
}

/// A time window's value in one spelling: nft lists `meta hour 0-32399`
/// back as `"00:00"-"08:59:59"` and days by name or number.
fn time_key(value: &Value) -> String {
    const DAYS: [&str; 7] = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
    let atom = |text: &str| -> String {
        let text = text.replace('"', "").to_ascii_lowercase();
        let one = |part: &str| -> String {
            let fields: Vec<u64> = part.split(':').map_while(|f| f.parse().ok()).collect();
            match fields.as_slice() {
                [h, m] if part.contains(':') => h.saturating_mul(3600).saturating_add(m.saturating_mul(60)).to_string(),
                [h, m, s] => h.saturating_mul(3600).saturating_add(m.saturating_mul(60)).saturating_add(*s).to_string(),
                [d] if !part.contains(':') && *d < 7 && !text.contains('-') => {
                    DAYS.get(usize::try_from(*d).unwrap_or(7)).map_or(part.to_string(), |d| d.to_string())
                }
                _ => part.to_string(),
            }
        };
        text.split('-').map(one).collect::<Vec<_>>().join("-")
    };
    match value {
        Value::Atom(text) => atom(text),
        Value::Set(items) => {
            let mut items: Vec<String> = items.iter().map(time_key).collect();
            items.sort();
            items.dedup();
            format!("{{{}}}", items.join(","))
        }
        other => value_key(other),
    }
}

fn verdict_key(verdict: &Verdict) -> String {
    match verdict {
        Verdict::Map { key, entries } => {
            let key: Vec<String> = key.iter().map(|s| format!("{s:?}")).collect();
            let mut entries: Vec<String> =
                entries.iter().map(|(v, d)| format!("{}:{}", value_key(v), verdict_key(d))).collect();
            entries.sort();
            format!("{} vmap {{{}}}", key.join("."), entries.join(","))
        }
        Verdict::NamedMap { key, name } => {
            let key: Vec<String> = key.iter().map(|s| format!("{s:?}")).collect();
            format!("{} vmap @{name}", key.join("."))
        }
        other => other.word(),
    }
}

/// A value in one canonical spelling: sets sorted, addresses and numbers
/// in their shortest form, words in lower case.
pub fn value_key(value: &Value) -> String {
    match value {
        Value::Atom(text) => atom_key(text),
        Value::Named(name) => format!("@{name}"),
        Value::Concat(parts) => parts.iter().map(value_key).collect::<Vec<_>>().join("."),
        Value::Set(items) => {
            let mut items: Vec<String> = items.iter().map(value_key).collect();
            items.sort();
            items.dedup();
            format!("{{{}}}", items.join(","))
        }
    }
}

fn atom_key(text: &str) -> String {
    if let Ok(address) = text.parse::<IpAddr>() {
        return address.to_string();
    }
    if let Some((address, len)) = text.split_once('/') {
        if let (Ok(address), Ok(len)) = (address.parse::<IpAddr>(), len.parse::<u8>()) {
            let full = if address.is_ipv4() { 32 } else { 128 };
            return if len == full { address.to_string() } else { format!("{address}/{len}") };
        }
    }
    if let Ok(number) = text.parse::<u64>() {
        return number.to_string();
    }
    // Marks: nft lists `0x0000002d`, iptables-save `0x2d`, JSON `45`.
    if let Some(number) = text.strip_prefix("0x").and_then(|hex| u64::from_str_radix(hex, 16).ok()) {
        return number.to_string();
    }
    text.to_ascii_lowercase()
}

/// At most `max` characters of `text` on one line, with `…` when cut.
pub fn one_line(text: &str, max: usize) -> String {
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if joined.chars().count() <= max {
        return joined;
    }
    let mut cut: String = joined.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;

    #[test]
    fn words_name_selectors() {
        assert_eq!(selector("ip", Some("saddr")), (Selector::Saddr(Family::V4), 2));
        assert_eq!(selector("iifname", Some("\"lo\"")), (Selector::Iifname, 1));
        assert_eq!(selector("meta", Some("l4proto")), (Selector::Proto(None), 2));
        assert_eq!(selector("th", Some("dport")), (Selector::Dport(Ports::Any), 2));
        assert_eq!(selector("tcp", Some("flags")), (Selector::Other("tcp flags".into()), 2));
        assert_eq!(selector("fib", None), (Selector::Other("fib".into()), 1));
    }

    #[test]
    fn keys_ignore_order_spelling_and_counters() {
        let rule = |exprs: Vec<Expr>, statements: Vec<&str>| Rule {
            place: Place::default(),
            seq: 0,
            text: String::new(),
            exprs,
            statements: statements.into_iter().map(String::from).collect(),
            verdict: Some(Verdict::Accept),
            comment: None,
        };
        let ct = |states: &[&str]| Expr {
            left: vec![Selector::CtState],
            negated: false,
            right: Value::Set(states.iter().map(|s| Value::Atom(s.to_string())).collect()),
        };
        let saddr =
            |a: &str| Expr { left: vec![Selector::Saddr(Family::V4)], negated: false, right: Value::Atom(a.into()) };
        assert_eq!(
            rule(vec![ct(&["established", "related"]), saddr("10.0.0.1")], vec![]).key(),
            rule(vec![saddr("10.0.0.1/32"), ct(&["RELATED", "ESTABLISHED"])], vec![]).key()
        );
        assert_ne!(rule(vec![saddr("10.0.0.1")], vec![]).key(), rule(vec![saddr("10.0.0.2")], vec!["log"]).key());
    }

    #[test]
    fn long_lines_are_cut() {
        assert_eq!(one_line("a  b\n\tc", 10), "a b c");
        assert_eq!(one_line("abcdefghijkl", 5), "abcd…");
    }
}
