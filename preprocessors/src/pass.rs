//! The one shape every preprocessor and checker has, and the adapter that
//! makes it an mdBook preprocessor, in-process or as a `command`.

use crate::book_root::BookRoot;
use crate::diagnostics::{self, Diagnostics, Format};
use crate::links::expand;
use anyhow::Result;
use mdbook_preprocessor::book::Book;
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};
use std::cell::RefCell;
use std::io::IsTerminal;
use std::rc::Rc;

/// A pass over the whole book. Problems in the book's content go to
/// `diagnostics` and the pass carries on, so one run reports them all;
/// `Err` is for the machinery failing (unreadable book.toml, I/O).
pub trait Pass {
    /// Its table in book.toml: `[preprocessor.NAME]`.
    fn name(&self) -> &'static str;
    /// The directives it expands, declared beside the code that expands them.
    fn directives(&self) -> Vec<crate::directive::Spec> {
        Vec::new()
    }
    fn run(&self, book_root: &BookRoot, book: Book, diagnostics: &mut Diagnostics) -> Result<Book>;
    /// Runs before mdBook's `links` (book.toml's `before = ["links"]`), so
    /// under stock mdBook it must leave no include that reads outside.
    fn runs_before_links(&self) -> bool {
        true
    }
}

/// Where a pass's diagnostics go.
#[derive(Clone)]
pub enum Sink {
    /// Collected for the caller (the `responder-docs` CLI), never fatal here.
    Shared(Rc<RefCell<Diagnostics>>),
    /// Printed to stderr, and fatal on failure: the stock `mdbook` protocol.
    Stderr,
}

pub struct Adapter {
    pass: Box<dyn Pass>,
    sink: Sink,
    root: Option<BookRoot>,
}

impl Adapter {
    pub fn new(pass: Box<dyn Pass>, sink: Sink) -> Self {
        Adapter {
            pass,
            sink,
            root: None,
        }
    }

    /// In-process, the run's root: every pass shares the files it has read
    /// (the chapters the loader read among them), so none is read twice.
    pub fn with_root(mut self, root: BookRoot) -> Self {
        self.root = Some(root);
        self
    }
}

impl Preprocessor for Adapter {
    fn name(&self) -> &str {
        self.pass.name()
    }

    fn run(&self, ctx: &PreprocessorContext, book: Book) -> Result<Book> {
        let book_root = match &self.root {
            Some(root) => root.with_config(ctx.config.clone()),
            None => BookRoot::new(ctx.root.clone(), ctx.config.clone()),
        };
        let mut found = Diagnostics::new();
        found.extend(crate::config::check(&book_root, self.pass.name()));
        let mut book = self.pass.run(&book_root, book, &mut found)?;
        // In-process, the pipeline checks the sources before loading and
        // mdBook's `links` never runs; a stock `mdbook` only has us, and
        // stops before its own `links` would open a file.
        if matches!(self.sink, Sink::Stderr) && self.pass.runs_before_links() {
            crate::reach::check_sources(&book_root, book_root.reach(), &mut found);
            expand::empty_outside_chapters(&book_root, &mut book);
            if expand::mdbook_links_on(&book_root) {
                expand::unguarded_links(&book_root, &book, &mut found);
            }
        }
        match &self.sink {
            Sink::Shared(shared) => shared.borrow_mut().extend(found),
            Sink::Stderr => {
                let failed = found.is_failure(book_root.deny_warnings());
                if !found.is_empty() {
                    let sorted = found.into_sorted();
                    let color = std::io::stderr().is_terminal();
                    eprint!("{}", diagnostics::render(&sorted, Format::Human, color));
                    // Under `mdbook serve`, the pages are written with the
                    // problems over them instead of leaving the old site.
                    if failed
                        && crate::overlay::under_serve(&ctx.config)
                        && crate::overlay::may_write(&sorted)
                    {
                        crate::overlay::embed(&mut book, &sorted);
                        eprintln!("the pages show these problems until a build succeeds");
                    } else if failed {
                        anyhow::bail!(
                            "the {} preprocessor found {}",
                            self.pass.name(),
                            diagnostics::summary(&sorted)
                        );
                    }
                }
            }
        }
        Ok(book)
    }
}
