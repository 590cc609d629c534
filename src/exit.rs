//! Exit codes, the contract with CI pipelines.

use std::process::ExitCode;

use kojo_lang::{Code, Diagnostic, Severity};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Exit {
    /// Nothing at or above the failing severity.
    Clean = 0,
    /// Policy findings at or above the failing severity.
    Findings = 1,
    /// Bad usage, or a file or directory that could not be read.
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
    if diagnostics.iter().any(|d| is_usage(d.code)) {
        Exit::Usage
    } else if diagnostics.iter().any(|d| d.code != Code::Finding && d.severity == Severity::Error) {
        Exit::Compile
    } else if diagnostics.iter().any(|d| d.code == Code::Finding && d.severity >= fail_on) {
        Exit::Findings
    } else {
        Exit::Clean
    }
}
