//! An Appendix E checklist item's page: the guideline's text in both
//! languages, what it cites, and how `kojo evidence` supports it (from the
//! model, or by an attestation).

use std::fmt::Write;

use kojo_stdlib::{Catalogue, ChecklistItem, Lang, Scope};

use crate::rules::Words;

pub(super) fn page(catalogue: &Catalogue, i: &ChecklistItem, lang: Lang) -> String {
    let w = Words::new(lang);
    let mut out = String::new();
    let category = catalogue.checklist_category(&i.category).map_or(i.category.clone(), |c| w.name(&c.label));
    let _ = writeln!(out, "# {}\n", w.text("explain.checklist.title", &[("id", &i.id), ("category", &category)]));
    let _ = writeln!(out, "{}", w.heading("explain.common.guideline-asks"));
    let _ = writeln!(out, "{}", w.with_original(&i.text).join("\n\n"));
    if let Some(note) = &i.note {
        let mut notes = vec![w.text("explain.checklist.note", &[("note", w.label(note))])];
        if w.adds_original() {
            notes.push(w.text("explain.checklist.note-original", &[("note", &note.ja)]));
        }
        let _ = writeln!(out, "\n{}", notes.join("\n\n"));
    }
    let _ = writeln!(out, "\n{}", w.text("explain.checklist.refs", &[("refs", &w.list(&i.refs))]));
    let _ = writeln!(out, "\n{}", w.heading("explain.checklist.evidences"));
    if let Some(derivation) = &i.derivation {
        let _ = writeln!(out, "{}", w.text("explain.checklist.derived", &[("derivation", derivation)]));
    }
    if !i.rules.is_empty() {
        let _ = writeln!(out, "{}", w.text("explain.checklist.rules", &[("rules", &w.codes(&i.rules))]));
    }
    let scope = match (i.model_derived(), i.scope) {
        (true, Some(Scope::Full)) => "explain.checklist.model-full",
        (true, _) => "explain.checklist.model-part",
        (false, _) => "explain.checklist.model-none",
    };
    let _ = writeln!(out, "{}", w.plain(scope));
    let mut hint = vec![w.text("explain.checklist.hint", &[("hint", w.label(&i.hint))])];
    if w.adds_original() {
        hint.push(i.hint.ja.clone());
    }
    let _ = writeln!(out, "\n{}", hint.join("\n\n"));
    out
}
