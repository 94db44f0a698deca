//! What CloudFormation's resource handlers call with the deployer's
//! permissions when a stack is created, updated or deleted: each resource
//! type's `handlers.{create,read,update,delete}.permissions` (its registry
//! schema), on the resource's ARN. A permission that serves a feature the
//! template does not use (`handler-properties.toml`, and the tag rule there)
//! is not demanded. Creating runs the create and read handlers; updating runs
//! update and read for a changed resource, create and read for a new or
//! replacing one, delete and read for a removed or replaced one; deleting
//! runs delete and read.

use super::arns::{self, Arns, Request};
use super::models;
use super::stack_diff::{self, Change};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// A template as the stack operation reads it.
#[derive(Clone, Copy)]
pub(crate) struct Template<'a> {
    pub rel: &'a str,
    pub value: &'a Value,
}

/// One permission a handler needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandlerNeed {
    pub action: String,
    pub arns: Arns,
    /// The template and logical ID of the resource whose handler calls it.
    pub template: String,
    pub resource: String,
    pub kind: String,
    pub handler: &'static str,
}

/// Creating a stack from `t`.
pub(crate) fn create(t: Template<'_>, stack: &str) -> Vec<HandlerNeed> {
    every_resource(t, stack, &["create", "read"])
}

/// Deleting a stack made from `t`.
pub(crate) fn delete(t: Template<'_>, stack: &str) -> Vec<HandlerNeed> {
    every_resource(t, stack, &["delete", "read"])
}

fn every_resource(t: Template<'_>, stack: &str, run: &[&'static str]) -> Vec<HandlerNeed> {
    let mut out = Vec::new();
    for id in stack_diff::resources(t.value).keys() {
        for handler in run {
            needs(t, stack, id, handler, None, &mut out);
        }
    }
    out
}

/// Updating a stack made from `old` with `new`; `parameters` may take new
/// values (the deploys give them different ones), so what refers to one
/// may change.
pub(crate) fn update(
    old: Template<'_>,
    new: Template<'_>,
    stack: &str,
    parameters: &BTreeSet<String>,
) -> Vec<HandlerNeed> {
    let mut out = Vec::new();
    let changes = stack_diff::compare(
        &stack_diff::with_stack_name(old.value, stack),
        &stack_diff::with_stack_name(new.value, stack),
        parameters,
    );
    let may_change: BTreeSet<String> = parameters
        .iter()
        .cloned()
        .chain(
            changes
                .iter()
                .filter(|(_, c)| matches!(c, Change::Replaced(_)))
                .map(|(id, _)| id.clone()),
        )
        .collect();
    let (old_res, new_res) = (
        stack_diff::resources(old.value),
        stack_diff::resources(new.value),
    );
    for id in new_res.keys() {
        match changes.get(id) {
            None => {
                for handler in ["create", "read"] {
                    needs(new, stack, id, handler, None, &mut out);
                }
            }
            Some(Change::Replaced(causes)) => {
                for handler in ["create", "read"] {
                    needs(new, stack, id, handler, None, &mut out);
                }
                for handler in ["delete", "read"] {
                    needs(old, stack, id, handler, None, &mut out);
                }
                // Replaced only if a parameter takes another value: with
                // the same values the resource is updated instead.
                if causes.iter().all(|c| c.via.is_some()) {
                    let before = stack_diff::properties(&old_res[id]);
                    let after = stack_diff::properties(&new_res[id]);
                    let changed = stack_diff::changed(before, after, &may_change);
                    let update = Update {
                        before,
                        changed: &changed,
                        may_change: &may_change,
                    };
                    needs(new, stack, id, "update", Some(update), &mut out);
                }
            }
            Some(Change::Updated(changed)) => {
                let update = Update {
                    before: stack_diff::properties(&old_res[id]),
                    changed,
                    may_change: &may_change,
                };
                needs(new, stack, id, "update", Some(update), &mut out);
                needs(new, stack, id, "read", None, &mut out);
            }
            Some(Change::Same) => {}
        }
    }
    for id in old_res.keys().filter(|id| !changes.contains_key(*id)) {
        for handler in ["delete", "read"] {
            needs(old, stack, id, handler, None, &mut out);
        }
    }
    out
}

/// What an update changes in one resource.
#[derive(Clone, Copy)]
struct Update<'a> {
    /// The properties before it.
    before: &'a Value,
    /// The top-level properties that change.
    changed: &'a [String],
    /// Parameters and resources whose values change.
    may_change: &'a BTreeSet<String>,
}

impl Update<'_> {
    /// Whether the property at `path` changes in `after`.
    fn changes(&self, after: &Value, path: &str) -> bool {
        match path.split_once('/') {
            None => self.changed.iter().any(|c| c == path),
            Some(_) => {
                let (a, b) = (
                    stack_diff::at_path(self.before, path),
                    stack_diff::at_path(after, path),
                );
                a.len() != b.len()
                    || a.iter().zip(&b).any(|(x, y)| !stack_diff::same(x, y))
                    || b.iter().any(|v| {
                        stack_diff::refers_to(v)
                            .iter()
                            .any(|r| self.may_change.contains(r))
                    })
            }
        }
    }
}

/// The needs of one handler of one resource.
fn needs(
    t: Template<'_>,
    stack: &str,
    id: &str,
    handler: &'static str,
    update: Option<Update<'_>>,
    out: &mut Vec<HandlerNeed>,
) {
    let resource = &stack_diff::resources(t.value)[id];
    let Some(kind) = stack_diff::kind(resource) else {
        return;
    };
    let Some(schema) = models::resource_schemas().resources.get(kind) else {
        return;
    };
    let permissions = schema
        .pointer(&format!("/handlers/{handler}/permissions"))
        .and_then(Value::as_array);
    let properties = stack_diff::properties(resource);
    let mut request = None;
    for action in permissions.into_iter().flatten().filter_map(Value::as_str) {
        if !demanded(schema, kind, action, handler, properties, update) {
            continue;
        }
        let request = request.get_or_insert_with(|| template_request(t.value, stack, id, 0));
        let Some(arns) = arns::arns(action, request) else {
            // Not an IAM action (`s3:REST.PUT.OBJECT`): nothing to evaluate.
            continue;
        };
        out.push(HandlerNeed {
            action: action.to_string(),
            arns,
            template: t.rel.to_string(),
            resource: id.to_string(),
            kind: kind.to_string(),
            handler,
        });
    }
}

/// `template` as CloudFormation handles it when the stack has stack tags
/// (`--tags`, written `tags`): it propagates them to every resource whose
/// schema says it is taggable, so each gets its tag property set, and other
/// tags change it.
pub(crate) fn with_stack_tags(template: &Value, tags: &str) -> Value {
    let mut out = template.clone();
    let Some(resources) = out.get_mut("Resources").and_then(Value::as_object_mut) else {
        return out;
    };
    for resource in resources.values_mut() {
        let Some(kind) = resource.get("Type").and_then(Value::as_str) else {
            continue;
        };
        let Some(schema) = models::resource_schemas().resources.get(kind) else {
            continue;
        };
        let tagging = schema.get("tagging");
        if tagging
            .and_then(|t| t.get("taggable"))
            .and_then(Value::as_bool)
            == Some(false)
        {
            continue;
        }
        let Some(property) = tagging
            .and_then(|t| t.get("tagProperty"))
            .and_then(Value::as_str)
            .and_then(|p| p.strip_prefix("/properties/"))
            .filter(|p| !p.contains('/'))
        else {
            continue;
        };
        let Some(object) = resource.as_object_mut() else {
            continue;
        };
        let properties = object
            .entry("Properties")
            .or_insert_with(|| Value::Object(Default::default()));
        if let Some(properties) = properties.as_object_mut() {
            properties
                .entry(property)
                .or_insert_with(|| stack_tag_list(tags));
        }
    }
    out
}

/// `Key=Value` pairs (`deploy --tags`) or `Key=K,Value=V` items
/// (`create-stack --tags`) as a tag list, so an update can tell an added
/// tag from a removed one; anything else is one opaque tag.
fn stack_tag_list(tags: &str) -> Value {
    let pair = |item: &str| -> Option<(String, String)> {
        if let Some(rest) = item.strip_prefix("Key=") {
            let (key, value) = rest.split_once(",Value=")?;
            return Some((key.to_string(), value.to_string()));
        }
        let (key, value) = item.split_once('=')?;
        Some((key.to_string(), value.to_string()))
    };
    let items: Option<Vec<_>> = tags
        .split_whitespace()
        .map(|i| pair(i.trim_matches(|c| c == '"' || c == '\'')))
        .collect();
    match items {
        Some(items) if !items.is_empty() => Value::Array(
            items
                .into_iter()
                .map(|(k, v)| serde_json::json!({"Key": k, "Value": v}))
                .collect(),
        ),
        _ => serde_json::json!([{"Key": "stack-tags", "Value": tags}]),
    }
}

/// A tag-writing action, which the schema's tagging rules govern.
fn writes_tags(action: &str) -> bool {
    let name = action.split_once(':').map_or(action, |(_, n)| n);
    ["Tag", "AddTags", "CreateTags"]
        .iter()
        .any(|verb| name.starts_with(verb))
        || removes_tags(action)
}

/// A tag-removing action: an update needs it only when a key goes.
fn removes_tags(action: &str) -> bool {
    let name = action.split_once(':').map_or(action, |(_, n)| n);
    ["Untag", "RemoveTags", "DeleteTags"]
        .iter()
        .any(|verb| name.starts_with(verb))
}

/// The keys and values of a tag property written as a `Key`/`Value` list
/// or a map; `None` for any other form (or values that are not text).
fn tag_pairs(value: &Value) -> Option<BTreeMap<String, Value>> {
    match value {
        Value::Array(items) => items
            .iter()
            .map(|t| Some((t.get("Key")?.as_str()?.to_string(), t.get("Value")?.clone())))
            .collect(),
        Value::Object(map) => Some(map.iter().map(|(k, v)| (k.clone(), v.clone())).collect()),
        _ => None,
    }
}

fn is_set(properties: &Value, path: &str) -> bool {
    !stack_diff::at_path(properties, path).is_empty()
}

/// The tag rule: a tag write is demanded when the template sets (or, on an
/// update, changes) the tag property, and on create also when CloudFormation
/// tags the resource with its system tags.
fn tags_demanded(
    schema: &Value,
    action: &str,
    handler: &str,
    properties: &Value,
    update: Option<Update<'_>>,
) -> bool {
    let changes = |path: &str| update.is_some_and(|u| u.changes(properties, path));
    let tagging = schema.get("tagging");
    let tags = tagging
        .and_then(|t| t.get("tagProperty"))
        .and_then(Value::as_str)
        .and_then(|p| p.strip_prefix("/properties/"))
        .unwrap_or("Tags");
    let system = tagging
        .and_then(|t| t.get("cloudFormationSystemTags"))
        .and_then(Value::as_bool)
        .unwrap_or(false);
    match handler {
        // A new resource has no tags to remove.
        "create" => !removes_tags(action) && (system || is_set(properties, tags)),
        // Adding or changing a tag writes it; only a key that goes needs
        // the removing action.
        "update" => {
            let pairs = |v: &Value| {
                stack_diff::at_path(v, tags)
                    .first()
                    .map_or(Some(BTreeMap::new()), |t| tag_pairs(t))
            };
            match update.and_then(|u| Some((u, pairs(u.before)?, pairs(properties)?))) {
                Some((u, before, after)) if changes(tags) => {
                    if removes_tags(action) {
                        before.keys().any(|k| !after.contains_key(k))
                    } else {
                        after.iter().any(|(k, v)| {
                            before.get(k).is_none_or(|b| !stack_diff::same(b, v))
                                || stack_diff::refers_to(v)
                                    .iter()
                                    .any(|r| u.may_change.contains(r))
                        })
                    }
                }
                _ => changes(tags),
            }
        }
        // Reading or deleting a resource writes no tags, whatever a
        // schema's list holds (`AWS::IAM::Role` delete lists `iam:TagRole`).
        _ => false,
    }
}

fn demanded(
    schema: &Value,
    kind: &str,
    action: &str,
    handler: &str,
    properties: &Value,
    update: Option<Update<'_>>,
) -> bool {
    let changes = |path: &str| update.is_some_and(|u| u.changes(properties, path));
    let Some(serves) = models::handler_properties()
        .types
        .get(kind)
        .and_then(|actions| actions.get(action))
    else {
        return !writes_tags(action) || tags_demanded(schema, action, handler, properties, update);
    };
    let own = match handler {
        "create" => serves.create.as_ref(),
        "update" => serves.update.as_ref(),
        "delete" => serves.delete.as_ref(),
        _ => None,
    };
    let paths = own
        .or(serves.properties.as_ref())
        .cloned()
        .unwrap_or_default();
    match (handler, update) {
        ("update", Some(u)) if serves.only_change => paths
            .iter()
            .any(|p| only_field_changes(u.before, properties, p)),
        ("update", _) => paths.iter().any(|p| changes(p)),
        _ => paths.iter().any(|p| is_set(properties, p)),
    }
}

/// For `List/*/Field`: whether an item of the list keeps everything but
/// `Field`, which changes.
fn only_field_changes(before: &Value, after: &Value, path: &str) -> bool {
    let Some((list, field)) = path.rsplit_once("/*/") else {
        return false;
    };
    let items = |v: &Value| -> Vec<Value> {
        stack_diff::at_path(v, list)
            .into_iter()
            .filter_map(Value::as_array)
            .flatten()
            .cloned()
            .collect()
    };
    let without = |item: &Value| {
        let mut item = item.clone();
        if let Some(map) = item.as_object_mut() {
            map.remove(field);
        }
        item
    };
    let old = items(before);
    items(after).iter().any(|n| {
        old.iter().any(|o| {
            stack_diff::same(&without(o), &without(n))
                && !stack_diff::same(
                    o.get(field).unwrap_or(&Value::Null),
                    n.get(field).unwrap_or(&Value::Null),
                )
        })
    })
}

/// The name CloudFormation gives a resource whose name property is left out.
fn generated_name(stack: &str, id: &str) -> String {
    format!("{stack}-{id}-1A2B3C4D5E6F")
}

/// What a template resource names, for its handlers' ARNs: its own resource
/// and the ones its properties refer to (`arn-names.toml`).
pub(crate) fn template_request(template: &Value, stack: &str, id: &str, depth: usize) -> Request {
    let mut request = Request::default();
    let Some(resource) = stack_diff::resources(template).get(id) else {
        return request;
    };
    let Some(kind) = stack_diff::kind(resource) else {
        return request;
    };
    let properties = stack_diff::properties(resource);
    let names = models::arn_names();
    let entries = names
        .cloudformation
        .get(kind)
        .map(Vec::as_slice)
        .unwrap_or_default();
    for (i, entry) in entries.iter().enumerate() {
        let kind_named = entry
            .kinds
            .as_ref()
            .and_then(|k| {
                properties
                    .get(&k.property)?
                    .as_str()
                    .and_then(|v| k.values.get(v))
            })
            .unwrap_or(&entry.kind);
        let own = i == 0;
        let mut named = own || !entry.values.is_empty();
        for (var, value) in &entry.values {
            request.set(var, value.clone());
        }
        for (var, path) in &entry.vars {
            let found = stack_diff::at_path(properties, path);
            if found.is_empty() {
                // A name left out is one CloudFormation generates.
                match entry.defaults.get(var) {
                    Some(default) => request.set(var, default.clone()),
                    None if own && !names.ids.contains_key(var) => {
                        request.set(var, generated_name(stack, id))
                    }
                    None => {}
                }
                continue;
            }
            named = true;
            for value in found {
                match resolve(template, stack, value, var, depth) {
                    Some(values) => {
                        for v in values {
                            request.set_value(&entry.service, kind_named, var, &v);
                        }
                    }
                    None if names.ids.contains_key(var) => {}
                    None => {
                        request.unknown.insert(var.clone());
                    }
                }
            }
        }
        if named {
            request.name(&entry.service, kind_named);
            if own {
                request.own = Some((entry.service.clone(), kind_named.clone()));
            }
        }
    }
    request
}

/// The text values of a property for `var`: a literal, a parameter's
/// default, or the referenced resource's own value of `var`.
fn resolve(
    template: &Value,
    stack: &str,
    value: &Value,
    var: &str,
    depth: usize,
) -> Option<Vec<String>> {
    match value {
        Value::String(s) => Some(vec![s.clone()]),
        Value::Object(map) if map.len() == 1 => {
            let (function, arg) = map.iter().next()?;
            let target = match (function.as_str(), arg) {
                ("Ref", Value::String(name)) => name.as_str(),
                ("Fn::GetAtt", Value::Array(items)) => items.first()?.as_str()?,
                ("Fn::GetAtt", Value::String(s)) => s.split('.').next()?,
                ("Fn::Sub", Value::String(text)) => {
                    return substitute(template, stack, text).map(|s| vec![s]);
                }
                _ => return None,
            };
            if target == "AWS::StackName" {
                return Some(vec![stack.to_string()]);
            }
            if stack_diff::resources(template).contains_key(target) {
                if depth > 4 {
                    return None;
                }
                let request = template_request(template, stack, target, depth + 1);
                return request.vars.get(var).cloned().filter(|v| !v.is_empty());
            }
            parameter_default(template, target).map(|d| vec![d])
        }
        _ => None,
    }
}

fn parameter_default(template: &Value, name: &str) -> Option<String> {
    template
        .pointer(&format!("/Parameters/{name}/Default"))
        .and_then(Value::as_str)
        .filter(|d| !d.is_empty())
        .map(str::to_string)
}

/// `Fn::Sub` text with the stack's name, the guide's account and Region and
/// parameters' defaults in; none if anything else is left.
fn substitute(template: &Value, stack: &str, text: &str) -> Option<String> {
    stack_diff::sub_text(text, |name| match name {
        "AWS::StackName" => Some(stack.to_string()),
        "AWS::AccountId" => Some(super::evaluator::SAMPLE_ACCOUNT.to_string()),
        "AWS::Region" => Some(super::evaluator::SAMPLE_REGION.to_string()),
        "AWS::Partition" => Some("aws".to_string()),
        _ => parameter_default(template, name),
    })
}

#[cfg(test)]
mod tests;
