//! SARIF 2.1.0, the static-analysis format of GitHub code scanning, Azure
//! DevOps and most security dashboards.
//!
//! One run; the tool's `rules` describe every rule and code that appears
//! (title, what it checks, the `kojo explain` page as help, the guideline
//! sections as a property). Every diagnostic is a result: findings carry
//! their fingerprint as `partialFingerprints["kojo/v1"]`, so code scanning
//! follows a finding across moves; waived findings are results with an
//! accepted in-source suppression that gives the waiver's reason, expiry
//! and place. Files are relative to `%SRCROOT%`, the repository's root
//! (see [`super::paths`]); columns count Unicode code points.

use std::collections::BTreeMap;

use kojo_lang::{Diagnostic, Severity};
use serde_json::{json, Map, Value};

use super::paths::{file_uri, uri_path};
use super::rules::{self, RuleMeta};
use super::{position, Outcome, Position, Waived};

/// The schema SARIF files name.
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Where to learn about kojo: the package's homepage once it has one;
/// until then the URN kojo's OSCAL documents are named under.
const INFORMATION_URI: &str = match option_env!("CARGO_PKG_HOMEPAGE") {
    Some(uri) if !uri.is_empty() => uri,
    _ => "urn:kojo",
};

/// The key of kojo's fingerprints in `partialFingerprints` (versioned: a
/// change to what a fingerprint hashes gets a new key).
pub const FINGERPRINT_KEY: &str = "kojo/v1";

/// The SARIF log for `outcome`, pretty-printed.
pub fn render(outcome: &Outcome<'_>) -> String {
    let mut out = serde_json::to_string_pretty(&log(outcome)).unwrap_or_default();
    out.push('\n');
    out
}

/// The SARIF log as a JSON value.
pub fn log(outcome: &Outcome<'_>) -> Value {
    let checked = outcome.checked;
    let waivers = outcome.waivers();
    let waived = super::waived(checked, &waivers);
    // Every rule and code that appears, with the severity it appears at.
    let mut seen: BTreeMap<&str, Severity> = BTreeMap::new();
    for d in checked.diagnostics.iter().chain(&checked.waived) {
        seen.entry(d.id()).or_insert(d.severity);
    }
    let metas: Vec<RuleMeta> = seen.iter().map(|(id, severity)| rules::describe(checked, id, *severity)).collect();
    let index: BTreeMap<&str, usize> = metas.iter().enumerate().map(|(i, m)| (m.id.as_str(), i)).collect();
    let results: Vec<Value> = checked
        .diagnostics
        .iter()
        .map(|d| result(outcome, d, &index, None))
        .chain(waived.iter().map(|w| result(outcome, w.diagnostic, &index, Some(w))))
        .collect();
    let mut run = json!({
        "tool": { "driver": {
            "name": "kojo",
            "version": env!("CARGO_PKG_VERSION"),
            "semanticVersion": env!("CARGO_PKG_VERSION"),
            "informationUri": INFORMATION_URI,
            "rules": metas.iter().map(rule).collect::<Vec<_>>(),
        } },
        "columnKind": "unicodeCodePoints",
        "results": results,
    });
    let mut properties = Map::new();
    if let Some(manifest) = &checked.manifest {
        properties.insert("project".into(), json!(manifest.project.value));
    }
    if let Some(baseline) = outcome.baseline {
        properties.insert("baseline".into(), json!(baseline.revision));
    }
    // Past the diagnostic caps the results are incomplete: say by how much.
    if checked.dropped.total() + checked.dropped.findings() > 0 {
        properties.insert("dropped".into(), super::dropped::json(&checked.dropped));
    }
    if !properties.is_empty() {
        put(&mut run, "properties", Value::Object(properties));
    }
    json!({ "$schema": SCHEMA, "version": "2.1.0", "runs": [run] })
}

/// A `reportingDescriptor`.
fn rule(meta: &RuleMeta) -> Value {
    let help = match &meta.page {
        Some(page) => json!({ "text": page, "markdown": page }),
        None => json!({ "text": meta.description }),
    };
    json!({
        "id": meta.id,
        "name": meta.name,
        "shortDescription": { "text": meta.title },
        "fullDescription": { "text": meta.description },
        "help": help,
        "defaultConfiguration": { "level": level(meta.level) },
        "properties": { "guideline": meta.guideline, "tags": meta.tags },
    })
}

/// Sets `key` of a JSON object.
fn put(object: &mut Value, key: &str, value: Value) {
    if let Value::Object(map) = object {
        map.insert(key.to_string(), value);
    }
}

pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A `result`; `waived` for a finding a waiver hides.
fn result(outcome: &Outcome<'_>, d: &Diagnostic, index: &BTreeMap<&str, usize>, waived: Option<&Waived<'_>>) -> Value {
    let mut text = d.message.clone();
    if let Some(place) = super::elsewhere(outcome, d) {
        text.push('\n');
        text.push_str(&place);
    }
    if let Some(help) = &d.help {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    let mut result = json!({
        "ruleId": d.id(),
        "level": level(d.severity),
        "message": { "text": text },
    });
    if let Some(i) = index.get(d.id()) {
        put(&mut result, "ruleIndex", json!(i));
    }
    if let Some(location) = position(d).and_then(|p| location(outcome, &p, true)) {
        put(&mut result, "locations", json!([location]));
    }
    let related = related(outcome, d);
    if !related.is_empty() {
        put(&mut result, "relatedLocations", Value::Array(related));
    }
    if let Some(fingerprint) = &d.fingerprint {
        put(&mut result, "partialFingerprints", json!({ FINGERPRINT_KEY: fingerprint }));
    }
    if outcome.baseline.is_some() {
        put(&mut result, "baselineState", json!(if outcome.known(d) { "unchanged" } else { "new" }));
    }
    if let Some(waived) = waived {
        put(&mut result, "suppressions", json!([suppression(outcome, waived)]));
    }
    result
}

/// A waiver as an accepted in-source suppression.
fn suppression(outcome: &Outcome<'_>, waived: &Waived<'_>) -> Value {
    let mut suppression = json!({ "kind": "inSource", "status": "accepted" });
    if let Some(waiver) = waived.waiver {
        let place = Position { file: waiver.file.clone(), span: Some((waiver.start, waiver.end)) };
        let shown = format!("{}:{}", outcome.paths.display(&waiver.file), waiver.start.0);
        put(&mut suppression, "justification", json!(waiver.reason));
        if let Some(location) = location(outcome, &place, false) {
            put(&mut suppression, "location", location);
        }
        let properties = json!({ "until": waiver.until, "location": shown, "compensating": waiver.compensating });
        put(&mut suppression, "properties", properties);
    }
    suppression
}

/// A `location` for a position, if its file is one; `primary`: else the
/// project's manifest (code scanning needs a file).
fn location(outcome: &Outcome<'_>, position: &Position, primary: bool) -> Option<Value> {
    let (file, span) = match outcome.paths.file(&position.file) {
        Some(file) => (file, position.span),
        None if primary => (outcome.paths.manifest(), None),
        None => return None,
    };
    let artifact = match file {
        Ok(relative) => json!({ "uri": uri_path(&relative), "uriBaseId": "%SRCROOT%" }),
        Err(absolute) => json!({ "uri": file_uri(&absolute) }),
    };
    // A diagnostic about a whole file points at its first line: viewers
    // (and the SARIF validator) want a region.
    let region = match span {
        Some(((start_line, start_column), (end_line, end_column))) => json!({
            "startLine": start_line,
            "startColumn": start_column,
            "endLine": end_line,
            "endColumn": end_column,
        }),
        None => json!({ "startLine": 1 }),
    };
    let physical = json!({ "artifactLocation": artifact, "region": region });
    Some(json!({ "physicalLocation": physical }))
}

/// The other places a diagnostic points at: its secondary labels and its
/// notes in other files.
fn related(outcome: &Outcome<'_>, d: &Diagnostic) -> Vec<Value> {
    let mut out = Vec::new();
    let mut push = |position: Position, text: &str| {
        if let Some(mut location) = location(outcome, &position, false) {
            put(&mut location, "id", json!(out.len() + 1));
            put(&mut location, "message", json!({ "text": if text.is_empty() { "see here" } else { text } }));
            out.push(location);
        }
    };
    if let Some(file) = d.file() {
        for label in d.labels.iter().filter(|l| !l.primary) {
            let span = (file.line_col(label.span.start), file.line_col(label.span.end));
            push(Position { file: file.name().to_string(), span: Some(span) }, &label.text);
        }
    }
    for note in &d.related {
        if let Some(position) = position(note) {
            push(position, &note.message);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture::Fixture;

    fn result<'a>(log: &'a Value, rule: &str) -> &'a Value {
        let results = log["runs"][0]["results"].as_array().unwrap();
        results.iter().find(|r| r["ruleId"] == rule).unwrap()
    }

    #[test]
    fn results_carry_rules_locations_fingerprints_and_suppressions() {
        let fixture = Fixture::new();
        let log = log(&fixture.outcome(None));
        let run = &log["runs"][0];
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        let kept = result(&log, "DEV-FILE-ACCESS");
        assert_eq!(rules[kept["ruleIndex"].as_u64().unwrap() as usize]["id"], "DEV-FILE-ACCESS");
        assert_eq!(kept["level"], "error");
        let location = &kept["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"], json!({ "uri": "plant.kojo", "uriBaseId": "%SRCROOT%" }));
        assert_eq!(location["region"]["startLine"], 29);
        assert_eq!(kept["partialFingerprints"][FINGERPRINT_KEY], "DEV-FILE-ACCESS/asset:jump");
        assert!(kept.get("baselineState").is_none() && kept.get("suppressions").is_none());
        let waived = result(&log, "REMOTE-ACCESS-CONTROLS");
        let suppression = &waived["suppressions"][0];
        assert_eq!(suppression["status"], "accepted");
        assert_eq!(suppression["justification"], "vendor <jump> & \"legacy\" box:\u{1} no MFA\tyet, 100%");
        assert_eq!(suppression["properties"]["until"], "2099-12-31");
        assert_eq!(suppression["properties"]["location"], "waivers.kojo:4");
        assert_eq!(result(&log, "WAIVER-UNUSED")["level"], "warning");
        let rule = rules.iter().find(|r| r["id"] == "DEV-FILE-ACCESS").unwrap();
        assert!(rule["help"]["markdown"].as_str().unwrap().starts_with("# DEV-FILE-ACCESS"));
        assert_eq!(rule["properties"]["guideline"], json!(["3.2.2(1)②"]));
    }

    #[test]
    fn a_baseline_sets_the_baseline_state() {
        let fixture = Fixture::new();
        let baseline = fixture.baseline();
        let log = log(&fixture.outcome(Some(&baseline)));
        assert_eq!(result(&log, "DEV-FILE-ACCESS")["baselineState"], "unchanged");
        assert_eq!(result(&log, "WAIVER-UNUSED")["baselineState"], "new");
        assert_eq!(log["runs"][0]["properties"]["baseline"], "main");
    }
}
