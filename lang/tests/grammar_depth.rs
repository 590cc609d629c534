//! The grammar has no recursive rule, so the depth the parser reaches is
//! bounded by the grammar itself, whatever the input: this is why kojo can
//! use a pest without a native stack probe on every rule (see the workspace
//! `Cargo.toml`). A recursive rule added later must bring the probe back.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::collections::{BTreeMap, BTreeSet};

/// The words of a pest grammar outside its string literals and comments,
/// and its braces, `=`, in order.
fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' | '\'' => {
                // A literal, escapes included: `"\""` is one quote.
                while let Some(d) = chars.next() {
                    if d == '\\' {
                        chars.next();
                    } else if d == c {
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'/') => {
                for d in chars.by_ref() {
                    if d == '\n' {
                        break;
                    }
                }
            }
            '{' | '}' | '=' => out.push(c.to_string()),
            c if c.is_ascii_alphanumeric() || c == '_' => {
                let mut word = c.to_string();
                while let Some(&d) = chars.peek().filter(|d| d.is_ascii_alphanumeric() || **d == '_') {
                    word.push(d);
                    chars.next();
                }
                out.push(word);
            }
            _ => {}
        }
    }
    out
}

/// Each rule of a grammar (`name = _{ … }`) and the words of its body.
fn rules_of(text: &str) -> BTreeMap<String, BTreeSet<String>> {
    let tokens = tokens(text);
    let mut rules: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut at = 0;
    while at + 2 < tokens.len() {
        if tokens[at + 1] == "=" {
            // The body: from the rule's `{` to the brace that closes it.
            let Some(open) = tokens[at + 2..].iter().position(|t| t == "{").map(|p| at + 2 + p) else { break };
            let mut depth = 0;
            let mut end = open;
            for (i, t) in tokens.iter().enumerate().skip(open) {
                depth += i32::from(t == "{") - i32::from(t == "}");
                if depth == 0 {
                    end = i;
                    break;
                }
            }
            rules.insert(tokens[at].clone(), tokens[open + 1..end].to_vec());
            at = end + 1;
        } else {
            at += 1;
        }
    }
    let names: BTreeSet<String> = rules.keys().cloned().collect();
    rules.into_iter().map(|(name, body)| (name, body.into_iter().filter(|w| names.contains(w)).collect())).collect()
}

fn rules() -> BTreeMap<String, BTreeSet<String>> {
    rules_of(&std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/grammar.pest")).unwrap())
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
fn literals_comments_and_layout_do_not_hide_a_rule() {
    let grammar = "string = ${ \"\\\"\" ~ inner ~ \"\\\"\" }  // a \"quote\" in a comment\n\
                   inner = @{ (!\"//\" ~ ANY)* ~ string? }\n  indented = { inner }\n";
    let rules = rules_of(grammar);
    assert_eq!(rules["string"], ["inner".to_string()].into());
    assert_eq!(rules["indented"], ["inner".to_string()].into());
    assert!(recursive(&rules).is_some(), "string -> inner -> string: {rules:?}");
}

#[test]
fn a_recursive_rule_is_found() {
    let set = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<BTreeSet<String>>();
    let graph: BTreeMap<String, BTreeSet<String>> =
        [("list".to_string(), set(&["item"])), ("item".to_string(), set(&["list", "ident"]))].into();
    assert_eq!(recursive(&graph), Some("item".to_string()));
}
