//! Supply-chain check points (`data/supply-chain.toml`): what to confirm with
//! business partners and suppliers [3.3(2)], per kind of counterpart.

use serde::{Deserialize, Serialize};

use crate::catalogue::{parse, unique, Ordered};
use crate::check_points::{self, CheckPoint};
use crate::{CatalogueError, Label};

/// A kind of counterpart (取引先・調達先), e.g. `purchased-products`
/// 購入製品／部品, with the points to confirm with it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SupplyChainCounterpart {
    pub id: String,
    pub label: Label,
    /// The check points, in the guideline's order; IDs start `SC-`.
    pub checks: Vec<CheckPoint>,
    /// Appendix E checklist items the check points give evidence for (`E-4-1`…).
    #[serde(default)]
    pub checklist: Vec<String>,
}

impl SupplyChainCounterpart {
    pub fn check(&self, id: &str) -> Option<&CheckPoint> {
        self.checks.iter().find(|c| c.id == id)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    counterparts: Vec<SupplyChainCounterpart>,
}

/// The prefix of every check point ID in the file.
const PREFIX: &str = "SC-";

pub(crate) fn load(file: &str, text: &str) -> Result<Ordered<SupplyChainCounterpart>, CatalogueError> {
    let parsed: File = parse(file, text)?;
    check_points::validate(file, PREFIX, parsed.counterparts.iter().map(|c| (c.id.as_str(), c.checks.as_slice())))?;
    for counterpart in &parsed.counterparts {
        unique(
            file,
            &format!("counterpart `{}`: checklist item", counterpart.id),
            counterpart.checklist.iter().map(String::as_str),
        )?;
    }
    Ordered::new(file, parsed.counterparts, |c| &c.id)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::catalogue::tests::{builtin, with};

    #[test]
    fn four_counterparts_in_guideline_order() {
        let c = builtin();
        let ids: Vec<&str> = c.supply_chain().map(|x| x.id.as_str()).collect();
        assert_eq!(ids, ["purchased-products", "outsourced-work", "contracted-development", "linked-systems"]);
        let labels: Vec<&str> = c.supply_chain().map(|x| x.label.ja.as_str()).collect();
        assert_eq!(labels, ["購入製品／部品", "業務委託", "システム開発受託", "連携システム"]);
        let counts: Vec<usize> = c.supply_chain().map(|x| x.checks.len()).collect();
        assert_eq!(counts, [4, 3, 6, 5]);
    }

    #[test]
    fn check_points_follow_the_guideline() {
        let c = builtin();
        let prefixes = [
            ("purchased-products", "SC-PRODUCTS-"),
            ("outsourced-work", "SC-OUTSOURCING-"),
            ("contracted-development", "SC-DEVELOPMENT-"),
            ("linked-systems", "SC-LINKED-"),
        ];
        for (id, prefix) in prefixes {
            let counterpart = c.supply_chain_counterpart(id).unwrap();
            assert!(counterpart.checks.iter().all(|p| p.id.starts_with(prefix)), "{id}");
            assert!(counterpart.checks.iter().all(|p| p.source == "3.3(2)"), "{id}");
        }
        let (counterpart, check) = c.supply_chain_check("SC-PRODUCTS-VULN-INFO").unwrap();
        assert_eq!(counterpart.id, "purchased-products");
        assert_eq!(
            check.label.ja,
            "保守範囲として、セキュリティに関する脆弱性情報や修正プログラムの提供が含められているか"
        );
        let audit = c.supply_chain_counterpart("contracted-development").unwrap().check("SC-DEVELOPMENT-AUDIT");
        assert_eq!(audit.unwrap().label.ja, "監査に関する要件が記載されているか");
        assert!(c.supply_chain_check("SC-NOPE").is_none());
        assert!(c.supply_chain_counterpart("customers").is_none());
    }

    #[test]
    fn checklist_items_cover_the_supply_chain_category() {
        let c = builtin();
        let mut covered = BTreeSet::new();
        for counterpart in c.supply_chain() {
            assert!(!counterpart.checklist.is_empty(), "{}", counterpart.id);
            for id in &counterpart.checklist {
                let item = c.checklist_item(id).unwrap();
                assert_eq!(item.category, "supply-chain", "{}: {id}", counterpart.id);
                covered.insert(id.as_str());
            }
        }
        let all: BTreeSet<&str> =
            c.checklist_items().filter(|i| i.category == "supply-chain").map(|i| i.id.as_str()).collect();
        assert_eq!(covered, all);
        assert_eq!(c.supply_chain_counterpart("outsourced-work").unwrap().checklist, ["E-4-2", "E-4-4"]);
    }

    const ONE: &str = r#"
[[counterparts]]
id = "linked-systems"
label = { en = "Linked systems", ja = "連携システム" }
checklist = ["E-4-1"]

[[counterparts.checks]]
id = "SC-LINKED-JOINT-DRILLS"
label = { en = "x", ja = "x" }
source = "3.3(2)"
"#;

    #[test]
    fn bad_files_are_rejected() {
        let file = "supply-chain.toml";
        assert!(load(file, ONE).is_ok());
        let err = load(file, &ONE.replace("SC-LINKED", "SC-linked")).unwrap_err();
        assert!(err.to_string().contains("SC-linked-JOINT-DRILLS"), "{err}");
        let err = load(file, &ONE.replace("[\"E-4-1\"]", "[\"E-4-1\", \"E-4-1\"]")).unwrap_err();
        assert!(err.to_string().contains("listed twice"), "{err}");
        let err = load(file, &ONE.replace("checklist =", "evidence =")).unwrap_err();
        assert!(matches!(err, CatalogueError::Parse { .. }), "{err:?}");
        let other = ONE.replace("id = \"linked-systems\"", "id = \"outsourced-work\"");
        let err = load(file, &format!("{ONE}{other}")).unwrap_err();
        assert_eq!(err, CatalogueError::DuplicateId { file: file.into(), id: "SC-LINKED-JOINT-DRILLS".into() });
    }

    #[test]
    fn dangling_checklist_items_are_rejected() {
        let text: &'static str = Box::leak(ONE.replace("E-4-1", "E-4-7").into_boxed_str());
        let err = with(|s| s.supply_chain = text).unwrap_err();
        assert_eq!(err.file(), "supply-chain.toml");
        assert!(err.to_string().contains("E-4-7"), "{err}");
        // the file is fine by itself, but the procurement plan builds on
        // check points it no longer has
        let err = with(|s| s.supply_chain = ONE).unwrap_err();
        assert_eq!(err.file(), "procurement.toml");
        assert!(err.to_string().contains("SC-"), "{err}");
    }
}
