//! IAM accepts tab, LF, CR and U+0020–U+00FF only.

use super::linted::Linted;
use crate::checks::rule::Model;
use crate::diagnostics::{Diagnostic, Diagnostics};
use anyhow::Result;

crate::checks::rule::rule! {
    check: check;
    POLICY_CHARACTER = "policy::character", error: "a character outside the range IAM accepts";
}

fn check(model: &Model<'_, '_>, out: &mut Diagnostics) -> Result<()> {
    super::each_policy(model, out, lint)
}

pub(crate) fn lint(policy: &Linted, out: &mut Vec<Diagnostic>) {
    let map = policy.map();
    for (i, c) in policy.text.char_indices() {
        let allowed = matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{ff}');
        if !allowed {
            out.push(
                Diagnostic::raise(
                    POLICY_CHARACTER,
                    map.locate(i..i + c.len_utf8()),
                    format!(
                        "IAM does not accept the character U+{:04X} in a policy",
                        c as u32
                    ),
                )
                .with_hint(
                    "a policy may hold tab, line feed, carriage return and U+0020 to U+00FF only",
                ),
            );
        }
    }
}
