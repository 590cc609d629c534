//! The control vocabulary (`data/controls.toml`): countermeasures from the guideline's tier tables.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::catalogue::{index, parse, unique};
use crate::{CatalogueError, Label};

/// The tables a control can come from.
pub(crate) const TABLES: &[&str] = &["network", "device", "remote-access", "operational"];

/// A countermeasure that zones, conduits or assets claim and profiles require.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Control {
    pub id: String,
    /// The guideline's wording in Japanese; an English rendering.
    pub label: Label,
    /// What may carry the control.
    pub applies_to: Vec<Applies>,
    /// `"network"` ([3.2.2(1)①]), `"device"` ([3.2.2(1)②]), `"remote-access"`
    /// (checklist 3-6) or `"operational"`.
    pub table: String,
    /// The table row (対策項目), e.g. `"traffic-restriction"`, `"unused-ports"`.
    pub item: String,
    /// The tier at which the table first lists the control, where it does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier: Option<String>,
    /// The guideline section, e.g. `"3.2.2(1)①"`.
    pub source: String,
    /// Related IEC 62443 requirements (`"SR 5.1"`, `"CR 3.10"`).
    #[serde(default)]
    pub iec62443: Vec<String>,
    /// For a control kojo derives from the model rather than trusting a
    /// claim: what in the model shows it, as a user would write it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proven_by: Option<Label>,
}

impl Control {
    pub fn applies_to(&self, what: Applies) -> bool {
        self.applies_to.contains(&what)
    }
}

/// What a control can be attached to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applies {
    Zone,
    Conduit,
    Asset,
}

impl Applies {
    pub fn as_str(self) -> &'static str {
        match self {
            Applies::Zone => "zone",
            Applies::Conduit => "conduit",
            Applies::Asset => "asset",
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    controls: Vec<Control>,
}

pub(crate) fn load(file: &str, text: &str) -> Result<BTreeMap<String, Control>, CatalogueError> {
    let parsed: File = parse(file, text)?;
    for control in &parsed.controls {
        let id = &control.id;
        if !TABLES.contains(&control.table.as_str()) {
            return Err(CatalogueError::invalid(
                file,
                format!("control `{id}` has table `{}`; expected one of {}", control.table, TABLES.join(", ")),
            ));
        }
        if control.applies_to.is_empty() {
            return Err(CatalogueError::invalid(file, format!("control `{id}` applies to nothing")));
        }
        unique(file, &format!("control `{id}`: applies_to"), control.applies_to.iter().map(|a| a.as_str()))?;
        if let Some(bad) = control.iec62443.iter().find(|r| !is_iec_ref(r)) {
            return Err(CatalogueError::invalid(
                file,
                format!("control `{id}`: `{bad}` is not an IEC 62443 reference like `SR 5.1` or `CR 3.10`"),
            ));
        }
    }
    index(file, parsed.controls, |c| &c.id)
}

/// `SR 1.13` or `CR 3.10`.
fn is_iec_ref(text: &str) -> bool {
    let Some(number) = text.strip_prefix("SR ").or_else(|| text.strip_prefix("CR ")) else {
        return false;
    };
    let mut parts = number.split('.');
    matches!(
        (parts.next(), parts.next(), parts.next()),
        (Some(a), Some(b), None)
            if !a.is_empty() && !b.is_empty()
                && a.chars().all(|c| c.is_ascii_digit())
                && b.chars().all(|c| c.is_ascii_digit())
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::tests::builtin;

    const REQUIRED: &[&str] = &[
        "segmentation-vlan",
        "segmentation-physical",
        "ip-mac-restriction",
        "device-attestation",
        "device-trust",
        "nat",
        "stealth",
        "gateway",
        "firewall",
        "protocol-allowlist",
        "ids",
        "ips",
        "ndr",
        "remove-unneeded-users",
        "password-policy",
        "individual-id",
        "mfa",
        "asset-inventory",
        "device-config-management",
        "vuln-info",
        "vuln-assessment",
        "patching",
        "virtual-patching",
        "device-logs",
        "ids-log-integration",
        "log-analysis",
        "close-unneeded-services",
        "peer-restriction",
        "host-firewall",
        "port-caps",
        "soft-lockout",
        "hard-lockout",
        "media-inspection",
        "media-scan",
        "device-auth",
        "crypto-peer-auth",
        "encryption-in-transit",
        "key-protection",
        "program-tamper-protection",
        "program-protection-tools",
        "remove-unneeded-programs",
        "least-privilege",
        "application-allowlist",
        "file-access-control",
        "file-encryption",
        "file-protection-tools",
        "resource-checks",
        "resource-protection-tools",
        "config-visibility",
        "config-management",
        "system-logs",
        "operation-logs",
        "log-forwarding",
        "offline-backup",
        "spare-device",
        "ups",
        "generator",
        "per-user-targets",
        "time-window",
        "session-log",
        "wireless-allowlist",
        "anti-malware",
        "physical-access-control",
        "isolation",
    ];

    #[test]
    fn required_controls_exist() {
        let c = builtin();
        for id in REQUIRED {
            assert!(c.control(id).is_some(), "missing control `{id}`");
        }
    }

    #[test]
    fn tiers_are_tiers_of_the_default_profile() {
        let c = builtin();
        let profile = c.profile("meti-factory").unwrap();
        for control in c.controls() {
            if let Some(tier) = &control.tier {
                assert!(profile.tier(tier).is_some(), "control `{}` has unknown tier `{tier}`", control.id);
            }
        }
    }

    #[test]
    fn tiered_tables_give_every_control_a_tier() {
        for control in builtin().controls() {
            let tiered = control.table == "network" || control.table == "device";
            assert_eq!(control.tier.is_some(), tiered, "control `{}`", control.id);
            assert!(control.source.starts_with("3."), "control `{}` cites `{}`", control.id, control.source);
        }
    }

    #[test]
    fn guideline_tiers() {
        let c = builtin();
        let tier = |id: &str| c.control(id).unwrap().tier.as_deref();
        assert_eq!(tier("firewall"), Some("minimum"));
        assert_eq!(tier("protocol-allowlist"), Some("medium"));
        assert_eq!(tier("ids"), Some("medium"));
        assert_eq!(tier("ips"), Some("high"));
        assert_eq!(tier("segmentation-vlan"), Some("medium"));
        assert_eq!(tier("segmentation-physical"), Some("high"));
        assert_eq!(tier("mfa"), Some("high"));
        assert_eq!(tier("port-caps"), Some("minimum"));
        assert_eq!(tier("hard-lockout"), Some("high"));
        assert_eq!(tier("ups"), Some("medium"));
        assert_eq!(tier("generator"), Some("high"));
        let fw = c.control("firewall").unwrap();
        assert_eq!(fw.label.ja, "送信元／宛先制限（FW）");
        assert_eq!(fw.source, "3.2.2(1)①");
        assert!(fw.applies_to(Applies::Conduit));
        assert_eq!(fw.iec62443, ["SR 5.2"]);
    }

    #[test]
    fn iec_references() {
        assert!(is_iec_ref("SR 5.1"));
        assert!(is_iec_ref("SR 1.13"));
        assert!(is_iec_ref("CR 3.10"));
        assert!(!is_iec_ref("SR5.1"));
        assert!(!is_iec_ref("SR 5"));
        assert!(!is_iec_ref("FR 5.1"));
        assert!(!is_iec_ref("SR 5.1.2"));
    }

    #[test]
    fn unknown_table_is_rejected() {
        let text = r#"
[[controls]]
id = "x"
label = { en = "x", ja = "x" }
applies_to = ["zone"]
table = "netwrok"
item = "x"
source = "3.2.2(1)①"
"#;
        let err = load("controls.toml", text).unwrap_err();
        assert!(err.to_string().contains("netwrok"), "{err}");
        let bad_applies =
            text.replace("table = \"netwrok\"", "table = \"network\"").replace("[\"zone\"]", "[\"zoen\"]");
        assert!(matches!(load("controls.toml", &bad_applies), Err(CatalogueError::Parse { .. })));
    }
}
