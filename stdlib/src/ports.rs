//! Physical ports (`data/ports.toml`): port kinds on assets and the states they can be in.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::catalogue::{index, parse};
use crate::{CatalogueError, Label};

/// A kind of physical port (`usb`, `ethernet-spare`, …).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PortKind {
    pub id: String,
    pub label: Label,
}

/// A state a physical port can be in: `used` (in use, 利用ポート), or for an
/// unused port (不要ポート) `open`, `capped`, `locked`, `sealed`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PortStateDef {
    pub id: String,
    pub label: Label,
    /// The tier whose unused-port measure this state is ([3.2.2(1)②] 不要ポート).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier: Option<String>,
    /// The control the state satisfies (`capped` → `port-caps`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub control: Option<String>,
    /// The port is in use (利用ポート), not an unused one.
    #[serde(default)]
    pub used: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    kinds: Vec<PortKind>,
    states: Vec<PortStateDef>,
}

pub(crate) type Loaded = (BTreeMap<String, PortKind>, BTreeMap<String, PortStateDef>);

pub(crate) fn load(file: &str, text: &str) -> Result<Loaded, CatalogueError> {
    let parsed: File = parse(file, text)?;
    let kinds = index(file, parsed.kinds, |k| &k.id)?;
    let states = index(file, parsed.states, |s| &s.id)?;
    if let Some(s) = states.values().find(|s| s.used && (s.tier.is_some() || s.control.is_some())) {
        return Err(CatalogueError::invalid(
            file,
            format!("port state `{}`: a used port has no unused-port tier", s.id),
        ));
    }
    if let Some(id) = kinds.keys().find(|id| states.contains_key(*id)) {
        return Err(CatalogueError::invalid(file, format!("`{id}` is both a port kind and a port state")));
    }
    Ok((kinds, states))
}

#[cfg(test)]
mod tests {
    use crate::catalogue::tests::builtin;

    #[test]
    fn required_kinds_and_states_exist() {
        let c = builtin();
        for id in ["usb", "ethernet-spare", "serial", "sd-card", "optical-drive", "console"] {
            assert!(c.port_kind(id).is_some(), "missing port kind `{id}`");
        }
        for id in ["used", "open", "capped", "locked", "sealed"] {
            assert!(c.port_state(id).is_some(), "missing port state `{id}`");
        }
    }

    #[test]
    fn states_map_to_tiers_and_controls() {
        let c = builtin();
        let profile = c.profile("meti-factory").unwrap();
        for state in c.port_states() {
            if let Some(tier) = &state.tier {
                assert!(profile.tier(tier).is_some(), "port state `{}`: unknown tier `{tier}`", state.id);
            }
            if let Some(control) = &state.control {
                assert!(c.control(control).is_some(), "port state `{}`: unknown control `{control}`", state.id);
            }
        }
        let tier = |id: &str| c.port_state(id).unwrap().tier.as_deref();
        assert_eq!(tier("open"), None);
        assert_eq!(tier("used"), None);
        assert!(c.port_state("used").unwrap().used && !c.port_state("open").unwrap().used);
        assert_eq!(tier("capped"), Some("minimum"));
        assert_eq!(tier("locked"), Some("medium"));
        assert_eq!(tier("sealed"), Some("high"));
        assert_eq!(c.port_state("capped").unwrap().label.ja, "端子キャップ");
    }
}
