//! `fortigate`: (being written).

use crate::policy::DevicePolicy;
use crate::{Artifact, Backend, Capabilities, Clock, Context, Kind, Unrenderable};

pub struct Fortigate;

pub const FORTIGATE: Fortigate = Fortigate;

impl Backend for Fortigate {
    fn name(&self) -> &'static str {
        "fortigate"
    }

    fn description(&self) -> &'static str {
        "(being written)"
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities { kind: Kind::Firewall, ipv6: true, windows: Clock::Device, max_interface_name: None }
    }

    fn render(&self, _ctx: &Context<'_>, _device: &DevicePolicy) -> Result<Vec<Artifact>, Vec<Unrenderable>> {
        Err(vec![Unrenderable { rule: None, message: "not written yet".into(), help: String::new() }])
    }
}
