//! "Did you mean …?" by edit distance.

/// The closest candidate to `name`, if any is close enough to be a typo.
pub fn did_you_mean<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    // A one- or two-letter name is close to every other short name: no guess.
    let len = name.chars().count();
    if len < 3 {
        return None;
    }
    let limit = (len / 3).max(1);
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(name, c), c))
        .filter(|(d, c)| *d <= limit || (c.len() > 2 && (c.starts_with(name) || name.starts_with(c))))
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
}
