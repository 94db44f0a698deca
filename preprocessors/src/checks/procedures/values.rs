//! `{{#value KEY}}`: a value read from the templates, rendered as the
//! console (or the API) spells it, so a step can never state another one.

use super::templates::{self, JsonFile, STACK, TASK_DEFINITION};
use crate::diagnostics::location::TextMap;
use crate::diagnostics::{Diagnostic, Diagnostics, Edit};
use crate::model::directive;
use serde_json::Value;

crate::diagnostics::codes::declare! {
    PROCEDURES_UNKNOWN_VALUE = "procedures::unknown-value", error: "`{{#value KEY}}` with an unknown key";
    PROCEDURES_VALUE_UNAVAILABLE = "procedures::value-unavailable", error: "`{{#value KEY}}` whose template field is missing";
}

/// Where a key's value sits in the templates.
#[derive(Clone, Copy)]
enum Field {
    /// A JSON pointer into the task definition.
    Task(&'static str),
    /// A property of the stack's first resource of a type.
    Stack(&'static str, &'static str),
}

/// How a console label's typed value is compared with the template's.
#[derive(Clone, Copy)]
pub(super) enum Compare {
    /// Exactly the template's text.
    Exact,
    /// The same letters, any case (protocols, network mode).
    AnyCase,
    /// CPU, as vCPU (`.5 vCPU`, `0.5`) or units (`512`).
    Cpu,
    /// Memory, as GB (`1 GB`, `1`) or MiB (`1024`).
    Memory,
    /// A whole number.
    Number,
    /// The console label or the API name (`AWS Fargate`, `FARGATE`).
    LaunchType,
    /// The console's comma form or the JSON array.
    HealthCheck,
}

/// When a label binds the value after it to the template.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Bind {
    /// The label is ours on any page ("Container port", "Task role").
    Always,
    /// Other forms have a field of that name too ("CPU" of an alarm,
    /// "Protocol" of a listener): bound only in a step about our resources.
    Ours,
    /// "Desired tasks": the template's count when the service is created;
    /// a step changing a running service (pausing it) may set any count.
    Creating,
}

/// A console field label (lower case) whose typed value is this key's.
pub(super) struct Label {
    pub text: &'static str,
    pub compare: Compare,
    pub bind: Bind,
}

const fn label(text: &'static str, compare: Compare, bind: Bind) -> Label {
    Label {
        text,
        compare,
        bind,
    }
}

/// One `{{#value}}` key: where it is read, how it renders, the key a hint
/// names for it, and the console labels that bind a typed value to it.
pub(super) struct Key {
    pub name: &'static str,
    field: Field,
    render: fn(&Value) -> Option<String>,
    /// The console spelling of the same field, which hints suggest.
    pub console: Option<&'static str>,
    pub labels: &'static [Label],
}

const SERVICE: &str = "AWS::ECS::Service";
const CLUSTER: &str = "AWS::ECS::Cluster";

macro_rules! keys {
    ($($name:literal: $field:expr, $render:expr, $console:expr, [$($label:expr),*];)*) => {
        /// Every key, in the order the guide's contract lists them: adding a
        /// key is adding its row.
        pub(super) const TABLE: &[Key] = &[$(Key {
            name: $name,
            field: $field,
            render: $render,
            console: $console,
            labels: &[$($label),*],
        }),*];
        /// Every key's name, in the table's order.
        pub const KEYS: &[&str] = &[$($name),*];
    };
}

use Bind::{Always, Creating, Ours};
use Compare::*;
use Field::{Stack, Task};

keys! {
    "task.family": Task("/family"), scalar, None,
        [label("task definition family", Exact, Always), label("family", Exact, Ours)];
    "task.cpu": Task("/cpu"), |raw| console_cpu(scalar(raw)?.parse().ok()?), None, [];
    "task.cpu-units": Task("/cpu"), scalar, Some("task.cpu"), [label("cpu", Cpu, Ours)];
    "task.memory": Task("/memory"), |raw| Some(console_memory(scalar(raw)?.parse().ok()?)), None, [];
    "task.memory-mib": Task("/memory"), scalar, Some("task.memory"),
        [label("memory hard limit", Memory, Always), label("memory", Memory, Ours)];
    "task.launch-type": Task("/requiresCompatibilities/0"),
        |raw| Some(console_launch_type(&scalar(raw)?)), None, [];
    "task.launch-type-api": Task("/requiresCompatibilities/0"), scalar, Some("task.launch-type"),
        [label("launch type", LaunchType, Ours)];
    "task.network-mode": Task("/networkMode"), scalar, None, [label("network mode", AnyCase, Ours)];
    "task.container-name": Task("/containerDefinitions/0/name"), scalar, None,
        [label("container name", Exact, Always)];
    "task.container-port": Task("/containerDefinitions/0/portMappings/0/containerPort"), scalar, None,
        [label("container port", Number, Always), label("host port", Number, Always),
         label("port range", Number, Ours)];
    "task.protocol": Task("/containerDefinitions/0/portMappings/0/protocol"), upper, None,
        [label("protocol", AnyCase, Ours)];
    "task.app-protocol": Task("/containerDefinitions/0/portMappings/0/appProtocol"), upper, None,
        [label("app protocol", AnyCase, Always)];
    "task.health-check": Task("/containerDefinitions/0/healthCheck/command"),
        |raw| Some(command_words(raw)?.join(", ")), None, [];
    "task.health-check-json": Task("/containerDefinitions/0/healthCheck/command"), json_words, None,
        [label("command", HealthCheck, Ours)];
    "task.log-group": Task("/containerDefinitions/0/logConfiguration/options/awslogs-group"),
        scalar, None, [label("log group", Exact, Always), label("awslogs-group", Exact, Always)];
    "task.log-stream-prefix":
        Task("/containerDefinitions/0/logConfiguration/options/awslogs-stream-prefix"),
        scalar, None, [];
    "task.execution-role": Task("/executionRoleArn"), role_name, None,
        [label("task execution role", Exact, Always), label("execution role", Exact, Always)];
    "task.task-role": Task("/taskRoleArn"), role_name, None, [label("task role", Exact, Always)];
    "service.name": Stack(SERVICE, "ServiceName"), scalar, None,
        [label("service name", Exact, Always), label("name the new service", Exact, Always),
         label("name the service", Exact, Always)];
    "service.desired-count": Stack(SERVICE, "DesiredCount"), scalar, None,
        [label("desired tasks", Number, Creating), label("desired count", Number, Creating)];
    "cluster.name": Stack(CLUSTER, "ClusterName"), scalar, None,
        [label("cluster name", Exact, Always), label("name the new cluster", Exact, Always),
         label("name the cluster", Exact, Always)];
}

/// A key's row.
pub(super) fn key(name: &str) -> Option<&'static Key> {
    TABLE.iter().find(|k| k.name == name)
}

/// One value and the template field it is read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoundValue {
    pub key: &'static str,
    pub text: String,
    pub file: String,
    pub pointer: String,
}

/// The values the templates give, and why the others could not be read.
#[derive(Debug, Clone, Default)]
pub struct Values {
    found: Vec<BoundValue>,
    missing: Vec<(&'static str, String)>,
    /// Keys whose template has a syntax error: that error is reported once,
    /// at its place, with how many uses it blocks; the uses say nothing.
    blocked: Vec<&'static str>,
    /// The shipped architectures' console labels (`Linux/ARM64`) from the
    /// release facts, the only OS/architecture a console step may name.
    platforms: Vec<String>,
}

/// The template a key is read from.
pub fn template_of(key: &str) -> &'static str {
    match self::key(key).map(|k| k.field) {
        Some(Field::Stack(..)) => STACK,
        _ => TASK_DEFINITION,
    }
}

impl Values {
    /// Reads every key from the task definition and (for the service and
    /// cluster) the stack.
    pub(crate) fn read(task: &JsonFile, stack: Option<&JsonFile>) -> Self {
        Self::read_from(Some(task), stack)
    }

    /// [`Values::read`] when either template may be unreadable.
    fn read_from(task: Option<&JsonFile>, stack: Option<&JsonFile>) -> Self {
        let mut values = Values::default();
        for row in TABLE {
            let key = row.name;
            let (file, pointer): (Option<&JsonFile>, String) = match row.field {
                Field::Task(pointer) => (task, pointer.to_string()),
                Field::Stack(kind, property) => (stack, resource_pointer(stack, kind, property)),
            };
            let Some(file) = file else {
                values
                    .missing
                    .push((key, format!("there is no {}", template_of(key))));
                continue;
            };
            let raw = file
                .value
                .pointer(&pointer)
                .map(|v| templates::evaluate(&file.value, v));
            match raw.as_ref().and_then(|raw| (row.render)(raw)) {
                Some(text) => values.found.push(BoundValue {
                    key,
                    text,
                    file: file.path.clone(),
                    pointer,
                }),
                None => values.missing.push((
                    key,
                    format!("{} has no usable value at `{pointer}`", file.path),
                )),
            }
        }
        values
    }

    /// The same values, with the console labels of the shipped architectures.
    pub(crate) fn with_platforms(mut self, platforms: Vec<String>) -> Self {
        self.platforms = platforms;
        self
    }

    pub(crate) fn platforms(&self) -> &[String] {
        &self.platforms
    }

    pub fn get(&self, key: &str) -> Option<&BoundValue> {
        self.found.iter().find(|v| v.key == key)
    }

    /// True when the key's template has a syntax error (reported there).
    pub(crate) fn is_blocked(&self, key: &str) -> bool {
        self.blocked.contains(&key)
    }

    /// Why a known key has no value.
    pub(crate) fn why_missing(&self, key: &str) -> Option<&str> {
        self.missing
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, why)| why.as_str())
    }
}

fn resource_pointer(stack: Option<&JsonFile>, kind: &str, property: &str) -> String {
    let id = stack
        .and_then(|s| {
            templates::resources_of_type(&s.value, kind)
                .first()
                .map(|(id, _)| *id)
        })
        .unwrap_or("?");
    format!(
        "/Resources/{}/Properties/{property}",
        crate::model::json::escape(id)
    )
}

/// A scalar's text, as CloudFormation passes it on; `None` for the rest.
pub(crate) fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Protocols as the console writes them.
fn upper(raw: &Value) -> Option<String> {
    Some(scalar(raw)?.to_uppercase())
}

/// A command as a JSON array, as the console's health-check field takes it.
fn json_words(raw: &Value) -> Option<String> {
    let words: Vec<String> = command_words(raw)?
        .iter()
        .map(|w| Value::String(w.clone()).to_string())
        .collect();
    Some(format!("[{}]", words.join(", ")))
}

/// A role ARN's name, as the console's role list shows it.
fn role_name(raw: &Value) -> Option<String> {
    Some(scalar(raw)?.rsplit('/').next()?.to_string())
}

fn command_words(raw: &Value) -> Option<Vec<String>> {
    raw.as_array()?.iter().map(scalar).collect()
}

/// A number as the console writes it: `0.5` → `.5`, `1.0` → `1`.
fn console_number(value: f64) -> String {
    let text = format!("{value}");
    match text.strip_prefix("0.") {
        Some(fraction) => format!(".{fraction}"),
        None => text,
    }
}

/// CPU units as the console's Task size list shows them: 512 → `.5 vCPU`.
pub(crate) fn console_cpu(units: u32) -> Option<String> {
    (units > 0).then(|| format!("{} vCPU", console_number(f64::from(units) / 1024.0)))
}

/// Memory in MiB as the console shows it: 1024 → `1 GB`.
pub(crate) fn console_memory(mib: u32) -> String {
    format!("{} GB", console_number(f64::from(mib) / 1024.0))
}

/// `FARGATE` → `AWS Fargate`, the console's launch type label.
pub(crate) fn console_launch_type(api: &str) -> String {
    match api {
        "FARGATE" => "AWS Fargate".to_string(),
        "EC2" => "Amazon EC2 instances".to_string(),
        other => other.to_string(),
    }
}

pub(crate) const DIRECTIVE: directive::Spec = directive::Spec {
    name: "value",
    owner: "procedure",
    args: "KEY",
    stands: directive::Stands::Inline,
};

/// Replaces every `{{#value KEY}}` in `text` (the file `path`). A bad key
/// is an error at the directive and the directive is left in place (the
/// failed build never publishes it). `values` is `Err(why)` when the
/// templates could not be read.
pub(crate) fn expand(
    text: &str,
    path: &str,
    values: &Result<Values, String>,
    diagnostics: &mut Diagnostics,
) -> String {
    let map = TextMap::new(path, text);
    directive::replace(text, &[DIRECTIVE.name], |d| {
        let written = text[d.range.clone()].to_string();
        let here = || map.locate(d.range.clone());
        let [key] = d.args.as_slice() else {
            diagnostics.push(
                Diagnostic::raise(
                    PROCEDURES_UNKNOWN_VALUE,
                    here(),
                    "`{{#value}}` takes one key, e.g. `{{#value task.cpu}}`",
                )
                .with_hint(format!("the keys are: {}", KEYS.join(", "))),
            );
            return written;
        };
        if !KEYS.contains(key) {
            let mut found = Diagnostic::raise(
                PROCEDURES_UNKNOWN_VALUE,
                here(),
                format!("unknown value `{key}`"),
            );
            let near = crate::diagnostics::suggest::tied(key, KEYS.iter().copied());
            found = match crate::diagnostics::suggest::offer(&near, "") {
                Some(offer) => found.with_hint(offer),
                None => found.with_hint(format!("the keys are: {}", KEYS.join(", "))),
            };
            // One likely key: only the key changes, in the file as written.
            if let Some(only) = crate::diagnostics::suggest::only(key, KEYS.iter().copied()) {
                let at = key.as_ptr() as usize - text.as_ptr() as usize;
                found = found.with_fixes(
                    Edit::in_text(path, text, at..at + key.len(), only.to_string())
                        .into_iter()
                        .collect(),
                );
            }
            diagnostics.push(found);
            return written;
        }
        match values {
            Ok(values) => match values.get(key) {
                Some(value) => value.text.clone(),
                // The template's syntax error is the one report of this cause.
                None if values.is_blocked(key) => written,
                None => {
                    diagnostics.push(Diagnostic::raise(
                        PROCEDURES_VALUE_UNAVAILABLE,
                        here(),
                        format!(
                            "`{key}` cannot be read: {}",
                            values.why_missing(key).unwrap_or("not in the templates")
                        ),
                    ));
                    written
                }
            },
            Err(why) => {
                diagnostics.push(Diagnostic::raise(
                    PROCEDURES_VALUE_UNAVAILABLE,
                    here(),
                    format!("`{key}` cannot be read: {why}"),
                ));
                written
            }
        }
    })
}

/// The values of a book, or why they cannot be read.
pub fn load(book_root: &crate::model::book_root::BookRoot) -> Result<Values, String> {
    let task = templates::load(book_root, TASK_DEFINITION)
        .ok_or_else(|| format!("there is no {TASK_DEFINITION}"))?;
    let stack = templates::load(book_root, STACK);
    let mut values = Values::read_from(
        task.as_ref().ok(),
        stack.as_ref().and_then(|s| s.as_ref().ok()),
    );
    let invalid = |file: &str| match file {
        TASK_DEFINITION => task.is_err(),
        _ => matches!(stack, Some(Err(_))),
    };
    values.blocked = KEYS
        .iter()
        .copied()
        .filter(|k| invalid(template_of(k)))
        .collect();
    Ok(values)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn real(rel: &str) -> JsonFile {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/fixtures/guide-files/"
        );
        let text = std::fs::read_to_string(format!("{path}{rel}")).unwrap();
        JsonFile::parse(rel, text).unwrap()
    }

    #[test]
    fn every_row_is_whole_and_every_label_binds_one_key() {
        let mut labels = std::collections::HashSet::new();
        for row in TABLE {
            assert_eq!(
                key(row.name).map(|k| k.name),
                Some(row.name),
                "{} twice",
                row.name
            );
            if let Some(console) = row.console {
                assert!(
                    key(console).is_some(),
                    "{} hints at unknown {console}",
                    row.name
                );
            }
            for label in row.labels {
                assert_eq!(
                    label.text,
                    label.text.to_lowercase(),
                    "labels are lower case"
                );
                assert!(
                    labels.insert(label.text),
                    "label `{}` binds two keys",
                    label.text
                );
            }
        }
        assert_eq!(KEYS.len(), TABLE.len());
    }

    #[test]
    fn every_key_renders_from_the_real_templates() {
        let values = Values::read(&real(TASK_DEFINITION), Some(&real(STACK)));
        let got: Vec<_> = KEYS
            .iter()
            .map(|k| values.get(k).map(|v| v.text.as_str()).unwrap_or("MISSING"))
            .collect();
        assert_eq!(
            got,
            [
                "responderapi-task",
                ".5 vCPU",
                "512",
                "1 GB",
                "1024",
                "AWS Fargate",
                "FARGATE",
                "awsvpc",
                "responderapi",
                "8080",
                "TCP",
                "HTTP",
                "CMD, /sbin/healthcheck, --url=http://localhost:8080/healthcheck",
                r#"["CMD", "/sbin/healthcheck", "--url=http://localhost:8080/healthcheck"]"#,
                "/ecs/responderapi-task",
                "ecs",
                "ResponderAPIECSTaskExecutionRole",
                "ResponderAPIECSTaskRole",
                "responderapi-service",
                "1",
                "responderapi-cluster",
            ]
        );
        assert_eq!(
            values.get("service.name").unwrap().pointer,
            "/Resources/Service/Properties/ServiceName"
        );
    }

    #[test]
    fn directives_expand_and_bad_keys_are_located_with_a_suggestion() {
        let values = Ok(Values::read(&real(TASK_DEFINITION), None));
        let mut found = Diagnostics::new();
        let text =
            "CPU **{{#value task.cpu}}**\nport {{#value task.prot}} {{#value service.name}}\n";
        let out = expand(text, "src/a.md", &values, &mut found);
        assert_eq!(
            out,
            "CPU **.5 vCPU**\nport {{#value task.prot}} {{#value service.name}}\n"
        );
        let found: Vec<_> = found.into_iter().collect();
        assert_eq!(
            found[0].short(),
            "src/a.md:2:6: error[procedures::unknown-value]: unknown value `task.prot`"
        );
        assert_eq!(
            found[0].hint.as_deref(),
            Some("did you mean `task.protocol`?")
        );
        assert_eq!(
            found[1].short(),
            "src/a.md:2:27: error[procedures::value-unavailable]: `service.name` cannot be read: there is no templates/responderapi-stack.json"
        );
    }

    #[test]
    fn console_forms_and_fargate_pairs() {
        assert_eq!(console_cpu(256).unwrap(), ".25 vCPU");
        assert_eq!(console_cpu(2048).unwrap(), "2 vCPU");
        assert_eq!(console_memory(512), ".5 GB");
        assert_eq!(console_memory(3072), "3 GB");
    }
}
