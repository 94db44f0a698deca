//! Under `serve`, what each per-text rule found in each chapter, from one
//! check to the next: a chapter is checked again only when its source or
//! its processed content changed. What a chapter's findings depend on
//! beyond its own text (the procedure files, the templates and their
//! values, the release facts, `book.toml`) changes only through a file that
//! is not a chapter: an edit to one, or edits not known, check every
//! chapter again. Duplicates are found across the whole book every time,
//! from the kept step lists.

use super::Text;
use crate::diagnostics::Diagnostics;
use crate::model::book_root::BookRoot;
use crate::model::by_root::ByRoot;
use crate::model::chapters::BookModel;
use crate::model::ordered_lists::Document;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

/// An ordered list of three or more steps, wherever it is: what the
/// duplicates rule keeps of each chapter.
#[derive(Clone)]
pub(super) struct Entry {
    pub text: usize,
    pub list: usize,
    /// The procedure it came from, if it came from one.
    pub procedure: Option<String>,
    /// (group, variant) when written inside an `{{#arch}}` block.
    pub arch: Option<(usize, String)>,
}

/// What one rule keeps of each book, by root (each rule its own, as the
/// rules run side by side).
pub(super) struct Store<T>(ByRoot<Book<T>>);

pub(super) static NUMBERING: Store<Diagnostics> = Store::new();
pub(super) static MISSING_STEP: Store<Diagnostics> = Store::new();
pub(super) static VALUE_MISMATCH: Store<Diagnostics> = Store::new();
/// The lists of three steps or more, for the duplicates.
pub(super) static LISTS: Store<Vec<Entry>> = Store::new();

/// What the last check found in each chapter, by source path.
struct Book<T> {
    chapters: HashMap<String, Chapter<T>>,
    /// The chapters checked again, `None` when every chapter was.
    rechecked: Option<Vec<String>>,
}

impl<T> Default for Book<T> {
    fn default() -> Self {
        Book {
            chapters: HashMap::new(),
            rechecked: None,
        }
    }
}

struct Chapter<T> {
    source: Box<str>,
    /// The chapter's step lists as the model read them: the model hands
    /// out the same lists again only for the same processed content.
    steps: Arc<Document>,
    found: T,
}

/// Keeps each chapter's procedure findings from one check to the next
/// (for `serve`).
pub fn keep_findings() {
    NUMBERING.0.keep();
    MISSING_STEP.0.keep();
    VALUE_MISMATCH.0.keep();
    LISTS.0.keep();
}

/// The chapters (by source path) the last check of the book at `root`
/// checked again, `None` when it checked them all or none was kept (every
/// store checks the same chapters again).
pub fn last_rechecked(root: &Path) -> Option<Vec<String>> {
    LISTS.0.read(root, |book| book.rechecked.clone()).flatten()
}

impl<T: Clone + Send + Sync> Store<T> {
    const fn new() -> Self {
        Store(ByRoot::new())
    }

    /// `check` of each text, on every core, in text order; a chapter whose
    /// source and content are as at the last check gets what it found then.
    pub(super) fn per_text(
        &self,
        book_root: &BookRoot,
        model: &BookModel<'_>,
        texts: &[Text<'_>],
        check: impl Fn(usize, &Text<'_>) -> T + Sync,
    ) -> Vec<T> {
        let kept = self.take(book_root, model);
        let checked = crate::model::parallel::map(texts, |t, text| match kept.get(text) {
            Some(found) => (found.clone(), true),
            None => (check(t, text), false),
        });
        self.put_back(kept, book_root, texts, &checked);
        checked.into_iter().map(|(found, _)| found).collect()
    }

    /// The findings a check may reuse: taken from the store when kept, and
    /// none unless only chapters were edited since.
    fn take(&self, book_root: &BookRoot, model: &BookModel<'_>) -> Kept<T> {
        if !self.0.kept() {
            return Kept {
                kept: false,
                chapters: HashMap::new(),
            };
        }
        let last = self.0.take(&book_root.root).unwrap_or_default();
        let chapters = if model.only_chapters_edited(book_root) {
            last.chapters
        } else {
            HashMap::new()
        };
        Kept {
            kept: true,
            chapters,
        }
    }

    /// Stores this check's findings of every chapter (those of chapters no
    /// longer in the book are dropped).
    fn put_back(
        &self,
        mut kept: Kept<T>,
        book_root: &BookRoot,
        texts: &[Text<'_>],
        checked: &[(T, bool)],
    ) {
        if !kept.kept {
            return;
        }
        let mut book = Book {
            chapters: HashMap::new(),
            rechecked: Some(Vec::new()),
        };
        let all = kept.chapters.is_empty();
        for (text, (found, reused)) in texts.iter().zip(checked) {
            let Some(chapter) = text.chapter else {
                continue;
            };
            let last = match kept.chapters.remove(text.path) {
                Some(last) if *reused => last,
                _ => {
                    if let Some(rechecked) = &mut book.rechecked {
                        rechecked.push(text.path.to_string());
                    }
                    Chapter {
                        source: text.source.into(),
                        steps: chapter.steps.clone(),
                        found: found.clone(),
                    }
                }
            };
            book.chapters.insert(text.path.to_string(), last);
        }
        if all {
            book.rechecked = None;
        }
        self.0.put(&book_root.root, book);
    }
}

/// The last findings of one rule, taken out of its store for this check.
struct Kept<T> {
    kept: bool,
    chapters: HashMap<String, Chapter<T>>,
}

impl<T> Kept<T> {
    /// The last findings of a chapter whose source and content are as they were.
    fn get(&self, text: &Text<'_>) -> Option<&T> {
        let chapter = text.chapter?;
        self.chapters
            .get(text.path)
            .filter(|k| *k.source == *text.source && Arc::ptr_eq(&k.steps, &chapter.steps))
            .map(|k| &k.found)
    }
}
