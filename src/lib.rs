//! The `kojo` command line: argument parsing, choosing outputs, exit codes
//! and writing files atomically.
//!
//! This is the only crate that prints or exits. The work itself is done by
//! `kojo-compiler` (checking) and `kojo-lang` (formatting); this crate turns
//! their results into text, JSON and exit codes, and serves them to editors
//! (`lsp`: `kojo lsp`).

#[macro_use]
pub mod output;
pub mod cli;
mod commands;
pub mod exit;
mod lsp;
pub mod report;
pub mod synth;
pub mod write;
