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

/// Bytes between two character-count checkpoints of a [`LineIndex`]: the
/// most any column costs to count, however long its line.
const STEP: usize = 256;

/// Where each line of a text starts, and how many characters come before
/// every [`STEP`]-th byte: built in one pass, it locates any range with a
/// binary search and a walk of at most `STEP` bytes, so N diagnostics on one
/// long line cost N, not N times the line's length.
#[derive(Debug, Clone, Default)]
pub(crate) struct LineIndex {
    /// Byte offset of each line's start (a text ending in `\n` has an empty
    /// last line, where an offset at the very end lands).
    line_starts: Vec<usize>,
    /// Characters starting before byte `k * STEP`, for every block `k` and
    /// one past the end; empty for ASCII text, where bytes are characters.
    chars_before_block: Vec<usize>,
}

impl LineIndex {
    pub(crate) fn new(text: &str) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        let chars_before_block = if text.is_ascii() {
            Vec::new()
        } else {
            let mut before = 0;
            let mut blocks = Vec::with_capacity(text.len() / STEP + 2);
            for block in text.as_bytes().chunks(STEP) {
                blocks.push(before);
                before += char_starts(block);
            }
            blocks.push(before);
            blocks
        };
        LineIndex {
            line_starts,
            chars_before_block,
        }
    }

    /// The 0-based line holding byte `offset`, and the byte its line starts at.
    pub(crate) fn line_of(&self, offset: usize) -> (usize, usize) {
        let line = self
            .line_starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        (line, self.line_starts.get(line).copied().unwrap_or(0))
    }

    /// The byte 0-based `line` starts at.
    pub(crate) fn line_start(&self, line: usize) -> Option<usize> {
        self.line_starts.get(line).copied()
    }

    /// Characters in `text` before byte `offset` (a character boundary).
    fn chars_before(&self, text: &str, offset: usize) -> usize {
        if self.chars_before_block.is_empty() {
            return offset;
        }
        let block = offset / STEP;
        self.chars_before_block[block] + char_starts(&text.as_bytes()[block * STEP..offset])
    }

    /// The byte where character number `chars` (counted from the start of
    /// `text`) begins, or `limit` when that lies at or beyond `limit`.
    fn byte_of_char(&self, text: &str, chars: usize, limit: usize) -> usize {
        if self.chars_before_block.is_empty() {
            return chars.min(limit);
        }
        let block = self
            .chars_before_block
            .partition_point(|&c| c <= chars)
            .saturating_sub(1);
        let mut seen = self.chars_before_block[block];
        for (i, &b) in text.as_bytes()[(block * STEP).min(limit)..limit]
            .iter()
            .enumerate()
        {
            if is_char_start(b) {
                if seen == chars {
                    return block * STEP + i;
                }
                seen += 1;
            }
        }
        limit
    }

    /// The location of `range` (byte offsets) in `text`, the text this index
    /// was built from; as [`Location::in_text`].
    pub(crate) fn locate(&self, path: &str, text: &str, range: Range<usize>) -> Location {
        let start = floor_char_boundary(text, range.start.min(text.len()));
        let (line, line_start) = self.line_of(start);
        let line_end = self
            .line_starts
            .get(line + 1)
            .map_or(text.len(), |next| next - 1);
        let end = floor_char_boundary(text, range.end.clamp(start, line_end));
        let line_chars = self.chars_before(text, line_start);
        let start_chars = self.chars_before(text, start);
        let column = start_chars - line_chars + 1;
        let end_column = column + (self.chars_before(text, end) - start_chars).max(1);
        let whole = text[line_start..line_end].trim_end_matches('\r');
        let whole_end = line_start + whole.len();
        let (line_text_start, line_text) = if whole.len() <= 4 * WINDOW {
            (0, whole.to_string())
        } else {
            let first = (column - 1).saturating_sub(WINDOW);
            let last = end_column - 1 + WINDOW;
            let from = self.byte_of_char(text, line_chars + first, whole_end);
            let to = self.byte_of_char(text, line_chars + last, whole_end);
            (first, text[from..to].to_string())
        };
        Location {
            path: path.to_string(),
            line: line + 1,
            column,
            end_column,
            line_text,
            line_text_start,
        }
    }
}

/// A file as written with its [`LineIndex`], built on the first
/// diagnostic: what to hold when one file may get many.
pub struct TextMap<'a> {
    path: &'a str,
    text: &'a str,
    index: std::cell::OnceCell<LineIndex>,
}

impl<'a> TextMap<'a> {
    pub fn new(path: &'a str, text: &'a str) -> Self {
        TextMap {
            path,
            text,
            index: std::cell::OnceCell::new(),
        }
    }

    pub(crate) fn path(&self) -> &'a str {
        self.path
    }

    pub(crate) fn text(&self) -> &'a str {
        self.text
    }

    pub fn locate(&self, range: Range<usize>) -> Location {
        self.index
            .get_or_init(|| LineIndex::new(self.text))
            .locate(self.path, self.text, range)
    }
}

fn is_char_start(byte: u8) -> bool {
    // Every byte but a UTF-8 continuation byte (0b10xx_xxxx) starts a character.
    (byte as i8) >= -0x40
}

fn char_starts(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| is_char_start(b)).count()
}

impl Location {
    /// The location of `range` (byte offsets) in `text`. A range that spans
    /// lines is cut at the end of its first line; out-of-range offsets are
    /// clamped, never a panic. Reads the text up to the end of the range's
    /// line: to locate many ranges in one text, hold a [`TextMap`] instead.
    pub(crate) fn in_text(path: &str, text: &str, range: Range<usize>) -> Self {
        let start = floor_char_boundary(text, range.start.min(text.len()));
        let head = &text[..text[start..].find('\n').map_or(text.len(), |i| start + i)];
        LineIndex::new(head).locate(path, head, range)
    }

    /// A location at a 1-based line and column, for tools (such as a JSON
    /// parser) that report positions rather than offsets.
    pub(crate) fn at_line_col(path: &str, text: &str, line: usize, column: usize) -> Self {
        Self::in_text(
            path,
            text,
            offset_of(text, line, column)..offset_of(text, line, column + 1),
        )
    }

    /// A whole file, when nothing more precise is known.
    pub(crate) fn file(path: &str) -> Self {
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
    pub(crate) fn short(&self) -> String {
        format!("{}:{}:{}", self.path, self.line, self.column)
    }

    /// `line_text` at its true columns: the part left out of a windowed
    /// line becomes spaces, so a renderer counts columns right.
    pub(crate) fn full_line_text(&self) -> std::borrow::Cow<'_, str> {
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
    pub(crate) fn span_in_line(&self) -> Range<usize> {
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
pub(crate) fn offset_of(text: &str, line: usize, column: usize) -> usize {
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

    /// Locating by counting from the start of the text, as simply as it can
    /// be written: what the index must agree with.
    fn counted(text: &str, range: Range<usize>) -> (usize, usize, usize, usize, String) {
        let start = range.start.min(text.len());
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let end = range.end.clamp(start, line_end);
        let column = text[line_start..start].chars().count() + 1;
        let end_column = column + text[start..end].chars().count().max(1);
        let whole = text[line_start..line_end].trim_end_matches('\r');
        let (first, kept) = if whole.len() <= 4 * WINDOW {
            (0, usize::MAX)
        } else {
            let first = (column - 1).saturating_sub(WINDOW);
            (first, end_column - 1 + WINDOW - first)
        };
        let line = text[..line_start].matches('\n').count() + 1;
        let shown = whole.chars().skip(first).take(kept).collect();
        (line, column, end_column, first, shown)
    }

    #[test]
    fn the_index_agrees_with_counting_at_every_offset() {
        let long_mixed: String = (0..900)
            .map(|i| ["a", "é", "€", "𝄞", " "][i % 5])
            .collect::<String>();
        let texts = [
            String::new(),
            "a\nsé [x](y.md) z\n\nlast".to_string(),
            "ends in a newline\n".to_string(),
            "crlf\r\nline\r\n".to_string(),
            format!("{long_mixed}\n{long_mixed}é\nshort"),
            format!("{}\n{}", "x".repeat(1_000), "y".repeat(700)),
        ];
        for text in &texts {
            let map = TextMap::new("p", text);
            let boundaries: Vec<usize> = (0..=text.len())
                .filter(|&i| text.is_char_boundary(i))
                .collect();
            for (k, &start) in boundaries.iter().enumerate() {
                for &len in &[0, 1, 9, 400] {
                    let end = boundaries[(k + len).min(boundaries.len() - 1)];
                    let loc = map.locate(start..end);
                    assert_eq!(loc, Location::in_text("p", text, start..end));
                    let got = (
                        loc.line,
                        loc.column,
                        loc.end_column,
                        loc.line_text_start,
                        loc.line_text,
                    );
                    assert_eq!(got, counted(text, start..end), "{start}..{end}");
                }
            }
        }
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
