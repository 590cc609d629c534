//! Pages for `kojo explain RULE-ID`. Built-in rules have hand-written pages
//! in `stdlib/explain/`; a profile's requirements are data, so their pages
//! are written from the data.

use std::fmt::Write;

use kojo_stdlib::{Catalogue, Lang, Requirement};

/// The page for a rule or code: the stdlib page if there is one, else the
/// page of a requirement of any built-in profile.
pub fn page(catalogue: &Catalogue, id: &str, lang: Lang) -> Option<String> {
    // Controls are written in lower case, rules and codes in upper case; a
    // control and a rule may share a name (`wireless-allowlist`).
    if let Some(control) = catalogue.control(id) {
        return Some(control_page(catalogue, control, lang));
    }
    rule_page(catalogue, id, lang)
}

/// A page's title: `# ANY-ENDPOINT: `any` in a flow …` → `` `any` in a flow … ``.
/// What reports and CI formats show as what a rule asks.
pub fn page_title(page: &str) -> Option<String> {
    let line = page.lines().next()?.strip_prefix("# ")?;
    let title = line.split_once(": ").map_or(line, |(_, t)| t).trim();
    (!title.is_empty()).then(|| title.to_string())
}

/// The page of a diagnostic code or a rule, never a control's.
pub fn rule_page(catalogue: &Catalogue, id: &str, lang: Lang) -> Option<String> {
    if let Some(page) = kojo_stdlib::explain_page_in(id, lang) {
        return Some(page.to_string());
    }
    catalogue.profiles().find_map(|p| p.requirement(id).map(|r| requirement_page(catalogue, &p.id, r, lang)))
}

/// A control's page: what the guideline calls it, where it sits in the tier
/// tables, which requirements it meets, and how a model shows it.
pub fn control_page(catalogue: &Catalogue, c: &kojo_stdlib::Control, _lang: Lang) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Control `{}`: {} / {}\n", c.id, c.label.en, c.label.ja);
    let applies: Vec<&str> = c.applies_to.iter().map(|a| a.as_str()).collect();
    let _ = writeln!(out, "## What it is");
    // Only the network and device tables are the guideline's tier tables;
    // other measures are filed under groups of kojo's (or a profile's).
    let place = if catalogue.tier_table(&c.table).is_some() {
        format!("A measure of the guideline's {} table, row `{}`", c.table, c.item)
    } else {
        format!("A measure outside the guideline's tier tables (group `{}`, `{}`)", c.table, c.item)
    };
    let _ = writeln!(
        out,
        "{place} [{}]{}, for {}.{}",
        c.source,
        c.tier.as_deref().map(|t| format!(", first listed at tier {t}")).unwrap_or_default(),
        applies.iter().map(|a| with_article(a)).collect::<Vec<_>>().join(" or "),
        if c.iec62443.is_empty() { String::new() } else { format!(" IEC 62443: {}.", c.iec62443.join(", ")) }
    );
    let _ = writeln!(out, "\n## Requirements it meets");
    let mut any = false;
    for profile in catalogue.profiles() {
        for r in profile.requirements.iter().filter(|r| r.controls().any(|x| x == c.id)) {
            any = true;
            let alone = if r.all_of.contains(&c.id) {
                let with: Vec<&str> = r.all_of.iter().filter(|x| **x != c.id).map(String::as_str).collect();
                format!("; together with `{}`", with.join("`, `"))
            } else {
                let others: Vec<&str> = r.any_of.iter().filter(|x| **x != c.id).map(String::as_str).collect();
                if others.is_empty() {
                    String::new()
                } else {
                    format!("; also met by `{}`", others.join("`, `"))
                }
            };
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
    if let Some(proof) = &c.proven_by {
        let _ = writeln!(
            out,
            "kojo derives it from the model (`docs/language.md`, section 11): {}. Claiming it in `controls [...]` \
             where the model shows otherwise is CONTROL-CONTRADICTED.",
            proof.en
        );
    } else {
        let _ = writeln!(out, "Claim it where it is in place: `controls [{}]` on the {}.", c.id, applies.join(" or "));
    }
    out
}

fn requirement_page(catalogue: &Catalogue, profile: &str, r: &Requirement, _lang: Lang) -> String {
    let mut out = String::new();
    let applies = r.applies_to.as_str();
    let _ = writeln!(out, "# {}: {} / {}\n", r.id, r.label.en, r.label.ja);
    guideline_section(&mut out, catalogue, r);
    let _ = writeln!(out, "\n## What it checks");
    let kinds = if r.kinds.is_empty() { String::new() } else { format!(" of kind {}", r.kinds.join(", ")) };
    let capable: Vec<String> = r.needs.iter().map(|c| format!("`{c}`")).collect();
    let capable = if capable.is_empty() { String::new() } else { format!(" with {}", capable.join(" and ")) };
    let needs = match (r.all_of.is_empty(), r.any_of.len()) {
        (false, 0) => "every one of these controls",
        (true, 1) => "this control",
        (true, _) => "one of these controls",
        (false, _) => "every control of the first list and one of the second",
    };
    let ports = match r.item.as_str() {
        crate::controls::UNUSED_PORTS_ROW => " with an unused port (or no declared `ports`)",
        crate::controls::USED_PORTS_ROW => " with a port in use, `used` (or no declared `ports`)",
        _ => "",
    };
    let _ = writeln!(
        out,
        "Every {applies}{kinds}{ports}{capable} at tier {} or higher needs {needs} (profile `{profile}`):\n",
        r.tier
    );
    control_list(&mut out, catalogue, &r.all_of);
    if !r.all_of.is_empty() && !r.any_of.is_empty() {
        let _ = writeln!(out, "\nand one of:\n");
    }
    control_list(&mut out, catalogue, &r.any_of);
    needs_section(&mut out, catalogue, r);
    if let Some(note) = &r.kojo {
        let _ = writeln!(out, "\n## kojo's interpretation (not in the guideline)");
        let _ = writeln!(out, "{}\n\n{}", note.en, note.ja);
    }
    let _ = writeln!(out, "\n## Why it matters");
    let tables = if r.measures.is_empty() {
        format!("kojo asks for this measure ([{}], see above)", r.source)
    } else {
        format!("The guideline's tier tables [{}] list this measure", r.source)
    };
    let _ = writeln!(
        out,
        "{tables} for {applies}s whose operations, data or devices need tier {} or higher. A zone's tier comes \
         from the impact of what it holds (`kojo check --explain-tiers`); a conduit takes the higher tier of its \
         two zones and an asset the tier of its zone (kojo's reading: the tables rate zones).",
        r.tier
    );
    let _ = writeln!(out, "\n## How to fix");
    let first: Vec<&str> = r.all_of.iter().chain(r.any_of.first()).map(String::as_str).collect();
    // What the model derives is shown by the model, never claimed.
    let (proven, claimed): (Vec<&str>, Vec<&str>) =
        first.iter().partition(|id| catalogue.control(id).is_some_and(|c| c.proven_by.is_some()));
    let proofs: Vec<String> = proven
        .iter()
        .filter_map(|id| {
            catalogue.control(id).and_then(|c| c.proven_by.as_ref()).map(|p| format!("`{id}` by {}", p.en))
        })
        .collect();
    // A compensating control the entity can carry.
    let compensating = if applies == "asset" { "physical-access-control" } else { "ids" };
    let mut claim = String::from("Put the measure in place");
    if !claimed.is_empty() {
        claim.push_str(&format!(
            " and say so: add `{}` to the {applies}'s `controls`{}",
            claimed.join("`, `"),
            if applies == "asset" { " (or to its zone's, for a measure that covers the whole zone)" } else { "" }
        ));
    }
    if !proofs.is_empty() {
        claim.push_str(&format!(
            "{} make the model show it ({}): kojo derives it, and a claim the model contradicts is an error",
            if claimed.is_empty() { " and" } else { "; and" },
            proofs.join("; ")
        ));
    }
    claim.push('.');
    let _ = writeln!(
        out,
        "{claim} Where it cannot be done yet, waive `{}` on the {applies} with a reason, an expiry and the \
         compensating controls that are in place:\n\n```text\nwaive {} on {applies} NAME {{\n  reason \"why it cannot be done yet\"\n  until 2027-03-31\n  compensating [{compensating}]\n}}\n```",
        r.id,
        r.id
    );
    out
}

/// "What the guideline asks": the measures' own words, verbatim, with
/// their table, row, tier and ＋ mark; or that the tables have no such
/// measure.
fn guideline_section(out: &mut String, catalogue: &Catalogue, r: &Requirement) {
    let _ = writeln!(out, "## What the guideline asks");
    if r.measures.is_empty() {
        let _ = writeln!(
            out,
            "The guideline's tier tables [3.2.2(1)] have no such measure: this requirement is kojo's own, \
             built on [{}] (see kojo's interpretation below).",
            r.source
        );
        return;
    }
    for id in &r.measures {
        let Some((table, row, m)) = catalogue.measure(id) else { continue };
        let plus = if m.plus { "＋ (in addition to the tier on its left) " } else { "" };
        let _ = writeln!(
            out,
            "- {} / {} [{}], row {} / {}, tier {}: {plus}「{}」 ({}) — measure `{id}`",
            table.label.en, table.label.ja, table.source, row.label.en, row.label.ja, m.tier, m.text.ja, m.text.en
        );
    }
}

fn control_list(out: &mut String, catalogue: &Catalogue, ids: &[String]) {
    for id in ids {
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

/// `an asset`, `a zone`, `a conduit`.
fn with_article(word: &str) -> String {
    match word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        true => format!("an {word}"),
        false => format!("a {word}"),
    }
}
