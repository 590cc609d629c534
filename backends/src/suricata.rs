//! `suricata`: (being written).

use crate::policy::DevicePolicy;
use crate::{Artifact, Backend, Capabilities, Clock, Context, Kind, Unrenderable};

pub struct Suricata;

pub const SURICATA: Suricata = Suricata;

impl Backend for Suricata {
    fn name(&self) -> &'static str {
        "suricata"
    }

    fn description(&self) -> &'static str {
        "(being written)"
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities { kind: Kind::Gateway, ipv6: true, windows: Clock::None, max_interface_name: None }
    }

    fn render(&self, _ctx: &Context<'_>, _device: &DevicePolicy) -> Result<Vec<Artifact>, Vec<Unrenderable>> {
        Err(vec![Unrenderable { rule: None, message: "not written yet".into(), help: String::new() }])
    }
}
