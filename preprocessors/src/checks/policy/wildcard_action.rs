//! `*` or `service:*` granted as an action; in `Deny` or `NotAction` a
//! wildcard narrows, and is fine.

use super::catalog::Lookup;
use super::linted::Linted;
use crate::checks::rule::Model;
use crate::diagnostics::{Diagnostic, Diagnostics};
use anyhow::Result;

crate::checks::rule::rule! {
    check: check;
    POLICY_WILDCARD_ACTION = "policy::wildcard-action", error: "`*` or `service:*` as an action";
}

fn check(model: &Model<'_, '_>, out: &mut Diagnostics) -> Result<()> {
    super::each_policy(model, out, lint)
}

pub(crate) fn lint(policy: &Linted, out: &mut Vec<Diagnostic>) {
    let Some(parsed) = policy.parsed() else {
        return;
    };
    for statement in parsed.statements() {
        if !statement.grants() {
            continue;
        }
        for ((pointer, action), lookup) in statement.actions.iter().zip(statement.lookups) {
            let message = match lookup {
                Lookup::Everything => format!(
                    "`{}: \"*\"` covers every action of every service",
                    statement.action_key
                ),
                Lookup::Known(_) if action.ends_with(":*") => {
                    format!("`{action}` covers every action of the service")
                }
                _ => continue,
            };
            out.push(
                Diagnostic::raise(POLICY_WILDCARD_ACTION, parsed.value_at(pointer), message)
                    .with_hint("name the actions the role needs"),
            );
        }
    }
}
