//! Gateways: deep packet inspection of industrial protocols (IDS/IPS) and
//! remote-access policies, rendered from the same per-device policy as the
//! firewalls.

pub mod remote_access;
pub mod suricata;
