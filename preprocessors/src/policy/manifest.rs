//! `policies.toml`, beside `policies/` so that the site never publishes it: the declared kind of each policy and, per
//! statement, why `Resource: "*"` is needed where an action could name ARNs.

use super::Kind;
use serde::Deserialize;
use std::collections::BTreeMap;

/// The manifest, relative to the book root.
pub const MANIFEST_FILE: &str = "policies.toml";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    #[serde(default)]
    pub policies: BTreeMap<String, Entry>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Entry {
    pub kind: Option<Kind>,
    /// Statement `Sid` (or `*`: every statement) → the reason its
    /// `Resource: "*"` is intended.
    #[serde(default)]
    pub resource_star: BTreeMap<String, String>,
    /// Action → why the role grants it though the task definition needs it
    /// not (checked by the AWS permission check).
    #[serde(default)]
    pub extra_actions: BTreeMap<String, String>,
}

/// A manifest that does not parse: the message and the byte range at fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    pub message: String,
    pub range: std::ops::Range<usize>,
}

impl Manifest {
    pub fn parse(text: &str) -> Result<Manifest, Invalid> {
        toml::from_str(text).map_err(|e| Invalid {
            message: e.message().trim().to_string(),
            range: e.span().unwrap_or(0..0),
        })
    }

    /// The entry of a policy, by file stem (`task-role-trust`).
    pub fn entry(&self, stem: &str) -> Option<&Entry> {
        self.policies.get(stem)
    }

    /// A policy's kind as declared here, if it is (else the content decides).
    pub fn kind_of(&self, stem: &str) -> Option<Kind> {
        self.entry(stem).and_then(|e| e.kind)
    }
}

/// Where a policy's table starts in the manifest text (for "no such file").
pub fn entry_range(text: &str, stem: &str) -> std::ops::Range<usize> {
    for needle in [
        format!("[policies.{stem}]"),
        format!("[policies.\"{stem}\"]"),
        stem.to_string(),
    ] {
        if let Some(i) = text.find(&needle) {
            return i..i + needle.len();
        }
    }
    0..0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_come_from_the_manifest_and_never_from_the_file_name() {
        let manifest = Manifest::parse(
            "[policies.odd-name]\nkind = \"trust\"\n[policies.a]\n[policies.a.resource-star]\nS1 = \"why\"\n",
        )
        .unwrap();
        assert_eq!(manifest.kind_of("odd-name"), Some(Kind::Trust));
        assert_eq!(manifest.kind_of("a"), None);
        assert_eq!(manifest.kind_of("task-role-trust"), None);
        assert_eq!(manifest.entry("a").unwrap().resource_star["S1"], "why");
    }

    #[test]
    fn a_misspelt_field_is_refused_with_its_position() {
        let text = "[policies.a]\nkinds = \"trust\"\n";
        let invalid = Manifest::parse(text).unwrap_err();
        assert!(
            invalid.message.contains("unknown field `kinds`"),
            "{invalid:?}"
        );
        assert_eq!(&text[invalid.range], "kinds");
    }

    #[test]
    fn entries_are_found_in_the_text() {
        let text = "# x\n[policies.task-role-policy]\nkind = \"identity\"\n";
        assert_eq!(
            &text[entry_range(text, "task-role-policy")],
            "[policies.task-role-policy]"
        );
    }
}
