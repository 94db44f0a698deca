//! One pulldown-cmark pass over a Markdown text, with the options mdBook's
//! HTML renderer uses for the book: the events with their byte offsets, and
//! the reference links that have no definition. Every validator reads these
//! events instead of parsing the chapter again.

use mdbook_markdown::MarkdownOptions;
use mdbook_markdown::pulldown_cmark::{BrokenLink, CowStr, Event, LinkType, Options, Parser};
use std::collections::HashSet;
use std::ops::Range;

/// A `[text][label]` or `[label][]` whose label has no definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UndefinedReference {
    pub label: String,
    pub range: Range<usize>,
}

/// A text parsed once: what every validator reads.
#[derive(Debug, Clone, Default)]
pub struct Parsed<'a> {
    pub events: Vec<(Event<'a>, Range<usize>)>,
    pub undefined: Vec<UndefinedReference>,
}

/// The most inline delimiters a chapter may hold outside fenced code: each
/// `[` and `]`, and each run of `*`, `_`, `` ` `` or `~`. pulldown-cmark's
/// time and memory grow faster than the text with these (a chapter of
/// nested brackets or emphasis openers took seconds and gigabytes); a
/// chapter of the guide holds a few hundred.
pub const MAX_DELIMITERS: usize = 100_000;

/// The byte offset of the delimiter that goes over [`MAX_DELIMITERS`], if
/// one does. One pass over the bytes; a line opening or closing a fence
/// (```` ``` ```` or `~~~` after at most three spaces) toggles fenced code.
pub fn over_delimiter_budget(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut count = 0usize;
    let mut fenced = false;
    let mut start = 0;
    while start < bytes.len() {
        let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |i| start + i + 1);
        let line = &bytes[start..end];
        let indent = line.iter().take(4).take_while(|&&b| b == b' ').count();
        let rest = &line[indent.min(line.len())..];
        if indent < 4 && (rest.starts_with(b"```") || rest.starts_with(b"~~~")) {
            fenced = !fenced;
        } else if !fenced {
            let mut previous = 0u8;
            for (i, &b) in line.iter().enumerate() {
                let counts = match b {
                    b'[' | b']' => true,
                    b'*' | b'_' | b'`' | b'~' => b != previous,
                    _ => false,
                };
                previous = b;
                if counts {
                    count += 1;
                    if count > MAX_DELIMITERS {
                        return Some(start + i);
                    }
                }
            }
        }
        start = end;
    }
    None
}

/// The options mdBook's HTML renderer parses the book's chapters with.
pub fn book_options(config: &mdbook_preprocessor::config::Config) -> MarkdownOptions {
    let html = config.html_config().unwrap_or_default();
    let mut options = MarkdownOptions::default();
    options.smart_punctuation = html.smart_punctuation;
    options.definition_lists = html.definition_lists;
    options.admonitions = html.admonitions;
    options
}

/// The pulldown-cmark options of `mdbook_markdown::new_cmark_parser`, which
/// offers no way to pass a broken-link callback. A test in `links::extract`
/// proves both parse alike.
pub fn cmark_options(markdown: &MarkdownOptions) -> Options {
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    opts.insert(Options::ENABLE_FOOTNOTES);
    opts.insert(Options::ENABLE_STRIKETHROUGH);
    opts.insert(Options::ENABLE_TASKLISTS);
    opts.insert(Options::ENABLE_HEADING_ATTRIBUTES);
    if markdown.smart_punctuation {
        opts.insert(Options::ENABLE_SMART_PUNCTUATION);
    }
    if markdown.definition_lists {
        opts.insert(Options::ENABLE_DEFINITION_LIST);
    }
    if markdown.admonitions {
        opts.insert(Options::ENABLE_GFM);
    }
    opts
}

/// Parses `text` once, as mdBook will render it. A broken-link callback that
/// answers `None` leaves the events exactly as without one.
pub fn parse<'a>(text: &'a str, markdown: &MarkdownOptions) -> Parsed<'a> {
    let mut undefined: Vec<UndefinedReference> = Vec::new();
    // The parser may call back more than once for one span: keep it once.
    let mut seen: HashSet<(usize, usize)> = HashSet::new();
    let events = {
        let callback = |link: BrokenLink<'_>| {
            // Shortcut `[label]` is too often plain prose (`array[0]`, `[x]`),
            // as markdownlint's MD052 also holds; full and collapsed forms are
            // unmistakable.
            if matches!(link.link_type, LinkType::Reference | LinkType::Collapsed)
                && !link.reference.starts_with('^')
                && seen.insert((link.span.start, link.span.end))
            {
                undefined.push(UndefinedReference {
                    label: link.reference.to_string(),
                    range: link.span,
                });
            }
            None::<(CowStr<'_>, CowStr<'_>)>
        };
        // Reserved up front: growing a vector of millions of events (a
        // chapter of 13 MB) copies it again at every doubling. Pages of the
        // reservation that are never written cost nothing.
        let mut events = Vec::with_capacity(text.len() / 8 + 16);
        events.extend(
            Parser::new_with_broken_link_callback(text, cmark_options(markdown), Some(callback))
                .into_offset_iter(),
        );
        events
    };
    Parsed { events, undefined }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mdbook_markdown::pulldown_cmark::Tag;

    #[test]
    fn events_carry_offsets_and_undefined_references() {
        let text = "# T\n\nSee [a][nope], [b][] and [c](c.md) and [d][x].\n\n[x]: x.md\n";
        let parsed = parse(text, &MarkdownOptions::default());
        let labels: Vec<_> = parsed.undefined.iter().map(|u| &u.label[..]).collect();
        assert_eq!(labels, ["nope", "b"]);
        assert_eq!(&text[parsed.undefined[0].range.clone()], "[a][nope]");
        let link = parsed
            .events
            .iter()
            .find(|(e, _)| matches!(e, Event::Start(Tag::Link { .. })))
            .unwrap();
        assert_eq!(&text[link.1.clone()], "[c](c.md)");
    }

    #[test]
    fn the_same_undefined_reference_in_two_places_is_reported_twice() {
        let text = "[a][nope] [a][nope]\n";
        let parsed = parse(text, &MarkdownOptions::default());
        assert_eq!(parsed.undefined.len(), 2, "two places, two reports");
        assert_ne!(parsed.undefined[0].range, parsed.undefined[1].range);
    }
}

#[cfg(test)]
mod budget_tests {
    use super::*;

    #[test]
    fn delimiters_count_outside_fences_and_runs_count_once() {
        let within = format!("{}\n", "[a] *b* ".repeat(MAX_DELIMITERS / 4));
        assert_eq!(over_delimiter_budget(&within), None);
        // Runs count once, fenced code not at all.
        let runs = format!("{}\n", "**a** ".repeat(MAX_DELIMITERS / 2));
        assert_eq!(over_delimiter_budget(&runs), None);
        let fenced = format!("```\n{}\n```\nok\n", "[".repeat(3 * MAX_DELIMITERS));
        assert_eq!(over_delimiter_budget(&fenced), None);
        let over = format!("# A\n\n{}", "[".repeat(MAX_DELIMITERS + 5));
        assert_eq!(over_delimiter_budget(&over), Some(5 + MAX_DELIMITERS));
    }
}
