//! `textDocument/hover`: on a name, the entity and what it means for the
//! plant (tier in force and what raised it, controls in force, findings);
//! on a rule ID, control, service, kind or checklist item, its
//! `kojo explain` page.

use std::collections::BTreeSet;
use std::fmt::Write;

use kojo_compiler::controls;
use kojo_compiler::model::{EntityRef, Model};
use kojo_compiler::symbols::{Declaration, SymbolKind};
use kojo_compiler::Checked;
use kojo_lang::ast::EntityKind;
use kojo_stdlib::Lang;

/// Findings listed on one entity; the rest are counted.
const FINDINGS_SHOWN: usize = 10;

/// Markdown for the entity declared as `declaration`, files named from
/// the project's `root`.
pub fn entity(checked: &Checked, declaration: &Declaration, root: &std::path::Path) -> String {
    let symbols = &checked.symbols;
    let file = symbols.file(declaration.file);
    let mut out = format!("**{} `{}`**", declaration.kind.keyword(), declaration.name);
    if let Some(title) = file.and_then(|f| title(f.text().get(declaration.span.range()).unwrap_or_default())) {
        let _ = write!(out, " {title}");
    }
    if let Some(file) = file {
        let (line, _) = file.line_col(declaration.name_span.start);
        let name = std::path::Path::new(file.name());
        let shown = name.strip_prefix(root).unwrap_or(name).to_string_lossy();
        let _ = write!(out, "\n\ndeclared in `{shown}`, line {line}");
    }
    match (&checked.model, declaration.kind) {
        (Some(model), SymbolKind::Entity(kind)) => {
            if let Some(entity) = find(model, kind, &declaration.name) {
                out.push_str(&meaning(checked, model, entity));
            }
        }
        (None, _) => {
            out.push_str("\n\n*The project has errors: its tiers, controls and findings show once it compiles.*")
        }
        _ => {}
    }
    out
}

/// The quoted title on a declaration's first line.
fn title(declaration: &str) -> Option<&str> {
    let line = declaration.lines().next()?;
    let start = line.find('"')?;
    let rest = line.get(start..)?;
    let end = rest.get(1..)?.find('"')?;
    rest.get(..end + 2)
}

fn find(model: &Model, kind: EntityKind, name: &str) -> Option<EntityRef> {
    match kind {
        EntityKind::Zone => model.zones.iter().find(|z| z.name == name).map(|z| EntityRef::Zone(z.id)),
        EntityKind::Asset => model.assets.iter().find(|a| a.name == name).map(|a| EntityRef::Asset(a.id)),
        EntityKind::Conduit => model.conduits.iter().find(|c| c.name == name).map(|c| EntityRef::Conduit(c.id)),
        EntityKind::Operation => model.operations.iter().find(|o| o.name == name).map(|o| EntityRef::Operation(o.id)),
        EntityKind::Data => model.data.iter().find(|d| d.name == name).map(|d| EntityRef::Data(d.id)),
        EntityKind::Plant => Some(EntityRef::Plant),
    }
}

/// Tier, controls in force and findings of an entity of a model.
fn meaning(checked: &Checked, model: &Model, entity: EntityRef) -> String {
    let mut out = String::new();
    let catalogue = checked.catalogue.as_ref();
    let tier = |zone: kojo_compiler::model::ZoneId| {
        let t = checked.tiers.get(zone.index())?;
        let effective = t.effective.map_or("none (not protected by the plant)", |t| t.id());
        let why = t
            .raised_by
            .as_ref()
            .map_or(String::new(), |r| format!(", raised by {} ({} {})", r.entity, r.axis, r.level));
        Some(format!("{effective}{why}"))
    };
    let in_force: BTreeSet<&str> = match (entity, catalogue) {
        (EntityRef::Zone(id), _) => {
            if let (Some(zone), Some(t)) = (model.zone(id), tier(id)) {
                let _ = write!(out, "\n\ntier in force: {t}");
                controls::zone_controls(zone)
            } else {
                BTreeSet::new()
            }
        }
        (EntityRef::Asset(id), Some(catalogue)) => match model.asset(id) {
            Some(asset) => {
                let zone = asset.zone.and_then(|z| model.zone(z));
                let _ = write!(out, "\n\nkind `{}`", asset.kind);
                if let Some(zone) = zone {
                    let _ = write!(out, " in zone `{}`", zone.name);
                }
                if let Some(t) = controls::asset_tier(&checked.tiers, asset) {
                    let _ = write!(out, "; tier in force: {}", t.id());
                }
                controls::asset_controls(model, catalogue, asset)
            }
            None => BTreeSet::new(),
        },
        (EntityRef::Conduit(id), Some(catalogue)) => match model.conduit(id) {
            Some(conduit) => {
                let name = |z| model.zone(z).map_or("?", |z| z.name.as_str());
                let _ = write!(
                    out,
                    "\n\nfrom zone `{}` to zone `{}`, {} flow(s)",
                    name(conduit.from),
                    name(conduit.to),
                    conduit.flows.len()
                );
                if let Some(t) = controls::conduit_tier(&checked.tiers, conduit) {
                    let _ = write!(out, "; tier in force: {}", t.id());
                }
                controls::conduit_controls(catalogue, conduit)
            }
            None => BTreeSet::new(),
        },
        _ => BTreeSet::new(),
    };
    if !in_force.is_empty() {
        let list: Vec<String> = in_force.iter().map(|c| format!("`{c}`")).collect();
        let _ = write!(out, "\n\ncontrols in force: {}", list.join(", "));
    }
    let applied = &checked.findings;
    let findings: Vec<_> = applied.kept.iter().chain(&applied.problems).filter(|f| f.target == entity).collect();
    if findings.is_empty() {
        out.push_str("\n\nno findings");
    } else {
        let _ = write!(out, "\n\n{} finding(s):", findings.len());
        for f in findings.iter().take(FINDINGS_SHOWN) {
            let _ = write!(out, "\n- `{}` {}", f.rule, f.message);
        }
        if findings.len() > FINDINGS_SHOWN {
            let _ = write!(out, "\n- and {} more", findings.len() - FINDINGS_SHOWN);
        }
    }
    out
}

/// The `kojo explain` page, in `lang`, for the word under the cursor, if it
/// names something kojo explains.
pub fn word(text: &str, offset: usize, lang: Lang) -> Option<String> {
    let word = word_at(text, offset)?;
    let catalogue = kojo_stdlib::Catalogue::builtin().ok()?;
    match kojo_compiler::explain::lookup(catalogue, word, lang) {
        kojo_compiler::explain::Answer::Page { page, .. } => Some(page),
        _ => None,
    }
}

/// The word (letters, digits, `-`, `_`) around `offset`.
pub fn word_at(text: &str, offset: usize) -> Option<&str> {
    let is_word = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
    let before = text.get(..offset.min(text.len()))?;
    let start = before.char_indices().rev().take_while(|(_, c)| is_word(*c)).last().map_or(offset, |(i, _)| i);
    let after = text.get(start..)?;
    let end = after.char_indices().find(|(_, c)| !is_word(*c)).map_or(after.len(), |(i, _)| i);
    let word = after.get(..end)?;
    (!word.is_empty()).then_some(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_titles_are_found() {
        let text = "controls [ids, ip-mac-restriction]";
        let at = text.find("mac").unwrap();
        assert_eq!(word_at(text, at), Some("ip-mac-restriction"));
        assert_eq!(word_at(text, 4), Some("controls"));
        assert_eq!(word_at("a  b", 2), None);
        assert_eq!(title("zone control \"Control / 制御\" {\n"), Some("\"Control / 制御\""));
        assert_eq!(title("zone control {"), None);
    }
}
