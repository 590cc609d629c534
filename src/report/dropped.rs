//! The lines that say what the diagnostic caps left out
//! ([`kojo_compiler::cap`]): one per file, the files past
//! [`FILES_NAMED`] in one more.

use kojo_compiler::cap::{self, Dropped};
use serde_json::{json, Value};

/// Files named one a line; a check of a million broken files names the
/// first few and counts the rest, so this text is bounded too.
pub const FILES_NAMED: usize = 10;

/// `N more diagnostics in `FILE` not shown`, a line per file, then why;
/// nothing when nothing was left out.
pub fn lines(dropped: &Dropped) -> String {
    if dropped.total() == 0 {
        return String::new();
    }
    let mut out = String::new();
    for (file, n) in dropped.by_file.iter().take(FILES_NAMED) {
        let what = if *n == 1 { "diagnostic" } else { "diagnostics" };
        match file.as_str() {
            "" => out.push_str(&format!("{n} more {what} not shown\n")),
            file => out.push_str(&format!("{n} more {what} in `{file}` not shown\n")),
        }
    }
    let rest: Vec<usize> = dropped.by_file.values().skip(FILES_NAMED).copied().collect();
    if !rest.is_empty() {
        let n: usize = rest.iter().sum();
        out.push_str(&format!("{n} more not shown in {} other files\n", rest.len()));
    }
    out.push_str(&format!(
        "{} more not shown in all: kojo shows the first {} diagnostics of a file and {} of a check; fix these and check again\n",
        dropped.total(),
        cap::PER_FILE,
        cap::PER_RUN
    ));
    out
}

/// The JSON reports' `dropped` object: counts by severity and by file.
pub fn json(dropped: &Dropped) -> Value {
    json!({
        "total": dropped.total(),
        "errors": dropped.errors,
        "warnings": dropped.warnings,
        "infos": dropped.infos,
        "files": dropped.by_file,
        "per_file": cap::PER_FILE,
        "per_run": cap::PER_RUN,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_first_files_and_counts_the_rest() {
        let mut dropped = Dropped { errors: 30, ..Dropped::default() };
        for i in 0..12 {
            dropped.by_file.insert(format!("f{i:02}.kojo"), if i < 10 { 2 } else { 5 });
        }
        let text = lines(&dropped);
        assert!(text.starts_with("2 more diagnostics in `f00.kojo` not shown\n"), "{text}");
        assert!(text.contains("10 more not shown in 2 other files\n"), "{text}");
        assert!(text.ends_with("fix these and check again\n"), "{text}");
        assert_eq!(lines(&Dropped::default()), "");
    }
}
