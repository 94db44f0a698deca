//! `{{#value KEY}}`: a value read from the templates, rendered as the
//! console (or the API) spells it, so a step can never state another one.

use super::templates::{self, JsonFile, STACK, TASK_DEFINITION};
use crate::diagnostics::codes;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::directive;
use crate::location::Location;
use serde_json::Value;

/// Every key, in the order the guide's contract lists them.
pub const KEYS: &[&str] = &[
    "task.family",
    "task.cpu",
    "task.cpu-units",
    "task.memory",
    "task.memory-mib",
    "task.launch-type",
    "task.launch-type-api",
    "task.network-mode",
    "task.container-name",
    "task.container-port",
    "task.protocol",
    "task.app-protocol",
    "task.health-check",
    "task.health-check-json",
    "task.log-group",
    "task.log-stream-prefix",
    "task.execution-role",
    "task.task-role",
    "service.name",
    "service.desired-count",
    "cluster.name",
];

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
}

/// The template a key is read from.
pub fn template_of(key: &str) -> &'static str {
    if key.starts_with("service.") || key.starts_with("cluster.") {
        STACK
    } else {
        TASK_DEFINITION
    }
}

impl Values {
    /// Reads every key from the task definition and (for the service and
    /// cluster) the stack.
    pub fn read(task: &JsonFile, stack: Option<&JsonFile>) -> Self {
        Self::read_from(Some(task), stack)
    }

    /// [`Values::read`] when either template may be unreadable.
    fn read_from(task: Option<&JsonFile>, stack: Option<&JsonFile>) -> Self {
        let mut values = Values::default();
        let container = "/containerDefinitions/0";
        let port = format!("{container}/portMappings/0");
        let logs = format!("{container}/logConfiguration/options");
        let health = format!("{container}/healthCheck/command");
        for &key in KEYS {
            let (file, pointer): (Option<&JsonFile>, String) = match key {
                "task.family" => (task, "/family".into()),
                "task.cpu" | "task.cpu-units" => (task, "/cpu".into()),
                "task.memory" | "task.memory-mib" => (task, "/memory".into()),
                "task.launch-type" | "task.launch-type-api" => {
                    (task, "/requiresCompatibilities/0".into())
                }
                "task.network-mode" => (task, "/networkMode".into()),
                "task.container-name" => (task, format!("{container}/name")),
                "task.container-port" => (task, format!("{port}/containerPort")),
                "task.protocol" => (task, format!("{port}/protocol")),
                "task.app-protocol" => (task, format!("{port}/appProtocol")),
                "task.health-check" | "task.health-check-json" => (task, health.clone()),
                "task.log-group" => (task, format!("{logs}/awslogs-group")),
                "task.log-stream-prefix" => (task, format!("{logs}/awslogs-stream-prefix")),
                "task.execution-role" => (task, "/executionRoleArn".into()),
                "task.task-role" => (task, "/taskRoleArn".into()),
                "service.name" => (
                    stack,
                    resource_pointer(stack, "AWS::ECS::Service", "ServiceName"),
                ),
                "service.desired-count" => (
                    stack,
                    resource_pointer(stack, "AWS::ECS::Service", "DesiredCount"),
                ),
                "cluster.name" => (
                    stack,
                    resource_pointer(stack, "AWS::ECS::Cluster", "ClusterName"),
                ),
                _ => unreachable!("every key is listed above"),
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
            match raw.as_ref().and_then(|raw| render(key, raw)) {
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

    pub fn get(&self, key: &str) -> Option<&BoundValue> {
        self.found.iter().find(|v| v.key == key)
    }

    /// True when the key's template has a syntax error (reported there).
    pub fn is_blocked(&self, key: &str) -> bool {
        self.blocked.contains(&key)
    }

    /// Why a known key has no value.
    pub fn why_missing(&self, key: &str) -> Option<&str> {
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
        crate::json::escape(id)
    )
}

fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The text a key renders as, from its raw template value.
fn render(key: &str, raw: &Value) -> Option<String> {
    match key {
        "task.cpu" => console_cpu(scalar(raw)?.parse().ok()?),
        "task.memory" => Some(console_memory(scalar(raw)?.parse().ok()?)),
        "task.launch-type" => Some(console_launch_type(&scalar(raw)?)),
        "task.protocol" | "task.app-protocol" => Some(scalar(raw)?.to_uppercase()),
        "task.health-check" => Some(command_words(raw)?.join(", ")),
        "task.health-check-json" => {
            let words: Vec<String> = command_words(raw)?
                .iter()
                .map(|w| Value::String(w.clone()).to_string())
                .collect();
            Some(format!("[{}]", words.join(", ")))
        }
        "task.execution-role" | "task.task-role" => {
            let arn = scalar(raw)?;
            Some(arn.rsplit('/').next()?.to_string())
        }
        _ => scalar(raw),
    }
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
pub fn console_cpu(units: u32) -> Option<String> {
    (units > 0).then(|| format!("{} vCPU", console_number(f64::from(units) / 1024.0)))
}

/// Memory in MiB as the console shows it: 1024 → `1 GB`.
pub fn console_memory(mib: u32) -> String {
    format!("{} GB", console_number(f64::from(mib) / 1024.0))
}

/// `FARGATE` → `AWS Fargate`, the console's launch type label.
pub fn console_launch_type(api: &str) -> String {
    match api {
        "FARGATE" => "AWS Fargate".to_string(),
        "EC2" => "Amazon EC2 instances".to_string(),
        other => other.to_string(),
    }
}

/// Whether Fargate accepts a task of `cpu` units and `memory` MiB.
pub fn fargate_pair(cpu: u32, memory: u32) -> bool {
    let (low, high, step) = match cpu {
        256 => return matches!(memory, 512 | 1024 | 2048),
        512 => (1024, 4096, 1024),
        1024 => (2048, 8192, 1024),
        2048 => (4096, 16384, 1024),
        4096 => (8192, 30720, 1024),
        8192 => (16384, 61440, 4096),
        16384 => (32768, 122880, 8192),
        _ => return false,
    };
    (low..=high).contains(&memory) && (memory - low).is_multiple_of(step)
}

pub const DIRECTIVE: directive::Spec = directive::Spec {
    name: "value",
    owner: "procedure",
    args: "KEY",
    stands: directive::Stands::Inline,
};

/// Replaces every `{{#value KEY}}` in `text` (the file `path`). A bad key
/// is an error at the directive and the directive is left in place (the
/// failed build never publishes it). `values` is `Err(why)` when the
/// templates could not be read.
pub fn expand(
    text: &str,
    path: &str,
    values: &Result<Values, String>,
    diagnostics: &mut Diagnostics,
) -> String {
    directive::replace(text, &[DIRECTIVE.name], |d| {
        let written = text[d.range.clone()].to_string();
        let here = || Location::in_text(path, text, d.range.clone());
        let [key] = d.args.as_slice() else {
            diagnostics.push(
                Diagnostic::error(
                    codes::PROCEDURES_UNKNOWN_VALUE,
                    here(),
                    "`{{#value}}` takes one key, e.g. `{{#value task.cpu}}`",
                )
                .with_hint(format!("the keys are: {}", KEYS.join(", "))),
            );
            return written;
        };
        if !KEYS.contains(key) {
            let mut found = Diagnostic::error(
                codes::PROCEDURES_UNKNOWN_VALUE,
                here(),
                format!("unknown value `{key}`"),
            );
            found = match crate::suggest::closest(key, KEYS.iter().copied()) {
                Some(near) => found.with_hint(format!("did you mean `{near}`?")),
                None => found.with_hint(format!("the keys are: {}", KEYS.join(", "))),
            };
            diagnostics.push(found);
            return written;
        }
        match values {
            Ok(values) => match values.get(key) {
                Some(value) => value.text.clone(),
                // The template's syntax error is the one report of this cause.
                None if values.is_blocked(key) => written,
                None => {
                    diagnostics.push(Diagnostic::error(
                        codes::PROCEDURES_VALUE_UNAVAILABLE,
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
                diagnostics.push(Diagnostic::error(
                    codes::PROCEDURES_VALUE_UNAVAILABLE,
                    here(),
                    format!("`{key}` cannot be read: {why}"),
                ));
                written
            }
        }
    })
}

/// The values of a book, or why they cannot be read.
pub fn load(book_root: &crate::book_root::BookRoot) -> Result<Values, String> {
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
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../");
        let text = std::fs::read_to_string(format!("{path}{rel}")).unwrap();
        JsonFile::parse(rel, text).unwrap()
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
        assert!(fargate_pair(512, 1024) && fargate_pair(256, 2048) && fargate_pair(8192, 20480));
        assert!(!fargate_pair(512, 512) && !fargate_pair(256, 3072) && !fargate_pair(8192, 18432));
        assert!(!fargate_pair(500, 1024));
    }
}
