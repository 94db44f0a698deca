//! Byte offsets into a source text, turned into what a writer needs:
//! a repo-relative path, 1-based line and column, and the line itself.

use serde::Serialize;
use std::ops::Range;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Location {
    /// Relative to the book root, with `/` separators.
    pub path: String,
    /// 1-based.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    /// 1-based, exclusive, in characters; on the same line as `column`.
    pub end_column: usize,
    /// The offending line, for the snippet under the message: the whole
    /// line, or on a very long line a window around the span.
    #[serde(skip)]
    pub line_text: String,
    /// Characters of the line left out before `line_text` (0 unless windowed).
    #[serde(skip)]
    pub line_text_start: usize,
}

/// Characters kept on each side of a span on a long line: what one
/// diagnostic carries stays small however long the line is.
const WINDOW: usize = 160;

impl Location {
    /// The location of `range` (byte offsets) in `text`. A range that spans
    /// lines is cut at the end of its first line; out-of-range offsets are
    /// clamped, never a panic.
    pub fn in_text(path: &str, text: &str, range: Range<usize>) -> Self {
        let start = floor_char_boundary(text, range.start.min(text.len()));
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line = text[..line_start].matches('\n').count() + 1;
        Self::on_line(path, text, line, line_start, range)
    }

    /// [`Location::in_text`] when the caller already knows the line `range`
    /// starts on (1-based `line`, beginning at byte `line_start`): no count
    /// of the lines before it, so locating many ranges in a long text stays
    /// linear. A range not on that line is located the slow way.
    pub fn on_line(
        path: &str,
        text: &str,
        line: usize,
        line_start: usize,
        range: Range<usize>,
    ) -> Self {
        let start = floor_char_boundary(text, range.start.min(text.len()));
        let on_it = text.is_char_boundary(line_start.min(text.len()))
            && line_start <= start
            && (line_start == 0 || text.as_bytes()[line_start - 1] == b'\n')
            && !text[line_start..start].contains('\n');
        if !on_it {
            return Self::in_text(path, text, range);
        }
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let end = floor_char_boundary(text, range.end.clamp(start, line_end));
        let column = text[line_start..start].chars().count() + 1;
        let end_column = column + text[start..end].chars().count().max(1);
        let whole = text[line_start..line_end].trim_end_matches('\r');
        let (line_text_start, line_text) = if whole.len() <= 4 * WINDOW {
            (0, whole.to_string())
        } else {
            let first = (column - 1).saturating_sub(WINDOW);
            let kept = (end_column - 1 + WINDOW) - first;
            (first, whole.chars().skip(first).take(kept).collect())
        };
        Location {
            path: path.to_string(),
            line,
            column,
            end_column,
            line_text,
            line_text_start,
        }
    }

    /// A location at a 1-based line and column, for tools (such as a JSON
    /// parser) that report positions rather than offsets.
    pub fn at_line_col(path: &str, text: &str, line: usize, column: usize) -> Self {
        Self::in_text(
            path,
            text,
            offset_of(text, line, column)..offset_of(text, line, column + 1),
        )
    }

    /// A whole file, when nothing more precise is known.
    pub fn file(path: &str) -> Self {
        Location {
            path: path.to_string(),
            line: 1,
            column: 1,
            end_column: 1,
            line_text: String::new(),
            line_text_start: 0,
        }
    }

    /// `path:line:col`.
    pub fn short(&self) -> String {
        format!("{}:{}:{}", self.path, self.line, self.column)
    }

    /// `line_text` at its true columns: the part left out of a windowed
    /// line becomes spaces, so a renderer counts columns right.
    pub fn full_line_text(&self) -> std::borrow::Cow<'_, str> {
        if self.line_text_start == 0 {
            std::borrow::Cow::Borrowed(&self.line_text)
        } else {
            std::borrow::Cow::Owned(format!(
                "{}{}",
                " ".repeat(self.line_text_start),
                self.line_text
            ))
        }
    }

    /// The highlighted byte range within `line_text`.
    pub fn span_in_line(&self) -> Range<usize> {
        let byte_at = |col: usize| {
            self.line_text
                .char_indices()
                .nth(col.saturating_sub(1 + self.line_text_start))
                .map_or(self.line_text.len(), |(i, _)| i)
        };
        byte_at(self.column)..byte_at(self.end_column)
    }
}

/// The byte offset of a 1-based line and column (in characters), clamped to the text.
pub fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut offset = 0;
    for _ in 1..line.max(1) {
        match text[offset..].find('\n') {
            Some(i) => offset += i + 1,
            None => return text.len(),
        }
    }
    let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    text[offset..line_end]
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(line_end, |(i, _)| offset + i)
}

fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_known_line_gives_what_counting_gives() {
        let text = "a\nsé [x](y.md) z\n\nlast";
        for (line, line_start, range) in [
            (2, 2, 6..15),
            (2, 2, 2..3),
            (4, 19, 19..23),
            (3, 18, 18..18),
        ] {
            assert_eq!(
                Location::on_line("p", text, line, line_start, range.clone()),
                Location::in_text("p", text, range)
            );
        }
        // A wrong line is not trusted.
        let wrong = Location::on_line("p", text, 1, 0, 6..15);
        assert_eq!(wrong, Location::in_text("p", text, 6..15));
        assert_eq!(wrong.line, 2);
    }

    #[test]
    fn line_and_column_are_one_based_and_count_characters() {
        let text = "first\nsé [link](x.md)\n";
        let at = text.find("[link]").unwrap();
        let loc = Location::in_text("src/a.md", text, at..at + 14);
        assert_eq!((loc.line, loc.column, loc.end_column), (2, 4, 16));
        assert_eq!(loc.line_text, "sé [link](x.md)");
        assert_eq!(&loc.line_text[loc.span_in_line()], "[link](x.md)");
        assert_eq!(loc.short(), "src/a.md:2:4");
    }

    #[test]
    fn a_long_line_is_carried_as_a_window_around_the_span() {
        let text = format!("{}[x](y.md){}\n", "a".repeat(100_000), "b".repeat(100_000));
        let loc = Location::in_text("src/a.md", &text, 100_000..100_009);
        assert_eq!(
            (loc.line, loc.column, loc.end_column),
            (1, 100_001, 100_010)
        );
        assert!(loc.line_text.len() < 400, "{}", loc.line_text.len());
        assert_eq!(loc.line_text_start, 100_000 - WINDOW);
        assert_eq!(&loc.line_text[loc.span_in_line()], "[x](y.md)");
        let full: String = loc.full_line_text().chars().skip(100_000).take(9).collect();
        assert_eq!(full, "[x](y.md)", "the span sits at its true column");
    }

    #[test]
    fn ranges_are_clamped_never_a_panic() {
        let loc = Location::in_text("a", "ab\ncd", 4..99);
        assert_eq!((loc.line, loc.column, loc.end_column), (2, 2, 3));
        let loc = Location::in_text("a", "", 5..5);
        assert_eq!((loc.line, loc.column), (1, 1));
    }

    #[test]
    fn offsets_round_trip_through_line_and_column() {
        let text = "a\nbcé\nd";
        let offset = offset_of(text, 2, 3);
        assert_eq!(&text[offset..], "é\nd");
        let loc = Location::at_line_col("p", text, 2, 3);
        assert_eq!((loc.line, loc.column), (2, 3));
        assert_eq!(offset_of(text, 9, 9), text.len());
    }
}
