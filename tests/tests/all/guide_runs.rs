//! The guide runs: each deployment path's shell blocks, as the book renders
//! them for one architecture, run in one bash session against a local
//! `moto_server`, with the outputs the guide promises and the state after
//! each chapter checked. A change that breaks the sequence fails at the
//! block that broke. Needs `moto_server` and `aws` (PyPI `moto[server]`
//! and `awscli`; `.ci/run` installs them and sets `RESPONDER_DOCS_VENV`).

use responder_docs_tests::runbook::guide::{self, Book, Report};
use responder_docs_tests::runbook::session::Tools;
use responder_docs_tests::{copy_real_book, repo_root};
use std::path::Path;

/// The emulator and the CLI, or a notice and `None` (a failure in CI).
fn tools() -> Option<Tools> {
    match Tools::find() {
        Ok(tools) => Some(tools),
        Err(why) if std::env::var("CI").as_deref() == Ok("true") => {
            panic!("{why}: .ci/run installs moto[server] and awscli and sets RESPONDER_DOCS_VENV")
        }
        Err(why) => {
            eprintln!("skipping the guide run: {why} (pip install 'moto[server]' awscli)");
            None
        }
    }
}

fn run(root: &Path, scenario: &str, arch: &str, tools: &Tools) -> Result<Report, String> {
    let book = Book::render(root, arch)?;
    guide::run(&book, guide::scenario(scenario), tools)
}

/// Runs a scenario on the real book and prints its figures.
fn passes(scenario: &str, arch: &str) {
    let Some(tools) = tools() else { return };
    let report = run(&repo_root(), scenario, arch, &tools)
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
fn the_cli_path_with_update_load_balancer_and_cleanup_runs_on_amd64() {
    passes("alb-cli", "amd64");
}

#[test]
fn the_cli_path_with_update_and_cleanup_runs_on_arm64() {
    passes("cli", "arm64");
}

/// arm64: the stack, then the load balancer stack, then its deletion (amd64's
/// stack runs in the clean-up mutation below, up to its last block).
#[test]
fn the_stack_with_its_load_balancer_deploys_and_is_deleted_on_arm64() {
    passes("alb-cloudformation", "arm64");
}

/// Without the emulator too: the markers are well placed and every path a
/// run needs has blocks, for both architectures.
#[test]
fn the_books_run_markers_are_usable_and_cover_the_required_paths() {
    for arch in ["amd64", "arm64"] {
        let book = Book::render(&repo_root(), arch).unwrap_or_else(|e| panic!("{arch}: {e}"));
        for scenario in ["cli", "cloudformation", "alb-cli", "alb-cloudformation"] {
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

/// The first line of a failure, which names the block.
fn fails_at(root: &Path, scenario: &str) -> Option<String> {
    let tools = tools()?;
    let err = run(root, scenario, "amd64", &tools).expect_err("the broken sequence must fail");
    eprintln!("{err}");
    Some(err)
}

fn line_of(file: &str, needle: &str) -> usize {
    let text = std::fs::read_to_string(repo_root().join(file)).unwrap();
    text.lines().position(|l| l.contains(needle)).expect(needle) + 1
}

#[test]
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
    let Some(tools) = tools() else {
        return;
    };
    let rendered = Book::render_despite_problems(book.path(), "amd64").unwrap();
    let err = guide::run(&rendered, guide::scenario("cli"), &tools)
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

#[test]
fn a_dropped_permission_fails_after_the_chapter_that_grants_it() {
    // Dropped from the policy and the stacks alike, so the templates still
    // agree; the task definition still needs it.
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
    // The AWS permission check refuses the book at the log group field …
    let (code, found) = responder_docs_tests::check_shorts(book.path());
    assert_eq!(code, 1);
    assert!(
        found
            .iter()
            .any(|d| d.contains("error[aws::missing-permission]")
                && d.contains("`logs:CreateLogGroup`")),
        "{found:?}"
    );
    // … and the run, on the book rendered regardless, fails after the chapter.
    let Some(tools) = tools() else {
        return;
    };
    let rendered = Book::render_despite_problems(book.path(), "amd64").unwrap();
    let err = guide::run(&rendered, guide::scenario("cli"), &tools)
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
fn a_block_that_needs_the_internet_fails_unless_it_is_marked_stand_in() {
    let book = mutated(
        "src/security-group.md",
        "<!-- run: cli stand-in -->\n```bash\nVPC_ID",
        "<!-- run: cli -->\n```bash\nVPC_ID",
    );
    let Some(err) = fails_at(book.path(), "cli") else {
        return;
    };
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
    let Some(err) = fails_at(book.path(), "cloudformation") else {
        return;
    };
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
