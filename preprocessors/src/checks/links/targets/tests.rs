use super::*;
use mdbook_preprocessor::config::Config;

struct Fixture {
    _dir: tempfile::TempDir,
    root: BookRoot,
}

fn fixture(toml: &str) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in [
        ("src/SUMMARY.md", "# Summary\n"),
        ("src/orphan.md", "# Orphan\n"),
        ("src/img/pic.png", "png"),
        ("src/guide/README.md", "# Guide\n"),
        ("policies/p.json", "{}"),
        ("notes.txt", "outside src"),
    ] {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    #[cfg(unix)]
    std::os::unix::fs::symlink("../policies", dir.path().join("src/policies")).unwrap();
    let config: Config = toml.parse().unwrap();
    Fixture {
        root: BookRoot::new(dir.path(), config),
        _dir: dir,
    }
}

fn site(root: &BookRoot) -> Site<'_> {
    let chapters = vec![
        Chapter {
            path: "intro.md".into(),
            source_path: Some("intro.md".into()),
            ids: vec!["intro".into(), "set-up".into(), "café".into()],
        },
        Chapter {
            path: "guide/index.md".into(),
            source_path: Some("guide/README.md".into()),
            ids: vec!["guide".into()],
        },
        Chapter {
            path: "guide/roles.md".into(),
            source_path: Some("guide/roles.md".into()),
            ids: vec!["roles".into(), "trust-policy".into()],
        },
    ];
    Site::new(root, chapters, vec!["Troubleshooting".into()])
}

const TOP: From<'static> = From {
    dir: "",
    page: Some(0),
    summary: false,
};
const GUIDE: From<'static> = From {
    dir: "guide",
    page: Some(2),
    summary: false,
};

const SUMMARY: From<'static> = From {
    dir: "",
    page: None,
    summary: true,
};

fn code(v: Verdict) -> &'static str {
    match v {
        Verdict::Fine => "fine",
        Verdict::External(_) => "external",
        Verdict::Broken(p) | Verdict::MissingAnchor(p, _) => p.code.as_str(),
    }
}

#[test]
fn chapters_fragments_and_files_resolve() {
    let f = fixture("");
    let site = site(&f.root);
    for (from, dest) in [
        (TOP, "intro.md"),
        (TOP, "#set-up"),
        (TOP, "#caf%C3%A9"),
        (TOP, "#"),
        (TOP, "#top"),
        (TOP, "guide/roles.md#trust-policy"),
        (TOP, "./guide/roles.html#roles"),
        (TOP, "guide/index.md"),
        (TOP, "guide/"),
        (TOP, "img/pic.png"),
        (TOP, "print.html"),
        (TOP, "404.md"),
        (GUIDE, "../intro.md#intro"),
        (GUIDE, "../policies/p.json"),
        (GUIDE, "/intro.md"),
        (TOP, "mailto:a@b.c"),
        (TOP, "img/pic.png?v=2"),
        (SUMMARY, "guide/README.md"),
        (SUMMARY, "guide/README.md#guide"),
    ] {
        assert_eq!(code(site.check(from, dest)), "fine", "{dest}");
    }
    assert_eq!(
        site.check(TOP, "https://example.com/x#y"),
        Verdict::External("https://example.com/x#y".into())
    );
    assert_eq!(code(site.check(TOP, "//example.com")), "external");
}

#[test]
fn each_broken_kind_has_its_code() {
    let f = fixture("");
    let site = site(&f.root);
    for (from, dest, expected) in [
        (TOP, "", "links::empty-link"),
        (TOP, "nothing.md", "links::missing-file"),
        (TOP, "img/none.png", "links::missing-file"),
        (TOP, "#setup", "links::missing-anchor"),
        (TOP, "guide/roles.md#trust", "links::missing-anchor"),
        (TOP, "orphan.md", "links::not-in-summary"),
        (TOP, "troubleshooting.md", "links::draft-chapter"),
        (TOP, "guide/README.md", "links::readme-link"),
        (SUMMARY, "orphan.md", "links::not-in-summary"),
        (TOP, "../notes.txt", "links::not-in-site"),
        (GUIDE, "../../../etc/passwd", "links::outside-book"),
    ] {
        assert_eq!(code(site.check(from, dest)), expected, "{dest}");
    }
}

#[test]
fn hints_suggest_the_closest_id_or_list_them() {
    let f = fixture("");
    let site = site(&f.root);
    let Verdict::Broken(p) = site.check(GUIDE, "roles.md#trust-polcy").helped() else {
        panic!()
    };
    assert_eq!(
        p.message,
        "`roles.md#trust-polcy`: no heading or id `trust-polcy` on guide/roles.md"
    );
    assert_eq!(p.hint.as_deref(), Some("did you mean `#trust-policy`?"));
    let Verdict::Broken(p) = site.check(GUIDE, "roles.md#zzz").helped() else {
        panic!()
    };
    assert_eq!(
        p.hint.as_deref(),
        Some("ids on guide/roles.md: `#roles`, `#trust-policy`")
    );
    let Verdict::Broken(p) = site.check(TOP, "guide/README.md#guide") else {
        panic!()
    };
    assert_eq!(
        p.message,
        "`guide/README.md#guide` leads to `guide/README.html`, which does not exist: mdBook publishes `guide/README.md` as `guide/index.html`"
    );
}

#[test]
fn a_custom_404_and_redirects_are_pages_of_the_site() {
    let f = fixture(
        "[output.html]\ninput-404 = \"missing.md\"\n[output.html.redirect]\n\"/old/page.html\" = \"../intro.html\"\n",
    );
    let site = site(&f.root);
    assert_eq!(code(site.check(TOP, "missing.html")), "fine");
    assert_eq!(code(site.check(TOP, "old/page.html")), "fine");
    assert_eq!(code(site.check(TOP, "404.html")), "links::missing-file");
}

#[test]
fn paths_normalise_without_climbing_out() {
    assert_eq!(normalize("a/./b/../c.md").as_deref(), Some("a/c.md"));
    assert_eq!(normalize("../x"), None);
    assert_eq!(with_extension("a.b/c.md", "html"), "a.b/c.html");
    assert_eq!(scheme("https://x"), Some("https"));
    assert_eq!(scheme("c:d"), Some("c"));
    assert_eq!(scheme("a b:c"), None);
    assert_eq!(scheme("./x:y"), None);
}

#[test]
fn a_missing_page_suggests_a_chapter_of_the_same_folder() {
    let f = fixture("");
    let site = site(&f.root);
    let Verdict::Broken(p) = site.check(GUIDE, "role.md") else {
        panic!()
    };
    assert_eq!(p.message, "`role.md` does not exist");
    assert_eq!(
        p.hint.as_deref(),
        Some("no file `src/guide/role.md`; did you mean the chapter `guide/roles.md`?")
    );
}
