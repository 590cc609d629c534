//! Threat entry points (`data/entry-points.toml`): the JNSA handbook's thirteen 脅威の入口.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::catalogue::{index, parse};
use crate::{CatalogueError, Label};

/// One way a threat enters a factory (`EP01` USB memory … `EP13` newly purchased equipment).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EntryPoint {
    pub id: String,
    pub label: Label,
    /// Where a plant model shows the entry point, in both languages.
    pub shown_by: Label,
    /// Controls that close or watch this entry point: one of them in force
    /// on what opens it is enough, with every one of `required`.
    #[serde(default)]
    pub addressed_by: Vec<String>,
    /// Controls that must all be in force on what opens the entry point
    /// before it counts as addressed (a maintenance line needs every
    /// measure of Appendix E 3-6, not one of them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub required: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    entry_points: Vec<EntryPoint>,
}

pub(crate) fn load(file: &str, text: &str) -> Result<BTreeMap<String, EntryPoint>, CatalogueError> {
    let parsed: File = parse(file, text)?;
    index(file, parsed.entry_points, |e| &e.id)
}

#[cfg(test)]
mod tests {
    use crate::catalogue::tests::builtin;

    #[test]
    fn thirteen_entry_points_in_order() {
        let ids: Vec<String> = builtin().entry_points().map(|e| e.id.clone()).collect();
        let expected: Vec<String> = (1..=13).map(|n| format!("EP{n:02}")).collect();
        assert_eq!(ids, expected);
    }

    #[test]
    fn labels_follow_the_handbook() {
        let c = builtin();
        assert_eq!(c.entry_point("EP01").unwrap().label.ja, "USBメモリー");
        assert_eq!(c.entry_point("EP09").unwrap().label.ja, "WiFi（無線AP）");
        assert_eq!(c.entry_point("EP13").unwrap().label.ja, "新規購入機器");
        assert!(c.entry_points().all(|e| !e.shown_by.en.is_empty() && !e.shown_by.ja.is_empty()));
    }

    #[test]
    fn a_maintenance_line_needs_what_appendix_e_3_6_asks() {
        let c = builtin();
        assert_eq!(c.entry_point("EP10").unwrap().required, c.checklist_item("E-3-6").unwrap().controls);
    }
}
