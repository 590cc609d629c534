//! Parsing: source text → [`ast::File`](crate::ast::File) plus syntax diagnostics.
//!
//! pest stops at the first syntax error, so the parser recovers by skipping
//! to the next line that starts a declaration in column 0 and parsing again
//! from there: one run reports one error per broken declaration.

use pest::iterators::{Pair, Pairs};
use pest::Parser as _;

use crate::ast::*;
use crate::code::Code;
use crate::diagnostic::Diagnostic;
use crate::source::SourceFile;
use crate::span::{Span, Spanned};
use crate::syntax_error;

#[derive(pest_derive::Parser)]
#[grammar = "grammar.pest"]
pub(crate) struct KojoParser;

/// Files larger than this are refused: a plant is never that big, and a
/// runaway generator should not take the machine down.
pub const MAX_FILE_BYTES: usize = 16 * 1024 * 1024;

/// Past this many syntax errors in one file, the rest of it is not parsed:
/// the first errors are what needs fixing, and thousands would only bury them.
pub const MAX_SYNTAX_ERRORS: usize = 100;

/// The declaration keywords that may start a line at column 0; recovery
/// resumes at the next such line.
const DECL_KEYWORDS: [&str; 8] = ["plant", "zone", "asset", "conduit", "operation", "data", "waive", "attest"];

/// The result of parsing one file: the declarations that parsed, and a
/// diagnostic for every part that did not.
#[derive(Debug)]
pub struct Parsed {
    pub file: File,
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses raw bytes: checks size and UTF-8 first.
pub fn parse_bytes(name: &str, bytes: Vec<u8>) -> (Option<SourceFile>, Parsed) {
    if bytes.len() > MAX_FILE_BYTES {
        let diagnostic = Diagnostic::at_path(
            Code::FileTooLarge,
            name,
            format!(
                "`{name}` is larger than {} MiB, the most kojo reads from one file",
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        )
        .with_help("split the plant over several .kojo files");
        return (None, Parsed { file: File::default(), diagnostics: vec![diagnostic] });
    }
    match String::from_utf8(bytes) {
        Ok(text) => {
            let source = SourceFile::new(name, text);
            let parsed = parse(&source);
            (Some(source), parsed)
        }
        Err(err) => {
            let offset = err.utf8_error().valid_up_to();
            // Show the valid prefix so the label lands on the bad byte.
            let bytes = err.into_bytes();
            let prefix = String::from_utf8_lossy(bytes.get(..offset).unwrap_or_default()).into_owned();
            let shown = format!("{prefix}\u{FFFD}");
            let source = SourceFile::new(name, shown);
            let diagnostic = Diagnostic::error(
                Code::InvalidUtf8,
                &source,
                Span::new(offset, offset + '\u{FFFD}'.len_utf8()),
                format!("`{name}` is not valid UTF-8 (byte {offset})"),
            )
            .with_label("this byte does not start a valid UTF-8 character")
            .with_help("save the file as UTF-8; kojo files are always UTF-8");
            (Some(source), Parsed { file: File::default(), diagnostics: vec![diagnostic] })
        }
    }
}

/// Parses a source file, recovering after syntax errors.
pub fn parse(source: &SourceFile) -> Parsed {
    let text = source.text();
    let mut decls = Vec::new();
    let mut diagnostics = Vec::new();
    let mut offset = 0;
    while offset <= text.len() {
        let rest = text.get(offset..).unwrap_or_default();
        match KojoParser::parse(Rule::file, rest) {
            Ok(pairs) => {
                match lower_file(pairs, offset) {
                    Ok(mut more) => decls.append(&mut more),
                    Err(internal) => diagnostics.push(internal.into_diagnostic(source)),
                }
                break;
            }
            Err(error) => {
                let position = offset + syntax_error::error_offset(&error);
                diagnostics.push(syntax_error::convert(source, offset, &error));
                if diagnostics.len() >= MAX_SYNTAX_ERRORS {
                    let end = text.len();
                    diagnostics.push(
                        Diagnostic::error(
                            Code::Syntax,
                            source,
                            Span::new(position, end.min(position + 1)),
                            format!("{MAX_SYNTAX_ERRORS} syntax errors; the rest of the file is not parsed"),
                        )
                        .with_severity(crate::Severity::Warning)
                        .with_label("parsing stopped here")
                        .with_help("fix the errors above and run kojo again"),
                    );
                    break;
                }
                // Keep what parsed before the error: parse the prefix up to the
                // broken declaration's start.
                let broken_start = declaration_start_before(text, offset, position);
                if broken_start > offset {
                    let prefix = text.get(offset..broken_start).unwrap_or_default();
                    if let Ok(pairs) = KojoParser::parse(Rule::file, prefix) {
                        if let Ok(mut more) = lower_file(pairs, offset) {
                            decls.append(&mut more);
                        }
                    }
                }
                // An error right at a declaration line (a missing `}` before it)
                // resumes there; otherwise skip to the next declaration line.
                let at_declaration = position > offset
                    && (position == 0 || text.get(position - 1..position) == Some("\n"))
                    && starts_declaration(text.get(position..).unwrap_or_default());
                match if at_declaration { Some(position) } else { next_declaration_start(text, position) } {
                    Some(next) => offset = next,
                    None => break,
                }
            }
        }
    }
    Parsed { file: File { decls }, diagnostics }
}

fn starts_declaration(line: &str) -> bool {
    DECL_KEYWORDS.iter().any(|kw| line.strip_prefix(kw).is_some_and(|rest| rest.starts_with([' ', '\t'])))
}

/// The start of the last column-0 declaration line at or before `position`
/// (but not before `floor`).
fn declaration_start_before(text: &str, floor: usize, position: usize) -> usize {
    let mut best = floor;
    let mut line_start = floor;
    while line_start < position {
        let line = text.get(line_start..).unwrap_or_default();
        if starts_declaration(line) {
            best = line_start;
        }
        match line.find('\n') {
            Some(n) => line_start += n + 1,
            None => break,
        }
    }
    best
}

/// The start of the first column-0 declaration line after `position`.
fn next_declaration_start(text: &str, position: usize) -> Option<usize> {
    let after = text.get(position..)?;
    let mut line_start = position + after.find('\n')? + 1;
    loop {
        let line = text.get(line_start..)?;
        if starts_declaration(line) {
            return Some(line_start);
        }
        line_start += line.find('\n')? + 1;
    }
}

// ---- pairs → AST -----------------------------------------------------------

/// A tree shape the grammar should not produce: a bug in kojo, reported as a
/// diagnostic rather than a panic.
#[derive(Debug)]
pub(crate) struct Internal {
    what: String,
    span: Span,
    /// Set when the input, not kojo, is at fault (a value pest's grammar admits).
    user_error: Option<(Code, &'static str)>,
}

impl Internal {
    fn new(what: impl Into<String>, span: Span) -> Self {
        Internal { what: what.into(), span, user_error: None }
    }

    fn into_diagnostic(self, source: &SourceFile) -> Diagnostic {
        if let Some((code, help)) = self.user_error {
            return Diagnostic::error(code, source, self.span, self.what).with_label("here").with_help(help);
        }
        Diagnostic::error(Code::Syntax, source, self.span, format!("internal parser error: {}", self.what))
            .with_help("this is a bug in kojo; please report it with the file that caused it")
    }
}

type Result<T> = std::result::Result<T, Internal>;

/// Walks the children of a pair, skipping punctuation.
struct Cursor<'i> {
    pairs: std::iter::Peekable<Pairs<'i, Rule>>,
    offset: usize,
    parent: Span,
}

impl<'i> Cursor<'i> {
    fn new(pair: Pair<'i, Rule>, offset: usize) -> Self {
        let parent = span_of(&pair, offset);
        Cursor { pairs: pair.into_inner().peekable(), offset, parent }
    }

    fn skip_punctuation(&mut self) {
        while self.pairs.peek().is_some_and(|p| is_punctuation(p.as_rule())) {
            self.pairs.next();
        }
    }

    /// The next significant child, whatever it is.
    fn next(&mut self) -> Option<Pair<'i, Rule>> {
        self.skip_punctuation();
        self.pairs.next()
    }

    /// The next significant child, which must be `rule`.
    fn expect(&mut self, rule: Rule) -> Result<Pair<'i, Rule>> {
        match self.next() {
            Some(pair) if pair.as_rule() == rule => Ok(pair),
            Some(pair) => Err(Internal::new(
                format!("expected {rule:?}, found {:?}", pair.as_rule()),
                span_of(&pair, self.offset),
            )),
            None => Err(Internal::new(format!("expected {rule:?}"), self.parent)),
        }
    }

    /// The next significant child if it is `rule`.
    fn optional(&mut self, rule: Rule) -> Option<Pair<'i, Rule>> {
        self.skip_punctuation();
        if self.pairs.peek().is_some_and(|p| p.as_rule() == rule) {
            self.pairs.next()
        } else {
            None
        }
    }

    fn ident(&mut self) -> Result<Ident> {
        let pair = self.expect(Rule::ident)?;
        Ok(word(&pair, self.offset))
    }

    fn optional_title(&mut self) -> Result<Option<Str>> {
        self.optional(Rule::string).map(|p| string(p, self.offset)).transpose()
    }
}

fn is_punctuation(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::lbrace
            | Rule::rbrace
            | Rule::lbracket
            | Rule::rbracket
            | Rule::comma
            | Rule::semi
            | Rule::colon
            | Rule::arrow
            | Rule::EOI
    ) || crate::syntax_error::keyword(rule).is_some()
}

/// The pair's span, ending at its last token: pest skips whitespace and
/// comments before trying a trailing optional part, and keeps them in the
/// pair's span when that part is absent.
fn span_of(pair: &Pair<'_, Rule>, offset: usize) -> Span {
    Span::new(pair.as_span().start() + offset, last_token_end(pair) + offset)
}

fn last_token_end(pair: &Pair<'_, Rule>) -> usize {
    match pair.clone().into_inner().last() {
        Some(child) if !matches!(child.as_rule(), Rule::string_inner) => last_token_end(&child),
        _ => pair.as_span().end(),
    }
}

fn word(pair: &Pair<'_, Rule>, offset: usize) -> Spanned<String> {
    Spanned::new(pair.as_str().to_string(), span_of(pair, offset))
}

fn unexpected(pair: &Pair<'_, Rule>, offset: usize) -> Internal {
    Internal::new(format!("unexpected {:?}", pair.as_rule()), span_of(pair, offset))
}

fn lower_file(mut pairs: Pairs<'_, Rule>, offset: usize) -> Result<Vec<Decl>> {
    let Some(file) = pairs.next() else {
        return Err(Internal::new("empty parse", Span::new(offset, offset)));
    };
    let mut decls = Vec::new();
    for pair in file.into_inner() {
        let decl = match pair.as_rule() {
            Rule::plant => Decl::Plant(plant(pair, offset)?),
            Rule::zone => Decl::Zone(zone(pair, offset)?),
            Rule::asset => Decl::Asset(asset(pair, offset)?),
            Rule::conduit => Decl::Conduit(conduit(pair, offset)?),
            Rule::operation => Decl::Operation(operation(pair, offset)?),
            Rule::data => Decl::Data(data(pair, offset)?),
            Rule::waive => Decl::Waive(waive(pair, offset)?),
            Rule::attest => Decl::Attest(attest(pair, offset)?),
            Rule::EOI => continue,
            _ => return Err(unexpected(&pair, offset)),
        };
        decls.push(decl);
    }
    Ok(decls)
}

/// Lowers the remaining children of a declaration as block items.
fn items<'i, T>(
    cursor: &mut Cursor<'i>,
    mut item: impl FnMut(Pair<'i, Rule>, usize) -> Result<T>,
) -> Result<Vec<Spanned<T>>> {
    let mut out = Vec::new();
    while let Some(pair) = cursor.next() {
        let span = span_of(&pair, cursor.offset);
        out.push(Spanned::new(item(pair, cursor.offset)?, span));
    }
    Ok(out)
}

fn plant(pair: Pair<'_, Rule>, offset: usize) -> Result<Plant> {
    let mut c = Cursor::new(pair, offset);
    let code = string(c.expect(Rule::string)?, offset)?;
    let items = items(&mut c, |p, o| {
        let rule = p.as_rule();
        let mut c = Cursor::new(p, o);
        Ok(match rule {
            Rule::name_item => PlantItem::Name(string(c.expect(Rule::string)?, o)?),
            Rule::profile_item => {
                let mut names = Vec::new();
                while let Some(p) = c.optional(Rule::ident) {
                    names.push(word(&p, o));
                }
                PlantItem::Profile(names)
            }
            _ => return Err(Internal::new(format!("unexpected {rule:?}"), c.parent)),
        })
    })?;
    Ok(Plant { code, items, span: c.parent.into() })
}

fn zone(pair: Pair<'_, Rule>, offset: usize) -> Result<Zone> {
    let mut c = Cursor::new(pair, offset);
    let name = c.ident()?;
    let title = c.optional_title()?;
    let trust = match c.optional(Rule::trust) {
        Some(p) => Some(Cursor::new(p, offset).ident()?),
        None => None,
    };
    let items = items(&mut c, |p, o| {
        let rule = p.as_rule();
        let mut c = Cursor::new(p, o);
        Ok(match rule {
            Rule::subnet_item => ZoneItem::Subnet(word(&c.expect(Rule::address)?, o)),
            Rule::vlan_item => ZoneItem::Vlan(word(&c.expect(Rule::int)?, o)),
            Rule::tier_item => ZoneItem::Tier(c.ident()?),
            Rule::controls_item => ZoneItem::Controls(list(c.expect(Rule::list)?, o)?),
            _ => return Err(Internal::new(format!("unexpected {rule:?}"), c.parent)),
        })
    })?;
    Ok(Zone { name, title, trust, items, span: c.parent.into() })
}

fn asset(pair: Pair<'_, Rule>, offset: usize) -> Result<Asset> {
    let mut c = Cursor::new(pair, offset);
    let name = c.ident()?;
    let title = c.optional_title()?;
    let zone = c.optional(Rule::ident).map(|p| word(&p, offset));
    let items = items(&mut c, |p, o| {
        let rule = p.as_rule();
        let mut c = Cursor::new(p, o);
        Ok(match rule {
            Rule::kind_item => AssetItem::Kind(c.ident()?),
            Rule::ip_item => AssetItem::Ip(word(&c.expect(Rule::address)?, o)),
            Rule::interfaces_item => {
                let mut interfaces = Vec::new();
                while let Some(p) = c.optional(Rule::interface) {
                    let mut c = Cursor::new(p, o);
                    let zone = c.ident()?;
                    let address = word(&c.expect(Rule::address)?, o);
                    interfaces.push(Interface { zone, address });
                }
                AssetItem::Interfaces(interfaces)
            }
            Rule::vendor_item => AssetItem::Vendor(string(c.expect(Rule::string)?, o)?),
            Rule::model_item => AssetItem::Model(string(c.expect(Rule::string)?, o)?),
            Rule::firmware_item => AssetItem::Firmware(string(c.expect(Rule::string)?, o)?),
            Rule::services_item => AssetItem::Services(list(c.expect(Rule::list)?, o)?),
            Rule::ports_item => {
                let mut ports = Vec::new();
                while let Some(p) = c.optional(Rule::port_state) {
                    let mut c = Cursor::new(p, o);
                    ports.push(PortState { port: c.ident()?, state: c.ident()? });
                }
                AssetItem::Ports(ports)
            }
            Rule::controls_item => AssetItem::Controls(list(c.expect(Rule::list)?, o)?),
            Rule::impact_item => AssetItem::Impact(impact(&mut c, o)?),
            _ => return Err(Internal::new(format!("unexpected {rule:?}"), c.parent)),
        })
    })?;
    Ok(Asset { name, title, zone, items, span: c.parent.into() })
}

fn impact(c: &mut Cursor<'_>, offset: usize) -> Result<Vec<ImpactRating>> {
    let mut ratings = Vec::new();
    while let Some(p) = c.optional(Rule::impact_rating) {
        let mut c = Cursor::new(p, offset);
        ratings.push(ImpactRating { axis: c.ident()?, level: c.ident()? });
    }
    Ok(ratings)
}

fn conduit(pair: Pair<'_, Rule>, offset: usize) -> Result<Conduit> {
    let mut c = Cursor::new(pair, offset);
    let name = c.ident()?;
    let title = c.optional_title()?;
    let from = c.ident()?;
    let to = c.ident()?;
    let items = items(&mut c, |p, o| {
        let rule = p.as_rule();
        let mut c = Cursor::new(p, o);
        Ok(match rule {
            Rule::allow_item => ConduitItem::Allow(flow(&mut c, o)?),
            Rule::controls_item => ConduitItem::Controls(list(c.expect(Rule::list)?, o)?),
            Rule::enforced_by_item => ConduitItem::EnforcedBy(c.ident()?),
            Rule::window_item => ConduitItem::Window(string(c.expect(Rule::string)?, o)?),
            Rule::one_way_item => ConduitItem::OneWay,
            _ => return Err(Internal::new(format!("unexpected {rule:?}"), c.parent)),
        })
    })?;
    Ok(Conduit { name, title, from, to, items, span: c.parent.into() })
}

fn endpoint(pair: Pair<'_, Rule>, offset: usize) -> Result<Endpoint> {
    let span = span_of(&pair, offset);
    let mut c = Cursor::new(pair, offset);
    // `any` is a keyword (skipped as punctuation), so an empty endpoint is `any`.
    match c.next() {
        None => Ok(Endpoint::Any(span.into())),
        Some(p) if p.as_rule() == Rule::ident => Ok(Endpoint::Asset(word(&p, offset))),
        Some(p) if p.as_rule() == Rule::list => Ok(Endpoint::Assets(list(p, offset)?)),
        Some(p) => Err(unexpected(&p, offset)),
    }
}

fn flow(c: &mut Cursor<'_>, offset: usize) -> Result<Flow> {
    let source = endpoint(c.expect(Rule::endpoint)?, offset)?;
    let destination = endpoint(c.expect(Rule::endpoint)?, offset)?;
    let what_pair = c.next().ok_or(Internal::new("flow without service", c.parent))?;
    let what = match what_pair.as_rule() {
        Rule::service_spec => {
            let mut c = Cursor::new(what_pair, offset);
            match c.next() {
                Some(p) if p.as_rule() == Rule::ident => {
                    FlowWhat::Services { names: vec![word(&p, offset)], bracketed: false }
                }
                Some(p) if p.as_rule() == Rule::list => {
                    FlowWhat::Services { names: list(p, offset)?.items, bracketed: true }
                }
                _ => return Err(Internal::new("bad service", c.parent)),
            }
        }
        Rule::port_spec => {
            let mut c = Cursor::new(what_pair, offset);
            match c.next() {
                Some(p) if p.as_rule() == Rule::port => {
                    FlowWhat::Ports { ports: vec![word(&p, offset)], bracketed: false }
                }
                Some(p) if p.as_rule() == Rule::port_list => {
                    let ports =
                        p.into_inner().filter(|p| p.as_rule() == Rule::port).map(|p| word(&p, offset)).collect();
                    FlowWhat::Ports { ports, bracketed: true }
                }
                _ => return Err(Internal::new("bad port", c.parent)),
            }
        }
        _ => return Err(unexpected(&what_pair, offset)),
    };
    let functions = match c.optional(Rule::functions_item) {
        Some(p) => Some(list(Cursor::new(p, offset).expect(Rule::list)?, offset)?),
        None => None,
    };
    Ok(Flow { source, destination, what, functions })
}

fn operation(pair: Pair<'_, Rule>, offset: usize) -> Result<Operation> {
    let mut c = Cursor::new(pair, offset);
    let name = c.ident()?;
    let title = c.optional_title()?;
    let items = items(&mut c, |p, o| {
        let rule = p.as_rule();
        let mut c = Cursor::new(p, o);
        Ok(match rule {
            Rule::impact_item => OperationItem::Impact(impact(&mut c, o)?),
            Rule::zones_item => OperationItem::Zones(list(c.expect(Rule::list)?, o)?),
            Rule::data_list_item => OperationItem::Data(list(c.expect(Rule::list)?, o)?),
            Rule::assets_item => OperationItem::Assets(list(c.expect(Rule::list)?, o)?),
            _ => return Err(Internal::new(format!("unexpected {rule:?}"), c.parent)),
        })
    })?;
    Ok(Operation { name, title, items, span: c.parent.into() })
}

fn data(pair: Pair<'_, Rule>, offset: usize) -> Result<Data> {
    let mut c = Cursor::new(pair, offset);
    let name = c.ident()?;
    let title = c.optional_title()?;
    let items = items(&mut c, |p, o| {
        let rule = p.as_rule();
        let mut c = Cursor::new(p, o);
        Ok(match rule {
            Rule::impact_item => DataItem::Impact(impact(&mut c, o)?),
            Rule::stored_on_item => DataItem::StoredOn(list(c.expect(Rule::list)?, o)?),
            _ => return Err(Internal::new(format!("unexpected {rule:?}"), c.parent)),
        })
    })?;
    Ok(Data { name, title, items, span: c.parent.into() })
}

fn waive(pair: Pair<'_, Rule>, offset: usize) -> Result<Waive> {
    let mut c = Cursor::new(pair, offset);
    let rule = word(&c.expect(Rule::code)?, offset);
    let kind_pair = c.expect(Rule::entity_kind)?;
    let kind_span = span_of(&kind_pair, offset);
    let kind = EntityKind::ALL
        .into_iter()
        .find(|k| k.keyword() == kind_pair.as_str())
        .ok_or_else(|| unexpected(&kind_pair, offset))?;
    let target = c.ident()?;
    let items = items(&mut c, |p, o| {
        let rule = p.as_rule();
        let mut c = Cursor::new(p, o);
        Ok(match rule {
            Rule::reason_item => WaiveItem::Reason(string(c.expect(Rule::string)?, o)?),
            Rule::until_item => WaiveItem::Until(word(&c.expect(Rule::date)?, o)),
            Rule::compensating_item => WaiveItem::Compensating(list(c.expect(Rule::list)?, o)?),
            _ => return Err(Internal::new(format!("unexpected {rule:?}"), c.parent)),
        })
    })?;
    Ok(Waive { rule, kind: Spanned::new(kind, kind_span), target, items, span: c.parent.into() })
}

fn attest(pair: Pair<'_, Rule>, offset: usize) -> Result<Attest> {
    let mut c = Cursor::new(pair, offset);
    let item = word(&c.expect(Rule::code)?, offset);
    let level = word(&c.expect(Rule::int)?, offset);
    let items = items(&mut c, |p, o| {
        let rule = p.as_rule();
        let mut c = Cursor::new(p, o);
        Ok(match rule {
            Rule::evidence_item => AttestItem::Evidence(string(c.expect(Rule::string)?, o)?),
            Rule::owner_item => AttestItem::Owner(string(c.expect(Rule::string)?, o)?),
            _ => return Err(Internal::new(format!("unexpected {rule:?}"), c.parent)),
        })
    })?;
    Ok(Attest { item, level, items, span: c.parent.into() })
}

fn list(pair: Pair<'_, Rule>, offset: usize) -> Result<List> {
    let span = span_of(&pair, offset);
    let items = pair.into_inner().filter(|p| p.as_rule() == Rule::ident).map(|p| word(&p, offset)).collect();
    Ok(List { items, span: span.into() })
}

/// Unescapes a string literal. The grammar admits only valid escapes.
fn string(pair: Pair<'_, Rule>, offset: usize) -> Result<Str> {
    let span = span_of(&pair, offset);
    let raw = pair.into_inner().next().map(|p| p.as_str()).unwrap_or_default();
    match unescape(raw) {
        Some(value) => Ok(Spanned::new(value, span)),
        None => Err(Internal {
            what: "invalid `\\u{…}` escape: not a Unicode scalar value".into(),
            span,
            user_error: Some((
                Code::InvalidEscape,
                "write a code point from 0 to 10FFFF, outside the surrogates D800-DFFF",
            )),
        }),
    }
}

fn unescape(raw: &str) -> Option<String> {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(ch) = chars.next() {
        if ch != '\\' {
            out.push(ch);
            continue;
        }
        match chars.next()? {
            '"' => out.push('"'),
            '\\' => out.push('\\'),
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            'u' => {
                let rest: String = chars.by_ref().take_while(|c| *c != '}').collect();
                let hex = rest.strip_prefix('{')?;
                out.push(char::from_u32(u32::from_str_radix(hex, 16).ok()?)?);
            }
            _ => return None,
        }
    }
    Some(out)
}

/// Escapes a string for printing as a literal (the inverse of `unescape`).
pub fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for ch in value.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_surrogate_escape_is_an_invalid_escape() {
        let parsed = parse(&SourceFile::new("t.kojo", "zone a \"\\u{D800}\"\n"));
        assert_eq!(parsed.diagnostics.len(), 1);
        assert_eq!(parsed.diagnostics[0].code, Code::InvalidEscape);
    }

    #[test]
    fn spans_end_at_the_last_token() {
        let text = "zone a \"A\"   // note\n\nconduit c from a to b {\n  allow x -> y service s   \n  one-way\n}\n";
        let parsed = parse(&SourceFile::new("t.kojo", text));
        assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
        let [Decl::Zone(zone), Decl::Conduit(conduit)] = parsed.file.decls.as_slice() else { panic!() };
        assert_eq!(&text[zone.span.range()], "zone a \"A\"");
        assert_eq!(&text[conduit.items[0].span.range()], "allow x -> y service s");
        assert_eq!(&text[conduit.items[1].span.range()], "one-way");
        assert!(text[conduit.span.range()].ends_with('}'));
    }

    #[test]
    fn escape_round_trips() {
        for s in ["plain", "q\"uote", "back\\slash", "line\nbreak", "tab\t", "\u{1}", "日本語"] {
            let escaped = escape(s);
            let inner = &escaped[1..escaped.len() - 1];
            assert_eq!(unescape(inner).as_deref(), Some(s));
        }
    }

    #[test]
    fn a_missing_brace_does_not_hide_the_next_declaration() {
        let src = SourceFile::new("t.kojo", "zone a {\n  vlan 10\n\nzone b { vlan }\n");
        let parsed = parse(&src);
        assert_eq!(parsed.diagnostics.len(), 2, "{:?}", parsed.diagnostics);
    }

    #[test]
    fn recovers_after_a_broken_declaration() {
        let src = SourceFile::new(
            "t.kojo",
            "zone a \"A\"\nzone b { vlan }\nzone c \"C\"\nasset x in a { kind ??? }\nzone d\n",
        );
        let parsed = parse(&src);
        assert_eq!(parsed.diagnostics.len(), 2, "{:?}", parsed.diagnostics);
        let names: Vec<_> = parsed
            .file
            .decls
            .iter()
            .filter_map(|d| match d {
                Decl::Zone(z) => Some(z.name.node.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(names, ["a", "c", "d"]);
    }
}
