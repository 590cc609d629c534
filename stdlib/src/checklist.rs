//! The Appendix E checklist (`data/checklist.toml`): achievement levels, categories and items.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::catalogue::{index, parse};
use crate::{CatalogueError, Label};

/// One checklist item (確認項目), e.g. `E-3-5` network segments by security level.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ChecklistItem {
    /// `E-<category>-<number>`, e.g. `E-2-10`.
    pub id: String,
    /// A [`ChecklistCategory`] ID, e.g. `"technical"`.
    pub category: String,
    pub text: Label,
    /// Guideline sections and method steps the item cites (`"3.2.2(1)"`, `"step 1-1"`).
    pub refs: Vec<String>,
    /// The compiler's derivation that evidences the item from the model
    /// (`"segmentation"`); the compiler checks the name exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub derivation: Option<String>,
    /// Rules whose findings (waived or not) bear on the item: each lowers
    /// the level the model shows, and is listed as evidence.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<String>,
    /// The controls the item names, in its order, where kojo checks for
    /// them (E-3-6's remote-access measures): the rules and derivations
    /// that speak for the item read them here, so they agree.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub controls: Vec<String>,
    /// How much of the item the model can see, where it sees any of it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<Scope>,
    /// What evidence would support the item: shown with items that have
    /// none, so a plant knows what to attest.
    pub hint: Label,
    /// The guideline's footnote to the item, where it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Label>,
}

/// How much of a checklist item the plant model can evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// All of it: the model alone can show the item done (level 3).
    Full,
    /// Part of it: without an attestation for the rest, the model shows at
    /// most "partly done" (level 2).
    Part,
}

impl ChecklistItem {
    /// Whether the model evidences the item, at least in part.
    pub fn model_derived(&self) -> bool {
        self.derivation.is_some() || !self.rules.is_empty()
    }

    /// `(category number, item number)`: `E-2-10` → `(2, 10)`. Sorts items in
    /// the guideline's order.
    pub fn order(&self) -> (u32, u32) {
        parse_id(&self.id).unwrap_or((u32::MAX, u32::MAX))
    }
}

/// A checklist category (カテゴリ), e.g. 技術的対策 technical measures.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ChecklistCategory {
    pub id: String,
    pub label: Label,
}

/// An achievement level (達成度), 1 (not done) to 5.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AchievementLevel {
    pub level: u8,
    pub label: Label,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    levels: Vec<AchievementLevel>,
    categories: Vec<ChecklistCategory>,
    items: Vec<ChecklistItem>,
}

#[derive(Debug)]
pub(crate) struct Loaded {
    pub(crate) levels: Vec<AchievementLevel>,
    pub(crate) categories: BTreeMap<String, ChecklistCategory>,
    /// In the guideline's order.
    pub(crate) items: Vec<ChecklistItem>,
}

pub(crate) fn load(file: &str, text: &str) -> Result<Loaded, CatalogueError> {
    let parsed: File = parse(file, text)?;

    let mut levels = parsed.levels;
    levels.sort_by_key(|l| l.level);
    let numbers: Vec<u8> = levels.iter().map(|l| l.level).collect();
    let expected: Vec<u8> = (1..=u8::try_from(levels.len()).unwrap_or(u8::MAX)).collect();
    if numbers.is_empty() || numbers != expected {
        return Err(CatalogueError::invalid(
            file,
            format!("achievement levels must be numbered 1, 2, … without gaps; found {numbers:?}"),
        ));
    }

    let categories = index(file, parsed.categories, |c| &c.id)?;
    for item in &parsed.items {
        if parse_id(&item.id).is_none() {
            return Err(CatalogueError::invalid(
                file,
                format!("checklist item `{}` is not numbered like `E-2-10`", item.id),
            ));
        }
        if item.model_derived() != item.scope.is_some() {
            return Err(CatalogueError::invalid(
                file,
                format!(
                    "checklist item `{}`: `scope` is given exactly when the item has a `derivation` or `rules`",
                    item.id
                ),
            ));
        }
        if !categories.contains_key(&item.category) {
            return Err(CatalogueError::invalid(
                file,
                format!("checklist item `{}` has an unknown category `{}`", item.id, item.category),
            ));
        }
    }
    let mut items: Vec<ChecklistItem> = index(file, parsed.items, |i| &i.id)?.into_values().collect();
    items.sort_by_key(ChecklistItem::order);
    Ok(Loaded { levels, categories, items })
}

/// `E-2-10` → `(2, 10)`.
fn parse_id(id: &str) -> Option<(u32, u32)> {
    let (category, number) = id.strip_prefix("E-")?.split_once('-')?;
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    if !digits(category) || !digits(number) {
        return None;
    }
    Some((category.parse().ok()?, number.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::tests::builtin;

    fn expected_ids() -> Vec<String> {
        let counts = [(0, 3), (1, 5), (2, 13), (3, 8), (4, 6)];
        counts.iter().flat_map(|&(c, n)| (1..=n).map(move |i| format!("E-{c}-{i}"))).collect()
    }

    #[test]
    fn all_35_items_in_guideline_order() {
        let ids: Vec<String> = builtin().checklist_items().map(|i| i.id.clone()).collect();
        assert_eq!(ids, expected_ids());
        assert_eq!(ids.len(), 35);
    }

    #[test]
    fn items_have_text_refs_and_a_known_category() {
        let c = builtin();
        for item in c.checklist_items() {
            assert!(!item.text.en.trim().is_empty(), "{}", item.id);
            assert!(!item.text.ja.trim().is_empty(), "{}", item.id);
            assert!(!item.refs.is_empty(), "{}", item.id);
            assert!(c.checklist_category(&item.category).is_some(), "{}", item.id);
        }
        let categories: Vec<&str> = c.checklist_items().map(|i| i.category.as_str()).collect();
        assert_eq!(categories.first(), Some(&"preparation"));
        assert_eq!(categories.last(), Some(&"supply-chain"));
        assert_eq!(c.checklist_category("supply-chain").unwrap().label.ja, "工場システムサプライチェーン管理");
    }

    #[test]
    fn model_derived_items() {
        let c = builtin();
        let derived: Vec<&str> =
            c.checklist_items().filter(|i| i.derivation.is_some()).map(|i| i.id.as_str()).collect();
        assert_eq!(
            derived,
            [
                "E-0-2", "E-0-3", "E-2-3", "E-2-6", "E-2-7", "E-2-8", "E-3-3", "E-3-4", "E-3-5", "E-3-6", "E-3-7",
                "E-3-8", "E-4-5", "E-4-6"
            ]
        );
        // Items only rules speak to are model-derived too.
        assert!(c.checklist_item("E-2-10").unwrap().model_derived());
        assert!(!c.checklist_item("E-1-1").unwrap().model_derived());
    }

    /// One level and one category: what a checklist file needs besides items.
    const HEADER: &str = r#"
[[levels]]
level = 1
label = { en = "Not done", ja = "未実施" }

[[categories]]
id = "technical"
label = { en = "Technical", ja = "技術的対策" }
"#;

    #[test]
    fn scope_goes_with_derivation_or_rules() {
        let text = format!(
            "{HEADER}{}",
            r#"
[[items]]
id = "E-3-1"
category = "technical"
refs = ["3.2.2(1)"]
rules = ["DEV-APP-ALLOWLIST"]
text = { en = "x", ja = "x" }
hint = { en = "x", ja = "x" }
"#
        );
        let text = text.as_str();
        let err = load("checklist.toml", text).unwrap_err();
        assert!(err.to_string().contains("scope"), "{err}");
        assert!(load("checklist.toml", &text.replace("rules = [", "scope = \"part\"\nrules = [")).is_ok());
    }

    #[test]
    fn five_achievement_levels() {
        let c = builtin();
        let levels: Vec<u8> = c.checklist_levels().iter().map(|l| l.level).collect();
        assert_eq!(levels, [1, 2, 3, 4, 5]);
        assert_eq!(c.checklist_levels().first().unwrap().label.ja, "未実施");
    }

    #[test]
    fn lookup_and_order() {
        let c = builtin();
        let item = c.checklist_item("E-2-10").unwrap();
        assert_eq!(item.order(), (2, 10));
        assert!(item.text.ja.starts_with("工場内のシステムのパスワード"));
        assert!(c.checklist_item("E-3-6").unwrap().note.is_some());
        assert!(c.checklist_item("E-9-9").is_none());
    }

    #[test]
    fn ids_are_parsed_strictly() {
        assert_eq!(parse_id("E-0-1"), Some((0, 1)));
        assert_eq!(parse_id("E-2-13"), Some((2, 13)));
        assert_eq!(parse_id("E-2"), None);
        assert_eq!(parse_id("E-x-1"), None);
        assert_eq!(parse_id("2-1"), None);
        assert_eq!(parse_id("E-2-1-1"), None);
    }

    #[test]
    fn unknown_category_is_rejected() {
        let text = format!(
            "{HEADER}{}",
            r#"
[[items]]
id = "E-3-1"
category = "technnical"
refs = ["3.2.2(1)"]
text = { en = "x", ja = "x" }
hint = { en = "x", ja = "x" }
"#
        );
        let text = text.as_str();
        let err = load("checklist.toml", text).unwrap_err();
        assert!(err.to_string().contains("technnical"), "{err}");
        let gap = text.replace("level = 1", "level = 2");
        assert!(load("checklist.toml", &gap).is_err());
    }
}
