//! Our `links`: `{{#include}}`, `{{#rustdoc_include}}`, `{{#playground}}`
//! and `{{#title}}` expanded with mdBook 0.5.4's semantics (its pattern,
//! line ranges, anchors, `# `-hidden lines, playground fences, `\{{#…}}`
//! escapes, nesting down to depth 10, paths relative to the including file),
//! every file read through one call that judges the file it opened and
//! returns those bytes ([`crate::model::reach::Reach::read_judged`]). mdBook's own
//! `links`, which would open files unjudged, never runs.
//!
//! The expansion is pure over a [`Files`] reader; [`expand_book`] is the shell.

use crate::diagnostics::location::Location;
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::model::book_root::BookRoot;
use crate::model::origin::Origin;
use crate::model::reach::{Reach, Refusal, Verdict};
use mdbook_preprocessor::book::{Book, BookItem};
use regex::{Captures, Regex};
use std::cell::OnceCell;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

crate::diagnostics::codes::declare! {
    LINKS_INCLUDE_BUDGET = "links::include-budget", error: "a chapter or book whose includes exceed the include count or expanded size budget (see Security)";
    LINKS_INCLUDE_DEPTH = "links::include-depth", error: "an include nested more than 10 deep (usually an include cycle), whose text mdBook drops";
    LINKS_MISSING_INCLUDE = "links::missing-include", error: "an `{{#include}}` or `{{#rustdoc_include}}` of a missing file";
    LINKS_MISSING_INCLUDE_ANCHOR = "links::missing-include-anchor", error: "an include of an anchor or line range the file does not have";
    LINKS_PLAYPEN = "links::playpen", warning: "`{{#playpen}}`, the old name of `{{#playground}}` (a warning)";
    REACH_INCLUDE_OUTSIDE = "reach::include-outside", error: "an include (or a file a directive expands) that reads outside the repository";
    REACH_MDBOOK_LINKS = "reach::mdbook-links", error: "an include in a book that leaves mdBook's own `links` preprocessor on under stock `mdbook`, which would open the file unjudged";
}

/// mdBook drops what an include this deep brings in.
pub(crate) const MAX_DEPTH: usize = 10;
/// Includes one chapter may expand (every nesting level counts).
pub(crate) const MAX_INCLUDES: usize = 10_000;
/// Text all of one chapter's includes may bring in.
pub(crate) const MAX_CHAPTER_BYTES: usize = 64 << 20;
/// Text all of the book's includes may bring in.
pub(crate) const MAX_BOOK_BYTES: usize = 256 << 20;
/// Files one chapter's includes may read, whatever part of them they take:
/// a line range of a large file costs the whole file.
pub(crate) const MAX_CHAPTER_READ: usize = 256 << 20;
/// Files all of the book's includes may read.
pub(crate) const MAX_BOOK_READ: usize = 1 << 30;

/// mdBook's pattern: an escaped directive runs to the last `}}` of its line;
/// a directive's arguments may span lines.
pub(crate) static LINK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\\\{\{\#.*\}\}|\{\{\s*\#([a-zA-Z0-9_]+)\s+([^}]+)\}\}").unwrap());
static ANCHOR_START: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"ANCHOR:\s*([\w_-]+)").unwrap());
static ANCHOR_END: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"ANCHOR_END:\s*([\w_-]+)").unwrap());

/// Which lines of a file: zero-based, `end` exclusive, as mdBook reads `:a:b`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Select<'a> {
    Lines { start: usize, end: Option<usize> },
    Anchor(&'a str),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind<'a> {
    Escaped,
    Include {
        path: &'a str,
        select: Select<'a>,
        rustdoc: bool,
    },
    Playground {
        path: &'a str,
        attrs: Vec<&'a str>,
        playpen: bool,
    },
    Title(&'a str),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link<'a> {
    pub range: Range<usize>,
    pub text: &'a str,
    pub kind: Kind<'a>,
}

impl Link<'_> {
    /// The path it reads, if it reads one.
    pub fn path(&self) -> Option<&str> {
        match &self.kind {
            Kind::Include { path, .. } | Kind::Playground { path, .. } => Some(path),
            _ => None,
        }
    }
}

/// Every directive of `text` mdBook's `links` acts on, in order.
pub fn links(text: &str) -> impl Iterator<Item = Link<'_>> {
    LINK.captures_iter(text).filter_map(link)
}

fn link(cap: Captures<'_>) -> Option<Link<'_>> {
    let whole = cap.get(0)?;
    let kind = match (cap.get(1), cap.get(2)) {
        (Some(kind), Some(rest)) if kind.as_str() == "title" => Kind::Title(rest.as_str()),
        (Some(kind), Some(rest)) => {
            let mut words = rest.as_str().split_whitespace();
            let file = words.next()?;
            match kind.as_str() {
                "include" | "rustdoc_include" => {
                    let (path, spec) = match file.split_once(':') {
                        Some((path, spec)) => (path, Some(spec)),
                        None => (file, None),
                    };
                    Kind::Include {
                        path,
                        select: select(spec),
                        rustdoc: kind.as_str() == "rustdoc_include",
                    }
                }
                name @ ("playground" | "playpen") => Kind::Playground {
                    path: file,
                    attrs: words.collect(),
                    playpen: name == "playpen",
                },
                _ => return None,
            }
        }
        _ if whole.as_str().starts_with('\\') => Kind::Escaped,
        _ => return None,
    };
    Some(Link {
        range: whole.range(),
        text: whole.as_str(),
        kind,
    })
}

/// mdBook's reading of what follows the path's first `:`.
pub(crate) fn select(spec: Option<&str>) -> Select<'_> {
    let mut parts = spec.unwrap_or("").splitn(3, ':');
    let first = parts.next().unwrap_or("");
    let start = match first.parse::<usize>() {
        Ok(n) => Some(n.saturating_sub(1)),
        Err(_) if first.is_empty() => None,
        Err(_) => return Select::Anchor(first),
    };
    let end = parts.next().map(|s| s.parse::<usize>());
    let (start, end) = match (start, end) {
        (Some(s), Some(Ok(e))) => (s, Some(e)),
        (Some(s), Some(Err(_))) => (s, None),
        (Some(s), None) => (s, Some(s + 1)),
        (None, Some(Ok(e))) => (0, Some(e)),
        (None, _) => (0, None),
    };
    Select::Lines { start, end }
}

/// Text taken from a file, with where each of its lines starts in the file
/// (`(offset in the text, offset in the file)`), so a directive found in it
/// is reported at the writer's line.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Taken {
    pub text: String,
    pub map: Vec<(usize, usize)>,
}

impl Taken {
    fn line(&mut self, prefix: &str, at: usize, line: &str) {
        self.text.push_str(prefix);
        self.map.push((self.text.len(), at));
        self.text.push_str(line);
    }

    /// The file offset of `offset` in the text.
    fn file_offset(&self, offset: usize) -> usize {
        let i = self.map.partition_point(|&(o, _)| o <= offset);
        match i.checked_sub(1).and_then(|i| self.map.get(i)) {
            Some(&(o, f)) => f + (offset - o),
            None => 0,
        }
    }
}

/// `str::lines` with each line's offset.
fn lines_at(s: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut offset = 0;
    s.split_inclusive('\n').map(move |raw| {
        let at = offset;
        offset += raw.len();
        let line = match raw.strip_suffix('\n') {
            Some(line) => line.strip_suffix('\r').unwrap_or(line),
            None => raw,
        };
        (at, line)
    })
}

fn anchor_named(re: &Regex, line: &str, anchor: &str) -> bool {
    re.captures(line).is_some_and(|c| &c[1] == anchor)
}

/// What `{{#include}}` brings in: lines joined with `\n` (no final one).
pub(crate) fn take(s: &str, select: &Select<'_>) -> Taken {
    let mut out = Taken::default();
    let mut first = true;
    let mut push = |out: &mut Taken, at, line| {
        let sep = if first { "" } else { "\n" };
        first = false;
        out.line(sep, at, line);
    };
    match select {
        Select::Lines { start, end } => {
            let count = end.map_or(usize::MAX, |e| e.saturating_sub(*start));
            for (at, line) in lines_at(s).skip(*start).take(count) {
                push(&mut out, at, line);
            }
        }
        Select::Anchor(anchor) => {
            let mut inside = false;
            for (at, line) in lines_at(s) {
                if !inside {
                    inside = anchor_named(&ANCHOR_START, line, anchor);
                } else if let Some(c) = ANCHOR_END.captures(line) {
                    if &c[1] == *anchor {
                        break;
                    }
                } else if !ANCHOR_START.is_match(line) {
                    push(&mut out, at, line);
                }
            }
        }
    }
    out
}

/// What `{{#rustdoc_include}}` brings in: every line, those outside the
/// selection behind `# ` (hidden, still compiled).
pub(crate) fn take_rustdoc(s: &str, select: &Select<'_>) -> Taken {
    let mut out = Taken::default();
    match select {
        Select::Lines { start, end } => {
            for (i, (at, line)) in lines_at(s).enumerate() {
                let shown = i >= *start && end.is_none_or(|e| i < e);
                out.line(if shown { "" } else { "# " }, at, line);
                out.text.push('\n');
            }
        }
        Select::Anchor(anchor) => {
            let mut inside = false;
            for (at, line) in lines_at(s) {
                if inside {
                    match ANCHOR_END.captures(line) {
                        Some(c) => inside = &c[1] != *anchor,
                        None if !ANCHOR_START.is_match(line) => {
                            out.line("", at, line);
                            out.text.push('\n');
                        }
                        None => {}
                    }
                } else if ANCHOR_START.is_match(line) {
                    inside = anchor_named(&ANCHOR_START, line, anchor);
                } else if !ANCHOR_END.is_match(line) {
                    out.line("# ", at, line);
                    out.text.push('\n');
                }
            }
        }
    }
    out.text.pop();
    out
}

/// What `{{#playground}}` brings in: the whole file in a `rust` fence.
pub(crate) fn take_playground(s: &str, attrs: &[&str]) -> Taken {
    let mut out = Taken::default();
    let kind = if attrs.is_empty() { "rust" } else { "rust," };
    out.text = format!("```{kind}{}\n", attrs.join(","));
    out.map.push((out.text.len(), 0));
    out.text.push_str(s);
    if !s.ends_with('\n') {
        out.text.push('\n');
    }
    out.text.push_str("```\n");
    out
}

/// Reads an include's file: its real path and bytes, or why not.
pub(crate) trait Files {
    fn read(&mut self, path: &Path) -> Result<(PathBuf, Vec<u8>), Verdict>;
}

impl Files for &Reach {
    fn read(&mut self, path: &Path) -> Result<(PathBuf, Vec<u8>), Verdict> {
        self.read_judged(path)
    }
}

/// Counts shared by every chapter of a book.
#[derive(Debug, Default)]
pub(crate) struct BookBudget {
    pub bytes: usize,
    /// What the includes read, all of each file.
    pub read: usize,
}

/// One chapter expanded.
#[derive(Debug, Default)]
pub(crate) struct Expanded {
    pub content: String,
    /// Set by `{{#title}}`.
    pub title: Option<String>,
    /// The problems met: at the chapter's directive, or in the included
    /// file, with the chapter's directive that brings it in as related.
    pub found: Vec<Diagnostic>,
}

/// The text being scanned: the chapter, or a part of an included file.
struct Frame<'a> {
    /// Relative paths start here.
    base: PathBuf,
    /// The same folder as the book root names it (`src/parts`).
    dir: String,
    depth: usize,
    /// The included file (its name and text) and how the scanned text maps to it.
    file: Option<(&'a str, &'a str, &'a Taken)>,
    /// The chapter's directive that led here.
    top: Option<Range<usize>>,
    /// The text that included this one.
    parent: Option<&'a Frame<'a>>,
}

impl Frame<'_> {
    /// The files from the chapter down to this one.
    fn chain(&self, chapter: &str) -> Vec<String> {
        let mut names = Vec::new();
        let mut at = Some(self);
        while let Some(frame) = at {
            names.push(frame.file.map_or(chapter, |(name, _, _)| name).to_string());
            at = frame.parent;
        }
        names.reverse();
        names
    }
}

struct Expander<'r, F> {
    files: F,
    chapter: &'r str,
    /// The chapter directives whose chain already hit the depth limit.
    too_deep: HashSet<Range<usize>>,
    reach: &'r Reach,
    includes: usize,
    chapter_bytes: usize,
    chapter_read: usize,
    book: &'r mut BookBudget,
    exhausted: bool,
    title: Option<String>,
    found: Vec<Diagnostic>,
    /// Where a range of the chapter's text was written.
    locate: &'r dyn Fn(Range<usize>) -> Location,
}

/// Where a chapter is: its file and folder as the book root names them
/// (`src/a.md`, `src`), the folder on disk, and where a range of its text
/// was written (asked only for the directives that have a problem).
pub(crate) struct Place<'a> {
    pub file: &'a str,
    pub dir: &'a str,
    pub base: &'a Path,
    pub locate: &'a dyn Fn(Range<usize>) -> Location,
}

/// Expands one chapter.
pub(crate) fn expand<F: Files>(
    files: F,
    reach: &Reach,
    book: &mut BookBudget,
    text: &str,
    place: &Place<'_>,
) -> Expanded {
    let mut expander = Expander {
        files,
        chapter: place.file,
        too_deep: HashSet::new(),
        reach,
        includes: 0,
        chapter_bytes: 0,
        chapter_read: 0,
        book,
        exhausted: false,
        title: None,
        found: Vec::new(),
        locate: place.locate,
    };
    let frame = Frame {
        base: place.base.to_path_buf(),
        dir: place.dir.to_string(),
        depth: 0,
        file: None,
        top: None,
        parent: None,
    };
    let mut content = String::with_capacity(text.len());
    expander.replace_all(text, &frame, &mut content);
    if expander.exhausted {
        // The build fails; the checkers read the chapter as written, not
        // the budget's worth of text.
        content = text.to_string();
    }
    Expanded {
        content,
        title: expander.title,
        found: expander.found,
    }
}

/// `dir/path` as the book root names it.
fn joined(dir: &str, path: &str) -> String {
    if path.starts_with('/') {
        return path.to_string();
    }
    let joined = crate::model::paths::join(dir, path);
    crate::model::paths::normalize(&joined).unwrap_or(joined)
}

struct Rendered {
    taken: Taken,
    /// The included file's text and name, and the folder nested paths start from.
    file: Option<(String, String, PathBuf, String)>,
}

impl<F: Files> Expander<'_, F> {
    fn replace_all(&mut self, s: &str, frame: &Frame<'_>, out: &mut String) {
        let mut previous = 0;
        for link in links(s) {
            if self.exhausted {
                break;
            }
            out.push_str(&s[previous..link.range.start]);
            let Some(rendered) = self.render(&link, frame) else {
                // The directive stays as written, as mdBook leaves it.
                previous = link.range.start;
                continue;
            };
            previous = link.range.end;
            if frame.depth >= MAX_DEPTH {
                // One report per chapter directive: a fan-out hits the limit
                // on every branch, for one cause.
                let top = frame.top.clone().unwrap_or(link.range.clone());
                if self.too_deep.insert(top) {
                    let chain = frame.chain(self.chapter);
                    let shown: Vec<String> =
                        chain.iter().take(4).map(|n| format!("`{n}`")).collect();
                    self.report(
                        frame,
                        &link,
                        LINKS_INCLUDE_DEPTH,
                        format!(
                            "stack depth exceeded in `{}`: `{}` is nested {MAX_DEPTH} includes deep, so mdBook drops what it brings in",
                            self.chapter, link.text
                        ),
                        format!("check for cyclic includes: {} → …", shown.join(" → ")),
                    );
                }
                continue;
            }
            match rendered.file {
                Some((name, raw, base, dir)) => {
                    let nested = Frame {
                        base,
                        dir,
                        depth: frame.depth + 1,
                        file: Some((&name, &raw, &rendered.taken)),
                        top: Some(frame.top.clone().unwrap_or(link.range.clone())),
                        parent: Some(frame),
                    };
                    self.replace_all(&rendered.taken.text, &nested, out);
                }
                None => out.push_str(&rendered.taken.text),
            }
        }
        out.push_str(&s[previous..]);
    }

    fn report(
        &mut self,
        frame: &Frame<'_>,
        link: &Link<'_>,
        code: Code,
        message: String,
        hint: String,
    ) {
        self.push(frame, link, code, message, hint);
    }

    fn push(
        &mut self,
        frame: &Frame<'_>,
        link: &Link<'_>,
        code: Code,
        message: String,
        hint: String,
    ) {
        let chapter_at = (self.locate)(frame.top.clone().unwrap_or(link.range.clone()));
        let found = match frame.file {
            Some((name, raw, taken)) => {
                let start = taken.file_offset(link.range.start).min(raw.len());
                let end = (start + link.text.len()).min(raw.len());
                Diagnostic::raise(code, Location::in_text(name, raw, start..end), message)
                    .with_hint(hint)
                    .with_related(chapter_at, "the chapter brings it in here")
            }
            None => Diagnostic::raise(code, chapter_at, message).with_hint(hint),
        };
        self.found.push(found);
    }

    /// What one directive becomes; `None` leaves it as written.
    fn render(&mut self, link: &Link<'_>, frame: &Frame<'_>) -> Option<Rendered> {
        let plain = |text: &str| Rendered {
            taken: Taken {
                text: text.to_string(),
                map: Vec::new(),
            },
            file: None,
        };
        let path = match &link.kind {
            Kind::Escaped => return Some(plain(&link.text[1..])),
            Kind::Title(title) => {
                self.title = Some(title.to_string());
                return Some(plain(""));
            }
            Kind::Include { path, .. } => path,
            Kind::Playground { path, playpen, .. } => {
                if *playpen {
                    self.push(
                        frame,
                        link,
                        LINKS_PLAYPEN,
                        format!(
                            "`{}`: `{{{{#playpen}}}}` is the old name of `{{{{#playground}}}}`",
                            link.text
                        ),
                        "write `{{#playground …}}`; mdBook warns about the old name".into(),
                    );
                }
                path
            }
        };
        self.includes += 1;
        if self.includes > MAX_INCLUDES {
            return self.exhaust(frame, link, format!("more than {MAX_INCLUDES} includes"));
        }
        let target = frame.base.join(path);
        let name = joined(&frame.dir, path);
        let bytes = match self.files.read(&target) {
            Ok((_, bytes)) => bytes,
            Err(Verdict::Missing) => {
                let dir = if frame.dir.is_empty() {
                    "the book root"
                } else {
                    &frame.dir
                };
                self.report(
                    frame,
                    link,
                    LINKS_MISSING_INCLUDE,
                    format!("`{}`: `{name}` does not exist", link.text),
                    format!("the path is relative to `{dir}`; mdBook would only log this and publish the page without it"),
                );
                return None;
            }
            Err(Verdict::Refused(refusal)) => {
                let hint = match refusal {
                    Refusal::Outside(_) => format!(
                        "includes may read only files inside {}; the directive is left unexpanded",
                        self.reach.label()
                    ),
                    _ => {
                        "include a regular file of the repository; the directive is left unexpanded"
                            .into()
                    }
                };
                self.report(
                    frame,
                    link,
                    refusal.code(REACH_INCLUDE_OUTSIDE),
                    format!(
                        "`{}` reads `{path}`, which {}",
                        link.text,
                        self.reach.explain(&refusal)
                    ),
                    hint,
                );
                return None;
            }
            Err(Verdict::Readable(_)) => return None,
        };
        let raw = match String::from_utf8(bytes) {
            Ok(raw) => raw,
            Err(_) => {
                self.report(
                    frame,
                    link,
                    LINKS_MISSING_INCLUDE,
                    format!("`{}`: `{name}` cannot be read (it is not UTF-8)", link.text),
                    "mdBook would only log this and publish the page without it".into(),
                );
                return None;
            }
        };
        self.chapter_read += raw.len();
        self.book.read += raw.len();
        if self.chapter_read > MAX_CHAPTER_READ {
            return self.exhaust(
                frame,
                link,
                format!(
                    "more than {} MiB read by its includes",
                    MAX_CHAPTER_READ >> 20
                ),
            );
        }
        if self.book.read > MAX_BOOK_READ {
            return self.exhaust(
                frame,
                link,
                format!(
                    "more than {} MiB read by the whole book's includes",
                    MAX_BOOK_READ >> 20
                ),
            );
        }
        let taken = match &link.kind {
            Kind::Include {
                select, rustdoc, ..
            } => {
                if let Select::Anchor(anchor) = select
                    && !raw.lines().any(|l| anchor_named(&ANCHOR_START, l, anchor))
                {
                    let anchors: Vec<&str> = ANCHOR_START
                        .captures_iter(&raw)
                        .map(|c| c.get(1).map_or("", |m| m.as_str()))
                        .collect();
                    let hint = if anchors.is_empty() {
                        format!("`{name}` has no `ANCHOR:` lines")
                    } else {
                        format!("anchors in `{name}`: {}", anchors.join(", "))
                    };
                    self.report(
                        frame,
                        link,
                        LINKS_MISSING_INCLUDE_ANCHOR,
                        format!(
                            "`{}`: no `ANCHOR: {anchor}` in `{name}`, so nothing is included",
                            link.text
                        ),
                        hint,
                    );
                }
                if *rustdoc {
                    take_rustdoc(&raw, select)
                } else {
                    take(&raw, select)
                }
            }
            Kind::Playground { attrs, .. } => take_playground(&raw, attrs),
            _ => return None,
        };
        self.chapter_bytes += taken.text.len();
        self.book.bytes += taken.text.len();
        if self.chapter_bytes > MAX_CHAPTER_BYTES {
            return self.exhaust(
                frame,
                link,
                format!("more than {} MiB of included text", MAX_CHAPTER_BYTES >> 20),
            );
        }
        if self.book.bytes > MAX_BOOK_BYTES {
            return self.exhaust(
                frame,
                link,
                format!(
                    "more than {} MiB of included text in the whole book",
                    MAX_BOOK_BYTES >> 20
                ),
            );
        }
        let folder = joined(&frame.dir, path);
        let dir = folder.rsplit_once('/').map_or("", |(d, _)| d).to_string();
        let base = target.parent().unwrap_or(Path::new("/")).to_path_buf();
        Some(Rendered {
            taken,
            file: Some((name, raw, base, dir)),
        })
    }

    fn exhaust(&mut self, frame: &Frame<'_>, link: &Link<'_>, what: String) -> Option<Rendered> {
        self.exhausted = true;
        self.report(
            frame,
            link,
            LINKS_INCLUDE_BUDGET,
            format!("`{}` would bring the chapter to {what}, so expanding stops here", link.text),
            "an include that fans out (a file including itself several times) grows without end; include each file once".into(),
        );
        None
    }
}

/// The shell: expands every chapter of `book`, reports each problem at the
/// line the writer typed, and returns the titles `{{#title}}` set.
/// A chapter its includes bring over the Markdown budget (its own text is
/// judged before loading): reported at its first include, and the text past
/// the budget dropped, so no check parses it (the build fails).
fn over_budget_with_includes(
    book_root: &BookRoot,
    file: &str,
    content: &mut String,
    diagnostics: &mut Diagnostics,
) {
    let Some(over) = crate::model::markdown::over_budget_kept("expanded", file, content) else {
        return;
    };
    content.truncate(over.at());
    let source = book_root.read(file).unwrap_or_default();
    let first = source.find("{{#").unwrap_or(0);
    diagnostics.push(
        Diagnostic::raise(
            crate::model::reach::REACH_OVER_BUDGET,
            Location::in_text(file, &source, first..first + 3.min(source.len() - first)),
            format!(
                "with what it includes, the chapter holds {}; the text past them is not checked",
                over.what()
            ),
        )
        .with_hint(format!(
            "a chapter may hold at most {} with its includes: include less, or include the text in a fenced code block",
            over.limit()
        )),
    );
}

pub fn expand_book(
    book_root: &BookRoot,
    book: &mut Book,
    diagnostics: &mut Diagnostics,
) -> HashMap<PathBuf, String> {
    let reach = book_root.reach();
    let src_dir = book_root.src_dir();
    let src = book_root.root.join(&book_root.config.book.src);
    let mut budget = BookBudget::default();
    let mut titles = HashMap::new();
    let mut reported = HashSet::new();
    book.for_each_mut(|item| {
        let BookItem::Chapter(chapter) = item else {
            return;
        };
        let Some(path) = chapter.path.clone() else {
            return;
        };
        let folder = path.parent().unwrap_or(Path::new(""));
        let dir = joined(
            if src_dir == "." { "" } else { &src_dir },
            &folder.to_string_lossy().replace('\\', "/"),
        );
        let dir = dir.trim_end_matches('/').to_string();
        let file = book_root.chapter_path(chapter.source_path.as_deref().unwrap_or(&path));
        // The chapter file is read only when a directive has a problem.
        let source = OnceCell::new();
        let origin = OnceCell::new();
        let content = &chapter.content;
        let locate = |range: Range<usize>| {
            let origin = origin.get_or_init(|| {
                let source = source.get_or_init(|| book_root.read(&file).unwrap_or_default());
                Origin::new(&file, source, content)
            });
            locate_expanded(book_root, origin, range.clone(), &content[range])
        };
        let place = Place {
            file: &file,
            dir: &dir,
            base: &src.join(folder),
            locate: &locate,
        };
        let expanded = expand(reach, reach, &mut budget, content, &place);
        for diagnostic in expanded.found {
            if reported.insert(diagnostic.short()) {
                diagnostics.push(diagnostic);
            }
        }
        chapter.content = expanded.content;
        over_budget_with_includes(book_root, &file, &mut chapter.content, diagnostics);
        if let Some(title) = expanded.title
            && title != chapter.name
        {
            titles.insert(path, title);
        }
    });
    titles
}

/// mdBook's `index`: a chapter file named `README.md` (any case) becomes
/// the folder's `index.html`.
pub(crate) fn readme_to_index(book: &mut Book) {
    book.for_each_mut(|item| {
        if let BookItem::Chapter(chapter) = item
            && let Some(path) = &mut chapter.path
            && path
                .file_stem()
                .and_then(|s| s.to_str())
                .is_some_and(|s| s.eq_ignore_ascii_case("readme"))
        {
            path.set_file_name("index.md");
        }
    });
}

/// A chapter whose own file leads outside (a `SUMMARY.md` entry that is a
/// symlink to `/etc/passwd`) is emptied, so nothing of it reaches the site;
/// [`crate::checks::sources::check_sources`] reports the link.
pub(crate) fn empty_outside_chapters(book_root: &BookRoot, book: &mut Book) {
    let reach = book_root.reach();
    let src = book_root.root.join(&book_root.config.book.src);
    book.for_each_mut(|item| {
        if let BookItem::Chapter(chapter) = item
            && let Some(source) = &chapter.source_path
            && matches!(reach.judge(&src.join(source)), Verdict::Refused(_))
        {
            chapter.content.clear();
        }
    });
}

/// Under stock `mdbook` with its own `links` still on: each directive that
/// `links` would open a file for, reported (the build stops before it runs).
/// mdBook may have run `links` already (book.toml orders our passes after
/// it), so the chapter files as written are read too, not only the text
/// that reaches us.
pub fn unguarded_links(book_root: &BookRoot, book: &Book, diagnostics: &mut Diagnostics) {
    let report = |at: Location, text: &str| {
        Diagnostic::raise(
            REACH_MDBOOK_LINKS,
            at,
            format!("`{text}` would be expanded by mdBook's own `links` preprocessor, which opens files unjudged"),
        )
        .with_hint("set `use-default-preprocessors = false` under `[build]` and add `[preprocessor.include]` with `command = \"preprocessors/mdbook-command include\"` (see the guide's book.toml)")
    };
    for item in book.iter() {
        let BookItem::Chapter(chapter) = item else {
            continue;
        };
        let Some(path) = &chapter.path else {
            continue;
        };
        let file = book_root.chapter_path(chapter.source_path.as_deref().unwrap_or(path));
        let source = book_root.read(&file).unwrap_or_default();
        let origin = Origin::new(&file, &source, &chapter.content);
        let mut seen = HashSet::new();
        for link in links(&chapter.content) {
            if link.path().is_none() {
                continue;
            }
            let at = locate_expanded(book_root, &origin, link.range.clone(), link.text);
            seen.insert((at.path.clone(), at.line, at.column));
            diagnostics.push(report(at, link.text));
        }
        for link in links(&source) {
            if link.path().is_none() {
                continue;
            }
            let at = Location::in_text(&file, &source, link.range.clone());
            if seen.insert((at.path.clone(), at.line, at.column)) {
                diagnostics.push(report(at, link.text));
            }
        }
    }
}

/// Where the writer typed a directive: in the chapter, or in the procedure
/// or template a directive of ours expanded.
fn locate_expanded(
    book_root: &BookRoot,
    origin: &Origin<'_>,
    range: Range<usize>,
    directive: &str,
) -> Location {
    let at = origin.locate(range);
    if at.line_text.contains(directive) {
        return at;
    }
    for folder in expansion_folders(book_root) {
        let Ok(entries) = std::fs::read_dir(book_root.root.join(&folder)) else {
            continue;
        };
        let mut names: Vec<_> = entries
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        for name in names {
            let rel = format!("{folder}/{name}");
            let Ok(text) = book_root.read(&rel) else {
                continue;
            };
            if let Some(i) = text.find(directive) {
                return Location::in_text(&rel, &text, i..i + directive.len());
            }
        }
    }
    at
}

/// The folders our directives copy text from into chapters.
fn expansion_folders(book_root: &BookRoot) -> [String; 2] {
    let src = book_root.src_dir();
    let procedures = if src.is_empty() || src == "." {
        "procedures".to_string()
    } else {
        format!("{src}/procedures")
    };
    [procedures, "templates".to_string()]
}

/// Whether mdBook's own `links` runs on this book (its defaults are on, or
/// book.toml names it).
pub(crate) fn mdbook_links_on(book_root: &BookRoot) -> bool {
    book_root.config.build.use_default_preprocessors
        || crate::model::config::raw(&book_root.config, "links").is_some()
}

#[cfg(test)]
mod tests;
