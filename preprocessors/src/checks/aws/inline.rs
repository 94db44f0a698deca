//! The template's inline IAM policies through the policy linter, with the
//! template's account and Region references filled in, each problem
//! reported at the template line it is about.

use super::roles::resolve;
use super::shapes::escape;
use crate::checks::policy::Kind;
use crate::checks::policy::lint::lint_text;
use crate::checks::policy::manifest::{Entry, Manifest};
use crate::diagnostics::location::Location;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::json::Index;
use serde_json::Value;

/// Every policy document of the template's IAM resources, as (pointer, kind).
pub(crate) fn documents(template: &Value) -> Vec<(String, Kind)> {
    let mut out = Vec::new();
    let resources = template.get("Resources").and_then(Value::as_object);
    for (id, resource) in resources.into_iter().flatten() {
        let base = format!("/Resources/{}/Properties", escape(id));
        let properties = resource.get("Properties");
        match resource.get("Type").and_then(Value::as_str) {
            Some("AWS::IAM::Role") => {
                if properties
                    .and_then(|p| p.get("AssumeRolePolicyDocument"))
                    .is_some()
                {
                    out.push((format!("{base}/AssumeRolePolicyDocument"), Kind::Trust));
                }
                let policies = properties
                    .and_then(|p| p.get("Policies"))
                    .and_then(Value::as_array);
                for (i, _) in policies.into_iter().flatten().enumerate() {
                    out.push((
                        format!("{base}/Policies/{i}/PolicyDocument"),
                        Kind::Identity,
                    ));
                }
            }
            Some("AWS::IAM::Policy" | "AWS::IAM::ManagedPolicy" | "AWS::IAM::RolePolicy") => {
                out.push((format!("{base}/PolicyDocument"), Kind::Identity));
            }
            _ => {}
        }
    }
    out
}

/// Lints the inline policies of `template` (the text of `rel`).
pub(crate) fn check(
    rel: &str,
    text: &str,
    template: &Value,
    manifest: &Manifest,
    diagnostics: &mut Diagnostics,
) {
    let index = Index::new(text);
    // The manifest's reasons are per policy file; an inline policy may use any.
    let entry = Entry {
        resource_star: manifest
            .policies
            .values()
            .flat_map(|e| e.resource_star.clone())
            .collect(),
        ..Entry::default()
    };
    for (pointer, kind) in documents(template) {
        let Some(document) = template.pointer(&pointer) else {
            continue;
        };
        if !document.is_object() {
            continue;
        }
        let Ok(policy_text) = serde_json::to_string_pretty(&resolve(document)) else {
            continue;
        };
        let range = index.value_range(&pointer);
        let whole = Location::in_text(rel, text, index.key_range(&pointer));
        for d in lint_text("inline", &policy_text, Some(kind), Some(&entry)) {
            diagnostics.push(Diagnostic {
                location: same_line(rel, text, range.clone(), &d.location.line_text)
                    .unwrap_or_else(|| whole.clone()),
                message: format!("inline policy: {}", d.message),
                // Placed in the policy's own text, not the template's.
                fixes: Vec::new(),
                ..d
            });
        }
    }
}

/// The template line, inside the document, that reads like `line`.
fn same_line(rel: &str, text: &str, range: std::ops::Range<usize>, line: &str) -> Option<Location> {
    let wanted = line.trim().trim_end_matches(',');
    if wanted.len() < 3 {
        return None;
    }
    let at = range.start + text.get(range)?.find(wanted)?;
    Some(Location::in_text(rel, text, at..at + wanted.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stack() -> Value {
        serde_json::from_str(include_str!(
            "../../../../tests/fixtures/guide-files/templates/responderapi-stack.json"
        ))
        .unwrap()
    }

    fn lint(text: &str) -> Vec<String> {
        let manifest = Manifest::parse(include_str!(
            "../../../../tests/fixtures/guide-files/policies.toml"
        ))
        .unwrap();
        let mut found = Diagnostics::new();
        check(
            "t.json",
            text,
            &serde_json::from_str(text).unwrap(),
            &manifest,
            &mut found,
        );
        found.into_sorted().iter().map(|d| d.short()).collect()
    }

    #[test]
    fn the_stacks_four_policies_are_found_and_pass() {
        assert_eq!(documents(&stack()).len(), 4);
        assert_eq!(
            lint(include_str!(
                "../../../../tests/fixtures/guide-files/templates/responderapi-stack.json"
            )),
            Vec::<String>::new()
        );
    }

    #[test]
    fn a_misspelt_action_is_reported_at_its_template_line() {
        let text = include_str!(
            "../../../../tests/fixtures/guide-files/templates/responderapi-stack.json"
        )
        .replace("\"ecr:BatchGetImage\"", "\"ecr:BatchGetImages\"");
        let found = lint(&text);
        assert_eq!(found.len(), 1, "{found:?}");
        let line = text[..text.find("ecr:BatchGetImages").unwrap()]
            .matches('\n')
            .count()
            + 1;
        assert!(
            found[0].starts_with(&format!("t.json:{line}:")),
            "{found:?}"
        );
        assert!(
            found[0].contains("[policy::unknown-action]: inline policy:"),
            "{found:?}"
        );
    }
}
