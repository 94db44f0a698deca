//! mdBook's `Book` built from `SUMMARY.md` and the chapter texts the run has
//! already read, so no chapter is opened a second time by mdBook's loader.
//! It builds what `mdbook_driver`'s loader builds (0.5.4, `load.rs`): the
//! same items, names, numbers, parents and contents (a leading byte-order
//! mark dropped). Whatever that loader would do differently (an outline that
//! does not parse, a chapter that cannot be read, `create-missing` creating
//! one) is left to it: the caller then runs it, and its answer stands.

use mdbook_preprocessor::book::{Book, BookItem, Chapter};
use mdbook_summary::{Link, SummaryItem};
use std::path::Path;
use std::sync::Arc;

/// The book `summary` outlines, each chapter's text from `text_of` (given
/// the chapter's path relative to the sources), or `None` when mdBook's own
/// loader must answer.
pub fn book(summary: &str, text_of: impl Fn(&Path) -> Option<Arc<str>>) -> Option<Book> {
    let summary = mdbook_summary::parse_summary(summary).ok()?;
    let items = summary
        .prefix_chapters
        .iter()
        .chain(&summary.numbered_chapters)
        .chain(&summary.suffix_chapters)
        .map(|item| item_of(item, &text_of, Vec::new()))
        .collect::<Option<Vec<_>>>()?;
    Some(Book::new_with_items(items))
}

fn item_of(
    item: &SummaryItem,
    text_of: &impl Fn(&Path) -> Option<Arc<str>>,
    parents: Vec<String>,
) -> Option<BookItem> {
    match item {
        SummaryItem::Separator => Some(BookItem::Separator),
        SummaryItem::PartTitle(title) => Some(BookItem::PartTitle(title.clone())),
        SummaryItem::Link(link) => chapter_of(link, text_of, parents).map(BookItem::Chapter),
        // A kind of item a later mdBook adds: its own loader knows it.
        #[allow(unreachable_patterns)]
        _ => None,
    }
}

fn chapter_of(
    link: &Link,
    text_of: &impl Fn(&Path) -> Option<Arc<str>>,
    parents: Vec<String>,
) -> Option<Chapter> {
    let mut chapter = match &link.location {
        // mdBook joins an absolute location as it is; the source checks
        // refuse one before this runs, and its loader decides otherwise.
        Some(location) if location.is_absolute() => return None,
        Some(location) => {
            let text = text_of(location)?;
            let content = text.strip_prefix('\u{feff}').unwrap_or(&text).to_string();
            Chapter::new(&link.name, content, location, parents.clone())
        }
        None => Chapter::new_draft(&link.name, parents.clone()),
    };
    chapter.number = link.number.clone();
    let mut below = parents;
    below.push(link.name.clone());
    chapter.sub_items = link
        .nested_items
        .iter()
        .map(|item| item_of(item, text_of, below.clone()))
        .collect::<Option<Vec<_>>>()?;
    Some(chapter)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    /// mdBook's own loader on the same files, for comparison.
    fn mdbook_loaded(dir: &Path) -> Book {
        let config = mdbook_driver::config::Config::default();
        let mut config = config;
        config.build.create_missing = false;
        mdbook_driver::MDBook::load_with_config(dir, config)
            .unwrap()
            .book
    }

    fn write(dir: &Path, files: &[(&str, &str)]) {
        for (name, text) in files {
            let path = dir.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
    }

    fn texts(dir: &Path) -> HashMap<std::path::PathBuf, Arc<str>> {
        walkdir::WalkDir::new(dir.join("src"))
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e
                    .path()
                    .strip_prefix(dir.join("src"))
                    .unwrap()
                    .to_path_buf();
                let text = std::fs::read_to_string(e.path()).unwrap();
                (rel, Arc::from(text))
            })
            .collect()
    }

    #[test]
    fn the_same_book_as_mdbooks_loader() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            &[
                (
                    "src/SUMMARY.md",
                    "# Summary\n\n[Intro](intro.md)\n\n---\n\n# Part one\n\n- [Setup](setup.md)\n  - [Deep](a/deep%20one.md)\n  - [Later]()\n- [Run](run.md)\n\n---\n\n[End](end.md)\n",
                ),
                ("src/intro.md", "\u{feff}# Intro\n"),
                ("src/setup.md", "# Setup\r\n\r\ntext\r\n"),
                ("src/a/deep one.md", "# Deep\n"),
                ("src/run.md", "# Run\n"),
                ("src/end.md", "# End\n"),
            ],
        );
        let all = texts(dir.path());
        let summary = std::fs::read_to_string(dir.path().join("src/SUMMARY.md")).unwrap();
        let ours = book(&summary, |p| all.get(p).cloned()).unwrap();
        assert_eq!(ours, mdbook_loaded(dir.path()));
    }

    #[test]
    fn what_only_mdbooks_loader_can_answer_is_left_to_it() {
        let present = |p: &Path| (p == Path::new("a.md")).then(|| Arc::from("# A\n"));
        assert!(book("- [A](a.md)\n", present).is_some());
        assert!(
            book("- [A](a.md)\n- [B](b.md)\n", present).is_none(),
            "unread"
        );
        assert!(book("- [A](/abs/a.md)\n", present).is_none(), "absolute");
        assert!(
            book("- [A](a.md)\n\n[Suffix](a.md)\n\n- [B](a.md)\n", present).is_none(),
            "invalid outline"
        );
    }
}
