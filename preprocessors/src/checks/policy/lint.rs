//! Everything checked about one policy text: allowed characters, JSON
//! syntax, repeated keys, the schema, the size quota, then the rules past
//! the grammar (in the spirit of IAM Access Analyzer), each a rule of its
//! own. This file runs them over one policy for `policy lint` and the
//! other areas; what they read is in [`super::linted`].

use super::Kind;
use super::linted::{Linted, RoleMate};
use super::manifest::Entry;
use crate::diagnostics::Diagnostic;

/// The lint of each rule over one policy, in the order they report.
const LINTS: [fn(&Linted, &mut Vec<Diagnostic>); 18] = [
    super::character::lint,
    super::json_syntax::lint,
    super::duplicate_key::lint,
    super::schema::lint,
    super::size::lint,
    super::duplicate_sid::lint,
    super::wildcard_action::lint,
    super::unknown_service::lint,
    super::unknown_action::lint,
    super::retired_service::lint,
    super::duplicate_action::lint,
    super::redundant_action::lint,
    super::allow_not_action::lint,
    super::allow_not_principal::lint,
    super::resource_star::lint,
    super::trust_principal::lint,
    super::confused_deputy::lint,
    super::unknown_condition_key::lint,
];

/// Lints one policy. `path` is how diagnostics name the file; `kind` is the
/// declared kind (`--kind`, the manifest), else the content decides;
/// `entry` is its manifest entry when it has one.
pub fn lint_text(
    path: &str,
    text: &str,
    kind: Option<Kind>,
    entry: Option<&Entry>,
) -> Vec<Diagnostic> {
    lint_with_role_mates(path, text, kind, entry, &[])
}

/// [`lint_text`] for a policy that the manifest puts inline in a role,
/// with the role's other inline policies (`role_mates`), which share its quota.
pub(crate) fn lint_with_role_mates(
    path: &str,
    text: &str,
    kind: Option<Kind>,
    entry: Option<&Entry>,
    role_mates: &[RoleMate],
) -> Vec<Diagnostic> {
    let policy = Linted::new(
        path.to_string(),
        text.to_string(),
        kind,
        entry.cloned(),
        role_mates.to_vec(),
    );
    lint_policy(&policy)
}

/// Every rule's lint of one parsed policy.
pub(crate) fn lint_policy(policy: &Linted) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for lint in LINTS {
        lint(policy, &mut out);
    }
    out
}

#[cfg(test)]
mod tests;
