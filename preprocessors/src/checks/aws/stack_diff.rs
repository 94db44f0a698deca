//! What CloudFormation does to each resource when one template replaces
//! another in a stack: nothing, an update, or a replacement (a create-only
//! property changes, or refers to a resource that is itself replaced). The
//! create-only properties come from the resources' registry schemas.
//! What resolves to text is compared as text (the stack's name, a parameter
//! that keeps one value, a `Join`, a `Sub`, an `Fn::If` with equal branches);
//! other intrinsic functions as written: a `Ref` to the same parameter is
//! the same value.

use super::models;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Why a resource is replaced: the create-only property that changes, and
/// the replaced resource it refers to when that is the cause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Cause {
    /// The property's path below `Properties` (`GroupDescription`).
    pub property: String,
    pub via: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Change {
    Same,
    /// The top-level properties that change (or may, through a parameter).
    Updated(Vec<String>),
    Replaced(Vec<Cause>),
}

/// A resource's create-only properties, as paths below `Properties`.
pub(crate) fn create_only(kind: &str) -> Vec<String> {
    schema_paths(kind, "createOnlyProperties")
}

/// A list of property pointers of a resource's schema (`createOnlyProperties`,
/// `primaryIdentifier`), as paths below `Properties`.
pub(crate) fn schema_paths(kind: &str, key: &str) -> Vec<String> {
    models::resource_schemas()
        .resources
        .get(kind)
        .and_then(|s| s.get(key))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .filter_map(|p| p.strip_prefix("/properties/"))
        .map(str::to_string)
        .collect()
}

/// The values at `path` (segments split by `/`, `*` for every item of a list)
/// below `value`.
pub(crate) fn at_path<'a>(value: &'a Value, path: &str) -> Vec<&'a Value> {
    let mut found = vec![value];
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        found = found
            .into_iter()
            .flat_map(|v| -> Vec<&Value> {
                match (segment, v) {
                    ("*", Value::Array(items)) => items.iter().collect(),
                    (_, Value::Object(map)) => map.get(segment).into_iter().collect(),
                    (_, Value::Array(items)) => segment
                        .parse::<usize>()
                        .ok()
                        .and_then(|i| items.get(i))
                        .into_iter()
                        .collect(),
                    _ => Vec::new(),
                }
            })
            .collect();
    }
    found
}

/// Whether two template values are the same to CloudFormation: scalars by
/// their text (`8080` and `"8080"` alike), everything else structurally.
pub(crate) fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(v, w)| same(v, w))
        }
        (Value::Object(_) | Value::Array(_), _) | (_, Value::Object(_) | Value::Array(_)) => false,
        _ => scalar(a) == scalar(b),
    }
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn same_at(old: &Value, new: &Value, path: &str) -> bool {
    let (a, b) = (at_path(old, path), at_path(new, path));
    a.len() == b.len() && a.iter().zip(&b).all(|(x, y)| same(x, y))
}

/// `template` as deployed to the stack `stack`: see [`resolved`], with the
/// stack's name the only value known.
pub(crate) fn with_stack_name(template: &Value, stack: &str) -> Value {
    let known = BTreeMap::from([(STACK_NAME.to_string(), stack.to_string())]);
    resolved(template, &known)
}

const STACK_NAME: &str = "AWS::StackName";

/// `template` with what resolves to text, given the values of `known`
/// (`AWS::StackName`, the parameters that keep one value along the deploys):
/// a `Ref` to one of them, an `Fn::Sub` whose variables are all known, an
/// `Fn::Join` of texts and an `Fn::If` whose branches are the same. So
/// `"${AWS::StackName}-cluster"`, a `Join` of the same parts or a parameter
/// defaulting to the text in one template, and `"responderapi-cluster"` in
/// the other, are the same value.
pub(crate) fn resolved(template: &Value, known: &BTreeMap<String, String>) -> Value {
    match template {
        Value::Object(map) => {
            let map: serde_json::Map<String, Value> = map
                .iter()
                .map(|(k, v)| (k.clone(), resolved(v, known)))
                .collect();
            function_value(&map, known).unwrap_or(Value::Object(map))
        }
        Value::Array(items) => Value::Array(items.iter().map(|v| resolved(v, known)).collect()),
        other => other.clone(),
    }
}

/// The text an intrinsic function (its arguments resolved) comes to, if
/// it can be told.
fn function_value(
    map: &serde_json::Map<String, Value>,
    known: &BTreeMap<String, String>,
) -> Option<Value> {
    let (name, argument) = map.iter().next().filter(|_| map.len() == 1)?;
    match (name.as_str(), argument) {
        ("Ref", Value::String(target)) => known.get(target).cloned().map(Value::String),
        ("Fn::Sub", Value::String(text)) => substitute(text, known, &serde_json::Map::new()),
        ("Fn::Sub", Value::Array(items)) => {
            let text = items.first()?.as_str()?;
            let empty = serde_json::Map::new();
            let vars = items.get(1).and_then(Value::as_object).unwrap_or(&empty);
            substitute(text, known, vars)
        }
        ("Fn::Join", Value::Array(items)) => {
            let separator = items.first()?.as_str()?;
            let parts: Option<Vec<String>> = items
                .get(1)?
                .as_array()?
                .iter()
                .map(|p| match p {
                    Value::String(s) => Some(s.clone()),
                    Value::Number(n) => Some(n.to_string()),
                    _ => None,
                })
                .collect();
            Some(Value::String(parts?.join(separator)))
        }
        ("Fn::If", Value::Array(items)) if items.len() == 3 => {
            same(&items[1], &items[2]).then(|| items[1].clone())
        }
        _ => None,
    }
}

/// `Fn::Sub`'s text with every `${Name}` replaced, if each is known (`vars`
/// first); `${!Literal}` stays as `${Literal}`.
fn substitute(
    text: &str,
    known: &BTreeMap<String, String>,
    vars: &serde_json::Map<String, Value>,
) -> Option<Value> {
    sub_text(text, |name| match vars.get(name) {
        Some(Value::String(v)) => Some(v.clone()),
        Some(_) => None,
        None => known.get(name).cloned(),
    })
    .map(Value::String)
}

/// `Fn::Sub` text with each `${Name}` replaced by `value(Name)`, if every
/// one has a value; `${!Literal}` stays as `${Literal}`.
pub(crate) fn sub_text(
    text: &str,
    mut value: impl FnMut(&str) -> Option<String>,
) -> Option<String> {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find("${") {
        out.push_str(&rest[..i]);
        let inner = &rest[i + 2..];
        let end = inner.find('}')?;
        let name = &inner[..end];
        match name.strip_prefix('!') {
            Some(literal) => out.push_str(&format!("${{{literal}}}")),
            None => out.push_str(&value(name)?),
        }
        rest = &inner[end + 1..];
    }
    out.push_str(rest);
    Some(out)
}

/// The names a value refers to: `Ref` targets, `Fn::GetAtt` resources and
/// the `${Name}` / `${Name.Attribute}` of `Fn::Sub`.
pub(crate) fn refers_to(value: &Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    collect_refs(value, &mut out);
    out
}

fn collect_refs(value: &Value, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            if map.len() == 1 {
                let (k, v) = map.iter().next().expect("one member");
                match (k.as_str(), v) {
                    ("Ref", Value::String(name)) => {
                        out.insert(name.clone());
                    }
                    ("Fn::GetAtt", Value::Array(items)) => {
                        out.extend(items.first().and_then(Value::as_str).map(str::to_string));
                    }
                    ("Fn::GetAtt", Value::String(s)) => {
                        out.extend(s.split('.').next().map(str::to_string));
                    }
                    ("Fn::Sub", sub) => {
                        let text = match sub {
                            Value::Array(items) => items.first().and_then(Value::as_str),
                            other => other.as_str(),
                        };
                        let mut rest = text.unwrap_or_default();
                        while let Some(i) = rest.find("${") {
                            let inner = &rest[i + 2..];
                            let end = inner.find('}').unwrap_or(inner.len());
                            let name = &inner[..end];
                            if !name.starts_with('!') {
                                out.insert(name.split('.').next().unwrap_or(name).to_string());
                            }
                            rest = &inner[end..];
                        }
                    }
                    _ => {}
                }
            }
            for v in map.values() {
                collect_refs(v, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

/// A template's parameters, by name.
pub(crate) fn declared_parameters(template: &Value) -> impl Iterator<Item = (&String, &Value)> {
    template
        .get("Parameters")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
}

/// What [`resolved`] may take as known for `template` deployed to `stack`:
/// the stack's name, and each parameter of a text type whose value is
/// known text (`values`: the ones a deploy over the stack does not change).
/// A list or an SSM parameter's value is not its text, nor is the reader's
/// `"$VPC_ID"`.
pub(crate) fn known_values(
    template: &Value,
    stack: &str,
    values: &BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    let mut known = BTreeMap::from([(STACK_NAME.to_string(), stack.to_string())]);
    for (name, parameter) in declared_parameters(template) {
        let kind = parameter.get("Type").and_then(Value::as_str).unwrap_or("");
        if !matches!(kind, "String" | "Number") {
            continue;
        }
        if let Some(value) = values.get(name).filter(|v| !v.contains(['$', '`'])) {
            known.insert(name.clone(), value.clone());
        }
    }
    known
}

/// The conditions a value's `Fn::If`s choose by.
fn conditions_used(value: &Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        match v {
            Value::Object(map) => {
                if let Some(Value::Array(items)) = map.get("Fn::If")
                    && let Some(name) = items.first().and_then(Value::as_str)
                {
                    out.insert(name.to_string());
                }
                stack.extend(map.values());
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    out
}

fn condition<'a>(template: &'a Value, name: &str) -> Option<&'a Value> {
    template.get("Conditions").and_then(|c| c.get(name))
}

/// Whether two templates define a condition alike, the conditions it uses
/// (`{"Condition": NAME}`) included.
fn conditions_alike(old: &Value, new: &Value, name: &str) -> bool {
    let mut names = vec![name.to_string()];
    let mut seen = BTreeSet::new();
    while let Some(name) = names.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        let (a, b) = (condition(old, &name), condition(new, &name));
        if !a.zip(b).is_some_and(|(a, b)| same(a, b)) && a != b {
            return false;
        }
        names.extend(b.into_iter().flat_map(nested_conditions));
    }
    true
}

/// The `{"Condition": NAME}`s a condition's definition uses.
fn nested_conditions(value: &Value) -> Vec<String> {
    match value {
        Value::Object(map) => map
            .iter()
            .flat_map(|(k, v)| match (k.as_str(), v) {
                ("Condition", Value::String(name)) => vec![name.clone()],
                _ => nested_conditions(v),
            })
            .collect(),
        Value::Array(items) => items.iter().flat_map(nested_conditions).collect(),
        _ => Vec::new(),
    }
}

/// The parameters (and anything else) a condition's definition refers to,
/// through the conditions it uses; `depth` stops a cycle.
fn condition_refers_to(template: &Value, name: &str, depth: usize) -> BTreeSet<String> {
    let Some(definition) = condition(template, name).filter(|_| depth < 16) else {
        return BTreeSet::new();
    };
    let mut out = refers_to(definition);
    for nested in nested_conditions(definition) {
        out.extend(condition_refers_to(template, &nested, depth + 1));
    }
    out
}

/// The template's `Resources`, or none.
pub(crate) fn resources(template: &Value) -> &serde_json::Map<String, Value> {
    static EMPTY: std::sync::OnceLock<serde_json::Map<String, Value>> = std::sync::OnceLock::new();
    template
        .get("Resources")
        .and_then(Value::as_object)
        .unwrap_or_else(|| EMPTY.get_or_init(serde_json::Map::new))
}

pub(crate) fn kind(resource: &Value) -> Option<&str> {
    resource.get("Type").and_then(Value::as_str)
}

pub(crate) fn properties(resource: &Value) -> &Value {
    static EMPTY: Value = Value::Null;
    resource.get("Properties").unwrap_or(&EMPTY)
}

/// What an update from `old` to `new` does to every resource both templates
/// have with the same type. A property that refers to one of `parameters`
/// counts as changing (the deploys give it different values); the other
/// parameters keep their values.
pub(crate) fn compare(
    old: &Value,
    new: &Value,
    parameters: &BTreeSet<String>,
) -> BTreeMap<String, Change> {
    let (old_res, new_res) = (resources(old), resources(new));
    let common: Vec<(&String, &Value, &Value)> = new_res
        .iter()
        .filter_map(|(id, n)| {
            let o = old_res.get(id)?;
            (kind(o).is_some() && kind(o) == kind(n)).then_some((id, o, n))
        })
        .collect();
    let mut replaced: BTreeMap<String, Vec<Cause>> = BTreeMap::new();
    // A replacement changes what refers to the replaced resource, which may
    // replace that too: repeat until nothing more is replaced.
    loop {
        let mut more = false;
        for (id, o, n) in &common {
            if replaced.contains_key(*id) {
                continue;
            }
            let (op, np) = (properties(o), properties(n));
            let mut causes = Vec::new();
            for path in create_only(kind(n).unwrap_or_default()) {
                let values = at_path(np, &path);
                // An `Fn::If` whose condition the templates define otherwise
                // chooses otherwise: the value changes as if written so.
                let chosen_otherwise = values
                    .iter()
                    .flat_map(|v| conditions_used(v))
                    .any(|c| !conditions_alike(old, new, &c));
                if !same_at(op, np, &path) || chosen_otherwise {
                    causes.push(Cause {
                        property: path,
                        via: None,
                    });
                    continue;
                }
                let mut names: BTreeSet<String> =
                    values.iter().flat_map(|v| refers_to(v)).collect();
                for c in values.iter().flat_map(|v| conditions_used(v)) {
                    names.extend(condition_refers_to(new, &c, 0));
                }
                if let Some(via) = names
                    .iter()
                    .find(|r| replaced.contains_key(*r) || parameters.contains(*r))
                {
                    causes.push(Cause {
                        property: path,
                        via: Some(via.clone()),
                    });
                }
            }
            if !causes.is_empty() {
                replaced.insert(id.to_string(), causes);
                more = true;
            }
        }
        if !more {
            break;
        }
    }
    let may_change: BTreeSet<String> = parameters.iter().chain(replaced.keys()).cloned().collect();
    common
        .into_iter()
        .map(|(id, o, n)| {
            if let Some(causes) = replaced.get(id) {
                return (id.clone(), Change::Replaced(causes.clone()));
            }
            let changed = changed(properties(o), properties(n), &may_change);
            let change = if changed.is_empty() {
                Change::Same
            } else {
                Change::Updated(changed)
            };
            (id.clone(), change)
        })
        .collect()
}

/// The top-level properties that change from `old` to `new`: their text
/// does, or they refer to something in `may_change` (a parameter that may
/// take another value, a resource that is replaced).
pub(crate) fn changed(old: &Value, new: &Value, may_change: &BTreeSet<String>) -> Vec<String> {
    let mut keys: BTreeSet<&String> = BTreeSet::new();
    keys.extend(old.as_object().into_iter().flatten().map(|(k, _)| k));
    keys.extend(new.as_object().into_iter().flatten().map(|(k, _)| k));
    keys.into_iter()
        .filter(|k| {
            !same_at(old, new, k)
                || new
                    .get(k.as_str())
                    .is_some_and(|v| refers_to(v).iter().any(|r| may_change.contains(r)))
        })
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sub_text_fills_every_name_keeps_literals_and_gives_up_on_an_unknown() {
        let value = |name: &str| (name == "AWS::StackName").then(|| "prod".to_string());
        assert_eq!(
            sub_text("/ecs/${AWS::StackName}-${!Keep}", value).as_deref(),
            Some("/ecs/prod-${Keep}")
        );
        assert_eq!(sub_text("${Other}", value), None);
        assert_eq!(sub_text("${Unclosed", value), None);
    }
    use serde_json::json;

    fn stack() -> Value {
        serde_json::from_str(include_str!(
            "../../../../tests/fixtures/guide-files/templates/responderapi-stack.json"
        ))
        .unwrap()
    }

    fn none() -> BTreeSet<String> {
        BTreeSet::new()
    }

    fn alb() -> Value {
        serde_json::from_str(include_str!(
            "../../../../tests/fixtures/guide-files/templates/responderapi-alb-stack.json"
        ))
        .unwrap()
    }

    #[test]
    fn the_guides_templates_update_the_security_group_and_the_service_in_place() {
        let changes = compare(&stack(), &alb(), &none());
        let changed: Vec<(&str, &Change)> = changes
            .iter()
            .filter(|(_, c)| **c != Change::Same)
            .map(|(id, c)| (id.as_str(), c))
            .collect();
        assert_eq!(
            changed,
            [
                (
                    "SecurityGroup",
                    &Change::Updated(vec!["SecurityGroupIngress".into()])
                ),
                (
                    "Service",
                    &Change::Updated(vec![
                        "HealthCheckGracePeriodSeconds".into(),
                        "LoadBalancers".into()
                    ])
                ),
            ]
        );
        assert_eq!(compare(&alb(), &stack(), &none()).len(), changes.len());
    }

    #[test]
    fn a_create_only_change_replaces_and_what_refers_to_it_follows() {
        let mut new = stack();
        new["Resources"]["Cluster"]["Properties"]["ClusterName"] = json!("other");
        let changes = compare(&stack(), &new, &none());
        assert_eq!(
            changes["Cluster"],
            Change::Replaced(vec![Cause {
                property: "ClusterName".into(),
                via: None
            }])
        );
        assert_eq!(
            changes["Service"],
            Change::Replaced(vec![Cause {
                property: "Cluster".into(),
                via: Some("Cluster".into())
            }])
        );
    }

    #[test]
    fn parameters_given_other_values_change_what_refers_to_them() {
        let image: BTreeSet<String> =
            ["ImageUri".to_string(), "CpuArchitecture".to_string()].into();
        let changes = compare(&stack(), &stack(), &image);
        assert_eq!(
            changes["TaskDefinition"],
            Change::Replaced(vec![
                Cause {
                    property: "ContainerDefinitions".into(),
                    via: Some("ImageUri".into())
                },
                Cause {
                    property: "RuntimePlatform".into(),
                    via: Some("CpuArchitecture".into())
                },
            ])
        );
        assert_eq!(changes["LogGroup"], Change::Same);
        assert!(
            compare(&stack(), &stack(), &none())
                .values()
                .all(|c| *c == Change::Same)
        );
    }

    #[test]
    fn the_stack_name_resolves_to_the_stack_deployed_to() {
        let named = |name: Value| json!({"Resources": {"Cluster": {"Type": "AWS::ECS::Cluster", "Properties": {"ClusterName": name}}}});
        let literal = named(json!("responderapi-cluster"));
        let sub = named(json!({"Fn::Sub": "${AWS::StackName}-cluster"}));
        let same = compare(
            &with_stack_name(&literal, "responderapi"),
            &with_stack_name(&sub, "responderapi"),
            &none(),
        );
        assert!(matches!(same["Cluster"], Change::Same), "{same:?}");
        let other = compare(
            &with_stack_name(&literal, "other"),
            &with_stack_name(&sub, "other"),
            &none(),
        );
        assert!(matches!(other["Cluster"], Change::Replaced(_)), "{other:?}");
        // Another variable leaves the value as written; an escape is the
        // literal text.
        let region = json!({"Fn::Sub": "${AWS::StackName}-${AWS::Region}"});
        assert_eq!(with_stack_name(&region, "s"), region);
        let escaped = json!({"Fn::Sub": "${!AWS::StackName}"});
        assert_eq!(with_stack_name(&escaped, "s"), json!("${AWS::StackName}"));
        assert_eq!(
            with_stack_name(&json!({"Ref": "AWS::StackName"}), "s"),
            json!("s")
        );
    }

    #[test]
    fn joins_subs_ifs_and_one_valued_parameters_resolve_to_their_text() {
        let known = BTreeMap::from([
            ("AWS::StackName".to_string(), "s".to_string()),
            ("Group".to_string(), "/ecs/g".to_string()),
        ]);
        let join = json!({"Fn::Join": ["-", [{"Ref": "AWS::StackName"}, "cluster", 1]]});
        assert_eq!(resolved(&join, &known), json!("s-cluster-1"));
        assert_eq!(resolved(&json!({"Ref": "Group"}), &known), json!("/ecs/g"));
        let sub = json!({"Fn::Sub": ["${Name}:${Group}", {"Name": {"Ref": "AWS::StackName"}}]});
        assert_eq!(resolved(&sub, &known), json!("s:/ecs/g"));
        let same_branches = json!({"Fn::If": ["C", {"Ref": "Group"}, "/ecs/g"]});
        assert_eq!(resolved(&same_branches, &known), json!("/ecs/g"));
        // What depends on an unknown value stays as written.
        let other = json!({"Fn::If": ["C", "a", "b"]});
        assert_eq!(resolved(&other, &known), other);
        let vpc = json!({"Fn::Join": [",", [{"Ref": "VpcId"}, "x"]]});
        assert_eq!(resolved(&vpc, &known), vpc);
        // A parameter is known when it keeps one text value on the stack.
        let template = json!({"Parameters": {
            "Group": {"Type": "String"},
            "Subnets": {"Type": "List<AWS::EC2::Subnet::Id>"},
            "Image": {"Type": "String"},
            "Vpc": {"Type": "String"}
        }});
        let values = BTreeMap::from([
            ("Group".to_string(), "/ecs/g".to_string()),
            ("Subnets".to_string(), "a,b".to_string()),
            ("Vpc".to_string(), "$VPC_ID".to_string()),
        ]);
        assert_eq!(
            known_values(&template, "s", &values),
            BTreeMap::from([
                ("AWS::StackName".to_string(), "s".to_string()),
                ("Group".to_string(), "/ecs/g".to_string()),
            ])
        );
    }

    #[test]
    fn scalars_compare_by_text_and_intrinsics_by_structure() {
        assert!(same(&json!(8080), &json!("8080")));
        assert!(same(&json!({"Ref": "VpcId"}), &json!({"Ref": "VpcId"})));
        assert!(!same(&json!({"Ref": "VpcId"}), &json!({"Ref": "OtherVpc"})));
        assert!(!same(&json!(["a"]), &json!("a")));
        assert_eq!(
            refers_to(&json!({"Fn::Sub": "${AWS::StackName}-${Bucket.Arn}-${!Literal}"})),
            BTreeSet::from(["AWS::StackName".to_string(), "Bucket".to_string()])
        );
    }
}
