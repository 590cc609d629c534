//! A control's page: what the guideline calls it, where it sits in the tier
//! tables, which requirements it meets, and how a model shows it.

use std::fmt::Write;

use kojo_stdlib::{Catalogue, Control, Lang};

use super::{Noun, Words};

pub fn control_page(catalogue: &Catalogue, c: &Control, lang: Lang) -> String {
    let w = Words::new(lang);
    let mut out = String::new();
    let title = w.text("explain.control.title", &[("id", &c.id), ("label", &w.name(&c.label))]);
    let _ = writeln!(out, "# {title}\n");
    let _ = writeln!(out, "{}", w.heading("explain.common.what-it-is"));
    let _ = writeln!(out, "{}", what_it_is(&w, catalogue, c));
    let _ = writeln!(out, "\n{}", w.heading("explain.control.meets"));
    meets(&mut out, &w, catalogue, c);
    let _ = writeln!(out, "\n{}", w.heading("explain.control.shows"));
    match &c.proven_by {
        Some(proof) => {
            let _ = writeln!(out, "{}", w.text("explain.control.proven", &[("proof", w.label(proof))]));
        }
        None => {
            let entities = w.entities_or(&c.applies_to, Noun::Bare);
            let _ = writeln!(out, "{}", w.text("explain.control.claim", &[("id", &c.id), ("entities", &entities)]));
        }
    }
    out
}

/// Where the control sits: only the network and device tables are the
/// guideline's tier tables; other measures are filed under groups of
/// kojo's (or a profile's).
fn what_it_is(w: &Words, catalogue: &Catalogue, c: &Control) -> String {
    let first = c
        .tier
        .as_deref()
        .map_or(String::new(), |t| w.text("explain.control.first-tier", &[("tier", &w.tier(catalogue, t))]));
    let iec = if c.iec62443.is_empty() {
        String::new()
    } else {
        w.text("explain.control.iec62443", &[("ids", &w.list(&c.iec62443))])
    };
    let applies = w.entities_or(&c.applies_to, Noun::Indefinite);
    let (key, table, row) = match catalogue.tier_table(&c.table) {
        Some(t) => (
            "explain.control.in-table",
            w.term(&t.id, Some(&t.label)),
            w.term(&c.item, t.row(&c.item).map(|r| &r.label)),
        ),
        None => ("explain.control.outside-tables", c.table.clone(), c.item.clone()),
    };
    w.text(
        key,
        &[
            ("table", &table),
            ("row", &row),
            ("source", &c.source),
            ("first", &first),
            ("applies", &applies),
            ("iec", &iec),
        ],
    )
}

/// The requirements of the built-in profiles the control meets, alone or
/// with others.
fn meets(out: &mut String, w: &Words, catalogue: &Catalogue, c: &Control) {
    let mut any = false;
    for profile in catalogue.profiles() {
        for r in profile.requirements.iter().filter(|r| r.controls().any(|x| x == c.id)) {
            any = true;
            let alone = if r.all_of.contains(&c.id) {
                let with: Vec<&String> = r.all_of.iter().filter(|x| **x != c.id).collect();
                w.text("explain.control.together", &[("controls", &w.codes(&with))])
            } else {
                let others: Vec<&String> = r.any_of.iter().filter(|x| **x != c.id).collect();
                if others.is_empty() {
                    String::new()
                } else {
                    w.text("explain.control.also-met", &[("controls", &w.codes(&others))])
                }
            };
            let line = w.text(
                "explain.control.meets-one",
                &[
                    ("rule", &r.id),
                    ("profile", &profile.id),
                    ("entity", &w.entity(r.applies_to, Noun::Indefinite)),
                    ("tier", &w.tier(catalogue, &r.tier)),
                    ("alone", &alone),
                ],
            );
            let _ = writeln!(out, "- {line}");
        }
    }
    if !any {
        let _ = writeln!(out, "{}", w.plain("explain.control.meets-none"));
    }
}
