//! The same action twice in one statement's `Action` or `NotAction`.

use super::linted::Linted;
use crate::checks::rule::Model;
use crate::diagnostics::{Diagnostic, Diagnostics};
use anyhow::Result;
use std::collections::HashMap;

crate::checks::rule::rule! {
    check: check;
    POLICY_DUPLICATE_ACTION = "policy::duplicate-action", warning: "an action listed twice in one statement";
}

fn check(model: &Model<'_, '_>, out: &mut Diagnostics) -> Result<()> {
    super::each_policy(model, out, lint)
}

pub(crate) fn lint(policy: &Linted, out: &mut Vec<Diagnostic>) {
    let Some(parsed) = policy.parsed() else {
        return;
    };
    for statement in parsed.statements() {
        let actions = &statement.actions;
        // One pass, so a minified policy repeating one action 800,000 times
        // stays linear, and at most PER_FILE_AND_CODE reports.
        let mut first: HashMap<String, usize> = HashMap::new();
        let (mut shown, mut unshown) = (0, 0);
        let cap = crate::diagnostics::PER_FILE_AND_CODE;
        let mut unshown_at = None;
        for (i, (pointer, action)) in actions.iter().enumerate() {
            let this = action.to_ascii_lowercase();
            let Some(&j) = first.get(&this) else {
                first.insert(this, i);
                continue;
            };
            if shown >= cap {
                unshown += 1;
                unshown_at.get_or_insert_with(|| parsed.value_at(pointer));
                continue;
            }
            shown += 1;
            out.push(
                Diagnostic::raise(
                    POLICY_DUPLICATE_ACTION,
                    parsed.value_at(pointer),
                    format!("`{action}` is already in this `{}`", statement.action_key),
                )
                .with_related(parsed.value_at(&actions[j].0), "first here")
                .with_hint("remove the repeat"),
            );
        }
        if let Some(at) = unshown_at {
            out.push(crate::diagnostics::more(
                POLICY_DUPLICATE_ACTION.severity(),
                POLICY_DUPLICATE_ACTION,
                at,
                unshown,
            ));
        }
    }
}
