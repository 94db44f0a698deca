//! Two statements with one `Sid`.

use super::linted::Linted;
use crate::checks::rule::Model;
use crate::diagnostics::{Diagnostic, Diagnostics};
use anyhow::Result;
use serde_json::Value;
use std::collections::HashMap;

crate::checks::rule::rule! {
    check: check;
    POLICY_DUPLICATE_SID = "policy::duplicate-sid", error: "two statements with the same `Sid`";
}

fn check(model: &Model<'_, '_>, out: &mut Diagnostics) -> Result<()> {
    super::each_policy(model, out, lint)
}

pub(crate) fn lint(policy: &Linted, out: &mut Vec<Diagnostic>) {
    let Some(parsed) = policy.parsed() else {
        return;
    };
    let statements = parsed.statements();
    let mut sids: HashMap<&str, String> = HashMap::new();
    for statement in &statements {
        if let Some(Value::String(sid)) = statement.body.get("Sid") {
            let here = format!("{}/Sid", statement.pointer);
            if let Some(first) = sids.get(sid.as_str()) {
                if !sid.is_empty() {
                    out.push(
                        Diagnostic::raise(
                            POLICY_DUPLICATE_SID,
                            parsed.value_at(&here),
                            format!("the Sid \"{sid}\" is used by an earlier statement"),
                        )
                        .with_related(parsed.value_at(first), "first here")
                        .with_hint("each statement's Sid must be unique within the policy"),
                    );
                }
            } else {
                sids.insert(sid, here);
            }
        }
    }
}
