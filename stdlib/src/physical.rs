//! Physical measures (`data/physical-measures.toml`): the six areas of the
//! guideline's 物理面での対策 [3.2.2(2)], building to physical access control.

use serde::{Deserialize, Serialize};

use crate::catalogue::{parse, unique, Ordered};
use crate::check_points::is_coded_id;
use crate::{CatalogueError, Label};

/// One area of physical measures, e.g. `PHY-POWER` 電源／電気設備に関わる対策.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PhysicalMeasure {
    /// `PHY-<AREA>`, e.g. `PHY-PHYSICAL-ACCESS`.
    pub id: String,
    /// The guideline's heading.
    pub label: Label,
    /// What the guideline asks for in the area, condensed.
    pub description: Label,
    /// The guideline section with the area's number (`"3.2.2(2)②"`).
    pub source: String,
    /// Related controls of `controls.toml` (`PHY-POWER` → `ups`, `generator`).
    #[serde(default)]
    pub controls: Vec<String>,
    /// Related Appendix E checklist items (`PHY-PHYSICAL-ACCESS` → `E-3-4`).
    #[serde(default)]
    pub checklist: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    measures: Vec<PhysicalMeasure>,
}

/// The prefix of every measure ID.
const PREFIX: &str = "PHY-";

pub(crate) fn load(file: &str, text: &str) -> Result<Ordered<PhysicalMeasure>, CatalogueError> {
    let parsed: File = parse(file, text)?;
    for measure in &parsed.measures {
        if !is_coded_id(&measure.id, PREFIX) {
            return Err(CatalogueError::invalid(
                file,
                format!("physical measure `{}` is not an ID like `{PREFIX}AREA`", measure.id),
            ));
        }
        if measure.source.trim().is_empty() {
            return Err(CatalogueError::invalid(
                file,
                format!("physical measure `{}` has an empty source", measure.id),
            ));
        }
        let what = format!("physical measure `{}`:", measure.id);
        unique(file, &format!("{what} control"), measure.controls.iter().map(String::as_str))?;
        unique(file, &format!("{what} checklist item"), measure.checklist.iter().map(String::as_str))?;
    }
    Ordered::new(file, parsed.measures, |m| &m.id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::tests::{builtin, with};

    #[test]
    fn six_measures_in_guideline_order() {
        let c = builtin();
        let ids: Vec<&str> = c.physical_measures().map(|m| m.id.as_str()).collect();
        assert_eq!(
            ids,
            ["PHY-BUILDING", "PHY-POWER", "PHY-ENVIRONMENT", "PHY-WATER", "PHY-DEVICES", "PHY-PHYSICAL-ACCESS"]
        );
        let sources: Vec<&str> = c.physical_measures().map(|m| m.source.as_str()).collect();
        let expected: Vec<String> = "①②③④⑤⑥".chars().map(|n| format!("3.2.2(2){n}")).collect();
        assert_eq!(sources, expected);
        for m in c.physical_measures() {
            assert!(m.label.ja.ends_with("に関わる対策"), "{}", m.id);
            assert!(!m.description.en.trim().is_empty(), "{}", m.id);
            assert!(!m.description.ja.trim().is_empty(), "{}", m.id);
        }
        assert_eq!(c.physical_measure("PHY-ENVIRONMENT").unwrap().label.ja, "環境(空調など)に関わる対策");
        assert!(c.physical_measure("PHY-ROOF").is_none());
    }

    #[test]
    fn related_controls_and_checklist_items() {
        let c = builtin();
        let power = c.physical_measure("PHY-POWER").unwrap();
        assert_eq!(power.controls, ["ups", "generator"]);
        let access = c.physical_measure("PHY-PHYSICAL-ACCESS").unwrap();
        assert_eq!(access.controls, ["physical-access-control"]);
        assert_eq!(access.checklist, ["E-3-4"]);
        for m in c.physical_measures() {
            assert!(m.controls.iter().all(|id| c.control(id).is_some()), "{}", m.id);
            assert!(m.checklist.iter().all(|id| c.checklist_item(id).is_some()), "{}", m.id);
        }
    }

    const ONE: &str = r#"
[[measures]]
id = "PHY-POWER"
label = { en = "Power", ja = "電源" }
description = { en = "x", ja = "x" }
source = "3.2.2(2)②"
controls = ["ups"]
"#;

    #[test]
    fn bad_files_are_rejected() {
        let file = "physical-measures.toml";
        assert!(load(file, ONE).is_ok());
        let err = load(file, &ONE.replace("PHY-POWER", "power")).unwrap_err();
        assert!(err.to_string().contains("`power`"), "{err}");
        let err = load(file, &ONE.replace("[\"ups\"]", "[\"ups\", \"ups\"]")).unwrap_err();
        assert!(err.to_string().contains("listed twice"), "{err}");
        let err = load(file, &ONE.replace("description = { en = \"x\", ja = \"x\" }\n", "")).unwrap_err();
        assert!(matches!(err, CatalogueError::Parse { .. }), "{err:?}");
        let err = load(file, &format!("{ONE}{ONE}")).unwrap_err();
        assert_eq!(err, CatalogueError::DuplicateId { file: file.into(), id: "PHY-POWER".into() });
    }

    #[test]
    fn dangling_references_are_rejected() {
        let text: &'static str = Box::leak(ONE.replace("[\"ups\"]", "[\"ups\", \"moat\"]").into_boxed_str());
        let err = with(|s| s.physical_measures = text).unwrap_err();
        assert_eq!(err.file(), "physical-measures.toml");
        assert!(err.to_string().contains("moat"), "{err}");
        let text: &'static str = Box::leak(format!("{ONE}checklist = [\"E-9-9\"]\n").into_boxed_str());
        let err = with(|s| s.physical_measures = text).unwrap_err();
        assert_eq!(err.file(), "physical-measures.toml");
        assert!(err.to_string().contains("E-9-9"), "{err}");
        // the file is fine by itself, but the procurement plan builds on
        // measures it no longer has
        let err = with(|s| s.physical_measures = ONE).unwrap_err();
        assert_eq!(err.file(), "procurement.toml");
        assert!(err.to_string().contains("PHY-"), "{err}");
    }
}
