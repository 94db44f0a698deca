//! The templates' inline IAM policies, for the policy rules: each parsed
//! once with the template's account and Region references filled in, and
//! each problem a rule finds in one placed at the template line it is
//! about.

use super::Templates;
use super::roles::resolve;
use super::shapes::escape;
use crate::checks::policy::kind::Kind;
use crate::checks::policy::linted::Linted;
use crate::checks::policy::manifest::{Entry, Manifest};
use crate::checks::rule::{Model, Shared};
use crate::diagnostics::Diagnostic;
use crate::diagnostics::location::Location;
use crate::model::json::Index;
use serde_json::Value;
use std::ops::Range;
use std::sync::Arc;

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

/// One inline policy, as the policy rules read it, and where it is.
pub(crate) struct Document {
    pub linted: Linted,
    /// The template's path and text.
    rel: String,
    text: Arc<str>,
    /// The document's value in the template.
    range: Range<usize>,
    /// Its key, where a problem no line of the document stands for goes.
    whole: Location,
}

impl Document {
    /// A problem a rule found in the policy's own text, at the template
    /// line it is about.
    pub(crate) fn place(&self, d: Diagnostic) -> Diagnostic {
        Diagnostic {
            location: same_line(
                &self.rel,
                &self.text,
                self.range.clone(),
                &d.location.line_text,
            )
            .unwrap_or_else(|| self.whole.clone()),
            message: format!("inline policy: {}", d.message),
            // Placed in the policy's own text, not the template's.
            fixes: Vec::new(),
            ..d
        }
    }
}

/// Every inline policy of the book's templates.
pub(crate) struct InlinePolicies {
    pub documents: Vec<Document>,
}

impl Shared for InlinePolicies {
    fn build(model: &Model<'_, '_>) -> Self {
        let manifest = super::roles::manifest(model.root);
        let documents = model
            .shared::<Templates>()
            .files
            .iter()
            .filter(|file| file.value.get("Resources").is_some())
            .flat_map(|file| inline_policies(&file.path, &file.text, &file.value, &manifest))
            .collect();
        InlinePolicies { documents }
    }
}

/// The inline policies of `template` (the text of `rel`).
pub(crate) fn inline_policies(
    rel: &str,
    text: &str,
    template: &Value,
    manifest: &Manifest,
) -> Vec<Document> {
    let index = Index::new(text);
    let shared: Arc<str> = Arc::from(text);
    // The manifest's reasons are per policy file; an inline policy may use any.
    let entry = Entry {
        resource_star: manifest
            .policies
            .values()
            .flat_map(|e| e.resource_star.clone())
            .collect(),
        ..Entry::default()
    };
    let mut out = Vec::new();
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
        out.push(Document {
            linted: Linted::new(
                "inline".to_string(),
                policy_text,
                Some(kind),
                Some(entry.clone()),
                Vec::new(),
            ),
            rel: rel.to_string(),
            text: Arc::clone(&shared),
            range: index.value_range(&pointer),
            whole: Location::in_text(rel, text, index.key_range(&pointer)),
        });
    }
    out
}

/// The template line, inside the document, that reads like `line`.
fn same_line(rel: &str, text: &str, range: Range<usize>, line: &str) -> Option<Location> {
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
        let mut found = crate::diagnostics::Diagnostics::new();
        for document in inline_policies(
            "t.json",
            text,
            &serde_json::from_str(text).unwrap(),
            &manifest,
        ) {
            for d in crate::checks::policy::lint::lint_policy(&document.linted) {
                found.push(document.place(d));
            }
        }
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
