//! Procedures that cannot drift: fixture books checked end to end with the
//! exact diagnostics each kind of drift must raise, and clean books that
//! must raise nothing.

use responder_docs_tests::{check_shorts, copy_dir, copy_real_book, fixture, run};
use serde_json::Value;
use std::path::Path;

/// The whole JSON report of `check` on a book.
fn report(book: &Path) -> Value {
    let run = run(&["check", book.to_str().unwrap(), "--format", "json"]);
    serde_json::from_str(&run.stdout).expect("a JSON report")
}

/// `path:line:col: message` of each related location of a diagnostic.
fn related(diagnostic: &Value) -> Vec<String> {
    diagnostic["related"]
        .as_array()
        .map(|r| {
            r.iter()
                .map(|r| {
                    format!(
                        "{}:{}:{}: {}",
                        r["path"].as_str().unwrap(),
                        r["line"],
                        r["column"],
                        r["message"].as_str().unwrap()
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn diagnostic_with_code<'a>(report: &'a Value, code: &str, nth: usize) -> &'a Value {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == code)
        .nth(nth)
        .unwrap_or_else(|| panic!("no {code} #{nth} in {report:#}"))
}

fn edit(book: &Path, rel: &str, from: &str, to: &str) {
    let path = book.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{rel} has no {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn a_clean_book_raises_nothing() {
    let (code, shorts) = check_shorts(&fixture("procedures/clean"));
    assert_eq!(shorts, Vec::<String>::new());
    assert_eq!(code, 0);
}

#[test]
fn procedures_and_values_are_expanded_in_the_site() {
    let site = tempfile::tempdir().unwrap();
    let book = fixture("procedures/clean");
    let dest = site.path().join("site");
    let run = run(&[
        "build",
        book.to_str().unwrap(),
        "-d",
        dest.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = |name: &str| std::fs::read_to_string(dest.join(name)).unwrap();
    let resize = page("resize.html");
    assert!(
        resize.contains("<ol start=\"5\">\n<li>For <strong>Service name</strong>, type <code>responderapi-service</code>.</li>\n<li>Set <strong>Desired tasks</strong> to <code>1</code>.</li>\n</ol>"),
        "steps 5-6, numbered from 5:\n{resize}"
    );
    let service = page("service.html");
    assert!(service.contains("choose <code>responderapi-task</code>, then choose"));
    assert!(service.contains("choose <strong>AWS Fargate</strong>."));
    assert!(!service.contains("{{#"), "no directive reaches the site");
    let intro = page("introduction.html");
    assert!(intro.contains("Its task runs with .5 vCPU and 1 GB of memory\n(<code>512</code> CPU units, <code>1024</code> MiB)"));
}

#[test]
fn every_kind_of_drift_is_caught_with_its_exact_diagnostic() {
    let (code, shorts) = check_shorts(&fixture("procedures/drift"));
    assert_eq!(
        shorts,
        [
            "src/service-again.md:3:1: warning[procedures::near-duplicate]: these steps nearly repeat the steps at src/service.md:3:1 (11 of 12 the same); they part at step 9",
            "src/service-again.md:18:1: warning[procedures::duplicate]: these 8 steps repeat the steps at src/procedures/create-service.md:1:1",
            "src/service-again.md:29:1: warning[procedures::near-duplicate]: these steps nearly repeat the steps at src/procedures/create-service.md:1:1 (7 of 8 the same); they part at step 6",
            "src/service-again.md:34:30: error[procedures::value-mismatch]: `2` disagrees with the template: 1",
            "src/task-definition.md:4:57: error[procedures::value-mismatch]: `responderapi_task` disagrees with the template: responderapi-task",
            "src/task-definition.md:5:39: error[procedures::value-mismatch]: `Linux ARM64` is not an OS/architecture the console offers: Linux/X86_64 or Linux/ARM64",
            "src/task-definition.md:6:43: error[procedures::value-mismatch]: `1 vCPU` disagrees with the template: .5 vCPU (512 CPU units)",
            "src/task-definition.md:6:69: error[procedures::value-mismatch]: `3 GB` disagrees with the template: 1 GB (1024 MiB)",
            "src/task-definition.md:7:52: error[procedures::value-mismatch]: `ecsTaskExecutionRole` disagrees with the template: ResponderAPIECSTaskExecutionRole",
            "src/task-definition.md:8:53: error[procedures::value-mismatch]: `80` disagrees with the template: 8080",
            "src/task-definition.md:9:56: error[procedures::value-mismatch]: `/sbin/healthcheck --url=http://localhost:8080/healthcheck` disagrees with the template: CMD, /sbin/healthcheck, --url=http://localhost:8080/healthcheck",
            "src/task-definition.md:10:1: error[procedures::numbering]: step number 9 follows 7: step 8 is missing",
            "src/task-definition.md:11:1: error[procedures::numbering]: step number 9 repeats the one before",
            "src/task-definition.md:13:33: error[procedures::value-mismatch]: log group `/ecs/responderapi_task` is not the task definition's `/ecs/responderapi-task`",
            "src/task-definition.md:13:78: error[procedures::missing-step]: \"step 12\" refers to step 12, but the steps here are 1-9",
            "src/update.md:3:1: error[procedures::unknown-procedure]: unknown procedure `create-servise` (known: create-service)",
            "src/update.md:5:1: error[procedures::bad-range]: bad range for procedure `create-service`: it has steps 1-8",
            "src/update.md:7:13: error[procedures::unknown-value]: unknown value `task.cpus`",
        ]
    );
    assert_eq!(code, 1);
}

#[test]
fn a_near_duplicate_shows_both_copies_and_the_first_difference_side_by_side() {
    let report = report(&fixture("procedures/drift"));
    let near = diagnostic_with_code(&report, "procedures::near-duplicate", 0);
    assert_eq!(
        related(near),
        [
            "src/service.md:3:1: the other copy",
            "src/service-again.md:11:1: step 9 here: Set Desired tasksto 1",
            "src/service.md:12:1: step 9 there: Set Desired tasks to 1",
        ]
    );
    assert_eq!(
        near["hint"],
        "single-source it: write the steps once in src/procedures/NAME.md and show them with `{{#procedure NAME}}` in both places"
    );
    let against_procedure = diagnostic_with_code(&report, "procedures::near-duplicate", 1);
    assert_eq!(
        related(against_procedure),
        [
            "src/procedures/create-service.md:1:1: the other copy",
            "src/service-again.md:34:1: step 6 here: Set Desired tasks to 2.",
            "src/procedures/create-service.md:6:1: step 6 there: Set Desired tasks to 1.",
        ]
    );
    assert_eq!(
        against_procedure["hint"],
        "single-source it: write `{{#procedure create-service}}` here (or a range such as `{{#procedure create-service 2-4}}`)"
    );
}

#[test]
fn a_wrong_value_names_the_template_field() {
    let report = report(&fixture("procedures/drift"));
    let fields: Vec<Vec<String>> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "procedures::value-mismatch")
        .map(related)
        .collect();
    assert_eq!(
        fields,
        [
            ["templates/responderapi-stack.json:289:9: the template's `DesiredCount`"],
            ["templates/task-definition.json:2:3: the template's `family`"],
            ["templates/task-definition.json:9:3: the template's `runtimePlatform`"],
            ["templates/task-definition.json:7:3: the template's `cpu`"],
            ["templates/task-definition.json:8:3: the template's `memory`"],
            ["templates/task-definition.json:13:3: the template's `executionRoleArn`"],
            ["templates/task-definition.json:23:11: the template's `containerPort`"],
            ["templates/task-definition.json:30:9: the template's `command`"],
            ["templates/task-definition.json:43:11: the template's `awslogs-group`"],
        ]
    );
    let cpu = diagnostic_with_code(&report, "procedures::value-mismatch", 3);
    assert_eq!(
        cpu["hint"],
        "write `{{#value task.cpu}}` so the step shows the template's value"
    );
    // The platform hint names the architectures the release facts ship.
    let platform = diagnostic_with_code(&report, "procedures::value-mismatch", 2);
    assert_eq!(
        platform["hint"],
        "write `{{#console-platform amd64}}` or `{{#console-platform arm64}}`"
    );
}

#[test]
fn the_console_platforms_come_from_the_release_facts() {
    let book = copy_dir(&fixture("procedures/drift"));
    // Ship amd64 only: the second architecture table goes.
    let toml = std::fs::read_to_string(book.path().join("book.toml")).unwrap();
    let cut = toml
        .rfind("[[preprocessor.image-uri.architectures]]")
        .unwrap();
    let rest = &toml[cut..];
    let end = rest.find("\n\n").map_or(toml.len(), |e| cut + e);
    std::fs::write(
        book.path().join("book.toml"),
        format!("{}{}", &toml[..cut], &toml[end..]),
    )
    .unwrap();
    let report = report(book.path());
    let platform = diagnostic_with_code(&report, "procedures::value-mismatch", 2);
    assert_eq!(
        platform["message"],
        "`Linux ARM64` is not an OS/architecture the console offers: Linux/X86_64"
    );
    assert_eq!(platform["hint"], "write `{{#console-platform amd64}}`");
}

#[test]
fn unknown_names_and_keys_suggest_the_closest() {
    let report = report(&fixture("procedures/drift"));
    let procedure = diagnostic_with_code(&report, "procedures::unknown-procedure", 0);
    assert_eq!(
        procedure["hint"],
        "did you mean `{{#procedure create-service}}`?"
    );
    let value = diagnostic_with_code(&report, "procedures::unknown-value", 0);
    assert_eq!(value["hint"], "did you mean `task.cpu`?");
}

#[test]
fn templates_that_disagree_name_both_places() {
    let book = copy_dir(&fixture("procedures/clean"));
    edit(
        book.path(),
        "templates/responderapi-stack.json",
        "\"Cpu\": \"512\"",
        "\"Cpu\": \"256\"",
    );
    edit(
        book.path(),
        "policies/task-role-policy.json",
        "\"Action\": \"aws-marketplace:RegisterUsage\"",
        "\"Action\": \"aws-marketplace:MeterUsage\"",
    );
    let (code, shorts) = check_shorts(book.path());
    assert_eq!(
        shorts,
        [
            "templates/responderapi-stack.json:164:19: error[procedures::templates-disagree]: the stack has \"aws-marketplace:RegisterUsage\" where policies/task-role-policy.json has \"aws-marketplace:MeterUsage\"",
            "templates/responderapi-stack.json:215:9: error[procedures::templates-disagree]: the stack has \"256\" where templates/task-definition.json has \"512\"",
        ]
    );
    assert_eq!(code, 1);
    let report = report(book.path());
    let places: Vec<Vec<String>> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(related)
        .collect();
    assert_eq!(
        places,
        [
            ["policies/task-role-policy.json:7:7: the other template"],
            ["templates/task-definition.json:7:3: the other template"],
        ]
    );
}

#[test]
fn a_policy_the_stack_has_but_policies_lacks_is_an_error() {
    let book = copy_dir(&fixture("procedures/clean"));
    std::fs::remove_file(book.path().join("policies/execution-role-trust.json")).unwrap();
    let (code, shorts) = check_shorts(book.path());
    assert_eq!(
        shorts,
        [
            "templates/responderapi-stack.json:56:9: error[procedures::templates-disagree]: the stack's ExecutionRole has this policy but there is no policies/execution-role-trust.json"
        ]
    );
    assert_eq!(code, 1);
}

#[test]
fn a_task_size_fargate_does_not_offer_fails_in_the_template_and_in_the_steps() {
    let book = copy_dir(&fixture("procedures/clean"));
    for file in [
        "templates/task-definition.json",
        "templates/responderapi-stack.json",
    ] {
        edit(book.path(), file, "\"1024\"", "\"512\"");
    }
    let (code, shorts) = check_shorts(book.path());
    assert_eq!(
        shorts,
        [
            "src/task-definition.md:8:66: error[procedures::value-mismatch]: `1 GB` disagrees with the template: .5 GB (512 MiB)",
            "templates/responderapi-stack.json:216:19: error[aws::fargate]: Fargate has no task size of 512 CPU units with 512 MiB",
            "templates/task-definition.json:8:13: error[aws::fargate]: Fargate has no task size of 512 CPU units with 512 MiB",
        ]
    );
    assert_eq!(code, 1);
}

#[test]
fn a_log_group_that_is_not_the_familys_fails_in_the_template() {
    let book = copy_dir(&fixture("procedures/clean"));
    for file in [
        "templates/task-definition.json",
        "templates/responderapi-stack.json",
    ] {
        let path = book.path().join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(
            &path,
            text.replace("\"responderapi-task\"", "\"responderapi_task\""),
        )
        .unwrap();
    }
    let (_, shorts) = check_shorts(book.path());
    assert!(
        shorts.contains(&"templates/task-definition.json:43:11: error[procedures::template-value]: log group `/ecs/responderapi-task` is not `/ecs/responderapi_task`, the family's group".to_string()),
        "{shorts:#?}"
    );
}

#[test]
fn arch_variants_may_differ_but_the_same_lists_outside_them_may_not() {
    let book = copy_dir(&fixture("procedures/clean"));
    for (directive, prose) in [
        ("{{#arch amd64}}", "On amd64:"),
        ("{{#arch arm64}}", "On arm64:"),
        ("{{#endarch}}", "That is all."),
    ] {
        edit(book.path(), "src/task-definition.md", directive, prose);
    }
    let (code, shorts) = check_shorts(book.path());
    assert_eq!(
        shorts,
        [
            "src/task-definition.md:32:1: warning[procedures::near-duplicate]: these steps nearly repeat the steps at src/task-definition.md:25:1 (3 of 4 the same); they part at step 3"
        ]
    );
    // A warning: CI, which denies warnings, stops it.
    assert_eq!(code, 0);
    let denied =
        responder_docs_tests::run(&["check", book.path().to_str().unwrap(), "--deny-warnings"]);
    assert_eq!(denied.code, 1);
}

#[test]
fn the_real_book_has_no_drift() {
    let book = copy_real_book();
    let (_, shorts) = check_shorts(book.path());
    let ours: Vec<&String> = shorts
        .iter()
        .filter(|s| s.contains("[procedures::"))
        .collect();
    assert_eq!(ours, Vec::<&String>::new());
}

#[test]
fn the_load_balancer_stack_is_checked_like_the_first() {
    let book = copy_real_book();
    edit(
        book.path(),
        "templates/responderapi-alb-stack.json",
        "\"Cpu\": \"512\"",
        "\"Cpu\": \"256\"",
    );
    edit(
        book.path(),
        "templates/responderapi-alb-stack.json",
        "\"Action\": \"aws-marketplace:RegisterUsage\"",
        "\"Action\": \"aws-marketplace:MeterUsage\"",
    );
    let (code, shorts) = check_shorts(book.path());
    assert_eq!(
        shorts,
        [
            "templates/responderapi-alb-stack.json:184:19: error[procedures::templates-disagree]: the stack has \"aws-marketplace:MeterUsage\" where policies/task-role-policy.json has \"aws-marketplace:RegisterUsage\"",
            // The AWS permission check sees the same edit from the task's side.
            "templates/responderapi-alb-stack.json:184:29: warning[aws::unneeded-permission]: the task role `TaskRole` allows `aws-marketplace:MeterUsage`, which the task definition does not need",
            "templates/responderapi-alb-stack.json:269:9: error[procedures::templates-disagree]: the stack has \"256\" where templates/task-definition.json has \"512\"",
            "templates/responderapi-alb-stack.json:283:24: error[aws::missing-permission]: the task role `TaskRole` does not allow `aws-marketplace:RegisterUsage` on `*`, which `TaskRoleArn` needs",
        ]
    );
    assert_eq!(code, 1);
}

#[test]
fn the_original_drafts_drift_is_caught() {
    let (code, shorts) = check_shorts(&fixture("procedures/draft"));
    assert_eq!(
        shorts,
        [
            "src/draft.md:28:1: error[links::missing-file]: `ecsTaskExecutionRolePolicy.json` does not exist",
            "src/draft.md:34:1: error[links::missing-file]: `ResponderAPIECSTaskRolePolicy.json` does not exist",
            "src/draft.md:47:72: error[procedures::value-mismatch]: `responderapi_task` disagrees with the template: responderapi-task",
            "src/draft.md:49:82: error[procedures::value-mismatch]: `Linux ARM64` is not an OS/architecture the console offers: Linux/X86_64 or Linux/ARM64",
            "src/draft.md:60:52: error[procedures::value-mismatch]: `ecsTaskExecutionRole` disagrees with the template: ResponderAPIECSTaskExecutionRole",
            "src/draft.md:65:56: error[procedures::value-mismatch]: `/sbin/healthcheck --url=http://localhost:8080/healthcheck` disagrees with the template: CMD, /sbin/healthcheck, --url=http://localhost:8080/healthcheck",
            "src/draft.md:144:111: error[links::missing-file]: `ResponderAPIECSTaskRolePolicy.json` does not exist",
            "src/draft.md:209:1: warning[procedures::near-duplicate]: these steps nearly repeat the steps at src/draft.md:105:1 (11 of 12 the same); they part at step 9",
        ]
    );
    assert_eq!(code, 1);
}

#[test]
fn numbering_runs_across_procedure_includes() {
    // The real book's steps continue after `{{#procedure open-ecs-console}}`
    // (steps 1-2): a skip and then a repeat after it is caught as in a plain list.
    let book = copy_real_book();
    edit(
        book.path(),
        "src/task-definition.md",
        "5. Under **Infrastructure",
        "6. Under **Infrastructure",
    );
    let (code, shorts) = check_shorts(book.path());
    let numbering: Vec<&String> = shorts
        .iter()
        .filter(|s| s.contains("[procedures::numbering]"))
        .collect();
    assert_eq!(
        numbering,
        [
            "src/task-definition.md:41:1: error[procedures::numbering]: step number 6 follows 4: step 5 is missing",
            "src/task-definition.md:44:1: error[procedures::numbering]: step number 6 repeats the one before",
        ]
    );
    assert_eq!(code, 1);
}

#[test]
fn numbering_runs_across_procedure_ranges() {
    let resize = |steps: &str| {
        let book = copy_dir(&fixture("procedures/clean"));
        edit(
            book.path(),
            "src/resize.md",
            "To run more tasks, follow steps 5-6 again:\n\n{{#procedure create-service 5-6}}\n",
            steps,
        );
        let (_, shorts) = check_shorts(book.path());
        shorts
    };
    // Steps written around a range continue its numbers (5-6, from the procedure).
    let clean = "To run more tasks:\n\n1. Open the cluster.\n2. Choose **Services**.\n3. Select the service.\n4. Choose **Update**.\n{{#procedure create-service 5-6}}\n7. Choose **Update** again.\n";
    assert_eq!(resize(clean), Vec::<String>::new());
    // Too few steps before the range: reported at the directive, where the gap is.
    let before = "To run more tasks:\n\n1. Open the cluster.\n2. Choose **Services**.\n{{#procedure create-service 5-6}}\n7. Choose **Update** again.\n";
    assert_eq!(
        resize(before),
        [
            "src/resize.md:7:1: error[procedures::numbering]: step number 5 follows 2: steps 3-4 are missing"
        ]
    );
    // A skip after the range: reported at the step that skips.
    let after = clean.replace("7. Choose", "8. Choose");
    assert_eq!(
        resize(&after),
        [
            "src/resize.md:10:1: error[procedures::numbering]: step number 8 follows 6: step 7 is missing"
        ]
    );
}

#[test]
fn a_template_syntax_error_is_reported_once_at_its_comma_with_the_uses_it_blocks() {
    let book = copy_real_book();
    edit(
        book.path(),
        "templates/task-definition.json",
        "\"cpu\": \"512\",",
        "\"cpu\": \"512\",,",
    );
    let (code, shorts) = check_shorts(book.path());
    assert_eq!(
        shorts,
        [
            "templates/task-definition.json:7:15: error[procedures::template-invalid]: templates/task-definition.json is not valid JSON: a stray comma: no entry follows it; it blocks 81 `{{#value}}` uses"
        ]
    );
    assert_eq!(code, 1);
}

#[test]
fn steps_on_other_forms_raise_nothing_and_a_line_can_be_allowed() {
    let book = copy_real_book();
    let chapter = book.path().join("src/update.md");
    let mut text = std::fs::read_to_string(&chapter).unwrap();
    let first_new_line = text.lines().count() + 1;
    text.push_str(
        "\n## Pause the service\n\n\
         1. Open the service and choose **Update service**.\n\
         2. Set **Desired tasks** to `0`.\n\n\
         ## Alarm on a busy service\n\n\
         1. In CloudWatch, create an alarm on the service.\n\
         2. Set **CPU** above **80** percent.\n\n\
         ## Put a load balancer in front\n\n\
         1. For the listener, set **Protocol** to **HTTPS**.\n\
         2. In the load balancer's security group, set **Port range** to `443`.\n\
         3. For the health check, set **Protocol** to **HTTP**.\n\n\
         ## Start over\n\n\
         1. Choose **Create service**.\n\
         2. Set **Desired tasks** to `2`.\n\
         3. Set **Desired tasks** to `3` for a load test. <!-- allow value-mismatch -->\n",
    );
    std::fs::write(&chapter, text).unwrap();
    let (_, shorts) = check_shorts(book.path());
    let ours: Vec<&String> = shorts
        .iter()
        .filter(|s| s.contains("[procedures::"))
        .collect();
    let line = first_new_line + 20;
    assert_eq!(
        ours,
        [&format!(
            "src/update.md:{line}:30: error[procedures::value-mismatch]: `2` disagrees with the template: 1"
        )]
    );
    // Without the comment, the allowed line is a finding like any other.
    let text = std::fs::read_to_string(&chapter).unwrap();
    std::fs::write(&chapter, text.replace(" <!-- allow value-mismatch -->", "")).unwrap();
    let (_, shorts) = check_shorts(book.path());
    let allowed = format!(
        "src/update.md:{}:30: error[procedures::value-mismatch]: `3` disagrees with the template: 1",
        line + 1
    );
    assert!(shorts.contains(&allowed), "{shorts:#?}");
}
