//! A policy file that is not JSON: the other rules stop there.

use super::linted::Linted;
use crate::checks::rule::Model;
use crate::diagnostics::location::Location;
use crate::diagnostics::{Diagnostic, Diagnostics};
use anyhow::Result;

crate::checks::rule::rule! {
    check: check;
    POLICY_JSON_SYNTAX = "policy::json-syntax", error: "a policy file that is not valid JSON";
}

fn check(model: &Model<'_, '_>, out: &mut Diagnostics) -> Result<()> {
    super::each_policy(model, out, lint)
}

pub(crate) fn lint(policy: &Linted, out: &mut Vec<Diagnostic>) {
    let Err(error) = &policy.parsed else {
        return;
    };
    let location = if error.range.is_empty() {
        Location::file(&policy.path)
    } else {
        policy.map().locate(error.range.clone())
    };
    out.push(
        Diagnostic::raise(
            POLICY_JSON_SYNTAX,
            location,
            format!("invalid JSON: {}", error.message),
        )
        .with_hint("a policy is one JSON object; check commas, quotes and brackets"),
    );
}
