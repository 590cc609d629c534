//! A profile requirement's page, written from its data: what the guideline
//! asks (quoted), what kojo checks, why it matters, and how to fix it.

use std::fmt::Write;

use kojo_stdlib::{Applies, Catalogue, Lang, Requirement};

use super::{Noun, Words};

pub(super) fn requirement_page(catalogue: &Catalogue, profile: &str, r: &Requirement, lang: Lang) -> String {
    let w = Words::new(lang);
    let mut out = String::new();
    let _ = writeln!(out, "# {}: {}\n", r.id, w.name(&r.label));
    guideline_section(&mut out, &w, catalogue, r);
    let _ = writeln!(out, "\n{}", w.heading("explain.requirement.checks"));
    let _ = writeln!(out, "{}\n", what_it_checks(&w, catalogue, profile, r));
    control_list(&mut out, &w, catalogue, &r.all_of);
    if !r.all_of.is_empty() && !r.any_of.is_empty() {
        let _ = writeln!(out, "\n{}\n", w.plain("explain.requirement.and-one-of"));
    }
    control_list(&mut out, &w, catalogue, &r.any_of);
    needs_section(&mut out, &w, catalogue, r);
    if let Some(note) = &r.kojo {
        // kojo's own words, not the guideline's: no original to quote.
        let _ = writeln!(out, "\n{}", w.heading("explain.requirement.interpretation"));
        let _ = writeln!(out, "{}", w.label(note));
    }
    let _ = writeln!(out, "\n{}", w.heading("explain.requirement.why"));
    let key = if r.measures.is_empty() { "explain.requirement.why-kojo" } else { "explain.requirement.why-listed" };
    let why = w.text(
        key,
        &[
            ("source", &r.source),
            ("entities", &w.entity(r.applies_to, Noun::Plural)),
            ("tier", &w.tier(catalogue, &r.tier)),
            ("tiers", &w.plain("explain.requirement.why-tiers")),
        ],
    );
    let _ = writeln!(out, "{why}");
    let _ = writeln!(out, "\n{}", w.heading("explain.requirement.fix"));
    let _ = writeln!(out, "{}", how_to_fix(&w, catalogue, r));
    out
}

/// "Every asset with `user-accounts` at tier high or higher needs this
/// control (profile `meti-factory`):".
fn what_it_checks(w: &Words, catalogue: &Catalogue, profile: &str, r: &Requirement) -> String {
    let kinds = if r.kinds.is_empty() {
        String::new()
    } else {
        w.text("explain.requirement.of-kind", &[("kinds", &w.list(&r.kinds))])
    };
    let and = w.plain("explain.common.and");
    let capable: Vec<String> = r.needs.iter().map(|c| format!("`{c}`")).collect();
    let capable = if capable.is_empty() {
        String::new()
    } else {
        w.text("explain.requirement.capable", &[("capabilities", &capable.join(&and))])
    };
    let needs = match (r.all_of.is_empty(), r.any_of.len()) {
        (false, 0) => "explain.requirement.needs-all",
        (true, 1) => "explain.requirement.needs-one",
        (true, _) => "explain.requirement.needs-any",
        (false, _) => "explain.requirement.needs-all-and-any",
    };
    let ports = match r.item.as_str() {
        crate::controls::UNUSED_PORTS_ROW => w.plain("explain.requirement.unused-port"),
        crate::controls::USED_PORTS_ROW => w.plain("explain.requirement.used-port"),
        _ => String::new(),
    };
    w.text(
        "explain.requirement.every",
        &[
            ("entity", &w.entity(r.applies_to, Noun::Bare)),
            ("kinds", &kinds),
            ("ports", &ports),
            ("capable", &capable),
            ("tier", &w.tier(catalogue, &r.tier)),
            ("needs", &w.plain(needs)),
            ("profile", profile),
        ],
    )
}

/// "What the guideline asks": the measures' own words, verbatim, with
/// their table, row, tier and ＋ mark; or that the tables have no such
/// measure.
fn guideline_section(out: &mut String, w: &Words, catalogue: &Catalogue, r: &Requirement) {
    let _ = writeln!(out, "{}", w.heading("explain.common.guideline-asks"));
    if r.measures.is_empty() {
        let _ = writeln!(out, "{}", w.text("explain.requirement.no-measure", &[("source", &r.source)]));
        return;
    }
    for id in &r.measures {
        let Some((table, row, m)) = catalogue.measure(id) else { continue };
        let plus = if m.plus { w.plain("explain.requirement.plus") } else { String::new() };
        // kojo's rendering of the guideline's words, on a page not in Japanese.
        let rendering = if w.adds_original() {
            w.text("explain.requirement.rendering", &[("text", &m.text.en)])
        } else {
            String::new()
        };
        let line = w.text(
            "explain.requirement.measure",
            &[
                ("table", &w.name(&table.label)),
                ("source", &table.source),
                ("row", &w.name(&row.label)),
                ("tier", &w.tier(catalogue, &m.tier)),
                ("plus", &plus),
                ("quote", &m.text.ja),
                ("rendering", &rendering),
                ("id", id),
            ],
        );
        let _ = writeln!(out, "- {line}");
    }
}

fn control_list(out: &mut String, w: &Words, catalogue: &Catalogue, ids: &[String]) {
    for id in ids {
        let line = match catalogue.control(id) {
            Some(c) => {
                let iec = if c.iec62443.is_empty() {
                    String::new()
                } else {
                    w.text("explain.requirement.control-iec62443", &[("ids", &w.list(&c.iec62443))])
                };
                format!("{}{iec}", w.item(id, Some(&w.name(&c.label))))
            }
            None => w.item(id, None),
        };
        let _ = writeln!(out, "- {line}");
    }
}

/// What an asset must have for the requirement to apply (`needs`), and
/// what happens on one that lacks it.
fn needs_section(out: &mut String, w: &Words, catalogue: &Catalogue, r: &Requirement) {
    if r.needs.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n{}\n", w.plain("explain.requirement.needs-intro"));
    for id in &r.needs {
        let label = catalogue.capability(id).map(|c| w.name(&c.label));
        let _ = writeln!(out, "- {}", w.item(id, label.as_deref()));
    }
    // The list is kojo syntax, not prose: its separator is kojo's in every language.
    let needs = r.needs.join(", ");
    let _ = writeln!(out, "\n{}", w.text("explain.requirement.not-applicable", &[("needs", &needs)]));
}

/// Put the measure in place, claimed or shown by the model; or waive it.
fn how_to_fix(w: &Words, catalogue: &Catalogue, r: &Requirement) -> String {
    let first: Vec<&str> = r.all_of.iter().chain(r.any_of.first()).map(String::as_str).collect();
    // What the model derives is shown by the model, never claimed.
    let (proven, claimed): (Vec<&str>, Vec<&str>) =
        first.iter().partition(|id| catalogue.control(id).is_some_and(|c| c.proven_by.is_some()));
    let proofs: Vec<String> = proven
        .iter()
        .filter_map(|id| {
            let proof = catalogue.control(id).and_then(|c| c.proven_by.as_ref())?;
            Some(w.text("explain.requirement.proof", &[("control", id), ("proof", w.label(proof))]))
        })
        .collect();
    let entity = w.entity(r.applies_to, Noun::Bare);
    let waive = w.text("explain.requirement.waive", &[("rule", &r.id), ("entity", &entity)]);
    let key = match (claimed.is_empty(), proofs.is_empty()) {
        (true, true) => "explain.requirement.fix-only",
        (false, true) => "explain.requirement.fix-claim",
        (true, false) => "explain.requirement.fix-prove",
        (false, false) => "explain.requirement.fix-claim-prove",
    };
    let asset = r.applies_to == Applies::Asset;
    let zone = if asset { w.plain("explain.requirement.zone-too") } else { String::new() };
    let fix = w.text(
        key,
        &[
            ("controls", &w.codes(&claimed)),
            ("entity", &entity),
            ("zone", &zone),
            ("proofs", &proofs.join(&w.plain("explain.requirement.proof-separator"))),
            ("waive", &waive),
        ],
    );
    let compensating = compensating(r);
    let applies = r.applies_to.as_str();
    let reason = w.plain("explain.requirement.waive-reason");
    format!(
        "{fix}\n\n```text\nwaive {id} on {applies} NAME {{\n  reason \"{reason}\"\n  until 2027-03-31\n  compensating [{compensating}]\n}}\n```",
        id = r.id
    )
}

/// The controls a waiver's example offers as compensating, by what it
/// waives, the usual first: each one the entity can carry, and none of them
/// proven by the model (an example shows a claim).
const COMPENSATING: [(Applies, [&str; 3]); 3] = [
    (Applies::Asset, ["physical-access-control", "application-allowlist", "isolation"]),
    (Applies::Conduit, ["ids", "ndr", "ips"]),
    (Applies::Zone, ["ids", "ndr", "log-analysis"]),
];

/// The compensating control of the waiver's example: the first of
/// [`COMPENSATING`] the requirement does not itself ask for (a waiver of
/// NW-TRAFFIC-IDS is not compensated by `ids`).
fn compensating(r: &Requirement) -> &'static str {
    let candidates = COMPENSATING.iter().find(|(a, _)| *a == r.applies_to).map_or(&[][..], |(_, c)| &c[..]);
    candidates
        .iter()
        .find(|c| !r.controls().any(|x| x == **c))
        .or_else(|| candidates.first())
        .copied()
        .unwrap_or("physical-access-control")
}

#[cfg(test)]
mod tests {
    use kojo_stdlib::Catalogue;

    use super::*;

    /// A waiver's example never compensates with the very control the
    /// requirement asks for, and names one the entity can carry, claimed
    /// rather than derived.
    #[test]
    fn the_example_compensates_with_another_control_the_entity_carries() {
        let c = Catalogue::builtin().unwrap();
        for (applies, candidates) in COMPENSATING {
            for id in candidates {
                let control = c.control(id).unwrap_or_else(|| panic!("no control `{id}`"));
                assert!(control.applies_to(applies) && control.proven_by.is_none(), "{id} on {}", applies.as_str());
            }
        }
        for r in c.profiles().flat_map(|p| &p.requirements) {
            let chosen = compensating(r);
            assert!(!r.controls().any(|x| x == chosen), "{}: compensating [{chosen}]", r.id);
            assert!(c.control(chosen).is_some_and(|x| x.applies_to(r.applies_to)), "{}: {chosen}", r.id);
        }
        let ids = c.profiles().find_map(|p| p.requirement("NW-TRAFFIC-IDS")).unwrap();
        assert_eq!(compensating(ids), "ndr");
        let mfa = c.profiles().find_map(|p| p.requirement("NW-MFA")).unwrap();
        assert_eq!(compensating(mfa), "physical-access-control");
    }
}
