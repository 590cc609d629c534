//! The typed syntax tree of a `.kojo` file.
//!
//! The tree mirrors the source: block items keep their order and duplicates,
//! and values that need validation (addresses, numbers, dates, tier and
//! service names) are kept as the text the user wrote. The compiler resolves
//! and checks them; the formatter prints them back unchanged.

use crate::span::{NodeSpan, Span, Spanned};

/// A name the user wrote: an entity, a tier, a service, a control …
pub type Ident = Spanned<String>;
/// A string literal, unescaped.
pub type Str = Spanned<String>;
/// A value kept as written (address, number, date, port, rule ID).
pub type Word = Spanned<String>;

/// One parsed `.kojo` file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct File {
    pub decls: Vec<Decl>,
}

/// A top-level declaration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decl {
    Plant(Plant),
    Zone(Zone),
    Asset(Asset),
    Conduit(Conduit),
    Operation(Operation),
    Data(Data),
    Purchase(Purchase),
    Waive(Waive),
    Attest(Attest),
}

impl Decl {
    /// The whole declaration's span.
    pub fn span(&self) -> Span {
        match self {
            Decl::Plant(d) => d.span.0,
            Decl::Zone(d) => d.span.0,
            Decl::Asset(d) => d.span.0,
            Decl::Conduit(d) => d.span.0,
            Decl::Operation(d) => d.span.0,
            Decl::Data(d) => d.span.0,
            Decl::Purchase(d) => d.span.0,
            Decl::Waive(d) => d.span.0,
            Decl::Attest(d) => d.span.0,
        }
    }
}

/// `plant "CODE" { name "…"; profile a, b }`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plant {
    pub code: Str,
    pub items: Vec<Spanned<PlantItem>>,
    pub span: NodeSpan,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlantItem {
    Name(Str),
    Profile(Vec<Ident>),
}

/// `zone NAME "Title" : TRUST { … }`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Zone {
    pub name: Ident,
    pub title: Option<Str>,
    pub trust: Option<Ident>,
    pub items: Vec<Spanned<ZoneItem>>,
    pub span: NodeSpan,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ZoneItem {
    Subnet(Word),
    Vlan(Word),
    Tier(Ident),
    /// `role office`: what the zone is for, from the catalogue of zone roles.
    Role(Ident),
    /// `level 2`, `level dmz`: the zone's Purdue-style level, pinned where
    /// the one kojo derives for the zone diagram reads wrong.
    Level(Word),
    Controls(List),
}

/// `asset NAME "Title" in ZONE { … }`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    pub name: Ident,
    pub title: Option<Str>,
    pub zone: Option<Ident>,
    pub items: Vec<Spanned<AssetItem>>,
    pub span: NodeSpan,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AssetItem {
    Kind(Ident),
    Ip(Word),
    Interfaces(Vec<Interface>),
    Vendor(Str),
    Model(Str),
    Firmware(Str),
    Services(List),
    Ports(Vec<PortState>),
    Controls(List),
    Impact(Vec<ImpactRating>),
    /// `software [KIND, …]`: the kinds of business program or service the
    /// asset is (`packaged-software` …); `[]` says it runs none to ask about.
    Software(List),
    /// `capabilities [CAPABILITY, …]`: what the asset can do (`user-accounts`
    /// …), replacing its kind's default; `[]` says it has none of them.
    Capabilities(List),
    /// `component "NAME" { … }`: a piece of software the asset runs, for
    /// the inventory and the SBOM.
    Component(Component),
}

/// `component "NAME" { kind KIND; version "…"; vendor "…"; purl "…"; cpe "…" }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Component {
    pub name: Str,
    pub items: Vec<Spanned<ComponentItem>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ComponentItem {
    /// `application`, `operating-system` or `library`.
    Kind(Ident),
    Version(Str),
    Vendor(Str),
    /// A package URL (`pkg:TYPE/NAMESPACE/NAME@VERSION`).
    Purl(Str),
    /// A CPE 2.3 name (`cpe:2.3:PART:VENDOR:PRODUCT:…`).
    Cpe(Str),
}

/// `ZONE ADDRESS` inside `interfaces { … }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interface {
    pub zone: Ident,
    pub address: Word,
}

/// `PORT STATE` inside `ports { … }`, e.g. `usb locked`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortState {
    pub port: Ident,
    pub state: Ident,
}

/// `AXIS LEVEL` inside `impact { … }`, e.g. `safety high`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImpactRating {
    pub axis: Ident,
    pub level: Ident,
}

/// `[a, b, c]`
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct List {
    pub items: Vec<Ident>,
    pub span: NodeSpan,
}

/// `conduit NAME "Title" from ZONE to ZONE { … }`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conduit {
    pub name: Ident,
    pub title: Option<Str>,
    pub from: Ident,
    pub to: Ident,
    pub items: Vec<Spanned<ConduitItem>>,
    pub span: NodeSpan,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConduitItem {
    Allow(Flow),
    Controls(List),
    EnforcedBy(Ident),
    Window(Str),
    OneWay,
    /// `inspection inline|monitor`: how function limits are enforced.
    Inspection(Ident),
}

/// `allow SRC -> DST service S { functions [...] }`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flow {
    pub source: Endpoint,
    pub destination: Endpoint,
    pub what: FlowWhat,
    pub functions: Option<List>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Endpoint {
    /// `any` host in the conduit's zone on that side.
    Any(NodeSpan),
    Asset(Ident),
    Assets(List),
}

/// What a flow carries: named services from the catalogue, or raw ports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FlowWhat {
    /// `service s` (one) or `service [a, b]` (`bracketed`).
    Services { names: Vec<Ident>, bracketed: bool },
    /// `port tcp/502` (one) or `port [tcp/502, udp/161]` (`bracketed`).
    Ports { ports: Vec<Word>, bracketed: bool },
}

/// `operation NAME "Title" { impact {…}; zones [...]; data [...]; assets [...] }`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    pub name: Ident,
    pub title: Option<Str>,
    pub items: Vec<Spanned<OperationItem>>,
    pub span: NodeSpan,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OperationItem {
    Impact(Vec<ImpactRating>),
    Zones(List),
    Data(List),
    Assets(List),
}

/// `data NAME "Title" { impact {…}; stored-on [...] }`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Data {
    pub name: Ident,
    pub title: Option<Str>,
    pub items: Vec<Spanned<DataItem>>,
    pub span: NodeSpan,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DataItem {
    Impact(Vec<ImpactRating>),
    StoredOn(List),
}

/// `purchase NAME "Title" { assets [...]; supplier "…" }`: assets bought together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Purchase {
    pub name: Ident,
    pub title: Option<Str>,
    pub items: Vec<Spanned<PurchaseItem>>,
    pub span: NodeSpan,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PurchaseItem {
    Assets(List),
    Supplier(Str),
}

/// The kind of entity a waiver names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntityKind {
    Plant,
    Zone,
    Asset,
    Conduit,
    Operation,
    Data,
}

impl EntityKind {
    pub const ALL: [EntityKind; 6] = [
        EntityKind::Plant,
        EntityKind::Zone,
        EntityKind::Asset,
        EntityKind::Conduit,
        EntityKind::Operation,
        EntityKind::Data,
    ];

    /// The keyword, as written in source.
    pub fn keyword(self) -> &'static str {
        match self {
            EntityKind::Plant => "plant",
            EntityKind::Zone => "zone",
            EntityKind::Asset => "asset",
            EntityKind::Conduit => "conduit",
            EntityKind::Operation => "operation",
            EntityKind::Data => "data",
        }
    }
}

/// `waive RULES on SCOPE { reason "…"; until DATE; compensating [...] }`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waive {
    /// One or more rule IDs (`NW-MFA` or `[NW-MFA, NW-INDIVIDUAL-ID]`).
    pub rules: Vec<Word>,
    pub scope: Spanned<WaiveScope>,
    pub items: Vec<Spanned<WaiveItem>>,
    pub span: NodeSpan,
}

/// What a waiver covers, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WaiveScope {
    /// `KIND NAME` or `KIND [NAME, …]`: the named entities themselves.
    Entities { kind: Spanned<EntityKind>, names: Vec<Ident> },
    /// `zone NAME and its assets`: the zone and every asset in it.
    ZoneAndAssets(Ident),
    /// `assets in zone NAME`: every asset in the zone, not the zone.
    AssetsInZone(Ident),
    /// `assets of kind KIND [in zone NAME]`: every asset of that kind.
    AssetsOfKind { kind: Word, zone: Option<Ident> },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WaiveItem {
    Reason(Str),
    Until(Word),
    Compensating(List),
}

/// `attest ITEM level N { evidence "…"; owner "…" }`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attest {
    pub item: Word,
    pub level: Word,
    pub items: Vec<Spanned<AttestItem>>,
    pub span: NodeSpan,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttestItem {
    Evidence(Str),
    Owner(Str),
}
