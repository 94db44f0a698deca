//! `responder-docs serve`: take the port, build, serve on loopback, rebuild
//! when a writer saves and reload the browser. A failed rebuild keeps the last
//! good site online.
//!
//! The watcher reports what happened to a file, not only that something did:
//! a build opens and reads every source, so only creations, removals, renames
//! and writes count as edits, never opens or reads (counting them rebuilt the
//! book for ever). Editor scratch files and our own output never count.
//!
//! Every HTML page carries the error overlay's script: after a failed
//! rebuild the browsers reload too, and each page shows that build's
//! problems over the last good site until a build succeeds.

use crate::diagnostics::{self, Format};
use crate::pipeline::{self, Options};
use crate::shells::overlay;
use anyhow::{Context, Result};
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::IntoResponse;
use notify_debouncer_mini::notify::{self, EventKind, RecursiveMode, Watcher};
use std::io::IsTerminal;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};
use tower_http::services::ServeDir;
use tower_livereload::{LiveReloadLayer, Reloader};

pub struct ServeOptions {
    pub port: u16,
    pub open: bool,
    pub build: Options,
}

/// What `serve` does, in order; each is printed, and passed to the observer
/// of [`serve_observed`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServeEvent {
    Listening(SocketAddr),
    /// A build finished and the new site is in place.
    Built,
    /// After pages were written alone, the full build that brought the
    /// search index and the print page up to date finished.
    Settled,
    BuildFailed,
    /// The browsers were told to reload.
    Reloaded,
    /// Only the print page was told to reload: a full build that settled
    /// changed no other page but for the search index's name, and the old
    /// name is answered with the new index.
    PrintReloaded,
    /// Edits from now on are seen.
    Watching,
}

/// How long the sources must stay quiet after an edit before the rebuild
/// starts, so that one save (an editor may write, rename and delete several
/// files) gives one rebuild.
const QUIET: Duration = Duration::from_millis(100);
/// After pages were written alone, how long the sources must stay quiet
/// before a full build brings the search index and print page up to date.
const SETTLE: Duration = Duration::from_millis(1000);
/// A file written without pause still gets a rebuild this often.
const MAX_WAIT: Duration = Duration::from_secs(2);

pub fn serve(root: &Path, options: &ServeOptions) -> Result<()> {
    serve_observed(root, options, |_| {})
}

/// [`serve`], telling `observe` each step as it happens.
pub fn serve_observed(
    root: &Path,
    options: &ServeOptions,
    observe: impl Fn(&ServeEvent),
) -> Result<()> {
    let root = std::path::absolute(root)?;
    let book = crate::model::book_root::BookRoot::load(&root)?;
    // A rebuild parses again only the chapters whose content changed.
    crate::model::chapters::keep_reads();
    crate::model::markdown::keep_budgets();
    crate::checks::links::keep_findings();
    crate::checks::procedures::keep_findings();
    crate::model::kept_texts::keep_texts();
    // The site is served from `build-dir` for the whole session: one that
    // leads outside the repository is neither written nor served.
    if let Some(refused) = crate::checks::render_paths::build_dir(&book) {
        anyhow::bail!(
            "{}\n  = help: {}",
            refused.short(),
            refused.hint.as_deref().unwrap_or_default()
        );
    }
    let site = root.join(&book.config.build.build_dir);

    // Take the port before anything is built, so a second `serve` on the same
    // port fails without touching the site the first one is serving.
    let addr = SocketAddr::from(([127, 0, 0, 1], options.port));
    let runtime = tokio::runtime::Runtime::new()?;
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind(addr))
        .with_context(|| format!("cannot listen on {addr} (is another server using it?)"))?;
    let addr = listener.local_addr()?;

    // Two live-reload channels: the print page's, and every other page's.
    let livereload = LiveReloadLayer::new().request_predicate(not_print as fn(&Request) -> bool);
    let print_livereload = LiveReloadLayer::new()
        .custom_prefix(PRINT_LIVERELOAD)
        .request_predicate(is_print as fn(&Request) -> bool);
    let reloaders = Reloaders {
        pages: livereload.reloader(),
        print: print_livereload.reloader(),
    };
    let fallback_site = site.clone();
    let guard = Arc::new(Guard {
        port: addr.port(),
        site: site.clone(),
        built: Arc::default(),
    });
    let built = guard.built.clone();
    let problems = Problems::default();
    let answer = problems.clone();
    let app = axum::Router::new()
        .route(
            overlay::PROBLEMS_PATH,
            axum::routing::get(move || {
                let json = answer.current().to_string();
                async move {
                    (
                        [
                            (header::CONTENT_TYPE, "application/json"),
                            (header::CACHE_CONTROL, "no-store"),
                        ],
                        json,
                    )
                }
            }),
        )
        .fallback_service(
            ServeDir::new(&site)
                .append_index_html_on_directories(true)
                .fallback(axum::routing::any(move |uri: axum::http::Uri| {
                    let site = fallback_site.clone();
                    async move {
                        shared_file(&site, uri.path()).unwrap_or_else(|| not_found(&site))
                    }
                })),
        )
        // The site check inside live reload, so its page gets the reload
        // script; the host check outside, so it covers live reload too.
        .layer(axum::middleware::from_fn_with_state(
            guard.clone(),
            only_our_site,
        ))
        .layer(axum::middleware::from_fn(with_overlay))
        .layer(livereload)
        .layer(print_livereload)
        .layer(axum::middleware::from_fn_with_state(guard, only_loopback));
    runtime.spawn(async move {
        if let Err(err) = axum::serve(listener, app).await {
            eprintln!(
                "error: the web server stopped: {}",
                diagnostics::printable(&err.to_string())
            );
        }
    });

    let mut session = Session {
        root: &root,
        site: &site,
        options: &options.build,
        reloaders: &reloaders,
        observe: &observe,
        built_once: false,
        built,
        problems,
        rebuilds: pipeline::Rebuilds::default(),
        settle: None,
    };
    session.rebuild(false);
    let url = format!("http://{addr}/");
    eprintln!("Serving the book at {url} (Ctrl-C to stop)");
    observe(&ServeEvent::Listening(addr));
    if options.open
        && let Err(err) = open::that(&url)
    {
        eprintln!(
            "warning: cannot open a browser: {}",
            diagnostics::printable(&err.to_string())
        );
    }
    // The build reports an `extra-watch-dirs` entry outside the repository;
    // it is not watched meanwhile.
    let mut config = book.config.clone();
    config
        .build
        .extra_watch_dirs
        .retain(|dir| book.reach().judge_place(&root.join(dir)).is_ok());
    session.watch(&config)
}

/// What every request is held to, live reload's included.
struct Guard {
    port: u16,
    site: PathBuf,
    /// Set once a build of this process put its site in place: until then
    /// whatever the folder holds (a committed `book/`, a forged marker) is
    /// someone else's, and is never served.
    built: Arc<AtomicBool>,
}

/// Answers only requests addressed to this machine by a loopback name: a
/// page elsewhere whose DNS name is rebound to 127.0.0.1 names its own host,
/// and must not read the book.
async fn only_loopback(
    State(guard): State<Arc<Guard>>,
    request: Request,
    next: Next,
) -> axum::response::Response {
    // Every Host header must name this server (a second one could name
    // another host to something that reads the last).
    let mut hosts = request.headers().get_all(header::HOST).iter().peekable();
    let none = hosts.peek().is_none();
    let all_loopback = hosts.all(|h| is_loopback_host(h.to_str().ok(), guard.port));
    if none || !all_loopback {
        return (
            StatusCode::FORBIDDEN,
            "responder-docs serve answers only requests for localhost or 127.0.0.1\n",
        )
            .into_response();
    }
    next.run(request).await
}

/// Serves only the site this process built: before its first good build,
/// nothing but the problems and a page saying so (the folder may hold a
/// site no build of ours wrote, marker and all), and never a folder that is
/// not marked ours.
async fn only_our_site(
    State(guard): State<Arc<Guard>>,
    request: Request,
    next: Next,
) -> axum::response::Response {
    let ours =
        guard.built.load(Ordering::SeqCst) && crate::pipeline::destination::is_ours(&guard.site);
    if !ours && request.uri().path() != overlay::PROBLEMS_PATH {
        return not_built();
    }
    next.run(request).await
}

/// Whether a `Host` header names this server by a loopback name and the
/// port it listens on (browsers leave the port out only for port 80).
pub(crate) fn is_loopback_host(host: Option<&str>, port: u16) -> bool {
    let Some(host) = host else {
        return false;
    };
    let (name, rest) = match host.strip_prefix('[') {
        Some(v6) => match v6.split_once(']') {
            Some((name, rest)) => (name, rest),
            None => return false,
        },
        None => match host.rsplit_once(':') {
            Some((name, p)) => (name, host.get(name.len()..).unwrap_or(p)),
            None => (host, ""),
        },
    };
    let port_ok = (rest.is_empty() && port == 80)
        || rest.strip_prefix(':') == Some(port.to_string().as_str());
    let name_ok = name.eq_ignore_ascii_case("localhost") || name == "127.0.0.1" || name == "::1";
    port_ok && name_ok
}

/// Where the print page's live-reload script listens.
const PRINT_LIVERELOAD: &str = "/_responder-docs/print-livereload";

/// Who is told to reload: the print page, and every other page.
struct Reloaders {
    pages: Reloader,
    print: Reloader,
}

fn is_print(request: &Request) -> bool {
    request.uri().path().ends_with("/print.html")
}

fn not_print(request: &Request) -> bool {
    !is_print(request)
}

/// A shared file of mdBook's asked for by a name the site no longer has
/// (`searchindex-1a2b3c4d.js`): the site's one file of the same name and
/// another hash. A page loaded before a full build settled names the
/// search index that build replaced.
fn shared_file(site: &Path, path: &str) -> Option<axum::response::Response> {
    let name = path.strip_prefix('/')?;
    let key = crate::pipeline::incremental::unhashed(name).filter(|_| !name.contains('/'))?;
    let mut same = std::fs::read_dir(site).ok()?.flatten().filter(|entry| {
        crate::pipeline::incremental::unhashed(&entry.file_name().to_string_lossy()) == Some(key)
    });
    let (Some(one), None) = (same.next(), same.next()) else {
        return None;
    };
    let kind = match key.1 {
        "js" => "text/javascript",
        "json" => "application/json",
        "css" => "text/css",
        _ => return None,
    };
    let bytes = std::fs::read(one.path()).ok()?;
    Some(([(header::CONTENT_TYPE, kind)], bytes).into_response())
}

/// The answer for a path the site does not have: its 404 page, or, before
/// the first good build, a page saying so (it reloads when the build works).
fn not_found(site: &Path) -> axum::response::Response {
    let html = [(header::CONTENT_TYPE, "text/html; charset=utf-8")];
    if let Ok(page) = std::fs::read(site.join("404.html")) {
        return (StatusCode::NOT_FOUND, html, page).into_response();
    }
    if !site.join("index.html").exists() {
        return not_built();
    }
    (StatusCode::NOT_FOUND, html, "<p>Not found.</p>").into_response()
}

fn not_built() -> axum::response::Response {
    let html = [(header::CONTENT_TYPE, "text/html; charset=utf-8")];
    let page = "<!DOCTYPE html><html><head><title>Not built yet</title></head><body>\
                <p>The book has not built yet: the problems are listed in the terminal \
                running <code>responder-docs serve</code>. This page reloads when a build \
                succeeds.</p></body></html>";
    (StatusCode::SERVICE_UNAVAILABLE, html, page).into_response()
}

/// The problems of the last build as the overlay reads them: `[]` when it
/// succeeded.
#[derive(Clone)]
struct Problems(Arc<Mutex<Arc<str>>>);

impl Default for Problems {
    fn default() -> Self {
        Problems(Arc::new(Mutex::new("[]".into())))
    }
}

impl Problems {
    fn current(&self) -> Arc<str> {
        self.0
            .lock()
            .map_or_else(|p| p.into_inner().clone(), |p| p.clone())
    }

    fn set(&self, json: String) {
        match self.0.lock() {
            Ok(mut p) => *p = json.into(),
            Err(p) => *p.into_inner() = json.into(),
        }
    }
}

/// Adds the overlay's script to every HTML page, the "not built yet" page
/// and the 404 page included.
async fn with_overlay(request: Request, next: Next) -> axum::response::Response {
    let response = next.run(request).await;
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    // A part of a page (a range request) is passed on as it is.
    if !is_html || response.status() == StatusCode::PARTIAL_CONTENT {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, PAGE_LIMIT).await else {
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            "page too large to serve\n",
        )
            .into_response();
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    axum::response::Response::from_parts(parts, axum::body::Body::from(overlay::inject(&bytes)))
}

/// The largest page `serve` adds the overlay to (mdBook's print page of a
/// large book is a few megabytes).
const PAGE_LIMIT: usize = 256 << 20;

struct Session<'a, F: Fn(&ServeEvent)> {
    root: &'a Path,
    site: &'a Path,
    options: &'a Options,
    reloaders: &'a Reloaders,
    observe: &'a F,
    /// A build of this session succeeded, so the site served is current up to it.
    built_once: bool,
    /// What the server reads to serve the site at all (see [`Guard`]).
    built: Arc<AtomicBool>,
    problems: Problems,
    /// What the site served was rendered from and the files edited since:
    /// a rebuild renders again only the pages they changed.
    rebuilds: pipeline::Rebuilds,
    /// The last build wrote pages alone and succeeded: a full build is due
    /// at this time, unless an edit comes first.
    settle: Option<Instant>,
}

impl<F: Fn(&ServeEvent)> Session<'_, F> {
    /// Builds into the site and reloads the browsers: with the new site when
    /// it worked, with the overlay of its problems when it did not.
    ///
    /// `settling`: the full build that brings the search index and the print
    /// page up to date after pages were written alone. Its report is the
    /// last build's (nothing changed since), so only a failure is printed.
    fn rebuild(&mut self, settling: bool) {
        let started = Instant::now();
        if settling {
            eprintln!("Updating the search index and the print page …");
        } else {
            eprintln!("Building {} …", crate::diagnostics::shown(self.root));
        }
        // A bug that panics in one rebuild fails that build; the server and
        // the last good site stay.
        let rebuilds = &mut self.rebuilds;
        let built = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            if settling {
                rebuilds.full(self.root, self.site, self.options)
            } else {
                rebuilds.rebuild(self.root, self.site, self.options)
            }
        }))
        .unwrap_or_else(|panic| {
            let why = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("unknown");
            Err(anyhow::anyhow!(
                "the build stopped on an internal error ({why}); this is a bug in responder-docs"
            ))
        });
        let (failed, problems) = match built {
            Ok(rebuilt) => {
                let outcome = rebuilt.outcome;
                if !outcome.diagnostics.is_empty() && (outcome.failed || !settling) {
                    let color = std::io::stderr().is_terminal();
                    eprint!(
                        "{}",
                        diagnostics::render(&outcome.diagnostics, Format::Human, color)
                    );
                }
                let shown = outcome
                    .failed
                    .then(|| overlay::problems_json(&outcome.diagnostics, None));
                (outcome.failed, shown)
            }
            Err(err) => {
                let message = format!("{err:#}");
                eprintln!("error: {}", diagnostics::printable(&message));
                (true, Some(overlay::problems_json(&[], Some(&message))))
            }
        };
        self.problems.set(problems.unwrap_or_else(|| "[]".into()));
        self.settle = (!failed && self.rebuilds.stale()).then(|| Instant::now() + SETTLE);
        if failed {
            eprintln!("{}", failure_message(self.built_once));
            (self.observe)(&ServeEvent::BuildFailed);
        } else if settling {
            eprintln!("Updated in {:.2?}", started.elapsed());
            (self.observe)(&ServeEvent::Settled);
        } else {
            eprintln!("Built in {:.2?}", started.elapsed());
            self.built_once = true;
            self.built.store(true, Ordering::SeqCst);
            (self.observe)(&ServeEvent::Built);
        }
        // A full build that settled brought the search index and the print
        // page up to date: the other pages differ only in the index's name,
        // and the server answers the old name with the new index.
        self.reloaders.print.reload();
        if settling && !failed {
            (self.observe)(&ServeEvent::PrintReloaded);
        } else {
            self.reloaders.pages.reload();
            (self.observe)(&ServeEvent::Reloaded);
        }
    }

    fn watch(&mut self, config: &mdbook_preprocessor::config::Config) -> Result<()> {
        let mut plan = WatchPlan::new(self.root, self.site, config);
        // Only what the build may read is watched (a theme outside is refused).
        let reach = crate::model::book_root::BookRoot::new(self.root, config.clone())
            .reach()
            .clone();
        plan.watched
            .retain(|(dir, _)| reach.judge_place(dir).is_ok());
        let (tx, rx) = mpsc::channel::<notify::Result<notify::Event>>();
        // A symlink inside a watched folder is not followed: it may lead out
        // of the repository, and what it leads to is not a source.
        let mut watcher = notify::RecommendedWatcher::new(
            tx,
            notify::Config::default().with_follow_symlinks(false),
        )?;
        for (path, mode) in &plan.watched {
            watcher
                .watch(path, *mode)
                .with_context(|| format!("cannot watch {}", path.display()))?;
        }
        (self.observe)(&ServeEvent::Watching);
        loop {
            // Wait for an edit, then for the sources to go quiet. Pages
            // written alone leave the search index and the print page
            // behind: once the sources stay quiet, a full build brings them
            // up to date.
            let event = if let Some(at) = self.settle {
                // Reads (ours, the server's) are events too: only an edit
                // puts the settling off.
                match rx.recv_timeout(at.saturating_duration_since(Instant::now())) {
                    Ok(event) => event,
                    Err(mpsc::RecvTimeoutError::Timeout) => {
                        // Once, even if it fails: then the next edit rebuilds.
                        self.rebuild(true);
                        continue;
                    }
                    Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(()),
                }
            } else {
                match rx.recv() {
                    Ok(event) => event,
                    Err(mpsc::RecvError) => return Ok(()),
                }
            };
            match event {
                Ok(event) if plan.is_edit(&event) => self.note(&plan, &event),
                Ok(_) => continue,
                Err(err) => {
                    eprintln!(
                        "warning: file watching: {}",
                        diagnostics::printable(&err.to_string())
                    );
                    continue;
                }
            }
            let first = Instant::now();
            let mut last = first;
            loop {
                let deadline = (last + QUIET).min(first + MAX_WAIT);
                let wait = deadline.saturating_duration_since(Instant::now());
                match rx.recv_timeout(wait) {
                    Ok(Ok(event)) if plan.is_edit(&event) => {
                        self.note(&plan, &event);
                        last = Instant::now();
                    }
                    Ok(_) => {}
                    Err(mpsc::RecvTimeoutError::Timeout) => break,
                    Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(()),
                }
            }
            // What the build itself does to the files (it reads them) is no
            // edit, so events that arrive meanwhile only count if they are.
            self.rebuild(false);
        }
    }

    /// Remembers the sources an edit touched, for the next rebuild.
    fn note(&mut self, plan: &WatchPlan, event: &notify::Event) {
        for path in event.paths.iter().filter(|p| plan.is_source(p)) {
            self.rebuilds.edited(path.clone());
        }
    }
}

/// What a failed build means for the reader of the browser. A site an
/// earlier run left is not served: only what this process built is.
fn failure_message(built_once: bool) -> &'static str {
    if built_once {
        "Build failed; still serving the last good site."
    } else {
        "Build failed; there is no site to serve yet. Fix the problems above \
         and save: the browser loads the book when a build succeeds."
    }
}

/// The paths `serve` watches (as mdBook does: the chapters, the theme,
/// `book.toml` and `[build] extra-watch-dirs`) and the ones it ignores.
#[derive(Debug, PartialEq)]
struct WatchPlan {
    watched: Vec<(PathBuf, RecursiveMode)>,
    /// `book.toml`, watched through its folder: editors that save by renaming
    /// a new file over the old one would end a watch on the file itself.
    book_toml: PathBuf,
    root: PathBuf,
    /// The site and the build's staging folders beside it.
    output: PathBuf,
}

impl WatchPlan {
    fn new(root: &Path, site: &Path, config: &mdbook_preprocessor::config::Config) -> Self {
        let theme = config
            .html_config()
            .map(|html| html.theme_dir(root))
            .unwrap_or_else(|| root.join("theme"));
        let mut watched = vec![(root.to_path_buf(), RecursiveMode::NonRecursive)];
        let dirs = std::iter::once(root.join(&config.book.src))
            .chain(std::iter::once(theme))
            .chain(config.build.extra_watch_dirs.iter().map(|d| root.join(d)));
        for dir in dirs {
            if !dir.exists() {
                continue;
            }
            // `.` among the extra dirs turns the root's watch recursive.
            match watched.iter_mut().find(|(w, _)| *w == dir) {
                Some((_, mode)) => *mode = RecursiveMode::Recursive,
                None => watched.push((dir, RecursiveMode::Recursive)),
            }
        }
        WatchPlan {
            watched,
            book_toml: root.join("book.toml"),
            root: root.to_path_buf(),
            output: site.to_path_buf(),
        }
    }

    /// True when the event is a writer's edit of a source.
    fn is_edit(&self, event: &notify::Event) -> bool {
        is_edit_kind(&event.kind) && event.paths.iter().any(|p| self.is_source(p))
    }

    fn is_source(&self, path: &Path) -> bool {
        if is_editor_noise(path) || self.is_output(path) {
            return false;
        }
        // The root is watched for book.toml alone, unless a recursive watch
        // (an extra-watch-dir of `.`) asked for everything in it.
        let in_root_only = path.parent() == Some(self.root.as_path())
            && !self
                .watched
                .iter()
                .any(|(w, m)| *m == RecursiveMode::Recursive && path.starts_with(w));
        !in_root_only || path == self.book_toml
    }

    /// The site, and the staging and set-aside folders a build writes beside it.
    fn is_output(&self, path: &Path) -> bool {
        if path.starts_with(&self.output) {
            return true;
        }
        let Some(parent) = self.output.parent() else {
            return false;
        };
        let Ok(rest) = path.strip_prefix(parent) else {
            return false;
        };
        let Some(first) = rest.components().next() else {
            return false;
        };
        crate::pipeline::destination::is_build_folder(&first.as_os_str().to_string_lossy())
    }
}

/// Creations, removals, renames and writes are edits; opening, reading and
/// closing a file are not.
fn is_edit_kind(kind: &EventKind) -> bool {
    !matches!(kind, EventKind::Access(_))
}

/// Swap, backup, lock and probe files editors write beside the real one:
/// vim's `.x.swp` (`.swo`, …) and `x~` and the `4913` it writes to test a
/// folder, Emacs's `.#x` locks and `#x#` autosaves.
fn is_editor_noise(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let vim_swap = name.len() > 4
        && name.starts_with('.')
        && name
            .rsplit_once('.')
            .is_some_and(|(_, ext)| ext.len() == 3 && ext.starts_with("sw"));
    name.ends_with('~')
        || vim_swap
        || name.starts_with(".#")
        || (name.len() > 1 && name.starts_with('#') && name.ends_with('#'))
        || (!name.is_empty() && name.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{AccessKind, AccessMode, CreateKind, DataChange, ModifyKind};

    /// A watch plan over a temporary book with src/, policies/ and templates/.
    fn plan(extra: &[&str]) -> (tempfile::TempDir, WatchPlan) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        for d in ["src", "policies", "templates"] {
            std::fs::create_dir(root.join(d)).unwrap();
        }
        let mut config = mdbook_preprocessor::config::Config::default();
        config.build.extra_watch_dirs = extra.iter().map(PathBuf::from).collect();
        let plan = WatchPlan::new(&root, &root.join("book"), &config);
        (dir, plan)
    }

    fn event(kind: EventKind, path: PathBuf) -> notify::Event {
        notify::Event::new(kind).add_path(path)
    }

    #[test]
    fn watches_the_chapters_the_root_and_the_extra_watch_dirs_that_exist() {
        let (_dir, plan) = plan(&["policies", "templates", "missing"]);
        let names: Vec<_> = plan
            .watched
            .iter()
            .map(|(p, m)| {
                let rel = p.strip_prefix(&plan.root).unwrap().display().to_string();
                (rel, *m == RecursiveMode::Recursive)
            })
            .collect();
        let expected = [
            ("", false),
            ("src", true),
            ("policies", true),
            ("templates", true),
        ];
        let expected: Vec<_> = expected.iter().map(|(p, r)| (p.to_string(), *r)).collect();
        assert_eq!(names, expected);
    }

    #[test]
    fn reading_a_source_is_no_edit_writing_it_is() {
        let (_dir, plan) = plan(&[]);
        let chapter = plan.root.join("src/intro.md");
        let reads = [
            AccessKind::Open(AccessMode::Any),
            AccessKind::Close(AccessMode::Read),
            AccessKind::Read,
        ];
        for read in reads {
            assert!(!plan.is_edit(&event(EventKind::Access(read), chapter.clone())));
        }
        let data = EventKind::Modify(ModifyKind::Data(DataChange::Any));
        assert!(plan.is_edit(&event(data, chapter.clone())));
        assert!(plan.is_edit(&event(EventKind::Create(CreateKind::File), chapter)));
    }

    #[test]
    fn editor_scratch_files_and_the_output_are_no_edit() {
        let (_dir, plan) = plan(&["."]);
        let data = || EventKind::Modify(ModifyKind::Data(DataChange::Any));
        let quiet = [
            "src/intro.md~",
            "src/.intro.md.swp",
            "src/.intro.md.swo",
            "src/4913",
            "src/.#intro.md",
            "src/#intro.md#",
            "book/index.html",
            ".responder-docs-build-4242-x1y2/site/index.html",
            ".responder-docs-old-4242-book/print.html",
        ];
        for rel in quiet {
            assert!(!plan.is_edit(&event(data(), plan.root.join(rel))), "{rel}");
        }
        for rel in ["src/intro.md", "book.toml", "notes.md"] {
            assert!(plan.is_edit(&event(data(), plan.root.join(rel))), "{rel}");
        }
    }

    #[test]
    fn the_root_is_watched_for_book_toml_alone() {
        let (_dir, plan) = plan(&[]);
        let data = || EventKind::Modify(ModifyKind::Data(DataChange::Any));
        assert!(plan.is_edit(&event(data(), plan.root.join("book.toml"))));
        assert!(!plan.is_edit(&event(data(), plan.root.join("notes.md"))));
    }

    #[test]
    fn only_loopback_names_with_our_port_are_answered() {
        for ok in [
            "localhost:3000",
            "LOCALHOST:3000",
            "127.0.0.1:3000",
            "[::1]:3000",
        ] {
            assert!(is_loopback_host(Some(ok), 3000), "{ok}");
        }
        // A port left out is port 80's.
        assert!(is_loopback_host(Some("localhost"), 80));
        for refused in [
            "evil.example:3000",
            "evil.example",
            "localhost:3001",
            "127.0.0.1:80",
            "localhost.evil.example:3000",
            "127.0.0.1.nip.io:3000",
            "[::1",
            "[::2]:3000",
            "localhost:3000:3000",
            "localhost",
            "127.0.0.1",
            "",
        ] {
            assert!(!is_loopback_host(Some(refused), 3000), "{refused}");
        }
        assert!(!is_loopback_host(None, 3000));
    }

    #[test]
    fn a_failed_first_build_does_not_promise_a_last_good_site() {
        assert_eq!(
            failure_message(false),
            "Build failed; there is no site to serve yet. Fix the problems above and save: \
             the browser loads the book when a build succeeds."
        );
        assert_eq!(
            failure_message(true),
            "Build failed; still serving the last good site."
        );
    }
}
