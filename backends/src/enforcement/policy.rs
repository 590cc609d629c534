//! The enforcement policy: what each enforcing device must let through,
//! lowered once from the [`Model`] so that every firewall and gateway format
//! renders the same rules.
//!
//! A device's policy holds exactly the flows of the conduits that name it in
//! `enforced-by`, in source order, each with the interfaces it enters and
//! leaves by, its hosts' addresses, its ports and where it was written.
//! Lowering fails closed: a host without an address in the zone a flow
//! needs it in is an error naming the flow, never a rule that matches more.

use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;

use ipnet::IpNet;
use kojo_compiler::controls;
pub use kojo_compiler::model::Inspection;
use kojo_compiler::model::{AssetId, ConduitId, FlowEnd, Model, Tier, Traffic, Trust, ZoneId};
use kojo_compiler::tiers::ZoneTier;
use kojo_compiler::types::TimeWindow;
use kojo_stdlib::{Catalogue, PortRange, Service, Transport};

/// Every enforcing device's policy, sorted by device name.
#[derive(Debug, Clone)]
pub struct Policy {
    pub devices: Vec<DevicePolicy>,
}

/// One enforcing device: its interfaces and the rules it must carry.
#[derive(Debug, Clone)]
pub struct DevicePolicy {
    pub device: AssetId,
    /// The asset's name, e.g. `fw_floor`.
    pub name: String,
    pub title: Option<String>,
    /// Sorted by zone name.
    pub interfaces: Vec<Interface>,
    /// In source order (by conduit, then flow).
    pub rules: Vec<Rule>,
    /// The time zone the device's clock runs on (schedules on vendor
    /// firewalls are evaluated in it); `UTC` unless the manifest says.
    pub timezone: String,
}

impl DevicePolicy {
    pub fn interface(&self, index: usize) -> Option<&Interface> {
        self.interfaces.get(index)
    }
}

/// The device's interface in one zone.
#[derive(Debug, Clone)]
pub struct Interface {
    pub zone: ZoneId,
    /// The zone's name (`control`).
    pub zone_name: String,
    /// The device's own name for the interface: the manifest's, or the
    /// zone's name.
    pub name: String,
    pub address: IpAddr,
    /// The zone's subnets; empty for zones outside the site.
    pub subnets: Vec<IpNet>,
    pub trust: Trust,
}

/// IPv4 or IPv6.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Family {
    V4,
    V6,
}

impl Family {
    pub fn of(net: &IpNet) -> Family {
        match net {
            IpNet::V4(_) => Family::V4,
            IpNet::V6(_) => Family::V6,
        }
    }
}

/// One side of a rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hosts {
    /// Any host that arrives on (or leaves by) the interface: a flow end
    /// `any` in a zone without subnets (the internet).
    Any,
    /// Named hosts; `any` in a zone with subnets becomes one group for the
    /// zone's subnets, so spoofed addresses do not match.
    Groups(Vec<HostGroup>),
}

impl Hosts {
    /// Every address of every group.
    pub fn nets(&self) -> impl Iterator<Item = &IpNet> {
        let groups: &[HostGroup] = match self {
            Hosts::Any => &[],
            Hosts::Groups(groups) => groups,
        };
        groups.iter().flat_map(|g| g.nets.iter())
    }
}

/// The addresses of one asset in one zone, or of one zone (`any`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostGroup {
    /// The asset's name, or `any_<zone>` for a zone's subnets.
    pub name: String,
    /// Sorted, host addresses as /32 or /128.
    pub nets: Vec<IpNet>,
    /// True when this is a whole zone (`any`), not an asset.
    pub zone_any: bool,
}

/// What a rule lets through on the transport layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceMatch {
    /// The catalogue's service ID (`modbus-tcp`), or `tcp/8080` for a raw port.
    pub name: String,
    /// Whether `name` is a catalogue service (rather than a raw port).
    pub catalogued: bool,
    pub ports: Vec<PortRange>,
}

/// One flow of one conduit, as the device must enforce it.
#[derive(Debug, Clone)]
pub struct Rule {
    pub conduit: ConduitId,
    /// Shared with every line traced to the rule (a rule renders many).
    pub conduit_name: std::sync::Arc<str>,
    /// The flow's position in its conduit, from 1.
    pub flow: usize,
    /// `path:line` of the flow's `allow`, for traces; never written into
    /// a generated file.
    pub origin: std::sync::Arc<str>,
    /// Index into the device's interfaces: where connections arrive.
    pub from: usize,
    /// Index into the device's interfaces: where they leave.
    pub to: usize,
    pub sources: Hosts,
    pub destinations: Hosts,
    pub services: Vec<ServiceMatch>,
    /// Protocol functions the flow is limited to (`read`); empty: any.
    pub functions: Vec<String>,
    /// Whether the gateway blocks requests outside `functions` inline or
    /// only alerts on them (the conduit's `inspection`).
    pub inspection: Inspection,
    pub window: Option<TimeWindow>,
    /// The conduit's tier (the higher of its zones').
    pub tier: Option<Tier>,
    /// Count (and log) what the rule lets through: the conduit's tier is
    /// medium or above, or it declares logging.
    pub log: bool,
    /// The conduit is `one-way` (a data diode).
    pub one_way: bool,
    /// The conduit runs from a zone outside the site into one inside it:
    /// remote access.
    pub remote_access: bool,
}

impl Rule {
    /// `conduit_name#flow`, the rule's stable name in comments and objects.
    pub fn label(&self) -> String {
        format!("{}#{}", self.conduit_name, self.flow)
    }

    /// The one-line comment every generated rule carries. It names the
    /// conduit and flow, never the source line: a comment or a declaration
    /// moved in the sources must change no generated byte
    /// (`kojo explain --artifact` finds the line).
    pub fn comment(&self) -> String {
        format!("kojo: conduit {} flow {}", self.conduit_name, self.flow)
    }

    /// The address families the rule matches: those of its hosts; both
    /// when neither side names addresses.
    pub fn families(&self) -> BTreeSet<Family> {
        let families: BTreeSet<Family> = self.sources.nets().chain(self.destinations.nets()).map(Family::of).collect();
        if families.is_empty() {
            [Family::V4, Family::V6].into()
        } else {
            families
        }
    }

    /// Every (transport, port range) the rule allows, sorted, each once.
    pub fn ports(&self) -> Vec<PortRange> {
        let set: BTreeSet<PortRange> = self.services.iter().flat_map(|s| s.ports.iter().copied()).collect();
        set.into_iter().collect()
    }

    /// The catalogue entries of the services whose protocol functions the
    /// flow is limited to: what a gateway must inspect. Empty when the flow
    /// has no `functions`, or none of its services has functions to limit.
    pub fn limited_services<'c>(&'c self, catalogue: &'c Catalogue) -> impl Iterator<Item = &'c Service> + 'c {
        let limited = !self.functions.is_empty();
        self.services
            .iter()
            .filter(move |s| limited && s.catalogued)
            .filter_map(move |s| catalogue.service(&s.name))
            .filter(|s| !s.functions.is_empty())
    }

    /// Every packet of the flow, both ways, must pass through the gateway,
    /// which drops the requests it does not allow.
    pub fn inline(&self, catalogue: &Catalogue) -> bool {
        self.inspection == Inspection::Inline && self.limited_services(catalogue).next().is_some()
    }

    /// The transports the rule allows.
    pub fn transports(&self) -> BTreeSet<Transport> {
        self.ports().iter().map(|p| p.protocol).collect()
    }
}

/// Settings for one device from the manifest, already checked.
#[derive(Debug, Clone, Default)]
pub struct DeviceSettings {
    /// Interface names by zone name.
    pub interfaces: BTreeMap<String, String>,
    pub timezone: Option<String>,
}

/// A reason a flow cannot be lowered, with the flow it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LowerError {
    pub device: String,
    pub conduit: ConduitId,
    pub flow: usize,
    pub message: String,
    pub help: String,
}

/// Lowers every enforcing device's conduits into its policy. `settings`
/// holds the manifest's per-device settings by device name.
pub fn lower(
    model: &Model,
    catalogue: &Catalogue,
    tiers: &[ZoneTier],
    settings: &BTreeMap<String, DeviceSettings>,
) -> Result<Policy, Vec<LowerError>> {
    let mut by_device: BTreeMap<&str, (AssetId, Vec<ConduitId>)> = BTreeMap::new();
    for conduit in &model.conduits {
        let Some(device) = conduit.enforced_by.and_then(|id| model.asset(id)) else { continue };
        by_device.entry(device.name.as_str()).or_insert((device.id, Vec::new())).1.push(conduit.id);
    }
    let mut devices = Vec::new();
    let mut errors = Vec::new();
    let none = DeviceSettings::default();
    for (name, (id, conduits)) in by_device {
        let Some(asset) = model.asset(id) else { continue };
        let settings = settings.get(name).unwrap_or(&none);
        let mut interfaces: Vec<Interface> = asset
            .interfaces
            .iter()
            .filter_map(|i| {
                let zone = model.zone(i.zone)?;
                Some(Interface {
                    zone: i.zone,
                    zone_name: zone.name.clone(),
                    name: settings.interfaces.get(&zone.name).cloned().unwrap_or_else(|| zone.name.clone()),
                    address: i.address,
                    subnets: zone.subnets.clone(),
                    trust: zone.trust,
                })
            })
            .collect();
        interfaces.sort_by(|a, b| a.zone_name.cmp(&b.zone_name));
        let mut device = DevicePolicy {
            device: id,
            name: name.to_string(),
            title: asset.title.as_deref().map(one_line),
            interfaces,
            rules: Vec::new(),
            timezone: settings.timezone.clone().unwrap_or_else(|| "UTC".to_string()),
        };
        // Each zone's interface, found once: a device with an interface per
        // zone would otherwise search them all for every conduit. Keyed by
        // the device's own zones, so many small devices cost no more.
        let mut interface_of: BTreeMap<ZoneId, usize> = BTreeMap::new();
        for (index, interface) in device.interfaces.iter().enumerate() {
            interface_of.entry(interface.zone).or_insert(index);
        }
        for conduit_id in conduits {
            let Some(conduit) = model.conduit(conduit_id) else { continue };
            let error = |flow: usize, message: String, help: &str| LowerError {
                device: name.to_string(),
                conduit: conduit_id,
                flow,
                message,
                help: help.to_string(),
            };
            let position = |zone: ZoneId| interface_of.get(&zone).copied();
            let (Some(from), Some(to)) = (position(conduit.from), position(conduit.to)) else {
                // The resolver reports an enforcer without interfaces in both zones.
                errors.push(error(
                    0,
                    format!("`{name}` has no interface in both zones of conduit `{}`", conduit.name),
                    "give the device an interface in each zone the conduit joins",
                ));
                continue;
            };
            let tier = controls::conduit_tier(tiers, conduit);
            let declared = controls::conduit_controls(catalogue, conduit);
            let log = tier.is_some_and(|t| t >= Tier::Medium) || declared.contains("device-logs");
            let outside = |zone: ZoneId| model.zone(zone).is_some_and(|z| z.trust != Trust::Internal);
            for (index, flow) in conduit.flows.iter().enumerate() {
                let number = index + 1;
                let hosts = |end: &FlowEnd, zone: ZoneId| -> Result<Hosts, LowerError> {
                    lower_end(model, end, zone).map_err(|message| {
                        error(
                            number,
                            message,
                            "give the asset an `ip` (or an interface) in that zone, and internal zones their `subnet`",
                        )
                    })
                };
                let names_device = |end: &FlowEnd| matches!(end, FlowEnd::Assets(ids) if ids.contains(&id));
                if names_device(&flow.source) || names_device(&flow.destination) {
                    // Traffic to or from the device itself is not forwarded:
                    // a forward rule for it would silently match nothing.
                    errors.push(error(
                        number,
                        format!("flow {number} of conduit `{}` names `{name}` itself, the device that enforces it; kojo renders forwarded traffic, not the device's own management access", conduit.name),
                        "manage the device out of band, or model its management as a conduit enforced by another device",
                    ));
                    continue;
                }
                let (sources, destinations) =
                    match (hosts(&flow.source, conduit.from), hosts(&flow.destination, conduit.to)) {
                        (Ok(s), Ok(d)) => (s, d),
                        (s, d) => {
                            errors.extend(s.err());
                            errors.extend(d.err());
                            continue;
                        }
                    };
                let services = match &flow.traffic {
                    Traffic::Services(ids) => ids
                        .iter()
                        .filter_map(|id| {
                            let service = catalogue.service(id)?;
                            Some(ServiceMatch { name: id.clone(), catalogued: true, ports: service.ports.clone() })
                        })
                        .collect(),
                    Traffic::Ports(ports) => ports
                        .iter()
                        .map(|p| {
                            let range = PortRange {
                                protocol: p.transport,
                                port: p.start,
                                end: (p.end != p.start).then_some(p.end),
                            };
                            ServiceMatch { name: port_name(&range), catalogued: false, ports: vec![range] }
                        })
                        .collect(),
                };
                device.rules.push(Rule {
                    conduit: conduit_id,
                    conduit_name: conduit.name.as_str().into(),
                    flow: number,
                    origin: one_line(&model.locate(flow.loc)).into(),
                    from,
                    to,
                    sources,
                    destinations,
                    services,
                    functions: flow.functions.clone(),
                    inspection: conduit.inspection,
                    window: conduit.window.clone(),
                    tier,
                    log,
                    one_way: conduit.one_way,
                    remote_access: outside(conduit.from) && !outside(conduit.to),
                });
            }
        }
        devices.push(device);
    }
    if errors.is_empty() {
        Ok(Policy { devices })
    } else {
        Err(errors)
    }
}

/// Text from the sources as one line of printable characters: titles and
/// file names end up in comments of generated files, where a line break
/// would start a rule of its own.
pub fn one_line(text: &str) -> String {
    text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

/// `tcp/502`, `udp/34962-34964`.
pub fn port_name(range: &PortRange) -> String {
    match range.end {
        Some(end) if end != range.port => format!("{}/{}-{}", range.protocol.as_str(), range.port, end),
        _ => format!("{}/{}", range.protocol.as_str(), range.port),
    }
}

fn lower_end(model: &Model, end: &FlowEnd, zone_id: ZoneId) -> Result<Hosts, String> {
    let Some(zone) = model.zone(zone_id) else { return Ok(Hosts::Any) };
    match end {
        FlowEnd::Any if zone.subnets.is_empty() && zone.trust != Trust::Internal => Ok(Hosts::Any),
        // Inside the plant, "the interface" is not "the zone": routes beyond
        // it would be opened too.
        FlowEnd::Any if zone.subnets.is_empty() => Err(format!(
            "`any` host in zone `{}`, which has no subnet: a firewall could only match its interface, which also carries traffic routed beyond the zone",
            zone.name
        )),
        FlowEnd::Any => {
            let mut nets = zone.subnets.clone();
            nets.sort();
            Ok(Hosts::Groups(vec![HostGroup { name: format!("any_{}", zone.name), nets, zone_any: true }]))
        }
        FlowEnd::Assets(ids) => {
            let mut groups = Vec::new();
            for asset in ids.iter().filter_map(|id| model.asset(*id)) {
                let mut addresses: Vec<IpAddr> =
                    asset.interfaces.iter().filter(|i| i.zone == zone_id).map(|i| i.address).collect();
                if asset.zone == Some(zone_id) {
                    addresses.extend(asset.addresses.iter().copied());
                }
                if addresses.is_empty() {
                    return Err(format!("asset `{}` has no address in zone `{}`", asset.name, zone.name));
                }
                let mut nets: Vec<IpNet> = addresses.into_iter().map(IpNet::from).collect();
                nets.sort();
                nets.dedup();
                groups.push(HostGroup { name: asset.name.clone(), nets, zone_any: false });
            }
            Ok(Hosts::Groups(groups))
        }
    }
}
