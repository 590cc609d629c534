//! GitHub Actions workflow commands: one annotation per diagnostic
//! (`::error file=…,line=…,col=…::message`), which GitHub shows on the pull
//! request's changed lines and in the run's summary.
//!
//! Errors are `::error`, warnings `::warning`, infos `::notice`; a finding
//! the baseline knows is a `::notice` whatever its severity, since it does
//! not fail the check. Waived findings are not annotated. Paths are
//! relative to the repository's root, as GitHub needs them; a diagnostic
//! about no file in particular is placed at the project's `kojo.kdl`. Values are
//! escaped as GitHub's runner unescapes them: `%`, CR and LF in the
//! message; also `:` and `,` in properties; other control characters and
//! bidi overrides as in human output.

use std::fmt::Write;

use kojo_lang::{Diagnostic, Severity};

use super::{position, Outcome};

/// The workflow commands for `outcome`, then `summary` as a plain line.
pub fn render(outcome: &Outcome<'_>, summary: &str) -> String {
    let mut out = String::new();
    for d in &outcome.checked.diagnostics {
        out.push_str(&command(outcome, d));
        out.push('\n');
    }
    // Plain lines in the log, which is a terminal: escaped as people see them.
    out.push_str(&kojo_lang::inert::escape(&super::dropped::lines(&outcome.checked.dropped)));
    out.push_str(&kojo_lang::inert::escape(summary));
    out.push('\n');
    out
}

/// One diagnostic's annotation.
pub fn command(outcome: &Outcome<'_>, d: &Diagnostic) -> String {
    let name = match d.severity {
        _ if outcome.known(d) => "notice",
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    };
    let mut properties: Vec<String> = Vec::new();
    if let Some(p) = position(d) {
        let (Ok(file) | Err(file), span) = outcome.paths.place(&p.file, p.span);
        properties.push(format!("file={}", property(&file)));
        if let Some(((line, column), (end_line, end_column))) = span {
            // GitHub takes columns only for an annotation on one line.
            let one_line = line == end_line;
            properties.push(format!("line={line}"));
            properties.extend(one_line.then(|| format!("col={column}")));
            properties.push(format!("endLine={end_line}"));
            properties.extend(one_line.then(|| format!("endColumn={end_column}")));
        }
    }
    let mut title = d.id().to_string();
    if let (true, Some(baseline)) = (outcome.known(d), outcome.baseline) {
        let _ = write!(title, " (in the baseline {})", baseline.revision);
    }
    properties.push(format!("title={}", property(&title)));
    let mut message = d.message.clone();
    // Placed at the manifest: say where it really is.
    if let Some(place) = super::elsewhere(outcome, d) {
        message.push('\n');
        message.push_str(&place);
    }
    if let Some(help) = &d.help {
        let _ = write!(message, "\nhelp: {help}");
    }
    format!("::{name} {}::{}", properties.join(","), data(&message))
}

/// A command's message. Other control characters and bidi overrides are
/// escaped as in human output (`\u{1b}`): the runner's log is a terminal.
pub fn data(s: &str) -> String {
    let s = s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A");
    kojo_lang::inert::escape(&s).into_owned()
}

/// A property value.
pub fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture::Fixture;

    #[test]
    fn annotations_by_severity_and_baseline() {
        let fixture = Fixture::new();
        let out = render(&fixture.outcome(None), "summary");
        let lines: Vec<&str> = out.lines().collect();
        assert!(
            lines[0].starts_with(
                "::error file=plant.kojo,line=29,col=1,endLine=29,endColumn=32,title=DEV-FILE-ACCESS::asset `jump`"
            ),
            "{out}"
        );
        assert!(lines[1].starts_with("::warning file=waivers.kojo,line=11,"), "{out}");
        assert_eq!(lines.last(), Some(&"summary"));
        assert!(!out.contains("REMOTE-ACCESS-CONTROLS"), "waived findings are not annotated");
        let baseline = fixture.baseline();
        let out = render(&fixture.outcome(Some(&baseline)), "summary");
        assert!(out.starts_with("::notice file=plant.kojo,line=29,"), "{out}");
        assert!(out.contains("title=DEV-FILE-ACCESS (in the baseline main)::"), "{out}");
        assert!(out.lines().nth(1).unwrap().starts_with("::warning "), "{out}");
    }

    #[test]
    fn values_are_escaped_as_the_runner_unescapes_them() {
        assert_eq!(data("100% sure\r\nnext: a, b"), "100%25 sure%0D%0Anext: a, b");
        assert_eq!(property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
        assert_eq!(data("zone `a\u{1b}]0;x\u{7}\u{202e}`"), "zone `a\\u{1b}]0;x\\u{7}\\u{202e}`");
    }
}
