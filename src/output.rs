//! Everything kojo prints goes through here, for two reasons.
//!
//! A closed pipe (`kojo check --format json | head -c 10`) must end kojo
//! quietly: Rust ignores SIGPIPE, so a write returns `BrokenPipe`, which
//! `println!` would turn into a panic. Here a failed write marks the output
//! closed, later writes are dropped, and `cli::main` exits 2 (the output is
//! incomplete, so the run cannot pass).
//!
//! Human text is made inert: control characters and bidi overrides from
//! the repository (names, titles, file names) are escaped as `\u{1b}` (see
//! `kojo_lang::inert`). Machine formats (JSON, SARIF, JUnit, GitLab,
//! GitHub commands, generated documents and configurations) have their own
//! escaping and are written as they are.

use std::borrow::Cow;
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

use kojo_lang::inert;

/// Set once a write to stdout or stderr has failed.
static CLOSED: AtomicBool = AtomicBool::new(false);

/// Whether some output could not be written (a closed pipe, a full disk).
pub fn closed() -> bool {
    CLOSED.load(Ordering::Relaxed)
}

fn write(mut stream: impl Write, text: &str) {
    if closed() {
        return;
    }
    if let Err(err) = stream.write_all(text.as_bytes()).and_then(|()| stream.flush()) {
        CLOSED.store(true, Ordering::Relaxed);
        // A closed pipe is the reader's choice; anything else (a full disk)
        // is said once, on stderr if that still works.
        if err.kind() != std::io::ErrorKind::BrokenPipe {
            let _ = writeln!(std::io::stderr(), "error: kojo could not write all of its output: {err}");
        }
    }
}

/// Human text on stdout, made inert.
pub fn out(text: &str) {
    write(std::io::stdout().lock(), &inert::escape(text));
}

/// Human text on stderr, made inert.
pub fn err(text: &str) {
    write(std::io::stderr().lock(), &inert::escape(text));
}

/// Diagnostics as `report::render` shows them, on stderr: with colour on,
/// miette's colour (SGR) sequences are kept; what they quote from the
/// repository was escaped before miette saw it (`kojo_lang::inert`).
pub fn err_rendered(text: &str) {
    write(std::io::stderr().lock(), &shown(text, crate::cli::color()));
}

/// A machine format or generated file on stdout, escaped by its own rules.
pub fn out_raw(text: &str) {
    write(std::io::stdout().lock(), text);
}

/// `text` escaped, keeping SGR sequences (`ESC [ digits;… m`) if `color`.
fn shown(text: &str, color: bool) -> Cow<'_, str> {
    if !color || !text.contains('\u{1b}') {
        return inert::escape(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('\u{1b}') {
        out.push_str(&inert::escape(&rest[..at]));
        let sgr = sgr_len(&rest[at..]);
        match sgr {
            Some(len) => out.push_str(&rest[at..at + len]),
            None => out.push_str(&inert::escaped('\u{1b}')),
        }
        rest = &rest[at + sgr.unwrap_or(1)..];
    }
    out.push_str(&inert::escape(rest));
    Cow::Owned(out)
}

/// The length of the SGR sequence `s` starts with, if it starts with one.
fn sgr_len(s: &str) -> Option<usize> {
    let params = s.strip_prefix("\u{1b}[")?;
    let digits = params.bytes().take_while(|b| b.is_ascii_digit() || *b == b';').count();
    (params.as_bytes().get(digits) == Some(&b'm')).then_some(2 + digits + 1)
}

/// `println!` for human text on stdout.
macro_rules! outln {
    () => { $crate::output::out("\n") };
    ($($arg:tt)*) => { $crate::output::out(&format!("{}\n", format_args!($($arg)*))) };
}

/// `print!` for human text on stdout.
macro_rules! out {
    ($($arg:tt)*) => { $crate::output::out(&format!($($arg)*)) };
}

/// `eprintln!` for human text on stderr.
macro_rules! errln {
    ($($arg:tt)*) => { $crate::output::err(&format!("{}\n", format_args!($($arg)*))) };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_is_kept_only_when_on_and_only_sgr() {
        let text = "\u{1b}[31;1mred\u{1b}[0m `p\u{1b}]0;t\u{7}` \u{1b}[2J";
        assert_eq!(shown(text, true), "\u{1b}[31;1mred\u{1b}[0m `p\\u{1b}]0;t\\u{7}` \\u{1b}[2J");
        assert_eq!(shown(text, false), "\\u{1b}[31;1mred\\u{1b}[0m `p\\u{1b}]0;t\\u{7}` \\u{1b}[2J");
    }
}
