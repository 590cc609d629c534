//! The values kojo writes in statements and targets, each in one spelling
//! whichever tool listed them: a queue's number and flags, a mark and its
//! mask. A rule that differs in them is not kojo's (a queue with `bypass`
//! fails open; a mark of another flow skips its gateway), so they are part
//! of a rule's key ([`super::ruleset::Rule::key`]), never left out.

use super::ruleset::{value_key, Value};

/// A queue's settings in one spelling, whichever tool listed them: `queue
/// to 0`, `queue to 0-3 flags bypass,fanout`. A queue elsewhere, or one
/// that lets packets through when no program listens (`bypass`), is not
/// kojo's: words kojo does not know are kept as they are (`odd`), so they
/// never read as kojo's queue.
pub fn queue_key(to: Option<&str>, flags: &[String], odd: &[String]) -> String {
    let to = to.map_or_else(
        || "0".to_string(),
        |to| to.split('-').map(|part| value_key(&Value::Atom(part.to_string()))).collect::<Vec<_>>().join("-"),
    );
    let mut flags: Vec<String> = flags.iter().map(|f| f.to_ascii_lowercase()).collect();
    flags.sort();
    flags.dedup();
    let mut key = format!("queue to {to}");
    if !flags.is_empty() {
        key.push_str(&format!(" flags {}", flags.join(",")));
    }
    if !odd.is_empty() {
        key.push_str(&format!(" ?{}", odd.join(" ")));
    }
    key
}

/// A mark with an optional mask (`0x2d`, `0x2d/0xffffffff`, `45`) in one
/// spelling: numbers in decimal, a full mask left out. What is not a
/// number stays as written, so it differs from any mark kojo writes.
pub fn mark_key(text: &str) -> String {
    let number = |t: &str| -> Option<u64> {
        t.strip_prefix("0x").map_or_else(|| t.parse().ok(), |hex| u64::from_str_radix(hex, 16).ok())
    };
    match text.split_once('/') {
        Some((value, mask)) => match (number(value), number(mask)) {
            (Some(value), Some(0xffff_ffff)) => value.to_string(),
            (Some(value), Some(mask)) => format!("{value}/{mask}"),
            _ => text.to_string(),
        },
        None => number(text).map_or_else(|| text.to_string(), |n| n.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_spelling_per_value() {
        assert_eq!(queue_key(None, &[], &[]), "queue to 0");
        assert_eq!(queue_key(Some("0x1"), &["Fanout".into(), "bypass".into()], &[]), "queue to 1 flags bypass,fanout");
        assert_eq!(queue_key(Some("0"), &[], &["x=1".into()]), "queue to 0 ?x=1");
        assert_eq!(mark_key("0x55bb4de6"), mark_key("1438338534"));
        assert_eq!(mark_key("0x55bb4de6/0xffffffff"), mark_key("0x55bb4de6"));
        assert_eq!(mark_key("0x0/0x0"), "0/0");
        assert_eq!(mark_key("0x05/0x3f"), mark_key("0x5/0x3f"));
        assert_eq!(mark_key("ct mark"), "ct mark", "what is not a number stays as written");
    }
}
