//! A trust policy that lets a service assume the role for any account: no
//! `aws:SourceAccount`, `aws:SourceArn` or `aws:SourceOrgID` condition.

use super::Kind;
use super::linted::{Linted, strings};
use crate::checks::rule::Model;
use crate::diagnostics::{Diagnostic, Diagnostics};
use anyhow::Result;
use serde_json::Value;

crate::checks::rule::rule! {
    check: check;
    POLICY_CONFUSED_DEPUTY = "policy::confused-deputy", warning: "a service trust policy without an `aws:SourceAccount` or `aws:SourceArn` condition";
}

fn check(model: &Model<'_, '_>, out: &mut Diagnostics) -> Result<()> {
    super::each_policy(model, out, lint)
}

pub(crate) fn lint(policy: &Linted, out: &mut Vec<Diagnostic>) {
    let Some(parsed) = policy.parsed() else {
        return;
    };
    if policy.kind != Kind::Trust {
        return;
    }
    for statement in parsed.statements() {
        if !statement.allow {
            continue;
        }
        let Some(principal) = statement.body.get("Principal") else {
            continue;
        };
        let principal_pointer = format!("{}/Principal", statement.pointer);
        let services = strings(
            principal.get("Service"),
            &format!("{principal_pointer}/Service"),
        );
        if services.is_empty() {
            continue;
        }
        let has_key = |wanted: &str| {
            statement
                .body
                .get("Condition")
                .and_then(Value::as_object)
                .is_some_and(|ops| {
                    ops.values()
                        .filter_map(Value::as_object)
                        .any(|keys| keys.keys().any(|k| k.eq_ignore_ascii_case(wanted)))
                })
        };
        if !has_key("aws:SourceAccount") && !has_key("aws:SourceArn") && !has_key("aws:SourceOrgID")
        {
            out.push(
                Diagnostic::raise(
                    POLICY_CONFUSED_DEPUTY,
                    parsed.key_at(&principal_pointer),
                    "a service may assume this role on behalf of any account: no `aws:SourceAccount` or `aws:SourceArn` condition",
                )
                .with_hint("add `\"Condition\": {\"StringEquals\": {\"aws:SourceAccount\": \"ACCOUNT\"}, \"ArnLike\": {\"aws:SourceArn\": \"arn:aws:ecs:REGION:ACCOUNT:*\"}}`"),
            );
        }
    }
}
