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
