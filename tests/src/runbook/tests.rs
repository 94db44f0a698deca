use super::*;
use serde_json::json;

const SOURCE: &str = "\
# Chapter

<!-- run: cli -->
```bash
aws ecs create-cluster \\
  --cluster-name c
```

<!-- run: cli cloudformation stand-in -->
```sh
curl https://checkip.amazonaws.com
```

```bash
echo not run
```
";

#[test]
fn marked_blocks_keep_their_paths_and_source_lines() {
    let (fences, problems) = fences("src/c.md", SOURCE, SOURCE, "amd64");
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(fences.len(), 3);
    assert_eq!(fences[0].at(), "src/c.md:4");
    assert_eq!(fences[0].paths, ["cli"]);
    assert!(!fences[0].stand_in);
    assert_eq!(fences[0].lines, [5, 6]);
    assert_eq!(fences[0].source_line(2), 6);
    assert_eq!(fences[1].paths, ["cli", "cloudformation"]);
    assert!(fences[1].stand_in);
    assert!(fences[2].paths.is_empty());
    let cli: Vec<String> = path_blocks(&fences, "cli").iter().map(|f| f.at()).collect();
    assert_eq!(cli, ["src/c.md:4", "src/c.md:10"]);
    assert_eq!(path_blocks(&fences, "cloudformation").len(), 1);
    assert!(path_blocks(&fences, "update").is_empty());
}

/// The rendered form of an `{{#arch}}` group, and the source it came from.
const ARCH_SOURCE: &str = "\
Intro
{{#arch amd64}}
<!-- run: cli -->
```bash
echo {{#image-uri amd64}}
```
{{#arch arm64}}
<!-- run: cli -->
```bash
echo {{#image-uri arm64}}
```
{{#endarch}}
";

const ARCH_RENDERED: &str = "\
Intro
<div class=\"arch-group\" data-arch-group>
<div class=\"arch-tabs\" role=\"tablist\" hidden>
</div>
<div class=\"arch-panel\" role=\"tabpanel\" id=\"a-1-amd64\" data-arch=\"amd64\" tabindex=\"0\">
<p class=\"arch-label\">For amd64:</p>

<!-- run: cli -->
```bash
echo registry/r:1.0-amd64
```

</div>
<div class=\"arch-panel\" role=\"tabpanel\" id=\"a-1-arm64\" data-arch=\"arm64\" tabindex=\"0\">
<p class=\"arch-label\">For arm64:</p>

<!-- run: cli -->
```bash
echo registry/r:1.0-arm64
```

</div>
</div>
";

#[test]
fn only_the_chosen_architectures_panel_runs_and_lines_map_to_the_source() {
    for (arch, line) in [("amd64", 4), ("arm64", 9)] {
        let (fences, problems) = fences("src/a.md", ARCH_SOURCE, ARCH_RENDERED, arch);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(fences.len(), 1, "{arch}");
        assert_eq!(fences[0].code, format!("echo registry/r:1.0-{arch}\n"));
        assert_eq!(fences[0].at(), format!("src/a.md:{line}"));
        assert_eq!(fences[0].lines, [line + 1]);
    }
}

#[test]
fn a_marker_the_crate_refuses_is_reported_at_its_source_line() {
    // The rules are the crate's (`run_paths`, unit-tested there); the
    // harness reports them where the writer typed the marker.
    let source = ARCH_SOURCE.replace(
        "<!-- run: cli -->\n```bash\necho {{#image-uri arm64}}",
        "<!-- run: clii -->\n```bash\necho {{#image-uri arm64}}",
    );
    let rendered = ARCH_RENDERED.replace(
        "<!-- run: cli -->\n```bash\necho registry/r:1.0-arm64",
        "<!-- run: clii -->\n```bash\necho registry/r:1.0-arm64",
    );
    let (fences, problems) = fences("src/a.md", &source, &rendered, "amd64");
    let shown: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        shown,
        [
            "src/a.md:8: unknown path `clii` in a run marker (known: cli, cloudformation, update, alb-cli, alb-cloudformation, alb-cloudformation-undo, cleanup-cli, cleanup-cloudformation, cleanup-alb)"
        ]
    );
    assert_eq!(fences.len(), 1);
}

#[test]
fn a_command_over_several_lines_is_reported_at_its_first() {
    let code = "echo a\naws iam create-role \\\n  --role-name R \\\n  --x y\necho b\n";
    assert_eq!(session::command_start(code, 4), 2);
    assert_eq!(session::command_start(code, 5), 5);
    assert_eq!(session::command_start(code, 1), 1);
    assert_eq!(session::command_start("", 3), 1);
    assert_eq!(
        session::command_text(code, 2),
        "aws iam create-role --role-name R --x y"
    );
    assert_eq!(session::command_text(code, 5), "echo b");
    assert_eq!(session::command_text(code, 9), "");
}

#[test]
fn widened_policies_keep_their_actions_and_conditions() {
    let policy = json!({"Version": "2012-10-17", "Statement": [
        {"Sid": "A", "Effect": "Allow", "Action": ["ecs:CreateService"],
         "Resource": ["arn:aws:ecs:*:1:service/c/s"]},
        {"Sid": "B", "Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::1:role/R",
         "Condition": {"StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}}},
        {"Sid": "C", "Effect": "Allow", "Action": "s3:*", "NotResource": "arn:aws:s3:::b"}
    ]});
    assert_eq!(
        widen_resources(&policy),
        json!({"Version": "2012-10-17", "Statement": [
            {"Sid": "A", "Effect": "Allow", "Action": ["ecs:CreateService"], "Resource": "*"},
            {"Sid": "B", "Effect": "Allow", "Action": "iam:PassRole", "Resource": "*",
             "Condition": {"StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}}},
            {"Sid": "C", "Effect": "Allow", "Action": "s3:*", "NotResource": "arn:aws:s3:::b"}
        ]})
    );
    let one = json!({"Statement": {"Effect": "Allow", "Action": "a:B", "Resource": "x"}});
    assert_eq!(
        widen_resources(&one),
        json!({"Statement": {"Effect": "Allow", "Action": "a:B", "Resource": "*"}})
    );
    assert_eq!(widen_resources(&json!([1])), json!([1]));
}

#[test]
fn registered_json_may_add_keys_but_not_change_or_drop_them() {
    let want = json!({"family": "f", "cpu": "512", "c": [{"name": "n", "ports": [8080]}]});
    let got = json!({"family": "f", "cpu": "512", "revision": 1, "c": [{"name": "n", "ports": [8080], "x": 1}]});
    assert_eq!(differs(&got, &want, ""), None);
    let changed = json!({"family": "f", "cpu": "256", "c": [{"name": "n", "ports": [8080]}]});
    assert_eq!(
        differs(&changed, &want, "").unwrap(),
        "`.cpu` is \"256\", want \"512\""
    );
    let dropped = json!({"family": "f", "cpu": "512", "c": [{"ports": [8080]}]});
    assert_eq!(
        differs(&dropped, &want, "").unwrap(),
        "`.c[0].name` is missing (want \"n\")"
    );
    let longer = json!({"family": "f", "cpu": "512", "c": [{"name": "n", "ports": [8080, 80]}]});
    assert_eq!(
        differs(&longer, &want, "").unwrap(),
        "`.c[0].ports` is [8080,80], want [8080]"
    );
}

#[test]
fn a_permission_is_there_only_when_an_allow_statement_matches_action_and_resource() {
    let policy = json!({"Statement": [
        {"Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
         "Resource": ["arn:aws:logs:*:1:log-group:/ecs/t:*"]},
        {"Effect": "Allow", "Action": "ecr:GetAuthorizationToken", "Resource": "*"},
        {"Effect": "Deny", "Action": "logs:CreateLogGroup", "Resource": "*"}
    ]});
    assert!(policy_allows(
        &policy,
        "logs:PutLogEvents",
        "arn:aws:logs:us-east-1:1:log-group:/ecs/t:log-stream:s"
    ));
    assert!(policy_allows(&policy, "ECR:GetAuthorizationToken", "*"));
    assert!(!policy_allows(
        &policy,
        "logs:CreateLogGroup",
        "arn:aws:logs:us-east-1:1:log-group:/ecs/t"
    ));
    assert!(!policy_allows(
        &policy,
        "logs:PutLogEvents",
        "arn:aws:logs:us-east-1:2:log-group:/ecs/t:log-stream:s"
    ));
    assert!(glob("a?c*", "abcdef"));
    assert!(!glob("a?c", "abcd"));
}
