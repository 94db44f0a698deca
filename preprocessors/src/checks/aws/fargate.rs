//! The task-definition rules the ECS model cannot express: Fargate's
//! CPU/memory pairs and `awsvpc` network mode, the health-check command
//! form, and the awslogs driver's options.

use super::shapes::{Place, escape, is_placeholder, suggest};
use crate::checks::rule::Model;
use crate::diagnostics::{Code, Diagnostics, Problem};
use serde_json::Value;

crate::checks::rule::rule! {
    check: check_book;
    AWS_AWSLOGS = "aws::awslogs", error: "the awslogs log driver without an option it needs, or with one it does not know";
    AWS_FARGATE = "aws::fargate", error: "a task definition Fargate cannot run (CPU/memory pair, network mode)";
    AWS_HEALTH_CHECK = "aws::health-check", error: "a health-check command that does not start with `CMD` or `CMD-SHELL`";
}

/// The codes of the Fargate rules, outcomes of one check.
pub(crate) const CODES: &[Code] = &[AWS_AWSLOGS, AWS_FARGATE, AWS_HEALTH_CHECK];

/// What the Fargate rules find in the book's task definitions.
fn check_book(model: &Model<'_, '_>, out: &mut Diagnostics) -> anyhow::Result<()> {
    let found = model.shared::<super::TaskDefinitions>();
    out.extend(
        found
            .problems
            .iter()
            .filter(|d| CODES.contains(&d.code))
            .cloned(),
    );
    Ok(())
}

/// The options the awslogs driver accepts.
const AWSLOGS_OPTIONS: &[&str] = &[
    "awslogs-create-group",
    "awslogs-datetime-format",
    "awslogs-endpoint",
    "awslogs-group",
    "awslogs-multiline-pattern",
    "awslogs-region",
    "awslogs-stream-prefix",
    "max-buffer-size",
    "mode",
];

/// Whether Fargate accepts a task of `cpu` units and `memory` MiB.
pub(crate) fn fargate_pair(cpu: u32, memory: u32) -> bool {
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

/// Checks a task definition (RegisterTaskDefinition's JSON form), placing
/// each problem with `place`.
pub(crate) fn check(task: &Value, place: &dyn Place) -> Vec<Problem> {
    let mut out = Vec::new();
    let fargate = task
        .get("requiresCompatibilities")
        .and_then(Value::as_array)
        .is_some_and(|c| c.iter().any(|v| v == "FARGATE"));
    if fargate {
        fargate_task(task, place, &mut out);
    }
    let containers = task.get("containerDefinitions").and_then(Value::as_array);
    for (i, container) in containers.into_iter().flatten().enumerate() {
        let at = format!("/containerDefinitions/{i}");
        health_check(container, &at, place, &mut out);
        awslogs(container, &at, fargate, place, &mut out);
    }
    out
}

fn fargate_task(task: &Value, place: &dyn Place, out: &mut Vec<Problem>) {
    match task.get("networkMode").and_then(Value::as_str) {
        Some("awsvpc") => {}
        Some(mode) => out.push(
            place.raise("/networkMode", AWS_FARGATE, format!("Fargate tasks need `networkMode` `awsvpc`, not `{mode}`"))
                .with_hint("Fargate gives every task its own network interface; set \"networkMode\": \"awsvpc\""),
        ),
        None => out.push(
            place.raise("/requiresCompatibilities", AWS_FARGATE, "a Fargate task definition needs `\"networkMode\": \"awsvpc\"`")
                .with_hint("add \"networkMode\": \"awsvpc\""),
        ),
    }
    // A template may write the size as a number: CloudFormation converts it.
    let size = |key: &str| match task.get(key) {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    match (size("cpu").as_deref(), size("memory").as_deref()) {
        (Some(cpu), Some(memory)) if !is_placeholder(cpu) && !is_placeholder(memory) => {
            match (cpu.parse::<u32>(), memory.parse::<u32>()) {
                (Ok(c), Ok(m)) if fargate_pair(c, m) => {}
                (Ok(_), Ok(_)) => out.push(
                    place.raise("/memory", AWS_FARGATE, format!("Fargate has no task size of {cpu} CPU units with {memory} MiB"))
                        .with_hint(pairs_hint(cpu)),
                ),
                _ => out.push(
                    place.raise("/cpu", AWS_FARGATE, format!("write `cpu` and `memory` as numbers of CPU units and MiB (`{cpu}`, `{memory}`)"))
                        .with_hint("for example \"cpu\": \"512\", \"memory\": \"1024\""),
                ),
            }
        }
        (Some(_), Some(_)) => {}
        (cpu, _) => {
            let missing = if cpu.is_none() { "cpu" } else { "memory" };
            out.push(
                place
                    .raise(
                        "/requiresCompatibilities",
                        AWS_FARGATE,
                        format!("a Fargate task definition needs task-level `{missing}`"),
                    )
                    .with_hint(
                        "Fargate sizes the task from `cpu` and `memory`, e.g. \"512\" and \"1024\"",
                    ),
            );
        }
    }
}

fn pairs_hint(cpu: &str) -> String {
    let memories: Vec<String> = cpu
        .parse::<u32>()
        .ok()
        .map(|c| {
            (512..=122_880)
                .step_by(512)
                .filter(|&m| fargate_pair(c, m))
                .map(|m| m.to_string())
                .collect()
        })
        .unwrap_or_default();
    if memories.is_empty() {
        "Fargate CPU values: 256, 512, 1024, 2048, 4096, 8192, 16384".to_string()
    } else {
        format!(
            "with {cpu} CPU units Fargate allows {} MiB",
            memories.join(", ")
        )
    }
}

fn health_check(container: &Value, at: &str, place: &dyn Place, out: &mut Vec<Problem>) {
    let Some(command) = container
        .pointer("/healthCheck/command")
        .and_then(Value::as_array)
    else {
        return;
    };
    let first = command.first().and_then(Value::as_str);
    if !matches!(first, Some("CMD" | "CMD-SHELL")) {
        let pointer = if command.is_empty() {
            format!("{at}/healthCheck/command")
        } else {
            format!("{at}/healthCheck/command/0")
        };
        out.push(
            place.raise(&pointer, AWS_HEALTH_CHECK, "a health-check command starts with `CMD` or `CMD-SHELL`")
                .with_hint("[\"CMD\", \"/path/to/check\", …] runs the program directly; [\"CMD-SHELL\", \"…\"] runs it through the image's shell"),
        );
    }
}

fn awslogs(container: &Value, at: &str, fargate: bool, place: &dyn Place, out: &mut Vec<Problem>) {
    let Some(config) = container.get("logConfiguration") else {
        return;
    };
    if config.get("logDriver").and_then(Value::as_str) != Some("awslogs") {
        return;
    }
    let empty = serde_json::Map::new();
    let options = config
        .get("options")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let base = format!("{at}/logConfiguration/options");
    for key in options.keys() {
        if !AWSLOGS_OPTIONS.contains(&key.as_str()) {
            let hint = suggest(key, AWSLOGS_OPTIONS.iter().copied())
                .map(|close| format!("did you mean `{close}`?"));
            out.push(
                place
                    .raise_at_key(
                        &format!("{base}/{}", escape(key)),
                        AWS_AWSLOGS,
                        format!("`{key}` is not an awslogs option"),
                    )
                    .with_hint_if(hint),
            );
        }
    }
    let mut required = vec!["awslogs-group", "awslogs-region"];
    if fargate {
        required.push("awslogs-stream-prefix");
    }
    for key in required {
        if !options.contains_key(key) {
            out.push(
                place
                    .raise(
                        &format!("{at}/logConfiguration/logDriver"),
                        AWS_AWSLOGS,
                        format!("the awslogs driver needs the `{key}` option"),
                    )
                    .with_hint(if key == "awslogs-stream-prefix" {
                        "Fargate requires a stream prefix, e.g. \"ecs\""
                    } else {
                        "add it under `options`"
                    }),
            );
        }
    }
    if let Some(value) = options.get("awslogs-create-group")
        && !matches!(value.as_str(), Some("true" | "false"))
    {
        out.push(
            place
                .raise(
                    &format!("{base}/awslogs-create-group"),
                    AWS_AWSLOGS,
                    "`awslogs-create-group` is the string \"true\" or \"false\"",
                )
                .with_hint("log options are strings: write \"true\", with quotes"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::aws::shapes::Pointers;

    #[test]
    fn fargate_pairs() {
        assert!(fargate_pair(512, 1024) && fargate_pair(256, 2048) && fargate_pair(8192, 20480));
        assert!(!fargate_pair(512, 512) && !fargate_pair(256, 3072) && !fargate_pair(8192, 18432));
        assert!(!fargate_pair(500, 1024));
    }
    use serde_json::json;

    fn found(task: Value) -> Vec<String> {
        let place = Pointers::default();
        check(&task, &place)
            .iter()
            .map(|p| format!("{} {}", place.pointer(p), p.message))
            .collect()
    }

    fn task() -> Value {
        serde_json::from_str(include_str!(
            "../../../../tests/fixtures/guide-files/templates/task-definition.json"
        ))
        .unwrap()
    }

    #[test]
    fn the_guides_task_definition_passes() {
        assert_eq!(found(task()), Vec::<String>::new());
    }

    #[test]
    fn a_size_fargate_does_not_offer_is_reported_with_the_allowed_memory() {
        let mut t = task();
        t["memory"] = json!("512");
        let all = check(&t, &Pointers::default());
        assert_eq!(
            all[0].message,
            "Fargate has no task size of 512 CPU units with 512 MiB"
        );
        assert_eq!(
            all[0].hint.as_deref(),
            Some("with 512 CPU units Fargate allows 1024, 2048, 3072, 4096 MiB")
        );
    }

    #[test]
    fn bridge_mode_health_check_form_and_awslogs_options() {
        let mut t = task();
        t["networkMode"] = json!("bridge");
        t["containerDefinitions"][0]["healthCheck"]["command"] = json!(["/sbin/healthcheck"]);
        let options = &mut t["containerDefinitions"][0]["logConfiguration"]["options"];
        options
            .as_object_mut()
            .unwrap()
            .remove("awslogs-stream-prefix");
        options["awslogs-regoin"] = json!("us-east-1");
        options["awslogs-create-group"] = json!(true);
        assert_eq!(
            found(t),
            [
                "/networkMode Fargate tasks need `networkMode` `awsvpc`, not `bridge`",
                "/containerDefinitions/0/healthCheck/command/0 a health-check command starts with `CMD` or `CMD-SHELL`",
                "/containerDefinitions/0/logConfiguration/options/awslogs-regoin `awslogs-regoin` is not an awslogs option",
                "/containerDefinitions/0/logConfiguration/logDriver the awslogs driver needs the `awslogs-stream-prefix` option",
                "/containerDefinitions/0/logConfiguration/options/awslogs-create-group `awslogs-create-group` is the string \"true\" or \"false\"",
            ]
        );
    }

    #[test]
    fn an_ec2_task_needs_no_fargate_size() {
        assert!(
            found(json!({"family": "f", "networkMode": "bridge", "containerDefinitions": []}))
                .is_empty()
        );
    }
}
