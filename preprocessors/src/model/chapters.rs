//! The book as every validator reads it, built once per check: each chapter
//! with its writer's source (read once), what the validators read of it
//! (parsed once, with the options mdBook renders it with) and its line map
//! back to the source (computed once, when first needed). Chapters are read
//! and parsed on every core.

use crate::model::book_root::{BookRoot, slashed};
use crate::model::by_root::ByRoot;
use crate::model::code_blocks::{self, Block};
use crate::model::markdown;
use crate::model::ordered_lists;
use crate::model::origin::{LineMap, Origin, Source};
use crate::model::page::{self, Page};
use mdbook_markdown::MarkdownOptions;
use mdbook_preprocessor::book::{Book, BookItem, Chapter};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// The chapter's source file; its current content when the file cannot
/// be read (a chapter made by a preprocessor), named after the chapter
/// when it has no file at all.
pub(crate) fn source_of(book_root: &BookRoot, chapter: &Chapter) -> Source {
    source(book_root, chapter).0
}

/// [`source_of`], and whether the text was read from the chapter's file.
pub(crate) fn source(book_root: &BookRoot, chapter: &Chapter) -> (Source, bool) {
    match chapter.source_path.as_ref().or(chapter.path.as_ref()) {
        Some(p) => {
            let path = book_root.chapter_path(p);
            if let Some(text) = book_root.loaded(&path) {
                let text = text.to_string();
                return (Source { path, text }, true);
            }
            match book_root.read(&path) {
                Ok(text) => (Source { path, text }, true),
                Err(_) => {
                    let text = chapter.content.clone();
                    (Source { path, text }, false)
                }
            }
        }
        None => {
            let source = Source {
                path: chapter.name.clone(),
                text: chapter.content.clone(),
            };
            (source, false)
        }
    }
}

/// One chapter that becomes a page (it has a path; drafts do not).
pub struct ChapterModel<'b> {
    pub chapter: &'b Chapter,
    /// The page's path relative to `src/`, with `/` separators.
    pub path: String,
    /// The writer's text, located in the repository.
    pub source: Source,
    /// What the validators read of the processed content (what readers
    /// get), taken from one parse whose events are then dropped: a large
    /// book never holds every chapter's events at once. Shared with the
    /// reads `serve` keeps, so a chapter that did not change costs no copy.
    pub page: Arc<Page>,
    pub steps: Arc<ordered_lists::Document>,
    pub blocks: Arc<Vec<Block>>,
    /// Computed when a validator first locates something in the chapter.
    line_map: OnceLock<LineMap>,
}

impl ChapterModel<'_> {
    /// Where ranges of the processed content come from in the source.
    pub(crate) fn origin(&self) -> Origin<'_> {
        Origin::with_map(
            &self.source.path,
            &self.source.text,
            &self.chapter.content,
            self.line_map
                .get_or_init(|| LineMap::new(&self.source.text, &self.chapter.content)),
        )
    }

    /// The processed content readers get.
    pub(crate) fn content(&self) -> &str {
        &self.chapter.content
    }
}

/// What the validators read of one chapter's processed content.
#[derive(Clone)]
struct Read {
    page: Arc<Page>,
    steps: Arc<ordered_lists::Document>,
    blocks: Arc<Vec<Block>>,
}

impl Read {
    fn of(content: &str, markdown: &MarkdownOptions) -> Read {
        let parsed = markdown::parse(content, markdown);
        Read {
            page: Arc::new(page::from_parsed(content, &parsed)),
            steps: Arc::new(ordered_lists::from_events(content, &parsed.events)),
            blocks: Arc::new(code_blocks::fenced_in(&parsed.events)),
        }
    }
}

/// Under `serve`, what each page's processed content read as in the last
/// build, by book root and page: a rebuild parses again only the chapters
/// whose processed content changed. Off unless [`keep_reads`] turned it on.
static KEPT: ByRoot<Kept> = ByRoot::new();

/// Keeps each chapter's read from one model to the next (for `serve`).
pub fn keep_reads() {
    KEPT.keep();
}

#[derive(Default)]
struct Kept {
    /// The parser's options the reads were made with.
    options: u32,
    /// Page path: the processed content read, and what it read as.
    reads: HashMap<String, (String, Read)>,
}

impl Kept {
    /// The reads kept of the book at `root`, when kept at all (emptied if
    /// the options changed); [`Kept::put_back`] returns them. Two models of
    /// one book built at once each find what the other left, or nothing.
    fn take(root: &Path, markdown: &MarkdownOptions) -> Option<Kept> {
        if !KEPT.kept() {
            return None;
        }
        let mut kept = KEPT.take(root).unwrap_or_default();
        let options = markdown::cmark_options(markdown).bits();
        if kept.options != options {
            kept = Kept {
                options,
                reads: HashMap::new(),
            };
        }
        Some(kept)
    }

    fn put_back(self, root: &Path) {
        KEPT.put(root, self);
    }
}

pub struct BookModel<'b> {
    /// Every chapter with a path, in book order.
    pub chapters: Vec<ChapterModel<'b>>,
    /// The names of draft chapters (no file yet).
    pub drafts: Vec<String>,
    /// The options the chapters were parsed with.
    pub markdown: MarkdownOptions,
}

impl<'b> BookModel<'b> {
    /// Under `serve`, whether the files edited since the last build are
    /// known and are all this book's chapters: then what a chapter's
    /// findings depend on beyond the book's chapters is as it was.
    pub(crate) fn only_chapters_edited(&self, book_root: &BookRoot) -> bool {
        let Some(edited) = book_root.edited.as_deref() else {
            return false;
        };
        let src = book_root.root.join(&book_root.config.book.src);
        let sources: std::collections::HashSet<PathBuf> = self
            .chapters
            .iter()
            .filter_map(|ch| ch.chapter.source_path.as_deref())
            .map(|s| src.join(s))
            .collect();
        edited.iter().all(|p| sources.contains(p))
    }

    pub fn build(book_root: &BookRoot, book: &'b Book) -> Self {
        let markdown = markdown::book_options(&book_root.config);
        let mut pages: Vec<&Chapter> = Vec::new();
        let mut drafts = Vec::new();
        for item in book.iter() {
            if let BookItem::Chapter(chapter) = item {
                if chapter.path.is_some() {
                    pages.push(chapter);
                } else {
                    drafts.push(chapter.name.clone());
                }
            }
        }
        let kept = Kept::take(&book_root.root, &markdown);
        let chapters = crate::model::parallel::map(&pages, |_, &chapter| {
            let source = source_of(book_root, chapter);
            let path = chapter.path.as_deref().map(slashed).unwrap_or_default();
            let read = match kept.as_ref().and_then(|k| k.reads.get(&path)) {
                Some((content, read)) if *content == chapter.content => read.clone(),
                _ => Read::of(&chapter.content, &markdown),
            };
            ChapterModel {
                chapter,
                path,
                source,
                page: read.page,
                steps: read.steps,
                blocks: read.blocks,
                line_map: OnceLock::new(),
            }
        });
        if let Some(mut kept) = kept {
            // This book's chapters alone: the cache never outgrows the book.
            let mut old = std::mem::take(&mut kept.reads);
            for ch in &chapters {
                let entry = match old.remove(&ch.path) {
                    Some(entry) if entry.0 == ch.chapter.content => entry,
                    _ => {
                        let read = Read {
                            page: ch.page.clone(),
                            steps: ch.steps.clone(),
                            blocks: ch.blocks.clone(),
                        };
                        (ch.chapter.content.clone(), read)
                    }
                };
                kept.reads.insert(ch.path.clone(), entry);
            }
            kept.put_back(&book_root.root);
        }
        BookModel {
            chapters,
            drafts,
            markdown,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn chapters_are_read_parsed_and_mapped_once_drafts_listed() {
        let (_dir, root) = crate::model::book_root::temp_book(&[(
            "src/a.md",
            "# A\n\n{{#value task.cpu}} and [b](b.md)\n",
        )]);
        let mut book = Book::new();
        let mut a = Chapter::new(
            "A",
            "# A\n\n0.5 vCPU and [b](b.md)\n".into(),
            "a.md",
            Vec::new(),
        );
        a.source_path = Some(PathBuf::from("a.md"));
        book.push_item(BookItem::Chapter(a));
        book.push_item(BookItem::Chapter(Chapter::new_draft("Later", Vec::new())));
        let model = BookModel::build(&root, &book);
        assert_eq!(model.drafts, ["Later"]);
        let [a] = &model.chapters[..] else {
            panic!("one page")
        };
        assert_eq!(a.path.as_str(), "a.md");
        assert!(source(&root, a.chapter).1, "read from its file");
        assert_eq!(a.source.path, "src/a.md");
        let at = a.content().find("[b]").unwrap();
        assert_eq!(a.origin().locate(at..at + 3).short(), "src/a.md:3:25");
        assert_eq!(a.page.links.len(), 1);
        assert!(a.steps.lists.is_empty() && a.blocks.is_empty());
    }

    #[test]
    fn kept_reads_follow_the_content() {
        keep_reads();
        let (_dir, root) = crate::model::book_root::temp_book(&[("src/a.md", "# A\n")]);
        let book_of = |content: &str| {
            let mut book = Book::new();
            book.push_item(BookItem::Chapter(Chapter::new(
                "A",
                content.into(),
                "a.md",
                Vec::new(),
            )));
            book
        };
        let links = |book: &Book| {
            let model = BookModel::build(&root, book);
            let dests: Vec<String> = model.chapters[0]
                .page
                .links
                .iter()
                .map(|l| l.dest.clone())
                .collect();
            dests
        };
        let one = book_of("# A\n\n[b](b.md)\n");
        assert_eq!(links(&one), ["b.md"]);
        assert_eq!(links(&one), ["b.md"]);
        assert_eq!(links(&book_of("# A\n\n[c](c.md)\n")), ["c.md"]);
        assert_eq!(links(&one), ["b.md"]);
    }
}
