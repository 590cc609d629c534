//! A threat entry point's page: the JNSA handbook's name for it, where a
//! model shows it, the asset kinds that open it and the controls that close
//! or watch it.

use std::fmt::Write;

use kojo_stdlib::{Catalogue, EntryPoint, Lang};

pub(super) fn page(catalogue: &Catalogue, e: &EntryPoint, _lang: Lang) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Threat entry point {}: {} / {}\n", e.id, e.label.en, e.label.ja);
    let _ = writeln!(out, "## What it is");
    let _ = writeln!(
        out,
        "One of the {} ways a threat enters a factory (脅威の入口) of the JNSA factory-security handbook; \
         `kojo check --threats` lists it for each zone where the model shows it (step 1-7).",
        catalogue.entry_points().count()
    );
    let _ = writeln!(out, "\n## Where a model shows it");
    let _ = writeln!(out, "- {}", e.shown_by);
    let kinds: Vec<String> =
        catalogue.asset_kinds().filter(|k| k.entry_points.contains(&e.id)).map(|k| format!("`{}`", k.id)).collect();
    if !kinds.is_empty() {
        let _ = writeln!(out, "- asset kinds that open it: {}", kinds.join(", "));
    }
    let _ = writeln!(out, "\n## Controls that address it");
    if e.addressed_by.is_empty() {
        let _ = writeln!(out, "None in the catalogue: address it by procedure, and attest it.");
    }
    for id in &e.addressed_by {
        let label = catalogue.control(id).map(|c| format!(": {} / {}", c.label.en, c.label.ja)).unwrap_or_default();
        let _ = writeln!(out, "- `{id}`{label}");
    }
    out
}
