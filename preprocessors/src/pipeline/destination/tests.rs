use super::*;

fn layout() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("repo/book");
    std::fs::create_dir_all(book.join("src")).unwrap();
    std::fs::create_dir_all(dir.path().join("repo/.git")).unwrap();
    std::fs::write(book.join("book.toml"), "").unwrap();
    (dir, book)
}

/// A book elsewhere: nothing in `dir` is read by the build.
fn nothing_read(dir: &Path) -> Protected<'static> {
    let elsewhere: &'static Path = Box::leak(dir.join("elsewhere-book").into_boxed_path());
    Protected {
        book: elsewhere,
        sources: elsewhere,
        repository: elsewhere,
        inputs: &[],
        book_entries: Box::leak(Box::default()),
    }
}

fn verdict(book: &Path, dest: &Path) -> String {
    verdict_with(book, dest, &BTreeSet::new())
}

fn verdict_with(book: &Path, dest: &Path, book_entries: &BTreeSet<String>) -> String {
    let repository = book.parent().unwrap();
    let protected = Protected {
        book,
        sources: &book.join("src"),
        repository,
        inputs: &[book.join("policies")],
        book_entries,
    };
    match check(dest, false, &protected) {
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
        book.join("missing/../.."),
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
    assert_eq!(
        verdict(&book, &book.join("drafts")),
        format!(
            "the destination {} is a folder that a previous build did not write (no .responder-docs-site in it) \
             nor a site of stock mdBook (it has no `.nojekyll` as mdBook writes it); remove it yourself or choose another folder",
            book.join("drafts").display()
        )
    );
    // A marker saying something else is not ours.
    std::fs::write(book.join("drafts").join(MARKER), "mine too\n").unwrap();
    assert!(verdict(&book, &book.join("drafts")).contains("a previous build did not write"));
    std::fs::create_dir_all(book.join("empty")).unwrap();
    assert_eq!(verdict(&book, &book.join("empty")), "ok");
    assert_eq!(verdict(&book, &book.join("book")), "ok", "not there yet");
    mark(&book.join("drafts")).unwrap();
    assert_eq!(verdict(&book, &book.join("drafts")), "ok");
}

/// Marked folders named as a build names them, of a process that is gone.
#[test]
fn only_marked_folders_of_dead_builds_are_removed() {
    let dir = tempfile::tempdir().unwrap();
    let dead = u32::MAX - 1;
    let live = std::process::id();
    let theirs = "Written by someone else\n";
    // Name, marker text, whether the next build removes it.
    let cases = [
        (
            format!("{STAGING_PREFIX}{dead}-abc"),
            Some(MARKER_TEXT),
            true,
        ),
        (
            format!("{ASIDE_PREFIX}{dead}-book"),
            Some(MARKER_TEXT),
            true,
        ),
        (
            format!("{STAGING_PREFIX}{live}-abc"),
            Some(MARKER_TEXT),
            false,
        ),
        (format!("{STAGING_PREFIX}{dead}-def"), None, false),
        (format!("{ASIDE_PREFIX}{dead}-site"), Some(theirs), false),
        (".emacs.d.old-1700000000".into(), Some(MARKER_TEXT), false),
        (format!(".book.old-{dead}"), Some(MARKER_TEXT), false),
        (format!("{STAGING_PREFIX}{dead}-"), Some(MARKER_TEXT), false),
        ("book".into(), Some(MARKER_TEXT), false),
    ];
    for (name, marker, _) in &cases {
        let folder = dir.path().join(name);
        std::fs::create_dir_all(folder.join("sub")).unwrap();
        std::fs::write(folder.join("sub/file.txt"), "content").unwrap();
        if let Some(text) = marker {
            std::fs::write(folder.join(MARKER), text).unwrap();
        }
    }
    remove_leftovers(dir.path(), &nothing_read(dir.path()));
    let can_tell = Path::new("/proc/self").exists();
    for (name, _, removed) in &cases {
        let kept = dir.path().join(name).join("sub/file.txt").is_file();
        assert!(kept != *removed || !can_tell, "{name}");
    }
}

#[cfg(unix)]
#[test]
fn a_link_is_never_a_leftover_nor_a_marker() {
    let dir = tempfile::tempdir().unwrap();
    let elsewhere = dir.path().join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    mark(&elsewhere).unwrap();
    let dead = u32::MAX - 1;
    let link = dir.path().join(format!("{STAGING_PREFIX}{dead}-abc"));
    std::os::unix::fs::symlink(&elsewhere, &link).unwrap();
    let linked_marker = dir.path().join(format!("{ASIDE_PREFIX}{dead}-book"));
    std::fs::create_dir_all(&linked_marker).unwrap();
    std::os::unix::fs::symlink(elsewhere.join(MARKER), linked_marker.join(MARKER)).unwrap();
    remove_leftovers(dir.path(), &nothing_read(dir.path()));
    assert!(link.exists() && linked_marker.exists() && is_ours(&elsewhere));
}

#[test]
fn build_folders_are_recognised_by_name() {
    assert!(is_build_folder(".responder-docs-build-4242-x1y2"));
    assert!(is_build_folder(".responder-docs-old-4242-book"));
    for name in [
        ".book.old-4242",
        ".emacs.d.old-1700000000",
        ".responder-docs-build-x1y2",
        ".responder-docs-old-4242-",
        ".responder-docs-old-+42-book",
        "book",
    ] {
        assert!(!is_build_folder(name), "{name}");
    }
}

#[test]
fn a_staging_folder_is_marked_from_the_start_and_gone_when_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let staging = stage(dir.path()).unwrap();
    let folder = staging.site().parent().unwrap().to_path_buf();
    assert!(is_ours(&folder));
    assert!(is_build_folder(
        &folder.file_name().unwrap().to_string_lossy()
    ));
    assert!(!staging.site().exists(), "mdBook makes the site itself");
    drop(staging);
    assert!(!folder.exists());
}

#[test]
fn replacing_a_site_keeps_only_the_new_one() {
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("book");
    let fresh = dir.path().join("fresh");
    std::fs::create_dir_all(&dest).unwrap();
    std::fs::write(dest.join("old.html"), "old").unwrap();
    std::fs::create_dir_all(&fresh).unwrap();
    std::fs::write(fresh.join("new.html"), "new").unwrap();
    replace(&fresh, &dest).unwrap();
    assert!(dest.join("new.html").exists());
    assert!(!dest.join("old.html").exists());
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(left.len(), 1, "nothing left beside the site");
}

fn names(list: &[&str]) -> BTreeSet<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn listing(entries: &[(&str, Entry)]) -> Vec<(String, Entry)> {
    entries.iter().map(|(n, k)| (n.to_string(), *k)).collect()
}

#[test]
fn a_stock_site_is_its_pages_mdbooks_files_and_the_books_own() {
    use Entry::{File, Folder, Other};
    let site = [
        (".nojekyll", File),
        ("index.html", File),
        ("intro.html", File),
        ("print.html", File),
        ("toc.html", File),
        ("toc-0a1b2c3d.js", File),
        ("book-1a2b3c4d.js", File),
        ("searchindex.js", File),
        ("css", Folder),
        ("fonts", Folder),
        ("guide", Folder),
        ("images", Folder),
        ("theme", Folder),
    ];
    let book = names(&["guide", "images", "theme"]);
    assert_eq!(
        stock_listing(&listing(&site), Some(NOJEKYLL), &book),
        Ok(())
    );
    let with = |extra: (&'static str, Entry)| {
        let mut entries = listing(&site);
        entries.push((extra.0.to_string(), extra.1));
        stock_listing(&entries, Some(NOJEKYLL), &book)
    };
    assert_eq!(
        with(("notes.txt", File)),
        Err("`notes.txt` is not something mdBook writes for this book".into())
    );
    assert_eq!(
        with(("drafts", Folder)),
        Err("`drafts` is not something mdBook writes for this book".into())
    );
    assert_eq!(
        with(("page.html", Other)),
        Err("`page.html` is not something mdBook writes for this book".into()),
        "mdBook never writes a link"
    );
    assert_eq!(
        with(("book-1a2b3c4.js", File)),
        Err("`book-1a2b3c4.js` is not something mdBook writes for this book".into()),
        "hash-files writes 8 hex digits"
    );
    assert_eq!(
        stock_listing(&listing(&site), Some(b"my notes\n"), &book),
        Err("it has no `.nojekyll` as mdBook writes it".into())
    );
    assert_eq!(
        stock_listing(&listing(&site[..1]), Some(NOJEKYLL), &book),
        Err("it has no `index.html`".into())
    );
}

#[test]
fn a_site_that_stock_mdbook_wrote_is_accepted() {
    let (_dir, book) = layout();
    std::fs::write(
        book.join("book.toml"),
        "[book]\ntitle = \"T\"\n[output.html]\nadditional-css = [\"theme/x.css\"]\n",
    )
    .unwrap();
    std::fs::create_dir_all(book.join("src/guide")).unwrap();
    std::fs::create_dir_all(book.join("theme")).unwrap();
    std::fs::write(book.join("theme/x.css"), "p {}\n").unwrap();
    std::fs::write(
        book.join("src/SUMMARY.md"),
        "# Summary\n\n[A](a.md)\n- [B](guide/b.md)\n",
    )
    .unwrap();
    std::fs::write(book.join("src/a.md"), "# A\n").unwrap();
    std::fs::write(book.join("src/guide/b.md"), "# B\n").unwrap();
    std::fs::write(book.join("src/logo.svg"), "<svg/>").unwrap();
    // What `mdbook build` does.
    mdbook_driver::MDBook::load(&book).unwrap().build().unwrap();
    let site = book.join("book");
    let root = BookRoot::load(&book).unwrap();
    let entries = book_entries(&root);
    assert_eq!(entries, names(&["guide", "logo.svg", "theme"]));
    assert_eq!(verdict_with(&book, &site, &entries), "ok");
    std::fs::write(site.join("notes.txt"), "mine").unwrap();
    assert_eq!(
        verdict_with(&book, &site, &entries),
        format!(
            "the destination {} is a folder that a previous build did not write (no .responder-docs-site in it) \
             nor a site of stock mdBook (`notes.txt` is not something mdBook writes for this book); remove it yourself or choose another folder",
            site.display()
        )
    );
}

#[cfg(unix)]
#[test]
fn a_folder_the_book_reads_is_never_the_site_even_through_a_link_with_a_marker() {
    let (_dir, book) = layout();
    let policies = book.join("policies");
    std::fs::create_dir_all(&policies).unwrap();
    std::fs::write(policies.join("a.json"), "{}").unwrap();
    mark(&policies).unwrap();
    let link = book.join("book");
    std::os::unix::fs::symlink("policies", &link).unwrap();
    let real_link = real(&link).unwrap();
    assert_eq!(
        verdict(&book, &real_link),
        format!(
            "the destination {} is or contains a folder the book reads ({}); building there would delete it",
            real_link.display(),
            policies.canonicalize().unwrap().display()
        )
    );
    let inside = policies.join("site");
    assert!(verdict(&book, &inside).contains("lies inside a folder the book reads"));
    let git = book.parent().unwrap().join(".git/hooks");
    assert_eq!(
        verdict(&book, &git),
        format!(
            "the destination {} lies inside a `.git` folder, where Git keeps a repository's settings and hooks; choose a folder outside it",
            git.display()
        )
    );
}

#[test]
fn a_leftover_that_is_what_the_book_reads_is_kept() {
    let (_dir, book) = layout();
    let dead = u32::MAX - 1;
    let sources = book.join(format!("{ASIDE_PREFIX}{dead}-book"));
    std::fs::create_dir_all(&sources).unwrap();
    std::fs::write(sources.join("SUMMARY.md"), "# Summary\n").unwrap();
    mark(&sources).unwrap();
    let stray = book.join(format!("{ASIDE_PREFIX}{dead}-site"));
    std::fs::create_dir_all(&stray).unwrap();
    mark(&stray).unwrap();
    let repository = book.parent().unwrap();
    remove_leftovers(
        &book,
        &Protected {
            book: &book,
            sources: &sources,
            repository,
            inputs: &[],
            book_entries: &BTreeSet::new(),
        },
    );
    assert!(sources.join("SUMMARY.md").is_file(), "the sources are kept");
    let can_tell = Path::new("/proc/self").exists();
    assert!(!stray.exists() || !can_tell, "a real leftover still goes");
}

/// Through a link, a marker is not enough: the folder must be a site.
#[test]
fn a_folder_reached_through_a_link_is_replaced_only_when_it_is_a_site() {
    let (_dir, book) = layout();
    let examples = book.join("examples");
    std::fs::create_dir_all(&examples).unwrap();
    std::fs::write(examples.join("a.json"), "{}").unwrap();
    mark(&examples).unwrap();
    let repository = book.parent().unwrap();
    let protected = Protected {
        book: &book,
        sources: &book.join("src"),
        repository,
        inputs: &[],
        book_entries: &BTreeSet::new(),
    };
    assert_eq!(
        check(&examples, true, &protected).unwrap_err().to_string(),
        format!(
            "the destination {} is reached through a link and is not a site (it has no `.nojekyll` as mdBook writes it); \
             a link may lead only to a site, so remove the folder's contents yourself or choose another folder",
            examples.display()
        )
    );
    assert!(
        check(&examples, false, &protected).is_ok(),
        "marked, named as written"
    );
    let site = book.join("site");
    std::fs::create_dir_all(&site).unwrap();
    std::fs::write(site.join(".nojekyll"), NOJEKYLL).unwrap();
    std::fs::write(site.join("index.html"), "<html>").unwrap();
    mark(&site).unwrap();
    assert!(check(&site, true, &protected).is_ok(), "a site of ours");
}
