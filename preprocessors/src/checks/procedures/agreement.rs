//! The templates agree with each other: the stack's task definition is
//! `templates/task-definition.json` once the stack's own substitutions are
//! evaluated and its PascalCase properties re-cased, and each role's policy
//! documents are the files in `policies/` (with the example account id).

use super::templates::{self, JsonFile, camel_case, keys_are_data};
use crate::model::json::escape as token;
use serde_json::Value;

/// The account id the files in `policies/` use where the stack says `${AWS::AccountId}`.
pub(crate) const EXAMPLE_ACCOUNT: &str = "111122223333";

/// A difference: the stack's field (pointer), the other file and its field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Disagreement {
    pub stack_pointer: String,
    pub other_path: String,
    pub other_pointer: String,
    pub message: String,
}

/// The stack's first task definition against `task` (the task definition file).
pub(crate) fn task_definition(stack: &JsonFile, task: &JsonFile) -> Vec<Disagreement> {
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
        other_path: &task.path,
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
/// `read` returns a policy file by repo-relative path (`None` when missing).
pub(crate) fn policies(
    stack: &JsonFile,
    mut read: impl FnMut(&str) -> Option<JsonFile>,
) -> Vec<Disagreement> {
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
            let Some(file) = read(&path) else {
                found.push(Disagreement {
                    stack_pointer: pointer,
                    other_path: path.clone(),
                    other_pointer: String::new(),
                    message: format!("the stack's {id} has this policy but there is no {path}"),
                });
                continue;
            };
            let evaluated = with_account(templates::evaluate(&stack.value, document));
            let walk = Walk {
                other_path: &file.path,
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
    other_path: &'a str,
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
        found: &mut Vec<Disagreement>,
    ) {
        let differ = |found: &mut Vec<Disagreement>, message: String| {
            found.push(Disagreement {
                stack_pointer: stack_ptr.to_string(),
                other_path: self.other_path.to_string(),
                other_pointer: other_ptr.to_string(),
                message,
            });
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
                        None => found.push(Disagreement {
                            stack_pointer: sp,
                            other_path: self.other_path.to_string(),
                            other_pointer: other_ptr.to_string(),
                            message: format!(
                                "`{key}` is in the stack but `{name}` is not in {}",
                                self.other_path
                            ),
                        }),
                    }
                }
                for name in theirs.keys().filter(|k| !matched.contains(k)) {
                    found.push(Disagreement {
                        stack_pointer: stack_ptr.to_string(),
                        other_path: self.other_path.to_string(),
                        other_pointer: format!("{other_ptr}/{}", token(name)),
                        message: format!("`{name}` is in {} but not in the stack", self.other_path),
                    });
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
                            self.other_path,
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
                    format!(
                        "the stack has {stack} where {} has {other}",
                        self.other_path
                    ),
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

    #[test]
    fn the_real_templates_agree() {
        for &path in templates::STACKS {
            let stack = real(path);
            assert_eq!(
                task_definition(&stack, &real(templates::TASK_DEFINITION)),
                [],
                "{path}"
            );
            let found = policies(&stack, |path| Some(real(path)));
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
        let found: Vec<_> = task_definition(&stack, &task)
            .into_iter()
            .map(|d| format!("{} | {} | {}", d.stack_pointer, d.other_pointer, d.message))
            .collect();
        assert_eq!(
            found,
            [
                "/Resources/Task/Properties/Cpu | /cpu | the stack has \"256\" where t.json has \"512\"",
                "/Resources/Task/Properties/Options/Keep-Case | /options | `Keep-Case` is in the stack but `Keep-Case` is not in t.json",
                "/Resources/Task/Properties/Options | /options/keep-Case | `keep-Case` is in t.json but not in the stack",
                "/Resources/Task/Properties/Extra | /extra | the stack has 2 items here, t.json has 1",
                "/Resources/Task/Properties | /more | `more` is in t.json but not in the stack",
            ]
        );
        let policy = file(
            "policies/role-trust.json",
            r#"{"Version": "2012-10-17", "Account": "111122223333"}"#,
        );
        assert_eq!(policies(&stack, |_| Some(policy.clone())), []);
        let missing = policies(&stack, |_| None);
        assert_eq!(
            missing[0].message,
            "the stack's Role has this policy but there is no policies/role-trust.json"
        );
        assert_eq!(kebab("ExecutionRole"), "execution-role");
    }
}
