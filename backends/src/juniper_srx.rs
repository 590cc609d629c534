//! `juniper-srx`: (being written).

use crate::policy::DevicePolicy;
use crate::{Artifact, Backend, Capabilities, Clock, Context, Kind, Unrenderable};

pub struct JuniperSrx;

pub const JUNIPER_SRX: JuniperSrx = JuniperSrx;

impl Backend for JuniperSrx {
    fn name(&self) -> &'static str {
        "juniper-srx"
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
