use super::*;
use std::collections::BTreeSet;

fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

fn stack() -> Value {
    parse(include_str!(
        "../../../../../tests/fixtures/guide-files/templates/responderapi-stack.json"
    ))
}

fn alb() -> Value {
    parse(include_str!(
        "../../../../../tests/fixtures/guide-files/templates/responderapi-alb-stack.json"
    ))
}

fn none() -> BTreeSet<String> {
    BTreeSet::new()
}

fn t(value: &Value) -> Template<'_> {
    Template {
        rel: "templates/t.json",
        value,
    }
}

/// `action resource` lines, one per ARN.
fn lines(needs: &[HandlerNeed]) -> BTreeSet<String> {
    needs
        .iter()
        .flat_map(|n| match &n.arns {
            Arns::Resources(arns) => arns.iter().map(|a| format!("{} {a}", n.action)).collect(),
            Arns::Unknown(var) | Arns::Unjudged(var) | Arns::Unread(var) => {
                vec![format!("{} ?{var}", n.action)]
            }
        })
        .collect()
}

fn actions(needs: &[HandlerNeed]) -> BTreeSet<String> {
    needs.iter().map(|n| n.action.clone()).collect()
}

#[test]
fn creating_the_guides_stack_needs_the_handlers_calls_on_the_guides_names() {
    let s = stack();
    let found = lines(&create(t(&s), "responderapi"));
    for want in [
        "iam:ListAttachedRolePolicies arn:aws:iam::111122223333:role/ResponderAPIECSTaskExecutionRole",
        "iam:ListAttachedRolePolicies arn:aws:iam::111122223333:role/ResponderAPIECSTaskRole",
        "iam:PassRole arn:aws:iam::111122223333:role/ResponderAPIECSTaskExecutionRole",
        "ecs:DescribeServiceDeployments arn:aws:ecs:us-east-1:111122223333:service-deployment/responderapi-cluster/responderapi-service/0123456789abcdefghij0",
        "ecs:CreateService arn:aws:ecs:us-east-1:111122223333:service/responderapi-cluster/responderapi-service",
        "ecs:TagResource arn:aws:ecs:us-east-1:111122223333:cluster/responderapi-cluster",
        "ecs:RegisterTaskDefinition arn:aws:ecs:us-east-1:111122223333:task-definition/responderapi-task:1",
        "iam:CreateServiceLinkedRole arn:aws:iam::111122223333:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS",
        "logs:ListTagsForResource arn:aws:logs:us-east-1:111122223333:log-group:/ecs/responderapi-task",
        "logs:PutRetentionPolicy arn:aws:logs:us-east-1:111122223333:log-group:/ecs/responderapi-task",
        "logs:DescribeLogGroups *",
        "ec2:CreateSecurityGroup arn:aws:ec2:us-east-1:111122223333:security-group/sg-0123456789abcdef0",
    ] {
        assert!(found.contains(want), "missing {want} in {found:#?}");
    }
    let acts = actions(&create(t(&s), "responderapi"));
    // Features the template does not use.
    for unwanted in [
        "logs:GetDataProtectionPolicy",
        "logs:DescribeIndexPolicies",
        "iam:TagRole",
        "iam:AttachRolePolicy",
        "kms:DescribeKey",
        "ecs:PutAccountSetting",
        "firehose:TagDeliveryStream",
    ] {
        assert!(!acts.contains(unwanted), "{unwanted} demanded");
    }
}

#[test]
fn deleting_needs_the_delete_handlers_and_an_update_only_what_changes() {
    let (s, a) = (stack(), alb());
    let deleted = lines(&delete(t(&s), "responderapi"));
    assert!(deleted.contains("ec2:DescribeInstances *"));
    assert!(
        deleted.contains(
            "iam:DeleteRolePolicy arn:aws:iam::111122223333:role/ResponderAPIECSTaskRole"
        )
    );
    let updated = update(t(&s), t(&a), "responderapi", &none());
    let acts = actions(&updated);
    for want in [
        "ec2:AuthorizeSecurityGroupIngress",
        "ec2:RevokeSecurityGroupIngress",
        "ecs:UpdateService",
        "elasticloadbalancing:CreateLoadBalancer",
        "elasticloadbalancing:CreateListener",
    ] {
        assert!(acts.contains(want), "{want} not demanded: {acts:#?}");
    }
    // Nothing changes in the roles, the cluster or the log group; no rule
    // keeps its source with a new description.
    for unwanted in [
        "iam:UpdateAssumeRolePolicy",
        "ecs:UpdateCluster",
        "ec2:UpdateSecurityGroupRuleDescriptionsIngress",
        "ecs:StopServiceDeployment",
        "elasticloadbalancing:SetSecurityGroups",
        "elasticloadbalancing:SetSubnets",
        "elasticloadbalancing:ModifyListener",
        "cognito-idp:DescribeUserPoolClient",
        "elasticloadbalancing:DeleteListener",
    ] {
        assert!(!acts.contains(unwanted), "{unwanted} demanded");
    }
    let listener = lines(&update(t(&s), t(&a), "responderapi", &none()));
    assert!(listener.contains(
        "elasticloadbalancing:CreateListener arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/responderapi-alb/0123456789abcdef"
    ));
    // Going back deletes the load balancer.
    let back = actions(&update(t(&a), t(&s), "responderapi", &none()));
    assert!(back.contains("elasticloadbalancing:DeleteLoadBalancer"));
}

#[test]
fn a_rule_whose_description_alone_changes_needs_the_description_update() {
    let s = stack();
    let text =
        include_str!("../../../../../tests/fixtures/guide-files/templates/responderapi-stack.json")
            .replace("\"ResponderAPI client\"", "\"ResponderAPI's one client\"");
    let described = parse(&text);
    let acts = actions(&update(t(&s), t(&described), "responderapi", &none()));
    assert!(acts.contains("ec2:UpdateSecurityGroupRuleDescriptionsIngress"));
}

#[test]
fn tags_the_template_sets_and_unnamed_resources() {
    let text =
        include_str!("../../../../../tests/fixtures/guide-files/templates/responderapi-stack.json")
            .replace(
                "\"RoleName\": \"ResponderAPIECSTaskRole\",",
                "\"Tags\": [{\"Key\": \"team\", \"Value\": \"a\"}],",
            );
    let tagged = parse(&text);
    let found = lines(&create(t(&tagged), "responderapi"));
    assert!(
        found.contains(
            "iam:TagRole arn:aws:iam::111122223333:role/responderapi-TaskRole-1A2B3C4D5E6F"
        )
    );
    assert!(found.contains(
        "iam:PassRole arn:aws:iam::111122223333:role/responderapi-TaskRole-1A2B3C4D5E6F"
    ));
}
