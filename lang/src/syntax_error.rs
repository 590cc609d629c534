//! Turning pest errors into kojo diagnostics that read well.

use pest::error::{Error, ErrorVariant, InputLocation};

use crate::code::Code;
use crate::diagnostic::Diagnostic;
use crate::parser::Rule;
use crate::source::SourceFile;
use crate::span::Span;

/// The byte offset (in the parsed slice) where pest stopped.
pub(crate) fn error_offset(error: &Error<Rule>) -> usize {
    match error.location {
        InputLocation::Pos(pos) => pos,
        InputLocation::Span((start, _)) => start,
    }
}

/// The keyword text of a keyword rule.
pub(crate) fn keyword(rule: Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::kw_plant => "plant",
        Rule::kw_zone => "zone",
        Rule::kw_asset => "asset",
        Rule::kw_conduit => "conduit",
        Rule::kw_operation => "operation",
        Rule::kw_data => "data",
        Rule::kw_purchase => "purchase",
        Rule::kw_waive => "waive",
        Rule::kw_attest => "attest",
        Rule::kw_name => "name",
        Rule::kw_profile => "profile",
        Rule::kw_subnet => "subnet",
        Rule::kw_vlan => "vlan",
        Rule::kw_tier => "tier",
        Rule::kw_role => "role",
        Rule::kw_controls => "controls",
        Rule::kw_in => "in",
        Rule::kw_kind => "kind",
        Rule::kw_ip => "ip",
        Rule::kw_interfaces => "interfaces",
        Rule::kw_vendor => "vendor",
        Rule::kw_model => "model",
        Rule::kw_firmware => "firmware",
        Rule::kw_services => "services",
        Rule::kw_ports => "ports",
        Rule::kw_impact => "impact",
        Rule::kw_software => "software",
        Rule::kw_capabilities => "capabilities",
        Rule::kw_component => "component",
        Rule::kw_version => "version",
        Rule::kw_purl => "purl",
        Rule::kw_cpe => "cpe",
        Rule::kw_from => "from",
        Rule::kw_to => "to",
        Rule::kw_allow => "allow",
        Rule::kw_any => "any",
        Rule::kw_service => "service",
        Rule::kw_port => "port",
        Rule::kw_functions => "functions",
        Rule::kw_enforced_by => "enforced-by",
        Rule::kw_window => "window",
        Rule::kw_one_way => "one-way",
        Rule::kw_inspection => "inspection",
        Rule::kw_zones => "zones",
        Rule::kw_assets => "assets",
        Rule::kw_stored_on => "stored-on",
        Rule::kw_supplier => "supplier",
        Rule::kw_on => "on",
        Rule::kw_of => "of",
        Rule::kw_and => "and",
        Rule::kw_its => "its",
        Rule::kw_reason => "reason",
        Rule::kw_until => "until",
        Rule::kw_compensating => "compensating",
        Rule::kw_level => "level",
        Rule::kw_evidence => "evidence",
        Rule::kw_owner => "owner",
        _ => return None,
    })
}

/// How a rule is named in "expected …" messages.
fn describe(rule: Rule) -> String {
    if let Some(kw) = keyword(rule) {
        return format!("`{kw}`");
    }
    let text = match rule {
        Rule::EOI => "end of file",
        Rule::ident => "a name",
        Rule::code => "a rule or checklist ID",
        Rule::address => "an address",
        Rule::port => "a port such as `tcp/502`",
        Rule::port_list => "a list of ports",
        Rule::int => "a number",
        Rule::date => "a date (YYYY-MM-DD)",
        Rule::string => "a string",
        Rule::list => "a list `[a, b]`",
        Rule::lbrace => "`{`",
        Rule::rbrace => "`}`",
        Rule::lbracket => "`[`",
        Rule::rbracket => "`]`",
        Rule::comma => "`,`",
        Rule::semi => "`;`",
        Rule::colon => "`:`",
        Rule::arrow => "`->`",
        Rule::trust => "`: TRUST`",
        Rule::endpoint => "an asset, a list of assets or `any`",
        Rule::service_spec => "`service`",
        Rule::port_spec => "`port`",
        Rule::entity_kind => "an entity kind (zone, asset, conduit, …)",
        Rule::waive_rules | Rule::code_list => "a rule ID or a list of rule IDs `[A, B]`",
        Rule::scope_entities | Rule::scope_zone_assets => "an entity kind (zone, asset, conduit, …)",
        Rule::scope_kind | Rule::scope_in_zone => "`assets of kind KIND` or `assets in zone ZONE`",
        Rule::name_list => "a list of names `[a, b]`",
        Rule::interface => "`ZONE ADDRESS`",
        Rule::port_state => "`PORT STATE`",
        Rule::impact_rating => "`AXIS LEVEL`",
        other => {
            // Property rules are named `<keyword>_item`; show the keyword.
            let name = format!("{other:?}");
            let name = name.strip_suffix("_item").unwrap_or(&name);
            return match name {
                "data_list" => "`data`".to_string(),
                "enforced_by" => "`enforced-by`".to_string(),
                "one_way" => "`one-way`".to_string(),
                "stored_on" => "`stored-on`".to_string(),
                n => format!("`{n}`"),
            };
        }
    };
    text.to_string()
}

fn join_alternatives(mut items: Vec<String>) -> String {
    items.sort();
    items.dedup();
    match items.len() {
        0 => String::from("something else"),
        1 => items.concat(),
        n => {
            let (init, last) = items.split_at(n - 1);
            format!("{} or {}", init.join(", "), last.concat())
        }
    }
}

/// The token at `offset`, for "found …" in messages.
fn found_at(text: &str, offset: usize) -> (String, usize) {
    let rest = text.get(offset..).unwrap_or_default();
    let Some(first) = rest.chars().next() else {
        return ("end of file".into(), 0);
    };
    if first.is_alphanumeric() || first == '_' {
        let len: usize = rest
            .char_indices()
            .find(|(_, c)| !(c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '/' | ':')))
            .map_or(rest.len(), |(i, _)| i);
        let token = rest.get(..len).unwrap_or_default();
        return (format!("`{token}`"), len);
    }
    if first == '\n' || first == '\r' {
        return ("end of line".into(), 0);
    }
    (format!("`{}`", first.escape_debug()), first.len_utf8())
}

/// Converts a pest error (from parsing `source` starting at `base`) to a diagnostic.
pub(crate) fn convert(source: &SourceFile, base: usize, error: &Error<Rule>) -> Diagnostic {
    let text = source.text();
    let offset = base + error_offset(error);
    if let Some(diagnostic) = special_case(source, offset) {
        return diagnostic;
    }
    let (found, len) = found_at(text, offset);
    let expected = match &error.variant {
        ErrorVariant::ParsingError { positives, .. } => {
            // An optional `;` is never what the user was missing.
            let wanted: Vec<Rule> = positives.iter().copied().filter(|r| *r != Rule::semi).collect();
            let wanted = if wanted.is_empty() { positives.clone() } else { wanted };
            join_alternatives(wanted.iter().map(|r| describe(*r)).collect())
        }
        ErrorVariant::CustomError { message } => message.clone(),
    };
    Diagnostic::error(
        Code::Syntax,
        source,
        Span::new(offset, offset + len),
        format!("expected {expected}, found {found}"),
    )
    .with_label(format!("expected {expected}"))
    .with_help("see docs/language.md for the syntax of each declaration")
}

/// Errors whose cause is clearer than pest's "expected …": an unterminated
/// string or comment, or a bad escape. pest reports failures inside a string
/// at its opening quote, so the string is scanned from there.
fn special_case(source: &SourceFile, offset: usize) -> Option<Diagnostic> {
    let rest = source.text().get(offset..)?;
    if rest.starts_with('"') {
        let mut chars = rest.char_indices().skip(1);
        while let Some((i, ch)) = chars.next() {
            match ch {
                '"' => return None,
                '\n' => break,
                '\\' => {
                    let escape = rest.get(i..).unwrap_or_default();
                    if !valid_escape(escape) {
                        let len: usize = escape.chars().take(2).map(char::len_utf8).sum();
                        return Some(
                            Diagnostic::error(
                                Code::InvalidEscape,
                                source,
                                Span::new(offset + i, offset + i + len),
                                "invalid escape in string",
                            )
                            .with_label("not a valid escape")
                            .with_help(r#"valid escapes are \" \\ \n \t \r and \u{XXXX}; write \\ for a backslash"#),
                        );
                    }
                    chars.next();
                }
                _ => {}
            }
        }
        return Some(
            Diagnostic::error(Code::UnterminatedString, source, Span::new(offset, offset + 1), "unterminated string")
                .with_label("this string is never closed")
                .with_help("close the string with `\"` on the same line; strings cannot span lines (use \\n)"),
        );
    }
    if rest.starts_with("/*") && !rest.contains("*/") {
        return Some(
            Diagnostic::error(
                Code::UnterminatedComment,
                source,
                Span::new(offset, offset + 2),
                "unterminated block comment",
            )
            .with_label("this comment is never closed")
            .with_help("close the comment with `*/`"),
        );
    }
    None
}

/// Whether `text` (starting with a backslash) begins with a valid escape.
fn valid_escape(text: &str) -> bool {
    let Some(after) = text.strip_prefix('\\') else {
        return false;
    };
    if let Some(hex) = after.strip_prefix("u{") {
        let digits = hex.chars().take_while(char::is_ascii_hexdigit).count();
        return (1..=6).contains(&digits) && hex.get(digits..).is_some_and(|r| r.starts_with('}'));
    }
    after.starts_with(['"', '\\', 'n', 't', 'r'])
}
