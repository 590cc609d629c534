//! Check points (確認ポイント): the questions the guideline asks of business
//! programs and services [3.2.2(1)③] and of supply-chain counterparts [3.3(2)].

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::{CatalogueError, Label};

/// One question to ask, e.g. `SC-PRODUCTS-VULN-INFO` (does maintenance
/// include vulnerability information and fixes?).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CheckPoint {
    /// `<PREFIX>-<WORDS>`, e.g. `PS-PACKAGED-FUNCTIONS`; unique in its file.
    pub id: String,
    /// The question, as the guideline asks it.
    pub label: Label,
    /// The guideline section, for citing (`"3.3(2)"`).
    pub source: String,
}

/// Whether `id` is `prefix` followed by upper-case words (letters, digits)
/// joined by single hyphens: `PS-PACKAGED-FUNCTIONS` with prefix `PS-`.
pub(crate) fn is_coded_id(id: &str, prefix: &str) -> bool {
    id.strip_prefix(prefix).is_some_and(|rest| {
        !rest.is_empty()
            && rest
                .split('-')
                .all(|word| !word.is_empty() && word.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()))
    })
}

/// Checks the check points of every group (program kind, counterpart): each
/// group has at least one, every ID is coded with `prefix` and unique in the
/// whole file, every source is given.
pub(crate) fn validate<'a>(
    file: &str,
    prefix: &str,
    groups: impl IntoIterator<Item = (&'a str, &'a [CheckPoint])>,
) -> Result<(), CatalogueError> {
    let mut seen = BTreeSet::new();
    for (group, checks) in groups {
        if checks.is_empty() {
            return Err(CatalogueError::invalid(file, format!("`{group}` has no check points")));
        }
        for check in checks {
            if !is_coded_id(&check.id, prefix) {
                return Err(CatalogueError::invalid(
                    file,
                    format!("check point `{}` of `{group}` is not an ID like `{prefix}TOPIC`", check.id),
                ));
            }
            if check.source.trim().is_empty() {
                return Err(CatalogueError::invalid(file, format!("check point `{}` has an empty source", check.id)));
            }
            if !seen.insert(check.id.as_str()) {
                return Err(CatalogueError::DuplicateId { file: file.to_owned(), id: check.id.clone() });
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coded_ids_are_parsed_strictly() {
        assert!(is_coded_id("PS-PACKAGED-FUNCTIONS", "PS-"));
        assert!(is_coded_id("SC-PRODUCTS-VULN-INFO", "SC-"));
        assert!(is_coded_id("PHY-BUILDING", "PHY-"));
        assert!(is_coded_id("SC-E4", "SC-"));
        assert!(!is_coded_id("SC-", "SC-"));
        assert!(!is_coded_id("SC-products", "SC-"));
        assert!(!is_coded_id("SC-PRODUCTS--INFO", "SC-"));
        assert!(!is_coded_id("SC-PRODUCTS-", "SC-"));
        assert!(!is_coded_id("PS-PACKAGED-FUNCTIONS", "SC-"));
        assert!(!is_coded_id("SC-PRODUCTS_INFO", "SC-"));
    }
}
