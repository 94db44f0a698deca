//! Plain Markdown links to `.json` files in chapters (the old draft wrote
//! `[this policy](ecsTaskExecutionRolePolicy.json)` with no file beside it):
//! found here, resolved and reported by the shell in `mod.rs`.

use mdbook_markdown::pulldown_cmark::{Event, Tag};
use std::ops::Range;

/// A link to a local `.json` file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonLink {
    /// The whole link in the chapter text.
    pub range: Range<usize>,
    /// The target's path, without `#fragment` or `?query`.
    pub path: String,
}

/// Every link among a chapter's events whose local target ends in `.json`.
pub fn json_links(events: &[(Event<'_>, Range<usize>)]) -> Vec<JsonLink> {
    let mut found = Vec::new();
    for (event, range) in events {
        let Event::Start(Tag::Link { dest_url, .. }) = event else {
            continue;
        };
        let url = dest_url.as_ref();
        if url.contains("://") || url.starts_with("mailto:") || url.starts_with("//") {
            continue;
        }
        let path = url.split(['#', '?']).next().unwrap_or_default();
        if path.to_ascii_lowercase().ends_with(".json") {
            found.push(JsonLink {
                range: range.clone(),
                path: percent_decode(path),
            });
        }
    }
    found
}

/// `%20` and friends, as a browser would read them; bad escapes stay as written.
fn percent_decode(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = path.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| path.to_string())
}

/// The repo-relative path a chapter's link points at (`src/` + the
/// chapter's folder + the target), or `None` when it climbs out of the book.
pub fn resolve(src_dir: &str, chapter: &str, target: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    let base: Vec<&str> = if target.starts_with('/') {
        Vec::new()
    } else {
        chapter.split('/').collect::<Vec<_>>()[..chapter.matches('/').count()].to_vec()
    };
    for part in src_dir
        .split('/')
        .chain(base)
        .chain(target.split('/'))
        .filter(|p| !p.is_empty() && *p != ".")
    {
        if part == ".." {
            parts.pop()?;
        } else {
            parts.push(part);
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use mdbook_markdown::MarkdownOptions;

    fn json_links(text: &str) -> Vec<JsonLink> {
        super::json_links(&crate::markdown::parse(text, &MarkdownOptions::default()).events)
    }

    #[test]
    fn json_links_are_found_with_their_range() {
        let text = "See [this policy](ecsTaskExecutionRolePolicy.json) and [site](https://x.test/a.json),\n[b](../policies/b.json#top) [md](a.md) `[c](c.json)`";
        let links = json_links(text);
        let paths: Vec<_> = links.iter().map(|l| l.path.as_str()).collect();
        assert_eq!(
            paths,
            ["ecsTaskExecutionRolePolicy.json", "../policies/b.json"]
        );
        assert_eq!(
            &text[links[0].range.clone()],
            "[this policy](ecsTaskExecutionRolePolicy.json)"
        );
    }

    #[test]
    fn escapes_are_decoded() {
        assert_eq!(
            json_links("[a](my%20policy.json)")[0].path,
            "my policy.json"
        );
        assert_eq!(percent_decode("bad%zz.json"), "bad%zz.json");
    }

    #[test]
    fn targets_resolve_from_the_chapters_folder() {
        assert_eq!(
            resolve("src", "iam.md", "policies/a.json").unwrap(),
            "src/policies/a.json"
        );
        assert_eq!(
            resolve("src", "guide/iam.md", "../policies/a.json").unwrap(),
            "src/policies/a.json"
        );
        assert_eq!(resolve("src", "iam.md", "../../x.json"), None);
        assert_eq!(
            resolve("src", "a/b.md", "/policies/a.json").unwrap(),
            "src/policies/a.json"
        );
    }
}
