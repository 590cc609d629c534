//! Reads one nft rule's words into matches, statements and a verdict:
//! `ip saddr { 10.0.0.1, 10.0.0.2 } tcp dport 443 counter accept comment "…"`.
//! It owns nft's rule grammar as far as kojo compares it; what it does not
//! know becomes a statement or a match by its words (`fib`, `meta mark`),
//! never an error, since a listing nft wrote is valid nft.

use super::marks::queue_key;
use super::nft_text::Tok;
use super::ruleset::{is_single_selector, selector, takes_field, value_key, Expr, Selector, Value, Verdict};

/// A rule's parts.
#[derive(Debug, Default)]
pub(super) struct Parts {
    pub exprs: Vec<Expr>,
    pub statements: Vec<String>,
    pub verdict: Option<Verdict>,
    pub comment: Option<String>,
}

/// Statements that decide whether the rule goes on (`limit rate over`,
/// `quota`): read as matches kojo does not compare.
const CONDITIONS: &[&str] = &["limit", "quota", "numgen", "jhash", "symhash", "exthdr", "iifgroup", "oifgroup"];

/// Statements kojo does not compare, by their first word.
const STATEMENTS: &[&str] = &[
    "log",
    "notrack",
    "masquerade",
    "snat",
    "dnat",
    "redirect",
    "tproxy",
    "dup",
    "fwd",
    "synproxy",
    "flow",
    "add",
    "update",
    "delete",
    "reset",
    "xt",
    "last",
];

const VERDICTS: &[&str] = &["accept", "drop", "reject", "return", "jump", "goto", "queue", "continue"];

/// Whether `word` starts something new in a rule (so an unknown
/// statement's arguments end before it).
fn starts(word: &str) -> bool {
    VERDICTS.contains(&word)
        || STATEMENTS.contains(&word)
        || CONDITIONS.contains(&word)
        || matches!(word, "counter" | "comment" | "fib")
        || takes_field(word)
        || is_single_selector(word)
}

struct Cursor<'a> {
    toks: &'a [Tok],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<&'a Tok> {
        self.toks.get(self.pos)
    }

    fn peek_word(&self) -> Option<&'a str> {
        match self.peek() {
            Some(Tok::Word(w)) => Some(w),
            _ => None,
        }
    }

    fn word_at(&self, offset: usize) -> Option<&'a str> {
        match self.toks.get(self.pos + offset) {
            Some(Tok::Word(w) | Tok::Str(w)) => Some(w),
            _ => None,
        }
    }

    fn bump(&mut self) {
        self.pos += 1;
    }

    /// Skips the arguments of a statement: everything up to the next word
    /// that starts something new.
    fn skip_arguments(&mut self) {
        let mut depth = 0usize;
        while let Some(tok) = self.peek() {
            match tok {
                Tok::Word(w) if depth == 0 && starts(w) => return,
                Tok::Open => depth += 1,
                Tok::Close => depth = depth.saturating_sub(1),
                _ => {}
            }
            self.bump();
        }
    }
}

/// Reads a rule's tokens (no newlines).
pub(super) fn parse(toks: &[Tok]) -> Parts {
    let mut c = Cursor { toks, pos: 0 };
    let mut parts = Parts::default();
    while let Some(tok) = c.peek() {
        let Tok::Word(word) = tok else {
            c.bump();
            continue;
        };
        match word.as_str() {
            "counter" => {
                c.bump();
                while matches!(c.peek_word(), Some("packets" | "bytes" | "name")) {
                    c.pos += 2;
                }
            }
            "comment" => {
                c.bump();
                if let Some(Tok::Str(s) | Tok::Word(s)) = c.peek() {
                    parts.comment = Some(s.clone());
                    c.bump();
                }
            }
            "queue" => {
                c.bump();
                parts.statements.push(queue(&mut c));
                parts.verdict = Some(Verdict::Queue);
            }
            w if VERDICTS.contains(&w) => parts.verdict = Some(verdict(&mut c)),
            "fib" => {
                c.bump();
                c.skip_arguments();
                parts.exprs.push(Expr {
                    left: vec![Selector::Other("fib".into())],
                    negated: false,
                    right: Value::Set(Vec::new()),
                });
            }
            w if CONDITIONS.contains(&w) => {
                c.bump();
                c.skip_arguments();
                parts.exprs.push(Expr {
                    left: vec![Selector::Other(w.to_string())],
                    negated: false,
                    right: Value::Set(Vec::new()),
                });
            }
            w if STATEMENTS.contains(&w) => {
                parts.statements.push(w.to_string());
                c.bump();
                c.skip_arguments();
            }
            w if takes_field(w) || is_single_selector(w) => expression(&mut c, &mut parts),
            w => {
                parts.statements.push(w.to_string());
                c.bump();
                c.skip_arguments();
            }
        }
    }
    parts
}

/// A queue's settings after `queue` (`num 0`, `flags bypass to 0`,
/// `to 0-3`, `num 0 bypass`), as [`queue_key`] spells them.
fn queue(c: &mut Cursor<'_>) -> String {
    let (mut to, mut flags, mut odd) = (None, Vec::new(), Vec::new());
    let mut after_flags = false;
    while let Some(tok) = c.peek() {
        match tok {
            Tok::Word(w) if starts(w) => break,
            Tok::Word(w) if w == "num" || w == "to" => {
                c.bump();
                to = c.word_at(0).map(str::to_string);
                after_flags = false;
            }
            Tok::Word(w) if w == "flags" => after_flags = true,
            Tok::Word(w) if after_flags || w == "bypass" || w == "fanout" => flags.push(w.clone()),
            Tok::Comma => {}
            Tok::Word(w) | Tok::Str(w) => odd.push(w.clone()),
            _ => break,
        }
        c.bump();
    }
    queue_key(to.as_deref(), &flags, &odd)
}

/// A verdict at the cursor (its word and target or options).
fn verdict(c: &mut Cursor<'_>) -> Verdict {
    let word = c.peek_word().unwrap_or_default();
    c.bump();
    match word {
        "accept" => Verdict::Accept,
        "return" => Verdict::Return,
        "continue" => Verdict::Continue,
        "jump" | "goto" => {
            let target = c.word_at(0).unwrap_or_default().to_string();
            c.bump();
            if word == "jump" {
                Verdict::Jump(target)
            } else {
                Verdict::Goto(target)
            }
        }
        "queue" => {
            c.skip_arguments();
            Verdict::Queue
        }
        // `drop`, `reject [with …]`.
        _ => {
            if c.peek_word() == Some("with") {
                c.bump();
                // The reject's kind (`tcp reset`, `icmpx type admin-prohibited`)
                // starts with words that would otherwise read as a match.
                match c.peek_word() {
                    Some("tcp") => c.pos += 2,
                    Some("icmp" | "icmpv6" | "icmpx") => {
                        c.bump();
                        if c.peek_word() == Some("type") {
                            c.bump();
                        }
                        c.bump();
                    }
                    _ => c.skip_arguments(),
                }
            }
            Verdict::Drop
        }
    }
}

/// `LEFT [. LEFT…] [OP] VALUE`, `LEFT vmap {…}`, or `LEFT set VALUE` (a statement).
fn expression(c: &mut Cursor<'_>, parts: &mut Parts) {
    let mut left = Vec::new();
    let mut words = Vec::new();
    while let Some(first) = c.word_at(0) {
        let (sel, used) = selector(first, c.word_at(1).filter(|_| takes_field(first)));
        words.push((0..used).filter_map(|i| c.word_at(i)).collect::<Vec<_>>().join(" "));
        c.pos += used;
        left.push(sel);
        if c.peek_word() != Some(".") {
            break;
        }
        c.bump();
    }
    match c.peek_word() {
        Some("vmap") => {
            c.bump();
            parts.verdict = Some(match c.peek() {
                Some(Tok::Word(w)) if w.starts_with('@') => {
                    c.bump();
                    Verdict::NamedMap { key: left, name: w.trim_start_matches('@').to_string() }
                }
                _ => {
                    let body = c.toks.get(c.pos..).unwrap_or(&[]);
                    let (entries, used) = elements_counted(body);
                    c.pos += used;
                    Verdict::Map {
                        key: left,
                        entries: entries.into_iter().filter_map(|(k, v)| Some((k, v?))).collect(),
                    }
                }
            });
            return;
        }
        Some("set") => {
            c.bump();
            // The value is kept: a connection marked with another flow's
            // ticket is not what kojo wrote.
            let set = value(c).map_or_else(|| "?".to_string(), |v| value_key(&v));
            parts.statements.push(format!("{} set {set}", words.join(" . ")));
            return;
        }
        _ => {}
    }
    let mut negated = false;
    match c.peek_word() {
        Some("!=" | "ne") => {
            negated = true;
            c.bump();
        }
        Some("==" | "eq") => c.bump(),
        Some(op @ ("<" | ">" | "<=" | ">=" | "lt" | "gt" | "le" | "ge" | "&" | "and" | "|" | "or" | "^" | "xor")) => {
            // Comparisons and bit masks are not compared: kept by their words.
            let text = format!("{} {op}", words.join(" . "));
            c.bump();
            let _ = value(c);
            parts.exprs.push(Expr { left: vec![Selector::Other(text)], negated: false, right: Value::Set(Vec::new()) });
            return;
        }
        _ => {}
    }
    let right = value(c).unwrap_or(Value::Set(Vec::new()));
    if c.peek_word() == Some("map") {
        // `… map { … }`: a lookup for a statement (NAT), not a match.
        c.bump();
        let _ = value(c);
        parts.statements.push("map".into());
        return;
    }
    parts.exprs.push(Expr { left, negated, right });
}

/// A value: `{ … }`, `@set`, or words joined by `.` (and by `,` for flags:
/// `established,related`).
fn value(c: &mut Cursor<'_>) -> Option<Value> {
    match c.peek()? {
        Tok::Open => {
            let body = c.toks.get(c.pos..).unwrap_or(&[]);
            let (items, used) = elements_counted(body);
            c.pos += used;
            Some(Value::Set(items.into_iter().map(|(k, _)| k).collect()))
        }
        Tok::Word(w) if w.starts_with('@') => {
            c.bump();
            Some(Value::Named(w.trim_start_matches('@').to_string()))
        }
        Tok::Word(w)
            if starts(w)
                && !matches!(
                    w.as_str(),
                    "tcp"
                        | "udp"
                        | "icmp"
                        | "icmpv6"
                        | "sctp"
                        | "dccp"
                        | "udplite"
                        | "ip"
                        | "ip6"
                        | "ah"
                        | "esp"
                        | "comp"
                        | "igmp"
                        | "gre"
                ) =>
        {
            None
        }
        Tok::Word(_) | Tok::Str(_) => {
            let mut items = vec![element(c)];
            while c.peek() == Some(&Tok::Comma) {
                c.bump();
                items.push(element(c));
            }
            Some(if items.len() == 1 { items.pop().unwrap_or(Value::Set(Vec::new())) } else { Value::Set(items) })
        }
        _ => None,
    }
}

/// `a . b . c`, or one word.
fn element(c: &mut Cursor<'_>) -> Value {
    let mut parts = Vec::new();
    loop {
        match c.peek() {
            Some(Tok::Word(w) | Tok::Str(w)) if w != "." && w != ":" => {
                parts.push(Value::Atom(w.clone()));
                c.bump();
            }
            _ => break,
        }
        if c.peek_word() == Some(".") {
            c.bump();
        } else {
            break;
        }
    }
    match parts.len() {
        1 => parts.pop().unwrap_or(Value::Set(Vec::new())),
        _ => Value::Concat(parts),
    }
}

/// The elements of `{ … }` (the tokens start at `{`), each with its
/// verdict when it is a verdict map's (`"a" . "b" : jump x`).
pub(super) fn elements(toks: &[Tok]) -> Vec<(Value, Option<Verdict>)> {
    elements_counted(toks).0
}

/// [`elements`], and how many tokens the braces took.
fn elements_counted(toks: &[Tok]) -> (Vec<(Value, Option<Verdict>)>, usize) {
    let mut c = Cursor { toks, pos: 0 };
    let mut out = Vec::new();
    if c.peek() != Some(&Tok::Open) {
        return (out, 0);
    }
    c.bump();
    loop {
        match c.peek() {
            None => break,
            Some(Tok::Close) => {
                c.bump();
                break;
            }
            Some(Tok::Comma | Tok::Newline | Tok::Semi | Tok::Handle(_)) => c.bump(),
            Some(Tok::Open) => {
                // A nested block is not an element nft writes; skip it whole.
                c.pos += skip_block(c.toks.get(c.pos..).unwrap_or(&[]));
            }
            Some(Tok::Word(_) | Tok::Str(_)) => {
                let key = element(&mut c);
                let mut data = None;
                if c.peek_word() == Some(":") {
                    c.bump();
                    if c.peek_word().is_some_and(|w| VERDICTS.contains(&w)) {
                        data = Some(verdict(&mut c));
                    }
                }
                // Element options (`timeout 1h`, `counter packets 0 bytes 0`).
                while matches!(c.peek(), Some(Tok::Word(_) | Tok::Str(_))) {
                    c.bump();
                }
                out.push((key, data));
            }
        }
    }
    (out, c.pos)
}

/// How many tokens the block starting at `toks` takes, through its
/// closing brace (or to the end); without recursion, however deep.
fn skip_block(toks: &[Tok]) -> usize {
    let mut depth = 0usize;
    for (i, tok) in toks.iter().enumerate() {
        match tok {
            Tok::Open => depth += 1,
            Tok::Close => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
    }
    toks.len().max(1)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;
    use crate::enforcement::drift::ruleset::Ports;
    use crate::enforcement::policy::Family;

    fn toks(text: &str) -> Vec<Tok> {
        let words = text.replace('{', " { ").replace('}', " } ").replace(',', " , ");
        words
            .split_whitespace()
            .map(|w| match w {
                "{" => Tok::Open,
                "}" => Tok::Close,
                "," => Tok::Comma,
                w if w.starts_with('"') => Tok::Str(w.trim_matches('"').to_string()),
                w => Tok::Word(w.to_string()),
            })
            .collect()
    }

    #[test]
    fn matches_statements_and_verdicts() {
        let p = parse(&toks("ip saddr != { 10.0.0.1 , 10.0.0.0/8 } tcp dport 22-23 counter packets 1 bytes 2 log prefix \"x\" accept comment \"c\""));
        assert_eq!(p.exprs.len(), 2);
        assert!(p.exprs[0].negated);
        assert_eq!(p.exprs[0].left, [Selector::Saddr(Family::V4)]);
        assert_eq!(p.exprs[1].left, [Selector::Dport(Ports::Tcp)]);
        assert_eq!(p.exprs[1].right, Value::Atom("22-23".into()));
        assert_eq!(p.statements, ["log"]);
        assert_eq!(p.verdict, Some(Verdict::Accept));
        assert_eq!(p.comment.as_deref(), Some("c"));
    }

    #[test]
    fn flags_concatenations_and_maps() {
        let p = parse(&toks("ct state established,related accept"));
        assert_eq!(
            p.exprs[0].right,
            Value::Set(vec![Value::Atom("established".into()), Value::Atom("related".into())])
        );
        let p = parse(&toks("meta l4proto . th dport { tcp . 5007 , udp . 5006 } drop"));
        assert_eq!(p.exprs[0].left, [Selector::Proto(None), Selector::Dport(Ports::Any)]);
        assert!(matches!(&p.exprs[0].right, Value::Set(items) if items.len() == 2));
        assert_eq!(p.verdict, Some(Verdict::Drop));
        let p = parse(&toks("iifname . oifname vmap { \"a\" . \"b\" : jump a_to_b , \"b\" . \"a\" : drop }"));
        let Some(Verdict::Map { key, entries }) = p.verdict else { panic!() };
        assert_eq!(key, [Selector::Iifname, Selector::Oifname]);
        assert_eq!(entries[0].1, Verdict::Jump("a_to_b".into()));
        assert_eq!(entries[1].1, Verdict::Drop);
        let p = parse(&toks("meta l4proto tcp reject with tcp reset"));
        assert_eq!(p.exprs[0].right, Value::Atom("tcp".into()));
        assert_eq!(p.exprs.len(), 1, "`tcp reset` is the reject's kind, not a match: {:?}", p.exprs);
        let tickets = parse(&toks(
            "ct state established,related ct mark vmap { 0x0000002d : accept , 0x8a3b1c2d : jump gateway }",
        ));
        let Some(Verdict::Map { key, entries }) = tickets.verdict else { panic!() };
        assert_eq!(key, [Selector::Other("ct mark".into())]);
        assert_eq!(entries[1], (Value::Atom("0x8a3b1c2d".into()), Verdict::Jump("gateway".into())));
        let marked = parse(&toks("ip daddr 10.0.0.1 counter ct mark set 0x8a3b1c2d jump gateway comment \"x\""));
        assert_eq!(marked.statements, ["ct mark set 2319129645"], "the value is kept, in one spelling");
        assert_eq!(marked.verdict, Some(Verdict::Jump("gateway".into())));
        for (queue, key) in [
            ("queue num 0", "queue to 0"),
            ("queue", "queue to 0"),
            ("queue to 1", "queue to 1"),
            ("queue flags bypass to 0", "queue to 0 flags bypass"),
            ("queue num 0 bypass", "queue to 0 flags bypass"),
            ("queue flags bypass , fanout to 0-3", "queue to 0-3 flags bypass,fanout"),
            ("queue to 0 frobnicate", "queue to 0 ?frobnicate"),
        ] {
            let p = parse(&toks(queue));
            assert_eq!(p.verdict, Some(Verdict::Queue), "{queue}");
            assert_eq!(p.statements, [key], "a bypass or another queue is not kojo's queue: {queue}");
        }
        assert_eq!(p.verdict, Some(Verdict::Drop));
    }

    #[test]
    fn unknown_words_never_fail() {
        let p = parse(&toks("fib saddr . iif oif missing drop"));
        assert_eq!(p.exprs[0].left, [Selector::Other("fib".into())]);
        assert_eq!(p.verdict, Some(Verdict::Drop));
        let p = parse(&toks("meta mark set 0x1 ct mark 0x2 dnat to 10.0.0.1 frobnicate 7 tcp dport < 1024 accept"));
        assert_eq!(p.statements, ["meta mark set 1", "dnat"]);
        assert_eq!(p.exprs.len(), 2, "{:?}", p.exprs);
        assert_eq!(p.verdict, Some(Verdict::Accept));
        let deep = format!("tcp dport {} accept", "{ ".repeat(100_000));
        for text in
            ["ip saddr", "{ { }", "vmap", ". . .", "tcp dport { 1 :", "jump", "ip saddr { { 1 } } accept", &deep]
        {
            let _ = parse(&toks(text));
        }
    }
}
