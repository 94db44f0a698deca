//! Every validator over one model of the book, as readers get it: it
//! changes nothing and reports what every validator finds, all in one run.

use crate::checks::aws;
use crate::checks::rule::{self, Model};
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
    crate::diagnostics::phases::timed("the book's other inputs", || {
        crate::model::inputs::read(book_root, book)
    });
    let chapters =
        crate::diagnostics::phases::timed("the book's model", || BookModel::build(book_root, book));
    let sealed = book_root.sealed();
    let model = Model::new(&sealed, book, &chapters);
    // The areas' validators, then every rule declared on its own.
    let mut validators: Vec<(&str, &[crate::diagnostics::Code], Check)> =
        vec![("AWS validator", &[], aws::check)];
    validators.extend(
        rule::all()
            .into_iter()
            .map(|r| (r.name(), r.codes, r.check)),
    );
    let results = crate::model::parallel::map_few(&validators, |_, (name, codes, check)| {
        let mut found = Diagnostics::new();
        crate::diagnostics::phases::timed(&format!("  {name}"), || check(&model, &mut found))?;
        // A rule is the one place its codes are raised (every test run
        // holds the rules to it).
        debug_assert!(
            codes.is_empty() || found.iter().all(|d| codes.contains(&d.code)),
            "{name} raised a code it does not declare"
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
            aws::models::warm();
            crate::checks::policy::catalog::Catalog::builtin();
            crate::checks::policy::schema::warm();
        });
    }
}

type Check = fn(&Model<'_, '_>, &mut Diagnostics) -> Result<()>;
