//! The manifest's `procurement { … }` block: the buyer's side of the
//! procurement specifications `kojo procure` writes. kojo never invents
//! these: where one is not set, the specification says it is to be agreed.

use kojo_lang::{Code, Diagnostic, SourceFile, Span};

use super::{span_of, Entry};
use crate::suggest::did_you_mean;

/// The buyer's settings. Every field is optional.
#[derive(Debug, Clone, Default)]
pub struct Procurement {
    /// Who buys: the organisation named in the specification.
    pub buyer: Option<Entry>,
    /// Where the supplier sends answers and notices.
    pub contact: Option<Entry>,
    /// Years the supplier must support the item with security updates.
    pub support_years: Option<(u32, Span)>,
    /// Days within which the supplier notifies a vulnerability.
    pub notice_days: Option<(u32, Span)>,
    /// Days the item (or its log collection) must keep security logs.
    pub log_retention_days: Option<(u32, Span)>,
}

const ENTRIES: [&str; 5] = ["buyer", "contact", "support-years", "notice-days", "log-retention-days"];

/// Largest number accepted for each numeric entry: larger ones are typos.
const LIMITS: [(&str, u32); 3] = [("support-years", 100), ("notice-days", 3650), ("log-retention-days", 36500)];

pub(super) fn parse(node: &kdl::KdlNode, file: &SourceFile, diagnostics: &mut Vec<Diagnostic>) -> Procurement {
    let text = file.text();
    let mut out = Procurement::default();
    let Some(children) = node.children() else { return out };
    for child in children.nodes() {
        let key = child.name().value();
        let span = span_of(child.span(), text);
        let invalid = |message: String, help: String| {
            Diagnostic::error(Code::ManifestInvalid, file, span, message).with_help(help)
        };
        let entries = child.entries();
        let value = match entries {
            [entry] if entry.name().is_none() => Some(entry.value()),
            _ => None,
        };
        match (key, value) {
            ("buyer" | "contact", Some(kdl::KdlValue::String(s))) => {
                let slot = if key == "buyer" { &mut out.buyer } else { &mut out.contact };
                if slot.is_some() {
                    diagnostics.push(invalid(format!("`{key}` is given twice"), "keep one".into()));
                } else {
                    *slot = Some(Entry { value: s.clone(), span });
                }
            }
            ("buyer" | "contact", _) => {
                diagnostics.push(invalid(format!("`{key}` takes one string"), format!("write `{key} \"…\"`")));
            }
            ("support-years" | "notice-days" | "log-retention-days", value) => {
                let limit = LIMITS.iter().find(|(k, _)| *k == key).map_or(u32::MAX, |(_, l)| *l);
                let number = match value {
                    Some(kdl::KdlValue::Integer(n)) => u32::try_from(*n).ok().filter(|n| (1..=limit).contains(n)),
                    _ => None,
                };
                let Some(number) = number else {
                    diagnostics.push(invalid(
                        format!("`{key}` takes a whole number from 1 to {limit}"),
                        format!("write e.g. `{key} {}`", example(key)),
                    ));
                    continue;
                };
                let slot = match key {
                    "support-years" => &mut out.support_years,
                    "notice-days" => &mut out.notice_days,
                    _ => &mut out.log_retention_days,
                };
                if slot.is_some() {
                    diagnostics.push(invalid(format!("`{key}` is given twice"), "keep one".into()));
                } else {
                    *slot = Some((number, span));
                }
            }
            (other, _) => {
                let help = match did_you_mean(other, ENTRIES) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("a procurement block has the entries {}", ENTRIES.join(", ")),
                };
                diagnostics.push(
                    Diagnostic::error(
                        Code::ManifestInvalid,
                        file,
                        span_of(child.name().span(), text),
                        format!("unknown procurement entry `{other}`"),
                    )
                    .with_label("unknown entry")
                    .with_help(help),
                );
            }
        }
    }
    out
}

fn example(key: &str) -> u32 {
    match key {
        "support-years" => 10,
        "notice-days" => 30,
        _ => 365,
    }
}
