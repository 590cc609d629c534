//! Shared by the formatter tests and the fuzz target: a copy of a syntax
//! tree with every span zeroed.
//!
//! `Spanned<T>` leaves spans out of equality, but the `span: Span` fields of
//! every declaration struct (`Zone::span`, …), `ast::List::span` and
//! `ast::Endpoint::Any(Span)` are plain `Span`s that the derived `PartialEq`
//! compares, so two trees that differ only in layout compare unequal. Trees
//! are compared through `spanless` until that is fixed in `ast.rs`.

use kojo_lang::ast::*;
use kojo_lang::Span;

pub fn spanless(file: &File) -> File {
    let mut file = file.clone();
    for decl in &mut file.decls {
        match decl {
            Decl::Plant(d) => d.span = Span::default(),
            Decl::Attest(d) => d.span = Span::default(),
            Decl::Zone(d) => {
                d.span = Span::default();
                for item in &mut d.items {
                    if let ZoneItem::Controls(l) = &mut item.node {
                        list(l);
                    }
                }
            }
            Decl::Asset(d) => {
                d.span = Span::default();
                for item in &mut d.items {
                    if let AssetItem::Services(l) | AssetItem::Controls(l) = &mut item.node {
                        list(l);
                    }
                }
            }
            Decl::Conduit(d) => {
                d.span = Span::default();
                for item in &mut d.items {
                    match &mut item.node {
                        ConduitItem::Controls(l) => list(l),
                        ConduitItem::Allow(flow) => {
                            endpoint(&mut flow.source);
                            endpoint(&mut flow.destination);
                            if let Some(l) = &mut flow.functions {
                                list(l);
                            }
                        }
                        _ => {}
                    }
                }
            }
            Decl::Operation(d) => {
                d.span = Span::default();
                for item in &mut d.items {
                    match &mut item.node {
                        OperationItem::Zones(l) | OperationItem::Data(l) | OperationItem::Assets(l) => list(l),
                        OperationItem::Impact(_) => {}
                    }
                }
            }
            Decl::Data(d) => {
                d.span = Span::default();
                for item in &mut d.items {
                    if let DataItem::StoredOn(l) = &mut item.node {
                        list(l);
                    }
                }
            }
            Decl::Waive(d) => {
                d.span = Span::default();
                for item in &mut d.items {
                    if let WaiveItem::Compensating(l) = &mut item.node {
                        list(l);
                    }
                }
            }
        }
    }
    file
}

fn list(list: &mut List) {
    list.span = Span::default();
}

fn endpoint(endpoint: &mut Endpoint) {
    match endpoint {
        Endpoint::Any(span) => *span = Span::default(),
        Endpoint::Assets(l) => list(l),
        Endpoint::Asset(_) => {}
    }
}
