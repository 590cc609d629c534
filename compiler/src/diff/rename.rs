//! Renames: an entity removed under one name and added under another with
//! nothing else changed is one rename, not a removal and an addition; and
//! whatever names it (a conduit's zones, a flow's hosts, a waiver's target)
//! is compared under its old name, so a rename reports nothing else.

use std::borrow::Cow;
use std::collections::BTreeMap;

use super::snapshot::{Entity, Facet, Snapshot};

/// Kinds in the order their names are used by later kinds: zones name
/// nothing, assets name zones, conduits name zones and assets, and so on.
const ORDER: [&str; 6] = ["zone", "asset", "conduit", "operation", "data", "purchase"];

/// One rename: the kind, the old name, the new name.
pub type Rename = (&'static str, String, String);

/// Renames found between `before` and `after`, and the map from new names
/// to old ones.
pub fn find(before: &Snapshot, after: &Snapshot) -> (Vec<Rename>, BTreeMap<String, String>) {
    let mut renames = Vec::new();
    let mut map: BTreeMap<String, String> = BTreeMap::new();
    for kind in ORDER {
        let gone: Vec<&Entity> =
            before.entities.values().filter(|e| e.kind == kind && !after.entities.contains_key(&key(e))).collect();
        let mut taken = vec![false; gone.len()];
        for added in after.entities.values().filter(|e| e.kind == kind && !before.entities.contains_key(&key(e))) {
            let mut mapped = added.clone();
            map_entity(&mut mapped, &map);
            let found = gone
                .iter()
                .enumerate()
                .find(|(i, old)| !taken.get(*i).copied().unwrap_or(true) && same(old, &mapped, &old.name));
            if let Some((i, old)) = found {
                if let Some(t) = taken.get_mut(i) {
                    *t = true;
                }
                renames.push((kind, old.name.clone(), added.name.clone()));
                map.insert(added.name.clone(), old.name.clone());
            }
        }
    }
    (renames, map)
}

fn key(entity: &Entity) -> String {
    format!("{}:{}", entity.kind, entity.name)
}

/// Whether `old` and `new` (names already mapped) differ in nothing but
/// their own name, `old_name`.
fn same(old: &Entity, new: &Entity, old_name: &str) -> bool {
    let mut new = new.clone();
    new.name = old_name.to_string();
    old.facets == new.facets
}

/// `text` with every name in `map` (whole words) replaced.
pub fn map_text(text: &str, map: &BTreeMap<String, String>) -> String {
    if map.is_empty() {
        return text.to_string();
    }
    let is_word = |c: char| c.is_alphanumeric() || c == '_' || c == '-';
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    for c in text.chars().chain(std::iter::once('\0')) {
        if is_word(c) {
            word.push(c);
            continue;
        }
        if !word.is_empty() {
            out.push_str(map.get(&word).map_or(word.as_str(), String::as_str));
            word.clear();
        }
        if c != '\0' {
            out.push(c);
        }
    }
    out
}

fn map_facet(facet: &Facet, map: &BTreeMap<String, String>) -> Facet {
    match facet {
        Facet::One(text) => Facet::One(map_text(text, map)),
        Facet::Set(items) => Facet::Set(items.iter().map(|t| map_text(t, map)).collect()),
    }
}

/// The entity with every name it uses mapped (its own name too).
pub fn map_entity(entity: &mut Entity, map: &BTreeMap<String, String>) {
    entity.name = map_text(&entity.name, map);
    for facet in entity.facets.values_mut() {
        *facet = map_facet(facet, map);
    }
    entity.flows = std::mem::take(&mut entity.flows).into_iter().map(|(text, f)| (map_text(&text, map), f)).collect();
}

/// The whole snapshot under old names (itself when nothing was renamed).
pub fn map_snapshot<'a>(snapshot: &'a Snapshot, map: &BTreeMap<String, String>) -> Cow<'a, Snapshot> {
    if map.is_empty() {
        return Cow::Borrowed(snapshot);
    }
    let mut out = snapshot.clone();
    out.entities = snapshot
        .entities
        .values()
        .map(|e| {
            let mut e = e.clone();
            map_entity(&mut e, map);
            (key(&e), e)
        })
        .collect();
    out.zones = snapshot.zones.iter().map(|(name, fact)| (map_text(name, map), fact.clone())).collect();
    out.edges = snapshot.edges.iter().map(|(a, b, c)| (map_text(a, map), map_text(b, map), map_text(c, map))).collect();
    out.findings = snapshot
        .findings
        .iter()
        .map(|((rule, entity, message), fact)| {
            ((rule.clone(), map_text(entity, map), map_text(message, map)), fact.clone())
        })
        .collect();
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_whole_names_are_mapped() {
        let map = BTreeMap::from([("plc1".to_string(), "plc".to_string())]);
        assert_eq!(
            map_text("scada -> [plc1, plc10] service modbus-tcp", &map),
            "scada -> [plc, plc10] service modbus-tcp"
        );
        assert_eq!(map_text("conduit:plc1", &map), "conduit:plc");
        assert_eq!(map_text("", &map), "");
    }
}
