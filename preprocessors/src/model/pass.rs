//! The one shape every directive pass has.

use crate::diagnostics::Diagnostics;
use crate::model::book_root::BookRoot;
use anyhow::Result;
use mdbook_preprocessor::book::Book;

/// A pass over the whole book. Problems in the book's content go to
/// `diagnostics` and the pass carries on, so one run reports them all;
/// `Err` is for the machinery failing (unreadable book.toml, I/O).
pub(crate) trait Pass {
    /// Its settings' table in book.toml: `[preprocessor.NAME]`.
    fn name(&self) -> &'static str;
    /// The directives it expands, declared beside the code that expands them.
    fn directives(&self) -> Vec<crate::model::directive::Spec> {
        Vec::new()
    }
    fn run(&self, book_root: &BookRoot, book: Book, diagnostics: &mut Diagnostics) -> Result<Book>;
}
