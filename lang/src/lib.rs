//! The kojo language: grammar, typed syntax tree with spans, parser,
//! formatter and syntax diagnostics.
//!
//! This crate owns everything about the *text* of a `.kojo` file. It does not
//! know what names mean, which services exist or whether an address is
//! valid: that is `kojo-compiler`'s job. It never touches the disk and never
//! prints.

pub mod ast;
pub mod code;
pub mod diagnostic;
pub mod format;
pub mod inert;
pub mod parser;
pub mod source;
pub mod span;
mod syntax_error;

pub use code::Code;
pub use diagnostic::{Diagnostic, Label, Location, Severity};
pub use parser::{parse, parse_bytes, Parsed};
pub use source::SourceFile;
pub use span::{NodeSpan, Span, Spanned};
