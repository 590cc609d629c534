//! The words the generator writes, read from the built-in catalogue and the
//! `meti-factory` profile, so that a new kind, service or control is
//! generated without a change here.

use std::sync::OnceLock;

use kojo_stdlib::{Applies, Catalogue};

/// A service the generator may name in a flow.
pub struct Service {
    pub id: String,
    /// `(protocol, first, last)`.
    pub ports: Vec<(&'static str, u16, u16)>,
    /// Functions a flow may be limited to, when a gateway can inspect them.
    pub functions: Vec<String>,
}

pub struct Vocab {
    /// Asset kinds that enforce nothing, and those that can enforce a conduit.
    pub kinds: Vec<String>,
    pub enforcing: Vec<String>,
    /// Services with at least one port (a flow needs ports to be rendered).
    pub services: Vec<Service>,
    /// Indices of the services whose functions a gateway can inspect.
    pub limitable: Vec<usize>,
    pub zone_controls: Vec<String>,
    pub conduit_controls: Vec<String>,
    pub asset_controls: Vec<String>,
    pub capabilities: Vec<String>,
    pub port_kinds: Vec<String>,
    pub port_states: Vec<String>,
    /// Requirement IDs of `meti-factory`, for waivers.
    pub rules: Vec<String>,
    pub checklist: Vec<String>,
    /// Impact axes (by ID and by short code) and levels.
    pub axes: Vec<String>,
    pub levels: Vec<String>,
    pub tiers: Vec<String>,
}

/// The vocabulary, read once.
pub fn vocab() -> &'static Vocab {
    static VOCAB: OnceLock<Vocab> = OnceLock::new();
    VOCAB.get_or_init(|| Catalogue::builtin().map(read).unwrap_or_else(|_| empty()))
}

fn read(catalogue: &Catalogue) -> Vocab {
    let ids = |it: &mut dyn Iterator<Item = &String>| it.cloned().collect::<Vec<String>>();
    let controls =
        |applies: Applies| ids(&mut catalogue.controls().filter(|c| c.applies_to.contains(&applies)).map(|c| &c.id));
    let services: Vec<Service> = catalogue
        .services()
        .filter(|s| !s.ports.is_empty())
        .map(|s| Service {
            id: s.id.clone(),
            ports: s.ports.iter().map(|p| (p.protocol.as_str(), p.port, p.last())).collect(),
            functions: if s.functions_inspectable() {
                s.functions.iter().map(|f| f.name.clone()).collect()
            } else {
                Vec::new()
            },
        })
        .collect();
    let profile = catalogue.profile("meti-factory");
    let limitable = services.iter().enumerate().filter(|(_, s)| !s.functions.is_empty()).map(|(i, _)| i).collect();
    Vocab {
        limitable,
        kinds: ids(&mut catalogue.asset_kinds().filter(|k| !k.enforcing).map(|k| &k.id)),
        enforcing: ids(&mut catalogue.asset_kinds().filter(|k| k.enforcing).map(|k| &k.id)),
        services,
        zone_controls: controls(Applies::Zone),
        conduit_controls: controls(Applies::Conduit),
        asset_controls: controls(Applies::Asset),
        capabilities: ids(&mut catalogue.capabilities().map(|c| &c.id)),
        port_kinds: ids(&mut catalogue.port_kinds().map(|p| &p.id)),
        port_states: ids(&mut catalogue.port_states().map(|p| &p.id)),
        rules: profile.map(|p| p.requirements.iter().map(|r| r.id.clone()).collect()).unwrap_or_default(),
        checklist: ids(&mut catalogue.checklist_items().map(|i| &i.id)),
        axes: profile
            .map(|p| p.impact.axes.iter().flat_map(|a| [a.id.clone(), a.short.clone()]).collect())
            .unwrap_or_default(),
        levels: profile.map(|p| p.impact.levels.iter().map(|l| l.id.clone()).collect()).unwrap_or_default(),
        tiers: profile.map(|p| p.tiers.iter().map(|t| t.id.clone()).collect()).unwrap_or_default(),
    }
}

fn empty() -> Vocab {
    Vocab {
        kinds: Vec::new(),
        enforcing: Vec::new(),
        services: Vec::new(),
        limitable: Vec::new(),
        zone_controls: Vec::new(),
        conduit_controls: Vec::new(),
        asset_controls: Vec::new(),
        capabilities: Vec::new(),
        port_kinds: Vec::new(),
        port_states: Vec::new(),
        rules: Vec::new(),
        checklist: Vec::new(),
        axes: Vec::new(),
        levels: Vec::new(),
        tiers: Vec::new(),
    }
}
