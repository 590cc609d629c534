//! Tests of the catalogue as a whole: loading, indexes, labels, IDs.

use super::*;

pub(crate) fn builtin() -> &'static Catalogue {
    match Catalogue::builtin() {
        Ok(c) => c,
        Err(e) => panic!("built-in catalogue does not load: {e}"),
    }
}

/// The built-in sources with one file replaced.
pub(crate) fn with(edit: impl FnOnce(&mut Sources<'static>)) -> Result<Catalogue, CatalogueError> {
    let mut sources = Sources::builtin();
    edit(&mut sources);
    Catalogue::from_sources(&sources)
}

#[test]
fn builtin_catalogue_loads() {
    let c = builtin();
    assert!(c.services().count() >= 28);
    assert!(c.controls().count() >= 64);
    assert_eq!(c.asset_kinds().count(), 23);
    assert_eq!(c.checklist_items().count(), 35);
    assert_eq!(c.entry_points().count(), 13);
    assert!(c.profile("meti-factory").is_some());
    assert_eq!(c.program_checks().count(), 3);
    assert_eq!(c.physical_measures().count(), 6);
    assert_eq!(c.supply_chain().count(), 4);
    assert_eq!(c.tier_tables().count(), 2);
    assert_eq!(c.procurement_sections().count(), 18);
    assert!(c.procurement_clauses().count() >= 60);
}

#[test]
fn builtin_is_parsed_once() {
    let a = builtin();
    let b = builtin();
    assert!(std::ptr::eq(a, b));
}

#[test]
fn iterators_are_sorted_by_id() {
    let c = builtin();
    let ids: Vec<&str> = c.services().map(|s| s.id.as_str()).collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    assert_eq!(ids, sorted);
    let ids: Vec<&str> = c.controls().map(|s| s.id.as_str()).collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    assert_eq!(ids, sorted);
}

#[test]
fn invalid_toml_is_an_error_naming_the_file() {
    let err = with(|s| s.services = "[[services]\nid = ").unwrap_err();
    assert!(matches!(err, CatalogueError::Parse { .. }), "{err:?}");
    assert_eq!(err.file(), "services.toml");
}

#[test]
fn unknown_keys_are_rejected() {
    let text = r#"
[[entry_points]]
id = "EP01"
label = { en = "USB", ja = "USB" }
shown_by = { en = "ports", ja = "ポート" }
colour = "red"
"#;
    let err = with(|s| s.entry_points = Box::leak(text.to_owned().into_boxed_str())).unwrap_err();
    assert!(matches!(err, CatalogueError::Parse { .. }), "{err:?}");
    assert!(err.to_string().contains("colour"), "{err}");
}

#[test]
fn missing_fields_are_rejected() {
    let text = "[[controls]]\nid = \"firewall\"\nlabel = { en = \"FW\", ja = \"FW\" }\n";
    let err = with(|s| s.controls = Box::leak(text.to_owned().into_boxed_str())).unwrap_err();
    assert!(matches!(err, CatalogueError::Parse { .. }), "{err:?}");
    assert_eq!(err.file(), "controls.toml");
}

#[test]
fn duplicate_ids_are_rejected() {
    let one = r#"
[[entry_points]]
id = "EP01"
label = { en = "USB", ja = "USBメモリー" }
shown_by = { en = "ports", ja = "ポート" }
"#;
    let text = format!("{one}{one}");
    let err = with(|s| s.entry_points = Box::leak(text.into_boxed_str())).unwrap_err();
    assert_eq!(err, CatalogueError::DuplicateId { file: "entry-points.toml".into(), id: "EP01".into() });
}

#[test]
fn dangling_references_are_rejected() {
    // asset-kinds name entry points that this file no longer has
    let text = r#"
[[entry_points]]
id = "EP99"
label = { en = "x", ja = "x" }
shown_by = { en = "x", ja = "x" }
"#;
    let err = with(|s| s.entry_points = text).unwrap_err();
    assert!(matches!(err, CatalogueError::Invalid { .. }), "{err:?}");
    assert_eq!(err.file(), "asset-kinds.toml");
}

#[test]
fn software_defaults_must_be_program_check_kinds() {
    // asset-kinds give servers `packaged-software`, which this file lacks
    let text = r#"
[[kinds]]
id = "external-service"
label = { en = "x", ja = "x" }

[[kinds.checks]]
id = "PS-EXTERNAL-DAMAGE"
label = { en = "x", ja = "x" }
source = "3.2.2(1)③"
"#;
    let err = with(|s| s.program_checks = text).unwrap_err();
    assert!(matches!(err, CatalogueError::Invalid { .. }), "{err:?}");
    assert_eq!(err.file(), "asset-kinds.toml");
    assert!(err.to_string().contains("unknown software kind `packaged-software`"), "{err}");
}

#[test]
fn profile_id_must_match_its_file() {
    let text = Sources::builtin().profiles[0].1;
    let profiles: &'static [(&'static str, &'static str)] = Box::leak(vec![("other-name", text)].into_boxed_slice());
    let err = with(|s| s.profiles = profiles).unwrap_err();
    assert!(matches!(err, CatalogueError::Invalid { .. }), "{err:?}");
    assert_eq!(err.file(), "profiles/other-name.toml");
}

#[test]
fn empty_sources_fail_cleanly() {
    let sources = Sources {
        services: "",
        controls: "",
        asset_kinds: "",
        capabilities: "",
        ports: "",
        checklist: "",
        entry_points: "",
        program_checks: "",
        physical_measures: "",
        supply_chain: "",
        tier_tables: "",
        procurement: "",
        profiles: &[],
    };
    assert!(Catalogue::from_sources(&sources).is_err());
}

/// Every label in every file has both languages.
#[test]
fn labels_are_non_empty_in_both_languages() {
    let c = builtin();
    let mut labels: Vec<(String, &crate::Label)> = Vec::new();
    for s in c.services() {
        labels.push((format!("service {}", s.id), &s.label));
        for f in &s.functions {
            labels.push((format!("service {} function {}", s.id, f.name), &f.label));
        }
    }
    labels.extend(c.controls().map(|x| (format!("control {}", x.id), &x.label)));
    labels.extend(c.asset_kinds().map(|x| (format!("asset kind {}", x.id), &x.label)));
    labels.extend(c.capabilities().map(|x| (format!("capability {}", x.id), &x.label)));
    labels.extend(c.capabilities().map(|x| (format!("capability {} description", x.id), &x.description)));
    labels.extend(c.port_kinds().map(|x| (format!("port kind {}", x.id), &x.label)));
    labels.extend(c.port_states().map(|x| (format!("port state {}", x.id), &x.label)));
    labels.extend(c.checklist_items().map(|x| (format!("checklist {}", x.id), &x.text)));
    labels.extend(c.checklist_items().filter_map(|x| x.note.as_ref().map(|n| (format!("note {}", x.id), n))));
    labels.extend(c.checklist_levels().iter().map(|x| (format!("level {}", x.level), &x.label)));
    labels.extend(c.checklist_categories().map(|x| (format!("category {}", x.id), &x.label)));
    labels.extend(c.entry_points().map(|x| (format!("entry point {}", x.id), &x.label)));
    for kind in c.program_checks() {
        labels.push((format!("program check kind {}", kind.id), &kind.label));
        labels.extend(kind.checks.iter().map(|x| (format!("program check {}", x.id), &x.label)));
    }
    for m in c.physical_measures() {
        labels.push((format!("physical measure {}", m.id), &m.label));
        labels.push((format!("physical measure {} description", m.id), &m.description));
    }
    for counterpart in c.supply_chain() {
        labels.push((format!("counterpart {}", counterpart.id), &counterpart.label));
        labels.extend(counterpart.checks.iter().map(|x| (format!("supply-chain check {}", x.id), &x.label)));
    }
    for t in c.tier_tables() {
        labels.push((format!("tier table {}", t.id), &t.label));
        for row in &t.rows {
            labels.push((format!("row {}.{}", t.id, row.id), &row.label));
            for m in &row.measures {
                labels.push((format!("measure {}", m.id), &m.text));
                for (part, label) in m.clause.parts() {
                    labels.push((format!("measure {} {part}", m.id), label));
                }
                for (part, label) in m.enforcing.iter().flat_map(|e| e.parts()) {
                    labels.push((format!("measure {} enforcing {part}", m.id), label));
                }
            }
        }
    }
    for s in c.procurement_sections() {
        labels.push((format!("section {}", s.id), &s.heading));
        labels.extend(s.intro.iter().map(|x| (format!("section {} intro", s.id), x)));
    }
    for x in c.procurement_clauses() {
        for (part, label) in x.clause.parts() {
            labels.push((format!("clause {} {part}", x.id), label));
        }
    }
    for p in c.profiles() {
        labels.push((format!("profile {}", p.id), &p.label));
        labels.extend(p.tiers.iter().map(|x| (format!("tier {}", x.id), &x.label)));
        labels.extend(p.impact.axes.iter().map(|x| (format!("axis {}", x.id), &x.label)));
        labels.extend(p.impact.levels.iter().map(|x| (format!("level {}", x.id), &x.label)));
    }
    for (what, label) in labels {
        assert!(!label.en.trim().is_empty(), "{what}: empty English label");
        assert!(!label.ja.trim().is_empty(), "{what}: empty Japanese label");
        // placeholders: only the four the renderer fills, the same in both languages
        let en = crate::clause::placeholders(&label.en).unwrap_or_else(|bad| panic!("{what}: {bad}"));
        let ja = crate::clause::placeholders(&label.ja).unwrap_or_else(|bad| panic!("{what}: {bad}"));
        assert_eq!(en, ja, "{what}: placeholders differ between the languages");
    }
}

/// Listings, findings and documents name a control or a requirement by its
/// label: no two controls, and no two requirements of a profile, share one
/// in either language (the guideline's own term for three cells, 保護ツール活用,
/// takes its row as a qualifier).
#[test]
fn controls_and_requirements_have_labels_of_their_own_in_both_languages() {
    fn clashes<'a>(labelled: impl Iterator<Item = (&'a str, &'a crate::Label)> + Clone) -> Vec<String> {
        let mut clashes = Vec::new();
        for lang in crate::messages::LANGUAGES {
            let mut seen: std::collections::BTreeMap<&str, &str> = std::collections::BTreeMap::new();
            for (id, label) in labelled.clone() {
                if let Some(other) = seen.insert(label.get(lang), id) {
                    clashes.push(format!("{other} and {id}: {lang} `{}`", label.get(lang)));
                }
            }
        }
        clashes
    }
    let c = builtin();
    let mut problems = clashes(c.controls().map(|x| (x.id.as_str(), &x.label)));
    for p in c.profiles() {
        problems.extend(clashes(p.requirements.iter().map(|r| (r.id.as_str(), &r.label))));
    }
    assert!(problems.is_empty(), "labels shared:\n{}", problems.join("\n"));
}

/// The texts a procurement specification prints carry no brace other
/// than the four placeholders, in either language.
#[test]
fn procurement_texts_use_only_known_placeholders() {
    let c = builtin();
    let mut texts: Vec<&str> = Vec::new();
    let mut add = |label: &'static crate::Label| texts.extend([label.en.as_str(), label.ja.as_str()]);
    for m in c.tier_tables().flat_map(|t| t.measures()) {
        add(&m.text);
        m.clause.parts().into_iter().for_each(|(_, l)| add(l));
        m.enforcing.iter().flat_map(|e| e.parts()).for_each(|(_, l)| add(l));
    }
    for s in c.procurement_sections() {
        add(&s.heading);
        s.intro.iter().for_each(&mut add);
    }
    for x in c.procurement_clauses() {
        x.clause.parts().into_iter().for_each(|(_, l)| add(l));
    }
    let mut used = BTreeSet::new();
    for text in texts {
        let mut rest = text;
        while let Some(start) = rest.find('{') {
            let after = &rest[start + 1..];
            let end = after.find('}').unwrap_or_else(|| panic!("unclosed brace in {text:?}"));
            let name = &after[..end];
            assert!(crate::clause::PLACEHOLDERS.contains(&name), "`{{{name}}}` in {text:?}");
            used.insert(name);
            rest = &after[end + 1..];
        }
        assert!(!rest.contains('}'), "stray brace in {text:?}");
    }
    // all four are used somewhere
    assert_eq!(used.len(), crate::clause::PLACEHOLDERS.len(), "{used:?}");
}

/// IDs are what sources refer to: lower-case kebab-case everywhere except
/// the numbered and coded catalogues (EP01, E-0-1, PS-…, PHY-…, SC-…).
#[test]
fn ids_are_kebab_case() {
    let c = builtin();
    let kebab = |id: &str| {
        !id.is_empty()
            && !id.starts_with('-')
            && !id.ends_with('-')
            && !id.contains("--")
            && id.chars().all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-')
    };
    let mut ids: Vec<&str> = Vec::new();
    ids.extend(c.services().map(|x| x.id.as_str()));
    ids.extend(c.services().flat_map(|s| s.functions.iter().map(|f| f.name.as_str())));
    ids.extend(c.controls().map(|x| x.id.as_str()));
    ids.extend(c.controls().map(|x| x.item.as_str()));
    ids.extend(c.asset_kinds().map(|x| x.id.as_str()));
    ids.extend(c.port_kinds().map(|x| x.id.as_str()));
    ids.extend(c.port_states().map(|x| x.id.as_str()));
    ids.extend(c.checklist_categories().map(|x| x.id.as_str()));
    ids.extend(c.profiles().map(|x| x.id.as_str()));
    ids.extend(c.program_checks().map(|x| x.id.as_str()));
    ids.extend(c.supply_chain().map(|x| x.id.as_str()));
    ids.extend(c.tier_tables().flat_map(|t| t.rows.iter().map(|r| r.id.as_str())));
    ids.extend(c.procurement_sections().map(|x| x.id.as_str()));
    for id in ids {
        assert!(kebab(id), "`{id}` is not kebab-case");
    }
}

#[test]
fn catalogue_serialises_to_json_like_data() {
    // Serialize is derived for tools that dump the catalogue; make sure
    // it works through a serde data format (TOML is what we have here).
    let c = builtin();
    let service = c.service("modbus-tcp").unwrap();
    let text = toml::to_string(service).unwrap();
    let back: Service = toml::from_str(&text).unwrap();
    assert_eq!(&back, service);
}

/// An overlay may change the remote-access measures (E-3-6), never empty
/// them or name a control no conduit can carry: REMOTE-ACCESS-CONTROLS
/// reads them, and would otherwise ask nothing.
#[test]
fn an_overlay_cannot_empty_the_remote_access_measures() {
    let c = builtin();
    let mut item = c.checklist_item("E-3-6").unwrap().clone();
    item.controls = vec!["mfa".to_string(), "ips".to_string()];
    assert!(c.extended("profiles/acme.toml", &[], std::slice::from_ref(&item)).is_ok());
    for controls in [vec![], vec!["ups".to_string()]] {
        item.controls = controls;
        let err = c.extended("profiles/acme.toml", &[], std::slice::from_ref(&item)).unwrap_err();
        assert!(err.to_string().contains("each a conduit's control"), "{err}");
    }
    item.controls = vec!["mfa".to_string()];
    item.derivation = None;
    item.scope = None;
    item.rules.clear();
    let err = c.extended("profiles/acme.toml", &[], std::slice::from_ref(&item)).unwrap_err();
    assert!(err.to_string().contains("remote-access"), "{err}");
}
