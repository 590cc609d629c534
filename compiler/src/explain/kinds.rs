//! An asset kind's page: what it implies for the model (enforcing,
//! wireless), the threat entry points it opens, the business software it
//! runs, its default capabilities and what they leave not applicable, and
//! the requirements that name it.

use std::fmt::Write;

use kojo_stdlib::{AssetKind, Catalogue, Lang};

use crate::rules::Words;

pub(super) fn page(catalogue: &Catalogue, k: &AssetKind, lang: Lang) -> String {
    let w = Words::new(lang);
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", w.text("explain.kind.title", &[("id", &k.id), ("label", &w.name(&k.label))]));
    implies(&mut out, &w, catalogue, k);
    w.id_section(&mut out, "explain.kind.entry-points", "explain.kind.no-entry-points", &k.entry_points, |id| {
        catalogue.entry_point(id).map(|e| &e.label)
    });
    capabilities(&mut out, &w, catalogue, k);
    let _ = writeln!(out, "\n{}", w.heading("explain.kind.requirements"));
    let mut any = false;
    for profile in catalogue.profiles() {
        for r in profile.requirements.iter().filter(|r| r.kinds.contains(&k.id)) {
            any = true;
            let line = w.text(
                "explain.kind.requirement",
                &[
                    ("rule", &r.id),
                    ("profile", &profile.id),
                    ("label", w.label(&r.label)),
                    ("tier", &w.tier(catalogue, &r.tier)),
                ],
            );
            let _ = writeln!(out, "- {line}");
        }
    }
    if !any {
        let _ = writeln!(out, "{}", w.plain("explain.kind.no-requirements"));
    }
    let _ = writeln!(out, "\n{}", w.heading("explain.common.how-model-uses"));
    let _ = writeln!(out, "`asset NAME \"Label\" in ZONE {{ kind {} }}`", k.id);
    out
}

/// What the kind means for a model: whether it can enforce a conduit,
/// opens a wireless medium, and runs business software.
fn implies(out: &mut String, w: &Words, catalogue: &Catalogue, k: &AssetKind) {
    let _ = writeln!(out, "{}", w.heading("explain.kind.implies"));
    if k.enforcing {
        let _ = writeln!(out, "- {}", w.plain("explain.kind.enforcing"));
    } else {
        let enforcing: Vec<&str> = catalogue.asset_kinds().filter(|k| k.enforcing).map(|k| k.id.as_str()).collect();
        let _ = writeln!(out, "- {}", w.text("explain.kind.not-enforcing", &[("kinds", &w.codes(&enforcing))]));
    }
    if k.wireless {
        let _ = writeln!(out, "- {}", w.plain("explain.kind.wireless"));
    }
    if k.software.is_empty() {
        let _ = writeln!(out, "- {}", w.plain("explain.kind.firmware"));
    } else {
        let software: Vec<String> = k
            .software
            .iter()
            .map(|id| match catalogue.program_check_kind(id) {
                Some(p) => w.text("explain.kind.software-kind", &[("id", id), ("label", w.label(&p.label))]),
                None => format!("`{id}`"),
            })
            .collect();
        let _ = writeln!(out, "- {}", w.text("explain.kind.software", &[("software", &w.list(&software))]));
    }
}

/// The kind's default capabilities, and the requirements that need one it
/// lacks: not applicable to its assets unless they declare it.
fn capabilities(out: &mut String, w: &Words, catalogue: &Catalogue, k: &AssetKind) {
    w.id_section(out, "explain.kind.capabilities", "explain.kind.no-capabilities", &k.capabilities, |id| {
        catalogue.capability(id).map(|c| &c.label)
    });
    let mut lacking = Vec::new();
    for profile in catalogue.profiles() {
        for r in &profile.requirements {
            let missing: Vec<&String> = r.needs.iter().filter(|c| !k.capabilities.contains(c)).collect();
            if !missing.is_empty() {
                lacking.push(w.text(
                    "explain.kind.lacking-one",
                    &[
                        ("rule", &r.id),
                        ("profile", &profile.id),
                        ("label", w.label(&r.label)),
                        ("capabilities", &w.codes(&missing)),
                    ],
                ));
            }
        }
    }
    if !lacking.is_empty() {
        let _ = writeln!(out, "\n{}\n", w.plain("explain.kind.lacking"));
        for line in lacking {
            let _ = writeln!(out, "- {line}");
        }
    }
}
