//! `responder-docs serve`: build, serve on loopback, rebuild on change and
//! reload the browser. A failed rebuild keeps the last good site online.

use crate::diagnostics::{self, Format};
use crate::pipeline::{self, Options};
use anyhow::{Context, Result};
use notify_debouncer_mini::{DebounceEventResult, new_debouncer, notify::RecursiveMode};
use std::io::IsTerminal;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};
use tower_http::services::{ServeDir, ServeFile};
use tower_livereload::{LiveReloadLayer, Reloader};

pub struct ServeOptions {
    pub port: u16,
    pub open: bool,
    pub build: Options,
}

pub fn serve(root: &Path, options: &ServeOptions) -> Result<()> {
    let root = std::path::absolute(root)?;
    let site = root.join(
        crate::book_root::BookRoot::load(&root)?
            .config
            .build
            .build_dir,
    );
    let site_ready = rebuild(&root, &site, &options.build);
    if !site_ready && !site.join("index.html").exists() {
        anyhow::bail!("the first build failed and there is no earlier site to serve");
    }

    let addr = SocketAddr::from(([127, 0, 0, 1], options.port));
    let livereload = LiveReloadLayer::new();
    let reloader = livereload.reloader();
    let app = axum::Router::new()
        .fallback_service(
            ServeDir::new(&site)
                .append_index_html_on_directories(true)
                .not_found_service(ServeFile::new(site.join("404.html"))),
        )
        .layer(livereload);
    let runtime = tokio::runtime::Runtime::new()?;
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind(addr))
        .with_context(|| format!("cannot listen on {addr} (is another server using it?)"))?;
    runtime.spawn(async move {
        if let Err(err) = axum::serve(listener, app).await {
            eprintln!("error: the web server stopped: {err}");
        }
    });
    let url = format!("http://{addr}/");
    eprintln!("Serving the book at {url} (Ctrl-C to stop)");
    if options.open
        && let Err(err) = open::that(&url)
    {
        eprintln!("warning: cannot open a browser: {err}");
    }
    watch(&root, &site, &options.build, &reloader)
}

/// Builds into `site`, printing what went wrong; true when the site was updated.
fn rebuild(root: &Path, site: &Path, options: &Options) -> bool {
    let started = Instant::now();
    eprintln!("Building {} …", root.display());
    match pipeline::build(root, Some(site), options) {
        Ok(outcome) => {
            let color = std::io::stderr().is_terminal();
            if !outcome.diagnostics.is_empty() {
                eprint!(
                    "{}",
                    diagnostics::render(&outcome.diagnostics, Format::Human, color)
                );
            }
            if outcome.failed {
                eprintln!("Build failed; still serving the last good site.");
                false
            } else {
                eprintln!("Built in {:.2?}", started.elapsed());
                true
            }
        }
        Err(err) => {
            eprintln!("error: {err:#}\nBuild failed; still serving the last good site.");
            false
        }
    }
}

/// The sources a writer edits: chapters, policies, templates, theme, book.toml.
fn watched_paths(root: &Path) -> Vec<PathBuf> {
    let src = crate::book_root::BookRoot::load(root)
        .map(|b| b.config.book.src.clone())
        .unwrap_or_else(|_| PathBuf::from("src"));
    [
        src.as_path(),
        Path::new("policies"),
        Path::new("templates"),
        Path::new("theme"),
        Path::new("book.toml"),
    ]
    .iter()
    .map(|p| root.join(p))
    .filter(|p| p.exists())
    .collect()
}

fn watch(root: &Path, site: &Path, options: &Options, reloader: &Reloader) -> Result<()> {
    let (tx, rx) = mpsc::channel::<DebounceEventResult>();
    let mut debouncer = new_debouncer(Duration::from_millis(300), tx)?;
    for path in watched_paths(root) {
        debouncer
            .watcher()
            .watch(&path, RecursiveMode::Recursive)
            .with_context(|| format!("cannot watch {}", path.display()))?;
    }
    for events in rx {
        match events {
            Ok(events) if events.iter().any(|e| !is_editor_noise(&e.path)) => {
                if rebuild(root, site, options) {
                    reloader.reload();
                }
            }
            Ok(_) => {}
            Err(err) => eprintln!("warning: file watching: {err}"),
        }
    }
    Ok(())
}

/// Swap and backup files editors write beside the real one.
fn is_editor_noise(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.starts_with(".#")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_backups_do_not_trigger_a_rebuild() {
        assert!(is_editor_noise(Path::new("src/intro.md~")));
        assert!(is_editor_noise(Path::new("src/.intro.md.swp")));
        assert!(!is_editor_noise(Path::new("src/intro.md")));
    }
}
