//! A threat entry point's page: the JNSA handbook's name for it, where a
//! model shows it, the asset kinds that open it and the controls that close
//! or watch it.

use std::fmt::Write;

use kojo_stdlib::{Catalogue, EntryPoint, Lang};

use crate::rules::Words;

pub(super) fn page(catalogue: &Catalogue, e: &EntryPoint, lang: Lang) -> String {
    let w = Words::new(lang);
    let mut out = String::new();
    let title = w.text("explain.entry-point.title", &[("id", &e.id), ("label", &w.name(&e.label))]);
    let _ = writeln!(out, "# {title}\n");
    let _ = writeln!(out, "{}", w.heading("explain.common.what-it-is"));
    let count = catalogue.entry_points().count().to_string();
    let _ = writeln!(out, "{}", w.text("explain.entry-point.what", &[("count", &count)]));
    let _ = writeln!(out, "\n{}", w.heading("explain.entry-point.shown"));
    let _ = writeln!(out, "- {}", w.label(&e.shown_by));
    let kinds: Vec<&str> =
        catalogue.asset_kinds().filter(|k| k.entry_points.contains(&e.id)).map(|k| k.id.as_str()).collect();
    if !kinds.is_empty() {
        let _ = writeln!(out, "- {}", w.text("explain.entry-point.kinds", &[("kinds", &w.codes(&kinds))]));
    }
    w.id_section(&mut out, "explain.entry-point.controls", "explain.entry-point.no-controls", &e.addressed_by, |id| {
        catalogue.control(id).map(|c| &c.label)
    });
    out
}
