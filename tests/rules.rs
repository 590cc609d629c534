//! The rule engine, end to end: for every rule, inputs that must and must
//! not produce it (`tests/rules/RULE-ID-fail*.kojo`, `RULE-ID-pass*.kojo`),
//! snapshotted; a generated failing and passing plant for every requirement
//! of the built-in profile; a page for every rule; and properties of tiers
//! and controls.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use kojo_compiler::types::Date;
use kojo_compiler::{Checked, MemorySource, Options};
use kojo_lang::{Code, Diagnostic};
use kojo_stdlib::{Applies, Catalogue};

/// Waiver expiry in these tests is judged on a fixed day.
const TODAY: Date = Date { year: 2026, month: 6, day: 1 };

fn check(name: &str, text: &str) -> Checked {
    let source = MemorySource::new("rules").with_file(name, text);
    kojo_compiler::check_with(&source, &Options { backends: &[], today: Some(TODAY), ..Default::default() })
}

fn with_rule<'a>(checked: &'a Checked, rule: &str) -> Vec<&'a Diagnostic> {
    checked.diagnostics.iter().filter(|d| d.id() == rule).collect()
}

#[test]
fn rule_corpus() {
    let mut entries: Vec<_> = std::fs::read_dir("tests/rules").unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    let mut failures = Vec::new();
    for path in &entries {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let (rule, expect_fail) = match (name.find("-fail"), name.find("-pass")) {
            (Some(i), _) => (&name[..i], true),
            (None, Some(i)) => (&name[..i], false),
            _ => panic!("{name}: name rule files RULE-ID-fail*.kojo or RULE-ID-pass*.kojo"),
        };
        let text = std::fs::read_to_string(path).unwrap();
        let checked = check(&name, &text);
        let language: Vec<_> = checked.diagnostics.iter().filter(|d| d.code != Code::Finding).collect();
        assert!(language.is_empty(), "{name} does not compile: {language:?}");
        let found = with_rule(&checked, rule);
        if expect_fail == found.is_empty() {
            let all: Vec<_> = checked.diagnostics.iter().map(|d| d.id()).collect();
            failures.push(format!("{name}: expected {rule} {}; got {all:?}", if expect_fail { "" } else { "not" }));
        }
        let rendered: Vec<Diagnostic> = found.into_iter().cloned().collect();
        let stem = name.replace('.', "_");
        insta::with_settings!({ snapshot_path => "snapshots/rules", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(stem, format!("{text}\n----- {rule} -----\n{}", kojo::report::render_all(&rendered, false)));
        });
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_built_in_rule_has_a_corpus_pair() {
    let names: Vec<String> = std::fs::read_dir("tests/rules")
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let catalogue = Catalogue::builtin().unwrap();
    let requirements: Vec<&str> =
        catalogue.profiles().flat_map(|p| p.requirements.iter().map(|r| r.id.as_str())).collect();
    for id in kojo_compiler::rules::all_ids(catalogue) {
        if requirements.contains(&id.as_str()) {
            continue; // generated below
        }
        assert!(names.iter().any(|n| n.starts_with(&format!("{id}-fail"))), "{id} has no failing input in tests/rules");
    }
}

#[test]
fn every_rule_has_a_page() {
    let catalogue = Catalogue::builtin().unwrap();
    for id in kojo_compiler::rules::all_ids(catalogue) {
        let page = kojo_compiler::rules::page(catalogue, &id, kojo_stdlib::Lang::En).unwrap_or_default();
        assert!(page.starts_with(&format!("# {id}")), "{id} has no page");
        for section in ["## What it", "## Why it matters", "## How to fix"] {
            assert!(page.contains(section), "{id}'s page has no `{section}` section");
        }
    }
}

/// A requirement's page quotes the seed's words for its measures as the
/// guideline's, and shows what kojo adds apart, under its own heading.
#[test]
fn requirement_pages_keep_the_guideline_and_kojo_apart() {
    let catalogue = Catalogue::builtin().unwrap();
    for r in &catalogue.profile("meti-factory").unwrap().requirements {
        let page = kojo_compiler::rules::page(catalogue, &r.id, kojo_stdlib::Lang::En).unwrap();
        let (guideline, rest) = page.split_once("## What it checks").unwrap();
        for id in &r.measures {
            let (_, _, m) = catalogue.measure(id).unwrap();
            assert!(guideline.contains(&format!("「{}」", m.text.ja)), "{}: {id} not quoted:\n{page}", r.id);
        }
        let heading = "## kojo's interpretation (not in the guideline)";
        assert_eq!(rest.contains(heading), r.kojo.is_some(), "{}:\n{page}", r.id);
        if let Some(note) = &r.kojo {
            // kojo's own words, in the page's language only
            assert!(rest.contains(&note.en) && !rest.contains(&note.ja), "{}", r.id);
            assert!(!guideline.contains(&note.en), "{}", r.id);
        }
        if r.measures.is_empty() {
            assert!(!page.contains("The guideline's tier tables [Appendix"), "{}", r.id);
            assert!(guideline.contains("kojo's own"), "{}:\n{page}", r.id);
        }
    }
}

#[test]
fn every_control_has_a_page_naming_what_it_meets() {
    let catalogue = Catalogue::builtin().unwrap();
    for control in catalogue.controls() {
        let page = kojo_compiler::rules::page(catalogue, &control.id, kojo_stdlib::Lang::En).unwrap_or_default();
        assert!(page.starts_with(&format!("# Control `{}`: {}", control.id, control.label.en)), "{}", control.id);
        assert!(page.contains(&control.label.ja), "{} has no Japanese label", control.id);
        for section in ["## What it is", "## Requirements it meets", "## How a model shows it"] {
            assert!(page.contains(section), "{}'s page has no `{section}` section", control.id);
        }
    }
    let ips = kojo_compiler::rules::page(catalogue, "ips", kojo_stdlib::Lang::En).unwrap();
    assert!(ips.contains("- `NW-TRAFFIC-IPS` (profile `meti-factory`): a conduit at tier high or higher\n"), "{ips}");
    assert!(ips.contains("Claim it where it is in place: `controls [ips]`"), "{ips}");
    let firewall = kojo_compiler::rules::page(catalogue, "firewall", kojo_stdlib::Lang::En).unwrap();
    assert!(firewall.contains("kojo derives it from the model"), "{firewall}");
}

/// A plant of two zones at `tier`, a firewall between them, a conduit and
/// an asset in each zone (`x` of `kind`); `controls` go on every entity of
/// the `target` kind.
fn plant(tier: &str, kind: &str, target: Applies, controls: &[&str]) -> String {
    let list =
        |on: Applies| if on == target { format!("  controls [{}]\n", controls.join(", ")) } else { String::new() };
    format!(
        "plant \"T\" {{ profile meti-factory }}\n\
         zone a \"A\" {{\n  subnet 10.1.0.0/24\n  tier {tier}\n{}}}\n\
         zone b \"B\" {{\n  subnet 10.2.0.0/24\n  tier {tier}\n{}}}\n\
         asset fw \"FW\" {{\n  kind firewall\n  interfaces {{ a 10.1.0.1; b 10.2.0.1 }}\n{}}}\n\
         asset x \"X\" in a {{\n  kind {kind}\n  ip 10.1.0.5\n{}}}\n\
         asset y \"Y\" in b {{\n  kind server\n  ip 10.2.0.5\n{}}}\n\
         conduit c \"C\" from a to b {{\n  allow x -> y service https\n  enforced-by fw\n{}}}\n",
        list(Applies::Zone),
        list(Applies::Zone),
        list(Applies::Asset),
        list(Applies::Asset),
        list(Applies::Asset),
        list(Applies::Conduit),
    )
}

#[test]
fn every_requirement_fails_without_its_control_and_passes_with_it() {
    let catalogue = Catalogue::builtin().unwrap();
    let profile = catalogue.profile("meti-factory").unwrap();
    let reported = |requirement: &kojo_stdlib::Requirement, kind: &str, controls: &[&str]| {
        let text = plant(&requirement.tier, kind, requirement.applies_to, controls);
        !with_rule(&check("plant.kojo", &text), &requirement.id).is_empty()
    };
    for requirement in &profile.requirements {
        let kind = requirement.kinds.first().map_or("server", String::as_str);
        // A control proven by the model cannot be left out by omitting it
        // from `controls`; those requirements are covered by the corpus.
        let proven = ["firewall", "protocol-allowlist"];
        if !requirement.controls().any(|c| proven.contains(&c)) {
            assert!(
                reported(requirement, kind, &[]),
                "{} is not reported without {}",
                requirement.id,
                requirement.needs()
            );
        }
        // every control of `all_of` with each one of `any_of` meets it …
        let all: Vec<&str> = requirement.all_of.iter().map(String::as_str).collect();
        let choices: Vec<Option<&str>> = if requirement.any_of.is_empty() {
            vec![None]
        } else {
            requirement.any_of.iter().map(|c| Some(c.as_str())).collect()
        };
        for choice in choices {
            let with: Vec<&str> = all.iter().copied().chain(choice).collect();
            assert!(
                !reported(requirement, kind, &with),
                "{} is reported although {with:?} are in place",
                requirement.id
            );
            // … and leaving out any one of `all_of` does not
            for left_out in &all {
                let without: Vec<&str> = with.iter().copied().filter(|c| c != left_out).collect();
                if !proven.contains(left_out) {
                    assert!(reported(requirement, kind, &without), "{} is met without `{left_out}`", requirement.id);
                }
            }
        }
        // One tier lower, the requirement does not apply.
        if let Some(lower) = profile.tier_rank(&requirement.tier).and_then(|r| r.checked_sub(1)) {
            let lower = &profile.tiers[lower].id;
            let checked = check("plant.kojo", &plant(lower, kind, requirement.applies_to, &[]));
            assert!(
                with_rule(&checked, &requirement.id).is_empty(),
                "{} applies below tier {}",
                requirement.id,
                requirement.tier
            );
        }
    }
}

/// A requirement of a ＋ cell and the one on its left: meeting the higher
/// one does not meet the lower (the seed's "in addition to").
#[test]
fn a_plus_cell_adds_to_the_tier_on_its_left() {
    let checked = |controls: &[&str]| check("plant.kojo", &plant("high", "hmi", Applies::Asset, controls));
    let mfa_only = checked(&["mfa"]);
    assert!(with_rule(&mfa_only, "NW-MFA").is_empty());
    assert!(!with_rule(&mfa_only, "NW-INDIVIDUAL-ID").is_empty());
    let hard_only = checked(&["hard-lockout"]);
    assert!(
        !with_rule(&hard_only, "DEV-PORT-CAPS").is_empty()
            && !with_rule(&hard_only, "DEV-PORT-SOFT-LOCKOUT").is_empty()
    );
    let zone = |controls: &[&str]| check("plant.kojo", &plant("high", "server", Applies::Zone, controls));
    let ips_only = zone(&["ips", "ndr"]);
    assert!(with_rule(&ips_only, "NW-MONITOR-IPS").is_empty());
    assert!(
        !with_rule(&ips_only, "NW-MONITOR-NDR").is_empty(),
        "an IPS does not stand in for the IDS of the medium cell"
    );
    // a cell without ＋ replaces the one on its left
    assert!(with_rule(&zone(&["segmentation-physical"]), "NW-SEGMENT-VLAN").is_empty());
}

/// The semiconductor-fab example, in memory, with its own profile or without.
fn fab(plant: &str, with_overlay: bool) -> Checked {
    let dir = std::path::Path::new("examples/semiconductor-fab");
    let overlay = std::fs::read_to_string(dir.join("profiles/acme-semiconductor.toml")).unwrap();
    let mut source = MemorySource::new("fab");
    if with_overlay {
        source.manifest = Some("project \"fab\"\nprofile \"meti-factory\" \"acme-semiconductor\"\n".into());
        source.profiles.push(("profiles/acme-semiconductor.toml".into(), overlay));
        source = source.with_file("plant.kojo", plant);
    } else {
        source.manifest = Some("project \"fab\"\nprofile \"meti-factory\"\n".into());
        source = source
            .with_file("plant.kojo", plant.replace("profile meti-factory, acme-semiconductor", "profile meti-factory"));
    }
    kojo_compiler::check_with(&source, &Options { backends: &[], today: Some(TODAY), ..Default::default() })
}

#[test]
fn an_organisation_profile_changes_the_findings() {
    let plant = std::fs::read_to_string("examples/semiconductor-fab/plant.kojo").unwrap();
    assert!(fab(&plant, true).diagnostics.is_empty());

    // Without malware protection on the etcher, only the fab's profile objects.
    let (before, etcher) = plant.split_once("asset etch1").unwrap();
    let unprotected = format!("{before}asset etch1{}", etcher.replacen("    anti-malware,\n", "", 1));
    assert_ne!(unprotected, plant);
    let with = fab(&unprotected, true);
    let ids: Vec<&str> = with.diagnostics.iter().map(Diagnostic::id).collect();
    assert_eq!(ids, ["ACME-E187-MALWARE"], "{ids:?}");
    assert!(fab(&unprotected, false).diagnostics.iter().all(|d| d.id() != "ACME-E187-MALWARE"));

    // The overlay's own control and checklist item exist only with it.
    let without: Vec<Code> = fab(&plant, false).diagnostics.iter().map(|d| d.code).collect();
    assert!(without.contains(&Code::UnknownControl) && without.contains(&Code::UnknownChecklistItem), "{without:?}");
}

#[test]
fn a_broken_project_profile_is_reported() {
    let mut source = MemorySource::new("p").with_file("plant.kojo", "plant \"T\" { profile acme }\n");
    source.profiles.push((
        "profiles/acme.toml".into(),
        "id = \"acme\"\nlabel = { en = \"A\", ja = \"A\" }\nremove = [\"NO-SUCH-RULE\"]\n".into(),
    ));
    let checked = kojo_compiler::check(&source, &[]);
    let codes: Vec<Code> = checked.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, [Code::InvalidProfile], "{:?}", checked.diagnostics);
    assert!(checked.diagnostics[0].message.contains("NO-SUCH-RULE"));
}

#[test]
fn a_profile_can_change_a_rules_severity() {
    let plant = "plant \"T\" { profile relaxed }\nzone a \"A\" {\n  subnet 10.1.0.0/24\n  tier medium\n}\n";
    let mut source = MemorySource::new("p").with_file("plant.kojo", plant);
    let checked = kojo_compiler::check(&source, &[]);
    let before: Vec<_> = checked.diagnostics.iter().filter(|d| d.id() == "NW-DEVICE-IPMAC").collect();
    assert!(before.is_empty(), "the unknown profile stops the check first");
    source.profiles.push((
        "profiles/relaxed.toml".into(),
        "id = \"relaxed\"\nlabel = { en = \"R\", ja = \"R\" }\n[severity]\nNW-DEVICE-IPMAC = \"warning\"\n".into(),
    ));
    let checked = kojo_compiler::check(&source, &[]);
    let finding = checked.diagnostics.iter().find(|d| d.id() == "NW-DEVICE-IPMAC").expect("reported");
    assert_eq!(finding.severity, kojo_lang::Severity::Warning);
}
