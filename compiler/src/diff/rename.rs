//! Renames: an entity removed under one name and added under another with
//! nothing else changed is one rename, not a removal and an addition; and
//! whatever refers to it (a conduit's zones, a flow's hosts, a waiver's
//! target) is compared under its old name, so a rename reports nothing
//! else.
//!
//! Names are mapped by kind and only where a property refers to an entity
//! of that kind: a zone and an asset may share a name, and free text (a
//! title, a reason) is never rewritten.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use crate::model::Model;

use super::snapshot::{Entity, Facet, FindingAt, FindingKey, Snapshot};

/// Kinds in the order their names are used by later kinds: zones name
/// nothing, assets name zones, conduits name zones and assets, and so on.
const ORDER: [&str; 6] = ["zone", "asset", "conduit", "operation", "data", "purchase"];

/// One rename: the kind, the old name, the new name, and whether nothing
/// else changed (otherwise the entity kept what identifies it, its zones
/// and flows, subnets or addresses, and its other changes are listed).
pub type Rename = (&'static str, String, String, bool);

/// Names to replace, by kind: `(kind, name)` → the name to put instead.
pub type Names = BTreeMap<(String, String), String>;

/// Whether `after` could have renamed something of `before`: of some
/// kind, an entity gone and another added.
pub fn possible(before: &Model, after: &Model) -> bool {
    fn kinds(m: &Model) -> [BTreeSet<&str>; 6] {
        fn names<T>(items: &[T], name: fn(&T) -> &String) -> BTreeSet<&str> {
            items.iter().map(|x| name(x).as_str()).collect()
        }
        // As `ORDER` lists the kinds.
        [
            names(&m.zones, |x| &x.name),
            names(&m.assets, |x| &x.name),
            names(&m.conduits, |x| &x.name),
            names(&m.operations, |x| &x.name),
            names(&m.data, |x| &x.name),
            names(&m.purchases, |x| &x.name),
        ]
    }
    let (then, now) = (kinds(before), kinds(after));
    then.iter().zip(&now).any(|(a, b)| a.difference(b).next().is_some() && b.difference(a).next().is_some())
}

/// Renames found between `before` and `after`, and the map from new names
/// to old ones.
pub fn find(before: &Snapshot, after: &Snapshot) -> (Vec<Rename>, Names) {
    let mut renames = Vec::new();
    let mut map = Names::new();
    for kind in ORDER {
        let gone: Vec<&Entity> =
            before.entities.values().filter(|e| e.kind == kind && !after.entities.contains_key(&key(e))).collect();
        let added: Vec<&Entity> =
            after.entities.values().filter(|e| e.kind == kind && !before.entities.contains_key(&key(e))).collect();
        if gone.is_empty() || added.is_empty() {
            continue;
        }
        // Names of this kind never appear in its own properties, so an
        // entity's mapped properties do not change within the kind: the
        // candidates are found by index, not by comparing every pair (a
        // change that renames thousands would cost their number squared).
        // Under the old names of the kinds before this one; as they are
        // when nothing of those was renamed (no copy of a vast plant).
        let mapped: Vec<Cow<'_, Entity>> = added
            .iter()
            .map(|e| {
                if map.is_empty() {
                    return Cow::Borrowed(*e);
                }
                let mut mapped = (*e).clone();
                map_entity(&mut mapped, &map);
                Cow::Owned(mapped)
            })
            .collect();
        let mut taken = vec![false; gone.len()];
        // Each set of properties: the entities gone with it, and how many
        // of them the first pass took (always the first ones).
        let mut alike: BTreeMap<&BTreeMap<&'static str, Facet>, (Vec<usize>, usize)> = BTreeMap::new();
        for (i, old) in gone.iter().enumerate() {
            alike.entry(&old.facets).or_default().0.push(i);
        }
        for (new, mapped) in added.iter().zip(&mapped) {
            let Some((candidates, used)) = alike.get_mut(&mapped.facets) else { continue };
            let (Some(&i), Some(old)) = (candidates.get(*used), candidates.get(*used).and_then(|&i| gone.get(i)))
            else {
                continue;
            };
            *used += 1;
            if let Some(t) = taken.get_mut(i) {
                *t = true;
            }
            renames.push((kind, old.name.clone(), new.name.clone(), true));
            map.insert((kind.to_string(), new.name.clone()), old.name.clone());
        }
        // Then renames with other changes: the same identity, once. Two
        // candidates: no telling which, so no rename.
        let mut same: BTreeMap<Vec<Facet>, (Vec<usize>, usize)> = BTreeMap::new();
        for (i, old) in gone.iter().enumerate().filter(|(i, _)| !taken.get(*i).copied().unwrap_or(true)) {
            if let Some(identity) = identity(old) {
                let entry = same.entry(identity).or_default();
                entry.0.push(i);
                entry.1 += 1;
            }
        }
        for (new, mapped) in added.iter().zip(&mapped) {
            if map.contains_key(&(kind.to_string(), new.name.clone())) {
                continue;
            }
            let Some(wanted) = identity(mapped) else { continue };
            let Some((candidates, left)) = same.get_mut(&wanted).filter(|(_, left)| *left == 1) else { continue };
            let Some(&i) = candidates.iter().find(|&&i| !taken.get(i).copied().unwrap_or(true)) else { continue };
            let Some(old) = gone.get(i) else { continue };
            *left = 0;
            if let Some(t) = taken.get_mut(i) {
                *t = true;
            }
            renames.push((kind, old.name.clone(), new.name.clone(), false));
            map.insert((kind.to_string(), new.name.clone()), old.name.clone());
        }
    }
    (renames, map)
}

/// What identifies an entity besides its name, when it has something
/// that specific: a conduit's zones and flows, a zone's subnets, an
/// asset's addresses and interfaces.
fn identity(entity: &Entity) -> Option<Vec<Facet>> {
    let facets: &[&str] = match entity.kind {
        "conduit" => &["from", "to", "flows"],
        "zone" => &["subnets"],
        "asset" => &["addresses", "interfaces"],
        _ => return None,
    };
    let values: Vec<Facet> = facets.iter().filter_map(|f| entity.facets.get(f).cloned()).collect();
    let specific = values.iter().any(|v| matches!(v, Facet::Set(items) if !items.is_empty()));
    specific.then_some(values)
}

/// The map the other way round: old names to new ones.
pub fn invert(map: &Names) -> Names {
    map.iter().map(|((kind, new), old)| ((kind.clone(), old.clone()), new.clone())).collect()
}

fn key(entity: &Entity) -> String {
    format!("{}:{}", entity.kind, entity.name)
}

/// `name` of `kind`, mapped.
fn name(map: &Names, kind: &str, name: &str) -> String {
    map.get(&(kind.to_string(), name.to_string())).cloned().unwrap_or_else(|| name.to_string())
}

/// `kind:name` (or `plant`), mapped.
pub fn map_path(path: &str, map: &Names) -> String {
    match path.split_once(':') {
        Some((kind, n)) => format!("{kind}:{}", name(map, kind, n)),
        None => path.to_string(),
    }
}

/// A waiver's name (`RULE on kind:name`, see `Waiver::name`), or a key
/// naming a part of one (`… part RULE on kind:name`), mapped.
fn map_waiver(text: &str, map: &Names) -> String {
    if let Some((whole, part)) = text.split_once(" part ") {
        let part = match part.split_once(" on ") {
            Some((rule, target)) => format!("{rule} on {}", map_path(target, map)),
            None => part.to_string(),
        };
        return format!("{} part {part}", map_waiver(whole, map));
    }
    match text.split_once(" on ") {
        Some((rule, scope)) => format!("{rule} on {}", map_scope(scope, map)),
        None => text.to_string(),
    }
}

/// A waiver's scope as `Waiver::scope_path` writes it, mapped.
pub fn map_scope(scope: &str, map: &Names) -> String {
    if let Some(zone) = scope.strip_suffix(" and its assets") {
        return format!("{} and its assets", map_path(zone, map));
    }
    if let Some((head, zone)) = scope.rsplit_once(" zone:") {
        return format!("{head} zone:{}", name(map, "zone", zone));
    }
    match scope.split_once(":[") {
        Some((kind, list)) => {
            let names: Vec<String> = list.trim_end_matches(']').split(", ").map(|n| name(map, kind, n)).collect();
            format!("{kind}:[{}]", names.join(", "))
        }
        None => map_path(scope, map),
    }
}

/// The entities a waiver's scope names (`kind`, `name`): the zone of a
/// zone scope, each named entity of a list.
pub fn scope_names(scope: &str) -> Vec<(&str, &str)> {
    let scope = scope.strip_suffix(" and its assets").unwrap_or(scope);
    if let Some((_, zone)) = scope.rsplit_once(" zone:") {
        return vec![("zone", zone)];
    }
    match scope.split_once(":[") {
        Some((kind, list)) => list.trim_end_matches(']').split(", ").map(|n| (kind, n)).collect(),
        None => scope.split_once(':').into_iter().collect(),
    }
}

/// `a -> [b, c] service x`: the hosts of a flow (assets) mapped, sorted
/// again as the snapshot sorts them.
pub fn map_flow(text: &str, map: &Names) -> String {
    let cut = ["service ", "port "].iter().filter_map(|w| text.find(&format!(" {w}"))).min().unwrap_or(text.len());
    let (hosts, traffic) = text.split_at(cut);
    let side = |side: &str| -> String {
        let side = side.trim();
        match side.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
            Some(list) => {
                let mut names: Vec<String> = list.split(", ").map(|n| name(map, "asset", n)).collect();
                names.sort();
                format!("[{}]", names.join(", "))
            }
            None if side == "any" => side.to_string(),
            None => name(map, "asset", side),
        }
    };
    match hosts.split_once(" -> ") {
        Some((from, to)) => format!("{} -> {}{traffic}", side(from), side(to)),
        None => text.to_string(),
    }
}

/// One value of a property of an entity of `kind`, mapped where the
/// property refers to entities.
pub fn map_value(kind: &str, facet: &str, value: &str, map: &Names) -> String {
    if map.is_empty() {
        return value.to_string();
    }
    match (kind, facet) {
        ("asset", "zone") | ("conduit", "from" | "to") | ("operation", "zones") => name(map, "zone", value),
        ("conduit", "enforced by") | ("operation", "assets") | ("data", "stored on") | ("purchase", "assets") => {
            name(map, "asset", value)
        }
        ("operation", "data") => name(map, "data", value),
        // One interface (`zone address`), or several added at once.
        ("asset", "interfaces") => value
            .split(", ")
            .map(|one| match one.split_once(' ') {
                Some((zone, address)) => format!("{} {address}", name(map, "zone", zone)),
                None => one.to_string(),
            })
            .collect::<Vec<_>>()
            .join(", "),
        ("conduit", "flows" | "flow") => map_flow(value, map),
        ("waiver", "covers") => value.split(", ").map(|path| map_path(path, map)).collect::<Vec<_>>().join(", "),
        _ => value.to_string(),
    }
}

/// A finding's key (what in the entity it is about), mapped.
pub fn map_key(key: &str, map: &Names) -> String {
    if let Some(path) = key.strip_prefix("path:") {
        if let Some((from, to)) = path.split_once("->") {
            return format!("path:{}->{}", name(map, "zone", from), name(map, "zone", to));
        }
    }
    if let Some(flow) = key.strip_prefix("flow:") {
        return format!("flow:{}", map_flow(flow, map));
    }
    if let Some(waiver) = key.strip_prefix("waiver:") {
        return format!("waiver:{}", map_waiver(waiver, map));
    }
    key.to_string()
}

/// The entity with every name it refers to mapped (its own name too).
pub fn map_entity(entity: &mut Entity, map: &Names) {
    if map.is_empty() {
        return;
    }
    let kind = entity.kind;
    entity.name = match kind {
        "waiver" => map_waiver(&entity.name, map),
        _ => name(map, kind, &entity.name),
    };
    for (facet, value) in entity.facets.iter_mut() {
        *value = match value {
            Facet::One(text) => Facet::One(map_value(kind, facet, text, map)),
            Facet::Set(items) => Facet::Set(items.iter().map(|t| map_value(kind, facet, t, map)).collect()),
        };
    }
    entity.flows = std::mem::take(&mut entity.flows).into_iter().map(|(text, f)| (map_flow(&text, map), f)).collect();
}

/// The whole snapshot under old names (itself when nothing was renamed).
pub fn map_snapshot<'a>(snapshot: &'a Snapshot, map: &Names) -> Cow<'a, Snapshot> {
    if map.is_empty() {
        return Cow::Borrowed(snapshot);
    }
    let entities = snapshot
        .entities
        .values()
        .map(|e| {
            let mut e = e.clone();
            map_entity(&mut e, map);
            (key(&e), e)
        })
        .collect();
    let zones = snapshot.zones.iter().map(|(zone, fact)| (name(map, "zone", zone), fact.clone())).collect();
    let mut edges: Vec<(String, String, String)> = snapshot
        .edges
        .iter()
        .map(|(a, b, c)| (name(map, "zone", a), name(map, "zone", b), name(map, "conduit", c)))
        .collect();
    edges.sort();
    let keys = |findings: &BTreeMap<FindingKey, FindingAt>| -> BTreeMap<FindingKey, FindingAt> {
        findings
            .iter()
            .map(|((rule, entity, key), at)| ((rule.clone(), map_path(entity, map), map_key(key, map)), *at))
            .collect()
    };
    // Built field by field: a clone of the whole snapshot first would copy
    // millions of finding keys only to drop them.
    Cow::Owned(Snapshot { entities, zones, edges, findings: keys(&snapshot.findings), waived: keys(&snapshot.waived) })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(kind: &str, from: &str, to: &str) -> Names {
        Names::from([((kind.to_string(), from.to_string()), to.to_string())])
    }

    #[test]
    fn only_names_of_the_kind_a_property_refers_to_are_mapped() {
        let assets = map("asset", "plc1", "plc");
        assert_eq!(
            map_flow("scada -> [plc1, plc10] service modbus-tcp", &assets),
            "scada -> [plc, plc10] service modbus-tcp"
        );
        // A zone of the same name is another entity.
        let zones = map("zone", "plc1", "cell");
        assert_eq!(map_flow("scada -> plc1 service https", &zones), "scada -> plc1 service https");
        assert_eq!(map_value("asset", "zone", "plc1", &zones), "cell");
        // Free text is never rewritten.
        assert_eq!(map_value("asset", "title", "PLC on plc1", &zones), "PLC on plc1");
        assert_eq!(map_path("zone:plc1", &zones), "zone:cell");
        assert_eq!(map_key("path:internet->plc1", &zones), "path:internet->cell");
        assert_eq!(map_key("waiver:NW-MFA on asset:plc1", &assets), "waiver:NW-MFA on asset:plc");
        assert_eq!(map_key("waiver:[A, B] on asset:[hmi, plc1]", &assets), "waiver:[A, B] on asset:[hmi, plc]");
        assert_eq!(
            map_key("waiver:A on asset:[hmi, plc1] part A on asset:plc1", &assets),
            "waiver:A on asset:[hmi, plc] part A on asset:plc"
        );
        let control = map("zone", "control", "cell");
        for (before, after) in [
            ("waiver:A on zone:control and its assets", "waiver:A on zone:cell and its assets"),
            ("waiver:A on assets in zone:control", "waiver:A on assets in zone:cell"),
            ("waiver:A on assets of kind plc in zone:control", "waiver:A on assets of kind plc in zone:cell"),
            ("waiver:A on assets of kind control", "waiver:A on assets of kind control"),
        ] {
            assert_eq!(map_key(before, &control), after);
        }
        assert_eq!(scope_names("zone:control and its assets"), [("zone", "control")]);
        assert_eq!(scope_names("asset:[hmi, plc1]"), [("asset", "hmi"), ("asset", "plc1")]);
        assert!(scope_names("assets of kind plc").is_empty());
    }
}
