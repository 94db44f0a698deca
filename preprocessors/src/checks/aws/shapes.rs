//! A JSON value checked against a botocore input shape: unknown members
//! (with a did-you-mean), types, enums, required members, and the lengths,
//! ranges and patterns the model states. Placeholders stand for a value the
//! reader fills in, so only their type is checked.

use super::models::{ServiceModel, Shape};
use crate::checks::rule::Model;
use crate::diagnostics::{Code, Diagnostics, Problem};
use crate::model::json::Index;
use serde_json::Value;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, Mutex, OnceLock};

crate::checks::rule::rule! {
    check: check_book;
    AWS_INVALID_ENUM = "aws::invalid-enum", error: "a task-definition value the ECS model does not allow";
    AWS_INVALID_VALUE = "aws::invalid-value", error: "a task-definition value outside the length, range or pattern the ECS model states";
    AWS_MISSING_MEMBER = "aws::missing-member", error: "a task definition without a member the ECS model requires";
    AWS_UNKNOWN_MEMBER = "aws::unknown-member", error: "a task-definition member the ECS model does not have (usually a misspelling)";
    AWS_WRONG_TYPE = "aws::wrong-type", error: "a task-definition value of the wrong JSON type";
}

/// The codes of the shape check.
pub(crate) const CODES: &[Code] = &[
    AWS_INVALID_ENUM,
    AWS_INVALID_VALUE,
    AWS_MISSING_MEMBER,
    AWS_UNKNOWN_MEMBER,
    AWS_WRONG_TYPE,
];

/// What the input shapes refuse: in the task definitions, the CLI
/// commands' values and the `--cli-input-json` files.
fn check_book(model: &Model<'_, '_>, out: &mut Diagnostics) -> anyhow::Result<()> {
    let ours = |d: &&crate::diagnostics::Diagnostic| CODES.contains(&d.code);
    let tasks = model.shared::<super::TaskDefinitions>();
    out.extend(tasks.problems.iter().filter(ours).cloned());
    let scripts = model.shared::<super::Scripts>();
    out.extend(scripts.findings(model, |code| CODES.contains(&code)));
    let files = model.shared::<super::FileChecks>();
    out.extend(files.problems.iter().filter(ours).cloned());
    Ok(())
}

/// Where a check places a problem about a JSON pointer into the value it
/// checks: the byte range of the value there, or of the member's key.
pub(crate) trait Place {
    fn value_range(&self, pointer: &str) -> Range<usize>;
    fn key_range(&self, pointer: &str) -> Range<usize>;
}

impl dyn Place + '_ {
    /// A problem about the value at `pointer`.
    pub(crate) fn raise(&self, pointer: &str, code: Code, message: impl Into<String>) -> Problem {
        Problem::raise(code, self.value_range(pointer), message)
    }

    /// A problem about the member `pointer`, at its key (a key that should
    /// not be there).
    pub(crate) fn raise_at_key(
        &self,
        pointer: &str,
        code: Code,
        message: impl Into<String>,
    ) -> Problem {
        Problem::raise(code, self.key_range(pointer), message)
    }
}

impl Place for Index {
    fn value_range(&self, pointer: &str) -> Range<usize> {
        Index::value_range(self, pointer)
    }

    fn key_range(&self, pointer: &str) -> Range<usize> {
        Index::key_range(self, pointer)
    }
}

/// For unit tests: each pointer asked for placed at its own number, so a
/// problem's pointer can be read back (one pointer, one place, as with
/// [`Index`]).
#[cfg(test)]
#[derive(Default)]
pub(crate) struct Pointers(std::cell::RefCell<Vec<String>>);

#[cfg(test)]
impl Pointers {
    fn record(&self, pointer: &str) -> Range<usize> {
        let mut asked = self.0.borrow_mut();
        let at = match asked.iter().position(|p| p == pointer) {
            Some(at) => at,
            None => {
                asked.push(pointer.to_string());
                asked.len() - 1
            }
        };
        at..at
    }

    /// The pointer a problem was placed at.
    pub(crate) fn pointer(&self, problem: &Problem) -> String {
        self.0.borrow()[problem.range.start].clone()
    }

    /// `pointer code message | hint`, the one-line form unit tests assert.
    pub(crate) fn line(&self, problem: &Problem) -> String {
        let hint = problem.hint.as_deref().unwrap_or_default();
        format!(
            "{} {} {} | {hint}",
            self.pointer(problem),
            problem.code,
            problem.message
        )
    }
}

#[cfg(test)]
impl Place for Pointers {
    fn value_range(&self, pointer: &str) -> Range<usize> {
        self.record(pointer)
    }

    fn key_range(&self, pointer: &str) -> Range<usize> {
        self.record(pointer)
    }
}

/// A value the reader supplies: `${Name}`, `$VAR`, `$(…)`, `<value>`, `…`.
pub(crate) fn is_placeholder(s: &str) -> bool {
    s.contains("${")
        || s.contains("$(")
        || s.starts_with('$')
        || (s.starts_with('<') && s.ends_with('>'))
        || s.contains('…')
        || s.contains("...")
        || s.contains("{{")
}

/// Checks `value` against the input shape `shape` of `model`, placing each
/// problem with `place`.
pub(crate) fn check(
    model: &ServiceModel,
    shape: &str,
    value: &Value,
    place: &dyn Place,
) -> Vec<Problem> {
    let mut out = Out {
        place,
        problems: Vec::new(),
    };
    walk(model, shape, value, "", &mut out);
    out.problems
}

/// The problems found so far, and where they go.
struct Out<'p> {
    place: &'p dyn Place,
    problems: Vec<Problem>,
}

impl Out<'_> {
    fn push(&mut self, problem: Problem) {
        self.problems.push(problem);
    }
}

fn walk(model: &ServiceModel, name: &str, value: &Value, pointer: &str, out: &mut Out<'_>) {
    let Some(shape) = model.shape(name) else {
        return;
    };
    let place = out.place;
    let wrong_type = |expected: &str| {
        place
            .raise(
                pointer,
                AWS_WRONG_TYPE,
                format!(
                    "`{}` must be {expected}, not {}",
                    member_name(pointer),
                    kind_of(value)
                ),
            )
            .with_hint(format!(
                "`{name}` in the {} model is of type {}",
                model.service, shape.kind
            ))
    };
    match (shape.kind.as_str(), value) {
        ("structure", Value::Object(map)) => {
            // A misspelt member is one problem: the member it was meant
            // to be is not reported missing as well.
            let mut meant = Vec::new();
            for (key, member) in map {
                let child = format!("{pointer}/{}", escape(key));
                match shape.members.get(key) {
                    Some(target) => walk(model, target, member, &child, out),
                    None => {
                        meant.extend(suggest(key, shape.members.keys().map(String::as_str)));
                        out.push(unknown_member(model, name, shape, key, &child, place));
                    }
                }
            }
            for required in &shape.required {
                if !map.contains_key(required) && !meant.contains(required) {
                    out.push(
                        place
                            .raise(
                                pointer,
                                AWS_MISSING_MEMBER,
                                format!("`{required}` is required in `{}`", member_name(pointer)),
                            )
                            .with_hint(format!(
                                "the {} model requires `{required}` in `{name}`",
                                model.service
                            )),
                    );
                }
            }
        }
        ("structure", _) => out.push(wrong_type("an object")),
        ("list", Value::Array(items)) => {
            length(shape, items.len(), "items", pointer, out);
            if let Some(member) = &shape.member {
                for (i, item) in items.iter().enumerate() {
                    walk(model, member, item, &format!("{pointer}/{i}"), out);
                }
            }
        }
        ("list", _) => out.push(wrong_type("an array")),
        ("map", Value::Object(map)) => {
            for (key, item) in map {
                if let Some(target) = &shape.value {
                    walk(
                        model,
                        target,
                        item,
                        &format!("{pointer}/{}", escape(key)),
                        out,
                    );
                }
            }
        }
        ("map", _) => out.push(wrong_type("an object")),
        ("string", Value::String(s)) => string(model, name, shape, s, pointer, out),
        ("string", _) => out.push(wrong_type("a string")),
        ("integer" | "long", Value::Number(n)) if n.is_i64() || n.is_u64() => {
            range(shape, n.as_f64().unwrap_or_default(), pointer, out)
        }
        ("integer" | "long", _) => out.push(wrong_type("an integer")),
        ("float" | "double", Value::Number(n)) => {
            range(shape, n.as_f64().unwrap_or_default(), pointer, out)
        }
        ("float" | "double", _) => out.push(wrong_type("a number")),
        ("boolean", Value::Bool(_)) => {}
        ("boolean", _) => out.push(wrong_type("`true` or `false`")),
        ("timestamp", Value::String(_) | Value::Number(_)) => {}
        ("timestamp", _) => out.push(wrong_type("a timestamp")),
        ("blob", Value::String(_)) => {}
        ("blob", _) => out.push(wrong_type("a base64 string")),
        _ => {}
    }
}

fn unknown_member(
    model: &ServiceModel,
    name: &str,
    shape: &Shape,
    key: &str,
    pointer: &str,
    place: &dyn Place,
) -> Problem {
    let problem = place.raise_at_key(
        pointer,
        AWS_UNKNOWN_MEMBER,
        format!("`{key}` is not a member of `{name}`"),
    );
    match suggest(key, shape.members.keys().map(String::as_str)) {
        Some(close) => problem.with_hint(format!("did you mean `{close}`?")),
        None => problem.with_hint(format!(
            "the {} model's `{name}` has: {}",
            model.service,
            shape
                .members
                .keys()
                .map(|m| format!("`{m}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// The closest candidate to a misspelt name or value: a transposition or a
/// wrong case counts as one edit, so short values (`tpc`) still get a hint.
pub(crate) fn suggest<'a>(
    wanted: &str,
    candidates: impl Iterator<Item = &'a str>,
) -> Option<String> {
    let wanted = wanted.to_ascii_lowercase();
    candidates
        .map(|c| {
            (
                strsim::normalized_damerau_levenshtein(&wanted, &c.to_ascii_lowercase()),
                c,
            )
        })
        .filter(|(score, _)| *score >= 0.6)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c.to_string())
}

/// `did you mean `X`?` for the closest of `choices`, else all of them
/// after `lead` (`one of`, `allowed here:`).
pub(crate) fn choice_hint(wanted: &str, choices: &[String], lead: &str) -> String {
    match suggest(wanted, choices.iter().map(String::as_str)) {
        Some(close) => format!("did you mean `{close}`?"),
        None => {
            let all: Vec<String> = choices.iter().map(|c| format!("`{c}`")).collect();
            format!("{lead} {}", all.join(", "))
        }
    }
}

/// Compiled once per process, by key: a model's patterns and schemas are
/// the same for every value checked against them.
pub(crate) type Memo<T> = OnceLock<Mutex<HashMap<String, Arc<T>>>>;

pub(crate) fn memo<T>(memo: &Memo<T>, key: &str, make: impl FnOnce() -> T) -> Arc<T> {
    let cache = memo.get_or_init(Default::default);
    if let Some(found) = cache.lock().ok().and_then(|c| c.get(key).cloned()) {
        return found;
    }
    let made = Arc::new(make());
    if let Ok(mut c) = cache.lock() {
        c.insert(key.to_string(), made.clone());
    }
    made
}

/// A model's pattern, compiled (`None`: the regex crate cannot compile it).
fn compiled(pattern: &str) -> Arc<Option<regex::Regex>> {
    static COMPILED: Memo<Option<regex::Regex>> = OnceLock::new();
    memo(&COMPILED, pattern, || regex::Regex::new(pattern).ok())
}

/// Enum, length and pattern of a string the writer typed (not a placeholder).
pub(crate) fn string_problem(shape: &Shape, s: &str) -> Option<(Code, String, Option<String>)> {
    if is_placeholder(s) {
        return None;
    }
    if let Some(values) = &shape.enumeration
        && !values.iter().any(|v| v == s)
    {
        let hint = choice_hint(s, values, "one of");
        return Some((
            AWS_INVALID_ENUM,
            format!("`{s}` is not an allowed value"),
            Some(hint),
        ));
    }
    let chars = s.chars().count() as f64;
    if shape.min.is_some_and(|min| chars < min) || shape.max.is_some_and(|max| chars > max) {
        return Some((
            AWS_INVALID_VALUE,
            format!(
                "`{s}` has {chars} characters; the model allows {}",
                bounds(shape)
            ),
            None,
        ));
    }
    if let Some(pattern) = &shape.pattern {
        // botocore patterns are not anchored; one the regex crate cannot
        // compile (look-around) is skipped rather than guessed at.
        if let Some(re) = compiled(pattern).as_ref()
            && !re.is_match(s)
        {
            return Some((
                AWS_INVALID_VALUE,
                format!("`{s}` does not match the model's pattern `{pattern}`"),
                None,
            ));
        }
    }
    None
}

fn string(
    model: &ServiceModel,
    name: &str,
    shape: &Shape,
    s: &str,
    pointer: &str,
    out: &mut Out<'_>,
) {
    if let Some((code, message, hint)) = string_problem(shape, s) {
        let problem = out
            .place
            .raise(
                pointer,
                code,
                format!("{}: {message}", member_name(pointer)),
            )
            .with_hint(
                hint.unwrap_or_else(|| format!("see `{name}` in the {} model", model.service)),
            );
        out.push(problem);
    }
}

fn length(shape: &Shape, len: usize, what: &str, pointer: &str, out: &mut Out<'_>) {
    let len = len as f64;
    if shape.min.is_some_and(|min| len < min) || shape.max.is_some_and(|max| len > max) {
        let problem = out.place.raise(
            pointer,
            AWS_INVALID_VALUE,
            format!(
                "`{}` has {len} {what}; the model allows {}",
                member_name(pointer),
                bounds(shape)
            ),
        );
        out.push(problem);
    }
}

fn range(shape: &Shape, n: f64, pointer: &str, out: &mut Out<'_>) {
    if shape.min.is_some_and(|min| n < min) || shape.max.is_some_and(|max| n > max) {
        let problem = out.place.raise(
            pointer,
            AWS_INVALID_VALUE,
            format!(
                "`{}` is {n}; the model allows {}",
                member_name(pointer),
                bounds(shape)
            ),
        );
        out.push(problem);
    }
}

fn bounds(shape: &Shape) -> String {
    match (shape.min, shape.max) {
        (Some(min), Some(max)) => format!("{min} to {max}"),
        (Some(min), None) => format!("at least {min}"),
        (None, Some(max)) => format!("at most {max}"),
        (None, None) => "any".to_string(),
    }
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The last segment of a pointer, for messages (`(input)` for the root).
/// The member a pointer ends at, as a writer names it: `essential`, or
/// `secrets[0]` for an item of a list (an index alone says nothing).
fn member_name(pointer: &str) -> String {
    let unescape = |s: &str| s.replace("~1", "/").replace("~0", "~");
    let mut segments = pointer.rsplit('/');
    match segments.next() {
        Some(last) if !pointer.is_empty() => {
            let last = unescape(last);
            match segments.next() {
                Some(parent) if !parent.is_empty() && last.bytes().all(|b| b.is_ascii_digit()) => {
                    format!("{}[{last}]", unescape(parent))
                }
                _ => last,
            }
        }
        _ => "(input)".to_string(),
    }
}

pub(crate) fn escape(segment: &str) -> String {
    crate::model::json::escape(segment)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::aws::models::service;
    use serde_json::json;

    fn ecs_task(value: Value) -> Vec<String> {
        let ecs = service("ecs").unwrap();
        let place = Pointers::default();
        check(ecs, "RegisterTaskDefinitionRequest", &value, &place)
            .iter()
            .map(|p| place.line(p))
            .collect()
    }

    #[test]
    fn the_guides_task_definition_passes() {
        let text =
            include_str!("../../../../tests/fixtures/guide-files/templates/task-definition.json");
        assert_eq!(
            ecs_task(serde_json::from_str(text).unwrap()),
            Vec::<String>::new()
        );
    }

    #[test]
    fn a_misspelt_member_gets_a_did_you_mean() {
        let found =
            ecs_task(json!({"family": "f", "containerDefinitions": [], "netwrokMode": "awsvpc"}));
        assert_eq!(
            found,
            [
                "/netwrokMode aws::unknown-member `netwrokMode` is not a member of `RegisterTaskDefinitionRequest` | did you mean `networkMode`?"
            ]
        );
    }

    #[test]
    fn wrong_enum_type_and_missing_members_are_reported() {
        let found = ecs_task(json!({
            "containerDefinitions": [{"name": "a", "portMappings": [{"containerPort": "8080", "protocol": "tpc"}]}],
            "networkMode": "awsvpc"
        }));
        assert_eq!(
            found,
            [
                "/containerDefinitions/0/portMappings/0/containerPort aws::wrong-type `containerPort` must be an integer, not a string | `BoxedInteger` in the ecs model is of type integer",
                "/containerDefinitions/0/portMappings/0/protocol aws::invalid-enum protocol: `tpc` is not an allowed value | did you mean `tcp`?",
                " aws::missing-member `family` is required in `(input)` | the ecs model requires `family` in `RegisterTaskDefinitionRequest`",
            ]
        );
    }

    #[test]
    fn placeholders_skip_enum_checks_but_not_types() {
        let found = ecs_task(json!({
            "family": "f", "containerDefinitions": [],
            "runtimePlatform": {"cpuArchitecture": "${CpuArchitecture}", "operatingSystemFamily": "<os>"}
        }));
        assert!(found.is_empty(), "{found:?}");
        for s in [
            "$ARCH",
            "$(uname -m)",
            "<value>",
            "…",
            "{{#value task.cpu}}",
        ] {
            assert!(is_placeholder(s), "{s}");
        }
        assert!(!is_placeholder("ARM64"));
    }
}
