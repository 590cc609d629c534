//! A source file as loaded: its display name and its whole text.

use std::sync::{Arc, OnceLock};

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

/// A loaded source file. Cheap to clone: diagnostics hold one each so they
/// can be rendered without a side table.
#[derive(Clone)]
pub struct SourceFile(Arc<Inner>);

struct Inner {
    name: String,
    text: String,
    /// Byte offsets where lines start, built on first use: rendering many
    /// diagnostics must not rescan the file for each one.
    line_starts: OnceLock<Vec<usize>>,
    /// The text as a terminal may show it (see [`crate::inert`]), built on
    /// first render; `None` when the text has nothing to escape.
    shown: OnceLock<Option<Shown>>,
}

/// The text with its hostile characters escaped, and where it shifted.
struct Shown {
    text: String,
    /// For each escaped character: the byte offset just after it in the
    /// original text, and how many bytes longer the shown text is by then.
    shifts: Vec<(usize, usize)>,
}

/// The longest line, in bytes, shown in a snippet. miette pads labels with
/// `{:width$}`, which panics past 65,535 columns; at most 8 columns a byte
/// (a tab), 4,096 bytes stay far below that, and wider than any terminal a
/// snippet no longer helps anyone: the diagnostic names line and column.
pub const MAX_SHOWN_LINE: usize = 4096;

impl SourceFile {
    /// `name` is how the file is shown to users (a project-relative path).
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        SourceFile(Arc::new(Inner {
            name: name.into(),
            text: text.into(),
            line_starts: OnceLock::new(),
            shown: OnceLock::new(),
        }))
    }

    pub fn name(&self) -> &str {
        &self.0.name
    }

    pub fn text(&self) -> &str {
        &self.0.text
    }

    fn line_starts(&self) -> &[usize] {
        self.0
            .line_starts
            .get_or_init(|| std::iter::once(0).chain(self.text().match_indices('\n').map(|(i, _)| i + 1)).collect())
    }

    /// The 0-based line holding byte `offset`.
    fn line_of(&self, offset: usize) -> usize {
        self.line_starts().partition_point(|start| *start <= offset).saturating_sub(1)
    }

    /// The 0-based line holding byte `offset` and the byte where that line
    /// starts, from the cached line index (an editor converts thousands of
    /// offsets per change).
    pub fn line_start(&self, offset: usize) -> (usize, usize) {
        let line = self.line_of(offset);
        (line, self.line_starts().get(line).copied().unwrap_or(0))
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let text = self.text();
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_of(offset);
        let line_start = self.line_starts().get(line).copied().unwrap_or(0);
        let column = text.get(line_start..offset).unwrap_or_default().chars().count() + 1;
        (line + 1, column)
    }

    fn shown(&self) -> Option<&Shown> {
        self.0
            .shown
            .get_or_init(|| {
                let text = self.text();
                let mut shown = Shown { text: String::new(), shifts: Vec::new() };
                for (i, c) in text.char_indices() {
                    if crate::inert::hostile_at(text, i, c) {
                        let escaped = crate::inert::escaped(c);
                        let extra = shown.shifts.last().map_or(0, |s| s.1) + escaped.len() - c.len_utf8();
                        shown.text.push_str(&escaped);
                        shown.shifts.push((i + c.len_utf8(), extra));
                    } else {
                        shown.text.push(c);
                    }
                }
                (!shown.shifts.is_empty()).then_some(shown)
            })
            .as_ref()
    }

    /// The text as snippets show it, with control characters escaped.
    fn shown_text(&self) -> &str {
        self.shown().map_or(self.text(), |s| &s.text)
    }

    /// Where byte `offset` of the text is in [`Self::shown_text`].
    pub fn shown_offset(&self, offset: usize) -> usize {
        let Some(shown) = self.shown() else { return offset };
        let before = shown.shifts.partition_point(|s| s.0 <= offset);
        offset + before.checked_sub(1).and_then(|i| shown.shifts.get(i)).map_or(0, |s| s.1)
    }

    /// Where byte `offset` of [`Self::shown_text`] is in the text (the
    /// inverse of [`Self::shown_offset`] at character boundaries).
    fn original_offset(&self, offset: usize) -> usize {
        let Some(shown) = self.shown() else { return offset };
        let before = shown.shifts.partition_point(|s| s.0 + s.1 <= offset);
        offset - before.checked_sub(1).and_then(|i| shown.shifts.get(i)).map_or(0, |s| s.1)
    }

    /// Whether a snippet of `span` with one line of context either side
    /// stays within [`MAX_SHOWN_LINE`].
    pub fn shows(&self, span: crate::Span) -> bool {
        let starts = self.line_starts();
        let first = self.line_of(span.start).saturating_sub(1);
        let last = self.line_of(span.end).saturating_add(1).min(starts.len().saturating_sub(1));
        (first..=last).all(|line| {
            let from = starts.get(line).copied().unwrap_or(0);
            let to = starts.get(line + 1).copied().unwrap_or(self.text().len());
            self.shown_offset(to) - self.shown_offset(from) <= MAX_SHOWN_LINE
        })
    }
}

impl std::fmt::Debug for SourceFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SourceFile({})", self.name())
    }
}

impl SourceCode for SourceFile {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        // Cut out the lines the span and its context need, so each
        // diagnostic costs its own lines, not the whole file.
        // miette asks in the coordinates of the shown text, as the labels
        // give them (see `Diagnostic::labels`).
        let text = self.text();
        let starts = self.line_starts();
        let start = self.original_offset(span.offset()).min(text.len());
        let end = self.original_offset(span.offset() + span.len()).clamp(start, text.len());
        let first = self.line_of(start).saturating_sub(context_lines_before);
        let last = self
            .line_of(end.saturating_sub(usize::from(!span.is_empty())).max(start))
            .saturating_add(context_lines_after);
        let from = starts.get(first).copied().unwrap_or(0);
        let to = starts.get(last.saturating_add(1)).copied().unwrap_or(text.len());
        // Snippets show the escaped text; the lines are the same, so only
        // the offsets move.
        let shown = |offset: usize| self.shown_offset(offset);
        let slice = self.shown_text().get(shown(from)..shown(to)).ok_or(MietteError::OutOfBounds)?;
        let local = SourceSpan::new((shown(start) - shown(from)).into(), shown(end) - shown(start));
        let inner = slice.read_span(&local, context_lines_before, context_lines_after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            crate::inert::escape(self.name()).into_owned(),
            inner.data(),
            SourceSpan::new((inner.span().offset() + shown(from)).into(), inner.span().len()),
            inner.line() + first,
            // Columns count characters, as in JSON output, not bytes.
            text.get(starts.get(self.line_of(start)).copied().unwrap_or(0)..start).map_or(0, |l| l.chars().count()),
            // miette counts these from the start of the input, like `line`.
            inner.line_count() + first,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let file = SourceFile::new("t", "ab\n日本語x\n\nz");
        assert_eq!(file.line_col(0), (1, 1));
        assert_eq!(file.line_col(3), (2, 1));
        assert_eq!(file.line_col(3 + 9), (2, 4), "after three 3-byte characters");
        assert_eq!(file.line_col(14), (3, 1), "the empty line");
        assert_eq!(file.line_col(15), (4, 1));
        assert_eq!(file.line_col(99), (4, 2), "clamped to the end");
    }

    #[test]
    fn read_span_matches_reading_the_whole_text() {
        let text = "one\ntwo\nthree\nfour\nfive\n";
        let file = SourceFile::new("t", text);
        for (offset, len) in [(0, 3), (4, 3), (8, 9), (14, 0), (19, 4), (24, 0)] {
            let span = SourceSpan::new(offset.into(), len);
            let ours = file.read_span(&span, 1, 1).unwrap();
            let whole = text.read_span(&span, 1, 1).unwrap();
            assert_eq!(ours.data(), whole.data(), "{offset}+{len}");
            assert_eq!(ours.span(), whole.span(), "{offset}+{len}");
            assert_eq!(
                (ours.line(), ours.column(), ours.line_count()),
                (whole.line(), whole.column(), whole.line_count())
            );
        }
    }

    #[test]
    fn snippets_show_controls_escaped_with_spans_moved_to_match() {
        let text = "a\u{1b}]0;x\u{7}b\nzone \u{202e}c {\n";
        let file = SourceFile::new("t\u{1b}", text);
        let shown = "a\\u{1b}]0;x\\u{7}b\nzone \\u{202e}c {\n";
        assert_eq!(file.shown_text(), shown);
        for (i, _) in text.char_indices() {
            assert_eq!(file.original_offset(file.shown_offset(i)), i, "offset {i}");
        }
        let c = text.find('c').unwrap();
        let span = SourceSpan::new(file.shown_offset(c).into(), 1);
        let ours = file.read_span(&span, 1, 1).unwrap();
        let whole = shown.read_span(&span, 1, 1).unwrap();
        assert_eq!(ours.data(), whole.data());
        assert_eq!(ours.span(), whole.span());
        assert_eq!(
            (ours.line(), ours.column()),
            (0, 6),
            "from the context line; the column counts the source's characters"
        );
        assert_eq!(ours.name(), Some("t\\u{1b}"));
    }

    #[test]
    fn a_snippet_with_a_very_long_line_is_not_shown() {
        let long = format!("a\n{}x\nb\nc\nd\n", " ".repeat(MAX_SHOWN_LINE));
        let file = SourceFile::new("t", long.as_str());
        let x = long.find('x').unwrap();
        assert!(!file.shows(crate::Span::new(x, x + 1)));
        assert!(!file.shows(crate::Span::new(x + 2, x + 3)), "the long line is context");
        assert!(file.shows(crate::Span::new(x + 4, x + 5)));
        assert!(!file.shows(crate::Span::new(0, 1)), "the long line follows");
    }
}
