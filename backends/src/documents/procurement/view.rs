//! The procurement specification in one language: plain data for the
//! templates.

use kojo_compiler::model::{FlowEnd, Model, Traffic};
use serde::Serialize;

use super::items::Item;
use super::requirements::{self, Selected, Source};
use super::wording::{self, Filler};
use super::Request;
use crate::documents::text::{Words, WordsError};

#[derive(Debug, Clone, Serialize)]
pub struct ProcurementView {
    pub lang: &'static str,
    pub kojo_version: &'static str,
    pub date: String,
    /// What is bought, as a heading: the purchase's, zone's or asset's title.
    pub subject: String,
    pub target_kind: String,
    pub target_name: String,
    pub project: String,
    pub plant_code: String,
    pub plant_name: Option<String>,
    pub profile: String,
    pub profile_label: String,
    pub buyer: String,
    pub contact: String,
    pub supplier: String,
    pub items: Vec<ItemRow>,
    pub zones: Vec<ZoneRow>,
    pub flows: Vec<FlowRow>,
    pub sections: Vec<SectionView>,
    pub acceptance: Vec<AcceptanceRow>,
    pub questions: Vec<QuestionGroup>,
    pub requirement_count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ItemRow {
    pub name: String,
    pub title: Option<String>,
    pub kind: String,
    pub zones: String,
    pub tier: String,
    pub vendor: Option<String>,
    pub model: Option<String>,
    pub firmware: Option<String>,
    pub software: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ZoneRow {
    pub name: String,
    pub title: Option<String>,
    pub tier: String,
    pub why: String,
    pub network: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct FlowRow {
    pub conduit: String,
    pub from: String,
    pub to: String,
    pub source: String,
    pub destination: String,
    pub traffic: String,
    pub functions: String,
    pub window: Option<String>,
    pub enforced_by: Option<String>,
    pub one_way: bool,
    /// `file:line` of the flow.
    pub at: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SectionView {
    pub id: String,
    pub number: String,
    pub heading: String,
    pub intro: Option<String>,
    pub anchors: Vec<String>,
    pub requirements: Vec<RequirementView>,
    /// Measures the items' tier asks for that cannot apply to some of them.
    pub not_applicable: Vec<NotApplicableView>,
}

/// A measure that does not apply to some items, and why.
#[derive(Debug, Clone, Serialize)]
pub struct NotApplicableView {
    /// The measure (`network.user-restriction.high`).
    pub source_id: String,
    pub title: String,
    /// One line per item: what it lacks, and who says so.
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RequirementView {
    /// `F3-01`: the requirement's number in this document.
    pub id: String,
    /// The catalogue entry it comes from (`device.unused-ports.high`, `PR-MALWARE-FREE-DELIVERY`).
    pub source_id: String,
    pub title: String,
    pub text: String,
    pub cites: Vec<String>,
    pub why: String,
    /// What the model says of it today, for tier-table measures (only in
    /// the buyer's own copy: `--internal`).
    pub status: Option<String>,
    /// Waivers in the model that release items from it: deviations the
    /// buyer has accepted.
    pub deviation: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AcceptanceRow {
    pub id: String,
    pub title: String,
    pub fat: String,
    pub sat: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct QuestionGroup {
    pub heading: String,
    pub why: Option<String>,
    pub questions: Vec<Question>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Question {
    pub id: String,
    pub text: String,
}

pub fn build(request: &Request<'_>, words: &Words<'_>, items: &[Item<'_>]) -> Result<ProcurementView, WordsError> {
    let model = request.model;
    let settings = &request.manifest.procurement;
    let agreed = words.plain("common.to-be-agreed")?;
    let setting =
        |entry: Option<&kojo_compiler::manifest::Entry>| entry.map_or_else(|| agreed.clone(), |e| e.value.clone());
    let filler = Filler::new(settings, &agreed, &words.plain("procure.doc.the-buyer")?);
    let buyer = match &settings.buyer {
        Some(name) => words.text("procure.doc.buyer-defined", &[("name", &name.value)])?,
        None => agreed.clone(),
    };
    let (selected, not_applicable) = requirements::select(request.catalogue, request.profile, items);
    let (mut sections, acceptance) = sections(request, words, items, &selected, &filler)?;
    for section in &mut sections {
        let here = not_applicable.iter().filter(|n| n.section == section.id);
        section.not_applicable = here.map(|n| not_applicable_view(request, words, n)).collect::<Result<_, _>>()?;
    }
    let supplier = match request.target {
        super::Target::Purchase(id) => model.purchase(id).and_then(|p| p.supplier.clone()),
        _ => None,
    };
    Ok(ProcurementView {
        lang: words.lang.code(),
        kojo_version: env!("CARGO_PKG_VERSION"),
        date: request.date.to_string(),
        subject: subject(request, words)?,
        target_kind: words.plain(&format!("procure.target.{}", request.target.kind()))?,
        target_name: request.target.name(model),
        project: model.project.clone(),
        plant_code: model.plant.code.clone(),
        plant_name: model.plant.name.clone(),
        profile: request.profile.id.clone(),
        profile_label: words.label(&request.profile.label).to_string(),
        buyer,
        contact: setting(settings.contact.as_ref()),
        supplier: supplier.unwrap_or_else(|| agreed.clone()),
        items: items.iter().map(|i| item_row(request, words, i)).collect::<Result<_, _>>()?,
        zones: zone_rows(request, words, items)?,
        flows: flow_rows(request, words, items)?,
        requirement_count: acceptance.len(),
        sections,
        acceptance,
        questions: questions(request, words, items)?,
    })
}

fn subject(request: &Request<'_>, words: &Words<'_>) -> Result<String, WordsError> {
    let model = request.model;
    let (name, title) = match request.target {
        super::Target::Asset(id) => model.asset(id).map(|a| (a.name.clone(), a.title.clone())),
        super::Target::Zone(id) => model.zone(id).map(|z| (z.name.clone(), z.title.clone())),
        super::Target::Purchase(id) => model.purchase(id).map(|p| (p.name.clone(), p.title.clone())),
    }
    .unwrap_or_default();
    let kind = words.plain(&format!("procure.target.{}", request.target.kind()))?;
    Ok(match title {
        Some(title) => format!("{title} ({kind} {name})"),
        None => format!("{kind} {name}"),
    })
}

fn item_row(request: &Request<'_>, words: &Words<'_>, item: &Item<'_>) -> Result<ItemRow, WordsError> {
    let asset = item.asset;
    let zones: Vec<String> = item.zones.iter().filter_map(|z| request.model.zone(*z)).map(|z| z.name.clone()).collect();
    let software: Vec<String> = asset
        .software
        .iter()
        .map(|s| {
            request.catalogue.program_check_kind(s).map_or_else(|| s.clone(), |k| words.label(&k.label).to_string())
        })
        .collect();
    Ok(ItemRow {
        name: asset.name.clone(),
        title: asset.title.clone(),
        kind: request
            .catalogue
            .asset_kind(&asset.kind)
            .map_or_else(|| asset.kind.clone(), |k| words.label(&k.label).to_string()),
        zones: words.list(&zones)?,
        tier: item.tier.map_or_else(|| "–".to_string(), |t| words.tier(t)),
        vendor: asset.vendor.clone(),
        model: asset.model.clone(),
        firmware: asset.firmware.clone(),
        software: words.list(&software)?,
    })
}

/// The zones the items go into, each with its tier and what raised it.
fn zone_rows(request: &Request<'_>, words: &Words<'_>, items: &[Item<'_>]) -> Result<Vec<ZoneRow>, WordsError> {
    let mut ids: Vec<_> = items.iter().flat_map(|i| i.zones.iter().copied()).collect();
    ids.sort();
    ids.dedup();
    let mut rows = Vec::new();
    for id in ids {
        let Some(zone) = request.model.zone(id) else { continue };
        let tier = kojo_compiler::controls::zone_tier(request.tiers, id);
        let mut network: Vec<String> = zone.subnets.iter().map(ToString::to_string).collect();
        if let Some(vlan) = zone.vlan {
            network.push(format!("VLAN {vlan}"));
        }
        rows.push(ZoneRow {
            name: zone.name.clone(),
            title: zone.title.clone(),
            tier: tier.map_or_else(|| "–".to_string(), |t| words.tier(t)),
            why: wording::zone_tier(request, words, id)?,
            network: words.list(&network)?,
        });
    }
    Ok(rows)
}

/// The flows the items take part in, conduit by conduit.
fn flow_rows(request: &Request<'_>, words: &Words<'_>, items: &[Item<'_>]) -> Result<Vec<FlowRow>, WordsError> {
    let model: &Model = request.model;
    let mut conduits: Vec<_> = items.iter().flat_map(|i| i.conduits.iter().chain(&i.enforces).copied()).collect();
    conduits.sort_by_key(|c| c.id);
    conduits.dedup_by_key(|c| c.id);
    let any = words.plain("procure.doc.any-host")?;
    let end = |end: &FlowEnd| -> Result<String, WordsError> {
        match end {
            FlowEnd::Any => Ok(any.clone()),
            FlowEnd::Assets(ids) => {
                words.list(&ids.iter().filter_map(|id| model.asset(*id)).map(|a| a.name.clone()).collect::<Vec<_>>())
            }
        }
    };
    let mut rows = Vec::new();
    for conduit in conduits {
        let zone = |id| model.zone(id).map_or_else(String::new, |z| z.name.clone());
        for flow in &conduit.flows {
            let traffic: Vec<String> = match &flow.traffic {
                Traffic::Services(names) => names
                    .iter()
                    .map(|n| match request.catalogue.service(n) {
                        Some(s) => {
                            let ports: Vec<String> = s.ports.iter().map(ToString::to_string).collect();
                            format!("{n} ({})", ports.join(", "))
                        }
                        None => n.clone(),
                    })
                    .collect(),
                Traffic::Ports(ports) => ports.iter().map(ToString::to_string).collect(),
            };
            rows.push(FlowRow {
                conduit: conduit.name.clone(),
                from: zone(conduit.from),
                to: zone(conduit.to),
                source: end(&flow.source)?,
                destination: end(&flow.destination)?,
                traffic: words.list(&traffic)?,
                functions: if flow.functions.is_empty() { String::new() } else { words.list(&flow.functions)? },
                window: conduit.window.as_ref().map(ToString::to_string),
                enforced_by: conduit.enforced_by.and_then(|id| model.asset(id)).map(|a| a.name.clone()),
                one_way: conduit.one_way,
                at: model.locate(flow.loc),
            });
        }
    }
    Ok(rows)
}

type Built = (Vec<SectionView>, Vec<AcceptanceRow>);

/// Every section that applies, with its requirements numbered, and the
/// acceptance tests of all of them.
fn sections(
    request: &Request<'_>,
    words: &Words<'_>,
    items: &[Item<'_>],
    selected: &[Selected<'_, '_, '_>],
    filler: &Filler,
) -> Result<Built, WordsError> {
    let mut sections = Vec::new();
    let mut acceptance = Vec::new();
    for section in request.catalogue.procurement_sections() {
        if !requirements::section_applies(section.when, items) {
            continue;
        }
        let mut list = Vec::new();
        for (n, s) in selected.iter().filter(|s| s.section == section.id).enumerate() {
            let id = format!("{}-{:02}", section.number, n + 1);
            let clause = match s.source {
                Source::Measure { measure, enforcing: true, .. } => {
                    measure.enforcing.as_ref().unwrap_or(&measure.clause)
                }
                Source::Measure { measure, .. } => &measure.clause,
                Source::Clause(c) => &c.clause,
            };
            let mut title = filler.fill(&wording::title(words, &s.source));
            if matches!(s.source, Source::Measure { enforcing: true, .. }) {
                title = words.text("procure.doc.as-enforcing", &[("title", &title)])?;
            }
            acceptance.push(AcceptanceRow {
                id: id.clone(),
                title: title.clone(),
                fat: filler.fill(words.label(&clause.fat)),
                sat: filler.fill(words.label(&clause.sat)),
            });
            list.push(RequirementView {
                source_id: wording::source_id(&s.source).to_string(),
                title,
                text: filler.fill(words.label(&clause.text)),
                cites: wording::cites(request, words, &s.source)?,
                why: wording::why(request, words, &s.why, items.len())?,
                status: if request.internal { wording::status(request, words, &s.source, &s.why)? } else { None },
                deviation: wording::deviation(request, words, &s.source, &s.why)?,
                id,
            });
        }
        sections.push(SectionView {
            id: section.id.clone(),
            number: section.number.clone(),
            heading: words.label(&section.heading).to_string(),
            intro: section.intro.as_ref().map(|l| filler.fill(words.label(l))),
            anchors: section.anchors.clone(),
            requirements: list,
            not_applicable: Vec::new(),
        });
    }
    Ok((sections, acceptance))
}

/// A measure that cannot apply to some items: per item, the capabilities
/// it lacks (in the document's language) and whether the model declared
/// them or they are its kind's default.
fn not_applicable_view(
    request: &Request<'_>,
    words: &Words<'_>,
    entry: &requirements::NotApplicable<'_, '_, '_>,
) -> Result<NotApplicableView, WordsError> {
    let mut reasons = Vec::new();
    for (item, missing) in &entry.items {
        let asset = item.asset;
        let labels: Vec<String> = missing
            .iter()
            .map(|c| request.catalogue.capability(c).map_or_else(|| c.clone(), |c| words.label(&c.label).to_string()))
            .collect();
        let capabilities = words.list(&labels)?;
        let kind = request.catalogue.asset_kind(&asset.kind).map_or(asset.kind.as_str(), |k| words.label(&k.label));
        let (key, args) = if asset.capabilities_declared {
            ("procure.doc.lacks-declared", vec![("item", asset.name.as_str()), ("capabilities", capabilities.as_str())])
        } else {
            (
                "procure.doc.lacks-kind",
                vec![("item", asset.name.as_str()), ("capabilities", capabilities.as_str()), ("kind", kind)],
            )
        };
        reasons.push(words.text(key, &args)?);
    }
    let source = Source::Measure { table: entry.table, row: entry.row, measure: entry.measure, enforcing: false };
    Ok(NotApplicableView { source_id: entry.measure.id.clone(), title: wording::title(words, &source), reasons })
}

/// The annex: the supply-chain check points, and the program questions
/// for the kinds of software the items include.
fn questions(request: &Request<'_>, words: &Words<'_>, items: &[Item<'_>]) -> Result<Vec<QuestionGroup>, WordsError> {
    let mut groups = Vec::new();
    for counterpart in request.catalogue.supply_chain() {
        groups.push(QuestionGroup {
            heading: words.label(&counterpart.label).to_string(),
            why: None,
            questions: counterpart
                .checks
                .iter()
                .map(|c| Question { id: c.id.clone(), text: words.label(&c.label).to_string() })
                .collect(),
        });
    }
    for kind in request.catalogue.program_checks() {
        let with: Vec<String> =
            items.iter().filter(|i| i.asset.software.contains(&kind.id)).map(|i| i.asset.name.clone()).collect();
        if with.is_empty() {
            continue;
        }
        let list = words.list(&with)?;
        groups.push(QuestionGroup {
            heading: words.label(&kind.label).to_string(),
            why: Some(words.text("procure.doc.software-of", &[("items", &list)])?),
            questions: kind
                .checks
                .iter()
                .map(|c| Question { id: c.id.clone(), text: words.label(&c.label).to_string() })
                .collect(),
        });
    }
    Ok(groups)
}
