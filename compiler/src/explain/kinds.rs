//! An asset kind's page: what it implies for the model (enforcing,
//! wireless), the threat entry points it opens, the business software it
//! runs, its default capabilities and what they leave not applicable, and
//! the requirements that name it.

use std::fmt::Write;

use kojo_stdlib::{AssetKind, Catalogue, Lang};

pub(super) fn page(catalogue: &Catalogue, k: &AssetKind, _lang: Lang) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Asset kind `{}`: {} / {}\n", k.id, k.label.en, k.label.ja);
    let _ = writeln!(out, "## What it implies");
    if k.enforcing {
        let _ = writeln!(
            out,
            "- It can enforce a conduit (`enforced-by`): it has an interface in each zone it joins and filters between them."
        );
    } else {
        let enforcing: Vec<String> =
            catalogue.asset_kinds().filter(|k| k.enforcing).map(|k| format!("`{}`", k.id)).collect();
        let _ = writeln!(
            out,
            "- It cannot enforce a conduit: `enforced-by` names an asset of kind {}.",
            enforcing.join(", ")
        );
    }
    if k.wireless {
        let _ = writeln!(out, "- It opens a wireless medium into its zone (the wireless rules apply to the zone).");
    }
    if k.software.is_empty() {
        let _ = writeln!(
            out,
            "- Its programs are its firmware: the guideline's questions for business software apply only if the asset says `software [...]`."
        );
    } else {
        let software: Vec<String> = k
            .software
            .iter()
            .map(|id| match catalogue.program_check_kind(id) {
                Some(p) => format!("`{id}` ({})", p.label.en),
                None => format!("`{id}`"),
            })
            .collect();
        let _ = writeln!(
            out,
            "- It runs business software of kind {}, so the guideline's questions for it apply unless the asset says otherwise (`software [...]`).",
            software.join(", ")
        );
    }
    let _ = writeln!(out, "\n## Threat entry points it opens");
    if k.entry_points.is_empty() {
        let _ = writeln!(out, "None of its own; its zone's conduits and neighbours still count.");
    }
    for id in &k.entry_points {
        let label = catalogue.entry_point(id).map(|e| format!(": {} / {}", e.label.en, e.label.ja)).unwrap_or_default();
        let _ = writeln!(out, "- `{id}`{label}");
    }
    capabilities(&mut out, catalogue, k);
    let _ = writeln!(out, "\n## Requirements for this kind");
    let mut any = false;
    for profile in catalogue.profiles() {
        for r in profile.requirements.iter().filter(|r| r.kinds.contains(&k.id)) {
            any = true;
            let _ =
                writeln!(out, "- `{}` (profile `{}`): {}, at tier {} or higher", r.id, profile.id, r.label.en, r.tier);
        }
    }
    if !any {
        let _ = writeln!(out, "None of its own: the requirements for every asset of its zone's tier apply.");
    }
    let _ = writeln!(out, "\n## How a model uses it");
    let _ = writeln!(out, "`asset NAME \"Label\" in ZONE {{ kind {} }}`", k.id);
    out
}

/// The kind's default capabilities, and the requirements that need one it
/// lacks: not applicable to its assets unless they declare it.
fn capabilities(out: &mut String, catalogue: &Catalogue, k: &AssetKind) {
    let _ = writeln!(out, "\n## Capabilities (kojo's default for the kind)");
    if k.capabilities.is_empty() {
        let _ = writeln!(out, "None.");
    }
    for id in &k.capabilities {
        let label = catalogue.capability(id).map(|c| format!(": {} / {}", c.label.en, c.label.ja)).unwrap_or_default();
        let _ = writeln!(out, "- `{id}`{label}");
    }
    let mut lacking = Vec::new();
    for profile in catalogue.profiles() {
        for r in &profile.requirements {
            let missing: Vec<String> =
                r.needs.iter().filter(|c| !k.capabilities.contains(c)).map(|c| format!("`{c}`")).collect();
            if !missing.is_empty() {
                lacking.push(format!(
                    "- `{}` (profile `{}`): {}, needs {}",
                    r.id,
                    profile.id,
                    r.label.en,
                    missing.join(", ")
                ));
            }
        }
    }
    if !lacking.is_empty() {
        let _ = writeln!(
            out,
            "\nNot applicable to an asset of this kind, which lacks what they need (`kojo check --show-not-applicable` \
             lists them with the reason); an asset that has the capability declares its own list, `capabilities [...]`:\n"
        );
        for line in lacking {
            let _ = writeln!(out, "{line}");
        }
    }
}
