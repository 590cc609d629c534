//! The formatter: the canonical layout of a `.kojo` file, keeping comments.
// (being written)

use crate::diagnostic::Diagnostic;
use crate::source::SourceFile;

/// Formats a source file. Files with syntax errors are not formatted: their
/// diagnostics are returned instead.
pub fn format_source(source: &SourceFile) -> Result<String, Vec<Diagnostic>> {
    let parsed = crate::parse(source);
    if !parsed.diagnostics.is_empty() {
        return Err(parsed.diagnostics);
    }
    Ok(source.text().to_string())
}
