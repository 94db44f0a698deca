//! CloudFormation templates against the resource provider schemas, with the
//! `jsonschema` crate: unknown properties (with a did-you-mean), types,
//! enums, required properties. An intrinsic function stands for a value
//! the stack computes: it is accepted where a value of its kind can result
//! (`Fn::Join` gives a string, `Fn::Split` a list, `Fn::If` either branch,
//! checked one branch at a time), and references must name something the
//! template defines.

use super::models;
use super::shapes::{Memo, Place, choice_hint, escape, memo, suggest};
use crate::checks::rule::Model;
use crate::diagnostics::{Code, Diagnostics, Problem};
use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{Draft, JsonType, Validator};
use serde_json::{Map, Value};
use std::collections::BTreeSet;
use std::sync::{Arc, OnceLock};

crate::checks::rule::rule! {
    check: check_book;
    AWS_CFN_ENUM = "aws::cfn-enum", error: "a template property value that its resource schema does not allow";
    AWS_CFN_REQUIRED = "aws::cfn-required", error: "a template resource without a property its schema requires";
    AWS_CFN_SCHEMA = "aws::cfn-schema", error: "a template property that breaks another rule of its resource schema";
    AWS_CFN_TYPE = "aws::cfn-type", error: "a template property, or the intrinsic function giving it, of the wrong kind of value";
    AWS_CFN_UNKNOWN_PROPERTY = "aws::cfn-unknown-property", error: "a template property its resource schema does not have (usually a misspelling)";
    AWS_CFN_UNKNOWN_REF = "aws::cfn-unknown-ref", error: "a `Ref` or `Fn::GetAtt` to no parameter or resource of the template";
    AWS_CFN_UNKNOWN_TYPE = "aws::cfn-unknown-type", error: "a resource type CloudFormation does not have";
}

/// The codes of the schema check's own findings.
pub(crate) const CODES: &[Code] = &[
    AWS_CFN_ENUM,
    AWS_CFN_REQUIRED,
    AWS_CFN_SCHEMA,
    AWS_CFN_TYPE,
    AWS_CFN_UNKNOWN_PROPERTY,
    AWS_CFN_UNKNOWN_REF,
    AWS_CFN_UNKNOWN_TYPE,
];

/// What the templates' resource schemas refuse.
fn check_book(model: &Model<'_, '_>, out: &mut Diagnostics) -> anyhow::Result<()> {
    let found = model.shared::<super::Schemas>();
    out.extend(
        found
            .problems
            .iter()
            .filter(|d| CODES.contains(&d.code))
            .cloned(),
    );
    Ok(())
}

const PSEUDO_PARAMETERS: &[&str] = &[
    "AWS::AccountId",
    "AWS::NotificationARNs",
    "AWS::NoValue",
    "AWS::Partition",
    "AWS::Region",
    "AWS::StackId",
    "AWS::StackName",
    "AWS::URLSuffix",
];

/// What an intrinsic function gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gives {
    String,
    List,
    /// Depends on its arguments or the attribute (`Fn::Select`, `Fn::GetAtt`, …).
    Any,
}

/// Checks every resource of `template` whose type has a vendored schema,
/// placing each problem with `place`; each comes with the logical ID of the
/// resource it is about (the run-path checks leave such resources out).
pub(crate) fn check(template: &Value, place: &dyn Place) -> Vec<(String, Problem)> {
    let mut out = Vec::new();
    let Some(resources) = template.get("Resources").and_then(Value::as_object) else {
        return out;
    };
    let parameters = template
        .get("Parameters")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    for (id, resource) in resources {
        let mut found = Vec::new();
        resource_problems(resource, id, resources, &parameters, place, &mut found);
        out.extend(found.into_iter().map(|problem| (id.clone(), problem)));
    }
    out
}

/// The problems of the resource `id`.
fn resource_problems(
    resource: &Value,
    id: &str,
    resources: &Map<String, Value>,
    parameters: &Map<String, Value>,
    place: &dyn Place,
    out: &mut Vec<Problem>,
) {
    let schemas = &models::resource_schemas().resources;
    let base = format!("/Resources/{}", escape(id));
    references(resource, &base, resources, parameters, place, out);
    let Some(kind) = resource.get("Type").and_then(Value::as_str) else {
        return;
    };
    let Some(schema) = schemas.get(kind) else {
        // Only some types of a service are vendored, so a type missing
        // here may well exist: it is a misspelling only when a vendored
        // type is two edits away (`AWS::ECS::Clustr`).
        let lower = kind.to_ascii_lowercase();
        let misspelt = schemas
            .keys()
            .any(|k| strsim::levenshtein(&lower, &k.to_ascii_lowercase()) <= 2);
        if misspelt {
            out.push(
                place
                    .raise(
                        &format!("{base}/Type"),
                        AWS_CFN_UNKNOWN_TYPE,
                        format!("`{kind}` is not a CloudFormation resource type"),
                    )
                    .with_hint(
                        suggest(kind, schemas.keys().map(String::as_str)).map_or_else(
                            || "see the CloudFormation resource type reference".to_string(),
                            |s| format!("did you mean `{s}`?"),
                        ),
                    ),
            );
        } else {
            // A real type whose schema is not vendored: say it goes unjudged.
            out.push(
                place
                    .raise(
                        &format!("{base}/Type"),
                        crate::checks::aws::AWS_UNJUDGED,
                        format!(
                            "`{kind}` has no vendored resource schema: its properties, its replacements and the permissions its handlers need are not judged"
                        ),
                    )
                    .with_hint(
                    "add the type to CFN_TYPES in preprocessors/data/aws/regenerate.py and run it; if it is misspelt, see the CloudFormation resource type reference",
                ),
            );
        }
        return;
    };
    let compiled = compiled(kind, schema);
    let Some(validator) = compiled.as_ref() else {
        return;
    };
    let properties = resource
        .get("Properties")
        .cloned()
        .unwrap_or_else(|| Value::Object(Map::new()));
    let base = format!("{base}/Properties");
    // Both branches of an `Fn::If` break what lies outside it alike:
    // one report per place and message.
    let mut seen = BTreeSet::new();
    for branch in [0, 1] {
        let variant = choose(&properties, branch);
        for error in validator.iter_errors(&variant) {
            let pointer = error.instance_path().as_str().to_string();
            let problems = explain(
                &error, &pointer, &variant, kind, schema, parameters, &base, place,
            );
            for problem in problems {
                if seen.insert((
                    problem.range.start,
                    problem.range.end,
                    problem.message.clone(),
                )) {
                    out.push(problem);
                }
            }
        }
    }
}

/// The validator of a resource type's schema (both templates, and every
/// resource of a type, share it).
fn compiled(kind: &str, schema: &Value) -> Arc<Option<Validator>> {
    static COMPILED: Memo<Option<Validator>> = OnceLock::new();
    memo(&COMPILED, kind, || compile(schema))
}

fn compile(schema: &Value) -> Option<Validator> {
    let build = |s: &Value| jsonschema::options().with_draft(Draft::Draft7).build(s);
    // A pattern the regex engine cannot compile is dropped, not guessed at.
    build(schema)
        .ok()
        .or_else(|| build(&without_patterns(schema)).ok())
}

fn without_patterns(schema: &Value) -> Value {
    match schema {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, v)| !(k.as_str() == "pattern" && v.is_string()))
                .map(|(k, v)| (k.clone(), without_patterns(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_patterns).collect()),
        other => other.clone(),
    }
}

/// The intrinsic function `value` is, if it is one.
fn intrinsic(value: &Value) -> Option<(&str, &Value)> {
    let map = value.as_object()?;
    if map.len() != 1 {
        return None;
    }
    let (name, arg) = map.iter().next()?;
    (name == "Ref" || name.starts_with("Fn::") || name == "Condition")
        .then_some((name.as_str(), arg))
}

/// `value` with every `Fn::If` replaced by one of its branches, and
/// `Ref: AWS::NoValue` members and items removed.
fn choose(value: &Value, branch: usize) -> Value {
    match value {
        Value::Object(map) => {
            if let Some(("Fn::If", Value::Array(args))) = intrinsic(value)
                && let Some(chosen) = args.get(branch + 1)
            {
                return choose(chosen, branch);
            }
            Value::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), choose(v, branch)))
                    .filter(|(_, v)| !is_no_value(v))
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|v| choose(v, branch))
                .filter(|v| !is_no_value(v))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn is_no_value(value: &Value) -> bool {
    matches!(intrinsic(value), Some(("Ref", Value::String(name))) if name == "AWS::NoValue")
}

fn gives(name: &str, arg: &Value, parameters: &Map<String, Value>) -> Gives {
    match name {
        "Fn::Join" | "Fn::Sub" | "Fn::Base64" => Gives::String,
        "Fn::Split" | "Fn::GetAZs" | "Fn::Cidr" => Gives::List,
        "Ref" => {
            let target = arg.as_str().unwrap_or_default();
            let kind = parameters
                .get(target)
                .and_then(|p| p.get("Type"))
                .and_then(Value::as_str);
            match kind {
                Some(k)
                    if k.starts_with("List<")
                        || k == "CommaDelimitedList"
                        || k.contains("::List<") =>
                {
                    Gives::List
                }
                _ if target == "AWS::NotificationARNs" => Gives::List,
                _ => Gives::String,
            }
        }
        _ => Gives::Any,
    }
}

/// The nearest intrinsic function at or above `pointer` in `value`, as
/// (its pointer, name, argument).
fn enclosing_intrinsic<'a>(
    value: &'a Value,
    pointer: &str,
) -> Option<(String, &'a str, &'a Value)> {
    let mut node = value;
    let mut at = String::new();
    let mut found = intrinsic(node).map(|(n, a)| (at.clone(), n, a));
    for segment in pointer.split('/').skip(1) {
        if found.is_some() {
            break;
        }
        let key = segment.replace("~1", "/").replace("~0", "~");
        node = match node {
            Value::Object(map) => map.get(&key)?,
            Value::Array(items) => items.get(key.parse::<usize>().ok()?)?,
            _ => return None,
        };
        at.push('/');
        at.push_str(segment);
        found = intrinsic(node).map(|(n, a)| (at.clone(), n, a));
    }
    found
}

#[allow(clippy::too_many_arguments)]
fn explain(
    error: &jsonschema::ValidationError<'_>,
    pointer: &str,
    variant: &Value,
    kind: &str,
    schema: &Value,
    parameters: &Map<String, Value>,
    base: &str,
    place: &dyn Place,
) -> Vec<Problem> {
    let at = |p: &str| format!("{base}{p}");
    if let Some((fn_at, name, arg)) = enclosing_intrinsic(variant, pointer) {
        // Inside a function's arguments, or a keyword the value of which the
        // stack decides: only the kind of value the function gives is known.
        if fn_at != pointer {
            return Vec::new();
        }
        let ValidationErrorKind::Type { kind } = error.kind() else {
            return Vec::new();
        };
        let expected = types(kind);
        let gives = gives(name, arg, parameters);
        let fits = match gives {
            Gives::Any => true,
            Gives::String => expected.iter().any(|t| {
                matches!(
                    t,
                    JsonType::String | JsonType::Integer | JsonType::Number | JsonType::Boolean
                )
            }),
            Gives::List => expected.contains(&JsonType::Array),
        };
        if fits {
            return Vec::new();
        }
        let what = if gives == Gives::List {
            "a list"
        } else {
            "a string"
        };
        return vec![
            place
                .raise(
                    &at(pointer),
                    AWS_CFN_TYPE,
                    format!(
                        "`{name}` gives {what}, but `{}` must be {}",
                        last(pointer),
                        names(&expected)
                    ),
                )
                .with_hint("use a function that gives the property's kind of value"),
        ];
    }
    let owner = |p: &str| {
        if p.is_empty() {
            kind.to_string()
        } else {
            owner(p)
        }
    };
    match error.kind() {
        ValidationErrorKind::AdditionalProperties { unexpected } => unexpected
            .iter()
            .map(|key| {
                let allowed = allowed_properties(schema, error.schema_path().as_str());
                let problem = place.raise_at_key(
                    &at(&format!("{pointer}/{}", escape(key))),
                    AWS_CFN_UNKNOWN_PROPERTY,
                    format!("`{key}` is not a property of `{}`", owner(pointer)),
                );
                if allowed.is_empty() {
                    problem
                } else {
                    problem.with_hint(choice_hint(key, &allowed, "allowed here:"))
                }
            })
            .collect(),
        ValidationErrorKind::Required { property } => {
            let name = property.as_str().unwrap_or_default();
            vec![
                place
                    .raise(
                        &at(pointer),
                        AWS_CFN_REQUIRED,
                        format!("`{}` needs the property `{name}`", owner(pointer)),
                    )
                    .with_hint("the resource provider schema requires it"),
            ]
        }
        ValidationErrorKind::Enum { options } => {
            // Numbers too (`RetentionInDays` takes 1, 3, 5, …): shown as written.
            let shown = |v: &Value| v.as_str().map_or_else(|| v.to_string(), str::to_string);
            let values: Vec<String> = options
                .as_array()
                .into_iter()
                .flatten()
                .map(shown)
                .collect();
            let found = shown(error.instance().as_ref());
            // A near spelling helps with words; a near number is no likelier.
            let near = error
                .instance()
                .is_string()
                .then_some(())
                .and_then(|()| suggest(&found, values.iter().map(String::as_str)));
            let hint = near
                .map(|s| format!("did you mean `{s}`?"))
                .unwrap_or_else(|| {
                    format!(
                        "one of {}",
                        values
                            .iter()
                            .map(|v| format!("`{v}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                });
            vec![
                place
                    .raise(
                        &at(pointer),
                        AWS_CFN_ENUM,
                        format!("`{found}` is not an allowed value of `{}`", last(pointer)),
                    )
                    .with_hint(hint),
            ]
        }
        // CloudFormation hands every scalar to the handler as text and
        // converts it (`"Cpu": 512`, `"DesiredCount": "1"`), as cfn-lint
        // accepts by default.
        ValidationErrorKind::Type { kind } if converts(error.instance().as_ref(), &types(kind)) => {
            Vec::new()
        }
        ValidationErrorKind::Type { kind } => vec![place.raise(
            &at(pointer),
            AWS_CFN_TYPE,
            format!("`{}` must be {}", last(pointer), names(&types(kind))),
        )],
        _ => vec![place.raise(
            &at(pointer),
            AWS_CFN_SCHEMA,
            format!("`{}`: {error}", last(pointer)),
        )],
    }
}

/// Whether CloudFormation turns the scalar `value` into one of `types`.
fn converts(value: &Value, types: &[JsonType]) -> bool {
    types.iter().any(|t| match (t, value) {
        (JsonType::String, Value::Number(_) | Value::Bool(_)) => true,
        (JsonType::Integer, Value::String(s)) => s.trim().parse::<i64>().is_ok(),
        (JsonType::Number, Value::String(s)) => s.trim().parse::<f64>().is_ok(),
        (JsonType::Boolean, Value::String(s)) => {
            matches!(s.to_ascii_lowercase().as_str(), "true" | "false")
        }
        _ => false,
    })
}

fn types(kind: &TypeKind) -> Vec<JsonType> {
    match kind {
        TypeKind::Single(t) => vec![*t],
        TypeKind::Multiple(set) => set.iter().collect(),
    }
}

fn names(types: &[JsonType]) -> String {
    types
        .iter()
        .map(|t| t.as_str())
        .collect::<Vec<_>>()
        .join(" or ")
}

/// The property names the schema object at `schema_path` (ending in
/// `/additionalProperties`) allows.
fn allowed_properties(schema: &Value, schema_path: &str) -> Vec<String> {
    let object_path = schema_path
        .strip_suffix("/additionalProperties")
        .unwrap_or(schema_path);
    let mut node = schema;
    for segment in object_path.split('/').skip(1) {
        let key = segment.replace("~1", "/").replace("~0", "~");
        if key == "$ref" {
            node = follow(schema, node);
            continue;
        }
        node = match node {
            Value::Object(map) => match map.get(&key) {
                Some(next) => next,
                None => return Vec::new(),
            },
            Value::Array(items) => match key.parse::<usize>().ok().and_then(|i| items.get(i)) {
                Some(next) => next,
                None => return Vec::new(),
            },
            _ => return Vec::new(),
        };
    }
    follow(schema, node)
        .get("properties")
        .and_then(Value::as_object)
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default()
}

/// The schema `node` refers to with `$ref`, or `node` itself.
fn follow<'a>(schema: &'a Value, node: &'a Value) -> &'a Value {
    node.get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix('#'))
        .and_then(|p| schema.pointer(p))
        .unwrap_or(node)
}

/// Every `Ref` and `Fn::GetAtt` under `value` names a parameter, pseudo
/// parameter or resource of the template.
fn references(
    value: &Value,
    pointer: &str,
    resources: &Map<String, Value>,
    parameters: &Map<String, Value>,
    place: &dyn Place,
    out: &mut Vec<Problem>,
) {
    match value {
        Value::Object(map) => {
            match intrinsic(value) {
                Some(("Ref", Value::String(target)))
                    if !(resources.contains_key(target)
                        || parameters.contains_key(target)
                        || PSEUDO_PARAMETERS.contains(&target.as_str())) =>
                {
                    let names = resources
                        .keys()
                        .chain(parameters.keys())
                        .map(String::as_str)
                        .chain(PSEUDO_PARAMETERS.iter().copied());
                    out.push(unknown_reference(
                        &format!("{pointer}/Ref"),
                        target,
                        names,
                        place,
                    ));
                }
                Some(("Fn::GetAtt", arg)) => {
                    let target = match arg {
                        Value::Array(items) => items.first().and_then(Value::as_str),
                        Value::String(s) => s.split('.').next(),
                        _ => None,
                    };
                    if let Some(target) = target.filter(|t| !resources.contains_key(*t)) {
                        out.push(unknown_reference(
                            &format!("{pointer}/Fn::GetAtt"),
                            target,
                            resources.keys().map(String::as_str),
                            place,
                        ));
                    }
                }
                _ => {}
            }
            for (key, child) in map {
                references(
                    child,
                    &format!("{pointer}/{}", escape(key)),
                    resources,
                    parameters,
                    place,
                    out,
                );
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                references(
                    item,
                    &format!("{pointer}/{i}"),
                    resources,
                    parameters,
                    place,
                    out,
                );
            }
        }
        _ => {}
    }
}

fn unknown_reference<'a>(
    pointer: &str,
    target: &str,
    names: impl Iterator<Item = &'a str>,
    place: &dyn Place,
) -> Problem {
    let problem = place.raise(
        pointer,
        AWS_CFN_UNKNOWN_REF,
        format!("`{target}` is not a parameter or resource of this template"),
    );
    match suggest(target, names) {
        Some(close) => problem.with_hint(format!("did you mean `{close}`?")),
        None => problem.with_hint("add the parameter or resource, or fix the name"),
    }
}

fn last(pointer: &str) -> String {
    pointer
        .rsplit('/')
        .next()
        .filter(|s| !s.is_empty())
        .unwrap_or("Properties")
        .replace("~1", "/")
        .replace("~0", "~")
}

/// The object a property belongs to (the last non-index segment).
fn owner(pointer: &str) -> String {
    pointer
        .rsplit('/')
        .find(|s| !s.is_empty() && s.parse::<usize>().is_err())
        .unwrap_or("Properties")
        .replace("~1", "/")
        .replace("~0", "~")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::aws::shapes::Pointers;

    fn stack() -> Value {
        serde_json::from_str(include_str!(
            "../../../../tests/fixtures/guide-files/templates/responderapi-stack.json"
        ))
        .unwrap()
    }

    fn found(template: &Value) -> Vec<String> {
        let place = Pointers::default();
        check(template, &place)
            .iter()
            .map(|(_, p)| place.line(p))
            .collect()
    }

    #[test]
    fn the_guides_stack_passes() {
        assert_eq!(found(&stack()), Vec::<String>::new());
    }

    #[test]
    fn a_misspelt_property_and_a_wrong_enum() {
        let mut s = stack();
        let td = &mut s["Resources"]["TaskDefinition"]["Properties"];
        let cpu = td.as_object_mut().unwrap().remove("Cpu").unwrap();
        td["Cpus"] = cpu;
        s["Resources"]["Service"]["Properties"]["LaunchType"] = Value::from("FARGATES");
        let hc = &mut s["Resources"]["TaskDefinition"]["Properties"]["ContainerDefinitions"][0]["HealthCheck"];
        let command = hc.as_object_mut().unwrap().remove("Command").unwrap();
        hc["Comand"] = command;
        assert_eq!(
            found(&s),
            [
                "/Resources/TaskDefinition/Properties/ContainerDefinitions/0/HealthCheck/Comand aws::cfn-unknown-property `Comand` is not a property of `HealthCheck` | did you mean `Command`?",
                "/Resources/TaskDefinition/Properties/Cpus aws::cfn-unknown-property `Cpus` is not a property of `AWS::ECS::TaskDefinition` | did you mean `Cpu`?",
                "/Resources/Service/Properties/LaunchType aws::cfn-enum `FARGATES` is not an allowed value of `LaunchType` | did you mean `FARGATE`?",
            ]
        );
    }

    #[test]
    fn intrinsics_of_the_right_kind_pass_and_of_the_wrong_kind_fail() {
        let mut s = stack();
        let sg = &mut s["Resources"]["SecurityGroup"]["Properties"];
        sg["GroupDescription"] =
            serde_json::json!({"Fn::Join": ["", ["a", {"Ref": "AWS::StackName"}]]});
        sg["SecurityGroupIngress"] = serde_json::json!({"Fn::If": ["C", [{"IpProtocol": "tcp", "CidrIp": "0.0.0.0/0"}], {"Ref": "AWS::NoValue"}]});
        assert_eq!(found(&s), Vec::<String>::new());
        s["Resources"]["SecurityGroup"]["Properties"]["SecurityGroupIngress"] =
            serde_json::json!({"Fn::Join": ["", []]});
        s["Resources"]["Cluster"]["Properties"]["ClusterName"] =
            serde_json::json!({"Ref": "ClusterNmae"});
        assert_eq!(
            found(&s),
            [
                "/Resources/Cluster/Properties/ClusterName/Ref aws::cfn-unknown-ref `ClusterNmae` is not a parameter or resource of this template | did you mean `Cluster`?",
                "/Resources/SecurityGroup/Properties/SecurityGroupIngress aws::cfn-type `Fn::Join` gives a string, but `SecurityGroupIngress` must be array | use a function that gives the property's kind of value",
            ]
        );
    }

    #[test]
    fn a_number_outside_a_numeric_enum_is_shown_with_the_allowed_numbers() {
        let mut s = stack();
        s["Resources"]["LogGroup"]["Properties"]["RetentionInDays"] = Value::from(4);
        let [line] = &found(&s)[..] else {
            panic!("one problem: {:?}", found(&s))
        };
        assert!(
            line.starts_with(
                "/Resources/LogGroup/Properties/RetentionInDays aws::cfn-enum `4` is not an allowed value of `RetentionInDays` | "
            ),
            "{line}"
        );
        assert!(line.contains("| one of `1`, `3`, `5`, "), "{line}");
    }
}
