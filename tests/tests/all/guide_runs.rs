//! The guide runs: each deployment path's shell blocks, as the book renders
//! them for one architecture, run in one bash session against a local
//! `moto_server`, with the outputs the guide promises and the state after
//! each chapter checked. A change that breaks the sequence fails at the
//! block that broke. The reader's session runs as an IAM user that holds
//! the guide's deployer policy alone, so a command the policy does not allow
//! fails too.
//!
//! The runs need `moto_server` and `aws` (PyPI `moto[server]` and `awscli`):
//! they are ignored by default, and `.ci/run` installs the tools, sets
//! `RESPONDER_DOCS_VENV` and runs them with `--ignored`.

use responder_docs_tests::runbook::guide::{self, Book, Report};
use responder_docs_tests::runbook::session::Tools;
use responder_docs_tests::{copy_real_book, repo_root};
use std::path::Path;

/// The emulator and the CLI. A run asked for without them fails: it is
/// ignored unless asked for.
fn tools() -> Tools {
    Tools::find().unwrap_or_else(|why| {
        panic!(
            "{why}: pip install 'moto[server]' awscli in a virtual environment and name it in RESPONDER_DOCS_VENV (.ci/run does)"
        )
    })
}

fn run(root: &Path, scenario: &str, arch: &str, tools: &Tools) -> Result<Report, String> {
    let book = Book::render(root, arch)?;
    guide::run(&book, guide::scenario(scenario), tools)
}

/// Runs a scenario on the real book and prints its figures.
fn passes(scenario: &str, arch: &str) {
    let report = run(&repo_root(), scenario, arch, &tools())
        .unwrap_or_else(|why| panic!("the {scenario} path on {arch} broke:\n{why}"));
    let paths: Vec<String> = report
        .per_path
        .iter()
        .map(|(path, n, stood)| format!("{path} {n} ({stood} stood in)"))
        .collect();
    eprintln!(
        "figures: {scenario} on {arch}: {} blocks run, {} stood in, {:.1} s; {}; stood in: {}",
        report.blocks,
        report.stood_in.len(),
        report.seconds,
        paths.join(", "),
        report.stood_in.join(", "),
    );
    assert!(report.blocks > report.stood_in.len());
}

/// amd64: the CLI path, its update, the load balancer and the clean-up of both.
#[test]
#[ignore = "needs moto_server and aws (RESPONDER_DOCS_VENV)"]
fn the_cli_path_with_update_load_balancer_and_cleanup_runs_on_amd64() {
    passes("alb-cli", "amd64");
}

#[test]
#[ignore = "needs moto_server and aws (RESPONDER_DOCS_VENV)"]
fn the_cli_path_with_update_and_cleanup_runs_on_arm64() {
    passes("cli", "arm64");
}

/// arm64: the stack, then the load balancer stack, then its deletion (amd64's
/// stack runs in the clean-up mutation below, up to its last block).
#[test]
#[ignore = "needs moto_server and aws (RESPONDER_DOCS_VENV)"]
fn the_stack_with_its_load_balancer_deploys_and_is_deleted_on_arm64() {
    passes("alb-cloudformation", "arm64");
}

/// Without the emulator too: the markers are well placed and every path a
/// run needs has blocks, for both architectures.
#[test]
fn the_books_run_markers_are_usable_and_cover_the_required_paths() {
    for arch in ["amd64", "arm64"] {
        let book = Book::render(&repo_root(), arch).unwrap_or_else(|e| panic!("{arch}: {e}"));
        for scenario in guide::SCENARIOS.iter().map(|s| s.name) {
            for path in guide::scenario(scenario).paths {
                let blocks = responder_docs_tests::runbook::path_blocks(&book.fences, path);
                assert!(!blocks.is_empty(), "{arch}: no block for path `{path}`");
            }
        }
        let deploy = book
            .fences
            .iter()
            .find(|f| f.code.contains("aws cloudformation deploy") && !f.paths.is_empty())
            .expect("a deploy block");
        assert!(
            deploy.code.contains(&format!("-{arch} ")),
            "{arch}: {}",
            deploy.code
        );
    }
}

/// The real book with one file edited; the edit must change something.
fn mutated(file: &str, from: &str, to: &str) -> tempfile::TempDir {
    let dir = copy_real_book();
    let path = dir.path().join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} has no `{from}`");
    std::fs::write(&path, text.replace(from, to)).unwrap();
    dir
}

/// How a scenario on amd64 fails: the first line names the block.
/// The book is rendered whatever `check` finds in it (the static checks
/// catch several of these mutations too): the run must fail on its own.
fn fails_at(root: &Path, scenario: &str) -> String {
    let book = Book::render_despite_problems(root, "amd64").unwrap();
    let err = guide::run(&book, guide::scenario(scenario), &tools())
        .expect_err("the broken sequence must fail");
    eprintln!("{err}");
    err
}

fn line_of(file: &str, needle: &str) -> usize {
    let text = std::fs::read_to_string(repo_root().join(file)).unwrap();
    text.lines().position(|l| l.contains(needle)).expect(needle) + 1
}

#[test]
#[ignore = "needs moto_server and aws (RESPONDER_DOCS_VENV)"]
fn a_role_renamed_in_one_chapter_fails_where_the_chapter_shows_its_arn() {
    let book = mutated(
        "src/iam-roles.md",
        "ResponderAPIECSTaskRole",
        "ResponderAPITaskRole",
    );
    // `check` refuses the book: the deployer policy names the guide's role …
    let (code, found) = responder_docs_tests::check_shorts(book.path());
    assert_eq!(code, 1);
    assert!(
        found
            .iter()
            .any(|d| d.contains("error[aws::deployer-permission]")
                && d.contains(
                    "`iam:CreateRole` on `arn:aws:iam::111122223333:role/ResponderAPITaskRole`"
                )),
        "{found:?}"
    );
    // … and the run, on the book rendered regardless, fails where the chapter
    // shows the roles' ARNs.
    let rendered = Book::render_despite_problems(book.path(), "amd64").unwrap();
    let err = guide::run(&rendered, guide::scenario("cli"), &tools())
        .expect_err("the broken sequence must fail");
    let at = line_of(
        "src/iam-roles.md",
        "aws iam get-role --role-name ResponderAPIECSTaskExecutionRole",
    ) - 1;
    let first = err.lines().next().unwrap();
    assert_eq!(
        first,
        format!(
            "src/iam-roles.md:{at}: path `cli`: the ARNs of the roles the task definition names should print (arn:aws:iam::210987654321:role/ResponderAPIECSTaskExecutionRole, arn:aws:iam::210987654321:role/ResponderAPIECSTaskRole); it printed:"
        )
    );
    assert!(err.contains("role/ResponderAPITaskRole"), "{err}");
}

/// The real book with `logs:CreateLogGroup` dropped from the execution
/// role's policy and the stacks alike, so the templates still agree; the
/// task definition still needs it.
fn without_create_log_group() -> tempfile::TempDir {
    let book = copy_real_book();
    for file in [
        "policies/execution-role-policy.json",
        "templates/responderapi-stack.json",
        "templates/responderapi-alb-stack.json",
    ] {
        let path = book.path().join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        let kept: Vec<&str> = text
            .split_inclusive('\n')
            .filter(|l| !l.contains("\"logs:CreateLogGroup\","))
            .collect();
        assert_eq!(kept.len() + 1, text.split_inclusive('\n').count(), "{file}");
        std::fs::write(&path, kept.concat()).unwrap();
    }
    book
}

/// The AWS permission check refuses the book at the log group field …
#[test]
fn a_dropped_permission_is_refused_by_the_permission_check() {
    let book = without_create_log_group();
    let (code, found) = responder_docs_tests::check_shorts(book.path());
    assert_eq!(code, 1);
    assert!(
        found
            .iter()
            .any(|d| d.contains("error[aws::missing-permission]")
                && d.contains("`logs:CreateLogGroup`")),
        "{found:?}"
    );
}

/// … and the run, on the book rendered regardless, fails after the chapter.
#[test]
#[ignore = "needs moto_server and aws (RESPONDER_DOCS_VENV)"]
fn a_dropped_permission_fails_after_the_chapter_that_grants_it() {
    let book = without_create_log_group();
    let rendered = Book::render_despite_problems(book.path(), "amd64").unwrap();
    let err = guide::run(&rendered, guide::scenario("cli"), &tools())
        .expect_err("the broken sequence must fail");
    let at = line_of(
        "src/iam-roles.md",
        "aws iam get-role --role-name ResponderAPIECSTaskExecutionRole",
    ) - 1;
    assert_eq!(
        err,
        format!(
            "src/iam-roles.md:{at}: path `cli`: after this chapter's last block, role `ResponderAPIECSTaskExecutionRole` may not `logs:CreateLogGroup` on `arn:aws:logs:us-east-1:210987654321:log-group:/ecs/responderapi-task`, which the task definition needs"
        )
    );
}

#[test]
#[ignore = "needs moto_server and aws (RESPONDER_DOCS_VENV)"]
fn a_block_that_needs_the_internet_fails_unless_it_is_marked_stand_in() {
    let book = mutated(
        "src/security-group.md",
        "<!-- run: cli stand-in -->\n```bash\nVPC_ID",
        "<!-- run: cli -->\n```bash\nVPC_ID",
    );
    let err = fails_at(book.path(), "cli");
    let at = line_of(
        "src/security-group.md",
        "MY_IP=$(curl -s https://checkip.amazonaws.com)",
    );
    let mut lines = err.lines();
    assert_eq!(
        lines.next().unwrap(),
        format!(
            "src/security-group.md:{at}: path `cli`: `MY_IP=$(curl -s https://checkip.amazonaws.com)` exited with 1"
        )
    );
    assert_eq!(
        lines.next().unwrap(),
        "`curl -s https://checkip.amazonaws.com` needs a running task or the internet: mark the block `<!-- run: PATH stand-in -->`"
    );
}

#[test]
#[ignore = "needs moto_server and aws (RESPONDER_DOCS_VENV)"]
fn a_removed_cleanup_step_fails_at_the_end_of_the_cleanup() {
    let book = mutated(
        "src/cleanup.md",
        "aws cloudformation delete-stack --stack-name responderapi\naws cloudformation wait",
        "aws cloudformation describe-stacks --stack-name responderapi >/dev/null\naws cloudformation wait",
    );
    // The waiter would wait for a deletion that never comes: the book's wait
    // is replaced by a check that returns, so the end-of-path state speaks.
    let path = book.path().join("src/cleanup.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace(
            "aws cloudformation wait stack-delete-complete --stack-name responderapi",
            "aws cloudformation describe-stacks --stack-name responderapi --query 'Stacks[0].StackStatus'",
        ),
    )
    .unwrap();
    let err = fails_at(book.path(), "cloudformation");
    let at = line_of("src/cleanup.md", "<!-- run: cleanup-cloudformation -->") + 1;
    let first = err.lines().next().unwrap();
    assert!(
        first.starts_with(&format!(
            "src/cleanup.md:{at}: path `cleanup-cloudformation`: after its last block, the emulator still holds role `ResponderAPIECSTaskExecutionRole`, role `ResponderAPIECSTaskRole`, log group `/ecs/responderapi-task`, security group `sg-"
        )),
        "{err}"
    );
    assert!(
        first.ends_with("stack `responderapi` (CREATE_COMPLETE)"),
        "{err}"
    );
}

/// The deployer policy without `cloudformation:GetTemplateSummary`: the
/// first stack deploys (a new stack needs no summary), and the load balancer
/// stack over it is refused at its deploy command, as AWS refuses it.
#[test]
#[ignore = "needs moto_server and aws (RESPONDER_DOCS_VENV)"]
fn a_deployer_policy_without_get_template_summary_fails_the_second_stack() {
    let book = mutated(
        "policies/deployer-policy.json",
        "        \"cloudformation:GetTemplateSummary\",\n",
        "",
    );
    let err = fails_at(book.path(), "alb-cloudformation");
    let at = line_of(
        "src/load-balancer.md",
        "--template-file responderapi-alb-stack.json",
    ) - 1;
    let td = Book::render(&repo_root(), "amd64")
        .and_then(|b| b.task_definition())
        .unwrap();
    let image = td["containerDefinitions"][0]["image"].as_str().unwrap();
    assert_eq!(
        err,
        format!(
            "src/load-balancer.md:{at}: path `alb-cloudformation`: `aws cloudformation deploy --template-file responderapi-alb-stack.json --stack-name responderapi --capabilities CAPABILITY_NAMED_IAM --parameter-overrides ImageUri={image} CpuArchitecture=X86_64 VpcId=\"$VPC_ID\" SubnetIds=\"$SUBNET_IDS\" ClientCidr=\"$MY_IP/32\"` exited with 255\n\n\
             An error occurred (AccessDenied) when calling the GetTemplateSummary operation: User: arn:aws:iam::210987654321:user/responderapi-deployer is not authorized to perform: cloudformation:GetTemplateSummary"
        )
    );
}

/// The deployer policy without `ecs:CreateService` fails the CLI path where
/// the service is created.
#[test]
#[ignore = "needs moto_server and aws (RESPONDER_DOCS_VENV)"]
fn a_deployer_policy_without_create_service_fails_at_the_service() {
    let book = mutated(
        "policies/deployer-policy.json",
        "        \"ecs:CreateService\",\n",
        "",
    );
    let err = fails_at(book.path(), "cli");
    let at = line_of("src/service.md", "aws ecs create-service \\");
    // moto answers a JSON-protocol service's denial with its XML error body,
    // which the CLI shows as it is.
    assert_eq!(
        err,
        format!(
            "src/service.md:{at}: path `cli`: `aws ecs create-service --cluster responderapi-cluster --service-name responderapi-service --task-definition responderapi-task --desired-count 1 --launch-type FARGATE --platform-version LATEST --deployment-configuration \"deploymentCircuitBreaker={{enable=true,rollback=true}},maximumPercent=200,minimumHealthyPercent=100\" --network-configuration \"awsvpcConfiguration={{subnets=[$SUBNET_IDS],securityGroups=[$SG_ID],assignPublicIp=ENABLED}}\" --query 'service.status' --output text` exited with 255\n\n\
             An error occurred (403) when calling the CreateService operation: <?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
             <ErrorResponse><Errors><Error><Code>AccessDenied</Code><Message>User: arn:aws:iam::210987654321:user/responderapi-deployer is not authorized to perform: ecs:CreateService</Message><Type>Sender</Type></Error></Errors></ErrorResponse>"
        )
    );
}

/// amd64: the stack, the load balancer stack over it, the first stack again
/// (the way back the load balancer chapter gives), then its deletion.
#[test]
#[ignore = "needs moto_server and aws (RESPONDER_DOCS_VENV)"]
fn the_stack_swaps_to_its_load_balancer_and_back_and_is_deleted_on_amd64() {
    passes("alb-cloudformation-undo", "amd64");
}
