//! Enforcement formats: what devices load to enforce the model's conduits.
//!
//! This part owns lowering the model into each enforcing device's
//! [`policy`](policy::Policy), rendering that policy in the formats devices
//! load (firewalls: nftables, iptables-restore, Cisco ASA, FortiGate,
//! Juniper SRX, a JSON policy; gateways: Suricata, a remote-access policy),
//! and tracing every generated line back to its flow. It does not own
//! checking (`kojo-compiler`), writing files or printing (the CLI): a
//! [`build`] returns artifacts in memory or diagnostics, never a partial
//! set of files.
//!
//! Each target is one module implementing [`Backend`]. A backend says what
//! it can express ([`Capabilities`]); [`build`] refuses a flow a selected
//! target cannot carry (fail closed) before anything is rendered.

pub mod artifact;
pub mod build;
pub mod drift;
pub mod firewalls;
pub mod gateways;
pub mod pairs;
pub mod policy;

pub use artifact::{Artifact, Trace, Writer};
pub use build::{build, render_backend, Build, Request};
pub use policy::{DevicePolicy, Policy, Rule};

use kojo_compiler::model::Model;
use kojo_stdlib::Catalogue;

/// What a backend produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A device's packet filter: every flow of its conduits.
    Firewall,
    /// Deep packet inspection of industrial protocols (IDS/IPS).
    Gateway,
    /// Who may reach what through a remote-maintenance conduit.
    RemoteAccess,
}

/// How a target evaluates time windows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// It has no schedules: a flow with a window cannot be rendered.
    None,
    /// Schedules match in UTC; windows are shifted into UTC.
    Utc,
    /// Schedules match on the device's clock (the manifest's `timezone`).
    Device,
}

/// What a target can express. [`build`] checks every flow against these
/// before rendering.
#[derive(Debug, Clone, Copy)]
pub struct Capabilities {
    pub kind: Kind,
    pub ipv6: bool,
    pub windows: Clock,
    /// The longest interface name the target accepts.
    pub max_interface_name: Option<usize>,
}

/// What every backend sees.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub model: &'a Model,
    pub catalogue: &'a Catalogue,
    pub policy: &'a Policy,
    /// The comparisons of flow pairs left to the whole build, shared by its
    /// devices and checks: a budget per device would let a plant of many
    /// devices multiply it.
    pub pairs: &'a std::sync::Mutex<pairs::Budget>,
}

/// A flow (by index into the device's rules) or a device-wide setting the
/// target cannot express.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unrenderable {
    pub rule: Option<usize>,
    pub message: String,
    pub help: String,
}

/// One output format.
pub trait Backend: Sync {
    /// The name the manifest selects it by.
    fn name(&self) -> &'static str;
    /// One line for listings.
    fn description(&self) -> &'static str;
    fn capabilities(&self) -> Capabilities;
    /// Whether the backend enforces the protocol functions of `service`
    /// (`functions [read]` on a Modbus flow).
    fn enforces_functions(&self, _catalogue: &Catalogue, _service: &str) -> bool {
        false
    }
    /// Whether this firewall format sends every packet of an inline flow
    /// (`Rule::inline`) through the device's gateway (NFQUEUE). A firewall
    /// format that cannot is refused such a flow: it would let every
    /// function through.
    fn sends_inline(&self) -> bool {
        false
    }
    /// Whether the format only describes the policy for another tool
    /// (`json`): it neither enforces a flow nor lets one past the gateway.
    fn describes_only(&self) -> bool {
        false
    }
    /// Whether rendering draws on the build's budget of flow-pair
    /// comparisons (`Context::pairs`). The build renders such a backend's
    /// devices one after another, so that which device a spent budget stops
    /// at never depends on thread timing.
    fn spends_pair_budget(&self) -> bool {
        false
    }
    /// The device's files (none when nothing of the device concerns this
    /// backend, e.g. no industrial flows for a gateway).
    fn render(&self, ctx: &Context<'_>, device: &DevicePolicy) -> Result<Vec<Artifact>, Vec<Unrenderable>>;
}

/// Every backend, in listing order.
pub fn all() -> &'static [&'static dyn Backend] {
    &[
        &firewalls::nftables::NFTABLES,
        &firewalls::iptables::IPTABLES,
        &firewalls::cisco_asa::CISCO_ASA,
        &firewalls::fortigate::FORTIGATE,
        &firewalls::juniper_srx::JUNIPER_SRX,
        &firewalls::json::JSON,
        &gateways::suricata::SURICATA,
        &gateways::remote_access::REMOTE_ACCESS,
    ]
}

/// The backend with this manifest name.
pub fn backend(name: &str) -> Option<&'static dyn Backend> {
    all().iter().copied().find(|b| b.name() == name)
}

/// The backends this build of kojo can generate, by manifest name.
pub fn names() -> &'static [&'static str] {
    static NAMES: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    NAMES.get_or_init(|| all().iter().map(|b| b.name()).collect())
}
