//! One pulldown-cmark pass over a Markdown text, with the options mdBook's
//! HTML renderer uses for the book: the events with their byte offsets, and
//! the reference links that have no definition. Every validator reads these
//! events instead of parsing the chapter again.

use mdbook_markdown::MarkdownOptions;
use mdbook_markdown::pulldown_cmark::{BrokenLink, CowStr, Event, LinkType, Options, Parser};
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::{Mutex, PoisonError};

/// A `[text][label]` or `[label][]` whose label has no definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UndefinedReference {
    pub label: String,
    pub range: Range<usize>,
}

/// A text parsed once: what every validator reads.
#[derive(Debug, Clone, Default)]
pub(crate) struct Parsed<'a> {
    pub events: Vec<(Event<'a>, Range<usize>)>,
    pub undefined: Vec<UndefinedReference>,
}

/// The most inline delimiters a chapter may hold outside fenced code: each
/// `[`, `]`, `<`, `>`, `&` and `\`, and each run of `*`, `_`, `` ` `` or
/// `~`. pulldown-cmark's time and memory grow faster than the text with
/// brackets and emphasis openers, and each of the others can start a node
/// of its own (a chapter of nested brackets, `<a` or `>` took seconds and
/// gigabytes); a chapter of the guide holds a few hundred.
pub const MAX_DELIMITERS: usize = 100_000;

/// The most lines a chapter may hold: each costs the parser a node or two,
/// whatever it holds (a chapter of 8 million one-letter lines took
/// gigabytes). Far above any written chapter.
pub(crate) const MAX_LINES: usize = 1_000_000;

/// Which budget a chapter goes over, at which byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Over {
    Delimiters(usize),
    Lines(usize),
}

impl Over {
    pub(crate) fn at(self) -> usize {
        match self {
            Over::Delimiters(at) | Over::Lines(at) => at,
        }
    }

    /// What the chapter holds too many of: `more than N …`.
    pub(crate) fn what(self) -> String {
        match self {
            Over::Delimiters(_) => format!(
                "more than {MAX_DELIMITERS} Markdown delimiters (`[`, `]`, `<`, `>`, `&`, `\\`, runs of `*`, `_`, `` ` ``, `~`) outside fenced code"
            ),
            Over::Lines(_) => format!("more than {MAX_LINES} lines"),
        }
    }

    /// The limit, as the hint states it.
    pub(crate) fn limit(self) -> String {
        match self {
            Over::Delimiters(_) => format!("{MAX_DELIMITERS} delimiters"),
            Over::Lines(_) => format!("{MAX_LINES} lines"),
        }
    }
}

/// Under `serve`, each text's last verdict, by who judged it and file: a
/// rebuild measures again only the texts that changed. Off unless
/// [`keep_budgets`] turned it on. One entry a file, replaced when its text
/// changes.
static BUDGETS: Mutex<Option<Verdicts>> = Mutex::new(None);

/// (judge, file): the text judged and its verdict.
type Verdicts = HashMap<(&'static str, String), (Box<str>, Option<Over>)>;

/// Keeps each file's verdict from one run to the next (for `serve`).
pub fn keep_budgets() {
    let mut kept = BUDGETS.lock().unwrap_or_else(PoisonError::into_inner);
    kept.get_or_insert_with(HashMap::new);
}

/// [`over_budget`] of `text`, the text `judge` read for `file`: the last
/// verdict when the text is the same, byte for byte.
pub(crate) fn over_budget_kept(judge: &'static str, file: &str, text: &str) -> Option<Over> {
    let key = (judge, file.to_string());
    {
        let kept = BUDGETS.lock().unwrap_or_else(PoisonError::into_inner);
        match kept.as_ref() {
            None => return over_budget(text),
            Some(kept) => {
                if let Some((last, over)) = kept.get(&key)
                    && **last == *text
                {
                    return *over;
                }
            }
        }
    }
    let over = over_budget(text);
    let mut kept = BUDGETS.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(kept) = kept.as_mut() {
        kept.insert(key, (text.into(), over));
    }
    over
}

/// The first budget `text` goes over, if any. One pass over the bytes.
/// Fenced code is recognised as CommonMark opens and closes it (a run of
/// three or more `` ` `` or `~` after at most three spaces, a backtick
/// fence's info string holding no backtick, closed by a run at least as
/// long with nothing after it); an indented fence also ends at a line
/// indented less, where the container that held it must have ended. When in
/// doubt, text counts: counting too much only refuses sooner.
pub(crate) fn over_budget(text: &str) -> Option<Over> {
    let bytes = text.as_bytes();
    let mut count = 0usize;
    let mut lines = 0usize;
    // The open fence: its character, length and indent.
    let mut fence: Option<(u8, usize, usize)> = None;
    let mut start = 0;
    while start < bytes.len() {
        let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |i| start + i + 1);
        lines += 1;
        if lines > MAX_LINES {
            return Some(Over::Lines(start));
        }
        let line = &bytes[start..end];
        let indent = line.iter().take_while(|&&b| b == b' ').count();
        let rest = &line[indent..];
        let blank = rest.iter().all(u8::is_ascii_whitespace);
        if let Some((c, n, fence_indent)) = fence {
            if indent < 4 && closes(rest, c, n) {
                fence = None;
                start = end;
                continue;
            }
            if blank || indent >= fence_indent {
                start = end;
                continue;
            }
            fence = None;
        }
        if indent < 4
            && let Some((c, n)) = opens(rest)
        {
            fence = Some((c, n, indent));
            start = end;
            continue;
        }
        let mut previous = 0u8;
        for (i, &b) in line.iter().enumerate() {
            let counts = match b {
                b'[' | b']' | b'<' | b'>' | b'&' | b'\\' => true,
                b'*' | b'_' | b'`' | b'~' => b != previous,
                _ => false,
            };
            previous = b;
            if counts {
                count += 1;
                if count > MAX_DELIMITERS {
                    return Some(Over::Delimiters(start + i));
                }
            }
        }
        start = end;
    }
    None
}

/// The fence `rest` (a line after its indent) opens, if it opens one.
fn opens(rest: &[u8]) -> Option<(u8, usize)> {
    let c = *rest.first().filter(|c| matches!(c, b'`' | b'~'))?;
    let n = rest.iter().take_while(|&&b| b == c).count();
    let info_ok = c == b'~' || !rest[n..].contains(&b'`');
    (n >= 3 && info_ok).then_some((c, n))
}

/// Whether `rest` closes a fence of `n` times `c`.
fn closes(rest: &[u8], c: u8, n: usize) -> bool {
    let run = rest.iter().take_while(|&&b| b == c).count();
    run >= n && rest[run..].iter().all(u8::is_ascii_whitespace)
}

/// The options mdBook's HTML renderer parses the book's chapters with.
pub(crate) fn book_options(config: &mdbook_preprocessor::config::Config) -> MarkdownOptions {
    let html = config.html_config().unwrap_or_default();
    let mut options = MarkdownOptions::default();
    options.smart_punctuation = html.smart_punctuation;
    options.definition_lists = html.definition_lists;
    options.admonitions = html.admonitions;
    options
}

/// The pulldown-cmark options of `mdbook_markdown::new_cmark_parser`, which
/// offers no way to pass a broken-link callback. A test in `page`
/// proves both parse alike.
pub(crate) fn cmark_options(markdown: &MarkdownOptions) -> Options {
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
pub(crate) fn parse<'a>(text: &'a str, markdown: &MarkdownOptions) -> Parsed<'a> {
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
        assert_eq!(over_budget(&within), None);
        // Runs count once, fenced code not at all.
        let runs = format!("{}\n", "**a** ".repeat(MAX_DELIMITERS / 2));
        assert_eq!(over_budget(&runs), None);
        let fenced = format!("```\n{}\n```\nok\n", "[".repeat(3 * MAX_DELIMITERS));
        assert_eq!(over_budget(&fenced), None);
        let tilde = format!(
            "~~~~ rust\n{}\n~~~\n~~~~\nok\n",
            "<".repeat(3 * MAX_DELIMITERS)
        );
        assert_eq!(over_budget(&tilde), None);
        let over = format!("# A\n\n{}", "[".repeat(MAX_DELIMITERS + 5));
        assert_eq!(
            over_budget(&over),
            Some(Over::Delimiters(5 + MAX_DELIMITERS))
        );
    }

    #[test]
    fn what_only_looks_like_a_fence_does_not_hide_what_follows() {
        let flood = "[".repeat(MAX_DELIMITERS + 1);
        // A backtick fence's info string holds no backtick: not a fence.
        let text = format!("```x`y\n{flood}\n");
        // (Its two backtick runs count as well.)
        assert_eq!(
            over_budget(&text),
            Some(Over::Delimiters(7 + MAX_DELIMITERS - 2))
        );
        // Closed by a shorter run, or a run with text after it: still open,
        // so the flood is code.
        let text = format!("````\n```\n```` x\n{flood}\n");
        assert_eq!(over_budget(&text), None);
        // An indented fence ends where a line is indented less (its list
        // item ended there).
        let text = format!("- a\n\n  ```\n  code\n{flood}\n");
        assert!(matches!(over_budget(&text), Some(Over::Delimiters(_))));
        // Every other marker counts too.
        for marker in ["<a", ">", "&", "\\"] {
            let text = marker.repeat(MAX_DELIMITERS + 1);
            assert!(over_budget(&text).is_some(), "{marker}");
        }
    }

    #[test]
    fn lines_past_the_budget_are_refused_wherever_they_are() {
        let within = "a\n".repeat(MAX_LINES);
        assert_eq!(over_budget(&within), None);
        let over = format!("```\n{}", "a\n".repeat(MAX_LINES));
        assert_eq!(
            over_budget(&over),
            Some(Over::Lines(4 + 2 * (MAX_LINES - 1)))
        );
    }
}

#[cfg(test)]
mod kept_budget_tests {
    use super::*;

    #[test]
    fn a_kept_verdict_follows_its_files_text() {
        keep_budgets();
        let within = "[a] ok\n".to_string();
        let over = "[".repeat(3 * MAX_DELIMITERS);
        let judged = |text: &str| over_budget_kept("test", "src/a.md", text);
        assert_eq!(judged(&within), None);
        assert_eq!(judged(&over), over_budget(&over));
        assert!(judged(&over).is_some());
        assert_eq!(judged(&within), None);
        // Another file's or another judge's verdict is its own.
        assert!(over_budget_kept("test", "src/b.md", &over).is_some());
        assert_eq!(over_budget_kept("other", "src/a.md", &within), None);
    }
}
