//! Where a site may be written, and what a build may remove. A build
//! replaces its destination wholesale, so the destination must be a folder
//! the build owns: never the book, its sources or the repository (nor a
//! folder holding them), never a file, and never a non-empty folder unless a
//! previous build marked it as a site or stock mdBook wrote it. A build
//! removes only folders it made itself: named by its patterns and marked.

use crate::model::book_root::BookRoot;
use anyhow::{Context, Result, bail};
use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::time::{Duration, SystemTime};

/// Written into every site, staging folder and old site moved aside, so the
/// next build knows the folder is its own.
pub const MARKER: &str = ".responder-docs-site";

/// What [`MARKER`] says; a file of that name saying anything else is not ours.
const MARKER_TEXT: &str = "Written by responder-docs build; the next build replaces this folder.\n";

/// The prefix of the folder a build renders in, beside the destination:
/// `.responder-docs-build-PID-RANDOM/`, the site in its `site/`.
pub(crate) const STAGING_PREFIX: &str = ".responder-docs-build-";

/// The prefix of an old site moved aside while the new one takes its place:
/// `.responder-docs-old-PID-NAME/`. Older versions named it `.NAME.old-PID`,
/// a pattern a writer's own folder can match (`.emacs.d.old-1700000000`), so
/// folders named that way are never removed any more.
pub(crate) const ASIDE_PREFIX: &str = ".responder-docs-old-";

/// The site's folder inside a staging folder: mdBook renders there, and
/// the staging folder keeps its marker while mdBook empties the site.
const STAGED_SITE: &str = "site";

/// mdBook's `.nojekyll` in every site it writes, word for word.
const NOJEKYLL: &[u8] =
    b"This file makes sure that Github Pages doesn't process mdBook's output.\n";

/// The files and folders stock mdBook 0.5.4 writes at the top of a site
/// besides its pages (`*.html`) and the book's own files (`FontAwesome/` and
/// `searchindex.json` are 0.4's).
const MDBOOK_ENTRIES: &[&str] = &[
    ".nojekyll",
    "CNAME",
    "book.js",
    "toc.js",
    "highlight.js",
    "highlight.css",
    "tomorrow-night.css",
    "ayu-highlight.css",
    "clipboard.min.js",
    "favicon.png",
    "favicon.svg",
    "searchindex.js",
    "searchindex.json",
    "searcher.js",
    "mark.min.js",
    "elasticlunr.min.js",
    "editor.js",
    "ace.js",
    "mode-rust.js",
    "theme-dawn.js",
    "theme-tomorrow_night.js",
    "css",
    "fonts",
    "FontAwesome",
];

/// The folders a destination must neither be, contain nor (for `sources`)
/// lie in, and what the book itself puts in its site.
pub(crate) struct Protected<'a> {
    pub book: &'a Path,
    pub sources: &'a Path,
    pub repository: &'a Path,
    /// See [`inputs`].
    pub inputs: &'a [PathBuf],
    /// See [`book_entries`].
    pub book_entries: &'a BTreeSet<String>,
}

impl Protected<'_> {
    /// The folders the build reads, resolved: the sources and every other
    /// input. A destination or leftover must be none of them, hold none of
    /// them, and lie in none of them.
    fn read_folders(&self) -> Vec<(&'static str, PathBuf)> {
        std::iter::once(("the book's sources", self.sources))
            .chain(
                self.inputs
                    .iter()
                    .map(|p| ("a folder the book reads", p.as_path())),
            )
            .map(|(what, p)| (what, crate::model::reach::resolve_place(p)))
            .collect()
    }
}

/// The folders besides the sources that the book reads: the theme, the
/// watched folders, `policies/` and `templates/`, and every folder a link
/// under the sources leads to (`src/policies -> ../policies`).
pub(crate) fn inputs(book_root: &BookRoot) -> Vec<PathBuf> {
    let root = &book_root.root;
    let html = book_root.config.html_config().unwrap_or_default();
    let mut inputs: Vec<PathBuf> = [
        html.theme_dir(root),
        root.join("policies"),
        root.join("templates"),
    ]
    .into_iter()
    .chain(
        book_root
            .config
            .build
            .extra_watch_dirs
            .iter()
            .map(|d| root.join(d)),
    )
    .collect();
    let src = root.join(&book_root.config.book.src);
    inputs.extend(
        walkdir::WalkDir::new(&src)
            .into_iter()
            .flatten()
            .filter(|e| e.path_is_symlink())
            .filter_map(|e| e.path().canonicalize().ok())
            .filter(|real| real.is_dir()),
    );
    inputs.retain(|p| p.exists());
    inputs
}

/// The folder a destination names. A destination that is a symlink is the
/// folder it leads to: the build judges and replaces that folder and leaves
/// the link, which is the writer's, as it was.
pub(crate) fn real(dest: &Path) -> Result<PathBuf> {
    match std::fs::symlink_metadata(dest) {
        Ok(meta) if meta.file_type().is_symlink() => dest.canonicalize().with_context(|| {
            format!(
                "the destination {} is a link that leads nowhere; name a folder, or make the link lead to one",
                dest.display()
            )
        }),
        _ => Ok(dest.to_path_buf()),
    }
}

/// Refuses a destination that would destroy the writer's files.
/// `through_link`: the destination as written is a link to `dest`. Such a
/// folder is replaced only when it is a site: a committed link to a folder
/// of the repository and a marker copied into it must not make the build
/// delete that folder.
pub(crate) fn check(dest: &Path, through_link: bool, protected: &Protected<'_>) -> Result<()> {
    let real = crate::model::reach::resolve_place(dest);
    let book = crate::model::reach::resolve_place(protected.book);
    let repository = crate::model::reach::resolve_place(protected.repository);
    let shown = dest.display();
    if let Ok(meta) = std::fs::metadata(dest)
        && !meta.is_dir()
    {
        bail!("the destination {shown} is a file, not a folder; choose a folder for the site");
    }
    for (what, folder) in [("the book", &book), ("the repository", &repository)] {
        if folder.starts_with(&real) {
            bail!(
                "the destination {shown} is or contains {what} ({}); building there would delete it",
                folder.display()
            );
        }
    }
    for (what, folder) in protected.read_folders() {
        if folder.starts_with(&real) {
            bail!(
                "the destination {shown} is or contains {what} ({}); building there would delete it",
                folder.display()
            );
        }
        if real.starts_with(&folder) {
            bail!(
                "the destination {shown} lies inside {what} ({}); choose a folder outside it",
                folder.display()
            );
        }
    }
    if real.components().any(|c| c.as_os_str() == ".git") {
        bail!(
            "the destination {shown} lies inside a `.git` folder, where Git keeps a repository's settings and hooks; choose a folder outside it"
        );
    }
    if through_link
        && real.is_dir()
        && !is_empty(&real)
        && let Err(why) = site(&real, protected.book_entries, true)
    {
        bail!(
            "the destination {shown} is reached through a link and is not a site ({why}); \
             a link may lead only to a site, so remove the folder's contents yourself or choose another folder"
        );
    }
    if real.is_dir()
        && !is_ours(&real)
        && !is_empty(&real)
        && let Err(why) = site(&real, protected.book_entries, false)
    {
        bail!(
            "the destination {shown} is a folder that a previous build did not write (no {MARKER} in it) \
             nor a site of stock mdBook ({why}); remove it yourself or choose another folder"
        );
    }
    Ok(())
}

/// Marks a folder as the build's own.
pub fn mark(dir: &Path) -> Result<()> {
    std::fs::write(dir.join(MARKER), MARKER_TEXT)
        .with_context(|| format!("cannot mark {} as a site", dir.display()))
}

/// Whether a build marked `dir`: its marker is a regular file saying
/// exactly [`MARKER_TEXT`].
pub fn is_ours(dir: &Path) -> bool {
    let marker = dir.join(MARKER);
    std::fs::symlink_metadata(&marker)
        .is_ok_and(|m| m.is_file() && m.len() == MARKER_TEXT.len() as u64)
        && std::fs::read(&marker).is_ok_and(|text| text == MARKER_TEXT.as_bytes())
}

/// A fresh staging folder in `parent`, marked from the start, so that if
/// the build is killed the next one knows the folder is its own.
pub(crate) fn stage(parent: &Path) -> Result<Staging> {
    let dir = tempfile::Builder::new()
        .prefix(&format!("{STAGING_PREFIX}{}-", std::process::id()))
        .tempdir_in(parent)
        .with_context(|| format!("cannot create a build folder in {}", parent.display()))?;
    mark(dir.path())?;
    Ok(Staging { dir })
}

/// A staging folder; dropping it removes it and whatever is still inside.
pub(crate) struct Staging {
    dir: tempfile::TempDir,
}

impl Staging {
    /// The staging folder itself.
    pub(crate) fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Where the site is rendered (not made yet: mdBook makes it).
    pub(crate) fn site(&self) -> PathBuf {
        self.dir.path().join(STAGED_SITE)
    }
}

/// Moves a freshly built site over the old one. The old site is marked and
/// moved aside first and put back if the move fails, so a reader never
/// loses it; then it is removed.
pub(crate) fn replace(fresh: &Path, dest: &Path) -> Result<()> {
    if !dest.exists() {
        return std::fs::rename(fresh, dest)
            .with_context(|| format!("cannot move the site to {}", dest.display()));
    }
    // `check` accepted it as a site: ours, or one stock mdBook wrote.
    mark(dest)?;
    let aside = dest.with_file_name(format!(
        "{ASIDE_PREFIX}{}-{}",
        std::process::id(),
        dest.file_name()
            .map_or("site".into(), |n| n.to_string_lossy())
    ));
    std::fs::rename(dest, &aside)
        .with_context(|| format!("cannot move the old site {} aside", dest.display()))?;
    if let Err(err) = std::fs::rename(fresh, dest) {
        let _ = std::fs::rename(&aside, dest);
        return Err(err).with_context(|| format!("cannot move the site to {}", dest.display()));
    }
    std::fs::remove_dir_all(&aside)
        .with_context(|| format!("cannot remove the old site {}", aside.display()))
}

/// Staging folders and old sites moved aside that a killed build left in
/// `parent`: named as a build names them, marked by it, and of a process
/// that no longer runs (or a day old, in case its id was reused).
pub(crate) fn remove_leftovers(parent: &Path, protected: &Protected<'_>) {
    let kept: Vec<PathBuf> = protected
        .read_folders()
        .into_iter()
        .map(|(_, folder)| folder)
        .chain([crate::model::reach::resolve_place(protected.book)])
        .collect();
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = leftover_pid(&name) else {
            continue;
        };
        // Not through a link: a link is never ours.
        if !entry.file_type().is_ok_and(|t| t.is_dir()) || !is_ours(&entry.path()) {
            continue;
        }
        // Named and marked like a leftover, but what the build reads.
        let real = crate::model::reach::resolve_place(&entry.path());
        if kept.iter().any(|k| k.starts_with(&real)) {
            continue;
        }
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| SystemTime::now().duration_since(t).ok())
            .is_some_and(|age| age > Duration::from_secs(24 * 3600));
        let gone = pid != std::process::id() && !running(pid);
        if gone || old {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// The process id in the name of a build's staging folder
/// (`.responder-docs-build-PID-RANDOM`) or old site (`.responder-docs-old-PID-NAME`).
fn leftover_pid(name: &str) -> Option<u32> {
    let rest = name
        .strip_prefix(STAGING_PREFIX)
        .or_else(|| name.strip_prefix(ASIDE_PREFIX))?;
    let (pid, tail) = rest.split_once('-')?;
    if tail.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    pid.parse().ok()
}

/// Whether `name`, beside a site, is named as a build's staging folder or
/// old site moved aside.
pub(crate) fn is_build_folder(name: &str) -> bool {
    leftover_pid(name).is_some()
}

/// Whether process `pid` runs; true when the system cannot tell.
fn running(pid: u32) -> bool {
    let proc = Path::new("/proc");
    !proc.join("self").exists() || proc.join(pid.to_string()).exists()
}

fn is_empty(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|mut e| e.next().is_none())
}

/// What the book puts at the top of its site besides mdBook's own files and
/// its pages: each entry of `src/` but Markdown files (copied as they are;
/// the folders of its chapters among them), and the first folder of each
/// `additional-css` and `additional-js` entry, redirect and the 404 page.
pub(crate) fn book_entries(book_root: &BookRoot) -> BTreeSet<String> {
    let src = book_root.root.join(&book_root.config.book.src);
    let mut names: BTreeSet<String> = std::fs::read_dir(src)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| !name.ends_with(".md"))
        .collect();
    let html = book_root.config.html_config().unwrap_or_default();
    let written = html
        .additional_css
        .iter()
        .chain(&html.additional_js)
        .map(|p| p.to_string_lossy().into_owned())
        .chain(
            html.redirect
                .keys()
                .map(|k| k.trim_start_matches('/').into()),
        )
        .chain(html.input_404.map(|i| i.replace(".md", ".html")));
    for path in written {
        if let Some(Component::Normal(first)) = Path::new(&path)
            .components()
            .find(|c| !matches!(c, Component::CurDir))
        {
            names.insert(first.to_string_lossy().into_owned());
        }
    }
    names
}

/// Whether `dir` is a site stock mdBook wrote (the I/O of [`stock_listing`]),
/// or with `ours`, one a build of ours wrote (its marker among the files).
fn site(dir: &Path, book_entries: &BTreeSet<String>, ours: bool) -> Result<(), String> {
    let mut entries = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| e.to_string())?.flatten() {
        let kind = match entry.file_type() {
            Ok(t) if t.is_file() => Entry::File,
            Ok(t) if t.is_dir() => Entry::Folder,
            _ => Entry::Other,
        };
        let name = entry.file_name().to_string_lossy().into_owned();
        if ours && name == MARKER && kind == Entry::File {
            continue;
        }
        entries.push((name, kind));
    }
    entries.sort();
    let nojekyll = std::fs::symlink_metadata(dir.join(".nojekyll"))
        .ok()
        .filter(|m| m.is_file() && m.len() == NOJEKYLL.len() as u64)
        .and_then(|_| std::fs::read(dir.join(".nojekyll")).ok());
    stock_listing(&entries, nojekyll.as_deref(), book_entries)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Entry {
    File,
    Folder,
    /// A symlink or a special file, which mdBook never writes.
    Other,
}

/// A folder's top-level `entries` are a site stock mdBook wrote when it
/// holds `index.html` and mdBook's own `.nojekyll`, and every other entry is
/// a page (`*.html`), a file or folder mdBook writes (as `hash-files` names
/// it too), or one the book puts there ([`book_entries`]). `Err` says which
/// entry is not.
fn stock_listing(
    entries: &[(String, Entry)],
    nojekyll: Option<&[u8]>,
    book_entries: &BTreeSet<String>,
) -> Result<(), String> {
    if nojekyll != Some(NOJEKYLL) {
        return Err("it has no `.nojekyll` as mdBook writes it".into());
    }
    if !entries.contains(&("index.html".to_string(), Entry::File)) {
        return Err("it has no `index.html`".into());
    }
    for (name, kind) in entries {
        let expected = match kind {
            Entry::File if name.ends_with(".html") => true,
            Entry::File | Entry::Folder => {
                is_mdbook_entry(name) || book_entries.contains(name.as_str())
            }
            Entry::Other => false,
        };
        if !expected {
            return Err(format!(
                "`{name}` is not something mdBook writes for this book"
            ));
        }
    }
    Ok(())
}

/// One of [`MDBOOK_ENTRIES`], or one as `hash-files` names it: 8 hex digits
/// after the part before the first dot (`book-1a2b3c4d.js`).
fn is_mdbook_entry(name: &str) -> bool {
    if MDBOOK_ENTRIES.contains(&name) {
        return true;
    }
    let Some((stem, suffix)) = name.split_once('.') else {
        return false;
    };
    stem.rsplit_once('-').is_some_and(|(base, hash)| {
        hash.len() == 8
            && hash.bytes().all(|b| b.is_ascii_hexdigit())
            && MDBOOK_ENTRIES.contains(&format!("{base}.{suffix}").as_str())
    })
}

#[cfg(test)]
mod tests;
