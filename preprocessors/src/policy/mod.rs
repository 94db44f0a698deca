//! IAM policies: the `{{#iam-policy NAME}}` directive and the policy linter.

use crate::book_root::BookRoot;
use crate::diagnostics::Diagnostics;
use crate::pass::Pass;
use anyhow::Result;
use mdbook_preprocessor::book::Book;
use std::path::PathBuf;

/// The kind of a policy document, declared, never guessed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    /// A permission policy attached to a user, group or role.
    Identity,
    /// A role's trust (assume-role) policy.
    Trust,
}

pub struct IamPolicy;

impl Pass for IamPolicy {
    fn name(&self) -> &'static str {
        "iam-policy"
    }

    fn run(
        &self,
        _book_root: &BookRoot,
        book: Book,
        _diagnostics: &mut Diagnostics,
    ) -> Result<Book> {
        Ok(book)
    }
}

/// Validates every file in `policies/`, used by a chapter or not.
pub fn check(_book_root: &BookRoot, _book: &Book, _diagnostics: &mut Diagnostics) -> Result<()> {
    Ok(())
}

/// `responder-docs policy lint`: lints files named on the command line.
pub fn lint_files(
    _files: &[PathBuf],
    _kind: Option<Kind>,
    _diagnostics: &mut Diagnostics,
) -> Result<()> {
    Ok(())
}
