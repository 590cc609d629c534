//! Between kojo's byte offsets and paths and LSP's positions (lines and
//! UTF-16 code units, as the protocol counts by default) and `file:` URIs.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use kojo_lang::{SourceFile, Span};
use lsp_types::{Position, Range, Uri};

/// The LSP position of byte `offset` in `text` (clamped to the text, and
/// back to a character boundary).
pub fn position(text: &str, offset: usize) -> Position {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = text.get(..offset).unwrap_or_default();
    let line = before.matches('\n').count();
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let column: usize = before.get(start..).unwrap_or_default().chars().map(char::len_utf16).sum();
    Position { line: clamp(line), character: clamp(column) }
}

fn clamp(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The byte offset of an LSP position in `text`; past a line's end, its end.
pub fn offset(text: &str, position: Position) -> usize {
    let mut start = 0;
    for _ in 0..position.line {
        match text.get(start..).and_then(|rest| rest.find('\n')) {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let line = text.get(start..).unwrap_or_default();
    let line = line.split('\n').next().unwrap_or_default();
    let mut units = 0;
    for (i, c) in line.char_indices() {
        if units >= position.character as usize {
            return start + i;
        }
        units += c.len_utf16();
    }
    start + line.len()
}

/// [`position`] through the file's cached line index: only the line is
/// scanned, not the text before it.
pub fn position_in(file: &SourceFile, offset: usize) -> Position {
    let text = file.text();
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let (line, start) = file.line_start(offset);
    let column: usize = text.get(start..offset).unwrap_or_default().chars().map(char::len_utf16).sum();
    Position { line: clamp(line), character: clamp(column) }
}

/// [`range`] through the file's cached line index.
pub fn range_in(file: &SourceFile, span: Span) -> Range {
    Range { start: position_in(file, span.start), end: position_in(file, span.end) }
}

/// The `file:` URI of an absolute path, every byte but the unreserved
/// ones and `/` percent-encoded.
pub fn uri(path: &Path) -> Option<Uri> {
    let mut out = String::from("file://");
    for byte in path.as_os_str().as_encoded_bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => out.push(char::from(*byte)),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    Uri::from_str(&out).ok()
}

/// The path of a `file:` URI; `None` for another scheme or a host.
pub fn path(uri: &Uri) -> Option<PathBuf> {
    let text = uri.as_str();
    let rest = text.strip_prefix("file://")?;
    if !rest.starts_with('/') {
        return None;
    }
    let bytes = rest.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = |j: usize| bytes.get(j).and_then(|c| char::from(*c).to_digit(16));
        match (b, hex(i + 1), hex(i + 2)) {
            (b'%', Some(h), Some(l)) => {
                out.push(u8::try_from(h * 16 + l).ok()?);
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt;
        Some(PathBuf::from(std::ffi::OsString::from_vec(out)))
    }
    #[cfg(not(unix))]
    {
        String::from_utf8(out).ok().map(PathBuf::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_units_and_round_trip() {
        let text = "zone a \"工場\" {\n  x 😀 y\n}";
        let y = text.find(" y").unwrap() + 1;
        let p = position(text, y);
        // `  x ` is 4 units, the emoji 2 (a surrogate pair), the space 1.
        assert_eq!(p, Position { line: 1, character: 7 });
        assert_eq!(offset(text, p), y);
        assert_eq!(offset(text, Position { line: 1, character: 99 }), text.find("\n}").unwrap());
        assert_eq!(offset(text, Position { line: 9, character: 0 }), text.len());
        assert_eq!(position(text, 10_000), Position { line: 2, character: 1 });
        let file = SourceFile::new("t.kojo", text);
        for offset in [0, 3, y, text.len(), 10_000] {
            assert_eq!(position_in(&file, offset), position(text, offset), "{offset}");
        }
    }

    #[test]
    fn uris_encode_and_decode_paths() {
        let path = Path::new("/tmp/a plant/工場#1.kojo");
        let uri = uri(path).unwrap();
        assert_eq!(uri.as_str(), "file:///tmp/a%20plant/%E5%B7%A5%E5%A0%B4%231.kojo");
        assert_eq!(super::path(&uri).unwrap(), path);
        assert_eq!(super::path(&Uri::from_str("untitled:Untitled-1").unwrap()), None);
    }
}
