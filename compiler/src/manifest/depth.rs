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

/// Where the text first opens a block deeper than [`MAX_DEPTH`], if it
/// does. Braces in strings and comments do not count; a raw string
/// (`#"…"#`) is skipped as a string, which over-counts no brace in any
/// manifest kojo accepts.
pub(super) fn too_deep(text: &str) -> Option<Span> {
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
                    return Some(Span::new(i, i + 2));
                }
                i += 2;
                continue;
            }
            (b' ' | b'\t' | b'\r' | b'\n', _) => {}
            _ => slashdashes = 0,
        }
        i = match (byte, next) {
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
                Err(at) => return Some(Span::new(at, at + 2)),
            },
            (b'{', _) => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some(Span::new(i, i + 1));
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
