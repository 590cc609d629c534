//! Lowering an asset's software components (`component "NAME" { … }`):
//! their kind, and package URLs and CPE names checked for their shape, so
//! an SBOM never carries an identifier a scanner cannot match.

use kojo_lang::ast::{self, ComponentItem};
use kojo_lang::{Code, Span};

use super::Ctx;
use crate::model::{Component, ComponentKind, FileId, Loc};

/// The component, or `None` where it repeats one in `earlier` (same name
/// and version) and was reported.
pub(super) fn component(
    ctx: &mut Ctx<'_>,
    file: FileId,
    span: Span,
    decl: &ast::Component,
    earlier: &[Component],
) -> Option<Component> {
    let (mut kind, mut version, mut vendor, mut purl, mut cpe) = (None, None, None, None, None);
    for item in &decl.items {
        match &item.node {
            ComponentItem::Kind(ident) => match ComponentKind::from_keyword(&ident.node) {
                Some(k) => ctx.once(&mut kind, k, item.span, file, "kind"),
                None => ctx.unknown(
                    Code::UnknownComponentKind,
                    file,
                    ident,
                    "component kind",
                    ComponentKind::ALL.iter().map(|k| k.keyword()),
                ),
            },
            ComponentItem::Version(s) => ctx.once(&mut version, s.node.clone(), item.span, file, "version"),
            ComponentItem::Vendor(s) => ctx.once(&mut vendor, s.node.clone(), item.span, file, "vendor"),
            ComponentItem::Purl(s) => {
                if checked(ctx, file, s, purl_problem(&s.node), PURL_HELP) {
                    ctx.once(&mut purl, s.node.clone(), item.span, file, "purl");
                }
            }
            ComponentItem::Cpe(s) => {
                if checked(ctx, file, s, cpe_problem(&s.node), CPE_HELP) {
                    ctx.once(&mut cpe, s.node.clone(), item.span, file, "cpe");
                }
            }
        }
    }
    let component = Component {
        name: decl.name.node.clone(),
        kind: kind.map(|k| k.0).unwrap_or_default(),
        version: version.map(|v| v.0),
        vendor: vendor.map(|v| v.0),
        purl: purl.map(|v| v.0),
        cpe: cpe.map(|v| v.0),
        loc: Loc { file, span },
    };
    if let Some(first) = earlier.iter().find(|c| c.name == component.name && c.version == component.version) {
        let version = component.version.as_deref().map_or(String::new(), |v| format!(" version \"{v}\""));
        ctx.report(
            ctx.error(
                Code::DuplicateComponent,
                file,
                decl.name.span,
                format!("component \"{}\"{version} is listed twice on this asset", component.name),
            )
            .with_label("listed again here")
            .with_secondary(first.loc.span, "first listed here")
            .with_help("keep one of them; list another version of the same software with its own `version`"),
        );
        return None;
    }
    Some(component)
}

const PURL_HELP: &str =
    "write a package URL as `pkg:TYPE/NAMESPACE/NAME@VERSION`, e.g. `pkg:generic/example/recipe-tool@2.1` (see github.com/package-url/purl-spec)";
const CPE_HELP: &str = "write a CPE 2.3 formatted string: `cpe:2.3:` then part (a, o or h), vendor, product, version and seven more fields, `*` where any value goes, e.g. `cpe:2.3:o:microsoft:windows_10:21h2:*:*:*:*:*:*:*`";

/// Reports `problem` on the string, with `help`; whether it was fine.
fn checked(ctx: &mut Ctx<'_>, file: FileId, value: &ast::Str, problem: Option<String>, help: &str) -> bool {
    let Some(problem) = problem else { return true };
    ctx.report(ctx.error(Code::InvalidComponentId, file, value.span, problem).with_label("malformed").with_help(help));
    false
}

/// What is wrong with a package URL's shape, if anything: the scheme
/// `pkg:`, a type (a letter, then letters, digits, `.`, `+`, `-`), `/` and
/// a name; no spaces.
pub(crate) fn purl_problem(purl: &str) -> Option<String> {
    let Some(rest) = purl.strip_prefix("pkg:") else {
        return Some(format!("`{purl}` is not a package URL: it does not start with `pkg:`"));
    };
    if purl.chars().any(char::is_whitespace) {
        return Some(format!("package URL `{purl}` contains white space, which must be percent-encoded"));
    }
    let rest = rest.trim_start_matches('/');
    let path = rest.split(['?', '#']).next().unwrap_or_default();
    let Some((kind, name)) = path.split_once('/') else {
        return Some(format!("package URL `{purl}` has no `TYPE/NAME`"));
    };
    let mut chars = kind.chars();
    let type_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '-'));
    if !type_ok {
        return Some(format!("package URL `{purl}` has an invalid type `{kind}`"));
    }
    let name = name.split('@').next().unwrap_or_default();
    if name.trim_end_matches('/').rsplit('/').next().is_none_or(str::is_empty) {
        // `pkg:npm/@scope/name`: the `@` of a scope is read as the version's.
        if path.contains("/@") {
            return Some(format!(
                "package URL `{purl}` has no name: an `@` in a namespace is written `%40` (`pkg:npm/%40scope/name@1.0.0`)"
            ));
        }
        return Some(format!("package URL `{purl}` has no name"));
    }
    None
}

/// What is wrong with a CPE 2.3 formatted string's shape, if anything:
/// `cpe:2.3:`, a part of `a`, `o`, `h`, `*` or `-`, and 13 fields in all
/// (a colon escaped as `\:` stays inside its field).
pub(crate) fn cpe_problem(cpe: &str) -> Option<String> {
    if !cpe.starts_with("cpe:2.3:") {
        return Some(format!("`{cpe}` is not a CPE 2.3 name: it does not start with `cpe:2.3:`"));
    }
    if cpe.chars().any(char::is_whitespace) {
        return Some(format!("CPE name `{cpe}` contains white space"));
    }
    let mut fields = vec![String::new()];
    let mut escaped = false;
    for c in cpe.chars() {
        match (escaped, c) {
            (false, '\\') => escaped = true,
            (false, ':') => fields.push(String::new()),
            _ => {
                escaped = false;
                if let Some(last) = fields.last_mut() {
                    last.push(c);
                }
            }
        }
    }
    if fields.len() != 13 {
        return Some(format!("CPE name `{cpe}` has {} fields; a CPE 2.3 name has 13", fields.len()));
    }
    if !matches!(fields.get(2).map(String::as_str), Some("a" | "o" | "h" | "*" | "-")) {
        return Some(format!("CPE name `{cpe}` has no part: the third field is `a`, `o` or `h`"));
    }
    if fields.iter().any(String::is_empty) {
        return Some(format!("CPE name `{cpe}` has an empty field: write `*` for any value"));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::{cpe_problem, purl_problem};

    #[test]
    fn package_urls() {
        for good in [
            "pkg:generic/example/recipe-tool@2.1",
            "pkg:npm/%40angular/core@16.0.0",
            "pkg:deb/debian/curl@7.50.3-1?arch=i386",
            "pkg:pypi/django",
        ] {
            assert_eq!(purl_problem(good), None, "{good}");
        }
        for bad in
            ["generic/x", "pkg:", "pkg:generic", "pkg:1x/y", "pkg:generic/", "pkg:generic/a b", "pkg:generic/@1.0"]
        {
            assert!(purl_problem(bad).is_some(), "{bad}");
        }
        let scoped = purl_problem("pkg:npm/@angular/core@16.0.0").unwrap_or_default();
        assert!(scoped.contains("%40"), "an unencoded scope says how to write it: {scoped}");
    }

    #[test]
    fn cpe_names() {
        for good in ["cpe:2.3:o:microsoft:windows_10:21h2:*:*:*:*:*:*:*", "cpe:2.3:a:ex\\:ample:tool:1.0:*:*:*:*:*:*:*"]
        {
            assert_eq!(cpe_problem(good), None, "{good}");
        }
        for bad in [
            "cpe:/o:microsoft:windows_10",
            "cpe:2.3:o:microsoft",
            "cpe:2.3:x:a:b:c:*:*:*:*:*:*:*",
            "cpe:2.3:a::b:c:*:*:*:*:*:*:*",
            "cpe:2.3:a:b:c:d:*:*:*:*:*:*:*:*",
        ] {
            assert!(cpe_problem(bad).is_some(), "{bad}");
        }
    }
}
