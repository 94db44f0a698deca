//! Marketplace image URIs typed by hand. Every URI must come from the release
//! facts (the directives in chapters, the `ImageUri` parameter in
//! templates), or a version bump leaves stale copies behind.

use super::files_under;
use crate::checks::rule::Model;
use crate::diagnostics::location::TextMap;
use crate::diagnostics::{Diagnostic, Diagnostics, Edit};
use crate::model::book_root::BookRoot;
use crate::model::release::Release;
use anyhow::Result;
use std::collections::BTreeSet;
use std::ops::Range;

crate::checks::rule::rule! {
    check: check;
    IMAGE_URI_HAND_WRITTEN_URI = "image-uri::hand-written-uri", error: "a Marketplace image URI typed by hand instead of a directive";
}

pub(crate) use crate::model::release::MARKETPLACE_REGISTRY;

/// The byte ranges of registry URIs in `text`: the Marketplace registry, and
/// `registry` (the configured one) when it is another.
pub fn find(text: &str, registry: Option<&str>) -> Vec<Range<usize>> {
    let mut needles = vec![MARKETPLACE_REGISTRY];
    if let Some(registry) =
        registry.filter(|r| !r.is_empty() && !r.starts_with(MARKETPLACE_REGISTRY))
    {
        needles.push(registry);
    }
    let mut found: Vec<Range<usize>> = Vec::new();
    for needle in needles {
        for (start, _) in text.match_indices(needle) {
            let end = text[start..]
                .find(|c: char| c.is_whitespace() || "\"'`<>()[]{},;|\\".contains(c))
                .map_or(text.len(), |i| start + i);
            if !found.iter().any(|r| r.contains(&start)) {
                found.push(start..end);
            }
        }
    }
    found.sort_by_key(|r| r.start);
    found
}

/// The directive that prints exactly `typed` (an image URI of one
/// architecture, or the bare registry), if one does.
pub(crate) fn directive_for(typed: &str, release: &Release) -> Option<String> {
    if typed == release.registry {
        return Some("{{#image-registry}}".to_string());
    }
    release
        .architectures()
        .iter()
        .find(|arch| release.uri(&arch.docker).as_deref() == Some(typed))
        .map(|arch| format!("{{{{#image-uri {}}}}}", arch.docker))
}

/// Checks on the files that are not chapters: a registry URI typed into
/// `templates/` or into a Markdown file under `src/` that the book includes
/// (a procedure) instead of listing in SUMMARY.md.
fn check(model: &Model<'_, '_>, diagnostics: &mut Diagnostics) -> Result<()> {
    let (book_root, book) = (model.root, model.book);
    let release = Release::load(book_root).ok();
    if let Ok(dir) = book_root.resolve("templates") {
        for rel in files_under(&dir, &book_root.root, |_| true) {
            scan_file(
                book_root,
                &rel,
                release.as_ref(),
                Written::InTemplate,
                diagnostics,
            );
        }
    }
    let chapters: BTreeSet<String> = book
        .chapters()
        .filter_map(|c| c.source_path.as_deref().map(|p| book_root.chapter_path(p)))
        .collect();
    if let Ok(dir) = book_root.resolve(&book_root.src_dir()) {
        let markdown = |rel: &str| rel.ends_with(".md") && !chapters.contains(rel);
        for rel in files_under(&dir, &book_root.root, markdown) {
            scan_file(
                book_root,
                &rel,
                release.as_ref(),
                Written::InMarkdown,
                diagnostics,
            );
        }
    }
    Ok(())
}

/// Where a hand-written URI was found: the fix differs.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Written {
    /// Markdown: a directive prints the value.
    InMarkdown,
    /// `templates/`: the `ImageUri` parameter stands for it.
    InTemplate,
}

fn scan_file(
    book_root: &BookRoot,
    rel: &str,
    release: Option<&Release>,
    written: Written,
    diagnostics: &mut Diagnostics,
) {
    // Binary or unreadable files hold no URI a reader copies.
    let Ok(text) = book_root.read(rel) else {
        return;
    };
    let map = TextMap::new(rel, &text);
    for range in find(&text, release.map(|r| r.registry.as_str())) {
        diagnostics.push(diagnostic(&map, range, written, release));
    }
}

/// A URI, or a bare registry host (for `docker login`), typed by hand.
pub(crate) fn diagnostic(
    map: &TextMap<'_>,
    range: Range<usize>,
    written: Written,
    release: Option<&Release>,
) -> Diagnostic {
    let (path, text) = (map.path(), map.text());
    let typed = &text[range.clone()];
    let bare_registry = !typed.contains('/');
    // In Markdown, text that is exactly what a directive prints becomes that directive.
    let directive = release
        .filter(|_| written == Written::InMarkdown)
        .and_then(|release| directive_for(typed, release));
    let fixes = directive
        .and_then(|d| Edit::in_text(path, text, range.clone(), d))
        .into_iter()
        .collect();
    let location = map.locate(range);
    let (message, hint) = match (written, bare_registry) {
        (Written::InMarkdown, true) => (
            "the AWS Marketplace registry written by hand",
            "write {{#image-registry}} so it follows book.toml",
        ),
        (Written::InMarkdown, false) => (
            "an AWS Marketplace image URI written by hand",
            "write {{#image-uri amd64}} or {{#image-uri arm64}} (or {{#image-uris}}) so the URI follows the version in book.toml",
        ),
        (Written::InTemplate, _) => (
            "an AWS Marketplace image URI written by hand",
            "use the `${ImageUri}` parameter: the guide fills it in for each architecture with {{#template NAME ARCH}}",
        ),
    };
    Diagnostic::raise(IMAGE_URI_HAND_WRITTEN_URI, location, message)
        .with_hint(hint)
        .with_fixes(fixes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_whole_uri_wherever_it_is_written() {
        let text = "Pull `709825985650.dkr.ecr.us-east-1.amazonaws.com/a/b:1.0.4-arm64` now.\n\
                    \"image\": \"709825985650.dkr.ecr.us-east-1.amazonaws.com/a/b:1.0.4\",\n";
        let found: Vec<_> = find(text, None).into_iter().map(|r| &text[r]).collect();
        assert_eq!(
            found,
            [
                "709825985650.dkr.ecr.us-east-1.amazonaws.com/a/b:1.0.4-arm64",
                "709825985650.dkr.ecr.us-east-1.amazonaws.com/a/b:1.0.4"
            ]
        );
    }

    #[test]
    fn a_configured_private_registry_is_caught_too_but_arns_are_not() {
        let text = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/x:1 and \
                    arn:aws:ecr:us-east-1:709825985650:repository/*";
        let found = find(text, Some("123456789012.dkr.ecr.eu-west-1.amazonaws.com"));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0], 0..48);
        assert!(find("no uri ${ImageUri}", None).is_empty());
    }
}
