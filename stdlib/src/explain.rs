//! `kojo explain` pages: every `explain/*.md` file, and its Japanese
//! translation in `explain/ja/`, embedded at build time.
//!
//! `build.rs` scans the directories, so adding a page needs no code change.
//! A page is keyed by its file stem (`KOJO-E0201.md` → `KOJO-E0201`). The
//! Japanese page of a code has the English page's headings translated and
//! its code blocks unchanged (`tests/corpus.rs` checks both).

use crate::embedded::{EXPLAIN_PAGES, EXPLAIN_PAGES_JA};
use crate::Lang;

/// The English page for a diagnostic or rule code, ignoring case.
pub fn explain_page(code: &str) -> Option<&'static str> {
    find(EXPLAIN_PAGES, code)
}

/// The page for a code in a language, ignoring case. A code whose page has
/// no Japanese translation yet (an organisation's own page) gets the
/// English one.
pub fn explain_page_in(code: &str, lang: Lang) -> Option<&'static str> {
    match lang {
        Lang::Ja => find(EXPLAIN_PAGES_JA, code).or_else(|| explain_page(code)),
        Lang::En => explain_page(code),
    }
}

fn find(pages: &'static [(&'static str, &'static str)], code: &str) -> Option<&'static str> {
    pages.iter().find(|(stem, _)| stem.eq_ignore_ascii_case(code)).map(|(_, page)| *page)
}

/// Every code that has a page, sorted.
pub fn explain_codes() -> impl Iterator<Item = &'static str> + Clone {
    EXPLAIN_PAGES.iter().map(|(stem, _)| *stem)
}

/// Every code with a Japanese page, sorted.
pub fn explain_codes_ja() -> impl Iterator<Item = &'static str> + Clone {
    EXPLAIN_PAGES_JA.iter().map(|(stem, _)| *stem)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn codes_are_sorted_and_found_in_any_case() {
        let codes: Vec<&str> = explain_codes().collect();
        let mut sorted = codes.clone();
        sorted.sort_unstable();
        assert_eq!(codes, sorted);
        for code in codes {
            let page = explain_page(code).unwrap();
            assert_eq!(explain_page(&code.to_ascii_lowercase()), Some(page));
            assert_eq!(explain_page(&code.to_ascii_uppercase()), Some(page));
            assert!(explain_page_in(&code.to_ascii_lowercase(), Lang::Ja).is_some());
        }
    }

    #[test]
    fn every_japanese_page_translates_an_english_one() {
        for code in explain_codes_ja() {
            assert!(explain_page(code).is_some(), "explain/ja/{code}.md has no English page");
            assert_ne!(explain_page_in(code, Lang::Ja), explain_page(code), "{code}");
        }
    }

    /// English heading → the Japanese page's heading.
    const HEADINGS: [(&str, &str); 5] = [
        ("## What it means", "## 意味"),
        ("## What it checks", "## 検査内容"),
        ("## Why it matters", "## なぜ重要か"),
        ("## Example", "## 例"),
        ("## How to fix", "## 直し方"),
    ];

    /// The fenced code blocks of a page, fences included.
    fn code_blocks(page: &str) -> Vec<&str> {
        let mut blocks = Vec::new();
        let mut rest = page;
        while let Some(start) = rest.find("```") {
            let Some(len) = rest[start + 3..].find("```") else { break };
            blocks.push(&rest[start..start + 3 + len + 3]);
            rest = &rest[start + 3 + len + 3..];
        }
        blocks
    }

    /// A page's text outside its code blocks.
    fn prose(page: &str) -> String {
        code_blocks(page).iter().fold(page.to_string(), |text, block| text.replacen(block, "", 1))
    }

    /// The inline code spans of prose, a span broken over lines joined.
    fn inline_code(prose: &str) -> BTreeSet<String> {
        let joined = prose.replace('\n', " ");
        joined.split('`').skip(1).step_by(2).map(|span| span.split_whitespace().collect::<Vec<_>>().join(" ")).collect()
    }

    #[test]
    fn every_page_has_a_japanese_translation_that_keeps_what_a_user_types() {
        let mut problems = Vec::new();
        for code in explain_codes() {
            let en = explain_page(code).unwrap();
            let Some(ja) = find(EXPLAIN_PAGES_JA, code) else {
                problems.push(format!("{code}: no explain/ja/{code}.md"));
                continue;
            };
            if code_blocks(en) != code_blocks(ja) {
                problems.push(format!("{code}: code blocks differ from the English page's"));
            }
            let headings = |page: &str| -> Vec<String> {
                prose(page).lines().filter(|l| l.starts_with("## ")).map(str::to_string).collect()
            };
            let translated: Vec<String> = headings(en)
                .iter()
                .map(|h| HEADINGS.iter().find(|(e, _)| e == h).map_or(h.clone(), |(_, j)| j.to_string()))
                .collect();
            if headings(ja) != translated {
                problems.push(format!("{code}: headings {:?}, expected {translated:?}", headings(ja)));
            }
            let title = ja.lines().next().unwrap_or_default().strip_prefix(&format!("# {code}: "));
            if title.is_none_or(|t| t.trim().is_empty()) {
                problems.push(format!("{code}: the first line is not `# {code}: title`"));
            }
            let ja_code = inline_code(&prose(ja));
            for span in inline_code(&prose(en)).difference(&ja_code) {
                problems.push(format!("{code}: `{span}` is not on the Japanese page"));
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    /// Markdown turns a line break inside a paragraph into a space, which
    /// Japanese text does not have: each paragraph and list item of a
    /// Japanese page is one line.
    #[test]
    fn japanese_paragraphs_are_one_line_each() {
        let starts_block = |line: &str| {
            let t = line.trim_start();
            t.is_empty()
                || t.starts_with('#')
                || t.starts_with("- ")
                || t.starts_with("* ")
                || t.starts_with('|')
                || t.split_once(". ").is_some_and(|(n, _)| n.chars().all(|c| c.is_ascii_digit()))
        };
        let mut broken = Vec::new();
        for code in explain_codes_ja() {
            let text = prose(find(EXPLAIN_PAGES_JA, code).unwrap_or_default());
            let mut previous = "";
            for line in text.lines() {
                if !starts_block(line) && !previous.trim().is_empty() && !previous.starts_with('#') {
                    broken.push(format!("{code}: {line}"));
                }
                previous = line;
            }
        }
        assert!(broken.is_empty(), "lines that continue a paragraph:\n{}", broken.join("\n"));
    }

    #[test]
    fn unknown_code_has_no_page() {
        assert_eq!(explain_page("KOJO-X9999-no-such-page"), None);
        assert_eq!(explain_page_in("KOJO-X9999-no-such-page", Lang::Ja), None);
        assert_eq!(explain_page(""), None);
    }
}
