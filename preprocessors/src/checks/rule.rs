//! A rule as one unit: its codes, severities and help (see
//! [`declare!`](crate::diagnostics::codes::declare)) and the function from
//! the model to its problems, declared together in the rule's own file with
//! [`rule!`]. The declaration registers the rule: the pipeline runs every
//! registered rule, and its codes join the problem-code table and the SARIF
//! rules. What several rules of an area read (a parsed manifest, the
//! commands of every procedure) is worked out once per run and shared
//! through [`Model::shared`].

use crate::diagnostics::{Code, Diagnostics};
use crate::model::book_root::BookRoot;
use crate::model::chapters::BookModel;
use anyhow::Result;
use mdbook_preprocessor::book::Book;
use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// What a rule sees: the book read once, its chapters parsed once, and what
/// the rules share.
pub(crate) struct Model<'a, 'b> {
    pub root: &'a BookRoot,
    pub book: &'a Book,
    pub chapters: &'a BookModel<'b>,
    shared: Mutex<HashMap<TypeId, Arc<Cell>>>,
}

/// Where one shared value is built and kept.
type Cell = OnceLock<Arc<dyn Any + Send + Sync>>;

/// Something several rules read, worked out from the model once per run.
pub(crate) trait Shared: Any + Send + Sync + Sized {
    fn build(model: &Model<'_, '_>) -> Self;
}

impl<'a, 'b> Model<'a, 'b> {
    pub(crate) fn new(root: &'a BookRoot, book: &'a Book, chapters: &'a BookModel<'b>) -> Self {
        Model {
            root,
            book,
            chapters,
            shared: Mutex::default(),
        }
    }

    /// `T` for this run: built by the first rule that asks, while the
    /// others that ask meanwhile wait for it.
    pub(crate) fn shared<T: Shared>(&self) -> Arc<T> {
        let cell = Arc::clone(
            self.shared
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .entry(TypeId::of::<T>())
                .or_default(),
        );
        let value = Arc::clone(cell.get_or_init(|| Arc::new(T::build(self))));
        match value.downcast::<T>() {
            Ok(value) => value,
            Err(_) => unreachable!("the cell of a type holds that type"),
        }
    }
}

/// A registered rule.
pub(crate) struct Rule {
    /// The codes it raises, the first naming it; it raises no other, and no
    /// other rule raises them.
    pub codes: &'static [Code],
    /// Adds the rule's problems; an `Err` is a fault of the run, not of the
    /// book.
    pub check: fn(&Model<'_, '_>, &mut Diagnostics) -> Result<()>,
}

impl Rule {
    pub(crate) fn name(&self) -> &'static str {
        self.codes[0].as_str()
    }
}

/// Every rule declared with [`rule!`], in no set order (the pipeline sorts
/// them by code).
#[linkme::distributed_slice]
pub(crate) static RULES: [Rule];

/// Declares a rule: its codes (as `declare!` does) and its check, and
/// registers both. Most rules raise one code; a check whose outcomes are
/// several (a file that cannot be read, or that can but is wrong) declares
/// each. A rule that reports problems the model found while it was built
/// names their codes with `reports:` instead.
///
/// ```ignore
/// crate::checks::rule::rule! {
///     check: check;
///     IMAGE_URI_HAND_WRITTEN_URI = "image-uri::hand-written-uri", error: "…";
/// }
/// ```
macro_rules! rule {
    // The rule that reports what the book's loader found (codes declared
    // beside the model code that finds them, which no other rule reports).
    (check: $check:path; reports: $($code:path),+;) => {
        const _: () = {
            #[linkme::distributed_slice($crate::checks::rule::RULES)]
            static RULE: $crate::checks::rule::Rule = $crate::checks::rule::Rule {
                codes: &[$($code),+],
                check: $check,
            };
        };
    };
    (check: $check:path; $($konst:ident = $name:literal, $severity:ident: $help:literal;)+) => {
        $crate::diagnostics::codes::declare! {
            $($konst = $name, $severity: $help;)+
        }
        const _: () = {
            #[linkme::distributed_slice($crate::checks::rule::RULES)]
            static RULE: $crate::checks::rule::Rule = $crate::checks::rule::Rule {
                codes: &[$($konst),+],
                check: $check,
            };
        };
    };
}
pub(crate) use rule;

/// The registered rules, by code.
pub(crate) fn all() -> Vec<&'static Rule> {
    let mut rules: Vec<&Rule> = RULES.iter().collect();
    rules.sort_by_key(|rule| rule.codes[0]);
    rules
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_registered_rule_raises_only_declared_codes_named_once() {
        let mut seen = std::collections::HashSet::new();
        for rule in all() {
            assert!(!rule.codes.is_empty());
            for code in rule.codes {
                assert!(seen.insert(code.as_str()), "{code} in two rules");
                assert!(crate::diagnostics::codes::all().contains(code), "{code}");
            }
        }
    }

    #[test]
    fn what_rules_share_is_built_once_per_model() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static BUILT: AtomicUsize = AtomicUsize::new(0);
        struct Count(usize);
        impl Shared for Count {
            fn build(_: &Model<'_, '_>) -> Self {
                Count(BUILT.fetch_add(1, Ordering::SeqCst) + 1)
            }
        }
        let dir = tempfile::tempdir().unwrap();
        let root = BookRoot::new(dir.path(), Default::default());
        let book = Book::new();
        let chapters = BookModel::build(&root, &book);
        let model = Model::new(&root, &book, &chapters);
        let firsts: Vec<usize> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..4)
                .map(|_| s.spawn(|| model.shared::<Count>().0))
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert_eq!(firsts, vec![1; 4]);
        assert_eq!(BUILT.load(Ordering::SeqCst), 1);
    }
}
