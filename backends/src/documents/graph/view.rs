//! The diagram's view: what is drawn, in words of one language, with no
//! geometry. Zones are grouped in rows by level; each carries its assets
//! (or counts per kind) and marks; conduits are edges between zones.

use std::collections::{BTreeMap, BTreeSet};

use kojo_compiler::controls::zone_tier;
use kojo_compiler::levels::{self, Why};
use kojo_compiler::model::{Asset, Conduit, EntityRef, Flow, Traffic, WaiverScope};
use serde::Serialize;

use super::{Assets, Request, LIST_LIMIT};
use crate::documents::text::{Words, WordsError};

/// The diagram.
#[derive(Debug, Clone, Serialize)]
pub struct View {
    /// `en` or `ja`.
    pub lang: String,
    pub title: String,
    pub as_of: String,
    /// The words on the line between outside and the plant.
    pub boundary: String,
    /// Top to bottom.
    pub rows: Vec<Row>,
    /// In row order, then model order.
    pub zones: Vec<ZoneBox>,
    pub edges: Vec<Edge>,
    pub legend_title: String,
    pub legend: Vec<LegendEntry>,
}

/// One level's zones.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// `Level 1: basic control`.
    pub label: String,
    pub outside: bool,
    /// Indices into [`View::zones`].
    pub zones: Vec<usize>,
}

/// A zone's box.
#[derive(Debug, Clone, Serialize)]
pub struct ZoneBox {
    /// A generated ID (`z3`), never a model name.
    pub key: String,
    pub heading: String,
    /// Tier in force and trust.
    pub caption: String,
    pub tooltip: String,
    /// `high`, `medium`, `minimum` or `outside`: the colour.
    pub class: String,
    pub outside: bool,
    pub items: Vec<Item>,
    /// The rule IDs of waivers in force on the zone itself.
    pub waived: Vec<String>,
    /// `⚑ waived: …`, when `waived` is not empty.
    pub waived_text: Option<String>,
}

/// An asset, or how many of a kind.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    pub key: String,
    pub text: String,
    pub tooltip: String,
    pub waived: Vec<String>,
}

/// A conduit, or conduits merged, between two zones.
#[derive(Debug, Clone, Serialize)]
pub struct Edge {
    pub key: String,
    /// Indices into [`View::zones`]: the side that connects, and the other.
    pub from: usize,
    pub to: usize,
    pub lines: Vec<String>,
    pub tooltip: String,
    pub one_way: bool,
    pub windowed: bool,
    pub waived: Vec<String>,
}

/// A line of the legend, with the class its swatch is drawn in.
#[derive(Debug, Clone, Serialize)]
pub struct LegendEntry {
    pub class: String,
    pub text: String,
}

/// The rule IDs of the waivers in force on each kind of entity.
struct Waived {
    zones: Vec<BTreeSet<String>>,
    assets: Vec<BTreeSet<String>>,
    conduits: Vec<BTreeSet<String>>,
    plant: BTreeSet<String>,
}

impl Waived {
    fn of(request: &Request<'_>) -> Waived {
        let model = request.model;
        let mut out = Waived {
            zones: vec![BTreeSet::new(); model.zones.len()],
            assets: vec![BTreeSet::new(); model.assets.len()],
            conduits: vec![BTreeSet::new(); model.conduits.len()],
            plant: BTreeSet::new(),
        };
        for waiver in model.waivers.iter().filter(|w| w.until >= request.date) {
            let rules = waiver.rule_ids().map(str::to_string);
            // A plant-wide waiver would mark every box: the legend says it once.
            if waiver.scope == WaiverScope::Plant {
                out.plant.extend(rules);
                continue;
            }
            let rules: Vec<String> = rules.collect();
            for entity in waiver.entities(model) {
                let slot = match entity {
                    EntityRef::Zone(id) => out.zones.get_mut(id.index()),
                    EntityRef::Asset(id) => out.assets.get_mut(id.index()),
                    EntityRef::Conduit(id) => out.conduits.get_mut(id.index()),
                    _ => None,
                };
                if let Some(slot) = slot {
                    slot.extend(rules.iter().cloned());
                }
            }
        }
        out
    }
}

/// Builds the view.
pub(super) fn build(request: &Request<'_>, words: &Words<'_>) -> Result<View, WordsError> {
    let model = request.model;
    let waived = Waived::of(request);
    let placements = levels::place(model, request.catalogue, request.tiers);
    let mut order: Vec<&levels::Placement> = placements.iter().collect();
    order.sort_by_key(|p| (p.row, p.zone));
    // Index in the view of each zone, by ZoneId.
    let mut index = vec![0usize; model.zones.len()];
    for (i, p) in order.iter().enumerate() {
        if let Some(slot) = index.get_mut(p.zone.index()) {
            *slot = i;
        }
    }
    let mut rows: Vec<Row> = Vec::new();
    let mut zones = Vec::with_capacity(order.len());
    let mut last = None;
    for (i, placement) in order.iter().enumerate() {
        if last != Some(placement.row) {
            rows.push(Row {
                label: words.plain(&format!("graph.level.{}", row_key(placement.row)))?,
                outside: placement.row.outside(),
                zones: Vec::new(),
            });
            last = Some(placement.row);
        }
        if let Some(row) = rows.last_mut() {
            row.zones.push(i);
        }
        zones.push(zone_box(request, words, placement, &waived, i)?);
    }
    let enforcing: BTreeSet<usize> = model.conduits.iter().filter_map(|c| c.enforced_by).map(|a| a.index()).collect();
    let collapsed = match request.assets {
        Assets::Auto => model.assets.len() > LIST_LIMIT,
        Assets::List => false,
        Assets::Count => true,
    };
    place_assets(request, words, &waived, &index, &enforcing, collapsed, &mut zones)?;
    let edges = if collapsed {
        merged_edges(request, words, &waived, &index, &zones)?
    } else {
        model
            .conduits
            .iter()
            .enumerate()
            .map(|(i, c)| edge(request, words, &waived, &index, &zones, &[c], i))
            .collect::<Result<_, _>>()?
    };
    let plant = model.plant.name.clone().unwrap_or_else(|| model.plant.code.clone());
    Ok(View {
        lang: words.lang.code().to_string(),
        title: words.text("graph.title", &[("plant", &plant)])?,
        as_of: words.text("graph.as-of", &[("date", &request.date.to_string())])?,
        boundary: words.plain("graph.boundary")?,
        rows,
        zones,
        edges,
        legend_title: words.plain("graph.legend.title")?,
        legend: legend(request, words, &waived, collapsed)?,
    })
}

/// The message key of a row: `untrusted`, `external`, `0` … `5`, `dmz`.
pub(crate) fn row_key(row: levels::Row) -> String {
    match row {
        levels::Row::Untrusted => "untrusted".to_string(),
        levels::Row::External => "external".to_string(),
        levels::Row::Level(level) => level.keyword(),
    }
}

fn zone_box(
    request: &Request<'_>,
    words: &Words<'_>,
    placement: &levels::Placement,
    waived: &Waived,
    i: usize,
) -> Result<ZoneBox, WordsError> {
    let model = request.model;
    let Some(zone) = model.zone(placement.zone) else {
        return Err(WordsError(format!("internal error: no zone {}", placement.zone.0)));
    };
    let trust = words.plain(&format!("graph.trust.{}", zone.trust.keyword()))?;
    let tier = zone_tier(request.tiers, zone.id);
    let outside = placement.row.outside();
    let tier_text = match tier {
        Some(t) if !outside => words.tier(t),
        _ => words.plain("graph.outside-tier")?,
    };
    let why = match &placement.why {
        Why::Trust(_) => words.text("graph.why.trust", &[("trust", &trust)])?,
        Why::Pinned => words.plain("graph.why.pinned")?,
        Why::Role(role) => words.text("graph.why.role", &[("role", role.keyword())])?,
        Why::Kind(kind) => words.text("graph.why.kind", &[("kind", &kind_label(request, words, kind))])?,
        Why::Tier(t) => words.text("graph.why.tier", &[("tier", &words.tier(*t))])?,
        Why::Default => words.plain("graph.why.default")?,
    };
    let rules: Vec<String> = waived.zones.get(zone.id.index()).map(|s| s.iter().cloned().collect()).unwrap_or_default();
    Ok(ZoneBox {
        key: format!("z{i}"),
        heading: zone.title.clone().unwrap_or_else(|| zone.name.clone()),
        caption: words.text("graph.caption", &[("tier", &tier_text), ("trust", &trust)])?,
        tooltip: words.text("graph.zone-tooltip", &[("name", &zone.name), ("why", &why)])?,
        class: match tier {
            Some(t) if !outside => t.id().to_string(),
            _ => "outside".to_string(),
        },
        outside,
        items: Vec::new(),
        waived_text: waived_text(words, &rules)?,
        waived: rules,
    })
}

fn waived_text(words: &Words<'_>, rules: &[String]) -> Result<Option<String>, WordsError> {
    if rules.is_empty() {
        return Ok(None);
    }
    Ok(Some(words.text("graph.waived", &[("rules", &words.list(rules)?)])?))
}

fn kind_label(request: &Request<'_>, words: &Words<'_>, kind: &str) -> String {
    request.catalogue.asset_kind(kind).map_or_else(|| kind.to_string(), |k| words.label(&k.label).to_string())
}

/// The zone an asset is drawn in: its own, else its first interface's.
fn home(asset: &Asset) -> Option<usize> {
    asset.zone.or_else(|| asset.interfaces.first().map(|i| i.zone)).map(|z| z.index())
}

/// Puts every asset in the box of its zone, by name or as counts per kind.
/// A device that enforces a conduit is named on the conduit's arrow instead.
fn place_assets(
    request: &Request<'_>,
    words: &Words<'_>,
    waived: &Waived,
    index: &[usize],
    enforcing: &BTreeSet<usize>,
    collapsed: bool,
    zones: &mut [ZoneBox],
) -> Result<(), WordsError> {
    let model = request.model;
    let drawn = model.assets.iter().filter(|a| !enforcing.contains(&a.id.index()));
    if !collapsed {
        for asset in drawn {
            let Some(zone) = home(asset).and_then(|z| index.get(z)).and_then(|&i| zones.get_mut(i)) else { continue };
            let kind = kind_label(request, words, &asset.kind);
            let rules: Vec<String> =
                waived.assets.get(asset.id.index()).map(|s| s.iter().cloned().collect()).unwrap_or_default();
            let title = asset.title.clone().unwrap_or_else(|| asset.name.clone());
            let mut tooltip = words.text("graph.asset-tooltip", &[("name", &asset.name), ("title", &title)])?;
            if let Some(text) = waived_text(words, &rules)? {
                tooltip = format!("{tooltip}\n{text}");
            }
            let mut text = words.text("graph.asset", &[("name", &asset.name), ("kind", &kind)])?;
            if !rules.is_empty() {
                text.push_str(" ⚑");
            }
            zone.items.push(Item { key: format!("a{}", asset.id.0), text, tooltip, waived: rules });
        }
        return Ok(());
    }
    let mut counts: BTreeMap<(usize, &str), (usize, BTreeSet<String>)> = BTreeMap::new();
    for asset in drawn {
        let Some(&zone) = home(asset).and_then(|z| index.get(z)) else { continue };
        let entry = counts.entry((zone, asset.kind.as_str())).or_default();
        entry.0 += 1;
        if let Some(rules) = waived.assets.get(asset.id.index()) {
            entry.1.extend(rules.iter().cloned());
        }
    }
    for ((zone, kind), (count, rules)) in counts {
        let Some(zone_box) = zones.get_mut(zone) else { continue };
        let label = kind_label(request, words, kind);
        let mut text = words.text("graph.asset-count", &[("count", &count.to_string()), ("kind", &label)])?;
        let rules: Vec<String> = rules.into_iter().collect();
        let mut tooltip = text.clone();
        if let Some(waived) = waived_text(words, &rules)? {
            text.push_str(" ⚑");
            tooltip = format!("{tooltip}\n{waived}");
        }
        let key = format!("{}k{}", zone_box.key, zone_box.items.len());
        zone_box.items.push(Item { key, text, tooltip, waived: rules });
    }
    Ok(())
}

/// What a flow carries: service labels (with the functions allowed), or ports.
fn traffic(request: &Request<'_>, words: &Words<'_>, flow: &Flow, out: &mut Distinct) -> Result<(), WordsError> {
    match &flow.traffic {
        Traffic::Services(ids) => {
            for id in ids {
                let label =
                    request.catalogue.service(id).map_or_else(|| id.clone(), |s| words.label(&s.label).to_string());
                let text = if flow.functions.is_empty() {
                    label
                } else {
                    words.text("graph.functions", &[("service", &label), ("functions", &flow.functions.join(", "))])?
                };
                out.push(text);
            }
        }
        Traffic::Ports(ports) => ports.iter().for_each(|p| out.push(p.to_string())),
    }
    Ok(())
}

/// Values in first-seen order, each once. A merged arrow may gather the
/// services of thousands of conduits, so membership is a set lookup, not
/// a scan of what came before.
#[derive(Default)]
struct Distinct {
    seen: BTreeSet<String>,
    items: Vec<String>,
}

impl Distinct {
    fn push(&mut self, text: String) {
        if !self.seen.contains(&text) {
            self.seen.insert(text.clone());
            self.items.push(text);
        }
    }
}

/// One arrow for `conduits` (all between the same zones, the same way).
fn edge(
    request: &Request<'_>,
    words: &Words<'_>,
    waived: &Waived,
    index: &[usize],
    zones: &[ZoneBox],
    conduits: &[&Conduit],
    key: usize,
) -> Result<Edge, WordsError> {
    let model = request.model;
    let (Some(first), from, to) = (
        conduits.first(),
        conduits.first().and_then(|c| index.get(c.from.index())).copied().unwrap_or_default(),
        conduits.first().and_then(|c| index.get(c.to.index())).copied().unwrap_or_default(),
    ) else {
        return Err(WordsError("internal error: an edge without a conduit".to_string()));
    };
    let mut services = Distinct::default();
    let mut devices = Distinct::default();
    let mut windows = Distinct::default();
    let mut rules = BTreeSet::new();
    for conduit in conduits {
        for flow in &conduit.flows {
            traffic(request, words, flow, &mut services)?;
        }
        if let Some(device) = conduit.enforced_by.and_then(|a| model.asset(a)) {
            devices.push(device.name.clone());
        }
        if let Some(window) = &conduit.window {
            windows.push(window.to_string());
        }
        if let Some(r) = waived.conduits.get(conduit.id.index()) {
            rules.extend(r.iter().cloned());
        }
    }
    let names: Vec<String> = conduits.iter().map(|c| c.name.clone()).collect();
    let mut lines = vec![match conduits {
        [one] => one.name.clone(),
        many => words.text("graph.conduits", &[("count", &many.len().to_string())])?,
    }];
    if !services.items.is_empty() {
        lines.push(words.list(&services.items)?);
    }
    if !devices.items.is_empty() {
        lines.push(words.text("graph.via", &[("device", &words.list(&devices.items)?)])?);
    }
    if first.one_way {
        lines.push(words.plain("graph.one-way")?);
    }
    if !windows.items.is_empty() {
        lines.push(words.text("graph.window", &[("window", &words.list(&windows.items)?)])?);
    }
    let rules: Vec<String> = rules.into_iter().collect();
    if let Some(text) = waived_text(words, &rules)? {
        lines.push(text);
    }
    let heading = |i: usize| zones.get(i).map(|z| z.heading.clone()).unwrap_or_default();
    let mut tooltip = words.text(
        "graph.conduit-tooltip",
        &[("names", &words.list(&names)?), ("from", &heading(from)), ("to", &heading(to))],
    )?;
    if let [Conduit { title: Some(title), .. }] = conduits {
        tooltip = format!("{title}\n{tooltip}");
    }
    Ok(Edge {
        key: format!("c{key}"),
        from,
        to,
        lines,
        tooltip,
        one_way: first.one_way,
        windowed: !windows.items.is_empty(),
        waived: rules,
    })
}

/// Conduits merged by (from, to, one-way): a large plant's arrows.
fn merged_edges(
    request: &Request<'_>,
    words: &Words<'_>,
    waived: &Waived,
    index: &[usize],
    zones: &[ZoneBox],
) -> Result<Vec<Edge>, WordsError> {
    let mut groups: BTreeMap<(usize, usize, bool), Vec<&Conduit>> = BTreeMap::new();
    for conduit in &request.model.conduits {
        let at = |z: kojo_compiler::model::ZoneId| index.get(z.index()).copied().unwrap_or_default();
        groups.entry((at(conduit.from), at(conduit.to), conduit.one_way)).or_default().push(conduit);
    }
    groups.values().enumerate().map(|(i, group)| edge(request, words, waived, index, zones, group, i)).collect()
}

fn legend(
    request: &Request<'_>,
    words: &Words<'_>,
    waived: &Waived,
    collapsed: bool,
) -> Result<Vec<LegendEntry>, WordsError> {
    let entry = |class: &str, text: String| LegendEntry { class: class.to_string(), text };
    let mut out = Vec::new();
    for tier in kojo_compiler::model::Tier::ALL.into_iter().rev() {
        out.push(entry(tier.id(), words.text("graph.legend.tier", &[("tier", &words.tier(tier))])?));
    }
    out.push(entry("outside", words.plain("graph.legend.outside")?));
    out.push(entry("conduit", words.plain("graph.legend.conduit")?));
    out.push(entry("one-way", words.plain("graph.legend.one-way")?));
    out.push(entry("waiver", words.text("graph.legend.waiver", &[("date", &request.date.to_string())])?));
    if !waived.plant.is_empty() {
        let rules: Vec<String> = waived.plant.iter().cloned().collect();
        out.push(entry("waiver", words.text("graph.legend.plant-waivers", &[("rules", &words.list(&rules)?)])?));
    }
    if collapsed {
        let count = request.model.assets.len().to_string();
        out.push(entry("note", words.text("graph.collapsed", &[("count", &count)])?));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use kojo_compiler::levels::Row;
    use kojo_compiler::model::ZoneLevel;
    use kojo_stdlib::Messages;

    /// Every row a zone can be placed in has words in both languages,
    /// whether or not an example uses it.
    #[test]
    fn every_row_has_a_label_in_both_languages() {
        let mut rows = vec![Row::Untrusted, Row::External, Row::Level(ZoneLevel::Dmz)];
        rows.extend((0..=ZoneLevel::TOP).map(|n| Row::Level(ZoneLevel::Level(n))));
        for lang in ["en", "ja"] {
            let messages = Messages::builtin(lang).unwrap().unwrap();
            for row in &rows {
                let key = format!("graph.level.{}", super::row_key(*row));
                assert!(messages.format(&key, &[]).is_ok(), "{lang}: {key}");
            }
        }
    }
}
