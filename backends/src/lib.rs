//! kojo's backends: everything generated from the resolved
//! [`Model`](kojo_compiler::model::Model).
//!
//! Two families, side by side:
//!
//! - [`enforcement`]: what devices load. The per-device policy, the
//!   capability checks (fail closed), firewall formats (nftables,
//!   iptables-restore, Cisco ASA, FortiGate, Juniper SRX, a JSON policy) and
//!   gateway formats (Suricata, a remote-access policy), each generated
//!   line traced back to its flow.
//! - [`documents`]: what people sign. The procurement specification
//!   (Appendix F) and the checklist evidence (Appendix E), rendered from
//!   tera templates and message files in `kojo-stdlib`.
//!
//! Backends see only the model (and what the compiler derived from it),
//! never the syntax tree. They do not own checking (`kojo-compiler`),
//! writing files or printing (the CLI): every function returns artifacts or
//! text in memory, or diagnostics, never a part of each.

pub mod documents;
pub mod enforcement;

pub use enforcement::firewalls::{cisco_asa, fortigate, iptables, json, juniper_srx, nftables};
pub use enforcement::gateways::{remote_access, suricata};
pub use enforcement::{
    all, artifact, backend, build, drift, names, policy, render_backend, Artifact, Backend, Build, Capabilities, Clock,
    Context, DevicePolicy, Kind, Policy, Request, Rule, Trace, Unrenderable, Writer,
};
