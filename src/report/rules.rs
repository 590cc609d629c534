//! What CI formats say about a rule or a diagnostic code: its title, what
//! it checks, its `kojo explain` page, the guideline sections it cites, and
//! which rules ran (JUnit lists the ones that found nothing as passed).

use kojo_compiler::rules::{self, Context};
use kojo_compiler::Checked;
use kojo_lang::{Code, Severity};
use kojo_stdlib::{Catalogue, Requirement};

/// A rule or code, described.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleMeta {
    /// `ANY-ENDPOINT`, `KOJO-E0201`.
    pub id: String,
    /// The ID in Pascal case (`AnyEndpoint`), SARIF's friendly name.
    pub name: String,
    /// One line: the page's title.
    pub title: String,
    /// What it checks or means: the page's first section.
    pub description: String,
    /// The `kojo explain` page (Markdown), if there is one.
    pub page: Option<String>,
    /// The guideline sections it cites (`3.2.2(1)①`).
    pub guideline: Vec<String>,
    pub tags: Vec<String>,
    /// The severity it reports at in this project.
    pub level: Severity,
}

/// Describes `id`; `seen` is the severity of a diagnostic that carries it,
/// the level of a code (or a rule the profile does not know).
pub fn describe(checked: &Checked, id: &str, seen: Severity) -> RuleMeta {
    let catalogue = checked.catalogue.as_ref().or_else(|| Catalogue::builtin().ok());
    let requirement = checked
        .profile
        .as_ref()
        .and_then(|p| p.requirement(id))
        .or_else(|| catalogue.and_then(|c| c.profiles().find_map(|p| p.requirement(id))));
    let page = catalogue.and_then(|c| rules::page(c, id, kojo_stdlib::Lang::En));
    let title = page
        .as_deref()
        .and_then(rules::page_title)
        .or_else(|| requirement.map(|r| format!("{} / {}", r.label.en, r.label.ja)))
        .or_else(|| Code::parse(id).map(|c| c.title().to_string()))
        .unwrap_or_else(|| id.to_string());
    let description = page
        .as_deref()
        .and_then(first_section)
        .or_else(|| requirement.map(requirement_text))
        .unwrap_or_else(|| title.clone());
    let guideline = match requirement {
        Some(r) => vec![r.source.clone()],
        None => page.as_deref().map(citations).unwrap_or_default(),
    };
    RuleMeta {
        id: id.to_string(),
        name: pascal(id),
        title,
        description,
        guideline,
        tags: tags(id, requirement),
        level: level(checked, id, requirement).unwrap_or(seen),
        page,
    }
}

/// Every rule that ran, in the order they run; none when the project did
/// not compile far enough for rules to run.
pub fn ran(checked: &Checked) -> Vec<String> {
    let (Some(model), Some(catalogue), Some(profile)) = (&checked.model, &checked.catalogue, &checked.profile) else {
        return Vec::new();
    };
    let ctx = Context { model, catalogue, profile, tiers: &checked.tiers };
    rules::ids(&ctx).into_iter().map(String::from).collect()
}

/// The severity the profile gives the rule, else its default.
fn level(checked: &Checked, id: &str, requirement: Option<&Requirement>) -> Option<Severity> {
    let configured = checked.profile.as_ref().and_then(|p| p.severity.get(id)).and_then(|s| match s.as_str() {
        "error" => Some(Severity::Error),
        "warning" => Some(Severity::Warning),
        "info" => Some(Severity::Info),
        _ => None,
    });
    configured
        .or_else(|| rules::RULES.iter().find(|r| r.id == id).map(|r| r.severity))
        .or_else(|| requirement.map(|_| Severity::Error))
}

fn tags(id: &str, requirement: Option<&Requirement>) -> Vec<String> {
    let mut tags = Vec::new();
    if Code::parse(id).is_some() {
        tags.push("correctness".to_string());
        return tags;
    }
    tags.push("security".to_string());
    if rules::WAIVER_RULES.contains(&id) {
        tags.push("waiver".to_string());
    }
    if let Some(r) = requirement {
        tags.push(format!("{}-table", r.table));
    }
    tags
}

/// The page's first section (what it checks, what it means): its
/// paragraphs each on one line, list items on their own.
fn first_section(page: &str) -> Option<String> {
    let body = page.lines().skip_while(|l| !l.starts_with("## ")).skip(1).take_while(|l| !l.starts_with('#'));
    let mut blocks: Vec<String> = Vec::new();
    let mut open = false;
    for line in body.map(str::trim) {
        if line.is_empty() {
            open = false;
        } else if let (true, false, Some(last)) = (open, line.starts_with("- "), blocks.last_mut()) {
            last.push(' ');
            last.push_str(line);
        } else {
            blocks.push(line.to_string());
            open = true;
        }
    }
    (!blocks.is_empty()).then(|| blocks.join("\n"))
}

/// A profile requirement that has no page (a project's own profile).
fn requirement_text(r: &Requirement) -> String {
    format!(
        "Every {} at tier {} or higher needs {} (profile requirement; [{}], {} table, row `{}`).",
        r.applies_to.as_str(),
        r.tier,
        r.needs(),
        r.source,
        r.table,
        r.item
    )
}

/// The guideline sections a page cites: `[3.2.2(1)①]`, `[3.1.4, 3.2.2(1)]`.
fn citations(page: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut rest = page;
    while let Some(start) = rest.find('[') {
        let after = rest.get(start + 1..).unwrap_or_default();
        let Some(end) = after.find(']') else { break };
        let inside = after.get(..end).unwrap_or_default();
        // A Markdown link (`[text](url)`) is no citation.
        let link = after.get(end + 1..).is_some_and(|r| r.starts_with('('));
        if !link && inside.starts_with(|c: char| c.is_ascii_digit()) {
            for section in inside.split(", ").map(str::trim) {
                if !out.iter().any(|s| s == section) {
                    out.push(section.to_string());
                }
            }
        }
        rest = after.get(end + 1..).unwrap_or_default();
    }
    out
}

/// `ANY-ENDPOINT` → `AnyEndpoint`, `KOJO-E0201` → `KojoE0201`.
fn pascal(id: &str) -> String {
    id.split(['-', '_'])
        .map(|part| {
            let mut chars = part.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_uppercase().chain(chars.flat_map(char::to_lowercase)).collect::<String>()
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checked() -> Checked {
        let source = kojo_compiler::MemorySource::new("t")
            .with_file("plant.kojo", b"plant \"T\" { name \"T\" }\nzone a { subnet 10.0.0.0/24 }\n".to_vec());
        kojo_compiler::check_with(&source, &kojo_compiler::Options::default())
    }

    #[test]
    fn rules_are_described_from_their_pages() {
        let checked = checked();
        let any = describe(&checked, "ANY-ENDPOINT", Severity::Warning);
        assert_eq!(any.name, "AnyEndpoint");
        assert_eq!(any.title, "`any` in a flow of a medium- or high-tier conduit");
        assert!(any.description.starts_with("A flow whose source or destination is `any`"), "{}", any.description);
        assert_eq!(any.guideline, ["3.2.2(1)①"]);
        assert_eq!(any.level, Severity::Error, "the rule's default, not the severity seen");
        let wireless = describe(&checked, "WIRELESS-ALLOWLIST", Severity::Error);
        assert_eq!(wireless.guideline, ["3.1.4", "3.2.2(1)"]);
        let ids = describe(&checked, "NW-TRAFFIC-IDS", Severity::Warning);
        assert_eq!(ids.guideline.len(), 1);
        assert!(ids.tags.contains(&"network-table".to_string()), "{:?}", ids.tags);
        assert!(ids.page.is_some());
        let code = describe(&checked, "KOJO-E0201", Severity::Error);
        assert_eq!((code.title.as_str(), code.name.as_str()), ("unknown name", "KojoE0201"));
        assert_eq!(code.tags, ["correctness"]);
        let unknown = describe(&checked, "NOT-A-RULE", Severity::Info);
        assert_eq!((unknown.title.as_str(), unknown.level), ("NOT-A-RULE", Severity::Info));
    }

    #[test]
    fn the_rules_that_ran_are_the_ones_a_waiver_may_name() {
        let ran = ran(&checked());
        assert!(ran.iter().any(|r| r == "ANY-ENDPOINT") && ran.iter().any(|r| r == "NW-TRAFFIC-IDS"), "{ran:?}");
        assert!(ran.iter().any(|r| r == "WAIVER-EXPIRED"));
    }

    #[test]
    fn the_description_is_the_first_section() {
        let page = "# X: t\n\n## What it checks\nOne\nparagraph:\n\n- a\n  continued\n- b\n\nTwo.\n## Why\nno";
        assert_eq!(first_section(page).unwrap(), "One paragraph:\n- a continued\n- b\nTwo.");
    }

    #[test]
    fn citations_skip_links() {
        assert_eq!(citations("see [3.3] and [the docs](x.md) and [E-1] [3.3]"), ["3.3"]);
    }
}
