//! Packet filters: one module per format a firewall loads, all rendering
//! the same per-device [`Policy`](super::policy::Policy).

pub mod cisco_asa;
pub mod fortigate;
pub mod iptables;
pub mod json;
pub mod juniper_srx;
pub mod nftables;
pub mod vendor;
