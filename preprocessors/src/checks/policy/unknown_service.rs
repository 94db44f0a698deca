//! An action whose prefix is no IAM service.

use super::catalog::Lookup;
use super::linted::Linted;
use crate::checks::rule::Model;
use crate::diagnostics::{Diagnostic, Diagnostics};
use anyhow::Result;

crate::checks::rule::rule! {
    check: check;
    POLICY_UNKNOWN_SERVICE = "policy::unknown-service", error: "an action whose service prefix is unknown";
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
            let Lookup::UnknownService { suggestion } = lookup else {
                continue;
            };
            let prefix = action.split_once(':').map_or(*action, |(p, _)| p);
            let d = Diagnostic::raise(
                POLICY_UNKNOWN_SERVICE,
                parsed.value_at(pointer),
                format!("`{prefix}` is not an AWS service prefix"),
            );
            out.push(match suggestion {
                Some(s) => d.with_hint(format!("did you mean `{s}`?")),
                None => d.with_hint(
                    "service prefixes are listed in the AWS Service Authorization Reference",
                ),
            });
        }
    }
}
