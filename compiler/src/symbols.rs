//! The project's names: every declaration and every reference to one,
//! with where each is written. The resolver records them as it declares
//! and looks names up ([`crate::resolve`]), so they are the compiler's own
//! reading of the names, not a second one. They are recorded only when
//! asked ([`crate::Options::symbols`]: the command line has no use for
//! them, and a vast plant would pay for them), and then kept for a project
//! with syntax errors too (resolution then runs on what parsed, its diagnostics
//! set aside), which is what an editor navigates while the user types.
//!
//! This module does not know tiers, controls or findings: those are in the
//! [`crate::model::Model`] of a project that compiles.

use std::collections::BTreeMap;

use kojo_lang::ast::EntityKind;
use kojo_lang::{SourceFile, Span};

use crate::model::FileId;

/// What a name names: an entity, or a purchase (which nothing refers to).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SymbolKind {
    Entity(EntityKind),
    Purchase,
}

impl SymbolKind {
    /// The keyword that declares it: `zone`, `asset`, `purchase`.
    pub fn keyword(self) -> &'static str {
        match self {
            SymbolKind::Entity(kind) => kind.keyword(),
            SymbolKind::Purchase => "purchase",
        }
    }
}

/// A declaration of a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declaration {
    pub kind: SymbolKind,
    pub name: String,
    pub file: FileId,
    /// The name where it is declared.
    pub name_span: Span,
    /// The whole declaration.
    pub span: Span,
    /// Whether the name was already taken: the first declaration is the one
    /// references resolve to; a later one is still a place to go to.
    pub duplicate: bool,
}

/// A use of a name where a declaration of `kind` is wanted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub kind: EntityKind,
    pub name: String,
    pub file: FileId,
    pub span: Span,
    /// The declaration it resolves to, an index into
    /// [`Symbols::declarations`]; `None` for an unknown name.
    pub target: Option<usize>,
}

/// Every declaration and reference of a project, and its files.
#[derive(Debug, Clone, Default)]
pub struct Symbols {
    /// The files the spans are in, by [`FileId`].
    pub files: Vec<SourceFile>,
    pub declarations: Vec<Declaration>,
    pub references: Vec<Reference>,
    /// The first declaration of each name, by kind.
    by_name: BTreeMap<(SymbolKind, String), usize>,
    /// Whether names are recorded at all.
    recording: bool,
}

impl Symbols {
    /// Symbols of `files`, recorded as the resolver goes when `recording`.
    pub(crate) fn new(files: Vec<SourceFile>, recording: bool) -> Self {
        let files = if recording { files } else { Vec::new() };
        Symbols { files, recording, ..Symbols::default() }
    }

    pub(crate) fn declare(&mut self, kind: SymbolKind, name: &str, file: FileId, name_span: Span, span: Span) {
        if !self.recording {
            return;
        }
        let index = self.declarations.len();
        let duplicate = self.by_name.contains_key(&(kind, name.to_string()));
        if !duplicate {
            self.by_name.insert((kind, name.to_string()), index);
        }
        self.declarations.push(Declaration { kind, name: name.to_string(), file, name_span, span, duplicate });
    }

    pub(crate) fn refer(&mut self, kind: EntityKind, name: &str, file: FileId, span: Span) {
        if !self.recording {
            return;
        }
        let target = self.find(SymbolKind::Entity(kind), name);
        self.references.push(Reference { kind, name: name.to_string(), file, span, target });
    }

    /// The declaration a name of `kind` resolves to.
    pub fn find(&self, kind: SymbolKind, name: &str) -> Option<usize> {
        self.by_name.get(&(kind, name.to_string())).copied()
    }

    /// The file of `id`.
    pub fn file(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id.index())
    }

    /// The id of the file named `name` (as diagnostics name it).
    pub fn file_id(&self, name: &str) -> Option<FileId> {
        let index = self.files.iter().position(|f| f.name() == name)?;
        Some(FileId(u32::try_from(index).ok()?))
    }

    /// The id of the file at `path`, for files named as a project at
    /// `root` names them (the root joined with the file's place).
    pub fn file_id_of(&self, root: &std::path::Path, path: &std::path::Path) -> Option<FileId> {
        let named = |f: &SourceFile| {
            let name = std::path::Path::new(f.name());
            if name.is_absolute() {
                name == path
            } else {
                root.join(name) == path
            }
        };
        let index = self.files.iter().position(named)?;
        Some(FileId(u32::try_from(index).ok()?))
    }

    /// The declaration at `offset` in `file` (on its name), or the one a
    /// reference there resolves to.
    pub fn at(&self, file: FileId, offset: usize) -> Option<usize> {
        let within = |span: Span| span.start <= offset && offset <= span.end;
        self.declarations
            .iter()
            .position(|d| d.file == file && within(d.name_span))
            .or_else(|| self.references.iter().find(|r| r.file == file && within(r.span)).and_then(|r| r.target))
    }

    /// The references that resolve to declaration `index`.
    pub fn references_to(&self, index: usize) -> impl Iterator<Item = &Reference> {
        self.references.iter().filter(move |r| r.target == Some(index))
    }

    /// The first declaration of every name of a kind, by name.
    pub fn names(&self, kind: SymbolKind) -> impl Iterator<Item = &Declaration> {
        self.by_name
            .range((kind, String::new())..)
            .take_while(move |((k, _), _)| *k == kind)
            .filter_map(|(_, i)| self.declarations.get(*i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MemorySource;

    fn symbols(text: &str) -> Symbols {
        let options = crate::Options { symbols: true, ..crate::Options::default() };
        crate::check_with(&MemorySource::new("t").with_file("t.kojo", text), &options).symbols
    }

    #[test]
    fn names_are_recorded_only_when_asked() {
        let checked = crate::check(&MemorySource::new("t").with_file("t.kojo", PLANT), &[]);
        assert!(checked.model.is_some());
        assert!(checked.symbols.declarations.is_empty() && checked.symbols.references.is_empty());
    }

    const PLANT: &str = "plant \"T\" { profile meti-factory }\nzone a \"A\" { subnet 10.1.0.0/24 }\n\
                         zone b \"B\" { subnet 10.2.0.0/24 }\nasset x \"X\" in a { kind plc; ip 10.1.0.5 }\n\
                         asset y \"Y\" in b { kind plc; ip 10.2.0.5 }\n";

    #[test]
    fn declarations_and_references_resolve_to_each_other() {
        let s = symbols(PLANT);
        let a = s.find(SymbolKind::Entity(EntityKind::Zone), "a").unwrap();
        let uses: Vec<&str> = s.references_to(a).map(|r| r.name.as_str()).collect();
        assert_eq!(uses, ["a"], "asset x is in zone a");
        let x_in = PLANT.find("in a").unwrap() + 3;
        assert_eq!(s.at(FileId(0), x_in), Some(a), "the reference leads to the zone");
        let decl = &s.declarations[a];
        assert_eq!(&PLANT[decl.name_span.range()], "a");
        let zones: Vec<&str> = s.names(SymbolKind::Entity(EntityKind::Zone)).map(|d| d.name.as_str()).collect();
        assert_eq!(zones, ["a", "b"]);
    }

    #[test]
    fn a_project_with_errors_still_has_its_names() {
        // A syntax error in one declaration, an unknown zone in another.
        let text = format!("{PLANT}asset z \"Z\" in c {{ kind plc }}\nzone broken {{ subnet }}\n");
        let options = crate::Options { symbols: true, ..crate::Options::default() };
        let checked = crate::check_with(&MemorySource::new("t").with_file("t.kojo", text.as_str()), &options);
        assert!(checked.model.is_none());
        let s = &checked.symbols;
        assert!(s.find(SymbolKind::Entity(EntityKind::Asset), "x").is_some(), "{:?}", s.declarations);
        let unknown = s.references.iter().find(|r| r.name == "c").unwrap();
        assert_eq!(unknown.target, None);
        // Only the syntax error is reported: resolving what parsed reports nothing.
        assert!(checked.diagnostics.iter().all(|d| d.code == kojo_lang::Code::Syntax), "{:?}", checked.diagnostics);
        // The command line does not ask for them.
        let cli = crate::check(&MemorySource::new("t").with_file("t.kojo", text.as_str()), &[]);
        assert!(cli.symbols.declarations.is_empty());
    }
}
