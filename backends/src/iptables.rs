//! `iptables`: (being written).

use crate::policy::DevicePolicy;
use crate::{Artifact, Backend, Capabilities, Clock, Context, Kind, Unrenderable};

pub struct Iptables;

pub const IPTABLES: Iptables = Iptables;

impl Backend for Iptables {
    fn name(&self) -> &'static str {
        "iptables"
    }

    fn description(&self) -> &'static str {
        "(being written)"
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities { kind: Kind::Firewall, ipv6: true, windows: Clock::Utc, max_interface_name: None }
    }

    fn render(&self, _ctx: &Context<'_>, _device: &DevicePolicy) -> Result<Vec<Artifact>, Vec<Unrenderable>> {
        Err(vec![Unrenderable { rule: None, message: "not written yet".into(), help: String::new() }])
    }
}
