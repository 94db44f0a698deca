//! AWS CLI commands checked against the service models: the service, the
//! operation or waiter, every `--option` (a member of the operation's input
//! in the CLI's kebab case, a global option, or one the CLI adds), required
//! members, enum values, and the files `file://` arguments name. Commands
//! the CLI adds itself (`aws logs tail`, `aws cloudformation deploy`, …) are
//! known and left alone; placeholders stand for values.

use super::models::{self, ServiceModel};
use super::shapes::{Memo, is_placeholder, memo, string_problem, suggest};
use super::shell::{Command, Word};
use crate::checks::rule::Model;
use crate::diagnostics::{Code, Diagnostics, Problem};
use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

crate::checks::rule::rule! {
    check: check_book;
    AWS_CLI_INVALID_VALUE = "aws::cli-invalid-value", error: "an AWS CLI option value the service model does not allow";
    AWS_CLI_MISSING_OPTION = "aws::cli-missing-option", error: "an AWS CLI command without an option its operation requires";
    AWS_CLI_UNKNOWN_OPERATION = "aws::cli-unknown-operation", error: "an AWS CLI command the service does not have";
    AWS_CLI_UNKNOWN_OPTION = "aws::cli-unknown-option", error: "an AWS CLI option the operation does not take";
    AWS_CLI_UNKNOWN_SERVICE = "aws::cli-unknown-service", error: "an `aws` command for a service that does not exist";
    AWS_CLI_UNKNOWN_WAITER = "aws::cli-unknown-waiter", error: "`aws … wait NAME` with a waiter the service does not have";
}

/// The codes of the CLI check's own findings.
pub(crate) const CODES: &[Code] = &[
    AWS_CLI_INVALID_VALUE,
    AWS_CLI_MISSING_OPTION,
    AWS_CLI_UNKNOWN_OPERATION,
    AWS_CLI_UNKNOWN_OPTION,
    AWS_CLI_UNKNOWN_SERVICE,
    AWS_CLI_UNKNOWN_WAITER,
];

/// What the CLI check finds in the book's commands, at their words.
fn check_book(model: &Model<'_, '_>, out: &mut Diagnostics) -> anyhow::Result<()> {
    let scripts = model.shared::<super::Scripts>();
    out.extend(scripts.findings(model, |code| CODES.contains(&code)));
    Ok(())
}

/// A `file://` argument, for the caller to resolve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FileArg {
    pub word: Word,
    /// The path after `file://`.
    pub name: String,
    /// For `--cli-input-json`: the service and the input shape the file must match.
    pub input: Option<(String, String)>,
}

#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Checked {
    pub findings: Vec<Problem>,
    pub files: Vec<FileArg>,
}

/// Words that may come before the command itself.
const PREFIXES: &[&str] = &[
    "do", "then", "else", "if", "while", "until", "!", "time", "sudo", "exec", "{", "export",
    "local", "readonly", "env", "command",
];

/// The words of `command` from `aws` on, if it runs the AWS CLI.
pub(crate) fn aws_words(command: &Command) -> Option<&[Word]> {
    let words = &command.words;
    let start = words
        .iter()
        .position(|w| !(PREFIXES.contains(&w.text.as_str()) || is_assignment(&w.text)))?;
    (words[start].text == "aws").then(|| &words[start..])
}

fn is_assignment(word: &str) -> bool {
    word.split_once('=').is_some_and(|(name, _)| {
        !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}

/// Where the service is in an AWS CLI command's words (from `aws`): after
/// the global options that may come before it.
pub(crate) fn service_index(words: &[Word]) -> usize {
    let custom = models::cli_customizations();
    let mut i = 1;
    while let Some(w) = words.get(i).filter(|w| w.text.starts_with("--")) {
        i += 1 + usize::from(*custom.global_options.get(&w.text).unwrap_or(&false));
    }
    i
}

/// Checks one command; anything but an AWS CLI command passes.
pub(crate) fn check(command: &Command) -> Checked {
    let mut out = Checked::default();
    let Some(words) = aws_words(command) else {
        return out;
    };
    let custom = models::cli_customizations();
    let i = service_index(words);
    let Some(service_word) = words.get(i) else {
        return out;
    };
    let service = service_word.text.as_str();
    if is_placeholder(service) || custom.top_level.iter().any(|t| t == service) {
        return out;
    }
    let Some(model) = models::service(service) else {
        if !models::service_names()
            .services
            .iter()
            .any(|s| s == service)
        {
            let known = models::service_names()
                .services
                .iter()
                .chain(&custom.top_level);
            out.findings.push(finding(
                service_word,
                AWS_CLI_UNKNOWN_SERVICE,
                format!("`aws {service}` is not an AWS CLI command"),
                suggest(service, known.map(String::as_str))
                    .map(|s| format!("did you mean `aws {s}`?")),
            ));
        }
        return out;
    };
    let Some(op_word) = words.get(i + 1) else {
        return out;
    };
    let op_name = op_word.text.as_str();
    let extra = custom
        .commands
        .get(service)
        .map(Vec::as_slice)
        .unwrap_or_default();
    if extra.iter().any(|c| c == op_name) {
        // The CLI's own commands: only the options they cannot run without.
        let required = custom.required.get(&format!("{service}.{op_name}"));
        for option in required.into_iter().flatten() {
            if !words.iter().any(|w| {
                w.text == *option
                    || w.text
                        .strip_prefix(option.as_str())
                        .is_some_and(|r| r.starts_with('='))
            }) {
                out.findings.push(finding(
                    op_word,
                    AWS_CLI_MISSING_OPTION,
                    format!("`aws {service} {op_name}` needs `{option}`"),
                    Some(missing_hint(
                        words,
                        format!("the AWS CLI's `{op_name}` cannot run without it"),
                    )),
                ));
            }
        }
        return out;
    }
    if op_name == "help" || is_placeholder(op_name) {
        return out;
    }
    let (operation, rest, shown) = if op_name == "wait" {
        let Some(waiter) = words.get(i + 2) else {
            return out;
        };
        match model.waiters.get(&waiter.text) {
            Some(op) => (
                op.as_str(),
                &words[i + 3..],
                format!("wait {}", waiter.text),
            ),
            None => {
                out.findings.push(finding(
                    waiter,
                    AWS_CLI_UNKNOWN_WAITER,
                    format!("`aws {service} wait` has no waiter `{}`", waiter.text),
                    suggest(&waiter.text, model.waiters.keys().map(String::as_str))
                        .map(|s| format!("did you mean `{s}`?")),
                ));
                return out;
            }
        }
    } else {
        match model.operation_by_cli(op_name) {
            Some((name, _)) => (name, &words[i + 2..], op_name.to_string()),
            None => {
                let names = model
                    .operations
                    .values()
                    .map(|o| o.cli.as_str())
                    .chain(extra.iter().map(String::as_str))
                    .chain(["wait"]);
                out.findings.push(finding(
                    op_word,
                    AWS_CLI_UNKNOWN_OPERATION,
                    format!("`aws {service}` has no command `{op_name}`"),
                    suggest(op_name, names).map(|s| format!("did you mean `{s}`?")),
                ));
                return out;
            }
        }
    };
    let command = Operation {
        service,
        operation,
        shown: &shown,
        word: op_word,
    };
    options(model, &command, rest, &mut out);
    out
}

/// The operation a command calls, and how the command names it
/// (`create-stack`, `wait stack-create-complete`).
struct Operation<'a> {
    service: &'a str,
    operation: &'a str,
    shown: &'a str,
    word: &'a Word,
}

/// What an option of an operation stands for.
#[derive(Debug, Clone)]
enum Opt {
    Member(String),
    /// `--no-NAME` of a boolean member.
    Negated(String),
    Global(bool),
}

/// The options of an operation, from the vendored data alone: worked out
/// once per operation and process.
fn known_options(
    model: &ServiceModel,
    service: &str,
    operation: &str,
) -> Arc<BTreeMap<String, Opt>> {
    static KNOWN: Memo<BTreeMap<String, Opt>> = OnceLock::new();
    memo(&KNOWN, &format!("{service} {operation}"), || {
        find_known_options(model, service, operation)
    })
}

fn find_known_options(
    model: &ServiceModel,
    service: &str,
    operation: &str,
) -> BTreeMap<String, Opt> {
    let custom = models::cli_customizations();
    let op = &model.operations[operation];
    let mut known = BTreeMap::new();
    for (arg, member) in &op.args {
        known.insert(format!("--{arg}"), Opt::Member(member.clone()));
        let is_bool = op
            .input
            .as_ref()
            .and_then(|input| model.shape(input))
            .and_then(|input| input.members.get(member))
            .and_then(|target| model.shape(target))
            .is_some_and(|shape| shape.kind == "boolean");
        if is_bool {
            known.insert(format!("--no-{arg}"), Opt::Negated(member.clone()));
        }
    }
    let renames = models::cli_renames();
    for (key, new) in renames.renames.iter().chain(&renames.aliases) {
        let mut parts = key.splitn(3, '.');
        let (Some(svc), Some(cmd), Some(orig)) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        if svc == service && (cmd == "*" || cmd == op.cli) {
            let orig = format!("--{orig}");
            let is_alias = renames.aliases.contains_key(key);
            let target = if is_alias {
                known.get(&orig).cloned()
            } else {
                known.remove(&orig)
            };
            if let Some(target) = target {
                known.insert(format!("--{new}"), target);
            }
        }
    }
    for (name, takes_value) in &custom.global_options {
        known.insert(name.clone(), Opt::Global(*takes_value));
    }
    if model.paginated.iter().any(|p| p == operation) {
        for (name, takes_value) in &custom.pagination_options {
            known.insert(name.clone(), Opt::Global(*takes_value));
        }
    }
    let key = format!("{service}.{}", op.cli);
    for name in custom.options.get(&key).into_iter().flatten() {
        known.insert(name.clone(), Opt::Global(true));
    }
    known
}

fn options(model: &ServiceModel, command: &Operation<'_>, words: &[Word], out: &mut Checked) {
    let &Operation {
        service,
        operation,
        shown,
        word: op_word,
    } = command;
    let known = known_options(model, service, operation);
    let op = &model.operations[operation];
    let input = op.input.as_ref().and_then(|name| model.shape(name));
    let mut present = Vec::new();
    // A misspelt option is one problem: the member it was meant to set is
    // not reported missing as well.
    let mut meant = Vec::new();
    let mut whole_input = false;
    let mut change_set_name = None;
    let takes_values =
        |name: &str| !matches!(known.get(name), Some(Opt::Global(false) | Opt::Negated(_)));
    for OptionWords { word, name, values } in option_words(words, takes_values) {
        if name == "--change-set-name" {
            change_set_name = values.first().map(|(v, _)| *v);
        }
        for (value, at) in &values {
            if let Some(path) = value
                .strip_prefix("file://")
                .or_else(|| value.strip_prefix("fileb://"))
            {
                let input = (name == "--cli-input-json")
                    .then(|| op.input.clone().map(|shape| (service.to_string(), shape)))
                    .flatten();
                out.files.push(FileArg {
                    word: (*at).clone(),
                    name: path.to_string(),
                    input,
                });
            }
        }
        match known.get(name) {
            None => {
                let close = suggest(name, known.keys().map(String::as_str));
                if let Some(Opt::Member(member)) = close.as_ref().and_then(|c| known.get(c)) {
                    meant.push(member.clone());
                }
                let hint = close.map(|s| format!("did you mean `{s}`?"));
                out.findings.push(finding(
                    word,
                    AWS_CLI_UNKNOWN_OPTION,
                    format!("`aws {service} {shown}` has no option `{name}`"),
                    hint.or_else(|| {
                        Some(format!("`aws {service} {shown} help` lists its options"))
                    }),
                ));
            }
            Some(Opt::Global(_)) => {
                if matches!(
                    name,
                    "--cli-input-json" | "--cli-input-yaml" | "--generate-cli-skeleton"
                ) {
                    whole_input = true;
                }
            }
            Some(Opt::Negated(member)) => present.push(member.clone()),
            Some(Opt::Member(member)) => {
                present.push(member.clone());
                if service == "cloudformation" && member == "Parameters" {
                    out.findings.extend(parameter_items(shown, &values));
                }
                let target = input
                    .and_then(|s| s.members.get(member))
                    .and_then(|t| model.shape(t));
                let scalar = target.and_then(|t| match t.kind.as_str() {
                    "string" => Some(t),
                    "list" => t
                        .member
                        .as_deref()
                        .and_then(|m| model.shape(m))
                        .filter(|m| m.kind == "string"),
                    _ => None,
                });
                if let Some(shape) = scalar {
                    for (value, at) in &values {
                        if value.starts_with("file://") {
                            continue;
                        }
                        if let Some((code, message, hint)) = string_problem(shape, value) {
                            let code = if code == crate::checks::aws::shapes::AWS_INVALID_ENUM {
                                AWS_CLI_INVALID_VALUE
                            } else {
                                code
                            };
                            out.findings.push(problem(
                                at.range.clone(),
                                code,
                                format!("{name}: {message}"),
                                hint,
                            ));
                        }
                    }
                }
            }
        }
    }
    if whole_input {
        return;
    }
    for required in input.map(|s| s.required.as_slice()).unwrap_or_default() {
        if !present.contains(required) && !meant.contains(required) {
            let option = known
                .iter()
                .find(|(_, o)| matches!(o, Opt::Member(m) if m == required))
                .map_or_else(|| required.clone(), |(name, _)| name.clone());
            out.findings.push(finding(
                op_word,
                AWS_CLI_MISSING_OPTION,
                format!("`aws {service} {shown}` needs `{option}`"),
                Some(missing_hint(
                    words,
                    format!("`{required}` is required by the {service} model's `{operation}`"),
                )),
            ));
        }
    }
    // CloudFormation finds a change set by name only within its stack
    // (ChangeSetName in the API reference: "If you specified the name of a
    // change set, specify the stack name or ID (ARN)").
    let by_name =
        change_set_name.is_some_and(|v| !v.starts_with("arn:") && !v.contains(['$', '`']));
    let members = input.map(|s| &s.members);
    if service == "cloudformation"
        && by_name
        && members.is_some_and(|m| m.contains_key("StackName"))
        && !present.iter().any(|p| p == "StackName")
    {
        out.findings.push(finding(
            op_word,
            AWS_CLI_MISSING_OPTION,
            format!("`aws {service} {shown}` needs `--stack-name` when `--change-set-name` is a name"),
            Some(missing_hint(
                words,
                "CloudFormation looks a change set's name up within its stack: give `--stack-name`, or the change set's ARN".to_string(),
            )),
        ));
    }
}

/// CloudFormation's `--parameters` in the CLI's shorthand: each item is
/// `ParameterKey=NAME,ParameterValue=VALUE` (or `UsePreviousValue=true`),
/// with a comma inside a value escaped (`\,`), as the CLI reference's
/// create-stack example writes it. `NAME=VALUE` is `deploy`'s syntax.
fn parameter_items(shown: &str, values: &[(&str, &Word)]) -> Vec<Problem> {
    const KEYS: [&str; 4] = [
        "ParameterKey",
        "ParameterValue",
        "UsePreviousValue",
        "ResolvedValue",
    ];
    let mut out = Vec::new();
    let mut deploy_style = 0;
    for (text, word) in values {
        // JSON, a file or a variable: not shorthand the check can read.
        if text.starts_with(['[', '{', '$']) || text.starts_with("file://") {
            continue;
        }
        let finding = |message: String, hint: &str| {
            Problem::raise(AWS_CLI_INVALID_VALUE, word.range.clone(), message).with_hint(hint)
        };
        if !text.starts_with("ParameterKey=") {
            // One mistake, however many items repeat it: at the first.
            deploy_style += 1;
            if deploy_style == 1 {
                out.push(finding(
                    format!("--parameters: `aws cloudformation {shown}` takes `ParameterKey=NAME,ParameterValue=VALUE` items, not `{text}`"),
                    "`NAME=VALUE` is the syntax of `aws cloudformation deploy --parameter-overrides`; write each item as `ParameterKey=NAME,ParameterValue=VALUE`",
                ));
            }
            continue;
        }
        let mut fields = Vec::new();
        let mut start = 0;
        let bytes = text.as_bytes();
        for (i, b) in bytes.iter().enumerate() {
            if *b == b',' && (i == 0 || bytes[i - 1] != b'\\') {
                fields.push(&text[start..i]);
                start = i + 1;
            }
        }
        fields.push(&text[start..]);
        if let Some(stray) = fields
            .iter()
            .find(|f| f.split_once('=').is_none_or(|(k, _)| !KEYS.contains(&k)))
        {
            out.push(finding(
                format!("--parameters: the CLI reads `{stray}` in `{text}` as an item's key, since a comma ends each value"),
                "escape a comma inside a value as `\\,` (in the shell, `\\\\,` outside quotes), or give the parameters as JSON",
            ));
        }
    }
    out
}

/// `why`, and what ended the command early when a line ends in `\ `: bash
/// takes the escaped space as a word and the newline ends the command.
fn missing_hint(words: &[Word], why: String) -> String {
    if words.last().is_some_and(|w| w.text.trim().is_empty()) {
        format!(
            "{why}; the `\\` that ends the command's last line is followed by a space, so the command ends there and the next line runs as a command of its own"
        )
    } else {
        why
    }
}

/// One `--option` of a command and the words that give it a value.
pub(crate) struct OptionWords<'w> {
    /// The option's own word.
    pub word: &'w Word,
    /// `--name`, without an inline `=value`.
    pub name: &'w str,
    /// An inline `--name=value`, then the words up to the next option, each
    /// with the word it is in.
    pub values: Vec<(&'w str, &'w Word)>,
}

/// The options of a command's words after its name, each with its values; an
/// option `takes_values` says is a flag takes none.
pub(crate) fn option_words<'w>(
    words: &'w [Word],
    takes_values: impl Fn(&str) -> bool,
) -> Vec<OptionWords<'w>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let word = &words[i];
        i += 1;
        let (name, inline) = match word.text.split_once('=') {
            Some((name, value)) if word.text.starts_with("--") => (name, Some(value)),
            _ => (word.text.as_str(), None),
        };
        if !name.starts_with("--") {
            continue;
        }
        let mut values: Vec<(&str, &Word)> = inline.map(|v| (v, word)).into_iter().collect();
        while takes_values(name) && i < words.len() && !words[i].text.starts_with("--") {
            values.push((words[i].text.as_str(), &words[i]));
            i += 1;
        }
        out.push(OptionWords { word, name, values });
    }
    out
}

fn finding(word: &Word, code: Code, message: String, hint: Option<String>) -> Problem {
    problem(word.range.clone(), code, message, hint)
}

fn problem(range: Range<usize>, code: Code, message: String, hint: Option<String>) -> Problem {
    Problem::raise(code, range, message).with_hint_if(hint)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::aws::shell::commands;

    fn found(script: &str) -> Vec<String> {
        commands(script)
            .iter()
            .flat_map(|c| check(c).findings)
            .map(|f| {
                format!(
                    "{} {} {} | {}",
                    &script[f.range],
                    f.code,
                    f.message,
                    f.hint.unwrap_or_default()
                )
            })
            .collect()
    }

    #[test]
    fn a_misspelt_option_and_operation_get_a_did_you_mean() {
        assert_eq!(
            found(
                "aws ecs create-service --cluster c --servce-name s\naws ecs update-servce --service s\n"
            ),
            [
                "--servce-name aws::cli-unknown-option `aws ecs create-service` has no option `--servce-name` | did you mean `--service-name`?",
                "update-servce aws::cli-unknown-operation `aws ecs` has no command `update-servce` | did you mean `update-service`?",
            ]
        );
    }

    #[test]
    fn a_missing_required_option_is_reported_at_the_operation() {
        assert_eq!(
            found("aws iam create-role --role-name r"),
            [
                "create-role aws::cli-missing-option `aws iam create-role` needs `--assume-role-policy-document` | `AssumeRolePolicyDocument` is required by the iam model's `CreateRole`"
            ]
        );
    }

    #[test]
    fn enums_waiters_and_services() {
        assert_eq!(
            found(
                "aws ecs create-service --service-name s --launch-type FARGTAE\naws ecs wait service-stable --services s\naws ecss list-clusters\n"
            ),
            [
                "FARGTAE aws::cli-invalid-value --launch-type: `FARGTAE` is not an allowed value | did you mean `FARGATE`?",
                "service-stable aws::cli-unknown-waiter `aws ecs wait` has no waiter `service-stable` | did you mean `services-stable`?",
                "ecss aws::cli-unknown-service `aws ecss` is not an AWS CLI command | did you mean `aws ecs`?",
            ]
        );
    }

    #[test]
    fn customizations_placeholders_globals_and_substitutions_pass() {
        let script = r#"
ACCOUNT_ID=$(aws sts get-caller-identity --query Account --output text)
aws logs tail /ecs/responderapi-task --since 1h --follow
aws ecr get-login-password --region us-east-1 | docker login --username AWS --password-stdin x
aws cloudformation deploy --template-file t.json --stack-name s --capabilities CAPABILITY_NAMED_IAM
aws s3 cp a s3://b/
aws --region "$AWS_REGION" ecs update-service --cluster <cluster> --service "$SERVICE" \
  --force-new-deployment --disable-execute-command --platform-version "$PLATFORM"
aws ecs execute-command --cluster c --task t --command sh --interactive
aws ecs list-tasks --cluster c --max-items 5 --no-cli-pager
aws ecs wait services-stable --cluster c --services s
aws iam create-role --role-name r --assume-role-policy-document file://trust.json
aws ecs register-task-definition --cli-input-json file://task.json
aws ssm get-parameters --names x
"#;
        assert_eq!(found(script), Vec::<String>::new());
        let files: Vec<_> = commands(script)
            .iter()
            .flat_map(|c| check(c).files)
            .collect();
        assert_eq!(files[0].name, "trust.json");
        assert_eq!(files[0].input, None);
        assert_eq!(
            files[1].input,
            Some((
                "ecs".to_string(),
                "RegisterTaskDefinitionRequest".to_string()
            ))
        );
    }

    #[test]
    fn renamed_options_replace_the_model_name() {
        assert_eq!(
            found(
                "aws ecs update-service --service s --no-enable-execute-command\naws ecs update-service --service s --disable-execute-command\n"
            ),
            [
                "--no-enable-execute-command aws::cli-unknown-option `aws ecs update-service` has no option `--no-enable-execute-command` | did you mean `--enable-execute-command`?"
            ]
        );
    }
}
