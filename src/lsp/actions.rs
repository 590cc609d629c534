//! Quick fixes (`textDocument/codeAction`) for the diagnostics the editor
//! sends back: take the "did you mean" suggestion, add a control a finding
//! says is missing to the entity's `controls`, or add a waiver skeleton for
//! a finding. The skeleton has no `reason` and no `until` on purpose: kojo
//! reports both missing until someone writes them, so a waiver is never
//! accepted by accident.

use std::collections::HashMap;

use kojo_compiler::symbols::{SymbolKind, Symbols};
use kojo_compiler::Checked;
use kojo_lang::ast::{self, Decl, EntityKind};
use kojo_lang::span::Spanned;
use kojo_lang::{SourceFile, Span};
use lsp_types::{
    CodeAction, CodeActionKind, Diagnostic, NumberOrString, Position, Range, TextEdit, Uri, WorkspaceEdit,
};

use super::convert;
use super::world::World;

/// The fixes for `diagnostics` of the document `uri`.
pub fn actions(world: &World, uri: &Uri, diagnostics: &[Diagnostic]) -> Vec<CodeAction> {
    let mut out = Vec::new();
    for diagnostic in diagnostics.iter().filter(|d| d.source.as_deref() == Some("kojo")) {
        out.extend(did_you_mean(uri, diagnostic));
        let Some(checked) = &world.checked else { continue };
        let Some(fingerprint) = diagnostic.data.as_ref().and_then(|d| d["fingerprint"].as_str()) else { continue };
        let Some((rule, kind, name)) = finding_of(fingerprint) else { continue };
        out.extend(add_controls(world, checked, rule, kind, name, diagnostic));
        out.extend(waiver(world, uri, rule, kind, name, diagnostic));
    }
    out
}

/// The rule and the entity of a finding's fingerprint (`RULE/kind:name…`).
fn finding_of(fingerprint: &str) -> Option<(&str, EntityKind, &str)> {
    let (rule, _) = fingerprint.split_once('/')?;
    let (kind, name) = kojo_compiler::rules::fingerprint_entity(fingerprint)?.split_once(':')?;
    let kind = EntityKind::ALL.into_iter().find(|k| k.keyword() == kind)?;
    Some((rule, kind, name))
}

fn action(title: String, diagnostic: &Diagnostic, uri: &Uri, edit: TextEdit, preferred: bool) -> CodeAction {
    // `WorkspaceEdit::changes` is keyed by `Uri`, which caches its parse;
    // the key is never changed once in the map.
    #[allow(clippy::mutable_key_type)]
    let changes = HashMap::from([(uri.clone(), vec![edit])]);
    CodeAction {
        title,
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![diagnostic.clone()]),
        edit: Some(WorkspaceEdit { changes: Some(changes), ..WorkspaceEdit::default() }),
        is_preferred: preferred.then_some(true),
        ..CodeAction::default()
    }
}

/// "did you mean `x`?" in the help of an unknown name: the name replaced.
fn did_you_mean(uri: &Uri, diagnostic: &Diagnostic) -> Option<CodeAction> {
    let (_, rest) = diagnostic.message.split_once("did you mean `")?;
    let (suggestion, _) = rest.split_once("`?")?;
    let unknown = matches!(&diagnostic.code, Some(NumberOrString::String(code)) if code.starts_with("KOJO-E"));
    if !unknown || suggestion.is_empty() {
        return None;
    }
    let edit = TextEdit { range: diagnostic.range, new_text: suggestion.to_string() };
    Some(action(format!("Change to `{suggestion}`"), diagnostic, uri, edit, true))
}

/// The controls the finding's requirement still asks of the entity, each
/// as an action that adds it to the entity's `controls`.
fn add_controls(
    world: &World,
    checked: &Checked,
    rule: &str,
    kind: EntityKind,
    name: &str,
    diagnostic: &Diagnostic,
) -> Vec<CodeAction> {
    let (Some(model), Some(profile), Some(catalogue)) = (&checked.model, &checked.profile, &checked.catalogue) else {
        return Vec::new();
    };
    let Some(requirement) = profile.requirement(rule) else { return Vec::new() };
    let in_force = match kind {
        EntityKind::Zone => model.zones.iter().find(|z| z.name == name).map(kojo_compiler::controls::zone_controls),
        EntityKind::Asset => model
            .assets
            .iter()
            .find(|a| a.name == name)
            .map(|a| kojo_compiler::controls::asset_controls(model, catalogue, a)),
        EntityKind::Conduit => model
            .conduits
            .iter()
            .find(|c| c.name == name)
            .map(|c| kojo_compiler::controls::conduit_controls(catalogue, c)),
        _ => None,
    };
    let Some(in_force) = in_force else { return Vec::new() };
    let Some((uri, file, decl)) = declaration(world, &checked.symbols, kind, name) else { return Vec::new() };
    requirement
        .missing(|c| in_force.contains(c))
        .into_iter()
        .filter_map(|control| {
            let edit = insert_control(&file, &decl, control)?;
            let title = format!("Add control `{control}` to {} `{name}`", kind.keyword());
            Some(action(title, diagnostic, &uri, edit, false))
        })
        .collect()
}

/// The file and the parsed declaration of entity `name` of `kind`.
fn declaration(world: &World, symbols: &Symbols, kind: EntityKind, name: &str) -> Option<(Uri, SourceFile, Decl)> {
    let index = symbols.find(SymbolKind::Entity(kind), name)?;
    let declared = symbols.declarations.get(index)?;
    let path = world.path_of(symbols.file(declared.file)?.name());
    let file = SourceFile::new(path.to_string_lossy(), world.text(&path)?);
    let parsed = kojo_lang::parse(&file);
    let decl = parsed.file.decls.into_iter().find(|d| d.span().start == declared.span.start)?;
    Some((convert::uri(&path)?, file, decl))
}

/// The edit adding `control` to the declaration's `controls` list, or a
/// `controls` line where it has none, in the layout `kojo fmt` gives.
fn insert_control(file: &SourceFile, decl: &Decl, control: &str) -> Option<TextEdit> {
    // The declaration's `controls` list, and where its last property ends.
    fn parts<T>(items: &[Spanned<T>], list: fn(&T) -> Option<&ast::List>) -> (Option<&ast::List>, Option<Span>) {
        (items.iter().find_map(|i| list(&i.node)), items.last().map(|i| i.span))
    }
    let (list, last_item) = match decl {
        Decl::Zone(z) => parts(&z.items, |i| if let ast::ZoneItem::Controls(l) = i { Some(l) } else { None }),
        Decl::Asset(a) => parts(&a.items, |i| if let ast::AssetItem::Controls(l) = i { Some(l) } else { None }),
        Decl::Conduit(c) => parts(&c.items, |i| if let ast::ConduitItem::Controls(l) = i { Some(l) } else { None }),
        _ => return None,
    };
    let text = file.text();
    let at = |offset: usize| convert::position_in(file, offset);
    let insert =
        |offset: usize, new_text: String| TextEdit { range: Range { start: at(offset), end: at(offset) }, new_text };
    // The spaces that start the line `offset` is on.
    let indent_at = |offset: usize| -> String {
        let line_start = text.get(..offset).and_then(|t| t.rfind('\n')).map_or(0, |i| i + 1);
        text.get(line_start..).unwrap_or_default().chars().take_while(|c| *c == ' ').collect()
    };
    if let Some(list) = list {
        let Some(last) = list.items.last() else { return Some(insert(list.span.0.start + 1, control.to_string())) };
        // A list written one item a line gets the control on a line of its
        // own, after the trailing comma if there is one.
        if !text.get(list.span.0.start..list.span.0.end)?.contains('\n') {
            return Some(insert(last.span.end, format!(", {control}")));
        }
        let indent = indent_at(last.span.start);
        let after = text.get(last.span.end..list.span.0.end)?;
        return Some(match after.trim_start().strip_prefix(',') {
            Some(_) => {
                let comma = last.span.end + after.find(',')? + 1;
                insert(comma, format!("\n{indent}{control},"))
            }
            None => insert(last.span.end, format!(",\n{indent}{control}")),
        });
    }
    let end = decl.span().end;
    match last_item {
        // After the last property, on a line of its own as `kojo fmt` puts it.
        Some(last) => {
            let indent = indent_at(last.start);
            let multiline = text.get(decl.span().start..end)?.contains('\n');
            let new_text =
                if multiline { format!("\n{indent}controls [{control}]") } else { format!("; controls [{control}]") };
            Some(insert(last.end, new_text))
        }
        // An empty body `{}` or none at all.
        None if text.get(..end)?.ends_with('}') => {
            let open = text.get(decl.span().start..end)?.rfind('{')? + decl.span().start;
            Some(TextEdit {
                range: Range { start: at(open), end: at(end) },
                new_text: format!("{{\n  controls [{control}]\n}}"),
            })
        }
        None => Some(insert(end, format!(" {{\n  controls [{control}]\n}}"))),
    }
}

/// A waiver skeleton for the finding, at the end of the document the
/// diagnostic is in: the rule, the entity and the compensating controls to
/// list; `reason` and `until` left for a person to write.
fn waiver(
    world: &World,
    uri: &Uri,
    rule: &str,
    kind: EntityKind,
    name: &str,
    diagnostic: &Diagnostic,
) -> Option<CodeAction> {
    if kind == EntityKind::Plant {
        return None;
    }
    let path = convert::path(uri)?;
    let text = world.text(&path)?;
    let end = end_of(&text);
    let separator = if text.is_empty() || text.ends_with("\n\n") {
        ""
    } else if text.ends_with('\n') {
        "\n"
    } else {
        "\n\n"
    };
    let keyword = kind.keyword();
    let new_text = format!(
        "{separator}// Accepted for a while: write why, and until when (kojo reports both missing until then).\n\
         waive {rule} on {keyword} {name} {{\n  // reason \"why {rule} cannot be met on {name} yet\"\n  // until YYYY-MM-DD\n  compensating []\n}}\n"
    );
    let edit = TextEdit { range: Range { start: end, end }, new_text };
    Some(action(
        format!("Waive {rule} on {keyword} `{name}` (reason and expiry to fill in)"),
        diagnostic,
        uri,
        edit,
        false,
    ))
}

/// The position after the last character of `text`.
fn end_of(text: &str) -> Position {
    convert::position(text, text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `control` added to the first declaration of `text`.
    fn added(text: &str, control: &str) -> String {
        let file = SourceFile::new("t.kojo", text);
        let decl = kojo_lang::parse(&file).file.decls.into_iter().next().unwrap();
        let edit = insert_control(&file, &decl, control).unwrap();
        let (start, end) = (convert::offset(text, edit.range.start), convert::offset(text, edit.range.end));
        format!("{}{}{}", &text[..start], edit.new_text, &text[end..])
    }

    #[test]
    fn a_control_goes_where_kojo_fmt_would_put_it() {
        let listed = "zone z \"Z\" {\n  controls [\n    firewall,\n    ids,\n  ]\n}\n";
        assert_eq!(added(listed, "ips"), "zone z \"Z\" {\n  controls [\n    firewall,\n    ids,\n    ips,\n  ]\n}\n");
        let no_comma = "zone z \"Z\" {\n  controls [\n    firewall\n  ]\n}\n";
        assert_eq!(added(no_comma, "ips"), "zone z \"Z\" {\n  controls [\n    firewall,\n    ips\n  ]\n}\n");
        assert_eq!(
            added("zone z \"Z\" { controls [firewall] }\n", "ips"),
            "zone z \"Z\" { controls [firewall, ips] }\n"
        );
        assert_eq!(added("zone z \"Z\" { controls [] }\n", "ips"), "zone z \"Z\" { controls [ips] }\n");
        let none = "asset a \"A\" in z {\n  kind plc\n}\n";
        assert_eq!(added(none, "ips"), "asset a \"A\" in z {\n  kind plc\n  controls [ips]\n}\n");
        assert_eq!(added("asset a \"A\" in z\n", "ips"), "asset a \"A\" in z {\n  controls [ips]\n}\n");
    }
}
