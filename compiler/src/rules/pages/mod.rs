//! Pages for `kojo explain RULE-ID`. Built-in rules have hand-written pages
//! in `stdlib/explain/`; a profile's requirements are data, so their pages
//! are written from the data, as are controls' pages (`control.rs`,
//! `requirement.rs`), in the words of the message files (`words.rs`).

mod control;
mod requirement;
mod words;

use kojo_stdlib::{Catalogue, Lang};

pub use control::control_page;
pub(crate) use words::{Noun, Words};

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
    catalogue
        .profiles()
        .find_map(|p| p.requirement(id).map(|r| requirement::requirement_page(catalogue, &p.id, r, lang)))
}
