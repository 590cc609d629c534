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
    let mut out = findings_line(dropped);
    if dropped.total() == 0 {
        return out;
    }
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

/// `N more findings not listed …`, naming the rules with most; nothing
/// when every finding was listed.
fn findings_line(dropped: &Dropped) -> String {
    let n = dropped.findings();
    if n == 0 {
        return String::new();
    }
    let mut rules: Vec<(&String, &usize)> = dropped.findings.iter().collect();
    rules.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
    let mut named: Vec<String> = rules.iter().take(FILES_NAMED).map(|(rule, n)| format!("{rule} {n}")).collect();
    match rules.len().saturating_sub(FILES_NAMED) {
        0 => {}
        1 => named.push("1 other rule".to_string()),
        more => named.push(format!("{more} other rules")),
    }
    format!(
        "{n} more {} not listed ({}): kojo lists the first {} findings of a check, new ones first against a baseline, and counts the others\n",
        if n == 1 { "finding" } else { "findings" },
        named.join(", "),
        cap::FINDINGS_PER_RUN
    )
}

/// The JSON reports' `dropped` object: counts by severity and by file,
/// and the findings not listed by rule.
pub fn json(dropped: &Dropped) -> Value {
    json!({
        "total": dropped.total(),
        "errors": dropped.errors,
        "warnings": dropped.warnings,
        "infos": dropped.infos,
        "files": dropped.by_file,
        "per_file": cap::PER_FILE,
        "per_run": cap::PER_RUN,
        "findings": dropped.findings(),
        "findings_by_rule": dropped.findings,
        "findings_per_run": cap::FINDINGS_PER_RUN,
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

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

    #[test]
    fn findings_not_listed_are_counted_by_rule() {
        let findings = BTreeMap::from([("DEV-UPS".to_string(), 3), ("NW-IDS".to_string(), 40)]);
        let text = lines(&Dropped { findings, ..Dropped::default() });
        assert!(text.starts_with("43 more findings not listed (NW-IDS 40, DEV-UPS 3): kojo lists the first"), "{text}");
        assert_eq!(text.lines().count(), 1, "no diagnostic was dropped: {text}");
    }
}
