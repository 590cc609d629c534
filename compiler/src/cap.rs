//! Caps on how many diagnostics a check keeps, so that a hostile or
//! generated file cannot make kojo collect, and print, millions of them.
//!
//! Past the caps a diagnostic is only counted ([`Dropped`]): summaries and
//! exit codes still see every one. Findings are never dropped, since each
//! decides the exit code against a baseline and a waiver; past
//! [`FINDINGS_PER_RUN`] they are made no diagnostic ([`Unshown`]), which
//! is what costs memory and output.

use std::collections::BTreeMap;

use kojo_lang::{Code, Diagnostic, Severity};

use crate::model::Model;
use crate::rules::Finding;

/// Diagnostics kept per file: a hundred, and one more so that a file the
/// parser gave up on shows its [`MAX_SYNTAX_ERRORS`] errors and the note
/// saying parsing stopped. A reviewer fixes a file's first errors and
/// checks again; past a hundred the rest are almost always one mistake
/// repeated (a bad line pasted many times), and a hundred miette reports
/// are already several thousand lines of terminal.
///
/// [`MAX_SYNTAX_ERRORS`]: kojo_lang::parser::MAX_SYNTAX_ERRORS
pub const PER_FILE: usize = kojo_lang::parser::MAX_SYNTAX_ERRORS + 1;

/// Diagnostics kept per check, over all files: ten files' worth. Keeps the
/// output of any project under a few megabytes (JSON included) and its
/// memory bounded, however many files a pull request adds.
pub const PER_RUN: usize = 1_000;

/// Findings made into diagnostics per check: the first ten thousand in
/// the order shown, and as many waived ones. A plant that compiles has at
/// most one finding per rule and entity, but a generated or hostile plant
/// of half a million bare assets has millions; a diagnostic costs a few
/// kilobytes, so past this only the finding itself is kept
/// ([`Unshown`]): the summary, the exit code, the baseline and the
/// documents still see every one. Ten thousand is more than a reviewer
/// reads and under the 25,000 results a SARIF upload to GitHub accepts.
pub const FINDINGS_PER_RUN: usize = 10_000;

/// What the caps left out, counted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dropped {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// By file as diagnostics name it; `""` for those about no file.
    pub by_file: BTreeMap<String, usize>,
    /// The errors by code, so the exit code can tell a dropped unreadable
    /// file from a dropped compile error. Warnings are not here: a dropped
    /// warning (a link read twice) fails nothing, as a shown one does not.
    pub by_code: BTreeMap<Code, usize>,
    /// Findings past [`FINDINGS_PER_RUN`], waived ones included, by rule:
    /// not in [`Dropped::total`], which counts what fails as a compile or
    /// usage error; whether these fail depends on a baseline.
    pub findings: BTreeMap<String, usize>,
}

impl Dropped {
    /// How many diagnostics were left out.
    pub fn total(&self) -> usize {
        self.errors + self.warnings + self.infos
    }

    fn count(&mut self, d: &Diagnostic) {
        match d.severity {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
            Severity::Info => self.infos += 1,
        }
        *self.by_file.entry(d.path_display().unwrap_or_default()).or_default() += 1;
        if d.severity == Severity::Error {
            *self.by_code.entry(d.code).or_default() += 1;
        }
    }

    /// How many findings were made no diagnostic.
    pub fn findings(&self) -> usize {
        self.findings.values().sum()
    }

    /// Adds what another stage left out.
    pub fn merge(&mut self, other: Dropped) {
        self.errors += other.errors;
        self.warnings += other.warnings;
        self.infos += other.infos;
        for (file, n) in other.by_file {
            *self.by_file.entry(file).or_default() += n;
        }
        for (code, n) in other.by_code {
            *self.by_code.entry(code).or_default() += n;
        }
        for (rule, n) in other.findings {
            *self.findings.entry(rule).or_default() += n;
        }
    }
}

/// The findings past [`FINDINGS_PER_RUN`], as indices into
/// [`crate::waivers::Applied`]: [`crate::Checked::unshown_findings`] and
/// [`crate::Checked::unshown_waived`] give them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Unshown {
    /// Into `kept` followed by `problems`, ascending.
    pub findings: Vec<usize>,
    /// Into `waived`, ascending.
    pub waived: Vec<usize>,
}

/// The first `n` of `findings` in the order their diagnostics are shown
/// (file, position, rule, message), those `later` says no to before those
/// it says yes to (a check against a baseline lists new findings before
/// known ones); and the rest; both as ascending indices. Linear in the
/// findings: no key is made beyond a few references.
pub fn first_findings(
    model: &Model,
    findings: &[&Finding],
    n: usize,
    later: &dyn Fn(&Finding) -> bool,
) -> (Vec<usize>, Vec<usize>) {
    if findings.len() <= n {
        return ((0..findings.len()).collect(), Vec::new());
    }
    let path = |f: &Finding| model.file(f.loc.file).map_or("<unknown>", |file| file.name());
    let mut keys: Vec<(bool, &str, usize, &str, &str, usize)> = findings
        .iter()
        .enumerate()
        .map(|(i, f)| (later(f), path(f), f.loc.span.start, f.rule.as_str(), f.message.as_str(), i))
        .collect();
    keys.select_nth_unstable(n);
    let Some((first, after)) = keys.split_at_checked(n) else { return ((0..findings.len()).collect(), Vec::new()) };
    let mut shown: Vec<usize> = first.iter().map(|k| k.5).collect();
    let mut rest: Vec<usize> = after.iter().map(|k| k.5).collect();
    shown.sort_unstable();
    rest.sort_unstable();
    (shown, rest)
}

/// Keeps diagnostics up to the caps, in the order they come, and counts
/// the rest: a stage that reports through it never holds more than
/// [`PER_RUN`] of them.
#[derive(Debug, Default)]
pub struct Collector {
    kept: Vec<Diagnostic>,
    /// Kept diagnostics that count against the caps (not findings).
    capped: usize,
    per_file: BTreeMap<String, usize>,
    dropped: Dropped,
}

impl Collector {
    pub fn push(&mut self, d: Diagnostic) {
        if d.code == Code::Finding {
            self.kept.push(d);
            return;
        }
        let file = self.per_file.entry(d.path_display().unwrap_or_default()).or_default();
        if self.capped >= PER_RUN || *file >= PER_FILE {
            self.dropped.count(&d);
        } else {
            *file += 1;
            self.capped += 1;
            self.kept.push(d);
        }
    }

    /// Whether a diagnostic about `file` would be kept: when not, the work
    /// of making it (a suggestion) can be skipped.
    pub fn keeps(&self, file: &str) -> bool {
        self.capped < PER_RUN && self.per_file.get(file).is_none_or(|n| *n < PER_FILE)
    }

    /// Whether any error was reported, kept or not.
    pub fn has_errors(&self) -> bool {
        self.dropped.errors > 0 || self.kept.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn finish(self) -> (Vec<Diagnostic>, Dropped) {
        (self.kept, self.dropped)
    }
}

impl Extend<Diagnostic> for Collector {
    fn extend<I: IntoIterator<Item = Diagnostic>>(&mut self, iter: I) {
        for d in iter {
            self.push(d);
        }
    }
}

/// The first diagnostics of `diagnostics` (sorted as shown) within the
/// caps, and what was left out, added to `dropped`.
pub fn limit(diagnostics: Vec<Diagnostic>, dropped: &mut Dropped) -> Vec<Diagnostic> {
    let mut collector = Collector::default();
    collector.extend(diagnostics);
    let (kept, more) = collector.finish();
    dropped.merge(more);
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use kojo_lang::{SourceFile, Span};

    fn error(file: &str) -> Diagnostic {
        Diagnostic::error(Code::MissingProperty, &SourceFile::new(file, "asset a {}\n"), Span::new(6, 7), "m")
    }

    #[test]
    fn keeps_per_file_and_per_run_and_counts_the_rest() {
        let mut dropped = Dropped::default();
        let many: Vec<Diagnostic> =
            (0..30).flat_map(|i| std::iter::repeat_with(move || error(&format!("f{i:02}.kojo"))).take(150)).collect();
        let kept = limit(many, &mut dropped);
        assert_eq!(kept.len(), PER_RUN);
        assert_eq!(dropped.errors, 30 * 150 - PER_RUN);
        assert_eq!(dropped.by_file["f00.kojo"], 150 - PER_FILE, "past the per-file cap");
        assert_eq!(dropped.by_file["f29.kojo"], 150, "past the per-run cap");
        assert_eq!(dropped.by_code[&Code::MissingProperty], dropped.total());
    }

    #[test]
    fn findings_are_never_dropped() {
        let file = SourceFile::new("plant.kojo", "zone a {}\n");
        let mut dropped = Dropped::default();
        let findings = (0..PER_RUN + 5)
            .map(|_| Diagnostic::finding("ANY-ENDPOINT", Severity::Warning, &file, Span::new(0, 4), "m"));
        assert_eq!(limit(findings.collect(), &mut dropped).len(), PER_RUN + 5);
        assert_eq!(dropped.total(), 0);
    }

    #[test]
    fn an_error_past_the_cap_still_counts_and_a_full_file_is_not_kept() {
        let file = SourceFile::new("w.kojo", "asset a {}\n");
        let mut collector = Collector::default();
        for _ in 0..PER_FILE {
            collector.push(
                Diagnostic::error(Code::MissingProperty, &file, Span::new(6, 7), "w").with_severity(Severity::Warning),
            );
        }
        assert!(!collector.keeps("w.kojo"));
        assert!(collector.keeps("other.kojo"));
        assert!(!collector.has_errors());
        collector.push(error("w.kojo"));
        assert!(collector.has_errors(), "the dropped error still counts");
        let (kept, dropped) = collector.finish();
        assert_eq!((kept.len(), dropped.errors), (PER_FILE, 1));
    }
}
