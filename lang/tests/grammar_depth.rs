//! The grammar has no recursive rule, so the depth the parser reaches is
//! bounded by the grammar itself, whatever the input: this is why kojo can
//! use a pest without a native stack probe on every rule (see the workspace
//! `Cargo.toml`). A recursive rule added later must bring the probe back.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::collections::{BTreeMap, BTreeSet};

/// Each rule of `grammar.pest` and the rules its body names.
fn rules() -> BTreeMap<String, BTreeSet<String>> {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/grammar.pest")).unwrap();
    let mut bodies: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or_default();
        let starts_rule = code.split_once('=').is_some_and(|(name, _)| {
            !code.starts_with(char::is_whitespace) && name.trim().chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        });
        if starts_rule {
            let (name, body) = code.split_once('=').unwrap();
            bodies.push((name.trim().to_string(), body.to_string()));
        } else if let Some(last) = bodies.last_mut() {
            last.1.push_str(code);
        }
    }
    let names: BTreeSet<String> = bodies.iter().map(|(n, _)| n.clone()).collect();
    bodies
        .into_iter()
        .map(|(name, body)| {
            // Words outside string literals that name a rule.
            let outside: String = body.split('"').step_by(2).collect::<Vec<_>>().join(" ");
            let used = outside
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .filter(|w| names.contains(*w))
                .map(str::to_string)
                .collect();
            (name, used)
        })
        .collect()
}

/// The first rule that reaches itself through the rules it names.
fn recursive(rules: &BTreeMap<String, BTreeSet<String>>) -> Option<String> {
    rules
        .keys()
        .find(|start| {
            let mut seen = BTreeSet::new();
            let mut pending: Vec<&String> = rules[*start].iter().collect();
            while let Some(rule) = pending.pop() {
                if rule == *start {
                    return true;
                }
                if seen.insert(rule) {
                    pending.extend(rules.get(rule).into_iter().flatten());
                }
            }
            false
        })
        .cloned()
}

#[test]
fn no_rule_of_the_grammar_reaches_itself() {
    let rules = rules();
    assert!(rules.len() > 100 && rules.contains_key("file") && rules["file"].contains("decl"), "{rules:?}");
    assert_eq!(recursive(&rules), None, "a recursive rule: the parser's depth would depend on the input");
}

#[test]
fn a_recursive_rule_is_found() {
    let set = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<BTreeSet<String>>();
    let graph: BTreeMap<String, BTreeSet<String>> =
        [("list".to_string(), set(&["item"])), ("item".to_string(), set(&["list", "ident"]))].into();
    assert_eq!(recursive(&graph), Some("item".to_string()));
}
