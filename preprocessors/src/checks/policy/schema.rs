//! The policy grammar as a JSON Schema (draft 2020-12,
//! `preprocessors/data/iam-policy.schema.json`), checked with the jsonschema
//! crate; each error is mapped from its JSON pointer to the file's line and
//! column and worded for a person (the schema's `x-message`).

use super::Kind;
use super::linted::Linted;
use crate::checks::rule::Model;
use crate::diagnostics::{Diagnostic, Diagnostics, Problem};
use crate::model::json::Index;
use anyhow::Result;
use jsonschema::error::ValidationErrorKind;
use jsonschema::{Draft, Validator};
use serde_json::Value;
use std::ops::Range;
use std::sync::OnceLock;

/// Linter data lives beside the crate, never under the published `src/`.
const SCHEMA_JSON: &str = include_str!("../../../data/iam-policy.schema.json");

crate::checks::rule::rule! {
    check: check;
    POLICY_SCHEMA = "policy::schema", error: "a policy that breaks the IAM policy grammar";
}

fn check(model: &Model<'_, '_>, out: &mut Diagnostics) -> Result<()> {
    super::each_policy(model, out, lint)
}

pub(crate) fn lint(policy: &Linted, out: &mut Vec<Diagnostic>) {
    let Some(parsed) = policy.parsed() else {
        return;
    };
    for violation in validate(parsed.document, policy.kind, parsed.index) {
        out.push(violation.locate(|range| parsed.at(range)));
    }
}

/// A violation at `range`, with a hint when the schema or a near key gives one.
fn violation(range: Range<usize>, message: String, hint: Option<String>) -> Problem {
    Problem::raise(POLICY_SCHEMA, range, message).with_hint_if(hint)
}

struct Compiled {
    schema: Value,
    identity: Validator,
    trust: Validator,
}

/// Compiles the schema now (`validate::warm` loads it ahead of the checks).
pub(crate) fn warm() {
    compiled();
}

fn compiled() -> &'static Compiled {
    static COMPILED: OnceLock<Compiled> = OnceLock::new();
    COMPILED.get_or_init(|| {
        let schema: Value =
            serde_json::from_str(SCHEMA_JSON).expect("the built-in schema is JSON (unit-tested)");
        let for_kind = |definition: &str| {
            // The same definitions, rooted at one kind's policy.
            let mut rooted = schema.clone();
            if let Some(root) = rooted.as_object_mut() {
                root.remove("anyOf");
                root.insert("$ref".into(), Value::from(format!("#/$defs/{definition}")));
            }
            jsonschema::options()
                .with_draft(Draft::Draft202012)
                .build(&rooted)
                .expect("the built-in schema compiles (unit-tested)")
        };
        Compiled {
            identity: for_kind("identityPolicy"),
            trust: for_kind("trustPolicy"),
            schema,
        }
    })
}

/// Every violation of the grammar for `kind` in `document`, located in `text`.
pub(crate) fn validate(document: &Value, kind: Kind, index: &Index) -> Vec<Problem> {
    let compiled = compiled();
    let validator = match kind {
        Kind::Identity => &compiled.identity,
        Kind::Trust => &compiled.trust,
    };
    let mut found = Vec::new();
    for error in validator.iter_errors(document) {
        let pointer = error.instance_path().as_str().to_string();
        let x_message = message_at(&compiled.schema, error.schema_path().as_str());
        let instance = error.instance();
        match error.kind() {
            ValidationErrorKind::AdditionalProperties { unexpected } => {
                for key in unexpected {
                    let child = format!("{pointer}/{}", crate::model::json::escape(key));
                    let hint = match super::keys::suggestion(&pointer, key) {
                        Some(meant) => Some(format!("did you mean `{meant}`?")),
                        None => x_message.clone(),
                    };
                    found.push(violation(
                        index.key_range(&child),
                        format!("`{key}` is not allowed here"),
                        hint,
                    ));
                }
            }
            ValidationErrorKind::Not { .. } | ValidationErrorKind::FalseSchema => {
                found.push(violation(
                    index.key_range(&pointer),
                    x_message.unwrap_or_else(|| "not allowed here".into()),
                    None,
                ));
            }
            kind => {
                let message = match (&x_message, kind) {
                    (_, ValidationErrorKind::Required { property }) => {
                        let name = property.as_str().unwrap_or_default();
                        let what = if pointer.is_empty() {
                            "the policy"
                        } else {
                            "this object"
                        };
                        format!("{what} has no `{name}`")
                    }
                    (Some(message), _) => match instance.as_ref() {
                        Value::String(s) => format!("{message}; found \"{}\"", shorten(s)),
                        Value::Number(n) => format!("{message}; found {n}"),
                        Value::Bool(b) => format!("{message}; found {b}"),
                        Value::Null => format!("{message}; found null"),
                        _ => message.clone(),
                    },
                    (None, _) => error.to_string(),
                };
                let hint = match kind {
                    ValidationErrorKind::Required { .. } => x_message,
                    _ => None,
                };
                found.push(violation(index.value_range(&pointer), message, hint));
            }
        }
    }
    found
}

fn shorten(s: &str) -> String {
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(60).collect::<String>())
    } else {
        s.to_string()
    }
}

/// The `x-message` of the schema object holding the failed keyword.
fn message_at(schema: &Value, keyword_location: &str) -> Option<String> {
    let parent = keyword_location.rsplit_once('/').map_or("", |(p, _)| p);
    schema
        .pointer(parent)
        .and_then(|node| node.get("x-message"))
        .and_then(Value::as_str)
        .map(str::to_string)
}

#[cfg(test)]
mod tests;
