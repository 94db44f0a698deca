//! An action of a service AWS has retired: it no longer exists.

use super::catalog::Lookup;
use super::linted::Linted;
use crate::checks::rule::Model;
use crate::diagnostics::{Diagnostic, Diagnostics};
use anyhow::Result;

crate::checks::rule::rule! {
    check: check;
    POLICY_RETIRED_SERVICE = "policy::retired-service", warning: "an action of a service AWS has retired (`deepracer`, `iot1click`, `zocalo`, …)";
}

fn check(model: &Model<'_, '_>, out: &mut Diagnostics) -> Result<()> {
    super::each_policy(model, out, lint)
}

pub(crate) fn lint(policy: &Linted, out: &mut Vec<Diagnostic>) {
    let Some(parsed) = policy.parsed() else {
        return;
    };
    for statement in parsed.statements() {
        for ((pointer, action), lookup) in statement.actions.iter().zip(statement.lookups) {
            let Lookup::RetiredService(retired) = lookup else {
                continue;
            };
            let prefix = action.split_once(':').map_or(*action, |(p, _)| p);
            out.push(
                Diagnostic::raise(
                    POLICY_RETIRED_SERVICE,
                    parsed.value_at(pointer),
                    format!(
                        "`{prefix}` is the prefix of {}, a retired service: its actions no longer exist",
                        retired.name
                    ),
                )
                .with_hint(format!(
                    "remove the action (retired: {})",
                    retired.evidence
                )),
            );
        }
    }
}
