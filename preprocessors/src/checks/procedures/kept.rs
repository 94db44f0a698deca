//! Under `serve`, each chapter's procedure findings from one check to the
//! next: a chapter is checked again only when its source or its processed
//! content changed. What a chapter's findings depend on beyond its own text
//! (the procedure files, the templates and their values, the release facts,
//! `book.toml`) changes only through a file that is not a chapter: an edit
//! to one, or edits not known, check every chapter again. Duplicates are
//! found across the whole book every time, from the kept step lists.

use super::{Entry, Text};
use crate::diagnostics::Diagnostics;
use crate::model::book_root::BookRoot;
use crate::model::by_root::ByRoot;
use crate::model::chapters::BookModel;
use crate::model::ordered_lists::Document;
use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

/// Each book's last findings, by root.
static KEPT: ByRoot<Book> = ByRoot::new();

/// What the last check found in each chapter, by source path.
#[derive(Default)]
struct Book {
    chapters: HashMap<String, Chapter>,
    /// The chapters checked again, `None` when every chapter was.
    rechecked: Option<Vec<String>>,
}

pub(super) struct Chapter {
    source: Box<str>,
    /// The chapter's step lists as the model read them: the model hands
    /// out the same lists again only for the same processed content.
    steps: Arc<Document>,
    pub(super) found: Diagnostics,
    pub(super) entries: Vec<Entry>,
}

/// Keeps each chapter's procedure findings from one check to the next
/// (for `serve`).
pub fn keep_findings() {
    KEPT.keep();
}

/// The chapters (by source path) the last check of the book at `root`
/// checked again, `None` when it checked them all or none was kept.
pub fn last_rechecked(root: &Path) -> Option<Vec<String>> {
    KEPT.read(root, |book| book.rechecked.clone()).flatten()
}

/// The findings a check may reuse: taken from the store when kept, and
/// empty unless only chapters were edited since.
pub(super) struct Kept {
    kept: bool,
    chapters: HashMap<String, Chapter>,
}

/// One text's step lists, findings and lists of three steps or more, and
/// whether they were kept from the last check.
pub(super) type Checked<'t> = (Cow<'t, Document>, Diagnostics, Vec<Entry>, bool);

impl Kept {
    pub(super) fn take(book_root: &BookRoot, model: &BookModel<'_>) -> Kept {
        if !KEPT.kept() {
            return Kept {
                kept: false,
                chapters: HashMap::new(),
            };
        }
        let last = KEPT.take(&book_root.root).unwrap_or_default();
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

    /// The last findings of a chapter whose source and content are as they were.
    pub(super) fn get(&self, text: &Text<'_>) -> Option<&Chapter> {
        let chapter = text.chapter?;
        self.chapters
            .get(text.path)
            .filter(|k| *k.source == *text.source && Arc::ptr_eq(&k.steps, &chapter.steps))
    }

    /// Stores this check's findings of every chapter (those of chapters no
    /// longer in the book are dropped).
    pub(super) fn put_back(
        mut self,
        book_root: &BookRoot,
        texts: &[Text<'_>],
        checked: &[Checked],
    ) {
        if !self.kept {
            return;
        }
        let mut book = Book {
            chapters: HashMap::new(),
            rechecked: Some(Vec::new()),
        };
        let all = self.chapters.is_empty();
        for (text, (_, found, entries, reused)) in texts.iter().zip(checked) {
            let Some(chapter) = text.chapter else {
                continue;
            };
            let kept = match self.chapters.remove(text.path) {
                Some(kept) if *reused => kept,
                _ => {
                    if let Some(rechecked) = &mut book.rechecked {
                        rechecked.push(text.path.to_string());
                    }
                    Chapter {
                        source: text.source.into(),
                        steps: chapter.steps.clone(),
                        found: found.clone(),
                        entries: entries.clone(),
                    }
                }
            };
            book.chapters.insert(text.path.to_string(), kept);
        }
        if all {
            book.rechecked = None;
        }
        KEPT.put(&book_root.root, book);
    }
}
