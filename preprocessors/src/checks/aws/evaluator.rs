//! An offline evaluator of the IAM policy language, and what the deployment
//! needs from it. Allow/Deny, Action/NotAction and Resource/NotResource with
//! `*` and `?` wildcards (actions case-insensitive), an explicit deny wins.
//! A condition on a key the request's context gives (the Region a command
//! runs in, the service `iam:PassRole` passes a role to, the ECS cluster) is
//! evaluated; any other is assumed satisfiable: the evaluator answers "can
//! this role ever do this", which is what a missing permission breaks. So an
//! Allow whose conditions the context does not refute allows, and a Deny
//! denies only when the context satisfies every one of its conditions.
//!
//! The needs come from what the task definition configures: the execution
//! role pulls the image (ECR actions on the repository's ARN, and
//! `ecr:GetAuthorizationToken` on `*`) and writes the awslogs group
//! (`logs:CreateLogStream`, `logs:PutLogEvents`, and `logs:CreateLogGroup`
//! exactly when `awslogs-create-group` is `true`); the task role of a task
//! that runs an AWS Marketplace image calls `aws-marketplace:RegisterUsage`.

use crate::checks::policy::catalog::{wildcard_match, wildcard_match_ignore_case};
use serde_json::Value;

/// The account and Region that stand in for placeholders (`${AWS::AccountId}`,
/// `$ACCOUNT_ID`) when a policy is evaluated: the guide's example account.
pub(crate) const SAMPLE_ACCOUNT: &str = "111122223333";
pub(crate) const SAMPLE_REGION: &str = "us-east-1";

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Statement {
    pub allow: bool,
    /// Actions, or the excluded actions of `NotAction`, with the pointer of each.
    pub actions: Vec<(String, String)>,
    pub not_action: bool,
    pub resources: Vec<String>,
    pub not_resource: bool,
    pub sid: Option<String>,
    pub principals: Vec<String>,
    pub conditions: Vec<Condition>,
}

/// One test of a statement's `Condition`: `"StringEquals": {"KEY": [VALUES]}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Condition {
    /// The operator as written (`StringEquals`, `ArnLikeIfExists`, …).
    pub operator: String,
    /// The key, lower-cased (IAM compares keys case-insensitively).
    pub key: String,
    /// The key as the policy writes it, for messages.
    pub written: String,
    pub values: Vec<String>,
}

/// What a request is known to carry, per lower-cased condition key: its
/// values, none when the request has no such key. A key not in it is unknown.
pub(crate) type RequestContext = std::collections::BTreeMap<String, Vec<String>>;

/// Whether a condition holds for the context: `None` when it cannot be told
/// (the key is unknown, the operator is not one evaluated, a value holds a
/// policy variable).
fn holds(c: &Condition, context: &RequestContext, action: &str) -> Option<bool> {
    const NONE: &Vec<String> = &Vec::new();
    // `KEY/*` in the context stands for every key of that family
    // (`aws:resourcetag/*`: a resource not yet created has no tags).
    let given = if lacks_key(action, &c.key) {
        if c.operator == "Null" {
            return Some(c.values.iter().any(|v| v.eq_ignore_ascii_case("true")));
        }
        NONE
    } else {
        context.get(&c.key).or_else(|| {
            let (family, _) = c.key.split_once('/')?;
            context.get(&format!("{family}/*"))
        })?
    };
    if c.values.iter().any(|v| v.contains("${")) {
        return None;
    }
    let (set, operator) = match c.operator.split_once(':') {
        Some((set @ ("ForAnyValue" | "ForAllValues"), op)) => (Some(set), op),
        Some(_) => return None,
        None => (None, c.operator.as_str()),
    };
    let (operator, if_exists) = match operator.strip_suffix("IfExists") {
        Some(op) => (op, true),
        None => (operator, false),
    };
    let matches = |pattern: &str, value: &str| match operator {
        // `ArnEquals` takes wildcards as `ArnLike` does (IAM's condition
        // operators reference).
        "StringEquals" | "StringNotEquals" => pattern == value,
        "StringEqualsIgnoreCase" | "StringNotEqualsIgnoreCase" | "Bool" => {
            pattern.eq_ignore_ascii_case(value)
        }
        _ => wildcard_match(pattern, value),
    };
    let negated = match operator {
        "StringEquals"
        | "StringEqualsIgnoreCase"
        | "StringLike"
        | "ArnEquals"
        | "ArnLike"
        | "Bool" => false,
        "StringNotEquals"
        | "StringNotEqualsIgnoreCase"
        | "StringNotLike"
        | "ArnNotEquals"
        | "ArnNotLike" => true,
        _ => return None,
    };
    if given.is_empty() {
        // A key the request lacks: a negated test holds, as does `…IfExists`
        // and `ForAllValues` (nothing fails it).
        return Some(negated || if_exists || set == Some("ForAllValues"));
    }
    let hit = |v: &String| c.values.iter().any(|p| matches(p, v));
    Some(match set {
        Some("ForAllValues") => given.iter().all(|v| hit(v) != negated),
        _ => given.iter().any(hit) != negated,
    })
}

/// Whether requests for `action` never carry the service-specific `key`:
/// the Service Authorization Reference lists no such key for the action or
/// its resource types (`ecs:cluster` is not in `ecs:CreateCluster`'s
/// requests). Global `aws:` keys and actions the catalog does not know are
/// not judged.
pub(crate) fn lacks_key(action: &str, key: &str) -> bool {
    let (Some((prefix, name)), Some((key_prefix, _))) =
        (action.split_once(':'), key.split_once(':'))
    else {
        return false;
    };
    if key_prefix == "aws" || action.contains(['*', '?']) {
        return false;
    }
    let catalog = crate::checks::policy::catalog::Catalog::builtin();
    let Some(service) = catalog.service(&prefix.to_ascii_lowercase()) else {
        return false;
    };
    let Some(found) = service.action(name) else {
        return false;
    };
    let resource_keys = found.resource_types.iter().flat_map(|(kind, _)| {
        service
            .resource_types
            .iter()
            .filter(move |r| r.name == *kind)
            .flat_map(|r| r.condition_keys.iter())
    });
    !found
        .condition_keys
        .iter()
        .chain(resource_keys)
        .any(|known| crate::checks::policy::catalog::names_condition_key(known, key))
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Policy {
    pub statements: Vec<Statement>,
}

/// Reads a policy document; parts that are not strings (an unresolved
/// intrinsic function) are left out, so they grant nothing.
pub(crate) fn parse(document: &Value) -> Policy {
    let statements = match document.get("Statement") {
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, s)| (format!("/Statement/{i}"), s))
            .collect(),
        Some(s @ Value::Object(_)) => vec![("/Statement".to_string(), s)],
        _ => Vec::new(),
    };
    let strings = |value: Option<&Value>, at: &str| -> Vec<(String, String)> {
        match value {
            Some(Value::String(s)) => vec![(s.clone(), at.to_string())],
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .filter_map(|(i, v)| v.as_str().map(|s| (s.to_string(), format!("{at}/{i}"))))
                .collect(),
            _ => Vec::new(),
        }
    };
    let conditions = |s: &Value| -> Vec<Condition> {
        let Some(Value::Object(operators)) = s.get("Condition") else {
            return Vec::new();
        };
        operators
            .iter()
            .flat_map(|(operator, tests)| {
                let tests = tests.as_object().into_iter().flatten();
                tests.map(move |(key, values)| Condition {
                    operator: operator.clone(),
                    key: key.to_ascii_lowercase(),
                    written: key.clone(),
                    values: match values {
                        Value::Array(items) => items
                            .iter()
                            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
                            .collect(),
                        Value::String(v) => vec![v.clone()],
                        other => vec![other.to_string()],
                    },
                })
            })
            .collect()
    };
    Policy {
        statements: statements
            .into_iter()
            .map(|(at, s)| {
                let not_action = s.get("NotAction").is_some();
                let not_resource = s.get("NotResource").is_some();
                let (action_key, resource_key) = (
                    if not_action { "NotAction" } else { "Action" },
                    if not_resource {
                        "NotResource"
                    } else {
                        "Resource"
                    },
                );
                let principals = match s.get("Principal") {
                    Some(Value::String(p)) => vec![p.clone()],
                    Some(Value::Object(map)) => map
                        .values()
                        .flat_map(|v| strings(Some(v), ""))
                        .map(|(p, _)| p)
                        .collect(),
                    _ => Vec::new(),
                };
                let allow = s.get("Effect").and_then(Value::as_str) == Some("Allow");
                Statement {
                    allow,
                    actions: strings(s.get(action_key), &format!("{at}/{action_key}")),
                    not_action,
                    resources: strings(s.get(resource_key), "")
                        .into_iter()
                        .map(|(r, _)| with_policy_variables(&r, allow))
                        .collect(),
                    not_resource,
                    sid: s.get("Sid").and_then(Value::as_str).map(str::to_string),
                    principals,
                    conditions: conditions(s),
                }
            })
            .collect(),
    }
}

impl Statement {
    pub(crate) fn matches_action(&self, action: &str) -> bool {
        let hit = self
            .actions
            .iter()
            .any(|(a, _)| wildcard_match_ignore_case(a, action));
        hit != self.not_action
    }

    pub(crate) fn matches_resource(&self, resource: &str) -> bool {
        // (Policy variables are filled in when the policy is read.)
        let hit = self.resources.iter().any(|r| wildcard_match(r, resource));
        hit != self.not_resource
    }

    /// The first condition the context of a request for `action` refutes.
    pub(crate) fn refuted(&self, action: &str, context: &RequestContext) -> Option<&Condition> {
        self.conditions
            .iter()
            .find(|c| holds(c, context, action) == Some(false))
    }

    /// Whether the statement takes part in deciding the request: an Allow
    /// unless the context refutes a condition, a Deny only when the context
    /// satisfies every condition.
    fn applies(&self, action: &str, resource: &str, context: &RequestContext) -> bool {
        if !(self.matches_action(action) && self.matches_resource(resource)) {
            return false;
        }
        if self.allow {
            self.conditions
                .iter()
                .all(|c| holds(c, context, action) != Some(false))
        } else {
            self.conditions
                .iter()
                .all(|c| holds(c, context, action) == Some(true))
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decision {
    Allowed,
    ExplicitDeny,
    ImplicitDeny,
}

/// What the policies together decide for one request.
pub(crate) fn decide<'a>(
    policies: impl IntoIterator<Item = &'a Policy>,
    action: &str,
    resource: &str,
) -> Decision {
    decide_in(policies, action, resource, &RequestContext::new())
}

/// What the policies decide for a request whose context is known in part.
pub(crate) fn decide_in<'a>(
    policies: impl IntoIterator<Item = &'a Policy>,
    action: &str,
    resource: &str,
    context: &RequestContext,
) -> Decision {
    let mut allowed = false;
    for statement in policies.into_iter().flat_map(|p| &p.statements) {
        if statement.applies(action, resource, context) {
            if !statement.allow {
                return Decision::ExplicitDeny;
            }
            allowed = true;
        }
    }
    if allowed {
        Decision::Allowed
    } else {
        Decision::ImplicitDeny
    }
}

/// One permission the task needs, and the task-definition field that needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Need {
    pub action: String,
    pub resource: String,
    /// JSON pointer into the task definition.
    pub field: String,
    /// The resource is in the Region the task runs in (its ARN holds the
    /// example Region for it), not in a Region written down.
    pub regional: bool,
}

/// The role a need falls on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    Execution,
    Task,
}

/// The keys of a task definition as the JSON API (`containerDefinitions`)
/// or CloudFormation (`ContainerDefinitions`) writes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Spelling {
    Api,
    CloudFormation,
}

impl Spelling {
    fn key(self, api: &str) -> String {
        match self {
            Spelling::Api => api.to_string(),
            Spelling::CloudFormation => {
                let mut chars = api.chars();
                chars
                    .next()
                    .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                    .unwrap_or_default()
            }
        }
    }
}

/// The permissions each role needs for `task`. `image_uri` is used for a
/// container whose image is a placeholder (the guide's release image).
pub(crate) fn needs(task: &Value, spelling: Spelling, image_uri: &str) -> Vec<(Role, Need)> {
    let k = |api: &str| spelling.key(api);
    let mut out = Vec::new();
    let mut marketplace = false;
    let containers = task
        .get(k("containerDefinitions"))
        .and_then(Value::as_array);
    for (i, container) in containers.into_iter().flatten().enumerate() {
        let at = format!("/{}/{i}", k("containerDefinitions"));
        let image = container
            .get(k("image"))
            .and_then(Value::as_str)
            .filter(|s| !s.contains('$'))
            .unwrap_or(image_uri);
        // Only a Marketplace image meters its use; any other image (in a
        // book about another product) has no reason to. An image the book
        // does not pin may be the Marketplace one.
        marketplace |=
            image.is_empty() || image.starts_with(crate::model::release::MARKETPLACE_REGISTRY);
        // An image the book does not pin (a placeholder, no release facts)
        // still needs pulling: the actions count as needed, on an unknown ARN.
        let unknown = image.is_empty().then(String::new);
        if let Some(repository) = ecr_repository_arn(image).or(unknown) {
            let field = format!("{at}/{}", k("image"));
            out.push((
                Role::Execution,
                Need {
                    action: "ecr:GetAuthorizationToken".into(),
                    resource: "*".into(),
                    field: field.clone(),
                    regional: false,
                },
            ));
            for action in [
                "ecr:BatchCheckLayerAvailability",
                "ecr:GetDownloadUrlForLayer",
                "ecr:BatchGetImage",
            ] {
                out.push((
                    Role::Execution,
                    Need {
                        action: action.into(),
                        resource: repository.clone(),
                        field: field.clone(),
                        regional: false,
                    },
                ));
            }
        }
        let log = container.get(k("logConfiguration"));
        if log
            .and_then(|l| l.get(k("logDriver")))
            .and_then(Value::as_str)
            == Some("awslogs")
        {
            let options_at = format!("{at}/{}/{}", k("logConfiguration"), k("options"));
            let options = log.and_then(|l| l.get(k("options")));
            let option = |name: &str| options.and_then(|o| o.get(name)).and_then(Value::as_str);
            let Some(group) = option("awslogs-group") else {
                continue;
            };
            let written = option("awslogs-region").filter(|r| !r.contains('$'));
            let regional = written.is_none();
            let region = written.unwrap_or(SAMPLE_REGION);
            let group_arn = format!("arn:aws:logs:{region}:{SAMPLE_ACCOUNT}:log-group:{group}");
            let stream_arn = format!(
                "{group_arn}:log-stream:{}/{}/0",
                option("awslogs-stream-prefix").unwrap_or("ecs"),
                container
                    .get(k("name"))
                    .and_then(Value::as_str)
                    .unwrap_or("container")
            );
            let field = format!("{options_at}/awslogs-group");
            for action in ["logs:CreateLogStream", "logs:PutLogEvents"] {
                out.push((
                    Role::Execution,
                    Need {
                        action: action.into(),
                        resource: stream_arn.clone(),
                        field: field.clone(),
                        regional,
                    },
                ));
            }
            if option("awslogs-create-group") == Some("true") {
                out.push((
                    Role::Execution,
                    Need {
                        action: "logs:CreateLogGroup".into(),
                        resource: group_arn,
                        field: format!("{options_at}/awslogs-create-group"),
                        regional,
                    },
                ));
            }
        }
    }
    if marketplace {
        out.push((
            Role::Task,
            Need {
                action: "aws-marketplace:RegisterUsage".into(),
                resource: "*".into(),
                field: format!("/{}", k("taskRoleArn")),
                regional: false,
            },
        ));
    }
    out
}

/// `arn:aws:ecr:REGION:ACCOUNT:repository/NAME` of an ECR image URI.
pub(crate) fn ecr_repository_arn(image: &str) -> Option<String> {
    let (host, rest) = image.split_once('/')?;
    let mut parts = host.split('.');
    let account = parts.next()?;
    let (dkr, ecr, region) = (parts.next()?, parts.next()?, parts.next()?);
    if dkr != "dkr"
        || ecr != "ecr"
        || account.len() != 12
        || !account.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let name = rest.split(['@', ':']).next()?;
    Some(format!("arn:aws:ecr:{region}:{account}:repository/{name}"))
}

/// The needs no policy of the role allows (explicitly denied or not granted);
/// a need on an unknown resource (`""`) is not judged.
pub(crate) fn missing<'a>(
    policies: &[&Policy],
    needs: impl IntoIterator<Item = &'a Need>,
) -> Vec<(&'a Need, Decision)> {
    needs
        .into_iter()
        .filter(|need| !need.resource.is_empty())
        .filter_map(
            |need| match decide(policies.iter().copied(), &need.action, &need.resource) {
                Decision::Allowed => None,
                other => Some((need, other)),
            },
        )
        .collect()
}

/// Allowed actions that no need of the role requires, with their pointers.
pub(crate) fn unneeded<'a>(policy: &'a Policy, needs: &[&Need]) -> Vec<(&'a str, &'a str)> {
    policy
        .statements
        .iter()
        .filter(|s| s.allow && !s.not_action)
        .flat_map(|s| &s.actions)
        .filter(|(action, _)| {
            let lower = action.to_ascii_lowercase();
            !needs
                .iter()
                .any(|n| wildcard_match(&lower, &n.action.to_ascii_lowercase()))
        })
        .map(|(action, at)| (action.as_str(), at.as_str()))
        .collect()
}

/// Whether a trust policy lets ECS tasks assume the role.
pub(crate) fn trusts_ecs_tasks(policy: &Policy) -> bool {
    trusts_ecs_tasks_in(policy, &RequestContext::new())
}

/// Whether ECS tasks may assume the role for a request with `context`
/// (`aws:SourceArn` of a task in one Region): an Allow whose conditions the
/// context does not refute, and no Deny whose conditions it satisfies.
pub(crate) fn trusts_ecs_tasks_in(policy: &Policy, context: &RequestContext) -> bool {
    let allowed = policy.statements.iter().any(|s| {
        s.allow
            && s.matches_action("sts:AssumeRole")
            && s.principals.iter().any(|p| p == "ecs-tasks.amazonaws.com")
            && s.refuted("sts:AssumeRole", context).is_none()
    });
    let denied = policy.statements.iter().any(|s| {
        !s.allow
            && s.conditions
                .iter()
                .all(|c| holds(c, context, "sts:AssumeRole") == Some(true))
            && s.matches_action("sts:AssumeRole")
            && s.principals
                .iter()
                .any(|p| p == "ecs-tasks.amazonaws.com" || p == "*")
    });
    allowed && !denied
}

/// A `Resource` with IAM's policy variables filled in: the reader's
/// account for `${aws:PrincipalAccount}`, the characters `${*}`, `${?}` and
/// `${$}` stand for; any other variable (`${aws:username}`) is assumed to
/// match in an Allow, and to match nothing in a Deny, so an unknown value
/// never raises an alarm.
fn with_policy_variables(resource: &str, allow: bool) -> String {
    if !resource.contains("${") {
        return resource.to_string();
    }
    static VARIABLE: std::sync::LazyLock<regex::Regex> =
        std::sync::LazyLock::new(|| regex::Regex::new(r"\$\{([^}]*)\}").expect("valid"));
    VARIABLE
        .replace_all(resource, |c: &regex::Captures<'_>| {
            let name = &c[1];
            match name.to_ascii_lowercase().as_str() {
                "aws:principalaccount" => SAMPLE_ACCOUNT.to_string(),
                "*" => "*".to_string(),
                "?" => "?".to_string(),
                "$" => "$".to_string(),
                _ if allow => "*".to_string(),
                _ => format!("${{{name}}}"),
            }
        })
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const IMAGE: &str =
        "709825985650.dkr.ecr.us-east-1.amazonaws.com/certograph/responderapi:1.0.4-amd64";

    fn policy(text: &str) -> Policy {
        parse(&serde_json::from_str(text).unwrap())
    }

    fn task() -> Value {
        serde_json::from_str(include_str!(
            "../../../../tests/fixtures/guide-files/templates/task-definition.json"
        ))
        .unwrap()
    }

    #[test]
    fn a_deny_holds_only_when_it_has_no_condition() {
        let deny = |condition: &str| {
            policy(&format!(
                r#"{{"Statement": [
                    {{"Effect": "Allow", "Action": "ec2:*", "Resource": "*"}},
                    {{"Effect": "Deny", "NotAction": "iam:*", "Resource": "*"{condition}}}
                ]}}"#
            ))
        };
        let region =
            r#", "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["us-east-1"]}}"#;
        let decide_here = |p: &Policy, region: Option<&str>| {
            let mut context = RequestContext::new();
            if let Some(r) = region {
                context.insert("aws:requestedregion".into(), vec![r.into()]);
            }
            decide_in([p], "ec2:DescribeVpcs", "*", &context)
        };
        assert_eq!(decide_here(&deny(""), None), Decision::ExplicitDeny);
        // Unknown Region: the conditional Deny may not hold.
        assert_eq!(decide_here(&deny(region), None), Decision::Allowed);
        assert_eq!(
            decide_here(&deny(region), Some("us-east-1")),
            Decision::Allowed
        );
        assert_eq!(
            decide_here(&deny(region), Some("eu-west-1")),
            Decision::ExplicitDeny
        );
    }

    #[test]
    fn allow_conditions_on_known_keys_are_evaluated_and_others_assumed() {
        let p = policy(
            r#"{"Statement": [{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*",
                "Condition": {"StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"},
                              "StringLike": {"aws:PrincipalTag/team": "${aws:username}"},
                              "Bool": {"aws:SecureTransport": "true"}}}]}"#,
        );
        let passed = |service: &str| {
            let mut context = RequestContext::new();
            context.insert("iam:passedtoservice".into(), vec![service.into()]);
            decide_in([&p], "iam:PassRole", "arn:aws:iam::1:role/r", &context)
        };
        assert_eq!(passed("ecs-tasks.amazonaws.com"), Decision::Allowed);
        assert_eq!(passed("lambda.amazonaws.com"), Decision::ImplicitDeny);
        assert_eq!(
            decide([&p], "iam:PassRole", "arn:aws:iam::1:role/r"),
            Decision::Allowed
        );
        // A key the request lacks fails a positive test, passes …IfExists.
        let absent = |operator: &str| {
            let p = policy(&format!(
                r#"{{"Statement": [{{"Effect": "Allow", "Action": "ecs:ListTasks", "Resource": "*",
                    "Condition": {{"{operator}": {{"ecs:cluster": "arn:aws:ecs:*:1:cluster/c"}}}}}}]}}"#
            ));
            let mut context = RequestContext::new();
            context.insert("ecs:cluster".into(), Vec::new());
            decide_in([&p], "ecs:ListTasks", "*", &context)
        };
        assert_eq!(absent("ArnLike"), Decision::ImplicitDeny);
        assert_eq!(absent("ArnLikeIfExists"), Decision::Allowed);
        assert_eq!(absent("ArnNotLike"), Decision::Allowed);
        // `ArnEquals` takes wildcards as `ArnLike` does.
        let cluster = |operator: &str, arn: &str| {
            let p = policy(&format!(
                r#"{{"Statement": [{{"Effect": "Allow", "Action": "ecs:ListTasks", "Resource": "*",
                    "Condition": {{"{operator}": {{"ecs:cluster": "arn:aws:ecs:*:1:cluster/c"}}}}}}]}}"#
            ));
            let mut context = RequestContext::new();
            context.insert("ecs:cluster".into(), vec![arn.into()]);
            decide_in([&p], "ecs:ListTasks", "*", &context)
        };
        let here = "arn:aws:ecs:eu-west-1:1:cluster/c";
        assert_eq!(cluster("ArnEquals", here), Decision::Allowed);
        assert_eq!(cluster("ArnNotEquals", here), Decision::ImplicitDeny);
        assert_eq!(
            cluster("ArnEquals", "arn:aws:ecs:eu-west-1:1:cluster/d"),
            Decision::ImplicitDeny
        );
    }

    #[test]
    fn only_a_marketplace_image_needs_to_register_its_usage() {
        let registers = |image: &str| {
            needs(&task(), Spelling::Api, image)
                .iter()
                .any(|(role, n)| *role == Role::Task && n.action == "aws-marketplace:RegisterUsage")
        };
        assert!(registers(IMAGE));
        assert!(!registers("public.ecr.aws/nginx/nginx:1.27"));
        assert!(!registers(
            "111122223333.dkr.ecr.eu-west-1.amazonaws.com/shop/web:2.3"
        ));
        // A placeholder and no release facts: it may be the Marketplace image.
        assert!(registers(""));
    }

    #[test]
    fn the_guides_roles_grant_what_the_task_needs_and_nothing_more() {
        let exec = policy(include_str!(
            "../../../../tests/fixtures/guide-files/policies/execution-role-policy.json"
        ));
        let task_role = policy(include_str!(
            "../../../../tests/fixtures/guide-files/policies/task-role-policy.json"
        ));
        let all = needs(&task(), Spelling::Api, IMAGE);
        let of = |role| {
            all.iter()
                .filter(|(r, _)| *r == role)
                .map(|(_, n)| n)
                .collect::<Vec<_>>()
        };
        assert_eq!(of(Role::Execution).len(), 7);
        assert!(missing(&[&exec], of(Role::Execution)).is_empty());
        assert!(missing(&[&task_role], of(Role::Task)).is_empty());
        assert!(unneeded(&exec, &of(Role::Execution)).is_empty());
        assert!(unneeded(&task_role, &of(Role::Task)).is_empty());
        assert!(trusts_ecs_tasks(&policy(include_str!(
            "../../../../tests/fixtures/guide-files/policies/task-role-trust.json"
        ))));
    }

    #[test]
    fn a_role_without_create_log_stream_misses_it_on_the_log_group() {
        let exec = policy(
            &include_str!(
                "../../../../tests/fixtures/guide-files/policies/execution-role-policy.json"
            )
            .replace("\"logs:CreateLogStream\",", ""),
        );
        let all = needs(&task(), Spelling::Api, IMAGE);
        let exec_needs = all
            .iter()
            .filter(|(r, _)| *r == Role::Execution)
            .map(|(_, n)| n);
        let found: Vec<_> = missing(&[&exec], exec_needs)
            .into_iter()
            .map(|(n, d)| (n.action.as_str(), n.resource.as_str(), n.field.as_str(), d))
            .collect();
        assert_eq!(
            found,
            [(
                "logs:CreateLogStream",
                "arn:aws:logs:us-east-1:111122223333:log-group:/ecs/responderapi-task:log-stream:ecs/responderapi/0",
                "/containerDefinitions/0/logConfiguration/options/awslogs-group",
                Decision::ImplicitDeny
            )]
        );
    }

    #[test]
    fn create_log_group_is_needed_exactly_when_the_task_creates_the_group() {
        let mut t = task();
        t["containerDefinitions"][0]["logConfiguration"]["options"]["awslogs-create-group"] =
            json!("false");
        let all = needs(&t, Spelling::Api, IMAGE);
        assert!(!all.iter().any(|(_, n)| n.action == "logs:CreateLogGroup"));
        let exec = policy(include_str!(
            "../../../../tests/fixtures/guide-files/policies/execution-role-policy.json"
        ));
        let exec_needs: Vec<_> = all
            .iter()
            .filter(|(r, _)| *r == Role::Execution)
            .map(|(_, n)| n)
            .collect();
        assert_eq!(
            unneeded(&exec, &exec_needs),
            [("logs:CreateLogGroup", "/Statement/2/Action/0")]
        );
    }

    #[test]
    fn explicit_deny_wins_and_not_action_inverts() {
        let p = policy(
            r#"{"Statement": [
            {"Effect": "Allow", "Action": "ecr:*", "Resource": "*"},
            {"Effect": "Deny", "NotAction": "ecr:Get*", "Resource": "arn:aws:ecr:*:*:repository/private/*"}]}"#,
        );
        assert_eq!(
            decide(
                [&p],
                "ecr:BatchGetImage",
                "arn:aws:ecr:us-east-1:1:repository/private/x"
            ),
            Decision::ExplicitDeny
        );
        assert_eq!(
            decide(
                [&p],
                "ECR:GetDownloadUrlForLayer",
                "arn:aws:ecr:us-east-1:1:repository/private/x"
            ),
            Decision::Allowed
        );
        assert_eq!(
            decide([&p], "logs:PutLogEvents", "*"),
            Decision::ImplicitDeny
        );
    }

    #[test]
    fn trust_needs_the_ecs_tasks_principal() {
        assert!(!trusts_ecs_tasks(&policy(
            r#"{"Statement": {"Effect": "Allow", "Principal": {"Service": "ecs.amazonaws.com"}, "Action": "sts:AssumeRole"}}"#
        )));
        assert_eq!(
            ecr_repository_arn(IMAGE).unwrap(),
            "arn:aws:ecr:us-east-1:709825985650:repository/certograph/responderapi"
        );
        assert_eq!(ecr_repository_arn("nginx:latest"), None);
    }
}
