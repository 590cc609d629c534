//! The checklist evidence as JSON for machines (documented in docs/cli.md):
//! the same view the templates see, with a kind and a version.

use serde_json::json;

use super::{EvidenceView, Request};

pub fn render(_request: &Request<'_>, view: &EvidenceView) -> String {
    let mut value = json!({ "kind": "kojo-evidence", "version": 1 });
    if let (Some(out), Ok(serde_json::Value::Object(fields))) = (value.as_object_mut(), serde_json::to_value(view)) {
        out.extend(fields);
    }
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}
