//! Patterns found in public mdBook books (mdBook's guide, the Rust book, the
//! async book): the link findings must be those of a link checker run on
//! the built HTML (`hyperlink --check-anchors`), each at its Markdown line,
//! and nothing else may be an error.

use responder_docs_tests::{check_shorts, copy_dir, fixture, require_stock_mdbook};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

const EXPECTED: [&str; 4] = [
    "src/README.md:8:22: warning[links::empty-link]: link with an empty destination",
    "src/format/config.md:9:5: error[links::not-in-site]: `../../nomicon/index.html` is outside `src/`, so it is not published with the site",
    "src/format/config.md:10:5: error[links::missing-anchor]: `../format/index.md#structure`: no heading or id `structure` on format/index.md",
    "src/listings.md:9:7: warning[links::empty-link]: link with an empty destination",
];

#[test]
fn public_book_patterns_raise_only_the_real_problems() {
    // Included listing outside the book, sibling book in `link-ignore`, HTML
    // ids, a redirected page: no finding. A dead sibling link and a missing
    // heading: errors. `[later]()` placeholders: warnings.
    let (code, shorts) = check_shorts(&fixture("links/public-books/guide"));
    assert_eq!(shorts, EXPECTED);
    assert_eq!(code, 1);
}

/// A copy of the fixture in a temporary repository (a `.git` folder marks
/// its root, so the listing outside the book stays inside it).
fn copy_in_repository() -> tempfile::TempDir {
    let dir = copy_dir(&fixture("links/public-books"));
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    dir
}

#[test]
fn a_sibling_book_link_is_an_error_until_link_ignore_names_it() {
    let dir = copy_in_repository();
    let toml = dir.path().join("guide/book.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(
        &toml,
        text.replace("link-ignore = [\"^\\\\.\\\\./std/\"]", ""),
    )
    .unwrap();
    let (code, shorts) = check_shorts(&dir.path().join("guide"));
    let mut expected: Vec<String> = EXPECTED.iter().map(|s| s.to_string()).collect();
    expected.insert(
        0,
        "src/README.md:6:5: error[links::not-in-site]: `../std/option/enum.Option.html` is outside `src/`, so it is not published with the site".into(),
    );
    assert_eq!(shorts, expected);
    assert_eq!(code, 1);
}

#[test]
fn the_fixed_book_is_clean_and_a_listing_outside_the_repository_is_not() {
    let dir = copy_in_repository();
    let guide = dir.path().join("guide/src");
    let edit = |file: &str, from: &str, to: &str| {
        let path = guide.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file} has no `{from}`");
        std::fs::write(&path, text.replace(from, to)).unwrap();
    };
    edit("README.md", "[later]()", "[later](listings.md)");
    edit(
        "listings.md",
        "[placeholder]()",
        "[placeholder](format/index.md)",
    );
    edit(
        "format/config.md",
        "../../nomicon/index.html",
        "../listings.md",
    );
    edit("format/config.md", "#structure", "#layout");
    let (code, shorts) = check_shorts(&dir.path().join("guide"));
    assert_eq!(shorts, Vec::<String>::new());
    assert_eq!(code, 0);

    // Without the `.git`, the book root is the limit: the listing is outside.
    std::fs::remove_dir(dir.path().join(".git")).unwrap();
    let (code, shorts) = check_shorts(&dir.path().join("guide"));
    assert_eq!(shorts.len(), 1, "{shorts:?}");
    assert!(
        shorts[0].starts_with("src/listings.md:6:1: error[reach::include-outside]"),
        "{shorts:?}"
    );
    assert_eq!(code, 1);
}

/// `hyperlink` on `PATH`, for the test marked as needing it.
fn require_hyperlink() {
    let found = Command::new("hyperlink").arg("--version").output().is_ok();
    assert!(
        found,
        "hyperlink is not on PATH: run `cargo install hyperlink --locked --version 0.3.2`"
    );
}

/// Broken links per HTML page as `hyperlink --check-anchors` reports them,
/// with `print.html` left out (it repeats every chapter).
fn hyperlink_findings(site: &Path) -> BTreeMap<String, Vec<String>> {
    std::fs::write(site.join("print.html"), "").unwrap();
    let out = Command::new("hyperlink")
        .arg("--check-anchors")
        .arg(site)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let mut found: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut page = String::new();
    for line in text.lines() {
        if let Some(link) = line.trim().strip_prefix("error: bad link ") {
            found
                .entry(page.clone())
                .or_default()
                .push(link.to_string());
        } else if let Ok(rel) = Path::new(line.trim()).strip_prefix(site) {
            page = rel.to_string_lossy().into_owned();
        }
    }
    found
}

#[test]
#[ignore = "needs stock mdBook 0.5.4 and hyperlink 0.3.2 on PATH: cargo install mdbook --locked --version 0.5.4; cargo install hyperlink --locked --version 0.3.2"]
fn the_findings_are_those_of_hyperlink_on_the_built_site() {
    require_stock_mdbook();
    require_hyperlink();
    let dir = copy_in_repository();
    let site = dir.path().join("site");
    let status = Command::new("mdbook")
        .args(["build", "-d"])
        .arg(&site)
        .current_dir(dir.path().join("guide"))
        .status()
        .unwrap();
    assert!(status.success());
    let mut theirs = hyperlink_findings(&site);
    // The sibling book is not part of this site; `link-ignore` names it.
    let sibling = theirs.get_mut("index.html").unwrap();
    assert_eq!(sibling, &["/std/option/enum.Option.html"]);
    theirs.remove("index.html");
    let expected: BTreeMap<String, Vec<String>> = [(
        "format/config.html".to_string(),
        vec!["/nomicon".to_string(), "/format#structure".to_string()],
    )]
    .into();
    assert_eq!(theirs, expected);
    // Ours: the same two, on the chapter that renders to that page.
    let (_, shorts) = check_shorts(&dir.path().join("guide"));
    let errors: Vec<&String> = shorts.iter().filter(|s| s.contains(": error[")).collect();
    assert_eq!(errors.len(), 2);
    assert!(
        errors
            .iter()
            .all(|s| s.starts_with("src/format/config.md:"))
    );
}
