//! `{{#include}}`, `{{#rustdoc_include}}` and `{{#playground}}` of a file or
//! an anchor that does not exist. mdBook only logs these and publishes the
//! page without the listing, so they are checked here, on the files the
//! writer edits (the book mdBook hands over has them expanded already).

use super::targets::{Problem, broken, normalize};
use crate::book_root::BookRoot;
use crate::diagnostics::codes;
use crate::reach::{Reach, Verdict};
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

/// mdBook's own pattern (mdbook-driver `links.rs`): an escaped directive runs
/// to the last `}}` of its line.
pub(crate) static DIRECTIVE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\\\{\{\#.*\}\}|\{\{\s*\#([a-zA-Z0-9_]+)\s+([^}]+)\}\}").unwrap());
static ANCHOR_START: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"ANCHOR:\s*([\w_-]+)").unwrap());
static ANCHOR_END: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"ANCHOR_END:\s*([\w_-]+)").unwrap());

/// mdBook stops expanding includes this deep.
pub(crate) const MAX_DEPTH: usize = 10;

/// A problem in a file of the book (`file` relative to the root), at `range` of its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub file: String,
    pub range: Range<usize>,
    pub problem: Problem,
}

/// Every broken include in `file` (relative to the book root) and in the
/// parts of the files it includes.
pub fn check(root: &BookRoot, file: &str, text: &str) -> Vec<Finding> {
    let mut found = Vec::new();
    let reach = root.reach();
    scan(root, reach, file, text, 0..text.len(), 0, &mut found);
    found
}

/// Scans the directives that start within `within` (the part of an
/// included file that is actually included).
fn scan(
    root: &BookRoot,
    reach: &Reach,
    file: &str,
    text: &str,
    within: Range<usize>,
    depth: usize,
    found: &mut Vec<Finding>,
) {
    let dir = file.rsplit_once('/').map_or("", |(d, _)| d);
    for cap in DIRECTIVE.captures_iter(text) {
        let (Some(kind), Some(args)) = (cap.get(1), cap.get(2)) else {
            continue;
        };
        let whole = cap.get(0).expect("a match");
        if !within.contains(&whole.start()) {
            continue;
        }
        let (kind, whole_text) = (kind.as_str(), whole.as_str());
        let Some(arg) = args.as_str().split_whitespace().next() else {
            continue;
        };
        let (path, selector) = match kind {
            "include" | "rustdoc_include" => match arg.split_once(':') {
                Some((p, s)) => (p, Some(s)),
                None => (arg, None),
            },
            "playground" | "playpen" => (arg, None),
            _ => continue,
        };
        let report = |found: &mut Vec<Finding>, problem: Problem| {
            found.push(Finding {
                file: file.to_string(),
                range: whole.range(),
                problem,
            });
        };
        let joined = if dir.is_empty() {
            path.to_string()
        } else {
            format!("{dir}/{path}")
        };
        let target = normalize(&joined).unwrap_or(joined);
        // Resolved as mdBook will open it: the include guard has already
        // refused (and reported) what lands outside the repository.
        let included = match reach.judge(&root.root.join(dir).join(path)) {
            Verdict::Refused(_) => continue,
            Verdict::Missing => {
                report(
                    found,
                    broken(
                        codes::LINKS_MISSING_INCLUDE,
                        format!("`{whole_text}`: `{target}` does not exist"),
                        Some(format!(
                            "the path is relative to `{}`; mdBook would only log this and publish the page without it",
                            if dir.is_empty() { "the book root" } else { dir }
                        )),
                    ),
                );
                continue;
            }
            Verdict::Readable(path) => match std::fs::read_to_string(path) {
                Ok(text) => text,
                Err(err) => {
                    report(
                        found,
                        broken(
                            codes::LINKS_MISSING_INCLUDE,
                            format!("`{whole_text}`: `{target}` cannot be read ({err})"),
                            None,
                        ),
                    );
                    continue;
                }
            },
        };
        let selected = match selector.map(selection) {
            Some(Selection::Anchor(anchor)) => match anchored(&included, anchor) {
                Some(range) => range,
                None => {
                    let anchors: Vec<&str> = ANCHOR_START
                        .captures_iter(&included)
                        .map(|c| c.get(1).expect("a group").as_str())
                        .collect();
                    let hint = if anchors.is_empty() {
                        format!("`{target}` has no `ANCHOR:` lines")
                    } else {
                        format!("anchors in `{target}`: {}", anchors.join(", "))
                    };
                    report(
                        found,
                        broken(
                            codes::LINKS_MISSING_INCLUDE_ANCHOR,
                            format!(
                                "`{whole_text}`: no `ANCHOR: {anchor}` in `{target}`, so nothing is included"
                            ),
                            Some(hint),
                        ),
                    );
                    continue;
                }
            },
            Some(Selection::Lines(lines)) => line_span(&included, lines),
            None => 0..included.len(),
        };
        if depth + 1 < MAX_DEPTH {
            scan(root, reach, &target, &included, selected, depth + 1, found);
        }
    }
}

pub(crate) enum Selection<'a> {
    Anchor(&'a str),
    /// Zero-based, end exclusive, as mdBook parses `:start:end`.
    Lines(Range<usize>),
}

/// mdBook's reading of what follows the path's colon.
pub(crate) fn selection(spec: &str) -> Selection<'_> {
    let mut parts = spec.splitn(3, ':');
    let first = parts.next().unwrap_or("");
    let start = match first.parse::<usize>() {
        Ok(n) => Some(n.saturating_sub(1)),
        Err(_) if first.is_empty() => None,
        Err(_) => return Selection::Anchor(first),
    };
    let end = parts.next().map(|s| s.parse::<usize>());
    match (start, end) {
        (Some(s), Some(Ok(e))) => Selection::Lines(s..e),
        (Some(s), Some(Err(_))) => Selection::Lines(s..usize::MAX),
        (Some(s), None) => Selection::Lines(s..s + 1),
        (None, Some(Ok(e))) => Selection::Lines(0..e),
        (None, _) => Selection::Lines(0..usize::MAX),
    }
}

/// The byte span between `ANCHOR: name` and its `ANCHOR_END`, if it exists.
pub(crate) fn anchored(text: &str, anchor: &str) -> Option<Range<usize>> {
    let mut offset = 0;
    let mut start = None;
    for line in text.split_inclusive('\n') {
        let here = offset;
        offset += line.len();
        match start {
            None => {
                if ANCHOR_START.captures(line).is_some_and(|c| &c[1] == anchor) {
                    start = Some(offset);
                }
            }
            Some(s) => {
                if ANCHOR_END.captures(line).is_some_and(|c| &c[1] == anchor) {
                    return Some(s..here);
                }
            }
        }
    }
    start.map(|s| s..text.len())
}

pub(crate) fn line_span(text: &str, lines: Range<usize>) -> Range<usize> {
    let mut offset = 0;
    let (mut start, mut end) = (text.len(), text.len());
    for (i, line) in text.split_inclusive('\n').enumerate() {
        if i == lines.start {
            start = offset;
        }
        offset += line.len();
        if i + 1 == lines.end {
            end = offset;
        }
    }
    start..end.max(start)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::book_root::temp_book as book;

    fn codes(found: &[Finding]) -> Vec<(&str, &str)> {
        found
            .iter()
            .map(|f| (f.file.as_str(), f.problem.code.as_str()))
            .collect()
    }

    #[test]
    fn missing_files_and_anchors_are_found_where_written() {
        let (_dir, root) = book(&[(
            "src/listings/main.rs",
            "// ANCHOR: setup\nfn a() {}\n// ANCHOR_END: setup\n",
        )]);
        let text = "# T\n\n```rust\n{{#include listings/main.rs:setup}}\n{{#rustdoc_include listings/main.rs:teardown}}\n{{#include listings/gone.rs}}\n{{ #include listings/main.rs:2:3 }}\n\\{{#include escaped.rs}}\n{{#playground ../../outside.rs editable}}\n```\n";
        let found = check(&root, "src/ch.md", text);
        assert_eq!(
            codes(&found),
            [
                ("src/ch.md", "links::missing-include-anchor"),
                ("src/ch.md", "links::missing-include"),
                ("src/ch.md", "links::missing-include"),
            ]
        );
        assert_eq!(
            found[2].problem.message,
            "`{{#playground ../../outside.rs editable}}`: `src/../../outside.rs` does not exist"
        );
        assert_eq!(
            &text[found[0].range.clone()],
            "{{#rustdoc_include listings/main.rs:teardown}}"
        );
        assert_eq!(
            found[0].problem.message,
            "`{{#rustdoc_include listings/main.rs:teardown}}`: no `ANCHOR: teardown` in `src/listings/main.rs`, so nothing is included"
        );
        assert_eq!(
            found[0].problem.hint.as_deref(),
            Some("anchors in `src/listings/main.rs`: setup")
        );
        assert_eq!(
            found[1].problem.message,
            "`{{#include listings/gone.rs}}`: `src/listings/gone.rs` does not exist"
        );
    }

    #[test]
    fn nested_includes_count_only_in_the_part_that_is_included() {
        let (_dir, root) = book(&[
            (
                "src/parts/a.md",
                "kept {{#include b.md}}\n<!-- ANCHOR: x -->\nin {{#include missing-in-anchor.md}}\n<!-- ANCHOR_END: x -->\n",
            ),
            ("src/parts/b.md", "{{#include nothing.md}}\n"),
        ]);
        let found = check(&root, "src/ch.md", "{{#include parts/a.md:1}}\n");
        assert_eq!(
            codes(&found),
            [("src/parts/b.md", "links::missing-include")]
        );
        let found = check(&root, "src/ch.md", "{{#include parts/a.md:x}}\n");
        assert_eq!(
            codes(&found),
            [("src/parts/a.md", "links::missing-include")]
        );
    }

    #[test]
    fn selections_read_like_mdbook() {
        assert!(matches!(selection("setup"), Selection::Anchor("setup")));
        assert!(matches!(selection("2:4"), Selection::Lines(r) if r == (1..4)));
        assert!(matches!(selection("3"), Selection::Lines(r) if r == (2..3)));
        assert!(matches!(selection(":5"), Selection::Lines(r) if r == (0..5)));
        assert!(matches!(selection("-1"), Selection::Anchor("-1")));
        assert_eq!(line_span("a\nb\nc\n", 1..2), 2..4);
        assert_eq!(
            anchored("x\nANCHOR: a\ny\nANCHOR_END: a\n", "a"),
            Some(12..14)
        );
    }
}
