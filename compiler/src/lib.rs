//! The kojo compiler: from a project on disk to a resolved, checked
//! [`Model`](model::Model).
//!
//! It owns loading a project (manifest and sources, behind the
//! [`ProjectSource`](source::ProjectSource) trait), name resolution, value
//! types (addresses, ports, dates, windows) and the model IR that backends
//! consume. It does not own the syntax (`kojo-lang`), the catalogues
//! (`kojo-stdlib`) or any output format (`kojo-backends`), and it never
//! prints or exits: every problem is returned as a
//! [`Diagnostic`](kojo_lang::Diagnostic).

pub mod cap;
pub mod controls;
pub mod diff;
pub mod evidence;
pub mod explain;
pub mod levels;
pub mod manifest;
pub mod model;
pub mod pairs;
pub mod parallel;
pub mod project;
pub mod reach;
mod resolve;
pub mod rules;
pub mod source;
pub mod suggest;
pub mod symbols;
pub mod threats;
pub mod tiers;
pub mod types;
pub mod waivers;

pub use project::{check, check_with, Checked, Options};
pub use source::{DiskSource, GitSource, MemorySource, ProjectSource};
