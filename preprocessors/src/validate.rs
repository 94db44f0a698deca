//! The checker that runs last, on the book as readers get it: it changes
//! nothing and reports what every validator finds, all in one run.

use crate::book_root::{BookRoot, SHARED_TABLE};
use crate::chapters::BookModel;
use crate::diagnostics::Diagnostics;
use crate::pass::Pass;
use crate::{aws, image_uri, links, policy, procedures};
use anyhow::Result;
use mdbook_preprocessor::book::Book;
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};

pub struct Validate;

impl Pass for Validate {
    fn name(&self) -> &'static str {
        SHARED_TABLE
    }

    fn runs_before_links(&self) -> bool {
        false
    }

    /// Under stock mdBook, the last pass before the renderer: the renderer's
    /// paths are judged here too, and a refusal stops mdBook before it writes.
    fn run(&self, book_root: &BookRoot, book: Book, diagnostics: &mut Diagnostics) -> Result<Book> {
        diagnostics.extend(crate::config::output::check(book_root));
        diagnostics.extend(check(book_root, &book)?);
        Ok(book)
    }
}

/// What the `validate` pass reports on a finished book, its book.toml table
/// checked too: for the in-process build, which runs it beside the renderer.
pub fn validate(book_root: &BookRoot, book: &Book) -> Result<Diagnostics> {
    let mut found = Diagnostics::new();
    found.extend(crate::config::check(book_root, SHARED_TABLE));
    found.extend(check(book_root, book)?);
    Ok(found)
}

/// Holds the `validate` pass's place among the preprocessors of the
/// in-process build, which validates after them; it changes nothing.
pub struct Later;

impl Preprocessor for Later {
    fn name(&self) -> &str {
        SHARED_TABLE
    }

    fn run(&self, _: &PreprocessorContext, book: Book) -> Result<Book> {
        Ok(book)
    }
}

/// Every validator over one model of the book: each chapter read, parsed
/// and mapped to its source once. The validators run side by side (and
/// spread their chapters over the cores); their findings are gathered in a
/// fixed order, so the output never depends on the threads.
fn check(book_root: &BookRoot, book: &Book) -> Result<Diagnostics> {
    let model = BookModel::build(book_root, book);
    let model = &model;
    let validators: [Validator; 5] = [
        |root, _, model, found| links::check(root, model, found),
        |root, _, model, found| policy::check(root, model, found),
        |root, book, _, found| image_uri::check(root, book, found),
        |root, _, model, found| procedures::check(root, model, found),
        |root, _, model, found| aws::check(root, model, found),
    ];
    let results = crate::parallel::map_few(&validators, |_, validator| {
        let mut found = Diagnostics::new();
        validator(book_root, book, model, &mut found).map(|()| found)
    });
    let mut all = Diagnostics::new();
    for found in results {
        all.extend(found?);
    }
    Ok(all)
}

type Validator = fn(&BookRoot, &Book, &BookModel<'_>, &mut Diagnostics) -> Result<()>;
