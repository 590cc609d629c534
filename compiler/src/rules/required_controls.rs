//! The profile's requirements: the controls each tier needs of zones,
//! conduits and assets (the guideline's tier tables [3.2.2(1)①②]).
//!
//! Unlike the other rules, these are data: each requirement in the profile
//! is a rule with its own ID, so an organisation's profile adds, removes or
//! re-tiers them without a rebuild. A finding names the entity, its tier and
//! what raised it, the requirement, and its guideline section.

mod in_force;

use std::collections::BTreeMap;
use std::sync::Arc;

use kojo_lang::Severity;
use kojo_stdlib::{Applies, Requirement};

use super::{applicability, Context, Finding};
use crate::controls;
use crate::model::{Asset, EntityRef, Loc, Tier, ZoneId};
pub use in_force::InForce;
use in_force::Set;

/// An entity a requirement applies to: at its tier or above (and of its
/// kinds, with the capabilities it needs).
struct Target<'m, 'f> {
    entity: EntityRef,
    loc: Loc,
    kind: &'static str,
    name: &'m str,
    tier: Option<Tier>,
    /// The zones whose tiers put it there, for "what raised it".
    zones: TargetZones<'m>,
    in_force: Set<'f>,
}

/// A target's zones, read only when a finding asks what raised its tier:
/// most targets meet their requirement, and a plant has many targets.
#[derive(Clone, Copy)]
enum TargetZones<'m> {
    Zone(ZoneId),
    Conduit(ZoneId, ZoneId),
    Asset(&'m Asset),
}

impl TargetZones<'_> {
    fn ids(self) -> Vec<ZoneId> {
        match self {
            TargetZones::Zone(zone) => vec![zone],
            TargetZones::Conduit(from, to) => vec![from, to],
            TargetZones::Asset(asset) => {
                asset.zone.into_iter().chain(asset.interfaces.iter().map(|i| i.zone)).collect()
            }
        }
    }
}

fn targets<'m, 'f>(ctx: &Context<'m>, in_force: &'f InForce<'m>, requirement: &Requirement) -> Vec<Target<'m, 'f>> {
    let Some(needed) = Tier::from_id(&requirement.tier) else { return Vec::new() };
    let at_tier = |tier: Option<Tier>| tier.is_some_and(|t| t >= needed);
    let mut out = Vec::new();
    match requirement.applies_to {
        Applies::Zone => {
            for (i, zone) in ctx.model.zones.iter().enumerate() {
                let tier = controls::zone_tier(ctx.tiers, zone.id);
                if at_tier(tier) {
                    let entity = EntityRef::Zone(zone.id);
                    out.push(Target {
                        entity,
                        loc: zone.loc,
                        kind: "zone",
                        name: &zone.name,
                        tier,
                        zones: TargetZones::Zone(zone.id),
                        in_force: in_force.zone(i),
                    });
                }
            }
        }
        Applies::Conduit => {
            for (i, conduit) in ctx.model.conduits.iter().enumerate() {
                let tier = controls::conduit_tier(ctx.tiers, conduit);
                if at_tier(tier) {
                    out.push(Target {
                        entity: EntityRef::Conduit(conduit.id),
                        loc: conduit.loc,
                        kind: "conduit",
                        name: &conduit.name,
                        tier,
                        zones: TargetZones::Conduit(conduit.from, conduit.to),
                        in_force: in_force.conduit(i),
                    });
                }
            }
        }
        Applies::Asset => {
            for (i, (asset, tier)) in ctx.model.assets.iter().zip(in_force.asset_tiers()).enumerate() {
                let of_kind = requirement.kinds.is_empty() || requirement.kinds.contains(&asset.kind);
                // the port rows judge unused and used ports apart
                let concerned = controls::row_concerns(ctx.catalogue, &requirement.item, asset);
                // An asset lacking a capability the requirement needs is
                // reported as not applicable instead (`applicability`).
                let capable = applicability::missing(requirement, asset).is_empty();
                if of_kind && concerned && capable && at_tier(*tier) {
                    out.push(Target {
                        entity: EntityRef::Asset(asset.id),
                        loc: asset.loc,
                        kind: "asset",
                        name: &asset.name,
                        tier: *tier,
                        zones: TargetZones::Asset(asset),
                        in_force: in_force.asset(i),
                    });
                }
            }
        }
    }
    out
}

pub fn check(ctx: &Context<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    check_into(ctx, &InForce::new(ctx), &mut findings);
    findings
}

/// [`check`] with the controls in force already gathered, its findings
/// added to `findings`: a plant of bare assets has millions, which are
/// not worth moving from one vector to another.
pub fn check_into<'m>(ctx: &Context<'m>, in_force: &InForce<'m>, findings: &mut Vec<Finding>) {
    let mut notes: BTreeMap<Vec<ZoneId>, Arc<[(Loc, String)]>> = BTreeMap::new();
    for (index, requirement) in ctx.profile.requirements.iter().enumerate() {
        // One requirement says the same to every entity lacking the same
        // controls: the texts are made once and shared.
        let label: Arc<str> = format!("needs {}", requirement.needs()).into();
        let mut helps: BTreeMap<(&str, Vec<&str>), Arc<str>> = BTreeMap::new();
        for target in targets(ctx, in_force, requirement) {
            if !in_force.met(index, target.in_force) {
                let zones = target.zones.ids();
                let why = notes
                    .entry(zones)
                    .or_insert_with_key(|zones| raised(ctx, zones.iter().copied()).into_iter().collect());
                let missing = requirement.missing(|c| target.in_force.contains(c));
                let help = helps
                    .entry((target.kind, missing))
                    .or_insert_with_key(|(kind, missing)| help(ctx.catalogue, requirement, kind, missing).into());
                findings.push(Finding {
                    rule: requirement.id.clone(),
                    severity: Severity::Error,
                    target: target.entity,
                    loc: target.loc,
                    message: message(requirement, &target),
                    label: label.clone(),
                    help: help.clone(),
                    notes: why.clone(),
                    key: String::new(),
                });
            }
        }
    }
}

/// How far a requirement holds in the plant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Coverage {
    /// The entities at its tier or above (of its kinds) it applies to.
    pub applies: usize,
    /// Of those, the ones with one of its controls in force.
    pub met: usize,
}

/// The coverage of `requirement` in the model.
pub fn coverage(ctx: &Context<'_>, in_force: &InForce<'_>, requirement: &Requirement) -> Coverage {
    let Some(index) = ctx.profile.requirements.iter().position(|r| r.id == requirement.id) else {
        return Coverage { applies: 0, met: 0 };
    };
    let targets = targets(ctx, in_force, requirement);
    Coverage { applies: targets.len(), met: targets.iter().filter(|t| in_force.met(index, t.in_force)).count() }
}

/// The strongest raiser among `zones`, as a note.
fn raised(ctx: &Context<'_>, zones: impl IntoIterator<Item = ZoneId>) -> Option<(Loc, String)> {
    zones
        .into_iter()
        .filter_map(|z| ctx.tiers.get(z.index()))
        .filter_map(|t| Some((t, t.raised_by.as_ref()?)))
        .max_by_key(|(t, _)| t.effective)
        .map(|(t, r)| {
            let zone = ctx.model.zone(t.zone).map_or("", |z| z.name.as_str());
            (r.loc, format!("{} ({} {}) puts zone `{zone}` at tier {}", r.entity, r.axis, r.level, r.tier.id()))
        })
}

/// `asset `plc1` at tier high lacks … / … [§ …]`.
fn message(requirement: &Requirement, target: &Target<'_, '_>) -> String {
    let tier = target.tier.map_or("", |t| t.id());
    format!(
        "{} `{}` at tier {tier} lacks {} / {} [{}]",
        target.kind, target.name, requirement.label.en, requirement.label.ja, requirement.source
    )
}

/// What to do: the controls to put in place or show, or a waiver.
fn help(catalogue: &kojo_stdlib::Catalogue, requirement: &Requirement, kind: &str, missing: &[&str]) -> String {
    // Only the guideline's own measures are "the table's"; a requirement
    // the tables do not have (kojo's or an organisation's) is the profile's.
    let asks = if requirement.measures.is_empty() {
        format!("the profile asks for this from tier {} (`kojo explain {}` says why)", requirement.tier, requirement.id)
    } else {
        format!(
            "the {} table's `{}` row asks for this from tier {}",
            requirement.table, requirement.item, requirement.tier
        )
    };
    // A control kojo derives is shown by the model, never claimed.
    let (proven, claimed): (Vec<&str>, Vec<&str>) =
        missing.iter().partition(|id| catalogue.control(id).is_some_and(|c| c.proven_by.is_some()));
    let mut todo: Vec<String> = Vec::new();
    if !claimed.is_empty() {
        todo.push(format!("add `{}` to the {kind}'s `controls` once it is in place", claimed.join("`, `")));
    }
    for id in proven {
        if let Some(proof) = catalogue.control(id).and_then(|c| c.proven_by.as_ref()) {
            todo.push(format!("show `{id}` in the model ({})", proof.en));
        }
    }
    format!(
        "{asks}: {}, or waive `{}` with a reason, an expiry and compensating controls",
        todo.join(" and "),
        requirement.id
    )
}

#[cfg(test)]
mod tests {
    use kojo_stdlib::Catalogue;

    use super::super::applicability::{not_applicable, NotApplicable};
    use super::*;
    use crate::resolve::tests::resolve_text;
    use crate::tiers;

    const PLANT: &str = "plant \"P\" { profile meti-factory }\nzone control { subnet 10.0.0.0/24; tier high }\n";

    /// The rule IDs of the findings on asset `x`, and what is not applicable to it.
    fn run(asset: &str) -> (Vec<String>, Vec<NotApplicable>) {
        let (model, diagnostics) = resolve_text(&format!("{PLANT}asset x in control {{ {asset} }}\n"));
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let model = model.unwrap();
        let catalogue = Catalogue::builtin().unwrap();
        let profile = catalogue.profile("meti-factory").unwrap();
        let zone_tiers = tiers::derive(&model, profile);
        let ctx = Context { model: &model, catalogue, profile, tiers: &zone_tiers };
        let rules = check(&ctx).into_iter().map(|f| f.rule).collect();
        (rules, not_applicable(&ctx))
    }

    fn ids(list: &[NotApplicable]) -> Vec<&str> {
        list.iter().map(|n| n.requirement.as_str()).collect()
    }

    #[test]
    fn a_plc_without_user_accounts_gets_no_account_findings_but_not_applicable_entries() {
        let (findings, na) = run("kind plc");
        for id in ["NW-MFA", "NW-INDIVIDUAL-ID", "DEV-HOST-FIREWALL"] {
            assert!(!findings.iter().any(|f| f == id), "{id} fired on a PLC: {findings:?}");
        }
        // A password to govern and accounts to prune exist without user accounts.
        for id in ["NW-PASSWORD-POLICY", "NW-REMOVE-UNNEEDED-USERS"] {
            assert!(findings.iter().any(|f| f == id), "{id} applies to a PLC too: {findings:?}");
        }
        assert!(findings.iter().any(|f| f == "DEV-ENCRYPTION"), "other rows still apply: {findings:?}");
        let na_ids = ids(&na);
        assert!(na_ids.contains(&"NW-MFA") && na_ids.contains(&"DEV-FILE-TOOLS"), "{na_ids:?}");
        let mfa = na.iter().find(|n| n.requirement == "NW-MFA").unwrap();
        assert_eq!(
            (mfa.name.as_str(), mfa.missing.as_slice(), mfa.declared),
            ("x", &["user-accounts".to_owned()][..], false)
        );
        assert_eq!(mfa.reason(), "lacks `user-accounts` (the default of kind `plc`)");
        let tools = na.iter().find(|n| n.requirement == "DEV-FILE-TOOLS").unwrap();
        assert_eq!(tools.missing, ["file-storage", "general-purpose-os"]);
    }

    /// A port row the declared ports do not concern is not a finding, and
    /// not silent either: it is listed as not applicable, with why.
    #[test]
    fn a_port_row_the_ports_do_not_concern_is_listed_not_skipped() {
        let (findings, na) = run("kind plc; ports { usb used }");
        assert!(!findings.iter().any(|f| f.starts_with("DEV-PORT-")), "{findings:?}");
        assert!(findings.iter().any(|f| f == "DEV-MEDIA-INSPECTION"), "the used port is inspected: {findings:?}");
        let caps = na.iter().find(|n| n.requirement == "DEV-PORT-CAPS").expect("DEV-PORT-CAPS listed");
        assert_eq!(caps.reason(), "declares no unused port (its `ports` list says which it has)");
        let (_, na) = run("kind plc; ports { usb sealed }");
        let media = na.iter().find(|n| n.requirement == "DEV-MEDIA-INSPECTION").expect("DEV-MEDIA-INSPECTION listed");
        assert_eq!(media.reason(), "declares no port in use (its `ports` list says which it has)");
    }

    #[test]
    fn declaring_the_capability_brings_the_requirement_back() {
        let (findings, na) = run("kind plc; capabilities [user-accounts, on-premises]");
        assert!(findings.iter().any(|f| f == "NW-MFA"), "{findings:?}");
        assert!(!ids(&na).contains(&"NW-MFA"));
        let host_fw = na.iter().find(|n| n.requirement == "DEV-HOST-FIREWALL").unwrap();
        assert_eq!(host_fw.reason(), "lacks `general-purpose-os` (the asset's own `capabilities`)");
    }

    #[test]
    fn a_met_requirement_is_not_listed_and_capable_assets_have_none() {
        let (findings, na) = run("kind server");
        assert!(na.is_empty(), "{:?}", ids(&na));
        assert!(findings.iter().any(|f| f == "DEV-HOST-FIREWALL"));
        let (_, na) = run("kind server; capabilities []");
        assert!(ids(&na).contains(&"DEV-UPS"), "`[]` lacks everything");
    }

    #[test]
    fn below_its_tier_a_requirement_is_neither_finding_nor_not_applicable() {
        let (model, _) = resolve_text(
            "plant \"P\" { profile meti-factory }\nzone office { subnet 10.0.0.0/24; tier minimum }\nasset x in office { kind plc }\n",
        );
        let model = model.unwrap();
        let catalogue = Catalogue::builtin().unwrap();
        let profile = catalogue.profile("meti-factory").unwrap();
        let zone_tiers = tiers::derive(&model, profile);
        let ctx = Context { model: &model, catalogue, profile, tiers: &zone_tiers };
        let na = not_applicable(&ctx);
        assert!(!ids(&na).contains(&"NW-MFA"), "NW-MFA starts at high");
        assert!(
            ids(&na).contains(&"DEV-ANTI-MALWARE"),
            "the minimum tier's anti-malware, for want of a general-purpose OS"
        );
    }
}
