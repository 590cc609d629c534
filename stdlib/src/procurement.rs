//! The procurement-specification plan (`data/procurement.toml`): the
//! sections of an Appendix F style specification (F0 … F17, annex A) and
//! the lifecycle clauses that are not tier-table cells.
//!
//! Device functions (F3) come from the device tier table, acceptance tests
//! (F14) from every clause's FAT and SAT, and the annex's questions from
//! the supply-chain and program check points; `kojo procure` fills those.
//! The clauses here are the supplier's obligations over the item's life:
//! remote maintenance, accounts, malware, vulnerabilities and patches,
//! logging and incidents, backup, wireless, physical, deliverables,
//! personnel and disposal.

use serde::{Deserialize, Serialize};

use crate::catalogue::{parse, unique, Ordered};
use crate::check_points::is_coded_id;
use crate::clause::{check_citations, check_clause, check_label, Clause};
use crate::{CatalogueError, Label};

/// When a section or clause applies to an item.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum When {
    /// Always.
    #[default]
    Always,
    /// The item is reached by remote access (a remote-maintenance conduit).
    RemoteAccess,
    /// The item has or uses wireless links.
    Wireless,
    /// The procurement includes software (packaged, developed or customised).
    Software,
    /// The item is itself an enforcing device (firewall, gateway) of a conduit.
    Enforcing,
}

impl When {
    pub fn as_str(self) -> &'static str {
        match self {
            When::Always => "always",
            When::RemoteAccess => "remote-access",
            When::Wireless => "wireless",
            When::Software => "software",
            When::Enforcing => "enforcing",
        }
    }
}

/// One section of the specification, e.g. `remote-maintenance` F5 リモート保守要件.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ProcurementSection {
    /// Kebab-case, fixed: `scope`, `definitions`, … `questions`.
    pub id: String,
    /// `"F0"` … `"F17"`, `"A"` for the annex.
    pub number: String,
    pub heading: Label,
    /// One short paragraph under the heading.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intro: Option<Label>,
    /// The references the section is built on (`"IEC 62443-2-4 SP.10"`, `"DHS 2009 §7"`).
    #[serde(default)]
    pub anchors: Vec<String>,
    #[serde(default)]
    pub when: When,
}

/// One lifecycle clause, e.g. `PR-REMOTE-MAINTENANCE-APPROVAL`.
///
/// A clause states only what the tier-table measures do not: where a
/// measure already asks for something at its tier, the clause adds to it
/// (or the obligation every item needs whatever its tier lives here, and the
/// measure keeps what its tier adds), so that a specification never carries
/// the same obligation twice. `related` names the measures it completes.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ProcurementClause {
    /// `PR-<SECTION>-<TOPIC>`, with the section's ID in upper case.
    pub id: String,
    /// The clause's heading in the specification: a short noun phrase that
    /// names the obligation, like a contract's clause heading ("Malware-free
    /// delivery" / 「マルウェアフリーでの納入」). Required; at most
    /// [`TITLE_MAX_EN`] characters in English and [`TITLE_MAX_JA`] in
    /// Japanese, no placeholders or braces, unique within its section.
    pub title: Label,
    /// The section it belongs to.
    pub section: String,
    #[serde(default)]
    pub when: When,
    pub clause: Clause,
    /// Guideline sections it comes from (`"3.3(2)"`).
    #[serde(default)]
    pub source: Vec<String>,
    /// IEC 62443 references by ID (`"SP.10.05"`, `"SR 3.2"`, `"4-1 DM"`).
    #[serde(default)]
    pub iec62443: Vec<String>,
    /// DHS 2009 procurement-language sections (`"7"`, `"4.7"`).
    #[serde(default)]
    pub dhs: Vec<String>,
    /// Catalogue entries it builds on: `PHY-…`, `SC-…`, `PS-…` or tier-table measure IDs.
    #[serde(default)]
    pub related: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    sections: Vec<ProcurementSection>,
    #[serde(default)]
    clauses: Vec<ProcurementClause>,
}

/// The prefix of every clause ID.
const PREFIX: &str = "PR-";

/// The longest English clause title, in characters.
pub const TITLE_MAX_EN: usize = 60;

/// The longest Japanese clause title, in characters.
pub const TITLE_MAX_JA: usize = 30;

/// Checks a clause title: both languages non-empty, one line, no brace (a
/// title takes no placeholder), within [`TITLE_MAX_EN`] and [`TITLE_MAX_JA`].
fn check_title(file: &str, what: &str, title: &Label) -> Result<(), CatalogueError> {
    for (lang, text, max) in [("English", &title.en, TITLE_MAX_EN), ("Japanese", &title.ja, TITLE_MAX_JA)] {
        let bad = if text.trim().is_empty() {
            Some("is empty".to_owned())
        } else if text.trim() != text || text.contains(['\n', '\r']) {
            Some("has surrounding blanks or a line break".to_owned())
        } else if text.contains(['{', '}']) {
            Some(format!("`{text}` has a brace; titles take no placeholders"))
        } else if text.chars().count() > max {
            Some(format!("`{text}` is longer than {max} characters"))
        } else {
            None
        };
        if let Some(bad) = bad {
            return Err(CatalogueError::invalid(file, format!("{what}: the {lang} title {bad}")));
        }
    }
    Ok(())
}

/// The sections `kojo procure` fills itself, which hold no clauses: device
/// functions (F3) from the device tier table, acceptance tests (F14) from
/// every requirement's FAT and SAT, and the annex's questions (A) from the
/// supply-chain and program check points.
pub const CODE_FILLED_SECTIONS: [&str; 3] = ["device-functions", "acceptance", "questions"];

/// A section number: `F` and a number, or `A`…`Z` for an annex.
fn is_section_number(number: &str) -> bool {
    match number.strip_prefix('F') {
        Some(n) => !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()) && (n == "0" || !n.starts_with('0')),
        None => number.len() == 1 && number.chars().all(|c| c.is_ascii_uppercase()),
    }
}

pub(crate) fn load(
    file: &str,
    text: &str,
) -> Result<(Ordered<ProcurementSection>, Ordered<ProcurementClause>), CatalogueError> {
    let parsed: File = parse(file, text)?;
    unique(file, "section number", parsed.sections.iter().map(|s| s.number.as_str()))?;
    for section in &parsed.sections {
        let what = format!("section `{}`", section.id);
        let kebab = !section.id.is_empty()
            && !section.id.starts_with('-')
            && !section.id.ends_with('-')
            && !section.id.contains("--")
            && section.id.chars().all(|c| c.is_ascii_lowercase() || c == '-');
        if !kebab {
            return Err(CatalogueError::invalid(file, format!("{what}: the ID is not kebab-case")));
        }
        if !is_section_number(&section.number) {
            return Err(CatalogueError::invalid(
                file,
                format!("{what}: number `{}` is not like `F5` or `A`", section.number),
            ));
        }
        check_label(file, &format!("{what} heading"), &section.heading)?;
        if let Some(intro) = &section.intro {
            check_label(file, &format!("{what} intro"), intro)?;
        }
        if section.anchors.iter().any(|a| a.trim().is_empty()) {
            return Err(CatalogueError::invalid(file, format!("{what} has an empty anchor")));
        }
        unique(file, &format!("{what}: anchor"), section.anchors.iter().map(String::as_str))?;
    }
    let sections = Ordered::new(file, parsed.sections, |s| &s.id)?;
    for clause in &parsed.clauses {
        let what = format!("clause `{}`", clause.id);
        let Some(section) = sections.get(&clause.section) else {
            return Err(CatalogueError::invalid(file, format!("{what} names an unknown section `{}`", clause.section)));
        };
        if CODE_FILLED_SECTIONS.contains(&section.id.as_str()) {
            return Err(CatalogueError::invalid(
                file,
                format!("{what}: section `{}` is filled by `kojo procure` and takes no clauses", section.id),
            ));
        }
        let stem = format!("{PREFIX}{}-", section.id.to_ascii_uppercase());
        if !is_coded_id(&clause.id, PREFIX) || clause.id.strip_prefix(&stem).is_none_or(str::is_empty) {
            return Err(CatalogueError::invalid(
                file,
                format!("{what} is not an ID like `{stem}TOPIC` for its section `{}`", section.id),
            ));
        }
        check_title(file, &what, &clause.title)?;
        check_clause(file, &what, &clause.clause)?;
        if clause.source.iter().any(|s| s.trim().is_empty()) {
            return Err(CatalogueError::invalid(file, format!("{what} has an empty source")));
        }
        unique(file, &format!("{what}: source"), clause.source.iter().map(String::as_str))?;
        unique(file, &format!("{what}: related entry"), clause.related.iter().map(String::as_str))?;
        check_citations(file, &what, &clause.iec62443, &clause.dhs)?;
    }
    let clauses = Ordered::new(file, parsed.clauses, |c| &c.id)?;
    for section in sections.iter() {
        let titles = || clauses.iter().filter(|c| c.section == section.id).map(|c| &c.title);
        let what = format!("section `{}`: clause title", section.id);
        unique(file, &what, titles().map(|t| t.en.as_str()))?;
        unique(file, &what, titles().map(|t| t.ja.as_str()))?;
    }
    Ok((sections, clauses))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::catalogue::tests::{builtin, with};
    use crate::tier_tables::tests::{confirmed_iec62443, known_dhs};

    #[test]
    fn sections_in_the_fixed_order() {
        let c = builtin();
        let sections: Vec<(&str, &str, When)> =
            c.procurement_sections().map(|s| (s.id.as_str(), s.number.as_str(), s.when)).collect();
        assert_eq!(
            sections,
            [
                ("scope", "F0", When::Always),
                ("definitions", "F1", When::Always),
                ("architecture", "F2", When::Always),
                ("device-functions", "F3", When::Always),
                ("network", "F4", When::Always),
                ("remote-maintenance", "F5", When::RemoteAccess),
                ("accounts", "F6", When::Always),
                ("malware", "F7", When::Always),
                ("vulnerabilities", "F8", When::Always),
                ("logging", "F9", When::Always),
                ("backup", "F10", When::Always),
                ("wireless", "F11", When::Wireless),
                ("physical", "F13", When::Always),
                ("acceptance", "F14", When::Always),
                ("deliverables", "F15", When::Always),
                ("personnel", "F16", When::Always),
                ("disposal", "F17", When::Always),
                ("questions", "A", When::Always),
            ]
        );
        assert_eq!(c.procurement_section("malware").unwrap().heading.ja, "マルウェア対策・マルウェアフリー納入");
        assert!(c.procurement_section("sis").is_none(), "F12 (SIS) is left out: the model has no SIS");
        for s in c.procurement_sections() {
            assert!(!s.anchors.is_empty(), "{}", s.id);
        }
    }

    #[test]
    fn sections_filled_by_code_have_no_clauses() {
        let c = builtin();
        for id in CODE_FILLED_SECTIONS {
            assert!(c.procurement_section(id).is_some(), "{id}");
            assert_eq!(c.procurement_clauses_in(id).count(), 0, "{id}");
        }
        for id in ["acceptance", "questions"] {
            assert!(c.procurement_section(id).unwrap().intro.is_some(), "{id}");
        }
        for s in c.procurement_sections() {
            let n = c.procurement_clauses_in(&s.id).count();
            if s.number.strip_prefix('F').and_then(|n| n.parse::<u32>().ok()).is_some_and(|n| n >= 4 && n != 14) {
                assert!((3..=8).contains(&n), "{}: {n} clauses", s.id);
            }
        }
    }

    #[test]
    fn clauses_belong_to_known_sections_in_section_order() {
        let c = builtin();
        let order: Vec<&str> = c.procurement_sections().map(|s| s.id.as_str()).collect();
        let mut last = 0;
        let mut ids = BTreeSet::new();
        for clause in c.procurement_clauses() {
            let position = order.iter().position(|s| *s == clause.section).unwrap();
            assert!(position >= last, "{} is out of section order", clause.id);
            last = position;
            let stem = format!("PR-{}-", clause.section.to_ascii_uppercase());
            assert!(clause.id.starts_with(&stem), "{}", clause.id);
            assert!(is_coded_id(&clause.id, PREFIX), "{}", clause.id);
            assert!(ids.insert(clause.id.as_str()), "{} twice", clause.id);
            assert_eq!(c.procurement_clause(&clause.id), Some(clause));
        }
        let in_malware: Vec<&str> = c.procurement_clauses_in("malware").map(|x| x.id.as_str()).collect();
        assert!(in_malware.contains(&"PR-MALWARE-FREE-DELIVERY"), "{in_malware:?}");
        assert!(c.procurement_clause("PR-NOPE").is_none());
    }

    /// The obligations a buyer expects, each in its section with its anchor.
    #[test]
    fn must_have_clauses() {
        let c = builtin();
        let has = |id: &str, section: &str, iec: &str| {
            let clause = c.procurement_clause(id).unwrap_or_else(|| panic!("{id} missing"));
            assert_eq!(clause.section, section, "{id}");
            assert!(iec.is_empty() || clause.iec62443.iter().any(|x| x == iec), "{id} lacks {iec}");
            clause
        };
        for id in [
            "PR-REMOTE-MAINTENANCE-APPROVAL",
            "PR-REMOTE-MAINTENANCE-MFA",
            "PR-REMOTE-MAINTENANCE-TARGETS",
            "PR-REMOTE-MAINTENANCE-RECORDING",
            "PR-REMOTE-MAINTENANCE-TERMINATION",
        ] {
            assert_eq!(has(id, "remote-maintenance", "").when, When::RemoteAccess, "{id}");
        }
        has("PR-REMOTE-MAINTENANCE-APPROVAL", "remote-maintenance", "SP.07");
        has("PR-ACCOUNTS-DEFAULTS", "accounts", "SP.09");
        has("PR-ACCOUNTS-HARD-CODED", "accounts", "SP.09");
        has("PR-MALWARE-FREE-DELIVERY", "malware", "SP.10.05");
        assert!(c.procurement_section("malware").unwrap().anchors.iter().any(|a| a == "SEMI E188"));
        // the deadline is the minimum-tier measure's; the clause adds the contact and what a notice says
        let notice = has("PR-VULNERABILITIES-NOTIFICATION", "vulnerabilities", "SP.03.03");
        assert!(notice.related.iter().any(|r| r == "device.vulnerability-management.minimum"));
        assert!(notice.clause.text.en.contains("point of contact") && notice.clause.text.ja.contains("窓口"));
        has("PR-VULNERABILITIES-PATCH-LIST", "vulnerabilities", "SP.11.02");
        let support = has("PR-VULNERABILITIES-SUPPORT-PERIOD", "vulnerabilities", "SP.11");
        assert!(
            support.clause.text.en.contains("{support_years}") && support.clause.text.ja.contains("{support_years}")
        );
        has("PR-VULNERABILITIES-END-OF-SUPPORT", "vulnerabilities", "");
        has("PR-VULNERABILITIES-SIGNED-UPDATES", "vulnerabilities", "CR 3.10");
        let events = has("PR-LOGGING-EVENTS", "logging", "SP.08");
        assert!(events.clause.text.en.contains("{log_retention_days}"));
        has("PR-LOGGING-INCIDENT-RESPONSE", "logging", "SP.08");
        has("PR-BACKUP-RESTORE-PROOF", "backup", "SP.12.05");
        has("PR-WIRELESS-SSID", "wireless", "SP.04");
        has("PR-PHYSICAL-ENCLOSURE", "physical", "CR 3.11");
        for (id, iec) in [
            ("PR-DELIVERABLES-HARDENING-GUIDE", "SP.02.03"),
            ("PR-DELIVERABLES-AS-BUILT", "SP.06.01"),
            ("PR-DELIVERABLES-INVENTORY-SBOM", "SP.06.02"),
            ("PR-DELIVERABLES-PATCH-LIST", "SP.11.02"),
            ("PR-DELIVERABLES-BACKUP-PROCEDURE", "SP.12.01"),
        ] {
            has(id, "deliverables", iec);
        }
        has("PR-PERSONNEL-BRIEFING", "personnel", "SP.01");
        has("PR-PERSONNEL-SUBCONTRACTING", "personnel", "SP.01");
        has("PR-DISPOSAL-SANITISATION", "disposal", "SP.03.10 RE(4)");
        has("PR-DISPOSAL-SANITISATION", "disposal", "SR 4.2");
        let physical: BTreeSet<&str> =
            c.procurement_clauses_in("physical").flat_map(|x| x.related.iter().map(String::as_str)).collect();
        assert!(physical.contains("PHY-POWER") && physical.contains("PHY-ENVIRONMENT"), "{physical:?}");
    }

    /// Where a lifecycle clause builds on a measure, each obligation is
    /// stated by one of them only: `(clause, measure, owner, en, ja)` says
    /// that the phrase is in the owner's text, in both languages, and in
    /// the other's in neither. A measure keeps what its cell asks at its
    /// tier; a clause keeps what every item needs whatever its tier.
    #[test]
    fn no_obligation_is_stated_twice() {
        #[derive(Clone, Copy, PartialEq)]
        enum Owner {
            Clause,
            Measure,
        }
        use Owner::{Clause as C, Measure as M};
        const VULN_MIN: &str = "device.vulnerability-management.minimum";
        const VULN_HIGH: &str = "device.vulnerability-management.high";
        const USERS_MIN: &str = "device.user-restriction.minimum";
        const PASSWORDS: &str = "device.user-restriction.minimum.2";
        let pairs: &[(&str, &str, Owner, &str, &str)] = &[
            ("PR-VULNERABILITIES-NOTIFICATION", VULN_MIN, M, "{notice_days}", "{notice_days}"),
            ("PR-VULNERABILITIES-NOTIFICATION", VULN_MIN, C, "severity", "深刻度"),
            ("PR-VULNERABILITIES-SUPPORT-PERIOD", VULN_HIGH, C, "{support_years}", "{support_years}"),
            ("PR-VULNERABILITIES-SUPPORT-PERIOD", VULN_HIGH, M, "virtual measure", "仮想的な対策"),
            (
                "PR-VULNERABILITIES-SIGNED-UPDATES",
                "device.program-integrity.medium",
                M,
                "The item shall",
                "本調達品は、",
            ),
            ("PR-ACCOUNTS-DEFAULTS", USERS_MIN, M, "not needed in operation", "運用に不要なアカウント"),
            ("PR-ACCOUNTS-DEFAULTS", PASSWORDS, M, "change of initial passwords", "初期パスワードの変更"),
            ("PR-ACCOUNTS-PASSWORD-RULES", PASSWORDS, M, "complexity", "複雑さ"),
            ("PR-ACCOUNTS-PASSWORD-RULES", PASSWORDS, C, "lock-out", "ロックアウト"),
            ("PR-ACCOUNTS-TEMPORARY", USERS_MIN, C, "commissioning", "試運転"),
            ("PR-ACCOUNTS-UNIQUE", "device.user-restriction.medium", M, "individual user ID", "個人ID"),
            ("PR-REMOTE-MAINTENANCE-MFA", "device.user-restriction.high", C, "remote", "リモート"),
            ("PR-LOGGING-EVENTS", "device.logging.minimum", M, "log-on", "ログオン"),
            ("PR-LOGGING-EVENTS", "device.logging.minimum", C, "{log_retention_days}", "{log_retention_days}"),
            ("PR-LOGGING-EXPORT", "device.logging.medium", M, "collector", "ログ収集基盤"),
            ("PR-BACKUP-PROCEDURES", "device.backup.medium", C, "restore", "リストア"),
            ("PR-BACKUP-NO-IMPACT", "device.backup.medium", C, "control functions", "制御機能"),
            ("PR-PHYSICAL-POWER", "device.power.medium", C, "voltage", "電圧"),
            ("PR-PHYSICAL-PORTS", "device.unused-ports.minimum", M, "list", "一覧"),
            (
                "PR-DELIVERABLES-INVENTORY-SBOM",
                "network.configuration-management.medium",
                C,
                "serial number",
                "シリアル番号",
            ),
        ];
        let c = builtin();
        for &(clause_id, measure_id, owner, en, ja) in pairs {
            let clause = c.procurement_clause(clause_id).unwrap_or_else(|| panic!("{clause_id} missing"));
            let (_, _, measure) = c.measure(measure_id).unwrap_or_else(|| panic!("{measure_id} missing"));
            let related = clause.related.iter().any(|r| r == measure_id);
            assert!(related || measure_id == PASSWORDS, "{clause_id} does not name {measure_id} as related");
            let (keeps, other) = match owner {
                C => ((clause_id, &clause.clause.text), (measure_id, &measure.clause.text)),
                M => ((measure_id, &measure.clause.text), (clause_id, &clause.clause.text)),
            };
            assert!(keeps.1.en.contains(en) && keeps.1.ja.contains(ja), "{} should state `{en}` / `{ja}`", keeps.0);
            assert!(!other.1.en.contains(en) && !other.1.ja.contains(ja), "{} restates `{en}` / `{ja}`", other.0);
        }
        // the deadline and the period are each stated in one place
        let placeholder_in = |label: &crate::Label, name: &str| label.en.contains(name) || label.ja.contains(name);
        for x in c.procurement_clauses() {
            assert!(!placeholder_in(&x.clause.text, "{notice_days}"), "{}", x.id);
        }
        for m in c.tier_tables().flat_map(|t| t.measures()) {
            for name in ["{support_years}", "{log_retention_days}"] {
                assert!(!placeholder_in(&m.clause.text, name), "{}: {name}", m.id);
            }
        }
        // nothing was left of the port-and-protocol declaration once the two
        // minimum-tier measures (services offered, flows needed) state it
        assert!(c.procurement_clause("PR-NETWORK-PORTS-PROTOCOLS").is_none());
    }

    #[test]
    fn conditions_are_used_where_they_belong() {
        let c = builtin();
        let when = |w: When| c.procurement_clauses().filter(move |x| x.when == w);
        assert!(when(When::Enforcing).count() >= 2);
        assert!(when(When::Software).count() >= 2);
        assert!(when(When::RemoteAccess).all(|x| x.section == "remote-maintenance"));
        assert!(when(When::Wireless).all(|x| x.section == "wireless"));
        // a conditional section holds only clauses of its condition
        for s in c.procurement_sections().filter(|s| s.when != When::Always) {
            assert!(c.procurement_clauses_in(&s.id).all(|x| x.when == s.when), "{}", s.id);
        }
    }

    #[test]
    fn citations_and_related_entries_exist() {
        let c = builtin();
        let iec = confirmed_iec62443();
        let dhs = known_dhs();
        // 2-4 IDs as appendix-f.md §3, §5 and §6 give them; 4-1 practices
        let sp: BTreeSet<String> = (1..=12)
            .map(|n| format!("SP.{n:02}"))
            .chain(
                [
                    "SP.02.02",
                    "SP.02.03",
                    "SP.03.02",
                    "SP.03.03",
                    "SP.03.05",
                    "SP.03.06",
                    "SP.03.07",
                    "SP.03.08",
                    "SP.03.10 RE(4)",
                    "SP.05.09",
                    "SP.06.01",
                    "SP.06.02",
                    "SP.08.02 RE(2)",
                    "SP.10.01",
                    "SP.10.05",
                    "SP.11.01",
                    "SP.11.02",
                    "SP.12.01",
                    "SP.12.05",
                ]
                .map(String::from),
            )
            .chain(["4-1 SM", "4-1 SR", "4-1 SD", "4-1 SI", "4-1 SVV", "4-1 DM", "4-1 SUM", "4-1 SG"].map(String::from))
            .collect();
        for clause in c.procurement_clauses() {
            for id in &clause.iec62443 {
                assert!(iec.contains(id) || sp.contains(id), "{}: {id}", clause.id);
            }
            for id in &clause.dhs {
                assert!(dhs.contains(id), "{}: {id}", clause.id);
            }
            for id in &clause.related {
                assert!(c.related_exists(id), "{}: {id}", clause.id);
            }
            assert!(
                !clause.source.is_empty() || !clause.iec62443.is_empty() || !clause.dhs.is_empty(),
                "{} cites nothing",
                clause.id
            );
        }
    }

    const ONE: &str = r#"
[[sections]]
id = "malware"
number = "F7"
heading = { en = "Malware", ja = "マルウェア対策" }
anchors = ["SP.10"]

[[clauses]]
id = "PR-MALWARE-FREE-DELIVERY"
title = { en = "Malware-free delivery", ja = "マルウェアフリーでの納入" }
section = "malware"
iec62443 = ["SP.10.05"]
related = ["device.used-ports.high"]
[clauses.clause]
text = { en = "{buyer} x", ja = "{buyer} x" }
fat = { en = "x", ja = "x" }
sat = { en = "x", ja = "x" }
"#;

    #[test]
    fn bad_files_are_rejected() {
        let file = "procurement.toml";
        assert!(load(file, ONE).is_ok());
        let bad = |from: &str, to: &str| load(file, &ONE.replace(from, to)).unwrap_err().to_string();
        assert!(bad("section = \"malware\"", "section = \"virus\"").contains("unknown section `virus`"));
        let filled = ONE
            .replace("id = \"malware\"", "id = \"acceptance\"")
            .replace("section = \"malware\"", "section = \"acceptance\"");
        let err = load(file, &filled.replace("PR-MALWARE-", "PR-ACCEPTANCE-")).unwrap_err().to_string();
        assert!(err.contains("takes no clauses"), "{err}");
        assert!(bad("PR-MALWARE-FREE-DELIVERY", "PR-VIRUS-FREE-DELIVERY").contains("PR-MALWARE-TOPIC"));
        assert!(bad("PR-MALWARE-FREE-DELIVERY", "PR-MALWARE-").contains("PR-MALWARE-TOPIC"));
        assert!(bad("number = \"F7\"", "number = \"7\"").contains("`7`"));
        assert!(bad("{buyer} x\", ja", "{vendor} x\", ja").contains("{vendor}"));
        assert!(bad("[\"SP.10.05\"]", "[\"SP.10.5\"]").contains("SP.10.5"));
        assert!(bad("id = \"malware\"", "id = \"Malware\"").contains("kebab-case"));
        assert!(bad("anchors = [\"SP.10\"]", "anchors = [\"SP.10\", \"SP.10\"]").contains("listed twice"));
        assert!(bad("section = \"malware\"", "section = \"malware\"\nwhen = \"sometimes\"").contains("sometimes"));
        let err = load(file, &format!("{ONE}{}", &ONE[ONE.find("[[clauses]]").unwrap()..])).unwrap_err();
        assert_eq!(err, CatalogueError::DuplicateId { file: file.into(), id: "PR-MALWARE-FREE-DELIVERY".into() });
        let when: (Ordered<ProcurementSection>, Ordered<ProcurementClause>) =
            load(file, &ONE.replace("section = \"malware\"", "section = \"malware\"\nwhen = \"remote-access\""))
                .unwrap();
        assert_eq!(when.1.get("PR-MALWARE-FREE-DELIVERY").unwrap().when, When::RemoteAccess);
        assert_eq!(When::RemoteAccess.as_str(), "remote-access");
    }

    #[test]
    fn titles_are_required_short_and_without_placeholders() {
        let file = "procurement.toml";
        let bad = |from: &str, to: &str| load(file, &ONE.replace(from, to)).unwrap_err().to_string();
        let title = "title = { en = \"Malware-free delivery\", ja = \"マルウェアフリーでの納入\" }\n";
        assert!(ONE.contains(title));
        let err = bad(title, "");
        assert!(err.contains("title"), "{err}");
        let err = bad("en = \"Malware-free delivery\"", "en = \" \"");
        assert!(err.contains("English title is empty"), "{err}");
        let err = bad("ja = \"マルウェアフリーでの納入\"", "ja = \"\"");
        assert!(err.contains("Japanese title is empty"), "{err}");
        let err = bad("Malware-free delivery", "Delivery for {buyer}");
        assert!(err.contains("brace"), "{err}");
        let err = bad("Malware-free delivery", "Malware-free delivery ");
        assert!(err.contains("blanks"), "{err}");
        let long_en = "x".repeat(TITLE_MAX_EN + 1);
        assert!(bad("Malware-free delivery", &long_en).contains("longer than 60"));
        assert!(load(file, &ONE.replace("Malware-free delivery", &"x".repeat(TITLE_MAX_EN))).is_ok());
        let long_ja = "あ".repeat(TITLE_MAX_JA + 1);
        assert!(bad("マルウェアフリーでの納入", &long_ja).contains("longer than 30"));
        assert!(load(file, &ONE.replace("マルウェアフリーでの納入", &"あ".repeat(TITLE_MAX_JA))).is_ok());
        // two clauses of one section may not share a title, in either language
        let clause = &ONE[ONE.find("[[clauses]]").unwrap()..];
        let second = clause.replace("PR-MALWARE-FREE-DELIVERY", "PR-MALWARE-MEDIA");
        let err = load(file, &format!("{ONE}{second}")).unwrap_err().to_string();
        assert!(err.contains("clause title `Malware-free delivery` is listed twice"), "{err}");
        let only_ja = second.replace("Malware-free delivery", "Media");
        let err = load(file, &format!("{ONE}{only_ja}")).unwrap_err().to_string();
        assert!(err.contains("listed twice"), "{err}");
        assert!(load(file, &format!("{ONE}{}", only_ja.replace("マルウェアフリーでの納入", "媒体"))).is_ok());
    }

    /// Every clause is headed by a title of its own: a short noun phrase in
    /// both languages, not a cut-off first sentence, unique in its section.
    #[test]
    fn every_clause_has_a_title_unique_in_its_section() {
        let c = builtin();
        for section in c.procurement_sections() {
            let mut en = BTreeSet::new();
            let mut ja = BTreeSet::new();
            for x in c.procurement_clauses_in(&section.id) {
                let t = &x.title;
                assert!(!t.en.trim().is_empty() && !t.ja.trim().is_empty(), "{}", x.id);
                assert!(t.en.chars().count() <= TITLE_MAX_EN, "{}: {} is too long", x.id, t.en);
                assert!(t.ja.chars().count() <= TITLE_MAX_JA, "{}: {} is too long", x.id, t.ja);
                for text in [&t.en, &t.ja] {
                    assert!(!text.contains(['{', '}']), "{}: {text}", x.id);
                    assert!(!text.ends_with(['.', '。', '…', ',', '、']), "{}: {text} is not a heading", x.id);
                }
                // a heading, not the clause's first sentence
                assert!(t.en.starts_with(|ch: char| ch.is_uppercase()), "{}: {}", x.id, t.en);
                assert!(!t.en.contains(" shall ") && !t.ja.contains("こと"), "{}: {} / {}", x.id, t.en, t.ja);
                assert!(!x.clause.text.en.starts_with(&t.en), "{}: {}", x.id, t.en);
                assert!(en.insert(t.en.as_str()), "{}: `{}` twice in {}", x.id, t.en, section.id);
                assert!(ja.insert(t.ja.as_str()), "{}: `{}` twice in {}", x.id, t.ja, section.id);
            }
        }
        let delivery = c.procurement_clause("PR-MALWARE-FREE-DELIVERY").unwrap();
        assert_eq!(
            (delivery.title.en.as_str(), delivery.title.ja.as_str()),
            ("Malware-free delivery", "マルウェアフリーでの納入")
        );
    }

    #[test]
    fn dangling_related_entries_are_rejected() {
        assert!(with(|s| s.procurement = ONE).is_ok());
        for missing in ["PHY-MOAT", "SC-PRODUCTS-NOPE", "PS-NOPE", "device.used-ports.low", "ups"] {
            let text: &'static str =
                Box::leak(ONE.replace("\"device.used-ports.high\"", &format!("\"{missing}\"")).into_boxed_str());
            let err = with(|s| s.procurement = text).unwrap_err();
            assert_eq!(err.file(), "procurement.toml");
            assert!(err.to_string().contains(missing), "{err}");
        }
    }
}
