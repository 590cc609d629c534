//! Exit codes, the contract with CI pipelines.

use std::process::ExitCode;

use kojo_lang::{Code, Diagnostic, Severity};

use crate::report::Baseline;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Exit {
    /// Nothing at or above the failing severity.
    Clean = 0,
    /// Policy findings at or above the failing severity.
    Findings = 1,
    /// Bad usage, a file or directory that could not be read, or output
    /// that could not all be written (a closed pipe).
    Usage = 2,
    /// The source does not compile (syntax, resolution or type errors).
    Compile = 3,
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        ExitCode::from(exit as u8)
    }
}

/// Problems with the environment rather than the source.
fn is_usage(code: Code) -> bool {
    matches!(code, Code::Io | Code::ManifestNotFound | Code::OutputPath)
}

/// The exit code for a set of diagnostics.
pub fn for_diagnostics(diagnostics: &[Diagnostic], fail_on: Severity) -> Exit {
    for_check(diagnostics, fail_on, None)
}

/// The exit code for a set of diagnostics, the findings a baseline knows
/// not failing: a check with only those exits 0. Compile and usage errors
/// fail whatever the baseline.
pub fn for_check(diagnostics: &[Diagnostic], fail_on: Severity, baseline: Option<&Baseline>) -> Exit {
    // A warning about the environment (a link kojo did not follow) is
    // reported, not failed on: what it skipped was never part of the plant.
    if diagnostics.iter().any(|d| is_usage(d.code) && d.severity == Severity::Error) {
        Exit::Usage
    } else if diagnostics.iter().any(|d| d.code != Code::Finding && d.severity == Severity::Error) {
        Exit::Compile
    } else if diagnostics.iter().any(|d| fails(d, fail_on, baseline)) {
        Exit::Findings
    } else {
        Exit::Clean
    }
}

/// The exit code the diagnostics left out by the caps call for: they are
/// never findings, so only an unreadable file or a compile error fails.
pub fn for_dropped(dropped: &kojo_compiler::cap::Dropped) -> Exit {
    if dropped.by_code.keys().any(|c| is_usage(*c)) {
        Exit::Usage
    } else if dropped.errors > 0 {
        Exit::Compile
    } else {
        Exit::Clean
    }
}

/// Whether one diagnostic fails the check: an error that is not a finding,
/// a finding the build would refuse (baseline or not: the check must not
/// pass what the build fails), or a finding at or above `fail_on` that the
/// baseline does not know.
pub fn fails(d: &Diagnostic, fail_on: Severity, baseline: Option<&Baseline>) -> bool {
    if d.rule.as_deref().is_some_and(|r| kojo_compiler::rules::BUILD_REFUSES.contains(&r)) {
        return true;
    }
    if d.code == Code::Finding {
        d.severity >= fail_on && !crate::report::baseline::known(baseline, d)
    } else {
        d.severity == Severity::Error
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kojo_lang::{SourceFile, Span};

    fn finding(severity: Severity, fingerprint: &str) -> Diagnostic {
        let file = SourceFile::new("plant.kojo", "zone a {}\n");
        let mut d = Diagnostic::finding("ANY-ENDPOINT", severity, &file, Span::new(0, 4), "m");
        d.fingerprint = Some(fingerprint.to_string());
        d
    }

    #[test]
    fn findings_the_baseline_knows_do_not_fail() {
        let baseline = Baseline { revision: "main".into(), fingerprints: ["old".to_string()].into() };
        let old = finding(Severity::Error, "old");
        let new = finding(Severity::Error, "new");
        assert_eq!(for_check(std::slice::from_ref(&old), Severity::Error, None), Exit::Findings);
        assert_eq!(for_check(std::slice::from_ref(&old), Severity::Error, Some(&baseline)), Exit::Clean);
        assert_eq!(for_check(&[old.clone(), new], Severity::Error, Some(&baseline)), Exit::Findings);
        let file = SourceFile::new("plant.kojo", "zone a {}\n");
        let compile = Diagnostic::error(Code::UnknownName, &file, Span::new(0, 4), "unknown");
        assert_eq!(for_check(&[old, compile], Severity::Error, Some(&baseline)), Exit::Compile);
        let warning = finding(Severity::Warning, "new");
        assert_eq!(for_check(std::slice::from_ref(&warning), Severity::Error, Some(&baseline)), Exit::Clean);
        assert_eq!(for_check(&[warning], Severity::Warning, Some(&baseline)), Exit::Findings);
    }

    #[test]
    fn dropped_compile_errors_and_unreadable_files_still_fail() {
        use kojo_compiler::cap::Dropped;
        assert_eq!(for_dropped(&Dropped::default()), Exit::Clean);
        let warnings = Dropped { warnings: 3, ..Dropped::default() };
        assert_eq!(for_dropped(&warnings), Exit::Clean);
        let errors = Dropped { errors: 1, ..Dropped::default() };
        assert_eq!(for_dropped(&errors), Exit::Compile);
        let mut unreadable = errors.clone();
        unreadable.by_code.insert(Code::Io, 1);
        assert_eq!(for_dropped(&unreadable), Exit::Usage);
        // What counts them: an I/O warning left out (a link read twice) fails nothing.
        let mut counted = kojo_compiler::cap::Collector::default();
        for _ in 0..kojo_compiler::cap::PER_RUN + 5 {
            counted.push(Diagnostic::at_path(Code::Io, "d/l", "already read").with_severity(Severity::Warning));
        }
        assert_eq!(for_dropped(&counted.finish().1), Exit::Clean);
    }
}
