//! Running this guide's paths: which paths make a run, what the guide
//! promises each block prints, and what the emulator must hold after a
//! chapter or at the end of a path.

use super::session::{self, ACCOUNT, Ended, Moto, REGION, Session, Tools, aws_json};
use super::{Fence, path_blocks};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The example account the policies carry, replaced by the reader's.
const EXAMPLE_ACCOUNT: &str = "111122223333";
const BLOCK_TIMEOUT: Duration = Duration::from_secs(180);

/// One reader's way through the guide: paths run one after another in the
/// same session; each must have blocks. The crate's checks read the same list.
pub type Scenario = responder_docs::model::run_paths::Sequence;

pub const SCENARIOS: &[Scenario] = responder_docs::model::run_paths::SEQUENCES;

pub fn scenario(name: &str) -> &'static Scenario {
    SCENARIOS
        .iter()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("no scenario {name}"))
}

/// The book as rendered for one architecture.
pub struct Book {
    pub root: PathBuf,
    pub arch: String,
    pub fences: Vec<Fence>,
}

impl Book {
    /// Runs every preprocessor in-process; any error in the book, or any
    /// marker the harness cannot use, is a failure.
    pub fn render(root: &Path, arch: &str) -> Result<Book, String> {
        Self::render_checked(root, arch, true)
    }

    /// [`Book::render`] that renders a book the validators refuse, to show
    /// that a run catches on its own what they catch too.
    pub fn render_despite_problems(root: &Path, arch: &str) -> Result<Book, String> {
        Self::render_checked(root, arch, false)
    }

    fn render_checked(root: &Path, arch: &str, checked: bool) -> Result<Book, String> {
        let (chapters, outcome) = responder_docs::pipeline::preprocess(root, &Default::default())
            .map_err(|e| format!("{e:#}"))?;
        if checked && outcome.failed {
            let found: Vec<String> = outcome
                .diagnostics
                .iter()
                .map(|d| format!("{d:?}"))
                .collect();
            return Err(format!("the book does not build:\n{}", found.join("\n")));
        }
        let mut fences = Vec::new();
        let mut problems = Vec::new();
        for ch in &chapters {
            let source = std::fs::read_to_string(root.join(&ch.path))
                .map_err(|e| format!("{}: {e}", ch.path))?;
            let (f, p) = super::fences(&ch.path, &source, &ch.content, arch);
            fences.extend(f);
            problems.extend(p);
        }
        if !problems.is_empty() {
            let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
            return Err(lines.join("\n"));
        }
        Ok(Book {
            root: root.to_path_buf(),
            arch: arch.into(),
            fences,
        })
    }

    /// The task definition as the book shows it for this architecture, with
    /// the reader's account and Region filled in.
    pub fn task_definition(&self) -> Result<Value, String> {
        let fence = self
            .fences
            .iter()
            .find(|f| {
                f.chapter.ends_with("task-definition.md")
                    && f.info == "json"
                    && f.code.contains("\"family\"")
            })
            .ok_or("the task definition chapter shows no task definition JSON")?;
        let text = fence
            .code
            .replace("${AWS::AccountId}", ACCOUNT)
            .replace("${AWS::Region}", REGION);
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", fence.at()))
    }

    fn policy(&self, name: &str) -> Result<Value, String> {
        let path = self.root.join("policies").join(format!("{name}.json"));
        let text = std::fs::read_to_string(&path).map_err(|e| format!("{name}.json: {e}"))?;
        serde_json::from_str(&text.replace(EXAMPLE_ACCOUNT, ACCOUNT))
            .map_err(|e| format!("{name}.json: {e}"))
    }
}

/// What one scenario run did.
#[derive(Debug, Default)]
pub struct Report {
    pub blocks: usize,
    /// Per path: blocks run, of which stood in.
    pub per_path: Vec<(String, usize, usize)>,
    /// `path:line` of every block run with stand-ins.
    pub stood_in: Vec<String>,
    pub seconds: f64,
}

/// Runs a scenario against a fresh emulator. `Err` names the block (chapter
/// and line) where the sequence broke and why.
pub fn run(book: &Book, scenario: &Scenario, tools: &Tools) -> Result<Report, String> {
    let started = Instant::now();
    let work = tempfile::tempdir().map_err(|e| e.to_string())?;
    downloads(&book.root, work.path())?;
    let moto = Moto::start(tools, &work.path().join(".moto.log"))?;
    let root = session::aws_env(tools, &moto, work.path());
    // The reader holds the deployer policy alone, as the guide has it.
    let policy = super::widen_resources(&book.policy("deployer-policy")?);
    let ids = session::identities(tools, &root, &policy)?;
    let mut shell = Session::start(work.path(), &ids.reader)?;
    let ctx = Ctx {
        book,
        tools,
        env: &ids.inspector,
    };
    let mut report = Report::default();
    for path in scenario.paths {
        let blocks = path_blocks(&book.fences, path);
        if blocks.is_empty() {
            return Err(format!("no block of the book is marked for path `{path}`"));
        }
        let stood_in = blocks.iter().filter(|b| b.stand_in).count();
        report
            .per_path
            .push((path.to_string(), blocks.len(), stood_in));
        for (i, block) in blocks.iter().enumerate() {
            let ran = shell.run(&block.code, block.stand_in, BLOCK_TIMEOUT);
            report.blocks += 1;
            if block.stand_in {
                report.stood_in.push(block.at());
            }
            let stderr = ran.stderr.trim_end();
            match &ran.ended {
                Ended::Ok => {}
                Ended::Failed {
                    status,
                    line,
                    command,
                } => {
                    return Err(format!(
                        "{}:{}: path `{path}`: `{command}` exited with {status}\n{stderr}",
                        block.chapter,
                        block.source_line(*line)
                    ));
                }
                Ended::TimedOut => {
                    return Err(format!(
                        "{}: path `{path}`: the block did not finish within {} s\n{stderr}",
                        block.at(),
                        BLOCK_TIMEOUT.as_secs()
                    ));
                }
                Ended::Lost => {
                    return Err(format!(
                        "{}: path `{path}`: the shell exited\n{stderr}",
                        block.at()
                    ));
                }
            }
            let at = |why: String| format!("{}: path `{path}`: {why}", block.at());
            expect(&ctx, block, &ran.stdout).map_err(at)?;
            let chapter_ends = blocks.get(i + 1).is_none_or(|b| b.chapter != block.chapter);
            if chapter_ends {
                after_chapter(&ctx, path, &block.chapter)
                    .map_err(|why| at(format!("after this chapter's last block, {why}")))?;
            }
        }
        let last = blocks.last().expect("not empty");
        after_path(&ctx, path)
            .map_err(|why| format!("{}: path `{path}`: after its last block, {why}", last.at()))?;
    }
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// The files the guide has the reader download into the working folder:
/// the policies and templates, as the site serves them.
fn downloads(root: &Path, work: &Path) -> Result<(), String> {
    for dir in ["src/policies", "src/templates"] {
        let entries = std::fs::read_dir(root.join(dir)).map_err(|e| format!("{dir}: {e}"))?;
        for entry in entries.map_while(Result::ok) {
            let path = entry.path();
            if path.extension().is_some_and(|x| x == "json") {
                std::fs::copy(&path, work.join(entry.file_name()))
                    .map_err(|e| format!("{}: {e}", path.display()))?;
            }
        }
    }
    Ok(())
}

struct Ctx<'a> {
    book: &'a Book,
    tools: &'a Tools,
    env: &'a [(String, String)],
}

impl Ctx<'_> {
    fn aws(&self, args: &[&str]) -> Result<Value, String> {
        aws_json(self.tools, self.env, args)
    }
}

fn chapter_is(chapter: &str, name: &str) -> bool {
    chapter.rsplit('/').next() == Some(name)
}

/// The roles the task definition names, with their policy files.
fn roles(book: &Book) -> Result<Vec<(String, &'static str, &'static str)>, String> {
    let td = book.task_definition()?;
    [
        (
            "executionRoleArn",
            "execution-role-trust",
            "execution-role-policy",
        ),
        ("taskRoleArn", "task-role-trust", "task-role-policy"),
    ]
    .into_iter()
    .map(|(key, trust, policy)| {
        let arn = td[key]
            .as_str()
            .ok_or_else(|| format!("the task definition has no {key}"))?;
        let name = arn.rsplit('/').next().unwrap_or(arn).to_string();
        Ok((name, trust, policy))
    })
    .collect()
}

/// What the guide says a block prints.
fn expect(ctx: &Ctx, block: &Fence, stdout: &str) -> Result<(), String> {
    let chapter = block.chapter.as_str();
    let has = |s: &str| block.code.contains(s);
    let lines: Vec<&str> = stdout.lines().collect();
    let printed = || format!("it printed:\n{stdout}");
    if chapter_is(chapter, "introduction.md") && has("get-caller-identity") {
        if lines != [ACCOUNT] {
            return Err(format!("the account ID should print, {}", printed()));
        }
    } else if chapter_is(chapter, "iam-roles.md") && has("grep -c") {
        // The count of lines that carry the account, per policy copy.
        let mut want = Vec::new();
        for name in [
            "execution-role-policy",
            "execution-role-trust",
            "task-role-policy",
            "task-role-trust",
        ] {
            let text = std::fs::read_to_string(ctx.book.root.join(format!("policies/{name}.json")))
                .map_err(|e| e.to_string())?;
            let n = text.lines().filter(|l| l.contains(EXAMPLE_ACCOUNT)).count();
            want.push(format!("{name}.mine.json:{n}"));
        }
        if lines != want {
            return Err(format!("`grep -c` should print {want:?}; {}", printed()));
        }
    } else if chapter_is(chapter, "iam-roles.md") && has("get-role") {
        let want: Vec<String> = roles(ctx.book)?
            .iter()
            .map(|(name, ..)| format!("arn:aws:iam::{ACCOUNT}:role/{name}"))
            .collect();
        if lines != want {
            return Err(format!(
                "the ARNs of the roles the task definition names should print ({}); {}",
                want.join(", "),
                printed()
            ));
        }
    } else if chapter_is(chapter, "cluster.md") && has("create-cluster") {
        if !stdout.contains("\"status\": \"ACTIVE\"") {
            return Err(format!(
                "`\"status\": \"ACTIVE\"` should print; {}",
                printed()
            ));
        }
    } else if chapter_is(chapter, "task-definition.md") && has("register-task-definition") {
        // `grep -c` first, in the same block.
        let arn = if has("grep -c") {
            if lines.first() != Some(&"0") {
                return Err(format!("`0` should print first; {}", printed()));
            }
            &lines[1..]
        } else {
            &lines[..]
        };
        revision_arn(arn, 1)?;
    } else if chapter_is(chapter, "update.md") && has("register-task-definition") {
        revision_arn(&lines, 2)?;
    } else if chapter_is(chapter, "service.md") && has("create-service") {
        if lines != ["ACTIVE"] {
            return Err(format!("`ACTIVE` should print; {}", printed()));
        }
    } else if (chapter_is(chapter, "cloudformation.md") || chapter_is(chapter, "load-balancer.md"))
        && has("cloudformation deploy")
    {
        let want = "Successfully created/updated stack - responderapi";
        if lines.last() != Some(&want) {
            return Err(format!("`{want}` should print last; {}", printed()));
        }
    }
    Ok(())
}

fn revision_arn(lines: &[&str], revision: u32) -> Result<(), String> {
    let want = format!("task-definition/responderapi-task:{revision}");
    match lines {
        [arn]
            if arn.starts_with(&format!("arn:aws:ecs:{REGION}:{ACCOUNT}:"))
                && arn.ends_with(&want) =>
        {
            Ok(())
        }
        _ => Err(format!(
            "an ARN ending in `{want}` should print; it printed:\n{}",
            lines.join("\n")
        )),
    }
}

/// The state a chapter leaves.
fn after_chapter(ctx: &Ctx, path: &str, chapter: &str) -> Result<(), String> {
    match chapter.rsplit('/').next().unwrap_or(chapter) {
        "iam-roles.md" => check_roles(ctx),
        "cluster.md" => check_cluster(ctx),
        "security-group.md" => check_security_group(ctx),
        "task-definition.md" => {
            check_log_group(ctx)?;
            check_task_definition(ctx, 1)
        }
        "service.md" => check_service(ctx, 1),
        "update.md" if path == "update" => check_service(ctx, 2),
        "cloudformation.md" if path == "cloudformation" => check_stack(ctx),
        "load-balancer.md" if path == "alb-cli" => check_load_balancer(ctx, true),
        // The roles, cluster, log group and task definition were checked
        // after the first stack; an update changes the network alone.
        "load-balancer.md" if path == "alb-cloudformation" => {
            stack_status(ctx, "UPDATE_COMPLETE")?;
            check_load_balancer(ctx, true)
        }
        "load-balancer.md" if path == "alb-cloudformation-undo" => {
            stack_status(ctx, "UPDATE_COMPLETE")?;
            check_load_balancer(ctx, false)?;
            check_security_group(ctx)
        }
        _ => Ok(()),
    }
}

/// The state a path leaves.
fn after_path(ctx: &Ctx, path: &str) -> Result<(), String> {
    match path {
        "cleanup-cli" => nothing_left(ctx, true),
        // moto 5 deletes a stack's IAM, logs, EC2 and load balancer
        // resources but leaves its ECS cluster, service, task definition and
        // target group behind.
        "cleanup-cloudformation" => nothing_left(ctx, false),
        _ => Ok(()),
    }
}

fn check_roles(ctx: &Ctx) -> Result<(), String> {
    for (role, trust, policy) in roles(ctx.book)? {
        let got = ctx
            .aws(&["iam", "get-role", "--role-name", &role])
            .map_err(|_| {
                format!("role `{role}`, which the task definition names, does not exist")
            })?;
        same(
            &document(&got["Role"]["AssumeRolePolicyDocument"]),
            &ctx.book.policy(trust)?,
            &format!("the trust policy of `{role}`"),
            &format!("policies/{trust}.json"),
        )?;
        let names = ctx.aws(&["iam", "list-role-policies", "--role-name", &role])?;
        let want = format!("{role}Policy");
        if names["PolicyNames"] != serde_json::json!([want]) {
            return Err(format!(
                "role `{role}` should have one inline policy `{want}`; it has {}",
                names["PolicyNames"]
            ));
        }
        let doc = ctx.aws(&[
            "iam",
            "get-role-policy",
            "--role-name",
            &role,
            "--policy-name",
            &want,
        ])?;
        let allowed = ctx.book.policy(policy)?;
        let doc = document(&doc["PolicyDocument"]);
        same(
            &doc,
            &allowed,
            &format!("the inline policy of `{role}`"),
            &format!("policies/{policy}.json"),
        )?;
        for (action, resource) in needs(ctx.book, policy)? {
            if !super::policy_allows(&doc, &action, &resource) {
                return Err(format!(
                    "role `{role}` may not `{action}` on `{resource}`, which the task definition needs"
                ));
            }
        }
    }
    Ok(())
}

/// What ECS and ResponderAPI do with each role, from the task definition.
fn needs(book: &Book, policy: &str) -> Result<Vec<(String, String)>, String> {
    let td = book.task_definition()?;
    let container = &td["containerDefinitions"][0];
    let image = container["image"].as_str().unwrap_or_default();
    let options = &container["logConfiguration"]["options"];
    let group = options["awslogs-group"].as_str().unwrap_or_default();
    let log_group = format!("arn:aws:logs:{REGION}:{ACCOUNT}:log-group:{group}");
    let mut needs = Vec::new();
    if policy == "execution-role-policy" {
        // registry/repo:tag → arn:aws:ecr:REGION:ACCOUNT:repository/repo
        if let Some((host, rest)) = image.split_once('/') {
            let account = host.split('.').next().unwrap_or_default();
            let region = host.split('.').nth(3).unwrap_or_default();
            let repo = rest.split(':').next().unwrap_or(rest);
            let arn = format!("arn:aws:ecr:{region}:{account}:repository/{repo}");
            needs.push(("ecr:GetAuthorizationToken".into(), "*".into()));
            needs.push(("ecr:BatchGetImage".into(), arn.clone()));
            needs.push(("ecr:GetDownloadUrlForLayer".into(), arn));
        }
        if options["awslogs-create-group"] == "true" {
            needs.push(("logs:CreateLogGroup".into(), log_group.clone()));
        }
        let stream = format!("{log_group}:log-stream:ecs/responderapi/0123");
        needs.push(("logs:CreateLogStream".into(), stream.clone()));
        needs.push(("logs:PutLogEvents".into(), stream));
    } else if policy == "task-role-policy" {
        needs.push(("aws-marketplace:RegisterUsage".into(), "*".into()));
    }
    Ok(needs)
}

/// A policy document as the emulator returns it. For a role made by a stack,
/// moto 5 returns the inline policy as a Python literal in a string (single
/// quotes); the CLI path's come back as JSON.
fn document(v: &Value) -> Value {
    match v {
        Value::String(text) => serde_json::from_str(text)
            .or_else(|_| serde_json::from_str(&text.replace('\'', "\"")))
            .unwrap_or_else(|_| v.clone()),
        _ => v.clone(),
    }
}

fn same(got: &Value, want: &Value, what: &str, file: &str) -> Result<(), String> {
    if got == want {
        return Ok(());
    }
    Err(format!(
        "{what} differs from {file} with the account filled in:\n  emulator: {got}\n  file:     {want}"
    ))
}

fn check_cluster(ctx: &Ctx) -> Result<(), String> {
    let got = ctx.aws(&[
        "ecs",
        "describe-clusters",
        "--clusters",
        "responderapi-cluster",
    ])?;
    match got["clusters"][0]["status"].as_str() {
        Some("ACTIVE") => Ok(()),
        other => Err(format!(
            "cluster `responderapi-cluster` is {other:?}, not ACTIVE"
        )),
    }
}

fn security_group(ctx: &Ctx) -> Result<Value, String> {
    let got = ctx.aws(&[
        "ec2",
        "describe-security-groups",
        "--filters",
        "Name=group-name,Values=responderapi-sg",
    ])?;
    Ok(got["SecurityGroups"][0].clone())
}

fn check_security_group(ctx: &Ctx) -> Result<(), String> {
    let sg = security_group(ctx)?;
    if sg.is_null() {
        return Err("there is no security group `responderapi-sg`".into());
    }
    let ingress = sg["IpPermissions"].as_array().cloned().unwrap_or_default();
    let want = "203.0.113.10/32";
    let ok = ingress.len() == 1
        && ingress[0]["FromPort"] == 8080
        && ingress[0]["ToPort"] == 8080
        && ingress[0]["IpProtocol"] == "tcp"
        && ingress[0]["IpRanges"]
            .as_array()
            .is_some_and(|r| r.len() == 1 && r[0]["CidrIp"] == want);
    if !ok {
        return Err(format!(
            "`responderapi-sg` should allow only TCP 8080 from {want} (the stand-in client address); it allows {}",
            Value::Array(ingress)
        ));
    }
    Ok(())
}

fn check_log_group(ctx: &Ctx) -> Result<(), String> {
    let name = "/ecs/responderapi-task";
    let got = ctx.aws(&[
        "logs",
        "describe-log-groups",
        "--log-group-name-prefix",
        name,
    ])?;
    let group = got["logGroups"]
        .as_array()
        .and_then(|g| g.iter().find(|g| g["logGroupName"] == name))
        .ok_or_else(|| format!("log group `{name}` does not exist"))?;
    if group["retentionInDays"] != 30 {
        return Err(format!(
            "log group `{name}` keeps logs {} days, not 30",
            group["retentionInDays"]
        ));
    }
    Ok(())
}

/// What moto 5's CloudFormation keeps of an `AWS::ECS::TaskDefinition` (it
/// drops the roles, CPU, network mode, runtime platform and compatibilities;
/// the procedures validator compares those in the template with
/// `templates/task-definition.json`).
const KEPT_BY_STACK: &[&str] = &["family", "memory", "containerDefinitions"];

fn check_task_definition(ctx: &Ctx, revision: u32) -> Result<(), String> {
    check_task_definition_fields(ctx, revision, None)
}

fn check_task_definition_fields(
    ctx: &Ctx,
    revision: u32,
    fields: Option<&[&str]>,
) -> Result<(), String> {
    let got = ctx.aws(&[
        "ecs",
        "describe-task-definition",
        "--task-definition",
        &format!("responderapi-task:{revision}"),
    ])?;
    let mut want = ctx.book.task_definition()?;
    if let (Some(fields), Some(all)) = (fields, want.as_object_mut()) {
        all.retain(|k, _| fields.contains(&k.as_str()));
    }
    let registered = &got["taskDefinition"];
    if let Some(diff) = super::differs(registered, &want, "") {
        return Err(format!(
            "revision {revision} of `responderapi-task` differs from the task definition the book shows: {diff}"
        ));
    }
    Ok(())
}

fn service(ctx: &Ctx) -> Result<Value, String> {
    let got = ctx.aws(&[
        "ecs",
        "describe-services",
        "--cluster",
        "responderapi-cluster",
        "--services",
        "responderapi-service",
    ])?;
    Ok(got["services"][0].clone())
}

fn check_service(ctx: &Ctx, revision: u32) -> Result<(), String> {
    let service = &service(ctx)?;
    let sg = security_group(ctx)?;
    let td = format!("arn:aws:ecs:{REGION}:{ACCOUNT}:task-definition/responderapi-task:{revision}");
    let vpc = &service["networkConfiguration"]["awsvpcConfiguration"];
    // A family name means its latest revision (the emulator keeps the name
    // that `update-service` was given; ECS keeps the ARN).
    let runs = match service["taskDefinition"].as_str() {
        Some(name) if !name.starts_with("arn:") => ctx.aws(&[
            "ecs",
            "describe-task-definition",
            "--task-definition",
            name,
        ])?["taskDefinition"]["taskDefinitionArn"]
            .clone(),
        _ => service["taskDefinition"].clone(),
    };
    let problems: Vec<String> = [
        (service["status"] == "ACTIVE", "is not ACTIVE"),
        (service["desiredCount"] == 1, "does not want 1 task"),
        (service["launchType"] == "FARGATE", "is not on Fargate"),
        (runs == td.as_str(), "does not run the expected revision"),
        (
            vpc["securityGroups"] == serde_json::json!([sg["GroupId"]]),
            "is not in `responderapi-sg` alone",
        ),
        (vpc["assignPublicIp"] == "ENABLED", "gets no public IP"),
    ]
    .into_iter()
    .filter(|(ok, _)| !ok)
    .map(|(_, why)| why.to_string())
    .collect();
    if problems.is_empty() {
        return Ok(());
    }
    Err(format!(
        "service `responderapi-service` {} (want {td}): {service}",
        problems.join(", ")
    ))
}

/// The stack's resources are the ones the CLI path creates by hand.
fn check_stack(ctx: &Ctx) -> Result<(), String> {
    stack_status(ctx, "CREATE_COMPLETE")?;
    check_roles(ctx)?;
    check_cluster(ctx)?;
    check_log_group(ctx)?;
    check_task_definition_fields(ctx, 1, Some(KEPT_BY_STACK))
}

fn stack_status(ctx: &Ctx, want: &str) -> Result<(), String> {
    let got = ctx.aws(&[
        "cloudformation",
        "describe-stacks",
        "--stack-name",
        "responderapi",
    ])?;
    let status = &got["Stacks"][0]["StackStatus"];
    if status != want {
        return Err(format!("stack `responderapi` is {status}, not {want}"));
    }
    Ok(())
}

/// The load balancer, its security group and its target group are there
/// (`present`), with the task's security group admitting the load
/// balancer's alone; or none of them is, but for the target group: moto 5
/// does not delete a target group that a stack update removes, as it leaves
/// it behind when the stack is deleted (see [`after_path`]).
fn check_load_balancer(ctx: &Ctx, present: bool) -> Result<(), String> {
    let albs = ctx.aws(&["elbv2", "describe-load-balancers"])?;
    let tgs = ctx.aws(&["elbv2", "describe-target-groups"])?;
    let sgs = ctx.aws(&["ec2", "describe-security-groups"])?;
    let named = |list: &Value, key: &str, name: &str| {
        list.as_array()
            .into_iter()
            .flatten()
            .find(|x| x[key] == name)
            .cloned()
    };
    let alb_sg = named(&sgs["SecurityGroups"], "GroupName", "responderapi-alb-sg");
    let mut found = vec![
        (
            "load balancer `responderapi-alb`",
            named(
                &albs["LoadBalancers"],
                "LoadBalancerName",
                "responderapi-alb",
            )
            .is_some(),
        ),
        ("security group `responderapi-alb-sg`", alb_sg.is_some()),
    ];
    if present {
        found.push((
            "target group `responderapi-tg`",
            named(&tgs["TargetGroups"], "TargetGroupName", "responderapi-tg").is_some(),
        ));
    }
    let wrong: Vec<&str> = found
        .iter()
        .filter(|(_, there)| *there != present)
        .map(|(what, _)| *what)
        .collect();
    if !wrong.is_empty() {
        let is = if present { "missing" } else { "still there" };
        return Err(format!("{} {is}", wrong.join(", ")));
    }
    let Some(alb_sg) = alb_sg else { return Ok(()) };
    let sg = security_group(ctx)?;
    let ingress = sg["IpPermissions"].as_array().cloned().unwrap_or_default();
    let ok = ingress.len() == 1
        && ingress[0]["FromPort"] == 8080
        && ingress[0]["ToPort"] == 8080
        && ingress[0]["IpRanges"]
            .as_array()
            .is_none_or(|r| r.is_empty())
        && ingress[0]["UserIdGroupPairs"]
            .as_array()
            .is_some_and(|p| p.len() == 1 && p[0]["GroupId"] == alb_sg["GroupId"]);
    if !ok {
        return Err(format!(
            "`responderapi-sg` should allow only TCP 8080 from `responderapi-alb-sg`; it allows {}",
            Value::Array(ingress)
        ));
    }
    Ok(())
}

/// Nothing the guide creates is left.
fn nothing_left(ctx: &Ctx, with_ecs: bool) -> Result<(), String> {
    let mut left = Vec::new();
    for (role, ..) in roles(ctx.book)? {
        if ctx.aws(&["iam", "get-role", "--role-name", &role]).is_ok() {
            left.push(format!("role `{role}`"));
        }
    }
    let groups = ctx.aws(&[
        "logs",
        "describe-log-groups",
        "--log-group-name-prefix",
        "/ecs/responderapi-task",
    ])?;
    if groups["logGroups"]
        .as_array()
        .is_some_and(|g| !g.is_empty())
    {
        left.push("log group `/ecs/responderapi-task`".into());
    }
    let sgs = ctx.aws(&["ec2", "describe-security-groups"])?;
    for sg in sgs["SecurityGroups"].as_array().into_iter().flatten() {
        let description = sg["Description"].as_str().unwrap_or_default();
        if sg["GroupName"] == "responderapi-sg" || description.starts_with("ResponderAPI") {
            left.push(format!(
                "security group `{}`",
                sg["GroupId"].as_str().unwrap_or_default()
            ));
        }
    }
    let stacks = ctx.aws(&["cloudformation", "list-stacks"])?;
    for stack in stacks["StackSummaries"].as_array().into_iter().flatten() {
        if stack["StackName"] == "responderapi" && stack["StackStatus"] != "DELETE_COMPLETE" {
            let status = stack["StackStatus"].as_str().unwrap_or_default();
            left.push(format!("stack `responderapi` ({status})"));
        }
    }
    let albs = ctx.aws(&["elbv2", "describe-load-balancers"])?;
    for lb in albs["LoadBalancers"].as_array().into_iter().flatten() {
        if lb["LoadBalancerName"]
            .as_str()
            .is_some_and(|n| n.starts_with("responderapi"))
        {
            left.push(format!(
                "load balancer `{}`",
                lb["LoadBalancerName"].as_str().unwrap_or_default()
            ));
        }
    }
    if with_ecs {
        left.extend(ecs_left(ctx)?);
        let tgs = ctx.aws(&["elbv2", "describe-target-groups"])?;
        for tg in tgs["TargetGroups"].as_array().into_iter().flatten() {
            let name = tg["TargetGroupName"].as_str().unwrap_or_default();
            if name.starts_with("responderapi") {
                left.push(format!("target group `{name}`"));
            }
        }
    }
    if left.is_empty() {
        Ok(())
    } else {
        Err(format!("the emulator still holds {}", left.join(", ")))
    }
}

fn ecs_left(ctx: &Ctx) -> Result<Vec<String>, String> {
    let mut left = Vec::new();
    let clusters = ctx.aws(&[
        "ecs",
        "describe-clusters",
        "--clusters",
        "responderapi-cluster",
    ])?;
    if clusters["clusters"][0]["status"] == "ACTIVE" {
        left.push("cluster `responderapi-cluster`".into());
        if service(ctx)?["status"] == "ACTIVE" {
            left.push("service `responderapi-service`".into());
        }
    }
    let tds = ctx.aws(&[
        "ecs",
        "list-task-definitions",
        "--family-prefix",
        "responderapi-task",
        "--status",
        "ACTIVE",
    ])?;
    for arn in tds["taskDefinitionArns"].as_array().into_iter().flatten() {
        left.push(format!(
            "task definition `{}`",
            arn.as_str().unwrap_or_default()
        ));
    }
    Ok(left)
}
