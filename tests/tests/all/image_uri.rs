//! Image URIs and architecture groups, end to end: exact diagnostics for each
//! mistake, the tab markup in the built HTML, and a version bump in book.toml
//! reaching every URI of the site.

use responder_docs::checks::image_uri::hand_written;
use responder_docs::pipeline::{self, Options};
use responder_docs_tests::{check_shorts, copy_dir, copy_real_book, fixture, repo_root};
use std::path::Path;

/// A fixture book in a temporary folder, with the selector's script and
/// style copied from the real book's theme (what readers get).
fn book(name: &str) -> tempfile::TempDir {
    let dir = copy_dir(&fixture(&format!("image-uri/{name}")));
    let theme = dir.path().join("theme");
    std::fs::create_dir_all(&theme).unwrap();
    for file in ["arch-selector.js", "arch-selector.css"] {
        std::fs::copy(repo_root().join("theme").join(file), theme.join(file)).unwrap();
    }
    dir
}

/// Builds a book into a fresh folder and returns that folder.
fn build(root: &Path) -> tempfile::TempDir {
    let site = tempfile::tempdir().unwrap();
    let dest = site.path().join("site");
    let outcome = pipeline::build(root, Some(&dest), &Options::default()).unwrap();
    assert!(
        !outcome.failed,
        "the build failed: {:#?}",
        outcome.diagnostics
    );
    site
}

fn page(site: &tempfile::TempDir, name: &str) -> String {
    std::fs::read_to_string(site.path().join("site").join(name)).unwrap()
}

#[test]
fn directive_mistakes_are_reported_at_the_chapter_line_and_column() {
    let (code, shorts) = check_shorts(&fixture("image-uri/bad-directives"));
    assert_eq!(code, 1);
    assert_eq!(
        shorts,
        [
            "src/chapter.md:3:7: error[image-uri::bad-arguments]: `{{#image-uri}}` needs an architecture",
            "src/chapter.md:3:27: error[image-uri::unknown-architecture]: unknown architecture `x86_64`",
            "src/chapter.md:5:30: error[image-uri::bad-arguments]: unexpected argument `arm64` to `{{#image-uri}}`",
            "src/chapter.md:7:23: error[image-uri::unknown-architecture]: unknown architecture `Linux/ARM64`",
            "src/chapter.md:9:17: error[image-uri::not-alone]: `{{#regions}}` must be alone on its line",
            "src/chapter.md:11:1: error[image-uri::bad-arguments]: `{{#image-uris}}` takes no argument",
            "src/chapter.md:14:1: error[image-uri::bad-arguments]: `{{#template}}` takes a template name and an architecture",
            "src/chapter.md:18:1: error[image-uri::template-outside]: `../book.toml` leads out of templates/",
            "src/chapter.md:22:1: error[image-uri::missing-template]: no template `stack.json` in templates/",
            "src/chapter.md:25:9: error[image-uri::unknown-directive]: unknown directive `{{#image-url}}`",
        ]
    );
}

#[test]
fn block_mistakes_and_the_other_architectures_values_are_reported() {
    let (code, shorts) = check_shorts(&fixture("image-uri/bad-blocks"));
    assert_eq!(code, 1);
    assert_eq!(
        shorts,
        [
            "src/chapter.md:4:10: error[image-uri::other-architecture]: the amd64 variant names `Linux/ARM64`, a value of arm64",
            "src/chapter.md:7:21: error[image-uri::other-architecture]: the arm64 variant names `X86_64`, a value of amd64",
            "src/chapter.md:11:1: error[image-uri::missing-variant]: this architecture group has no arm64 variant",
            "src/chapter.md:15:1: error[image-uri::unknown-architecture]: unknown architecture `ARM64`",
            "src/chapter.md:20:1: error[image-uri::arch-in-code]: `{{#arch}}` inside a code block",
            "src/chapter.md:23:1: error[image-uri::unclosed-arch]: this architecture group is never closed",
        ]
    );
}

#[test]
fn uris_typed_by_hand_are_reported_in_chapters_included_files_and_templates() {
    let (code, shorts) = check_shorts(&fixture("image-uri/hand-written"));
    assert_eq!(code, 1);
    assert_eq!(
        shorts,
        [
            "src/chapter.md:3:15: error[image-uri::hand-written-uri]: an AWS Marketplace image URI written by hand",
            "src/chapter.md:8:96: error[image-uri::hand-written-uri]: the AWS Marketplace registry written by hand",
            "src/partials/pull.md:3:17: error[image-uri::hand-written-uri]: an AWS Marketplace image URI written by hand",
            "templates/task-definition.json:10:17: error[image-uri::hand-written-uri]: an AWS Marketplace image URI written by hand",
        ]
    );
    let run = responder_docs_tests::run(&[
        "check",
        fixture("image-uri/hand-written").to_str().unwrap(),
        "--format",
        "json",
    ]);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        report["diagnostics"][3]["hint"],
        "use the `${ImageUri}` parameter: the guide fills it in for each architecture with {{#template NAME ARCH}}"
    );
}

#[test]
fn broken_release_facts_are_reported_in_book_toml_and_nowhere_else() {
    let (code, shorts) = check_shorts(&fixture("image-uri/bad-release"));
    assert_eq!(code, 1);
    assert_eq!(
        shorts,
        [
            "book.toml:14:11: error[image-uri::bad-version]: malformed version `1.0.4 beta`",
            "book.toml:16:25: error[image-uri::unknown-region]: `eu-west-9` is not an AWS Region code",
            "book.toml:25:7: error[image-uri::bad-architecture]: `ecs` for arm64 must be `ARM64`, not `AARCH64`",
        ]
    );
}

#[test]
fn a_book_without_release_facts_fails_only_when_it_uses_them() {
    let (code, shorts) = check_shorts(&fixture("image-uri/no-release"));
    assert_eq!(code, 1);
    assert_eq!(
        shorts,
        [
            "src/chapter.md:3:12: error[image-uri::no-release]: `{{#image-uri}}` needs the release facts, and book.toml has none",
            "src/chapter.md:5:1: error[image-uri::no-release]: `{{#arch}}` needs the release facts, and book.toml has none",
        ]
    );
    let plain = copy_dir(&fixture("image-uri/no-release"));
    std::fs::write(
        plain.path().join("src/chapter.md"),
        "# Plain\n\nNo image here.\n",
    )
    .unwrap();
    assert_eq!(check_shorts(plain.path()), (0, Vec::new()));
}

#[test]
fn the_good_fixture_and_the_real_book_pass() {
    assert_eq!(check_shorts(&fixture("image-uri/good")), (0, Vec::new()));
    let real = copy_real_book();
    let (_, shorts) = check_shorts(real.path());
    let ours: Vec<_> = shorts
        .iter()
        .filter(|s| s.contains("[image-uri::"))
        .collect();
    assert!(ours.is_empty(), "{ours:#?}");
}

/// `(file name, tag)` of each registry URI in a site.
type Uris = Vec<(String, String)>;

/// Every registry URI in the site's text files (pages, print page, search index).
fn uris_in_site(site: &Path) -> Uris {
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(site) {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(entry.path()) else {
            continue;
        };
        let file = entry.file_name().to_string_lossy().into_owned();
        for range in hand_written::find(&text, None) {
            // A bare registry host (`docker login`) has no tag.
            if let Some((_, tag)) = text[range]
                .split_once('/')
                .and_then(|(_, p)| p.rsplit_once(':'))
            {
                found.push((file.clone(), tag.to_string()));
            }
        }
    }
    found
}

/// Bumps `version` in book.toml (the one place), rebuilds, and returns the
/// URIs of the site before and after.
fn bump(root: &Path) -> (Uris, Uris) {
    let before = build(root);
    let old = uris_in_site(before.path());
    let toml_path = root.join("book.toml");
    let text = std::fs::read_to_string(&toml_path).unwrap();
    assert_eq!(text.matches("version = \"1.0.4\"").count(), 1);
    std::fs::write(
        &toml_path,
        text.replace("version = \"1.0.4\"", "version = \"2.7.1\""),
    )
    .unwrap();
    let after = build(root);
    let new = uris_in_site(after.path());
    for (file, tag) in &old {
        assert!(tag.starts_with("1.0.4"), "{file}: {tag}");
    }
    for (file, tag) in &new {
        assert!(tag.starts_with("2.7.1"), "{file} kept the old tag {tag}");
    }
    assert_eq!(old.len(), new.len(), "the same URIs, each bumped");
    (old, new)
}

fn count(uris: &Uris, file: &str, tag: &str) -> usize {
    uris.iter().filter(|(f, t)| f == file && t == tag).count()
}

#[test]
fn bumping_the_version_in_book_toml_changes_every_uri_in_the_site() {
    let root = book("good");
    let (old, new) = bump(root.path());
    // first.html: {{#image-uris}} and one inline URI per architecture;
    // second.html: one filled-in template each; print.html: both pages.
    for (file, each) in [("first.html", 2), ("second.html", 1), ("print.html", 3)] {
        for arch in ["amd64", "arm64"] {
            assert_eq!(
                count(&old, file, &format!("1.0.4-{arch}")),
                each,
                "{file} {arch}"
            );
            assert_eq!(
                count(&new, file, &format!("2.7.1-{arch}")),
                each,
                "{file} {arch}"
            );
        }
    }
}

#[test]
fn bumping_the_version_of_the_real_book_leaves_no_old_uri() {
    let root = copy_real_book();
    let (_, new) = bump(root.path());
    // The chapters that show an image URI show every architecture's, and the
    // print page repeats them: a bump that reached none would pass `bump`.
    for file in [
        "introduction.html",
        "task-definition.html",
        "cloudformation.html",
        "print.html",
    ] {
        for arch in ["amd64", "arm64"] {
            assert!(
                count(&new, file, &format!("2.7.1-{arch}")) >= 1,
                "{file} shows no {arch} URI: {new:?}"
            );
        }
    }
}

/// The value of `name="…"` in one tag.
fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    let end = tag[start..].find('"')? + start;
    Some(&tag[start..end])
}

/// Every start tag `<NAME …>` in `html` that carries `marker`.
fn tags<'a>(html: &'a str, name: &str, marker: &str) -> Vec<&'a str> {
    let open = format!("<{name} ");
    html.match_indices(&open)
        .filter_map(|(i, _)| html[i..].find('>').map(|end| &html[i..=i + end]))
        .filter(|tag| tag.contains(marker))
        .collect()
}

#[test]
fn groups_have_tab_semantics_and_labelled_panels_that_show_without_javascript() {
    let root = book("good");
    let site = build(root.path());
    for name in ["first.html", "second.html"] {
        let html = page(&site, name);
        let lists = tags(&html, "div", "role=\"tablist\"");
        let tabs = tags(&html, "button", "role=\"tab\"");
        let panels = tags(&html, "div", "role=\"tabpanel\"");
        let expected_groups = if name == "first.html" { 3 } else { 2 };
        assert_eq!(lists.len(), expected_groups, "{name}");
        assert_eq!(tabs.len(), 2 * expected_groups, "{name}");
        assert_eq!(panels.len(), tabs.len(), "{name}");
        for list in &lists {
            // Hidden until the script runs; without it the panels are the content.
            assert!(list.contains(" hidden"), "{list}");
            assert_eq!(attr(list, "aria-label"), Some("Architecture"));
        }
        for pair in tabs.chunks(2) {
            let selected: Vec<_> = pair.iter().map(|t| attr(t, "aria-selected")).collect();
            assert_eq!(selected, [Some("true"), Some("false")], "amd64 first");
            let roving: Vec<_> = pair.iter().map(|t| attr(t, "tabindex")).collect();
            assert_eq!(roving, [Some("0"), Some("-1")]);
        }
        for (tab, panel) in tabs.iter().zip(&panels) {
            let tab_id = attr(tab, "id").unwrap();
            let panel_id = attr(panel, "id").unwrap();
            assert_eq!(attr(tab, "aria-controls"), Some(panel_id));
            assert_eq!(attr(panel, "aria-labelledby"), Some(tab_id));
            assert_eq!(attr(tab, "data-arch"), attr(panel, "data-arch"));
            assert!(
                !panel.contains(" hidden"),
                "every panel shows without JavaScript"
            );
        }
        let mut ids: Vec<_> = tabs
            .iter()
            .chain(&panels)
            .filter_map(|t| attr(t, "id"))
            .collect();
        let count = ids.len();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), count, "ids are unique on {name}");
        assert_eq!(
            html.matches("<p class=\"arch-label\">For amd64 (Linux/X86_64):</p>")
                .count(),
            expected_groups
        );
        // Tabs short enough for one row on a phone: the Docker name alone.
        for arch in ["amd64", "arm64"] {
            assert_eq!(
                html.matches(&format!("data-arch=\"{arch}\">{arch}</button>"))
                    .count(),
                expected_groups,
                "{name}"
            );
        }
    }
    let first = page(&site, "first.html");
    // Markdown inside a panel is rendered, not shown as source.
    assert!(first.contains("<p>In <strong>Operating system/Architecture</strong>, choose <strong>Linux/ARM64</strong>.</p>"));
    assert!(first.contains(
        "<pre><code class=\"language-json\">\"cpuArchitecture\": \"ARM64\"\n</code></pre>"
    ));
    assert!(first.contains("<pre><code class=\"language-text\">709825985650.dkr.ecr.us-east-1.amazonaws.com/certograph/responderapi:1.0.4-arm64\n</code></pre>"));
    // The group inside a list item stays inside it: the list goes on after it.
    let in_list = first.find("id=\"arch-first-3-amd64\"").unwrap();
    let list_end = first.find("</ol>").unwrap();
    assert!(in_list < list_end && first[in_list..list_end].contains("<p>Save it.</p>"));
    assert!(first.contains("<td>Asia Pacific (Sydney)</td><td><code>ap-southeast-2</code></td>"));
    // No directive reaches the reader, except the one written escaped.
    assert_eq!(first.matches("{{#").count(), 1);
    assert!(first.contains("<code>{{#image-uri arm64}}</code> to show a URI"));
    let second = page(&site, "second.html");
    assert!(second.contains("<em>arm64</em> hosts"));
    assert!(
        second.contains("&quot;cpuArchitecture&quot;: &quot;ARM64&quot;")
            || second.contains("\"cpuArchitecture\": \"ARM64\"")
    );
    assert!(
        second.contains("${AWS::Region}"),
        "other placeholders stay verbatim"
    );
    // The selector ships with the book, no CDN.
    assert!(first.contains("<script src=\"theme/arch-selector"));
    assert!(first.contains("<link rel=\"stylesheet\" href=\"theme/arch-selector"));
}

#[test]
fn the_print_page_holds_every_variant_with_unique_ids() {
    let root = book("good");
    let site = build(root.path());
    let print = page(&site, "print.html");
    let panels = tags(&print, "div", "role=\"tabpanel\"");
    assert_eq!(panels.len(), 10);
    let mut ids: Vec<_> = panels.iter().filter_map(|t| attr(t, "id")).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(
        ids.len(),
        10,
        "chapters share the print page: ids stay unique"
    );
    let css = std::fs::read_to_string(repo_root().join("theme/arch-selector.css")).unwrap();
    let print_rules = &css[css.find("@media print").unwrap()..];
    assert!(
        print_rules.contains(".arch-panel[hidden]")
            && print_rules.contains("display: block !important")
    );
}
