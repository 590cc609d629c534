//! The diff as a pull-request comment: a one-line summary first, the
//! details folded, each change linked to its file and line in the later
//! revision.
//!
//! What a pull request writes (a project's name, titles, reasons) ends up
//! in the comment, so every piece is escaped for where it goes: a code
//! span holds no backquote or line break; text outside code spans holds no
//! HTML, link or emphasis markup; a table cell holds no bare pipe.

use kojo_compiler::diff::{Diff, Listed, Risk};

use super::human::{describe, summary};
use super::Frame;

/// `text` as one code span, whatever it holds.
fn code(text: &str) -> String {
    let inner: String = text
        .chars()
        .map(|c| match c {
            '`' => '\'',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    // GitHub reads `\|` as a pipe even inside a code span in a table.
    format!("`{}`", inner.replace('|', "\\|"))
}

/// Text with code spans (`a` in backquotes), as kojo writes messages:
/// markup outside the spans is escaped; unbalanced backquotes are taken
/// as plain quotes.
fn prose(text: &str) -> String {
    let balanced = text.matches('`').count().is_multiple_of(2) && !text.contains("``");
    let mut out = String::with_capacity(text.len());
    let mut in_code = false;
    for c in text.chars() {
        match c {
            '`' if balanced => {
                in_code = !in_code;
                out.push(c);
            }
            '`' => out.push('\''),
            '|' => out.push_str("\\|"),
            c if c.is_control() => out.push(' '),
            c if in_code => out.push(c),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '*' | '_' | '[' | ']' | '~' | '#' | '!' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

fn badge(risk: Option<Risk>) -> &'static str {
    match risk {
        Some(Risk::High) => "🔴 high risk",
        Some(Risk::Medium) => "🟠 medium risk",
        Some(Risk::Low) => "🟢 low risk",
        None => "⚪ no risk",
    }
}

/// The longest comment rendered, in bytes (never fewer than characters): GitHub refuses a comment
/// over 65,536, GitLab's notes are limited too. Rows past it are counted
/// in a closing line, with room kept for those lines.
pub const COMMENT_LIMIT: usize = 60_000;
/// Room kept for the closing lines of the sections.
const RESERVE: usize = 2_000;

pub fn render(diff: &Diff, frame: &Frame<'_>) -> String {
    let mut out = format!(
        "**kojo: {}** for {}: {} ({} → {})\n",
        badge(diff.risk()),
        code(&clip(&frame.project)),
        prose(&summary(diff)),
        code(&clip(&frame.before.label)),
        code(&clip(&frame.after.label))
    );
    // Bytes, never fewer than characters: the count costs nothing per row.
    let room = |out: &String, row: &str| out.len() + row.len() + RESERVE <= COMMENT_LIMIT;
    let total = diff.counts().iter().sum::<usize>();
    if total > 0 {
        out.push_str(&format!(
            "\n<details{}><summary>Changes ({total})</summary>\n\n| risk | change | why | where |\n|---|---|---|---|\n",
            if diff.risk() == Some(Risk::High) { " open" } else { "" },
        ));
        let mut shown = 0;
        for change in &diff.changes {
            let at = match &change.place {
                Some(place) if change.place_before => {
                    format!("{} (in {})", code(&frame.at(place)), code(&frame.before.label))
                }
                Some(place) => format!("[{}]({})", code(&frame.at(place)), frame.link(place)),
                None => String::new(),
            };
            let row = format!(
                "| {} | {} | {} | {} |\n",
                change.risk.id(),
                prose(&describe(change)),
                prose(&change.reason),
                at
            );
            if !room(&out, &row) {
                break;
            }
            out.push_str(&row);
            shown += 1;
        }
        not_shown(&mut out, total - shown, "changes");
        out.push_str("\n</details>\n");
    }
    findings(&mut out, "Findings introduced", &diff.introduced, frame, true);
    findings(&mut out, "Findings fixed", &diff.fixed, frame, false);
    findings(&mut out, "Findings now waived", &diff.waived, frame, false);
    out
}

/// The line that counts what a section leaves out.
fn not_shown(out: &mut String, n: usize, what: &str) {
    if n > 0 {
        out.push_str(&format!(
            "\n… and {n} more {what}, not shown: a comment holds {COMMENT_LIMIT} bytes; `kojo diff` in a terminal or `--format json` lists up to {} of each\n",
            kojo_compiler::diff::LISTED
        ));
    }
}

/// The comment when a side cannot be compared: what is wrong, so the pull
/// request says why kojo has no diff for it.
pub fn cannot_compare(problems: &[String]) -> String {
    let mut out = String::from("**kojo: ❌ cannot compare**: the project does not compile or is not there\n\n<details open><summary>Errors</summary>\n\n");
    let mut shown = 0;
    for problem in problems {
        let row = format!("- {}\n", prose(&clip(problem)));
        if out.len() + row.len() + RESERVE > COMMENT_LIMIT {
            break;
        }
        out.push_str(&row);
        shown += 1;
    }
    if problems.len() > shown {
        out.push_str(&format!(
            "\n… and {} more errors, not shown: a comment holds {COMMENT_LIMIT} bytes; `kojo check` lists them\n",
            problems.len() - shown
        ));
    }
    out.push_str("\n</details>\n");
    out
}

/// The longest text from the project one row shows, in bytes: a name of
/// thousands of characters would otherwise fill the comment alone.
const ROW_TEXT_MAX: usize = 1_000;

/// `text` cut at [`ROW_TEXT_MAX`] bytes, with `…` where it is cut.
fn clip(text: &str) -> std::borrow::Cow<'_, str> {
    kojo_lang::inert::cut(text, ROW_TEXT_MAX)
}

fn findings(out: &mut String, title: &str, list: &Listed, frame: &Frame<'_>, linked: bool) {
    if list.total == 0 {
        return;
    }
    out.push_str(&format!("\n<details><summary>{title} ({})</summary>\n\n", list.total));
    let mut shown = 0;
    for f in &list.findings {
        let at = match &f.place {
            Some(place) if linked => format!(" ([{}]({}))", code(&frame.at(place)), frame.link(place)),
            Some(place) => format!(" ({})", code(&frame.at(place))),
            None => String::new(),
        };
        let row = format!(
            "- **{}** {} on {}: {}{at}\n",
            f.severity,
            code(&clip(&f.rule)),
            code(&clip(&f.entity)),
            prose(&clip(&f.message))
        );
        if out.len() + row.len() + RESERVE > COMMENT_LIMIT {
            break;
        }
        out.push_str(&row);
        shown += 1;
    }
    not_shown(out, list.total - shown, "findings");
    out.push_str("\n</details>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_a_pull_request_writes_becomes_markup() {
        assert_eq!(code("x`<img src=a>"), "`x'<img src=a>`");
        assert_eq!(code("a|b\nc"), "`a\\|b c`");
        assert_eq!(prose("zone `a<b>` and <img> [x](y)"), "zone `a<b>` and &lt;img&gt; \\[x\\](y)");
        // An odd backquote cannot open a span that swallows the rest.
        assert_eq!(prose("title `x <b>"), "title 'x &lt;b&gt;");
        assert_eq!(prose("a | b"), "a \\| b");
    }
}
