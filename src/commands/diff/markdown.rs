//! The diff as a pull-request comment: a one-line summary first, the
//! details folded, each change linked to its file and line in the later
//! revision.

use kojo_compiler::diff::{Diff, FindingFact, Risk};

use super::human::{describe, summary};
use super::Frame;

/// Text safe in a Markdown table cell: pipes escaped (GitHub reads `\|`
/// even in a code span), no line breaks, and outside code spans no HTML.
fn cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut code = false;
    for c in text.chars() {
        match c {
            '`' => {
                code = !code;
                out.push(c);
            }
            '|' => out.push_str("\\|"),
            '\n' | '\r' => out.push(' '),
            '<' if !code => out.push_str("&lt;"),
            '>' if !code => out.push_str("&gt;"),
            '&' if !code => out.push_str("&amp;"),
            _ => out.push(c),
        }
    }
    out
}

fn badge(risk: Option<Risk>) -> &'static str {
    match risk {
        Some(Risk::High) => "🔴 high risk",
        Some(Risk::Medium) => "🟠 medium risk",
        Some(Risk::Low) => "🟢 low risk",
        None => "⚪ no semantic change",
    }
}

pub fn render(diff: &Diff, frame: &Frame<'_>) -> String {
    let mut out = format!(
        "**kojo: {}** for `{}`: {} (`{}` → `{}`)\n",
        badge(diff.risk()),
        cell(&frame.project),
        summary(diff),
        cell(&frame.before.label),
        cell(&frame.after.label)
    );
    if !diff.changes.is_empty() {
        out.push_str(&format!(
            "\n<details{}><summary>Changes ({})</summary>\n\n| risk | change | why | where |\n|---|---|---|---|\n",
            if diff.risk() == Some(Risk::High) { " open" } else { "" },
            diff.changes.len()
        ));
        for change in &diff.changes {
            let at = match &change.place {
                Some(place) if change.place_before => {
                    format!("{} (in `{}`)", cell(&frame.at(place)), cell(&frame.before.label))
                }
                Some(place) => format!("[{}]({})", cell(&frame.at(place)), frame.link(place)),
                None => String::new(),
            };
            out.push_str(&format!(
                "| {} | {} | {} | {} |\n",
                change.risk.id(),
                cell(&describe(change)),
                cell(&change.reason),
                at
            ));
        }
        out.push_str("\n</details>\n");
    }
    findings(&mut out, "Findings introduced", &diff.introduced, frame, true);
    findings(&mut out, "Findings fixed", &diff.fixed, frame, false);
    out
}

fn findings(out: &mut String, title: &str, list: &[FindingFact], frame: &Frame<'_>, linked: bool) {
    if list.is_empty() {
        return;
    }
    out.push_str(&format!("\n<details><summary>{title} ({})</summary>\n\n", list.len()));
    for f in list {
        let at = match &f.place {
            Some(place) if linked => format!(" ([{}]({}))", cell(&frame.at(place)), frame.link(place)),
            Some(place) => format!(" ({})", cell(&frame.at(place))),
            None => String::new(),
        };
        out.push_str(&format!("- **{}** `{}` on `{}`: {}{at}\n", f.severity, f.rule, f.entity, cell(&f.message)));
    }
    out.push_str("\n</details>\n");
}
