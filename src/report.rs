//! Showing diagnostics: miette's graphical report for people, JSON for machines.

use kojo_lang::{Diagnostic, Label, Severity, SourceFile};
use serde_json::{json, Value};

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

fn position(file: &SourceFile, offset: usize) -> Value {
    let (line, column) = file.line_col(offset);
    json!({ "line": line, "column": column })
}

fn label_json(file: &SourceFile, label: &Label) -> Value {
    json!({
        "message": label.text,
        "primary": label.primary,
        "start": position(file, label.span.start),
        "end": position(file, label.span.end),
    })
}

/// One diagnostic as JSON (the shape is documented in docs/cli.md).
pub fn diagnostic_json(diagnostic: &Diagnostic) -> Value {
    let (start, labels) = match diagnostic.file() {
        Some(file) => (
            diagnostic.primary_span().map(|s| position(file, s.start)),
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
        "related": diagnostic.related.iter().map(diagnostic_json).collect::<Vec<_>>(),
    })
}
