//! `kojo check`'s output for people when there are many findings: one
//! block per rule (a header line, then one line per entity), errors first
//! and then the rules with most findings, followed by what to do first
//! ([`super::advice`]).
//!
//! A first draft of a plant breaks hundreds of rules at once; a snippet
//! per finding (some fifty lines each) buries what matters, which is
//! which rules and which entities the findings come from. The snippets
//! stay available with `--format full`.

use std::cmp::Reverse;
use std::collections::BTreeMap;

use kojo_compiler::model::{EntityRef, Model};
use kojo_compiler::Checked;
use kojo_lang::{Diagnostic, Severity};

use super::unshown::Unshown;
use super::{advice, position, rules};

/// At or below this many findings, people see each in full, with its
/// source; above it, grouped by rule.
pub const FULL_UP_TO: usize = 10;

/// A rule's findings on more assets than this are folded, one line per zone.
const FOLD_ABOVE: usize = 4;

/// Assets named on a folded line; the rest are counted. A zone of half a
/// million assets is one line, not megabytes of names.
const NAMES_PER_LINE: usize = 20;

/// The entity each finding is about, by fingerprint (none when the
/// project did not compile).
pub fn targets(checked: &Checked) -> BTreeMap<String, EntityRef> {
    let Some(model) = &checked.model else { return BTreeMap::new() };
    let (applied, unshown) = (&checked.findings, &checked.unshown);
    let kept = applied.kept.iter().chain(&applied.problems).enumerate();
    let kept = kept.filter(|(i, _)| unshown.findings.binary_search(i).is_err());
    let waived = applied.waived.iter().enumerate().filter(|(i, _)| unshown.waived.binary_search(i).is_err());
    kept.chain(waived).map(|(_, f)| (f.fingerprint(model), f.target)).collect()
}

/// `asset plc1`: the entity a finding is about, as people name it, read
/// from its fingerprint (`RULE/ENTITY[/KEY]`), which a finding has even
/// when the project does not compile; for a finding about the plant as a
/// whole, what in it (`waiver NW-MFA on asset:hmi1`).
pub fn entity(d: &Diagnostic) -> String {
    let mut parts = d.fingerprint.as_deref().unwrap_or_default().splitn(3, '/').skip(1);
    let path = match (parts.next(), parts.next()) {
        (Some("plant"), Some(key)) => key,
        (Some(path), _) => path,
        (None, _) => "",
    };
    path.replacen(':', " ", 1)
}

/// `plant.kojo:14:1`, `docs/x.pdf`, or nothing.
pub fn location(d: &Diagnostic) -> String {
    match position(d) {
        Some(super::Position { file, span: Some(((line, column), _)) }) => format!("{file}:{line}:{column}"),
        Some(super::Position { file, span: None }) => file,
        None => String::new(),
    }
}

/// One rule's findings.
pub struct Group<'a> {
    pub rule: &'a str,
    /// The most severe of its findings'.
    pub severity: Severity,
    pub findings: Vec<&'a Diagnostic>,
    /// Its findings past the cap, which have no diagnostic to list.
    pub more: usize,
}

impl Group<'_> {
    /// Its findings, listed or not.
    pub fn total(&self) -> usize {
        self.findings.len() + self.more
    }
}

/// The findings by rule: errors first, then the rules with most findings,
/// then by rule ID; each rule's findings in source order. `more` are the
/// findings past the cap by rule ([`super::unshown::Unshown::by_rule`]).
pub fn groups<'a>(findings: &[&'a Diagnostic], more: &'a BTreeMap<String, (Severity, usize)>) -> Vec<Group<'a>> {
    let mut by_rule: BTreeMap<&str, Group<'a>> = BTreeMap::new();
    for d in findings {
        let group = by_rule.entry(d.id()).or_insert_with(|| Group {
            rule: "",
            severity: d.severity,
            findings: Vec::new(),
            more: 0,
        });
        group.severity = group.severity.max(d.severity);
        group.findings.push(d);
    }
    for (rule, (severity, n)) in more {
        let group = by_rule.entry(rule).or_insert_with(|| Group {
            rule: "",
            severity: *severity,
            findings: Vec::new(),
            more: 0,
        });
        group.severity = group.severity.max(*severity);
        group.more += n;
    }
    let mut groups: Vec<Group<'a>> = by_rule.into_iter().map(|(rule, group)| Group { rule, ..group }).collect();
    groups.sort_by_key(|g| (Reverse(g.severity), Reverse(g.total()), g.rule));
    groups
}

/// What a line about one finding says after its entity: for a tier
/// requirement, what it needs (the header says what is lacking); for
/// other rules, the message.
fn short(checked: &Checked, d: &Diagnostic) -> String {
    let requirement = checked.profile.as_ref().and_then(|p| p.requirement(d.id()));
    let label = d.labels.iter().find(|l| l.primary).map(|l| l.text.as_str()).unwrap_or_default();
    let text = if requirement.is_some() && !label.is_empty() { label } else { d.message.as_str() };
    // Printed beside miette's coloured output, which keeps colour sequences.
    let text = &*kojo_lang::inert::escape(text);
    text.replace('\n', " ")
}

/// The findings grouped by rule, then what to do first.
pub fn render(checked: &Checked, findings: &[&Diagnostic], unshown: &Unshown) -> String {
    let targets = targets(checked);
    let groups = groups(findings, &unshown.by_rule);
    let mut out = format!(
        "{} in {} (errors first, then the rules with most findings):\n",
        count(findings.len() + unshown.new.total(), "finding", "findings"),
        count(groups.len(), "rule", "rules")
    );
    for group in &groups {
        out.push('\n');
        out.push_str(&block(checked, group, &targets));
    }
    out.push('\n');
    out.push_str(&advice::render(checked, &groups, &targets));
    out
}

/// A line saying how many of a rule's findings are past the cap.
fn more_line(more: usize) -> String {
    format!(
        "  and {more} more {} past the first {} findings of the check, not listed (counted in the summary)\n",
        if more == 1 { "finding" } else { "findings" },
        kojo_compiler::cap::FINDINGS_PER_RUN
    )
}

/// A rule's header line, then its entities.
fn block(checked: &Checked, group: &Group<'_>, targets: &BTreeMap<String, EntityRef>) -> String {
    let title = rules::describe(checked, group.rule, group.severity).title;
    let mut out = format!(
        "{} {} ({}): {title}  [kojo explain {}]\n",
        group.severity.as_str(),
        group.rule,
        count(group.total(), "finding", "findings"),
        group.rule
    );
    let model = checked.model.as_ref();
    let mut lines: Vec<(String, String, String)> = Vec::new();
    let mut folded: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let fold = group.findings.len() > FOLD_ABOVE;
    let messages: std::collections::BTreeSet<String> = group.findings.iter().map(|d| short(checked, d)).collect();
    for d in &group.findings {
        let target = d.fingerprint.as_ref().and_then(|f| targets.get(f));
        if let (true, Some(model), Some(EntityRef::Asset(id))) = (fold, model, target) {
            // A device between zones (a firewall) is no zone's: its own line.
            if let Some(asset) = model.asset(*id).filter(|a| a.interfaces.is_empty()) {
                folded.entry(zones_of(model, asset)).or_default().push(asset.name.clone());
                continue;
            }
        }
        lines.push((location(d), entity(d), short(checked, d)));
    }
    let shared = match (messages.len(), messages.first()) {
        (1, Some(message)) => format!("  {message}"),
        _ => String::new(),
    };
    for (zones, mut assets) in folded {
        assets.sort();
        let n = count(assets.len(), "asset", "assets");
        let rest = assets.len().saturating_sub(NAMES_PER_LINE);
        assets.truncate(NAMES_PER_LINE);
        let mut names = assets.join(", ");
        if rest > 0 {
            names.push_str(&format!(" and {rest} more"));
        }
        out.push_str(&format!("  {zones} ({n}): {names}{shared}\n"));
    }
    let (w1, w2) = (width(lines.iter().map(|l| &l.0)), width(lines.iter().map(|l| &l.1)));
    for (at, entity, message) in lines {
        out.push_str(format!("  {at:w1$}  {entity:w2$}  {message}").trim_end());
        out.push('\n');
    }
    if group.more > 0 {
        out.push_str(&more_line(group.more));
    }
    out
}

/// `zone control`, `zones internet, maint` (a multi-homed asset).
fn zones_of(model: &Model, asset: &kojo_compiler::model::Asset) -> String {
    let mut names: Vec<&str> = asset
        .zone
        .into_iter()
        .chain(asset.interfaces.iter().map(|i| i.zone))
        .filter_map(|z| model.zone(z).map(|z| z.name.as_str()))
        .collect();
    let mut seen = std::collections::BTreeSet::new();
    names.retain(|n| seen.insert(*n));
    match names.as_slice() {
        [] => "no zone".to_string(),
        [one] => format!("zone {one}"),
        many => format!("zones {}", many.join(", ")),
    }
}

fn width<'s>(texts: impl Iterator<Item = &'s String>) -> usize {
    texts.map(|t| t.chars().count()).max().unwrap_or(0)
}

/// `1 rule`, `2 rules`.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;
    use kojo_lang::{SourceFile, Span};

    fn finding(rule: &str, severity: Severity, at: usize, fingerprint: &str) -> Diagnostic {
        let file = SourceFile::new("plant.kojo", "zone a\nasset b\nasset c\n");
        let mut d = Diagnostic::finding(rule, severity, &file, Span::new(at, at + 1), "lacks it");
        d.fingerprint = Some(fingerprint.to_string());
        d
    }

    #[test]
    fn errors_come_first_then_the_rules_with_most_findings_then_by_id() {
        let ds = [
            finding("WARN-MANY", Severity::Warning, 0, "WARN-MANY/zone:a"),
            finding("WARN-MANY", Severity::Warning, 7, "WARN-MANY/asset:b"),
            finding("WARN-MANY", Severity::Warning, 15, "WARN-MANY/asset:c"),
            finding("B-ONE", Severity::Error, 7, "B-ONE/asset:b"),
            finding("A-ONE", Severity::Error, 15, "A-ONE/asset:c"),
            finding("C-TWO", Severity::Error, 0, "C-TWO/zone:a"),
            finding("C-TWO", Severity::Error, 7, "C-TWO/asset:b"),
        ];
        let refs: Vec<&Diagnostic> = ds.iter().collect();
        let none = BTreeMap::new();
        let order: Vec<(&str, usize)> = groups(&refs, &none).iter().map(|g| (g.rule, g.total())).collect();
        assert_eq!(order, [("C-TWO", 2), ("A-ONE", 1), ("B-ONE", 1), ("WARN-MANY", 3)]);
        // Findings past the cap count where they belong, a rule of their own too.
        let more = BTreeMap::from([
            ("WARN-MANY".to_string(), (Severity::Warning, 1)),
            ("A-ONE".to_string(), (Severity::Error, 2)),
            ("Z-UNLISTED".to_string(), (Severity::Error, 1)),
        ]);
        let order: Vec<(&str, usize)> = groups(&refs, &more).iter().map(|g| (g.rule, g.total())).collect();
        assert_eq!(order, [("A-ONE", 3), ("C-TWO", 2), ("B-ONE", 1), ("Z-UNLISTED", 1), ("WARN-MANY", 4)]);
    }

    #[test]
    fn entities_and_locations_come_from_the_fingerprint_and_the_span() {
        let d = finding("DEV-UPS", Severity::Error, 7, "DEV-UPS/asset:b");
        assert_eq!((entity(&d), location(&d)), ("asset b".to_string(), "plant.kojo:2:1".to_string()));
        let d = finding("WAIVER-UNUSED", Severity::Warning, 0, "WAIVER-UNUSED/plant/waiver:DEV-UPS on asset:b");
        assert_eq!(entity(&d), "waiver DEV-UPS on asset:b");
        let mut d = finding("X", Severity::Error, 0, "");
        d.fingerprint = None;
        assert_eq!(entity(&d), "");
    }
}
