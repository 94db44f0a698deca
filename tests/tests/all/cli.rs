//! The `responder-docs` command line: exit codes, formats, and what a failed
//! build leaves behind.

use responder_docs_tests::{run, shorts};
use std::path::Path;

/// A plain book with one chapter, `a.md`.
fn tiny_book(root: &Path, summary: &str) {
    responder_docs_tests::tiny_book(root, summary, &[("a.md", "# A\n\nText.\n")]);
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
        result
            .stderr
            .contains("error[book::unreadable]: cannot load the book"),
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
    for name in [
        "procedure",
        "iam-policy",
        "image-uri",
        "include",
        "validate",
    ] {
        assert_eq!(run(&["mdbook", name, "supports", "html"]).code, 0, "{name}");
    }
    let unknown = run(&["mdbook", "nope", "supports", "html"]);
    assert_eq!(unknown.code, 2);
    assert!(
        unknown.stderr.contains(
            "no preprocessor named `nope`; known: procedure, iam-policy, image-uri, include, validate"
        ),
        "{}",
        unknown.stderr
    );
}

#[test]
fn one_broken_thing_in_the_real_book_fails_with_its_location_and_keeps_the_old_site() {
    let book = responder_docs_tests::copy_real_book();
    let root = book.path().to_str().unwrap().to_string();
    let dest = book.path().join("site");
    let good = run(&["build", &root, "--dest-dir", dest.to_str().unwrap()]);
    assert_eq!(good.code, 0, "{}", good.stderr);
    let before = std::fs::read_to_string(dest.join("verify.html")).unwrap();

    let chapter = book.path().join("src/verify.md");
    let text = std::fs::read_to_string(&chapter).unwrap();
    std::fs::write(
        &chapter,
        format!("{text}\nSee [the roles](iam-roles.md#no-such-heading).\n"),
    )
    .unwrap();
    let line = text.lines().count() + 2;

    let checked = run(&["check", &root]);
    assert_eq!(checked.code, 1);
    assert!(
        checked
            .stderr
            .contains(&format!("--> src/verify.md:{line}:5")),
        "{}",
        checked.stderr
    );
    assert!(
        checked.stderr.contains("error[links::missing-anchor]"),
        "{}",
        checked.stderr
    );

    let failed = run(&["build", &root, "--dest-dir", dest.to_str().unwrap()]);
    assert_eq!(failed.code, 1);
    assert!(
        failed
            .stderr
            .contains("Nothing written: the previous site is unchanged.")
    );
    assert_eq!(
        std::fs::read_to_string(dest.join("verify.html")).unwrap(),
        before
    );
}

#[test]
fn a_misspelt_or_mistyped_setting_fails_the_check_at_its_book_toml_line() {
    let book = responder_docs_tests::copy_real_book();
    let toml = book.path().join("book.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    let line = text
        .lines()
        .position(|l| l.starts_with("deny-warnings"))
        .unwrap()
        + 1;
    for (written, expected) in [
        (
            "deny-warings = true",
            format!(
                "book.toml:{line}:1: error[config::unknown-key]: unknown key `deny-warings` in [preprocessor.responder-docs]"
            ),
        ),
        (
            "deny-warnings = \"true\"",
            format!(
                "book.toml:{line}:17: error[config::wrong-type]: `deny-warnings` in [preprocessor.responder-docs] must be true or false, not the string \"true\""
            ),
        ),
    ] {
        std::fs::write(&toml, text.replace("deny-warnings = false", written)).unwrap();
        // The flags that set a key (`--deny-warnings`, `--online`) leave a
        // mistyped value for the check to report.
        for flags in [&[][..], &["--deny-warnings"]] {
            let mut args = vec!["check", book.path().to_str().unwrap(), "--format", "json"];
            args.extend(flags);
            let run = run(&args);
            assert_eq!(
                (run.code, shorts(&run.stdout)),
                (1, vec![expected.clone()]),
                "{written} {flags:?}"
            );
        }
    }
    // The tables below the one table are checked as tables of their own,
    // and a misspelt one is a key of the one table.
    let header = "[preprocessor.responder-docs.image-uri]\n";
    let at = text.lines().position(|l| l == header.trim_end()).unwrap() + 1;
    let written = format!("{header}link-ignore = []\n");
    let expected = format!(
        "book.toml:{}:1: error[config::unknown-key]: unknown key `link-ignore` in [preprocessor.responder-docs.image-uri]",
        at + 1
    );
    std::fs::write(&toml, text.replace(header, &written)).unwrap();
    let got = run(&["check", book.path().to_str().unwrap(), "--format", "json"]);
    assert_eq!((got.code, shorts(&got.stdout)), (1, vec![expected]));
    let last = text.lines().count() + 1;
    std::fs::write(
        &toml,
        format!("{text}[preprocessor.responder-docs.procedur]\n"),
    )
    .unwrap();
    {
        let expected = format!(
            "book.toml:{last}:30: error[config::unknown-key]: unknown key `procedur` in [preprocessor.responder-docs]"
        );
        let run = run(&["check", book.path().to_str().unwrap(), "--format", "json"]);
        assert_eq!((run.code, shorts(&run.stdout)), (1, vec![expected]));
    }
}

#[test]
fn a_folder_without_book_toml_exits_2_with_one_document_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("src")).unwrap();
    let book = dir.path().to_str().unwrap();
    let human = run(&["check", book]);
    assert_eq!(human.code, 2);
    // People get the one problem as every other is shown: code, place, hint.
    assert!(
        human
            .stderr
            .contains("error[book::unreadable]: no book.toml in .: give the book's root folder")
            && human.stderr.contains(" --> .:1:1")
            && human
                .stderr
                .contains("= help: the book could not be read, so nothing else was checked"),
        "{}",
        human.stderr
    );
    let json = run(&["check", book, "--format", "json"]);
    assert_eq!(json.code, 2);
    assert_eq!(
        shorts(&json.stdout),
        [
            ".:1:1: error[book::unreadable]: no book.toml in .: give the book's root folder (where book.toml is)"
        ]
    );
    std::fs::write(dir.path().join("book.toml"), "[book\ntitle = 1\n").unwrap();
    let human = run(&["check", book]);
    assert_eq!(human.code, 2);
    assert!(
        human
            .stderr
            .contains("error[book::unreadable]: cannot load book.toml")
            && human.stderr.contains(" --> book.toml:1:6\n")
            && human.stderr.contains("1 | [book\n"),
        "{}",
        human.stderr
    );
    let github = run(&["build", book, "--format", "github"]);
    assert_eq!(github.code, 2);
    assert_eq!(github.stdout.lines().count(), 1, "{}", github.stdout);
    assert!(
        github.stdout.starts_with(
            "::error file=book.toml,line=1,col=6,endColumn=7,title=book%3A%3Aunreadable::cannot load book.toml"
        ),
        "{}",
        github.stdout
    );
    // Paths in a report are relative to the book, this one's too.
    assert!(!github.stdout.contains(book), "{}", github.stdout);
    assert!(
        github.stdout.contains("unclosed table, expected `]`"),
        "{}",
        github.stdout
    );
}
