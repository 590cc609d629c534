//! Asset kinds (`data/asset-kinds.toml`): what an asset is, and what that implies.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::catalogue::{index, parse, unique};
use crate::{CatalogueError, Label};

/// A kind of asset (`kind plc`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AssetKind {
    pub id: String,
    pub label: Label,
    /// Can enforce a conduit (`enforced-by`): firewall, router, gateway, diode.
    pub enforcing: bool,
    /// Opens a wireless medium into its zone.
    pub wireless: bool,
    /// Threat entry points (`EP01`…) the kind typically opens.
    #[serde(default)]
    pub entry_points: Vec<String>,
    /// The kinds of business program or service (program-checks.toml) an
    /// asset of this kind is, unless the asset says otherwise (`software`).
    #[serde(default)]
    pub software: Vec<String>,
    /// What an asset of this kind can do (`capabilities.toml`), unless the
    /// asset says otherwise (`capabilities`): kojo's reading of the kind.
    #[serde(default)]
    pub capabilities: Vec<String>,
    /// The Purdue-style level (0 the process … 5 the enterprise) an asset
    /// of this kind places its zone at in the zone diagram; `None` for
    /// kinds that do not say where a zone sits (network devices).
    #[serde(default)]
    pub purdue: Option<u8>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    kinds: Vec<AssetKind>,
}

pub(crate) fn load(file: &str, text: &str) -> Result<BTreeMap<String, AssetKind>, CatalogueError> {
    let parsed: File = parse(file, text)?;
    for kind in &parsed.kinds {
        unique(file, &format!("asset kind `{}`: entry point", kind.id), kind.entry_points.iter().map(String::as_str))?;
        unique(file, &format!("asset kind `{}`: software kind", kind.id), kind.software.iter().map(String::as_str))?;
        unique(file, &format!("asset kind `{}`: capability", kind.id), kind.capabilities.iter().map(String::as_str))?;
        if kind.purdue.is_some_and(|level| level > 5) {
            return Err(CatalogueError::invalid(
                file,
                format!("asset kind `{}`: `purdue` is a level from 0 to 5", kind.id),
            ));
        }
    }
    index(file, parsed.kinds, |k| &k.id)
}

#[cfg(test)]
mod tests {
    use crate::catalogue::tests::builtin;

    const REQUIRED: &[&str] = &[
        "server",
        "workstation",
        "hmi",
        "plc",
        "scada",
        "historian",
        "engineering-workstation",
        "maintenance-terminal",
        "firewall",
        "router",
        "gateway",
        "diode",
        "switch",
        "access-point",
        "jump-host",
        "sensor",
        "iot",
        "mfp",
        "handheld",
        "agv",
        "robot",
        "equipment",
        "cloud-service",
    ];

    #[test]
    fn required_kinds_exist() {
        let c = builtin();
        for id in REQUIRED {
            assert!(c.asset_kind(id).is_some(), "missing asset kind `{id}`");
        }
    }

    #[test]
    fn enforcing_and_wireless_kinds() {
        let c = builtin();
        let enforcing: Vec<&str> = c.asset_kinds().filter(|k| k.enforcing).map(|k| k.id.as_str()).collect();
        assert_eq!(enforcing, ["diode", "firewall", "gateway", "router"]);
        let wireless: Vec<&str> = c.asset_kinds().filter(|k| k.wireless).map(|k| k.id.as_str()).collect();
        assert_eq!(wireless, ["access-point", "handheld"]);
    }

    #[test]
    fn entry_points_exist() {
        let c = builtin();
        for kind in c.asset_kinds() {
            for ep in &kind.entry_points {
                assert!(c.entry_point(ep).is_some(), "asset kind `{}`: unknown entry point `{ep}`", kind.id);
            }
        }
        assert!(c.asset_kind("access-point").unwrap().entry_points.contains(&"EP09".to_owned()));
        assert!(c.asset_kind("mfp").unwrap().entry_points.contains(&"EP05".to_owned()));
    }

    #[test]
    fn software_defaults() {
        let c = builtin();
        let with: Vec<(&str, &[String])> = c
            .asset_kinds()
            .filter(|k| !k.software.is_empty())
            .map(|k| (k.id.as_str(), k.software.as_slice()))
            .collect();
        let packaged = ["packaged-software".to_owned()];
        let external = ["external-service".to_owned()];
        assert_eq!(
            with,
            [
                ("cloud-service", &external[..]),
                ("engineering-workstation", &packaged[..]),
                ("historian", &packaged[..]),
                ("hmi", &packaged[..]),
                ("jump-host", &packaged[..]),
                ("maintenance-terminal", &packaged[..]),
                ("scada", &packaged[..]),
                ("server", &packaged[..]),
                ("workstation", &packaged[..]),
            ]
        );
        for kind in c.asset_kinds() {
            for software in &kind.software {
                assert!(c.program_check_kind(software).is_some(), "asset kind `{}`: `{software}`", kind.id);
            }
        }
    }
}
