//! A key repeated in one object, which IAM refuses.

use super::linted::Linted;
use crate::checks::rule::Model;
use crate::diagnostics::{Diagnostic, Diagnostics};
use anyhow::Result;

crate::checks::rule::rule! {
    check: check;
    POLICY_DUPLICATE_KEY = "policy::duplicate-key", error: "a JSON key repeated in one object";
}

fn check(model: &Model<'_, '_>, out: &mut Diagnostics) -> Result<()> {
    super::each_policy(model, out, lint)
}

pub(crate) fn lint(policy: &Linted, out: &mut Vec<Diagnostic>) {
    let Some(parsed) = policy.parsed() else {
        return;
    };
    for dup in &parsed.index.duplicates {
        out.push(
            Diagnostic::raise(
                POLICY_DUPLICATE_KEY,
                parsed.at(dup.range.clone()),
                format!("`{}` appears twice in the same object", dup.key),
            )
            .with_related(parsed.at(dup.first.clone()), "first here")
            .with_hint("IAM refuses a policy whose keys repeat; merge the two"),
        );
    }
}
