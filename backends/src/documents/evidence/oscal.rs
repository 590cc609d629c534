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
use crate::documents::text::escape_markdown;

const OSCAL_VERSION: &str = "1.1.2";
/// kojo's namespace for properties OSCAL does not define.
const NS: &str = "urn:kojo:appendix-e";

/// A single line: OSCAL titles may not break (`^[^\n]+$`).
fn line(text: &str) -> String {
    let one: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    let trimmed = one.trim();
    if trimmed.is_empty() {
        "-".to_string()
    } else {
        trimmed.to_string()
    }
}

/// OSCAL descriptions are Markdown: each paragraph escaped, blank lines between.
fn markup(paragraphs: &[String]) -> String {
    paragraphs.iter().map(|p| escape_markdown(p)).collect::<Vec<_>>().join("\n\n")
}

/// An evidence path as a relative URI reference: each segment
/// percent-encoded, and `./` first where the first segment has a `:`
/// (which would read as a scheme).
fn href(path: &str) -> String {
    let encoded: Vec<String> = path.split('/').map(crate::documents::text::url_segment).collect();
    let joined = encoded.join("/");
    if path.split('/').next().is_some_and(|first| first.contains(':')) {
        format!("./{joined}")
    } else {
        joined
    }
}

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
    let title = line(&format!("{} — {} ({})", view.plant_code, view.profile_label, view.date));
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
                    "title": line(&view.profile_label),
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
    markup(&[format!(
        "{name}: Appendix E checklist evidence derived by kojo {} from the plant model `{}` and its attestations; {}",
        view.kojo_version, request.model.project, view.repository
    )])
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

fn observation_of(item: &ItemView, uuid: &str, stamp: &str) -> Value {
    let mut paragraphs = vec![format!("{} {}", item.number, item.text)];
    if let Some(model) = &item.model {
        paragraphs.extend(model.supports.iter().chain(&model.missing).cloned());
    }
    let description = markup(&paragraphs);
    let mut observation = json!({
        "uuid": uuid,
        "title": line(&format!("{} {}", item.id, item.basis_label)),
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
            json!({ "href": href(&f.path), "description": markup(&[described]) })
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
    let mut paragraphs = vec![format!("{}: {}", item.level_label, item.text)];
    paragraphs.extend(item.notes.iter().chain(&item.raise).cloned());
    let description = markup(&paragraphs);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_one_line_and_hrefs_are_uri_references() {
        assert_eq!(line("T\nX\t y "), "T X  y");
        assert_eq!(line("\n"), "-");
        assert_eq!(href("docs/a b%zz#x.md"), "docs/a%20b%25zz%23x.md");
        assert_eq!(href("ab:c.md"), "./ab%3Ac.md");
        assert_eq!(href("docs/規程.md"), "docs/%E8%A6%8F%E7%A8%8B.md");
    }
}
