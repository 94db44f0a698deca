//! Marketplace image URIs typed by hand. Every URI must come from the release
//! facts (the directives in chapters, the `ImageUri` parameter in
//! templates), or a version bump leaves stale copies behind.

use crate::model::release::Release;
use std::ops::Range;

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
