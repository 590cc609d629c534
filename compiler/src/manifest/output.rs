//! The manifest's `output`: where `kojo build` writes, which must be a
//! directory of its own inside the project. Checked with the manifest, so
//! that `kojo check` (the CI gate) refuses what `kojo build` would; what is
//! on disk along the path (links, files) is `kojo build`'s to check.

use std::path::{Component, Path, PathBuf};

use kojo_lang::{Code, Diagnostic, SourceFile};

use super::Entry;

/// The output directory when the manifest names none.
pub const DEFAULT: &str = "build";

/// Why `value` cannot be the output directory, if it cannot.
fn refusal(value: &str) -> Option<&'static str> {
    let path = Path::new(value);
    let escapes = path.components().any(|c| !matches!(c, Component::Normal(_) | Component::CurDir));
    if value.is_empty() || escapes || path.components().all(|c| c == Component::CurDir) {
        return Some("must be a relative path without `..`");
    }
    // Replaced whole by every build: never git's own directory.
    if path.components().any(|c| c.as_os_str().eq_ignore_ascii_case(".git")) {
        return Some("`.git` is git's: kojo replaces the output directory whole");
    }
    None
}

/// KOJO-E0403 for an `output` that is not a directory of its own inside
/// the project.
pub(super) fn check(file: &SourceFile, entry: &Entry) -> Option<Diagnostic> {
    let why = refusal(&entry.value)?;
    Some(
        Diagnostic::error(
            Code::OutputPath,
            file,
            entry.span,
            format!("the output directory `{}` is not a directory inside the project", entry.value),
        )
        .with_label(why)
        .with_help("write a relative path below the project, e.g. `output \"build\"`"),
    )
}

/// The output directory relative to the project root, for a manifest that
/// passed [`check`] (else the default).
pub fn relative(output: Option<&Entry>) -> PathBuf {
    match output {
        Some(entry) if refusal(&entry.value).is_none() => PathBuf::from(&entry.value),
        _ => PathBuf::from(DEFAULT),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_directories_inside_the_project() {
        for ok in ["build", "./out/build", "gen/fw"] {
            assert_eq!(refusal(ok), None, "{ok}");
        }
        for bad in ["", ".", "./", "..", "../x", "/tmp/x", "a/../../b", ".git", "x/.GIT/y"] {
            assert!(refusal(bad).is_some(), "{bad}");
        }
    }
}
