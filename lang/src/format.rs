//! The formatter: the canonical layout of a `.kojo` file, keeping comments.
//!
//! Layout rules:
//!
//! - one declaration header per line (`zone NAME "Title" : trust {`); a
//!   declaration without items has no braces;
//! - block items one per line, indented two spaces, in their original order,
//!   without `;`;
//! - nested blocks (`impact`, `ports`, `interfaces`), lists and flows stay on
//!   one line when that line fits in [`MAX_WIDTH`] columns; otherwise they
//!   break: one rating/port/interface per line, one list element per line
//!   with a trailing comma, a flow's `{ functions […] }` on its own lines;
//! - a blank line around every declaration with a body; between two one-line
//!   declarations (`zone internet "Internet" : untrusted`), and between block
//!   items, a blank line only where the source had one (never more than
//!   one); no blank line at the start of the file or of a block; exactly one
//!   newline at the end;
//! - strings are re-escaped, every other value is printed as written;
//! - every comment is kept exactly once (see `comments.rs` for where each one
//!   goes).
//!
//! Formatting never changes meaning: the formatted text parses to the same
//! tree (spans aside), and formatting is idempotent.

mod comments;

pub use comments::Comment;

use crate::ast::*;
use crate::diagnostic::Diagnostic;
use crate::parser::escape;
use crate::source::SourceFile;
use comments::{Attached, DeclNotes, FileNotes, Group};

/// The width, in characters, that lists and nested blocks are fitted into.
pub const MAX_WIDTH: usize = 100;

const INDENT: usize = 2;

/// Formats a source file. Files with syntax errors are not formatted: their
/// diagnostics are returned instead.
pub fn format_source(source: &SourceFile) -> Result<String, Vec<Diagnostic>> {
    let parsed = crate::parse(source);
    if !parsed.diagnostics.is_empty() {
        return Err(parsed.diagnostics);
    }
    let text = source.text();
    let found = comments::scan(text, &comments::opaque_spans(&parsed.file));
    let notes = comments::attach(text, &parsed.file, &found);
    Ok(Printer::new(text).file(&parsed.file, &notes))
}

/// Formats a syntax tree that has no source text (and so no comments), for
/// example one built by a program. Lays it out exactly as
/// [`format_source`] would, with no blank lines between one-line
/// declarations.
pub fn format_file(file: &File) -> String {
    Printer::new("").file(file, &FileNotes::default())
}

/// The comments of a source file, in order, as the formatter sees them.
/// Files with syntax errors return their diagnostics.
pub fn source_comments(source: &SourceFile) -> Result<Vec<Comment>, Vec<Diagnostic>> {
    let parsed = crate::parse(source);
    if !parsed.diagnostics.is_empty() {
        return Err(parsed.diagnostics);
    }
    Ok(comments::scan(source.text(), &comments::opaque_spans(&parsed.file)))
}

// ---- documents -------------------------------------------------------------

/// A tiny Wadler-style document: groups are printed flat when they fit in
/// the line, broken otherwise.
#[derive(Debug, Clone)]
enum Doc {
    Text(String),
    /// A space when flat, a line break when broken.
    Line,
    /// Nothing when flat, a line break when broken.
    SoftLine,
    /// (broken, flat)
    IfBreak(&'static str, &'static str),
    Concat(Vec<Doc>),
    /// Contents indented one level further after line breaks.
    Nest(Vec<Doc>),
    Group(Vec<Doc>),
}

fn text(s: impl Into<String>) -> Doc {
    Doc::Text(s.into())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Flat,
    Break,
}

fn width(s: &str) -> usize {
    s.chars().count()
}

/// Renders `doc` starting at column `indent` (the indentation itself is not
/// printed).
fn render(doc: &Doc, indent: usize) -> String {
    let mut out = String::new();
    let mut column = indent;
    let mut stack: Vec<(usize, Mode, &Doc)> = vec![(indent, Mode::Break, doc)];
    while let Some((ind, mode, doc)) = stack.pop() {
        match doc {
            Doc::Text(s) => {
                out.push_str(s);
                column += width(s);
            }
            Doc::Line | Doc::SoftLine => {
                if mode == Mode::Break {
                    out.push('\n');
                    out.extend(std::iter::repeat_n(' ', ind));
                    column = ind;
                } else if matches!(doc, Doc::Line) {
                    out.push(' ');
                    column += 1;
                }
            }
            Doc::IfBreak(broken, flat) => {
                let s = if mode == Mode::Break { broken } else { flat };
                out.push_str(s);
                column += width(s);
            }
            Doc::Concat(docs) => stack.extend(docs.iter().rev().map(|d| (ind, mode, d))),
            Doc::Nest(docs) => stack.extend(docs.iter().rev().map(|d| (ind + INDENT, mode, d))),
            Doc::Group(docs) => {
                let budget = MAX_WIDTH.saturating_sub(column);
                let mode = if mode == Mode::Flat || fits(budget, docs, &stack) { Mode::Flat } else { Mode::Break };
                stack.extend(docs.iter().rev().map(|d| (ind, mode, d)));
            }
        }
    }
    out
}

/// Whether `group`, printed flat, and what follows it up to the next line
/// break of an enclosing broken group fit in `budget` columns.
fn fits(budget: usize, group: &[Doc], rest: &[(usize, Mode, &Doc)]) -> bool {
    let mut remaining = budget;
    let mut stack: Vec<(Mode, &Doc)> = group.iter().rev().map(|d| (Mode::Flat, d)).collect();
    let mut rest = rest.iter().rev();
    loop {
        let (mode, doc) = match stack.pop() {
            Some(next) => next,
            None => match rest.next() {
                Some((_, mode, doc)) => (*mode, *doc),
                None => return true,
            },
        };
        let used = match doc {
            Doc::Text(s) => width(s),
            Doc::Line | Doc::SoftLine if mode == Mode::Break => return true,
            Doc::Line => 1,
            Doc::SoftLine => 0,
            Doc::IfBreak(broken, flat) => width(if mode == Mode::Break { broken } else { flat }),
            Doc::Concat(docs) | Doc::Nest(docs) => {
                stack.extend(docs.iter().rev().map(|d| (mode, d)));
                0
            }
            // A later group is measured flat: the earliest list that makes
            // the line fit is the one that breaks.
            Doc::Group(docs) => {
                stack.extend(docs.iter().rev().map(|d| (Mode::Flat, d)));
                0
            }
        };
        match remaining.checked_sub(used) {
            Some(left) => remaining = left,
            None => return false,
        }
    }
}

/// `[a, b, c]`, or one element per line with trailing commas.
fn bracketed<'a>(items: impl IntoIterator<Item = &'a str>) -> Doc {
    let mut inner = vec![Doc::SoftLine];
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            inner.push(text(","));
            inner.push(Doc::Line);
        }
        inner.push(text(item));
    }
    if inner.len() == 1 {
        return text("[]");
    }
    inner.push(Doc::IfBreak(",", ""));
    Doc::Group(vec![text("["), Doc::Nest(inner), Doc::SoftLine, text("]")])
}

fn list(list: &List) -> Doc {
    bracketed(list.items.iter().map(|i| i.node.as_str()))
}

/// `keyword { a b; c d }`, or one entry per line.
fn block(keyword: &str, entries: Vec<String>) -> Doc {
    if entries.is_empty() {
        return text(format!("{keyword} {{}}"));
    }
    let mut inner = Vec::new();
    for (i, entry) in entries.into_iter().enumerate() {
        if i > 0 {
            inner.push(Doc::IfBreak("", ";"));
        }
        inner.push(Doc::Line);
        inner.push(text(entry));
    }
    Doc::Group(vec![text(format!("{keyword} {{")), Doc::Nest(inner), Doc::Line, text("}")])
}

fn keyword_list(keyword: &str, l: &List) -> Doc {
    Doc::Concat(vec![text(format!("{keyword} ")), list(l)])
}

fn keyword_string(keyword: &str, s: &str) -> Doc {
    text(format!("{keyword} {}", escape(s)))
}

fn keyword_word(keyword: &str, w: &str) -> Doc {
    text(format!("{keyword} {w}"))
}

fn impact(ratings: &[ImpactRating]) -> Doc {
    block("impact", ratings.iter().map(|r| format!("{} {}", r.axis.node, r.level.node)).collect())
}

fn endpoint(e: &Endpoint) -> Doc {
    match e {
        Endpoint::Any(_) => text("any"),
        Endpoint::Asset(name) => text(name.node.as_str()),
        Endpoint::Assets(l) => list(l),
    }
}

fn flow(f: &Flow) -> Doc {
    let what = match &f.what {
        FlowWhat::Services { names, bracketed: b } => {
            let names: Vec<&str> = names.iter().map(|n| n.node.as_str()).collect();
            match names.as_slice() {
                [one] if !b => Doc::Concat(vec![text("service "), text(*one)]),
                _ => Doc::Concat(vec![text("service "), bracketed(names)]),
            }
        }
        FlowWhat::Ports { ports, bracketed: b } => {
            let ports: Vec<&str> = ports.iter().map(|n| n.node.as_str()).collect();
            match ports.as_slice() {
                [one] if !b => Doc::Concat(vec![text("port "), text(*one)]),
                _ => Doc::Concat(vec![text("port "), bracketed(ports)]),
            }
        }
    };
    let mut docs = vec![text("allow "), endpoint(&f.source), text(" -> "), endpoint(&f.destination), text(" "), what];
    if let Some(functions) = &f.functions {
        docs.push(text(" {"));
        docs.push(Doc::Nest(vec![Doc::Line, keyword_list("functions", functions)]));
        docs.push(Doc::Line);
        docs.push(text("}"));
    }
    Doc::Group(docs)
}

// ---- declarations ----------------------------------------------------------

fn titled(out: &mut String, title: &Option<Str>) {
    if let Some(title) = title {
        out.push(' ');
        out.push_str(&escape(title));
    }
}

/// `keyword NAME "Title"`, the header of a declaration that has nothing else.
fn named(keyword: &str, name: &Ident, title: &Option<Str>) -> String {
    let mut out = format!("{keyword} {}", name.node);
    titled(&mut out, title);
    out
}

fn header(decl: &Decl) -> String {
    match decl {
        Decl::Plant(d) => format!("plant {}", escape(&d.code)),
        Decl::Zone(d) => {
            let mut out = format!("zone {}", d.name.node);
            titled(&mut out, &d.title);
            if let Some(trust) = &d.trust {
                out.push_str(" : ");
                out.push_str(trust);
            }
            out
        }
        Decl::Asset(d) => {
            let mut out = format!("asset {}", d.name.node);
            titled(&mut out, &d.title);
            if let Some(zone) = &d.zone {
                out.push_str(" in ");
                out.push_str(zone);
            }
            out
        }
        Decl::Conduit(d) => {
            let mut out = format!("conduit {}", d.name.node);
            titled(&mut out, &d.title);
            out.push_str(&format!(" from {} to {}", d.from.node, d.to.node));
            out
        }
        Decl::Operation(d) => named("operation", &d.name, &d.title),
        Decl::Data(d) => named("data", &d.name, &d.title),
        Decl::Purchase(d) => named("purchase", &d.name, &d.title),
        Decl::Waive(d) => format!("waive {} on {}", one_or_list(&d.rules), waive_scope(&d.scope.node)),
        Decl::Attest(d) => format!("attest {} level {}", d.item.node, d.level.node),
    }
}

/// `a` for one name, `[a, b]` for several: the canonical form of a
/// waiver's rules and names.
fn one_or_list(words: &[Word]) -> String {
    match words {
        [one] => one.node.clone(),
        many => format!("[{}]", many.iter().map(|w| w.node.as_str()).collect::<Vec<_>>().join(", ")),
    }
}

fn waive_scope(scope: &WaiveScope) -> String {
    match scope {
        WaiveScope::Entities { kind, names } => format!("{} {}", kind.node.keyword(), one_or_list(names)),
        WaiveScope::ZoneAndAssets(zone) => format!("zone {} and its assets", zone.node),
        WaiveScope::AssetsInZone(zone) => format!("assets in zone {}", zone.node),
        WaiveScope::AssetsOfKind { kind, zone: None } => format!("assets of kind {}", kind.node),
        WaiveScope::AssetsOfKind { kind, zone: Some(zone) } => {
            format!("assets of kind {} in zone {}", kind.node, zone.node)
        }
    }
}

fn asset_item(item: &AssetItem) -> Doc {
    match item {
        AssetItem::Kind(w) => keyword_word("kind", w),
        AssetItem::Ip(w) => keyword_word("ip", w),
        AssetItem::Interfaces(interfaces) => {
            block("interfaces", interfaces.iter().map(|i| format!("{} {}", i.zone.node, i.address.node)).collect())
        }
        AssetItem::Vendor(s) => keyword_string("vendor", s),
        AssetItem::Model(s) => keyword_string("model", s),
        AssetItem::Firmware(s) => keyword_string("firmware", s),
        AssetItem::Services(l) => keyword_list("services", l),
        AssetItem::Ports(ports) => {
            block("ports", ports.iter().map(|p| format!("{} {}", p.port.node, p.state.node)).collect())
        }
        AssetItem::Controls(l) => keyword_list("controls", l),
        AssetItem::Impact(ratings) => impact(ratings),
        AssetItem::Software(l) => keyword_list("software", l),
        AssetItem::Capabilities(l) => keyword_list("capabilities", l),
        AssetItem::Component(c) => component(c),
    }
}

/// `component "NAME"`, with its block when it has one.
fn component(c: &Component) -> Doc {
    let head = format!("component {}", escape(&c.name.node));
    if c.items.is_empty() {
        return text(head);
    }
    let entries = c
        .items
        .iter()
        .map(|item| match &item.node {
            ComponentItem::Kind(w) => format!("kind {}", w.node),
            ComponentItem::Version(s) => format!("version {}", escape(s)),
            ComponentItem::Vendor(s) => format!("vendor {}", escape(s)),
            ComponentItem::Purl(s) => format!("purl {}", escape(s)),
            ComponentItem::Cpe(s) => format!("cpe {}", escape(s)),
        })
        .collect();
    block(&head, entries)
}

fn items(decl: &Decl) -> Vec<Doc> {
    match decl {
        Decl::Plant(d) => d
            .items
            .iter()
            .map(|item| match &item.node {
                PlantItem::Name(s) => keyword_string("name", s),
                PlantItem::Profile(names) => {
                    text(format!("profile {}", names.iter().map(|n| n.node.as_str()).collect::<Vec<_>>().join(", ")))
                }
            })
            .collect(),
        Decl::Zone(d) => d
            .items
            .iter()
            .map(|item| match &item.node {
                ZoneItem::Subnet(w) => keyword_word("subnet", w),
                ZoneItem::Vlan(w) => keyword_word("vlan", w),
                ZoneItem::Tier(w) => keyword_word("tier", w),
                ZoneItem::Role(w) => keyword_word("role", w),
                ZoneItem::Level(w) => keyword_word("level", w),
                ZoneItem::Controls(l) => keyword_list("controls", l),
            })
            .collect(),
        Decl::Asset(d) => d.items.iter().map(|item| asset_item(&item.node)).collect(),
        Decl::Conduit(d) => d
            .items
            .iter()
            .map(|item| match &item.node {
                ConduitItem::Allow(f) => flow(f),
                ConduitItem::Controls(l) => keyword_list("controls", l),
                ConduitItem::EnforcedBy(w) => keyword_word("enforced-by", w),
                ConduitItem::Window(s) => keyword_string("window", s),
                ConduitItem::OneWay => text("one-way"),
                ConduitItem::Inspection(w) => keyword_word("inspection", w),
            })
            .collect(),
        Decl::Operation(d) => d
            .items
            .iter()
            .map(|item| match &item.node {
                OperationItem::Impact(ratings) => impact(ratings),
                OperationItem::Zones(l) => keyword_list("zones", l),
                OperationItem::Data(l) => keyword_list("data", l),
                OperationItem::Assets(l) => keyword_list("assets", l),
            })
            .collect(),
        Decl::Data(d) => d
            .items
            .iter()
            .map(|item| match &item.node {
                DataItem::Impact(ratings) => impact(ratings),
                DataItem::StoredOn(l) => keyword_list("stored-on", l),
            })
            .collect(),
        Decl::Purchase(d) => d
            .items
            .iter()
            .map(|item| match &item.node {
                PurchaseItem::Assets(l) => keyword_list("assets", l),
                PurchaseItem::Supplier(s) => keyword_string("supplier", s),
            })
            .collect(),
        Decl::Waive(d) => d
            .items
            .iter()
            .map(|item| match &item.node {
                WaiveItem::Reason(s) => keyword_string("reason", s),
                WaiveItem::Until(w) => keyword_word("until", w),
                WaiveItem::Compensating(l) => keyword_list("compensating", l),
            })
            .collect(),
        Decl::Attest(d) => d
            .items
            .iter()
            .map(|item| match &item.node {
                AttestItem::Evidence(s) => keyword_string("evidence", s),
                AttestItem::Owner(s) => keyword_string("owner", s),
            })
            .collect(),
    }
}

// ---- printing --------------------------------------------------------------

struct Printer<'a> {
    /// The source text the comments' spans point into.
    source: &'a str,
    out: String,
}

impl<'a> Printer<'a> {
    fn new(source: &'a str) -> Self {
        Printer { source, out: String::new() }
    }

    /// `code` followed by comments on the same line.
    fn with_comments(&self, mut code: String, comments: &[Comment]) -> String {
        for c in comments {
            if !code.is_empty() {
                code.push(' ');
            }
            code.push_str(c.text(self.source));
        }
        code
    }

    /// Writes one (possibly multi-line) piece of output on its own line(s).
    fn line(&mut self, blank_before: bool, indent: usize, code: &str) {
        if blank_before && !self.out.is_empty() {
            self.out.push('\n');
        }
        self.out.extend(std::iter::repeat_n(' ', indent));
        self.out.push_str(code);
        self.out.push('\n');
    }

    /// Writes comment lines; `first_blank` says whether a blank line goes
    /// before the first one.
    fn groups(&mut self, groups: &[Group], indent: usize, mut first_blank: Option<bool>) {
        for group in groups {
            let blank = first_blank.take().unwrap_or(group.blank_before);
            let line = self.with_comments(String::new(), &group.comments);
            self.line(blank, indent, &line);
        }
    }

    fn file(mut self, file: &File, notes: &FileNotes) -> String {
        let empty = DeclNotes::default();
        let mut previous_multi: Option<bool> = None;
        for (i, decl) in file.decls.iter().enumerate() {
            let notes = notes.decls.get(i).unwrap_or(&empty);
            let multi = has_braces(decl, notes);
            // Blank line before this declaration's first line (its first
            // comment, or itself).
            let first_blank = match previous_multi {
                None => false,
                Some(previous) => previous || multi,
            };
            let node = &notes.node;
            let first_blank_of = |preserved: bool| first_blank || preserved;
            match node.leading.first() {
                Some(first) => {
                    self.groups(&node.leading, 0, Some(first_blank_of(first.blank_before)));
                    self.decl(decl, notes, multi, node.blank_before);
                }
                None => self.decl(decl, notes, multi, first_blank_of(node.blank_before)),
            }
            previous_multi = Some(multi);
        }
        let first_blank = match (notes.end.first(), previous_multi) {
            (Some(first), Some(_)) => first.blank_before,
            _ => false,
        };
        self.groups(&notes.end, 0, Some(first_blank));
        self.out
    }

    fn decl(&mut self, decl: &Decl, notes: &DeclNotes, braces: bool, blank: bool) {
        let mut head = header(decl);
        if braces {
            head.push_str(" {");
        }
        let mut head = self.with_comments(head, &notes.header);
        if !braces {
            head = self.with_comments(head, &notes.node.trailing);
            self.line(blank, 0, &head);
            return;
        }
        self.line(blank, 0, &head);

        let empty = Attached::default();
        let mut first = true;
        for (j, doc) in items(decl).iter().enumerate() {
            let notes = notes.items.get(j).unwrap_or(&empty);
            let mut item_blank = notes.blank_before;
            if !notes.leading.is_empty() {
                let first_blank = notes.leading.first().is_some_and(|g| g.blank_before && !first);
                self.groups(&notes.leading, INDENT, Some(first_blank));
            } else if first {
                item_blank = false;
            }
            let code = self.with_comments(render(doc, INDENT), &notes.trailing);
            self.line(item_blank, INDENT, &code);
            first = false;
        }
        let first_blank = notes.dangling.first().is_some_and(|g| g.blank_before && !first);
        self.groups(&notes.dangling, INDENT, Some(first_blank));
        let close = self.with_comments("}".to_string(), &notes.node.trailing);
        self.line(false, 0, &close);
    }
}

/// Whether a declaration is printed with a body: it has items, or comments
/// that belong inside its braces.
fn has_braces(decl: &Decl, notes: &DeclNotes) -> bool {
    let has_items = match decl {
        Decl::Plant(d) => !d.items.is_empty(),
        Decl::Zone(d) => !d.items.is_empty(),
        Decl::Asset(d) => !d.items.is_empty(),
        Decl::Conduit(d) => !d.items.is_empty(),
        Decl::Operation(d) => !d.items.is_empty(),
        Decl::Data(d) => !d.items.is_empty(),
        Decl::Purchase(d) => !d.items.is_empty(),
        Decl::Waive(d) => !d.items.is_empty(),
        Decl::Attest(d) => !d.items.is_empty(),
    };
    has_items || !notes.header.is_empty() || !notes.dangling.is_empty()
}
