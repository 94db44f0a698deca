//! The templates agree with each other: the stack's task definition is
//! `templates/task-definition.json` once the stack's own substitutions are
//! evaluated and its PascalCase properties re-cased, and each role's policy
//! documents are the files in `policies/` (with the example account id).

use super::Templates;
use super::templates::{self, JsonFile, camel_case, keys_are_data};
use crate::checks::rule::Model;
use crate::diagnostics::location::Location;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::json::escape as token;
use serde_json::Value;

crate::checks::rule::rule! {
    check: check;
    PROCEDURES_TEMPLATES_DISAGREE = "procedures::templates-disagree", error: "the CloudFormation template and the task definition disagree";
}

/// The rule: the task definition against each stack, and each stack's
/// roles against their policy files.
fn check(model: &Model<'_, '_>, out: &mut Diagnostics) -> anyhow::Result<()> {
    let book_root = model.root;
    let shared = model.shared::<Templates>();
    let Some(task) = &shared.task else {
        return Ok(());
    };
    for stack in &shared.stacks {
        out.extend(task_definition(stack, task));
        out.extend(policies(stack, |path| {
            match templates::load(book_root, path).and_then(Result::ok) {
                Some(file) => Policy::File(file),
                // There but unreadable (not UTF-8, a FIFO): the policy
                // rules report it at the file, once.
                None if book_root.root.join(path).exists() => Policy::Unread,
                None => Policy::Missing,
            }
        }));
    }
    Ok(())
}

/// A role's policy file, as [`policies`] is given it.
pub(crate) enum Policy {
    File(JsonFile),
    Missing,
    /// There, but not read as JSON: another rule reports it.
    Unread,
}

/// The account id the files in `policies/` use where the stack says `${AWS::AccountId}`.
pub(crate) const EXAMPLE_ACCOUNT: &str = "111122223333";

/// A difference, at the stack's field, with the other file's field (or
/// the file, when it is not there).
fn disagreement(
    stack: &JsonFile,
    stack_pointer: &str,
    other: Option<&JsonFile>,
    other_path: &str,
    other_pointer: &str,
    message: String,
) -> Diagnostic {
    let related = match other {
        Some(file) => file.locate(other_pointer),
        None => Location::file(other_path),
    };
    Diagnostic::raise(
        PROCEDURES_TEMPLATES_DISAGREE,
        stack.locate(stack_pointer),
        message,
    )
    .with_related(related, "the other template")
    .with_hint(format!(
        "the stack and {other_path} must describe the same thing; change one to match the other"
    ))
}

/// The stack's first task definition against `task` (the task definition file).
pub(crate) fn task_definition(stack: &JsonFile, task: &JsonFile) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let Some((id, resource)) =
        templates::resources_of_type(&stack.value, "AWS::ECS::TaskDefinition")
            .into_iter()
            .next()
    else {
        return found;
    };
    let Some(properties) = resource.get("Properties") else {
        return found;
    };
    let evaluated = templates::evaluate(&stack.value, properties);
    let walk = Walk {
        stack,
        other: task,
        recase: true,
    };
    walk.compare(
        &evaluated,
        &format!("/Resources/{}/Properties", token(id)),
        &task.value,
        "",
        true,
        &mut found,
    );
    found
}

/// Each role's trust policy and inline policies against
/// `policies/<role>-trust.json` and `policies/<role>-policy.json`, where
/// `<role>` is the logical id in kebab case (`ExecutionRole` → `execution-role`).
/// `read` returns a policy file by repo-relative path.
pub(crate) fn policies(stack: &JsonFile, mut read: impl FnMut(&str) -> Policy) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for (id, role) in templates::resources_of_type(&stack.value, "AWS::IAM::Role") {
        let base = format!("/Resources/{}/Properties", token(id));
        let prefix = kebab(id);
        let mut documents = Vec::new();
        if let Some(trust) = role.pointer("/Properties/AssumeRolePolicyDocument") {
            documents.push((
                format!("{base}/AssumeRolePolicyDocument"),
                format!("policies/{prefix}-trust.json"),
                trust,
            ));
        }
        let inline = role
            .pointer("/Properties/Policies")
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice);
        for (i, policy) in inline.iter().enumerate() {
            let Some(document) = policy.get("PolicyDocument") else {
                continue;
            };
            let file = if inline.len() == 1 {
                format!("policies/{prefix}-policy.json")
            } else {
                format!("policies/{prefix}-policy-{}.json", i + 1)
            };
            documents.push((
                format!("{base}/Policies/{i}/PolicyDocument"),
                file,
                document,
            ));
        }
        for (pointer, path, document) in documents {
            let file = match read(&path) {
                Policy::File(file) => file,
                Policy::Missing => {
                    found.push(disagreement(
                        stack,
                        &pointer,
                        None,
                        &path,
                        "",
                        format!("the stack's {id} has this policy but there is no {path}"),
                    ));
                    continue;
                }
                Policy::Unread => continue,
            };
            let evaluated = with_account(templates::evaluate(&stack.value, document));
            let walk = Walk {
                stack,
                other: &file,
                recase: false,
            };
            walk.compare(&evaluated, &pointer, &file.value, "", false, &mut found);
        }
    }
    found
}

/// `ExecutionRole` → `execution-role`.
fn kebab(id: &str) -> String {
    let mut out = String::new();
    for (i, c) in id.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('-');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

fn with_account(value: Value) -> Value {
    match value {
        // The partition of every Region the guide runs in is `aws`.
        Value::String(s) => Value::String(
            s.replace("${AWS::AccountId}", EXAMPLE_ACCOUNT)
                .replace("${AWS::Partition}", "aws"),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(with_account).collect()),
        Value::Object(map) => {
            Value::Object(map.into_iter().map(|(k, v)| (k, with_account(v))).collect())
        }
        other => other,
    }
}

struct Walk<'a> {
    stack: &'a JsonFile,
    other: &'a JsonFile,
    recase: bool,
}

impl Walk<'_> {
    fn compare(
        &self,
        stack: &Value,
        stack_ptr: &str,
        other: &Value,
        other_ptr: &str,
        recase: bool,
        found: &mut Vec<Diagnostic>,
    ) {
        let other_path = self.other.path.as_str();
        let at = |stack_ptr: &str, other_ptr: &str, message: String| {
            disagreement(
                self.stack,
                stack_ptr,
                Some(self.other),
                other_path,
                other_ptr,
                message,
            )
        };
        let differ = |found: &mut Vec<Diagnostic>, message: String| {
            found.push(at(stack_ptr, other_ptr, message));
        };
        match (stack, other) {
            (Value::Object(ours), Value::Object(theirs)) => {
                let mut matched = Vec::new();
                for (key, value) in ours {
                    let name = if recase { camel_case(key) } else { key.clone() };
                    let sp = format!("{stack_ptr}/{}", token(key));
                    let op = format!("{other_ptr}/{}", token(&name));
                    match theirs.get(&name) {
                        Some(their) => {
                            matched.push(name);
                            let deeper = self.recase && recase && !keys_are_data(key);
                            self.compare(value, &sp, their, &op, deeper, found);
                        }
                        None => found.push(at(
                            &sp,
                            other_ptr,
                            format!("`{key}` is in the stack but `{name}` is not in {other_path}"),
                        )),
                    }
                }
                for name in theirs.keys().filter(|k| !matched.contains(k)) {
                    found.push(at(
                        stack_ptr,
                        &format!("{other_ptr}/{}", token(name)),
                        format!("`{name}` is in {other_path} but not in the stack"),
                    ));
                }
            }
            (Value::Array(ours), Value::Array(theirs)) => {
                for (i, (a, b)) in ours.iter().zip(theirs).enumerate() {
                    self.compare(
                        a,
                        &format!("{stack_ptr}/{i}"),
                        b,
                        &format!("{other_ptr}/{i}"),
                        recase,
                        found,
                    );
                }
                if ours.len() != theirs.len() {
                    differ(
                        found,
                        format!(
                            "the stack has {} items here, {} has {}",
                            ours.len(),
                            other_path,
                            theirs.len()
                        ),
                    );
                }
            }
            // `512` in a template is the `"512"` CloudFormation passes on.
            _ if stack != other
                && (super::values::scalar(stack).is_none()
                    || super::values::scalar(stack) != super::values::scalar(other)) =>
            {
                differ(
                    found,
                    format!("the stack has {stack} where {} has {other}", other_path),
                )
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> JsonFile {
        JsonFile::parse(path, text.to_string()).unwrap()
    }

    fn real(rel: &str) -> JsonFile {
        let text = std::fs::read_to_string(format!(
            "{}/../tests/fixtures/guide-files/{rel}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        file(rel, &text)
    }

    /// Each difference as `stack place | other place | message`, a place
    /// being `path:line:col` and the text there.
    fn shown(found: Vec<Diagnostic>) -> Vec<String> {
        let place = |l: &Location| {
            let text: String = l.line_text.chars().skip(l.column - 1).take(12).collect();
            format!("{} `{}`", l.short(), text.trim_end())
        };
        found
            .iter()
            .map(|d| {
                let other = d
                    .related
                    .first()
                    .map(|r| place(&r.location))
                    .unwrap_or_default();
                format!("{} | {} | {}", place(&d.location), other, d.message)
            })
            .collect()
    }

    #[test]
    fn the_real_templates_agree() {
        for &path in templates::STACKS {
            let stack = real(path);
            assert_eq!(
                task_definition(&stack, &real(templates::TASK_DEFINITION)),
                [],
                "{path}"
            );
            let found = policies(&stack, |path| Policy::File(real(path)));
            assert_eq!(found, [], "{path}");
        }
    }

    #[test]
    fn differences_name_both_fields() {
        let stack = file(
            "s.json",
            r#"{"Parameters": {"ImageUri": {}}, "Resources": {
"Role": {"Type": "AWS::IAM::Role", "Properties": {"RoleName": "R",
"AssumeRolePolicyDocument": {"Version": "2012-10-17", "Account": {"Fn::Sub": "${AWS::AccountId}"}}}},
"Task": {"Type": "AWS::ECS::TaskDefinition", "Properties": {
"Cpu": "256", "Image": {"Ref": "ImageUri"}, "TaskRoleArn": {"Fn::GetAtt": ["Role", "Arn"]},
"Options": {"Keep-Case": 1}, "Extra": [1, 2]}}}}"#,
        );
        let task = file(
            "t.json",
            r#"{"cpu": "512", "image": "${ImageUri}", "taskRoleArn": "arn:aws:iam::${AWS::AccountId}:role/R",
"options": {"keep-Case": 1}, "extra": [1], "more": true}"#,
        );
        assert_eq!(
            shown(task_definition(&stack, &task)),
            [
                "s.json:5:1 `\"Cpu\": \"256\"` | t.json:1:2 `\"cpu\": \"512\"` | the stack has \"256\" where t.json has \"512\"",
                "s.json:6:13 `\"Keep-Case\":` | t.json:2:1 `\"options\": {` | `Keep-Case` is in the stack but `Keep-Case` is not in t.json",
                "s.json:6:1 `\"Options\": {` | t.json:2:13 `\"keep-Case\":` | `keep-Case` is in t.json but not in the stack",
                "s.json:6:30 `\"Extra\": [1,` | t.json:2:30 `\"extra\": [1]` | the stack has 2 items here, t.json has 1",
                "s.json:4:46 `\"Properties\"` | t.json:2:44 `\"more\": true` | `more` is in t.json but not in the stack",
            ]
        );
        let policy = file(
            "policies/role-trust.json",
            r#"{"Version": "2012-10-17", "Account": "111122223333"}"#,
        );
        assert_eq!(policies(&stack, |_| Policy::File(policy.clone())), []);
        assert_eq!(policies(&stack, |_| Policy::Unread), []);
        assert_eq!(
            shown(policies(&stack, |_| Policy::Missing)),
            [
                "s.json:3:1 `\"AssumeRoleP` | policies/role-trust.json:1:1 `` | the stack's Role has this policy but there is no policies/role-trust.json"
            ]
        );
        // A difference at the document's top level is one too.
        let without_version = file("policies/role-trust.json", r#"{"Account": "111122223333"}"#);
        assert_eq!(
            shown(policies(&stack, |_| Policy::File(without_version.clone()))),
            [
                "s.json:3:30 `\"Version\": \"` | policies/role-trust.json:1:1 `{\"Account\":` | `Version` is in the stack but `Version` is not in policies/role-trust.json"
            ]
        );
        assert_eq!(kebab("ExecutionRole"), "execution-role");
    }
}
