//! Programs and services (`data/program-checks.toml`): the questions the
//! guideline asks of business programs and services in use [3.2.2(1)③].

use serde::{Deserialize, Serialize};

use crate::catalogue::{parse, Ordered};
use crate::check_points::{self, CheckPoint};
use crate::{CatalogueError, Label};

/// A kind of business program or service (業務プログラム・利用サービス),
/// e.g. `packaged-software`, with the questions to ask of it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ProgramCheckKind {
    pub id: String,
    pub label: Label,
    /// The check points, in the guideline's order; IDs start `PS-`.
    pub checks: Vec<CheckPoint>,
}

impl ProgramCheckKind {
    pub fn check(&self, id: &str) -> Option<&CheckPoint> {
        self.checks.iter().find(|c| c.id == id)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    kinds: Vec<ProgramCheckKind>,
}

/// The prefix of every check point ID in the file.
const PREFIX: &str = "PS-";

pub(crate) fn load(file: &str, text: &str) -> Result<Ordered<ProgramCheckKind>, CatalogueError> {
    let parsed: File = parse(file, text)?;
    check_points::validate(file, PREFIX, parsed.kinds.iter().map(|k| (k.id.as_str(), k.checks.as_slice())))?;
    Ordered::new(file, parsed.kinds, |k| &k.id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::tests::builtin;

    #[test]
    fn three_kinds_in_guideline_order() {
        let c = builtin();
        let kinds: Vec<&str> = c.program_checks().map(|k| k.id.as_str()).collect();
        assert_eq!(kinds, ["packaged-software", "in-house-program", "external-service"]);
        let labels: Vec<&str> = c.program_checks().map(|k| k.label.ja.as_str()).collect();
        assert_eq!(labels, ["パッケージソフトウェア", "独自プログラム", "外部サービス"]);
    }

    #[test]
    fn check_points_follow_the_guideline() {
        let c = builtin();
        let ids: Vec<&str> = c.program_checks().flat_map(|k| k.checks.iter().map(|p| p.id.as_str())).collect();
        assert_eq!(
            ids,
            [
                "PS-PACKAGED-FUNCTIONS",
                "PS-PACKAGED-SETTINGS",
                "PS-PACKAGED-DEFECTS",
                "PS-INHOUSE-FUNCTIONS",
                "PS-INHOUSE-BUILD-RULES",
                "PS-EXTERNAL-SPECIFICATION",
                "PS-EXTERNAL-SETTINGS",
                "PS-EXTERNAL-DAMAGE",
            ]
        );
        assert!(c.program_checks().flat_map(|k| &k.checks).all(|p| p.source == "3.2.2(1)③"));
        let kind = c.program_check_kind("in-house-program").unwrap();
        assert_eq!(
            kind.check("PS-INHOUSE-BUILD-RULES").unwrap().label.ja,
            "プログラム構築時のセキュリティルールが整備されているか"
        );
        let (kind, check) = c.program_check("PS-EXTERNAL-DAMAGE").unwrap();
        assert_eq!(kind.id, "external-service");
        assert_eq!(check.label.ja, "セキュリティ被害の影響に関する取決めが記載されているか");
    }

    #[test]
    fn unknown_ids_are_none() {
        let c = builtin();
        assert!(c.program_check_kind("firmware").is_none());
        assert!(c.program_check("PS-NOPE").is_none());
        assert!(c.program_check_kind("packaged-software").unwrap().check("PS-EXTERNAL-DAMAGE").is_none());
    }

    const ONE: &str = r#"
[[kinds]]
id = "packaged-software"
label = { en = "Packaged software", ja = "パッケージソフトウェア" }

[[kinds.checks]]
id = "PS-PACKAGED-FUNCTIONS"
label = { en = "x", ja = "x" }
source = "3.2.2(1)③"
"#;

    #[test]
    fn a_minimal_file_loads() {
        let kinds = load("program-checks.toml", ONE).unwrap();
        assert_eq!(kinds.iter().count(), 1);
        assert!(kinds.get("packaged-software").is_some());
    }

    #[test]
    fn bad_files_are_rejected() {
        let file = "program-checks.toml";
        let err = load(file, &ONE.replace("PS-PACKAGED", "SC-PACKAGED")).unwrap_err();
        assert!(err.to_string().contains("SC-PACKAGED-FUNCTIONS"), "{err}");
        let err = load(file, &ONE.replace("source = \"3.2.2(1)③\"", "source = \" \"")).unwrap_err();
        assert!(matches!(err, CatalogueError::Invalid { .. }), "{err:?}");
        let err = load(file, &ONE.replace("source =", "colour = \"red\"\nsource =")).unwrap_err();
        assert!(matches!(err, CatalogueError::Parse { .. }), "{err:?}");
        let no_checks = "[[kinds]]\nid = \"x\"\nlabel = { en = \"x\", ja = \"x\" }\nchecks = []\n";
        let err = load(file, no_checks).unwrap_err();
        assert!(err.to_string().contains("no check points"), "{err}");
        // a check point ID is unique in the whole file, not only in its kind
        let other = ONE.replace("id = \"packaged-software\"", "id = \"external-service\"");
        let err = load(file, &format!("{ONE}{other}")).unwrap_err();
        assert_eq!(err, CatalogueError::DuplicateId { file: file.into(), id: "PS-PACKAGED-FUNCTIONS".into() });
        let renamed = ONE.replace("PS-PACKAGED-FUNCTIONS", "PS-PACKAGED-OTHER");
        let err = load(file, &format!("{ONE}{renamed}")).unwrap_err();
        assert_eq!(err, CatalogueError::DuplicateId { file: file.into(), id: "packaged-software".into() });
    }
}
