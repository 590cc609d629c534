//! Property tests of the formatter: printing an arbitrary tree and parsing it
//! back gives the same tree, and formatting is idempotent, comments included.

// Test helpers outside `#[test]` functions may panic too.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use kojo_lang::ast::*;
use kojo_lang::format::{format_file, format_source, source_comments};
use kojo_lang::{parse, NodeSpan, SourceFile, Span, Spanned};
use proptest::prelude::*;
use proptest::sample::{select, Index};

// ---- trees -----------------------------------------------------------------

/// Every keyword of the grammar. Keywords are not reserved: they are valid
/// names wherever the grammar expects a name, so names are drawn from them
/// too, to check that the parser keeps that promise.
const KEYWORDS: &[&str] = &[
    "plant",
    "zone",
    "asset",
    "conduit",
    "operation",
    "data",
    "purchase",
    "waive",
    "attest",
    "name",
    "profile",
    "subnet",
    "vlan",
    "role",
    "tier",
    "controls",
    "in",
    "kind",
    "ip",
    "interfaces",
    "vendor",
    "model",
    "firmware",
    "services",
    "ports",
    "impact",
    "software",
    "capabilities",
    "component",
    "version",
    "purl",
    "cpe",
    "from",
    "to",
    "allow",
    "any",
    "service",
    "port",
    "functions",
    "enforced-by",
    "window",
    "one-way",
    "inspection",
    "zones",
    "assets",
    "stored-on",
    "supplier",
    "on",
    "of",
    "and",
    "its",
    "reason",
    "until",
    "compensating",
    "level",
    "evidence",
    "owner",
];

fn spanned(s: String) -> Spanned<String> {
    Spanned::new(s, Span::default())
}

fn ident() -> impl Strategy<Value = Ident> {
    prop_oneof![
        4 => "[a-z_][a-z0-9_]{0,8}(-[a-z0-9]{1,4})?",
        1 => select(KEYWORDS).prop_map(str::to_string),
    ]
    .prop_map(spanned)
}

/// A name in an endpoint position. `any` there is the keyword (any host), so
/// an asset named `any` cannot be written as a flow endpoint: the grammar
/// reads `endpoint = { kw_any | list | ident }`.
fn endpoint_ident() -> impl Strategy<Value = Ident> {
    ident().prop_filter("`any` is the any-endpoint", |i| i.node != "any")
}

/// Arbitrary text: any Unicode, with the characters that need escaping and
/// Japanese made likely.
fn string() -> impl Strategy<Value = Str> {
    prop_oneof![any::<String>(), "[a-zA-Z0-9 \"\\\\\n\r\t/*日本語工場（）・]{0,24}", Just(String::new()),]
        .prop_map(spanned)
}

/// Addresses are checked by the compiler, not the parser: any run of the
/// address characters is valid, except `//`, which begins a comment.
fn address() -> impl Strategy<Value = Word> {
    prop_oneof![
        "[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}(/[0-9]{1,2})?",
        "[0-9a-f]{1,4}(:[0-9a-f]{0,4}){1,7}(%[a-z0-9]{1,4})?",
        "[0-9a-zA-Z][0-9a-zA-Z:./%]{0,16}".prop_filter("`//` begins a comment", |a| !a.contains("//")),
    ]
    .prop_map(spanned)
}

fn int() -> impl Strategy<Value = Word> {
    "[0-9]{1,5}".prop_map(spanned)
}

fn code() -> impl Strategy<Value = Word> {
    "[A-Za-z0-9_][A-Za-z0-9_.]{0,5}(-[A-Z0-9_]{1,4}){0,2}".prop_map(spanned)
}

fn date() -> impl Strategy<Value = Word> {
    "[0-9]{1,4}-[0-9]{1,2}-[0-9]{1,2}".prop_map(spanned)
}

fn port() -> impl Strategy<Value = Word> {
    "[a-z]{1,4}/[0-9]{1,5}(-[0-9]{1,5})?".prop_map(spanned)
}

fn list() -> impl Strategy<Value = List> {
    prop::collection::vec(ident(), 0..6).prop_map(|items| List { items, span: NodeSpan::default() })
}

fn endpoint_list() -> impl Strategy<Value = List> {
    prop::collection::vec(endpoint_ident(), 0..6).prop_map(|items| List { items, span: NodeSpan::default() })
}

fn title() -> impl Strategy<Value = Option<Str>> {
    prop::option::of(string())
}

fn items<T: std::fmt::Debug>(item: impl Strategy<Value = T>) -> impl Strategy<Value = Vec<Spanned<T>>> {
    prop::collection::vec(item.prop_map(|i| Spanned::new(i, Span::default())), 0..5)
}

fn impact() -> impl Strategy<Value = Vec<ImpactRating>> {
    prop::collection::vec((ident(), ident()).prop_map(|(axis, level)| ImpactRating { axis, level }), 0..6)
}

fn endpoint() -> impl Strategy<Value = Endpoint> {
    prop_oneof![
        Just(Endpoint::Any(NodeSpan::default())),
        endpoint_ident().prop_map(Endpoint::Asset),
        endpoint_list().prop_map(Endpoint::Assets),
    ]
}

/// `service s` and `port p` name exactly one thing; the bracketed forms any
/// number, zero included.
fn flow_what() -> impl Strategy<Value = FlowWhat> {
    prop_oneof![
        ident().prop_map(|n| FlowWhat::Services { names: vec![n], bracketed: false }),
        prop::collection::vec(ident(), 0..5).prop_map(|names| FlowWhat::Services { names, bracketed: true }),
        port().prop_map(|p| FlowWhat::Ports { ports: vec![p], bracketed: false }),
        prop::collection::vec(port(), 0..5).prop_map(|ports| FlowWhat::Ports { ports, bracketed: true }),
    ]
}

fn flow() -> impl Strategy<Value = Flow> {
    (endpoint(), endpoint(), flow_what(), prop::option::of(list()))
        .prop_map(|(source, destination, what, functions)| Flow { source, destination, what, functions })
}

fn plant() -> impl Strategy<Value = Decl> {
    let item = prop_oneof![
        string().prop_map(PlantItem::Name),
        // `profile` needs at least one name.
        prop::collection::vec(ident(), 1..4).prop_map(PlantItem::Profile),
    ];
    (string(), items(item)).prop_map(|(code, items)| Decl::Plant(Plant { code, items, span: NodeSpan::default() }))
}

fn zone() -> impl Strategy<Value = Decl> {
    let item = prop_oneof![
        address().prop_map(ZoneItem::Subnet),
        int().prop_map(ZoneItem::Vlan),
        ident().prop_map(ZoneItem::Tier),
        ident().prop_map(ZoneItem::Role),
        prop_oneof![int(), ident()].prop_map(ZoneItem::Level),
        list().prop_map(ZoneItem::Controls),
    ];
    (ident(), title(), prop::option::of(ident()), items(item)).prop_map(|(name, title, trust, items)| {
        Decl::Zone(Zone { name, title, trust, items, span: NodeSpan::default() })
    })
}

fn asset() -> impl Strategy<Value = Decl> {
    let item = prop_oneof![
        ident().prop_map(AssetItem::Kind),
        address().prop_map(AssetItem::Ip),
        prop::collection::vec((ident(), address()).prop_map(|(zone, address)| Interface { zone, address }), 0..5)
            .prop_map(AssetItem::Interfaces),
        string().prop_map(AssetItem::Vendor),
        string().prop_map(AssetItem::Model),
        string().prop_map(AssetItem::Firmware),
        list().prop_map(AssetItem::Services),
        prop::collection::vec((ident(), ident()).prop_map(|(port, state)| PortState { port, state }), 0..5)
            .prop_map(AssetItem::Ports),
        list().prop_map(AssetItem::Controls),
        impact().prop_map(AssetItem::Impact),
        list().prop_map(AssetItem::Software),
        list().prop_map(AssetItem::Capabilities),
        component().prop_map(AssetItem::Component),
    ];
    (ident(), title(), prop::option::of(ident()), items(item)).prop_map(|(name, title, zone, items)| {
        Decl::Asset(Asset { name, title, zone, items, span: NodeSpan::default() })
    })
}

fn component() -> impl Strategy<Value = Component> {
    let item = prop_oneof![
        ident().prop_map(ComponentItem::Kind),
        string().prop_map(ComponentItem::Version),
        string().prop_map(ComponentItem::Vendor),
        string().prop_map(ComponentItem::Purl),
        string().prop_map(ComponentItem::Cpe),
    ];
    (string(), items(item)).prop_map(|(name, items)| Component { name, items })
}

fn conduit() -> impl Strategy<Value = Decl> {
    let item = prop_oneof![
        flow().prop_map(ConduitItem::Allow),
        list().prop_map(ConduitItem::Controls),
        ident().prop_map(ConduitItem::EnforcedBy),
        string().prop_map(ConduitItem::Window),
        Just(ConduitItem::OneWay),
        ident().prop_map(ConduitItem::Inspection),
    ];
    (ident(), title(), ident(), ident(), items(item)).prop_map(|(name, title, from, to, items)| {
        Decl::Conduit(Conduit { name, title, from, to, items, span: NodeSpan::default() })
    })
}

fn operation() -> impl Strategy<Value = Decl> {
    let item = prop_oneof![
        impact().prop_map(OperationItem::Impact),
        list().prop_map(OperationItem::Zones),
        list().prop_map(OperationItem::Data),
        list().prop_map(OperationItem::Assets),
    ];
    (ident(), title(), items(item))
        .prop_map(|(name, title, items)| Decl::Operation(Operation { name, title, items, span: NodeSpan::default() }))
}

fn data() -> impl Strategy<Value = Decl> {
    let item = prop_oneof![impact().prop_map(DataItem::Impact), list().prop_map(DataItem::StoredOn),];
    (ident(), title(), items(item))
        .prop_map(|(name, title, items)| Decl::Data(Data { name, title, items, span: NodeSpan::default() }))
}

fn purchase() -> impl Strategy<Value = Decl> {
    let item = prop_oneof![list().prop_map(PurchaseItem::Assets), string().prop_map(PurchaseItem::Supplier),];
    (ident(), title(), items(item))
        .prop_map(|(name, title, items)| Decl::Purchase(Purchase { name, title, items, span: NodeSpan::default() }))
}

fn waive_scope() -> impl Strategy<Value = WaiveScope> {
    let names = prop::collection::vec(ident(), 1..4);
    prop_oneof![
        (select(EntityKind::ALL.to_vec()), names)
            .prop_map(|(kind, names)| WaiveScope::Entities { kind: Spanned::new(kind, Span::default()), names }),
        ident().prop_map(WaiveScope::ZoneAndAssets),
        ident().prop_map(WaiveScope::AssetsInZone),
        (ident(), prop::option::of(ident())).prop_map(|(kind, zone)| WaiveScope::AssetsOfKind { kind, zone }),
    ]
}

fn waive() -> impl Strategy<Value = Decl> {
    let item = prop_oneof![
        string().prop_map(WaiveItem::Reason),
        date().prop_map(WaiveItem::Until),
        list().prop_map(WaiveItem::Compensating),
    ];
    (prop::collection::vec(code(), 1..4), waive_scope(), items(item)).prop_map(|(rules, scope, items)| {
        Decl::Waive(Waive { rules, scope: Spanned::new(scope, Span::default()), items, span: NodeSpan::default() })
    })
}

fn attest() -> impl Strategy<Value = Decl> {
    let item = prop_oneof![string().prop_map(AttestItem::Evidence), string().prop_map(AttestItem::Owner),];
    (code(), int(), items(item))
        .prop_map(|(item, level, items)| Decl::Attest(Attest { item, level, items, span: NodeSpan::default() }))
}

fn file() -> impl Strategy<Value = File> {
    let decl = prop_oneof![plant(), zone(), asset(), conduit(), operation(), data(), purchase(), waive(), attest()];
    prop::collection::vec(decl, 0..7).prop_map(|decls| File { decls })
}

// ---- comments --------------------------------------------------------------

fn line_comment() -> impl Strategy<Value = String> {
    prop_oneof!["//[^\n]{0,24}", "// [a-z \"*/]{0,12}", Just("//".to_string())]
}

fn block_comment() -> impl Strategy<Value = String> {
    // No `*` inside, so the comment cannot end early; line breaks allowed.
    prop_oneof!["/\\*[^*]{0,24}\\*/", "/\\*[a-z \n/\"]{0,12}\\*/"]
}

/// Where to put one comment in a formatted text.
#[derive(Debug, Clone)]
enum Place {
    /// On its own line before line `Index` (or at the end), after an
    /// optional blank line.
    OwnLine(Index, bool, String),
    /// After the code of line `Index`.
    Trailing(Index, String),
    /// After the first token of line `Index` (a block comment).
    Inside(Index, String),
}

fn place() -> impl Strategy<Value = Place> {
    let comment = prop_oneof![line_comment(), block_comment()];
    prop_oneof![
        (any::<Index>(), any::<bool>(), comment.clone()).prop_map(|(i, blank, c)| Place::OwnLine(i, blank, c)),
        (any::<Index>(), comment).prop_map(|(i, c)| Place::Trailing(i, c)),
        (any::<Index>(), block_comment()).prop_map(|(i, c)| Place::Inside(i, c)),
    ]
}

/// `text` (a formatted file: no comments, every line starts with a token
/// that contains no space) with comments inserted at `places`.
fn sprinkle(text: &str, places: &[Place]) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    // Inside a line first, while every line is still code.
    for place in places {
        if let Place::Inside(i, comment) = place {
            if lines.is_empty() {
                continue;
            }
            let n = i.index(lines.len());
            let line = &mut lines[n];
            let indent = line.len() - line.trim_start().len();
            if let Some(space) = line[indent..].find(' ') {
                line.insert_str(indent + space, &format!(" {comment}"));
            }
        }
    }
    // Then after the code of a line (never after a line comment, which would
    // swallow it).
    let mut ends_in_line_comment = vec![false; lines.len()];
    for place in places {
        if let Place::Trailing(i, comment) = place {
            if lines.is_empty() {
                continue;
            }
            let i = i.index(lines.len());
            if !ends_in_line_comment[i] {
                lines[i].push(' ');
                lines[i].push_str(comment);
                ends_in_line_comment[i] = comment.starts_with("//");
            }
        }
    }
    // Then whole lines (a multi-line block comment stays one entry).
    for place in places {
        if let Place::OwnLine(i, blank, comment) = place {
            let i = i.index(lines.len() + 1);
            lines.insert(i, comment.clone());
            if *blank {
                lines.insert(i, String::new());
            }
        }
    }
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

fn comment_texts(text: &str) -> Vec<String> {
    let comments =
        source_comments(&SourceFile::new("c.kojo", text)).unwrap_or_else(|d| panic!("does not parse: {d:?}\n{text}"));
    comments.iter().map(|c| c.text(text).to_string()).collect()
}

fn reformat(text: &str) -> String {
    format_source(&SourceFile::new("r.kojo", text))
        .unwrap_or_else(|d| panic!("does not parse: {:?}\n{text}", d.iter().map(|d| &d.message).collect::<Vec<_>>()))
}

// ---- properties ------------------------------------------------------------

// The default 256 cases per property; set PROPTEST_CASES to run more.
proptest! {

    /// Printing a tree and parsing the text gives the tree back; printing is
    /// a fixed point of formatting.
    #[test]
    fn printed_trees_parse_back(file in file()) {
        let text = format_file(&file);
        let parsed = parse(&SourceFile::new("p.kojo", text.clone()));
        prop_assert!(
            parsed.diagnostics.is_empty(),
            "{:?}\n{text}",
            parsed.diagnostics.iter().map(|d| &d.message).collect::<Vec<_>>()
        );
        prop_assert_eq!(&parsed.file, &file, "{}", text);
        prop_assert_eq!(&format_file(&parsed.file), &text);
        prop_assert_eq!(&reformat(&text), &text);
    }

    /// With comments anywhere at line boundaries (and inside lines), the
    /// formatter keeps the tree and every comment, and is idempotent.
    #[test]
    fn comments_survive_formatting(
        file in file(),
        places in prop::collection::vec(place(), 0..10),
    ) {
        let text = sprinkle(&format_file(&file), &places);
        let once = reformat(&text);
        let parsed = parse(&SourceFile::new("once.kojo", once.clone()));
        prop_assert!(parsed.diagnostics.is_empty(), "{}", once);
        prop_assert_eq!(&parsed.file, &file, "{}", once);
        prop_assert_eq!(comment_texts(&once), comment_texts(&text), "{}\n---\n{}", text, once);
        let twice = reformat(&once);
        prop_assert_eq!(&twice, &once, "input:\n{}", text);
    }
}
