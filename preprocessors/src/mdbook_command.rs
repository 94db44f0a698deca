//! The stock `mdbook` side: book.toml runs `responder-docs mdbook NAME`
//! as a preprocessor `command` (`supports RENDERER`, then the JSON protocol).

use crate::pass::{Adapter, Sink};
use anyhow::{Context, Result, bail};
use mdbook_preprocessor::Preprocessor;
use std::io::{self, Write};

/// Exit code 0 when `renderer` is supported: every pass works for any renderer
/// (the directives must expand whatever the output).
pub fn supports(name: &str, _renderer: &str) -> Result<()> {
    adapter(name).map(|_| ())
}

/// Reads `[context, book]` from stdin and writes the processed book to stdout.
pub fn run(name: &str) -> Result<()> {
    let adapter = adapter(name)?;
    let (ctx, book) = mdbook_preprocessor::parse_input(io::stdin().lock())?;
    if ctx.mdbook_version != mdbook_preprocessor::MDBOOK_VERSION {
        eprintln!(
            "warning: the {name} preprocessor was built for mdBook {}, but is run by mdBook {}",
            mdbook_preprocessor::MDBOOK_VERSION,
            ctx.mdbook_version
        );
    }
    let book = adapter.run(&ctx, book)?;
    let mut stdout = io::stdout().lock();
    serde_json::to_writer(&mut stdout, &book).context("cannot write the book to stdout")?;
    stdout.flush()?;
    Ok(())
}

fn adapter(name: &str) -> Result<Adapter> {
    match crate::pass_named(name) {
        Some(pass) => Ok(Adapter::new(pass, Sink::Stderr)),
        None => {
            let known: Vec<_> = crate::passes().iter().map(|p| p.name()).collect();
            bail!(
                "no preprocessor named `{name}`; known: {}",
                known.join(", ")
            )
        }
    }
}
