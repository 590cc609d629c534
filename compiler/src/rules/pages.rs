//! Pages for `kojo explain RULE-ID`. Built-in rules have hand-written pages
//! in `stdlib/explain/`; a profile's requirements are data, so their pages
//! are written from the data.

use std::fmt::Write;

use kojo_stdlib::{Catalogue, Requirement};

/// The page for a rule or code: the stdlib page if there is one, else the
/// page of a requirement of any built-in profile.
pub fn page(catalogue: &Catalogue, id: &str) -> Option<String> {
    // Controls are written in lower case, rules and codes in upper case; a
    // control and a rule may share a name (`wireless-allowlist`).
    if let Some(control) = catalogue.control(id) {
        return Some(control_page(catalogue, control));
    }
    rule_page(catalogue, id)
}

/// The page of a diagnostic code or a rule, never a control's.
pub fn rule_page(catalogue: &Catalogue, id: &str) -> Option<String> {
    if let Some(page) = kojo_stdlib::explain_page(id) {
        return Some(page.to_string());
    }
    catalogue.profiles().find_map(|p| p.requirement(id).map(|r| requirement_page(catalogue, &p.id, r)))
}

/// A control's page: what the guideline calls it, where it sits in the tier
/// tables, which requirements it meets, and how a model shows it.
pub fn control_page(catalogue: &Catalogue, c: &kojo_stdlib::Control) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Control `{}`: {} / {}\n", c.id, c.label.en, c.label.ja);
    let applies: Vec<&str> = c.applies_to.iter().map(|a| a.as_str()).collect();
    let _ = writeln!(out, "## What it is");
    let _ = writeln!(
        out,
        "A measure of the guideline's {} table, row `{}` [{}]{}, for a {}.{}",
        c.table,
        c.item,
        c.source,
        c.tier.as_deref().map(|t| format!(", first listed at tier {t}")).unwrap_or_default(),
        applies.join(" or "),
        if c.iec62443.is_empty() { String::new() } else { format!(" IEC 62443: {}.", c.iec62443.join(", ")) }
    );
    let _ = writeln!(out, "\n## Requirements it meets");
    let mut any = false;
    for profile in catalogue.profiles() {
        for r in profile.requirements.iter().filter(|r| r.any_of.contains(&c.id)) {
            any = true;
            let others: Vec<&str> = r.any_of.iter().filter(|x| **x != c.id).map(String::as_str).collect();
            let alone =
                if others.is_empty() { String::new() } else { format!("; also met by `{}`", others.join("`, `")) };
            let _ = writeln!(
                out,
                "- `{}` (profile `{}`): a {} at tier {} or higher{alone}",
                r.id,
                profile.id,
                r.applies_to.as_str(),
                r.tier
            );
        }
    }
    if !any {
        let _ = writeln!(out, "No requirement of the built-in profiles asks for it; it may still be claimed.");
    }
    let _ = writeln!(out, "\n## How a model shows it");
    if crate::controls::DERIVED.contains(&c.id.as_str()) {
        let _ = writeln!(
            out,
            "kojo derives it from the model (`docs/language.md`, section 11): claiming it in `controls [...]` \
             where the model shows otherwise is CONTROL-CONTRADICTED."
        );
    } else {
        let _ = writeln!(out, "Claim it where it is in place: `controls [{}]` on the {}.", c.id, applies.join(" or "));
    }
    out
}

fn requirement_page(catalogue: &Catalogue, profile: &str, r: &Requirement) -> String {
    let mut out = String::new();
    let applies = r.applies_to.as_str();
    let _ = writeln!(out, "# {}: {} / {}\n", r.id, r.label.en, r.label.ja);
    let _ = writeln!(out, "## What it checks");
    let kinds = if r.kinds.is_empty() { String::new() } else { format!(" of kind {}", r.kinds.join(", ")) };
    let needs: Vec<String> = r.needs.iter().map(|c| format!("`{c}`")).collect();
    let needs = if needs.is_empty() { String::new() } else { format!(" with {}", needs.join(" and ")) };
    let _ = writeln!(
        out,
        "Every {applies}{kinds}{needs} at tier {} or higher needs one of these controls (profile `{profile}`, \
         {} table, row `{}`, guideline [{}]):\n",
        r.tier, r.table, r.item, r.source
    );
    for id in &r.any_of {
        match catalogue.control(id) {
            Some(c) => {
                let iec = if c.iec62443.is_empty() {
                    String::new()
                } else {
                    format!(" (IEC 62443 {})", c.iec62443.join(", "))
                };
                let _ = writeln!(out, "- `{id}`: {} / {}{iec}", c.label.en, c.label.ja);
            }
            None => {
                let _ = writeln!(out, "- `{id}`");
            }
        }
    }
    needs_section(&mut out, catalogue, r);
    let _ = writeln!(out, "\n## Why it matters");
    let _ = writeln!(
        out,
        "The guideline's tier tables [{}] list this measure for {applies}s whose operations, data or devices need \
         tier {} or higher. A zone's tier comes from the impact of what it holds (`kojo check --explain-tiers`); \
         a conduit takes the higher tier of its two zones; an asset the tier of its zone.",
        r.source, r.tier
    );
    let _ = writeln!(out, "\n## How to fix");
    let _ = writeln!(
        out,
        "Put the measure in place and say so: add `{}` to the {applies}'s `controls`{}. Where it cannot be done \
         yet, waive `{}` on the {applies} with a reason, an expiry and the compensating controls that are in \
         place:\n\n```text\nwaive {} on {applies} NAME {{\n  reason \"why it cannot be done yet\"\n  until 2027-03-31\n  compensating [isolation]\n}}\n```",
        r.any_of.first().map_or("", String::as_str),
        if applies == "asset" { " (or to its zone's, for a measure that covers the whole zone)" } else { "" },
        r.id,
        r.id
    );
    out
}

/// What an asset must have for the requirement to apply (`needs`), and
/// what happens on one that lacks it.
fn needs_section(out: &mut String, catalogue: &Catalogue, r: &Requirement) {
    if r.needs.is_empty() {
        return;
    }
    let _ = writeln!(out, "\nIt applies only to assets with these capabilities (`needs`):\n");
    for id in &r.needs {
        match catalogue.capability(id) {
            Some(c) => {
                let _ = writeln!(out, "- `{id}`: {} / {}", c.label.en, c.label.ja);
            }
            None => {
                let _ = writeln!(out, "- `{id}`");
            }
        }
    }
    let _ = writeln!(
        out,
        "\nOn an asset lacking one (its kind's default capabilities, or its own `capabilities [...]`), it is not \
         applicable: no finding, but an entry with the reason in `kojo check --show-not-applicable`. An asset that \
         has the capability though its kind does not declares it: `capabilities [{}, …]`.",
        r.needs.join(", ")
    );
}
