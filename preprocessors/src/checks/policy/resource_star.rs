//! `Resource: "*"` in an identity policy's `Allow` on actions that take
//! resource ARNs, unless the manifest says why.

use super::Kind;
use super::catalog::Lookup;
use super::linted::{Linted, prefix_of, strings};
use crate::checks::rule::Model;
use crate::diagnostics::{Diagnostic, Diagnostics};
use anyhow::Result;
use serde_json::Value;

crate::checks::rule::rule! {
    check: check;
    POLICY_RESOURCE_STAR = "policy::resource-star", warning: "`Resource: \"*\"` on an action that takes resource ARNs, without a reason in the manifest";
}

fn check(model: &Model<'_, '_>, out: &mut Diagnostics) -> Result<()> {
    super::each_policy(model, out, lint)
}

pub(crate) fn lint(policy: &Linted, out: &mut Vec<Diagnostic>) {
    let Some(parsed) = policy.parsed() else {
        return;
    };
    if policy.kind != Kind::Identity {
        return;
    }
    for statement in parsed.statements() {
        if !statement.grants() {
            continue;
        }
        // The resolved actions (`service:Name`) granted that take ARNs.
        let mut star_with_arns: Vec<String> = Vec::new();
        for ((_, action), lookup) in statement.actions.iter().zip(statement.lookups) {
            if let Lookup::Known(found) = lookup {
                let prefix = prefix_of(action);
                for (name, arns) in found {
                    if *arns {
                        star_with_arns.push(format!("{prefix}:{name}"));
                    }
                }
            }
        }
        let resource_pointer = format!("{}/Resource", statement.pointer);
        let Some((star_pointer, _)) = strings(statement.body.get("Resource"), &resource_pointer)
            .into_iter()
            .find(|(_, r)| *r == "*")
        else {
            continue;
        };
        if star_with_arns.is_empty() {
            continue;
        }
        let sid = statement
            .body
            .get("Sid")
            .and_then(Value::as_str)
            .unwrap_or("");
        // A reason under the statement's Sid, or under "*" for the whole
        // policy (a published policy reproduced as is, without Sids).
        let explained = policy.entry.as_ref().is_some_and(|e| {
            e.resource_star.contains_key("*")
                || (!sid.is_empty() && e.resource_star.contains_key(sid))
        });
        if explained {
            continue;
        }
        let names = &star_with_arns;
        let shown = if names.len() > 3 {
            format!("{} and {} more", names[..3].join(", "), names.len() - 3)
        } else {
            names.join(", ")
        };
        out.push(
            Diagnostic::raise(
                POLICY_RESOURCE_STAR,
                parsed.value_at(&star_pointer),
                format!("`Resource: \"*\"` although {shown} can be limited to resource ARNs"),
            )
            .with_hint(if sid.is_empty() {
                "name the resources' ARNs, or give the statement a Sid and say why \"*\" is needed under `resource-star` in policies.toml".to_string()
            } else {
                format!("name the resources' ARNs, or say why \"*\" is needed: `{sid} = \"…\"` under `resource-star` in this policy's entry in policies.toml")
            }),
        );
    }
}
