//! Stock mdBook 0.5.4 (`mdbook build`, which runs our passes as book.toml
//! `command`s) and `responder-docs build` (in-process) give the same site.

use responder_docs::pipeline::{self, Options};
use responder_docs_tests::{repo_root, stock_mdbook_available, stock_mdbook_build};
use std::collections::BTreeMap;
use std::path::Path;

/// Every file of a built site, by relative path.
fn files(site: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(site)
        .into_iter()
        .map(|e| e.expect("readable site"))
        .filter(|e| e.file_type().is_file())
        // Our build marks its site as its own; stock mdBook does not.
        .filter(|e| e.file_name() != responder_docs::destination::MARKER)
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(site)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

#[test]
fn stock_mdbook_builds_the_same_site() {
    if !stock_mdbook_available() {
        return;
    }
    let root = repo_root();
    let ours = tempfile::tempdir().unwrap();
    let ours_site = ours.path().join("site");
    let outcome = pipeline::build(&root, Some(&ours_site), &Options::default()).unwrap();
    assert!(
        !outcome.failed,
        "responder-docs build failed: {:#?}",
        outcome.diagnostics
    );

    let stock = tempfile::tempdir().unwrap();
    stock_mdbook_build(&root, stock.path());

    let ours = files(&ours_site);
    let theirs = files(stock.path());
    let only_ours: Vec<_> = ours.keys().filter(|k| !theirs.contains_key(*k)).collect();
    let only_theirs: Vec<_> = theirs.keys().filter(|k| !ours.contains_key(*k)).collect();
    assert!(
        only_ours.is_empty() && only_theirs.is_empty(),
        "files only in ours: {only_ours:?}; only in stock mdBook's: {only_theirs:?}"
    );
    let chapters = ours.keys().filter(|k| k.ends_with(".html")).count();
    assert!(
        chapters >= 3,
        "the site has its chapters, 404 and print pages"
    );
    let differing: Vec<_> = ours
        .iter()
        .filter(|(path, bytes)| theirs[*path] != **bytes)
        .map(|(path, _)| path)
        .collect();
    assert!(differing.is_empty(), "files that differ: {differing:?}");
}
