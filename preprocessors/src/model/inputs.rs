//! The book's inputs besides its chapters, read by the loader before any
//! rule runs: the policy manifest and files, the templates, the 404 page,
//! and the Markdown files under the sources that are not chapters (the
//! procedures chapters include). The rules then see a sealed root ([`BookRoot::sealed`]): every
//! file they ask for was read here or by mdBook's loader and the passes,
//! so no rule opens a file (every test run holds them to it).

use crate::model::book_root::BookRoot;
use mdbook_preprocessor::book::Book;
use std::collections::BTreeSet;

/// The folder of the IAM policy documents, beside `src/`.
pub(crate) const POLICIES_DIR: &str = "policies";
/// The manifest saying how each policy is attached.
pub(crate) const MANIFEST_FILE: &str = "policies.toml";
/// The folder of the task definition and CloudFormation templates.
pub(crate) const TEMPLATES_DIR: &str = "templates";

/// Reads every input a rule may ask for that the passes have not, through
/// the root's one read primitive (each file once per run; a file that
/// cannot be read keeps its reason for the rule that reports it). Paths the
/// root refuses (outside it) are not read.
pub(crate) fn read(root: &BookRoot, book: &Book) {
    let chapters: BTreeSet<String> = book
        .chapters()
        .filter_map(|c| c.source_path.as_deref().map(|p| root.chapter_path(p)))
        .collect();
    let mut wanted = vec![MANIFEST_FILE.to_string(), page_404(root)];
    wanted.extend(files_in(root, POLICIES_DIR));
    wanted.extend(files_in(root, TEMPLATES_DIR));
    wanted.extend(
        files_in(root, &root.src_dir())
            .into_iter()
            .filter(|rel| rel.ends_with(".md") && !chapters.contains(rel)),
    );
    for rel in wanted {
        if let Ok(path) = root.resolve(&rel) {
            let _ = root.text(&path);
        }
    }
}

/// The 404 page's source, relative to the root (`src/404.md` unless
/// `output.html.input-404` says otherwise).
pub(crate) fn page_404(root: &BookRoot) -> String {
    let name = root
        .config
        .html_config()
        .and_then(|html| html.input_404)
        .unwrap_or_else(|| "404.md".into());
    let src = root.src_dir();
    if src.is_empty() || src == "." {
        name
    } else {
        format!("{src}/{name}")
    }
}

/// The files of a folder of the root and of its subfolders, relative to
/// the root. A symlink is read only when the root lets it lead
/// where it does (inside the root), and a link to a folder or a FIFO is
/// refused without being opened, as a rule asking for it would be.
fn files_in(root: &BookRoot, dir: &str) -> Vec<String> {
    let walk = walkdir::WalkDir::new(root.root.join(dir))
        .min_depth(1)
        .sort_by_file_name();
    walk.into_iter()
        .flatten()
        .filter(|entry| !entry.file_type().is_dir())
        .filter_map(|entry| {
            let rel = entry.path().strip_prefix(&root.root).ok()?;
            Some(crate::model::book_root::slashed(rel))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::book_root::temp_book;
    use mdbook_preprocessor::book::{BookItem, Chapter};

    #[test]
    fn the_inputs_rules_read_are_read_and_chapters_and_outside_files_are_not() {
        let (dir, root) = temp_book(&[
            ("src/SUMMARY.md", "- [A](a.md)\n"),
            ("src/a.md", "# A\n"),
            ("src/procedures/step.md", "1. Step\n"),
            ("src/404.md", "# Gone\n"),
            ("src/picture.svg", "<svg/>"),
            ("policies.toml", "[policies]\n"),
            ("policies/one.json", "{}"),
            ("policies/nested/two.json", "{}"),
            ("templates/stack.json", "{}"),
            ("templates/nested/part.json", "{}"),
        ]);
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.json"), "{}").unwrap();
        std::os::unix::fs::symlink(
            outside.path().join("secret.json"),
            dir.path().join("policies/leak.json"),
        )
        .unwrap();
        let mut book = Book::new();
        book.push_item(BookItem::Chapter(Chapter::new(
            "A",
            "# A\n".into(),
            "a.md",
            vec![],
        )));
        read(&root, &book);
        let read_here = |rel: &str| root.already_read(&dir.path().join(rel)).is_some();
        for rel in [
            "policies.toml",
            "policies/one.json",
            "policies/nested/two.json",
            "templates/stack.json",
            "templates/nested/part.json",
            "src/404.md",
            "src/procedures/step.md",
        ] {
            assert!(read_here(rel), "{rel} not read");
        }
        // A chapter is mdBook's to read; a link out of the book is refused
        // unread; other sources are no input.
        for rel in ["src/a.md", "policies/leak.json", "src/picture.svg"] {
            assert!(!read_here(rel), "{rel} read");
        }
        assert!(
            root.already_read(&outside.path().join("secret.json"))
                .is_none()
        );
    }

    #[test]
    #[cfg(debug_assertions)]
    #[should_panic(expected = "a rule opened")]
    fn a_rule_asking_the_sealed_root_for_an_unread_file_is_a_fault_of_the_loader() {
        let (_dir, root) = temp_book(&[("templates/late.json", "{}")]);
        let _ = root.sealed().read("templates/late.json");
    }
}
