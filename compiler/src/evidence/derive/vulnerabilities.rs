//! `vulnerabilities` (Appendix E 2-8): attack methods and vulnerabilities
//! identified and fixed or mitigated, among others by knowing each embedded
//! device's model and firmware and checking advisories for them.
//!
//! The model shows the basis for tracking: which devices have their model
//! and firmware recorded. The vulnerability controls (information,
//! assessment, patching) are the rules' part; scan and test results need
//! an attestation (scope "part").

use super::{plant_assets, Ctx, Derived};
use crate::evidence::message::{key, Message};

pub fn derive(ctx: &Ctx<'_>) -> Derived {
    let assets: Vec<_> = plant_assets(ctx.model).filter(|a| a.kind != "cloud-service").collect();
    let tracked = |a: &crate::model::Asset| a.model.is_some() && a.firmware.is_some();
    let count = assets.iter().filter(|a| tracked(a)).count();
    let supports = vec![Message::new(key::VULN_TRACKED).count("tracked", count).count("count", assets.len())];
    let untracked: Vec<String> = assets.iter().filter(|a| !tracked(a)).map(|a| a.name.clone()).collect();
    let missing = if untracked.is_empty() {
        Vec::new()
    } else {
        vec![Message::new(key::VULN_UNTRACKED).names("names", untracked)]
    };
    Derived::graded(count > 0, supports, missing)
}
