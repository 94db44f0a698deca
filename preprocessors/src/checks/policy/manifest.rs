//! `policies.toml`, beside `policies/` so that the site never publishes it: the declared kind of each policy, how it is
//! attached and, per statement, why `Resource: "*"` is needed where an action could name ARNs.

use super::Kind;
use super::attach::Attachment;
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

pub(crate) use crate::model::inputs::MANIFEST_FILE;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Manifest {
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
    /// How the policy is (or may be) attached; absent: as its kind is
    /// by default (identity: customer managed; trust: a role's trust policy).
    #[serde(default)]
    pub attach: Option<Spanned<Vec<Spanned<Attachment>>>>,
    /// With `role-inline`: the role that holds it. The inline policies of
    /// one role share a quota; without a role, the policy counts alone.
    #[serde(default)]
    pub role: Option<Spanned<String>>,
}

impl Entry {
    /// The declared attachments, each once, in the order written.
    pub(crate) fn attachments(&self) -> Vec<Attachment> {
        let mut out: Vec<Attachment> = Vec::new();
        for a in self.attach.iter().flat_map(|list| list.get_ref()) {
            if !out.contains(a.get_ref()) {
                out.push(*a.get_ref());
            }
        }
        out
    }

    /// The declared kind, else the one every declared attachment implies.
    pub(crate) fn declared_kind(&self) -> Option<Kind> {
        if self.kind.is_some() {
            return self.kind;
        }
        let kinds: Vec<Kind> = self.attachments().iter().map(|a| a.kind()).collect();
        let first = *kinds.first()?;
        kinds.iter().all(|&k| k == first).then_some(first)
    }

    /// The role that holds it inline, when it is declared `role-inline` in one.
    pub(crate) fn inline_role(&self) -> Option<&str> {
        let role = self.role.as_ref()?.get_ref();
        self.attachments()
            .contains(&Attachment::RoleInline)
            .then_some(role.as_str())
    }
}

/// A manifest that does not parse: the message and the byte range at fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Invalid {
    pub message: String,
    pub range: std::ops::Range<usize>,
}

impl Manifest {
    pub(crate) fn parse(text: &str) -> Result<Manifest, Invalid> {
        toml::from_str(text).map_err(|e| Invalid {
            message: e.message().trim().to_string(),
            range: e.span().unwrap_or(0..0),
        })
    }

    /// The entry of a policy, by file stem (`task-role-trust`).
    pub(crate) fn entry(&self, stem: &str) -> Option<&Entry> {
        self.policies.get(stem)
    }

    /// A policy's kind as declared here, if it is (else the content decides).
    pub(crate) fn kind_of(&self, stem: &str) -> Option<Kind> {
        self.entry(stem).and_then(Entry::declared_kind)
    }

    /// What parses but cannot be meant: an empty or repeated attachment,
    /// trust beside identity attachments or against the declared kind, a
    /// `role` without `role-inline`. Ranges are in the manifest's text.
    pub(crate) fn problems(&self) -> Vec<Invalid> {
        let mut out = Vec::new();
        for (stem, entry) in &self.policies {
            let problem = |message: String, range| Invalid { message, range };
            if let Some(list) = &entry.attach {
                if list.get_ref().is_empty() {
                    out.push(problem(
                        format!("`attach` of `{stem}` lists no attachment"),
                        list.span(),
                    ));
                }
                let first = list.get_ref().first().map(|a| *a.get_ref());
                let mut seen: Vec<Attachment> = Vec::new();
                for item in list.get_ref() {
                    let a = *item.get_ref();
                    if seen.contains(&a) {
                        out.push(problem(
                            format!("`{}` is listed twice in `attach` of `{stem}`", a.name()),
                            item.span(),
                        ));
                        continue;
                    }
                    seen.push(a);
                    let message = match (entry.kind, first) {
                        (Some(kind), _) if kind != a.kind() => format!(
                            "`{}` is for {}, but `{stem}` is declared `kind = \"{}\"`",
                            a.name(),
                            kind_words(a.kind()),
                            kind_name(kind)
                        ),
                        (None, Some(first)) if first.kind() != a.kind() => format!(
                            "`{}` is for {}, `{}` before it for {}: one policy cannot be both",
                            a.name(),
                            kind_words(a.kind()),
                            first.name(),
                            kind_words(first.kind())
                        ),
                        _ => continue,
                    };
                    out.push(problem(message, item.span()));
                }
            }
            if let Some(role) = &entry.role
                && !entry.attachments().contains(&Attachment::RoleInline)
            {
                out.push(problem(
                    format!(
                        "`role` names the role that holds `{stem}` inline, but its `attach` has no `role-inline`"
                    ),
                    role.span(),
                ));
            }
        }
        out
    }
}

fn kind_words(kind: Kind) -> &'static str {
    match kind {
        Kind::Identity => "an identity policy",
        Kind::Trust => "a trust policy",
    }
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Identity => "identity",
        Kind::Trust => "trust",
    }
}

/// Where each `[policies.NAME]` table starts in the manifest text, in one
/// pass (the first header of each name), so that many entries cost linear time.
pub(crate) fn entry_ranges(text: &str) -> std::collections::HashMap<&str, std::ops::Range<usize>> {
    let mut out = std::collections::HashMap::new();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let start = at;
        at += line.len();
        let trimmed = line.trim_start();
        let lead = line.len() - trimmed.len();
        let Some(rest) = trimmed.strip_prefix("[policies.") else {
            continue;
        };
        let Some(close) = rest.find(']') else {
            continue;
        };
        let key = &rest[..close];
        let name = key
            .strip_prefix('"')
            .and_then(|k| k.strip_suffix('"'))
            .unwrap_or(key);
        if name.contains(['.', '"', '[']) {
            continue;
        }
        let from = start + lead;
        out.entry(name)
            .or_insert(from..from + "[policies.".len() + close + 1);
    }
    out
}

/// Where a policy's table starts in the manifest text (for "no such file"),
/// for an entry [`entry_ranges`] does not find (an inline or dotted table).
pub(crate) fn entry_range(text: &str, stem: &str) -> std::ops::Range<usize> {
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

    #[test]
    fn entry_ranges_find_every_header_in_one_pass() {
        let text = "# x\n[policies.a]\nkind = \"identity\"\n  [policies.\"b\"]\n[policies.a.resource-star]\n[policies.c.extra-actions]\n";
        let ranges = entry_ranges(text);
        assert_eq!(&text[ranges["a"].clone()], "[policies.a]");
        assert_eq!(&text[ranges["b"].clone()], "[policies.\"b\"]");
        assert_eq!(ranges.len(), 2, "{ranges:?}");
    }

    #[test]
    fn attachments_are_read_and_imply_the_kind() {
        let manifest = Manifest::parse(
            "[policies.deployer]\nattach = [\"customer-managed\", \"permission-set-inline\"]\n[policies.exec]\nattach = [\"role-inline\"]\nrole = \"ExecRole\"\n[policies.trust]\nattach = [\"trust\"]\n",
        )
        .unwrap();
        let deployer = manifest.entry("deployer").unwrap();
        assert_eq!(
            deployer.attachments(),
            [Attachment::CustomerManaged, Attachment::PermissionSetInline]
        );
        assert_eq!(manifest.kind_of("deployer"), Some(Kind::Identity));
        assert_eq!(manifest.kind_of("trust"), Some(Kind::Trust));
        assert_eq!(
            manifest.entry("exec").unwrap().inline_role(),
            Some("ExecRole")
        );
        assert_eq!(deployer.inline_role(), None);
        assert!(manifest.problems().is_empty());
    }

    #[test]
    fn an_unknown_attachment_is_refused_at_its_value() {
        let text = "[policies.a]\nattach = [\"customer-managed\", \"user-inlin\"]\n";
        let invalid = Manifest::parse(text).unwrap_err();
        assert!(
            invalid.message.starts_with("unknown variant `user-inlin`, expected one of `customer-managed`, `role-inline`, `user-inline`"),
            "{invalid:?}"
        );
        assert_eq!(&text[invalid.range], "\"user-inlin\"");
    }

    #[test]
    fn attachments_that_cannot_be_meant_are_reported_where_they_are_written() {
        let text = "[policies.a]\nattach = []\n[policies.b]\nattach = [\"user-inline\", \"user-inline\"]\n[policies.c]\nkind = \"identity\"\nattach = [\"trust\"]\n[policies.d]\nattach = [\"role-inline\", \"trust\"]\n[policies.e]\nattach = [\"customer-managed\"]\nrole = \"R\"\n";
        let manifest = Manifest::parse(text).unwrap();
        let found: Vec<(String, &str)> = manifest
            .problems()
            .into_iter()
            .map(|p| (p.message, &text[p.range]))
            .collect();
        assert_eq!(
            found,
            [
                ("`attach` of `a` lists no attachment".to_string(), "[]"),
                (
                    "`user-inline` is listed twice in `attach` of `b`".to_string(),
                    "\"user-inline\""
                ),
                (
                    "`trust` is for a trust policy, but `c` is declared `kind = \"identity\"`"
                        .to_string(),
                    "\"trust\""
                ),
                (
                    "`trust` is for a trust policy, `role-inline` before it for an identity policy: one policy cannot be both".to_string(),
                    "\"trust\""
                ),
                (
                    "`role` names the role that holds `e` inline, but its `attach` has no `role-inline`".to_string(),
                    "\"R\""
                ),
            ]
        );
        assert_eq!(manifest.kind_of("d"), None, "mixed: the content decides");
    }
}
