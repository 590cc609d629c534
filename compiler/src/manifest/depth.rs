//! How deeply a manifest nests, measured before the KDL parser sees the
//! text: the parser recurses once per `{`, per nested `/* … */` comment
//! and per slashdash (`/-`) in a row, so a manifest nested a few hundred
//! or thousand levels deep in any of these (a pull request can hold one)
//! overflows the stack and aborts kojo.

use kojo_lang::Span;

/// Deepest nesting of `{ … }` accepted. A manifest nests two levels (a
/// `device` block and its entries); the parser handles far more than this
/// within the main thread's stack.
pub(super) const MAX_DEPTH: usize = 64;

/// What the scan before the KDL parser refuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Problem {
    /// Blocks, comments or slashdashes nested deeper than [`MAX_DEPTH`].
    TooDeep,
    /// A `"` right after a word (`x"…`): never valid KDL, and the parser's
    /// error recovery on such quotes after slashdashes takes time
    /// exponential in their number (a few kilobytes took minutes).
    GluedQuote,
}

/// The first problem the text has, if any, and where. Braces in strings
/// and comments do not count; a raw string (`#"…"#`) is skipped as a
/// string, which over-counts no brace in any manifest kojo accepts.
pub(super) fn problem(text: &str) -> Option<(Span, Problem)> {
    too_deep(text)
}

fn too_deep(text: &str) -> Option<(Span, Problem)> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    // Slashdashes in a row, with only white space between them.
    let mut slashdashes = 0usize;
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        let next = bytes.get(i + 1).copied();
        match (byte, next) {
            (b'/', Some(b'-')) => {
                slashdashes += 1;
                if slashdashes > MAX_DEPTH {
                    return Some((Span::new(i, i + 2), Problem::TooDeep));
                }
                i += 2;
                continue;
            }
            (b' ' | b'\t' | b'\r' | b'\n', _) => {}
            _ => slashdashes = 0,
        }
        i = match (byte, next) {
            (b'"', _) if i > 0 && glued(bytes.get(i - 1).copied()) => {
                return Some((Span::new(i, i + 1), Problem::GluedQuote))
            }
            (b'"', _) => skip_string(bytes, i + 1, 0),
            (b'#', Some(b'"' | b'#')) => {
                let hashes = rest(bytes, i).iter().take_while(|&&b| b == b'#').count();
                match bytes.get(i + hashes) {
                    Some(b'"') => skip_string(bytes, i + hashes + 1, hashes),
                    _ => i + hashes,
                }
            }
            (b'/', Some(b'/')) => rest(bytes, i).iter().position(|&b| b == b'\n').map_or(bytes.len(), |n| i + n),
            (b'/', Some(b'*')) => match skip_block_comment(bytes, i + 2) {
                Ok(end) => end,
                Err(at) => return Some((Span::new(at, at + 2), Problem::TooDeep)),
            },
            (b'{', _) => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some((Span::new(i, i + 1), Problem::TooDeep));
                }
                i + 1
            }
            (b'}', _) => {
                depth = depth.saturating_sub(1);
                i + 1
            }
            _ => i + 1,
        };
    }
    None
}

/// Whether a `"` after this byte would be glued to a word: KDL sets a
/// string apart by white space, `=`, a type annotation's `)`, or a block's
/// or a line's punctuation.
fn glued(before: Option<u8>) -> bool {
    !matches!(before, None | Some(b' ' | b'\t' | b'\r' | b'\n' | b'=' | b'(' | b')' | b'{' | b'}' | b';' | b'\\'))
}

/// The bytes from `i` on (none past the end).
fn rest(bytes: &[u8], i: usize) -> &[u8] {
    bytes.get(i..).unwrap_or_default()
}

/// The index after a string that began before `i`: a plain one (`hashes`
/// 0) ends at an unescaped `"`, a raw one at `"` and its `#`s.
fn skip_string(bytes: &[u8], mut i: usize, hashes: usize) -> usize {
    while let Some(&byte) = bytes.get(i) {
        match byte {
            b'\\' if hashes == 0 => i += 2,
            b'"' if rest(bytes, i + 1).iter().take(hashes).filter(|&&b| b == b'#').count() == hashes => {
                return i + 1 + hashes;
            }
            _ => i += 1,
        }
    }
    bytes.len()
}

/// The index after a `/* … */` comment whose body starts at `i`; KDL's
/// block comments nest, and the parser recurses into each: where one opens
/// deeper than [`MAX_DEPTH`] is the error.
fn skip_block_comment(bytes: &[u8], mut i: usize) -> Result<usize, usize> {
    let mut open = 1usize;
    while i < bytes.len() {
        if rest(bytes, i).starts_with(b"/*") {
            open += 1;
            if open > MAX_DEPTH {
                return Err(i);
            }
            i += 2;
        } else if rest(bytes, i).starts_with(b"*/") {
            open -= 1;
            i += 2;
            if open == 0 {
                return Ok(i);
            }
        } else {
            i += 1;
        }
    }
    Ok(bytes.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_comments_and_slashdashes_in_a_row_count_too() {
        let slashdashes = |n: usize| format!("project \"k\"\n{}x\n", "/- ".repeat(n));
        assert_eq!(too_deep(&slashdashes(MAX_DEPTH)), None);
        assert!(too_deep(&slashdashes(MAX_DEPTH + 1)).is_some());
        assert!(too_deep(&slashdashes(100_000)).is_some());
        let comments = |n: usize| format!("project \"k\"\n{}{}\n", "/*".repeat(n), "*/".repeat(n));
        assert_eq!(too_deep(&comments(MAX_DEPTH)), None);
        assert!(too_deep(&comments(MAX_DEPTH + 1)).is_some());
        // Slashdashes apart are no chain: one per node is ordinary KDL.
        assert_eq!(too_deep(&"/- a\n".repeat(1_000)), None);
    }

    #[test]
    fn a_quote_glued_to_a_word_is_refused_before_the_parser() {
        assert_eq!(problem("project \"k\"\ndevice \"fw\" { interface \"a\" \"eth0\" }\nx key=\"v\" (t)\"w\"\n"), None);
        let (span, kind) = problem("project \"k\"\n/--- x\" { y\n").unwrap();
        assert_eq!((span, kind), (Span::new(18, 19), Problem::GluedQuote));
        // Inside strings and comments a quote is text.
        assert_eq!(problem("project \"a\\\"b\" // x\"y\n/* x\" */\n"), None);
    }

    #[test]
    fn counts_only_braces_outside_strings_and_comments() {
        let nested = |n: usize| format!("x {}{}", "{ y ".repeat(n), "}".repeat(n));
        assert_eq!(too_deep(&nested(MAX_DEPTH)), None);
        assert!(too_deep(&nested(MAX_DEPTH + 1)).is_some());
        let braces = "{".repeat(MAX_DEPTH + 1);
        assert_eq!(too_deep(&format!("project \"{braces}\"")), None);
        assert_eq!(too_deep(&format!("project #\"\"{braces}\"#")), None);
        assert_eq!(too_deep(&format!("project \"a\\\"{braces}\"")), None);
        assert_eq!(too_deep(&format!("// {braces}\nproject \"a\"")), None);
        assert_eq!(too_deep(&format!("/* /* */ {braces} */ project \"a\"")), None);
    }
}
