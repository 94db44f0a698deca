//! Release facts in one place: image URIs per architecture, the Region
//! table, and the page-wide architecture selector.

use crate::book_root::BookRoot;
use crate::diagnostics::Diagnostics;
use crate::pass::Pass;
use anyhow::Result;
use mdbook_preprocessor::book::Book;

pub struct ImageUri;

impl Pass for ImageUri {
    fn name(&self) -> &'static str {
        "image-uri"
    }

    fn run(
        &self,
        _book_root: &BookRoot,
        book: Book,
        _diagnostics: &mut Diagnostics,
    ) -> Result<Book> {
        Ok(book)
    }
}

/// Checks on the finished book (hand-written URIs in `templates/`, …).
pub fn check(_book_root: &BookRoot, _book: &Book, _diagnostics: &mut Diagnostics) -> Result<()> {
    Ok(())
}
