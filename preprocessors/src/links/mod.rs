//! The link checker: every link, image, anchor and include, reported at its
//! Markdown source line.

pub mod external;
pub mod extract;
pub mod heading_ids;
pub mod html;
pub mod includes;
pub mod targets;

use crate::book_root::BookRoot;
use crate::diagnostics::Diagnostics;
use anyhow::Result;
use mdbook_preprocessor::book::Book;

/// Checks the book as readers get it (after every other preprocessor).
pub fn check(_book_root: &BookRoot, _book: &Book, _diagnostics: &mut Diagnostics) -> Result<()> {
    Ok(())
}
