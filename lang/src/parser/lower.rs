//! Lowering: pest's pairs → the typed syntax tree.
//!
//! One function per declaration. The grammar guarantees the shapes; a shape
//! it should not produce becomes an [`Internal`] error rather than a panic.

use pest::iterators::{Pair, Pairs};

use super::{unescape, Internal, Rule};
use crate::ast::*;
use crate::code::Code;
use crate::span::{Span, Spanned};

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
    // From the end: `last()` would walk every child of a long declaration.
    match pair.clone().into_inner().next_back() {
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

pub(super) fn lower_file(mut pairs: Pairs<'_, Rule>, offset: usize) -> Result<Vec<Decl>> {
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
            Rule::purchase => Decl::Purchase(purchase(pair, offset)?),
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
            Rule::role_item => ZoneItem::Role(c.ident()?),
            Rule::zone_level_item => match c.optional(Rule::int) {
                Some(p) => ZoneItem::Level(word(&p, o)),
                None => ZoneItem::Level(c.ident()?),
            },
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
            Rule::software_item => AssetItem::Software(list(c.expect(Rule::list)?, o)?),
            Rule::capabilities_item => AssetItem::Capabilities(list(c.expect(Rule::list)?, o)?),
            Rule::component_item => AssetItem::Component(component(&mut c, o)?),
            _ => return Err(Internal::new(format!("unexpected {rule:?}"), c.parent)),
        })
    })?;
    Ok(Asset { name, title, zone, items, span: c.parent.into() })
}

fn component(c: &mut Cursor<'_>, offset: usize) -> Result<Component> {
    let name = string(c.expect(Rule::string)?, offset)?;
    let items = items(c, |p, o| {
        let rule = p.as_rule();
        let mut c = Cursor::new(p, o);
        Ok(match rule {
            Rule::kind_item => ComponentItem::Kind(c.ident()?),
            Rule::version_item => ComponentItem::Version(string(c.expect(Rule::string)?, o)?),
            Rule::vendor_item => ComponentItem::Vendor(string(c.expect(Rule::string)?, o)?),
            Rule::purl_item => ComponentItem::Purl(string(c.expect(Rule::string)?, o)?),
            Rule::cpe_item => ComponentItem::Cpe(string(c.expect(Rule::string)?, o)?),
            _ => return Err(Internal::new(format!("unexpected {rule:?}"), c.parent)),
        })
    })?;
    Ok(Component { name, items })
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
            Rule::inspection_item => ConduitItem::Inspection(c.ident()?),
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

fn purchase(pair: Pair<'_, Rule>, offset: usize) -> Result<Purchase> {
    let mut c = Cursor::new(pair, offset);
    let name = c.ident()?;
    let title = c.optional_title()?;
    let items = items(&mut c, |p, o| {
        let rule = p.as_rule();
        let mut c = Cursor::new(p, o);
        Ok(match rule {
            Rule::assets_item => PurchaseItem::Assets(list(c.expect(Rule::list)?, o)?),
            Rule::supplier_item => PurchaseItem::Supplier(string(c.expect(Rule::string)?, o)?),
            _ => return Err(Internal::new(format!("unexpected {rule:?}"), c.parent)),
        })
    })?;
    Ok(Purchase { name, title, items, span: c.parent.into() })
}

fn waive(pair: Pair<'_, Rule>, offset: usize) -> Result<Waive> {
    let mut c = Cursor::new(pair, offset);
    let rules_pair = c.expect(Rule::waive_rules)?;
    // `waive_rules` holds one `code`, or a `code_list` of them.
    let rules =
        rules_pair.into_inner().flatten().filter(|p| p.as_rule() == Rule::code).map(|p| word(&p, offset)).collect();
    let scope_pair = c.next().ok_or_else(|| Internal::new("expected a waiver's scope".to_string(), c.parent))?;
    let scope = waive_scope(scope_pair, offset)?;
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
    Ok(Waive { rules, scope, items, span: c.parent.into() })
}

fn waive_scope(pair: Pair<'_, Rule>, offset: usize) -> Result<Spanned<WaiveScope>> {
    let rule = pair.as_rule();
    let mut c = Cursor::new(pair, offset);
    let scope = match rule {
        Rule::scope_entities => {
            let kind_pair = c.expect(Rule::entity_kind)?;
            let kind = EntityKind::ALL
                .into_iter()
                .find(|k| k.keyword() == kind_pair.as_str())
                .ok_or_else(|| unexpected(&kind_pair, offset))?;
            let kind = Spanned::new(kind, span_of(&kind_pair, offset));
            let names = match c.next() {
                Some(p) if p.as_rule() == Rule::ident => vec![word(&p, offset)],
                Some(p) if p.as_rule() == Rule::name_list => {
                    p.into_inner().filter(|i| i.as_rule() == Rule::ident).map(|i| word(&i, offset)).collect()
                }
                Some(p) => return Err(unexpected(&p, offset)),
                None => return Err(Internal::new("expected a name".to_string(), c.parent)),
            };
            WaiveScope::Entities { kind, names }
        }
        Rule::scope_zone_assets => WaiveScope::ZoneAndAssets(c.ident()?),
        Rule::scope_in_zone => WaiveScope::AssetsInZone(c.ident()?),
        Rule::scope_kind => {
            let kind = c.ident()?;
            let zone = c.optional(Rule::ident).map(|p| word(&p, offset));
            WaiveScope::AssetsOfKind { kind, zone }
        }
        _ => return Err(Internal::new(format!("unexpected {rule:?}"), c.parent)),
    };
    Ok(Spanned::new(scope, c.parent))
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
        None => Err(Internal::user(
            Code::InvalidEscape,
            "invalid `\\u{…}` escape: not a Unicode scalar value",
            span,
            "write a code point from 0 to 10FFFF, outside the surrogates D800-DFFF",
        )),
    }
}

#[cfg(test)]
mod tests {
    use crate::ast::*;
    use crate::parse;
    use crate::source::SourceFile;

    fn decls(text: &str) -> Vec<Decl> {
        let parsed = parse(&SourceFile::new("t.kojo", text));
        assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
        parsed.file.decls
    }

    /// The one declaration of `text`.
    fn one(text: &str) -> Decl {
        let mut decls = decls(text);
        assert_eq!(decls.len(), 1, "{decls:?}");
        decls.remove(0)
    }

    fn names(list: &List) -> Vec<&str> {
        list.items.iter().map(|i| i.node.as_str()).collect()
    }

    #[test]
    fn a_purchase_has_a_title_assets_and_a_supplier() {
        let text = "purchase line1 \"Line 1 / 1号ライン\" {\n  assets [plc1, hmi1,]\n  supplier \"Example Co.\"\n}\n";
        let Decl::Purchase(p) = one(text) else { panic!("not one purchase") };
        assert_eq!(p.name.node, "line1");
        assert_eq!(p.title.as_ref().map(|t| t.node.as_str()), Some("Line 1 / 1号ライン"));
        let [PurchaseItem::Assets(assets), PurchaseItem::Supplier(supplier)] = [&p.items[0].node, &p.items[1].node]
        else {
            panic!("{:?}", p.items)
        };
        assert_eq!(names(assets), ["plc1", "hmi1"]);
        assert_eq!(supplier.node, "Example Co.");
        assert_eq!(&text[p.items[0].span.range()], "assets [plc1, hmi1,]");
    }

    #[test]
    fn a_purchase_may_be_bare_or_on_one_line() {
        let Decl::Purchase(bare) = one("purchase p\n") else { panic!() };
        assert!(bare.title.is_none() && bare.items.is_empty());
        let Decl::Purchase(p) = one("purchase p { supplier \"S\"; assets [] }") else { panic!() };
        assert!(matches!(&p.items[1].node, PurchaseItem::Assets(l) if l.items.is_empty()));
    }

    #[test]
    fn a_purchase_refuses_other_properties() {
        let parsed = parse(&SourceFile::new("t.kojo", "purchase p { kind plc }\n"));
        assert_eq!(parsed.diagnostics.len(), 1);
        assert!(parsed.diagnostics[0].message.contains("`assets`"), "{}", parsed.diagnostics[0].message);
        assert!(parsed.diagnostics[0].message.contains("`supplier`"), "{}", parsed.diagnostics[0].message);
    }

    #[test]
    fn an_asset_lists_its_capabilities() {
        let text = "asset plc1 in control { kind plc; capabilities [user-accounts, on-premises] }\n";
        let Decl::Asset(a) = one(text) else { panic!() };
        let AssetItem::Capabilities(list) = &a.items[1].node else { panic!("{:?}", a.items) };
        assert_eq!(names(list), ["user-accounts", "on-premises"]);
        let Decl::Asset(a) = one("asset x { capabilities [] }") else { panic!() };
        assert!(matches!(&a.items[0].node, AssetItem::Capabilities(l) if l.items.is_empty()));
    }

    #[test]
    fn an_asset_lists_its_software() {
        let text = "asset mes in oa { kind server; software [in-house-program, packaged-software] }\n";
        let Decl::Asset(a) = one(text) else { panic!() };
        let AssetItem::Software(list) = &a.items[1].node else { panic!("{:?}", a.items) };
        assert_eq!(names(list), ["in-house-program", "packaged-software"]);
        let Decl::Asset(a) = one("asset x { software [] }") else { panic!() };
        assert!(matches!(&a.items[0].node, AssetItem::Software(l) if l.items.is_empty()));
    }

    #[test]
    fn new_keywords_are_still_names() {
        let text =
            "zone purchase\nasset software in purchase { kind supplier }\npurchase supplier { assets [software] }\n";
        let decls = decls(text);
        let [Decl::Zone(z), Decl::Asset(a), Decl::Purchase(p)] = decls.as_slice() else { panic!("{decls:?}") };
        assert_eq!(
            (z.name.node.as_str(), a.name.node.as_str(), p.name.node.as_str()),
            ("purchase", "software", "supplier")
        );
    }
}
