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
        assert!(page.contains(&e.label.en) && page.contains(&e.label.ja) && page.contains(&e.shown_by.en), "{}", e.id);
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

/// Every page written from catalogue data, in `lang`: controls, services,
/// asset kinds, checklist items, entry points and profile requirements.
fn generated_pages(c: &Catalogue, lang: Lang) -> Vec<(String, String)> {
    let mut pages = Vec::new();
    for vocabulary in
        [Vocabulary::Control, Vocabulary::Service, Vocabulary::Kind, Vocabulary::Checklist, Vocabulary::EntryPoint]
    {
        for entry in entries(c, vocabulary, Lang::En) {
            pages
                .push((format!("{}:{}", vocabulary.prefix(), entry.id), page(c, vocabulary, &entry.id, lang).unwrap()));
        }
    }
    for r in c.profiles().flat_map(|p| &p.requirements) {
        pages.push((format!("rule:{}", r.id), page(c, Vocabulary::Rule, &r.id, lang).unwrap()));
    }
    pages
}

fn is_japanese(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30ff}' | '\u{4e00}'..='\u{9fff}' | '\u{ff00}'..='\u{ffef}')
}

/// A Japanese page says nothing in kojo's English: its headings are
/// Japanese, and no English sentence of the `[explain]` messages is left
/// in it, nor the separator of an English page's labels (`en / ja`).
#[test]
fn generated_pages_are_written_in_japanese() {
    let c = catalogue();
    let en = kojo_stdlib::Messages::builtin("en").unwrap().unwrap();
    let english: Vec<&str> = en
        .keys()
        .filter(|k| k.starts_with("explain.") && !k.starts_with("explain.common.") && en.arguments_of(k).is_empty())
        .filter_map(|k| en.get(k))
        .filter(|text| text.split_whitespace().count() > 1)
        .collect();
    assert!(english.contains(&"What it checks"), "{english:?}");
    let english_pages: Vec<(String, String)> = generated_pages(c, Lang::En);
    let japanese_pages = generated_pages(c, Lang::Ja);
    assert_eq!(english_pages.len(), japanese_pages.len());
    for ((id, en_page), (_, ja_page)) in english_pages.iter().zip(&japanese_pages) {
        assert_ne!(en_page, ja_page, "{id}");
        assert!(ja_page.starts_with("# "), "{id}");
        for heading in ja_page.lines().filter(|l| l.starts_with("## ")) {
            assert!(heading.chars().any(is_japanese), "{id}: `{heading}` is not Japanese\n{ja_page}");
        }
        for text in &english {
            assert!(!ja_page.contains(text), "{id}: `{text}` is English\n{ja_page}");
        }
        assert!(!ja_page.contains(" / "), "{id}: a label in both languages\n{ja_page}");
    }
}

/// What a Japanese page keeps: the guideline's own words and the IDs a
/// model writes; an English page shows the labels side by side.
#[test]
fn japanese_pages_keep_the_guideline_words_and_the_ids() {
    let c = catalogue();
    for r in c.profiles().flat_map(|p| &p.requirements) {
        let page = page(c, Vocabulary::Rule, &r.id, Lang::Ja).unwrap();
        assert!(page.starts_with(&format!("# {}: {}\n", r.id, r.label.ja)), "{page}");
        for id in &r.measures {
            let (_, _, m) = c.measure(id).unwrap();
            assert!(page.contains(&format!("「{}」", m.text.ja)), "{}: {id}\n{page}", r.id);
        }
        assert!(page.contains(&format!("waive {} on {} NAME", r.id, r.applies_to.as_str())), "{page}");
        let english = super::page(c, Vocabulary::Rule, &r.id, Lang::En).unwrap();
        assert!(english.starts_with(&format!("# {}: {} / {}\n", r.id, r.label.en, r.label.ja)), "{english}");
        // kojo's note is kojo's own words: each page in its language only.
        if let Some(note) = &r.kojo {
            assert!(page.contains(&note.ja) && !page.contains(&note.en), "{}", r.id);
            assert!(english.contains(&note.en) && !english.contains(&note.ja), "{}", r.id);
        }
    }
    for i in c.checklist_items() {
        let page = page(c, Vocabulary::Checklist, &i.id, Lang::Ja).unwrap();
        assert!(page.contains(&i.text.ja) && page.contains(&i.hint.ja) && !page.contains(&i.text.en), "{}", i.id);
    }
    let ips = page(c, Vocabulary::Control, "ips", Lang::Ja).unwrap();
    assert!(ips.contains("- `NW-TRAFFIC-IPS`（プロファイル `meti-factory`）：強度「高」以上のコンジット\n"), "{ips}");
    let s7 = page(c, Vocabulary::Service, "s7comm", Lang::Ja).unwrap();
    assert!(s7.contains("FUNCTIONS-NOT-INSPECTABLE") && s7.contains("| `plc-stop` | PLC停止（0x29） |"), "{s7}");
}

/// A Japanese page names what the catalogue labels by its Japanese label
/// alone; an English page by both, the guideline's term beside the
/// translation, once where the two are the same.
#[test]
fn a_japanese_page_shows_japanese_labels_and_an_english_page_both() {
    let c = catalogue();
    for (vocabulary, id, label) in [
        (Vocabulary::Control, "ips", &c.control("ips").unwrap().label),
        (Vocabulary::Kind, "plc", &c.asset_kind("plc").unwrap().label),
        (Vocabulary::EntryPoint, "EP07", &c.entry_point("EP07").unwrap().label),
        (Vocabulary::Rule, "DEV-GENERATOR", &c.profiles().find_map(|p| p.requirement("DEV-GENERATOR")).unwrap().label),
    ] {
        let ja = page(c, vocabulary, id, Lang::Ja).unwrap();
        let first = ja.lines().next().unwrap();
        assert!(first.ends_with(&format!(": {}", label.ja)) && !ja.contains(&label.en), "{id}: {first}");
        let en = page(c, vocabulary, id, Lang::En).unwrap();
        assert!(en.lines().next().unwrap().ends_with(&format!(": {} / {}", label.en, label.ja)), "{id}\n{en}");
    }
    let generator = page(c, Vocabulary::Rule, "DEV-GENERATOR", Lang::Ja).unwrap();
    assert!(
        generator.contains("- 表「機器におけるセキュリティ対策」［3.2.2(1)②］、対策項目「電源可用性確保」"),
        "{generator}"
    );
    assert!(!generator.contains("Security measures") && !generator.contains("Introduction of"), "{generator}");
    for lang in [Lang::En, Lang::Ja] {
        let modbus = page(c, Vocabulary::Service, "modbus-tcp", lang).unwrap();
        assert!(modbus.lines().next().unwrap().ends_with("`modbus-tcp`: Modbus/TCP"), "{modbus}");
    }
    let functions = page(c, Vocabulary::Service, "modbus-tcp", Lang::En).unwrap();
    assert!(functions.contains(
        "| `read` | Read coils, discrete inputs and registers (FC 1-4) | コイル・入力・レジスタの読み出し（FC 1〜4） |"
    ));
}

/// `kojo explain --lang ja codes` and `rules` list the titles of the
/// Japanese pages, as `kojo explain --lang ja ID` shows them.
#[test]
fn japanese_listings_give_the_japanese_pages_titles() {
    let c = catalogue();
    for vocabulary in [Vocabulary::Code, Vocabulary::Rule] {
        let english = entries(c, vocabulary, Lang::En);
        let japanese = entries(c, vocabulary, Lang::Ja);
        assert_eq!(english.len(), japanese.len());
        for (en, ja) in english.iter().zip(&japanese) {
            assert_eq!(en.id, ja.id);
            let page = page(c, vocabulary, &ja.id, Lang::Ja).unwrap();
            assert_eq!(title(&page, &ja.id), ja.title, "{}", ja.id);
            assert!(ja.title.chars().any(is_japanese) && !ja.title.contains(" / "), "{}: {}", ja.id, ja.title);
            assert_ne!(en.title, ja.title, "{}", ja.id);
        }
    }
    let codes = listing(c, Vocabulary::Code, Lang::Ja);
    assert!(codes.contains("KOJO-E0201  未知の名前\n"), "{codes}");
    let rules = listing(c, Vocabulary::Rule, Lang::Ja);
    assert!(rules.contains("DEV-GENERATOR ") && rules.contains("  自家発電設備の導入\n"), "{rules}");
}

/// What the catalogue writes in both languages, a service's note and where
/// a model shows an entry point, a page shows in its own language only.
#[test]
fn notes_and_where_a_model_shows_an_entry_point_are_in_the_pages_language() {
    let c = catalogue();
    for (lang, other) in [(Lang::En, Lang::Ja), (Lang::Ja, Lang::En)] {
        for s in c.services() {
            let page = page(c, Vocabulary::Service, &s.id, lang).unwrap();
            let note = s.note.as_ref().unwrap_or_else(|| panic!("{} has no note", s.id));
            assert!(page.contains(note.get(lang.code())) && !page.contains(note.get(other.code())), "{}\n{page}", s.id);
        }
        for e in c.entry_points() {
            let page = page(c, Vocabulary::EntryPoint, &e.id, lang).unwrap();
            let (shown, not) = (e.shown_by.get(lang.code()), e.shown_by.get(other.code()));
            assert!(page.contains(&format!("- {shown}\n")) && !page.contains(not), "{}\n{page}", e.id);
        }
    }
}

#[test]
fn one_japanese_page_of_each_generator_as_printed() {
    let c = catalogue();
    insta::assert_snapshot!("ja_EP07", page(c, Vocabulary::EntryPoint, "EP07", Lang::Ja).unwrap());
    insta::assert_snapshot!("ja_service_modbus-tcp", page(c, Vocabulary::Service, "modbus-tcp", Lang::Ja).unwrap());
    insta::assert_snapshot!("ja_kind_plc", page(c, Vocabulary::Kind, "plc", Lang::Ja).unwrap());
    insta::assert_snapshot!("ja_checklist_E-2-3", page(c, Vocabulary::Checklist, "E-2-3", Lang::Ja).unwrap());
    insta::assert_snapshot!("ja_control_ips", page(c, Vocabulary::Control, "ips", Lang::Ja).unwrap());
    insta::assert_snapshot!("ja_requirement_NW-MFA", page(c, Vocabulary::Rule, "NW-MFA", Lang::Ja).unwrap());
}
