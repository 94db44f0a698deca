//! `Allow` with `NotPrincipal`: it trusts every principal not listed.

use super::linted::Linted;
use crate::checks::rule::Model;
use crate::diagnostics::{Diagnostic, Diagnostics};
use anyhow::Result;

crate::checks::rule::rule! {
    check: check;
    POLICY_ALLOW_NOT_PRINCIPAL = "policy::allow-not-principal", warning: "`Allow` with `NotPrincipal`, which trusts every other principal";
}

fn check(model: &Model<'_, '_>, out: &mut Diagnostics) -> Result<()> {
    super::each_policy(model, out, lint)
}

pub(crate) fn lint(policy: &Linted, out: &mut Vec<Diagnostic>) {
    let Some(parsed) = policy.parsed() else {
        return;
    };
    for statement in parsed.statements() {
        if statement.allow && statement.body.contains_key("NotPrincipal") {
            out.push(
                Diagnostic::raise(
                    POLICY_ALLOW_NOT_PRINCIPAL,
                    parsed.key_at(&format!("{}/NotPrincipal", statement.pointer)),
                    "`Allow` with `NotPrincipal` trusts every principal not listed, anonymous ones included",
                )
                .with_hint("name the trusted principals in `Principal` instead"),
            );
        }
    }
}
