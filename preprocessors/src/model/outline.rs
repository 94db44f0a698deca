//! mdBook's `Book` built from `SUMMARY.md` and the chapter texts the run has
//! already read, so no chapter is opened a second time by mdBook's loader.
//! It builds what `mdbook_driver`'s loader builds (0.5.4, `load.rs`): the
//! same items, names, numbers, parents and contents (a leading byte-order
//! mark dropped), and for a missing chapter under `create-missing` the text
//! that loader would write and read back, without writing it. Whatever that
//! loader would do differently (an outline that does not parse, a chapter
//! that cannot be read) is left to it: the caller then runs it, and its
//! answer stands.

use mdbook_preprocessor::book::{Book, BookItem, Chapter};
use mdbook_summary::{Link, SummaryItem};
use std::path::Path;
use std::sync::Arc;

/// What the run knows of a chapter's file.
pub(crate) enum Source {
    /// Its text, read (after judging the path).
    Text(Arc<str>),
    /// No file there: with `create-missing`, mdBook would write one holding
    /// the chapter's title, and read that.
    Missing,
    /// Not read: mdBook's loader must answer.
    Unknown,
}

/// The book `summary` outlines, each chapter's file as `source_of` (given
/// the chapter's path relative to the sources) knows it, or `None` when
/// mdBook's own loader must answer.
pub(crate) fn book(
    summary: &str,
    source_of: impl Fn(&Path) -> Source,
    create_missing: bool,
) -> Option<Book> {
    let summary = mdbook_summary::parse_summary(summary).ok()?;
    let loader = Loader {
        source_of: &source_of,
        create_missing,
    };
    let items = summary
        .prefix_chapters
        .iter()
        .chain(&summary.numbered_chapters)
        .chain(&summary.suffix_chapters)
        .map(|item| loader.item(item, Vec::new()))
        .collect::<Option<Vec<_>>>()?;
    Some(Book::new_with_items(items))
}

struct Loader<'a> {
    source_of: &'a dyn Fn(&Path) -> Source,
    create_missing: bool,
}

impl Loader<'_> {
    fn item(&self, item: &SummaryItem, parents: Vec<String>) -> Option<BookItem> {
        match item {
            SummaryItem::Separator => Some(BookItem::Separator),
            SummaryItem::PartTitle(title) => Some(BookItem::PartTitle(title.clone())),
            SummaryItem::Link(link) => self.chapter(link, parents).map(BookItem::Chapter),
            // A kind of item a later mdBook adds: its own loader knows it.
            #[allow(unreachable_patterns)]
            _ => None,
        }
    }

    fn chapter(&self, link: &Link, parents: Vec<String>) -> Option<Chapter> {
        let mut chapter = match &link.location {
            // mdBook joins an absolute location as it is; the source checks
            // refuse one before this runs, and its loader decides otherwise.
            Some(location) if location.is_absolute() => return None,
            Some(location) => {
                let content = match (self.source_of)(location) {
                    Source::Text(text) => {
                        text.strip_prefix('\u{feff}').unwrap_or(&text).to_string()
                    }
                    Source::Missing if self.create_missing => created(&link.name),
                    Source::Missing | Source::Unknown => return None,
                };
                // As mdBook's loader names it: joined to the sources, then
                // taken off them again, which drops `./` and doubled slashes.
                let base = Path::new("src");
                let joined = base.join(location);
                let path = joined.strip_prefix(base).unwrap_or(location);
                Chapter::new(&link.name, content, path, parents.clone())
            }
            None => Chapter::new_draft(&link.name, parents.clone()),
        };
        chapter.number = link.number.clone();
        let mut below = parents;
        below.push(link.name.clone());
        chapter.sub_items = link
            .nested_items
            .iter()
            .map(|item| self.item(item, below.clone()))
            .collect::<Option<Vec<_>>>()?;
        Some(chapter)
    }
}

/// What `create-missing` writes for a chapter: its title as a heading,
/// escaped for HTML as mdBook escapes it.
fn created(name: &str) -> String {
    let title = name
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    format!("# {title}\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// mdBook's own loader on the same files, for comparison.
    fn mdbook_loaded(dir: &Path, create_missing: bool) -> Book {
        let mut config = mdbook_driver::config::Config::default();
        config.build.create_missing = create_missing;
        mdbook_driver::MDBook::load_with_config(dir, config)
            .unwrap()
            .book
    }

    /// What the run knows of the files under `src`, read from the disk.
    fn from_disk(src: &Path) -> impl Fn(&Path) -> Source + '_ {
        move |p: &Path| match std::fs::read_to_string(src.join(p)) {
            Ok(text) => Source::Text(Arc::from(text)),
            Err(_) if !src.join(p).exists() => Source::Missing,
            Err(_) => Source::Unknown,
        }
    }

    fn write(dir: &Path, files: &[(&str, &str)]) {
        for (name, text) in files {
            let path = dir.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
    }

    #[test]
    fn the_same_book_as_mdbooks_loader() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            &[
                (
                    "src/SUMMARY.md",
                    "# Summary\n\n[Intro](./intro.md)\n\n---\n\n# Part one\n\n- [Setup](setup.md)\n  - [Deep](a/deep%20one.md)\n  - [Later]()\n- [Run](././run.md)\n  - [Sub](a//sub.md)\n\n---\n\n[End](end.md)\n",
                ),
                ("src/intro.md", "\u{feff}# Intro\n"),
                ("src/setup.md", "# Setup\r\n\r\ntext\r\n"),
                ("src/a/deep one.md", "# Deep\n"),
                ("src/run.md", "# Run\n"),
                ("src/a/sub.md", "# Sub\n"),
                ("src/end.md", "# End\n"),
            ],
        );
        let src = dir.path().join("src");
        let summary = std::fs::read_to_string(src.join("SUMMARY.md")).unwrap();
        let ours = book(&summary, from_disk(&src), false).unwrap();
        assert_eq!(ours, mdbook_loaded(dir.path(), false));
    }

    /// A missing chapter under `create-missing`: the text mdBook writes, and
    /// nothing written here.
    #[test]
    fn a_missing_chapter_holds_what_create_missing_would_write() {
        let dir = tempfile::tempdir().unwrap();
        let summary = "- [A](a.md)\n- [Tom & <Jerry>](sub/new.md)\n";
        write(
            dir.path(),
            &[("src/SUMMARY.md", summary), ("src/a.md", "# A\n")],
        );
        let src = dir.path().join("src");
        let ours = book(summary, from_disk(&src), true).unwrap();
        assert!(!src.join("sub").exists());
        assert!(book(summary, from_disk(&src), false).is_none());
        assert_eq!(ours, mdbook_loaded(dir.path(), true));
        assert!(src.join("sub/new.md").exists(), "mdBook's loader wrote it");
    }

    #[test]
    fn what_only_mdbooks_loader_can_answer_is_left_to_it() {
        let present = |p: &Path| match p == Path::new("a.md") {
            true => Source::Text(Arc::from("# A\n")),
            false => Source::Unknown,
        };
        assert!(book("- [A](a.md)\n", present, true).is_some());
        assert!(
            book("- [A](a.md)\n- [B](b.md)\n", present, true).is_none(),
            "unread"
        );
        assert!(
            book("- [A](/abs/a.md)\n", present, true).is_none(),
            "absolute"
        );
        assert!(
            book(
                "- [A](a.md)\n\n[Suffix](a.md)\n\n- [B](a.md)\n",
                present,
                true
            )
            .is_none(),
            "invalid outline"
        );
    }
}
