//! What the boundary rules ask of zones: how far each is trusted, which tier
//! it must meet, and whether two zones differ in either.
//!
//! Not a rule: the helpers the conduit, path and bridge rules share, so that
//! they agree on what a boundary is and describe zones the same way.

use std::sync::Arc;

use super::{Context, Finding, Rule};
use crate::model::{EntityRef, Loc, Tier, Trust, Zone, ZoneId};

/// The tier the zone must meet, if it has one (outside zones usually do not).
pub fn tier(ctx: &Context<'_>, zone: ZoneId) -> Option<Tier> {
    crate::controls::zone_tier(ctx.tiers, zone)
}

/// Whether the zone is outside the plant: `untrusted` or `external`.
pub fn outside(zone: &Zone) -> bool {
    zone.trust != Trust::Internal
}

/// Whether traffic between the two zones crosses a boundary: they differ in
/// trust or in effective tier.
pub fn differ(ctx: &Context<'_>, a: &Zone, b: &Zone) -> bool {
    a.trust != b.trust || tier(ctx, a.id) != tier(ctx, b.id)
}

/// `internal, tier high`, `untrusted`: the zone's trust and tier, for messages.
pub fn standing(ctx: &Context<'_>, zone: &Zone) -> String {
    match tier(ctx, zone.id) {
        Some(t) => format!("{}, tier {}", zone.trust.keyword(), t.id()),
        None => zone.trust.keyword().to_string(),
    }
}

/// ``zone `oa` (internal, tier medium)``.
pub fn describe(ctx: &Context<'_>, zone: &Zone) -> String {
    format!("zone `{}` ({})", zone.name, standing(ctx, zone))
}

/// A note at the zone's declaration saying how far it is trusted and its tier.
pub fn zone_note(ctx: &Context<'_>, zone: &Zone) -> (Loc, String) {
    (zone.loc, format!("zone `{}` is {}", zone.name, standing(ctx, zone)))
}

/// A finding of `rule` with its default severity.
pub fn finding(rule: &Rule, target: EntityRef, loc: Loc, message: String, label: String, help: String) -> Finding {
    Finding {
        rule: rule.id.to_string(),
        severity: rule.severity,
        target,
        loc,
        message,
        label: label.into(),
        help: help.into(),
        notes: Arc::new([]),
        key: String::new(),
    }
}

/// `a`, `a` and `b`, `a`, `b` and `c`.
pub fn and_list(items: &[String]) -> String {
    match items.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}
