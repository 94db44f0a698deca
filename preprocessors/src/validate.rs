//! The checker that runs last, on the book as readers get it: it changes
//! nothing and reports what every validator finds, all in one run.

use crate::book_root::BookRoot;
use crate::diagnostics::Diagnostics;
use crate::pass::Pass;
use crate::{image_uri, links, policy, procedures};
use anyhow::Result;
use mdbook_preprocessor::book::Book;

pub struct Validate;

impl Pass for Validate {
    fn name(&self) -> &'static str {
        crate::book_root::SHARED_TABLE
    }

    fn runs_before_links(&self) -> bool {
        false
    }

    fn run(&self, book_root: &BookRoot, book: Book, diagnostics: &mut Diagnostics) -> Result<Book> {
        links::check(book_root, &book, diagnostics)?;
        policy::check(book_root, diagnostics)?;
        image_uri::check(book_root, &book, diagnostics)?;
        procedures::check(book_root, &book, diagnostics)?;
        Ok(book)
    }
}
