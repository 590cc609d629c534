//! An Appendix E checklist item's page: the guideline's text in both
//! languages, what it cites, and how `kojo evidence` supports it (from the
//! model, or by an attestation).

use std::fmt::Write;

use kojo_stdlib::{Catalogue, ChecklistItem, Lang, Scope};

pub(super) fn page(catalogue: &Catalogue, i: &ChecklistItem, _lang: Lang) -> String {
    let mut out = String::new();
    let category = catalogue.checklist_category(&i.category);
    let _ = writeln!(
        out,
        "# Checklist item {}: {}\n",
        i.id,
        category.map_or(i.category.clone(), |c| format!("{} / {}", c.label.en, c.label.ja))
    );
    let _ = writeln!(out, "## What the guideline asks");
    let _ = writeln!(out, "{}\n\n{}", i.text.en, i.text.ja);
    if let Some(note) = &i.note {
        let _ = writeln!(out, "\nNote: {}\n\n注: {}", note.en, note.ja);
    }
    let _ = writeln!(out, "\nGuideline Appendix E; it cites {}.", i.refs.join(", "));
    let _ = writeln!(out, "\n## How kojo evidences it");
    if let Some(derivation) = &i.derivation {
        let _ = writeln!(out, "`kojo evidence` derives its level from the plant model (derivation `{derivation}`).");
    }
    if !i.rules.is_empty() {
        let rules: Vec<String> = i.rules.iter().map(|r| format!("`{r}`")).collect();
        let _ = writeln!(out, "Findings of {} lower the level the model shows.", rules.join(", "));
    }
    match (i.model_derived(), i.scope) {
        (true, Some(Scope::Full)) => {
            let _ = writeln!(out, "The model can show the whole item done.");
        }
        (true, _) => {
            let _ = writeln!(
                out,
                "The model shows only part of it: without an attestation for the rest, it is at most partly done."
            );
        }
        (false, _) => {
            let _ = writeln!(out, "The model cannot show it: an attestation with evidence does.");
        }
    }
    let _ = writeln!(out, "\nEvidence that supports it: {}\n\n{}", i.hint.en, i.hint.ja);
    out
}
