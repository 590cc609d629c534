//! `kojo explain` pages: every `explain/*.md` file, embedded at build time.
//!
//! `build.rs` scans the directory, so adding a page needs no code change. A
//! page is keyed by its file stem (`KOJO-E0201.md` → `KOJO-E0201`).

use crate::embedded::EXPLAIN_PAGES;

/// The page for a diagnostic or rule code, ignoring case.
pub fn explain_page(code: &str) -> Option<&'static str> {
    EXPLAIN_PAGES.iter().find(|(stem, _)| stem.eq_ignore_ascii_case(code)).map(|(_, page)| *page)
}

/// Every code that has a page, sorted.
pub fn explain_codes() -> impl Iterator<Item = &'static str> + Clone {
    EXPLAIN_PAGES.iter().map(|(stem, _)| *stem)
}

#[cfg(test)]
mod tests {
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
        }
    }

    #[test]
    fn unknown_code_has_no_page() {
        assert_eq!(explain_page("KOJO-X9999-no-such-page"), None);
        assert_eq!(explain_page(""), None);
    }
}
