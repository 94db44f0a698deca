//! The checker that runs last, on the book as readers get it: it changes
//! nothing and reports what every validator finds, all in one run.

use crate::book_root::BookRoot;
use crate::diagnostics::{Diagnostic, Diagnostics};
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
        let mut found = Diagnostics::new();
        links::check(book_root, &book, &mut found)?;
        policy::check(book_root, &book, &mut found)?;
        image_uri::check(book_root, &book, &mut found)?;
        procedures::check(book_root, &book, &mut found)?;
        diagnostics.extend(without_overlaps(found.into_sorted()));
        Ok(book)
    }
}

/// One broken link, one report: where the policy checker explains a missing
/// policy file, the link checker's generic report of the same link is dropped.
fn without_overlaps(found: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let explained: Vec<_> = found
        .iter()
        .filter(|d| d.code == "policy::missing-file")
        .map(|d| d.location.clone())
        .collect();
    found
        .into_iter()
        .filter(|d| !(d.code == "links::missing-file" && explained.contains(&d.location)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::location::Location;

    #[test]
    fn a_missing_policy_link_is_reported_once_with_the_specific_hint() {
        let at = Location::in_text("src/a.md", "[p](policies/x.json)", 0..20);
        let elsewhere = Location::in_text("src/b.md", "[p](policies/x.json)", 0..20);
        let found = vec![
            Diagnostic::error("links::missing-file", at.clone(), "generic"),
            Diagnostic::error("policy::missing-file", at, "specific"),
            Diagnostic::error("links::missing-file", elsewhere, "other link"),
        ];
        let kept: Vec<_> = without_overlaps(found)
            .into_iter()
            .map(|d| d.message)
            .collect();
        assert_eq!(kept, ["specific", "other link"]);
    }
}
