//! A checked project reduced to what it means, entity by entity, in a form
//! two revisions can be compared in: every entity by `kind:name`, each of
//! its properties as text or a set of texts, never a file or a line (those
//! are kept apart, only to point readers at the source).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use kojo_stdlib::{Applies, Catalogue, Profile};

use crate::controls;
use crate::model::{Asset, Conduit, Flow, FlowEnd, Loc, Model, Tier, Traffic, Trust, Zone};
use crate::rules::Finding;
use crate::tiers::ZoneTier;
use crate::Checked;

/// Where something is written: a file from the project root and a line.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Place {
    pub file: String,
    pub line: usize,
}

/// One property's value.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Facet {
    One(String),
    /// Order carries no meaning (subnets, controls, flows).
    Set(BTreeSet<String>),
}

/// One entity: its properties and where it is declared.
#[derive(Debug, Clone)]
pub struct Entity {
    pub kind: &'static str,
    pub name: String,
    pub facets: BTreeMap<&'static str, Facet>,
    pub place: Option<Place>,
    /// Controls a requirement of the profile asks of it at its tier.
    pub required: BTreeSet<String>,
    /// A conduit's flows, by their text: where each is and what it carries.
    pub flows: BTreeMap<String, FlowFact>,
}

/// What the rating needs to know of one flow.
#[derive(Debug, Clone)]
pub struct FlowFact {
    pub place: Option<Place>,
    pub services: Vec<String>,
    /// Raw transport ports (`port tcp/502`).
    pub ports: Vec<crate::types::PortRange>,
    pub functions: Vec<String>,
}

/// A zone's standing, for paths and boundaries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoneFact {
    pub trust: Trust,
    pub tier: Option<Tier>,
}

/// A finding, as the diff lists it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FindingFact {
    pub rule: String,
    pub entity: String,
    /// What in the entity, when the rule can find several things on one.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub key: String,
    pub severity: &'static str,
    pub message: String,
    pub place: Option<Place>,
}

/// What a finding's fingerprint is made of (the rule, the entity, the
/// key), kept apart so that names can be mapped through renames.
pub type FindingKey = (Arc<str>, String, String);

/// Which of a check's finding lists a finding is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum List {
    Kept,
    Problems,
    Waived,
}

/// Where a finding is in the check a snapshot was taken of: a snapshot
/// keeps only the fingerprint and this, so that millions of findings cost
/// little more than their names; what a diff lists is read back from the
/// check ([`Snapshot::fact`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FindingAt {
    pub list: List,
    pub index: usize,
}

/// A revision's meaning.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    /// By `kind:name`.
    pub entities: BTreeMap<String, Entity>,
    pub zones: BTreeMap<String, ZoneFact>,
    /// Conduits with flows as zone-to-zone edges: (from, to, conduit).
    pub edges: Vec<(String, String, String)>,
    /// Findings by fingerprint.
    pub findings: BTreeMap<FindingKey, FindingAt>,
    /// Findings a waiver hides, the same way.
    pub waived: BTreeMap<FindingKey, FindingAt>,
}

impl Snapshot {
    /// The meaning of a project that compiled, its findings included;
    /// `None` otherwise.
    pub fn of(checked: &Checked) -> Option<Snapshot> {
        let mut snapshot = Snapshot::entities_of(checked)?;
        let model = checked.model.as_ref()?;
        let mut rules: BTreeMap<&str, Arc<str>> = BTreeMap::new();
        let applied = &checked.findings;
        let lists = [(List::Kept, &applied.kept), (List::Problems, &applied.problems), (List::Waived, &applied.waived)];
        for (list, findings) in lists {
            for (index, finding) in findings.iter().enumerate() {
                let rule =
                    rules.entry(finding.rule.as_str()).or_insert_with(|| Arc::from(finding.rule.as_str())).clone();
                let key = (rule, model.entity_path(finding.target), finding.key.clone());
                let into = if list == List::Waived { &mut snapshot.waived } else { &mut snapshot.findings };
                into.insert(key, FindingAt { list, index });
            }
        }
        Some(snapshot)
    }

    /// The meaning of a project that compiled, without its findings (what
    /// renames are found by); `None` otherwise.
    pub fn entities_of(checked: &Checked) -> Option<Snapshot> {
        let model = checked.model.as_ref()?;
        let catalogue = checked.catalogue.as_ref()?;
        let profile = checked.profile.as_ref()?;
        let tiers = &checked.tiers;
        let mut snapshot = Snapshot::default();
        let mut add = |entity: Entity| {
            snapshot.entities.insert(format!("{}:{}", entity.kind, entity.name), entity);
        };
        add(plant(model));
        for zone in &model.zones {
            add(zone_entity(model, profile, tiers, zone));
        }
        for asset in &model.assets {
            add(asset_entity(model, catalogue, profile, tiers, asset));
        }
        for conduit in &model.conduits {
            add(conduit_entity(model, catalogue, profile, tiers, conduit));
        }
        for entity in others(model) {
            add(entity);
        }
        for zone in &model.zones {
            let fact = ZoneFact { trust: zone.trust, tier: controls::zone_tier(tiers, zone.id) };
            snapshot.zones.insert(zone.name.clone(), fact);
        }
        for conduit in model.conduits.iter().filter(|c| !c.flows.is_empty()) {
            let zone = |id| model.zone(id).map(|z| z.name.clone()).unwrap_or_default();
            snapshot.edges.push((zone(conduit.from), zone(conduit.to), conduit.name.clone()));
        }
        // Sorted: which file declares a conduit must not decide which of two
        // equally short ways a path is shown by.
        snapshot.edges.sort();
        Some(snapshot)
    }

    /// A finding of `checked` (the check this snapshot was taken of), as
    /// a diff lists it.
    pub fn fact(checked: &Checked, at: FindingAt) -> Option<FindingFact> {
        let model = checked.model.as_ref()?;
        let applied = &checked.findings;
        let list = match at.list {
            List::Kept => &applied.kept,
            List::Problems => &applied.problems,
            List::Waived => &applied.waived,
        };
        Some(finding_fact(model, list.get(at.index)?))
    }
}

pub(crate) fn place(model: &Model, loc: Loc) -> Option<Place> {
    let file = model.file(loc.file)?;
    Some(Place { file: model.relative_name(file.name()).to_string(), line: file.line_col(loc.span.start).0 })
}

fn finding_fact(model: &Model, finding: &Finding) -> FindingFact {
    FindingFact {
        rule: finding.rule.clone(),
        entity: model.entity_path(finding.target),
        key: finding.key.clone(),
        severity: finding.severity.as_str(),
        message: finding.message.clone(),
        place: place(model, finding.loc),
    }
}

fn one(text: impl Into<String>) -> Facet {
    Facet::One(text.into())
}

fn set<I: IntoIterator<Item = S>, S: Into<String>>(items: I) -> Facet {
    Facet::Set(items.into_iter().map(Into::into).collect())
}

fn entity(kind: &'static str, name: &str, place: Option<Place>) -> Entity {
    Entity {
        kind,
        name: name.to_string(),
        facets: BTreeMap::new(),
        place,
        required: BTreeSet::new(),
        flows: BTreeMap::new(),
    }
}

fn tier_text(tier: Option<Tier>) -> String {
    tier.map_or("none", |t| t.id()).to_string()
}

fn plant(model: &Model) -> Entity {
    let mut e = entity("plant", "", place(model, model.plant.loc));
    e.facets.insert("code", one(&model.plant.code));
    if let Some(name) = &model.plant.name {
        e.facets.insert("name", one(name));
    }
    e.facets.insert("profiles", one(model.profiles.join(", ")));
    e
}

/// The controls the profile's requirements ask of an entity of `applies`
/// (of its kind and with the capabilities they need, for assets) at `tier`.
fn required(profile: &Profile, applies: Applies, asset: Option<&Asset>, tier: Option<Tier>) -> BTreeSet<String> {
    let Some(tier) = tier else { return BTreeSet::new() };
    profile
        .requirements
        .iter()
        .filter(|r| r.applies_to == applies)
        .filter(|r| Tier::from_id(&r.tier).is_some_and(|needed| tier >= needed))
        .filter(|r| r.kinds.is_empty() || asset.is_some_and(|a| r.kinds.contains(&a.kind)))
        .filter(|r| asset.is_none_or(|a| crate::rules::applicability::missing(r, a).is_empty()))
        .flat_map(|r| r.controls().map(String::from))
        .collect()
}

fn zone_entity(model: &Model, profile: &Profile, tiers: &[ZoneTier], zone: &Zone) -> Entity {
    let mut e = entity("zone", &zone.name, place(model, zone.loc));
    if let Some(title) = &zone.title {
        e.facets.insert("title", one(title));
    }
    e.facets.insert("trust", one(zone.trust.keyword()));
    e.facets.insert("subnets", set(zone.subnets.iter().map(|s| s.to_string())));
    if let Some(vlan) = zone.vlan {
        e.facets.insert("vlan", one(vlan.to_string()));
    }
    if let Some(role) = zone.role {
        e.facets.insert("role", one(role.keyword()));
    }
    if let Some(level) = zone.level {
        e.facets.insert("level", one(level.keyword()));
    }
    let tier = tiers.get(zone.id.index());
    e.facets.insert("declared tier", one(tier_text(zone.declared_tier)));
    e.facets.insert("derived tier", one(tier_text(tier.and_then(|t| t.derived))));
    let effective = tier.and_then(|t| t.effective);
    e.facets.insert("tier in force", one(tier_text(effective)));
    e.facets.insert("controls in force", set(controls::zone_controls(zone)));
    e.required = required(profile, Applies::Zone, None, effective);
    e
}

fn asset_entity(model: &Model, catalogue: &Catalogue, profile: &Profile, tiers: &[ZoneTier], asset: &Asset) -> Entity {
    let mut e = entity("asset", &asset.name, place(model, asset.loc));
    let zone = |id| model.zone(id).map(|z| z.name.clone()).unwrap_or_default();
    let optional =
        [("title", &asset.title), ("vendor", &asset.vendor), ("model", &asset.model), ("firmware", &asset.firmware)];
    for (facet, value) in optional {
        if let Some(value) = value {
            e.facets.insert(facet, one(value));
        }
    }
    e.facets.insert("kind", one(&asset.kind));
    if let Some(id) = asset.zone {
        e.facets.insert("zone", one(zone(id)));
    }
    e.facets.insert("addresses", set(asset.addresses.iter().map(|a| a.to_string())));
    e.facets.insert("interfaces", set(asset.interfaces.iter().map(|i| format!("{} {}", zone(i.zone), i.address))));
    e.facets.insert("services", set(asset.services.iter().cloned()));
    e.facets.insert("ports", set(asset.ports.iter().map(|p| format!("{} {}", p.port, p.state))));
    e.facets.insert("impact", set(asset.impact.iter().map(|i| format!("{} {}", i.axis, i.level))));
    e.facets.insert("software", set(asset.software.iter().cloned()));
    e.facets.insert("capabilities", set(asset.capabilities.iter().cloned()));
    e.facets.insert("components", set(asset.components.iter().map(component_text)));
    e.facets.insert("controls in force", set(controls::asset_controls(model, catalogue, asset)));
    let tier = controls::asset_tier(tiers, asset);
    e.required = required(profile, Applies::Asset, Some(asset), tier);
    e
}

/// A software component as a diff shows it: `Name 1.2 (operating-system)`.
fn component_text(c: &crate::model::Component) -> String {
    let version = c.version.as_deref().map_or(String::new(), |v| format!(" {v}"));
    format!("{}{version} ({})", c.name, c.kind.keyword())
}

fn conduit_entity(
    model: &Model,
    catalogue: &Catalogue,
    profile: &Profile,
    tiers: &[ZoneTier],
    conduit: &Conduit,
) -> Entity {
    let mut e = entity("conduit", &conduit.name, place(model, conduit.loc));
    let zone = |id| model.zone(id).map(|z| z.name.clone()).unwrap_or_default();
    if let Some(title) = &conduit.title {
        e.facets.insert("title", one(title));
    }
    e.facets.insert("from", one(zone(conduit.from)));
    e.facets.insert("to", one(zone(conduit.to)));
    let device = conduit.enforced_by.and_then(|id| model.asset(id)).map_or("none".to_string(), |a| a.name.clone());
    e.facets.insert("enforced by", one(device));
    e.facets.insert("direction", one(if conduit.one_way { "one-way" } else { "two-way" }));
    e.facets.insert("inspection", one(conduit.inspection.id()));
    let window = conduit.window.as_ref().map_or("always".to_string(), |w| {
        let days: Vec<&str> = w.days.iter().map(|d| d.as_str()).collect();
        format!(
            "{} {:02}:{:02}-{:02}:{:02} {}",
            days.join(","),
            w.start / 60,
            w.start % 60,
            w.end / 60,
            w.end % 60,
            w.zone
        )
    });
    e.facets.insert("window", one(window));
    e.facets.insert("controls in force", set(controls::conduit_controls(catalogue, conduit)));
    for flow in &conduit.flows {
        e.flows.insert(flow_text(model, flow), flow_fact(model, flow));
    }
    e.facets.insert("flows", set(e.flows.keys().cloned()));
    e.required = required(profile, Applies::Conduit, None, controls::conduit_tier(tiers, conduit));
    e
}

/// `scada -> plc1 service modbus-tcp functions [read]`: a flow in words,
/// its hosts and services sorted (their order means nothing).
pub fn flow_text(model: &Model, flow: &Flow) -> String {
    let end = |end: &FlowEnd| match end {
        FlowEnd::Any => "any".to_string(),
        FlowEnd::Assets(ids) => {
            let mut names: Vec<&str> = ids.iter().filter_map(|id| model.asset(*id)).map(|a| a.name.as_str()).collect();
            names.sort_unstable();
            names.dedup();
            match names.as_slice() {
                [one] => (*one).to_string(),
                _ => format!("[{}]", names.join(", ")),
            }
        }
    };
    let traffic = match &flow.traffic {
        Traffic::Services(services) => {
            let mut sorted = services.clone();
            sorted.sort();
            format!("service {}", sorted.join(", "))
        }
        Traffic::Ports(ports) => {
            let mut sorted: Vec<String> = ports.iter().map(|p| p.to_string()).collect();
            sorted.sort();
            format!("port {}", sorted.join(", "))
        }
    };
    let mut text = format!("{} -> {} {traffic}", end(&flow.source), end(&flow.destination));
    if !flow.functions.is_empty() {
        let mut functions = flow.functions.clone();
        functions.sort();
        text.push_str(&format!(" functions [{}]", functions.join(", ")));
    }
    text
}

fn flow_fact(model: &Model, flow: &Flow) -> FlowFact {
    FlowFact {
        place: place(model, flow.loc),
        services: match &flow.traffic {
            Traffic::Services(services) => services.clone(),
            Traffic::Ports(_) => Vec::new(),
        },
        ports: match &flow.traffic {
            Traffic::Services(_) => Vec::new(),
            Traffic::Ports(ports) => ports.clone(),
        },
        functions: flow.functions.clone(),
    }
}

/// Operations, data, purchases, waivers and attestations.
fn others(model: &Model) -> Vec<Entity> {
    let asset = |id: crate::model::AssetId| model.asset(id).map(|a| a.name.clone()).unwrap_or_default();
    let zone = |id| model.zone(id).map(|z| z.name.clone()).unwrap_or_default();
    let mut out = Vec::new();
    for op in &model.operations {
        let mut e = entity("operation", &op.name, place(model, op.loc));
        if let Some(title) = &op.title {
            e.facets.insert("title", one(title));
        }
        e.facets.insert("impact", set(op.impact.iter().map(|i| format!("{} {}", i.axis, i.level))));
        e.facets.insert("zones", set(op.zones.iter().map(|z| zone(*z))));
        e.facets.insert("assets", set(op.assets.iter().map(|a| asset(*a))));
        let data = op.data.iter().filter_map(|d| model.data.get(d.index())).map(|d| d.name.clone());
        e.facets.insert("data", set(data));
        out.push(e);
    }
    for data in &model.data {
        let mut e = entity("data", &data.name, place(model, data.loc));
        if let Some(title) = &data.title {
            e.facets.insert("title", one(title));
        }
        e.facets.insert("impact", set(data.impact.iter().map(|i| format!("{} {}", i.axis, i.level))));
        e.facets.insert("stored on", set(data.stored_on.iter().map(|a| asset(*a))));
        out.push(e);
    }
    for purchase in &model.purchases {
        let mut e = entity("purchase", &purchase.name, place(model, purchase.loc));
        if let Some(title) = &purchase.title {
            e.facets.insert("title", one(title));
        }
        if let Some(supplier) = &purchase.supplier {
            e.facets.insert("supplier", one(supplier));
        }
        e.facets.insert("assets", set(purchase.assets.iter().map(|a| asset(*a))));
        out.push(e);
    }
    for waiver in &model.waivers {
        let mut e = entity("waiver", &waiver.name(model), place(model, waiver.loc));
        e.facets.insert("until", one(waiver.until.to_string()));
        e.facets.insert("reason", one(&waiver.reason));
        e.facets.insert("compensating", set(waiver.compensating.iter().cloned()));
        // What a set scope (a zone's assets, a kind) covers moves with the
        // model: an asset added to the zone is waived too, and a review sees it.
        if waiver.scope.is_set() && waiver.scope != crate::model::WaiverScope::Plant {
            e.facets.insert("covers", set(waiver.entities(model).into_iter().map(|x| model.entity_path(x))));
        }
        out.push(e);
    }
    for attestation in &model.attestations {
        let mut e = entity("attestation", &attestation.item, place(model, attestation.loc));
        e.facets.insert("level", one(attestation.level.to_string()));
        e.facets.insert("evidence", set(attestation.evidence.iter().map(|p| p.path.clone())));
        if let Some(owner) = &attestation.owner {
            e.facets.insert("owner", one(owner));
        }
        out.push(e);
    }
    out
}
