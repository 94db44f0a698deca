//! Every validator over one model of the book, as readers get it: it
//! changes nothing and reports what every validator finds, all in one run.

use crate::checks::{aws, image_uri, links, policy, procedures};
use crate::diagnostics::Diagnostics;
use crate::model::book_root::BookRoot;
use crate::model::chapters::BookModel;
use anyhow::Result;
use mdbook_preprocessor::book::Book;

/// Each chapter is read, parsed and mapped to its source once. The
/// validators run side by side (and spread their chapters over the cores);
/// their findings are gathered in a fixed order, so the output never
/// depends on the threads.
pub(crate) fn validate(book_root: &BookRoot, book: &Book) -> Result<Diagnostics> {
    let model =
        crate::diagnostics::phases::timed("the book's model", || BookModel::build(book_root, book));
    let model = &model;
    let validators: [(&str, Validator); 5] = [
        ("links", |root, _, model, found| {
            links::check(root, model, found)
        }),
        ("policies", |root, _, model, found| {
            policy::check(root, model, found)
        }),
        ("image URIs", |root, book, _, found| {
            image_uri::check(root, book, found)
        }),
        ("procedures", |root, _, model, found| {
            procedures::check(root, model, found)
        }),
        ("AWS", |root, _, model, found| {
            aws::check(root, model, found)
        }),
    ];
    let results = crate::model::parallel::map_few(&validators, |_, (name, validator)| {
        let mut found = Diagnostics::new();
        crate::diagnostics::phases::timed(&format!("  {name} validator"), || {
            validator(book_root, book, model, &mut found)
        })
        .map(|()| found)
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
            aws::models::warm();
            crate::checks::policy::catalog::Catalog::builtin();
            crate::checks::policy::schema::warm();
        });
    }
}

type Validator = fn(&BookRoot, &Book, &BookModel<'_>, &mut Diagnostics) -> Result<()>;
