//! Parsing: source text → [`ast::File`](crate::ast::File) plus syntax diagnostics.
//!
//! pest stops at the first syntax error, so the parser recovers by skipping
//! to the next line that starts a declaration in column 0 and parsing again
//! from there: one run reports one error per broken declaration. Turning
//! pest's pairs into the tree is `lower.rs`.

mod lower;

use pest::Parser as _;

use crate::ast::File;
use crate::code::Code;
use crate::diagnostic::Diagnostic;
use crate::source::SourceFile;
use crate::span::Span;
use crate::syntax_error;
use lower::lower_file;

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
const DECL_KEYWORDS: [&str; 9] =
    ["plant", "zone", "asset", "conduit", "operation", "data", "purchase", "waive", "attest"];

/// The result of parsing one file: the declarations that parsed, and a
/// diagnostic for every part that did not.
#[derive(Debug, Clone)]
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

    /// A value the grammar admits but that is still wrong: the user's error.
    fn user(code: Code, what: impl Into<String>, span: Span, help: &'static str) -> Self {
        Internal { what: what.into(), span, user_error: Some((code, help)) }
    }

    fn into_diagnostic(self, source: &SourceFile) -> Diagnostic {
        if let Some((code, help)) = self.user_error {
            return Diagnostic::error(code, source, self.span, self.what).with_label("here").with_help(help);
        }
        Diagnostic::error(Code::Syntax, source, self.span, format!("internal parser error: {}", self.what))
            .with_help("this is a bug in kojo; please report it with the file that caused it")
    }
}

/// Unescapes the inside of a string literal (the inverse of [`escape`]);
/// `None` for a `\u{…}` that is not a Unicode scalar value.
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
    use crate::ast::Decl;

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

    #[test]
    fn recovery_resumes_at_a_purchase() {
        let src = SourceFile::new(
            "t.kojo",
            "zone a { vlan }
purchase p { assets [x] }
zone b
",
        );
        let parsed = parse(&src);
        assert_eq!(parsed.diagnostics.len(), 1, "{:?}", parsed.diagnostics);
        let kinds: Vec<bool> = parsed.file.decls.iter().map(|d| matches!(d, Decl::Purchase(_))).collect();
        assert_eq!(kinds, [true, false]);
    }
}
