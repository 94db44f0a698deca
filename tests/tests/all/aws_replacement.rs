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
            "templates/demo-stack-v2.json:16:24: warning[aws::replacement]: CloudFormation replaces `Cluster` (`AWS::ECS::Cluster`) to change `ClusterName`: a new cluster: the services and tasks of the old one go with it",
            "templates/demo-stack-v2.json:23:20: error[aws::replacement-refused]: CloudFormation must replace `demo-service` (`AWS::ECS::Service`) to change `Cluster`, which refers to `Cluster`, a resource it replaces, and cannot replace a custom-named resource",
            "templates/demo-stack-v2.json:33:29: error[aws::replacement-refused]: CloudFormation must replace `demo-sg` (`AWS::EC2::SecurityGroup`) to change `GroupDescription`, and cannot replace a custom-named resource",
            "templates/demo-stack-v2.json:42:29: warning[aws::replacement]: CloudFormation replaces `UnnamedGroup` (`AWS::EC2::SecurityGroup`) to change `GroupDescription`: a new security group with a new ID: network interfaces and rules outside the stack that name the old group keep naming it",
            "templates/demo-stack-v2.json:53:17: error[aws::replacement-refused]: CloudFormation must replace `demo-tg` (`AWS::ElasticLoadBalancingV2::TargetGroup`) to change `Port`, which takes the parameter `Port`, whose value changes, and cannot replace a custom-named resource",
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
    let refused = &report["diagnostics"][2];
    assert_eq!(
        refused["hint"],
        "`GroupDescription` is a create-only property of `AWS::EC2::SecurityGroup`: changing it replaces the resource, and a resource named by `GroupName` cannot be replaced while the old one holds the name, so deploying `templates/demo-stack-v2.json` over `templates/demo-stack.json` to the stack `demo` (or back) fails; give both templates the same value, or drop the custom name"
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
