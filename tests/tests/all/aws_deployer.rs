//! The deployer policy against every API call the run paths make, end to
//! end: fixture books that must fail with exact diagnostics or pass, the
//! real guide's figures (what each path needs), and the real guide's policy
//! broken one permission at a time, each break reported at the command that
//! needs it.

use responder_docs::checks::aws::deployer::{self, Need};
use responder_docs::model::chapters::BookModel;
use responder_docs_tests::{append_block, check_shorts, copy_real_book, fixture, repo_root, run};
use std::path::Path;

fn deployer_errors(book: &Path) -> Vec<String> {
    let (_, shorts) = check_shorts(book);
    shorts
        .into_iter()
        .filter(|s| s.contains("[aws::"))
        .collect()
}

/// Each `aws::deployer-permission` error of `book`: `path:line` of the
/// command it is reported at and of each other command that has the same
/// need ("needed here too"), and its message.
fn deployer_places(book: &Path) -> Vec<(Vec<String>, String)> {
    let at = |d: &serde_json::Value| format!("{}:{}", d["path"].as_str().unwrap(), d["line"]);
    deployer_reports(book)
        .iter()
        .map(|d| {
            let mut places = vec![at(d)];
            places.extend(
                d["related"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|r| r["message"] == "needed here too")
                    .map(at),
            );
            (places, d["message"].as_str().unwrap().to_string())
        })
        .collect()
}

/// The `aws::deployer-permission` errors of `book`'s JSON report.
fn deployer_reports(book: &Path) -> Vec<serde_json::Value> {
    let json = responder_docs_tests::run(&["check", book.to_str().unwrap(), "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let all = report["diagnostics"].as_array().unwrap();
    all.iter()
        .filter(|d| d["code"] == "aws::deployer-permission")
        .cloned()
        .collect()
}

/// The real book with its deployer policy edited by `edit`.
fn with_policy(edit: impl FnOnce(&mut serde_json::Value)) -> tempfile::TempDir {
    let book = copy_real_book();
    let path = book.path().join("policies/deployer-policy.json");
    let mut policy: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    edit(&mut policy);
    std::fs::write(&path, serde_json::to_string_pretty(&policy).unwrap()).unwrap();
    book
}

/// Removes `action` from every statement that lists it; a statement left
/// with no action goes too.
fn without(action: &'static str) -> impl FnOnce(&mut serde_json::Value) {
    move |policy| {
        let statements = policy["Statement"].as_array_mut().unwrap();
        let mut found = false;
        statements.retain_mut(|s| {
            match &mut s["Action"] {
                serde_json::Value::String(a) if a == action => {
                    found = true;
                    return false;
                }
                serde_json::Value::Array(items) => {
                    let before = items.len();
                    items.retain(|a| a != action);
                    found |= items.len() != before;
                }
                _ => {}
            }
            true
        });
        assert!(found, "the policy has no {action}");
    }
}

/// `path:line` of the first line of `file` that contains `text`.
fn line_of(file: &str, text: &str) -> String {
    let body = std::fs::read_to_string(repo_root().join(file)).unwrap();
    let line = body
        .lines()
        .position(|l| l.contains(text))
        .unwrap_or_else(|| panic!("{file} has no {text:?}"))
        + 1;
    format!("{file}:{line}")
}

/// `file:line` of the second line of `file` that starts with `text`.
fn second_line_of(file: &str, text: &str) -> String {
    let content = std::fs::read_to_string(repo_root().join(file)).unwrap();
    let line = content
        .lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with(text))
        .nth(1)
        .map(|(i, _)| i + 1)
        .expect("a second line");
    format!("{file}:{line}")
}

fn deploy_line(chapter: &str) -> String {
    line_of(chapter, "aws cloudformation deploy")
}

/// The deploy that puts the first template back over the load balancer's.
fn undo_line() -> String {
    let text = std::fs::read_to_string(repo_root().join("src/load-balancer.md")).unwrap();
    let at = text
        .find("<!-- run: alb-cloudformation-undo -->")
        .expect("the way back is a run path");
    let line = text[..at].lines().count() + 3;
    format!("src/load-balancer.md:{line}")
}

#[test]
fn the_real_guide_needs_what_its_policy_allows_and_nothing_is_left_unjudged() {
    let root = repo_root();
    let (book_root, book) = responder_docs::pipeline::processed(&root).unwrap().unwrap();
    let model = BookModel::build(&book_root, &book);
    let needs = responder_docs::checks::aws::deployer_needs(&book_root, &model);
    let unjudged: Vec<String> = needs
        .iter()
        .flat_map(|c| {
            c.needs.iter().filter_map(move |n| match n.arns() {
                responder_docs::checks::aws::arns::Arns::Unknown(var) => {
                    Some(format!("{} {}: {var}", c.label, n.action()))
                }
                _ => None,
            })
        })
        .collect();
    assert_eq!(unjudged, Vec::<String>::new());
    let figures = deployer::figures(&needs);
    for (path, actions, from_handlers) in &figures {
        eprintln!("{path}: {actions} actions, {from_handlers} only from CloudFormation's handlers");
    }
    let of = |p: &str| figures.iter().find(|f| f.0 == p).unwrap();
    // Every path needs something; the CloudFormation paths mostly what the
    // handlers call.
    assert!(figures.iter().all(|f| f.1 > 0), "{figures:?}");
    assert!(
        of("cloudformation").2 > of("cloudformation").1 / 2,
        "{figures:?}"
    );
    assert_eq!(of("cli").2, 0, "{figures:?}");
    let handler_needs = needs
        .iter()
        .flat_map(|c| &c.needs)
        .filter(|n| matches!(n, Need::Handler(_)))
        .count();
    assert!(handler_needs > 0);
}

/// One need of several deploy steps is one error, at the first, with the
/// others as related locations.
#[test]
fn get_template_summary_missing_fails_once_for_every_deploy_step() {
    let book = with_policy(without("cloudformation:GetTemplateSummary"));
    let stack = "arn:aws:cloudformation:us-east-1:111122223333:stack/responderapi/0a1b2c3d-4e5f-6789-abcd-ef0123456789";
    let message = format!(
        "error[aws::deployer-permission]: `policies/deployer-policy.json` does not allow `cloudformation:GetTemplateSummary` on `{stack}`, which `aws cloudformation deploy` calls (Deployer.create_changeset reads the existing stack's parameters (StackName=the stack) before an update)"
    );
    assert_eq!(
        deployer_errors(book.path()),
        [format!(
            "{}:1: {message}",
            deploy_line("src/cloudformation.md")
        )]
    );
    let places: Vec<Vec<String>> = deployer_places(book.path())
        .into_iter()
        .map(|(p, _)| p)
        .collect();
    assert_eq!(
        places,
        [vec![
            deploy_line("src/cloudformation.md"),
            deploy_line("src/load-balancer.md"),
            undo_line(),
        ]]
    );
}

#[test]
fn each_handler_permission_missing_fails_at_the_stack_commands_that_need_it() {
    let cfn = deploy_line("src/cloudformation.md");
    let alb = deploy_line("src/load-balancer.md");
    let undo = undo_line();
    let delete = line_of(
        "src/cleanup.md",
        "aws cloudformation delete-stack --stack-name responderapi",
    );
    let cases: [(&str, &str, Vec<&String>); 4] = [
        (
            "iam:ListAttachedRolePolicies",
            "arn:aws:iam::111122223333:role/ResponderAPIECSTaskExecutionRole` (and on 1 more resource)",
            // The load balancer's deploys leave the roles as they are.
            vec![&delete, &cfn],
        ),
        (
            "ecs:DescribeServiceDeployments",
            "arn:aws:ecs:us-east-1:111122223333:service/responderapi-cluster/responderapi-service` (and on 1 more resource)",
            vec![&cfn, &alb, &undo],
        ),
        // Deleting a group: the stack's, and the load balancer's going back.
        ("ec2:DescribeInstances", "*`", vec![&delete, &undo]),
        (
            "logs:ListTagsForResource",
            "arn:aws:logs:us-east-1:111122223333:log-group:/ecs/responderapi-task`",
            // The log group is the same in both templates.
            vec![&delete, &cfn],
        ),
    ];
    for (action, on, at) in cases {
        let book = with_policy(without(action));
        let found = deployer_places(book.path());
        let places: Vec<String> = found.iter().flat_map(|(p, _)| p.clone()).collect();
        let mut sorted = places.clone();
        sorted.sort();
        let mut want: Vec<String> = at.iter().map(|l| l.to_string()).collect();
        want.sort();
        assert_eq!(sorted, want, "{action}: {found:#?}");
        for (_, f) in &found {
            assert!(
                f.contains(&format!("does not allow `{action}` on `{on}")),
                "{action}: {f}"
            );
            assert!(f.contains("CloudFormation's"), "{f}");
        }
    }
}

#[test]
fn a_narrow_policy_fails_at_each_command_that_needs_more() {
    let (code, shorts) = check_shorts(&fixture("aws/deployer-fail"));
    let policy = "`policies/deployer-policy.json`";
    assert_eq!(
        shorts,
        [
            format!(
                "src/deploy.md:7:1: error[aws::deployer-permission]: {policy} does not allow `ecs:CreateCluster` on `arn:aws:ecs:us-east-1:111122223333:cluster/demo-cluster`, which `aws ecs create-cluster` calls (the command's operation)"
            ),
            format!(
                "src/deploy.md:7:1: error[aws::deployer-permission]: {policy} does not allow `iam:CreateServiceLinkedRole` on `arn:aws:iam::111122223333:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS`, which `aws ecs create-cluster` calls (ECS creates its service-linked role with the caller's permissions when the account has none)"
            ),
            format!(
                "src/deploy.md:15:10: error[aws::deployer-permission]: {policy} does not allow `iam:CreateServiceLinkedRole` on `arn:aws:iam::111122223333:role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing`, which `aws elbv2 create-load-balancer` calls (Elastic Load Balancing creates its service-linked role with the caller's permissions when the account has none)"
            ),
            format!(
                "src/deploy.md:17:1: error[aws::deployer-permission]: {policy} does not allow `elasticloadbalancing:DescribeLoadBalancers` on `*`, which `aws elbv2 describe-load-balancers` calls (the command's operation)"
            ),
            format!(
                "src/deploy.md:18:1: error[aws::deployer-permission]: {policy} denies `elasticloadbalancing:DeleteLoadBalancer` on `arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/demo-alb/0123456789abcdef`, which `aws elbv2 delete-load-balancer` calls (the command's operation)"
            ),
            format!(
                "src/deploy.md:25:1: error[aws::deployer-permission]: {policy} does not allow `cloudformation:GetTemplateSummary` on `arn:aws:cloudformation:us-east-1:111122223333:stack/demo/0a1b2c3d-4e5f-6789-abcd-ef0123456789`, which `aws cloudformation deploy` calls (Deployer.create_changeset reads the existing stack's parameters (StackName=the stack) before an update)"
            ),
            format!(
                "src/deploy.md:25:1: error[aws::deployer-permission]: {policy} does not allow `logs:DescribeLogGroups` on `*`, which CloudFormation's create handler of `Logs` (`AWS::Logs::LogGroup`) calls during `aws cloudformation deploy`"
            ),
            format!(
                "src/deploy.md:25:1: error[aws::deployer-permission]: {policy} does not allow `logs:ListTagsForResource` on `arn:aws:logs:us-east-1:111122223333:log-group:/demo/app`, which CloudFormation's read handler of `Logs` (`AWS::Logs::LogGroup`) calls during `aws cloudformation deploy`"
            ),
            format!(
                "src/deploy.md:30:1: error[aws::deployer-permission]: {policy} does not allow `logs:DescribeLogGroups` on `*`, which CloudFormation's delete handler of `Logs` (`AWS::Logs::LogGroup`) calls during `aws cloudformation delete-stack`"
            ),
            format!(
                "src/deploy.md:30:1: error[aws::deployer-permission]: {policy} does not allow `logs:ListTagsForResource` on `arn:aws:logs:us-east-1:111122223333:log-group:/demo/app`, which CloudFormation's read handler of `Logs` (`AWS::Logs::LogGroup`) calls during `aws cloudformation delete-stack`"
            ),
        ]
    );
    assert_eq!(code, 1);
    let json = responder_docs_tests::run(&[
        "check",
        fixture("aws/deployer-fail").to_str().unwrap(),
        "--format",
        "json",
    ]);
    let report: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let hints: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["hint"].as_str().unwrap())
        .collect();
    assert_eq!(
        hints[0],
        "the statement `OtherClusters` allows `ecs:CreateCluster`, but not on this resource: use the name it allows, or add `arn:aws:ecs:us-east-1:111122223333:cluster/demo-cluster` to its resources"
    );
    assert_eq!(
        hints[3],
        "add a statement that allows `elasticloadbalancing:DescribeLoadBalancers` on `\"*\"`: it takes no resource ARN"
    );
    assert_eq!(
        hints[4],
        "a Deny statement of `policies/deployer-policy.json` matches `elasticloadbalancing:DeleteLoadBalancer` on this resource: narrow it, or readers cannot follow the guide"
    );
    assert_eq!(
        hints[7],
        "add `logs:ListTagsForResource` to the statement `TheLogGroup`, which already covers this resource"
    );
    let handler = &report["diagnostics"][7]["related"];
    assert_eq!(handler[0]["path"], "templates/demo-stack.json");
    assert_eq!(handler[0]["line"], 4);
    assert_eq!(handler[1]["path"], "policies/deployer-policy.json");
}

#[test]
fn wildcards_conditions_a_deny_elsewhere_and_a_stack_role_pass() {
    // The policy linter has its say about `ecs:*`; the derivation none.
    let ours = deployer_errors(&fixture("aws/deployer-pass"));
    assert_eq!(ours, Vec::<String>::new());
}

#[test]
fn passing_the_roles_missing_fails_where_a_task_definition_names_them() {
    let book = with_policy(|policy| {
        let statements = policy["Statement"].as_array_mut().unwrap();
        let before = statements.len();
        statements.retain(|s| s["Sid"] != "PassTheGuideRolesToEcsTasks");
        assert_eq!(statements.len() + 1, before);
    });
    let found = deployer_places(book.path());
    let places: Vec<String> = found
        .iter()
        .filter(|(_, f)| f.contains("`iam:PassRole`"))
        .flat_map(|(p, _)| p.iter().map(|p| format!("{p}:1")))
        .collect();
    let register = |chapter: &str| {
        format!(
            "{}:1",
            line_of(chapter, "aws ecs register-task-definition --cli-input-json")
        )
    };
    let delete = line_of(
        "src/cleanup.md",
        "aws cloudformation delete-stack --stack-name responderapi",
    );
    assert_eq!(
        places,
        [
            format!("{delete}:1"),
            format!("{}:1", deploy_line("src/cloudformation.md")),
            // The load balancer's deploys keep the task definition.
            register("src/task-definition.md"),
            register("src/update.md"),
        ],
        "{found:#?}"
    );
    let all: usize = found.iter().map(|(p, _)| p.len()).sum();
    assert_eq!(all, places.len(), "{found:#?}");
}

/// The line of `script`'s first command run on the cli path at the end of
/// the real book's `src/cluster.md`, and the book's `aws::` reports.
fn cli_block(script: &str) -> (usize, Vec<String>) {
    cli_block_with(|_| {}, script)
}

fn refused_on(line: usize, action: &str, arn: &str, command: &str) -> String {
    format!(
        "src/cluster.md:{line}:1: error[aws::deployer-permission]: `policies/deployer-policy.json` does not allow `{action}` on `{arn}`, which `{command}` calls (the command's operation)"
    )
}

#[test]
fn describing_the_guides_cluster_by_name_is_judged_on_its_arn() {
    // `--clusters` names the cluster as `--cluster` does: the policy allows
    // `ecs:DescribeClusters` on the guide's cluster, not on `*`.
    let (_, found) = cli_block(
        "aws ecs describe-clusters --clusters responderapi-cluster --query 'clusters[0].status' --output text",
    );
    assert_eq!(found, Vec::<String>::new());
    // And a cluster the policy does not name is refused on its own ARN.
    let (line, found) = cli_block("aws ecs describe-clusters --clusters other-cluster");
    assert_eq!(
        found,
        [refused_on(
            line,
            "ecs:DescribeClusters",
            "arn:aws:ecs:us-east-1:111122223333:cluster/other-cluster",
            "aws ecs describe-clusters"
        )]
    );
}

#[test]
fn a_resource_named_by_its_full_arn_is_judged_on_that_arn() {
    // `--resource-arn` is in no table of names: the ARN itself says which
    // resource it is, and the policy allows tagging the guide's cluster.
    let tag = |cluster: &str| {
        format!(
            "aws ecs tag-resource --resource-arn arn:aws:ecs:us-east-1:111122223333:cluster/{cluster} --tags key=team,value=api"
        )
    };
    assert_eq!(
        cli_block(&tag("responderapi-cluster")).1,
        Vec::<String>::new()
    );
    let (line, found) = cli_block(&tag("other-cluster"));
    assert_eq!(
        found,
        [refused_on(
            line,
            "ecs:TagResource",
            "arn:aws:ecs:us-east-1:111122223333:cluster/other-cluster",
            "aws ecs tag-resource"
        )]
    );
    // Written with the reader's Region and account from their shell: the
    // Region the command runs in and the example account, by either option.
    for option in ["--resource-arn", "--cluster"] {
        let script = format!(
            "aws ecs {} {option} \"arn:aws:ecs:${{AWS_REGION}}:$ACCOUNT_ID:cluster/{{}}\"{}",
            if option == "--cluster" {
                "describe-services"
            } else {
                "tag-resource"
            },
            if option == "--cluster" {
                " --services responderapi-service"
            } else {
                " --tags key=team,value=api"
            },
        );
        assert_eq!(
            cli_block(&script.replace("{}", "responderapi-cluster")).1,
            Vec::<String>::new(),
            "{script}"
        );
        let (line, found) = cli_block(&script.replace("{}", "other-cluster"));
        let (action, arn, command) = if option == "--cluster" {
            (
                "ecs:DescribeServices",
                "arn:aws:ecs:us-east-1:111122223333:service/other-cluster/responderapi-service",
                "aws ecs describe-services",
            )
        } else {
            (
                "ecs:TagResource",
                "arn:aws:ecs:us-east-1:111122223333:cluster/other-cluster",
                "aws ecs tag-resource",
            )
        };
        assert_eq!(found, [refused_on(line, action, arn, command)], "{script}");
    }
}

#[test]
fn a_redeploy_without_overrides_keeps_the_previous_values_and_needs_no_update() {
    // `aws cloudformation deploy` keeps the previous value of every parameter
    // the command does not override: deploying the first template again with
    // none changes nothing, so no replacement and no update handler's call.
    let book = copy_real_book();
    append_block(
        book.path(),
        "src/load-balancer.md",
        "alb-cloudformation",
        "aws cloudformation deploy --template-file responderapi-stack.json --stack-name responderapi --capabilities CAPABILITY_NAMED_IAM",
    );
    assert_eq!(deployer_errors(book.path()), Vec::<String>::new());
}

#[test]
fn a_name_set_by_a_literal_assignment_is_followed_to_the_command() {
    let describe = |cluster: &str| {
        format!("CLUSTER={cluster}\naws ecs describe-clusters --clusters \"$CLUSTER\"")
    };
    assert_eq!(
        cli_block(&describe("responderapi-cluster")).1,
        Vec::<String>::new()
    );
    let (line, found) = cli_block(&describe("other-cluster"));
    assert_eq!(
        found,
        [refused_on(
            line + 1,
            "ecs:DescribeClusters",
            "arn:aws:ecs:us-east-1:111122223333:cluster/other-cluster",
            "aws ecs describe-clusters"
        )]
    );
}

#[test]
fn a_command_whose_calls_are_not_known_is_a_warning_not_a_silent_pass() {
    let (line, found) = cli_block("aws s3api list-buckets");
    assert_eq!(
        found,
        [format!(
            "src/cluster.md:{line}:1: warning[aws::unjudged]: the deployer permission check does not know which API calls `aws s3api list-buckets` makes: its service has no vendored model, or the command is one of the AWS CLI's own that `cli-calls.toml` does not list"
        )]
    );
}

/// A log stream named by `--log-stream-name` is judged on its own ARN (the
/// log group's, then `:log-stream:NAME`), which a statement on the group's
/// `:*` covers: not on `*`.
#[test]
fn a_log_stream_read_is_judged_on_its_arn() {
    let book = with_policy(|policy| {
        let statements = policy["Statement"].as_array_mut().unwrap();
        let logs = statements
            .iter_mut()
            .find(|s| s["Sid"] == "ManageTheGuideLogGroup")
            .expect("the policy has ManageTheGuideLogGroup");
        logs["Action"]
            .as_array_mut()
            .unwrap()
            .push("logs:GetLogEvents".into());
    });
    let chapter = book.path().join("src/service.md");
    let text = std::fs::read_to_string(&chapter).unwrap();
    std::fs::write(
        &chapter,
        format!(
            "{text}\nThen run:\n\n<!-- run: cli -->\n```bash\naws logs get-log-events --log-group-name /ecs/responderapi-task --log-stream-name ecs/responderapi/0123456789abcdef0123456789abcdef\n```\n"
        ),
    )
    .unwrap();
    assert_eq!(deployer_errors(book.path()), Vec::<String>::new());
}

/// `--registry-id` is the account of the registry: the repository's ARN is
/// in that account (AWS Marketplace's), not in the reader's.
#[test]
fn a_registry_id_gives_the_account_of_the_repository_arn() {
    let describe = "aws ecr describe-images --registry-id 709825985650 --repository-name responder/responderapi";
    let (line, found) = cli_block(describe);
    assert_eq!(
        found,
        [refused_on(
            line,
            "ecr:DescribeImages",
            "arn:aws:ecr:us-east-1:709825985650:repository/responder/responderapi",
            "aws ecr describe-images"
        )]
    );
    // A statement on the registry's repositories allows it; one on the
    // reader's own account would not have.
    let (_, found) = cli_block_with(
        |policy| {
            policy["Statement"]
                .as_array_mut()
                .unwrap()
                .push(serde_json::json!({
                    "Effect": "Allow",
                    "Action": "ecr:DescribeImages",
                    "Resource": "arn:aws:ecr:*:709825985650:repository/responder/*"
                }));
        },
        describe,
    );
    assert_eq!(found, Vec::<String>::new());
}

/// `aws ec2 create-tags --resources ID…` is judged on the ARN of each
/// resource the ID's prefix names, not on `*`; an ID of a kind the tables do
/// not know is a warning, not a demand for `*`. The guide's policy lets EC2
/// tag security groups only as they are created (`ec2:CreateAction`), which
/// a create-tags call by itself is not.
#[test]
fn tagging_resources_by_id_is_judged_on_their_arns() {
    let tag = |id: &str| format!("aws ec2 create-tags --resources {id} --tags Key=team,Value=api");
    let (line, found) = cli_block(&format!(
        "{}\n{}\n{}",
        tag("sg-0123456789abcdef0"),
        tag("subnet-0123456789abcdef0"),
        tag("xyz-0123")
    ));
    let arn = |kind: &str, id: &str| format!("arn:aws:ec2:us-east-1:111122223333:{kind}/{id}");
    assert_eq!(
        found,
        [
            refused_on(
                line,
                "ec2:CreateTags",
                &arn("security-group", "sg-0123456789abcdef0"),
                "aws ec2 create-tags"
            ),
            format!(
                "src/cluster.md:{}:1: warning[aws::unjudged]: the deployer permission check does not know which kind of resource `xyz-0123` is, so it does not judge `ec2:CreateTags`, which `aws ec2 create-tags` calls on it",
                line + 2
            )
        ]
    );
    // A statement that lets the reader tag security groups at any time
    // allows the first; the subnet is refused on its own ARN.
    let (line, found) = cli_block_with(
        |policy| {
            policy["Statement"]
                .as_array_mut()
                .unwrap()
                .push(serde_json::json!({
                    "Effect": "Allow",
                    "Action": "ec2:CreateTags",
                    "Resource": "arn:aws:ec2:*:111122223333:security-group/*"
                }));
        },
        &format!(
            "{}\n{}",
            tag("sg-0123456789abcdef0"),
            tag("subnet-0123456789abcdef0")
        ),
    );
    assert_eq!(
        found,
        [refused_on(
            line + 1,
            "ec2:CreateTags",
            &arn("subnet", "subnet-0123456789abcdef0"),
            "aws ec2 create-tags"
        )]
    );
}

/// The real book with its deployer policy edited by `edit` and `script`
/// run on the cli path at the end of `src/cluster.md`: the script's first
/// line, and the book's `aws::` reports.
fn cli_block_with(edit: impl FnOnce(&mut serde_json::Value), script: &str) -> (usize, Vec<String>) {
    let book = with_policy(edit);
    let line = append_block(book.path(), "src/cluster.md", "cli", script);
    (line, deployer_errors(book.path()))
}

/// [`cli_block_with`], without the reports of the other Regions the
/// release is offered in (a policy pinned to one Region has those too).
fn in_its_region(edit: impl FnOnce(&mut serde_json::Value), script: &str) -> (usize, Vec<String>) {
    let (line, found) = cli_block_with(edit, script);
    let found = found
        .into_iter()
        .filter(|f| !f.contains("a Region the release is offered in"))
        .collect();
    (line, found)
}

/// The reports on the script [`cli_block_with`] adds, when the policy's
/// statement `sid` has `condition`.
fn with_condition(sid: &str, condition: serde_json::Value, script: &str) -> (usize, Vec<String>) {
    let (line, found) = cli_block_with(
        |policy| {
            let statements = policy["Statement"].as_array_mut().unwrap();
            let s = statements.iter_mut().find(|s| s["Sid"] == sid).unwrap();
            s["Condition"] = condition;
        },
        script,
    );
    let here = format!("src/cluster.md:{line}:");
    (
        line,
        found.into_iter().filter(|d| d.starts_with(&here)).collect(),
    )
}

/// `ecs:cluster` is the cluster the command names, `iam:PassedToService`
/// the service the call passes the role to (a task definition's roles go to
/// ecs-tasks.amazonaws.com): a condition on another refuses the call, the
/// guide's own passes.
#[test]
fn conditions_on_what_the_command_determines_are_evaluated() {
    let list = "aws ecs list-tasks --cluster responderapi-cluster";
    let register = "aws ecs register-task-definition --family responderapi-task --execution-role-arn arn:aws:iam::111122223333:role/ResponderAPIECSTaskExecutionRole --container-definitions name=app,image=nginx";
    assert_eq!(cli_block(list).1, Vec::<String>::new());
    assert_eq!(cli_block(register).1, Vec::<String>::new());
    let (line, found) = with_condition(
        "ListTheGuideTasks",
        serde_json::json!({"ArnLike": {"ecs:cluster": "arn:aws:ecs:*:111122223333:cluster/nope"}}),
        list,
    );
    assert_eq!(
        found,
        [refused_on(line, "ecs:ListTasks", "*", "aws ecs list-tasks")]
    );
    let (line, found) = with_condition(
        "PassTheGuideRolesToEcsTasks",
        serde_json::json!({"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}}),
        register,
    );
    assert_eq!(
        found,
        [format!(
            "src/cluster.md:{line}:1: error[aws::deployer-permission]: `policies/deployer-policy.json` does not allow `iam:PassRole` on `arn:aws:iam::111122223333:role/ResponderAPIECSTaskExecutionRole`, which `aws ecs register-task-definition` calls (the task definition passes its execution and task roles to ECS)"
        )]
    );
}

/// A condition on a service key the action's requests never carry (the
/// Service Authorization Reference lists `ecs:cluster` for
/// `ecs:UpdateService`, not for `ecs:CreateCluster`) fails as IAM fails
/// it, unless it is `…IfExists` or `Null`.
#[test]
fn a_condition_on_a_key_the_action_does_not_carry_refuses_it() {
    let on_cluster = |operator: &str| serde_json::json!({operator: {"ecs:cluster": "arn:aws:ecs:*:111122223333:cluster/responderapi-cluster"}});
    let create = "aws ecs describe-clusters --clusters responderapi-cluster";
    let update = "aws ecs update-service --cluster responderapi-cluster --service responderapi-service --force-new-deployment";
    let (line, found) = with_condition(
        "ManageTheGuideEcsResources",
        on_cluster("ArnEquals"),
        create,
    );
    assert_eq!(
        found,
        [refused_on(
            line,
            "ecs:DescribeClusters",
            "arn:aws:ecs:us-east-1:111122223333:cluster/responderapi-cluster",
            "aws ecs describe-clusters"
        )]
    );
    for (operator, script) in [
        ("ArnEquals", update),
        ("ArnEqualsIfExists", create),
        ("ArnNotEquals", create),
    ] {
        let (_, found) = with_condition("ManageTheGuideEcsResources", on_cluster(operator), script);
        assert_eq!(found, Vec::<String>::new(), "{operator} {script}");
    }
    let (_, found) = with_condition(
        "ManageTheGuideEcsResources",
        serde_json::json!({"Null": {"ecs:cluster": "true"}}),
        create,
    );
    assert_eq!(found, Vec::<String>::new());
    // The hint says why the condition fails.
    let book = with_policy(|policy| {
        let statements = policy["Statement"].as_array_mut().unwrap();
        let s = statements
            .iter_mut()
            .find(|s| s["Sid"] == "ManageTheGuideEcsResources")
            .unwrap();
        s["Condition"] = on_cluster("ArnEquals");
    });
    let hints: Vec<String> = deployer_reports(book.path())
        .iter()
        .filter(|r| {
            r["message"]
                .as_str()
                .unwrap_or_default()
                .contains("`ecs:CreateCluster`")
        })
        .filter_map(|r| r["hint"].as_str().map(str::to_string))
        .collect();
    assert!(
        hints.contains(&"the statement `ManageTheGuideEcsResources` allows `ecs:CreateCluster` on this resource, but its `ArnEquals` condition on `ecs:cluster` fails: `ecs:CreateCluster` requests carry no `ecs:cluster` (the Service Authorization Reference lists no such key for the action or its resources)".to_string()),
        "{hints:#?}"
    );
}

/// A key the action can carry but the command does not give is absent:
/// `iam:PermissionsBoundary` without `--permissions-boundary`,
/// `cloudformation:RoleArn` without `--role-arn`; given, it is the value.
#[test]
fn a_condition_on_an_option_the_command_does_not_give_refuses_it() {
    let boundary = "arn:aws:iam::111122223333:policy/Boundary";
    let bounded = |policy: &mut serde_json::Value| {
        let statements = policy["Statement"].as_array_mut().unwrap();
        let s = statements
            .iter_mut()
            .find(|s| s["Sid"] == "ManageTheGuideRoles")
            .unwrap();
        s["Condition"] = serde_json::json!({"StringEquals": {"iam:PermissionsBoundary": boundary}});
    };
    let creates = |book: &Path| -> Vec<String> {
        deployer_errors(book)
            .into_iter()
            .filter(|e| e.contains("`iam:CreateRole`") && e.contains("`aws iam create-role`"))
            .collect()
    };
    let book = with_policy(bounded);
    assert_eq!(
        creates(book.path()),
        [
            format!(
                "{}:1: error[aws::deployer-permission]: `policies/deployer-policy.json` does not allow `iam:CreateRole` on `arn:aws:iam::111122223333:role/ResponderAPIECSTaskExecutionRole`, which `aws iam create-role` calls (the command's operation)",
                line_of("src/iam-roles.md", "aws iam create-role")
            ),
            format!(
                "{}:1: error[aws::deployer-permission]: `policies/deployer-policy.json` does not allow `iam:CreateRole` on `arn:aws:iam::111122223333:role/ResponderAPIECSTaskRole`, which `aws iam create-role` calls (the command's operation)",
                second_line_of("src/iam-roles.md", "aws iam create-role")
            ),
        ]
    );
    let path = book.path().join("src/iam-roles.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace(
            "aws iam create-role",
            &format!("aws iam create-role --permissions-boundary {boundary}"),
        ),
    )
    .unwrap();
    assert_eq!(creates(book.path()), Vec::<String>::new());
    // The clean-up's delete without `--role-arn`, then with it.
    let role = "arn:aws:iam::111122223333:role/ResponderAPICloudFormationRole";
    let book = with_policy(|policy| {
        let statements = policy["Statement"].as_array_mut().unwrap();
        let s = statements
            .iter_mut()
            .find(|s| s["Sid"] == "DeployTheGuideStacks")
            .unwrap();
        s["Condition"] = serde_json::json!({"StringEquals": {"cloudformation:RoleArn": role}});
    });
    let deletes = |book: &Path| -> Vec<String> {
        deployer_errors(book)
            .into_iter()
            .filter(|e| e.contains("`cloudformation:DeleteStack`"))
            .collect()
    };
    assert_eq!(
        deletes(book.path()),
        [format!(
            "{}:1: error[aws::deployer-permission]: `policies/deployer-policy.json` does not allow `cloudformation:DeleteStack` on `arn:aws:cloudformation:us-east-1:111122223333:stack/responderapi/0a1b2c3d-4e5f-6789-abcd-ef0123456789`, which `aws cloudformation delete-stack` calls (the command's operation)",
            line_of("src/cleanup.md", "aws cloudformation delete-stack")
        )]
    );
    let path = book.path().join("src/cleanup.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace(
            "aws cloudformation delete-stack --stack-name responderapi\n",
            &format!(
                "aws cloudformation delete-stack --stack-name responderapi --role-arn {role}\n"
            ),
        ),
    )
    .unwrap();
    assert_eq!(deletes(book.path()), Vec::<String>::new());
}

/// The Region a command runs in is the one its ARNs and
/// `aws:RequestedRegion` hold: `--region`, else `AWS_REGION` as the path sets
/// it. A policy pinned to us-east-1 refuses a command run elsewhere.
#[test]
fn a_region_pinned_in_the_policy_is_judged_against_the_region_the_command_runs_in() {
    let pinned = |policy: &mut serde_json::Value| {
        let text = policy
            .to_string()
            .replace("arn:aws:ecs:*:", "arn:aws:ecs:us-east-1:");
        *policy = serde_json::from_str(&text).unwrap();
    };
    let describe = |region: &str| {
        format!("aws --region {region} ecs describe-clusters --clusters responderapi-cluster")
    };
    assert_eq!(
        in_its_region(pinned, &describe("us-east-1")).1,
        Vec::<String>::new()
    );
    let (line, found) = in_its_region(pinned, &describe("eu-west-1"));
    assert_eq!(
        found,
        [refused_on(
            line,
            "ecs:DescribeClusters",
            "arn:aws:ecs:eu-west-1:111122223333:cluster/responderapi-cluster",
            "aws ecs describe-clusters"
        )]
    );
    // A Deny outside us-east-1 holds for a command run in eu-west-1 (an
    // assignment earlier in the block sets the Region), not for IAM's calls.
    let deny = |policy: &mut serde_json::Value| {
        policy["Statement"]
            .as_array_mut()
            .unwrap()
            .push(serde_json::json!({
                "Effect": "Deny",
                "NotAction": "iam:*",
                "Resource": "*",
                "Condition": {"StringNotEquals": {"aws:RequestedRegion": "us-east-1"}}
            }));
    };
    let (_, found) = in_its_region(deny, "aws ecs list-clusters --region us-east-1");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains("does not allow `ecs:ListClusters`"),
        "{found:?}"
    );
    let (line, found) = in_its_region(
        deny,
        "export AWS_REGION=eu-west-1\naws ecs describe-clusters --clusters responderapi-cluster\naws iam get-role --role-name ResponderAPIECSTaskRole",
    );
    assert_eq!(
        found,
        [format!(
            "src/cluster.md:{}:1: error[aws::deployer-permission]: `policies/deployer-policy.json` denies `ecs:DescribeClusters` on `arn:aws:ecs:eu-west-1:111122223333:cluster/responderapi-cluster`, which `aws ecs describe-clusters` calls (the command's operation)",
            line + 1
        )]
    );
}

/// Tags given on create are authorized as the service's tagging action, on
/// the resource created: only when tags are given.
#[test]
fn tags_given_on_create_need_the_tagging_action() {
    let create = |tags: &str| {
        format!(
            "aws iam create-role --role-name ResponderAPIECSTaskRole --assume-role-policy-document file://policies/task-role-trust.json{tags}"
        )
    };
    assert_eq!(cli_block(&create("")).1, Vec::<String>::new());
    let (line, found) = cli_block(&create(" --tags Key=team,Value=api"));
    assert_eq!(
        found,
        [format!(
            "src/cluster.md:{line}:1: error[aws::deployer-permission]: `policies/deployer-policy.json` does not allow `iam:TagRole` on `arn:aws:iam::111122223333:role/ResponderAPIECSTaskRole`, which `aws iam create-role` calls (IAM authorizes the tags given on create as iam:TagRole)"
        )]
    );
    // The guide's policy lets ECS tag its service on create; without
    // ecs:TagResource, tags on create-service are refused (as are the
    // guide's stacks, whose cluster CloudFormation tags).
    let service = "aws ecs create-service --cluster responderapi-cluster --service-name responderapi-service --task-definition responderapi-task --desired-count 1 --tags key=team,value=api";
    assert_eq!(cli_block(service).1, Vec::<String>::new());
    let (line, found) = cli_block_with(without("ecs:TagResource"), service);
    let here = format!("src/cluster.md:{line}:");
    assert_eq!(
        found
            .into_iter()
            .filter(|d| d.starts_with(&here))
            .collect::<Vec<_>>(),
        [format!(
            "src/cluster.md:{line}:1: error[aws::deployer-permission]: `policies/deployer-policy.json` does not allow `ecs:TagResource` on `arn:aws:ecs:us-east-1:111122223333:service/responderapi-cluster/responderapi-service`, which `aws ecs create-service` calls (ECS authorizes the tags given on create as ecs:TagResource)"
        )]
    );
}

/// `aws cloudformation deploy --s3-bucket B --s3-prefix P` uploads the
/// template as `P/MD5.template` (s3:PutObject), and `--tags` are stack tags
/// CloudFormation gives every taggable resource, so each handler's tagging
/// permissions are demanded.
#[test]
fn a_deploy_with_a_bucket_and_stack_tags_needs_the_upload_and_the_tag_writes() {
    let with_bucket_and_tags = |book: &Path| {
        let chapter = book.join("src/cloudformation.md");
        let text = std::fs::read_to_string(&chapter).unwrap();
        let from = "  --stack-name responderapi \\\n  --capabilities";
        assert!(text.contains(from));
        std::fs::write(
            &chapter,
            text.replacen(
                from,
                "  --stack-name responderapi \\\n  --s3-bucket responderapi-templates --s3-prefix guide \\\n  --tags team=api \\\n  --capabilities",
                1,
            ),
        )
        .unwrap();
    };
    let book = copy_real_book();
    with_bucket_and_tags(book.path());
    let at = format!(
        "{}:1: error[aws::deployer-permission]: `policies/deployer-policy.json` does not allow",
        deploy_line("src/cloudformation.md")
    );
    let role = "on `arn:aws:iam::111122223333:role/ResponderAPIECSTaskExecutionRole` (and on 1 more resource), which CloudFormation's create handler of `ExecutionRole` (`AWS::IAM::Role`) calls during `aws cloudformation deploy`";
    assert_eq!(
        deployer_errors(book.path()),
        [
            format!(
                "{at} `s3:PutObject` on `arn:aws:s3:::responderapi-templates/guide/0123456789abcdef0123456789abcdef.template`, which `aws cloudformation deploy` calls (S3Uploader.upload_with_dedup puts the template in the bucket as [PREFIX/]MD5.template (its HeadObject first may fail: S3Uploader.file_exists takes a refusal for \"not there\"))"
            ),
            format!(
                "{at} `s3:GetObject` on `arn:aws:s3:::responderapi-templates/guide/0123456789abcdef0123456789abcdef.template`, which `aws cloudformation deploy` calls (CloudFormation reads the uploaded template (TemplateURL) with the caller's credentials (AWS re:Post Knowledge Center, cfn-s3-access-denied-error))"
            ),
            format!("{at} `iam:TagRole` {role}"),
        ]
    );
    // A new role has no tags to remove: `iam:UntagRole`, which the
    // schema's create handler lists, is not demanded. A policy that allows
    // the upload to the bucket and the role tagging passes.
    let book = with_policy(|policy| {
        let statements = policy["Statement"].as_array_mut().unwrap();
        statements.push(serde_json::json!({
            "Effect": "Allow",
            "Action": ["s3:PutObject", "s3:GetObject"],
            "Resource": "arn:aws:s3:::responderapi-templates/guide/*"
        }));
        statements.push(serde_json::json!({
            "Effect": "Allow",
            "Action": "iam:TagRole",
            "Resource": "arn:aws:iam::111122223333:role/ResponderAPI*"
        }));
    });
    with_bucket_and_tags(book.path());
    assert_eq!(deployer_errors(book.path()), Vec::<String>::new());
}

/// A change set that a later command executes is a deploy: the create and
/// execute calls are the commands', and the resource handlers' calls fall
/// on the command that names the template.
#[test]
fn an_executed_change_set_needs_its_calls_and_its_handlers_calls() {
    let book = with_policy(|policy| {
        without("cloudformation:ExecuteChangeSet")(policy);
        without("ecs:CreateCluster")(policy);
    });
    // After the clean-up deletes the guide's stack: IAM role names are
    // global, so another stack of the same template could not be made
    // beside it.
    let line = append_block(
        book.path(),
        "src/cleanup.md",
        "cleanup-cloudformation",
        "aws cloudformation create-change-set --change-set-name again --template-body file://templates/responderapi-stack.json --stack-name other-stack --capabilities CAPABILITY_NAMED_IAM --change-set-type CREATE --parameters ParameterKey=ImageUri,ParameterValue=x ParameterKey=VpcId,ParameterValue=\"$VPC_ID\" ParameterKey=SubnetIds,ParameterValue=\"$SUBNET_IDS\" ParameterKey=ClientCidr,ParameterValue=\"$MY_IP/32\"\naws cloudformation execute-change-set --change-set-name again --stack-name other-stack",
    );
    let found: Vec<String> = deployer_errors(book.path())
        .into_iter()
        .filter(|d| {
            d.starts_with(&format!("src/cleanup.md:{line}"))
                || d.starts_with(&format!("src/cleanup.md:{}", line + 1))
        })
        .collect();
    let denied = "error[aws::deployer-permission]: `policies/deployer-policy.json` does not allow";
    assert_eq!(
        found,
        [
            format!(
                "src/cleanup.md:{line}:1: {denied} `cloudformation:CreateChangeSet` on `arn:aws:cloudformation:us-east-1:111122223333:stack/other-stack/0a1b2c3d-4e5f-6789-abcd-ef0123456789`, which `aws cloudformation create-change-set` calls (the command's operation)"
            ),
            format!(
                "src/cleanup.md:{line}:1: {denied} `ecs:CreateCluster` on `arn:aws:ecs:us-east-1:111122223333:cluster/responderapi-cluster`, which CloudFormation's create handler of `Cluster` (`AWS::ECS::Cluster`) calls during `aws cloudformation create-change-set`"
            ),
            format!(
                "src/cleanup.md:{}:1: {denied} `cloudformation:ExecuteChangeSet` on `arn:aws:cloudformation:us-east-1:111122223333:stack/other-stack/0a1b2c3d-4e5f-6789-abcd-ef0123456789`, which `aws cloudformation execute-change-set` calls (the command's operation)",
                line + 1
            ),
        ]
    );
}

/// Adds `action` to the policy's statement `sid`.
fn granting(sid: &'static str, action: &'static str) -> impl FnOnce(&mut serde_json::Value) {
    move |policy| {
        let statements = policy["Statement"].as_array_mut().unwrap();
        let s = statements.iter_mut().find(|s| s["Sid"] == sid).unwrap();
        s["Action"].as_array_mut().unwrap().push(action.into());
    }
}

/// An AWS managed policy's ARN names the account `aws`; the role it is
/// attached to is still the reader's (AttachRolePolicy acts on `role`).
#[test]
fn attaching_an_aws_managed_policy_is_judged_on_the_readers_role() {
    let script = "aws iam attach-role-policy --role-name ResponderAPIECSTaskExecutionRole \\\n  --policy-arn arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy";
    let (line, found) = cli_block(script);
    assert_eq!(
        found,
        [refused_on(
            line,
            "iam:AttachRolePolicy",
            "arn:aws:iam::111122223333:role/ResponderAPIECSTaskExecutionRole",
            "aws iam attach-role-policy"
        )]
    );
    let (_, found) = cli_block_with(
        granting("ManageTheGuideRoles", "iam:AttachRolePolicy"),
        script,
    );
    assert_eq!(found, Vec::<String>::new());
}

/// `create-service-linked-role` acts on the role it makes, with the
/// principal as `iam:AWSServiceName`: the guide's statement for it allows
/// ECS's and refuses one whose principal it does not list.
#[test]
fn creating_a_service_linked_role_is_judged_on_its_role_and_principal() {
    let create = |p: &str| format!("aws iam create-service-linked-role --aws-service-name {p}");
    let (_, found) = cli_block(&create("ecs.amazonaws.com"));
    assert_eq!(found, Vec::<String>::new());
    let (line, found) = cli_block_with(
        |policy| {
            let statements = policy["Statement"].as_array_mut().unwrap();
            let s = statements
                .iter_mut()
                .find(|s| s["Sid"] == "CreateServiceLinkedRoles")
                .unwrap();
            s["Condition"]["StringEquals"]["iam:AWSServiceName"] =
                "elasticloadbalancing.amazonaws.com".into();
        },
        &create("ecs.amazonaws.com"),
    );
    // The create-cluster that makes the role implicitly is held to the same
    // condition.
    let role =
        "arn:aws:iam::111122223333:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS";
    assert_eq!(
        found,
        [
            format!(
                "{}:1: error[aws::deployer-permission]: `policies/deployer-policy.json` does not allow `iam:CreateServiceLinkedRole` on `{role}`, which `aws ecs create-cluster` calls (ECS creates its service-linked role with the caller's permissions when the account has none)",
                line_of("src/cluster.md", "aws ecs create-cluster")
            ),
            refused_on(
                line,
                "iam:CreateServiceLinkedRole",
                role,
                "aws iam create-service-linked-role"
            )
        ]
    );
}

/// `AWS_REGION` overrides `AWS_DEFAULT_REGION` even when the latter prefixes
/// the command: the guide's exported us-east-1 holds, and a policy pinned to
/// it allows the call.
#[test]
fn aws_region_wins_over_a_default_region_prefix() {
    let pinned = |policy: &mut serde_json::Value| {
        let text = policy
            .to_string()
            .replace("arn:aws:ecs:*:", "arn:aws:ecs:us-east-1:");
        *policy = serde_json::from_str(&text).unwrap();
    };
    let (_, found) = in_its_region(
        pinned,
        "AWS_DEFAULT_REGION=eu-west-1 aws ecs describe-clusters --clusters responderapi-cluster",
    );
    assert_eq!(found, Vec::<String>::new());
    let (line, found) = in_its_region(
        pinned,
        "AWS_REGION=eu-west-1 aws ecs describe-clusters --clusters responderapi-cluster",
    );
    assert_eq!(
        found,
        [format!(
            "src/cluster.md:{line}:22: error[aws::deployer-permission]: `policies/deployer-policy.json` does not allow `ecs:DescribeClusters` on `arn:aws:ecs:eu-west-1:111122223333:cluster/responderapi-cluster`, which `aws ecs describe-clusters` calls (the command's operation)"
        )]
    );
}

/// A role created with `--path` has the path in its ARN, however later
/// commands name it: a statement on `role/NAME` does not cover it.
#[test]
fn a_role_created_with_a_path_is_judged_on_the_arn_with_the_path() {
    let book = with_policy(|_| {});
    // The guide's own role, created once, with a path.
    let chapter = book.path().join("src/iam-roles.md");
    let text = std::fs::read_to_string(&chapter).unwrap();
    let create = "aws iam create-role \\\n  --role-name ResponderAPIECSTaskRole \\";
    assert!(text.contains(create));
    std::fs::write(
        &chapter,
        text.replacen(create, &format!("{create}\n  --path /responderapi/ \\"), 1),
    )
    .unwrap();
    let found = deployer_errors(book.path());
    let arn = "arn:aws:iam::111122223333:role/responderapi/ResponderAPIECSTaskRole";
    let refused = |file: &str, line: usize, action: &str, command: &str| {
        format!(
            "{file}:{line}:1: error[aws::deployer-permission]: `policies/deployer-policy.json` does not allow `{action}` on `{arn}`, which `{command}` calls (the command's operation)"
        )
    };
    let at = |file: &str, needle: &str| {
        line_of(file, needle)
            .rsplit(':')
            .next()
            .unwrap()
            .parse::<usize>()
            .unwrap()
    };
    let roles = "src/iam-roles.md";
    let cleanup = "src/cleanup.md";
    assert_eq!(
        found,
        [
            refused(
                cleanup,
                at(
                    cleanup,
                    "aws iam delete-role-policy --role-name ResponderAPIECSTaskRole"
                ),
                "iam:DeleteRolePolicy",
                "aws iam delete-role-policy"
            ),
            refused(
                cleanup,
                at(
                    cleanup,
                    "aws iam delete-role --role-name ResponderAPIECSTaskRole"
                ),
                "iam:DeleteRole",
                "aws iam delete-role"
            ),
            refused(
                roles,
                at(roles, "  --role-name ResponderAPIECSTaskRole \\") - 1,
                "iam:CreateRole",
                "aws iam create-role"
            ),
            refused(
                roles,
                at(roles, "  --role-name ResponderAPIECSTaskRole \\") + 3,
                "iam:PutRolePolicy",
                "aws iam put-role-policy"
            ),
            refused(
                roles,
                at(
                    roles,
                    "aws iam get-role --role-name ResponderAPIECSTaskRole"
                ) + 1,
                "iam:GetRole",
                "aws iam get-role"
            ),
        ]
    );
}

/// An ID held in a variable that a create (or describe) command set is of
/// the type that command makes: `"$SG_ID"` is a security group's, judged on
/// its ARN, not an unknown ID.
#[test]
fn an_id_from_a_variable_is_of_the_type_its_command_makes() {
    let (line, found) = cli_block(
        "SG_ID=$(aws ec2 describe-security-groups --filters Name=group-name,Values=responderapi-sg --query 'SecurityGroups[0].GroupId' --output text)\naws ec2 create-tags --resources \"$SG_ID\" --tags Key=team,Value=api",
    );
    assert_eq!(
        found,
        [refused_on(
            line + 1,
            "ec2:CreateTags",
            "arn:aws:ec2:us-east-1:111122223333:security-group/sg-0123456789abcdef0",
            "aws ec2 create-tags"
        )]
    );
}

/// A command's own call is direct (no `aws:CalledVia`, `aws:ViaAWSService`
/// false); a call that creates its resource finds no `aws:ResourceTag/…`.
/// Conditions that need otherwise refuse it; ones that allow it pass.
#[test]
fn direct_calls_and_untagged_new_resources_are_evaluated() {
    let describe = "aws ecs describe-clusters --clusters responderapi-cluster";
    // In another Region than the guide's own create-cluster, which has the
    // same need and would take the report.
    let create = "aws ecs create-cluster --cluster-name responderapi-cluster --region eu-west-1";
    let ecs = "ManageTheGuideEcsResources";
    let cases = [
        (
            serde_json::json!({"ForAnyValue:StringEquals": {"aws:CalledVia": "cloudformation.amazonaws.com"}}),
            describe,
            Some(("ecs:DescribeClusters", "aws ecs describe-clusters")),
        ),
        (
            serde_json::json!({"Bool": {"aws:ViaAWSService": "true"}}),
            describe,
            Some(("ecs:DescribeClusters", "aws ecs describe-clusters")),
        ),
        (
            serde_json::json!({"Bool": {"aws:ViaAWSService": "false"}}),
            describe,
            None,
        ),
        (
            serde_json::json!({"StringEquals": {"aws:ResourceTag/Project": "responderapi"}}),
            create,
            Some(("ecs:CreateCluster", "aws ecs create-cluster")),
        ),
        (
            serde_json::json!({"StringEqualsIfExists": {"aws:ResourceTag/Project": "responderapi"}}),
            create,
            None,
        ),
        // On an existing cluster the tag is not known: assumed satisfiable.
        (
            serde_json::json!({"StringEquals": {"aws:ResourceTag/Project": "responderapi"}}),
            describe,
            None,
        ),
    ];
    for (condition, script, refused) in cases {
        let (line, found) = with_condition(ecs, condition.clone(), script);
        let want: Vec<String> = refused
            .map(|(action, command)| {
                let region = if script == create {
                    "eu-west-1"
                } else {
                    "us-east-1"
                };
                refused_on(
                    line,
                    action,
                    &format!("arn:aws:ecs:{region}:111122223333:cluster/responderapi-cluster"),
                    command,
                )
            })
            .into_iter()
            .collect();
        assert_eq!(found, want, "{condition}");
    }
}

/// A policy pinned to the example Region refuses what readers in another
/// Region the release is offered in (book.toml `regions`) call: once per
/// need, naming the first such Region; the guide's `*` passes everywhere.
#[test]
fn a_policy_pinned_to_one_region_fails_for_the_other_offered_regions() {
    let book = with_policy(|policy| {
        let statements = policy["Statement"].as_array_mut().unwrap();
        let s = statements
            .iter_mut()
            .find(|s| s["Sid"] == "ManageTheGuideLogGroup")
            .unwrap();
        let text = s
            .to_string()
            .replace("arn:aws:logs:*:", "arn:aws:logs:us-east-1:");
        *s = serde_json::from_str(&text).unwrap();
    });
    let found: Vec<String> = deployer_errors(book.path())
        .into_iter()
        .filter(|f| f.contains("a Region the release is offered in"))
        .collect();
    let refused = |at: String, action: &str, command: &str| {
        format!(
            "{at}:1: error[aws::deployer-permission]: `policies/deployer-policy.json` does not allow `{action}` on `arn:aws:logs:us-east-2:111122223333:log-group:/ecs/responderapi-task` in `us-east-2`, a Region the release is offered in, which `{command}` calls there"
        )
    };
    let deploy = "aws cloudformation deploy";
    assert_eq!(
        found,
        [
            refused(
                line_of("src/cleanup.md", "aws logs delete-log-group"),
                "logs:DeleteLogGroup",
                "aws logs delete-log-group"
            ),
            refused(
                deploy_line("src/cloudformation.md"),
                "logs:TagResource",
                deploy
            ),
            refused(
                deploy_line("src/cloudformation.md"),
                "logs:ListTagsForResource",
                deploy
            ),
            refused(
                line_of("src/task-definition.md", "aws logs create-log-group"),
                "logs:CreateLogGroup",
                "aws logs create-log-group"
            ),
            refused(
                line_of("src/task-definition.md", "aws logs put-retention-policy"),
                "logs:PutRetentionPolicy",
                "aws logs put-retention-policy"
            ),
            refused(
                line_of("src/verify.md", "aws logs tail"),
                "logs:FilterLogEvents",
                "aws logs tail"
            ),
        ]
    );
}

/// The short form and hint of each `aws::deployer-permission` error of `book`.
fn deployer_hints(book: &Path) -> Vec<(String, String)> {
    deployer_reports(book)
        .iter()
        .map(|d| {
            let short = format!(
                "{}:{}: {}",
                d["path"].as_str().unwrap(),
                d["line"],
                d["message"].as_str().unwrap()
            );
            (short, d["hint"].as_str().unwrap().to_string())
        })
        .collect()
}

/// A hint never sends the writer to `Resource: "*"` when the command could
/// name its resource, nor to a statement whose condition the call fails.
#[test]
fn hints_name_the_narrowest_resource_and_a_statement_whose_conditions_hold() {
    let book = copy_real_book();
    let line = append_block(
        book.path(),
        "src/cluster.md",
        "cli",
        "aws ecs describe-clusters\naws cloudformation describe-stacks --query 'Stacks[].StackName'",
    );
    let policy = "`policies/deployer-policy.json` does not allow";
    assert_eq!(
        deployer_hints(book.path()),
        [
            (
                // No `--clusters`: the cluster named `default`, not `*`.
                format!("src/cluster.md:{line}: {policy} `ecs:DescribeClusters` on `arn:aws:ecs:us-east-1:111122223333:cluster/default`, which `aws ecs describe-clusters` calls (the command's operation)"),
                "the statement `ManageTheGuideEcsResources` allows `ecs:DescribeClusters`, but not on this resource: use the name it allows, or add `arn:aws:ecs:us-east-1:111122223333:cluster/default` to its resources".to_string()
            ),
            (
                format!("src/cluster.md:{}: {policy} `cloudformation:DescribeStacks` on `*`, which `aws cloudformation describe-stacks` calls (the command's operation)", line + 1),
                "the statement `DeployTheGuideStacks` allows `cloudformation:DescribeStacks` on the resources it names, and the command names none (IAM evaluates it on `*`): name the resource in the command, or, if it must see them all, allow `cloudformation:DescribeStacks` on `\"*\"` in a statement of its own".to_string()
            ),
        ]
    );
    // `--role-arn` passes the role to CloudFormation: the statement that
    // passes roles to ECS tasks only is named as why, not as the fit.
    let book = copy_real_book();
    let chapter = book.path().join("src/cloudformation.md");
    let text = std::fs::read_to_string(&chapter).unwrap();
    let role = "  --role-arn arn:aws:iam::111122223333:role/ResponderAPIDeployRole \\\n";
    let stack = "  --stack-name responderapi \\\n";
    std::fs::write(&chapter, text.replace(stack, &format!("{stack}{role}"))).unwrap();
    assert_eq!(
        deployer_hints(book.path()),
        [(
            format!("src/cloudformation.md:76: {policy} `iam:PassRole` on `arn:aws:iam::111122223333:role/ResponderAPIDeployRole`, which `aws cloudformation deploy` calls (`--role-arn` passes the role CloudFormation works with)"),
            "add `iam:PassRole` to the statement `ManageTheGuideRoles` and let it cover `arn:aws:iam::111122223333:role/ResponderAPIDeployRole`, or add a statement for it (the statement `PassTheGuideRolesToEcsTasks` allows `iam:PassRole` only when its `StringEquals` condition on `iam:PassedToService` holds, and the request's value is `cloudformation.amazonaws.com`)".to_string()
        )]
    );
}

/// Tags given on create by an EC2 command (`--tag-specifications`) are
/// authorized as `ec2:CreateTags`; the hint sends the writer to a statement
/// on the group's ARN, not to one on every resource or one whose condition
/// other calls cannot meet.
#[test]
fn tags_on_a_created_security_group_need_create_tags_and_the_hint_names_a_fitting_statement() {
    let tag = |book: &Path| {
        let chapter = book.join("src/security-group.md");
        let text = std::fs::read_to_string(&chapter).unwrap();
        let from = "  --vpc-id \"$VPC_ID\" \\\n  --query GroupId";
        assert!(text.contains(from));
        std::fs::write(
            &chapter,
            text.replacen(
                from,
                "  --vpc-id \"$VPC_ID\" \\\n  --tag-specifications 'ResourceType=security-group,Tags=[{Key=Owner,Value=me}]' \\\n  --query GroupId",
                1,
            ),
        )
        .unwrap();
    };
    // The guide's policy allows it, on create only.
    let book = copy_real_book();
    tag(book.path());
    assert_eq!(deployer_errors(book.path()), Vec::<String>::new());
    let book = with_policy(|policy| {
        policy["Statement"]
            .as_array_mut()
            .unwrap()
            .retain(|s| s["Sid"] != "TagNewSecurityGroups");
    });
    tag(book.path());
    let line = line_of(
        "src/security-group.md",
        "SG_ID=$(aws ec2 create-security-group",
    );
    let cli = format!(
        "{line}:9: error[aws::deployer-permission]: `policies/deployer-policy.json` does not allow `ec2:CreateTags` on `arn:aws:ec2:us-east-1:111122223333:security-group/sg-0123456789abcdef0`, which `aws ec2 create-security-group` calls (EC2 authorizes the tags given on create (--tag-specifications) as ec2:CreateTags, with ec2:CreateAction the create action)"
    );
    let found = deployer_errors(book.path());
    assert!(found.contains(&cli), "{found:#?}");
    let json = run(&["check", book.path().to_str().unwrap(), "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let hints: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["message"].as_str().unwrap().contains("`ec2:CreateTags`"))
        .map(|d| d["hint"].as_str().unwrap())
        .collect();
    assert!(!hints.is_empty());
    for hint in hints {
        assert_eq!(
            hint,
            "add `ec2:CreateTags` to the statement `ManageSecurityGroups`, which already covers this resource"
        );
    }
}

/// An input file an earlier command writes from a here-document (in each
/// spelling: `cat > F <<X`, `cat <<X > F`, `tee F <<X`) or with `echo` is
/// read: the command is judged on the names it holds. One the check cannot
/// read is a warning, not a silent pass.
#[test]
fn cli_input_json_written_by_an_earlier_command_is_read() {
    let json = r#"{"cluster": "other-cluster", "settings": [{"name": "containerInsights", "value": "enabled"}]}"#;
    let writes = [
        format!("cat > settings.json <<'JSON'\n{json}\nJSON"),
        format!("cat <<'JSON' > settings.json\n{json}\nJSON"),
        format!("tee settings.json <<JSON\n{json}\nJSON"),
        format!("echo '{json}' > settings.json"),
    ];
    for write in writes {
        let book = copy_real_book();
        let script =
            format!("{write}\naws ecs update-cluster --cli-input-json file://settings.json");
        let line = append_block(book.path(), "src/cluster.md", "cli", &script)
            + script.lines().count()
            - 1;
        assert_eq!(
            deployer_errors(book.path()),
            [format!(
                "src/cluster.md:{line}:1: error[aws::deployer-permission]: `policies/deployer-policy.json` does not allow `ecs:UpdateCluster` on `arn:aws:ecs:us-east-1:111122223333:cluster/other-cluster`, which `aws ecs update-cluster` calls (the command's operation)"
            )],
            "{write}"
        );
    }
    // Written from what the check cannot follow.
    let book = copy_real_book();
    let script = "sed \"s/a/b/\" \"$SETTINGS\" > settings.json\naws ecs update-cluster --cli-input-json file://settings.json";
    let line = append_block(book.path(), "src/cluster.md", "cli", script) + 1;
    assert_eq!(
        deployer_errors(book.path()),
        [format!(
            "src/cluster.md:{line}:1: warning[aws::unjudged]: the deployer permission check cannot read `file://settings.json`, which names what `aws ecs update-cluster` acts on, so it does not judge `ecs:UpdateCluster`"
        )]
    );
    // An unquoted here-document takes a variable's value: one a literal
    // assignment sets is followed.
    let book = copy_real_book();
    let script = "CLUSTER=other-cluster\ncat > settings.json <<JSON\n{\"cluster\": \"$CLUSTER\", \"settings\": []}\nJSON\naws ecs update-cluster --cli-input-json file://settings.json";
    let line = append_block(book.path(), "src/cluster.md", "cli", script) + 4;
    assert_eq!(
        deployer_errors(book.path()),
        [format!(
            "src/cluster.md:{line}:1: error[aws::deployer-permission]: `policies/deployer-policy.json` does not allow `ecs:UpdateCluster` on `arn:aws:ecs:us-east-1:111122223333:cluster/other-cluster`, which `aws ecs update-cluster` calls (the command's operation)"
        )]
    );
    // Input the CLI refuses is reported at its line in the here-document,
    // once, and the command it never sends is not judged.
    let book = copy_real_book();
    let script = "cat > settings.json <<'JSON'\n{\n  \"clustr\": \"responderapi-cluster\",\n  \"settings\": []\n}\nJSON\naws ecs update-cluster --cli-input-json file://settings.json\naws ecs update-cluster --cli-input-json file://settings.json";
    let line = append_block(book.path(), "src/cluster.md", "cli", script);
    let (_, shorts) = responder_docs_tests::check_shorts(book.path());
    assert_eq!(
        shorts,
        [format!(
            "src/cluster.md:{}:3: error[aws::unknown-member]: `clustr` is not a member of `UpdateClusterRequest`",
            line + 2
        ),]
    );
    // YAML input names the cluster too: not read, so not judged on `*`.
    let book = copy_real_book();
    let script = "cat > settings.yaml <<'YAML'\ncluster: responderapi-cluster\nYAML\naws ecs update-cluster --cli-input-yaml file://settings.yaml";
    let line = append_block(book.path(), "src/cluster.md", "cli", script) + 3;
    assert_eq!(
        deployer_errors(book.path()),
        [format!(
            "src/cluster.md:{line}:1: warning[aws::unjudged]: the deployer permission check cannot read `file://settings.yaml`, which names what `aws ecs update-cluster` acts on, so it does not judge `ecs:UpdateCluster`"
        )]
    );
}

/// IAM's policy variables in a `Resource`: `${aws:PrincipalAccount}` is
/// the reader's account, so the policy allows what it allowed.
#[test]
fn the_principal_account_variable_is_the_readers_account() {
    let book = with_policy(|policy| {
        let text = serde_json::to_string(policy).unwrap();
        let edited = text.replace(":111122223333:", ":${aws:PrincipalAccount}:");
        assert_ne!(edited, text);
        *policy = serde_json::from_str(&edited).unwrap();
    });
    assert_eq!(deployer_errors(book.path()), Vec::<String>::new());
}
