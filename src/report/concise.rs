//! `kojo check --format concise`: one line per diagnostic, as compilers
//! and linters print for terminals and editors (gcc, `ruff
//! --output-format concise`), which jump to `path:line:col`:
//!
//! ```text
//! plant.kojo:30:1: error[KOJO-F0001/DEV-UPS]: asset `plc1` at tier high lacks …
//! ```
//!
//! then the summary line.

use kojo_lang::Diagnostic;

use super::grouped::location;
use super::{Waived, WaiverInfo};

/// `KOJO-F0001/DEV-UPS` for a finding, `KOJO-E0504` otherwise.
fn code(d: &Diagnostic) -> String {
    match &d.rule {
        Some(rule) => format!("{}/{rule}", d.code.as_str()),
        None => d.code.as_str().to_string(),
    }
}

/// `at: ` when the diagnostic is somewhere.
fn prefix(d: &Diagnostic) -> String {
    let at = location(d);
    if at.is_empty() {
        at
    } else {
        format!("{at}: ")
    }
}

/// One diagnostic in one line.
pub fn line(d: &Diagnostic) -> String {
    format!("{}{}[{}]: {}", prefix(d), d.severity.as_str(), code(d), d.message.replace('\n', " "))
}

/// One waived finding in one line, a note naming its waiver.
pub fn waived_line(waived: &Waived<'_>) -> String {
    let d = waived.diagnostic;
    let by = waived.waiver.map_or_else(|| "waived".to_string(), waiver_at);
    format!("{}note[{}]: {by}: {}", prefix(d), code(d), d.message.replace('\n', " "))
}

/// `waived by plant.kojo:164:1 until 2027-03-31`.
fn waiver_at(info: &WaiverInfo) -> String {
    format!("waived by {}:{}:{} until {}", info.file, info.start.0, info.start.1, info.until)
}

/// The diagnostics, the waived findings if asked for, then `summary`.
pub fn render(diagnostics: &[&Diagnostic], waived: &[Waived<'_>], summary: &str) -> String {
    let mut out = String::new();
    for d in diagnostics {
        out.push_str(&line(d));
        out.push('\n');
    }
    for w in waived {
        out.push_str(&waived_line(w));
        out.push('\n');
    }
    out.push_str(summary);
    out.push('\n');
    out
}
