//! The in-process build: load the book with mdbook-driver, run our passes in
//! place of the `command` entries book.toml declares for stock mdBook, gather
//! every diagnostic, and only then write the site, beside the old one first.

pub mod destination;
pub(crate) mod incremental;
pub(crate) mod steps;
pub(crate) mod validate;

use crate::diagnostics::phases::Phases;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::book_root::BookRoot;
use crate::model::outline::Source;
use crate::model::sandbox;
pub(crate) use crate::pipeline::incremental::Pages;
use crate::pipeline::incremental::Rendered;
use anyhow::{Context, Result};
use mdbook_driver::MDBook;
use mdbook_driver::book::Book;
use mdbook_driver::builtin_preprocessors::LinkPreprocessor;
use mdbook_html::HtmlHandlebars;
use mdbook_preprocessor::book::BookItem;
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};
use mdbook_renderer::{RenderContext, Renderer};
use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;
use steps::Step;

#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Warnings fail the run (also `deny-warnings` in `[preprocessor.validate]`).
    pub deny_warnings: bool,
    /// Check external links over the network.
    pub online: bool,
}

#[derive(Debug)]
pub struct Outcome {
    pub diagnostics: Vec<Diagnostic>,
    pub failed: bool,
    /// Where the site was written, when it was.
    pub site: Option<PathBuf>,
}

/// Runs every preprocessor and validator; writes nothing.
pub(crate) fn check(root: &Path, options: &Options) -> Result<Outcome> {
    preprocess(root, options).map(|(_, outcome)| outcome)
}

/// One chapter as readers get it.
#[derive(Debug, Clone)]
pub struct RenderedChapter {
    /// The chapter's file, relative to the book root (`src/service.md`).
    pub path: String,
    /// Its Markdown after every preprocessor.
    pub content: String,
}

/// The book as the validators read it, every preprocessor run, with its
/// root; `None` when the book's sources refuse loading (`check` says why).
pub fn processed(root: &Path) -> Result<Option<(BookRoot, Book)>> {
    sandbox::confined(|| processed_confined(root))
}

fn processed_confined(root: &Path) -> Result<Option<(BookRoot, Book)>> {
    let options = Options::default();
    let (book, book_root) = match load(root, &options, Creates::Nothing)? {
        Loaded::Book(book, _, book_root) => (book, *book_root),
        Loaded::Refused(_) => return Ok(None),
    };
    read_only(&book, &book_root, &options)?;
    let (processed, _) = book.preprocess_book(&HtmlHandlebars::new())?;
    Ok(Some((book_root, processed)))
}

/// Runs every preprocessor and validator and returns the chapters as readers
/// get them (every directive expanded), in `SUMMARY.md` order, for tools that
/// work on the rendered Markdown, such as the test that runs the guide's
/// shell blocks. Writes nothing.
pub fn preprocess(root: &Path, options: &Options) -> Result<(Vec<RenderedChapter>, Outcome)> {
    sandbox::confined(|| preprocess_confined(root, options))
}

fn preprocess_confined(root: &Path, options: &Options) -> Result<(Vec<RenderedChapter>, Outcome)> {
    let mut phases = Phases::new();
    let (book, diagnostics, book_root) = match load(root, options, Creates::Nothing)? {
        Loaded::Book(book, diagnostics, book_root) => (book, diagnostics, *book_root),
        Loaded::Refused(outcome) => return Ok((Vec::new(), outcome)),
    };
    phases.done("load");
    read_only(&book, &book_root, options)?;
    let (processed, _) = book.preprocess_book(&HtmlHandlebars::new())?;
    phases.done("preprocessors");
    diagnostics
        .borrow_mut()
        .extend(crate::pipeline::validate::validate(&book_root, &processed)?);
    phases.done("validators");
    let chapters = processed
        .iter()
        .filter_map(|item| match item {
            BookItem::Chapter(ch) => Some(RenderedChapter {
                path: book_root.chapter_path(ch.source_path.as_deref()?),
                content: ch.content.clone(),
            }),
            _ => None,
        })
        .collect();
    Ok((chapters, outcome(&book_root, diagnostics, None)))
}

/// Runs everything and, when clean, writes the HTML site to `dest` (default:
/// the book's build directory). On failure the previous site is untouched.
///
/// The renderer works on one core; the validators read the same finished
/// book on the others meanwhile, into a staging folder that is thrown away
/// if they find a problem. So a clean build costs what rendering costs.
pub fn build(root: &Path, dest: Option<&Path>, options: &Options) -> Result<Outcome> {
    rebuild(root, dest, options, None).map(|rebuilt| rebuilt.outcome)
}

/// The site `serve` wrote last and the files edited since (absolute).
pub(crate) struct Since<'a> {
    last: &'a Rendered,
    changed: &'a [PathBuf],
}

#[derive(Debug)]
pub struct Rebuilt {
    pub outcome: Outcome,
    /// What the site now served was rendered from, when one was written
    /// (kept by [`Rebuilds`]).
    rendered: Option<Rendered>,
    /// The pages written again, when not the whole site was.
    pub pages: Option<Pages>,
    /// Pages were written again but the search index and the print page,
    /// which hold every chapter, were not: a full build brings them (and the
    /// index's name in every page) up to date.
    pub stale: bool,
}

/// What `serve` keeps between rebuilds: what the site it serves was
/// rendered from, the files edited since, and whether the search index and
/// print page lag behind pages written alone.
#[derive(Default)]
pub struct Rebuilds {
    last: Option<Rendered>,
    changed: Vec<PathBuf>,
    stale: bool,
}

impl Rebuilds {
    /// A source was created, written, renamed or removed (absolute path).
    pub fn edited(&mut self, path: PathBuf) {
        crate::model::kept_texts::forget_text(&path);
        self.changed.push(path);
    }

    /// Pages were written alone since the last full build.
    pub fn stale(&self) -> bool {
        self.stale
    }

    /// Builds into `dest`, rendering only the pages the edits changed when
    /// that gives the site a full build would (see [`rebuild`]).
    pub fn rebuild(&mut self, root: &Path, dest: &Path, options: &Options) -> Result<Rebuilt> {
        let since = self.last.as_ref().map(|last| Since {
            last,
            changed: &self.changed,
        });
        let mut rebuilt = rebuild(root, Some(dest), options, since)?;
        if let Some(rendered) = rebuilt.rendered.take() {
            self.last = Some(rendered);
            self.changed.clear();
            self.stale = rebuilt.stale || (self.stale && rebuilt.pages.is_some());
        }
        Ok(rebuilt)
    }

    /// A full build, whatever changed: what brings the search index and
    /// the print page up to date.
    pub fn full(&mut self, root: &Path, dest: &Path, options: &Options) -> Result<Rebuilt> {
        self.last = None;
        self.rebuild(root, dest, options)
    }
}

/// [`build`], for [`Rebuilds`]: every preprocessor and validator runs on the
/// whole book, as always, but when `since` shows that only some chapters'
/// content changed, only their pages are rendered (see [`incremental`]) and
/// written over the old ones; anything else is a full build.
fn rebuild(
    root: &Path,
    dest: Option<&Path>,
    options: &Options,
    since: Option<Since<'_>>,
) -> Result<Rebuilt> {
    // The staging folder is held out here: the sandbox lets the renderer
    // make and remove nothing beside it, so it is removed (dropped) and the
    // site swapped in by our own code alone, outside the sandbox.
    let mut staging = None;
    let (result, finished) =
        sandbox::confined(|| build_confined(root, dest, options, since, &mut staging))?;
    let (Some(finished), Some(staging)) = (finished, staging) else {
        return Ok(result);
    };
    let site = Some(finished.dest.clone());
    match result.pages {
        // Dropping `staging` afterwards removes the folder the site was moved out of.
        None => destination::replace(&staging.site(), &finished.dest)?,
        Some(ref pages) => {
            if !publish_pages(&staging.site(), &finished.dest, pages)? {
                // A page names a shared file this build cannot match with
                // the site's: render it all.
                drop(staging);
                return rebuild(root, dest, options, None);
            }
        }
    }
    Ok(Rebuilt {
        outcome: Outcome {
            site,
            ..result.outcome
        },
        ..result
    })
}

/// Where the site goes once rendered.
struct Finished {
    dest: PathBuf,
}

/// The outcome, and where the site marked in `staging` goes when it is
/// ready to be swapped in (or its pages copied into the site).
fn build_confined(
    root: &Path,
    dest: Option<&Path>,
    options: &Options,
    since: Option<Since<'_>>,
    staging: &mut Option<destination::Staging>,
) -> Result<(Rebuilt, Option<Finished>)> {
    let nothing = |outcome| Rebuilt {
        outcome,
        rendered: None,
        pages: None,
        stale: false,
    };
    let mut phases = Phases::new();
    let (book, diagnostics, mut book_root) = match load(root, options, Creates::Missing)? {
        Loaded::Book(book, diagnostics, book_root) => (book, diagnostics, *book_root),
        Loaded::Refused(outcome) => return Ok((nothing(outcome), None)),
    };
    book_root.edited = since.as_ref().map(|since| since.changed.into());
    phases.done("load");
    let renderer = HtmlHandlebars::new();
    // The staging folder is made before the sandbox starts, so the sandbox
    // can let the renderer write there and nowhere else; a destination
    // refused is reported only if the book itself is clean.
    let prepared = if diagnostics.borrow().is_failure(book_root.deny_warnings()) {
        None
    } else {
        let dest = match dest {
            Some(dest) => absolute(dest)?,
            None => book.build_dir_for(renderer.name()),
        };
        Some(prepare(&book, &book_root, &dest).map(|(dest, made)| {
            *staging = Some(made);
            dest
        }))
    };
    let mut confinement = sandbox::read_only(book_root.reach().allowed());
    confinement
        .write
        .extend(staging.as_ref().map(|s| s.path().to_path_buf()));
    confinement.write.extend(link_cache(&book, options));
    sandbox::enter(&confinement)?;
    let (processed, ctx) = book.preprocess_book(&renderer)?;
    phases.done("preprocessors");
    if diagnostics.borrow().is_failure(book_root.deny_warnings()) {
        // Nothing will be written: report every problem, render nothing.
        diagnostics
            .borrow_mut()
            .extend(crate::pipeline::validate::validate(&book_root, &processed)?);
        return Ok((nothing(outcome(&book_root, diagnostics, None)), None));
    }
    let dest = prepared.context("the destination was not prepared")??;
    let site = staging
        .as_ref()
        .context("the destination was not prepared")?
        .site();
    let titles: HashMap<PathBuf, String> = ctx.chapter_titles.borrow_mut().drain().collect();
    let pages = since.and_then(|since| {
        incremental::pages(
            since.last,
            &processed,
            &titles,
            &book.config,
            &book.root,
            since.changed,
        )
    });
    // Rendered alone, the pages to write again are rendered from a book of
    // them and their neighbours; the validators read the whole book.
    let (to_render, whole) = match &pages {
        Some(pages) => (incremental::reduced(&processed, pages), Some(processed)),
        None => (processed, None),
    };
    let mut render_ctx = RenderContext::new(
        book.root.clone(),
        to_render,
        book.config.clone(),
        site.clone(),
    );
    render_ctx.chapter_titles.extend(titles.clone());
    let processed = whole.as_ref().unwrap_or(&render_ctx.book);
    let (found, rendered) = std::thread::scope(|scope| {
        let validators = scope.spawn(|| crate::pipeline::validate::validate(&book_root, processed));
        let rendered = renderer.render(&render_ctx);
        let found = validators
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (found, rendered)
    });
    phases.done("validators and renderer, side by side");
    diagnostics.borrow_mut().extend(found?);
    let result = outcome(&book_root, diagnostics, None);
    if result.failed {
        // Dropping `staging` removes the half-published site.
        return Ok((nothing(result), None));
    }
    rendered.context("rendering failed")?;
    destination::mark(&site)?;
    let html = book.config.html_config().unwrap_or_default();
    let shared_pages = html.print.enable || html.search.is_none_or(|s| s.enable);
    let stale = shared_pages && pages.as_ref().is_some_and(|p| !p.chapters.is_empty());
    let rendered = Rendered {
        book: whole.unwrap_or_else(|| std::mem::take(&mut render_ctx.book)),
        titles,
        config: book.config.clone(),
    };
    Ok((
        Rebuilt {
            outcome: result,
            rendered: Some(rendered),
            pages,
            stale,
        },
        Some(Finished { dest }),
    ))
}

/// Writes the pages rendered in `staged` over the site's, each whole (a
/// reader never gets half a page). The shared files a page names by hash
/// (`toc-….js`) are the site's: the reduced book's own differ, so their
/// names are replaced with the site's. `false`, writing nothing, when a
/// name has no single counterpart in the site or a page's place is not
/// plainly inside it.
fn publish_pages(staged: &Path, site: &Path, pages: &Pages) -> Result<bool> {
    let names = |dir: &Path| -> Result<Vec<String>> {
        Ok(std::fs::read_dir(dir)
            .with_context(|| format!("cannot list {}", dir.display()))?
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect())
    };
    let Some(renames) = incremental::shared_names(&names(staged)?, &names(site)?) else {
        return Ok(false);
    };
    let mut files: Vec<PathBuf> = pages
        .chapters
        .iter()
        .map(|p| p.with_extension("html"))
        .collect();
    if pages.index {
        files.push(PathBuf::from("index.html"));
    }
    // Written outside the sandbox: a page's place must be inside the site,
    // through no `..` and no link, or the sandboxed full render decides.
    let real_site = std::fs::canonicalize(site)?;
    let inside = |file: &Path| {
        file.components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
            && site
                .join(file)
                .parent()
                .and_then(|dir| std::fs::canonicalize(dir).ok())
                .is_some_and(|dir| dir.starts_with(&real_site))
    };
    if !files.iter().all(|file| inside(file)) {
        return Ok(false);
    }
    for file in files {
        let from = staged.join(&file);
        let page =
            std::fs::read(&from).with_context(|| format!("cannot read {}", from.display()))?;
        let page = incremental::rename_shared(&page, &renames);
        let to = site.join(&file);
        let dir = to.parent().context("a page has no folder")?;
        let mut temp = tempfile::NamedTempFile::new_in(dir)
            .with_context(|| format!("cannot write in {}", dir.display()))?;
        std::io::Write::write_all(&mut temp, &page)?;
        // As the renderer made it (a temporary file is private to its owner).
        if let Ok(old) = std::fs::metadata(&to) {
            std::fs::set_permissions(temp.path(), old.permissions())?;
        }
        temp.persist(&to)
            .with_context(|| format!("cannot write {}", to.display()))?;
    }
    Ok(true)
}

/// Judges the destination (a symlink is the folder it leads to) and makes
/// the staging folder beside it.
fn prepare(
    book: &MDBook,
    book_root: &BookRoot,
    dest: &Path,
) -> Result<(PathBuf, destination::Staging)> {
    let through_link = std::fs::symlink_metadata(dest).is_ok_and(|m| m.file_type().is_symlink());
    let dest = destination::real(dest)?;
    let sources = book.root.join(&book.config.book.src);
    let repository = crate::model::reach::repository_root(&book.root);
    // Always judged, even with the test-only switch that turns our path
    // checks off: the site is swapped in outside the sandbox, so nothing
    // else stands between a refused destination and the writer's files.
    let protected = destination::Protected {
        book: &book.root,
        sources: &sources,
        repository: &repository,
        inputs: &destination::inputs(book_root),
        book_entries: &destination::book_entries(book_root),
    };
    destination::check(&dest, through_link, &protected)?;
    let parent = dest
        .parent()
        .context("the destination has no parent folder")?;
    std::fs::create_dir_all(parent)
        .with_context(|| format!("cannot create {}", parent.display()))?;
    destination::remove_leftovers(parent, &protected);
    let staging = destination::stage(parent)?;
    Ok((dest, staging))
}

/// Confines the thread to reading inside the boundary: a run that writes
/// nothing (but the `--online` links cache).
fn read_only(book: &MDBook, book_root: &BookRoot, options: &Options) -> Result<()> {
    let mut confinement = sandbox::read_only(book_root.reach().allowed());
    confinement.write.extend(link_cache(book, options));
    sandbox::enter(&confinement).map(|_| ())
}

/// With `--online`, the folder of the links cache, made before the sandbox
/// starts so the validators may write there.
fn link_cache(book: &MDBook, options: &Options) -> Option<PathBuf> {
    let dir = book
        .root
        .join(crate::checks::links::CACHE_FILE)
        .parent()?
        .to_path_buf();
    (options.online && std::fs::create_dir_all(&dir).is_ok()).then_some(dir)
}

enum Loaded {
    /// The book, where its passes' diagnostics go, and the run's root (its
    /// chapter files as loaded, every file read once for all passes).
    Book(Box<MDBook>, Rc<RefCell<Diagnostics>>, Box<BookRoot>),
    /// The sources reach outside the repository (or hold a FIFO, a loop…):
    /// mdBook's loader is not even started on them.
    Refused(Outcome),
}

/// Whether a run may create the missing chapters `create-missing` asks for
/// (`build` and `serve`), or takes the text mdBook would write and writes
/// nothing (`check`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Creates {
    Nothing,
    Missing,
}

/// A book that could not be loaded at all: every report shows it as the
/// one problem `book::unreadable`, in the run's format.
#[derive(Debug)]
pub(crate) struct Unloadable(anyhow::Error);

impl std::fmt::Display for Unloadable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:#}", self.0)
    }
}

impl std::error::Error for Unloadable {}

fn load(root: &Path, options: &Options, creates: Creates) -> Result<Loaded> {
    load_book(root, options, creates).map_err(|error| Unloadable(error).into())
}

fn load_book(root: &Path, options: &Options, creates: Creates) -> Result<Loaded> {
    let root = absolute(root)?;
    let toml = root.join("book.toml");
    // Only absence is judged here: a FIFO or a folder is refused below,
    // located, without being opened.
    if std::fs::symlink_metadata(&toml).is_err() {
        anyhow::bail!(
            "no book.toml in {}: give the book's root folder (where book.toml is)",
            root.display()
        );
    }
    let unchecked = sandbox::unchecked();
    if let Some(refused) = crate::model::reach::check_book_toml(&root).filter(|_| !unchecked) {
        return Ok(Loaded::Refused(Outcome {
            failed: true,
            diagnostics: vec![refused],
            site: None,
        }));
    }
    // Read once, through the one read primitive, and kept for the checks of
    // book.toml; mdBook's own reader answers when ours cannot (its message).
    let text = crate::model::reach::read_text(&toml).ok();
    let mut config = match &text {
        Some(text) => text.parse(),
        None => mdbook_driver::config::Config::from_disk(&toml),
    }
    .with_context(|| format!("cannot load {}", toml.display()))?;
    config.update_from_env()?;
    let book_root = crate::model::book_root::BookRoot::new(&root, config.clone());
    if let Some(text) = text {
        book_root.remember(&toml, text);
    }
    let mut sources = Diagnostics::new();
    let mut chapter_refused = false;
    let reach = book_root.reach();
    if !unchecked {
        crate::checks::sources::check_sources(&book_root, reach, &mut sources);
        chapter_refused = crate::checks::sources::check_summary(&book_root, reach, &mut sources);
        crate::checks::sources::check_budgets(&book_root, reach, &mut sources);
        // What the renderer will read and write, judged before anything renders.
        sources.extend(crate::checks::render_paths::check(&book_root));
    }
    // mdBook's loader reads `SUMMARY.md` and every chapter: one of them
    // leading outside (or a FIFO) must stop it; other files only fail the build.
    // An input over a budget stops the run: its checks would cost too much.
    let blocks_loading = chapter_refused
        || sources.iter().any(|d| {
            d.location.path.ends_with(".md")
                || d.location.path == book_root.src_dir()
                || d.code == crate::model::reach::REACH_OVER_BUDGET
        });
    if blocks_loading {
        return Ok(Loaded::Refused(Outcome {
            failed: true,
            diagnostics: sources.into_sorted(),
            site: None,
        }));
    }
    let one = crate::model::config::has_one(&config);
    let shared = crate::model::config::located(crate::model::config::SHARED_TABLE, one);
    // A flag sets its key unless the book gives it a value that is not a
    // boolean: that value stays, for the settings check to report (setting
    // over it would hide an error, and the run fails on it anyway).
    for (flag, key) in [
        (options.deny_warnings, "deny-warnings"),
        (options.online, "online"),
    ] {
        let key = format!("preprocessor.{shared}.{key}");
        let written = config.get::<toml::Value>(&key).ok().flatten();
        if flag && written.is_none_or(|v| v.is_bool()) {
            config.set(key, true)?;
        }
    }
    let (place, includes) = ours_in_place_of(&config, one)?;
    // Our steps run here, once, in their one order: no `command` of ours
    // is started (`renderers = []` is mdBook's "not for this output"),
    // and nothing is written back to book.toml.
    for table in crate::model::config::TABLES
        .iter()
        .map(|(name, _)| *name)
        .chain([crate::model::config::ONE])
    {
        let key = format!("preprocessor.{table}");
        if table != place && config.get::<toml::Value>(&key)?.is_some() {
            config.set(format!("{key}.renderers"), Vec::<String>::new())?;
        }
    }
    let mut book = load_confined(&root, config, &book_root, creates)
        .with_context(|| format!("cannot load the book at {}", root.display()))?;
    let diagnostics = Rc::new(RefCell::new(sources));
    let loaded = Arc::new(book_root.loaded_sources(&book.book));
    let book_root = book_root
        .with_config(book.config.clone())
        .with_loaded(loaded);
    diagnostics
        .borrow_mut()
        .extend(crate::model::config::check_all(
            &book_root.config,
            &book_root
                .read(crate::model::config::BOOK_TOML)
                .unwrap_or_default(),
        ));
    book.with_preprocessor(Ours {
        name: place,
        includes,
        diagnostics: diagnostics.clone(),
        root: book_root.clone(),
    });
    Ok(Loaded::Book(
        Box::new(book),
        diagnostics,
        Box::new(book_root),
    ))
}

/// The book from the texts the source checks read ([`crate::model::outline`]),
/// a missing chapter that `check` would have `create-missing` write holding
/// the text it would write; failing that, mdBook's loader (`SUMMARY.md`, every chapter, and
/// `create-missing`'s new files) in a thread of its own under the sandbox: reading inside the
/// boundary, and writing under the sources only when `create-missing` may
/// write there. The book it read is handed to an `MDBook` that reads nothing.
fn load_confined(
    root: &Path,
    config: mdbook_driver::config::Config,
    book_root: &BookRoot,
    creates: Creates,
) -> Result<MDBook> {
    let src = root.join(&config.book.src);
    // Only texts the source checks read, each after judging it: with those
    // checks off (the test-only switch), mdBook's loader runs confined.
    let read = book_root
        .already_read(&src.join("SUMMARY.md"))
        .and_then(|summary| {
            let source_of = |chapter: &Path| {
                let path = src.join(chapter);
                match book_root.already_read(&path) {
                    Some(text) => Source::Text(text),
                    None if creates == Creates::Nothing && !path.exists() => Source::Missing,
                    None => Source::Unknown,
                }
            };
            crate::model::outline::book(&summary, source_of, config.build.create_missing)
        });
    let empty = mdbook_summary::Summary::default();
    if let Some(read) = read {
        let mut book = MDBook::load_with_config_and_summary(root, config, empty)?;
        book.book = read;
        return Ok(book);
    }
    let mut confinement = sandbox::read_only(book_root.reach().allowed());
    // `check` writes nothing, so its loader creates nothing either.
    let mut loading = config.clone();
    loading.build.create_missing &= creates == Creates::Missing;
    if loading.build.create_missing {
        confinement.write.push(root.join(&config.book.src));
    }
    let loaded = sandbox::confined(|| -> Result<Book> {
        sandbox::enter(&confinement)?;
        Ok(MDBook::load_with_config(root, loading.clone())?.book)
    })?;
    let mut book = MDBook::load_with_config_and_summary(root, config, empty)?;
    book.book = loaded;
    Ok(book)
}

/// Where our steps run among the book's preprocessors, and whether they
/// expand includes: in place of the includes step (mdBook's `links`, our
/// `[preprocessor.include]`, or the one table), so every preprocessor the
/// book orders before or after the includes keeps its place. mdBook's
/// `links` never runs: ours takes its place. A book with none of these
/// asked for no includes; our passes then run after its own preprocessors.
fn ours_in_place_of(
    config: &mdbook_driver::config::Config,
    one: bool,
) -> Result<(&'static str, bool)> {
    let declared = |name: &str| -> Result<bool> {
        Ok(config
            .get::<toml::Value>(&format!("preprocessor.{name}"))?
            .is_some())
    };
    Ok(
        if config.build.use_default_preprocessors || declared(LinkPreprocessor::NAME)? {
            (LinkPreprocessor::NAME, true)
        } else if one {
            (crate::model::config::ONE, true)
        } else if declared("include")? {
            ("include", true)
        } else {
            (crate::model::config::ONE, false)
        },
    )
}

/// Our steps in-process, as one mdBook preprocessor: every directive pass,
/// then the includes. The validators run once every preprocessor is done
/// (see [`build`]), on the book the renderer gets.
struct Ours {
    name: &'static str,
    includes: bool,
    diagnostics: Rc<RefCell<Diagnostics>>,
    /// The run's root: files the passes read are not read again.
    root: BookRoot,
}

impl Preprocessor for Ours {
    fn name(&self) -> &str {
        self.name
    }

    fn run(&self, ctx: &PreprocessorContext, book: Book) -> Result<Book> {
        let book_root = self.root.with_config(ctx.config.clone());
        let mut steps: Vec<Step> = crate::passes().into_iter().map(Step::Pass).collect();
        if self.includes {
            steps.push(Step::Include);
        }
        let mut found = Diagnostics::new();
        let (book, titles) = steps::run(&book_root, book, &steps, &mut found)?;
        ctx.chapter_titles.borrow_mut().extend(titles);
        self.diagnostics.borrow_mut().extend(found);
        Ok(book)
    }
}

fn outcome(
    book_root: &BookRoot,
    diagnostics: Rc<RefCell<Diagnostics>>,
    site: Option<PathBuf>,
) -> Outcome {
    let found = diagnostics.take();
    let deny = book_root.deny_warnings();
    Outcome {
        failed: found.is_failure(deny),
        diagnostics: found.into_sorted(),
        site,
    }
}

fn absolute(path: &Path) -> Result<PathBuf> {
    std::path::absolute(path).with_context(|| format!("bad path {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_is_written_only_plainly_inside_the_site() {
        let dir = tempfile::tempdir().unwrap();
        let (staged, site) = (dir.path().join("staged"), dir.path().join("site"));
        for folder in [&staged, &site] {
            std::fs::create_dir_all(folder.join("part")).unwrap();
        }
        std::fs::write(staged.join("part/a.html"), "new").unwrap();
        std::fs::write(site.join("part/a.html"), "old").unwrap();
        std::fs::write(dir.path().join("evil.html"), "theirs").unwrap();
        std::fs::write(staged.join("evil.html"), "ours").unwrap();
        let pages = |paths: &[&str]| Pages {
            chapters: paths.iter().map(PathBuf::from).collect(),
            index: false,
        };
        // Through `..`, or a link in the site to a folder outside it: nothing.
        std::os::unix::fs::symlink(dir.path(), site.join("out")).unwrap();
        for refused in [
            &["part/a.md", "../evil.md"][..],
            &["part/a.md", "out/evil.md"],
        ] {
            assert!(!publish_pages(&staged, &site, &pages(refused)).unwrap());
            assert_eq!(
                std::fs::read_to_string(site.join("part/a.html")).unwrap(),
                "old"
            );
            let theirs = std::fs::read_to_string(dir.path().join("evil.html")).unwrap();
            assert_eq!(theirs, "theirs");
        }
        assert!(publish_pages(&staged, &site, &pages(&["part/a.md"])).unwrap());
        assert_eq!(
            std::fs::read_to_string(site.join("part/a.html")).unwrap(),
            "new"
        );
    }
}
