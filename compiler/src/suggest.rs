//! "Did you mean …?" by edit distance.

/// Names longer than this get no suggestion, and candidates longer than
/// this are never compared. Edit distance costs the product of the two
/// lengths, so a 100,000-character name in a hostile pull request would
/// cost minutes per lookup; real names (zones, assets, services, rules)
/// are a few words, well under 64 characters.
pub const MAX_NAME_CHARS: usize = 64;

/// At most this many candidates are measured per lookup (those whose
/// length could be within reach, in the order given: a plant's names are
/// sorted). With names capped at [`MAX_NAME_CHARS`] one comparison is at
/// most 64 × 64 steps, so a lookup stays under ~4 million steps however
/// many names a plant declares; a thousand names of one kind within a
/// third of a name's length of each other is far more than a plant has.
pub const MAX_CANDIDATES: usize = 1_000;

/// Comparisons one check may spend on the plant's own names, over all its
/// lookups: forty misspelt references each measured against 500 names of
/// one kind. Past it, no suggestion: a thousand unknown references to a
/// thousand similar 64-character names would otherwise cost four billion
/// steps (minutes); this caps them at ~80 million.
pub const MAX_COMPARISONS_PER_CHECK: usize = 20_000;

/// The closest candidate to `name`, if any is close enough to be a typo.
pub fn did_you_mean<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let mut budget = MAX_CANDIDATES;
    did_you_mean_within(name, candidates, &mut budget)
}

/// [`did_you_mean`], measuring at most `budget` candidates (and at most
/// [`MAX_CANDIDATES`]), spending from it what it measures.
pub fn did_you_mean_within<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    budget: &mut usize,
) -> Option<&'a str> {
    // A one- or two-letter name is close to every other short name: no guess.
    let len = name.chars().count();
    if !(3..=MAX_NAME_CHARS).contains(&len) {
        return None;
    }
    let limit = (len / 3).max(1);
    let prefix = |c: &str| c.len() > 2 && (c.starts_with(name) || name.starts_with(c));
    candidates
        .into_iter()
        .filter(|c| {
            // Over four bytes a character, it is over the limit: known
            // without counting (a candidate may be megabytes long, and
            // is passed over by every lookup).
            if c.len() > 4 * MAX_NAME_CHARS {
                return false;
            }
            // The distance is at least the difference in length: a candidate
            // out of reach by length alone is a suggestion only as a prefix.
            let n = c.chars().count();
            n <= MAX_NAME_CHARS && (n.abs_diff(len) <= limit || prefix(c))
        })
        .take(MAX_CANDIDATES.min(*budget))
        .map(|c| {
            *budget = budget.saturating_sub(1);
            (strsim::damerau_levenshtein(name, c), c)
        })
        .filter(|(d, c)| *d <= limit || prefix(c))
        .min()
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names() {
        let names = ["control", "prod_mgmt", "internet"];
        assert_eq!(did_you_mean("contrl", names), Some("control"));
        assert_eq!(did_you_mean("prod_mgt", names), Some("prod_mgmt"));
        assert_eq!(did_you_mean("warehouse", names), None);
        assert_eq!(did_you_mean("b", ["a", "x"]), None, "no guesses for very short names");
    }

    #[test]
    fn prefixes_are_still_suggested() {
        assert_eq!(did_you_mean("prod", ["production_line"]), Some("production_line"));
    }

    #[test]
    fn a_spent_budget_suggests_nothing() {
        let mut budget = 1;
        assert_eq!(did_you_mean_within("contrl", ["control"], &mut budget), Some("control"));
        assert_eq!(budget, 0);
        assert_eq!(did_you_mean_within("contrl", ["control"], &mut budget), None);
    }

    #[test]
    fn long_names_get_no_suggestion() {
        let long = "z".repeat(MAX_NAME_CHARS + 1);
        let near = format!("{}y", "z".repeat(MAX_NAME_CHARS));
        assert_eq!(did_you_mean(&long, [near.as_str()]), None);
        let name = "z".repeat(MAX_NAME_CHARS);
        assert_eq!(did_you_mean(&name, [near.as_str()]), None, "long candidates are never compared");
        assert_eq!(did_you_mean("zzzz", [near.as_str()]), None);
    }
}
