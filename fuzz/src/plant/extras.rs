//! What a generated plant holds besides its network: operations and data
//! (which raise tiers), waivers (current and expired), attestations and a
//! purchase.

use std::fmt::Write;

use super::{impact, list, vocab};
use crate::bytes::Bytes;

/// Waiver scopes, with `{zone}`, `{asset}` and `{kind}` to fill in.
const SCOPES: [&str; 7] = [
    "asset {asset}",
    "zone {zone}",
    "zone {zone} and its assets",
    "assets in zone {zone}",
    "assets of kind {kind}",
    "assets of kind {kind} in zone {zone}",
    "plant GEN1",
];

/// The declarations, for `zones` and `assets` (by name).
pub fn write(b: &mut Bytes<'_>, zones: &[&str], assets: &[&str]) -> String {
    let v = vocab();
    let mut out = String::new();
    let data: Vec<String> = (0..b.below(3)).map(|i| format!("data{i}")).collect();
    for name in &data {
        let _ = writeln!(out, "data {name} \"Data\" {{");
        impact(b, &mut out);
        list(&mut out, "stored-on", &b.some_of(assets, 2));
        out.push_str("}\n\n");
    }
    for i in 0..b.below(3) {
        let _ = writeln!(out, "operation op{i} \"Operation\" {{");
        impact(b, &mut out);
        list(&mut out, "zones", &b.some_of(zones, 2));
        list(&mut out, "data", &b.some_of(&data, 2));
        list(&mut out, "assets", &b.some_of(assets, 2));
        out.push_str("}\n\n");
    }
    // One waiver per rule: two covering one rule on one entity are an error.
    for rule in b.some_of(&v.rules, 2) {
        let scope = b.pick(&SCOPES).copied().unwrap_or("plant GEN1");
        let (Some(zone), Some(asset), Some(kind)) = (b.pick(zones), b.pick(assets), b.pick(&v.kinds)) else {
            continue;
        };
        let scope = scope.replace("{zone}", zone).replace("{asset}", asset).replace("{kind}", kind);
        // The fuzz targets check on 2026-01-01: the first waiver has expired.
        let until = if b.chance(48) { "2025-06-30" } else { "2027-03-31" };
        let _ = writeln!(out, "waive {rule} on {scope} {{\n  reason \"legacy equipment\"\n  until {until}");
        list(&mut out, "compensating", &b.some_of(&v.zone_controls, 2));
        out.push_str("}\n\n");
    }
    for item in b.some_of(&v.checklist, 2) {
        let level = b.between(1, 5);
        let _ =
            writeln!(out, "attest {item} level {level} {{ evidence \"docs/{item}.md\"; owner \"Plant manager\" }}\n");
    }
    let bought = b.some_of(assets, 3);
    if !bought.is_empty() {
        out.push_str("purchase refresh \"Line refresh\" {\n");
        list(&mut out, "assets", &bought);
        out.push_str("  supplier \"Example Integration\"\n}\n");
    }
    out
}
