//! Where a piece of preprocessed chapter text came from in the file the
//! writer edits. Checkers run on the book as readers get it (after includes,
//! procedures and value directives are expanded) but must report the line to
//! fix: a line diff between the source file and the processed text maps
//! unchanged lines exactly and expanded text to the directive that produced it.
//! [`Source`] is how every validator gets the writer's text of a chapter.

use crate::diagnostics::location::{LineIndex, Location};
use crate::diagnostics::{Diagnostic, Edit, Problem};
use similar::{DiffOp, TextDiff};
use std::ops::Range;
use std::sync::OnceLock;

/// A chapter's file as the writer edits it, with its repo-relative path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub path: String,
    pub text: String,
}

impl Source {
    /// Locates ranges of `processed` (this chapter after some expansion) here.
    pub(crate) fn origin<'a>(&'a self, processed: &'a str) -> Origin<'a> {
        Origin::new(&self.path, &self.text, processed)
    }
}

pub struct Origin<'a> {
    path: &'a str,
    source: &'a str,
    processed: &'a str,
    /// Computed on the first location asked for: most chapters have none.
    map: MapRef<'a>,
}

enum MapRef<'a> {
    Borrowed(&'a LineMap),
    Lazy(OnceLock<LineMap>),
}

/// Which source line each processed line comes from: the costly part of an
/// [`Origin`], computed once per chapter and shared by every validator.
#[derive(Debug, Clone)]
pub(crate) struct LineMap {
    /// Byte offset of each processed line's start, and the source line it maps to.
    lines: Vec<LineOrigin>,
    /// Lines and character counts of the source, to locate in it.
    source: LineIndex,
}

#[derive(Debug, Clone, Copy)]
struct LineOrigin {
    start: usize,
    source_line: usize,
    /// The processed line is the source line, byte for byte.
    exact: bool,
}

impl LineMap {
    pub(crate) fn new(source: &str, processed: &str) -> Self {
        let processed_starts = line_starts(processed);
        let mut lines = Vec::with_capacity(processed_starts.len());
        if source == processed {
            lines.extend(
                processed_starts
                    .iter()
                    .enumerate()
                    .map(|(i, &start)| LineOrigin {
                        start,
                        source_line: i,
                        exact: true,
                    }),
            );
        } else {
            // Lines as this map counts them (split at `\n` only): the diff's
            // own line splitting also breaks at a lone `\r`, and its indexes
            // would then run past these.
            let old_lines = lines_of(source);
            let new_lines = lines_of(processed);
            let diff = TextDiff::configure()
                .algorithm(similar::Algorithm::Myers)
                .diff_slices(&old_lines, &new_lines);
            for op in diff.ops() {
                let (old, new, exact) = match *op {
                    DiffOp::Equal {
                        old_index,
                        new_index,
                        len,
                    } => (old_index..old_index + len, new_index..new_index + len, true),
                    DiffOp::Insert {
                        old_index,
                        new_index,
                        new_len,
                    } => (
                        old_index.saturating_sub(1)..old_index,
                        new_index..new_index + new_len,
                        false,
                    ),
                    DiffOp::Replace {
                        old_index,
                        old_len,
                        new_index,
                        new_len,
                    } => (
                        old_index..old_index + old_len,
                        new_index..new_index + new_len,
                        false,
                    ),
                    DiffOp::Delete { .. } => continue,
                };
                // A block replaced by as many lines (`{{#value}}` and other
                // inline expansions) maps line for line; otherwise to its first.
                let line_for_line = exact || old.len() == new.len();
                for (k, n) in new.enumerate() {
                    let source_line = if line_for_line {
                        old.start + k
                    } else {
                        old.start
                    };
                    lines.push(LineOrigin {
                        start: processed_starts[n],
                        source_line,
                        exact,
                    });
                }
            }
        }
        LineMap {
            lines,
            source: LineIndex::new(source),
        }
    }
}

impl<'a> Origin<'a> {
    pub fn new(path: &'a str, source: &'a str, processed: &'a str) -> Self {
        Origin {
            path,
            source,
            processed,
            map: MapRef::Lazy(OnceLock::new()),
        }
    }

    /// An origin over a line map computed before for the same two texts.
    pub(crate) fn with_map(
        path: &'a str,
        source: &'a str,
        processed: &'a str,
        map: &'a LineMap,
    ) -> Self {
        Origin {
            path,
            source,
            processed,
            map: MapRef::Borrowed(map),
        }
    }

    fn map(&self) -> &LineMap {
        match &self.map {
            MapRef::Borrowed(map) => map,
            MapRef::Lazy(cell) => cell.get_or_init(|| LineMap::new(self.source, self.processed)),
        }
    }

    /// The byte range of the source file that `range` of the processed text
    /// is, when it lies on a line copied byte for byte (a fix is never
    /// placed on expanded text: the words there are not the writer's).
    pub(crate) fn source_range(&self, range: Range<usize>) -> Option<Range<usize>> {
        let index = self
            .map()
            .lines
            .partition_point(|l| l.start <= range.start)
            .checked_sub(1)?;
        let line = self.map().lines.get(index)?;
        let line_end = self
            .map()
            .lines
            .get(index + 1)
            .map_or(self.processed.len(), |next| next.start);
        if !line.exact || range.end > line_end || range.start > range.end {
            return None;
        }
        let start = self.map().source.line_start(line.source_line)? + (range.start - line.start);
        let source = start..start + range.len();
        (self.source.get(source.clone()) == self.processed.get(range)).then_some(source)
    }

    /// `problem` (found in the processed text) at its source place, with its
    /// fixes when they fall on the writer's own lines.
    pub(crate) fn diagnostic(&self, problem: Problem) -> Diagnostic {
        problem.locate_fixed(
            |r| self.locate(r),
            |fix| {
                let range = self.source_range(fix.range.clone())?;
                Edit::in_text(self.path, self.source, range, fix.replacement.clone())
            },
        )
    }

    /// The source location of a byte range of the processed text.
    pub fn locate(&self, range: Range<usize>) -> Location {
        let start = range.start.min(self.processed.len());
        let index = self
            .map()
            .lines
            .partition_point(|l| l.start <= start)
            .saturating_sub(1);
        let on_line = |range| self.map().source.locate(self.path, self.source, range);
        let Some(line) = self.map().lines.get(index) else {
            return on_line(0..0);
        };
        let source_start = self
            .map()
            .source
            .line_start(line.source_line)
            .unwrap_or(self.source.len());
        if line.exact {
            let offset = source_start + (start - line.start);
            let len = range.end.saturating_sub(range.start);
            return on_line(offset..offset + len);
        }
        // Expanded text: point at the same words if the writer typed them,
        // otherwise at the line that produced them (the directive).
        let source_line_end = self
            .map()
            .source
            .line_start(line.source_line + 1)
            .map_or(self.source.len(), |next| next - 1);
        let source_line = &self.source[source_start..source_line_end];
        let wanted = &self.processed[start..range.end.clamp(start, self.processed.len())];
        // Words after the last expansion sit this much further along in the source.
        let processed_line_end = self
            .map()
            .lines
            .get(index + 1)
            .map_or(self.processed.len(), |next| next.start);
        let processed_line = &self.processed[line.start..processed_line_end.max(line.start)];
        let processed_line = processed_line.strip_suffix('\n').unwrap_or(processed_line);
        let shift = source_line.len() as isize - processed_line.len() as isize;
        if !wanted.is_empty()
            && let Some(i) = near(source_line, wanted, start - line.start, shift)
        {
            let at = source_start + i;
            return on_line(at..at + wanted.len());
        }
        let indent = source_line.len() - source_line.trim_start().len();
        on_line(source_start + indent..source_line_end)
    }
}

/// How far from its place in the processed line the writer's words are
/// looked for first: what the expansions before them added or took away.
const NEAR: usize = 1024;

/// Where `wanted` is in the source `line`, given that it is at byte `at` of
/// the processed line, which is `shift` bytes shorter: at `at + shift` (after
/// the last expansion) or at `at` (before the first), else the occurrence
/// nearest `at` within [`NEAR`] bytes, else the first on the line. Each
/// costs what the window does, so N problems on one long line cost N.
fn near(line: &str, wanted: &str, at: usize, shift: isize) -> Option<usize> {
    let fits = |i: usize| line.get(i..).is_some_and(|rest| rest.starts_with(wanted));
    if let Some(i) = at.checked_add_signed(shift).filter(|&i| fits(i)) {
        return Some(i);
    }
    if fits(at) {
        return Some(at);
    }
    let mut lo = at.saturating_sub(NEAR).min(line.len());
    while !line.is_char_boundary(lo) {
        lo -= 1;
    }
    let mut hi = (at + NEAR + wanted.len()).min(line.len());
    while !line.is_char_boundary(hi) {
        hi += 1;
    }
    line[lo..hi]
        .match_indices(wanted)
        .map(|(i, _)| lo + i)
        .min_by_key(|&i| i.abs_diff(at))
        .or_else(|| line.find(wanted))
}

/// `text`'s lines, each with its `\n`, at [`line_starts`].
fn lines_of(text: &str) -> Vec<&str> {
    text.split_inclusive('\n').collect()
}

fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .filter(|&i| i < text.len() || i == 0)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unchanged_text_maps_to_itself() {
        let text = "# Title\n\nSee [a](a.md).\n";
        let origin = Origin::new("src/x.md", text, text);
        let at = text.find("[a]").unwrap();
        assert_eq!(origin.locate(at..at + 3).short(), "src/x.md:3:5");
    }

    #[test]
    fn lines_after_an_expansion_keep_their_source_line() {
        let source = "intro\n{{#procedure create}}\nSee [b](b.md).\n";
        let processed = "intro\n1. one\n2. two\n3. [three](c.md)\nSee [b](b.md).\n";
        let origin = Origin::new("src/x.md", source, processed);
        let b = processed.find("[b]").unwrap();
        assert_eq!(origin.locate(b..b + 3).short(), "src/x.md:3:5");
        let c = processed.find("[three]").unwrap();
        let loc = origin.locate(c..c + 7);
        assert_eq!(
            loc.short(),
            "src/x.md:2:1",
            "expanded text points at the directive"
        );
        assert_eq!(loc.line_text, "{{#procedure create}}");
    }

    #[test]
    fn a_lone_carriage_return_is_part_of_its_line() {
        // The diff splits at a lone `\r` too; the map must not index past
        // its own lines (this panicked).
        let source = "{{#image-registry}}\rB\n[a](a.md)\n";
        let processed = "7098.dkr\rB\n[a](a.md)\n";
        let origin = Origin::new("src/x.md", source, processed);
        let at = processed.find("[a]").unwrap();
        assert_eq!(origin.locate(at..at + 3).short(), "src/x.md:2:1");
        let both = "x\ry\rz";
        let origin = Origin::new("src/x.md", "{{#v}}\r", both);
        assert_eq!(origin.locate(4..5).short(), "src/x.md:1:1");
    }

    #[test]
    fn an_inline_expansion_keeps_the_writers_words() {
        let source = "Image: {{#image-uri arm64}} and [link](y.md#z)\n";
        let processed = "Image: 7098.dkr/x:1.0-arm64 and [link](y.md#z)\n";
        let origin = Origin::new("src/x.md", source, processed);
        let at = processed.find("[link]").unwrap();
        assert_eq!(origin.locate(at..at + 14).short(), "src/x.md:1:33");
    }

    #[test]
    fn the_same_words_twice_beside_an_expansion_keep_their_own_places() {
        let source = "CPU {{#value task.cpu}}: [x](y.md) and [x](y.md)\n";
        let processed = "CPU 0.5 vCPU: [x](y.md) and [x](y.md)\n";
        let origin = Origin::new("src/x.md", source, processed);
        let columns: Vec<usize> = processed
            .match_indices("[x](y.md)")
            .map(|(at, _)| origin.locate(at..at + 9).column)
            .collect();
        assert_eq!(columns, [26, 40]);
    }

    #[test]
    fn inline_expansions_on_consecutive_lines_map_line_for_line() {
        let source = "a\nCPU {{#value task.cpu}}\nMemory {{#value task.memory}} [x](y.md)\nb\n";
        let processed = "a\nCPU 0.5 vCPU\nMemory 1 GB [x](y.md)\nb\n";
        let origin = Origin::new("src/x.md", source, processed);
        let at = processed.find("[x]").unwrap();
        assert_eq!(origin.locate(at..at + 3).short(), "src/x.md:3:31");
        let at = processed.find("0.5").unwrap();
        assert_eq!(origin.locate(at..at + 3).short(), "src/x.md:2:1");
    }

    #[test]
    fn fixes_map_only_onto_lines_copied_byte_for_byte() {
        let source = "intro\n{{#procedure create}}\nSee [b](b.md#x).\n";
        let processed = "intro\n1. one\n2. two\nSee [b](b.md#x).\n";
        let origin = Origin::new("src/x.md", source, processed);
        let x = processed.find("#x").unwrap() + 1;
        let in_source = source.find("#x").unwrap() + 1;
        assert_eq!(
            origin.source_range(x..x + 1),
            Some(in_source..in_source + 1)
        );
        let two = processed.find("2.").unwrap();
        assert_eq!(origin.source_range(two..two + 1), None, "expanded text");
        assert_eq!(
            origin.source_range(x..processed.len() + 4),
            None,
            "past the line"
        );
    }

    #[test]
    fn offsets_past_the_end_do_not_panic() {
        let origin = Origin::new("p", "a\n", "b\nc\n");
        assert_eq!(origin.locate(100..200).line, 1);
        let empty = Origin::new("p", "", "");
        assert_eq!(empty.locate(0..0).line, 1);
    }
}
