//! An action (or pattern) the service does not have; when one spelling is
//! right, its fix.

use super::catalog::{Catalog, Lookup};
use super::linted::{Linted, prefix_of};
use crate::checks::rule::Model;
use crate::diagnostics::{Diagnostic, Diagnostics, Edit};
use anyhow::Result;

crate::checks::rule::rule! {
    check: check;
    POLICY_UNKNOWN_ACTION = "policy::unknown-action", error: "an action the service does not have";
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
        for ((pointer, action), lookup) in statement.actions.iter().zip(statement.lookups) {
            let Lookup::UnknownAction { suggestion, only } = lookup else {
                continue;
            };
            let name = catalog
                .service(prefix_of(action))
                .map_or(String::new(), |s| s.name.to_string());
            let mut d = Diagnostic::raise(
                POLICY_UNKNOWN_ACTION,
                parsed.value_at(pointer),
                if action.contains(['*', '?']) {
                    format!("`{action}` matches no action of {name}")
                } else {
                    format!("`{action}` is not an action of {name}")
                },
            );
            if let Some(s) = suggestion {
                d = d.with_hint(format!("did you mean `{s}`?"));
            }
            // The string's contents, inside its quotes, become the one answer.
            let range = parsed.index.value_range(pointer);
            let inner = range.start + 1..range.end.saturating_sub(1);
            let written = parsed.map.text().get(inner.clone());
            if let Some(only) = only
                && written == Some(*action)
                && let Some(edit) =
                    Edit::in_text(parsed.map.path(), parsed.map.text(), inner, only.clone())
            {
                d = d.with_fixes(vec![edit]);
            }
            out.push(d);
        }
    }
}
