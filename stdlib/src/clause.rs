//! Procurement clauses (調達文言) with their acceptance checks, and the
//! citations that go with them; shared by the tier tables and the
//! procurement-specification plan.
//!
//! A clause is what a buyer puts in a contract, in the shape of the DHS 2009
//! procurement language: the clause itself, how it is verified at the
//! factory acceptance test (FAT) and at the site acceptance test (SAT).

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::catalogue::unique;
use crate::{CatalogueError, Label};

/// A contract clause with its verification at the FAT and the SAT, in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Clause {
    /// "The supplier shall …" / 「受注者は、…こと。」
    pub text: Label,
    /// How the buyer verifies it at the factory acceptance test (工場出荷試験).
    pub fat: Label,
    /// How the buyer verifies it at the site acceptance test (現地受入試験).
    pub sat: Label,
}

impl Clause {
    /// The three parts, named `text`, `fat`, `sat`.
    pub fn parts(&self) -> [(&'static str, &Label); 3] {
        [("text", &self.text), ("fat", &self.fat), ("sat", &self.sat)]
    }
}

/// The placeholders a clause may contain, as `{name}`; the renderer fills
/// them from the buyer's settings: the buyer's name, the years of security
/// support, the days within which the supplier notifies vulnerabilities, the
/// days logs are kept.
pub const PLACEHOLDERS: [&str; 4] = ["buyer", "support_years", "notice_days", "log_retention_days"];

/// The placeholders `text` uses, or the first fragment that is not one
/// (an unknown name, or a brace that does not open or close a placeholder).
pub(crate) fn placeholders(text: &str) -> Result<BTreeSet<&str>, String> {
    let mut found = BTreeSet::new();
    let mut rest = text;
    while let Some(from) = rest.find(['{', '}']).and_then(|pos| rest.get(pos..)) {
        let Some(inner) = from.strip_prefix('{') else {
            return Err("}".to_owned());
        };
        let Some((name, after)) = inner.split_once('}') else {
            return Err(from.chars().take(24).collect());
        };
        if name.contains('{') || !PLACEHOLDERS.contains(&name) {
            return Err(format!("{{{name}}}"));
        }
        found.insert(name);
        rest = after;
    }
    Ok(found)
}

/// Checks one label: both languages non-empty, only known placeholders, and
/// the same placeholders in both (the two say the same thing).
pub(crate) fn check_label(file: &str, what: &str, label: &Label) -> Result<(), CatalogueError> {
    if label.en.trim().is_empty() || label.ja.trim().is_empty() {
        return Err(CatalogueError::invalid(file, format!("{what} is empty in English or Japanese")));
    }
    let en = placeholders(&label.en)
        .map_err(|bad| CatalogueError::invalid(file, format!("{what}: `{bad}` is not a known placeholder")))?;
    let ja = placeholders(&label.ja)
        .map_err(|bad| CatalogueError::invalid(file, format!("{what}: `{bad}` is not a known placeholder")))?;
    if en != ja {
        return Err(CatalogueError::invalid(file, format!("{what}: English and Japanese use different placeholders")));
    }
    Ok(())
}

/// Checks the three parts of a clause with [`check_label`].
pub(crate) fn check_clause(file: &str, what: &str, clause: &Clause) -> Result<(), CatalogueError> {
    for (part, label) in clause.parts() {
        check_label(file, &format!("{what} {part}"), label)?;
    }
    Ok(())
}

/// Checks the citation lists of an entry: unique, and in the expected forms.
pub(crate) fn check_citations(
    file: &str,
    what: &str,
    iec62443: &[String],
    dhs: &[String],
) -> Result<(), CatalogueError> {
    unique(file, &format!("{what}: IEC 62443 reference"), iec62443.iter().map(String::as_str))?;
    unique(file, &format!("{what}: DHS section"), dhs.iter().map(String::as_str))?;
    if let Some(bad) = iec62443.iter().find(|r| !is_iec62443_ref(r)) {
        return Err(CatalogueError::invalid(
            file,
            format!("{what}: `{bad}` is not an IEC 62443 reference like `SR 5.1`, `CR 3.10`, `SP.10.05` or `4-1 DM`"),
        ));
    }
    if let Some(bad) = dhs.iter().find(|s| !is_dhs_section(s)) {
        return Err(CatalogueError::invalid(
            file,
            format!("{what}: `{bad}` is not a DHS 2009 section like `7` or `2.1` (sections 2 to 13)"),
        ));
    }
    Ok(())
}

/// The IEC 62443-4-1 practices, by their abbreviations.
const PRACTICES_4_1: [&str; 8] = ["SM", "SR", "SD", "SI", "SVV", "DM", "SUM", "SG"];

/// An IEC 62443 reference by ID: `SR 1.13` (3-3), `CR 3.10` (4-2), `SP.07`
/// or `SP.10.05`, optionally with ` RE(4)` (2-4), `4-1 DM` (4-1 practice).
pub(crate) fn is_iec62443_ref(text: &str) -> bool {
    let digits = |s: &str, len: Option<usize>| {
        !s.is_empty() && s.chars().all(|c| c.is_ascii_digit()) && len.is_none_or(|n| s.len() == n)
    };
    if let Some(practice) = text.strip_prefix("4-1 ") {
        return PRACTICES_4_1.contains(&practice);
    }
    if let Some(number) = text.strip_prefix("SR ").or_else(|| text.strip_prefix("CR ")) {
        return matches!(number.split_once('.'), Some((a, b)) if digits(a, None) && digits(b, None));
    }
    if let Some(rest) = text.strip_prefix("SP.") {
        let (id, enhancement) = match rest.split_once(" RE(") {
            Some((id, re)) => (id, Some(re)),
            None => (rest, None),
        };
        let enhancement_ok = enhancement.is_none_or(|re| re.strip_suffix(')').is_some_and(|n| digits(n, None)));
        let id_ok = match id.split_once('.') {
            Some((area, sub)) => digits(area, Some(2)) && digits(sub, Some(2)),
            None => digits(id, Some(2)) && enhancement.is_none(),
        };
        return id_ok && enhancement_ok;
    }
    false
}

/// A DHS 2009 procurement-language section: a category `2` … `13`, or a
/// control in it, `2.1`.
pub(crate) fn is_dhs_section(text: &str) -> bool {
    let number = |s: &str| !s.is_empty() && !s.starts_with('0') && s.chars().all(|c| c.is_ascii_digit());
    let (category, control) = match text.split_once('.') {
        Some((c, n)) => (c, Some(n)),
        None => (text, None),
    };
    number(category) && category.parse::<u32>().is_ok_and(|c| (2..=13).contains(&c)) && control.is_none_or(number)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_found_and_unknown_ones_refused() {
        let found = placeholders("{buyer} within {notice_days} days, {buyer} again").unwrap();
        assert_eq!(found.into_iter().collect::<Vec<_>>(), ["buyer", "notice_days"]);
        assert!(placeholders("no placeholders").unwrap().is_empty());
        assert_eq!(placeholders("{owner} shall").unwrap_err(), "{owner}");
        assert_eq!(placeholders("a } b").unwrap_err(), "}");
        assert!(placeholders("open { never closed").is_err());
        assert!(placeholders("{buyer").is_err());
        assert!(placeholders("{{buyer}}").is_err());
        assert!(placeholders("{}").is_err());
        assert!(placeholders("{ buyer }").is_err());
    }

    #[test]
    fn labels_need_both_languages_and_the_same_placeholders() {
        let label = |en: &str, ja: &str| Label { en: en.to_owned(), ja: ja.to_owned() };
        assert!(check_label("f", "x", &label("{buyer} shall", "{buyer}は")).is_ok());
        assert!(check_label("f", "x", &label("{buyer} shall", "発注者は")).is_err());
        assert!(check_label("f", "x", &label("shall", " ")).is_err());
        let err = check_label("f", "x", &label("{vendor}", "{vendor}")).unwrap_err();
        assert!(err.to_string().contains("{vendor}"), "{err}");
    }

    #[test]
    fn iec62443_references_are_parsed_strictly() {
        for ok in ["SR 1.13", "CR 3.10", "SP.07", "SP.10.05", "SP.03.10 RE(4)", "SP.08.02 RE(2)", "4-1 SUM"] {
            assert!(is_iec62443_ref(ok), "{ok}");
        }
        for bad in ["SR 1", "SR1.1", "SR 1.x", "SP.7", "SP.10.5", "SP.03 RE(1)", "SP.03.10 RE()", "4-1 XY", "NDR 5.2"] {
            assert!(!is_iec62443_ref(bad), "{bad}");
        }
    }

    #[test]
    fn dhs_sections_are_categories_or_controls() {
        for ok in ["2", "7", "13", "2.1", "4.7", "12.2"] {
            assert!(is_dhs_section(ok), "{ok}");
        }
        for bad in ["1", "14", "0.1", "2.", "2.0", "§2", "2.1.1", "x"] {
            assert!(!is_dhs_section(bad), "{bad}");
        }
    }
}
