//! The checklist evidence as OSCAL assessment results (OSCAL 1.1.2, JSON).
//!
//! One result for the assessment; per checklist item, an observation (what
//! the model shows, the attestation and its evidence files) and a finding
//! whose target is the item (`objective-id` `E-3-5`): satisfied at level 3
//! ("done") or above, not satisfied below, and satisfied with the reason
//! `not-applicable` where the item does not concern the plant. The level
//! itself is a property in kojo's namespace. The assessment plan OSCAL
//! requires to be imported is the Appendix E checklist, described in the
//! back matter. UUIDs are name-based (v5), so the same plant gives the same
//! document.

use serde_json::{json, Value};
use uuid::Uuid;

use super::view::ItemView;
use super::{EvidenceView, Request};

const OSCAL_VERSION: &str = "1.1.2";
/// kojo's namespace for properties OSCAL does not define.
const NS: &str = "urn:kojo:appendix-e";

fn id(project: &str, what: &str) -> String {
    let namespace = Uuid::new_v5(&Uuid::NAMESPACE_URL, b"urn:kojo");
    Uuid::new_v5(&namespace, format!("{project}\n{what}").as_bytes()).to_string()
}

pub fn render(request: &Request<'_>, view: &EvidenceView) -> String {
    let project = &view.project;
    let stamp = format!("{}T00:00:00Z", view.date);
    let plan = id(project, "assessment-plan");
    let mut observations = Vec::new();
    let mut findings = Vec::new();
    for item in view.categories.iter().flat_map(|c| &c.items) {
        let observation = id(project, &format!("observation {}", item.id));
        observations.push(observation_of(item, &observation, &stamp));
        findings.push(finding_of(project, item, &observation));
    }
    let title = format!("{} — {} ({})", view.plant_code, view.profile_label, view.date);
    let document = json!({
        "assessment-results": {
            "uuid": id(project, "assessment-results"),
            "metadata": {
                "title": title,
                "last-modified": stamp,
                "version": view.date,
                "oscal-version": OSCAL_VERSION,
                "props": [
                    { "name": "project", "ns": NS, "value": token(project) },
                    { "name": "profile", "ns": NS, "value": token(&view.profile) },
                    { "name": "language", "ns": NS, "value": view.lang },
                ],
            },
            "import-ap": { "href": format!("#{plan}") },
            "results": [{
                "uuid": id(project, "result"),
                "title": title,
                "description": description(request, view),
                "start": stamp,
                "reviewed-controls": { "control-selections": [{ "include-all": {} }] },
                "observations": observations,
                "findings": findings,
            }],
            "back-matter": {
                "resources": [{
                    "uuid": plan,
                    "title": view.profile_label,
                    "description": "Appendix E checklist (付録E チェックリスト) of the profile in force, as kojo's catalogue holds it.",
                }],
            },
        }
    });
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}

fn description(request: &Request<'_>, view: &EvidenceView) -> String {
    let name = view.plant_name.as_deref().unwrap_or(&view.plant_code);
    format!(
        "{name}: Appendix E checklist evidence derived by kojo {} from the plant model `{}` and its attestations; {}",
        view.kojo_version, request.model.project, view.repository
    )
}

/// OSCAL property values are tokens where kojo's are free text; keep the
/// characters a token allows.
fn token(text: &str) -> String {
    let cleaned: String =
        text.chars().map(|c| if c.is_alphanumeric() || "-._".contains(c) { c } else { '_' }).collect();
    if cleaned.starts_with(|c: char| c.is_alphabetic() || c == '_') {
        cleaned
    } else {
        format!("_{cleaned}")
    }
}

fn lines(parts: &[&[String]]) -> String {
    parts.iter().flat_map(|p| p.iter()).cloned().collect::<Vec<_>>().join("\n")
}

fn observation_of(item: &ItemView, uuid: &str, stamp: &str) -> Value {
    let mut description = format!("{} {}", item.number, item.text);
    if let Some(model) = &item.model {
        let text = lines(&[&model.supports, &model.missing]);
        if !text.is_empty() {
            description.push_str("\n\n");
            description.push_str(&text);
        }
    }
    let mut observation = json!({
        "uuid": uuid,
        "title": format!("{} {}", item.id, item.basis_label),
        "description": description,
        "methods": ["EXAMINE"],
        "types": ["control-objective"],
        "collected": stamp,
        "props": [
            { "name": "basis", "ns": NS, "value": item.basis },
        ],
    });
    if let Some(level) = item.level {
        if let Some(props) = observation.get_mut("props").and_then(Value::as_array_mut) {
            props.push(json!({ "name": "achievement-level", "ns": NS, "value": level.to_string() }));
        }
    }
    let evidence: Vec<Value> = item
        .attestation
        .iter()
        .flat_map(|a| &a.files)
        .map(|f| {
            let mut described = f.path.clone();
            if let (Some(date), Some(commit)) = (&f.date, &f.commit) {
                described = format!("{} (last changed {date}, commit {commit})", f.path);
            }
            json!({ "href": f.path, "description": described })
        })
        .collect();
    if !evidence.is_empty() {
        if let Some(object) = observation.as_object_mut() {
            object.insert("relevant-evidence".into(), Value::Array(evidence));
        }
    }
    observation
}

fn finding_of(project: &str, item: &ItemView, observation: &str) -> Value {
    let status = match item.level {
        None => json!({ "state": "satisfied", "reason": "not-applicable" }),
        Some(level) if level >= 3 => json!({ "state": "satisfied", "reason": "pass" }),
        Some(_) => json!({ "state": "not-satisfied", "reason": "fail" }),
    };
    let mut description = format!("{}: {}", item.level_label, item.text);
    let notes = lines(&[&item.notes, &item.raise]);
    if !notes.is_empty() {
        description.push_str("\n\n");
        description.push_str(&notes);
    }
    json!({
        "uuid": id(project, &format!("finding {}", item.id)),
        "title": item.id,
        "description": description,
        "target": {
            "type": "objective-id",
            "target-id": item.id,
            "status": status,
        },
        "related-observations": [{ "observation-uuid": observation }],
    })
}
