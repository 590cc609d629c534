//! The resolved model: what the plant *is*, with names resolved to IDs.
//!
//! The model is what rules and backends consume; it never exposes the AST.
//! Entities live in vectors indexed by typed IDs; every entity keeps the
//! source location it came from so findings and generated artifacts can
//! point back at the line that asked for them.

use std::net::IpAddr;

use ipnet::IpNet;
use kojo_lang::{SourceFile, Span};

use crate::types::{Date, PortRange, TimeWindow};

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
        pub struct $name(pub u32);

        impl $name {
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    )*};
}

id_type! {
    /// Index of a source file in [`Model::files`].
    FileId;
    ZoneId;
    AssetId;
    ConduitId;
    OperationId;
    DataId;
    PurchaseId;
}

/// Where an entity was declared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Loc {
    pub file: FileId,
    pub span: Span,
}

/// A resolved plant.
#[derive(Debug, Clone)]
pub struct Model {
    pub project: String,
    /// The profiles in force, in stacking order.
    pub profiles: Vec<String>,
    pub plant: Plant,
    pub zones: Vec<Zone>,
    pub assets: Vec<Asset>,
    pub conduits: Vec<Conduit>,
    pub operations: Vec<Operation>,
    pub data: Vec<Data>,
    /// In declaration order (files in path order, then source order).
    pub purchases: Vec<Purchase>,
    pub waivers: Vec<Waiver>,
    pub attestations: Vec<Attestation>,
    pub files: Vec<SourceFile>,
    /// How the project root was given; file names start with it.
    pub root: String,
    /// Per zone, the assets in it (primary zone or an interface), in the
    /// assets' order: built once, so that going through every zone's assets
    /// costs the plant, not zones × assets. Filled by [`Model::indexed`].
    pub(crate) members: Vec<Vec<AssetId>>,
}

impl Model {
    /// The model with its zones' members indexed: called once, when the
    /// resolver has made every entity.
    pub(crate) fn indexed(mut self) -> Model {
        let mut members = vec![Vec::new(); self.zones.len()];
        for asset in &self.assets {
            let mut zones: Vec<ZoneId> =
                asset.zone.into_iter().chain(asset.interfaces.iter().map(|i| i.zone)).collect();
            zones.sort_unstable();
            zones.dedup();
            for zone in zones {
                if let Some(list) = members.get_mut(zone.index()) {
                    list.push(asset.id);
                }
            }
        }
        self.members = members;
        self
    }

    pub fn zone(&self, id: ZoneId) -> Option<&Zone> {
        self.zones.get(id.index())
    }

    pub fn asset(&self, id: AssetId) -> Option<&Asset> {
        self.assets.get(id.index())
    }

    pub fn conduit(&self, id: ConduitId) -> Option<&Conduit> {
        self.conduits.get(id.index())
    }

    pub fn purchase(&self, id: PurchaseId) -> Option<&Purchase> {
        self.purchases.get(id.index())
    }

    pub fn file(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id.index())
    }

    /// `path:line` of a source location, the path relative to the project
    /// root, for comments in generated artifacts: the same wherever kojo
    /// runs from.
    pub fn locate(&self, loc: Loc) -> String {
        match self.file(loc.file) {
            Some(file) => format!("{}:{}", self.relative_name(file.name()), file.line_col(loc.span.start).0),
            None => "?".to_string(),
        }
    }

    /// A source file's name relative to the project root.
    pub fn relative_name<'a>(&self, name: &'a str) -> &'a str {
        let root = self.root.trim_end_matches('/');
        if root.is_empty() || root == "." {
            return name;
        }
        match name.strip_prefix(root) {
            // A revision's root: `origin/main:` holds `origin/main:plant.kojo`.
            Some(rest) if root.ends_with(':') => rest,
            Some(rest) => rest.strip_prefix('/').unwrap_or(name),
            None => name,
        }
    }

    /// An entity as `kind:name` (`conduit:vendor_remote`, `plant`): how
    /// fingerprints, diffs and histories name it, whatever file holds it.
    pub fn entity_path(&self, entity: EntityRef) -> String {
        let named = |kind: &str, name: Option<&str>| format!("{kind}:{}", name.unwrap_or("?"));
        match entity {
            EntityRef::Plant => "plant".to_string(),
            EntityRef::Zone(id) => named("zone", self.zone(id).map(|z| z.name.as_str())),
            EntityRef::Asset(id) => named("asset", self.asset(id).map(|a| a.name.as_str())),
            EntityRef::Conduit(id) => named("conduit", self.conduit(id).map(|c| c.name.as_str())),
            EntityRef::Operation(id) => named("operation", self.operations.get(id.index()).map(|o| o.name.as_str())),
            EntityRef::Data(id) => named("data", self.data.get(id.index()).map(|d| d.name.as_str())),
        }
    }

    /// The assets whose primary zone or an interface is in `zone`, in the
    /// assets' order.
    pub fn assets_in(&self, zone: ZoneId) -> impl Iterator<Item = &Asset> {
        self.members.get(zone.index()).into_iter().flatten().filter_map(|id| self.asset(*id))
    }
}

#[derive(Debug, Clone)]
pub struct Plant {
    pub code: String,
    pub name: Option<String>,
    pub loc: Loc,
}

/// How far a zone is trusted. Zones are internal unless declared otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Trust {
    Internal,
    /// A partner's network: a vendor maintenance centre, a cloud service.
    External,
    /// The internet or anything else nobody vouches for.
    Untrusted,
}

impl Trust {
    pub fn keyword(self) -> &'static str {
        match self {
            Trust::Internal => "internal",
            Trust::External => "external",
            Trust::Untrusted => "untrusted",
        }
    }
}

/// The guideline's three countermeasure tiers (セキュリティ強度).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    Minimum,
    Medium,
    High,
}

impl Tier {
    pub const ALL: [Tier; 3] = [Tier::Minimum, Tier::Medium, Tier::High];

    pub fn id(self) -> &'static str {
        match self {
            Tier::Minimum => "minimum",
            Tier::Medium => "medium",
            Tier::High => "high",
        }
    }

    pub fn from_id(id: &str) -> Option<Tier> {
        Tier::ALL.into_iter().find(|t| t.id() == id)
    }
}

#[derive(Debug, Clone)]
pub struct Zone {
    pub id: ZoneId,
    pub name: String,
    pub title: Option<String>,
    pub trust: Trust,
    pub subnets: Vec<IpNet>,
    pub vlan: Option<u16>,
    /// The tier the author declared; the rule engine compares it with the derived one.
    pub declared_tier: Option<Tier>,
    /// What the zone is for, where the author said (`role office`).
    pub role: Option<ZoneRole>,
    /// The Purdue-style level the author pinned (`level 2`, `level dmz`),
    /// where the one [`crate::levels`] derives reads wrong.
    pub level: Option<ZoneLevel>,
    pub controls: Vec<String>,
    pub loc: Loc,
}

/// A Purdue-style level of an internal zone: 5 and 4 the enterprise, the
/// DMZ between enterprise and operations ("3.5"), 3 site operations, 2
/// supervisory control, 1 basic control, 0 the process.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ZoneLevel {
    /// Level 0 to 5.
    Level(u8),
    /// Between level 4 and level 3.
    Dmz,
}

impl ZoneLevel {
    /// The highest numbered level.
    pub const TOP: u8 = 5;

    /// `level 2` → `2`, `level dmz` → `dmz`: as written in the model.
    pub fn keyword(self) -> String {
        match self {
            ZoneLevel::Level(n) => n.to_string(),
            ZoneLevel::Dmz => "dmz".to_string(),
        }
    }

    /// What an author may write after `level`; `None` for anything else.
    pub fn parse(text: &str) -> Option<ZoneLevel> {
        match text {
            "dmz" => Some(ZoneLevel::Dmz),
            _ => text.parse::<u8>().ok().filter(|n| *n <= Self::TOP).map(ZoneLevel::Level),
        }
    }

    /// Height in tenths of a level, so the DMZ sorts between 4 and 3:
    /// higher is further from the process.
    pub fn height(self) -> u8 {
        match self {
            ZoneLevel::Level(n) => n.saturating_mul(10),
            ZoneLevel::Dmz => 35,
        }
    }
}

impl PartialOrd for ZoneLevel {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for ZoneLevel {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.height().cmp(&other.height())
    }
}

/// What a zone is for, where it matters to a rule (`role office`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ZoneRole {
    /// The plant's office network (OA, 情報系): office PCs, mail and the
    /// web. It is where the OA-network entry point (EP07) comes from, and
    /// not a factory system in the sense of Appendix E 2-3.
    Office,
    /// Where remote maintenance from outside lands (リモートメンテナンス
    /// ゾーン): a conduit from outside into it is a maintenance line (EP10)
    /// whatever protocol it carries.
    RemoteMaintenance,
}

impl ZoneRole {
    pub const ALL: [ZoneRole; 2] = [ZoneRole::Office, ZoneRole::RemoteMaintenance];

    pub fn keyword(self) -> &'static str {
        match self {
            ZoneRole::Office => "office",
            ZoneRole::RemoteMaintenance => "remote-maintenance",
        }
    }
}

impl Zone {
    pub fn is_office(&self) -> bool {
        self.role == Some(ZoneRole::Office)
    }

    pub fn contains(&self, address: IpAddr) -> bool {
        self.subnets.iter().any(|net| net.contains(&address))
    }
}

/// One rating on an impact axis, e.g. safety = high.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ImpactRating {
    /// The axis ID from the profile (`safety`, `continuity`, …).
    pub axis: String,
    /// The level ID from the profile's scale (`low`, `mid`, `high`).
    pub level: String,
    /// The level's position on the scale, 0 = lowest.
    pub rank: usize,
}

#[derive(Debug, Clone)]
pub struct Asset {
    pub id: AssetId,
    pub name: String,
    pub title: Option<String>,
    pub kind: String,
    /// Whether the kind can enforce a conduit (firewall, router, gateway, diode).
    pub enforcing: bool,
    pub zone: Option<ZoneId>,
    pub addresses: Vec<IpAddr>,
    pub interfaces: Vec<Interface>,
    pub vendor: Option<String>,
    pub model: Option<String>,
    pub firmware: Option<String>,
    pub services: Vec<String>,
    pub ports: Vec<PhysicalPort>,
    pub controls: Vec<String>,
    pub impact: Vec<ImpactRating>,
    /// The kinds of business program or service the asset is, as IDs of
    /// the program-check catalogue (`packaged-software` …): the declared
    /// `software` list, or else the kind's default. Empty: nothing to ask.
    pub software: Vec<String>,
    /// Whether `software` was declared on the asset rather than taken from its kind.
    pub software_declared: bool,
    /// What the asset can do, as IDs of the capability catalogue
    /// (`user-accounts` …): the declared `capabilities` list, or else the
    /// kind's default. Requirements needing one it lacks do not apply.
    pub capabilities: Vec<String>,
    /// Whether `capabilities` was declared on the asset rather than taken from its kind.
    pub capabilities_declared: bool,
    /// The software it runs (`component "…" { … }`), in source order.
    pub components: Vec<Component>,
    pub loc: Loc,
}

/// A piece of software an asset runs, for the inventory and the SBOM.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Component {
    pub name: String,
    pub kind: ComponentKind,
    pub version: Option<String>,
    pub vendor: Option<String>,
    /// A package URL, checked for its `pkg:TYPE/NAME` shape.
    pub purl: Option<String>,
    /// A CPE 2.3 formatted string, checked for its 13 fields.
    pub cpe: Option<String>,
    pub loc: Loc,
}

/// What kind of software a component is: CycloneDX's component types for software.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ComponentKind {
    /// A program (the default).
    #[default]
    Application,
    OperatingSystem,
    Library,
}

impl ComponentKind {
    pub const ALL: [ComponentKind; 3] =
        [ComponentKind::Application, ComponentKind::OperatingSystem, ComponentKind::Library];

    pub fn keyword(self) -> &'static str {
        match self {
            ComponentKind::Application => "application",
            ComponentKind::OperatingSystem => "operating-system",
            ComponentKind::Library => "library",
        }
    }

    pub fn from_keyword(word: &str) -> Option<ComponentKind> {
        ComponentKind::ALL.into_iter().find(|k| k.keyword() == word)
    }
}

impl Asset {
    /// Whether the asset sits in `zone`, by its primary zone or an interface.
    pub fn is_in(&self, zone: ZoneId) -> bool {
        self.zone == Some(zone) || self.interfaces.iter().any(|i| i.zone == zone)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interface {
    pub zone: ZoneId,
    pub address: IpAddr,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhysicalPort {
    pub port: String,
    pub state: String,
}

#[derive(Debug, Clone)]
pub struct Conduit {
    pub id: ConduitId,
    pub name: String,
    pub title: Option<String>,
    pub from: ZoneId,
    pub to: ZoneId,
    pub flows: Vec<Flow>,
    pub controls: Vec<String>,
    pub enforced_by: Option<AssetId>,
    pub window: Option<TimeWindow>,
    pub one_way: bool,
    /// How the gateway treats requests outside a flow's `functions`.
    pub inspection: Inspection,
    pub loc: Loc,
}

/// How a conduit's function limits are enforced: the difference between
/// the guideline's IPS (high tier) and IDS (medium tier).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Inspection {
    /// Every packet of a function-limited flow passes through the gateway,
    /// which drops what the flow does not allow (IPS). The default: a
    /// model that says "read only" means the plant allows only reads.
    #[default]
    Inline,
    /// The gateway sees a copy and alerts; the firewall lets every function
    /// through (IDS). Written `inspection monitor`, so the weaker promise
    /// is visible in the model and in `kojo diff`.
    Monitor,
}

impl Inspection {
    pub const ALL: [Inspection; 2] = [Inspection::Inline, Inspection::Monitor];

    pub fn id(self) -> &'static str {
        match self {
            Inspection::Inline => "inline",
            Inspection::Monitor => "monitor",
        }
    }

    pub fn from_id(id: &str) -> Option<Inspection> {
        Inspection::ALL.into_iter().find(|i| i.id() == id)
    }
}

/// Hosts at one end of a flow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FlowEnd {
    /// Any host in the conduit's zone on that side.
    Any,
    Assets(Vec<AssetId>),
}

/// What a flow carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Traffic {
    /// Services from the catalogue, by ID.
    Services(Vec<String>),
    /// Raw transport ports.
    Ports(Vec<PortRange>),
}

/// One `allow` line: new connections from `source` to `destination`.
/// Return traffic is allowed; the reverse direction is not.
#[derive(Debug, Clone)]
pub struct Flow {
    pub source: FlowEnd,
    pub destination: FlowEnd,
    pub traffic: Traffic,
    /// Protocol functions allowed (e.g. Modbus `read`); empty = not restricted.
    pub functions: Vec<String>,
    pub loc: Loc,
}

#[derive(Debug, Clone)]
pub struct Operation {
    pub id: OperationId,
    pub name: String,
    pub title: Option<String>,
    pub impact: Vec<ImpactRating>,
    pub zones: Vec<ZoneId>,
    pub data: Vec<DataId>,
    pub assets: Vec<AssetId>,
    pub loc: Loc,
}

#[derive(Debug, Clone)]
pub struct Data {
    pub id: DataId,
    pub name: String,
    pub title: Option<String>,
    pub impact: Vec<ImpactRating>,
    pub stored_on: Vec<AssetId>,
    pub loc: Loc,
}

/// Assets bought together (a line upgrade, a new SCADA): the group
/// `kojo procure` renders a procurement specification for.
#[derive(Debug, Clone)]
pub struct Purchase {
    pub id: PurchaseId,
    pub name: String,
    pub title: Option<String>,
    /// The integrator or vendor the specification is addressed to.
    pub supplier: Option<String>,
    /// In source order, each once.
    pub assets: Vec<AssetId>,
    pub loc: Loc,
}

/// An entity a waiver can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntityRef {
    Plant,
    Zone(ZoneId),
    Asset(AssetId),
    Conduit(ConduitId),
    Operation(OperationId),
    Data(DataId),
}

/// A waiver: rules accepted on a set of entities, for a reason, until a date.
#[derive(Debug, Clone)]
pub struct Waiver {
    /// The rules it waives, as written (one or more), each with where.
    pub rules: Vec<WaivedRule>,
    pub scope: WaiverScope,
    pub reason: String,
    pub until: Date,
    pub compensating: Vec<String>,
    /// The whole declaration.
    pub loc: Loc,
}

/// A rule a waiver names, and where the name is written.
#[derive(Debug, Clone)]
pub struct WaivedRule {
    pub id: String,
    pub loc: Loc,
}

/// The entities a waiver covers, as written and resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WaiverScope {
    /// `on plant CODE`: every entity.
    Plant,
    /// `on KIND NAME` or `on KIND [NAME, …]`: exactly these, in written order.
    Entities(Vec<EntityRef>),
    /// `on zone NAME and its assets`: the zone and every asset in it.
    ZoneAndAssets(ZoneId),
    /// `on assets in zone NAME`: every asset in the zone.
    AssetsInZone(ZoneId),
    /// `on assets of kind KIND [in zone NAME]`.
    AssetsOfKind { kind: String, zone: Option<ZoneId> },
}

impl WaiverScope {
    /// Whether the scope covers `target`; `assets` are the model's, by ID.
    pub fn covers(&self, assets: &[Asset], target: EntityRef) -> bool {
        let asset = |id: AssetId| assets.get(id.index());
        match (self, target) {
            (WaiverScope::Plant, _) => true,
            (WaiverScope::Entities(list), t) => list.contains(&t),
            (WaiverScope::ZoneAndAssets(zone), EntityRef::Zone(z)) => *zone == z,
            (WaiverScope::ZoneAndAssets(zone) | WaiverScope::AssetsInZone(zone), EntityRef::Asset(a)) => {
                asset(a).is_some_and(|a| a.is_in(*zone))
            }
            (WaiverScope::AssetsOfKind { kind, zone }, EntityRef::Asset(a)) => {
                asset(a).is_some_and(|a| &a.kind == kind && zone.is_none_or(|z| a.is_in(z)))
            }
            _ => false,
        }
    }

    /// The entities the scope covers, in model order (`Plant` for `plant`).
    pub fn entities(&self, assets: &[Asset]) -> Vec<EntityRef> {
        match self {
            WaiverScope::Plant => vec![EntityRef::Plant],
            WaiverScope::Entities(list) => list.clone(),
            WaiverScope::ZoneAndAssets(zone) => std::iter::once(EntityRef::Zone(*zone))
                .chain(assets.iter().filter(|a| a.is_in(*zone)).map(|a| EntityRef::Asset(a.id)))
                .collect(),
            _ => assets.iter().map(|a| EntityRef::Asset(a.id)).filter(|e| self.covers(assets, *e)).collect(),
        }
    }

    /// Whether the scope is a set the model decides (a zone's assets, a
    /// kind) rather than entities named one by one.
    pub fn is_set(&self) -> bool {
        !matches!(self, WaiverScope::Entities(_))
    }
}

impl Waiver {
    /// The rule IDs, in written order.
    pub fn rule_ids(&self) -> impl Iterator<Item = &str> {
        self.rules.iter().map(|r| r.id.as_str())
    }

    /// Whether the waiver covers `target` (ignoring rules and expiry).
    pub fn covers(&self, model: &Model, target: EntityRef) -> bool {
        self.scope.covers(&model.assets, target)
    }

    /// Whether the waiver hides a finding of `rule` on `target` (ignoring expiry).
    pub fn hides(&self, model: &Model, rule: &str, target: EntityRef) -> bool {
        self.rule_ids().any(|r| r == rule) && self.covers(model, target)
    }

    /// The entities the scope covers, in model order (`Plant` for `plant`).
    pub fn entities(&self, model: &Model) -> Vec<EntityRef> {
        self.scope.entities(&model.assets)
    }

    /// The scope as the waiver's name shows it: `asset:hmi`,
    /// `asset:[hmi1, hmi2]`, `zone:control and its assets`, `assets in
    /// zone:control`, `assets of kind plc in zone:control`, `plant`.
    pub fn scope_path(&self, model: &Model) -> String {
        let zone = |id: ZoneId| model.entity_path(EntityRef::Zone(id));
        match &self.scope {
            WaiverScope::Plant => "plant".to_string(),
            WaiverScope::Entities(list) => match list.as_slice() {
                [one] => model.entity_path(*one),
                many => {
                    let paths: Vec<String> = many.iter().map(|e| model.entity_path(*e)).collect();
                    let kind = paths.first().and_then(|p| p.split_once(':')).map_or("", |(k, _)| k);
                    let names: Vec<&str> = paths.iter().filter_map(|p| p.split_once(':')).map(|(_, n)| n).collect();
                    format!("{kind}:[{}]", names.join(", "))
                }
            },
            WaiverScope::ZoneAndAssets(z) => format!("{} and its assets", zone(*z)),
            WaiverScope::AssetsInZone(z) => format!("assets in {}", zone(*z)),
            WaiverScope::AssetsOfKind { kind, zone: None } => format!("assets of kind {kind}"),
            WaiverScope::AssetsOfKind { kind, zone: Some(z) } => format!("assets of kind {kind} in {}", zone(*z)),
        }
    }

    /// The waiver's name in diffs, logs and its own findings' keys:
    /// `NW-MFA on asset:hmi`, `[NW-MFA, NW-INDIVIDUAL-ID] on zone:control and its assets`.
    pub fn name(&self, model: &Model) -> String {
        let rules = match self.rules.as_slice() {
            [one] => one.id.clone(),
            many => format!("[{}]", many.iter().map(|r| r.id.as_str()).collect::<Vec<_>>().join(", ")),
        };
        format!("{rules} on {}", self.scope_path(model))
    }
}

#[derive(Debug, Clone)]
pub struct Attestation {
    /// Checklist item ID, e.g. `E-1-1`.
    pub item: String,
    /// Appendix E achievement level, 1–5.
    pub level: u8,
    pub evidence: Vec<EvidencePath>,
    pub owner: Option<String>,
    pub loc: Loc,
}

/// An `evidence "path"` of an attestation: a file in the repository, as a
/// path from the project root, and where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidencePath {
    pub path: String,
    pub loc: Loc,
}
