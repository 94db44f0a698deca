//! A rule as one unit: its code, severity and help (see
//! [`declare!`](crate::diagnostics::codes::declare)) and the function from
//! the model to its problems, declared together in the rule's own file with
//! [`rule!`]. The declaration registers the rule: the pipeline runs every
//! registered rule beside the areas' validators, and the code joins the
//! problem-code table and the SARIF rules.

use crate::diagnostics::{Code, Diagnostics};
use crate::model::book_root::BookRoot;
use crate::model::chapters::BookModel;
use anyhow::Result;
use mdbook_preprocessor::book::Book;

/// What a validator sees: the book read once, its chapters parsed once.
pub(crate) struct Model<'a, 'b> {
    pub root: &'a BookRoot,
    pub book: &'a Book,
    pub chapters: &'a BookModel<'b>,
}

/// A registered rule.
pub(crate) struct Rule {
    pub code: Code,
    /// Adds the rule's problems; an `Err` is a fault of the run, not of the
    /// book.
    pub check: fn(&Model<'_, '_>, &mut Diagnostics) -> Result<()>,
}

/// Every rule declared with [`rule!`], in no set order (the pipeline sorts
/// them by code).
#[linkme::distributed_slice]
pub(crate) static RULES: [Rule];

/// Declares a rule: its code (as `declare!` does) and its check, and
/// registers both.
///
/// ```ignore
/// crate::checks::rule::rule! {
///     IMAGE_URI_HAND_WRITTEN_URI = "image-uri::hand-written-uri", error: "…";
///     check: check;
/// }
/// ```
macro_rules! rule {
    ($konst:ident = $name:literal, $severity:ident: $help:literal; check: $check:path;) => {
        $crate::diagnostics::codes::declare! {
            $konst = $name, $severity: $help;
        }
        const _: () = {
            #[linkme::distributed_slice($crate::checks::rule::RULES)]
            static RULE: $crate::checks::rule::Rule = $crate::checks::rule::Rule {
                code: $konst,
                check: $check,
            };
        };
    };
}
pub(crate) use rule;

/// The registered rules, by code.
pub(crate) fn all() -> Vec<&'static Rule> {
    let mut rules: Vec<&Rule> = RULES.iter().collect();
    rules.sort_by_key(|rule| rule.code);
    rules
}
