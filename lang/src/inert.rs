//! Making text from a repository safe to print on a reviewer's terminal.
//!
//! kojo checks pull requests anyone may have written, and its human output
//! echoes their file names, names and source lines. A control character or
//! a bidirectional override in any of them could retitle, clear or
//! reprogram the terminal, or make a line read differently from what it
//! is. Every such character is shown as a Rust-style escape (`\u{1b}`), the
//! form the parser's own "found `\u{1b}`" messages use.

use std::borrow::Cow;
use std::fmt::Write;

/// Whether `c` must not reach a terminal as itself: C0 controls other than
/// tab and line feed, DEL, C1 controls (which include the 8-bit CSI and
/// OSC), and the bidirectional embeddings, overrides and isolates.
pub fn is_hostile(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// How `c` is shown in its place.
pub fn escaped(c: char) -> String {
    let mut out = String::new();
    let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
    out
}

/// `s` with every hostile character escaped. A carriage return is kept
/// only as part of a CRLF line break, where it is harmless.
pub fn escape(s: &str) -> Cow<'_, str> {
    if !s.char_indices().any(|(i, c)| hostile_at(s, i, c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for (i, c) in s.char_indices() {
        if hostile_at(s, i, c) {
            out.push_str(&escaped(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Whether the character `c` at byte `i` of `s` must be escaped.
pub(crate) fn hostile_at(s: &str, i: usize, c: char) -> bool {
    match c {
        '\r' => s.as_bytes().get(i + 1) != Some(&b'\n'),
        c => is_hostile(c),
    }
}

/// At most `max` bytes of `text`, cut at a character boundary, with `…`
/// where it is cut. A name of thousands of characters, repeated wherever
/// a document or a comment mentions it, would otherwise multiply it.
pub fn cut(text: &str, max: usize) -> Cow<'_, str> {
    if text.len() <= max {
        return Cow::Borrowed(text);
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    Cow::Owned(format!("{}…", text.get(..end).unwrap_or_default()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_text_is_cut_at_a_character() {
        assert_eq!(cut("abc", 3), "abc");
        assert_eq!(cut("abcd", 3), "abc…");
        assert_eq!(cut("aé", 2), "a…", "é is two bytes: never split");
    }

    #[test]
    fn controls_and_bidi_are_escaped_and_the_rest_kept() {
        assert_eq!(escape("zone a\tb\r\nc"), "zone a\tb\r\nc");
        assert!(matches!(escape("plain 日本語"), Cow::Borrowed(_)));
        assert_eq!(escape("\u{1b}]0;x\u{7}"), "\\u{1b}]0;x\\u{7}");
        assert_eq!(escape("a\rb"), "a\\u{d}b");
        assert_eq!(escape("\u{9b}2J\u{202e}x\u{2066}"), "\\u{9b}2J\\u{202e}x\\u{2066}");
        assert_eq!(escape("\u{7f}\u{0}"), "\\u{7f}\\u{0}");
    }
}
