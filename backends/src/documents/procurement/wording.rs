//! How a requirement is worded in the specification: its title, the
//! sources it cites, why it applies to these items, what the model says of
//! it today, and the buyer's settings filled into its clauses.

use kojo_compiler::manifest::Procurement;
use kojo_compiler::model::{EntityRef, Tier, ZoneId};

use super::items::Item;
use super::requirements::{Source, Why};
use super::Request;
use crate::documents::text::{Words, WordsError};

/// The catalogue ID a requirement comes from.
pub fn source_id<'c>(source: &Source<'c>) -> &'c str {
    match source {
        Source::Measure { measure, .. } => &measure.id,
        Source::Clause(clause) => &clause.id,
    }
}

/// A measure by its row and cell (`不要ポート：＋ハード閉塞（完全に利用不可）`),
/// a clause by its title.
pub fn title(words: &Words<'_>, source: &Source<'_>) -> String {
    match source {
        Source::Measure { row, measure, .. } => {
            let plus = if measure.plus { "＋" } else { "" };
            let separator = if words.lang.code() == "ja" { "：" } else { ": " };
            format!("{}{separator}{plus}{}", words.label(&row.label), words.label(&measure.text))
        }
        Source::Clause(clause) => words.label(&clause.title).to_string(),
    }
}

/// The sources a requirement cites: the tier-table cell and guideline
/// section, IEC 62443 and DHS references, and the rules that check it.
pub fn cites(request: &Request<'_>, words: &Words<'_>, source: &Source<'_>) -> Result<Vec<String>, WordsError> {
    let mut out = Vec::new();
    let (iec, dhs) = match source {
        Source::Measure { table, row, measure, .. } => {
            let tier = Tier::from_id(&measure.tier).map_or_else(|| measure.tier.clone(), |t| words.tier(t));
            out.push(words.text(
                "procure.cite.table",
                &[
                    ("table", words.label(&table.label)),
                    ("source", &table.source),
                    ("row", words.label(&row.label)),
                    ("tier", &tier),
                ],
            )?);
            if !measure.requirements.is_empty() {
                out.push(words.text("procure.cite.rules", &[("rules", &measure.requirements.join(", "))])?);
            }
            (&measure.iec62443, &measure.dhs)
        }
        Source::Clause(clause) => {
            if !clause.source.is_empty() {
                out.push(words.text("procure.cite.guideline", &[("sections", &clause.source.join(", "))])?);
            }
            if !clause.related.is_empty() {
                let related: Vec<String> = clause.related.iter().map(|id| related(request, words, id)).collect();
                out.push(words.text("procure.cite.related", &[("items", &words.list(&related)?)])?);
            }
            (&clause.iec62443, &clause.dhs)
        }
    };
    if !iec.is_empty() {
        out.push(words.text("procure.cite.iec62443", &[("ids", &iec.join(", "))])?);
    }
    if !dhs.is_empty() {
        let sections: Vec<String> = dhs.iter().map(|d| format!("§{d}")).collect();
        out.push(words.text("procure.cite.dhs", &[("sections", &sections.join(", "))])?);
    }
    Ok(out)
}

/// A related catalogue entry, by ID and label.
fn related(request: &Request<'_>, words: &Words<'_>, id: &str) -> String {
    let catalogue = request.catalogue;
    let label = catalogue
        .supply_chain_check(id)
        .map(|(_, c)| &c.label)
        .or_else(|| catalogue.program_check(id).map(|(_, c)| &c.label))
        .or_else(|| catalogue.physical_measure(id).map(|m| &m.label))
        .or_else(|| catalogue.measure(id).map(|(_, _, m)| &m.text));
    match label {
        Some(label) => format!("{id} ({})", words.label(label)),
        None => id.to_string(),
    }
}

/// Why the requirement applies to these items.
pub fn why(request: &Request<'_>, words: &Words<'_>, why: &Why<'_, '_>, total: usize) -> Result<String, WordsError> {
    let model = request.model;
    let zone_name = |z: &ZoneId| model.zone(*z).map_or_else(String::new, |z| z.name.clone());
    let names = |list: &[String]| words.list(list);
    // The item, the zone that sets its tier, the tier, and what raised it.
    let item_at = |i: &Item<'_>| -> Result<String, WordsError> {
        let deciding = deciding_zone(request, i)
            .ok_or_else(|| WordsError(format!("internal error: `{}` is in no zone of the plant", i.asset.name)))?;
        let tier = i.tier.map_or_else(|| "–".to_string(), |t| words.tier(t));
        words.text(
            "procure.why.item",
            &[
                ("item", &i.asset.name),
                ("zone", &zone_name(&deciding)),
                ("tier", &tier),
                ("because", &zone_tier(request, words, deciding)?),
            ],
        )
    };
    match why {
        Why::Always => words.plain("procure.why.always"),
        Why::Tier(items) if items.len() == total && total > 1 => {
            // Every item: name the zones that set their tiers (and what raised them) once.
            let mut zones: Vec<ZoneId> = items.iter().filter_map(|i| deciding_zone(request, i)).collect();
            zones.sort();
            zones.dedup();
            let listed: Vec<String> = zones
                .iter()
                .map(|z| {
                    let tier = kojo_compiler::controls::zone_tier(request.tiers, *z)
                        .map_or_else(|| "–".to_string(), |t| words.tier(t));
                    words.text(
                        "procure.why.zone",
                        &[("zone", &zone_name(z)), ("tier", &tier), ("because", &zone_tier(request, words, *z)?)],
                    )
                })
                .collect::<Result<_, _>>()?;
            words.text("procure.why.tier-all", &[("zones", &names(&listed)?)])
        }
        Why::Tier(items) => {
            let listed: Vec<String> = items.iter().map(|i| item_at(i)).collect::<Result<_, _>>()?;
            words.text("procure.why.tier", &[("items", &names(&listed)?)])
        }
        Why::Conduits(items) => {
            let listed: Vec<String> = items
                .iter()
                .map(|i| {
                    let conduits: Vec<String> = i
                        .conduits
                        .iter()
                        .filter_map(|c| {
                            let tier = kojo_compiler::controls::conduit_tier(request.tiers, c)?;
                            Some(format!("{} ({})", c.name, words.tier(tier)))
                        })
                        .collect();
                    let tier = i.network_tier.map_or_else(|| "–".to_string(), |t| words.tier(t));
                    words.text(
                        "procure.why.conduit-item",
                        &[("item", &i.asset.name), ("tier", &tier), ("conduits", &names(&conduits)?)],
                    )
                })
                .collect::<Result<_, _>>()?;
            words.text("procure.why.conduits", &[("items", &names(&listed)?)])
        }
        Why::Enforcing(pairs) | Why::RemoteAccess(pairs) => {
            let listed: Vec<String> = pairs
                .iter()
                .map(|(i, conduits)| {
                    let via: Vec<&str> = conduits.iter().map(|c| c.name.as_str()).collect();
                    format!("{} ({})", i.asset.name, via.join(", "))
                })
                .collect();
            let key = if matches!(why, Why::Enforcing(_)) { "procure.why.enforcing" } else { "procure.why.remote" };
            words.text(key, &[("items", &names(&listed)?)])
        }
        Why::Wireless(pairs) => {
            let listed: Vec<String> = pairs
                .iter()
                .map(|(i, aps)| {
                    let aps: Vec<&str> = aps.iter().map(|a| a.name.as_str()).collect();
                    format!("{} ({})", i.asset.name, aps.join(", "))
                })
                .collect();
            words.text("procure.why.wireless", &[("items", &names(&listed)?)])
        }
        Why::Software(pairs) => {
            let listed: Vec<String> = pairs
                .iter()
                .map(|(i, kinds)| {
                    let kinds: Vec<String> = kinds
                        .iter()
                        .map(|k| {
                            request
                                .catalogue
                                .program_check_kind(k)
                                .map_or_else(|| k.clone(), |k| words.label(&k.label).to_string())
                        })
                        .collect();
                    format!("{} ({})", i.asset.name, kinds.join(", "))
                })
                .collect();
            words.text("procure.why.software", &[("items", &names(&listed)?)])
        }
    }
}

/// The zone whose tier an item must meet: the highest of its zones.
fn deciding_zone(request: &Request<'_>, item: &Item<'_>) -> Option<ZoneId> {
    item.zones.iter().copied().max_by_key(|z| kojo_compiler::controls::zone_tier(request.tiers, *z))
}

/// What the model says of a tier-table measure on these items today: the
/// controls in force that meet it (its own, or any that meets the profile's
/// requirements checking it).
pub fn status(
    request: &Request<'_>,
    words: &Words<'_>,
    source: &Source<'_>,
    why: &Why<'_, '_>,
) -> Result<Option<String>, WordsError> {
    let items = match (source, why) {
        (Source::Measure { enforcing: false, .. }, Why::Tier(items) | Why::Conduits(items)) => items,
        _ => return Ok(None),
    };
    let Source::Measure { measure, .. } = source else { return Ok(None) };
    // The measure is met where the requirements checking it are (all of
    // them: a cell may need several controls); without one, where any of
    // its controls is in force.
    let checking: Vec<_> =
        request.profile.requirements.iter().filter(|r| measure.requirements.contains(&r.id)).collect();
    if checking.is_empty() && measure.controls.is_empty() {
        return Ok(None);
    }
    let met_by = |in_force: &std::collections::BTreeSet<&str>| {
        if checking.is_empty() {
            measure.controls.iter().any(|c| in_force.contains(c.as_str()))
        } else {
            checking.iter().all(|r| r.met_by(|c| in_force.contains(c)))
        }
    };
    // A conduit measure is met on the conduits that carry the item's
    // traffic at its tier (a firewall is a conduit's, not the device's); a
    // zone or device measure on the item itself.
    let needed = Tier::from_id(&measure.tier);
    let on_conduits = matches!(why, Why::Conduits(_));
    let meets = |i: &Item<'_>| {
        let conduits: Vec<_> =
            i.conduits.iter().filter(|c| kojo_compiler::controls::conduit_tier(request.tiers, c) >= needed).collect();
        if on_conduits && !conduits.is_empty() {
            conduits.iter().all(|c| met_by(&kojo_compiler::controls::conduit_controls(request.catalogue, c)))
        } else {
            met_by(&i.in_force)
        }
    };
    let lacking: Vec<String> = items.iter().filter(|i| !meets(i)).map(|i| i.asset.name.clone()).collect();
    let text = match (items.as_slice(), lacking.is_empty()) {
        ([one], true) => words.text("procure.status.one-met", &[("item", &one.asset.name)])?,
        ([one], false) => words.text("procure.status.one-missing", &[("item", &one.asset.name)])?,
        (_, true) => words.text("procure.status.all", &[("count", &items.len().to_string())])?,
        _ if lacking.len() == items.len() => {
            words.text("procure.status.none", &[("count", &items.len().to_string())])?
        }
        _ => {
            let met = (items.len() - lacking.len()).to_string();
            let count = items.len().to_string();
            words
                .text("procure.status.some", &[("met", &met), ("count", &count), ("lacking", &words.list(&lacking)?)])?
        }
    };
    Ok(Some(text))
}

/// The waivers in the model that release some of these items (or the
/// conduits they take part in or enforce) from a measure: the findings of
/// the rules that check it which a waiver hides, as `kojo check` applies
/// them. Deviations the buyer has accepted, said so in the specification
/// rather than silently asked for.
pub fn deviation(
    request: &Request<'_>,
    words: &Words<'_>,
    source: &Source<'_>,
    why: &Why<'_, '_>,
) -> Result<Option<String>, WordsError> {
    let Source::Measure { measure, .. } = source else { return Ok(None) };
    let model = request.model;
    // What a waived finding may name: the items, and their conduits.
    let mut names: Vec<(EntityRef, String)> = Vec::new();
    match why {
        Why::Tier(items) | Why::Conduits(items) => {
            for item in items {
                names.push((EntityRef::Asset(item.asset.id), item.asset.name.clone()));
                for conduit in &item.conduits {
                    names.push((EntityRef::Conduit(conduit.id), conduit.name.clone()));
                }
            }
        }
        Why::Enforcing(pairs) => {
            for (_, conduits) in pairs {
                names.extend(conduits.iter().map(|c| (EntityRef::Conduit(c.id), c.name.clone())));
            }
        }
        _ => return Ok(None),
    }
    // (waiver index, rule) → what it releases, in the model's order: a
    // waiver may name several rules, and the sentence names the one waived.
    let mut released: std::collections::BTreeMap<(usize, &str), Vec<String>> = std::collections::BTreeMap::new();
    let waived = request.findings.waived.iter().zip(&request.findings.waived_by);
    for (finding, waiver) in waived.filter(|(f, _)| measure.requirements.contains(&f.rule)) {
        if let Some((_, name)) = names.iter().find(|(e, _)| *e == finding.target) {
            let list = released.entry((*waiver, finding.rule.as_str())).or_default();
            if !list.contains(name) {
                list.push(name.clone());
            }
        }
    }
    let mut sentences = Vec::new();
    for ((index, rule), covered) in released {
        let Some(waiver) = model.waivers.get(index) else { continue };
        sentences.push(words.text(
            "procure.doc.deviation",
            &[
                ("rule", rule),
                ("items", &words.list(&covered)?),
                ("until", &waiver.until.to_string()),
                ("reason", &waiver.reason),
            ],
        )?);
    }
    Ok((!sentences.is_empty()).then(|| sentences.join(" ")))
}

/// A zone's tier in force and what raised it, in a sentence.
pub fn zone_tier(request: &Request<'_>, words: &Words<'_>, zone: ZoneId) -> Result<String, WordsError> {
    let Some(tier) = request.tiers.get(zone.index()) else { return Ok(String::new()) };
    let mut parts = Vec::new();
    if let Some(declared) = tier.declared {
        parts.push(words.text("procure.zone.declared", &[("tier", &words.tier(declared))])?);
    }
    match (&tier.raised_by, tier.derived) {
        (Some(r), Some(derived)) => {
            let axis = request
                .profile
                .impact
                .axes
                .iter()
                .find(|a| a.id == r.axis)
                .map_or(r.axis.as_str(), |a| words.label(&a.label));
            let level = request.profile.level(&r.level).map_or(r.level.as_str(), |l| words.label(&l.label));
            // Readers know the operation by its title, not its name in the model.
            let model = request.model;
            let title = match r.kind {
                "operation" => model.operations.iter().find(|o| o.name == r.name).and_then(|o| o.title.clone()),
                "data" => model.data.iter().find(|d| d.name == r.name).and_then(|d| d.title.clone()),
                _ => model.assets.iter().find(|a| a.name == r.name).and_then(|a| a.title.clone()),
            };
            let shown = title.unwrap_or_else(|| r.name.clone());
            let entity = words.text(&format!("procure.entity.{}", r.kind), &[("name", &shown)])?;
            parts.push(words.text(
                "procure.zone.raised",
                &[("tier", &words.tier(derived)), ("entity", &entity), ("axis", axis), ("level", level)],
            )?);
        }
        (None, Some(derived)) => parts.push(words.text("procure.zone.default", &[("tier", &words.tier(derived))])?),
        _ => {}
    }
    let separator = words.plain("common.list-separator")?;
    Ok(parts.join(&separator))
}

/// Fills the buyer's settings into clause texts (`{support_years}` …): a
/// number the manifest does not set is "to be agreed"; the buyer is the
/// defined term "the Buyer" (its name is given once, in the header).
pub struct Filler {
    values: Vec<(&'static str, String)>,
}

impl Filler {
    pub fn new(settings: &Procurement, agreed: &str, the_buyer: &str) -> Filler {
        let number = |v: Option<(u32, kojo_lang::Span)>| v.map_or_else(|| agreed.to_string(), |(n, _)| n.to_string());
        Filler {
            values: vec![
                ("{buyer}", the_buyer.to_string()),
                ("{support_years}", number(settings.support_years)),
                ("{notice_days}", number(settings.notice_days)),
                ("{log_retention_days}", number(settings.log_retention_days)),
            ],
        }
    }

    pub fn fill(&self, text: &str) -> String {
        let mut out = text.to_string();
        for (placeholder, value) in &self.values {
            out = out.replace(placeholder, value);
        }
        out
    }
}
