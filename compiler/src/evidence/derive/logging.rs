//! `logging` (Appendix E 3-8): login and operation event logs collected,
//! analysed periodically and kept as long as needed.
//!
//! Each device of the plant logs when a logging control is in force on it
//! (system or device logs, operation logs, log forwarding), its logs leave
//! it when they are forwarded or integrated with the IDS logs, and they are
//! analysed where `log-analysis` is in force. How long logs are kept needs
//! an attestation (scope "part").

use super::{plant_assets, Ctx, Derived};
use crate::controls;
use crate::evidence::message::{key, Message};

const LOGS: [&str; 4] = ["system-logs", "device-logs", "operation-logs", "log-forwarding"];
const FORWARDED: [&str; 2] = ["log-forwarding", "ids-log-integration"];
const ANALYSED: &str = "log-analysis";

pub fn derive(ctx: &Ctx<'_>) -> Derived {
    let assets: Vec<_> = plant_assets(ctx.model).collect();
    let in_force: Vec<_> = assets.iter().map(|a| controls::asset_controls(ctx.model, ctx.catalogue, a)).collect();
    let has = |set: &std::collections::BTreeSet<&str>, ids: &[&str]| ids.iter().any(|c| set.contains(c));
    let logging = in_force.iter().filter(|s| has(s, &LOGS)).count();
    let forwarded = in_force.iter().filter(|s| has(s, &FORWARDED)).count();
    let analysed: Vec<String> =
        assets.iter().zip(&in_force).filter(|(_, s)| s.contains(ANALYSED)).map(|(a, _)| a.name.clone()).collect();
    let mut supports = vec![
        Message::new(key::LOG_DEVICES).count("logging", logging).count("count", assets.len()),
        Message::new(key::LOG_FORWARDED).count("forwarded", forwarded).count("count", assets.len()),
    ];
    let mut missing = Vec::new();
    let silent: Vec<String> =
        assets.iter().zip(&in_force).filter(|(_, s)| !has(s, &LOGS)).map(|(a, _)| a.name.clone()).collect();
    if !silent.is_empty() {
        missing.push(Message::new(key::LOG_SILENT).names("names", silent));
    }
    if analysed.is_empty() {
        missing.push(Message::new(key::LOG_NO_ANALYSIS));
    } else {
        supports.push(Message::new(key::LOG_ANALYSED).count("count", analysed.len()));
    }
    Derived::graded(logging > 0, supports, missing)
}
