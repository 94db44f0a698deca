//! A service's condition key that the service does not have: the condition
//! can never match as written (global `aws:` keys are not listed).

use super::catalog::Catalog;
use super::linted::Linted;
use crate::checks::rule::Model;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::json::escape;
use anyhow::Result;
use serde_json::Value;

crate::checks::rule::rule! {
    check: check;
    POLICY_UNKNOWN_CONDITION_KEY = "policy::unknown-condition-key", warning: "a service condition key (`ecr:ResourceTag/…`) the service does not have";
}

fn check(model: &Model<'_, '_>, out: &mut Diagnostics) -> Result<()> {
    super::each_policy(model, out, lint)
}

pub(crate) fn lint(policy: &Linted, out: &mut Vec<Diagnostic>) {
    let Some(parsed) = policy.parsed() else {
        return;
    };
    let catalog = Catalog::builtin();
    for statement in parsed.statements() {
        let Some(Value::Object(operators)) = statement.body.get("Condition") else {
            continue;
        };
        for (operator, keys) in operators {
            let Value::Object(keys) = keys else {
                continue;
            };
            for key in keys.keys() {
                let Some((prefix, _)) = key.split_once(':') else {
                    continue;
                };
                let Some(service) = catalog.service(prefix) else {
                    continue;
                };
                if service.has_condition_key(key) {
                    continue;
                }
                let here = format!(
                    "{}/Condition/{}/{}",
                    statement.pointer,
                    escape(operator),
                    escape(key)
                );
                let d = Diagnostic::raise(
                    POLICY_UNKNOWN_CONDITION_KEY,
                    parsed.key_at(&here),
                    format!("`{key}` is not a condition key of {}", service.name),
                );
                out.push(match crate::diagnostics::suggest::closest(
                    key,
                    service.condition_keys.iter().map(|(k, _)| *k),
                ) {
                    Some(near) => d.with_hint(format!("did you mean `{near}`?")),
                    None => d.with_hint(
                        "a condition on a key the request never carries does not match; the service's keys are in the Service Authorization Reference",
                    ),
                });
            }
        }
    }
}
