use super::*;

fn catalogue() -> &'static Catalogue {
    Catalogue::builtin().unwrap()
}

#[test]
fn every_entry_of_every_vocabulary_has_a_page_under_its_prefix() {
    let c = catalogue();
    for vocabulary in Vocabulary::ALL {
        let entries = entries(c, vocabulary, Lang::En);
        assert!(!entries.is_empty(), "{vocabulary:?} is empty");
        for entry in entries {
            assert!(!entry.title.is_empty(), "{} has no title", entry.id);
            let page = page(c, vocabulary, &entry.id, Lang::En).unwrap_or_default();
            assert!(page.starts_with("# ") && page.contains(&entry.id), "{vocabulary:?} `{}` has no page", entry.id);
            let named = format!("{}:{}", vocabulary.prefix(), entry.id);
            match lookup(c, &named, Lang::En) {
                Answer::Page { vocabulary: v, id, .. } => assert_eq!((v, id.as_str()), (vocabulary, entry.id.as_str())),
                other => panic!("{named}: {other:?}"),
            }
        }
    }
}

#[test]
fn catalogue_pages_show_both_languages() {
    let c = catalogue();
    for s in c.services() {
        let page = page(c, Vocabulary::Service, &s.id, Lang::En).unwrap();
        assert!(page.contains(&s.label.en) && page.contains(&s.label.ja), "{}", s.id);
        for f in &s.functions {
            assert!(page.contains(&format!("| `{}` | {} | {} |", f.name, f.label.en, f.label.ja)), "{}", s.id);
        }
    }
    for k in c.asset_kinds() {
        let page = page(c, Vocabulary::Kind, &k.id, Lang::En).unwrap();
        assert!(page.contains(&k.label.en) && page.contains(&k.label.ja), "{}", k.id);
        assert!(k.entry_points.iter().all(|e| page.contains(&format!("- `{e}`: "))), "{}", k.id);
        assert!(k.capabilities.iter().all(|c| page.contains(&format!("- `{c}`: "))), "{}", k.id);
    }
    let plc = page(c, Vocabulary::Kind, "plc", Lang::En).unwrap();
    assert!(
        plc.contains("- `NW-MFA` (profile `meti-factory`): Multi-factor authentication, needs `user-accounts`"),
        "{plc}"
    );
    let server = page(c, Vocabulary::Kind, "server", Lang::En).unwrap();
    assert!(!server.contains("Not applicable to an asset of this kind"), "{server}");
    for i in c.checklist_items() {
        let page = page(c, Vocabulary::Checklist, &i.id, Lang::En).unwrap();
        assert!(page.contains(&i.text.en) && page.contains(&i.text.ja) && page.contains(&i.hint.ja), "{}", i.id);
    }
    for e in c.entry_points() {
        let page = page(c, Vocabulary::EntryPoint, &e.id, Lang::En).unwrap();
        assert!(page.contains(&e.label.en) && page.contains(&e.label.ja) && page.contains(&e.shown_by), "{}", e.id);
    }
}

#[test]
fn a_service_page_says_whether_its_functions_can_be_enforced() {
    let c = catalogue();
    let s7 = page(c, Vocabulary::Service, "s7comm", Lang::En).unwrap();
    assert!(s7.contains("tcp/102") && s7.contains("No gateway kojo generates can recognise its functions"), "{s7}");
    assert!(s7.contains("FUNCTIONS-NOT-INSPECTABLE"), "{s7}");
    let modbus = page(c, Vocabulary::Service, "modbus-tcp", Lang::En).unwrap();
    assert!(modbus.contains("a gateway backend") && !modbus.contains("No gateway"), "{modbus}");
    let https = page(c, Vocabulary::Service, "https", Lang::En).unwrap();
    assert!(https.contains("cannot be limited with `functions`"), "{https}");
}

#[test]
fn a_bare_id_is_found_in_the_lookup_order_and_names_the_others() {
    let c = catalogue();
    let found = |text: &str| match lookup(c, text, Lang::En) {
        Answer::Page { vocabulary, id, also, .. } => (vocabulary, id, also),
        other => panic!("{text}: {other:?}"),
    };
    // `firewall` is a control and an asset kind: the control first.
    assert_eq!(found("firewall"), (Vocabulary::Control, "firewall".into(), vec![Vocabulary::Kind]));
    assert_eq!(found("kind:firewall").0, Vocabulary::Kind);
    assert!(
        matches!(lookup(c, "kind:firewall", Lang::En), Answer::Page { page, .. } if page.starts_with("# Asset kind `firewall`"))
    );
    // Case decides between a control and the rule of the same name.
    assert_eq!(found("wireless-allowlist").0, Vocabulary::Control);
    assert_eq!(found("WIRELESS-ALLOWLIST").0, Vocabulary::Rule);
    // Codes in their short forms, IDs in any case.
    assert_eq!(found("E0201").1, "KOJO-E0201");
    assert_eq!(found("0201").1, "KOJO-E0201");
    assert_eq!(found("kojo-e0201").1, "KOJO-E0201");
    assert_eq!(found("ep07"), (Vocabulary::EntryPoint, "EP07".into(), vec![]));
    assert_eq!(found("e-2-3").0, Vocabulary::Checklist);
    assert_eq!(found("S7COMM").0, Vocabulary::Service);
    assert_eq!(found("plc").0, Vocabulary::Kind);
}

#[test]
fn listings_and_suggestions_cover_every_vocabulary() {
    let c = catalogue();
    for vocabulary in Vocabulary::ALL {
        assert_eq!(lookup(c, vocabulary.listing(), Lang::En), Answer::Listing(vocabulary));
        // No ID of any vocabulary is taken for a listing word.
        for other in Vocabulary::ALL {
            assert!(entries(c, other, Lang::En).iter().all(|e| !e.id.eq_ignore_ascii_case(vocabulary.listing())));
        }
    }
    let near = |text: &str| match lookup(c, text, Lang::En) {
        Answer::Unknown { suggestion } => suggestion,
        other => panic!("{text}: {other:?}"),
    };
    assert_eq!(near("s7com").as_deref(), Some("s7comm"));
    assert_eq!(near("historien").as_deref(), Some("historian"));
    assert_eq!(near("EP077").as_deref(), Some("EP07"));
    assert_eq!(near("ipx").as_deref(), Some("ips"));
    assert_eq!(near("KOJO-E0202x").as_deref(), Some("KOJO-E0202"));
    assert_eq!(near("kind:plcc").as_deref(), Some("kind:plc"));
    assert_eq!(near("service:plc"), None, "a prefix limits the lookup to its vocabulary");
}

#[test]
fn the_overview_and_a_listing_as_printed() {
    let c = catalogue();
    insta::assert_snapshot!("overview", overview(c));
    insta::assert_snapshot!("entry_points", listing(c, Vocabulary::EntryPoint, Lang::En));
    insta::assert_snapshot!("EP07", page(c, Vocabulary::EntryPoint, "EP07", Lang::En).unwrap());
}

#[test]
fn zz_dump_pages_tmp() {
    let c = catalogue();
    let dir = std::path::Path::new(std::env!("CARGO_MANIFEST_DIR")).join("../target/page-dump");
    let lang = if std::env::var("DUMP_JA").is_ok() { Lang::Ja } else { Lang::En };
    let dir = dir.join(lang.code());
    std::fs::create_dir_all(&dir).unwrap();
    for vocabulary in [Vocabulary::Control, Vocabulary::Service, Vocabulary::Kind, Vocabulary::Checklist, Vocabulary::EntryPoint] {
        for e in entries(c, vocabulary, Lang::En) {
            std::fs::write(dir.join(format!("{}_{}", vocabulary.prefix(), e.id)), page(c, vocabulary, &e.id, lang).unwrap()).unwrap();
        }
    }
    for p in c.profiles() {
        for r in &p.requirements {
            std::fs::write(dir.join(format!("req_{}", r.id)), rules::rule_page(c, &r.id, lang).unwrap()).unwrap();
        }
    }
}
