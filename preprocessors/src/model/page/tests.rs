use super::*;
use crate::model::markdown::cmark_options;
use mdbook_markdown::pulldown_cmark::Parser;

fn page(text: &str) -> Page {
    extract(text, &MarkdownOptions::default())
}

fn dests(page: &Page) -> Vec<&str> {
    page.links.iter().map(|l| l.dest.as_str()).collect()
}

#[test]
fn parses_exactly_as_mdbook_does() {
    let text = "# Title {#t}\n\n> [!NOTE]\n> x -- y \"q\"\n\n- [ ] task\n\nTerm\n: def\n\n|a|b|\n|-|-|\n|1|2|\n\n~~s~~ [^1]\n\n[^1]: n\n";
    for options in [MarkdownOptions::default(), {
        let mut o = MarkdownOptions::default();
        o.smart_punctuation = false;
        o.admonitions = false;
        o.definition_lists = false;
        o
    }] {
        let ours: Vec<_> = Parser::new_ext(text, cmark_options(&options)).collect();
        let theirs: Vec<_> = mdbook_markdown::new_cmark_parser(text, &options).collect();
        assert_eq!(ours, theirs);
    }
}

#[test]
fn links_images_and_autolinks_with_ranges() {
    let text = "See [a](a.md#x), ![p](img/p.png) and <https://example.com>.\nMail <me@example.com> or [m](mailto:x@y.z).\n";
    let p = page(text);
    assert_eq!(
        dests(&p),
        ["a.md#x", "img/p.png", "https://example.com", "mailto:x@y.z"]
    );
    assert_eq!(&text[p.links[0].range.clone()], "[a](a.md#x)");
    assert_eq!(p.links[1].kind, LinkKind::Image);
    assert_eq!(p.links[2].kind, LinkKind::Autolink);
}

#[test]
fn code_and_task_lists_and_admonitions_are_not_links() {
    let text = "- [x] done\n- [ ] todo\n\n> [!WARNING]\n> careful\n\n`[a](b.md)`\n\n```\n[c](d.md)\n```\n\n    [e](f.md)\n";
    let p = page(text);
    assert!(p.links.is_empty(), "{:?}", p.links);
    assert!(p.undefined.is_empty(), "{:?}", p.undefined);
}

#[test]
fn heading_ids_follow_mdbook() {
    let text = "# Setup\n\n## Setup\n\n## Step 1: *create* the `role`\n\n## Custom {#mine}\n\n## Setup {#setup}\n\nSetup\n: a term\n\n## Don't -- stop\n\n## With ![alt](p.png) image\n";
    let p = page(text);
    assert_eq!(
        p.ids,
        [
            "setup",
            "setup-1",
            "step-1-create-the-role",
            "mine",
            "setup",
            "setup-2",
            "dont--stop",
            "with--image"
        ]
    );
}

#[test]
fn smart_punctuation_changes_ids_as_it_does_in_mdbook() {
    let mut plain = MarkdownOptions::default();
    plain.smart_punctuation = false;
    let text = "## a -- b\n";
    assert_eq!(page(text).ids, ["a--b"]);
    assert_eq!(extract(text, &plain).ids, ["a----b"]);
}

#[test]
fn footnotes_and_inline_html_ids() {
    let text = "Text[^n] and[^n] <span id=\"here\">x</span>.\n\n<div id=\"block\">\n<a href=\"x.md#y\">x</a>\n</div>\n\n[^n]: note\n[^unused]: never cited\n";
    let p = page(text);
    assert_eq!(p.ids, ["fr-n-1", "fr-n-2", "here", "block", "footnote-n"]);
    assert_eq!(dests(&p), ["x.md#y"]);
    assert_eq!(&text[p.links[0].range.clone()], "x.md#y");
}

#[test]
fn undefined_full_and_collapsed_references_are_found() {
    let text = "[a][nowhere], [b][], [c][ok], [shortcut] and a[0].\n\n[ok]: c.md\n";
    let p = page(text);
    let labels: Vec<_> = p.undefined.iter().map(|u| u.label.as_str()).collect();
    assert_eq!(labels, ["nowhere", "b"]);
    assert_eq!(&text[p.undefined[0].range.clone()], "[a][nowhere]");
    assert_eq!(dests(&p), ["c.md"]);
}

#[test]
fn empty_destinations_are_kept_for_the_checker() {
    let p = page("[empty]() and [also](<>)\n");
    assert_eq!(dests(&p), ["", ""]);
}
