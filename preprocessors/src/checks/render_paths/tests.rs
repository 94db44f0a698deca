use super::*;

#[test]
fn paths_joined_to_a_folder_stay_in_it_unless_absolute_or_climbing() {
    for inside in ["404.md", "errors/404.md", "a/../b.md", "./theme/x.css"] {
        assert!(!leaves(inside), "{inside}");
    }
    for outside in ["../book.toml", "/etc/passwd", "a/../../b", "\\x"] {
        assert!(leaves(outside), "{outside}");
    }
    assert_eq!(page_404("404.md"), "404.html");
    assert_eq!(page_404("../book.toml"), "../book.toml");
}

#[test]
fn a_redirect_page_is_its_key_without_the_fragment_and_leading_slashes() {
    assert_eq!(redirect_page("/old/page.html"), "old/page.html");
    assert_eq!(redirect_page("old.html"), "old.html");
    assert_eq!(redirect_page("/a.html#part"), "a.html");
    assert_eq!(redirect_page("//../../x.html"), "../../x.html");
}

#[test]
fn redirect_targets_are_relative_or_http() {
    for fine in [
        "../new/page.html",
        "new.html#part",
        "#part",
        "/format/index.html",
        "https://example.com/x",
        "HTTP://example.com/",
        "a/b:c.html",
    ] {
        assert_eq!(refused_target(fine), None, "{fine}");
    }
    assert_eq!(
        refused_target("javascript:alert(1)").as_deref(),
        Some("the `javascript:` scheme is refused; only relative addresses, http and https are")
    );
    assert_eq!(
        refused_target(" Data:text/html,x").as_deref(),
        Some("the `data:` scheme is refused; only relative addresses, http and https are")
    );
    assert_eq!(
        refused_target("java\tscript:alert(1)").as_deref(),
        Some("it holds a control character")
    );
    assert_eq!(
        refused_target("x.html</script>").as_deref(),
        Some("it holds `<`, which a URL writes percent-encoded")
    );
}

/// The one-line form of every problem `check` finds in a book with this
/// book.toml (and `files`), and the book's folder.
fn problems(toml: &str, files: &[(&str, &str)]) -> (tempfile::TempDir, Vec<String>) {
    let mut all = vec![("book.toml", toml), ("src/SUMMARY.md", "# Summary\n")];
    all.extend_from_slice(files);
    let (dir, mut root) = crate::model::book_root::temp_book(&all);
    std::fs::create_dir_all(dir.path().join(".git")).unwrap();
    root.config = toml.parse().unwrap();
    let found = check(&root).iter().map(|d| d.short()).collect();
    (dir, found)
}

fn real(path: &Path) -> String {
    path.canonicalize().unwrap().display().to_string()
}

#[test]
fn what_the_public_books_write_is_accepted() {
    let toml = "[book]\ntitle = \"T\"\n[build]\nbuild-dir = \"site\"\nextra-watch-dirs = [\"policies\"]\n\
                [output.html]\ninput-404 = \"404.md\"\ntheme = \"theme\"\n\
                additional-css = [\"theme/custom.css\", \"./theme/extra.css\"]\nadditional-js = [\"theme/x.js\"]\n\
                [output.html.redirect]\n\"/old/page.html\" = \"../new/page.html\"\n\
                \"format/config.html\" = \"https://example.com/config.html\"\n\
                \"/intro.html#setup\" = \"setup.html#start\"\n";
    let (_dir, found) = problems(
        toml,
        &[
            ("src/404.md", "# Lost\n"),
            ("theme/custom.css", "p {}\n"),
            ("theme/extra.css", "p {}\n"),
            ("theme/x.js", "\n"),
            ("theme/head.hbs", "<meta>\n"),
            ("theme/fonts/fonts.css", "\n"),
            ("policies/a.json", "{}\n"),
        ],
    );
    assert_eq!(found, Vec::<String>::new());
}

#[cfg(unix)]
#[test]
fn a_link_that_stays_in_the_repository_is_accepted() {
    let toml = "[book]\ntitle = \"T\"\n[output.html]\nadditional-css = [\"theme/shared.css\"]\n";
    let (dir, _) = problems(toml, &[("shared/s.css", "p {}\n"), ("theme/x.css", "\n")]);
    std::os::unix::fs::symlink("../shared/s.css", dir.path().join("theme/shared.css")).unwrap();
    let root = BookRoot::new(dir.path(), toml.parse().unwrap());
    assert!(check(&root).is_empty(), "{:?}", check(&root));
}

#[test]
fn paths_that_write_outside_the_site_are_refused_at_their_value() {
    let toml = "[book]\ntitle = \"T\"\n\n[output.html]\ninput-404 = \"../book.toml\"\n\
                additional-css = [\"theme/ok.css\", \"../secret.css\"]\nadditional-js = [\"/etc/x.js\"]\n\n\
                [output.html.redirect]\n\"/../../x.html\" = \"../x.html\"\n\"/old.html\" = \"javascript:alert(1)\"\n";
    let (_dir, found) = problems(toml, &[("theme/ok.css", "\n")]);
    assert_eq!(
        found,
        [
            "book.toml:5:13: error[reach::writes-outside]: `input-404` is `../book.toml`, which is not under `src/`: mdBook would write the 404 page to `../book.toml`, outside the site",
            "book.toml:6:35: error[reach::writes-outside]: the `additional-css` entry `../secret.css` is a path that climbs out: mdBook copies each entry to the same path under the site, so this one would be written outside it",
            "book.toml:7:18: error[reach::writes-outside]: the `additional-js` entry `/etc/x.js` is an absolute path: mdBook copies each entry to the same path under the site, so this one would be written outside it",
            "book.toml:10:1: error[reach::writes-outside]: the redirect `/../../x.html` climbs out of the site: mdBook would write its page to `../../x.html` from the site's folder",
            "book.toml:11:15: error[links::bad-redirect]: the redirect `/old.html` leads to `javascript:alert(1)`: the `javascript:` scheme is refused; only relative addresses, http and https are",
        ]
    );
}

#[cfg(unix)]
#[test]
fn paths_that_read_outside_the_repository_are_refused() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.css"), "canary").unwrap();
    std::fs::create_dir_all(outside.path().join("theme")).unwrap();
    let toml = "[book]\ntitle = \"T\"\n[build]\nbuild-dir = \"../site\"\nextra-watch-dirs = [\"policies\", \"/\"]\n\
                [output.html]\ninput-404 = \"lost.md\"\nadditional-css = [\"theme/secret.css\"]\n";
    let (dir, _) = problems(toml, &[("theme/head.hbs", "<meta>\n")]);
    let root_dir = dir.path();
    std::fs::create_dir_all(root_dir.join("policies")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.css"),
        root_dir.join("theme/secret.css"),
    )
    .unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.css"),
        root_dir.join("theme/index.hbs"),
    )
    .unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.css"),
        root_dir.join("src/lost.md"),
    )
    .unwrap();
    let root = BookRoot::new(root_dir, toml.parse().unwrap());
    let found: Vec<_> = check(&root).iter().map(|d| d.short()).collect();
    let secret = real(&outside.path().join("secret.css"));
    let repo = real(root_dir);
    let parent = real(root_dir.parent().unwrap());
    assert_eq!(
        found,
        [
            format!(
                "book.toml:7:13: error[reach::setting-outside]: `input-404` (`src/lost.md`) resolves to `{secret}`, outside the repository (`{repo}`); mdBook would publish it"
            ),
            format!(
                "book.toml:8:19: error[reach::setting-outside]: the `additional-css` entry `theme/secret.css` resolves to `{secret}`, outside the repository (`{repo}`); mdBook would publish it"
            ),
            format!(
                "theme/index.hbs:1:1: error[reach::outside-source]: `theme/index.hbs` resolves to `{secret}`, outside the repository (`{repo}`); mdBook would publish it in every page"
            ),
            format!(
                "theme/secret.css:1:1: error[reach::outside-source]: `theme/secret.css` resolves to `{secret}`, outside the repository (`{repo}`); mdBook would publish it in every page"
            ),
            format!(
                "book.toml:4:13: error[reach::setting-outside]: `build-dir` is `../site`, which resolves to `{parent}/site`, outside the repository (`{repo}`); the build would write the site there"
            ),
            format!(
                "book.toml:5:33: error[reach::setting-outside]: the `extra-watch-dirs` entry `/` resolves to `/`, outside the repository (`{repo}`); `serve` would watch it"
            ),
        ]
    );

    // A theme folder outside is refused at `theme`, its files not walked.
    let toml = format!(
        "[book]\ntitle = \"T\"\n[output.html]\ntheme = \"{}\"\n",
        outside.path().join("theme").display()
    );
    let root = BookRoot::new(root_dir, toml.parse().unwrap());
    std::fs::write(root_dir.join("book.toml"), &toml).unwrap();
    let found: Vec<_> = check(&root).iter().map(|d| d.short()).collect();
    assert_eq!(
        found,
        [format!(
            "book.toml:4:9: error[reach::setting-outside]: `theme` is `{}`, which resolves to `{}`, outside the repository (`{repo}`); mdBook would publish its files in every page",
            outside.path().join("theme").display(),
            real(&outside.path().join("theme"))
        )]
    );
}

#[cfg(unix)]
#[test]
fn include_root_bounds_the_settings_too() {
    let toml = "[book]\ntitle = \"T\"\n[output.html]\nadditional-css = [\"shared/x.css\"]\n\
                [preprocessor.validate]\ninclude-root = \"..\"\n";
    let outer = tempfile::tempdir().unwrap();
    let book = outer.path().join("book");
    std::fs::create_dir_all(book.join("src")).unwrap();
    std::fs::create_dir_all(outer.path().join("shared")).unwrap();
    std::fs::write(outer.path().join("shared/x.css"), "p {}\n").unwrap();
    std::fs::write(book.join("book.toml"), toml).unwrap();
    std::os::unix::fs::symlink("../shared", book.join("shared")).unwrap();
    let root = BookRoot::new(&book, toml.parse().unwrap());
    assert!(check(&root).is_empty(), "{:?}", check(&root));
    assert!(crate::model::config::check(&root.config, toml, "validate").is_empty());
}
