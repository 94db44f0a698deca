//! Where a site may be written. A build replaces its destination wholesale,
//! so the destination must be a folder the build owns: never the book, its
//! sources or the repository (nor a folder holding them), never a file, and
//! never a non-empty folder unless a previous build marked it as a site.

use anyhow::{Result, bail};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// Written into every site, so the next build knows the folder is its own.
pub const MARKER: &str = ".responder-docs-site";

/// The prefix of the folder a build renders into, beside the destination.
pub const STAGING_PREFIX: &str = ".responder-docs-build-";

/// The folders a destination must neither be, contain nor (for `sources`) lie in.
pub struct Protected<'a> {
    pub book: &'a Path,
    pub sources: &'a Path,
    pub repository: &'a Path,
}

/// Refuses a destination that would destroy the writer's files.
pub fn check(dest: &Path, protected: &Protected<'_>) -> Result<()> {
    let real = resolve(dest);
    let book = resolve(protected.book);
    let sources = resolve(protected.sources);
    let repository = resolve(protected.repository);
    let shown = dest.display();
    if let Ok(meta) = std::fs::metadata(dest)
        && !meta.is_dir()
    {
        bail!("the destination {shown} is a file, not a folder; choose a folder for the site");
    }
    for (what, folder) in [
        ("the book", &book),
        ("the book's sources", &sources),
        ("the repository", &repository),
    ] {
        if folder.starts_with(&real) {
            bail!(
                "the destination {shown} is or contains {what} ({}); building there would delete it",
                folder.display()
            );
        }
    }
    if real.starts_with(&sources) {
        bail!(
            "the destination {shown} lies inside the book's sources ({}); choose a folder outside them",
            sources.display()
        );
    }
    if real.is_dir() && !real.join(MARKER).is_file() && !is_empty(&real) {
        bail!(
            "the destination {shown} is a folder that a previous build did not write (no {MARKER} in it); \
             remove it yourself or choose another folder"
        );
    }
    Ok(())
}

/// Marks a freshly rendered site as the build's own.
pub fn mark(site: &Path) -> Result<()> {
    std::fs::write(
        site.join(MARKER),
        "Written by responder-docs build; the next build replaces this folder.\n",
    )?;
    Ok(())
}

/// Staging folders (and old sites moved aside) that a killed build left in
/// `parent`: those of a process that no longer runs, or a day old.
pub fn remove_leftovers(parent: &Path) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = leftover_pid(&name) else {
            continue;
        };
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| SystemTime::now().duration_since(t).ok())
            .is_some_and(|age| age > Duration::from_secs(24 * 3600));
        let gone = pid.is_some_and(|pid| pid != std::process::id() && !running(pid));
        if (gone || old) && entry.file_type().is_ok_and(|t| t.is_dir()) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// `Some(pid)` for the names a build gives its temporary folders
/// (`.responder-docs-build-PID-…`, `.NAME.old-PID`); `Some(None)` for a
/// staging folder named before they carried the process id.
fn leftover_pid(name: &str) -> Option<Option<u32>> {
    if let Some(rest) = name.strip_prefix(STAGING_PREFIX) {
        return Some(rest.split('-').next().and_then(|p| p.parse().ok()));
    }
    let (_, pid) = name.strip_prefix('.')?.rsplit_once(".old-")?;
    pid.parse().ok().map(Some)
}

/// Whether process `pid` runs; true when the system cannot tell.
fn running(pid: u32) -> bool {
    let proc = Path::new("/proc");
    !proc.join("self").exists() || proc.join(pid.to_string()).exists()
}

fn is_empty(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|mut e| e.next().is_none())
}

/// The canonical form of `path`, or of its nearest existing ancestor with
/// the rest appended (the destination may not exist yet).
fn resolve(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut rest = Vec::new();
    let mut at = absolute.as_path();
    loop {
        if let Ok(real) = at.canonicalize() {
            return rest.iter().rev().fold(real, |acc, part| acc.join(part));
        }
        match (at.parent(), at.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                at = parent;
            }
            _ => return absolute,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let book = dir.path().join("repo/book");
        std::fs::create_dir_all(book.join("src")).unwrap();
        std::fs::create_dir_all(dir.path().join("repo/.git")).unwrap();
        std::fs::write(book.join("book.toml"), "").unwrap();
        (dir, book)
    }

    fn verdict(book: &Path, dest: &Path) -> String {
        let repository = book.parent().unwrap();
        let protected = Protected {
            book,
            sources: &book.join("src"),
            repository,
        };
        match check(dest, &protected) {
            Ok(()) => "ok".into(),
            Err(err) => err.to_string(),
        }
    }

    #[test]
    fn the_writers_folders_are_refused() {
        let (_dir, book) = layout();
        for dest in [
            book.clone(),
            book.join("."),
            book.join("src"),
            book.join("src/site"),
            book.parent().unwrap().to_path_buf(),
            book.parent().unwrap().parent().unwrap().to_path_buf(),
        ] {
            let said = verdict(&book, &dest);
            assert!(
                said.contains("would delete it") || said.contains("inside the book's sources"),
                "{}: {said}",
                dest.display()
            );
        }
    }

    #[test]
    fn a_file_and_a_foreign_folder_are_refused_an_empty_or_marked_one_is_not() {
        let (_dir, book) = layout();
        std::fs::write(book.join("notes.txt"), "mine").unwrap();
        assert_eq!(
            verdict(&book, &book.join("notes.txt")),
            format!(
                "the destination {} is a file, not a folder; choose a folder for the site",
                book.join("notes.txt").display()
            )
        );
        std::fs::create_dir_all(book.join("drafts")).unwrap();
        std::fs::write(book.join("drafts/a.md"), "mine").unwrap();
        assert!(verdict(&book, &book.join("drafts")).contains("a previous build did not write"));
        std::fs::create_dir_all(book.join("empty")).unwrap();
        assert_eq!(verdict(&book, &book.join("empty")), "ok");
        assert_eq!(verdict(&book, &book.join("book")), "ok", "not there yet");
        mark(&book.join("drafts")).unwrap();
        assert_eq!(verdict(&book, &book.join("drafts")), "ok");
    }

    #[test]
    fn leftovers_of_dead_builds_are_removed_live_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        let dead = dir
            .path()
            .join(format!("{STAGING_PREFIX}{}-abc", u32::MAX - 1));
        let live = dir
            .path()
            .join(format!("{STAGING_PREFIX}{}-abc", std::process::id()));
        let aside = dir.path().join(format!(".book.old-{}", u32::MAX - 1));
        let site = dir.path().join("book");
        for d in [&dead, &live, &aside, &site] {
            std::fs::create_dir_all(d).unwrap();
        }
        remove_leftovers(dir.path());
        if Path::new("/proc/self").exists() {
            assert!(!dead.exists() && !aside.exists());
        }
        assert!(live.exists() && site.exists());
    }
}
