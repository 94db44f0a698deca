//! Procedures that cannot drift: single-sourced step lists, near-duplicate
//! detection, values bound to the templates, and step numbering.

use crate::book_root::BookRoot;
use crate::diagnostics::Diagnostics;
use crate::pass::Pass;
use anyhow::Result;
use mdbook_preprocessor::book::Book;

pub struct Procedure;

impl Pass for Procedure {
    fn name(&self) -> &'static str {
        "procedure"
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

/// Checks on the finished book and the templates.
pub fn check(_book_root: &BookRoot, _book: &Book, _diagnostics: &mut Diagnostics) -> Result<()> {
    Ok(())
}
