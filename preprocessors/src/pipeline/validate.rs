//! Every rule over one model of the book, as readers get it: it changes
//! nothing and reports what every rule finds, all in one run.

use crate::checks::rule::{self, Model};
use crate::diagnostics::Diagnostics;
use crate::model::book_root::BookRoot;
use crate::model::chapters::BookModel;
use anyhow::Result;
use mdbook_preprocessor::book::Book;

/// The loader reads the book's other inputs, then each chapter is parsed
/// and mapped to its source once. The rules run side by side (and spread
/// their chapters over the cores) on a sealed root; their findings are
/// gathered in a fixed order, so the output never depends on the threads.
pub(crate) fn validate(book_root: &BookRoot, book: &Book) -> Result<Diagnostics> {
    crate::diagnostics::phases::timed("the book's other inputs", || {
        crate::model::inputs::read(book_root, book)
    });
    let chapters =
        crate::diagnostics::phases::timed("the book's model", || BookModel::build(book_root, book));
    let sealed = book_root.sealed();
    let model = Model::new(&sealed, book, &chapters);
    let rules = rule::all();
    let results = crate::model::parallel::map_few(&rules, |_, rule| {
        let mut found = Diagnostics::new();
        crate::diagnostics::phases::timed(&format!("  {}", rule.name()), || {
            (rule.check)(&model, &mut found)
        })?;
        // A rule is the one place its codes are raised (every test run
        // holds the rules to it).
        debug_assert!(
            found.iter().all(|d| rule.codes.contains(&d.code)),
            "{} raised a code it does not declare",
            rule.name()
        );
        anyhow::Ok(found)
    });
    let mut all = Diagnostics::new();
    for found in results {
        all.extend(found?);
    }
    Ok(all)
}

/// Starts loading the built-in data the validators read (the AWS models,
/// the IAM catalog and schema) on a thread of its own, so it is ready, or
/// nearly, when they start: under stock mdBook, reading mdBook's input and
/// running the passes leave the other cores idle. Each piece is parsed
/// once, whoever asks first; a validator asking meanwhile waits for it.
pub(crate) fn warm() {
    if crate::model::parallel::threads() > 1 {
        std::thread::spawn(|| {
            // The AWS checks take longest: their data first.
            crate::checks::aws::models::warm();
            crate::checks::policy::catalog::Catalog::builtin();
            crate::checks::policy::schema::warm();
        });
    }
}
