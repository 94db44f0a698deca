//! The stock `mdbook` side: book.toml runs `responder-docs mdbook responder-docs` as the
//! `command` of `[preprocessor.responder-docs]` (every step, one process),
//! or `responder-docs mdbook NAME` as the command of one step's own table
//! (books set up that way before the one table existed).

use crate::checks::links::expand;
use crate::diagnostics::phases::Phases;
use crate::diagnostics::{self, Diagnostics, Format};
use crate::model::book_root::BookRoot;
use crate::pipeline::steps::{self, Step};
use anyhow::{Context, Result, bail};
use mdbook_preprocessor::PreprocessorContext;
use mdbook_preprocessor::book::Book;
use std::io::{self, IsTerminal, Write};

/// Exit code 0 when `renderer` is supported: every step works for any
/// renderer (the directives must expand whatever the output).
pub(crate) fn supports(name: &str, _renderer: &str) -> Result<()> {
    Stock::named(name).map(|_| ())
}

/// What a `command` entry of ours does for stock mdBook, as an mdBook
/// preprocessor (so mdBook's library can run it in tests, as `mdbook` would).
pub struct Stock {
    name: String,
    steps: Vec<Step>,
}

impl Stock {
    pub fn named(name: &str) -> Result<Stock> {
        Ok(Stock {
            name: name.to_string(),
            steps: steps(name)?,
        })
    }
}

impl mdbook_preprocessor::Preprocessor for Stock {
    fn name(&self) -> &str {
        &self.name
    }

    fn run(&self, ctx: &PreprocessorContext, book: Book) -> Result<Book> {
        process(ctx, book, &self.steps)
    }
}

/// Reads `[context, book]` from stdin and writes the processed book to stdout.
pub(crate) fn run(name: &str) -> Result<()> {
    let mut phases = Phases::new();
    let stock = Stock::named(name)?;
    if stock.steps.iter().any(|s| matches!(s, Step::Validate)) {
        crate::pipeline::validate::warm();
    }
    let (ctx, book) = mdbook_preprocessor::parse_input(io::stdin().lock())?;
    phases.done("read mdBook's input");
    if ctx.mdbook_version != mdbook_preprocessor::MDBOOK_VERSION {
        eprintln!(
            "warning: responder-docs was built for mdBook {}, but is run by mdBook {}",
            mdbook_preprocessor::MDBOOK_VERSION,
            ctx.mdbook_version
        );
    }
    let book = mdbook_preprocessor::Preprocessor::run(&stock, &ctx, book)?;
    phases.done("every step");
    let mut stdout = io::stdout().lock();
    serde_json::to_writer(&mut stdout, &book).context("cannot write the book to stdout")?;
    stdout.flush()?;
    phases.done("write the book");
    Ok(())
}

/// The steps a `command` runs: all of them (`responder-docs`), or the one
/// it names.
fn steps(name: &str) -> Result<Vec<Step>> {
    let all = steps::steps();
    if name == crate::model::config::ONE {
        return Ok(all);
    }
    let known: Vec<_> = all.iter().map(Step::name).collect();
    match all.into_iter().find(|s| s.name() == name) {
        Some(step) => Ok(vec![step]),
        None => bail!(
            "no preprocessor named `{name}`; known: {} (one step each), {} (all of them)",
            known.join(", "),
            crate::model::config::ONE
        ),
    }
}

/// `steps` on the book mdBook hands over. mdBook's loader has read the
/// chapters already, and its own `links` may run: before any step that
/// expands text, the sources and each include `links` would open are judged,
/// and a chapter leading outside is emptied.
fn process(ctx: &PreprocessorContext, book: Book, steps: &[Step]) -> Result<Book> {
    let mut phases = Phases::new();
    let book_root = BookRoot::new(ctx.root.clone(), ctx.config.clone());
    let mut found = Diagnostics::new();
    let all = steps.len() > 1;
    let book_toml = book_root
        .read(crate::model::config::BOOK_TOML)
        .unwrap_or_default();
    if all {
        found.extend(crate::model::config::check_all(
            &book_root.config,
            &book_toml,
        ));
    } else {
        found.extend(
            steps
                .iter()
                .flat_map(|s| crate::model::config::check(&book_root.config, &book_toml, s.name())),
        );
    }
    let expands = steps.iter().any(|s| !matches!(s, Step::Validate));
    let mut book = book;
    if expands {
        crate::checks::sources::check_sources(&book_root, book_root.reach(), &mut found);
        expand::empty_outside_chapters(&book_root, &mut book);
        if expand::mdbook_links_on(&book_root) {
            expand::unguarded_links(&book_root, &book, &mut found);
        }
    }
    if steps.iter().any(|s| matches!(s, Step::Validate)) {
        // The last step before the renderer: its paths are judged here, and
        // a refusal stops mdBook before it writes.
        found.extend(crate::checks::render_paths::check(&book_root));
    }
    phases.done("configuration and sources");
    let (mut book, _) = steps::run(&book_root, book, steps, &mut found)?;
    let failed = found.is_failure(book_root.deny_warnings());
    if found.is_empty() {
        return Ok(book);
    }
    let sorted = found.into_sorted();
    let color = io::stderr().is_terminal();
    eprint!("{}", diagnostics::render(&sorted, Format::Human, color));
    if !failed {
        return Ok(book);
    }
    // Under `mdbook serve`, the pages are written with the problems over
    // them instead of leaving the old site.
    if crate::shells::overlay::under_serve(&ctx.config)
        && crate::shells::overlay::may_write(&sorted)
    {
        crate::shells::overlay::embed(&mut book, &sorted);
        eprintln!("the pages show these problems until a build succeeds");
        return Ok(book);
    }
    let who = match steps {
        [step] => format!("the {} preprocessor", step.name()),
        _ => "responder-docs".to_string(),
    };
    bail!("{who} found {}", diagnostics::summary(&sorted))
}
