//! The one order our steps run in, whoever calls them: `check`, `build`,
//! `serve` and stock mdBook.

use crate::checks::links::expand;
use crate::diagnostics::Diagnostics;
use crate::diagnostics::phases::Phases;
use crate::model::book_root::BookRoot;
use crate::model::pass::Pass;
use anyhow::Result;
use mdbook_preprocessor::book::Book;
use std::collections::HashMap;
use std::path::PathBuf;

/// One step of ours. The directive passes come first (their directives
/// expand to text the includes must not see escaped), then the includes;
/// validation reads the book as readers get it.
pub(crate) enum Step {
    Pass(Box<dyn Pass>),
    /// `{{#include}}` and its kin (our engine), and mdBook's `index`.
    Include,
    Validate,
}

impl Step {
    pub(crate) fn name(&self) -> &'static str {
        match self {
            Step::Pass(pass) => pass.name(),
            Step::Include => "include",
            Step::Validate => crate::model::config::SHARED_TABLE,
        }
    }
}

/// Every step, in the one order.
pub(crate) fn steps() -> Vec<Step> {
    let mut steps: Vec<Step> = crate::passes().into_iter().map(Step::Pass).collect();
    steps.push(Step::Include);
    steps.push(Step::Validate);
    steps
}

/// The book after `steps`, and the titles `{{#title}}` set.
pub(crate) fn run(
    book_root: &BookRoot,
    mut book: Book,
    steps: &[Step],
    diagnostics: &mut Diagnostics,
) -> Result<(Book, HashMap<PathBuf, String>)> {
    let mut titles = HashMap::new();
    let mut phases = Phases::new();
    for step in steps {
        match step {
            Step::Pass(pass) => book = pass.run(book_root, book, diagnostics)?,
            Step::Include => {
                if !book_root.config.build.use_default_preprocessors {
                    expand::readme_to_index(&mut book);
                }
                titles = expand::expand_book(book_root, &mut book, diagnostics);
            }
            Step::Validate => {
                diagnostics.extend(crate::pipeline::validate::validate(book_root, &book)?)
            }
        }
        phases.done(step.name());
    }
    Ok((book, titles))
}
