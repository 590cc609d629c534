use kojo_compiler::evidence::{assess, paths, Input};
use kojo_compiler::types::Date;
use kojo_compiler::{Checked, MemorySource, Options, ProjectSource};

use super::waivers::status;
use super::*;

const NOW: &str = "2026-12-06";

/// A zone at tier high with `n` workstations that lack every device
/// measure, an office, a partner and the internet, and two waivers.
fn plant(n: usize) -> String {
    let mut text = String::from(
        "plant \"T\" { name \"Test\" }\n\
         zone line { subnet 10.2.0.0/16; tier high }\n\
         zone office { subnet 10.9.0.0/24; role office }\n\
         zone vendor : external { subnet 198.51.100.0/24 }\n\
         zone internet : untrusted { subnet 203.0.113.0/24 }\n\
         waive DEV-UPS on asset ws0 { reason \"later\"; until 2027-06-01 }\n\
         waive DEV-SPARE on asset ws0 { reason \"sooner\"; until 2026-12-20 }\n",
    );
    for i in 0..n {
        text.push_str(&format!("asset ws{i} in line {{ kind workstation; ip 10.2.0.{} }}\n", i + 10));
    }
    text
}

fn checked(n: usize) -> (Checked, MemorySource) {
    let source = MemorySource::new("t").with_file("plant.kojo", plant(n).into_bytes());
    let options = Options { today: Some(Date::parse(NOW).unwrap()), ..Default::default() };
    (kojo_compiler::check_with(&source, &options), source)
}

fn with_view<T>(n: usize, f: impl FnOnce(&Request<'_>) -> T) -> T {
    let (checked, source) = checked(n);
    let now = Date::parse(NOW).unwrap();
    let (model, catalogue, profile) =
        (checked.model.as_ref().unwrap(), checked.catalogue.as_ref().unwrap(), checked.profile.as_ref().unwrap());
    let versioning = source.history(&paths::inside(model), now);
    let input = Input {
        model,
        catalogue,
        profile,
        tiers: &checked.tiers,
        findings: &checked.findings,
        now,
        versioning: &versioning,
    };
    let assessment = assess(&input);
    let request = Request {
        model,
        catalogue,
        profile,
        tiers: &checked.tiers,
        findings: &checked.findings,
        assessment: &assessment,
        now,
        lang: Lang::En,
        command: "kojo report".to_string(),
        templates: &[],
    };
    f(&request)
}

#[test]
fn a_long_group_folds() {
    let view = with_view(FOLD + 5, |r| view(r).unwrap());
    let group = view.findings.iter().find(|g| g.rule == "DEV-BACKUP").expect("every workstation lacks backups");
    assert_eq!(group.count, FOLD + 5);
    assert_eq!(group.shown.len(), FOLD);
    assert_eq!(group.more, 5);
    assert!(group.shown.iter().all(|f| f.entity.starts_with("asset:ws")));
    assert!(group.fix.is_some() || group.shown.iter().all(|f| f.fix.is_some()), "every finding has its fix");
    assert_eq!(group.title, "Periodic offline data backup");
}

#[test]
fn groups_come_errors_first_then_largest() {
    let view = with_view(3, |r| view(r).unwrap());
    let rank = |s: &str| match s {
        "error" => 2,
        "warning" => 1,
        _ => 0,
    };
    for pair in view.findings.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        assert!(
            rank(a.severity) > rank(b.severity) || (a.severity == b.severity && a.count >= b.count),
            "{} ({}, {}) before {} ({}, {})",
            a.rule,
            a.severity,
            a.count,
            b.rule,
            b.severity,
            b.count
        );
    }
    assert_eq!(
        view.counts.errors + view.counts.warnings + view.counts.infos,
        view.findings.iter().map(|g| g.count).sum::<usize>()
    );
}

#[test]
fn zones_go_from_the_outside_in() {
    let view = with_view(1, |r| view(r).unwrap());
    let names: Vec<&str> = view.zones.iter().map(|z| z.name.as_str()).collect();
    assert_eq!(names, ["internet", "vendor", "office", "line"]);
    let line = view.zones.iter().find(|z| z.name == "line").unwrap();
    assert_eq!((line.tier, line.assets), (Some("high"), 1));
    assert!(line.errors > 0, "the workstation's findings count in its zone");
    assert_eq!(view.zones.iter().find(|z| z.name == "internet").unwrap().tier, None);
}

#[test]
fn waivers_come_soonest_first_with_days_left() {
    let view = with_view(1, |r| view(r).unwrap());
    let reasons: Vec<(&str, i64, &str)> =
        view.waivers.iter().map(|w| (w.reason.as_str(), w.days_left, w.status)).collect();
    assert_eq!(reasons, [("sooner", 14, "expiring"), ("later", 177, "live")]);
    assert_eq!(view.waivers[0].hides, 1);
    assert_eq!(
        (status(-1), status(0), status(EXPIRING_DAYS), status(EXPIRING_DAYS + 1)),
        ("expired", "expiring", "expiring", "live")
    );
}

#[test]
fn the_same_model_gives_the_same_bytes() {
    let first = with_view(4, |r| render(r).unwrap());
    assert_eq!(first, with_view(4, |r| render(r).unwrap()));
    assert!(first.contains(
        "Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\""
    ));
    assert!(!first.contains("<script"), "the report carries no script");
}

/// Every rule of kojo's own has what it asks in both languages, the English
/// the same as its `kojo explain` page's title.
#[test]
fn every_built_in_rule_says_what_it_asks() {
    let catalogue = kojo_stdlib::Catalogue::builtin().unwrap();
    let ids = kojo_compiler::rules::RULES.iter().map(|r| r.id).chain(kojo_compiler::rules::WAIVER_RULES);
    for id in ids {
        let key = format!("report.rule.{id}");
        for lang in ["en", "ja"] {
            let messages = kojo_stdlib::Messages::builtin(lang).unwrap().unwrap();
            assert!(messages.get(&key).is_some(), "{key} is missing in {lang}.toml");
        }
        let page = kojo_compiler::rules::rule_page(catalogue, id, kojo_stdlib::Lang::En).unwrap();
        let title = kojo_compiler::rules::page_title(&page).unwrap().replace('`', "");
        let en = kojo_stdlib::Messages::builtin("en").unwrap().unwrap();
        assert_eq!(en.get(&key), Some(title.as_str()), "{key}: the explain page's title");
    }
}

/// The threats the report shows are the threat table, derived once with the
/// assessment; open entry points count in their zone.
#[test]
fn threats_come_from_the_assessment() {
    let (threats, view) = with_view(2, |r| {
        assert_eq!(r.assessment.threats, kojo_compiler::threats::derive(r.model, r.catalogue));
        (r.assessment.threats.len(), view(r).unwrap())
    });
    assert_eq!(view.threats.iter().map(|z| z.entries.len()).sum::<usize>(), threats);
    assert_eq!(view.counts.threats, threats);
    let per_zone: usize = view.zones.iter().map(|z| z.threats).sum();
    assert_eq!(per_zone, threats);
}
