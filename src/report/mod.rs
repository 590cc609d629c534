//! Showing diagnostics: miette's graphical report for people (grouped by
//! rule when there are many: `grouped`, `advice`), one line each for
//! terminals and editors (`concise`), JSON for machines, and the formats
//! CI systems read (one module each: SARIF, JUnit XML, GitHub workflow
//! commands, GitLab Code Quality).
//!
//! Every format renders an [`Outcome`]: what the check found, where files
//! are relative to the repository ([`Paths`]), and an optional
//! [`Baseline`] whose findings are reported as known rather than failing.

pub mod advice;
pub mod baseline;
pub mod concise;
pub mod dropped;
#[cfg(test)]
pub(crate) mod fixture;
pub mod github;
pub mod gitlab;
pub mod grouped;
pub mod junit;
pub mod paths;
pub mod rules;
pub mod sarif;
pub mod unshown;
pub mod waivers;

use std::collections::BTreeMap;

use kojo_compiler::Checked;
use kojo_lang::{Diagnostic, Label, Severity, SourceFile};
use serde_json::{json, Value};

pub use baseline::Baseline;
pub use paths::Paths;

/// What a check found, ready to render.
#[derive(Debug, Clone, Copy)]
pub struct Outcome<'a> {
    pub checked: &'a Checked,
    pub paths: &'a Paths,
    pub baseline: Option<&'a Baseline>,
    /// The lowest severity of finding that fails the check.
    pub fail_on: Severity,
    /// The findings past the cap, which no format lists but all count.
    pub unshown: &'a unshown::Unshown,
}

/// The waiver that hides a finding, as reports cite it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaiverInfo {
    pub reason: String,
    /// `YYYY-MM-DD`.
    pub until: String,
    pub compensating: Vec<String>,
    /// The file the waiver is written in, as diagnostics name files, and
    /// where its first line (`waive RULE on …`) starts and ends.
    pub file: String,
    pub start: (usize, usize),
    pub end: (usize, usize),
}

/// A finding a waiver hides, with its waiver when the model is there to
/// say which (a project that does not compile has none).
#[derive(Debug, Clone, Copy)]
pub struct Waived<'a> {
    pub diagnostic: &'a Diagnostic,
    pub waiver: Option<&'a WaiverInfo>,
}

/// Where a diagnostic points: its file (as named) and, in a source file,
/// the 1-based line and column of the primary span's start and end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    pub file: String,
    pub span: Option<((usize, usize), (usize, usize))>,
}

impl<'a> Outcome<'a> {
    /// Whether the baseline has this finding.
    pub fn known(&self, d: &Diagnostic) -> bool {
        baseline::known(self.baseline, d)
    }

    /// Whether this diagnostic fails the check by itself.
    pub fn fails(&self, d: &Diagnostic) -> bool {
        crate::exit::fails(d, self.fail_on, self.baseline)
    }

    /// The waivers of the waived findings, by fingerprint.
    pub fn waivers(&self) -> BTreeMap<String, WaiverInfo> {
        let Some(model) = &self.checked.model else { return BTreeMap::new() };
        let applied = &self.checked.findings;
        let unshown = &self.checked.unshown.waived;
        let mut out = BTreeMap::new();
        let shown = applied.waived.iter().zip(&applied.waived_by).enumerate();
        for (_, (finding, index)) in shown.filter(|(i, _)| unshown.binary_search(i).is_err()) {
            let (Some(waiver), Some(file)) =
                (model.waivers.get(*index), model.waivers.get(*index).and_then(|w| model.file(w.loc.file)))
            else {
                continue;
            };
            out.insert(
                finding.fingerprint(model),
                WaiverInfo {
                    reason: waiver.reason.clone(),
                    until: waiver.until.to_string(),
                    compensating: waiver.compensating.clone(),
                    file: file.name().to_string(),
                    start: file.line_col(waiver.loc.span.start),
                    end: file.line_col(header_end(file, waiver.loc.span)),
                },
            );
        }
        out
    }
}

/// Where a declaration's first line ends, without a trailing `{`.
fn header_end(file: &SourceFile, span: kojo_lang::Span) -> usize {
    let text = file.text().get(span.range()).unwrap_or_default();
    let line = text.split('\n').next().unwrap_or_default();
    span.start + line.trim_end().trim_end_matches('{').trim_end().len()
}

/// The waived findings with their waivers (from [`Outcome::waivers`]).
pub fn waived<'a>(checked: &'a Checked, waivers: &'a BTreeMap<String, WaiverInfo>) -> Vec<Waived<'a>> {
    checked
        .waived
        .iter()
        .map(|d| Waived { diagnostic: d, waiver: d.fingerprint.as_ref().and_then(|f| waivers.get(f)) })
        .collect()
}

/// For a diagnostic CI formats must place at the manifest although it has
/// a position in a file (a file whose name holds control characters is no
/// file of the repository under the escaped name kojo shows), where it
/// really is, to say in the message: ``in `NAME`, line L, column C``.
pub fn elsewhere(outcome: &Outcome<'_>, d: &Diagnostic) -> Option<String> {
    let p = position(d)?;
    let ((line, column), _) = p.span?;
    outcome.paths.file(&p.file).is_none().then(|| format!("in `{}`, line {line}, column {column}", p.file))
}

/// Where `d` points, if anywhere.
pub fn position(d: &Diagnostic) -> Option<Position> {
    let span = d.primary_span();
    match (d.file(), d.path_display()) {
        (Some(file), _) => Some(Position {
            file: file.name().to_string(),
            span: span.map(|s| (file.line_col(s.start), file.line_col(s.end))),
        }),
        (None, Some(path)) => Some(Position { file: path, span: None }),
        (None, None) => None,
    }
}

/// Renders one diagnostic as miette's graphical report.
pub fn render(diagnostic: &Diagnostic, color: bool) -> String {
    let theme = if color { miette::GraphicalTheme::unicode() } else { miette::GraphicalTheme::unicode_nocolor() };
    let handler = miette::GraphicalReportHandler::new_themed(theme).with_width(100).with_links(false);
    let mut out = String::new();
    if handler.render_report(&mut out, diagnostic).is_err() {
        out = format!("{}: {}\n", diagnostic.id(), diagnostic.message);
    }
    out
}

/// Renders every diagnostic, separated by blank lines.
pub fn render_all(diagnostics: &[Diagnostic], color: bool) -> String {
    diagnostics.iter().map(|d| render(d, color)).collect::<Vec<_>>().join("\n")
}

/// Counts by severity: (errors, warnings, infos).
pub fn counts(diagnostics: &[Diagnostic]) -> (usize, usize, usize) {
    let count = |s: Severity| diagnostics.iter().filter(|d| d.severity == s).count();
    (count(Severity::Error), count(Severity::Warning), count(Severity::Info))
}

fn line_col(file: &SourceFile, offset: usize) -> Value {
    let (line, column) = file.line_col(offset);
    json!({ "line": line, "column": column })
}

fn label_json(file: &SourceFile, label: &Label) -> Value {
    json!({
        "message": label.text,
        "primary": label.primary,
        "start": line_col(file, label.span.start),
        "end": line_col(file, label.span.end),
    })
}

/// One diagnostic as JSON (the shape is documented in docs/cli.md).
pub fn diagnostic_json(diagnostic: &Diagnostic) -> Value {
    let (start, labels) = match diagnostic.file() {
        Some(file) => (
            diagnostic.primary_span().map(|s| line_col(file, s.start)),
            diagnostic.labels.iter().map(|l| label_json(file, l)).collect::<Vec<_>>(),
        ),
        None => (None, Vec::new()),
    };
    json!({
        "code": diagnostic.id(),
        "severity": diagnostic.severity.as_str(),
        "message": diagnostic.message,
        "file": diagnostic.path_display(),
        "start": start,
        "labels": labels,
        "help": diagnostic.help,
        "fingerprint": diagnostic.fingerprint,
        "related": diagnostic.related.iter().map(diagnostic_json).collect::<Vec<_>>(),
    })
}

/// A waiver as JSON reports cite it: `{file, line, reason, until, compensating}`.
pub fn waiver_json(info: &WaiverInfo) -> Value {
    json!({
        "file": info.file,
        "line": info.start.0,
        "reason": info.reason,
        "until": info.until,
        "compensating": info.compensating,
    })
}
