//! Stack commands as each way through the guide runs them, in order: a
//! deploy where the reader has no stack is a create and needs every
//! parameter; a redeploy keeps what it does not override; the stack keeps
//! its role and tags; `update-stack --use-previous-template` deploys the
//! stack's template again. Each on a copy of the real book with one block
//! added, with the exact reports.

use responder_docs_tests::{append_block, check_shorts, copy_real_book};
use std::path::Path;

/// The `aws::` reports of `book`.
fn aws_reports(book: &Path) -> Vec<String> {
    let (_, shorts) = check_shorts(book);
    shorts
        .into_iter()
        .filter(|s| s.contains("[aws::"))
        .collect()
}

/// Edits the deployer policy of `book`.
fn edit_policy(book: &Path, edit: impl FnOnce(&mut serde_json::Value)) {
    let path = book.join("policies/deployer-policy.json");
    let mut policy: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    edit(&mut policy);
    std::fs::write(&path, serde_json::to_string_pretty(&policy).unwrap()).unwrap();
}

/// Replaces `from` with `to` everywhere in a file of `book`.
fn replace_in(book: &Path, rel: &str, from: &str, to: &str) {
    let path = book.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{rel} has {from:?}");
    std::fs::write(&path, text.replace(from, to)).unwrap();
}

const REDEPLOY: &str = "aws cloudformation deploy --template-file responderapi-stack.json --stack-name responderapi --capabilities CAPABILITY_NAMED_IAM";

#[test]
fn a_deploy_where_the_reader_has_no_stack_is_a_create_and_needs_every_value() {
    let book = copy_real_book();
    let line = append_block(book.path(), "src/update.md", "update", REDEPLOY);
    assert_eq!(
        aws_reports(book.path()),
        [format!(
            "src/update.md:{line}:1: error[aws::stack-refused]: CloudFormation refuses to create the stack `responderapi`: the parameters `ImageUri`, `VpcId`, `SubnetIds`, `ClientCidr` have no default value and this command gives them none (`Parameters: [ImageUri, VpcId, SubnetIds, ClientCidr] must have values`)"
        )]
    );
    // Where the reader has the stack, the same command keeps its values.
    let book = copy_real_book();
    append_block(book.path(), "src/update.md", "cloudformation", REDEPLOY);
    assert_eq!(aws_reports(book.path()), Vec::<String>::new());
}

#[test]
fn a_redeploy_giving_a_create_only_parameter_another_value_fails_at_that_value() {
    let book = copy_real_book();
    let script = format!(
        "{REDEPLOY} --parameter-overrides VpcId=vpc-0abcdef0123456789 SubnetIds=subnet-0abcdef0123456789"
    );
    let line = append_block(
        book.path(),
        "src/cloudformation.md",
        "cloudformation",
        &script,
    );
    let column = script.find("VpcId=").unwrap() + 1;
    // Reported once: the load balancer's deploy going back to "$VPC_ID"
    // is the same change.
    assert_eq!(
        aws_reports(book.path()),
        [format!(
            "src/cloudformation.md:{line}:{column}: error[aws::replacement-refused]: CloudFormation must replace `responderapi-sg` (`AWS::EC2::SecurityGroup`) to change `VpcId`, which takes the parameter `VpcId`, whose value changes, and cannot replace a custom-named resource"
        )]
    );
}

#[test]
fn update_stack_with_the_previous_template_deploys_the_stacks_template_again() {
    let book = copy_real_book();
    let line = append_block(
        book.path(),
        "src/cloudformation.md",
        "cloudformation",
        "aws cloudformation update-stack --stack-name responderapi --use-previous-template --capabilities CAPABILITY_NAMED_IAM \\\n  --parameters ParameterKey=VpcId,ParameterValue=vpc-0abcdef0123456789 ParameterKey=SubnetIds,UsePreviousValue=true ParameterKey=ImageUri,UsePreviousValue=true ParameterKey=ClientCidr,UsePreviousValue=true",
    );
    assert_eq!(
        aws_reports(book.path()),
        [
            format!(
                "src/cloudformation.md:{line}:1: error[aws::deployer-permission]: `policies/deployer-policy.json` does not allow `cloudformation:UpdateStack` on `arn:aws:cloudformation:us-east-1:111122223333:stack/responderapi/0a1b2c3d-4e5f-6789-abcd-ef0123456789`, which `aws cloudformation update-stack` calls (the command's operation)"
            ),
            format!(
                "src/cloudformation.md:{}:16: error[aws::replacement-refused]: CloudFormation must replace `responderapi-sg` (`AWS::EC2::SecurityGroup`) to change `VpcId`, which takes the parameter `VpcId`, whose value changes, and cannot replace a custom-named resource",
                line + 1
            ),
        ]
    );
}

#[test]
fn a_role_given_to_the_first_deploy_serves_the_later_deploys_and_the_delete() {
    let book = copy_real_book();
    let role = "arn:aws:iam::111122223333:role/responderapi-cfn";
    replace_in(
        book.path(),
        "src/cloudformation.md",
        "  --stack-name responderapi \\\n",
        &format!("  --stack-name responderapi \\\n  --role-arn {role} \\\n"),
    );
    // Only passing the role is the deployer's.
    assert_eq!(
        aws_reports(book.path()),
        [format!(
            "src/cloudformation.md:76:1: error[aws::deployer-permission]: `policies/deployer-policy.json` does not allow `iam:PassRole` on `{role}`, which `aws cloudformation deploy` calls (`--role-arn` passes the role CloudFormation works with)"
        )]
    );
    // Allowed to pass it, the deployer needs none of the handlers' calls:
    // not the log group's read on the load balancer's deploy or the delete.
    edit_policy(book.path(), |policy| {
        let statements = policy["Statement"].as_array_mut().unwrap();
        for s in statements.iter_mut() {
            if let Some(actions) = s["Action"].as_array_mut() {
                actions.retain(|a| a != "logs:ListTagsForResource");
            }
        }
        statements.push(serde_json::json!({
            "Effect": "Allow",
            "Action": "iam:PassRole",
            "Resource": role,
            "Condition": {"StringEquals": {"iam:PassedToService": "cloudformation.amazonaws.com"}}
        }));
    });
    assert_eq!(aws_reports(book.path()), Vec::<String>::new());
}

#[test]
fn stack_tags_first_given_to_a_later_deploy_are_written_by_the_update_handlers() {
    let book = copy_real_book();
    replace_in(
        book.path(),
        "src/load-balancer.md",
        "  --template-file responderapi-alb-stack.json \\\n",
        "  --template-file responderapi-alb-stack.json \\\n  --tags Project=responderapi Owner=platform \\\n",
    );
    let found = aws_reports(book.path());
    // Tagging a group that exists: no create action tags it, so the
    // statement limited to `ec2:CreateAction` does not allow it.
    let group = "src/load-balancer.md:245:1: error[aws::deployer-permission]: `policies/deployer-policy.json` does not allow `ec2:CreateTags` on `arn:aws:ec2:us-east-1:111122223333:security-group/sg-0123456789abcdef0`, which CloudFormation's update handler of `SecurityGroup` (`AWS::EC2::SecurityGroup`) calls during `aws cloudformation deploy`";
    let role = "src/load-balancer.md:245:1: error[aws::deployer-permission]: `policies/deployer-policy.json` does not allow `iam:TagRole` on `arn:aws:iam::111122223333:role/ResponderAPIECSTaskExecutionRole` (and on 1 more resource), which CloudFormation's update handler of `ExecutionRole` (`AWS::IAM::Role`) calls during `aws cloudformation deploy`";
    assert_eq!(found, [role, group]);
    // Tags only added: nothing is removed, so no removing action is needed.
    // A later deploy that drops `Owner` removes it from every resource.
    replace_in(
        book.path(),
        "src/load-balancer.md",
        "  --template-file responderapi-stack.json \\\n",
        "  --template-file responderapi-stack.json \\\n  --tags Project=responderapi \\\n",
    );
    let undo: Vec<String> = aws_reports(book.path())
        .into_iter()
        // Two lines down: a `--tags` line was added to each variant above.
        .filter(|f| f.starts_with("src/load-balancer.md:290:1:"))
        .map(|f| f.split('`').nth(3).unwrap_or_default().to_string())
        .collect();
    assert_eq!(
        undo,
        [
            "logs:UntagResource",
            "iam:UntagRole",
            "ecs:UntagResource",
            "ec2:DeleteTags"
        ],
        "{undo:#?}"
    );
}

#[test]
fn a_template_that_drops_the_services_load_balancers_must_give_an_empty_list() {
    let book = copy_real_book();
    let rel = "templates/responderapi-stack.json";
    replace_in(book.path(), rel, "        \"LoadBalancers\": [],\n", "");
    let text = std::fs::read_to_string(book.path().join(rel)).unwrap();
    let service = text.find("\"Service\": {").unwrap();
    let line = text[..service].lines().count() + 2;
    // Going back from the load balancer's template, the service would stay
    // registered with the target group that update deletes.
    assert_eq!(
        aws_reports(book.path()),
        [format!(
            "{rel}:{line}:7: error[aws::property-kept]: `Service` (`AWS::ECS::Service`) has no `LoadBalancers` here, but deploying `{rel}` over `templates/responderapi-alb-stack.json` leaves the `LoadBalancers` the stack gave it: CloudFormation removes it only when the template gives an empty list"
        )]
    );
}

/// What CloudFormation checks before it changes anything, each refused at
/// the command: capabilities, parameter names and allowed values, a change
/// set of the wrong type.
#[test]
fn what_cloudformation_checks_first_is_refused_at_the_command() {
    let cases = [
        // No capabilities for the template's named roles.
        "aws cloudformation deploy --template-file responderapi-stack.json --stack-name responderapi",
        "aws cloudformation deploy --template-file responderapi-stack.json --stack-name responderapi --capabilities CAPABILITY_IAM",
        // A mistyped name: deploy drops it.
        "aws cloudformation deploy --template-file responderapi-stack.json --stack-name responderapi --capabilities CAPABILITY_NAMED_IAM --parameter-overrides ImageURI=x",
        "aws cloudformation deploy --template-file responderapi-stack.json --stack-name responderapi --capabilities CAPABILITY_NAMED_IAM --parameter-overrides CpuArchitecture=arm64",
        "aws cloudformation deploy --template-file responderapi-stack.json --stack-name responderapi --capabilities CAPABILITY_NAMED_IAM --parameter-overrides ClientCidr=203.0.113.0/24",
        "aws cloudformation deploy --template-file responderapi-stack.json --stack-name responderapi --capabilities CAPABILITY_NAMED_IAM --parameter-overrides ImageUri=",
        // `create-stack`'s syntax given to `deploy`.
        "aws cloudformation deploy --template-file responderapi-stack.json --stack-name responderapi --capabilities CAPABILITY_NAMED_IAM --parameter-overrides ParameterKey=ClientCidr,ParameterValue=203.0.113.7/32",
        // An UPDATE change set is the default; CREATE is for a new stack.
        "aws cloudformation create-change-set --change-set-name again --change-set-type CREATE --stack-name responderapi --template-body file://responderapi-stack.json --capabilities CAPABILITY_NAMED_IAM\naws cloudformation execute-change-set --change-set-name again --stack-name responderapi",
        "aws cloudformation update-stack --stack-name responderapi --use-previous-template --capabilities CAPABILITY_NAMED_IAM --parameters ParameterKey=Port,UsePreviousValue=true",
    ];
    let mut found = Vec::new();
    for script in cases {
        let book = copy_real_book();
        let line = append_block(book.path(), "src/update.md", "cloudformation", script);
        let reports: Vec<String> = aws_reports(book.path())
            .into_iter()
            .filter(|r| !r.contains("[aws::deployer-permission]"))
            .map(|r| r.replacen(&format!("src/update.md:{line}:"), "LINE:", 1))
            .collect();
        found.push(reports);
    }
    let refuse =
        "error[aws::stack-refused]: CloudFormation refuses to update the stack `responderapi`:";
    assert_eq!(
        found,
        [
            vec![format!("LINE:1: {refuse} `ExecutionRole` (`AWS::IAM::Role`) is named by `RoleName`, and the command does not give `--capabilities CAPABILITY_NAMED_IAM` (`InsufficientCapabilities`)")],
            vec![format!("LINE:1: {refuse} `ExecutionRole` (`AWS::IAM::Role`) is named by `RoleName`, and the command does not give `--capabilities CAPABILITY_NAMED_IAM` (`InsufficientCapabilities`)")],
            vec!["LINE:1: error[aws::stack-refused]: the template has no parameter `ImageURI`, so `aws cloudformation deploy` drops the value and the stack keeps the one it has".to_string()],
            vec![format!("LINE:1: {refuse} the parameter `CpuArchitecture` is `arm64`, which is not one of its AllowedValues (`Parameter 'CpuArchitecture' must be one of AllowedValues`)")],
            vec![format!("LINE:1: {refuse} the parameter `ClientCidr` is `203.0.113.0/24`, which does not match its AllowedPattern `{}` (`Parameter 'ClientCidr' must match pattern {}`)", client_pattern(), client_pattern())],
            vec![format!("LINE:1: {refuse} the parameter `ImageUri` is ``, whose length 0 is outside its MinLength 1")],
            vec!["LINE:1: error[aws::stack-refused]: `--parameter-overrides` takes `NAME=VALUE`: `aws cloudformation deploy` reads `ParameterKey=…,ParameterValue=…` as a value for a parameter named `ParameterKey`, and drops it".to_string()],
            vec!["LINE:1: error[aws::stack-refused]: CloudFormation refuses to create the stack `responderapi`: a command before this one made it (`AlreadyExistsException`)".to_string()],
            vec![format!("LINE:1: {refuse} the template has no parameter `Port` (`Parameters: [Port] do not exist in the template`)")],
        ]
    );
}

/// The `AllowedPattern` of the guide's `ClientCidr`.
fn client_pattern() -> String {
    let text = std::fs::read_to_string(
        responder_docs_tests::repo_root().join("templates/responderapi-stack.json"),
    )
    .unwrap();
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    value["Parameters"]["ClientCidr"]["AllowedPattern"]
        .as_str()
        .unwrap()
        .to_string()
}

/// What does not change the stack, or does not change a value, is not
/// judged as if it did: a preview, `${VAR}` for `$VAR`, values from a file.
#[test]
fn a_preview_a_braced_variable_and_values_from_a_file_change_nothing() {
    let cases = [
        "aws cloudformation deploy --template-file responderapi-alb-stack.json --stack-name responderapi --capabilities CAPABILITY_NAMED_IAM --tags Project=responderapi --no-execute-changeset",
        "aws cloudformation deploy --template-file responderapi-stack.json --stack-name responderapi --capabilities CAPABILITY_NAMED_IAM --parameter-overrides VpcId=\"${VPC_ID}\" SubnetIds=${SUBNET_IDS}",
        "aws cloudformation deploy --template-file responderapi-stack.json --stack-name responderapi --capabilities CAPABILITY_NAMED_IAM --parameter-overrides file://responderapi-parameters.json",
    ];
    for script in cases {
        let book = copy_real_book();
        append_block(book.path(), "src/update.md", "cloudformation", script);
        let reports: Vec<String> = aws_reports(book.path())
            .into_iter()
            .filter(|r| !r.contains("cli-missing-file"))
            .collect();
        assert_eq!(reports, Vec::<String>::new(), "{script}");
    }
}

#[test]
fn a_template_in_s3_is_a_warning_and_no_value_drops_a_kept_property_too() {
    let book = copy_real_book();
    let url = "https://responderapi-templates.s3.us-east-1.amazonaws.com/responderapi-stack.json";
    let script = format!(
        "aws cloudformation update-stack --stack-name responderapi --template-url {url} --capabilities CAPABILITY_NAMED_IAM"
    );
    let line = append_block(book.path(), "src/update.md", "cloudformation", &script);
    let column = script.find("https://").unwrap() + 1;
    let found: Vec<String> = aws_reports(book.path())
        .into_iter()
        .filter(|r| !r.contains("[aws::deployer-permission]"))
        .collect();
    assert_eq!(
        found,
        [format!(
            "src/update.md:{line}:{column}: warning[aws::unjudged]: the template at `{url}` is not a file of the book: the replacement check cannot tell which stack or template this command deploys, and does not compare it; nor does the deployer permission check judge the calls CloudFormation's handlers make for the template's resources"
        )]
    );
    // `AWS::NoValue` leaves the property out as surely as deleting it.
    let book = copy_real_book();
    let rel = "templates/responderapi-stack.json";
    replace_in(
        book.path(),
        rel,
        "\"LoadBalancers\": [],",
        "\"LoadBalancers\": {\"Ref\": \"AWS::NoValue\"},",
    );
    let found = aws_reports(book.path());
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].contains("error[aws::property-kept]"), "{found:#?}");
}

/// A change set named by the ARN its create returned is the same change
/// set: its calls are judged on the stack, and executing it deploys.
#[test]
fn a_change_set_kept_by_its_arn_is_followed() {
    let book = copy_real_book();
    let script = "CHANGE_SET=$(aws cloudformation create-change-set --stack-name responderapi --change-set-name move --use-previous-template --capabilities CAPABILITY_NAMED_IAM --parameters ParameterKey=ImageUri,UsePreviousValue=true ParameterKey=VpcId,ParameterValue=vpc-0abcdef0123456789 ParameterKey=SubnetIds,UsePreviousValue=true ParameterKey=ClientCidr,UsePreviousValue=true --query Id --output text)\naws cloudformation wait change-set-create-complete --change-set-name \"$CHANGE_SET\"\naws cloudformation execute-change-set --change-set-name \"$CHANGE_SET\"";
    let line = append_block(book.path(), "src/update.md", "cloudformation", script);
    let column = script.find("ParameterKey=VpcId").unwrap() + 1;
    assert_eq!(
        aws_reports(book.path()),
        [format!(
            "src/update.md:{line}:{column}: error[aws::replacement-refused]: CloudFormation must replace `responderapi-sg` (`AWS::EC2::SecurityGroup`) to change `VpcId`, which takes the parameter `VpcId`, whose value changes, and cannot replace a custom-named resource"
        )]
    );
}

#[test]
fn executing_a_change_set_no_command_made_is_refused() {
    let book = copy_real_book();
    let script = "aws cloudformation create-change-set --stack-name responderapi --change-set-name add-load-balancer --use-previous-template --capabilities CAPABILITY_NAMED_IAM --parameters ParameterKey=ImageUri,UsePreviousValue=true ParameterKey=VpcId,UsePreviousValue=true ParameterKey=SubnetIds,UsePreviousValue=true ParameterKey=ClientCidr,UsePreviousValue=true\naws cloudformation execute-change-set --stack-name responderapi --change-set-name add-loadbalancer";
    let line = append_block(book.path(), "src/update.md", "cloudformation", script) + 1;
    assert_eq!(
        aws_reports(book.path()),
        [format!(
            "src/update.md:{line}:1: error[aws::stack-refused]: CloudFormation refuses to execute the change set `add-loadbalancer`: no `create-change-set` before this one makes it (`ChangeSetNotFound`)"
        )]
    );
}

/// A template file that is not there stops `deploy` before any call; an
/// override `deploy` drops harmlessly, and `${VAR:?…}`, change nothing.
#[test]
fn a_missing_template_fails_and_a_dropped_leftover_or_a_checked_variable_passes() {
    let book = copy_real_book();
    let script = "aws cloudformation deploy --template-file responderapi-stak.json --stack-name responderapi --capabilities CAPABILITY_NAMED_IAM";
    let line = append_block(book.path(), "src/update.md", "cloudformation", script);
    let column = script.find("responderapi-stak").unwrap() + 1;
    assert_eq!(
        aws_reports(book.path()),
        [format!(
            "src/update.md:{line}:{column}: error[aws::cli-missing-file]: `responderapi-stak.json` is not a file of the book, and no command before writes it"
        )]
    );
    for script in [
        // A leftover from the load balancer's command: no such parameter.
        format!("{REDEPLOY} --parameter-overrides CertificateArn=\"\""),
        format!("{REDEPLOY} --parameter-overrides VpcId=\"${{VPC_ID:?set VPC_ID first}}\""),
    ] {
        let book = copy_real_book();
        append_block(book.path(), "src/update.md", "cloudformation", &script);
        assert_eq!(aws_reports(book.path()), Vec::<String>::new(), "{script}");
    }
}

/// A stack role written with the reader's account variable is the role in
/// the example account: passing it is judged, and the stack stays where it
/// is.
#[test]
fn a_stack_role_with_the_account_variable_is_judged_in_the_example_account() {
    let book = copy_real_book();
    replace_in(
        book.path(),
        "src/cloudformation.md",
        "  --stack-name responderapi \\\n",
        "  --stack-name responderapi \\\n  --role-arn \"arn:aws:iam::$ACCOUNT_ID:role/responderapi-cfn\" \\\n",
    );
    assert_eq!(
        aws_reports(book.path()),
        [
            "src/cloudformation.md:76:1: error[aws::deployer-permission]: `policies/deployer-policy.json` does not allow `iam:PassRole` on `arn:aws:iam::111122223333:role/responderapi-cfn`, which `aws cloudformation deploy` calls (`--role-arn` passes the role CloudFormation works with)"
        ]
    );
}

/// CloudFormation hands scalars to the handlers as text and converts them:
/// `"Cpu": 512` and `"DesiredCount": "1"` are right; a word is not a count.
#[test]
fn scalars_cloudformation_converts_pass_and_others_do_not() {
    let rel = "templates/responderapi-stack.json";
    let book = copy_real_book();
    replace_in(book.path(), rel, "\"Cpu\": \"512\"", "\"Cpu\": 512");
    replace_in(book.path(), rel, "\"Memory\": \"1024\"", "\"Memory\": 1024");
    replace_in(
        book.path(),
        rel,
        "\"DesiredCount\": 1,",
        "\"DesiredCount\": \"1\",",
    );
    let (_, shorts) = check_shorts(book.path());
    assert_eq!(shorts, Vec::<String>::new());
    let book = copy_real_book();
    replace_in(
        book.path(),
        rel,
        "\"DesiredCount\": 1,",
        "\"DesiredCount\": \"one\",",
    );
    let text = std::fs::read_to_string(book.path().join(rel)).unwrap();
    let line = text.lines().position(|l| l.contains("\"one\"")).unwrap() + 1;
    let (_, shorts) = check_shorts(book.path());
    assert_eq!(
        shorts,
        [format!(
            "{rel}:{line}:25: error[aws::cfn-type]: `DesiredCount` must be integer"
        )]
    );
}

/// `${AWS::Partition}` in a template's `Fn::Sub` ARNs (as cfn-lint advises)
/// is `aws` in every Region the guide runs in.
#[test]
fn the_partition_pseudo_parameter_is_aws() {
    let book = copy_real_book();
    for rel in [
        "templates/responderapi-stack.json",
        "templates/responderapi-alb-stack.json",
    ] {
        let path = book.path().join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        let edited: Vec<String> = text
            .lines()
            .map(|l| {
                if l.contains("\"Fn::Sub\": \"arn:aws:") {
                    l.replace("arn:aws:", "arn:${AWS::Partition}:")
                } else {
                    l.to_string()
                }
            })
            .collect();
        assert_ne!(edited.join("\n"), text.trim_end());
        std::fs::write(&path, edited.join("\n") + "\n").unwrap();
    }
    let (_, shorts) = check_shorts(book.path());
    assert_eq!(shorts, Vec::<String>::new());
}

/// DeleteStack refuses a stack whose termination protection a command
/// before turned on, and takes `--retain-resources` or `--deletion-mode
/// FORCE_DELETE_STACK` only for a stack whose delete failed.
#[test]
fn a_protected_stack_and_delete_options_for_a_failed_delete_are_refused() {
    let delete = "src/cleanup.md:230:1: error[aws::stack-refused]: CloudFormation refuses to delete the stack `responderapi`:";
    let refused = |book: &Path| -> Vec<String> {
        aws_reports(book)
            .into_iter()
            .filter(|r| r.contains("[aws::stack-refused]"))
            .collect()
    };
    let book = copy_real_book();
    append_block(
        book.path(),
        "src/cloudformation.md",
        "cloudformation",
        "aws cloudformation update-termination-protection --enable-termination-protection --stack-name responderapi",
    );
    assert_eq!(
        refused(book.path()),
        [format!(
            "{delete} a command before this one turned its termination protection on (`Stack [responderapi] cannot be deleted while TerminationProtection is enabled`)"
        )]
    );
    // Turned off again before the clean-up: the delete goes ahead.
    append_block(
        book.path(),
        "src/cloudformation.md",
        "cloudformation",
        "aws cloudformation update-termination-protection --no-enable-termination-protection --stack-name responderapi",
    );
    assert_eq!(refused(book.path()), Vec::<String>::new());
    for (option, shown) in [
        (" --retain-resources LogGroup", "--retain-resources"),
        (
            " --deletion-mode FORCE_DELETE_STACK",
            "--deletion-mode FORCE_DELETE_STACK",
        ),
    ] {
        let book = copy_real_book();
        let from = "aws cloudformation delete-stack --stack-name responderapi\n";
        replace_in(
            book.path(),
            "src/cleanup.md",
            from,
            &format!("{}{option}\n", from.trim_end()),
        );
        assert_eq!(
            refused(book.path()),
            [format!(
                "{delete} `{shown}` is only for a stack whose delete failed (`DELETE_FAILED`), and the commands before leave it working"
            )]
        );
    }
}

/// `deploy --no-execute-changeset` only previews, unless a later
/// `execute-change-set` of the path runs its change set by an ARN the check
/// cannot name: then the deploy is judged as one, handlers' calls and all.
#[test]
fn a_previewed_change_set_executed_later_is_a_deploy() {
    let prepare = |execute: &str| {
        let book = copy_real_book();
        replace_in(
            book.path(),
            "src/load-balancer.md",
            "  --template-file responderapi-alb-stack.json \\\n",
            "  --template-file responderapi-alb-stack.json \\\n  --no-execute-changeset \\\n",
        );
        edit_policy(book.path(), |policy| {
            let statements = policy["Statement"].as_array_mut().unwrap();
            for s in statements.iter_mut() {
                let deploys = s["Sid"] == "DeployTheGuideStacks";
                if let Some(actions) = s["Action"].as_array_mut() {
                    actions.retain(|a| a != "elasticloadbalancing:CreateLoadBalancer");
                    if deploys {
                        actions.push("cloudformation:ListChangeSets".into());
                    }
                }
            }
        });
        let line = (!execute.is_empty()).then(|| {
            append_block(
                book.path(),
                "src/load-balancer.md",
                "alb-cloudformation",
                execute,
            )
        });
        (book, line)
    };
    let handler = |f: &String| {
        f.starts_with("src/load-balancer.md:245:1:")
            && f.contains("`elasticloadbalancing:CreateLoadBalancer`")
    };
    // A preview alone changes nothing: no handler runs.
    let (book, _) = prepare("");
    assert!(!aws_reports(book.path()).iter().any(handler));
    let list = "CHANGE_SET=$(aws cloudformation list-change-sets --stack-name responderapi --query 'Summaries[0].ChangeSetId' --output text)\naws cloudformation execute-change-set --change-set-name \"$CHANGE_SET\"";
    let (book, _) = prepare(list);
    let found = aws_reports(book.path());
    assert!(found.iter().any(handler), "{found:#?}");
    // An ARN the reader pastes from a variable nothing sets: the deploy is
    // judged, the execute itself is unjudged aloud.
    let (book, line) =
        prepare("aws cloudformation execute-change-set --change-set-name \"$CHANGE_SET_ARN\"");
    let found = aws_reports(book.path());
    assert!(found.iter().any(handler), "{found:#?}");
    assert!(
        found.contains(&format!(
            "src/load-balancer.md:{}:1: warning[aws::unjudged]: the deployer permission check cannot read `$CHANGE_SET_ARN`, which names what `aws cloudformation execute-change-set` acts on, so it does not judge `cloudformation:ExecuteChangeSet`",
            line.unwrap()
        )),
        "{found:#?}"
    );
}

/// A stack is one per Region and name: a later command in another Region
/// does not find it, and a create there fails on the IAM role names the
/// first stack made, since IAM names are global.
#[test]
fn a_stack_made_in_another_region_is_another_stack() {
    let book = copy_real_book();
    replace_in(
        book.path(),
        "src/cloudformation.md",
        "  --stack-name responderapi \\\n",
        "  --stack-name responderapi \\\n  --region eu-west-1 \\\n",
    );
    let refused: Vec<String> = aws_reports(book.path())
        .into_iter()
        .filter(|r| r.contains("[aws::stack-refused]"))
        .collect();
    assert_eq!(
        refused,
        [
            "src/load-balancer.md:245:1: error[aws::stack-refused]: CloudFormation cannot create the stack `responderapi` in us-east-1: its role `ResponderAPIECSTaskExecutionRole` exists, made by the stack `responderapi` in eu-west-1 (`ResponderAPIECSTaskExecutionRole already exists`); IAM role names are global"
        ]
    );
}
