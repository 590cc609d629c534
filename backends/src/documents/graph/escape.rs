//! Text from the model made safe in each of the diagram's formats.

/// Characters XML 1.0 does not allow at all, even escaped: control
/// characters other than tab, line feed and carriage return.
fn xml_char(c: char) -> char {
    match c {
        '\t' | '\n' | '\r' => c,
        c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => '\u{FFFD}',
        c => c,
    }
}

/// Text or an attribute value in XML (SVG): markup characters become
/// entities, characters XML cannot hold become U+FFFD.
pub fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().map(xml_char) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The inside of a DOT double-quoted string: backslashes are doubled so
/// Graphviz's own escapes (`\N`, `\l`) cannot be written by a name, quotes
/// are escaped, line breaks become `\n`, other control characters go.
pub fn dot(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The inside of a Mermaid quoted label: every character that could end
/// the string, start markup or an entity is written as Mermaid's entity
/// code (`#quot;`, `#35;`), which Mermaid shows as the character itself.
pub fn mermaid(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '&' => out.push_str("#amp;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '`' => out.push_str("#96;"),
            '|' => out.push_str("#124;"),
            '\\' => out.push_str("#92;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: &str = "<img src=x onerror=alert(1)> \"q\" & ]]> -- \\N #35; `x` | \u{1}";

    #[test]
    fn xml_keeps_no_markup_and_no_forbidden_character() {
        let out = xml(HOSTILE);
        assert!(!out.contains('<') && !out.contains('>') && !out.contains('"') && !out.contains('\u{1}'), "{out}");
        assert!(out.contains("&lt;img") && out.contains("&amp;") && out.contains("]]&gt;"), "{out}");
    }

    #[test]
    fn dot_strings_cannot_be_closed_or_given_graphviz_escapes() {
        let out = dot(HOSTILE);
        assert!(out.contains("\\\"q\\\"") && out.contains("\\\\N"), "{out}");
        // Every quote is escaped: none closes the string.
        assert!(out.match_indices('"').all(|(i, _)| out.get(..i).is_some_and(|s| s.ends_with('\\'))), "{out}");
    }

    #[test]
    fn mermaid_labels_hold_no_quote_bracket_or_raw_entity() {
        let out = mermaid(HOSTILE);
        for c in ['"', '<', '>', '`', '|', '\\', '&', '\u{1}'] {
            assert!(!out.contains(c), "{c:?} in {out}");
        }
        assert!(out.starts_with("#lt;img") && out.contains("#35;35;"), "{out}");
    }
}
