//! `Allow` with `NotAction`: it grants every action not listed.

use super::linted::Linted;
use crate::checks::rule::Model;
use crate::diagnostics::{Diagnostic, Diagnostics};
use anyhow::Result;

crate::checks::rule::rule! {
    check: check;
    POLICY_ALLOW_NOT_ACTION = "policy::allow-not-action", warning: "`Allow` with `NotAction`, which grants every other action";
}

fn check(model: &Model<'_, '_>, out: &mut Diagnostics) -> Result<()> {
    super::each_policy(model, out, lint)
}

pub(crate) fn lint(policy: &Linted, out: &mut Vec<Diagnostic>) {
    let Some(parsed) = policy.parsed() else {
        return;
    };
    for statement in parsed.statements() {
        if statement.allow && statement.action_key == "NotAction" {
            out.push(
                Diagnostic::raise(
                    POLICY_ALLOW_NOT_ACTION,
                    parsed.key_at(&format!("{}/NotAction", statement.pointer)),
                    "`Allow` with `NotAction` grants every action not listed, including those AWS adds later",
                )
                .with_hint("list the allowed actions in `Action` instead"),
            );
        }
    }
}
