//! JUnit XML, the test report every CI system shows (Jenkins, GitLab,
//! Azure DevOps, CircleCI, …), in the dialect of the Jenkins xUnit plugin's
//! `junit-10.xsd` (`tests/ci/junit.xsd`, which the tests validate against).
//!
//! One `<testsuite>` per rule, and one (`compile`) for the diagnostics that
//! are not findings. A rule's test cases are the entities it found
//! something on (`classname="NW-TRAFFIC-IDS" name="conduit:vendor_remote"`);
//! a rule that ran and found nothing is one passing case, so a dashboard
//! shows what passed as well as what failed. A case fails exactly when its
//! findings fail the check (`--fail-on`); findings the baseline knows, and
//! findings a waiver hides, are skipped with the reason; findings below
//! `--fail-on` pass, listed in `<system-out>`. Compile errors are
//! `<error>`s. The schema allows no `skipped` count on `<testsuites>`:
//! each `<testsuite>` has its own.

use std::collections::BTreeMap;
use std::fmt::Write;

use kojo_lang::{Code, Diagnostic};

use super::{position, rules, Outcome, WaiverInfo};

/// What a test case says.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Verdict {
    /// Passed; findings that did not fail it, listed.
    Pass(Vec<String>),
    Failure {
        kind: String,
        message: String,
        text: String,
    },
    Error {
        kind: String,
        message: String,
        text: String,
    },
    Skipped(String),
}

#[derive(Debug, Clone)]
struct Case {
    classname: String,
    name: String,
    verdict: Verdict,
}

/// The JUnit XML for `outcome`.
pub fn render(outcome: &Outcome<'_>) -> String {
    let mut suites: Vec<(String, Vec<Case>)> = vec![("compile".to_string(), compile_cases(outcome))];
    suites.extend(rule_suites(outcome));
    let count = |f: fn(&Verdict) -> bool| suites.iter().flat_map(|(_, c)| c).filter(|c| f(&c.verdict)).count();
    let tests: usize = suites.iter().map(|(_, c)| c.len()).sum();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"kojo\" tests=\"{tests}\" failures=\"{}\" errors=\"{}\">",
        count(|v| matches!(v, Verdict::Failure { .. })),
        count(|v| matches!(v, Verdict::Error { .. }))
    );
    for (name, cases) in &suites {
        suite(&mut out, name, cases);
    }
    out.push_str("</testsuites>\n");
    out
}

fn suite(out: &mut String, name: &str, cases: &[Case]) {
    let count = |f: fn(&Verdict) -> bool| cases.iter().filter(|c| f(&c.verdict)).count();
    let _ = writeln!(
        out,
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\">",
        attr(name),
        cases.len(),
        count(|v| matches!(v, Verdict::Failure { .. })),
        count(|v| matches!(v, Verdict::Error { .. })),
        count(|v| matches!(v, Verdict::Skipped(_)))
    );
    for case in cases {
        let open = format!("    <testcase classname=\"{}\" name=\"{}\"", attr(&case.classname), attr(&case.name));
        match &case.verdict {
            Verdict::Pass(lines) if lines.is_empty() => {
                let _ = writeln!(out, "{open}/>");
            }
            Verdict::Pass(lines) => {
                let _ = writeln!(
                    out,
                    "{open}>\n      <system-out>{}</system-out>\n    </testcase>",
                    text(&lines.join("\n"))
                );
            }
            Verdict::Failure { kind, message, text: body } | Verdict::Error { kind, message, text: body } => {
                let element = if matches!(case.verdict, Verdict::Error { .. }) { "error" } else { "failure" };
                let _ = writeln!(
                    out,
                    "{open}>\n      <{element} type=\"{}\" message=\"{}\">{}</{element}>\n    </testcase>",
                    attr(kind),
                    attr(message),
                    text(body)
                );
            }
            Verdict::Skipped(message) => {
                let _ = writeln!(out, "{open}>\n      <skipped message=\"{}\"/>\n    </testcase>", attr(message));
            }
        }
    }
    out.push_str("  </testsuite>\n");
}

/// One line per diagnostic: `path:line:col: severity: message`, its help
/// on the next.
fn describe(outcome: &Outcome<'_>, d: &Diagnostic) -> String {
    let place = position(d).map(|p| {
        let file = outcome.paths.display(&p.file);
        match p.span {
            Some(((line, column), _)) => format!("{file}:{line}:{column}: "),
            None => format!("{file}: "),
        }
    });
    let mut line = format!("{}{}: {}", place.unwrap_or_default(), d.severity.as_str(), d.message);
    if let Some(help) = &d.help {
        let _ = write!(line, "\n  help: {help}");
    }
    line
}

/// The diagnostics that are not findings, one case each; one passing case
/// when there are none.
fn compile_cases(outcome: &Outcome<'_>) -> Vec<Case> {
    let mut cases: Vec<Case> = outcome
        .checked
        .diagnostics
        .iter()
        .filter(|d| d.code != Code::Finding)
        .map(|d| {
            // Named by place: `file:line:column`, the file alone, or the
            // project's kojo.kdl for a problem with no file of its own.
            let name = position(d).map_or_else(
                || d.id().to_string(),
                |p| {
                    // A file kojo shows escaped is named as shown: the
                    // case's name is text, not a path a tool opens.
                    let (Ok(file) | Err(file)) = outcome.paths.file(&p.file).unwrap_or_else(|| {
                        if p.span.is_some() {
                            Ok(p.file.clone())
                        } else {
                            outcome.paths.manifest()
                        }
                    });
                    match p.span {
                        Some(((line, column), _)) => format!("{file}:{line}:{column}"),
                        None => file,
                    }
                },
            );
            let verdict = if outcome.fails(d) {
                Verdict::Error { kind: d.id().to_string(), message: d.message.clone(), text: describe(outcome, d) }
            } else {
                Verdict::Pass(vec![describe(outcome, d)])
            };
            Case { classname: d.id().to_string(), name, verdict }
        })
        .collect();
    cases.extend(dropped_case(outcome));
    if cases.is_empty() {
        return vec![Case {
            classname: "compile".into(),
            name: "the project compiles".into(),
            verdict: Verdict::Pass(vec![]),
        }];
    }
    cases
}

/// What the caps left out, as one case: an error when a compile error is
/// among them, a failure when a finding not listed fails the check.
fn dropped_case(outcome: &Outcome<'_>) -> Option<Case> {
    let dropped = &outcome.checked.dropped;
    let lines = super::dropped::lines(dropped);
    if lines.is_empty() {
        return None;
    }
    let name = match (dropped.total(), dropped.findings()) {
        (0, findings) => format!("{findings} more findings not listed"),
        (diagnostics, 0) => format!("{diagnostics} more diagnostics not shown"),
        (diagnostics, findings) => {
            format!("{diagnostics} more diagnostics not shown, {findings} more findings not listed")
        }
    };
    let verdict = if dropped.errors > 0 {
        Verdict::Error { kind: "dropped".into(), message: name.clone(), text: lines }
    } else if outcome.unshown.fails {
        Verdict::Failure { kind: "finding".into(), message: name.clone(), text: lines }
    } else {
        Verdict::Pass(vec![lines])
    };
    Some(Case { classname: "compile".into(), name, verdict })
}

/// The findings, kept and waived, of one rule on one entity.
#[derive(Default)]
struct Entity<'a> {
    kept: Vec<&'a Diagnostic>,
    waived: Vec<(&'a Diagnostic, Option<&'a WaiverInfo>)>,
}

/// One suite per rule that ran or found something, in ID order.
fn rule_suites(outcome: &Outcome<'_>) -> Vec<(String, Vec<Case>)> {
    let checked = outcome.checked;
    let waivers = outcome.waivers();
    let mut by_rule: BTreeMap<String, BTreeMap<String, Entity<'_>>> =
        rules::ran(checked).into_iter().map(|r| (r, BTreeMap::new())).collect();
    let entity = |d: &Diagnostic| {
        d.fingerprint
            .as_deref()
            .and_then(kojo_compiler::rules::fingerprint_entity)
            .map_or_else(|| position(d).map_or_else(String::new, |p| outcome.paths.display(&p.file)), String::from)
    };
    for d in checked.diagnostics.iter().filter(|d| d.code == Code::Finding) {
        by_rule.entry(d.id().to_string()).or_default().entry(entity(d)).or_default().kept.push(d);
    }
    for w in super::waived(checked, &waivers) {
        let slot = by_rule.entry(w.diagnostic.id().to_string()).or_default().entry(entity(w.diagnostic)).or_default();
        slot.waived.push((w.diagnostic, w.waiver));
    }
    let unlisted = &checked.dropped.findings;
    by_rule
        .into_iter()
        .map(|(rule, entities)| {
            let mut cases: Vec<Case> = entities
                .into_iter()
                .map(|(name, e)| Case { classname: rule.clone(), name, verdict: verdict(outcome, &e) })
                .collect();
            // Past the cap a rule's findings have no case of their own: one
            // case counts them, failing when a new one would fail the check.
            if let Some(n) = unlisted.get(&rule) {
                let name = format!("{n} more findings not listed");
                let failing = outcome.unshown.by_rule.get(&rule).filter(|(severity, _)| *severity >= outcome.fail_on);
                let verdict = match failing {
                    Some((_, new)) => Verdict::Failure {
                        kind: "finding".into(),
                        message: format!("{new} of them fail the check"),
                        text: super::dropped::lines(&checked.dropped),
                    },
                    None => Verdict::Pass(vec![]),
                };
                cases.push(Case { classname: rule.clone(), name, verdict });
            }
            if cases.is_empty() {
                cases.push(Case {
                    classname: rule.clone(),
                    name: "no findings".into(),
                    verdict: Verdict::Pass(vec![]),
                });
            }
            (rule, cases)
        })
        .collect()
}

/// Fails if any finding fails the check; else skipped if the baseline
/// knows one that would, or a waiver hides them all; else passes.
fn verdict(outcome: &Outcome<'_>, e: &Entity<'_>) -> Verdict {
    let failing: Vec<&Diagnostic> = e.kept.iter().copied().filter(|d| outcome.fails(d)).collect();
    if let Some(first) = failing.first() {
        let message = match failing.len() {
            1 => first.message.clone(),
            n => format!("{n} findings: {}", first.message),
        };
        let text = failing.iter().map(|d| describe(outcome, d)).collect::<Vec<_>>().join("\n");
        return Verdict::Failure { kind: first.severity.as_str().to_string(), message, text };
    }
    let known = e.kept.iter().any(|d| d.severity >= outcome.fail_on && outcome.known(d));
    if let (true, Some(baseline)) = (known, outcome.baseline) {
        return Verdict::Skipped(format!("in the baseline {}", baseline.revision));
    }
    if e.kept.is_empty() {
        if let Some((_, waiver)) = e.waived.first() {
            return Verdict::Skipped(match waiver {
                Some(w) => format!("waived until {}: {}", w.until, w.reason),
                None => "waived".to_string(),
            });
        }
    }
    let mut lines: Vec<String> = e.kept.iter().map(|d| describe(outcome, d)).collect();
    lines.extend(e.waived.iter().map(|(d, _)| format!("waived: {}", describe(outcome, d))));
    Verdict::Pass(lines)
}

/// Text content: `&`, `<`, `>` as entities; characters XML 1.0 cannot
/// hold at all (most control characters) as `\xNN`.
pub fn text(s: &str) -> String {
    escape(s, false)
}

/// An attribute value: as [`text`], plus quotes, and tabs and line breaks
/// as character references so that they survive attribute normalisation.
pub fn attr(s: &str) -> String {
    escape(s, true)
}

fn escape(s: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\'' if attribute => out.push_str("&apos;"),
            '\t' | '\n' | '\r' if attribute => {
                let _ = write!(out, "&#{};", u32::from(c));
            }
            '\t' | '\n' => out.push(c),
            // A bare CR would be read as a line break.
            '\r' => out.push_str("&#13;"),
            // C0 is not XML; C1 is XML but reaches terminals as CSI/OSC.
            '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}' => {
                let _ = write!(out, "\\x{:02X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture::Fixture;

    /// The `<testcase …>` element of a case, up to its end.
    fn case<'a>(xml: &'a str, classname: &str, name: &str) -> &'a str {
        let start = xml.find(&format!("<testcase classname=\"{classname}\" name=\"{name}\"")).unwrap();
        let rest = &xml[start..];
        let end = rest.find("/>\n").map(|i| i + 2).min(rest.find("</testcase>").map(|i| i + 11)).unwrap();
        &rest[..end]
    }

    #[test]
    fn cases_fail_pass_or_skip_as_the_check_does() {
        let fixture = Fixture::new();
        let xml = render(&fixture.outcome(None));
        assert!(case(&xml, "DEV-FILE-ACCESS", "asset:jump").contains("<failure type=\"error\""));
        assert!(case(&xml, "REMOTE-ACCESS-CONTROLS", "conduit:internet_to_maint")
            .contains("<skipped message=\"waived until 2099-12-31: vendor &lt;jump&gt;"));
        assert!(case(&xml, "WAIVER-UNUSED", "plant").contains("<system-out>"), "a warning below --fail-on passes");
        assert_eq!(
            case(&xml, "ANY-ENDPOINT", "no findings"),
            "<testcase classname=\"ANY-ENDPOINT\" name=\"no findings\"/>"
        );
        assert!(xml.contains("<testsuites name=\"kojo\" tests=\"") && xml.contains("failures=\"1\" errors=\"0\">"));
    }

    #[test]
    fn findings_the_baseline_knows_are_skipped() {
        let fixture = Fixture::new();
        let baseline = fixture.baseline();
        let xml = render(&fixture.outcome(Some(&baseline)));
        assert!(case(&xml, "DEV-FILE-ACCESS", "asset:jump").contains("<skipped message=\"in the baseline main\"/>"));
        assert!(xml.contains("failures=\"0\" errors=\"0\">"), "{xml}");
    }

    #[test]
    fn xml_is_escaped() {
        assert_eq!(attr("a<b & \"c\" 'd'\n\te\r"), "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&#10;&#9;e&#13;");
        assert_eq!(text("a<b & \"c\"\n\u{1}\u{1b}\u{ffff}]]>"), "a&lt;b &amp; \"c\"\n\\x01\\x1B\\xFFFF]]&gt;");
    }
}
