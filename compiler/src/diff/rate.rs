//! How much each kind of change can weaken the plant, and why. Every rating
//! here is listed in `docs/cli.md` with its reason.
//!
//! High: what opens the plant or removes a protection the guideline asks
//! for (a tier lowered, a required control removed, a new or extended
//! waiver, a new insecure protocol across a boundary, a one-way conduit
//! made two-way, a firewall removed from a conduit; new paths from outside
//! are rated in `paths.rs`). Medium: what widens what is allowed or weakens
//! a protection the profile does not require. Low: what narrows, adds
//! protection, or only renames and describes.

use kojo_stdlib::Catalogue;

use super::snapshot::{Entity, Facet, FlowFact, Snapshot};
use super::{Change, ChangeKind, Risk};
use crate::model::Tier;

pub struct Context<'a> {
    /// The later revision, under the earlier revision's names.
    pub new: &'a Snapshot,
    pub catalogue: &'a Catalogue,
}

fn change(entity: &Entity, kind: ChangeKind, risk: Risk, reason: impl Into<String>) -> Change {
    Change {
        entity: format!("{}:{}", entity.kind, entity.name),
        kind,
        facet: None,
        before: None,
        after: None,
        risk,
        reason: reason.into(),
        place: entity.place.clone(),
        place_before: kind == ChangeKind::Removed,
    }
}

/// An entity only the later revision has.
pub fn added(ctx: &Context<'_>, entity: &Entity) -> Vec<Change> {
    let (risk, reason) = match entity.kind {
        "conduit" if entity.flows.is_empty() => (Risk::Low, "a new conduit that allows nothing yet"),
        "conduit" => (Risk::Medium, "a new conduit: traffic between two zones that was denied is allowed"),
        "asset" if in_sensitive_zone(ctx, entity) => {
            (Risk::Medium, "a new device in a zone at tier medium or high: what it runs and who reaches it matter")
        }
        "zone" if entity.facets.get("trust") != Some(&Facet::One("internal".into())) => {
            (Risk::Medium, "a new network outside the plant: conduits from it are remote access")
        }
        "waiver" => (Risk::High, "a new waiver: a finding is accepted instead of fixed"),
        _ => (Risk::Low, "a new entity; its effect on tiers, paths and findings is rated on its own"),
    };
    let mut out = vec![change(entity, ChangeKind::Added, risk, reason)];
    if entity.kind == "conduit" {
        let empty = Entity { flows: Default::default(), ..entity.clone() };
        out.extend(flows(ctx, &empty, entity));
    }
    out
}

/// An entity only the earlier revision has.
pub fn removed(entity: &Entity) -> Vec<Change> {
    let (risk, reason) = match entity.kind {
        "attestation" => (Risk::Medium, "an attestation withdrawn: the item's level rests on the model alone"),
        "waiver" => (Risk::Low, "a waiver removed: the finding it accepted must be fixed or is gone"),
        "conduit" => (Risk::Low, "a conduit removed: less traffic is allowed"),
        _ => (Risk::Low, "an entity removed; its effect on tiers and findings is rated on its own"),
    };
    vec![change(entity, ChangeKind::Removed, risk, reason)]
}

fn in_sensitive_zone(ctx: &Context<'_>, asset: &Entity) -> bool {
    let zones: Vec<String> = match (asset.facets.get("zone"), asset.facets.get("interfaces")) {
        (Some(Facet::One(zone)), _) => vec![zone.clone()],
        (_, Some(Facet::Set(interfaces))) => {
            interfaces.iter().filter_map(|i| i.split(' ').next()).map(String::from).collect()
        }
        _ => Vec::new(),
    };
    zones.iter().any(|z| ctx.new.zones.get(z).and_then(|f| f.tier).is_some_and(|t| t >= Tier::Medium))
}

/// A property of an entity both revisions have; for set properties that
/// split, one item added (`after`) or removed (`before`).
pub fn facet(
    ctx: &Context<'_>,
    a: &Entity,
    b: &Entity,
    facet: &str,
    before: Option<String>,
    after: Option<String>,
) -> Change {
    let (risk, reason) = judge(ctx, a, b, facet, before.as_deref(), after.as_deref());
    let kind = match (&before, &after) {
        (None, Some(_)) => ChangeKind::Added,
        (Some(_), None) => ChangeKind::Removed,
        _ => ChangeKind::Changed,
    };
    let mut out = change(b, kind, risk, reason);
    out.kind = kind;
    out.place_before = false;
    out.facet = Some(facet.to_string());
    out.before = before;
    out.after = after;
    out
}

fn tier_rank(text: Option<&str>) -> Option<usize> {
    ["none", "minimum", "medium", "high"].iter().position(|t| Some(*t) == text)
}

fn judge(
    ctx: &Context<'_>,
    a: &Entity,
    b: &Entity,
    facet: &str,
    before: Option<&str>,
    after: Option<&str>,
) -> (Risk, String) {
    let text = |s: &str| s.to_string();
    match (b.kind, facet) {
        (_, "declared tier" | "derived tier" | "tier in force") => {
            if tier_rank(after) < tier_rank(before) {
                (Risk::High, format!("a tier lowered: the {facet} asks fewer measures"))
            } else {
                (Risk::Low, format!("a tier raised: the {facet} asks more measures"))
            }
        }
        (_, "controls in force") => match (before, after) {
            (Some(control), None) if a.required.contains(control) => (
                Risk::High,
                format!("a required control removed: the profile asks `{control}` of this {} at its tier", a.kind),
            ),
            (Some(_), None) => (Risk::Medium, text("a control removed (not one its tier requires)")),
            _ => (Risk::Low, text("a control in force added")),
        },
        ("conduit", "enforced by") => match (before, after) {
            (_, Some("none")) => {
                (Risk::High, text("a firewall removed from the conduit: no device enforces its flows"))
            }
            (Some("none"), _) => (Risk::Low, text("a device now enforces the conduit")),
            _ => (Risk::Medium, text("another device enforces the conduit: its rules move to it")),
        },
        ("conduit", "direction") if after == Some("two-way") => {
            (Risk::High, text("a one-way conduit made two-way: what the diode kept out can come back in"))
        }
        ("conduit", "inspection") if after == Some("monitor") && b.flows.values().any(|f| !f.functions.is_empty()) => (
            Risk::High,
            text("function limits now only monitored: the gateway alerts, and every function gets through"),
        ),
        ("conduit", "window") if after == Some("always") => {
            (Risk::Medium, text("a time window removed: access limited to hours is now permanent"))
        }
        ("conduit", "from" | "to") => (Risk::Medium, text("the conduit joins other zones")),
        ("zone", "trust") => {
            (Risk::Medium, text("the zone is trusted differently: boundaries and paths are judged anew"))
        }
        ("zone", "role") if after == Some("office") => (
            Risk::Medium,
            text("the zone now counts as the office network: web and e-mail to the internet from it are no longer findings"),
        ),
        ("zone", "subnets") if widened(before, after) => {
            (Risk::Medium, text("the zone's address space grows: rules for `any` in it cover more hosts"))
        }
        ("asset", "zone") => (Risk::Medium, text("the device moved to another zone")),
        ("asset", "interfaces") if after.is_some() => {
            (Risk::Medium, text("the device gains a leg in another zone: it may bridge the two"))
        }
        ("asset", "services") if after.is_some() => (Risk::Medium, text("the device offers a new service")),
        ("asset", "kind") => (Risk::Medium, text("another kind of device: other requirements apply")),
        ("asset", "capabilities") if after.is_none() => (
            Risk::High,
            text("a capability removed: the requirements that need it no longer apply to the device (they are listed as not applicable)"),
        ),
        ("waiver", "until") if before < after => {
            (Risk::High, text("a waiver extended: the finding stays accepted longer"))
        }
        ("waiver", "covers") if gained(before, after) => {
            (Risk::High, text("the waiver covers more entities: their findings are accepted too"))
        }
        ("waiver", "compensating") if before.is_some() => {
            (Risk::Medium, text("a compensating control dropped from a waiver"))
        }
        ("attestation", "level") if after < before => (Risk::Medium, text("an attested level lowered")),
        ("attestation", "evidence") if before.is_some() => {
            (Risk::Medium, text("evidence withdrawn from an attestation"))
        }
        ("plant", "profiles") => (Risk::Medium, text("other profiles in force: other requirements apply")),
        _ => {
            let _ = ctx;
            (Risk::Low, text("no protection is weakened"))
        }
    }
}

/// Whether a set facet (`a, b`) has an item it did not have.
fn gained(before: Option<&str>, after: Option<&str>) -> bool {
    let old: Vec<&str> = before.unwrap_or_default().split(", ").collect();
    after.unwrap_or_default().split(", ").any(|item| !item.is_empty() && !old.contains(&item))
}

/// Whether a set of subnets grew: some address of the new set is in none
/// of the old (compared as text per network, which is what matters for
/// written rules; a subnet split into halves counts as no growth only if
/// written the same).
fn widened(before: Option<&str>, after: Option<&str>) -> bool {
    let parse = |text: Option<&str>| -> Vec<ipnet::IpNet> {
        text.unwrap_or_default().split(", ").filter_map(|s| s.parse().ok()).collect()
    };
    let (old, new) = (parse(before), parse(after));
    new.iter().any(|n| !old.iter().any(|o| o.contains(n)))
}

/// The flows of a conduit both revisions have (or, for a new conduit, an
/// empty one): each added or removed; a flow between the same hosts with
/// other traffic or functions is one change.
pub fn flows(ctx: &Context<'_>, a: &Entity, b: &Entity) -> Vec<Change> {
    let gone: Vec<(&String, &FlowFact)> = a.flows.iter().filter(|(t, _)| !b.flows.contains_key(*t)).collect();
    let came: Vec<(&String, &FlowFact)> = b.flows.iter().filter(|(t, _)| !a.flows.contains_key(*t)).collect();
    let mut paired = vec![false; gone.len()];
    let mut out = Vec::new();
    for (text, fact) in &came {
        let partner = gone
            .iter()
            .enumerate()
            .find(|(i, (old, _))| !paired.get(*i).copied().unwrap_or(true) && hosts(old) == hosts(text));
        // What these hosts could already reach, over every flow between them.
        let before: Vec<&str> = a
            .flows
            .iter()
            .filter(|(old, _)| hosts(old) == hosts(text))
            .flat_map(|(_, f)| f.services.iter().map(String::as_str))
            .collect();
        let (risk, reason) = rate_flow(ctx, b, partner.map(|(_, (_, f))| *f), &before, fact);
        let before = partner.map(|(i, (old, _))| {
            if let Some(p) = paired.get_mut(i) {
                *p = true;
            }
            (*old).clone()
        });
        let kind = if before.is_some() { ChangeKind::Changed } else { ChangeKind::Added };
        let mut c = change(b, kind, risk, reason);
        c.facet = Some("flow".to_string());
        c.before = before;
        c.after = Some((*text).clone());
        c.place = fact.place.clone();
        c.place_before = false;
        out.push(c);
    }
    for (i, (text, fact)) in gone.iter().enumerate() {
        if paired.get(i).copied().unwrap_or(false) {
            continue;
        }
        let mut c = change(a, ChangeKind::Removed, Risk::Low, "a flow removed: less traffic is allowed");
        c.facet = Some("flow".to_string());
        c.before = Some((*text).clone());
        c.place = fact.place.clone();
        c.place_before = true;
        out.push(c);
    }
    out
}

/// `a -> b` of a flow's text: who talks to whom.
fn hosts(text: &str) -> &str {
    let cut = [" service ", " port "].iter().filter_map(|w| text.find(w)).min().unwrap_or(text.len());
    text.get(..cut).unwrap_or(text)
}

/// A flow added (`old` is `None`) or changed; `before`: the services the
/// same hosts already had.
fn rate_flow(
    ctx: &Context<'_>,
    conduit: &Entity,
    old: Option<&FlowFact>,
    before: &[&str],
    new: &FlowFact,
) -> (Risk, String) {
    let insecure: Vec<&str> = new
        .services
        .iter()
        .map(String::as_str)
        .filter(|s| !before.contains(s))
        .filter(|s| ctx.catalogue.service(s).is_some_and(|s| !s.secure && !s.industrial))
        .collect();
    if !insecure.is_empty() && crosses_boundary(ctx, conduit) {
        return (
            Risk::High,
            format!(
                "a new insecure protocol across a boundary: `{}` sends credentials in clear",
                insecure.join("`, `")
            ),
        );
    }
    let monitored = matches!(conduit.facets.get("inspection"), Some(Facet::One(m)) if m == "monitor");
    let gains_limits = |old: &FlowFact| old.functions.is_empty() || !subset(&new.services, &old.services);
    if monitored && !new.functions.is_empty() && old.is_none_or(gains_limits) {
        // A function limit that lands on a monitored conduit (a flow moved
        // there, or a limited service added to one of its flows) is as weak
        // as switching its own conduit to `monitor`.
        return (
            Risk::High,
            "a function-limited flow on a monitored conduit: every function gets through, the gateway only alerts"
                .to_string(),
        );
    }
    let Some(old) = old else { return (Risk::Medium, "a new flow: traffic that was denied is allowed".to_string()) };
    if !old.functions.is_empty() && new.functions.is_empty() {
        return (
            Risk::High,
            "protocol function limits removed: every function gets through, not even an alert".to_string(),
        );
    }
    let widened_functions = !old.functions.is_empty() && !subset(&new.functions, &old.functions);
    if widened_functions {
        return (
            Risk::Medium,
            "protocol functions widened: the flow may do more than before (write, not only read)".to_string(),
        );
    }
    let ports_within = new
        .ports
        .iter()
        .all(|p| old.ports.iter().any(|o| o.transport == p.transport && o.start <= p.start && p.end <= o.end));
    let same_kind = new.ports.is_empty() == old.ports.is_empty();
    if same_kind && subset(&new.services, &old.services) && ports_within {
        (Risk::Low, "the flow narrowed".to_string())
    } else {
        (Risk::Medium, "the flow carries other traffic".to_string())
    }
}

fn subset(small: &[String], big: &[String]) -> bool {
    small.iter().all(|s| big.contains(s))
}

/// Whether the conduit's zones differ in trust or tier (the rules' notion
/// of a boundary), in the later revision.
fn crosses_boundary(ctx: &Context<'_>, conduit: &Entity) -> bool {
    let zone = |facet| match conduit.facets.get(facet) {
        Some(Facet::One(name)) => ctx.new.zones.get(name),
        _ => None,
    };
    match (zone("from"), zone("to")) {
        (Some(a), Some(b)) => a != b,
        _ => false,
    }
}
