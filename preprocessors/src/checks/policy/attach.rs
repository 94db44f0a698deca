//! How a policy is attached, and the size quota each way gives it. IAM
//! counts a policy's characters without whitespace; the quotas are those of
//! the IAM user guide's "IAM and AWS STS quotas" page
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html>)
//! and of IAM Identity Center's quotas page
//! (<https://docs.aws.amazon.com/singlesignon/latest/userguide/limits.html>).

use super::Kind;
use serde::Deserialize;

/// One way to attach a policy, as `attach` in `policies.toml` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Attachment {
    /// A customer managed policy, attached to users, groups and roles.
    CustomerManaged,
    /// One of a role's inline policies (`put-role-policy`, CloudFormation's `Policies`).
    RoleInline,
    /// One of an IAM user's inline policies (`put-user-policy`).
    UserInline,
    /// One of an IAM group's inline policies (`put-group-policy`).
    GroupInline,
    /// The inline policy of an IAM Identity Center permission set.
    PermissionSetInline,
    /// A role's trust policy.
    Trust,
}

/// Every attachment, smallest quota first among those of a kind.
pub(crate) const ALL: [Attachment; 6] = [
    Attachment::UserInline,
    Attachment::GroupInline,
    Attachment::CustomerManaged,
    Attachment::RoleInline,
    Attachment::PermissionSetInline,
    Attachment::Trust,
];

impl Attachment {
    /// The name `policies.toml` uses.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Attachment::CustomerManaged => "customer-managed",
            Attachment::RoleInline => "role-inline",
            Attachment::UserInline => "user-inline",
            Attachment::GroupInline => "group-inline",
            Attachment::PermissionSetInline => "permission-set-inline",
            Attachment::Trust => "trust",
        }
    }

    /// The most characters, whitespace not counted, the attachment allows.
    pub(crate) fn limit(self) -> usize {
        match self {
            Attachment::CustomerManaged => 6_144,
            // Shared by all of the identity's inline policies.
            Attachment::RoleInline => 10_240,
            Attachment::UserInline => 2_048,
            Attachment::GroupInline => 5_120,
            Attachment::PermissionSetInline => 10_240,
            // The default; a quota increase can raise it.
            Attachment::Trust => 2_048,
        }
    }

    /// The most bytes, whitespace included, where the attachment has such
    /// a quota too: a permission set's inline policy may have 32,768.
    pub(crate) fn byte_limit(self) -> Option<usize> {
        (self == Attachment::PermissionSetInline).then_some(32_768)
    }

    /// Whether the identity's other policies of this attachment count
    /// toward the same quota (inline policies share one).
    pub(crate) fn shared(self) -> bool {
        matches!(
            self,
            Attachment::RoleInline | Attachment::UserInline | Attachment::GroupInline
        )
    }

    pub(crate) fn kind(self) -> Kind {
        if self == Attachment::Trust {
            Kind::Trust
        } else {
            Kind::Identity
        }
    }

    /// Where a policy of `kind` goes when `policies.toml` does not say.
    pub(crate) fn default_for(kind: Kind) -> Attachment {
        match kind {
            Kind::Identity => Attachment::CustomerManaged,
            Kind::Trust => Attachment::Trust,
        }
    }

    /// The quota in words, for "over the …".
    pub(crate) fn quota_words(self) -> String {
        let limit = self.limit();
        match self {
            Attachment::CustomerManaged => format!("managed policy quota of {limit}"),
            Attachment::Trust => format!("role trust policy quota of {limit}"),
            Attachment::PermissionSetInline => {
                format!("permission set inline policy quota of {limit}")
            }
            Attachment::RoleInline | Attachment::UserInline | Attachment::GroupInline => format!(
                "quota of {} inline policies, {limit} together",
                self.owner()
            ),
        }
    }

    /// Whose policy it becomes: "a user's", "a permission set's".
    pub(crate) fn owner(self) -> &'static str {
        match self {
            Attachment::CustomerManaged => "a managed policy's",
            Attachment::RoleInline | Attachment::Trust => "a role's",
            Attachment::UserInline => "a user's",
            Attachment::GroupInline => "a group's",
            Attachment::PermissionSetInline => "a permission set's",
        }
    }
}

/// A policy's size as IAM counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Size {
    /// Characters other than whitespace.
    pub characters: usize,
    /// Bytes of the whole text.
    pub bytes: usize,
}

impl Size {
    pub(crate) fn of(text: &str) -> Size {
        Size {
            characters: text.chars().filter(|c| !c.is_whitespace()).count(),
            bytes: text.len(),
        }
    }

    /// Whether a policy of this size fits `attachment` on its own.
    pub(crate) fn fits(self, attachment: Attachment) -> bool {
        self.characters <= attachment.limit()
            && attachment
                .byte_limit()
                .is_none_or(|limit| self.bytes <= limit)
    }
}

/// Groups a number with commas, as prose does: `5,342`.
pub(crate) fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotas_are_iams_and_identity_centers() {
        let limits: Vec<(&str, usize)> = ALL.iter().map(|a| (a.name(), a.limit())).collect();
        assert_eq!(
            limits,
            [
                ("user-inline", 2_048),
                ("group-inline", 5_120),
                ("customer-managed", 6_144),
                ("role-inline", 10_240),
                ("permission-set-inline", 10_240),
                ("trust", 2_048),
            ]
        );
        assert_eq!(Attachment::PermissionSetInline.byte_limit(), Some(32_768));
    }

    #[test]
    fn whitespace_is_not_counted_but_bytes_are() {
        let size = Size::of("{ \"a\":\n\t\"b\" }");
        assert_eq!(
            size,
            Size {
                characters: 9,
                bytes: 13
            }
        );
        let spaced = Size {
            characters: 100,
            bytes: 40_000,
        };
        assert!(spaced.fits(Attachment::RoleInline));
        assert!(!spaced.fits(Attachment::PermissionSetInline));
    }

    #[test]
    fn numbers_are_grouped_by_thousands() {
        let shown: Vec<String> = [0, 999, 1_000, 5_342, 10_240, 1_234_567]
            .into_iter()
            .map(grouped)
            .collect();
        assert_eq!(shown, ["0", "999", "1,000", "5,342", "10,240", "1,234,567"]);
    }
}
