//! Templates deployed one over another to the same stack, against what
//! CloudFormation does: a create-only change to a custom-named resource is
//! refused, to an unnamed one it replaces the resource (a warning). Fixture
//! books with exact diagnostics, one that must pass, and the real guide's
//! load-balancer template given back the security group description that
//! once broke the update.

use responder_docs_tests::{check_shorts, copy_real_book, fixture, run};

#[test]
fn create_only_changes_between_templates_of_one_stack_are_reported_in_the_second() {
    let (code, shorts) = check_shorts(&fixture("aws/replacement-fail"));
    assert_eq!(
        shorts,
        [
            "src/deploy.md:16:41: error[aws::replacement-refused]: CloudFormation must replace `demo-tg` (`AWS::ElasticLoadBalancingV2::TargetGroup`) to change `Port`, which takes the parameter `Port`, whose value changes, and cannot replace a custom-named resource",
            "templates/demo-stack-v2.json:16:24: warning[aws::replacement]: CloudFormation replaces `Cluster` (`AWS::ECS::Cluster`) to change `ClusterName`: a new cluster: the services and tasks of the old one go with it",
            "templates/demo-stack-v2.json:23:20: error[aws::replacement-refused]: CloudFormation must replace `demo-service` (`AWS::ECS::Service`) to change `Cluster`, which refers to `Cluster`, a resource it replaces, and cannot replace a custom-named resource",
            "templates/demo-stack-v2.json:33:29: error[aws::replacement-refused]: CloudFormation must replace `demo-sg` (`AWS::EC2::SecurityGroup`) to change `GroupDescription`, and cannot replace a custom-named resource",
            "templates/demo-stack-v2.json:42:29: warning[aws::replacement]: CloudFormation replaces `UnnamedGroup` (`AWS::EC2::SecurityGroup`) to change `GroupDescription`: a new security group with a new ID: network interfaces and rules outside the stack that name the old group keep naming it",
        ]
    );
    assert_eq!(code, 1);
    let json = run(&[
        "check",
        fixture("aws/replacement-fail").to_str().unwrap(),
        "--format",
        "json",
    ]);
    let report: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let refused = &report["diagnostics"][3];
    assert_eq!(
        refused["hint"],
        "`GroupDescription` is a create-only property of `AWS::EC2::SecurityGroup`: changing it replaces the resource, and a resource named by `GroupName` cannot be replaced while the old one holds the name, so deploying `templates/demo-stack-v2.json` over `templates/demo-stack.json` to the stack `demo` fails; give both templates the same value, or drop the custom name"
    );
    let related: Vec<String> = refused["related"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            format!(
                "{}:{}: {}",
                r["path"].as_str().unwrap(),
                r["line"],
                r["message"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        related,
        [
            "templates/demo-stack.json:33: the value in `templates/demo-stack.json`",
            "src/deploy.md:7: `templates/demo-stack.json` deployed here",
            "src/deploy.md:15: `templates/demo-stack-v2.json` deployed here",
        ]
    );
}

#[test]
fn updatable_changes_a_redeploy_a_new_task_revision_and_another_stack_pass() {
    let (code, shorts) = check_shorts(&fixture("aws/replacement-pass"));
    assert_eq!(shorts, Vec::<String>::new());
    assert_eq!(code, 0);
}

#[test]
fn a_new_group_description_in_the_load_balancer_template_fails_at_its_line() {
    let book = copy_real_book();
    let rel = "templates/responderapi-alb-stack.json";
    let path = book.path().join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    let from = "\"ResponderAPI service: port 8080 from one client address\"";
    let changed = text.replacen(
        from,
        "\"ResponderAPI service: port 8080, from the load balancer\"",
        1,
    );
    assert_ne!(changed, text);
    std::fs::write(&path, &changed).unwrap();
    let line = changed
        .lines()
        .position(|l| l.contains("from the load balancer"))
        .unwrap()
        + 1;
    let (_, shorts) = check_shorts(book.path());
    let ours: Vec<&String> = shorts
        .iter()
        .filter(|s| s.contains("[aws::replacement"))
        .collect();
    assert_eq!(
        ours,
        [&format!(
            "{rel}:{line}:29: error[aws::replacement-refused]: CloudFormation must replace `responderapi-sg` (`AWS::EC2::SecurityGroup`) to change `GroupDescription`, and cannot replace a custom-named resource"
        )]
    );
}

/// The real book with `templates/third.json` (the first template with
/// another security group description when `changed`) deployed by `script`
/// at the end of the load balancer chapter: the line of the script's first
/// command, and the book's `aws::` reports.
fn third_deployed(changed: bool, script: &str) -> (usize, Vec<String>) {
    let overrides = " --capabilities CAPABILITY_NAMED_IAM --parameter-overrides ImageUri=x VpcId=\"$VPC_ID\" SubnetIds=\"$SUBNET_IDS\" ClientCidr=\"$MY_IP/32\"";
    third_deployed_by(changed, &format!("{script}{overrides}"))
}

/// [`third_deployed`] with `script` as it is.
fn third_deployed_by(changed: bool, script: &str) -> (usize, Vec<String>) {
    let book = copy_real_book();
    let first =
        std::fs::read_to_string(book.path().join("templates/responderapi-stack.json")).unwrap();
    let from = "\"ResponderAPI service: port 8080 from one client address\"";
    assert!(first.contains(from));
    let third = if changed {
        first.replacen(from, "\"ResponderAPI service, third template\"", 1)
    } else {
        first
    };
    std::fs::write(book.path().join("templates/third.json"), third).unwrap();
    let chapter = book.path().join("src/load-balancer.md");
    let text = std::fs::read_to_string(&chapter).unwrap();
    std::fs::write(
        &chapter,
        format!("{text}\n<!-- run: alb-cloudformation -->\n```bash\n{script}\n```\n"),
    )
    .unwrap();
    let (_, shorts) = check_shorts(book.path());
    let ours = shorts
        .into_iter()
        .filter(|s| s.contains("[aws::"))
        .collect();
    (text.lines().count() + 4, ours)
}

#[test]
fn a_deploy_written_with_equals_dot_paths_or_variables_is_compared_too() {
    let refused = "templates/third.json:183:29: error[aws::replacement-refused]: CloudFormation must replace `responderapi-sg` (`AWS::EC2::SecurityGroup`) to change `GroupDescription`, and cannot replace a custom-named resource";
    let forms = [
        "aws cloudformation deploy --template-file=third.json --stack-name=responderapi",
        "aws cloudformation deploy --template-file ./templates/third.json --stack-name responderapi",
        "STACK=responderapi\naws cloudformation deploy --template-file third.json --stack-name \"$STACK\"",
        "export TEMPLATE=./third.json\naws cloudformation deploy --template-file ${TEMPLATE} --stack-name responderapi",
    ];
    for script in forms {
        assert_eq!(third_deployed(true, script).1, [refused], "{script}");
        // The same template as the first one replaces nothing.
        assert_eq!(
            third_deployed(false, script).1,
            Vec::<String>::new(),
            "{script}"
        );
    }
}

#[test]
fn a_stack_named_by_a_variable_nothing_sets_is_a_warning_not_a_silent_skip() {
    let (line, found) = third_deployed(
        true,
        "aws cloudformation deploy --template-file third.json --stack-name \"$STACK\"",
    );
    assert_eq!(
        found,
        [format!(
            "src/load-balancer.md:{line}:67: warning[aws::unjudged]: `$STACK` is a shell variable no literal assignment before it sets: the replacement check cannot tell which stack or template this command deploys, and does not compare it"
        )]
    );
    // A template nothing sets leaves its handlers' calls unjudged too: said.
    let (line, found) = third_deployed(
        true,
        "aws cloudformation deploy --template-file \"$TEMPLATE\" --stack-name responderapi",
    );
    assert_eq!(
        found,
        [format!(
            "src/load-balancer.md:{line}:43: warning[aws::unjudged]: `$TEMPLATE` is a shell variable no literal assignment before it sets: the replacement check cannot tell which stack or template this command deploys, and does not compare it; nor does the deployer permission check judge the calls CloudFormation's handlers make for the template's resources"
        )]
    );
}

#[test]
fn a_resource_type_with_no_vendored_schema_is_a_warning_in_each_template() {
    let book = copy_real_book();
    let mut at = Vec::new();
    for rel in [
        "templates/responderapi-stack.json",
        "templates/responderapi-alb-stack.json",
    ] {
        let path = book.path().join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        let changed = text.replacen(
            "\"Resources\": {",
            "\"Resources\": {\n    \"Bucket\": {\"Type\": \"AWS::S3::Bucket\", \"Properties\": {\"BucketName\": \"responderapi-bucket\"}},\n    \"Vpc\": {\"Type\": \"AWS::EC2::VPC\", \"Properties\": {\"CidrBlock\": \"10.0.0.0/16\"}},",
            1,
        );
        assert_ne!(changed, text);
        std::fs::write(&path, &changed).unwrap();
        let line = changed
            .lines()
            .position(|l| l.contains("AWS::S3::Bucket"))
            .unwrap()
            + 1;
        at.push(format!(
            "{rel}:{line}:24: warning[aws::unjudged]: `AWS::S3::Bucket` has no vendored resource schema: its properties, its replacements and the permissions its handlers need are not judged"
        ));
        // A real type of a service some of whose types are vendored.
        at.push(format!(
            "{rel}:{}:21: warning[aws::unjudged]: `AWS::EC2::VPC` has no vendored resource schema: its properties, its replacements and the permissions its handlers need are not judged",
            line + 1
        ));
    }
    let (_, shorts) = check_shorts(book.path());
    at.sort();
    assert_eq!(shorts, at);
}

/// The real book with the service security group's description chosen by
/// `Fn::If` on the condition `IsAlb`, defined per template by `conditions`
/// (first, load balancer's), and `Alb=yes` added to the load balancer
/// deploys when `override_alb`; the `aws::` reports.
fn described_by_condition(conditions: [serde_json::Value; 2], override_alb: bool) -> Vec<String> {
    let book = copy_real_book();
    let templates = [
        "templates/responderapi-stack.json",
        "templates/responderapi-alb-stack.json",
    ];
    for (rel, condition) in templates.iter().zip(conditions) {
        let path = book.path().join(rel);
        let mut t: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        t["Parameters"]["Alb"] =
            serde_json::json!({"Type": "String", "Default": "no", "AllowedValues": ["yes", "no"]});
        t["Conditions"]["IsAlb"] = condition;
        t["Resources"]["SecurityGroup"]["Properties"]["GroupDescription"] =
            serde_json::json!({"Fn::If": ["IsAlb", "ResponderAPI via ALB", "ResponderAPI direct"]});
        std::fs::write(&path, serde_json::to_string_pretty(&t).unwrap()).unwrap();
    }
    if override_alb {
        let chapter = book.path().join("src/load-balancer.md");
        let text = std::fs::read_to_string(&chapter).unwrap();
        let deploys: Vec<&str> = text
            .split("--template-file responderapi-alb-stack.json")
            .collect();
        let mut out = deploys[0].to_string();
        for part in &deploys[1..] {
            out.push_str("--template-file responderapi-alb-stack.json");
            out.push_str(&part.replacen(
                "ClientCidr=\"$MY_IP/32\"",
                "ClientCidr=\"$MY_IP/32\" Alb=yes",
                1,
            ));
        }
        std::fs::write(&chapter, out).unwrap();
    }
    let (_, shorts) = check_shorts(book.path());
    shorts
        .into_iter()
        .filter(|s| s.contains("[aws::"))
        .collect()
}

#[test]
fn a_value_chosen_by_fn_if_changes_with_its_conditions_parameters_and_definition() {
    let by_parameter = serde_json::json!({"Fn::Equals": [{"Ref": "Alb"}, "yes"]});
    let found = |conditions, override_alb| {
        described_by_condition(conditions, override_alb)
            .into_iter()
            .map(|s| s.split_once(": ").unwrap().1.to_string())
            .collect::<Vec<_>>()
    };
    let refused = |how: &str| {
        format!(
            "error[aws::replacement-refused]: CloudFormation must replace `responderapi-sg` (`AWS::EC2::SecurityGroup`) to change `GroupDescription`{how}, and cannot replace a custom-named resource"
        )
    };
    // The load balancer deploys give the condition's parameter another value.
    assert_eq!(
        found([by_parameter.clone(), by_parameter.clone()], true),
        [refused(
            ", which takes the parameter `Alb`, whose value changes"
        )]
    );
    // The load balancer template defines the condition otherwise.
    assert_eq!(
        found(
            [
                serde_json::json!({"Fn::Equals": ["a", "b"]}),
                serde_json::json!({"Fn::Equals": ["a", "a"]}),
            ],
            false
        ),
        [refused("")]
    );
    // The same condition and parameter value: nothing changes.
    assert_eq!(
        found([by_parameter.clone(), by_parameter], false),
        Vec::<String>::new()
    );
}

/// A name written with the stack's own name (`${AWS::StackName}-cluster`)
/// is the same name when the templates go to the stack it resolves in: no
/// replacement, and no permission the same name would not need.
/// The `aws::` reports of the real book with `from` replaced by `to` in the
/// load balancer template.
fn alb_template_edited(edits: &[(&str, &str)]) -> Vec<String> {
    let book = copy_real_book();
    let rel = "templates/responderapi-alb-stack.json";
    let path = book.path().join(rel);
    let mut text = std::fs::read_to_string(&path).unwrap();
    for (from, to) in edits {
        assert!(text.contains(from), "{rel} has {from}");
        text = text.replacen(from, to, 1);
    }
    std::fs::write(&path, text).unwrap();
    let (_, shorts) = check_shorts(book.path());
    shorts
        .into_iter()
        .filter(|s| s.contains("[aws::"))
        .collect()
}

#[test]
fn a_name_built_from_the_stack_name_is_the_name_it_resolves_to() {
    let from = "\"ClusterName\": \"responderapi-cluster\"";
    for to in [
        "\"ClusterName\": {\"Fn::Sub\": \"${AWS::StackName}-cluster\"}",
        "\"ClusterName\": {\"Fn::Join\": [\"-\", [{\"Ref\": \"AWS::StackName\"}, \"cluster\"]]}",
    ] {
        assert_eq!(alb_template_edited(&[(from, to)]), Vec::<String>::new());
    }
    // Joined to another name, it is replaced, and the service on it with it.
    let other =
        "\"ClusterName\": {\"Fn::Join\": [\"-\", [{\"Ref\": \"AWS::StackName\"}, \"other\"]]}";
    let found = alb_template_edited(&[(from, other)]);
    assert_eq!(
        found,
        [
            "templates/responderapi-alb-stack.json:196:24: warning[aws::replacement]: CloudFormation replaces `Cluster` (`AWS::ECS::Cluster`) to change `ClusterName`: a new cluster: the services and tasks of the old one go with it",
            "templates/responderapi-alb-stack.json:423:20: error[aws::replacement-refused]: CloudFormation must replace `responderapi-service` (`AWS::ECS::Service`) to change `Cluster`, which refers to `Cluster`, a resource it replaces, and cannot replace a custom-named resource",
        ]
    );
}

/// A parameter that keeps one value on the stack (its default, or the same
/// override) is that value; an `Fn::If` whose branches are the same is
/// either. Neither changes a create-only property.
#[test]
fn a_one_valued_parameter_and_an_if_with_equal_branches_are_their_value() {
    let group = "\"LogGroupName\": \"/ecs/responderapi-task\"";
    let parameter = "\"Parameters\": {";
    assert_eq!(
        alb_template_edited(&[
            (group, "\"LogGroupName\": {\"Ref\": \"LogGroupName\"}"),
            (
                parameter,
                "\"Parameters\": {\"LogGroupName\": {\"Type\": \"String\", \"Default\": \"/ecs/responderapi-task\"},"
            ),
        ]),
        Vec::<String>::new()
    );
    let description =
        "\"GroupDescription\": \"ResponderAPI service: port 8080 from one client address\"";
    assert_eq!(
        alb_template_edited(&[(
            description,
            "\"GroupDescription\": {\"Fn::If\": [\"HasCertificate\", \"ResponderAPI service: port 8080 from one client address\", \"ResponderAPI service: port 8080 from one client address\"]}"
        )]),
        Vec::<String>::new()
    );
    // A default of another value still replaces the log group.
    let found = alb_template_edited(&[
        (group, "\"LogGroupName\": {\"Ref\": \"LogGroupName\"}"),
        (
            parameter,
            "\"Parameters\": {\"LogGroupName\": {\"Type\": \"String\", \"Default\": \"/ecs/other\"},",
        ),
    ]);
    // (The deployer check also refuses the other group's ARN.)
    let replaced: Vec<&String> = found
        .iter()
        .filter(|f| f.contains("[aws::replacement"))
        .collect();
    assert_eq!(
        replaced,
        [
            "templates/responderapi-alb-stack.json:68:25: warning[aws::replacement]: CloudFormation replaces `LogGroup` (`AWS::Logs::LogGroup`) to change `LogGroupName`: a new, empty log group: the old group is deleted with its log events"
        ]
    );
}

/// A change set created from a template and then executed deploys that
/// template to its stack; one never executed (or another one executed)
/// deploys nothing.
#[test]
fn an_executed_change_set_deploys_its_template() {
    let refused = "templates/third.json:183:29: error[aws::replacement-refused]: CloudFormation must replace `responderapi-sg` (`AWS::EC2::SecurityGroup`) to change `GroupDescription`, and cannot replace a custom-named resource";
    // An API change set keeps only the values marked UsePreviousValue.
    let create = "aws cloudformation create-change-set --change-set-name third --template-body file://templates/third.json --stack-name responderapi --capabilities CAPABILITY_NAMED_IAM --parameters ParameterKey=ImageUri,UsePreviousValue=true ParameterKey=VpcId,UsePreviousValue=true ParameterKey=SubnetIds,UsePreviousValue=true ParameterKey=ClientCidr,UsePreviousValue=true";
    let execute = |name: &str| {
        format!(
            "aws cloudformation execute-change-set --change-set-name {name} --stack-name responderapi"
        )
    };
    assert_eq!(
        third_deployed_by(true, &format!("{create}\n{}", execute("third"))).1,
        [refused]
    );
    assert_eq!(
        third_deployed_by(false, &format!("{create}\n{}", execute("third"))).1,
        Vec::<String>::new()
    );
    assert_eq!(third_deployed_by(true, create).1, Vec::<String>::new());
    // Executing another change set deploys nothing; it is refused itself.
    let (line, found) = third_deployed_by(true, &format!("{create}\n{}", execute("other")));
    assert_eq!(
        found,
        [format!(
            "src/load-balancer.md:{}:1: error[aws::stack-refused]: CloudFormation refuses to execute the change set `other`: no `create-change-set` before this one makes it (`ChangeSetNotFound`)",
            line + 1
        )]
    );
}
