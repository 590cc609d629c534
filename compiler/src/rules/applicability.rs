//! Which requirements cannot apply to an asset, and why.
//!
//! A requirement names the capabilities it presupposes (`needs`): a PLC
//! without user accounts cannot have multi-factor authentication. On an
//! asset lacking one, the requirement is neither a finding to waive nor
//! silently skipped: it is listed as not applicable, with the capability
//! missing and where the asset's capabilities came from (its kind's default
//! or its own `capabilities [...]`), so that a reviewer can see the claim
//! and challenge it.

use kojo_stdlib::{Applies, Requirement};

use super::required_controls::InForce;
use super::Context;
use crate::model::{Asset, EntityRef, Loc, Tier};

/// A requirement that does not apply to an asset it would otherwise apply
/// to (its tier is high enough), for want of a capability.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotApplicable {
    /// The requirement's rule ID (`NW-MFA`).
    pub requirement: String,
    pub entity: EntityRef,
    pub loc: Loc,
    /// The asset's name.
    pub name: String,
    /// The asset's kind.
    pub kind: String,
    /// The capabilities the requirement needs that the asset lacks, in the
    /// requirement's order.
    pub missing: Vec<String>,
    /// Whether the asset declared its capabilities (`capabilities [...]`)
    /// rather than taking its kind's default.
    pub declared: bool,
    /// Another reason than a capability: a port row an asset's declared
    /// ports do not concern (`declares no unused port`).
    pub because: Option<String>,
}

impl NotApplicable {
    /// Where the asset's capabilities came from, in words.
    pub fn source(&self) -> String {
        if self.declared {
            "the asset's own `capabilities`".to_owned()
        } else {
            format!("the default of kind `{}`", self.kind)
        }
    }

    /// The reason in one line: what is missing and who says so.
    pub fn reason(&self) -> String {
        if let Some(because) = &self.because {
            return because.clone();
        }
        format!("lacks `{}` ({})", self.missing.join("`, `"), self.source())
    }
}

/// The capabilities `requirement` needs that `asset` lacks; empty when it
/// applies (or needs nothing).
pub fn missing<'r>(requirement: &'r Requirement, asset: &Asset) -> Vec<&'r str> {
    if requirement.applies_to != Applies::Asset {
        return Vec::new();
    }
    requirement.needs.iter().filter(|c| !asset.capabilities.contains(c)).map(String::as_str).collect()
}

/// The not-applicable requirements a check lists: as many as findings
/// ([`crate::cap::FINDINGS_PER_RUN`]). A plant of bare sensors has one per
/// asset and requirement; past this they are counted.
pub const LISTED: usize = crate::cap::FINDINGS_PER_RUN;

/// The first not-applicable requirements, and how many there are in all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Listing {
    /// The first [`LISTED`], in the order found.
    pub listed: Vec<NotApplicable>,
    /// All of them, listed or not.
    pub total: usize,
    /// The assets with at least one.
    pub assets: usize,
}

/// Every requirement of the profile that would apply to an asset by its
/// tier (and `kinds`) but for a capability it lacks; in the profile's
/// order, then the model's.
pub fn not_applicable(ctx: &Context<'_>) -> Vec<NotApplicable> {
    not_applicable_with(ctx, &InForce::new(ctx), usize::MAX).listed
}

/// [`not_applicable`] with the controls in force already gathered, the
/// first `limit` listed and the rest counted.
pub fn not_applicable_with(ctx: &Context<'_>, in_force: &InForce<'_>, limit: usize) -> Listing {
    let mut out = Listing::default();
    let mut assets = vec![false; ctx.model.assets.len()];
    for requirement in ctx.profile.requirements.iter().filter(|r| r.applies_to == Applies::Asset) {
        let Some(needed) = Tier::from_id(&requirement.tier) else { continue };
        for (asset, tier) in ctx.model.assets.iter().zip(in_force.asset_tiers()) {
            let of_kind = requirement.kinds.is_empty() || requirement.kinds.contains(&asset.kind);
            let concerned = crate::controls::row_concerns(ctx.catalogue, &requirement.item, asset);
            if !of_kind || !tier.is_some_and(|t| t >= needed) {
                continue;
            }
            let lacking = missing(requirement, asset);
            // A port row the declared ports do not concern is said too, so
            // that a partial `ports` list never exempts an asset unseen.
            let because = (!concerned).then(|| {
                let which =
                    if requirement.item == crate::controls::USED_PORTS_ROW { "port in use" } else { "unused port" };
                format!("declares no {which} (its `ports` list says which it has)")
            });
            if lacking.is_empty() && because.is_none() {
                continue;
            }
            out.total += 1;
            if let Some(seen) = assets.get_mut(asset.id.index()) {
                out.assets += usize::from(!*seen);
                *seen = true;
            }
            if out.listed.len() < limit {
                out.listed.push(NotApplicable {
                    requirement: requirement.id.clone(),
                    entity: EntityRef::Asset(asset.id),
                    loc: asset.loc,
                    name: asset.name.clone(),
                    kind: asset.kind.clone(),
                    because: if lacking.is_empty() { because } else { None },
                    missing: lacking.into_iter().map(str::to_owned).collect(),
                    declared: asset.capabilities_declared,
                });
            }
        }
    }
    out
}
