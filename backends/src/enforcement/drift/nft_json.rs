//! Reads `nft -j list ruleset`: the `{"nftables": [...]}` document of
//! tables, chains, sets, maps and rules (libnftables-json(5)). It owns
//! that schema as far as kojo compares it, and a rule's text for reports
//! (JSON has no lines: a rule is shown in nft's words and placed by its
//! chain, handle and position).

use serde_json::{Map, Value as Json};

use super::ruleset::{
    one_line, selector, Chain, Hook, Place, Policy, Rule, Ruleset, Selector, SourceFormat, Table, TableFamily, Value,
    Verdict,
};
use super::ParseError;

/// Reads the JSON document.
pub fn parse(text: &str) -> Result<Ruleset, ParseError> {
    let document: Json = serde_json::from_str(text)
        .map_err(|e| ParseError { line: Some(e.line()), message: format!("not JSON: {e}") })?;
    let Some(items) = document.get("nftables").and_then(Json::as_array) else {
        return Err(ParseError { line: None, message: "not `nft -j list ruleset` output: no `nftables` array".into() });
    };
    let mut tables = Tables::default();
    let mut seq = 0;
    for item in items {
        let Some(object) = item.as_object() else { continue };
        for (kind, body) in object {
            let Some(body) = body.as_object() else { continue };
            match kind.as_str() {
                "table" => {
                    if let (Some(table), Some(flags)) = (table(&mut tables, body), body.get("flags")) {
                        table.flags.extend(table_flags(flags));
                    }
                }
                "chain" => chain(&mut tables, body),
                "set" | "map" => set(&mut tables, body),
                "rule" => {
                    rule(&mut tables, body, seq);
                    seq += 1;
                }
                _ => {}
            }
        }
    }
    Ok(Ruleset { format: SourceFormat::NftJson, tables: tables.list })
}

/// A table's `"flags"`: a list of words, one word (or several joined by
/// commas), or a number (nft 1.0.6 may print the bits); a number but 0 is a
/// flag kojo does not know.
fn table_flags(flags: &Json) -> Vec<String> {
    match flags {
        Json::Array(items) => items.iter().flat_map(table_flags).collect(),
        Json::String(s) => {
            s.split([',', ' ', '|']).filter(|f| !f.is_empty()).map(|f| f.trim().to_ascii_lowercase()).collect()
        }
        Json::Number(n) if n.as_u64() == Some(0) => Vec::new(),
        Json::Null => Vec::new(),
        other => vec![one_line(&other.to_string(), 40)],
    }
}

fn text<'a>(body: &'a Map<String, Json>, key: &str) -> &'a str {
    body.get(key).and_then(Json::as_str).unwrap_or_default()
}

fn handle(body: &Map<String, Json>) -> Option<u64> {
    body.get("handle").and_then(Json::as_u64)
}

/// The table an object names (`family`, `table` or `name`), created if new.
/// The tables read so far, and by family and name their index.
#[derive(Default)]
struct Tables {
    list: Vec<Table>,
    index: std::collections::BTreeMap<(TableFamily, String), usize>,
}

fn table<'a>(tables: &'a mut Tables, body: &Map<String, Json>) -> Option<&'a mut Table> {
    let family = TableFamily::parse(text(body, "family"))?;
    let name = match body.get("table") {
        Some(name) => name.as_str().unwrap_or_default(),
        None => text(body, "name"),
    };
    let index = match tables.index.get(&(family, name.to_string())) {
        Some(&index) => index,
        None => {
            let place = Place { line: None, handle: handle(body).filter(|_| !body.contains_key("table")), position: 0 };
            tables.list.push(Table::new(family, name, place));
            let index = tables.list.len() - 1;
            tables.index.insert((family, name.to_string()), index);
            index
        }
    };
    tables.list.get_mut(index)
}

fn chain(tables: &mut Tables, body: &Map<String, Json>) {
    let Some(table) = table(tables, body) else { return };
    let place = Place { line: None, handle: handle(body), position: 0 };
    let Some(chain) = table.chain_mut(text(body, "name"), &place) else { return };
    chain.place = place;
    if let Some(hook) = body.get("hook").and_then(Json::as_str) {
        let policy = if text(body, "policy") == "drop" { Policy::Drop } else { Policy::Accept };
        chain.hook = Some(Hook { kind: text(body, "type").to_string(), hook: hook.to_string(), policy });
    }
}

fn set(tables: &mut Tables, body: &Map<String, Json>) {
    let Some(table) = table(tables, body) else { return };
    let name = text(body, "name").to_string();
    let elements = body.get("elem").and_then(Json::as_array).map(Vec::as_slice).unwrap_or_default();
    if body.get("map").and_then(Json::as_str) == Some("verdict") {
        let entries = elements.iter().filter_map(|e| {
            let [key, data] = e.as_array()?.as_slice() else { return None };
            Some((value(unwrap_elem(key)), verdict(data)?))
        });
        table.maps.entry(name).or_default().extend(entries);
    } else if !body.contains_key("map") {
        table.sets.entry(name).or_default().extend(elements.iter().map(|e| value(unwrap_elem(e))));
    }
}

/// `{"elem": {"val": X, "timeout": …}}` is X.
fn unwrap_elem(element: &Json) -> &Json {
    element.get("elem").and_then(|e| e.get("val")).unwrap_or(element)
}

fn rule(tables: &mut Tables, body: &Map<String, Json>, seq: usize) {
    let Some(table) = table(tables, body) else { return };
    let chain_name = text(body, "chain").to_string();
    let Some(chain) = table.chain_mut(&chain_name, &Place::default()) else { return };
    let statements = body.get("expr").and_then(Json::as_array).map(Vec::as_slice).unwrap_or_default();
    let comment = body.get("comment").and_then(Json::as_str).map(str::to_string);
    let mut rule = Rule {
        place: Place { line: None, handle: handle(body), position: chain.rules.len() + 1 },
        seq,
        text: rule_text(statements, comment.as_deref()),
        exprs: Vec::new(),
        statements: Vec::new(),
        verdict: None,
        comment,
    };
    for statement in statements {
        read_statement(&mut rule, statement);
    }
    push(chain, rule);
}

fn push(chain: &mut Chain, rule: Rule) {
    chain.rules.push(rule);
}

fn read_statement(rule: &mut Rule, statement: &Json) {
    let Some((kind, body)) = statement.as_object().and_then(|o| o.iter().next()) else { return };
    match kind.as_str() {
        "match" => {
            let left = selectors(body.get("left").unwrap_or(&Json::Null));
            let negated = body.get("op").and_then(Json::as_str) == Some("!=");
            let op = body.get("op").and_then(Json::as_str).unwrap_or("==");
            let right = value(body.get("right").unwrap_or(&Json::Null));
            if matches!(op, "==" | "!=" | "in") {
                rule.exprs.push(super::ruleset::Expr { left, negated, right });
            } else {
                let words = format!("{} {op}", left_text(body.get("left").unwrap_or(&Json::Null)));
                rule.exprs.push(super::ruleset::Expr {
                    left: vec![Selector::Other(words)],
                    negated: false,
                    right: Value::Set(Vec::new()),
                });
            }
        }
        "vmap" => {
            let key = selectors(body.get("key").unwrap_or(&Json::Null));
            rule.verdict = Some(match body.get("data") {
                Some(Json::String(name)) => Verdict::NamedMap { key, name: name.trim_start_matches('@').to_string() },
                Some(data) => {
                    let pairs = data.get("set").and_then(Json::as_array).map(Vec::as_slice).unwrap_or_default();
                    let entries = pairs
                        .iter()
                        .filter_map(|p| {
                            let [k, v] = p.as_array()?.as_slice() else { return None };
                            Some((value(unwrap_elem(k)), verdict(v)?))
                        })
                        .collect();
                    Verdict::Map { key, entries }
                }
                None => Verdict::Map { key, entries: Vec::new() },
            });
        }
        "counter" => {}
        // Statements that decide whether the rule goes on: matches kojo does not compare.
        "limit" | "quota" | "numgen" | "jhash" | "symhash" | "xt" => rule.exprs.push(super::ruleset::Expr {
            left: vec![Selector::Other(if kind == "xt" {
                format!("xt {}", text_of(body.get("name")))
            } else {
                kind.clone()
            })],
            negated: false,
            right: Value::Set(Vec::new()),
        }),
        // The value is kept: a connection marked with another flow's ticket
        // is not what kojo wrote.
        "mangle" => rule.statements.push(format!(
            "{} set {}",
            left_text(body.get("key").unwrap_or(&Json::Null)),
            super::ruleset::value_key(&value(body.get("value").unwrap_or(&Json::Null)))
        )),
        "queue" => {
            rule.statements.push(queue(body));
            rule.verdict = Some(Verdict::Queue);
        }
        other => match verdict(statement) {
            Some(v) => rule.verdict = Some(v),
            None => rule.statements.push(other.to_string()),
        },
    }
}

/// `{"num": 0, "flags": ["bypass"]}` as [`super::ruleset::queue_key`]
/// spells it; a key kojo does not know is kept, so it never reads as kojo's.
fn queue(body: &Json) -> String {
    let (mut to, mut flags, mut odd) = (None, Vec::new(), Vec::new());
    for (key, item) in body.as_object().into_iter().flatten() {
        match (key.as_str(), item) {
            ("num", num) => to = Some(value_text(&value(num))),
            ("flags", Json::String(flag)) => flags.push(flag.clone()),
            ("flags", Json::Array(items)) => flags.extend(items.iter().map(|f| text_of(Some(f)))),
            (key, item) => odd.push(format!("{key}={item}")),
        }
    }
    super::marks::queue_key(to.as_deref(), &flags, &odd)
}

/// `{"accept": null}`, `{"jump": {"target": "x"}}`, or a bare `"accept"`.
fn verdict(json: &Json) -> Option<Verdict> {
    let (kind, body) = match json {
        Json::String(word) => (word.as_str(), &Json::Null),
        Json::Object(o) => o.iter().next().map(|(k, v)| (k.as_str(), v))?,
        _ => return None,
    };
    let target = || body.get("target").and_then(Json::as_str).unwrap_or_default().to_string();
    Some(match kind {
        "accept" => Verdict::Accept,
        "drop" | "reject" => Verdict::Drop,
        "return" => Verdict::Return,
        "continue" => Verdict::Continue,
        "queue" => Verdict::Queue,
        "jump" => Verdict::Jump(target()),
        "goto" => Verdict::Goto(target()),
        _ => return None,
    })
}

/// A match's left side as selectors (a concatenation gives several).
fn selectors(left: &Json) -> Vec<Selector> {
    if let Some(parts) = left.get("concat").and_then(Json::as_array) {
        return parts.iter().flat_map(selectors).collect();
    }
    if let Some(payload) = left.get("payload") {
        if let (Some(protocol), Some(field)) =
            (payload.get("protocol").and_then(Json::as_str), payload.get("field").and_then(Json::as_str))
        {
            return vec![selector(protocol, Some(field)).0];
        }
    }
    for kind in ["meta", "ct"] {
        if let Some(key) = left.get(kind).and_then(|m| m.get("key")).and_then(Json::as_str) {
            return vec![selector(kind, Some(key)).0];
        }
    }
    vec![Selector::Other(left_text(left))]
}

/// A right-hand side as a [`Value`].
fn value(json: &Json) -> Value {
    match json {
        Json::String(s) if s.starts_with('@') => Value::Named(s.trim_start_matches('@').to_string()),
        Json::String(s) => Value::Atom(s.clone()),
        Json::Number(n) => Value::Atom(n.to_string()),
        Json::Bool(b) => Value::Atom(b.to_string()),
        Json::Array(items) => Value::Set(items.iter().map(value).collect()),
        Json::Object(o) => {
            if let Some(items) = o.get("set").and_then(Json::as_array) {
                Value::Set(items.iter().map(|i| value(unwrap_elem(i))).collect())
            } else if let Some(parts) = o.get("concat").and_then(Json::as_array) {
                Value::Concat(parts.iter().map(value).collect())
            } else if let Some([a, b]) = o.get("range").and_then(Json::as_array).map(Vec::as_slice) {
                Value::Atom(format!("{}-{}", text_of(Some(a)), text_of(Some(b))))
            } else if let Some(prefix) = o.get("prefix") {
                Value::Atom(format!("{}/{}", text_of(prefix.get("addr")), text_of(prefix.get("len"))))
            } else if o.contains_key("elem") {
                value(unwrap_elem(json))
            } else {
                Value::Atom(one_line(&json.to_string(), 80))
            }
        }
        Json::Null => Value::Set(Vec::new()),
    }
}

fn text_of(json: Option<&Json>) -> String {
    match json {
        Some(Json::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    }
}

/// A left side in nft's words: `ip saddr`, `meta l4proto . th dport`.
fn left_text(left: &Json) -> String {
    if let Some(parts) = left.get("concat").and_then(Json::as_array) {
        return parts.iter().map(left_text).collect::<Vec<_>>().join(" . ");
    }
    if let Some(payload) = left.get("payload") {
        return format!("{} {}", text_of(payload.get("protocol")), text_of(payload.get("field"))).trim().to_string();
    }
    match left.as_object().and_then(|o| o.iter().next()) {
        Some((kind, body)) => match body.get("key") {
            Some(key) => format!("{kind} {}", text_of(Some(key))),
            None => kind.clone(),
        },
        None => text_of(Some(left)),
    }
}

/// A right side in nft's words: `{ 10.0.0.1, 10.0.0.2 }`, `10.0.0.0/8`.
fn right_text(right: &Json) -> String {
    match value(right) {
        Value::Set(items) if matches!(right, Json::Array(_)) => {
            items.iter().map(super::ruleset::value_key).collect::<Vec<_>>().join(",")
        }
        v => value_text(&v),
    }
}

fn value_text(value: &Value) -> String {
    match value {
        Value::Atom(a) => a.clone(),
        Value::Named(n) => format!("@{n}"),
        Value::Concat(parts) => parts.iter().map(value_text).collect::<Vec<_>>().join(" . "),
        Value::Set(items) => format!("{{ {} }}", items.iter().map(value_text).collect::<Vec<_>>().join(", ")),
    }
}

/// The rule in nft's words, as `nft list ruleset` would write it (near enough).
fn rule_text(statements: &[Json], comment: Option<&str>) -> String {
    let mut words: Vec<String> = Vec::new();
    for statement in statements {
        let Some((kind, body)) = statement.as_object().and_then(|o| o.iter().next()) else { continue };
        words.push(match kind.as_str() {
            "match" => {
                let op = match body.get("op").and_then(Json::as_str) {
                    Some("==" | "in") | None => String::new(),
                    Some(op) => format!(" {op}"),
                };
                let left = left_text(body.get("left").unwrap_or(&Json::Null));
                format!("{left}{op} {}", right_text(body.get("right").unwrap_or(&Json::Null)))
            }
            "vmap" => {
                let key = left_text(body.get("key").unwrap_or(&Json::Null));
                let data = match body.get("data") {
                    Some(Json::String(name)) => name.clone(),
                    _ => "{ … }".to_string(),
                };
                format!("{key} vmap {data}")
            }
            "jump" | "goto" => format!("{kind} {}", text_of(body.get("target"))),
            "log" => match body.get("prefix") {
                Some(prefix) => format!("log prefix \"{}\"", text_of(Some(prefix))),
                None => "log".into(),
            },
            other => other.to_string(),
        });
    }
    if let Some(comment) = comment {
        words.push(format!("comment \"{comment}\""));
    }
    one_line(&words.join(" "), super::TEXT_MAX)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;
    use crate::enforcement::drift::ruleset::Ports;
    use crate::enforcement::policy::Family;

    const DOCUMENT: &str = r#"{"nftables": [
      {"metainfo": {"version": "1.0.6", "json_schema_version": 1}},
      {"table": {"family": "inet", "name": "kojo", "handle": 2}},
      {"set": {"family": "inet", "name": "ports_slmp", "table": "kojo", "type": ["inet_proto", "inet_service"], "handle": 11,
               "elem": [{"concat": ["udp", 5006]}, {"concat": ["tcp", 5007]}]}},
      {"chain": {"family": "inet", "table": "kojo", "name": "forward", "handle": 1, "type": "filter", "hook": "forward", "prio": 0, "policy": "drop"}},
      {"chain": {"family": "inet", "table": "kojo", "name": "a_to_b", "handle": 3}},
      {"rule": {"family": "inet", "table": "kojo", "chain": "forward", "handle": 12, "expr": [
        {"match": {"op": "in", "left": {"ct": {"key": "state"}}, "right": ["established", "related"]}}, {"accept": null}]}},
      {"rule": {"family": "inet", "table": "kojo", "chain": "forward", "handle": 15, "expr": [
        {"vmap": {"key": {"concat": [{"meta": {"key": "iifname"}}, {"meta": {"key": "oifname"}}]},
                  "data": {"set": [[{"concat": ["a", "b"]}, {"jump": {"target": "a_to_b"}}]]}}}]}},
      {"rule": {"family": "inet", "table": "kojo", "chain": "a_to_b", "handle": 22, "comment": "kojo: conduit a_to_b flow 2", "expr": [
        {"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "saddr"}}, "right": {"set": ["10.4.0.10", {"prefix": {"addr": "10.9.0.0", "len": 16}}]}}},
        {"match": {"op": "==", "left": {"concat": [{"meta": {"key": "l4proto"}}, {"payload": {"protocol": "th", "field": "dport"}}]}, "right": "@ports_slmp"}},
        {"match": {"op": "!=", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": {"range": [1, 1023]}}},
        {"counter": {"packets": 0, "bytes": 0}}, {"accept": null}]}}
    ]}"#;

    #[test]
    fn the_document_is_read_with_handles_and_positions() {
        let ruleset = parse(DOCUMENT).unwrap();
        let table = &ruleset.tables[0];
        assert_eq!(table.label(), "inet kojo");
        assert_eq!(
            table.sets["ports_slmp"][1],
            Value::Concat(vec![Value::Atom("tcp".into()), Value::Atom("5007".into())])
        );
        let forward = table.chain("forward").unwrap();
        assert_eq!(forward.hook.as_ref().unwrap().policy, Policy::Drop);
        assert_eq!(forward.rules[1].place, Place { line: None, handle: Some(15), position: 2 });
        assert!(
            matches!(&forward.rules[1].verdict, Some(Verdict::Map { entries, .. }) if entries[0].1 == Verdict::Jump("a_to_b".into()))
        );
        let rule = &table.chain("a_to_b").unwrap().rules[0];
        assert_eq!(rule.exprs[0].left, [Selector::Saddr(Family::V4)]);
        assert_eq!(
            rule.exprs[0].right,
            Value::Set(vec![Value::Atom("10.4.0.10".into()), Value::Atom("10.9.0.0/16".into())])
        );
        assert_eq!(rule.exprs[1].left, [Selector::Proto(None), Selector::Dport(Ports::Any)]);
        assert!(rule.exprs[2].negated);
        assert_eq!(rule.exprs[2].right, Value::Atom("1-1023".into()));
        assert_eq!(rule.verdict, Some(Verdict::Accept));
        assert_eq!(
            rule.text,
            "ip saddr { 10.4.0.10, 10.9.0.0/16 } meta l4proto . th dport @ports_slmp tcp dport != 1-1023 counter accept comment \"kojo: conduit a_to_b flow 2\""
        );
    }

    #[test]
    fn other_json_is_refused() {
        assert!(parse("{\"rules\": []}").is_err());
        assert_eq!(parse("{\n\"nftables\": [\n}").unwrap_err().line, Some(3));
        assert!(parse("{\"nftables\": [1, {\"rule\": 2}, {\"rule\": {\"family\": \"inet\"}}]}").is_ok());
    }
}
