//! Which requirements a specification carries, and why each applies.
//!
//! - The device tier table (F3): every measure up to the tier of the zone
//!   the item goes into (a measure at `medium` applies to items at `medium`
//!   and `high`), every cell as the guideline's table gives it.
//! - The network tier table (F4): the measures that bear on a device in the
//!   zone (at its tier) or behind its conduits (at the highest tier of the
//!   conduits it takes part in); for a firewall or gateway, the measures of
//!   the conduits it enforces, as its own functions.
//! - The lifecycle clauses of every other section, where their condition
//!   holds for at least one item: always, remote access reaches it, it or
//!   its zone has wireless, it includes software, it enforces a conduit.
//!
//! A tier-table measure whose every requirement needs a capability an item
//! lacks (a PLC without user accounts and the MFA cell) does not apply to
//! that item; it is listed as not applicable with the reason, not dropped.

use kojo_compiler::model::{Asset, Conduit, Tier};
use kojo_compiler::rules::applicability;
use kojo_stdlib::{Catalogue, Measure, ProcurementClause, Profile, TierRow, TierTable, When};

use super::items::Item;

/// Where a requirement comes from.
#[derive(Clone, Copy)]
pub enum Source<'c> {
    /// A tier-table measure; `enforcing` when the item is the conduit's
    /// firewall or gateway and the measure is its own function.
    Measure { table: &'c TierTable, row: &'c TierRow, measure: &'c Measure, enforcing: bool },
    /// A lifecycle clause of the procurement plan.
    Clause(&'c ProcurementClause),
}

/// Why a requirement applies, and to which items.
pub enum Why<'a, 'm> {
    /// A tier-table measure: the items at its tier or above, each with its tier.
    Tier(Vec<&'a Item<'m>>),
    /// A network measure of the conduits: the items whose conduits are at
    /// its tier or above (a conduit takes the higher tier of its zones).
    Conduits(Vec<&'a Item<'m>>),
    /// The items that enforce conduits at the measure's tier or above.
    Enforcing(Vec<(&'a Item<'m>, Vec<&'m Conduit>)>),
    Always,
    RemoteAccess(Vec<(&'a Item<'m>, Vec<&'m Conduit>)>),
    Wireless(Vec<(&'a Item<'m>, Vec<&'m Asset>)>),
    Software(Vec<(&'a Item<'m>, Vec<String>)>),
}

/// One requirement of the specification.
pub struct Selected<'c, 'a, 'm> {
    /// The section it belongs in (`device-functions`, `network`, `accounts` …).
    pub section: &'c str,
    pub source: Source<'c>,
    pub why: Why<'a, 'm>,
}

/// A tier-table measure that the items' tier asks for, but that cannot
/// apply to some of them: each with the capabilities it lacks.
pub struct NotApplicable<'c, 'a, 'm> {
    pub section: &'c str,
    pub table: &'c TierTable,
    pub row: &'c TierRow,
    pub measure: &'c Measure,
    pub items: Vec<(&'a Item<'m>, Vec<String>)>,
}

/// The capabilities `asset` lacks that make `measure` not applicable to
/// it: some when every requirement of `profile` that checks the measure
/// needs one the asset lacks. `None` when the measure applies (or no
/// requirement of the profile checks it).
pub fn lacking(profile: &Profile, measure: &Measure, asset: &Asset) -> Option<Vec<String>> {
    let mut missing: Vec<String> = Vec::new();
    let mut checked = false;
    for requirement in measure.requirements.iter().filter_map(|id| profile.requirement(id)) {
        checked = true;
        let lacks = applicability::missing(requirement, asset);
        if lacks.is_empty() {
            return None;
        }
        for capability in lacks {
            if !missing.iter().any(|m| m == capability) {
                missing.push(capability.to_owned());
            }
        }
    }
    checked.then_some(missing)
}

/// Every requirement for `items`, in the order of the template: device
/// table, network table, then the sections' clauses in file order; and
/// the measures that cannot apply to some items, in table order.
pub fn select<'c, 'a, 'm>(
    catalogue: &'c Catalogue,
    profile: &Profile,
    items: &'a [Item<'m>],
) -> (Vec<Selected<'c, 'a, 'm>>, Vec<NotApplicable<'c, 'a, 'm>>) {
    let mut out = Vec::new();
    let mut not_applicable = Vec::new();
    for table in catalogue.tier_tables() {
        let section = if table.id == "device" { "device-functions" } else { "network" };
        for row in table.rows.iter().filter(|r| r.procure) {
            for measure in &row.measures {
                let Some(needed) = Tier::from_id(&measure.tier) else { continue };
                let enforcing = enforcers(items, row, measure, needed);
                let at_tier: Vec<&Item<'m>> = items
                    .iter()
                    .filter(|i| {
                        !(measure.enforcing.is_some() && enforcing.iter().any(|(e, _)| e.asset.id == i.asset.id))
                    })
                    .filter(|i| tier_for(i, row).is_some_and(|t| t >= needed))
                    .collect();
                let (at_tier, lacking_items): (Vec<_>, Vec<_>) =
                    at_tier.into_iter().partition(|i| lacking(profile, measure, i.asset).is_none());
                if !lacking_items.is_empty() {
                    let items = lacking_items
                        .into_iter()
                        .map(|i| (i, lacking(profile, measure, i.asset).unwrap_or_default()))
                        .collect();
                    not_applicable.push(NotApplicable { section, table, row, measure, items });
                }
                if !at_tier.is_empty() {
                    let source = Source::Measure { table, row, measure, enforcing: false };
                    let why = if row.applies == "conduit" { Why::Conduits(at_tier) } else { Why::Tier(at_tier) };
                    out.push(Selected { section, source, why });
                }
                if !enforcing.is_empty() {
                    let source = Source::Measure { table, row, measure, enforcing: true };
                    out.push(Selected { section, source, why: Why::Enforcing(enforcing) });
                }
            }
        }
    }
    for clause in catalogue.procurement_clauses() {
        if let Some(why) = condition(clause.when, items) {
            out.push(Selected { section: clause.section.as_str(), source: Source::Clause(clause), why });
        }
    }
    // The template goes section by section; keep each section's own order.
    let order: Vec<&str> = catalogue.procurement_sections().map(|s| s.id.as_str()).collect();
    out.sort_by_key(|s| order.iter().position(|id| *id == s.section).unwrap_or(usize::MAX));
    (out, not_applicable)
}

/// The tier a row's measures are held to for this item.
fn tier_for(item: &Item<'_>, row: &TierRow) -> Option<Tier> {
    match row.applies.as_str() {
        "conduit" => item.network_tier,
        _ => item.tier,
    }
}

/// Items that enforce conduits at the measure's tier or above, for the
/// conduit rows that have an enforcing device's own clause.
fn enforcers<'a, 'm>(
    items: &'a [Item<'m>],
    row: &TierRow,
    measure: &Measure,
    needed: Tier,
) -> Vec<(&'a Item<'m>, Vec<&'m Conduit>)> {
    if measure.enforcing.is_none() || row.applies != "conduit" {
        return Vec::new();
    }
    items
        .iter()
        .filter_map(|item| {
            let conduits: Vec<&Conduit> = item
                .enforces
                .iter()
                .copied()
                .filter(|c| item.enforced_tiers.iter().any(|(id, t)| *id == c.id && *t >= needed))
                .collect();
            (!conduits.is_empty()).then_some((item, conduits))
        })
        .collect()
}

/// Whether a clause's condition holds for any item, and for which.
fn condition<'a, 'm>(when: When, items: &'a [Item<'m>]) -> Option<Why<'a, 'm>> {
    let why = match when {
        When::Always => return Some(Why::Always),
        When::RemoteAccess => {
            Why::RemoteAccess(items.iter().filter(|i| !i.remote.is_empty()).map(|i| (i, i.remote.clone())).collect())
        }
        When::Wireless => {
            Why::Wireless(items.iter().filter(|i| !i.wireless.is_empty()).map(|i| (i, i.wireless.clone())).collect())
        }
        When::Software => Why::Software(
            items.iter().filter(|i| !i.asset.software.is_empty()).map(|i| (i, i.asset.software.clone())).collect(),
        ),
        When::Enforcing => {
            Why::Enforcing(items.iter().filter(|i| !i.enforces.is_empty()).map(|i| (i, i.enforces.clone())).collect())
        }
    };
    let any = match &why {
        Why::RemoteAccess(v) => !v.is_empty(),
        Why::Wireless(v) => !v.is_empty(),
        Why::Software(v) => !v.is_empty(),
        Why::Enforcing(v) => !v.is_empty(),
        Why::Tier(v) | Why::Conduits(v) => !v.is_empty(),
        Why::Always => true,
    };
    any.then_some(why)
}

/// Whether a section with this condition appears at all.
pub fn section_applies(when: When, items: &[Item<'_>]) -> bool {
    condition(when, items).is_some()
}
