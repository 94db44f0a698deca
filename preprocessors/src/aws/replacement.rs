//! Templates deployed one over another to the same stack, against what
//! CloudFormation does on that update: a change to a create-only property
//! replaces the resource, and a resource with a custom name cannot be
//! replaced (the new one would need the name the old one still holds), so
//! CloudFormation refuses the update (`aws::replacement-refused`). A
//! replacement CloudFormation makes loses what the old resource held, said
//! per resource type in `replacement.toml` (`aws::replacement`, a warning).
//! Every pair of templates deployed to one stack is an update both ways: the
//! guide tells readers they may go back to the first template.

use super::models;
use super::shapes::escape;
use super::stack_diff::{self, Cause, Change};
use crate::diagnostics::{Diagnostic, codes};
use crate::json::Index;
use crate::location::Location;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// A template a run path deploys to a stack, and the command that does it.
pub struct Deployed<'a> {
    pub stack: String,
    pub rel: &'a str,
    pub text: &'a str,
    pub value: &'a Value,
    pub at: Location,
    /// `--parameter-overrides`: parameter → the value's text.
    pub parameters: BTreeMap<String, String>,
}

/// The property that names a resource of `kind`, if it has one: the data's
/// exception, else the create-only property that is the primary identifier
/// or whose name ends in `Name`.
pub fn name_property(kind: &str) -> Option<String> {
    if let Some(exception) = models::replacement().name.get(kind) {
        return (!exception.property.is_empty()).then(|| exception.property.clone());
    }
    names_in_schema(kind).into_iter().next()
}

/// What the schema alone says names a resource (several for the exceptions).
fn names_in_schema(kind: &str) -> Vec<String> {
    let primary = stack_diff::schema_paths(kind, "primaryIdentifier");
    stack_diff::create_only(kind)
        .into_iter()
        .filter(|p| !p.contains('/') && (primary.contains(p) || p.ends_with("Name")))
        .collect()
}

/// Checks every pair of templates deployed to one stack, in the order the
/// paths first deploy them; each problem is reported once, in the template
/// deployed second.
pub fn check(deploys: &[Deployed<'_>]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut firsts: Vec<&Deployed<'_>> = Vec::new();
    for d in deploys {
        if !firsts.iter().any(|f| f.stack == d.stack && f.rel == d.rel) {
            firsts.push(d);
        }
    }
    let values = stack_diff::parameter_values(
        deploys
            .iter()
            .map(|d| (d.stack.as_str(), d.value, &d.parameters)),
    );
    // The templates as each stack gets them: what resolves to text, as text.
    let resolved: Vec<Value> = firsts
        .iter()
        .map(|d| {
            let known = stack_diff::known_values(d.value, &d.stack, values.get(&d.stack));
            stack_diff::resolved(d.value, &known)
        })
        .collect();
    for (j, second) in firsts.iter().enumerate() {
        let parameters: BTreeSet<String> = values
            .get(&second.stack)
            .into_iter()
            .flatten()
            .filter(|(_, v)| v.len() > 1)
            .map(|(k, _)| k.clone())
            .collect();
        for (i, first) in firsts[..j].iter().enumerate() {
            if first.stack == second.stack {
                let templates = (&resolved[i], &resolved[j]);
                pair((first, second), templates, &parameters, &mut out);
            }
        }
    }
    // Two earlier templates may change the same property the same way.
    let mut seen = BTreeSet::new();
    out.retain(|d| seen.insert((d.location.short(), d.message.clone())));
    out
}

fn pair(
    (first, second): (&Deployed<'_>, &Deployed<'_>),
    (old_template, new_template): (&Value, &Value),
    parameters: &BTreeSet<String>,
    out: &mut Vec<Diagnostic>,
) {
    let (old, new) = (
        stack_diff::resources(old_template),
        stack_diff::resources(new_template),
    );
    let changes = stack_diff::compare(old_template, new_template, parameters);
    let replaced: BTreeSet<&String> = changes
        .iter()
        .filter(|(_, c)| matches!(c, Change::Replaced(_)))
        .map(|(id, _)| id)
        .collect();
    for (id, change) in &changes {
        let Change::Replaced(causes) = change else {
            continue;
        };
        let (o, n) = (&old[id.as_str()], &new[id.as_str()]);
        let kind = stack_diff::kind(n).unwrap_or_default();
        let (op, np) = (stack_diff::properties(o), stack_diff::properties(n));
        let name = name_property(kind).filter(|p| np.get(p).is_some());
        // The same name, unless it takes a value that changes: a rename
        // lets CloudFormation create the new resource beside the old one.
        let keeps_name = name.as_ref().is_some_and(|p| {
            op.get(p).zip(np.get(p)).is_some_and(|(a, b)| {
                stack_diff::same(a, b)
                    && !stack_diff::refers_to(b)
                        .iter()
                        .any(|r| parameters.contains(r) || replaced.contains(r))
            })
        });
        let loss = models::replacement()
            .loss
            .get(kind)
            .or_else(|| models::replacement().loss.get("default"))
            .cloned()
            .unwrap_or_default();
        if !keeps_name && loss.is_empty() {
            continue;
        }
        let shown = match name
            .as_ref()
            .and_then(|p| np.get(p))
            .and_then(Value::as_str)
        {
            Some(n) if keeps_name => n.to_string(),
            _ => id.clone(),
        };
        for cause in causes {
            let pointer = format!(
                "/Resources/{}/Properties/{}",
                escape(id),
                cause
                    .property
                    .split('/')
                    .map(escape)
                    .collect::<Vec<_>>()
                    .join("/")
            );
            let what = describe(cause, parameters);
            let d = if keeps_name {
                let name = name.as_deref().unwrap_or_default();
                Diagnostic::error(
                    codes::AWS_REPLACEMENT_REFUSED,
                    locate(second, &pointer, id),
                    format!(
                        "CloudFormation must replace `{shown}` (`{kind}`) to {what}, and cannot replace a custom-named resource"
                    ),
                )
                .with_hint(format!(
                    "`{}` is a create-only property of `{kind}`: changing it replaces the resource, and a resource named by `{name}` cannot be replaced while the old one holds the name, so deploying `{}` over `{}` to the stack `{}` (or back) fails; give both templates the same value, or drop the custom name",
                    cause.property, second.rel, first.rel, second.stack
                ))
            } else {
                Diagnostic::warning(
                    codes::AWS_REPLACEMENT,
                    locate(second, &pointer, id),
                    format!("CloudFormation replaces `{shown}` (`{kind}`) to {what}: {loss}"),
                )
                .with_hint(format!(
                    "`{}` is a create-only property of `{kind}`: deploying `{}` over `{}` to the stack `{}` (or back) replaces the resource; give both templates the same value if that is not meant",
                    cause.property, second.rel, first.rel, second.stack
                ))
            };
            out.push(
                d.with_related(
                    locate(first, &pointer, id),
                    format!("the value in `{}`", first.rel),
                )
                .with_related(first.at.clone(), format!("`{}` deployed here", first.rel))
                .with_related(second.at.clone(), format!("`{}` deployed here", second.rel)),
            );
        }
    }
}

fn describe(cause: &Cause, parameters: &BTreeSet<String>) -> String {
    match &cause.via {
        None => format!("change `{}`", cause.property),
        Some(via) if parameters.contains(via) => format!(
            "change `{}`, which takes the parameter `{via}`, whose value changes",
            cause.property
        ),
        Some(via) => format!(
            "change `{}`, which refers to `{via}`, a resource it replaces",
            cause.property
        ),
    }
}

/// The property in a template, or its resource when the template leaves the
/// property out.
fn locate(d: &Deployed<'_>, pointer: &str, id: &str) -> Location {
    let index = Index::new(d.text);
    let resource = format!("/Resources/{}", escape(id));
    let range = [
        pointer.to_string(),
        format!("{resource}/Properties"),
        resource,
    ]
    .iter()
    .map(|p| {
        if p == pointer {
            index.value_range(p)
        } else {
            index.key_range(p)
        }
    })
    .find(|r| !r.is_empty())
    .unwrap_or(0..0);
    Location::in_text(d.rel, d.text, range)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deployed<'a>(rel: &'a str, text: &'a str, value: &'a Value) -> Deployed<'a> {
        Deployed {
            stack: "responderapi".into(),
            rel,
            text,
            value,
            at: Location::file("src/x.md"),
            parameters: BTreeMap::new(),
        }
    }

    // Copies of the guide's templates as fixtures: editing the guide must
    // not break the library's tests.
    const STACK: &str = include_str!("../../../tests/fixtures/aws/templates/stack.json");
    const ALB: &str = include_str!("../../../tests/fixtures/aws/templates/alb-stack.json");

    fn found(first: &str, second: &str) -> Vec<String> {
        let (a, b): (Value, Value) = (
            serde_json::from_str(first).unwrap(),
            serde_json::from_str(second).unwrap(),
        );
        let deploys = [
            deployed("templates/a.json", first, &a),
            deployed("templates/b.json", second, &b),
            deployed("templates/a.json", first, &a),
        ];
        check(&deploys)
            .iter()
            .map(|d| format!("{} {} {}", d.location.short(), d.code, d.message))
            .collect()
    }

    #[test]
    fn the_guides_templates_replace_nothing() {
        assert_eq!(found(STACK, ALB), Vec::<String>::new());
        assert_eq!(found(STACK, STACK), Vec::<String>::new());
    }

    #[test]
    fn a_new_group_description_of_a_named_group_is_refused_at_its_line() {
        let changed = ALB.replace(
            "\"ResponderAPI service: port 8080 from one client address\"",
            "\"ResponderAPI service behind the load balancer\"",
        );
        let line = changed
            .lines()
            .position(|l| l.contains("behind the load balancer"))
            .unwrap()
            + 1;
        assert_eq!(
            found(STACK, &changed),
            [format!(
                "templates/b.json:{line}:29 aws::replacement-refused CloudFormation must replace `responderapi-sg` (`AWS::EC2::SecurityGroup`) to change `GroupDescription`, and cannot replace a custom-named resource"
            )]
        );
    }

    #[test]
    fn an_unnamed_resource_is_replaced_with_a_warning_and_a_rename_is_allowed() {
        let unnamed = STACK.replace("\"GroupName\": \"responderapi-sg\",", "");
        let described = unnamed.replace("one client address\"", "one client address only\"");
        assert_eq!(
            found(&unnamed, &described)
                .iter()
                .map(|f| f.split_once(' ').unwrap().1)
                .collect::<Vec<_>>(),
            [
                "aws::replacement CloudFormation replaces `SecurityGroup` (`AWS::EC2::SecurityGroup`) to change `GroupDescription`: a new security group with a new ID: network interfaces and rules outside the stack that name the old group keep naming it"
            ]
        );
        let new_name = STACK.replace("\"responderapi-sg\"", "\"responderapi-sg-2\"");
        let messages = found(STACK, &new_name);
        assert_eq!(messages.len(), 1, "{messages:?}");
        assert!(
            messages[0].contains("aws::replacement CloudFormation replaces `SecurityGroup`"),
            "{messages:?}"
        );
    }

    #[test]
    fn every_vendored_type_has_at_most_one_name_or_an_exception() {
        for kind in models::resource_schemas().resources.keys() {
            let names = names_in_schema(kind);
            assert!(
                names.len() <= 1 || models::replacement().name.contains_key(kind),
                "{kind}: {names:?}"
            );
        }
        assert_eq!(
            name_property("AWS::EC2::SecurityGroup").as_deref(),
            Some("GroupName")
        );
        assert_eq!(
            name_property("AWS::ECS::Service").as_deref(),
            Some("ServiceName")
        );
        assert_eq!(name_property("AWS::ECS::TaskDefinition"), None);
        assert_eq!(name_property("AWS::IAM::Role").as_deref(), Some("RoleName"));
    }
}
