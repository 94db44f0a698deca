//! The attributes a link checker needs from raw HTML inside Markdown: the
//! `id`s (and `<a name>`) a fragment may point at, and the `href`/`src`
//! values that are links themselves. A tag scanner, not a full parser: it
//! skips comments and handles quoted `>` so that attributes are never
//! confused with prose.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

static COMMENT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?s)<!--.*?-->").unwrap());
static TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"<([A-Za-z][A-Za-z0-9-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>"#).unwrap()
});
static ATTR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?"#).unwrap()
});

/// One attribute of a start tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Attr {
    /// The element name, lower-cased.
    pub tag: String,
    /// The attribute name, lower-cased.
    pub name: String,
    /// The value with the common character references decoded.
    pub value: String,
    /// Where the value sits in the scanned text (bytes).
    pub range: Range<usize>,
}

/// The attributes of every start tag in `html`, outside comments.
pub(crate) fn attributes(html: &str) -> Vec<Attr> {
    let mut found = Vec::new();
    let comments: Vec<Range<usize>> = COMMENT.find_iter(html).map(|m| m.range()).collect();
    for tag in TAG.captures_iter(html) {
        let whole = tag.get(0).expect("a match");
        if comments.iter().any(|c| c.contains(&whole.start())) {
            continue;
        }
        let name = tag[1].to_ascii_lowercase();
        let Some(attrs) = tag.get(2) else { continue };
        for attr in ATTR.captures_iter(attrs.as_str()) {
            let Some(value) = attr.get(2).or(attr.get(3)).or(attr.get(4)) else {
                continue;
            };
            let start = attrs.start() + value.start();
            found.push(Attr {
                tag: name.clone(),
                name: attr[1].to_ascii_lowercase(),
                value: decode(value.as_str()),
                range: start..start + value.len(),
            });
        }
    }
    found
}

/// Whether an attribute names a fragment target (`id`, or `name` on `<a>`).
pub(crate) fn is_anchor(attr: &Attr) -> bool {
    attr.name == "id" || (attr.tag == "a" && attr.name == "name")
}

/// Whether an attribute is a link the reader follows or the page loads.
pub(crate) fn is_link(attr: &Attr) -> bool {
    matches!(
        (attr.tag.as_str(), attr.name.as_str()),
        ("a", "href")
            | ("area", "href")
            | ("img", "src")
            | ("source", "src")
            | ("video", "src")
            | ("audio", "src")
            | ("track", "src")
            | ("iframe", "src")
            | ("embed", "src")
            | ("object", "data")
    )
}

fn decode(value: &str) -> String {
    if !value.contains('&') {
        return value.to_string();
    }
    value
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_ids_and_links_with_their_ranges() {
        let html = r#"<div id="setup"><a href="a.md#x" title='a > b'>x</a><img src=pic.png alt="p"></div>"#;
        let attrs = attributes(html);
        let ids: Vec<_> = attrs
            .iter()
            .filter(|a| is_anchor(a))
            .map(|a| &a.value)
            .collect();
        assert_eq!(ids, ["setup"]);
        let links: Vec<_> = attrs.iter().filter(|a| is_link(a)).collect();
        assert_eq!(links.len(), 2);
        assert_eq!(&html[links[0].range.clone()], "a.md#x");
        assert_eq!(links[1].value, "pic.png");
    }

    #[test]
    fn comments_and_entities() {
        let attrs = attributes(r#"<!-- <a href="gone.md"> --><a name="old" href="x?a=1&amp;b=2">"#);
        assert_eq!(attrs.len(), 2);
        assert!(is_anchor(&attrs[0]));
        assert_eq!(attrs[1].value, "x?a=1&b=2");
    }

    #[test]
    fn prose_with_angle_brackets_is_not_a_tag() {
        assert!(attributes("a < b and c > d, 3<4").is_empty());
    }
}
