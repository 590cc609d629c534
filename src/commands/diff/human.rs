//! The diff for a terminal: a summary line, then each change with its
//! risk, why, and where.

use kojo_compiler::diff::{self, Change, ChangeKind, Diff, Listed};

use super::Frame;

/// `conduit `x`: flow added: `a -> b service https``: one change in words.
pub fn describe(change: &Change) -> String {
    let (kind, name) = change.entity.split_once(':').unwrap_or((change.entity.as_str(), ""));
    let entity = if name.is_empty() { kind.to_string() } else { format!("{kind} `{name}`") };
    // A backquote in a value would end its code span early.
    let quoted =
        |v: &Option<String>| v.as_deref().map(|v| format!("`{}`", plain(&v.replace('`', "'")))).unwrap_or_default();
    let what = match (change.kind, &change.facet) {
        (ChangeKind::Renamed, _) => format!("renamed from {}", quoted(&change.before)),
        (ChangeKind::Added, None) if kind == "path" => format!("opened: {}", quoted(&change.after)),
        (ChangeKind::Added, None) => "added".to_string(),
        (ChangeKind::Removed, None) => "removed".to_string(),
        (ChangeKind::Added, Some(facet)) => format!("{facet} added: {}", quoted(&change.after)),
        (ChangeKind::Removed, Some(facet)) => format!("{facet} removed: {}", quoted(&change.before)),
        (ChangeKind::Changed, Some(facet)) => {
            format!("{facet} {} → {}", quoted(&change.before), quoted(&change.after))
        }
        (ChangeKind::Changed, None) => "changed".to_string(),
    };
    format!("{entity}: {what}")
}

/// Text from the project, safe in a terminal and a CI log: control
/// characters (a line break that would start a `::error` workflow command,
/// an escape sequence) are shown escaped.
pub fn plain(text: &str) -> String {
    text.chars().flat_map(|c| if c.is_control() { c.escape_default().collect::<Vec<_>>() } else { vec![c] }).collect()
}

/// `3 changes (1 high, 1 medium, 1 low), 1 finding introduced, 2 fixed`.
pub fn summary(diff: &Diff) -> String {
    let [low, medium, high] = diff.counts();
    let plural = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let changes = low + medium + high;
    if changes == 0 && diff.introduced.total == 0 && diff.fixed.total == 0 && diff.waived.total == 0 {
        return "no semantic change".to_string();
    }
    let waived = match diff.waived.total {
        0 => String::new(),
        n => format!(", {n} now waived"),
    };
    format!(
        "{} ({high} high, {medium} medium, {low} low), {} introduced, {} fixed{waived}",
        plural(changes, "change", "changes"),
        plural(diff.introduced.total, "finding", "findings"),
        diff.fixed.total
    )
}

/// `… and 12 more changes, not listed (a diff lists 10000 of each)`.
pub fn unlisted(n: usize, what: &str) -> Option<String> {
    (n > 0).then(|| format!("… and {n} more {what}, not listed (a diff lists {} of each)", diff::LISTED))
}

pub fn render(diff: &Diff, frame: &Frame<'_>) -> String {
    let mut out = format!(
        "kojo diff of `{}`: {} → {}\n{}\n",
        plain(&frame.project),
        plain(&frame.before.label),
        plain(&frame.after.label),
        match diff.risk() {
            Some(risk) => format!("highest risk: {}; {}", risk.id(), summary(diff)),
            None => summary(diff),
        }
    );
    for change in &diff.changes {
        out.push_str(&format!("\n{:6}  {}\n        {}\n", change.risk.id(), describe(change), plain(&change.reason)));
        if let Some(place) = &change.place {
            let side = if change.place_before { format!(" (in {})", frame.before.label) } else { String::new() };
            out.push_str(&format!("        at {}{side}\n", frame.at(place)));
        }
    }
    if let Some(line) = unlisted(diff.unlisted_changes(), "changes") {
        out.push_str(&format!("\n{line}\n"));
    }
    findings(&mut out, "findings introduced", &diff.introduced, frame);
    findings(&mut out, "findings fixed", &diff.fixed, frame);
    findings(&mut out, "findings now waived", &diff.waived, frame);
    out
}

fn findings(out: &mut String, title: &str, list: &Listed, frame: &Frame<'_>) {
    if list.total == 0 {
        return;
    }
    out.push_str(&format!("\n{title} ({}):\n", list.total));
    for f in &list.findings {
        let at = f.place.as_ref().map(|p| format!(" ({})", frame.at(p))).unwrap_or_default();
        out.push_str(&format!("  {:7} {} on {}: {}{at}\n", f.severity, f.rule, f.entity, plain(&f.message)));
    }
    if let Some(line) = unlisted(list.unlisted(), "findings") {
        out.push_str(&format!("  {line}\n"));
    }
}
