//! The templates the procedures are bound to: `templates/task-definition.json`
//! and the CloudFormation stack, parsed with a position index, and the
//! stack's own substitutions evaluated so its resources can be compared
//! with the files a reader would use instead.

use super::{Templates, Texts, blocked_uses};
use crate::checks::rule::{Model, Shared};
use crate::diagnostics::location::Location;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::book_root::BookRoot;
use crate::model::inputs::TEMPLATES_DIR;
use crate::model::json::{self, Index};
use serde_json::{Map, Value};

pub(crate) const TASK_DEFINITION: &str = "templates/task-definition.json";
pub(crate) const STACK: &str = "templates/responderapi-stack.json";
/// The load balancer variant of the stack: the values are read from
/// [`STACK`], but its task definition and role policies are checked too.
pub(crate) const ALB_STACK: &str = "templates/responderapi-alb-stack.json";
/// Every stack whose task definition and policies must agree with the files.
pub(crate) const STACKS: &[&str] = &[STACK, ALB_STACK];

/// A JSON file of the book, its parsed value and where each value sits.
#[derive(Debug, Clone)]
pub(crate) struct JsonFile {
    pub path: String,
    pub text: String,
    pub value: Value,
    index: Index,
}

impl JsonFile {
    /// Parses `text`; a syntax error is a diagnostic at its line and column.
    pub(crate) fn parse(path: &str, text: String) -> Result<Self, Box<Diagnostic>> {
        match json::parse(&text) {
            Ok((value, index)) => Ok(JsonFile {
                path: path.to_string(),
                index,
                text,
                value,
            }),
            Err(err) => {
                let (range, what) = stray_comma(&text, err);
                Err(Box::new(
                    Diagnostic::raise(
                        PROCEDURES_TEMPLATE_INVALID,
                        Location::in_text(path, &text, range),
                        format!("{path} is not valid JSON: {what}"),
                    )
                    .with_hint(
                        "the procedures are checked against this file; fix its syntax first",
                    ),
                ))
            }
        }
    }

    /// Where each key and value of the file is.
    pub(crate) fn index(&self) -> &Index {
        &self.index
    }

    /// The location of a JSON pointer, or of its nearest ancestor that exists.
    pub(crate) fn locate(&self, pointer: &str) -> Location {
        match self.index.name_range(pointer) {
            Some(range) => Location::in_text(&self.path, &self.text, range),
            None => Location::file(&self.path),
        }
    }
}

/// Where a JSON syntax error is and what it is. serde_json places an error
/// on the token after a stray comma (the `}` of `"a": 1, }`, or the second
/// comma of `,,`); the comma is the cause, so that is where it is reported.
fn stray_comma(text: &str, err: json::SyntaxError) -> (std::ops::Range<usize>, String) {
    let at = err.range.start.min(text.len());
    let before = text[..at].trim_end();
    if before.ends_with(',') && matches!(text[at..].chars().next(), Some('}' | ']' | ',')) {
        let comma = before.len() - 1;
        return (
            comma..comma + 1,
            "a stray comma: no entry follows it".into(),
        );
    }
    (err.range, err.message)
}

/// Loads a JSON file of the book: `None` when it does not exist.
pub(crate) fn load(book_root: &BookRoot, rel: &str) -> Option<Result<JsonFile, Box<Diagnostic>>> {
    book_root.resolve(rel).ok()?;
    let text = match book_root.read(rel) {
        Ok(text) => text,
        Err(err) => {
            return Some(Err(Box::new(Diagnostic::raise(
                PROCEDURES_TEMPLATE_INVALID,
                Location::file(rel),
                format!("{err:#}"),
            ))));
        }
    };
    Some(JsonFile::parse(rel, text))
}

/// The stack's resources of one type, as (logical id, resource).
pub(crate) fn resources_of_type<'a>(stack: &'a Value, kind: &str) -> Vec<(&'a str, &'a Value)> {
    stack
        .get("Resources")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter(|(_, resource)| resource.get("Type").and_then(Value::as_str) == Some(kind))
        .map(|(id, resource)| (id.as_str(), resource))
        .collect()
}

/// `node` with the stack's intrinsic functions replaced by what they stand
/// for in the other templates: `Ref` to a parameter or pseudo parameter →
/// `${Name}`, `Fn::Sub` → its string, a role's `Fn::GetAtt Arn` →
/// `arn:aws:iam::${AWS::AccountId}:role/NAME`, `Ref` to a named resource →
/// its name. Anything else is left as written, so a comparison shows it.
pub(crate) fn evaluate(stack: &Value, node: &Value) -> Value {
    match node {
        Value::Array(items) => Value::Array(items.iter().map(|v| evaluate(stack, v)).collect()),
        Value::Object(map) if map.len() == 1 => {
            let (name, arg) = map.iter().next().expect("one entry");
            match (name.as_str(), arg) {
                ("Ref", Value::String(target)) => reference(stack, target),
                ("Fn::Sub", Value::String(text)) => Value::String(text.clone()),
                ("Fn::GetAtt", Value::Array(parts)) => match parts.as_slice() {
                    [Value::String(id), Value::String(attribute)] => get_att(stack, id, attribute),
                    _ => node.clone(),
                },
                ("Fn::Join", Value::Array(parts)) => match parts.as_slice() {
                    [Value::String(delimiter), Value::Array(items)] => {
                        let items: Vec<String> = items
                            .iter()
                            .map(|v| match evaluate(stack, v) {
                                Value::String(s) => s,
                                other => other.to_string(),
                            })
                            .collect();
                        Value::String(items.join(delimiter))
                    }
                    _ => node.clone(),
                },
                _ => Value::Object(
                    map.iter()
                        .map(|(k, v)| (k.clone(), evaluate(stack, v)))
                        .collect(),
                ),
            }
        }
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), evaluate(stack, v)))
                .collect::<Map<_, _>>(),
        ),
        other => other.clone(),
    }
}

fn reference(stack: &Value, target: &str) -> Value {
    let is_parameter = stack
        .get("Parameters")
        .and_then(|p| p.get(target))
        .is_some();
    if is_parameter || target.starts_with("AWS::") {
        return Value::String(format!("${{{target}}}"));
    }
    let resource = stack.get("Resources").and_then(|r| r.get(target));
    let name_property = match resource.and_then(|r| r.get("Type")).and_then(Value::as_str) {
        Some("AWS::Logs::LogGroup") => Some("LogGroupName"),
        Some("AWS::ECS::Cluster") => Some("ClusterName"),
        Some("AWS::IAM::Role") => Some("RoleName"),
        Some("AWS::ECS::Service") => Some("ServiceName"),
        _ => None,
    };
    match name_property.and_then(|p| resource?.get("Properties")?.get(p)) {
        Some(name) => evaluate(stack, name),
        None => Value::String(format!("${{{target}}}")),
    }
}

fn get_att(stack: &Value, id: &str, attribute: &str) -> Value {
    let resource = stack.get("Resources").and_then(|r| r.get(id));
    let is_role =
        resource.and_then(|r| r.get("Type")).and_then(Value::as_str) == Some("AWS::IAM::Role");
    let properties = resource.and_then(|r| r.get("Properties"));
    if is_role
        && attribute == "Arn"
        && let Some(Value::String(name)) = properties.and_then(|p| p.get("RoleName"))
    {
        let path = properties
            .and_then(|p| p.get("Path"))
            .and_then(Value::as_str)
            .unwrap_or("/");
        return Value::String(format!("arn:aws:iam::${{AWS::AccountId}}:role{path}{name}"));
    }
    Value::String(format!("${{{id}.{attribute}}}"))
}

/// CloudFormation spells ECS properties in PascalCase where the task
/// definition JSON uses camelCase: `ContainerDefinitions` → `containerDefinitions`.
pub(crate) fn camel_case(key: &str) -> String {
    let mut chars = key.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Maps whose keys are data, not property names: never re-cased.
pub(crate) fn keys_are_data(key: &str) -> bool {
    matches!(key, "Options" | "DockerLabels" | "Labels" | "SecretOptions")
}

/// `templates/*.json` read and parsed once per run, and why the ones that
/// are not could not be.
pub(crate) struct TemplateFiles {
    pub files: Vec<JsonFile>,
    pub problems: Vec<Diagnostic>,
}

impl Shared for TemplateFiles {
    fn build(model: &Model<'_, '_>) -> Self {
        let (files, problems) = template_files(model.root);
        TemplateFiles { files, problems }
    }
}

/// `templates/*.json`, sorted, each read and parsed once. One that cannot
/// be read or is not JSON is reported here, unless it is one of the files
/// the procedures check loads (and reports) itself.
pub(crate) fn template_files(book_root: &BookRoot) -> (Vec<JsonFile>, Vec<Diagnostic>) {
    let mut names: Vec<String> = std::fs::read_dir(book_root.root.join(TEMPLATES_DIR))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".json"))
        .collect();
    names.sort();
    let procedures = [TASK_DEFINITION]
        .iter()
        .chain(STACKS)
        .copied()
        .collect::<Vec<_>>();
    let (mut files, mut problems) = (Vec::new(), Vec::new());
    for name in names {
        let rel = format!("{TEMPLATES_DIR}/{name}");
        match load(book_root, &rel) {
            Some(Ok(file)) => files.push(file),
            Some(Err(problem)) if !procedures.contains(&rel.as_str()) => {
                problems.push(problem.with_hint(
                    "every template in templates/ is checked against AWS's models; fix it first",
                ))
            }
            _ => {}
        }
    }
    (files, problems)
}

// The rule: a template that is not JSON, one the procedures are bound to
// (with how many `{{#value}}` uses it blocks) or another in `templates/`,
// which the AWS checks then cannot judge.
crate::checks::rule::rule! {
    check: check;
    PROCEDURES_TEMPLATE_INVALID = "procedures::template-invalid", error: "a template that is not valid JSON";
}

fn check(model: &Model<'_, '_>, out: &mut Diagnostics) -> anyhow::Result<()> {
    let others = model.shared::<TemplateFiles>();
    out.extend(others.problems.iter().cloned());
    let templates = model.shared::<Templates>();
    if templates.invalid.is_empty() {
        return Ok(());
    }
    let texts = model.shared::<Texts>();
    let texts = texts.gather(model.chapters)?;
    for found in &templates.invalid {
        let mut found = found.clone();
        let uses = blocked_uses(&texts, &found.location.path);
        if uses > 0 {
            let plural = if uses == 1 { "" } else { "s" };
            found.message = format!(
                "{}; it blocks {uses} `{{{{#value}}}}` use{plural}",
                found.message
            );
        }
        out.push(found);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn stack() -> Value {
        json!({
            "Parameters": {"ImageUri": {"Type": "String"}},
            "Resources": {
                "Logs": {"Type": "AWS::Logs::LogGroup", "Properties": {"LogGroupName": "/ecs/x"}},
                "Role": {"Type": "AWS::IAM::Role", "Properties": {"RoleName": "MyRole"}},
                "Other": {"Type": "AWS::EC2::SecurityGroup", "Properties": {}}
            }
        })
    }

    #[test]
    fn substitutions_become_the_placeholders_of_the_task_definition() {
        let stack = stack();
        let node = json!({
            "Image": {"Ref": "ImageUri"},
            "Region": {"Ref": "AWS::Region"},
            "Group": {"Ref": "Logs"},
            "Arn": {"Fn::GetAtt": ["Role", "Arn"]},
            "Sub": {"Fn::Sub": "arn:aws:logs:*:${AWS::AccountId}:x"},
            "Join": {"Fn::Join": ["-", ["a", {"Ref": "ImageUri"}]]},
            "Unknown": {"Ref": "Other"},
            "Plain": [1, "two"]
        });
        assert_eq!(
            evaluate(&stack, &node),
            json!({
                "Image": "${ImageUri}",
                "Region": "${AWS::Region}",
                "Group": "/ecs/x",
                "Arn": "arn:aws:iam::${AWS::AccountId}:role/MyRole",
                "Sub": "arn:aws:logs:*:${AWS::AccountId}:x",
                "Join": "a-${ImageUri}",
                "Unknown": "${Other}",
                "Plain": [1, "two"]
            })
        );
    }

    #[test]
    fn property_names_are_camel_cased() {
        assert_eq!(camel_case("ContainerDefinitions"), "containerDefinitions");
        assert_eq!(camel_case("awslogs-group"), "awslogs-group");
        assert!(keys_are_data("Options"));
    }

    #[test]
    fn a_syntax_error_is_located() {
        let err = JsonFile::parse("templates/t.json", "{\n  \"a\": ,\n}".into()).unwrap_err();
        assert_eq!(err.location.short(), "templates/t.json:2:8");
        assert_eq!(err.code, PROCEDURES_TEMPLATE_INVALID);
    }

    #[test]
    fn a_stray_comma_is_reported_at_the_comma_in_characters() {
        let at = |text: &str| {
            let err = JsonFile::parse("t.json", text.to_string()).unwrap_err();
            format!("{}: {}", err.location.short(), err.message)
        };
        let stray = "t.json is not valid JSON: a stray comma: no entry follows it";
        assert_eq!(
            at("{\n  \"cpu\": \"512\",,\n  \"m\": 1\n}"),
            format!("t.json:2:15: {stray}")
        );
        assert_eq!(
            at("{\n  \"cpu\": \"512\",\n}"),
            format!("t.json:2:15: {stray}")
        );
        assert_eq!(at("[1, 2,\n]"), format!("t.json:1:6: {stray}"));
        assert_eq!(at("{\"é\": \"ü\",,}"), format!("t.json:1:10: {stray}"));
        // A comma before a bad key is not the cause.
        assert_eq!(
            at("{\"é\": 1, x}"),
            "t.json:1:10: t.json is not valid JSON: key must be a string"
        );
    }

    #[test]
    fn locating_a_missing_pointer_falls_back_to_its_parent() {
        let file = JsonFile::parse("t.json", "{\n  \"a\": {\"b\": 1}\n}".into()).unwrap();
        assert_eq!(file.locate("/a/b").short(), "t.json:2:9");
        assert_eq!(file.locate("/a/zzz").short(), "t.json:2:3");
    }
}
