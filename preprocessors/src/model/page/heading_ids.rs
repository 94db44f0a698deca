//! The ids mdBook 0.5 gives headings and definition-list terms, so a
//! `#fragment` is checked against exactly what the HTML will contain. The
//! rules mirror `id_from_content` and `unique_id` of the mdbook-html crate
//! (crate-private there, hence restated here).

use std::collections::{HashMap, HashSet};

/// The id mdBook derives from a heading's text: trimmed, lower-cased;
/// letters, digits, `_` and `-` kept, whitespace turned into `-`, everything
/// else dropped.
pub(crate) fn id_from_content(content: &str) -> String {
    content
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|ch| {
            if ch.is_alphanumeric() || ch == '_' || ch == '-' {
                Some(ch)
            } else if ch.is_whitespace() {
                Some('-')
            } else {
                None
            }
        })
        .collect()
}

/// The ids already handed out on one page. Only derived ids take part:
/// mdBook leaves `{#custom-id}` attributes out of the set, so a later
/// heading may repeat one.
#[derive(Debug, Default)]
pub(crate) struct UniqueIds {
    used: HashSet<String>,
    /// The next suffix to try for each repeated id: the set only grows, so
    /// every lower suffix is taken already, and 10,000 repeats of one heading
    /// cost linear time instead of quadratic.
    next: HashMap<String, u32>,
}

impl UniqueIds {
    /// `id`, or `id-1`, `id-2`… when it was handed out before.
    pub(crate) fn unique(&mut self, id: &str) -> String {
        if self.used.insert(id.to_string()) {
            return id.to_string();
        }
        let counter = self.next.entry(id.to_string()).or_insert(1);
        loop {
            let candidate = format!("{id}-{counter}");
            *counter += 1;
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_like_mdbook() {
        assert_eq!(
            id_from_content("`--passes`: add more rustdoc passes"),
            "--passes-add-more-rustdoc-passes"
        );
        assert_eq!(
            id_from_content("Method-call 🐙 expressions \u{1f47c}"),
            "method-call--expressions-"
        );
        assert_eq!(
            id_from_content("  Step 2: Create the role "),
            "step-2-create-the-role"
        );
        assert_eq!(id_from_content("Über"), "über");
        assert_eq!(id_from_content("中文標題 CJK title"), "中文標題-cjk-title");
        assert_eq!(
            id_from_content("IAM & roles (optional)"),
            "iam--roles-optional"
        );
        assert_eq!(id_from_content(""), "");
    }

    #[test]
    fn repeats_get_numeric_suffixes() {
        let mut ids = UniqueIds::default();
        assert_eq!(ids.unique("setup"), "setup");
        assert_eq!(ids.unique("setup"), "setup-1");
        assert_eq!(ids.unique("setup-1"), "setup-1-1");
        assert_eq!(ids.unique("setup"), "setup-2");
        assert_eq!(ids.unique(""), "");
        assert_eq!(ids.unique(""), "-1");
        // A suffix taken by a heading whose own text ends in one is skipped.
        let mut ids = UniqueIds::default();
        assert_eq!(ids.unique("a"), "a");
        assert_eq!(ids.unique("a-2"), "a-2");
        assert_eq!(ids.unique("a"), "a-1");
        assert_eq!(ids.unique("a"), "a-3");
        assert_eq!(ids.unique("a"), "a-4");
    }
}
