//! Capabilities (`data/capabilities.toml`): what an asset can do that some
//! requirements presuppose (user accounts, a general-purpose OS, …).
//!
//! A requirement names the capabilities it `needs`; an asset lacking one is
//! reported as not applicable with the reason instead of being checked.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::catalogue::{index, parse};
use crate::{CatalogueError, Label};

/// A capability an asset has or lacks (`user-accounts`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Capability {
    pub id: String,
    pub label: Label,
    /// What having it means, and which rows lacking it makes not applicable.
    pub description: Label,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    capabilities: Vec<Capability>,
}

pub(crate) fn load(file: &str, text: &str) -> Result<BTreeMap<String, Capability>, CatalogueError> {
    let parsed: File = parse(file, text)?;
    index(file, parsed.capabilities, |c| &c.id)
}

#[cfg(test)]
mod tests {
    use crate::catalogue::tests::builtin;

    #[test]
    fn the_capabilities() {
        let ids: Vec<&str> = builtin().capabilities().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["file-storage", "general-purpose-os", "on-premises", "user-accounts"]);
        let accounts = builtin().capability("user-accounts").unwrap();
        assert_eq!(accounts.label.ja, "ユーザアカウント");
        assert!(accounts.description.en.contains("user-restriction"));
    }

    #[test]
    fn the_built_in_profile_says_what_rows_need_and_exempts_no_kind_silently() {
        let profile = builtin().profile("meti-factory").unwrap();
        assert!(profile.requirements.iter().all(|r| r.kinds.is_empty()), "`needs`, not `kinds`");
        let needs = |id: &str| profile.requirement(id).unwrap().needs.clone();
        assert_eq!(needs("NW-MFA"), ["user-accounts"]);
        assert_eq!(needs("DEV-HOST-FIREWALL"), ["general-purpose-os"]);
        assert_eq!(needs("DEV-FILE-TOOLS"), ["file-storage", "general-purpose-os"]);
        assert_eq!(needs("DEV-UPS"), ["on-premises"]);
        assert!(needs("DEV-ENCRYPTION").is_empty(), "a plaintext protocol is an exception, not a capability");
    }

    #[test]
    fn every_kind_names_known_capabilities() {
        let c = builtin();
        for kind in c.asset_kinds() {
            for cap in &kind.capabilities {
                assert!(c.capability(cap).is_some(), "asset kind `{}`: `{cap}`", kind.id);
            }
        }
        let plc = c.asset_kind("plc").unwrap();
        assert!(!plc.capabilities.iter().any(|x| x == "user-accounts"), "a PLC has no user accounts by default");
        let cloud = c.asset_kind("cloud-service").unwrap();
        assert!(!cloud.capabilities.iter().any(|x| x == "on-premises"));
    }
}

#[cfg(test)]
mod load_errors {
    use crate::catalogue::tests::with;
    use crate::Sources;

    fn leak(text: String) -> &'static str {
        Box::leak(text.into_boxed_str())
    }

    #[test]
    fn an_unknown_capability_is_a_load_error_naming_it() {
        let profile = Sources::builtin().profiles[0];
        let text = leak(profile.1.replacen("needs = [\"user-accounts\"]", "needs = [\"user-acounts\"]", 1));
        let profiles: &'static [(&'static str, &'static str)] = Box::leak(vec![(profile.0, text)].into_boxed_slice());
        let err = with(|s| s.profiles = profiles).unwrap_err().to_string();
        assert!(err.contains("unknown capability `user-acounts`") && err.contains("`user-accounts`"), "{err}");

        let kinds = leak(Sources::builtin().asset_kinds.replacen("\"on-premises\"]", "\"on-site\"]", 1));
        let err = with(|s| s.asset_kinds = kinds).unwrap_err().to_string();
        assert!(err.contains("unknown capability `on-site`"), "{err}");
    }

    #[test]
    fn needs_is_for_asset_requirements_only() {
        let profile = Sources::builtin().profiles[0];
        let text = leak(profile.1.replacen(
            "source = \"3.2.2(1)①\"\n",
            "source = \"3.2.2(1)①\"\nneeds = [\"user-accounts\"]\n",
            1,
        ));
        let profiles: &'static [(&'static str, &'static str)] = Box::leak(vec![(profile.0, text)].into_boxed_slice());
        let err = with(|s| s.profiles = profiles).unwrap_err().to_string();
        assert!(err.contains("applies to zones, but `needs` names capabilities of assets"), "{err}");
    }
}
