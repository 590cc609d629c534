//! `kojo explain`: every vocabulary a user meets in a model or a finding
//! (diagnostic codes, rules, controls, services, asset kinds, Appendix E
//! checklist items, threat entry points), its listing, and one page per
//! entry, written from the catalogue data.
//!
//! IDs of different vocabularies may collide (`firewall` is a control and an
//! asset kind; `wireless-allowlist` a control and, upper-cased, a rule). A
//! bare ID is looked up in [`Vocabulary::ALL`]'s order, an exact match of
//! any vocabulary before a match that ignores case; `kind:firewall` names
//! the vocabulary.

mod checklist;
mod entry_points;
mod kinds;
mod services;

use kojo_lang::Code;
use kojo_stdlib::{Catalogue, Lang};

use crate::rules;

/// One vocabulary `kojo explain` knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Vocabulary {
    Code,
    Rule,
    Control,
    Service,
    Kind,
    Checklist,
    EntryPoint,
}

impl Vocabulary {
    /// The lookup order of a bare ID.
    pub const ALL: [Vocabulary; 7] = [
        Vocabulary::Code,
        Vocabulary::Rule,
        Vocabulary::Control,
        Vocabulary::Service,
        Vocabulary::Kind,
        Vocabulary::Checklist,
        Vocabulary::EntryPoint,
    ];

    /// The prefix that names the vocabulary (`kind:plc`).
    pub fn prefix(self) -> &'static str {
        match self {
            Vocabulary::Code => "code",
            Vocabulary::Rule => "rule",
            Vocabulary::Control => "control",
            Vocabulary::Service => "service",
            Vocabulary::Kind => "kind",
            Vocabulary::Checklist => "checklist",
            Vocabulary::EntryPoint => "entry-point",
        }
    }

    /// The word that lists the vocabulary (`kojo explain kinds`).
    pub fn listing(self) -> &'static str {
        match self {
            Vocabulary::Code => "codes",
            Vocabulary::Rule => "rules",
            Vocabulary::Control => "controls",
            Vocabulary::Service => "services",
            Vocabulary::Kind => "kinds",
            Vocabulary::Checklist => "checklist",
            Vocabulary::EntryPoint => "entry-points",
        }
    }

    /// What an entry is, in a sentence ("an asset kind").
    pub fn noun(self) -> &'static str {
        match self {
            Vocabulary::Code => "a diagnostic code",
            Vocabulary::Rule => "a rule",
            Vocabulary::Control => "a control",
            Vocabulary::Service => "a service",
            Vocabulary::Kind => "an asset kind",
            Vocabulary::Checklist => "an Appendix E checklist item",
            Vocabulary::EntryPoint => "a threat entry point",
        }
    }

    /// What the listing holds, for `kojo explain` without an argument.
    pub fn description(self) -> &'static str {
        match self {
            Vocabulary::Code => "diagnostic codes (KOJO-E0201): errors and warnings about the source",
            Vocabulary::Rule => "rules (NW-TRAFFIC-IDS): what `kojo check` finds, and what a waiver names",
            Vocabulary::Control => "controls (ips): the measures `controls [...]` claims",
            Vocabulary::Service => "services (modbus-tcp): what a flow allows, their ports and functions",
            Vocabulary::Kind => "asset kinds (plc): what `kind` an asset is",
            Vocabulary::Checklist => "Appendix E checklist items (E-2-3): what `kojo evidence` reports",
            Vocabulary::EntryPoint => "threat entry points (EP07): what `kojo check --threats` lists",
        }
    }

    fn from_prefix(text: &str) -> Option<Vocabulary> {
        Vocabulary::ALL.into_iter().find(|v| v.prefix() == text)
    }

    fn from_listing(text: &str) -> Option<Vocabulary> {
        Vocabulary::ALL.into_iter().find(|v| v.listing().eq_ignore_ascii_case(text))
    }
}

/// One entry of a listing: its ID and a one-line title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: String,
    pub title: String,
}

/// Every entry of a vocabulary, in the catalogue's order (IDs sorted, the
/// checklist in the guideline's order), titled in `lang`.
pub fn entries(catalogue: &Catalogue, vocabulary: Vocabulary, lang: Lang) -> Vec<Entry> {
    let entry = |id: &str, title: &str| Entry { id: id.to_string(), title: title.to_string() };
    match vocabulary {
        Vocabulary::Code => Code::ALL
            .iter()
            .map(|c| {
                // The code's own English title, or its translated page's.
                let page = match lang {
                    Lang::En => None,
                    Lang::Ja => kojo_stdlib::explain_page_in(c.as_str(), lang),
                };
                entry(c.as_str(), &page.map_or_else(|| c.title().to_string(), |p| title(p, c.as_str())))
            })
            .collect(),
        Vocabulary::Rule => rules::all_ids(catalogue)
            .iter()
            .map(|id| entry(id, &rules::rule_page(catalogue, id, lang).map(|p| title(&p, id)).unwrap_or_default()))
            .collect(),
        Vocabulary::Control => catalogue.controls().map(|c| entry(&c.id, c.label.get(lang.code()))).collect(),
        Vocabulary::Service => catalogue.services().map(|s| entry(&s.id, s.label.get(lang.code()))).collect(),
        Vocabulary::Kind => catalogue.asset_kinds().map(|k| entry(&k.id, k.label.get(lang.code()))).collect(),
        Vocabulary::Checklist => catalogue.checklist_items().map(|i| entry(&i.id, i.text.get(lang.code()))).collect(),
        Vocabulary::EntryPoint => catalogue.entry_points().map(|e| entry(&e.id, e.label.get(lang.code()))).collect(),
    }
}

/// `kojo explain services`: one entry a line, IDs aligned.
pub fn listing(catalogue: &Catalogue, vocabulary: Vocabulary, lang: Lang) -> String {
    let entries = entries(catalogue, vocabulary, lang);
    let width = entries.iter().map(|e| e.id.len()).max().unwrap_or(0);
    entries.iter().map(|e| format!("{:<width$}  {}\n", e.id, e.title)).collect()
}

/// `kojo explain` without an argument: the vocabularies, their sizes and
/// how to list each.
pub fn overview(catalogue: &Catalogue) -> String {
    let mut out = String::from("kojo explain ID prints the page of any of these; kojo explain LIST lists them:\n");
    for vocabulary in Vocabulary::ALL {
        let count = entries(catalogue, vocabulary, Lang::En).len();
        out.push_str(&format!("  {:<13} {count:>3} {}\n", vocabulary.listing(), vocabulary.description()));
    }
    out.push_str("An ID of several (`firewall`, a control and an asset kind) takes a prefix: kind:firewall.\n");
    out
}

/// A page's title without its `# ID: ` head.
fn title(page: &str, id: &str) -> String {
    let first = page.lines().next().unwrap_or_default().trim_start_matches('#').trim();
    first.strip_prefix(id).map_or(first, |rest| rest.trim_start_matches(':').trim()).to_string()
}

/// The page of the entry `id` of a vocabulary, in `lang`; `id` as the
/// catalogue writes it.
pub fn page(catalogue: &Catalogue, vocabulary: Vocabulary, id: &str, lang: Lang) -> Option<String> {
    match vocabulary {
        Vocabulary::Code => {
            Code::ALL.iter().find(|c| c.as_str() == id).and_then(|_| rules::rule_page(catalogue, id, lang))
        }
        Vocabulary::Rule => {
            rules::all_ids(catalogue).iter().find(|r| *r == id).and_then(|_| rules::rule_page(catalogue, id, lang))
        }
        Vocabulary::Control => catalogue.control(id).map(|c| rules::control_page(catalogue, c, lang)),
        Vocabulary::Service => catalogue.service(id).map(|s| services::page(catalogue, s, lang)),
        Vocabulary::Kind => catalogue.asset_kind(id).map(|k| kinds::page(catalogue, k, lang)),
        Vocabulary::Checklist => catalogue.checklist_item(id).map(|i| checklist::page(catalogue, i, lang)),
        Vocabulary::EntryPoint => catalogue.entry_point(id).map(|e| entry_points::page(catalogue, e, lang)),
    }
}

/// What `kojo explain TEXT` answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// An entry's page, and the other vocabularies with an entry of that ID.
    Page { vocabulary: Vocabulary, id: String, page: String, also: Vec<Vocabulary> },
    /// `kojo explain services`: a vocabulary's listing.
    Listing(Vocabulary),
    /// Nothing of that name; the closest ID of any vocabulary, if one is close.
    Unknown { suggestion: Option<String> },
}

/// Looks `text` up: a listing word, `PREFIX:ID`, or a bare ID (exact
/// matches of every vocabulary before matches that ignore case; `E0201`
/// and `0201` for `KOJO-E0201`). A page is written in `lang`.
pub fn lookup(catalogue: &Catalogue, text: &str, lang: Lang) -> Answer {
    if let Some(vocabulary) = Vocabulary::from_listing(text) {
        return Answer::Listing(vocabulary);
    }
    let (vocabularies, bare): (Vec<Vocabulary>, &str) =
        match text.split_once(':').and_then(|(p, rest)| Some((Vocabulary::from_prefix(&p.to_lowercase())?, rest))) {
            Some((vocabulary, rest)) => (vec![vocabulary], rest),
            None => (Vocabulary::ALL.to_vec(), text),
        };
    let all: Vec<(Vocabulary, String)> = vocabularies
        .iter()
        .flat_map(|v| entries(catalogue, *v, Lang::En).into_iter().map(move |e| (*v, e.id)))
        .collect();
    let code_forms = [format!("KOJO-{bare}"), format!("KOJO-E{bare}")];
    let exact = |v: Vocabulary, id: &str| id == bare || (v == Vocabulary::Code && code_forms.iter().any(|f| f == id));
    let loose = |v: Vocabulary, id: &str| {
        id.eq_ignore_ascii_case(bare)
            || (v == Vocabulary::Code && code_forms.iter().any(|f| f.eq_ignore_ascii_case(id)))
    };
    let found: Vec<&(Vocabulary, String)> = {
        let exact: Vec<_> = all.iter().filter(|(v, id)| exact(*v, id)).collect();
        if exact.is_empty() {
            all.iter().filter(|(v, id)| loose(*v, id)).collect()
        } else {
            exact
        }
    };
    let Some((vocabulary, id)) = found.first() else {
        let lower: Vec<String> = all.iter().map(|(_, id)| id.to_lowercase()).collect();
        let near = crate::suggest::did_you_mean(&bare.to_lowercase(), lower.iter().map(String::as_str));
        let suggestion = near.and_then(|near| all.iter().find(|(_, id)| id.to_lowercase() == near)).map(|(v, id)| {
            if vocabularies.len() == 1 {
                format!("{}:{id}", v.prefix())
            } else {
                id.clone()
            }
        });
        return Answer::Unknown { suggestion };
    };
    let also = found.iter().skip(1).map(|(v, _)| *v).filter(|v| v != vocabulary).collect();
    match page(catalogue, *vocabulary, id, lang) {
        Some(page) => Answer::Page { vocabulary: *vocabulary, id: id.clone(), page, also },
        None => Answer::Unknown { suggestion: None },
    }
}

#[cfg(test)]
mod tests;
