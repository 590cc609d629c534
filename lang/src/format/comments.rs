//! Finding comments in source text, and attaching them to the syntax tree.
//!
//! The grammar treats comments as trivia, so the tree has none. The
//! formatter finds them again here with a small scanner and decides, from
//! byte positions alone, which node each one belongs to:
//!
//! - a comment after code on the same line is a *trailing* comment of the
//!   declaration or item that ends on that line;
//! - a comment on its own line(s) is a *leading* comment of the next
//!   declaration or item, or, if nothing follows in its block, a *dangling*
//!   comment printed before the closing `}` (or at the end of the file);
//! - a comment after a declaration's `{` on the same line stays after the `{`;
//! - a comment anywhere else (between header tokens, inside a list or a
//!   nested block) is moved to be a leading comment of the enclosing item or
//!   declaration, so that it is never lost.

use crate::ast::*;
use crate::span::Span;

/// A comment found in source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Comment {
    /// The whole comment, `//` or `/*` included; a line comment's span stops
    /// before the line break.
    pub span: Span,
    /// `/* … */` rather than `// …`.
    pub block: bool,
}

impl Comment {
    /// The comment's text as the formatter prints it: block comments exactly
    /// as written, line comments without trailing blanks.
    pub fn text<'a>(&self, source: &'a str) -> &'a str {
        let text = source.get(self.span.range()).unwrap_or_default();
        if self.block {
            text
        } else {
            text.trim_end_matches([' ', '\t', '\r'])
        }
    }
}

/// The comments of `text`, in order. `opaque` are spans of tokens that may
/// contain `//` or `/*` without starting a comment (string literals and
/// addresses such as `10.0.0.1//x`); they are skipped.
pub(crate) fn scan(text: &str, opaque: &[Span]) -> Vec<Comment> {
    let mut opaque: Vec<Span> = opaque.to_vec();
    opaque.sort();
    let mut next_opaque = opaque.into_iter().peekable();
    let bytes = text.as_bytes();
    let mut comments = Vec::new();
    let mut pos = 0;
    while pos < bytes.len() {
        while next_opaque.peek().is_some_and(|s| s.end <= pos) {
            next_opaque.next();
        }
        if let Some(span) = next_opaque.peek() {
            if span.start == pos {
                pos = span.end.max(pos + 1);
                continue;
            }
        }
        let rest = bytes.get(pos..).unwrap_or_default();
        if rest.starts_with(b"//") {
            let len = rest.iter().position(|b| *b == b'\n').unwrap_or(rest.len());
            comments.push(Comment { span: Span::new(pos, pos + len), block: false });
            pos += len;
        } else if rest.starts_with(b"/*") {
            let len = rest.windows(2).skip(2).position(|w| w == b"*/").map_or(rest.len(), |i| i + 4);
            comments.push(Comment { span: Span::new(pos, pos + len), block: true });
            pos += len;
        } else if rest.starts_with(b"\"") {
            // A string the caller did not mark opaque: skip it as the
            // grammar would lex it (no raw line breaks inside).
            let mut i = 1;
            while let Some(b) = rest.get(i) {
                match b {
                    b'\\' => i += 2,
                    b'"' => {
                        i += 1;
                        break;
                    }
                    b'\n' => break,
                    _ => i += 1,
                }
            }
            pos += i;
        } else {
            pos += 1;
        }
    }
    comments
}

/// The spans of the tokens of `file` inside which `//` and `/*` are not
/// comments: string literals and addresses.
pub(crate) fn opaque_spans(file: &File) -> Vec<Span> {
    let mut spans = Vec::new();
    for decl in &file.decls {
        match decl {
            Decl::Plant(d) => {
                spans.push(d.code.span);
                for item in &d.items {
                    if let PlantItem::Name(s) = &item.node {
                        spans.push(s.span);
                    }
                }
            }
            Decl::Zone(d) => {
                spans.extend(d.title.as_ref().map(|t| t.span));
                for item in &d.items {
                    if let ZoneItem::Subnet(w) = &item.node {
                        spans.push(w.span);
                    }
                }
            }
            Decl::Asset(d) => {
                spans.extend(d.title.as_ref().map(|t| t.span));
                for item in &d.items {
                    match &item.node {
                        AssetItem::Ip(w) | AssetItem::Vendor(w) | AssetItem::Model(w) | AssetItem::Firmware(w) => {
                            spans.push(w.span)
                        }
                        AssetItem::Interfaces(list) => {
                            spans.extend(list.iter().map(|i| i.address.span));
                        }
                        _ => {}
                    }
                }
            }
            Decl::Conduit(d) => {
                spans.extend(d.title.as_ref().map(|t| t.span));
                for item in &d.items {
                    if let ConduitItem::Window(s) = &item.node {
                        spans.push(s.span);
                    }
                }
            }
            Decl::Operation(d) => spans.extend(d.title.as_ref().map(|t| t.span)),
            Decl::Data(d) => spans.extend(d.title.as_ref().map(|t| t.span)),
            Decl::Purchase(d) => {
                spans.extend(d.title.as_ref().map(|t| t.span));
                for item in &d.items {
                    if let PurchaseItem::Supplier(s) = &item.node {
                        spans.push(s.span);
                    }
                }
            }
            Decl::Waive(d) => {
                for item in &d.items {
                    if let WaiveItem::Reason(s) = &item.node {
                        spans.push(s.span);
                    }
                }
            }
            Decl::Attest(d) => {
                for item in &d.items {
                    match &item.node {
                        AttestItem::Evidence(s) | AttestItem::Owner(s) => spans.push(s.span),
                    }
                }
            }
        }
    }
    spans
}

// ---- attachment ------------------------------------------------------------

/// Comments printed together on one line.
#[derive(Debug, Clone, Default)]
pub(crate) struct Group {
    pub comments: Vec<Comment>,
    /// The source had a blank line before this group.
    pub blank_before: bool,
}

/// The comments around one declaration or block item.
#[derive(Debug, Clone, Default)]
pub(crate) struct Attached {
    /// Comment lines before the node.
    pub leading: Vec<Group>,
    /// The source had a blank line right before the node itself.
    pub blank_before: bool,
    /// Comments after the node on its last line.
    pub trailing: Vec<Comment>,
}

/// The comments of one declaration.
#[derive(Debug, Clone, Default)]
pub(crate) struct DeclNotes {
    pub node: Attached,
    /// Comments after the opening `{` on its line.
    pub header: Vec<Comment>,
    pub items: Vec<Attached>,
    /// Comment lines after the last item, before the closing `}`.
    pub dangling: Vec<Group>,
}

/// The comments of a whole file.
#[derive(Debug, Clone, Default)]
pub(crate) struct FileNotes {
    pub decls: Vec<DeclNotes>,
    /// Comment lines after the last declaration.
    pub end: Vec<Group>,
}

struct Ctx<'a> {
    text: &'a str,
    comments: &'a [Comment],
}

impl Ctx<'_> {
    fn slice(&self, from: usize, to: usize) -> &str {
        self.text.get(from..to.max(from)).unwrap_or_default()
    }

    fn newline_between(&self, from: usize, to: usize) -> bool {
        self.slice(from, to).contains('\n')
    }

    fn blank_between(&self, from: usize, to: usize) -> bool {
        self.slice(from, to).matches('\n').count() >= 2
    }

    /// `span` without the whitespace and comments that pest leaves at the end
    /// of a rule ending in an optional part.
    fn trim(&self, span: Span) -> Span {
        let mut end = span.end.min(self.text.len());
        while end > span.start {
            // A comment first: it may end in a character that is whitespace
            // elsewhere (`// …\u{FEFF}`).
            let i = self.comments.partition_point(|c| c.span.end < end);
            if let Some(c) = self.comments.get(i).filter(|c| c.span.end == end && c.span.start >= span.start) {
                end = c.span.start;
                continue;
            }
            match self.slice(span.start, end).chars().next_back() {
                Some(ch @ (' ' | '\t' | '\r' | '\n' | '\u{FEFF}')) => end -= ch.len_utf8(),
                _ => break,
            }
        }
        Span::new(span.start, end)
    }

    /// The first position at or after `from` that is neither whitespace nor
    /// inside a comment.
    fn skip_trivia(&self, from: usize) -> usize {
        let mut pos = from;
        loop {
            let rest = self.text.get(pos..).unwrap_or_default();
            let trimmed = rest.trim_start_matches([' ', '\t', '\r', '\n', '\u{FEFF}']);
            pos += rest.len() - trimmed.len();
            let i = self.comments.partition_point(|c| c.span.start < pos);
            match self.comments.get(i) {
                Some(c) if c.span.start == pos && c.span.end > pos => pos = c.span.end,
                _ => return pos,
            }
        }
    }

    /// Groups comments that share a source line, for moving them to be
    /// leading comments elsewhere.
    fn moved_groups(&self, comments: &[Comment]) -> Vec<Group> {
        let mut groups: Vec<Group> = Vec::new();
        let mut cursor = None;
        for c in comments {
            match (groups.last_mut(), cursor) {
                (Some(last), Some(end)) if !self.newline_between(end, c.span.start) => {
                    last.comments.push(*c);
                }
                _ => groups.push(Group { comments: vec![*c], blank_before: false }),
            }
            cursor = Some(c.span.end);
        }
        groups
    }
}

/// The result of attaching the comments of one region (a file, or a block
/// between its braces) to the nodes in it.
struct Region {
    /// Comments on the line of the region's start (after a `{`).
    head: Vec<Comment>,
    nodes: Vec<Attached>,
    /// Comments with no node after them.
    end: Vec<Group>,
}

/// Attaches the comments of `[lo, …)` that are not inside a node to the
/// nodes (given by their trimmed spans, in order).
fn region(ctx: &Ctx<'_>, lo: usize, with_head: bool, nodes: &[Span], comments: &[Comment]) -> Region {
    enum Event {
        Node(usize, Span),
        Comment(Comment),
    }
    let mut events: Vec<(usize, Event)> = nodes
        .iter()
        .enumerate()
        .map(|(i, s)| (s.start, Event::Node(i, *s)))
        .chain(comments.iter().map(|c| (c.span.start, Event::Comment(*c))))
        .collect();
    events.sort_by_key(|(start, _)| *start);

    let mut out = Region { head: Vec::new(), nodes: vec![Attached::default(); nodes.len()], end: Vec::new() };
    let mut pending: Vec<Group> = Vec::new();
    let mut cursor = lo;
    let mut previous: Option<usize> = None;
    let mut in_head = with_head;
    for (_, event) in events {
        match event {
            Event::Node(i, span) => {
                in_head = false;
                if let Some(node) = out.nodes.get_mut(i) {
                    node.leading = std::mem::take(&mut pending);
                    node.blank_before = ctx.blank_between(cursor, span.start);
                }
                cursor = span.end;
                previous = Some(i);
            }
            Event::Comment(c) => {
                let same_line = !ctx.newline_between(cursor, c.span.start);
                if in_head && same_line {
                    out.head.push(c);
                } else if let (Some(i), true, true) = (previous, pending.is_empty(), same_line) {
                    if let Some(node) = out.nodes.get_mut(i) {
                        node.trailing.push(c);
                    }
                } else {
                    in_head = false;
                    match pending.last_mut() {
                        Some(group) if same_line => group.comments.push(c),
                        _ => pending
                            .push(Group { comments: vec![c], blank_before: ctx.blank_between(cursor, c.span.start) }),
                    }
                }
                cursor = c.span.end;
            }
        }
    }
    out.end = pending;
    out
}

/// The end of a declaration's header (its last token before any `{`).
fn header_end(decl: &Decl) -> usize {
    let last = |spans: &[Option<Span>]| spans.iter().flatten().map(|s| s.end).max().unwrap_or(0);
    match decl {
        Decl::Plant(d) => d.code.span.end,
        Decl::Zone(d) => last(&[Some(d.name.span), d.title.as_ref().map(|t| t.span), d.trust.as_ref().map(|t| t.span)]),
        Decl::Asset(d) => last(&[Some(d.name.span), d.title.as_ref().map(|t| t.span), d.zone.as_ref().map(|t| t.span)]),
        Decl::Conduit(d) => d.to.span.end,
        Decl::Operation(d) => last(&[Some(d.name.span), d.title.as_ref().map(|t| t.span)]),
        Decl::Data(d) => last(&[Some(d.name.span), d.title.as_ref().map(|t| t.span)]),
        Decl::Purchase(d) => last(&[Some(d.name.span), d.title.as_ref().map(|t| t.span)]),
        Decl::Waive(d) => d.scope.span.end,
        Decl::Attest(d) => d.level.span.end,
    }
}

fn item_spans(decl: &Decl) -> Vec<Span> {
    fn spans<T>(items: &[crate::span::Spanned<T>]) -> Vec<Span> {
        items.iter().map(|i| i.span).collect()
    }
    match decl {
        Decl::Plant(d) => spans(&d.items),
        Decl::Zone(d) => spans(&d.items),
        Decl::Asset(d) => spans(&d.items),
        Decl::Conduit(d) => spans(&d.items),
        Decl::Operation(d) => spans(&d.items),
        Decl::Data(d) => spans(&d.items),
        Decl::Purchase(d) => spans(&d.items),
        Decl::Waive(d) => spans(&d.items),
        Decl::Attest(d) => spans(&d.items),
    }
}

fn inside(span: Span, c: &Comment) -> bool {
    c.span.start >= span.start && c.span.start < span.end
}

/// The comments (sorted) that start inside `span`.
fn within(comments: &[Comment], span: Span) -> &[Comment] {
    let lo = comments.partition_point(|c| c.span.start < span.start);
    let hi = comments.partition_point(|c| c.span.start < span.end);
    comments.get(lo..hi.max(lo)).unwrap_or_default()
}

/// Attaches every comment of `text` to the nodes of `file` (parsed from
/// `text`). Every comment ends up in exactly one place.
pub(crate) fn attach(text: &str, file: &File, comments: &[Comment]) -> FileNotes {
    let ctx = Ctx { text, comments };
    let decl_spans: Vec<Span> = file.decls.iter().map(|d| ctx.trim(d.span())).collect();
    let outside: Vec<Comment> = comments
        .iter()
        .filter(|c| {
            // Declarations are disjoint and in order: only the last one
            // starting at or before the comment can contain it.
            let i = decl_spans.partition_point(|s| s.start <= c.span.start);
            !i.checked_sub(1).and_then(|i| decl_spans.get(i)).is_some_and(|s| inside(*s, c))
        })
        .copied()
        .collect();
    let top = region(&ctx, 0, false, &decl_spans, &outside);

    let decls = file
        .decls
        .iter()
        .zip(&decl_spans)
        .zip(top.nodes)
        .map(|((decl, span), node)| attach_decl(&ctx, decl, *span, node, within(comments, *span)))
        .collect();
    FileNotes { decls, end: top.end }
}

/// Adds comments moved from inside a node to its leading comments, right
/// before the node; a blank line before the node now goes before them.
fn move_into(node: &mut Attached, mut moved: Vec<Group>) {
    if let Some(first) = moved.first_mut() {
        if node.leading.is_empty() {
            first.blank_before = node.blank_before;
        }
        node.leading.append(&mut moved);
        node.blank_before = false;
    }
}

fn attach_decl(ctx: &Ctx<'_>, decl: &Decl, span: Span, mut node: Attached, inner: &[Comment]) -> DeclNotes {
    let header_end = header_end(decl).max(span.start).min(span.end);
    let items = item_spans(decl);
    let open = ctx.skip_trivia(header_end);
    let has_body = open < span.end
        && ctx.text.get(open..open + 1) == Some("{")
        && span.end > 0
        && ctx.text.get(span.end - 1..span.end) == Some("}");

    let mut moved: Vec<Comment> = Vec::new();
    let mut body: Vec<Comment> = Vec::new();
    for c in inner {
        if has_body && c.span.start > open {
            body.push(*c);
        } else {
            moved.push(*c);
        }
    }

    let item_spans: Vec<Span> = items.iter().map(|s| ctx.trim(*s)).collect();
    let mut item_inner: Vec<Vec<Comment>> = vec![Vec::new(); item_spans.len()];
    let mut between: Vec<Comment> = Vec::new();
    for c in body {
        let i = item_spans.partition_point(|s| s.start <= c.span.start);
        match i.checked_sub(1).filter(|i| item_spans.get(*i).is_some_and(|s| inside(*s, &c))) {
            Some(i) => {
                if let Some(list) = item_inner.get_mut(i) {
                    list.push(c);
                }
            }
            None => between.push(c),
        }
    }
    let inner_region = region(ctx, open + 1, true, &item_spans, &between);

    let mut items: Vec<Attached> = inner_region.nodes;
    for (item, comments) in items.iter_mut().zip(&item_inner) {
        move_into(item, ctx.moved_groups(comments));
    }
    move_into(&mut node, ctx.moved_groups(&moved));
    DeclNotes { node, header: inner_region.head, items, dangling: inner_region.end }
}
