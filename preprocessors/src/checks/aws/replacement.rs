//! Deploys over a stack, against what CloudFormation does on that update:
//! a change to a create-only property (another template's value, or a
//! parameter given another value) replaces the resource, and a resource
//! with a custom name cannot be replaced (the new one would need the name
//! the old one still holds), so CloudFormation refuses the update
//! (`aws::replacement-refused`). A replacement CloudFormation makes loses
//! what the old resource held, said per resource type in
//! `replacement.toml` (`aws::replacement`, a warning). The updates are the
//! ones the ways through the guide make, in their order (`stacks`).

use super::models;
use super::shapes::escape;
use super::stack_diff::{self, Cause, Change};
use crate::checks::rule::Model;
use crate::diagnostics::location::Location;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::json::Index;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

crate::checks::rule::rule! {
    check: check_book;
    AWS_REPLACEMENT = "aws::replacement", warning: "a deploy over a stack changes a create-only property (by another template or another parameter value): CloudFormation replaces the resource, which gets a new identity (a warning)";
    AWS_REPLACEMENT_REFUSED = "aws::replacement-refused", error: "a deploy over a stack changes a create-only property of a custom-named resource (by another template or another parameter value), which CloudFormation must replace and refuses to";
}

/// The replacements CloudFormation makes, or refuses, as the paths redeploy a stack.
fn check_book(model: &Model<'_, '_>, out: &mut Diagnostics) -> anyhow::Result<()> {
    let paths = model.shared::<super::PathChecks>();
    out.extend(
        paths
            .events
            .iter()
            .filter(|d| d.code == AWS_REPLACEMENT || d.code == AWS_REPLACEMENT_REFUSED)
            .cloned(),
    );
    Ok(())
}

/// A template deployed to a stack, and the command that did it.
pub(crate) struct Deployed<'a> {
    pub stack: &'a str,
    pub rel: &'a str,
    pub text: &'a str,
    pub value: &'a Value,
    /// The command's template (or, keeping the stack's, the command).
    pub at: Location,
    /// Where the command gives each parameter's value.
    pub parameter_at: BTreeMap<String, Location>,
    /// The parameters' values on the stack after it.
    pub values: BTreeMap<String, String>,
}

/// One deploy over another: the parameters whose values change between
/// them, and the values both share.
pub(crate) struct Redeploy<'a> {
    pub first: Deployed<'a>,
    pub second: Deployed<'a>,
    pub changed: BTreeSet<String>,
    pub shared: BTreeMap<String, String>,
}

/// The property that names a resource of `kind`, if it has one: the data's
/// exception, else the create-only property that is the primary identifier
/// or whose name ends in `Name`.
pub(crate) fn name_property(kind: &str) -> Option<String> {
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

/// Checks every deploy over a stack; a cause is reported once, at the
/// first deploy that meets it (going back over the same change is the
/// same cause).
pub(crate) fn check(redeploys: &[Redeploy<'_>]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for r in redeploys {
        let resolve = |d: &Deployed<'_>| {
            let known = stack_diff::known_values(d.value, d.stack, &r.shared);
            stack_diff::resolved(d.value, &known)
        };
        let templates = (&resolve(&r.first), &resolve(&r.second));
        let mut found = Vec::new();
        pair((&r.first, &r.second), templates, &r.changed, &mut found);
        for (key, d) in found {
            if seen.insert((r.second.stack, key)) {
                out.push(d);
            }
        }
    }
    // Two deploys may change the same property the same way.
    let mut seen = BTreeSet::new();
    out.retain(|d| seen.insert((d.location.short(), d.message.clone())));
    out
}

/// The problems of one deploy over another, each with what makes it the
/// same cause elsewhere (the resource, the property and what it takes).
fn pair(
    (first, second): (&Deployed<'_>, &Deployed<'_>),
    (old_template, new_template): (&Value, &Value),
    parameters: &BTreeSet<String>,
    out: &mut Vec<(String, Diagnostic)>,
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
            // A parameter the second command gives another value is
            // changed there; a template's value, in the template.
            let at = cause
                .via
                .as_ref()
                .filter(|v| parameters.contains(*v))
                .and_then(|v| second.parameter_at.get(v))
                .cloned()
                .unwrap_or_else(|| locate(second, &pointer, id));
            let d = if keeps_name {
                let name = name.as_deref().unwrap_or_default();
                Diagnostic::raise(
                    AWS_REPLACEMENT_REFUSED,
                    at.clone(),
                    format!(
                        "CloudFormation must replace `{shown}` (`{kind}`) to {what}, and cannot replace a custom-named resource"
                    ),
                )
                .with_hint(format!(
                    "`{}` is a create-only property of `{kind}`: changing it replaces the resource, and a resource named by `{name}` cannot be replaced while the old one holds the name, so {} fails; {}, or drop the custom name",
                    cause.property, deploying(first, second), same_value(first, second, cause, parameters)
                ))
            } else {
                Diagnostic::raise(
                    AWS_REPLACEMENT,
                    at.clone(),
                    format!("CloudFormation replaces `{shown}` (`{kind}`) to {what}: {loss}"),
                )
                .with_hint(format!(
                    "`{}` is a create-only property of `{kind}`: {} replaces the resource; {} if that is not meant",
                    cause.property, deploying(first, second), same_value(first, second, cause, parameters)
                ))
            };
            let d = if at == locate(second, &pointer, id) {
                d
            } else {
                d.with_related(
                    locate(second, &pointer, id),
                    format!("the value in `{}`", second.rel),
                )
            };
            // Going back over the same change is the same cause: the key
            // holds the two values, in either order.
            let mut values = match cause.via.as_ref().filter(|v| parameters.contains(*v)) {
                Some(via) => [first.values.get(via), second.values.get(via)]
                    .map(|v| v.cloned().unwrap_or_default()),
                None => [o, n].map(|r| {
                    let at = stack_diff::at_path(stack_diff::properties(r), &cause.property);
                    serde_json::to_string(&at).unwrap_or_default()
                }),
            };
            values.sort();
            let key = format!("{id}/{}/{:?}/{values:?}", cause.property, cause.via);
            // The same template twice has one value to show.
            let d = if first.rel == second.rel {
                d
            } else {
                d.with_related(
                    locate(first, &pointer, id),
                    format!("the value in `{}`", first.rel),
                )
            };
            out.push((
                key,
                d.with_related(first.at.clone(), format!("`{}` deployed here", first.rel))
                    .with_related(second.at.clone(), format!("`{}` deployed here", second.rel)),
            ));
        }
    }
}

/// What the second deploy does, for a hint.
fn deploying(first: &Deployed<'_>, second: &Deployed<'_>) -> String {
    if first.rel == second.rel {
        format!(
            "deploying `{}` again to the stack `{}` with other parameter values",
            second.rel, second.stack
        )
    } else {
        format!(
            "deploying `{}` over `{}` to the stack `{}`",
            second.rel, first.rel, second.stack
        )
    }
}

/// How to keep the value, for a hint.
fn same_value(
    first: &Deployed<'_>,
    second: &Deployed<'_>,
    cause: &Cause,
    parameters: &BTreeSet<String>,
) -> String {
    match &cause.via {
        Some(via)
            if parameters.contains(via)
                && (first.rel == second.rel || second.parameter_at.contains_key(via)) =>
        {
            format!("keep the parameter `{via}`'s value")
        }
        _ => "give both templates the same value".into(),
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
            stack: "responderapi",
            rel,
            text,
            value,
            at: Location::file("src/x.md"),
            parameter_at: BTreeMap::new(),
            values: BTreeMap::new(),
        }
    }

    fn redeploy<'a>(first: Deployed<'a>, second: Deployed<'a>) -> Redeploy<'a> {
        Redeploy {
            first,
            second,
            changed: BTreeSet::new(),
            shared: BTreeMap::new(),
        }
    }

    // Copies of the guide's templates as fixtures: editing the guide must
    // not break the library's tests.
    const STACK: &str = include_str!("../../../../tests/fixtures/aws/templates/stack.json");
    const ALB: &str = include_str!("../../../../tests/fixtures/aws/templates/alb-stack.json");

    fn found(first: &str, second: &str) -> Vec<String> {
        let (a, b): (Value, Value) = (
            serde_json::from_str(first).unwrap(),
            serde_json::from_str(second).unwrap(),
        );
        // There and back: the way back is the same cause, reported once.
        let redeploys = [
            redeploy(
                deployed("templates/a.json", first, &a),
                deployed("templates/b.json", second, &b),
            ),
            redeploy(
                deployed("templates/b.json", second, &b),
                deployed("templates/a.json", first, &a),
            ),
        ];
        check(&redeploys)
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
