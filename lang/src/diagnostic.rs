//! Diagnostics: errors and warnings as values, rendered by miette.
//!
//! Every stage returns `Diagnostic`s instead of printing; the CLI decides how
//! to show them (graphical, JSON). A diagnostic carries its own source file so
//! it renders without a side table.

use std::fmt;
use std::path::PathBuf;

use miette::{LabeledSpan, SourceCode};

use crate::code::Code;
use crate::source::SourceFile;
use crate::span::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A label on a span of the diagnostic's file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub text: String,
    /// The label that says where the problem is (others give context).
    pub primary: bool,
}

/// Where a diagnostic points.
#[derive(Debug, Clone)]
pub enum Location {
    /// Spans in a loaded source file.
    Source(SourceFile),
    /// A path with no source to show (a file that could not be read, a
    /// project without a manifest).
    Path(PathBuf),
}

/// One problem found in the input.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// The kind of problem; [`Code::Finding`] for guideline findings.
    pub code: Code,
    /// For a finding, the ID of the profile rule it breaks (`NW-TRAFFIC-IDS`).
    pub rule: Option<String>,
    pub severity: Severity,
    pub message: String,
    pub location: Location,
    pub labels: Vec<Label>,
    pub help: Option<String>,
    /// Notes pointing elsewhere, possibly into other files ("first declared here").
    pub related: Vec<Diagnostic>,
    /// For a finding, what identifies it across revisions: its rule, the
    /// entity at fault and what it says, never where it is written. A
    /// baseline and CI systems match findings by it.
    pub fingerprint: Option<String>,
}

impl Diagnostic {
    /// An error about a span of `file`.
    pub fn error(code: Code, file: &SourceFile, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: Severity::Error,
            message: message.into(),
            rule: None,
            location: Location::Source(file.clone()),
            labels: vec![Label { span, text: String::new(), primary: true }],
            help: None,
            related: Vec::new(),
            fingerprint: None,
        }
    }

    /// An error about a path with no source to show (I/O, missing files).
    pub fn at_path(code: Code, path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: Severity::Error,
            message: message.into(),
            rule: None,
            location: Location::Path(path.into()),
            labels: Vec::new(),
            help: None,
            related: Vec::new(),
            fingerprint: None,
        }
    }

    /// A finding: `rule` (from the profile) is broken at a span of `file`.
    pub fn finding(
        rule: impl Into<String>,
        severity: Severity,
        file: &SourceFile,
        span: Span,
        message: impl Into<String>,
    ) -> Self {
        let mut diagnostic = Diagnostic::error(Code::Finding, file, span, message);
        diagnostic.rule = Some(rule.into());
        diagnostic.severity = severity;
        diagnostic
    }

    /// What users see and `kojo explain` takes: the rule ID of a finding,
    /// otherwise the code.
    pub fn id(&self) -> &str {
        self.rule.as_deref().unwrap_or(self.code.as_str())
    }

    /// Sets the text of the primary label.
    pub fn with_label(mut self, text: impl Into<String>) -> Self {
        if let Some(label) = self.labels.iter_mut().find(|l| l.primary) {
            label.text = text.into();
        }
        self
    }

    /// Adds a secondary label in the same file.
    pub fn with_secondary(mut self, span: Span, text: impl Into<String>) -> Self {
        self.labels.push(Label { span, text: text.into(), primary: false });
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    pub fn with_related(mut self, related: Diagnostic) -> Self {
        self.related.push(related);
        self
    }

    /// The source file, if the diagnostic points into one.
    pub fn file(&self) -> Option<&SourceFile> {
        match &self.location {
            Location::Source(file) => Some(file),
            _ => None,
        }
    }

    /// The file name or path shown to users, if any.
    pub fn path_display(&self) -> Option<String> {
        match &self.location {
            Location::Source(file) => Some(file.name().to_string()),
            Location::Path(path) => Some(path.display().to_string()),
        }
    }

    /// The primary span, if any.
    pub fn primary_span(&self) -> Option<Span> {
        self.labels.iter().find(|l| l.primary).or_else(|| self.labels.first()).map(|l| l.span)
    }

    /// A key that orders diagnostics by file, then position, then code.
    pub fn sort_key(&self) -> (String, usize, String, String) {
        (
            self.path_display().unwrap_or_default(),
            self.primary_span().map_or(0, |s| s.start),
            self.id().to_string(),
            self.message.clone(),
        )
    }
}

/// Sorts diagnostics by file and position, as they are shown.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by_cached_key(Diagnostic::sort_key);
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Shown to people: a message quoting the source is made inert.
        f.write_str(&crate::inert::escape(&self.message))
    }
}

impl std::error::Error for Diagnostic {}

impl Diagnostic {
    /// The source file, when its snippet can be shown: one with a line
    /// longer than [`crate::source::MAX_SHOWN_LINE`] is not.
    fn shown_file(&self) -> Option<&SourceFile> {
        let file = self.file()?;
        self.labels.iter().all(|l| file.shows(l.span)).then_some(file)
    }

    /// Where the diagnostic points, said in words when its snippet is not
    /// shown because a line is too long.
    fn unshown_position(&self) -> Option<String> {
        let (file, span) = (self.file()?, self.primary_span()?);
        if self.shown_file().is_some() {
            return None;
        }
        let (line, column) = file.line_col(span.start);
        Some(format!(
            "at {}:{line}:{column} (a line there is longer than {} bytes, so it is not shown)",
            crate::inert::escape(file.name()),
            crate::source::MAX_SHOWN_LINE
        ))
    }
}

impl miette::Diagnostic for Diagnostic {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.id()))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Info => miette::Severity::Advice,
            Severity::Warning => miette::Severity::Warning,
            Severity::Error => miette::Severity::Error,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        // Notes attached to another diagnostic need no pointer of their own.
        if self.severity == Severity::Info && self.help.is_none() {
            return None;
        }
        let mut lines: Vec<String> = self.unshown_position().into_iter().collect();
        lines.extend(self.help.as_deref().map(|h| crate::inert::escape(h).into_owned()));
        lines.push(format!("`kojo explain {}` says more", self.id()));
        Some(Box::new(lines.join("\n")))
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.shown_file().map(|file| file as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let file = self.shown_file()?;
        Some(Box::new(self.labels.iter().map(move |l| {
            let text = (!l.text.is_empty()).then(|| crate::inert::escape(&l.text).into_owned());
            // The snippet shows the escaped text, so the span moves with it.
            let (start, end) = (file.shown_offset(l.span.start), file.shown_offset(l.span.end));
            let span = miette::SourceSpan::new(start.into(), end - start);
            if l.primary {
                LabeledSpan::new_primary_with_span(text, span)
            } else {
                LabeledSpan::new_with_span(text, span)
            }
        })))
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(self.related.iter().map(|d| d as &dyn miette::Diagnostic)))
    }

    fn url<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        None
    }
}
