//! The link checker on fixture books: every broken case reported at its
//! Markdown source line with its exact message, and a book full of tricky
//! but valid links that must produce nothing.

use responder_docs_tests::{check_shorts, copy_dir, fixture, run};

#[test]
fn every_broken_link_is_reported_at_its_source_line() {
    let (code, shorts) = check_shorts(&fixture("links/broken"));
    let expected = [
        // The 404 page is no chapter, but its links are followed too.
        "src/404.md:3:9: error[links::missing-file]: `home.md` does not exist",
        "src/guide/roles.md:5:9: error[links::readme-link]: `../README.md` leads to `README.html`, which does not exist: mdBook publishes `README.md` as `index.html`",
        "src/setup.md:5:4: error[links::missing-file]: `nowhere.md` does not exist",
        "src/setup.md:6:4: error[links::missing-anchor]: `#create-a-role`: no heading or id `create-a-role` on this page",
        "src/setup.md:7:4: error[links::missing-anchor]: `guide/roles.md#trust-polcy`: no heading or id `trust-polcy` on guide/roles.md",
        "src/setup.md:8:4: error[links::not-in-summary]: `orphan.md` is not in SUMMARY.md, so mdBook does not render it and the link is dead",
        "src/setup.md:9:4: error[links::draft-chapter]: `troubleshooting.md` is the draft chapter “Troubleshooting”, which is not published",
        "src/setup.md:10:4: error[links::readme-link]: `guide/README.md` leads to `guide/README.html`, which does not exist: mdBook publishes `guide/README.md` as `guide/index.html`",
        "src/setup.md:11:4: error[links::missing-file]: image `images/diagram.png` does not exist",
        // The policy checker explains this one; the generic report is dropped.
        "src/setup.md:12:4: error[links::missing-file]: `policies/none.json` does not exist",
        "src/setup.md:13:4: error[links::not-in-site]: `../book.toml` is outside `src/`, so it is not published with the site",
        "src/setup.md:14:5: error[links::outside-book]: `../../../etc/hosts` leads outside the book",
        "src/setup.md:15:5: error[links::outside-book]: `secret.txt` leads outside the book",
        "src/setup.md:16:5: warning[links::empty-link]: link with an empty destination",
        "src/setup.md:17:5: error[links::undefined-reference]: the reference `[no-such-label]` has no definition",
        "src/setup.md:18:5: error[links::bad-url]: `https:/docs.aws.amazon.com` is not a valid URL: it lacks `//` after `https:`",
        "src/setup.md:19:14: error[links::missing-anchor]: `guide/roles.md#nope`: no heading or id `nope` on guide/roles.md",
        // A link inside included text is reported at the include.
        "src/setup.md:21:1: error[links::missing-file]: `retired.md` does not exist",
        "src/setup.md:24:1: error[links::missing-include]: `{{#include listings/missing.json}}`: `src/listings/missing.json` does not exist",
        "src/setup.md:25:1: error[links::missing-include-anchor]: `{{#include listings/task.json:container}}`: no `ANCHOR: container` in `src/listings/task.json`, so nothing is included",
    ];
    assert_eq!(shorts, expected);
    assert_eq!(code, 1);
}

#[test]
fn hints_say_how_to_fix() {
    let book = fixture("links/broken");
    let out = run(&["check", book.to_str().unwrap(), "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let hint = |line: u64| -> String {
        report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["path"] == "src/setup.md" && d["line"] == line)
            .and_then(|d| d["hint"].as_str())
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(hint(7), "did you mean `#trust-policy`?");
    assert_eq!(hint(6), "did you mean `#create-the-role`?");
    assert_eq!(hint(10), "write `index.md` instead of `README.md`");
    assert_eq!(hint(25), "anchors in `src/listings/task.json`: family");
}

#[test]
fn the_human_report_shows_the_source_line() {
    let book = fixture("links/broken");
    let out = run(&["check", book.to_str().unwrap()]);
    assert_eq!(out.code, 1);
    let all = format!("{}{}", out.stdout, out.stderr);
    assert!(
        all.contains("3. [Missing anchor there](guide/roles.md#trust-polcy)"),
        "{all}"
    );
    assert!(all.contains("--> src/setup.md:7:4"), "{all}");
}

#[test]
fn valid_links_of_every_kind_raise_nothing() {
    // Task lists, admonitions, code, autolinks, mailto:, the 404 page,
    // README chapters linked as index.md, custom and repeated heading ids,
    // footnotes, HTML ids, a symlinked folder, redirects, print.html.
    let (code, shorts) = check_shorts(&fixture("links/clean"));
    assert_eq!(shorts, Vec::<String>::new());
    assert_eq!(code, 0);
}

#[test]
fn a_fixed_link_clears_its_error() {
    let book = copy_dir(&fixture("links/broken"));
    let setup = book.path().join("src/setup.md");
    let text = std::fs::read_to_string(&setup).unwrap();
    std::fs::write(
        &setup,
        text.replace("roles.md#trust-polcy", "roles.md#trust-policy"),
    )
    .unwrap();
    let (_, shorts) = check_shorts(book.path());
    assert!(!shorts.iter().any(|s| s.starts_with("src/setup.md:7:")));
    // In the copy, `src/secret.txt -> ../../outside.txt` dangles: one more error.
    assert!(
        shorts
            .iter()
            .any(|s| s.starts_with("src/secret.txt:1:1: error[reach::unreadable-source]"))
    );
    assert_eq!(shorts.len(), 20);
}

#[test]
fn links_of_a_first_chapter_in_a_folder_are_checked_on_its_index_copy() {
    let (code, shorts) = check_shorts(&fixture("links/first-in-folder"));
    assert_eq!(
        shorts,
        [
            "src/guide/start.md:3:11: warning[links::index-copy]: `next.md` is broken on `index.html`, mdBook's copy of this first chapter at the top of the site (`next.md` does not exist)"
        ]
    );
    assert_eq!(code, 0, "a warning fails only with --deny-warnings");
    let denied = run(&[
        "check",
        fixture("links/first-in-folder").to_str().unwrap(),
        "--deny-warnings",
    ]);
    assert_eq!(denied.code, 1);
}

#[test]
fn a_broken_link_to_a_template_is_reported_once_by_the_link_checker() {
    let book = responder_docs_tests::copy_real_book();
    let chapter = book.path().join("src/task-definition.md");
    let text = std::fs::read_to_string(&chapter).unwrap();
    std::fs::write(
        &chapter,
        format!("{text}\n[The template](templates/task-defintion.json)\n"),
    )
    .unwrap();
    let line = text.lines().count() + 2;
    let run = run(&["check", book.path().to_str().unwrap(), "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let found = report["diagnostics"].as_array().unwrap();
    assert_eq!(
        responder_docs_tests::shorts(&run.stdout),
        [format!(
            "src/task-definition.md:{line}:1: error[links::missing-file]: `templates/task-defintion.json` does not exist"
        )]
    );
    let hint = found[0]["hint"].as_str().unwrap();
    assert!(!hint.contains("polic"), "{hint}");
}

/// A link to a Markdown file whose page exists only as an
/// `[output.html.redirect]` entry lands on the redirect; one to a file that
/// is neither a page nor a redirect is still missing.
#[test]
fn a_link_to_a_page_that_is_only_a_redirect_is_fine() {
    let (code, shorts) = check_shorts(&fixture("links/redirect-page"));
    assert_eq!(
        (code, shorts),
        (
            1,
            vec![
                "src/guide/index.md:4:3: error[links::missing-file]: `no-anon-param.md` does not exist"
                    .to_string()
            ]
        )
    );
}

/// A file with more broken anchors than a report shows: each one shown has
/// its hint (worked out only for those), the rest are counted, and the
/// report is placed as for any smaller file.
#[test]
fn a_file_with_many_broken_anchors_shows_a_hundred_with_their_hints() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let links: String = (0..130)
        .map(|i| format!("- [step {i}](b.md#step-{i}-dnoe)\n"))
        .collect();
    let headings: String = (0..130).map(|i| format!("## Step {i} done\n\n")).collect();
    responder_docs_tests::tiny_book(
        root,
        "- [A](a.md)\n- [B](b.md)\n",
        &[
            ("a.md", &format!("# A\n\n{links}")),
            ("b.md", &format!("# B\n\n{headings}")),
        ],
    );
    let run = run(&["check", root.to_str().unwrap(), "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let shown = report["diagnostics"].as_array().unwrap();
    assert_eq!(shown.len(), 101);
    for (i, d) in shown[..100].iter().enumerate() {
        assert_eq!(d["code"], "links::missing-anchor");
        assert_eq!(d["line"], i + 3);
        assert_eq!(d["hint"], format!("did you mean `#step-{i}-done`?"), "{d}");
    }
    assert_eq!(
        shown[100]["message"],
        "and 30 more `links::missing-anchor` in this file"
    );
}
