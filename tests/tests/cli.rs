//! The `responder-docs` command line: exit codes, formats, and what a failed
//! build leaves behind.

use responder_docs_tests::{run, shorts};
use std::path::Path;

fn tiny_book(root: &Path, summary: &str) {
    std::fs::create_dir_all(root.join("src")).unwrap();
    std::fs::write(
        root.join("book.toml"),
        "[book]\ntitle = \"Tiny\"\n[build]\ncreate-missing = false\n",
    )
    .unwrap();
    std::fs::write(root.join("src/SUMMARY.md"), summary).unwrap();
    std::fs::write(root.join("src/a.md"), "# A\n\nText.\n").unwrap();
}

#[test]
fn a_clean_book_checks_clean_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    tiny_book(dir.path(), "# Summary\n\n[A](a.md)\n");
    let book = dir.path().to_str().unwrap();

    let human = run(&["check", book]);
    assert_eq!(human.code, 0, "{}", human.stderr);
    assert!(
        human.stderr.ends_with("no problems found\n"),
        "{}",
        human.stderr
    );

    let json = run(&["check", book, "--format", "json"]);
    assert_eq!(json.code, 0);
    assert!(shorts(&json.stdout).is_empty());

    let github = run(&["check", book, "--format", "github"]);
    assert_eq!((github.code, github.stdout.as_str()), (0, ""));
}

#[test]
fn a_book_that_cannot_load_exits_2_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    tiny_book(
        dir.path(),
        "# Summary\n\n[A](a.md)\n[Missing](missing.md)\n",
    );
    let dest = dir.path().join("site");
    let result = run(&[
        "build",
        dir.path().to_str().unwrap(),
        "--dest-dir",
        dest.to_str().unwrap(),
    ]);
    assert_eq!(result.code, 2, "{}", result.stderr);
    assert!(
        result.stderr.contains("error: cannot load the book"),
        "{}",
        result.stderr
    );
    assert!(!dest.exists());
}

#[test]
fn build_writes_the_site_where_asked() {
    let dir = tempfile::tempdir().unwrap();
    tiny_book(dir.path(), "# Summary\n\n[A](a.md)\n");
    let dest = dir.path().join("out/site");
    let result = run(&[
        "build",
        dir.path().to_str().unwrap(),
        "--dest-dir",
        dest.to_str().unwrap(),
    ]);
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert!(
        std::fs::read_to_string(dest.join("a.html"))
            .unwrap()
            .contains("Text.")
    );
    let leftovers: Vec<_> = std::fs::read_dir(dest.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers, ["site"], "no staging folder left behind");
}

#[test]
fn the_mdbook_protocol_knows_every_pass_and_refuses_others() {
    for name in ["procedure", "iam-policy", "image-uri", "validate"] {
        assert_eq!(run(&["mdbook", name, "supports", "html"]).code, 0, "{name}");
    }
    let unknown = run(&["mdbook", "nope", "supports", "html"]);
    assert_eq!(unknown.code, 2);
    assert!(
        unknown.stderr.contains(
            "no preprocessor named `nope`; known: procedure, iam-policy, image-uri, validate"
        ),
        "{}",
        unknown.stderr
    );
}
