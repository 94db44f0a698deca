//! Content tests of the guide itself: the chapters exist in the reader's
//! order, the draft's defects stay gone, and every value a reader copies
//! agrees with the templates that ECS and CloudFormation actually receive.

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};
use responder_docs_tests::repo_root;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Chapters in the order a reader works through them.
const CHAPTERS: [&str; 14] = [
    "introduction.md",
    "deployer-permissions.md",
    "iam-roles.md",
    "cluster.md",
    "security-group.md",
    "task-definition.md",
    "service.md",
    "cloudformation.md",
    "verify.md",
    "update.md",
    "load-balancer.md",
    "cleanup.md",
    "troubleshooting.md",
    "support.md",
];

fn read(rel: &str) -> String {
    std::fs::read_to_string(repo_root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn json(rel: &str) -> Value {
    serde_json::from_str(&read(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Every Markdown file of src/ (chapters, procedures, 404) as (path, text).
fn markdown() -> Vec<(String, String)> {
    let src = repo_root().join("src");
    let mut files: Vec<(String, String)> = walkdir::WalkDir::new(&src)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| {
            let rel = e.path().strip_prefix(repo_root()).unwrap();
            let rel = rel.to_string_lossy().replace('\\', "/");
            let text = std::fs::read_to_string(e.path()).unwrap();
            (rel, text)
        })
        .collect();
    files.sort();
    files
}

/// Numbered lines of a Markdown text: `(1-based line, text)`.
type Lines<'a> = Vec<(usize, &'a str)>;

/// The lines inside fenced code blocks, and every other line.
fn split_code(text: &str) -> (Lines<'_>, Lines<'_>) {
    let (mut code, mut prose) = (Vec::new(), Vec::new());
    let mut fence: Option<&str> = None;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        match fence {
            Some(f) if trimmed.starts_with(f) => fence = None,
            Some(_) => code.push((i + 1, line)),
            None if trimmed.starts_with("```") => fence = Some("```"),
            None => prose.push((i + 1, line)),
        }
    }
    (code, prose)
}

/// The links of SUMMARY.md, in order.
fn summary_links() -> Vec<String> {
    let summary = read("src/SUMMARY.md");
    Parser::new(&summary)
        .filter_map(|e| match e {
            Event::Start(Tag::Link { dest_url, .. }) => Some(dest_url.to_string()),
            _ => None,
        })
        .collect()
}

#[test]
fn the_summary_lists_every_chapter_in_reading_order() {
    assert_eq!(summary_links(), CHAPTERS);
    for chapter in CHAPTERS {
        assert!(
            repo_root().join("src").join(chapter).is_file(),
            "src/{chapter} is missing"
        );
    }
    let on_disk: BTreeSet<String> = std::fs::read_dir(repo_root().join("src"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".md") && name != "SUMMARY.md" && name != "404.md")
        .collect();
    let listed: BTreeSet<String> = CHAPTERS.iter().map(|c| c.to_string()).collect();
    assert_eq!(on_disk, listed, "a chapter file is not in SUMMARY.md");
}

#[test]
fn procedures_are_included_and_never_listed() {
    let dir = repo_root().join("src/procedures");
    let names: BTreeSet<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    assert!(!names.is_empty());
    assert!(
        summary_links()
            .iter()
            .all(|l| !l.starts_with("procedures/"))
    );
    let mut used = BTreeSet::new();
    for (path, text) in markdown() {
        for d in responder_docs::model::directive::find(&text, &["procedure"]) {
            let name = d.args.first().copied().unwrap_or_default().to_string();
            assert!(names.contains(&name), "{path}: no procedure `{name}`");
            used.insert(name);
        }
    }
    assert_eq!(used, names, "a procedure file that nothing includes");
}

#[test]
fn no_draft_leftovers() {
    let forbidden = [
        "xxxxx",
        "CloudFront",
        "Cloud Formation",
        "amd64 or amd64",
        "arm64 or arm64",
        "responderapi_task",
        "ecsTaskExecutionRolePolicy.json",
        "ResponderAPIECSTaskRolePolicy.json",
        "Task Service IAM Role Policy",
        "ResponderAPITaskServicePolicy",
        "created earlier",
        "**NOTE:**",
        "**Tip**:",
        "TODO",
    ];
    let mut problems = Vec::new();
    for (path, text) in markdown() {
        for (i, line) in text.lines().enumerate() {
            for word in forbidden {
                if line.contains(word) {
                    problems.push(format!("{path}:{}: `{word}`", i + 1));
                }
            }
        }
        let (_, prose) = split_code(&text);
        for (line_no, line) in prose {
            if line.contains("``") {
                problems.push(format!("{path}:{line_no}: an empty code span"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn images_and_policies_come_from_directives() {
    let mut problems = Vec::new();
    for (path, text) in markdown() {
        for (i, line) in text.lines().enumerate() {
            if line.contains(".dkr.ecr.") {
                problems.push(format!("{path}:{}: an image URI typed by hand", i + 1));
            }
            if line.contains("\"Statement\"") || line.contains("\"sts:AssumeRole\"") {
                problems.push(format!("{path}:{}: policy JSON pasted by hand", i + 1));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let iam = read("src/iam-roles.md");
    let shown: Vec<String> = responder_docs::model::directive::find(&iam, &["iam-policy"])
        .into_iter()
        .map(|d| d.args.join(" "))
        .collect();
    assert_eq!(
        shown,
        [
            "execution-role-policy",
            "execution-role-trust",
            "task-role-policy",
            "task-role-trust"
        ]
    );
}

#[test]
fn architecture_variants_differ_only_in_the_architecture() {
    for (path, text) in markdown() {
        let lines: Vec<&str> = text.lines().collect();
        let mut i = 0;
        while i < lines.len() {
            if lines[i].trim() != "{{#arch amd64}}" {
                assert!(
                    !lines[i].contains("{{#arch") && !lines[i].contains("{{#endarch"),
                    "{path}:{}: architecture directive outside an amd64/arm64/endarch group",
                    i + 1
                );
                i += 1;
                continue;
            }
            let arm = (i..lines.len())
                .find(|&j| lines[j].trim() == "{{#arch arm64}}")
                .unwrap_or_else(|| panic!("{path}:{}: no arm64 variant", i + 1));
            let end = (arm..lines.len())
                .find(|&j| lines[j].trim() == "{{#endarch}}")
                .unwrap_or_else(|| panic!("{path}:{}: no {{{{#endarch}}}}", i + 1));
            let amd64 = lines[i + 1..arm].join("\n");
            let arm64 = lines[arm + 1..end].join("\n");
            assert!(
                amd64.contains("amd64"),
                "{path}:{}: amd64 variant never says amd64",
                i + 1
            );
            assert_eq!(
                amd64.replace("amd64", "arm64"),
                arm64,
                "{path}:{}: the variants differ in more than the architecture",
                i + 1
            );
            i = end + 1;
        }
    }
}

/// The values a reader types, read from the templates ECS receives.
struct Values {
    family: String,
    cluster: String,
    service: String,
    container: String,
    log_group: String,
    prefix: String,
    execution_role: String,
    task_role: String,
    port: u64,
    health: Value,
}

fn values() -> Values {
    let task = json("templates/task-definition.json");
    let stack = json("templates/responderapi-stack.json");
    let container = &task["containerDefinitions"][0];
    let role = |key: &str| {
        task[key]
            .as_str()
            .unwrap()
            .rsplit('/')
            .next()
            .unwrap()
            .to_string()
    };
    let resources = &stack["Resources"];
    Values {
        family: task["family"].as_str().unwrap().into(),
        cluster: resources["Cluster"]["Properties"]["ClusterName"]
            .as_str()
            .unwrap()
            .into(),
        service: resources["Service"]["Properties"]["ServiceName"]
            .as_str()
            .unwrap()
            .into(),
        container: container["name"].as_str().unwrap().into(),
        log_group: container["logConfiguration"]["options"]["awslogs-group"]
            .as_str()
            .unwrap()
            .into(),
        prefix: container["logConfiguration"]["options"]["awslogs-stream-prefix"]
            .as_str()
            .unwrap()
            .into(),
        execution_role: role("executionRoleArn"),
        task_role: role("taskRoleArn"),
        port: container["portMappings"][0]["containerPort"]
            .as_u64()
            .unwrap(),
        health: container["healthCheck"].clone(),
    }
}

#[test]
fn the_stack_and_the_task_definition_agree() {
    let v = values();
    let stack = json("templates/responderapi-stack.json");
    let resources = &stack["Resources"];
    let task = &resources["TaskDefinition"]["Properties"];
    let container = &task["ContainerDefinitions"][0];
    assert_eq!(task["Family"], v.family.as_str());
    assert_eq!(task["Cpu"], json("templates/task-definition.json")["cpu"]);
    assert_eq!(
        task["Memory"],
        json("templates/task-definition.json")["memory"]
    );
    assert_eq!(container["Name"], v.container.as_str());
    assert_eq!(container["PortMappings"][0]["ContainerPort"], v.port);
    assert_eq!(container["HealthCheck"]["Command"], v.health["command"]);
    for (cf, ecs) in [
        ("Interval", "interval"),
        ("Timeout", "timeout"),
        ("Retries", "retries"),
        ("StartPeriod", "startPeriod"),
    ] {
        assert_eq!(container["HealthCheck"][cf], v.health[ecs], "{cf}");
    }
    assert_eq!(
        container["LogConfiguration"]["Options"]["awslogs-group"],
        v.log_group.as_str()
    );
    assert_eq!(
        resources["LogGroup"]["Properties"]["LogGroupName"],
        v.log_group.as_str()
    );
    assert_eq!(
        resources["ExecutionRole"]["Properties"]["RoleName"],
        v.execution_role.as_str()
    );
    assert_eq!(
        resources["TaskRole"]["Properties"]["RoleName"],
        v.task_role.as_str()
    );
    assert_eq!(
        resources["Service"]["Properties"]["DeploymentConfiguration"]["DeploymentCircuitBreaker"],
        serde_json::json!({"Enable": true, "Rollback": true})
    );
}

/// A name the load balancer stack gives one of its resources.
fn alb_name(resource: &str, property: &str) -> String {
    json("templates/responderapi-alb-stack.json")["Resources"][resource]["Properties"][property]
        .as_str()
        .unwrap_or_else(|| panic!("{resource}.{property}"))
        .to_string()
}

#[test]
fn the_load_balancer_stack_is_the_stack_plus_the_load_balancer() {
    let v = values();
    let stack = json("templates/responderapi-stack.json");
    let alb = json("templates/responderapi-alb-stack.json");
    // What the load balancer changes in the first stack's resources.
    let changed: &[(&str, &[&str])] = &[
        ("SecurityGroup", &["/Properties/SecurityGroupIngress"]),
        (
            "Service",
            &[
                "/Properties/LoadBalancers",
                "/Properties/HealthCheckGracePeriodSeconds",
                "/DependsOn",
            ],
        ),
    ];
    let without = |mut resource: Value, id: &str| {
        for (_, pointers) in changed.iter().filter(|(c, _)| *c == id) {
            for pointer in *pointers {
                let (parent, key) = pointer.rsplit_once('/').unwrap();
                if let Some(map) = resource.pointer_mut(parent).and_then(Value::as_object_mut) {
                    map.remove(key);
                }
            }
        }
        resource
    };
    for (id, resource) in stack["Resources"].as_object().unwrap() {
        assert_eq!(
            without(alb["Resources"][id].clone(), id),
            without(resource.clone(), id),
            "{id} differs between the two stacks"
        );
    }
    for (name, parameter) in stack["Parameters"].as_object().unwrap() {
        assert_eq!(alb["Parameters"][name]["Type"], parameter["Type"], "{name}");
        assert_eq!(
            alb["Parameters"][name]["Default"], parameter["Default"],
            "{name}"
        );
    }
    let resources = &alb["Resources"];
    let mapping = &resources["Service"]["Properties"]["LoadBalancers"][0];
    assert_eq!(mapping["ContainerName"], v.container.as_str());
    assert_eq!(mapping["ContainerPort"], v.port);
    assert!(resources["Service"]["Properties"]["HealthCheckGracePeriodSeconds"].is_u64());
    let target_group = &resources["TargetGroup"]["Properties"];
    assert_eq!(target_group["TargetType"], "ip");
    assert_eq!(target_group["Port"], v.port);
    let ingress = resources["SecurityGroup"]["Properties"]["SecurityGroupIngress"]
        .as_array()
        .unwrap();
    assert!(
        ingress.iter().all(|rule| rule.get("CidrIp").is_none()
            && rule["SourceSecurityGroupId"]["Fn::GetAtt"][0] == "LoadBalancerSecurityGroup"),
        "the task must admit the load balancer only"
    );
    let chapter = read("src/load-balancer.md");
    for (resource, property) in [
        ("LoadBalancer", "Name"),
        ("TargetGroup", "Name"),
        ("LoadBalancerSecurityGroup", "GroupName"),
    ] {
        let name = alb_name(resource, property);
        assert!(
            chapter.contains(&format!("`{name}`")),
            "load-balancer.md never names {name}"
        );
    }
    for name in alb["Parameters"].as_object().unwrap().keys() {
        if stack["Parameters"].get(name).is_none() {
            assert!(
                chapter.contains(&format!("| `{name}` |")),
                "load-balancer.md does not explain {name}"
            );
        }
    }
    assert!(chapter.contains(
        "[Download `responderapi-alb-stack.json`](templates/responderapi-alb-stack.json)"
    ));
}

/// The inline policy names the stack gives the two roles.
fn policy_names() -> BTreeSet<String> {
    let stack = json("templates/responderapi-stack.json");
    ["ExecutionRole", "TaskRole"]
        .iter()
        .map(|role| {
            stack["Resources"][role]["Properties"]["Policies"][0]["PolicyName"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

/// What follows `flag ` on a command line, without quotes.
fn flag_values<'a>(line: &'a str, flag: &str) -> Vec<&'a str> {
    line.match_indices(flag)
        .filter(|(at, _)| line[at + flag.len()..].starts_with(' '))
        .filter_map(|(at, _)| line[at + flag.len()..].split_whitespace().next())
        .map(|v| v.trim_matches('"'))
        .collect()
}

#[test]
fn commands_use_the_same_names_as_the_templates() {
    let v = values();
    let expected: BTreeMap<&str, BTreeSet<String>> = BTreeMap::from([
        ("--cluster", BTreeSet::from([v.cluster.clone()])),
        ("--cluster-name", BTreeSet::from([v.cluster.clone()])),
        ("--service", BTreeSet::from([v.service.clone()])),
        ("--service-name", BTreeSet::from([v.service.clone()])),
        ("--services", BTreeSet::from([v.service.clone()])),
        // `$arn`: the cleanup deregisters each revision by its ARN.
        (
            "--task-definition",
            BTreeSet::from([v.family.clone(), "$arn".to_string()]),
        ),
        (
            "--role-name",
            BTreeSet::from([v.execution_role.clone(), v.task_role.clone()]),
        ),
        ("--log-group-name", BTreeSet::from([v.log_group.clone()])),
        (
            "--log-group-name-prefix",
            BTreeSet::from([v.log_group.clone()]),
        ),
        ("--stack-name", BTreeSet::from(["responderapi".to_string()])),
        ("--policy-name", policy_names()),
        (
            "--group-name",
            BTreeSet::from([
                "responderapi-sg".to_string(),
                alb_name("LoadBalancerSecurityGroup", "GroupName"),
            ]),
        ),
    ]);
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    let mut problems = Vec::new();
    for (path, text) in markdown() {
        let (code, prose) = split_code(&text);
        // Inline commands in prose count too (`aws logs tail …`).
        for (line_no, line) in code.into_iter().chain(prose) {
            for (flag, allowed) in &expected {
                for value in flag_values(line, flag) {
                    *seen.entry(flag).or_default() += 1;
                    if !allowed.contains(value) {
                        problems.push(format!("{path}:{line_no}: {flag} {value}"));
                    }
                }
            }
            if let Some(rest) = line.split("aws logs tail ").nth(1) {
                let group = rest.split_whitespace().next().unwrap();
                if group != v.log_group {
                    problems.push(format!("{path}:{line_no}: aws logs tail {group}"));
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "names that differ from the templates:\n{}",
        problems.join("\n")
    );
    for flag in expected.keys() {
        assert!(
            seen.contains_key(flag),
            "no command uses {flag}: the test has gone stale"
        );
    }
}

#[test]
fn the_console_steps_state_the_template_values() {
    let v = values();
    let steps = read("src/task-definition.md");
    for key in [
        "task.family",
        "task.launch-type",
        "task.network-mode",
        "task.cpu",
        "task.memory",
        "task.task-role",
        "task.execution-role",
        "task.container-name",
        "task.container-port",
        "task.protocol",
        "task.app-protocol",
        "task.log-group",
        "task.log-stream-prefix",
        "task.health-check",
    ] {
        assert!(
            steps.contains(&format!("{{{{#value {key}}}}}")),
            "task-definition.md never says {key}"
        );
    }
    for (label, key) in [
        ("Interval", "interval"),
        ("Timeout", "timeout"),
        ("Start period", "startPeriod"),
        ("Retries", "retries"),
    ] {
        let wanted = format!("**{label}** to `{}`", v.health[key]);
        assert!(steps.contains(&wanted), "task-definition.md lacks {wanted}");
    }
    assert!(steps.contains("`awslogs-create-group` `true`"));
    assert!(steps.contains(&format!("`{}-{}-tcp`", v.container, v.port)));
    assert!(steps.contains("{{#template task-definition.json amd64}}"));
    assert!(steps.contains("{{#template task-definition.json arm64}}"));
    assert_eq!(v.prefix, "ecs");
    let service = read("src/procedures/create-service.md");
    for key in [
        "cluster.name",
        "task.family",
        "service.name",
        "task.launch-type-api",
        "service.desired-count",
    ] {
        assert!(
            service.contains(&format!("{{{{#value {key}}}}}")),
            "create-service.md never says {key}"
        );
    }
}

#[test]
fn inbound_access_is_one_address() {
    let mut problems = Vec::new();
    for (path, text) in markdown() {
        let (code, _) = split_code(&text);
        for (line_no, line) in code {
            for flag in ["--cidr ", "CidrIp=", "ClientCidr="] {
                if let Some(rest) = line.split(flag).nth(1) {
                    let value = rest
                        .split([' ', ',', '}'])
                        .next()
                        .unwrap()
                        .trim_matches('"');
                    if value != "$MY_IP/32" {
                        problems.push(format!("{path}:{line_no}: {flag}{value}"));
                    }
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let stack = json("templates/responderapi-stack.json");
    assert!(
        stack["Parameters"]["ClientCidr"]["AllowedPattern"]
            .as_str()
            .unwrap()
            .ends_with("/32$")
    );
    let sg = read("src/security-group.md");
    assert!(sg.contains("curl https://checkip.amazonaws.com"));
    assert!(sg.contains("Never open port 8080 to `0.0.0.0/0`"));
}

#[test]
fn relative_links_and_fragments_resolve() {
    // The link checker itself (mdBook's heading ids, every chapter and file):
    // a second oracle here would only drift from it.
    let (_, found) = responder_docs_tests::check_shorts(&repo_root());
    let links: Vec<_> = found.iter().filter(|d| d.contains("[links::")).collect();
    assert!(links.is_empty(), "{links:#?}");
}

#[test]
fn troubleshooting_has_cause_confirmation_and_fix_for_each_error() {
    let text = read("src/troubleshooting.md");
    let mut sections: Vec<(String, String)> = Vec::new();
    let mut in_heading = false;
    for (event, range) in Parser::new(&text).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading {
                level: HeadingLevel::H2,
                ..
            }) => {
                in_heading = true;
                sections.push((String::new(), String::new()));
            }
            Event::End(TagEnd::Heading(HeadingLevel::H2)) => in_heading = false,
            Event::Text(t) | Event::Code(t) if in_heading => {
                sections.last_mut().unwrap().0.push_str(&t)
            }
            _ if !in_heading => {
                if let Some(last) = sections.last_mut() {
                    last.1.push_str(&text[range]);
                }
            }
            _ => {}
        }
    }
    // Short headings for the sidebar and the search; each section opens
    // with the exact text AWS or ResponderAPI shows, before the cause.
    let expected: [(&str, &str); 17] = [
        (
            "Image and task architectures differ",
            "exec /sbin/api-server: exec format error",
        ),
        (
            "The circuit breaker stopped the deployment",
            "Error occurred during operation 'ECS Deployment Circuit Breaker was triggered'",
        ),
        (
            "The ECS service-linked role is missing",
            "Unable to assume the service linked role. Please verify that the ECS service linked role exists.",
        ),
        (
            "Tasks fail the load balancer's health checks",
            "Task failed ELB health checks in (target-group",
        ),
        (
            "Tasks fail their container health check",
            "Task failed container health checks",
        ),
        (
            "The essential container exited",
            "Essential container in task exited",
        ),
        (
            "Security group and subnets in different VPCs",
            "does not appear to belong to the same VPC as the input subnets.",
        ),
        (
            "Tasks stay in PROVISIONING or PENDING",
            "`PROVISIONING` or `PENDING`",
        ),
        (
            "ECS can't assume a role",
            "ECS was unable to assume the role 'arn:aws:iam::",
        ),
        (
            "No AWS credentials",
            "Unable to load SDK config\nUnable to obtain AWS credentials",
        ),
        (
            "AWS Marketplace refuses to register usage",
            "Unable to register usage.",
        ),
        ("Health status UNKNOWN", "`UNKNOWN`"),
        (
            "The execution role can't create the log group",
            "ResourceInitializationError: failed to validate logger args: … AccessDeniedException … logs:CreateLogGroup",
        ),
        ("The image can't be pulled", "`CannotPullContainerError`"),
        (
            "No network route to Amazon ECR",
            "ResourceInitializationError: unable to pull secrets or registry auth",
        ),
        (
            "A failed first stack",
            "is in ROLLBACK_COMPLETE state and can not be updated.",
        ),
        (
            "The container runs out of memory",
            "OutOfMemoryError: Container killed due to memory usage",
        ),
    ];
    let headings: Vec<&str> = sections.iter().map(|(h, _)| h.as_str()).collect();
    let expected_headings: Vec<&str> = std::iter::once("Where to look")
        .chain(expected.iter().map(|(h, _)| *h))
        .collect();
    assert_eq!(headings, expected_headings);
    for ((heading, body), (_, message)) in sections[1..].iter().zip(expected) {
        assert!(
            heading.len() <= 50,
            "`{heading}` is too long for the sidebar"
        );
        for part in ["**Cause.**", "**How to confirm.**", "**Fix.**"] {
            assert!(body.contains(part), "`{heading}` has no {part}");
        }
        let opening = &body[..body.find("**Cause.**").unwrap()];
        assert!(
            opening.contains(message),
            "`{heading}` does not open with `{message}`:\n{opening}"
        );
    }
}

#[test]
fn admonitions_are_mdbook_native() {
    let kinds = ["NOTE", "TIP", "IMPORTANT", "WARNING", "CAUTION"];
    let mut count = 0;
    for (path, text) in markdown() {
        for (i, line) in text.lines().enumerate() {
            if let Some(rest) = line.trim_start().strip_prefix("> [!") {
                let kind = rest.split(']').next().unwrap();
                assert!(
                    kinds.contains(&kind),
                    "{path}:{}: unknown admonition {kind}",
                    i + 1
                );
                count += 1;
            }
        }
    }
    assert!(count > 5, "only {count} admonitions");
}

#[test]
fn verify_and_support_say_what_the_reader_needs() {
    let verify = read("src/verify.md");
    assert!(verify.contains("ready to serve requests"));
    assert!(verify.contains(r#"curl -i "http://$PUBLIC_IP:8080/hello?status_code=200""#));
    for parameter in [
        "delay",
        "random_delay",
        "status_code",
        "body",
        "no_body",
        "headers",
        "no_headers",
        "expected_headers",
    ] {
        assert!(
            verify.contains(&format!("| `{parameter}` |")),
            "verify.md does not explain {parameter}"
        );
    }
    let support = read("src/support.md");
    assert!(support.contains("https://github.com/certograph/aws/issues"));
    assert!(support.contains("72 hours"));
    let update = read("src/update.md");
    assert!(update.contains("--force-new-deployment"));
    let stack = read("src/cloudformation.md");
    assert!(stack.contains("{{#include templates/responderapi-stack.json}}"));
    assert!(stack.contains("aws cloudformation describe-stack-events"));
    for parameter in json("templates/responderapi-stack.json")["Parameters"]
        .as_object()
        .unwrap()
        .keys()
    {
        assert!(
            stack.contains(&format!("| `{parameter}` |")),
            "cloudformation.md does not explain {parameter}"
        );
    }
}

/// The number of top-level steps (`N. ` at the start of a line) in a text.
fn top_level_steps(text: &str) -> usize {
    text.lines()
        .filter(|l| {
            let digits = l.chars().take_while(char::is_ascii_digit).count();
            digits > 0 && l[digits..].starts_with(". ")
        })
        .count()
}

#[test]
fn steps_after_an_included_procedure_continue_its_numbering() {
    let mut checked = 0;
    for (path, text) in markdown() {
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let Some(name) = line
                .trim()
                .strip_prefix("{{#procedure ")
                .and_then(|rest| rest.strip_suffix("}}"))
            else {
                continue;
            };
            let Some(next) = lines[i + 1..].iter().find(|l| !l.trim().is_empty()) else {
                continue;
            };
            let digits = next.chars().take_while(char::is_ascii_digit).count();
            if digits == 0 || !next[digits..].starts_with(". ") {
                continue;
            }
            let steps = top_level_steps(&read(&format!("src/procedures/{name}.md")));
            let number: usize = next[..digits].parse().unwrap();
            assert_eq!(
                number,
                steps + 1,
                "{path}:{}: the step after `{name}` ({steps} steps) is numbered {number}",
                i + 1
            );
            checked += 1;
        }
    }
    assert!(checked >= 2, "only {checked} continued procedures checked");
}
