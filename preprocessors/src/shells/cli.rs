//! The `responder-docs` command line.

use crate::checks::policy;
use crate::diagnostics::shown;
use crate::diagnostics::{self, Diagnostics, Format};
use crate::pipeline::{self, Options};

crate::diagnostics::codes::declare! {
    BOOK_UNREADABLE = "book::unreadable", error: "a book that cannot be loaded at all (no `book.toml`, invalid TOML, a `SUMMARY.md` entry for a missing file, …): exit status 2";
}
#[cfg(feature = "serve")]
use crate::shells::serve::{self, ServeOptions};
use clap::{Args, Parser, Subcommand};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Build, check and preview the ResponderAPI deployment guide (or any mdBook
/// 0.5 book), with every validator run on every build.
///
/// Exit status: 0 when clean, 1 when a problem was found, 2 when the book
/// could not be read at all.
#[derive(Debug, Parser)]
#[command(
    name = "responder-docs",
    version,
    max_term_width = 100,
    after_help = "Examples:
  responder-docs serve --open              preview the book at http://127.0.0.1:3000
  responder-docs check                     validate the book in the current folder
  responder-docs check --format github     the same, as GitHub Actions annotations
  responder-docs check --format sarif      the same, as SARIF 2.1.0 for code scanning
  responder-docs build --deny-warnings     the site for publishing, in book/
  responder-docs fix --dry-run             the fixes with one right answer, as a diff
  responder-docs policy lint policies/*.json"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Validate the book and write the HTML site (the old site stays if anything fails).
    Build {
        #[command(flatten)]
        book: BookArgs,
        /// Where to write the site [default: the book's build-dir, `book/`].
        #[arg(short, long, value_name = "DIR")]
        dest_dir: Option<PathBuf>,
        #[command(flatten)]
        report: ReportArgs,
    },
    /// Run every validator without writing anything.
    Check {
        #[command(flatten)]
        book: BookArgs,
        #[command(flatten)]
        report: ReportArgs,
    },
    /// Fix in the sources the problems with exactly one right answer, and print each change.
    Fix {
        #[command(flatten)]
        book: BookArgs,
        /// Change nothing: print the changes as a unified diff.
        #[arg(long)]
        dry_run: bool,
    },
    /// Build, serve on 127.0.0.1 and rebuild and reload the browser on every change.
    #[cfg(feature = "serve")]
    Serve {
        #[command(flatten)]
        book: BookArgs,
        /// The port to listen on.
        #[arg(short, long, default_value_t = 3000)]
        port: u16,
        /// Open the site in the default web browser.
        #[arg(long)]
        open: bool,
        /// Treat warnings as errors.
        #[arg(long)]
        deny_warnings: bool,
    },
    /// IAM policy tools.
    Policy {
        #[command(subcommand)]
        command: PolicyCommand,
    },
    /// The stock-mdBook side: run every step (`responder-docs`) or one
    /// (`procedure`, …, `validate`) with mdBook's protocol (book.toml
    /// registers this as a `command`).
    #[command(hide = true)]
    Mdbook {
        /// The preprocessor's name in book.toml: `responder-docs` for all.
        name: String,
        #[command(subcommand)]
        supports: Option<SupportsCommand>,
    },
}

#[derive(Debug, Subcommand)]
enum SupportsCommand {
    Supports { renderer: String },
}

#[derive(Debug, Subcommand)]
enum PolicyCommand {
    /// Lint IAM policy files: JSON syntax, the policy grammar and best practice.
    Lint {
        /// Policy files (JSON).
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// The kind of every file given [default: from the file name: `*trust*.json` is a trust policy].
        #[arg(long, value_enum)]
        kind: Option<policy::Kind>,
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Treat warnings as errors.
        #[arg(long)]
        deny_warnings: bool,
    },
}

#[derive(Debug, Args)]
struct BookArgs {
    /// The book's root folder, where book.toml is.
    #[arg(default_value = ".", value_name = "BOOK")]
    book: PathBuf,
}

#[derive(Debug, Args)]
struct ReportArgs {
    /// How to print problems: `human`, `github` (Actions annotations), `json` or `sarif` (SARIF 2.1.0).
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Treat warnings as errors (also `deny-warnings = true` in `[preprocessor.validate]`).
    #[arg(long)]
    deny_warnings: bool,
    /// Also check that external http(s) links answer (cached, rate-limited).
    #[arg(long)]
    online: bool,
}

impl ReportArgs {
    fn options(&self) -> Options {
        Options {
            deny_warnings: self.deny_warnings,
            online: self.online,
        }
    }
}

/// Runs the CLI with the process's arguments.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    // Not locked for the whole run: a worker thread that writes to stderr
    // (a panic's message, a library's warning) would wait on it for ever.
    let mut stdout = std::io::stdout();
    let mut stderr = std::io::stderr();
    let color = std::io::stderr().is_terminal();
    ExitCode::from(run(cli, &mut stdout, &mut stderr, color))
}

/// Runs a parsed command line, writing reports to `out` (machine formats)
/// or `err` (people's format and progress). Returns the exit status.
pub fn run(cli: Cli, out: &mut dyn Write, err: &mut dyn Write, color: bool) -> u8 {
    let asked = requested_format(&cli);
    match execute(cli, out, err, color) {
        Ok(code) => code,
        Err(error) => {
            let mut message = format!("{error:#}");
            if let Some((_, book)) = &asked {
                message = relative_to_book(&message, book);
            }
            let unloadable = error.is::<crate::pipeline::Unloadable>();
            match asked {
                // A book that cannot be loaded is a problem of the book, shown
                // as every other is: where, the line, and what to do.
                Some((Format::Human, book)) if unloadable => {
                    let found = [unreadable(&error, &book)];
                    let _ = write!(err, "{}", diagnostics::render(&found, Format::Human, color));
                }
                Some((format, book)) if format != Format::Human => {
                    let _ = writeln!(err, "error: {}", diagnostics::printable(&message));
                    // A machine reading stdout gets a document even when nothing ran.
                    let found = [unreadable(&error, &book)];
                    let _ = write!(out, "{}", diagnostics::render(&found, format, false));
                }
                _ => {
                    let _ = writeln!(err, "error: {}", diagnostics::printable(&message));
                }
            }
            2
        }
    }
}

/// The report format a command asked for, and its book folder.
fn requested_format(cli: &Cli) -> Option<(Format, PathBuf)> {
    match &cli.command {
        Command::Build { book, report, .. } | Command::Check { book, report } => {
            Some((report.format, book.book.clone()))
        }
        Command::Policy {
            command: PolicyCommand::Lint { format, .. },
        } => Some((*format, PathBuf::from("."))),
        _ => None,
    }
}

/// The one diagnostic of a run that could not read the book, placed at
/// `book.toml`'s line and column when the error names them.
fn unreadable(error: &anyhow::Error, book: &std::path::Path) -> diagnostics::Diagnostic {
    let full = format!("{error:#}");
    // TOML errors draw the line under their first line; keep the words.
    let mut lines = full.lines().map(str::trim).filter(|l| !l.is_empty());
    let first = lines.next().unwrap_or_default();
    let message = match lines.next_back().filter(|l| !l.contains('|')) {
        Some(last) => format!("{first}: {last}"),
        None => first.to_string(),
    };
    let message = relative_to_book(&message, book);
    let at = regex::Regex::new(r"line (\d+), column (\d+)")
        .ok()
        .and_then(|re| {
            let c = re.captures(&message)?;
            Some((c[1].parse().ok()?, c[2].parse().ok()?))
        })
        .filter(|_| message.contains("book.toml"));
    let location = match at {
        Some((line, column)) => {
            let text = std::fs::read_to_string(book.join("book.toml")).unwrap_or_default();
            crate::diagnostics::location::Location::at_line_col("book.toml", &text, line, column)
        }
        None => crate::diagnostics::location::Location::file(if book.join("book.toml").is_file() {
            "book.toml"
        } else {
            "."
        }),
    };
    diagnostics::Diagnostic::raise(BOOK_UNREADABLE, location, message)
        .with_hint("the book could not be read, so nothing else was checked")
}

/// `message` with the book's absolute path spelled relative to it, as
/// every other path in a report is.
fn relative_to_book(message: &str, book: &std::path::Path) -> String {
    let mut message = message.to_string();
    let forms = [std::path::absolute(book).ok(), book.canonicalize().ok()];
    for form in forms.iter().flatten().filter(|f| f.parent().is_some()) {
        let form = form.display().to_string();
        message = message.replace(&format!("{form}/"), "").replace(&form, ".");
    }
    message
}

fn execute(cli: Cli, out: &mut dyn Write, err: &mut dyn Write, color: bool) -> anyhow::Result<u8> {
    match cli.command {
        Command::Build {
            book,
            dest_dir,
            report,
        } => {
            writeln!(err, "Building {} …", shown(&book.book))?;
            let outcome = pipeline::build(&book.book, dest_dir.as_deref(), &report.options())?;
            let code = print(
                &outcome.diagnostics,
                outcome.failed,
                report.format,
                out,
                err,
                color,
            )?;
            match &outcome.site {
                Some(site) => writeln!(err, "Site written to {}", shown(site))?,
                None => writeln!(err, "Nothing written: the previous site is unchanged.")?,
            }
            Ok(code)
        }
        Command::Check { book, report } => {
            writeln!(err, "Checking {} …", shown(&book.book))?;
            let outcome = pipeline::check(&book.book, &report.options())?;
            print(
                &outcome.diagnostics,
                outcome.failed,
                report.format,
                out,
                err,
                color,
            )
        }
        Command::Fix { book, dry_run } => {
            let outcome = crate::shells::fix::run(&book.book, dry_run, out)?;
            let verb = if dry_run { "would fix" } else { "fixed" };
            let plural =
                |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
            writeln!(
                err,
                "{verb} {} in {}; {} need a person{}",
                plural(outcome.fixed, "problem"),
                plural(outcome.files, "file"),
                outcome.left.len(),
                if outcome.left.is_empty() {
                    ""
                } else {
                    " (run `responder-docs check`)"
                }
            )?;
            Ok(u8::from(outcome.failed))
        }
        #[cfg(feature = "serve")]
        Command::Serve {
            book,
            port,
            open,
            deny_warnings,
        } => {
            let options = ServeOptions {
                port,
                open,
                build: Options {
                    deny_warnings,
                    online: false,
                },
            };
            serve::serve(&book.book, &options)?;
            Ok(0)
        }
        Command::Policy {
            command:
                PolicyCommand::Lint {
                    files,
                    kind,
                    format,
                    deny_warnings,
                },
        } => {
            let mut found = Diagnostics::new();
            policy::lint_files(&files, kind, &mut found)?;
            let failed = found.is_failure(deny_warnings);
            print(&found.into_sorted(), failed, format, out, err, color)
        }
        Command::Mdbook { name, supports } => {
            match supports {
                Some(SupportsCommand::Supports { renderer }) => {
                    crate::shells::mdbook_command::supports(&name, &renderer)?
                }
                None => crate::shells::mdbook_command::run(&name)?,
            }
            Ok(0)
        }
    }
}

fn print(
    found: &[diagnostics::Diagnostic],
    failed: bool,
    format: Format,
    out: &mut dyn Write,
    err: &mut dyn Write,
    color: bool,
) -> anyhow::Result<u8> {
    match format {
        Format::Human => write!(err, "{}", diagnostics::render(found, format, color))?,
        _ => write!(out, "{}", diagnostics::render(found, format, color))?,
    }
    Ok(u8::from(failed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn the_book_defaults_to_the_current_folder() {
        let cli = Cli::try_parse_from(["responder-docs", "check", "--format", "json"]).unwrap();
        match cli.command {
            Command::Check { book, report } => {
                assert_eq!(book.book, PathBuf::from("."));
                assert_eq!(report.format, Format::Json);
            }
            other => panic!("parsed as {other:?}"),
        }
    }
}
