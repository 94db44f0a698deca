//! A trust policy that lets a principal other than an AWS service assume
//! the role.

use super::Kind;
use super::linted::Linted;
use crate::checks::rule::Model;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::json::escape;
use anyhow::Result;
use serde_json::Value;

crate::checks::rule::rule! {
    check: check;
    POLICY_TRUST_PRINCIPAL = "policy::trust-principal", warning: "a trust policy whose principal is not an AWS service";
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
        let others: Vec<&str> = match principal {
            Value::Object(map) => map
                .keys()
                .filter(|k| k.as_str() != "Service")
                .map(String::as_str)
                .collect(),
            _ => vec!["*"],
        };
        if others.is_empty() {
            continue;
        }
        let pointer = match principal {
            Value::Object(_) => format!("{principal_pointer}/{}", escape(others[0])),
            _ => principal_pointer.clone(),
        };
        out.push(
            Diagnostic::raise(
                POLICY_TRUST_PRINCIPAL,
                parsed.key_at(&pointer),
                format!(
                    "this trust policy lets a non-service principal (`{}`) assume the role",
                    others.join("`, `")
                ),
            )
            .with_hint("the guide's roles are assumed by ECS tasks only: `\"Service\": \"ecs-tasks.amazonaws.com\"`"),
        );
    }
}
