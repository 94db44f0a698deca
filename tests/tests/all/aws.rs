//! The checks against AWS's models, end to end: fixture books of AWS CLI
//! commands that must fail with exact diagnostics or pass untouched, and
//! the real book broken one way at a time (task definition, template,
//! policies), each break reported at the line to fix.

use responder_docs_tests::{check_shorts, copy_real_book, fixture, run};
use std::path::Path;

fn edit(book: &Path, rel: &str, from: &str, to: &str) {
    let path = book.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{rel} has no {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

/// The diagnostics of the real book after `edits`, only those of `prefix` codes.
fn after(edits: &[(&str, &str, &str)], prefix: &str) -> Vec<String> {
    let book = copy_real_book();
    for (rel, from, to) in edits {
        edit(book.path(), rel, from, to);
    }
    let (_, shorts) = check_shorts(book.path());
    shorts
        .into_iter()
        .filter(|s| s.contains(&format!("[{prefix}")))
        .collect()
}

#[test]
fn cli_commands_with_placeholders_customizations_and_substitutions_pass() {
    let (code, shorts) = check_shorts(&fixture("aws/cli-pass"));
    assert_eq!(shorts, Vec::<String>::new());
    assert_eq!(code, 0);
}

#[test]
fn broken_cli_commands_fail_at_their_words() {
    let (code, shorts) = check_shorts(&fixture("aws/cli-fail"));
    assert_eq!(
        shorts,
        [
            "src/commands.md:4:36: error[aws::cli-unknown-option]: `aws ecs create-service` has no option `--servce-name`",
            "src/commands.md:5:9: error[aws::cli-unknown-operation]: `aws ecs` has no command `update-servce`",
            "src/commands.md:6:67: error[aws::cli-invalid-value]: --launch-type: `FARGTAE` is not an allowed value",
            "src/commands.md:7:14: error[aws::cli-unknown-waiter]: `aws ecs wait` has no waiter `service-stable`",
            "src/commands.md:8:9: error[aws::cli-missing-option]: `aws iam create-role` needs `--assume-role-policy-document`",
            "src/commands.md:9:51: error[aws::cli-missing-file]: `file://missing-task.json` is not a file of the book, and no command before writes it",
            "src/commands.md:10:20: error[aws::cli-missing-option]: `aws cloudformation deploy` needs `--stack-name`",
            "src/commands.md:12:20: error[aws::cli-missing-option]: `aws cloudformation wait change-set-create-complete` needs `--stack-name` when `--change-set-name` is a name",
            "src/commands.md:13:110: error[aws::cli-invalid-value]: --parameters: `aws cloudformation create-stack` takes `ParameterKey=NAME,ParameterValue=VALUE` items, not `Port=80`",
            "src/commands.md:14:85: error[aws::cli-invalid-value]: --parameters: the CLI reads `subnet-2` in `ParameterKey=SubnetIds,ParameterValue=subnet-1,subnet-2` as an item's key, since a comma ends each value",
            "src/commands.md:18:7: error[aws::cli-unknown-service]: `aws logz` is not an AWS CLI command",
        ]
    );
    assert_eq!(code, 1);
    let human = run(&["check", fixture("aws/cli-fail").to_str().unwrap()]);
    assert!(
        human.stderr.contains("did you mean `--service-name`?"),
        "{}",
        human.stderr
    );
    assert!(
        human.stderr.contains("did you mean `update-service`?"),
        "{}",
        human.stderr
    );
    assert!(
        human.stderr.contains("did you mean `services-stable`?"),
        "{}",
        human.stderr
    );
    // A `\` followed by a space ends the command: the hint says so.
    assert!(
        human.stderr.contains("the AWS CLI's `deploy` cannot run without it; the `\\` that ends the command's last line is followed by a space, so the command ends there and the next line runs as a command of its own"),
        "{}",
        human.stderr
    );
}

#[test]
fn the_real_guide_passes_with_warnings_denied() {
    let book = copy_real_book();
    let run = run(&["check", book.path().to_str().unwrap(), "--deny-warnings"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn a_misspelt_cli_option_in_the_guide_is_caught() {
    assert_eq!(
        after(
            &[(
                "src/service.md",
                "--service-name responderapi-service",
                "--servce-name responderapi-service"
            )],
            "aws::"
        ),
        [
            "src/service.md:107:3: error[aws::cli-unknown-option]: `aws ecs create-service` has no option `--servce-name`"
        ]
    );
}

#[test]
fn the_task_definition_against_the_ecs_model_and_fargate() {
    assert_eq!(
        after(
            &[
                (
                    "templates/task-definition.json",
                    "\"networkMode\"",
                    "\"netwrokMode\""
                ),
                (
                    "templates/task-definition.json",
                    "\"protocol\": \"tcp\"",
                    "\"protocol\": \"tpc\""
                ),
                (
                    "templates/task-definition.json",
                    "\"memory\": \"1024\"",
                    "\"memory\": \"512\""
                ),
            ],
            "aws::"
        ),
        [
            "templates/task-definition.json:6:3: error[aws::unknown-member]: `netwrokMode` is not a member of `RegisterTaskDefinitionRequest`",
            "templates/task-definition.json:8:13: error[aws::fargate]: Fargate has no task size of 512 CPU units with 512 MiB",
            "templates/task-definition.json:25:23: error[aws::invalid-enum]: protocol: `tpc` is not an allowed value",
        ]
    );
}

#[test]
fn the_template_against_the_resource_schemas() {
    assert_eq!(
        after(
            &[
                (
                    "templates/responderapi-stack.json",
                    "\"RetentionInDays\"",
                    "\"RetentionInDay\""
                ),
                (
                    "templates/responderapi-stack.json",
                    "\"LaunchType\": \"FARGATE\"",
                    "\"LaunchType\": \"FARGAT\""
                ),
            ],
            "aws::"
        ),
        [
            "templates/responderapi-stack.json:49:9: error[aws::cfn-unknown-property]: `RetentionInDay` is not a property of `AWS::Logs::LogGroup`",
            "templates/responderapi-stack.json:288:23: error[aws::cfn-enum]: `FARGAT` is not an allowed value of `LaunchType`",
        ]
    );
}

#[test]
fn an_execution_role_without_create_log_stream_fails_at_the_log_group_field() {
    assert_eq!(
        after(
            &[(
                "policies/execution-role-policy.json",
                "\"logs:CreateLogStream\",",
                ""
            )],
            "aws::"
        ),
        [
            "templates/task-definition.json:43:28: error[aws::missing-permission]: the execution role `ResponderAPIECSTaskExecutionRole` does not allow `logs:CreateLogStream` on `arn:aws:logs:us-east-1:111122223333:log-group:/ecs/responderapi-task:log-stream:ecs/responderapi/0`, which `awslogs-group` needs"
        ]
    );
    assert_eq!(
        after(
            &[(
                "templates/responderapi-stack.json",
                "\"logs:CreateLogStream\",",
                ""
            )],
            "aws::"
        ),
        [
            "templates/responderapi-stack.json:266:34: error[aws::missing-permission]: the execution role `ExecutionRole` does not allow `logs:CreateLogStream` on `arn:aws:logs:us-east-1:111122223333:log-group:/ecs/responderapi-task:log-stream:ecs/responderapi/0`, which `awslogs-group` needs"
        ]
    );
}

#[test]
fn an_action_no_need_requires_warns_unless_the_manifest_says_why() {
    let extra = (
        "policies/task-role-policy.json",
        "\"Action\": \"aws-marketplace:RegisterUsage\"",
        "\"Action\": [\"aws-marketplace:RegisterUsage\", \"aws-marketplace:MeterUsage\"]",
    );
    assert_eq!(
        after(&[extra], "aws::"),
        [
            "policies/task-role-policy.json:7:51: warning[aws::unneeded-permission]: the task role `ResponderAPIECSTaskRole` allows `aws-marketplace:MeterUsage`, which the task definition does not need"
        ]
    );
    let why = (
        "policies.toml",
        "[policies.task-role-trust]",
        "[policies.task-role-policy.extra-actions]\n\"aws-marketplace:MeterUsage\" = \"usage-priced dimensions\"\n\n[policies.task-role-trust]",
    );
    assert_eq!(after(&[extra, why], "aws::"), Vec::<String>::new());
}

#[test]
fn a_trust_policy_for_another_service_fails() {
    assert_eq!(
        after(
            &[(
                "policies/task-role-trust.json",
                "ecs-tasks.amazonaws.com",
                "ecs.amazonaws.com"
            )],
            "aws::"
        ),
        [
            "policies/task-role-trust.json:7:20: error[aws::trust]: the trust policy of `ResponderAPIECSTaskRole` does not let `ecs-tasks.amazonaws.com` assume the role"
        ]
    );
}

/// A role's log ARNs or trust `aws:SourceArn` pinned to the example Region
/// fail in the release's other Regions: once per need, naming the first.
#[test]
fn a_role_pinned_to_the_example_region_fails_in_another_region_of_the_release() {
    let policy = "policies/execution-role-policy.json";
    let pin = (policy, "arn:aws:logs:*:", "arn:aws:logs:us-east-1:");
    let pinned_logs = [pin, pin];
    let stream = "arn:aws:logs:us-east-2:111122223333:log-group:/ecs/responderapi-task:log-stream:ecs/responderapi/0";
    let group = "arn:aws:logs:us-east-2:111122223333:log-group:/ecs/responderapi-task";
    let role = "the execution role `ResponderAPIECSTaskExecutionRole` does not allow";
    let region = "in `us-east-2`, a Region the release is offered in";
    assert_eq!(
        after(&pinned_logs, "aws::"),
        [
            format!(
                "templates/task-definition.json:43:28: error[aws::missing-permission]: {role} `logs:CreateLogStream` on `{stream}` {region}, which `awslogs-group` needs there"
            ),
            format!(
                "templates/task-definition.json:43:28: error[aws::missing-permission]: {role} `logs:PutLogEvents` on `{stream}` {region}, which `awslogs-group` needs there"
            ),
            format!(
                "templates/task-definition.json:46:35: error[aws::missing-permission]: {role} `logs:CreateLogGroup` on `{group}` {region}, which `awslogs-create-group` needs there"
            ),
        ]
    );
    assert_eq!(
        after(
            &[(
                "policies/task-role-trust.json",
                "arn:aws:ecs:*:",
                "arn:aws:ecs:us-east-1:"
            )],
            "aws::"
        ),
        [format!(
            "policies/task-role-trust.json:11:20: error[aws::trust]: the trust policy of `ResponderAPIECSTaskRole` does not let `ecs-tasks.amazonaws.com` assume the role for a task {region}"
        )]
    );
    // The template's own Region, `${AWS::Region}`, follows the stack.
    let stack = "templates/responderapi-stack.json";
    let follows = [
        (stack, "arn:aws:ecs:*:", "arn:aws:ecs:${AWS::Region}:"),
        (stack, "arn:aws:logs:*:", "arn:aws:logs:${AWS::Region}:"),
        (stack, "arn:aws:logs:*:", "arn:aws:logs:${AWS::Region}:"),
    ];
    assert_eq!(after(&follows, "aws::"), Vec::<String>::new());
}

/// Every broken template of the cfn-lint comparison is caught, by the code
/// that names its break (cfn-lint's findings on the same files are in the
/// README's figures, from tests/bench/cfn.sh).
#[test]
fn each_broken_template_is_caught_for_its_break() {
    let book = tempfile::tempdir().unwrap();
    let root = book.path();
    std::fs::create_dir_all(root.join("src")).unwrap();
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::write(
        root.join("book.toml"),
        "[book]\ntitle = \"Broken templates\"\n",
    )
    .unwrap();
    std::fs::write(
        root.join("src/SUMMARY.md"),
        "# Summary\n\n- [Intro](intro.md)\n",
    )
    .unwrap();
    std::fs::write(root.join("src/intro.md"), "# Intro\n").unwrap();
    let dir = fixture("aws/cfn-broken");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    for name in &names {
        std::fs::copy(dir.join(name), root.join("templates").join(name)).unwrap();
    }
    let (_, shorts) = check_shorts(root);
    let codes = |name: &str| -> Vec<String> {
        let mut codes: Vec<String> = shorts
            .iter()
            .filter(|s| s.starts_with(&format!("templates/{name}:")))
            .filter_map(|s| Some(s.split_once('[')?.1.split_once(']')?.0.to_string()))
            .filter(|c| c.starts_with("aws::") || c.starts_with("policy::"))
            .collect();
        codes.dedup();
        codes
    };
    let expected = [
        ("bad-getatt.json", vec!["aws::cfn-unknown-ref"]),
        (
            "execution-role-without-create-log-stream.json",
            vec!["aws::missing-permission"],
        ),
        ("fargate-size.json", vec!["aws::fargate"]),
        ("health-check-form.json", vec!["aws::health-check"]),
        (
            "inline-policy-unknown-action.json",
            vec!["policy::unknown-action"],
        ),
        ("intrinsic-wrong-kind.json", vec!["aws::cfn-type"]),
        ("missing-required.json", vec!["aws::cfn-required"]),
        (
            "misspelt-nested-property.json",
            vec!["aws::cfn-unknown-property"],
        ),
        ("misspelt-property.json", vec!["aws::cfn-unknown-property"]),
        ("unknown-ref.json", vec!["aws::cfn-unknown-ref"]),
        ("unknown-type.json", vec!["aws::cfn-unknown-type"]),
        ("wrong-enum.json", vec!["aws::cfn-enum"]),
        ("wrong-type.json", vec!["aws::cfn-type"]),
    ];
    assert_eq!(names.len(), expected.len());
    let found: Vec<_> = expected
        .iter()
        .map(|(name, _)| (*name, codes(name)))
        .collect();
    assert_eq!(
        found,
        expected.map(|(n, w)| (n, w.into_iter().map(String::from).collect::<Vec<_>>())),
        "{shorts:#?}"
    );
}

/// Every template in `templates/` is read once for every AWS check, and one
/// that cannot be parsed is reported where it breaks, not skipped; a
/// template the book adds that parses raises nothing by being there.
#[test]
fn a_template_the_procedures_do_not_read_is_still_reported_when_it_is_not_json() {
    let book = copy_real_book();
    let extra = book.path().join("templates/extra.json");
    std::fs::write(&extra, "{\n  \"Resources\": {,\n}\n").unwrap();
    assert_eq!(
        check_shorts(book.path()),
        (
            1,
            vec![
                "templates/extra.json:2:17: error[procedures::template-invalid]: templates/extra.json is not valid JSON: key must be a string".to_string()
            ]
        )
    );
    std::fs::write(&extra, "{\n  \"Description\": \"unused\"\n}\n").unwrap();
    assert_eq!(check_shorts(book.path()), (0, Vec::new()));
}

/// The load balancer template with its execution role given `arns` as
/// managed policies instead of its inline policy; its `aws::` reports on
/// that template, and the template's text.
fn execution_role_managed(arns: &[&str]) -> (Vec<String>, String) {
    let book = copy_real_book();
    let rel = "templates/responderapi-alb-stack.json";
    let path = book.path().join(rel);
    let mut template: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let role = &mut template["Resources"]["ExecutionRole"]["Properties"];
    role.as_object_mut().unwrap().remove("Policies").unwrap();
    role["ManagedPolicyArns"] = serde_json::json!(arns);
    let text = serde_json::to_string_pretty(&template).unwrap();
    std::fs::write(&path, &text).unwrap();
    let (_, shorts) = check_shorts(book.path());
    let found = shorts
        .into_iter()
        .filter(|s| s.starts_with(rel) && s.contains("[aws::"))
        .collect();
    (found, text)
}

fn line_in(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

/// A vendored AWS managed policy is evaluated as written: the ECS execution
/// policy allows pulling and writing logs on `*`, not creating the group the
/// task asks for. One that is not vendored is a warning, not errors.
#[test]
fn a_managed_policy_on_a_role_is_judged_when_vendored_and_warned_otherwise() {
    let managed = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy";
    let (found, text) = execution_role_managed(&[managed]);
    assert_eq!(
        found,
        [format!(
            "templates/responderapi-alb-stack.json:{}:41: error[aws::missing-permission]: the execution role `ExecutionRole` does not allow `logs:CreateLogGroup` on `arn:aws:logs:us-east-1:111122223333:log-group:/ecs/responderapi-task`, which `awslogs-create-group` needs",
            line_in(&text, "\"awslogs-create-group\"")
        )]
    );
    let other = "arn:aws:iam::aws:policy/CloudWatchLogsFullAccess";
    let (found, text) = execution_role_managed(&[other]);
    assert_eq!(
        found,
        [format!(
            "templates/responderapi-alb-stack.json:{}:11: warning[aws::unjudged]: the execution role `ExecutionRole` is given the managed policy `{other}`, whose permissions are not vendored: what the role misses is not judged",
            line_in(&text, other)
        )]
    );
}
