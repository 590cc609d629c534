//! The guideline's tier tables (`data/tier-tables.toml`), cell by cell, with
//! the procurement clause each measure gives a device at its tier.
//!
//! ① network [3.2.2(1)①] and ② device [3.2.2(1)②] measures, in the
//! guideline's order, each measure with the profile requirements that check
//! it, the controls that meet it, its IEC 62443 and DHS 2009 references, and
//! the clause (text, FAT, SAT) a procurement specification carries for it.
//! `kojo procure` selects rows and tiers; this module only holds the data.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::catalogue::{parse, unique, Ordered};
use crate::clause::{check_citations, check_clause, check_label, Clause};
use crate::{CatalogueError, Label};

/// The tables, in the guideline's order.
pub const TIER_TABLES: [&str; 2] = ["network", "device"];

/// The tiers a measure can belong to, from lowest to highest (最低限, 中, 高).
pub const TIERS: [&str; 3] = ["minimum", "medium", "high"];

/// Whose tier decides whether a row applies.
const APPLIES: [&str; 3] = ["zone", "conduit", "asset"];

/// One tier table, e.g. `network` ネットワークにおけるセキュリティ対策.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TierTable {
    /// `"network"` or `"device"`.
    pub id: String,
    pub label: Label,
    /// The guideline section, `"3.2.2(1)①"`.
    pub source: String,
    /// The rows (対策項目), in the guideline's order.
    pub rows: Vec<TierRow>,
}

impl TierTable {
    pub fn row(&self, id: &str) -> Option<&TierRow> {
        self.rows.iter().find(|r| r.id == id)
    }

    /// Every measure of the table, row by row, lowest tier first.
    pub fn measures(&self) -> impl Iterator<Item = &Measure> + Clone {
        self.rows.iter().flat_map(|r| r.measures.iter())
    }
}

/// One row of a tier table, e.g. `unused-ports` 不要ポート.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TierRow {
    /// The `item` that controls and the profile's requirements name.
    pub id: String,
    /// ja: the guideline's row name; en: a rendering.
    pub label: Label,
    /// Whose tier decides: `"zone"`, `"conduit"` or `"asset"`.
    pub applies: String,
    /// Whether the row's measures go into a device's procurement specification.
    pub procure: bool,
    /// The row's measures, lowest tier first; none for a "－" cell.
    pub measures: Vec<Measure>,
}

impl TierRow {
    /// The measures of one cell (`"medium"`), in the guideline's order.
    pub fn measures_at<'a>(&'a self, tier: &'a str) -> impl Iterator<Item = &'a Measure> + Clone + 'a {
        self.measures.iter().filter(move |m| m.tier == tier)
    }
}

/// One measure of a cell, e.g. `device.unused-ports.medium` ソフト閉塞.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Measure {
    /// `<table>.<row>.<tier>`, then `.2`, `.3` for a cell's further parts.
    pub id: String,
    /// `"minimum"`, `"medium"` or `"high"`.
    pub tier: String,
    /// The cell is marked ＋: in addition to the tier on its left. A cell
    /// without ＋ after a non-empty one replaces it.
    pub plus: bool,
    /// ja: the cell text, verbatim without ＋; en: a rendering.
    pub text: Label,
    /// `meti-factory` requirement IDs that check this measure.
    #[serde(default)]
    pub requirements: Vec<String>,
    /// Controls (`controls.toml`) that meet it.
    #[serde(default)]
    pub controls: Vec<String>,
    /// Related IEC 62443 requirements by ID (`"SR 7.7"`, `"CR 7.7"`).
    #[serde(default)]
    pub iec62443: Vec<String>,
    /// Related DHS 2009 procurement-language sections (`"2.1"`).
    #[serde(default)]
    pub dhs: Vec<String>,
    /// What the supplier must provide for a device going into a zone (or
    /// behind a conduit) at this tier.
    pub clause: Clause,
    /// Network measures only: the clause when the item bought is itself the
    /// enforcing device (firewall, gateway, switch) of the zone or conduit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enforcing: Option<Clause>,
}

impl Measure {
    /// The measure's part number within its cell: 1 for the first, 2 for `….medium.2`.
    pub fn part(&self) -> usize {
        self.id.rsplit_once('.').and_then(|(_, n)| n.parse().ok()).unwrap_or(1)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    tables: Vec<TierTable>,
}

pub(crate) fn load(file: &str, text: &str) -> Result<Ordered<TierTable>, CatalogueError> {
    let parsed: File = parse(file, text)?;
    let mut measure_ids = BTreeSet::new();
    for table in &parsed.tables {
        if !TIER_TABLES.contains(&table.id.as_str()) {
            return Err(CatalogueError::invalid(
                file,
                format!("table `{}` is not one of {}", table.id, TIER_TABLES.join(", ")),
            ));
        }
        check_label(file, &format!("table `{}` label", table.id), &table.label)?;
        if table.source.trim().is_empty() || table.rows.is_empty() {
            return Err(CatalogueError::invalid(file, format!("table `{}` needs a source and rows", table.id)));
        }
        unique(file, &format!("table `{}`: row", table.id), table.rows.iter().map(|r| r.id.as_str()))?;
        for row in &table.rows {
            check_row(file, table, row)?;
            for measure in &row.measures {
                if !measure_ids.insert(measure.id.as_str()) {
                    return Err(CatalogueError::DuplicateId { file: file.to_owned(), id: measure.id.clone() });
                }
            }
        }
    }
    Ordered::new(file, parsed.tables, |t| &t.id)
}

/// A row's rules: its own fields, the measures in tier order with IDs that
/// follow their cell, ＋ consistent within a cell and only after a non-empty
/// cell, `enforcing` only in the network table.
fn check_row(file: &str, table: &TierTable, row: &TierRow) -> Result<(), CatalogueError> {
    let what = format!("row `{}.{}`", table.id, row.id);
    let kebab = !row.id.is_empty()
        && !row.id.starts_with('-')
        && !row.id.ends_with('-')
        && !row.id.contains("--")
        && row.id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !kebab {
        return Err(CatalogueError::invalid(file, format!("{what}: the ID is not kebab-case")));
    }
    check_label(file, &format!("{what} label"), &row.label)?;
    if !APPLIES.contains(&row.applies.as_str()) {
        return Err(CatalogueError::invalid(
            file,
            format!("{what}: applies to `{}`; expected one of {}", row.applies, APPLIES.join(", ")),
        ));
    }
    for (rank, tier) in TIERS.iter().enumerate() {
        let cell: Vec<&Measure> = row.measures_at(tier).collect();
        for (part, measure) in cell.iter().enumerate() {
            let base = format!("{}.{}.{tier}", table.id, row.id);
            let expected = if part == 0 { base } else { format!("{base}.{}", part + 1) };
            if measure.id != expected {
                return Err(CatalogueError::invalid(
                    file,
                    format!("{what}: measure `{}` should be `{expected}`", measure.id),
                ));
            }
        }
        if let Some(first) = cell.first() {
            if cell.iter().any(|m| m.plus != first.plus) {
                return Err(CatalogueError::invalid(
                    file,
                    format!("{what}: the {tier} cell marks ＋ on some parts only"),
                ));
            }
            let left = rank.checked_sub(1).and_then(|l| TIERS.get(l));
            if first.plus && left.is_none_or(|l| row.measures_at(l).next().is_none()) {
                return Err(CatalogueError::invalid(
                    file,
                    format!("{what}: `{}` is marked ＋ but the tier on its left has no measure", first.id),
                ));
            }
        }
    }
    for (position, measure) in row.measures.iter().enumerate() {
        let Some(rank) = TIERS.iter().position(|t| *t == measure.tier) else {
            return Err(CatalogueError::invalid(
                file,
                format!("measure `{}` has tier `{}`; expected one of {}", measure.id, measure.tier, TIERS.join(", ")),
            ));
        };
        let before = position.checked_sub(1).and_then(|p| row.measures.get(p));
        if before.is_some_and(|b| TIERS.iter().position(|t| *t == b.tier).is_some_and(|r| r > rank)) {
            return Err(CatalogueError::invalid(
                file,
                format!("{what}: measure `{}` comes after a higher tier", measure.id),
            ));
        }
        check_measure(file, table, measure)?;
    }
    Ok(())
}

fn check_measure(file: &str, table: &TierTable, measure: &Measure) -> Result<(), CatalogueError> {
    let what = format!("measure `{}`", measure.id);
    check_label(file, &format!("{what} text"), &measure.text)?;
    check_clause(file, &format!("{what} clause"), &measure.clause)?;
    match (&measure.enforcing, table.id == "network") {
        (Some(_), false) => {
            return Err(CatalogueError::invalid(
                file,
                format!("{what}: only network measures have an `enforcing` clause"),
            ))
        }
        (Some(enforcing), true) => check_clause(file, &format!("{what} enforcing clause"), enforcing)?,
        (None, _) => {}
    }
    unique(file, &format!("{what}: requirement"), measure.requirements.iter().map(String::as_str))?;
    unique(file, &format!("{what}: control"), measure.controls.iter().map(String::as_str))?;
    check_citations(file, &what, &measure.iec62443, &measure.dhs)
}

#[cfg(test)]
pub(crate) mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::catalogue::tests::{builtin, with};

    fn table(id: &str) -> &'static TierTable {
        builtin().tier_table(id).unwrap()
    }

    #[test]
    fn two_tables_with_their_rows_in_guideline_order() {
        let c = builtin();
        let ids: Vec<&str> = c.tier_tables().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, TIER_TABLES);
        let network: Vec<&str> = table("network").rows.iter().map(|r| r.label.ja.as_str()).collect();
        assert_eq!(
            network,
            [
                "構成分割",
                "接続機器制限",
                "内部秘匿",
                "通信データ制限",
                "利用者制限",
                "通信監視・制御",
                "構成管理",
                "脆弱性対策",
                "ログ取得"
            ]
        );
        let device: Vec<&str> = table("device").rows.iter().map(|r| r.label.ja.as_str()).collect();
        assert_eq!(
            device,
            [
                "通信制限",
                "不要ポート",
                "利用ポート",
                "通信／接続機器認証",
                "送受信データ保護",
                "利用者制限",
                "実行プログラム保護",
                "実行プログラム制御",
                "ファイル保護",
                "資源保護(CPU、メモリ、ディスク)",
                "構成管理",
                "脆弱性対策",
                "ログ取得",
                "バックアップ(データ、機器)",
                "電源可用性確保",
            ]
        );
        assert_eq!(table("network").source, "3.2.2(1)①");
        assert_eq!(table("device").source, "3.2.2(1)②");
        assert!(c.tier_table("remote-access").is_none());
    }

    #[test]
    fn row_ids_applies_and_procure() {
        let rows = |t: &str| -> Vec<(&str, &str, bool)> {
            table(t).rows.iter().map(|r| (r.id.as_str(), r.applies.as_str(), r.procure)).collect()
        };
        assert_eq!(
            rows("network"),
            [
                ("segmentation", "zone", true),
                ("connected-device-restriction", "zone", true),
                ("internal-concealment", "conduit", true),
                ("traffic-restriction", "conduit", true),
                ("user-restriction", "asset", false),
                ("traffic-monitoring", "zone", true),
                ("configuration-management", "zone", true),
                ("vulnerability-management", "asset", false),
                ("logging", "zone", true),
            ]
        );
        let device = rows("device");
        assert!(device.iter().all(|(_, applies, procure)| *applies == "asset" && *procure));
        let ids: Vec<&str> = device.iter().map(|(id, _, _)| *id).collect();
        assert_eq!(
            ids,
            [
                "communication-restriction",
                "unused-ports",
                "used-ports",
                "peer-authentication",
                "data-in-transit",
                "user-restriction",
                "program-integrity",
                "program-execution",
                "file-protection",
                "resource-protection",
                "configuration-management",
                "vulnerability-management",
                "logging",
                "backup",
                "power",
            ]
        );
        // the rows the device table repeats are procured from the device table
        for row in table("network").rows.iter().filter(|r| !r.procure) {
            assert!(table("device").row(&row.id).is_some(), "{}", row.id);
        }
    }

    /// Every cell as the seed prints it: `(measure, ＋, ja)`. Parts of one
    /// cell share its ＋; a "－" cell has no measure.
    const CELLS: &[(&str, bool, &str)] = &[
        ("network.segmentation.medium", false, "VLAN等による論理ドメイン細分"),
        ("network.segmentation.high", false, "物理ドメイン分割"),
        ("network.connected-device-restriction.medium", false, "IP、MAC制限"),
        ("network.connected-device-restriction.high", true, "接続機器の論理証明"),
        ("network.connected-device-restriction.high.2", true, "接続機器の信頼性確保"),
        ("network.internal-concealment.medium", false, "NAT"),
        ("network.internal-concealment.medium.2", false, "ステルス"),
        ("network.internal-concealment.high", false, "不正通信防止（ゲートウェイ）"),
        ("network.traffic-restriction.minimum", false, "送信元／宛先制限（FW）"),
        ("network.traffic-restriction.medium", true, "通信電文種別制限"),
        ("network.traffic-restriction.medium.2", true, "電文内容解析・異常検知（IDS）"),
        ("network.traffic-restriction.high", true, "電文内容解析・異常通信遮断（IPS）"),
        ("network.user-restriction.minimum", false, "不要ユーザ削除"),
        ("network.user-restriction.minimum.2", false, "パスワードポリシー策定"),
        ("network.user-restriction.medium", true, "個人ID認証（1要素認証）"),
        ("network.user-restriction.high", true, "多要素認証"),
        ("network.traffic-monitoring.medium", false, "通信状況可視化・監視（NDR）"),
        ("network.traffic-monitoring.medium.2", false, "異常検知（IDS）"),
        ("network.traffic-monitoring.high", true, "異常通信遮断（IPS、フィルタリング）"),
        ("network.configuration-management.medium", false, "接続機器管理・可視化"),
        ("network.configuration-management.high", true, "機器内の構成管理・可視化"),
        ("network.vulnerability-management.minimum", false, "脆弱性情報収集"),
        ("network.vulnerability-management.medium", true, "脆弱性診断"),
        ("network.vulnerability-management.medium.2", true, "侵入可否検査"),
        ("network.vulnerability-management.medium.3", true, "回避策"),
        (
            "network.vulnerability-management.high",
            true,
            "ソフトウェア更新（セキュリティパッチ適用）[or 仮想的な対策 (IPS、仮想パッチ等)]",
        ),
        ("network.logging.minimum", false, "機器内ログ取得（処理負荷への影響を考慮）"),
        ("network.logging.medium", true, "IDSログ連携"),
        ("network.logging.high", true, "ログ分析の仕組み整備"),
        ("device.communication-restriction.minimum", false, "不要サービス閉塞"),
        ("device.communication-restriction.medium", true, "通信先制限"),
        ("device.communication-restriction.high", true, "FWの導入"),
        ("device.unused-ports.minimum", false, "端子キャップ"),
        ("device.unused-ports.medium", true, "ソフト閉塞（サービスの停止、USBクラス制限等）"),
        ("device.unused-ports.high", true, "ハード閉塞（完全に利用不可）"),
        ("device.used-ports.medium", false, "持込媒体の検査（目視や管理票等で外形的に検査）"),
        (
            "device.used-ports.high",
            true,
            "持込媒体のシステムチェック等（ウイルスチェック等でコンテンツやプログラムまでを検査）",
        ),
        ("device.peer-authentication.medium", false, "IP、MAC、デバイスID認証"),
        ("device.peer-authentication.high", true, "相手機器の論理証明（暗号による）"),
        ("device.data-in-transit.medium", false, "暗号化"),
        ("device.data-in-transit.medium.2", false, "暗号鍵の管理"),
        ("device.data-in-transit.high", true, "暗号鍵の厳密な保護"),
        ("device.user-restriction.minimum", false, "不要ユーザ削除"),
        ("device.user-restriction.minimum.2", false, "パスワードポリシー策定"),
        ("device.user-restriction.medium", true, "個人ID認証（1要素認証）"),
        ("device.user-restriction.high", true, "多要素認証"),
        ("device.program-integrity.medium", false, "プログラム改ざん対策"),
        ("device.program-integrity.high", true, "保護ツール活用"),
        ("device.program-execution.minimum", false, "不要プログラム停止・削除"),
        ("device.program-execution.minimum.2", false, "ユーザグループ管理"),
        ("device.program-execution.medium", true, "グループ実行権限付与"),
        ("device.program-execution.medium.2", true, "ユーザ権限動作"),
        ("device.program-execution.high", true, "実行制御ツール活用"),
        ("device.file-protection.minimum", false, "ユーザグループ管理"),
        ("device.file-protection.medium", true, "暗号化"),
        ("device.file-protection.high", true, "保護ツール活用"),
        ("device.resource-protection.medium", false, "定期確認"),
        ("device.resource-protection.high", true, "保護ツール活用"),
        ("device.configuration-management.medium", false, "機器内の構成管理・可視化"),
        ("device.configuration-management.high", true, "設定情報管理・可視化"),
        ("device.vulnerability-management.minimum", false, "脆弱性情報収集"),
        ("device.vulnerability-management.medium", true, "脆弱性診断"),
        ("device.vulnerability-management.medium.2", true, "侵入可否検査"),
        ("device.vulnerability-management.medium.3", true, "緩和策の適用"),
        (
            "device.vulnerability-management.high",
            true,
            "ソフトウェア更新（セキュリティパッチ適用）[or 仮想的な対策 (IPS、仮想パッチ等)]",
        ),
        ("device.logging.minimum", false, "システムログ取得（処理負荷への影響を考慮）"),
        ("device.logging.medium", true, "操作ログ取得・ログ連携"),
        ("device.logging.high", true, "ログ分析の仕組み整備"),
        ("device.backup.medium", false, "定期オフラインデータバックアップ"),
        ("device.backup.high", true, "切替え機器の確保"),
        ("device.power.medium", false, "UPSの導入"),
        ("device.power.high", true, "自家発電設備の導入"),
    ];

    #[test]
    fn cells_are_the_seeds_verbatim() {
        let c = builtin();
        let all: Vec<(&str, bool, &str)> =
            c.tier_tables().flat_map(|t| t.measures()).map(|m| (m.id.as_str(), m.plus, m.text.ja.as_str())).collect();
        assert_eq!(all, CELLS);
        assert_eq!(table("network").measures().count(), 29);
        assert_eq!(table("device").measures().count(), 43);
        for m in c.tier_tables().flat_map(|t| t.measures()) {
            assert!(!m.text.ja.starts_with('＋') && !m.text.ja.contains('\n'), "{}", m.id);
        }
    }

    #[test]
    fn measure_ids_are_well_formed_and_unique() {
        let c = builtin();
        let mut seen = BTreeSet::new();
        for t in c.tier_tables() {
            for row in &t.rows {
                for m in &row.measures {
                    assert!(seen.insert(m.id.as_str()), "{} twice", m.id);
                    assert!(TIERS.contains(&m.tier.as_str()), "{}", m.id);
                    let base = format!("{}.{}.{}", t.id, row.id, m.tier);
                    let ok = m.id == base
                        || m.id
                            .strip_prefix(&format!("{base}."))
                            .is_some_and(|n| n == m.part().to_string() && m.part() >= 2);
                    assert!(ok, "{}", m.id);
                    let (found_t, found_r, found_m) = c.measure(&m.id).unwrap();
                    assert_eq!(
                        (found_t.id.as_str(), found_r.id.as_str(), found_m),
                        (t.id.as_str(), row.id.as_str(), m)
                    );
                }
            }
        }
        assert!(c.measure("device.unused-ports.medium.2").is_none());
        assert!(c.measure("network").is_none());
        assert_eq!(c.measure("network.connected-device-restriction.high.2").unwrap().2.part(), 2);
    }

    #[test]
    fn plus_marks_additions_and_its_absence_replacement() {
        let c = builtin();
        for m in c.tier_tables().flat_map(|t| t.measures()).filter(|m| m.tier == "minimum") {
            assert!(!m.plus, "{}", m.id);
        }
        // the two cells that replace the tier on their left
        let replacing: Vec<&str> = c
            .tier_tables()
            .flat_map(|t| t.rows.iter())
            .flat_map(|r| {
                r.measures.iter().filter(move |m| {
                    let left = match m.tier.as_str() {
                        "high" => "medium",
                        "medium" => "minimum",
                        _ => return false,
                    };
                    !m.plus && r.measures_at(left).next().is_some()
                })
            })
            .map(|m| m.id.as_str())
            .collect();
        assert_eq!(replacing, ["network.segmentation.high", "network.internal-concealment.high"]);
    }

    /// The two rows the network table repeats and does not procure carry
    /// the device table's clause wherever their cell is the same, so that the
    /// two tables never say different things for one cell.
    #[test]
    fn repeated_rows_carry_the_device_clauses() {
        let mut compared = 0;
        for row in table("network").rows.iter().filter(|r| !r.procure) {
            let device = table("device").row(&row.id).unwrap();
            for m in &row.measures {
                let twin = device.measures_at(&m.tier).find(|d| d.part() == m.part()).unwrap();
                if twin.text == m.text {
                    assert_eq!(twin.clause, m.clause, "{} and {}", m.id, twin.id);
                    compared += 1;
                }
            }
        }
        assert_eq!(compared, 8, "利用者制限 ×4, 脆弱性対策 ×4 (回避策 and 緩和策の適用 differ)");
    }

    #[test]
    fn enforcing_clauses_are_network_only() {
        let c = builtin();
        assert!(table("device").measures().all(|m| m.enforcing.is_none()));
        // every network measure a device spec uses has one for the enforcing device too
        for row in &table("network").rows {
            for m in &row.measures {
                assert_eq!(m.enforcing.is_some(), row.procure, "{}", m.id);
            }
        }
        let fw = c.measure("network.traffic-restriction.minimum").unwrap().2;
        assert!(fw.enforcing.as_ref().unwrap().text.en.contains("denying everything not explicitly allowed"));
    }

    #[test]
    fn references_exist_in_the_profile_and_controls() {
        let c = builtin();
        let profile = c.profile("meti-factory").unwrap();
        for m in c.tier_tables().flat_map(|t| t.measures()) {
            for r in &m.requirements {
                assert!(profile.requirement(r).is_some(), "{}: {r}", m.id);
            }
            for id in &m.controls {
                assert!(c.control(id).is_some(), "{}: {id}", m.id);
            }
            assert!(!m.controls.is_empty(), "{}: no control meets it", m.id);
        }
    }

    /// Every requirement of the profile is linked from a measure of its own
    /// table, and only from measures whose row is its `item` and whose tier
    /// is its `tier` (a device-table row may also link the network-table
    /// requirement of a row the two tables share). Catches drift between
    /// the profile and the tables.
    #[test]
    fn requirements_are_linked_from_their_row_and_tier() {
        let c = builtin();
        let profile = c.profile("meti-factory").unwrap();
        let mut linked: BTreeMap<&str, Vec<(&str, &TierRow, &Measure)>> = BTreeMap::new();
        for t in c.tier_tables() {
            for row in &t.rows {
                for m in &row.measures {
                    for r in &m.requirements {
                        linked.entry(r.as_str()).or_default().push((t.id.as_str(), row, m));
                    }
                }
            }
        }
        // kojo's own requirements (no measures) are checked in `profiles`
        for requirement in profile.requirements.iter().filter(|r| !r.measures.is_empty()) {
            let links = linked.get(requirement.id.as_str()).map(Vec::as_slice).unwrap_or_default();
            assert!(
                links.iter().any(|(t, _, _)| *t == requirement.table),
                "{} is linked from no measure of the {} table",
                requirement.id,
                requirement.table
            );
            for (t, row, m) in links {
                assert_eq!(
                    (row.id.as_str(), m.tier.as_str()),
                    (requirement.item.as_str(), requirement.tier.as_str()),
                    "{} is linked from {}",
                    requirement.id,
                    m.id
                );
                if *t == requirement.table {
                    assert_eq!(row.applies, requirement.applies_to.as_str(), "{} in {}", requirement.id, m.id);
                }
            }
        }
        // the device table, exactly: each device requirement from its row and tier only
        for requirement in profile.requirements.iter().filter(|r| r.table == "device") {
            let links = linked.get(requirement.id.as_str()).unwrap();
            assert!(links.iter().all(|(t, _, _)| *t == "device"), "{}", requirement.id);
        }
    }

    /// Each tier-table control of controls.toml is met by a measure of its
    /// own table, row (`item`) and tier.
    #[test]
    fn controls_are_listed_under_their_row_and_tier() {
        let c = builtin();
        for control in c.controls().filter(|x| TIER_TABLES.contains(&x.table.as_str())) {
            let t = table(&control.table);
            let row = t.row(&control.item);
            assert!(
                row.is_some(),
                "control `{}` names row `{}` that the {} table lacks",
                control.id,
                control.item,
                t.id
            );
            let found = row
                .into_iter()
                .flat_map(|r| r.measures.iter())
                .any(|m| Some(&m.tier) == control.tier.as_ref() && m.controls.contains(&control.id));
            assert!(
                found,
                "control `{}` is not listed by a {:?} measure of {}.{}",
                control.id, control.tier, t.id, control.item
            );
        }
    }

    /// IEC 62443 IDs confirmed in reference/iec62443.md (SRs 1.1–7.8; the CRs
    /// it names; CR IDs mirror the SRs, and kojo uses CR 7.7 beside SR 7.7).
    pub(crate) fn confirmed_iec62443() -> BTreeSet<String> {
        let srs: [(u32, u32); 7] = [(1, 13), (2, 12), (3, 9), (4, 3), (5, 4), (6, 2), (7, 8)];
        let mut ids: BTreeSet<String> =
            srs.iter().flat_map(|&(fr, n)| (1..=n).map(move |i| format!("SR {fr}.{i}"))).collect();
        ids.extend(
            ["CR 1.14", "CR 2.13", "CR 3.10", "CR 3.11", "CR 3.12", "CR 3.13", "CR 3.14", "CR 7.7"].map(String::from),
        );
        ids
    }

    /// DHS 2009 sections as appendix-f.md §2 lists them: categories 2–13 and
    /// the controls of the categories whose controls it lists in order.
    pub(crate) fn known_dhs() -> BTreeSet<String> {
        let mut ids: BTreeSet<String> = (2..=13).map(|c| c.to_string()).collect();
        for (category, controls) in [(2, 6), (3, 3), (4, 7), (6, 2), (10, 6), (11, 4), (12, 2)] {
            ids.extend((1..=controls).map(|n| format!("{category}.{n}")));
        }
        ids
    }

    #[test]
    fn citations_are_confirmed_ids() {
        let c = builtin();
        let iec = confirmed_iec62443();
        let dhs = known_dhs();
        for m in c.tier_tables().flat_map(|t| t.measures()) {
            for id in &m.iec62443 {
                assert!(iec.contains(id), "{}: {id}", m.id);
            }
            for id in &m.dhs {
                assert!(dhs.contains(id), "{}: {id}", m.id);
            }
        }
    }

    const ONE: &str = r#"
[[tables]]
id = "device"
label = { en = "Device", ja = "機器" }
source = "3.2.2(1)②"

[[tables.rows]]
id = "power"
label = { en = "Power", ja = "電源可用性確保" }
applies = "asset"
procure = true

[[tables.rows.measures]]
id = "device.power.medium"
tier = "medium"
plus = false
text = { en = "UPS", ja = "UPSの導入" }
requirements = ["DEV-UPS"]
controls = ["ups"]
iec62443 = ["SR 7.5"]
[tables.rows.measures.clause]
text = { en = "{buyer} x", ja = "{buyer} x" }
fat = { en = "x", ja = "x" }
sat = { en = "x", ja = "x" }
"#;

    #[test]
    fn bad_files_are_rejected() {
        let file = "tier-tables.toml";
        assert!(load(file, ONE).is_ok());
        let bad = |from: &str, to: &str| load(file, &ONE.replace(from, to)).unwrap_err().to_string();
        assert!(bad("id = \"device\"", "id = \"remote\"").contains("`remote`"));
        assert!(bad("device.power.medium", "device.power.medium.2").contains("should be `device.power.medium`"));
        assert!(bad("tier = \"medium\"", "tier = \"mid\"").contains("`mid`"));
        assert!(bad("plus = false", "plus = true").contains("tier on its left"));
        assert!(bad("applies = \"asset\"", "applies = \"plant\"").contains("plant"));
        assert!(bad("{buyer} x\" }\nfat", "{owner} x\" }\nfat").contains("{owner}"));
        assert!(bad("ja = \"{buyer} x\"", "ja = \"x\"").contains("different placeholders"));
        assert!(bad("fat = { en = \"x\"", "fat = { en = \" \"").contains("empty"));
        assert!(bad("[\"SR 7.5\"]", "[\"SR7.5\"]").contains("SR7.5"));
        assert!(bad("[\"ups\"]", "[\"ups\", \"ups\"]").contains("listed twice"));
        assert!(bad("plus = false", "plus = false\ncolour = 1").contains("colour"));
        let enforcing = format!("{ONE}[tables.rows.measures.enforcing]\ntext = {{ en = \"x\", ja = \"x\" }}\nfat = {{ en = \"x\", ja = \"x\" }}\nsat = {{ en = \"x\", ja = \"x\" }}\n");
        assert!(load(file, &enforcing).unwrap_err().to_string().contains("only network measures"));
        assert!(load(
            file,
            &enforcing.replace("id = \"device\"", "id = \"network\"").replace("device.power", "network.power")
        )
        .is_ok());
    }

    #[test]
    fn dangling_references_are_rejected() {
        let text: &'static str = Box::leak(ONE.replace("[\"DEV-UPS\"]", "[\"DEV-MOAT\"]").into_boxed_str());
        let err = with(|s| s.tier_tables = text).unwrap_err();
        assert_eq!(err.file(), "tier-tables.toml");
        assert!(err.to_string().contains("DEV-MOAT"), "{err}");
        let text: &'static str = Box::leak(ONE.replace("[\"ups\"]", "[\"moat\"]").into_boxed_str());
        let err = with(|s| s.tier_tables = text).unwrap_err();
        assert!(err.to_string().contains("moat"), "{err}");
        // the procurement plan names measures this file no longer has
        let err = with(|s| s.tier_tables = ONE).unwrap_err();
        assert_eq!(err.file(), "procurement.toml");
    }
}
