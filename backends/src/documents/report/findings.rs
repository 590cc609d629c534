//! Findings grouped by rule, with what the rule asks and how to fix each:
//! errors before warnings, larger groups first. A group lists its first
//! [`FOLD`] findings and counts the rest, so the page stays one a browser
//! opens however many findings the plant has.

use std::collections::BTreeMap;

use kojo_compiler::rules::{self, Finding};
use kojo_lang::Severity;
use serde::Serialize;

use super::{Request, FOLD};
use crate::documents::text::{Words, WordsError};

#[derive(Debug, Clone, Serialize)]
pub struct RuleGroup {
    pub rule: String,
    /// What the rule asks: a requirement's label, else its page's title.
    pub title: String,
    pub severity: &'static str,
    pub severity_label: String,
    pub count: usize,
    /// The fix, when every finding of the group has the same one.
    pub fix: Option<String>,
    pub shown: Vec<FindingRow>,
    /// How many findings are not listed.
    pub more: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct FindingRow {
    /// `asset:plc1`.
    pub entity: String,
    pub message: String,
    /// `plant.kojo:12`.
    pub at: String,
    /// The finding's own fix, when the group's findings differ in theirs.
    pub fix: Option<String>,
}

/// The groups, errors first, then by size (largest first), then by rule ID.
pub fn groups(request: &Request<'_>, words: &Words<'_>, shown: &[&Finding]) -> Result<Vec<RuleGroup>, WordsError> {
    let mut by_rule: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for finding in shown {
        by_rule.entry(finding.rule.as_str()).or_default().push(finding);
    }
    let mut groups = Vec::with_capacity(by_rule.len());
    for (rule, mut findings) in by_rule {
        let severity = findings.iter().map(|f| f.severity).max().unwrap_or(Severity::Warning);
        let same_fix = findings.windows(2).all(|w| w.first().map(|f| &f.help) == w.get(1).map(|f| &f.help));
        findings.sort_by_key(|f| f.loc);
        let rows = findings
            .iter()
            .take(FOLD)
            .map(|f| FindingRow {
                entity: request.model.entity_path(f.target),
                message: f.message.clone(),
                at: request.model.locate(f.loc),
                fix: (!same_fix).then(|| f.help.to_string()),
            })
            .collect();
        groups.push(RuleGroup {
            rule: rule.to_string(),
            title: title(request, words, rule),
            severity: severity.as_str(),
            severity_label: words.plain(&format!("report.severity.{}", severity.as_str()))?,
            count: findings.len(),
            fix: if same_fix { findings.first().map(|f| f.help.to_string()) } else { None },
            shown: rows,
            more: findings.len().saturating_sub(FOLD),
        });
    }
    groups
        .sort_by(|a, b| rank(b.severity).cmp(&rank(a.severity)).then(b.count.cmp(&a.count)).then(a.rule.cmp(&b.rule)));
    Ok(groups)
}

fn rank(severity: &str) -> u8 {
    match severity {
        "error" => 2,
        "warning" => 1,
        _ => 0,
    }
}

/// What a rule asks: a profile requirement's label in the report's
/// language; one of kojo's own rules, its `report.rule.*` message (its
/// `kojo explain` page's title, in either language); a rule known to
/// neither, its page's title, else its ID.
fn title(request: &Request<'_>, words: &Words<'_>, rule: &str) -> String {
    if let Some(requirement) = request.profile.requirement(rule) {
        return words.label(&requirement.label).to_string();
    }
    if let Some(text) = words.messages.get(&format!("report.rule.{rule}")) {
        return text.to_string();
    }
    rules::rule_page(request.catalogue, rule, request.lang)
        .as_deref()
        .and_then(rules::page_title)
        .map_or_else(|| rule.to_string(), |t| t.replace('`', ""))
}
