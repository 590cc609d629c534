//! `textDocument/publishDiagnostics`: every diagnostic of the last check,
//! for every file of the project (open or not), placed as `kojo check`
//! places it; a diagnostic about no file in particular goes on `kojo.kdl`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use kojo_lang::{Diagnostic, Severity};
use lsp_types::{
    DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString, PublishDiagnosticsParams, Range,
};

use super::convert;
use super::world::World;

/// The notifications to send: one per open document and per file with
/// diagnostics, and an empty one per file that had some last time and has
/// none now.
pub fn publish(world: &mut World) -> Vec<PublishDiagnosticsParams> {
    let Some(checked) = &world.checked else { return Vec::new() };
    // Open documents always get a list, empty when clean, so that the
    // editor knows the check ran.
    let mut by_file: BTreeMap<PathBuf, Vec<lsp_types::Diagnostic>> =
        world.buffers.keys().map(|p| (p.clone(), Vec::new())).collect();
    for d in &checked.diagnostics {
        let (path, converted) = convert_one(world, d);
        by_file.entry(path).or_default().push(converted);
    }
    let mut out = Vec::new();
    for stale in world.published.iter().filter(|p| !by_file.contains_key(*p)) {
        if let Some(uri) = convert::uri(stale) {
            out.push(PublishDiagnosticsParams { uri, diagnostics: Vec::new(), version: None });
        }
    }
    world.published = by_file.keys().cloned().collect();
    for (path, diagnostics) in by_file {
        if let Some(uri) = convert::uri(&path) {
            out.push(PublishDiagnosticsParams { uri, diagnostics, version: None });
        }
    }
    out
}

fn convert_one(world: &World, d: &Diagnostic) -> (PathBuf, lsp_types::Diagnostic) {
    let manifest = world.root.join(kojo_compiler::source::MANIFEST);
    let (path, range) = match (d.file(), d.primary_span()) {
        (Some(file), Some(span)) => (world.path_of(file.name()), convert::range_in(file, span)),
        _ => (manifest, Range::default()),
    };
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str(&format!("\nhelp: {help}"));
    }
    let related = d
        .related
        .iter()
        .filter_map(|r| {
            let (file, span) = (r.file()?, r.primary_span()?);
            let uri = convert::uri(&world.path_of(file.name()))?;
            let text = r.labels.iter().find(|l| l.primary).map_or(r.message.as_str(), |l| l.text.as_str());
            Some(DiagnosticRelatedInformation {
                location: Location { uri, range: convert::range_in(file, span) },
                message: text.to_string(),
            })
        })
        .collect::<Vec<_>>();
    let severity = match d.severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    };
    let converted = lsp_types::Diagnostic {
        range,
        severity: Some(severity),
        code: Some(NumberOrString::String(d.id().to_string())),
        source: Some("kojo".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        data: d.fingerprint.as_ref().map(|f| serde_json::json!({ "fingerprint": f })),
        ..lsp_types::Diagnostic::default()
    };
    (path, converted)
}
