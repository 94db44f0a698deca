//! Our include engine against mdBook 0.5.4's `links` preprocessor (run
//! in-process from `mdbook-driver`): the same books give the same text and
//! the same titles. Then what ours refuses, with exact diagnostics.

use mdbook_driver::MDBook;
use mdbook_driver::builtin_preprocessors::LinkPreprocessor;
use mdbook_preprocessor::book::{Book, BookItem};
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};
use responder_docs::checks::links::expand;
use responder_docs::diagnostics::Diagnostics;
use responder_docs::model::book_root::BookRoot;
use responder_docs_tests::{check_shorts, fixture, repo_root, tiny_book};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

fn chapters(book: &Book) -> Vec<(PathBuf, String)> {
    book.iter()
        .filter_map(|item| match item {
            BookItem::Chapter(ch) => Some((ch.path.clone()?, ch.content.clone())),
            _ => None,
        })
        .collect()
}

/// The chapters and titles after mdBook's `links`, and after ours.
type Both = (Vec<(PathBuf, String)>, HashMap<PathBuf, String>);

fn both(root: &Path) -> (Both, Both) {
    let md = MDBook::load(root).unwrap();
    let ctx = PreprocessorContext::new(md.root.clone(), md.config.clone(), "html".into());
    let theirs = LinkPreprocessor::new().run(&ctx, md.book.clone()).unwrap();
    let their_titles = ctx.chapter_titles.borrow().clone();
    let mut ours = md.book.clone();
    let book_root = BookRoot::new(&md.root, md.config.clone());
    let mut found = Diagnostics::new();
    let our_titles = expand::expand_book(&book_root, &mut ours, &mut found);
    (
        (chapters(&theirs), their_titles),
        (chapters(&ours), our_titles),
    )
}

/// Every chapter the same, and how many directives the book holds.
fn same_as_mdbook(root: &Path) -> usize {
    let (theirs, ours) = both(root);
    assert_eq!(theirs.0.len(), ours.0.len());
    for ((path, expected), (_, actual)) in theirs.0.iter().zip(&ours.0) {
        assert_eq!(actual, expected, "{} in {}", path.display(), root.display());
    }
    assert_eq!(ours.1, theirs.1, "titles in {}", root.display());
    let md = MDBook::load(root).unwrap();
    chapters(&md.book)
        .iter()
        .map(|(_, text)| expand::links(text).count())
        .sum()
}

#[test]
fn every_form_expands_as_mdbook_expands_it() {
    let root = fixture("includes/forms");
    let directives = same_as_mdbook(&root);
    assert_eq!(directives, 39);
    // The fixture really holds each form (a test that cannot fail is no test).
    let (_, ours) = both(&root);
    let page = |name: &str| {
        ours.0
            .iter()
            .find(|(p, _)| p == Path::new(name))
            .map(|(_, t)| t.clone())
            .unwrap()
    };
    assert!(page("ranges.md").contains("```text\nsecond\nthird\nfourth\n```"));
    assert!(page("rustdoc.md").contains("# // A listing with anchors.\n"));
    assert!(page("playground.md").contains("```rust,editable,ignore\nfn main()"));
    assert!(page("escapes.md").contains("{{#include a}} {{#include listings/lines.txt:1}}"));
    assert!(page("nested/chapter.md").contains("Leaf, with a [link](../chapter.md)."));
    assert_eq!(
        ours.1.get(Path::new("title.md")).map(String::as_str),
        Some("A title set by the chapter")
    );
}

#[test]
fn the_guide_and_the_link_fixtures_expand_as_mdbook_expands_them() {
    let mut directives = 0;
    for root in [
        repo_root(),
        fixture("links/clean"),
        fixture("links/broken"),
        fixture("links/public-books/guide"),
    ] {
        directives += same_as_mdbook(&root);
    }
    assert_eq!(directives, 8);
}

/// A repository (`.git`) holding a tiny book at `repo/book`, with a secret
/// beside the repository; the book's root.
fn repository(outer: &Path, files: &[(&str, &str)]) -> PathBuf {
    std::fs::create_dir_all(outer.join("repo/.git")).unwrap();
    std::fs::write(
        outer.join("repo/.git/config"),
        "[remote \"origin\"]\n\turl = https://user:token@example.com/x.git\n",
    )
    .unwrap();
    std::fs::write(outer.join("secret.txt"), "CANARY_OUTSIDE\n").unwrap();
    let root = outer.join("repo/book");
    tiny_book(&root, "# Summary\n\n- [A](a.md)\n", files);
    root
}

/// `check` on a book: its exit status and one-line problems, with the
/// temporary folder's path shown as `OUTER`.
fn checked(outer: &Path, root: &Path) -> (u8, Vec<String>) {
    let (code, shorts) = check_shorts(root);
    let outer = outer.canonicalize().unwrap().display().to_string();
    (
        code,
        shorts.iter().map(|s| s.replace(&outer, "OUTER")).collect(),
    )
}

const SECRET: &str = "`OUTER/secret.txt`, outside the repository (`OUTER/repo`)";

#[test]
fn an_anchor_line_inside_a_directive_cannot_hide_where_it_reads() {
    let outer = tempfile::tempdir().unwrap();
    let root = repository(
        outer.path(),
        &[
            ("a.md", "# A\n\n{{#include parts/p.md:x}}\n"),
            (
                "parts/p.md",
                "<!-- ANCHOR: x -->\n{{#include\n../a.md <!-- ANCHOR: y -->\n../../../../secret.txt}}\n<!-- ANCHOR_END: x -->\n",
            ),
        ],
    );
    // mdBook drops the marker line before it expands the directive, so the
    // path read is the secret's, not `../a.md`; so does the one engine.
    assert_eq!(
        checked(outer.path(), &root),
        (
            1,
            vec![format!(
                "src/parts/p.md:2:1: error[reach::include-outside]: `{{{{#include␊../../../../secret.txt}}}}` reads `../../../../secret.txt`, which resolves to {SECRET}"
            )]
        )
    );
}

#[test]
fn a_directive_over_two_lines_is_judged_like_any_other() {
    let outer = tempfile::tempdir().unwrap();
    let root = repository(
        outer.path(),
        &[(
            "a.md",
            "# A\n\n```text\n{{#include\n../../../secret.txt}}\n```\n",
        )],
    );
    assert_eq!(
        checked(outer.path(), &root),
        (
            1,
            vec![format!(
                "src/a.md:4:1: error[reach::include-outside]: `{{{{#include␊../../../secret.txt}}}}` reads `../../../secret.txt`, which resolves to {SECRET}"
            )]
        )
    );
}

#[test]
fn nothing_under_git_is_ever_included() {
    let outer = tempfile::tempdir().unwrap();
    let root = repository(
        outer.path(),
        &[("a.md", "# A\n\n{{#include ../../.git/config}}\n")],
    );
    assert_eq!(
        checked(outer.path(), &root),
        (
            1,
            vec!["src/a.md:3:1: error[reach::git-folder]: `{{#include ../../.git/config}}` reads `../../.git/config`, which resolves to `OUTER/repo/.git/config`, inside a `.git` folder, which the build never reads (it holds credentials)".to_string()]
        )
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_is_refused_without_waiting_for_a_writer() {
    let outer = tempfile::tempdir().unwrap();
    let root = repository(
        outer.path(),
        &[("a.md", "# A\n\n{{#include ../fifo.txt}}\n")],
    );
    let made = std::process::Command::new("mkfifo")
        .arg(root.join("fifo.txt"))
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    // No writer ever opens it: a reader opening it would wait for ever.
    assert_eq!(
        checked(outer.path(), &root),
        (
            1,
            vec!["src/a.md:3:1: error[reach::not-a-file]: `{{#include ../fifo.txt}}` reads `../fifo.txt`, which is a FIFO, not a regular file".to_string()]
        )
    );
}

#[test]
fn an_include_cycle_is_reported_where_it_repeats() {
    let outer = tempfile::tempdir().unwrap();
    let root = repository(
        outer.path(),
        &[
            ("a.md", "# A\n\n{{#include b.md}}\n"),
            ("b.md", "B\n{{#include a.md:3}}\n"),
        ],
    );
    // Stock mdBook logs "Stack depth exceeded in a.md. Check for cyclic includes".
    assert_eq!(
        checked(outer.path(), &root),
        (
            1,
            vec!["src/a.md:3:1: error[links::include-depth]: stack depth exceeded in `src/a.md`: `{{#include b.md}}` is nested 10 includes deep, so mdBook drops what it brings in".to_string()]
        )
    );
}

#[test]
fn an_include_that_fans_out_stops_at_the_budget_in_seconds() {
    let outer = tempfile::tempdir().unwrap();
    let root = repository(
        outer.path(),
        &[
            ("a.md", "# A\n\n{{#include f.md}}\n"),
            ("f.md", &"{{#include f.md}}\n".repeat(10)),
        ],
    );
    let started = std::time::Instant::now();
    assert_eq!(
        checked(outer.path(), &root),
        (
            1,
            vec![
                "src/f.md:1:1: error[links::include-depth]: stack depth exceeded in `src/a.md`: `{{#include f.md}}` is nested 10 includes deep, so mdBook drops what it brings in".to_string(),
                "src/f.md:5:1: error[links::include-budget]: `{{#include f.md}}` would bring the chapter to more than 10000 includes, so expanding stops here".to_string(),
            ]
        )
    );
    assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
}

#[test]
fn stock_mdbook_with_its_own_links_left_on_stops_before_they_run() {
    let outer = tempfile::tempdir().unwrap();
    let root = repository(
        outer.path(),
        &[("a.md", "# A\n\nFine.\n\n{{#include ../../../secret.txt}}\n")],
    );
    // What a book.toml without `use-default-preprocessors = false` gives:
    // our pass runs before mdBook's `links`.
    let toml = root.join("book.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(
        &toml,
        format!("{text}[preprocessor.procedure]\ncommand = \"false\"\nbefore = [\"links\"]\n"),
    )
    .unwrap();
    let mut book = MDBook::load(&root).unwrap();
    let book_root = BookRoot::new(&book.root, book.config.clone());
    let mut found = Diagnostics::new();
    expand::unguarded_links(&book_root, &book.book, &mut found);
    assert_eq!(
        found.iter().map(|d| d.short()).collect::<Vec<_>>(),
        [
            "src/a.md:5:1: error[reach::mdbook-links]: `{{#include ../../../secret.txt}}` would be expanded by mdBook's own `links` preprocessor, which opens files unjudged"
        ]
    );
    let site = outer.path().join("site");
    book.config.build.build_dir = site.clone();
    book.with_preprocessor(
        responder_docs::shells::mdbook_command::Stock::named("procedure").unwrap(),
    );
    let err = book.build().unwrap_err();
    assert!(
        format!("{err:#}").contains("the procedure preprocessor found 1 error"),
        "{err:#}"
    );
    assert!(!site.exists());
}

/// A book that does not list our passes in book.toml (any mdBook book) gets
/// them before its includes are expanded, as the guide does: an escaped
/// example of a directive stays an example, and the page shows what stock
/// mdBook shows (only the first escape of a line loses its backslash).
#[test]
fn escaped_directives_in_a_plain_book_are_examples_not_directives() {
    let dir = tempfile::tempdir().unwrap();
    tiny_book(
        dir.path(),
        "# Summary\n\n- [Syntax](syntax.md)\n",
        &[(
            "syntax.md",
            "# Syntax\n\nWrite `\\{{#iam-policy NAME}}` for a policy, or `\\{{#value KEY}}`.\n",
        )],
    );
    assert_eq!(check_shorts(dir.path()), (0, Vec::new()));
    let run = responder_docs_tests::run(&["build", dir.path().to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = std::fs::read_to_string(dir.path().join("book/syntax.html")).unwrap();
    assert!(
        page.contains(
            "Write <code>{{#iam-policy NAME}}</code> for a policy, or <code>\\{{#value KEY}}</code>."
        ),
        "{page}"
    );
}

/// The same book when mdBook's `links` runs first (book.toml orders our
/// passes after it): the include is already expanded in the text our pass
/// receives, and the chapter file as written still shows it, so the build
/// stops before anything is rendered.
#[test]
fn stock_mdbook_links_that_ran_first_still_stop_the_build() {
    let outer = tempfile::tempdir().unwrap();
    let root = repository(
        outer.path(),
        &[("a.md", "# A\n\nFine.\n\n{{#include ../../../secret.txt}}\n")],
    );
    let md = MDBook::load(&root).unwrap();
    let ctx = PreprocessorContext::new(md.root.clone(), md.config.clone(), "html".into());
    let expanded = LinkPreprocessor::new().run(&ctx, md.book.clone()).unwrap();
    let book_root = BookRoot::new(&md.root, md.config.clone());
    let mut found = Diagnostics::new();
    expand::unguarded_links(&book_root, &expanded, &mut found);
    assert_eq!(
        found.iter().map(|d| d.short()).collect::<Vec<_>>(),
        [
            "src/a.md:5:1: error[reach::mdbook-links]: `{{#include ../../../secret.txt}}` would be expanded by mdBook's own `links` preprocessor, which opens files unjudged"
        ]
    );
}

/// A line of a large file costs the whole file: includes that each take one
/// line of a 15 MiB file stop at the chapter's read budget, at once, not
/// after reading gigabytes.
#[test]
fn includes_of_a_large_file_stop_at_the_read_budget() {
    let outer = tempfile::tempdir().unwrap();
    let chapter = format!("# A\n\n{}", "{{#include big.txt:1}}\n".repeat(1000));
    let root = repository(outer.path(), &[("a.md", &chapter)]);
    let big = format!(
        "first line\n{}",
        format!("{}\n", "x".repeat(1023)).repeat(15 * 1024)
    );
    std::fs::write(root.join("src/big.txt"), big).unwrap();
    let (code, shorts) = check_shorts(&root);
    assert_eq!(
        shorts,
        [
            "src/a.md:20:1: error[links::include-budget]: `{{#include big.txt:1}}` would bring the chapter to more than 256 MiB read by its includes, so expanding stops here"
        ]
    );
    assert_eq!(code, 1);
}
