//! A policy over the size quota of an attachment the manifest declares
//! for it (by default, its kind's), counting what the role's other inline
//! policies take.

use super::Kind;
use super::attach::{self, Attachment, Size};
use super::linted::{Linted, RoleMate};
use super::manifest::Entry;
use crate::checks::rule::Model;
use crate::diagnostics::location::Location;
use crate::diagnostics::{Diagnostic, Diagnostics};
use anyhow::Result;
use std::ops::Range;

crate::checks::rule::rule! {
    check: check;
    POLICY_SIZE = "policy::size", error: "a policy over the IAM size quota of an attachment `policies.toml` declares for it (by default, a managed or a trust policy's)";
}

fn check(model: &Model<'_, '_>, out: &mut Diagnostics) -> Result<()> {
    super::each_policy(model, out, lint)
}

pub(crate) fn lint(policy: &Linted, out: &mut Vec<Diagnostic>) {
    if policy.parsed.is_err() {
        return;
    }
    let map = policy.map();
    let quotas = Quotas {
        kind: policy.kind,
        entry: policy.entry.as_ref(),
        role_mates: &policy.role_mates,
    };
    quotas.check(&policy.text, &|range| map.locate(range), out);
}

/// The size quotas of a policy: those of each attachment the manifest
/// declares for it, else its kind's default.
struct Quotas<'a> {
    kind: Kind,
    entry: Option<&'a Entry>,
    role_mates: &'a [RoleMate],
}

/// Where a policy first goes over one attachment's quota.
struct Excess {
    attachment: Attachment,
    /// The first byte over it.
    at: Range<usize>,
    /// Over the byte quota (whitespace counted), not the character one.
    bytes: bool,
}

impl Quotas<'_> {
    fn declared(&self) -> Vec<Attachment> {
        let declared: Vec<Attachment> = self
            .entry
            .map(Entry::attachments)
            .unwrap_or_default()
            .into_iter()
            .filter(|a| a.kind() == self.kind)
            .collect();
        declared
    }

    fn shared_by_role(&self, attachment: Attachment) -> usize {
        if attachment == Attachment::RoleInline {
            self.role_mates.iter().map(|m| m.characters).sum()
        } else {
            0
        }
    }

    /// The error at the first character over the quota that the text
    /// exceeds first (the smallest, with what the role's others take).
    fn check(&self, text: &str, at: &dyn Fn(Range<usize>) -> Location, out: &mut Vec<Diagnostic>) {
        let declared = self.declared();
        let named = !declared.is_empty();
        let attachments = if named {
            declared
        } else {
            vec![Attachment::default_for(self.kind)]
        };
        let size = Size::of(text);
        let mut first: Option<Excess> = None;
        for attachment in attachments {
            let allowance = attachment
                .limit()
                .saturating_sub(self.shared_by_role(attachment));
            let mut excesses = Vec::new();
            if size.characters > allowance {
                excesses.push((nth_counted(text, allowance), false));
            }
            if let Some(limit) = attachment.byte_limit()
                && size.bytes > limit
            {
                let mut start = limit;
                while !text.is_char_boundary(start) {
                    start -= 1;
                }
                let len = text[start..].chars().next().map_or(0, char::len_utf8);
                excesses.push((start..start + len, true));
            }
            for (range, bytes) in excesses {
                if first.as_ref().is_none_or(|f| range.start < f.at.start) {
                    first = Some(Excess {
                        attachment,
                        at: range,
                        bytes,
                    });
                }
            }
        }
        let Some(excess) = first else {
            return;
        };
        let attachment = excess.attachment;
        let declared = if named {
            format!(" (`{}` in policies.toml)", attachment.name())
        } else {
            String::new()
        };
        let others = self.shared_by_role(attachment);
        let message = if excess.bytes {
            format!(
                "the policy has {} bytes (whitespace counted), over the permission set inline policy quota of {} bytes{declared}; the excess starts here",
                size.bytes,
                attachment.byte_limit().unwrap_or_default()
            )
        } else if others > 0 {
            let names: Vec<String> = self
                .role_mates
                .iter()
                .map(|m| format!("`{}`", m.name))
                .collect();
            let role = self.entry.and_then(Entry::inline_role).unwrap_or("");
            format!(
                "the policy has {} characters (whitespace not counted) and the other inline policies of role `{role}` {others} ({}), over the {}{declared}; the excess starts here",
                size.characters,
                names.join(", "),
                attachment.quota_words()
            )
        } else {
            format!(
                "the policy has {} characters (whitespace not counted), over the {}{declared}; the excess starts here",
                size.characters,
                attachment.quota_words()
            )
        };
        out.push(
            Diagnostic::raise(POLICY_SIZE, at(excess.at), message)
                .with_hint(self.hint(size, attachment, others)),
        );
    }

    /// Names the attachments the policy fits, if any.
    fn hint(&self, size: Size, over: Attachment, others: usize) -> String {
        let fits: Vec<String> = attach::ALL
            .iter()
            .filter(|a| a.kind() == self.kind && size.fits(**a))
            .map(|a| format!("`{}` ({})", a.name(), a.limit()))
            .collect();
        let split = "split it into several policies, or use wildcards and fewer statements";
        if others > 0 && size.fits(over) {
            return format!(
                "the inline policies of one role share {}: make this one or another a customer managed policy (`customer-managed` in policies.toml), or {split}",
                over.limit()
            );
        }
        match fits.as_slice() {
            [] => split.to_string(),
            [one] => format!(
                "it fits {one}: attach it that way and say so with `attach` in policies.toml, or {split}"
            ),
            [rest @ .., last] => format!(
                "it fits {} or {last}: attach it one of those ways and say so with `attach` in policies.toml, or {split}",
                rest.join(", ")
            ),
        }
    }
}

/// The byte range of the character after the first `n` that are not
/// whitespace (there is one: the caller knows the text has more).
fn nth_counted(text: &str, n: usize) -> Range<usize> {
    text.char_indices()
        .filter(|(_, c)| !c.is_whitespace())
        .nth(n)
        .map_or(text.len()..text.len(), |(i, c)| i..i + c.len_utf8())
}
