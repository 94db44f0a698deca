//! `responder-docs policy lint`: every rule's exact diagnostic on its
//! failing fixture, AWS's published policies raising nothing, and the
//! command's exit codes and formats.

use responder_docs_tests::{Run, fixture, repo_root, run, shorts};

const RULES: &str = "tests/fixtures/policies/rules";

/// Runs the CLI with repo-relative paths made absolute, and shows reported
/// paths repo-relative again, as a writer at the root would see them.
fn in_repo(args: &[&str]) -> Run {
    let root = repo_root();
    let absolute: Vec<String> = args
        .iter()
        .map(|a| {
            if a.starts_with("tests/") || a.starts_with("policies/") {
                root.join(a).to_string_lossy().into_owned()
            } else {
                a.to_string()
            }
        })
        .collect();
    let refs: Vec<&str> = absolute.iter().map(String::as_str).collect();
    let mut run = run(&refs);
    let prefix = format!("{}/", root.display());
    run.stdout = run.stdout.replace(&prefix, "");
    run.stderr = run.stderr.replace(&prefix, "");
    run
}

/// `policy lint --format json` on one rule fixture: exit code and one-line forms.
fn lint_rule(file: &str, extra: &[&str]) -> (u8, Vec<String>) {
    let path = format!("{RULES}/{file}");
    let mut args = vec!["policy", "lint", "--format", "json"];
    args.extend_from_slice(extra);
    args.push(&path);
    let run = in_repo(&args);
    (run.code, shorts(&run.stdout))
}

fn first_hint(file: &str) -> serde_json::Value {
    let run = in_repo(&[
        "policy",
        "lint",
        "--format",
        "json",
        &format!("{RULES}/{file}"),
    ]);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    report["diagnostics"][0]["hint"].clone()
}

#[test]
fn invalid_json_is_reported_at_its_line_and_column() {
    assert_eq!(
        lint_rule("json-syntax.json", &[]),
        (
            1,
            vec![format!(
                "{RULES}/json-syntax.json:8:5: error[policy::json-syntax]: invalid JSON: trailing comma"
            )]
        )
    );
}

#[test]
fn a_repeated_key_is_an_error_pointing_at_both() {
    assert_eq!(
        lint_rule("duplicate-key.json", &[]),
        (
            1,
            vec![format!(
                "{RULES}/duplicate-key.json:6:5: error[policy::duplicate-key]: `Effect` appears twice in the same object"
            )]
        )
    );
    let run = in_repo(&[
        "policy",
        "lint",
        "--format",
        "json",
        &format!("{RULES}/duplicate-key.json"),
    ]);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let related = &report["diagnostics"][0]["related"][0];
    assert_eq!(
        (related["line"].as_u64(), related["column"].as_u64()),
        (Some(4), Some(5))
    );
}

#[test]
fn schema_errors_are_mapped_to_the_offending_key_or_value() {
    let f = format!("{RULES}/schema.json");
    assert_eq!(
        lint_rule("schema.json", &[]),
        (
            1,
            vec![
                format!(
                    "{f}:4:5: error[policy::schema]: a statement needs exactly one of `Action` or `NotAction`"
                ),
                format!(
                    "{f}:5:14: error[policy::schema]: `Sid` may hold only ASCII letters and digits; found \"Pull images\""
                ),
                format!(
                    "{f}:6:17: error[policy::schema]: `Effect` must be \"Allow\" or \"Deny\"; found \"Permit\""
                ),
                format!(
                    "{f}:9:19: error[policy::schema]: a resource is `*` or an ARN `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE` (partition aws, aws-cn or aws-us-gov; account 12 digits), alone or in a non-empty array; found \"arn:aws:ecr:us-east-1:1234:repository/x\""
                ),
                format!(
                    "{f}:10:7: error[policy::schema]: an identity policy names no `Principal`: the principal is whoever the policy is attached to"
                ),
                format!("{f}:11:21: error[policy::schema]: `StringEqual` is not allowed here"),
                format!("{f}:14:3: error[policy::schema]: `Comment` is not allowed here"),
            ]
        )
    );
}

#[test]
fn unknown_service_prefixes_get_a_suggestion() {
    assert_eq!(
        lint_rule("unknown-service.json", &[]),
        (
            1,
            vec![format!(
                "{RULES}/unknown-service.json:5:15: error[policy::unknown-service]: `marketplace` is not an AWS service prefix"
            )]
        )
    );
    assert_eq!(
        first_hint("unknown-service.json"),
        "did you mean `aws-marketplace`?"
    );
}

#[test]
fn unknown_actions_get_a_did_you_mean_and_dead_wildcards_are_caught() {
    let f = format!("{RULES}/unknown-action.json");
    assert_eq!(
        lint_rule("unknown-action.json", &[]),
        (
            1,
            vec![
                format!(
                    "{f}:5:16: error[policy::unknown-action]: `ecr:GetAuthorisationToken` is not an action of Amazon Elastic Container Registry"
                ),
                format!(
                    "{f}:5:45: error[policy::unknown-action]: `logs:Write*` matches no action of Amazon CloudWatch Logs"
                ),
            ]
        )
    );
    assert_eq!(
        first_hint("unknown-action.json"),
        "did you mean `ecr:GetAuthorizationToken`?"
    );
}

#[test]
fn allowing_every_action_or_a_whole_service_is_an_error() {
    let f = format!("{RULES}/wildcard-action.json");
    assert_eq!(
        lint_rule("wildcard-action.json", &[]),
        (
            1,
            vec![
                format!(
                    "{f}:4:56: error[policy::wildcard-action]: `Action: \"*\"` covers every action of every service"
                ),
                format!(
                    "{f}:5:54: error[policy::wildcard-action]: `ecr:*` covers every action of the service"
                ),
                format!(
                    "{f}:5:75: warning[policy::resource-star]: `Resource: \"*\"` although ecr:BatchCheckLayerAvailability, ecr:BatchDeleteImage, ecr:BatchGetImage and 32 more can be limited to resource ARNs"
                ),
            ]
        )
    );
}

#[test]
fn resource_star_on_actions_that_take_arns_is_a_warning() {
    assert_eq!(
        lint_rule("resource-star.json", &[]),
        (
            0,
            vec![format!(
                "{RULES}/resource-star.json:8:19: warning[policy::resource-star]: `Resource: \"*\"` although ecr:BatchGetImage can be limited to resource ARNs"
            )]
        ),
        "warnings alone exit 0"
    );
    assert_eq!(lint_rule("resource-star.json", &["--deny-warnings"]).0, 1);
}

#[test]
fn a_repeated_sid_is_an_error() {
    assert_eq!(
        lint_rule("duplicate-sid.json", &[]),
        (
            1,
            vec![format!(
                "{RULES}/duplicate-sid.json:5:13: error[policy::duplicate-sid]: the Sid \"Metering\" is used by an earlier statement"
            )]
        )
    );
}

#[test]
fn repeated_and_redundant_actions_are_warnings() {
    assert_eq!(
        lint_rule("duplicate-action.json", &[]),
        (
            0,
            vec![format!(
                "{RULES}/duplicate-action.json:8:7: warning[policy::duplicate-action]: `logs:createlogstream` is already in this `Action`"
            )]
        )
    );
    assert_eq!(
        lint_rule("redundant-action.json", &[]),
        (
            0,
            vec![format!(
                "{RULES}/redundant-action.json:6:7: warning[policy::redundant-action]: `logs:PutLogEvents` is already covered by `logs:Put*` in this `Action`"
            )]
        )
    );
}

#[test]
fn allow_with_notaction_or_notprincipal_is_a_security_warning() {
    assert_eq!(
        lint_rule("allow-not-action.json", &[]),
        (
            0,
            vec![format!(
                "{RULES}/allow-not-action.json:5:5: warning[policy::allow-not-action]: `Allow` with `NotAction` grants every action not listed, including those AWS adds later"
            )]
        )
    );
    assert_eq!(
        lint_rule("allow-not-principal-trust.json", &[]),
        (
            0,
            vec![format!(
                "{RULES}/allow-not-principal-trust.json:5:5: warning[policy::allow-not-principal]: `Allow` with `NotPrincipal` trusts every principal not listed, anonymous ones included"
            )]
        )
    );
}

#[test]
fn trust_policies_want_a_service_principal_and_the_confused_deputy_condition() {
    assert_eq!(
        lint_rule("trust-principal-trust.json", &[]),
        (
            0,
            vec![format!(
                "{RULES}/trust-principal-trust.json:5:19: warning[policy::trust-principal]: this trust policy lets a non-service principal (`AWS`) assume the role"
            )]
        )
    );
    // AWS's own execution-role trust example, which has no condition.
    assert_eq!(
        lint_rule("confused-deputy-trust.json", &[]),
        (
            0,
            vec![format!(
                "{RULES}/confused-deputy-trust.json:7:7: warning[policy::confused-deputy]: a service may assume this role on behalf of any account: no `aws:SourceAccount` or `aws:SourceArn` condition"
            )]
        )
    );
}

#[test]
fn a_policy_over_its_quota_is_an_error_where_the_excess_starts() {
    assert_eq!(
        lint_rule("size-trust.json", &[]),
        (
            1,
            vec![format!(
                "{RULES}/size-trust.json:134:19: error[policy::size]: the policy has 2434 characters (whitespace not counted), over the role trust policy quota of 2048; the excess starts here"
            )]
        )
    );
}

#[test]
fn characters_iam_refuses_are_errors() {
    assert_eq!(
        lint_rule("character.json", &[]),
        (
            1,
            vec![format!(
                "{RULES}/character.json:9:16: error[policy::character]: IAM does not accept the character U+2014 in a policy"
            )]
        )
    );
}

#[test]
fn the_kind_given_on_the_command_line_wins_over_the_file_name() {
    let (code, found) = lint_rule("confused-deputy-trust.json", &["--kind", "identity"]);
    assert_eq!(code, 1);
    assert!(
        found.contains(&format!(
            "{RULES}/confused-deputy-trust.json:7:7: error[policy::schema]: an identity policy names no `Principal`: the principal is whoever the policy is attached to"
        )),
        "{found:?}"
    );
}

#[test]
fn unknown_actions_of_any_service_get_a_did_you_mean() {
    let f = format!("{RULES}/unknown-action-any-service.json");
    assert_eq!(
        lint_rule("unknown-action-any-service.json", &[]),
        (
            1,
            vec![
                format!(
                    "{f}:5:16: error[policy::unknown-action]: `s3:ListBuckets` is not an action of Amazon S3"
                ),
                format!(
                    "{f}:5:54: error[policy::unknown-action]: `kms:Decrpyt` is not an action of AWS Key Management Service"
                ),
            ]
        )
    );
    assert_eq!(
        hints(&f),
        [
            "did you mean `s3:ListBucket`?",
            "did you mean `kms:Decrypt`?"
        ]
    );
}

#[test]
fn a_misspelt_condition_operator_gets_a_did_you_mean() {
    let f = format!("{RULES}/condition-operator.json");
    assert_eq!(
        lint_rule("condition-operator.json", &[]),
        (
            1,
            vec![format!(
                "{f}:8:7: error[policy::schema]: `StringEqualz` is not allowed here"
            )]
        )
    );
    assert_eq!(hints(&f), ["did you mean `StringEquals`?"]);
}

#[test]
fn the_content_makes_a_trust_policy_whatever_the_file_is_called() {
    // Principal + sts:AssumeRole: checked as a trust policy, so the missing
    // confused-deputy condition is what is reported (not a schema error).
    let f = format!("{RULES}/ecs-task-role-assumption.json");
    assert_eq!(
        lint_rule("ecs-task-role-assumption.json", &[]),
        (
            0,
            vec![format!(
                "{f}:6:7: warning[policy::confused-deputy]: a service may assume this role on behalf of any account: no `aws:SourceAccount` or `aws:SourceArn` condition"
            )]
        )
    );
    // `--kind` still wins.
    let (code, found) = lint_rule("ecs-task-role-assumption.json", &["--kind", "identity"]);
    assert_eq!(code, 1);
    assert!(
        found.contains(&format!(
            "{f}:6:7: error[policy::schema]: an identity policy names no `Principal`: the principal is whoever the policy is attached to"
        )),
        "{found:?}"
    );
}

#[test]
fn a_service_condition_key_the_service_lacks_is_a_warning_with_a_did_you_mean() {
    let f = format!("{RULES}/unknown-condition-key.json");
    assert_eq!(
        lint_rule("unknown-condition-key.json", &[]),
        (
            0,
            vec![format!(
                "{f}:10:9: warning[policy::unknown-condition-key]: `ecr:ResourceTags/owner` is not a condition key of Amazon Elastic Container Registry"
            )]
        )
    );
    assert_eq!(hints(&f), ["did you mean `ecr:ResourceTag/${TagKey}`?"]);
}

const MANAGED: &str = "tests/fixtures/policies/aws-managed";

fn lint_managed(name: &str) -> (u8, Vec<String>) {
    let run = in_repo(&[
        "policy",
        "lint",
        "--format",
        "json",
        &format!("{MANAGED}/{name}.json"),
    ]);
    (run.code, shorts(&run.stdout))
}

#[test]
fn an_identity_policy_named_trust_is_linted_as_identity() {
    assert_eq!(
        lint_managed("AWSOrganizationsServiceTrustPolicy"),
        (
            0,
            vec![format!(
                "{MANAGED}/AWSOrganizationsServiceTrustPolicy.json:18:25: warning[policy::resource-star]: `Resource: \"*\"` although iam:CreateServiceLinkedRole can be limited to resource ARNs"
            )]
        )
    );
}

#[test]
fn retired_service_prefixes_are_warnings_that_say_so() {
    let f = format!("{MANAGED}/AWSIoT1ClickReadOnlyAccess.json");
    let warning = "warning[policy::retired-service]: `iot1click` is the prefix of AWS IoT 1-Click, a retired service: its actions no longer exist";
    assert_eq!(
        lint_managed("AWSIoT1ClickReadOnlyAccess"),
        (
            0,
            vec![
                format!("{f}:6:17: {warning}"),
                format!("{f}:7:17: {warning}"),
                format!("{f}:8:17: {warning}"),
            ]
        )
    );
    assert_eq!(
        lint_managed("AmazonZocaloReadOnlyAccess"),
        (
            0,
            vec![format!(
                "{MANAGED}/AmazonZocaloReadOnlyAccess.json:6:17: warning[policy::retired-service]: `zocalo` is the prefix of Amazon WorkDocs (original prefix), a retired service: its actions no longer exist"
            )]
        )
    );
    // An unknown prefix stays an error.
    assert_eq!(lint_rule("unknown-service.json", &[]).0, 1);
}

#[test]
fn an_arn_with_an_empty_resource_part_passes() {
    assert_eq!(
        lint_managed("AmazonDevOpsGuruOrganizationsAccess"),
        (
            0,
            vec![format!(
                "{MANAGED}/AmazonDevOpsGuruOrganizationsAccess.json:38:25: warning[policy::resource-star]: `Resource: \"*\"` although organizations:DeregisterDelegatedAdministrator, organizations:RegisterDelegatedAdministrator can be limited to resource ARNs"
            )]
        )
    );
}

/// The hints of every diagnostic of one file, in order.
fn hints(path: &str) -> Vec<String> {
    let run = in_repo(&["policy", "lint", "--format", "json", path]);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["hint"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn json_files(dir: &std::path::Path) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    files.sort();
    files
}

#[test]
fn the_shipped_policies_lint_clean() {
    let files = json_files(&repo_root().join("policies"));
    assert_eq!(files.len(), 5, "{files:?}");
    let mut args = vec!["policy", "lint", "--deny-warnings", "--format", "json"];
    args.extend(files.iter().map(String::as_str));
    let run = run(&args);
    assert_eq!((run.code, shorts(&run.stdout)), (0, Vec::<String>::new()));
}

#[test]
fn aws_published_example_policies_raise_nothing() {
    let files = json_files(&fixture("policies/aws-examples/policies"));
    assert!(files.len() >= 10, "{files:?}");
    let mut args = vec!["policy", "lint", "--deny-warnings", "--format", "json"];
    args.extend(files.iter().map(String::as_str));
    let run = run(&args);
    assert_eq!((run.code, shorts(&run.stdout)), (0, Vec::<String>::new()));
}

#[test]
fn the_manifest_beside_a_file_explains_resource_star_and_only_there() {
    // Outside its folder (no manifest), AWS's managed execution-role policy is warned about.
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("ecs-task-execution-role-policy.json");
    std::fs::copy(
        fixture("policies/aws-examples/policies/ecs-task-execution-role-policy.json"),
        &copy,
    )
    .unwrap();
    let run = run(&["policy", "lint", "--format", "json", copy.to_str().unwrap()]);
    let found = shorts(&run.stdout);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].ends_with(":14:19: warning[policy::resource-star]: `Resource: \"*\"` although ecr:BatchCheckLayerAvailability, ecr:GetDownloadUrlForLayer, ecr:BatchGetImage and 2 more can be limited to resource ARNs"),
        "{found:?}"
    );
}

#[test]
fn every_file_is_reported_in_one_run_in_every_format() {
    let a = format!("{RULES}/duplicate-sid.json");
    let b = format!("{RULES}/character.json");
    let missing = "tests/fixtures/policies/no-such-policy.json";
    let run = in_repo(&["policy", "lint", "--format", "github", &a, &b, missing]);
    assert_eq!(run.code, 1);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", run.stdout);
    // Sorted by path: the missing file, then the two fixtures.
    assert!(
        lines[1].starts_with(&format!(
            "::error file={RULES}/character.json,line=9,col=16,"
        )),
        "{}",
        run.stdout
    );
    assert!(
        lines[0].starts_with(&format!("::error file={missing},line=1,col=1,")),
        "{}",
        run.stdout
    );
    assert!(
        lines[0].contains("title=policy%3A%3Aunreadable::cannot read the policy"),
        "{}",
        run.stdout
    );
    let human = in_repo(&["policy", "lint", &a]);
    assert!(
        human
            .stderr
            .contains("= help: each statement's Sid must be unique within the policy"),
        "{}",
        human.stderr
    );
    assert!(human.stderr.contains("first here"), "{}", human.stderr);
    assert!(
        human.stderr.ends_with("1 error, 0 warnings\n"),
        "{}",
        human.stderr
    );
}
