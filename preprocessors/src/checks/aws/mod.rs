//! Checks against AWS's own machine-readable models, offline: task
//! definitions against the ECS `RegisterTaskDefinition` input shape and the
//! Fargate rules, CloudFormation templates against the resource provider
//! schemas, AWS CLI commands in the book against the service models, and the
//! roles' policies against what the task definition needs. The data is
//! vendored in `preprocessors/data/aws/`; this file is the I/O shell.

pub mod arns;
pub(crate) mod cfn;
pub(crate) mod cli;
pub mod deployer;
pub(crate) mod deployer_permission;
pub(crate) mod dropped;
pub(crate) mod evaluator;
pub(crate) mod fargate;
pub(crate) mod files;
pub(crate) mod handlers;
pub(crate) mod inline;
pub(crate) mod missing_file;
pub(crate) mod models;
pub(crate) mod replacement;
pub(crate) mod roles;
pub(crate) mod run_markers;
pub(crate) mod shapes;
pub(crate) mod shell;
pub(crate) mod stack_diff;
pub(crate) mod stack_refused;
pub(crate) mod stacks;
pub(crate) mod unjudged;

use crate::checks::procedures::templates::{self, JsonFile};
use crate::checks::rule::{Model, Shared};
use crate::diagnostics::location::TextMap;
use crate::diagnostics::{Code, Diagnostic, Diagnostics, Problem};
use crate::model::book_root::BookRoot;
use crate::model::chapters::BookModel;
use crate::model::json::Index;
use serde_json::Value;
use shapes::Place;
use std::collections::BTreeSet;
use std::ops::Range;

pub(crate) use crate::checks::procedures::templates::TemplateFiles as Templates;
pub(crate) use missing_file::AWS_CLI_MISSING_FILE;
pub(crate) use stack_refused::AWS_STACK_REFUSED;
pub(crate) use unjudged::AWS_UNJUDGED;

/// What the run paths make AWS do, worked out once per run (the run paths,
/// the stack events, the deployer's needs evaluated against its policy),
/// placed, by the check that finds it.
#[derive(Default)]
pub(crate) struct PathChecks {
    /// The run paths' own problems (their markers).
    pub markers: Vec<Diagnostic>,
    /// Stack commands whose template or stack the checks cannot read.
    pub stacks: Vec<Diagnostic>,
    /// Change sets executed that no command before creates.
    pub unpaired: Vec<Diagnostic>,
    /// Commands whose API calls the deployer check does not know.
    pub unmodelled: Vec<Diagnostic>,
    /// What CloudFormation refuses, replaces or keeps as the paths run.
    pub events: Vec<Diagnostic>,
    /// The deployer policy against every call the paths make.
    pub deployer: Vec<Diagnostic>,
}

impl Shared for PathChecks {
    fn build(model: &Model<'_, '_>) -> Self {
        let book_root = model.root;
        let shared = model.shared::<Scripts>();
        let scripts: Blocks<'_> = model
            .chapters
            .chapters
            .iter()
            .zip(&shared.commands)
            .map(|(chapter, blocks)| chapter.blocks.iter().zip(blocks.iter().cloned()).collect())
            .collect();
        let files = files::Files::new(book_root, located(&scripts));
        let rejected = rejected(&shared.checked, &files);
        let templates = model.shared::<Templates>();
        let broken = &model.shared::<Schemas>().broken;
        let inputs = PathInputs {
            book_root,
            model: model.chapters,
            scripts: &scripts,
            files: &files,
            templates: &stack_templates(&templates.files, broken),
            rejected: &rejected,
        };
        behaviour(&inputs)
    }
}

/// The shell commands of every block (`[chapter][block]`) and the CLI
/// check of each (`[chapter][block][command]`), worked out once per run.
pub(crate) struct Scripts {
    pub commands: Vec<Vec<Vec<shell::Command>>>,
    pub checked: Vec<Vec<Vec<cli::Checked>>>,
}

impl Shared for Scripts {
    fn build(model: &Model<'_, '_>) -> Self {
        let commands: Vec<Vec<Vec<shell::Command>>> = model
            .chapters
            .chapters
            .iter()
            .map(|chapter| chapter.blocks.iter().map(block_commands).collect())
            .collect();
        let checked = commands
            .iter()
            .map(|blocks| {
                blocks
                    .iter()
                    .map(|commands| commands.iter().map(cli::check).collect())
                    .collect()
            })
            .collect();
        Scripts { commands, checked }
    }
}

impl Scripts {
    /// Every command with its chapter and block.
    fn located(&self) -> impl Iterator<Item = ((usize, usize), &shell::Command)> {
        self.commands.iter().enumerate().flat_map(|(c, blocks)| {
            blocks.iter().enumerate().flat_map(move |(b, commands)| {
                commands.iter().map(move |command| ((c, b), command))
            })
        })
    }

    /// The findings of the CLI check whose code `keep` keeps, at their
    /// words in the chapter.
    pub(crate) fn findings(
        &self,
        model: &Model<'_, '_>,
        keep: impl Fn(Code) -> bool,
    ) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for (chapter, blocks) in model.chapters.chapters.iter().zip(&self.checked) {
            let origin = chapter.origin();
            for (block, checked) in chapter.blocks.iter().zip(blocks) {
                for f in checked.iter().flat_map(|c| &c.findings) {
                    if keep(f.code) {
                        out.push(
                            f.clone()
                                .locate(|range| origin.locate(block.chapter_range(range))),
                        );
                    }
                }
            }
        }
        out
    }
}

/// The CloudFormation schema check of every template, placed, and the
/// resources it refuses (left out of the run-path checks).
pub(crate) struct Schemas {
    pub problems: Vec<Diagnostic>,
    pub broken: Broken,
}

impl Shared for Schemas {
    fn build(model: &Model<'_, '_>) -> Self {
        let mut problems = Vec::new();
        let mut broken = Broken::new();
        for file in &model.shared::<Templates>().files {
            if file.value.get("Resources").is_some() {
                let found = cfn::check(&file.value, file.index());
                broken.extend(refused(&file.path, &found));
                let map = TextMap::new(&file.path, &file.text);
                problems.extend(found.into_iter().map(|(_, p)| p.locate_in_text(&map)));
            }
        }
        Schemas { problems, broken }
    }
}

/// The roles check of every template: the task definition's roles against
/// what it needs, the template's roles against ECS's trust.
pub(crate) struct Roles {
    pub problems: Vec<Diagnostic>,
}

impl Shared for Roles {
    fn build(model: &Model<'_, '_>) -> Self {
        let book_root = model.root;
        let scripts = model.shared::<Scripts>();
        let files = files::Files::new(book_root, scripts.located());
        let commands: Vec<&shell::Command> = scripts.commands.iter().flatten().flatten().collect();
        let mut found = Diagnostics::new();
        for file in &model.shared::<Templates>().files {
            let (rel, text, value) = (&file.path, &file.text, &file.value);
            if is_task_definition(value) {
                roles::check_task_definition(
                    book_root, rel, text, value, &commands, &files, &mut found,
                );
            }
            if value.get("Resources").is_some() {
                roles::check_template(book_root, rel, text, value, &mut found);
            }
        }
        Roles {
            problems: found.into_iter().collect(),
        }
    }
}

/// The check of every `file://` argument: a name no file stands behind,
/// and a `--cli-input-json` file against its input shape.
pub(crate) struct FileChecks {
    pub problems: Vec<Diagnostic>,
}

impl Shared for FileChecks {
    fn build(model: &Model<'_, '_>) -> Self {
        let scripts = model.shared::<Scripts>();
        let chapters = &model.chapters.chapters;
        let files = files::Files::new(model.root, scripts.located());
        let mut found = Diagnostics::new();
        for (chapter, blocks) in chapters.iter().zip(&scripts.checked) {
            let origin = chapter.origin();
            for (block, checked) in chapter.blocks.iter().zip(blocks) {
                for file in checked.iter().flat_map(|c| &c.files) {
                    let at = || origin.locate(block.chapter_range(file.word.range.clone()));
                    let locate = |(c, b): (usize, usize), range| {
                        let chapter = &chapters[c];
                        chapter
                            .origin()
                            .locate(chapter.blocks[b].chapter_range(range))
                    };
                    files.check(file, at, &locate, &mut found);
                }
            }
        }
        FileChecks {
            problems: found.into_iter().collect(),
        }
    }
}

/// The task-definition checks (the ECS input shape, then the Fargate
/// rules) of the templates' task definitions and of those typed in a
/// chapter, placed: one check whose outcomes several rules report.
pub(crate) struct TaskDefinitions {
    pub problems: Vec<Diagnostic>,
}

impl Shared for TaskDefinitions {
    fn build(model: &Model<'_, '_>) -> Self {
        let mut problems = Vec::new();
        for file in &model.shared::<Templates>().files {
            let (value, index) = (&file.value, file.index());
            let map = TextMap::new(&file.path, &file.text);
            let at = |p: Problem| p.locate_in_text(&map);
            if is_task_definition(value) {
                problems.extend(task_definition(value, index).into_iter().map(at));
            }
            if value.get("Resources").is_some() {
                problems.extend(stack_task_rules(value, index).into_iter().map(at));
            }
        }
        for chapter in &model.chapters.chapters {
            let origin = chapter.origin();
            for block in chapter.blocks.iter().filter(|b| b.lang == "json") {
                let Ok(value) = serde_json::from_str::<Value>(&block.text) else {
                    continue;
                };
                // A task definition a directive shows (`{{#template}}`) is
                // checked once, in its file; only one typed here is checked here.
                if is_task_definition(&value) && typed_in(&chapter.source.text, &block.text) {
                    let index = Index::new(&block.text);
                    for p in task_definition(&value, &index) {
                        problems.push(p.locate(|r| origin.locate(block.chapter_range(r))));
                    }
                }
            }
        }
        TaskDefinitions { problems }
    }
}

/// Every chapter's blocks with the shell commands of each.
type Blocks<'m> = Vec<Vec<(&'m crate::model::code_blocks::Block, Vec<shell::Command>)>>;

fn scripts<'m>(model: &'m BookModel<'_>) -> Blocks<'m> {
    model
        .chapters
        .iter()
        .map(|chapter| {
            chapter
                .blocks
                .iter()
                .map(|block| (block, block_commands(block)))
                .collect()
        })
        .collect()
}

/// The shell commands of a block: none unless it is a shell or console one.
fn block_commands(block: &crate::model::code_blocks::Block) -> Vec<shell::Command> {
    match block.lang.as_str() {
        "console" => shell::commands(&shell::console_script(&block.text)),
        "bash" | "sh" | "shell" | "zsh" => shell::commands(&block.text),
        _ => Vec::new(),
    }
}

/// Every command with its chapter and block.
fn located<'s>(
    scripts: &'s Blocks<'_>,
) -> impl Iterator<Item = ((usize, usize), &'s shell::Command)> {
    scripts.iter().enumerate().flat_map(|(c, blocks)| {
        blocks
            .iter()
            .enumerate()
            .flat_map(move |(b, (_, commands))| {
                commands.iter().map(move |command| ((c, b), command))
            })
    })
}

/// The CLI check of every command of every block (`[chapter][block][command]`).
fn checked_commands(scripts: &Blocks<'_>) -> Vec<Vec<Vec<cli::Checked>>> {
    scripts
        .iter()
        .map(|blocks| {
            blocks
                .iter()
                .map(|(_, commands)| commands.iter().map(cli::check).collect())
                .collect()
        })
        .collect()
}

/// The commands the CLI check rejects, or whose `--cli-input-json` the CLI
/// refuses: the run-path checks leave them to those reports.
fn rejected(
    checked: &[Vec<Vec<cli::Checked>>],
    files: &files::Files<'_>,
) -> BTreeSet<deployer::At> {
    let mut out = BTreeSet::new();
    for (chapter, blocks) in checked.iter().enumerate() {
        for (block, commands) in blocks.iter().enumerate() {
            for (command, c) in commands.iter().enumerate() {
                if !c.findings.is_empty() || c.files.iter().any(|f| files.input_refused(f)) {
                    out.insert(deployer::At {
                        chapter,
                        block,
                        command,
                    });
                }
            }
        }
    }
    out
}

/// (template, logical ID) of the resources their resource schemas refuse.
type Broken = BTreeSet<(String, String)>;

/// The resources of `rel` that the schema check's problems are about.
fn refused(rel: &str, found: &[(String, Problem)]) -> Broken {
    found
        .iter()
        .map(|(id, _)| (rel.to_string(), id.clone()))
        .collect()
}

/// The CloudFormation templates of `templates/`, without the resources
/// their schemas refuse (`broken`): what CloudFormation would do with a
/// broken resource is moot, and its own report says what to fix.
fn stack_templates(files: &[JsonFile], broken: &Broken) -> Vec<deployer::BookTemplate> {
    files
        .iter()
        .filter_map(|file| {
            let mut value = file.value.clone();
            let resources = value.get_mut("Resources")?.as_object_mut()?;
            resources.retain(|id, _| !broken.contains(&(file.path.clone(), id.clone())));
            Some(deployer::BookTemplate {
                rel: file.path.clone(),
                text: file.text.clone(),
                value,
            })
        })
        .collect()
}

/// What the run-path checks read besides the run paths themselves.
struct PathInputs<'a, 'm> {
    book_root: &'a BookRoot,
    model: &'a BookModel<'m>,
    scripts: &'a [Vec<(&'a crate::model::code_blocks::Block, Vec<shell::Command>)>],
    files: &'a files::Files<'a>,
    templates: &'a [deployer::BookTemplate],
    rejected: &'a BTreeSet<deployer::At>,
}

/// Runs `f` on what the run-path checks read of the book.
fn with_paths<R>(inputs: &PathInputs<'_, '_>, f: impl FnOnce(&deployer::Context<'_>) -> R) -> R {
    let PathInputs {
        model,
        scripts,
        files,
        templates,
        rejected,
        ..
    } = inputs;
    let run = crate::model::run_paths::build(model);
    let book_file = |name: &str| files.book_file(name);
    let file_json = |name: &str| files.json(name);
    f(&deployer::Context {
        model,
        run: &run,
        scripts,
        templates,
        book_file: &book_file,
        file_json: &file_json,
        rejected,
        memo: Default::default(),
    })
}

/// What the deployer's permissions must allow for every command of the
/// run paths (for figures; `check` reports what the policy refuses).
pub fn deployer_needs(book_root: &BookRoot, model: &BookModel<'_>) -> Vec<deployer::CommandNeeds> {
    let scripts = scripts(model);
    let files = files::Files::new(book_root, located(&scripts));
    let (templates, _) = templates::template_files(book_root);
    let broken: Broken = templates
        .iter()
        .flat_map(|file| refused(&file.path, &cfn::check(&file.value, file.index())))
        .collect();
    let rejected = rejected(&checked_commands(&scripts), &files);
    let inputs = PathInputs {
        book_root,
        model,
        scripts: &scripts,
        files: &files,
        templates: &stack_templates(&templates, &broken),
        rejected: &rejected,
    };
    with_paths(&inputs, |ctx| ctx.derive())
}

/// The checks of what the run paths make AWS do: their markers, the
/// replacements CloudFormation would need between the templates deployed to
/// one stack, and the deployer policy against every call the paths make.
fn behaviour(inputs: &PathInputs<'_, '_>) -> PathChecks {
    let book_root = inputs.book_root;
    with_paths(inputs, |ctx| {
        let mut out = PathChecks {
            markers: ctx.run.problems.clone(),
            ..PathChecks::default()
        };
        let (stacks, events) = ctx.stack_events();
        for s in &stacks {
            // `--template-body file://…` is the CLI check's; `deploy`'s
            // `--template-file` is a path of its own.
            if let Some((range, name)) = s.missing.as_ref().filter(|_| s.kind == "deploy") {
                out.stacks.push(
                    Diagnostic::raise(
                        AWS_CLI_MISSING_FILE,
                        ctx.locate(s.at, range.clone()),
                        format!(
                            "`{name}` is not a file of the book, and no command before writes it"
                        ),
                    )
                    .with_hint(
                        "name a template in templates/, as the chapter has the reader download it",
                    ),
                );
            }
            let Some((range, text)) = &s.unknown else {
                continue;
            };
            // With no template known, the handlers' calls are not derived
            // either: the deployer check passes them unseen.
            let handlers = if s.template.is_none() && s.template_word.is_some() {
                "; nor does the deployer permission check judge the calls CloudFormation's handlers make for the template's resources"
            } else {
                ""
            };
            let (what, hint) = if text.starts_with("http") {
                (
                    format!("the template at `{text}` is not a file of the book"),
                    "deploy the book's file (`--template-file` or `--template-body file://…`), which the checks read",
                )
            } else if text.contains("$(") || text.contains('`') {
                (
                    format!("`{text}` is a command's output, which the check cannot read"),
                    "write the name or file, or assign it earlier in the block or path (`STACK=responderapi`)",
                )
            } else {
                (
                    format!("`{text}` is a shell variable no literal assignment before it sets"),
                    "write the name, or assign it earlier in the block or path (`STACK=responderapi`)",
                )
            };
            out.stacks.push(
                Diagnostic::raise(
                    AWS_UNJUDGED,
                    ctx.locate(s.at, range.clone()),
                    format!(
                        "{what}: the replacement check cannot tell which stack or template this command deploys, and does not compare it{handlers}"
                    ),
                )
                .with_hint(hint),
            );
        }
        for (at, range, name) in ctx.unpaired_executes() {
            out.unpaired.push(
                Diagnostic::raise(
                    AWS_STACK_REFUSED,
                    ctx.locate(at, range),
                    format!(
                        "CloudFormation refuses to execute the change set `{name}`: no `create-change-set` before this one makes it (`ChangeSetNotFound`)"
                    ),
                )
                .with_hint(
                    "give it the `--change-set-name` (and `--stack-name`) its `aws cloudformation create-change-set` used",
                ),
            );
        }
        for (at, range, label) in ctx.unmodelled() {
            out.unmodelled.push(
                Diagnostic::raise(
                    AWS_UNJUDGED,
                    ctx.locate(at, range),
                    format!(
                        "the deployer permission check does not know which API calls `{label}` makes: its service has no vendored model, or the command is one of the AWS CLI's own that `cli-calls.toml` does not list"
                    ),
                )
                .with_hint(
                    "vendor the service's model (SERVICES in preprocessors/data/aws/regenerate.py, then run it), or list the command's calls in preprocessors/data/aws/cli-calls.toml",
                ),
            );
        }
        out.events = stack_problems(ctx, &stacks, &events);
        let Ok(text) = book_root.read(deployer::DEPLOYER_POLICY) else {
            return out;
        };
        // A policy that does not parse is the policy linter's report.
        let Ok(value) = serde_json::from_str::<Value>(&text) else {
            return out;
        };
        let policy = deployer::DeployerPolicy {
            rel: deployer::DEPLOYER_POLICY,
            text: &text,
            value: &value,
        };
        let commands = ctx.derive_with(&stacks, &events);
        out.deployer = deployer::check(ctx, &commands, &policy);
        let regions: Vec<String> = crate::model::release::Release::load(book_root)
            .map(|r| r.regions().iter().map(|r| r.code.clone()).collect())
            .unwrap_or_default();
        out.deployer
            .extend(deployer::check_regions(ctx, &commands, &policy, &regions));
        out
    })
}

/// What CloudFormation refuses or replaces when the ways through the guide
/// run their stack commands; each command's refusal is reported once, in
/// the first way that meets it.
fn stack_problems(
    ctx: &deployer::Context<'_>,
    stacks: &[stacks::StackCommand],
    events: &[stacks::Event],
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut refused = BTreeSet::new();
    let mut redeploys = Vec::new();
    let deployed = |state: &stacks::State| {
        let c = &stacks[state.by];
        let t = &ctx.templates[state.template];
        replacement::Deployed {
            stack: &c.stack,
            rel: &t.rel,
            text: &t.text,
            value: &t.value,
            at: ctx.locate(c.at, c.template_word.clone().unwrap_or(c.head.clone())),
            parameter_at: c
                .parameter_words
                .iter()
                .map(|(k, range)| (k.clone(), ctx.locate(c.at, range.clone())))
                .collect(),
            values: state.parameters.clone(),
        }
    };
    // One report per refusal: the variants of a step, and each way that
    // meets it, are the same cause.
    let mut first_at: std::collections::BTreeMap<String, usize> = Default::default();
    for event in events {
        match &event.op {
            stacks::Op::Refused { why, hint } if refused.insert(event.command) => {
                let c = &stacks[event.command];
                let at = ctx.locate(c.at, c.head.clone());
                if let Some(&i) = first_at.get(why) {
                    let d: &mut Diagnostic = &mut out[i];
                    if !d.related.iter().any(|r| r.location == at) && d.location != at {
                        *d = d.clone().with_related(at, "refused here too");
                    }
                    continue;
                }
                first_at.insert(why.clone(), out.len());
                out.push(
                    Diagnostic::raise(AWS_STACK_REFUSED, at, why.clone()).with_hint(format!(
                        "{hint} (the way through the guide `{}` runs the paths {})",
                        event.sequence,
                        event.paths.join(" → ")
                    )),
                );
            }
            stacks::Op::Update { before, after } => redeploys.push(replacement::Redeploy {
                first: deployed(before),
                second: deployed(after),
                changed: after.changed_from(before),
                shared: after.known_with(before),
            }),
            _ => {}
        }
    }
    out.extend(replacement::check(&redeploys));
    out.extend(dropped::check(&redeploys));
    out
}

/// Whether the writer typed this JSON in the chapter (rather than a
/// directive producing it): its `containerDefinitions` line is in the source.
fn typed_in(source: &str, json: &str) -> bool {
    json.lines()
        .find(|line| line.contains("\"containerDefinitions\""))
        .is_some_and(|line| source.contains(line.trim()))
}

/// A RegisterTaskDefinition document: it has container definitions.
pub(crate) fn is_task_definition(value: &Value) -> bool {
    value.get("containerDefinitions").is_some()
}

/// Check 1: the model's input shape, then the rules it cannot express.
pub(crate) fn task_definition(value: &Value, place: &dyn Place) -> Vec<Problem> {
    let ecs = models::service("ecs").expect("the ECS model is vendored");
    let mut found = shapes::check(ecs, "RegisterTaskDefinitionRequest", value, place);
    // A misspelt member is one problem: the rule that misses the member
    // under its right name does not report it again.
    let meant: Vec<String> = found
        .iter()
        .filter_map(|p| {
            p.hint
                .as_deref()?
                .strip_prefix("did you mean `")?
                .strip_suffix("`?")
                .map(str::to_string)
        })
        .collect();
    found.extend(fargate::check(value, place).into_iter().filter(|p| {
        !meant.iter().any(|m| {
            p.message.contains(&format!("`\"{m}\"")) || p.message.contains(&format!("`{m}`"))
        })
    }));
    found
}

/// The Fargate rules on the template's task definitions, which CloudFormation
/// spells in PascalCase: checked in the API's spelling, reported at the
/// template's own keys (`place` places pointers into the template).
pub(crate) fn stack_task_rules(template: &Value, place: &dyn Place) -> Vec<Problem> {
    let resources = template.get("Resources").and_then(Value::as_object);
    let mut out = Vec::new();
    for (id, resource) in resources.into_iter().flatten() {
        if resource.get("Type").and_then(Value::as_str) != Some("AWS::ECS::TaskDefinition") {
            continue;
        }
        let Some(properties) = resource.get("Properties") else {
            continue;
        };
        let rebased = Rebased {
            place,
            base: format!("/Resources/{}/Properties", shapes::escape(id)),
        };
        out.extend(fargate::check(&api_spelling(properties), &rebased));
    }
    out
}

/// Places a pointer into a task definition's properties in the API's
/// spelling at the template's own member.
struct Rebased<'p> {
    place: &'p dyn Place,
    /// The properties' pointer in the template.
    base: String,
}

impl Place for Rebased<'_> {
    fn value_range(&self, pointer: &str) -> Range<usize> {
        self.place
            .value_range(&format!("{}{}", self.base, cfn_pointer(pointer)))
    }

    fn key_range(&self, pointer: &str) -> Range<usize> {
        self.place
            .key_range(&format!("{}{}", self.base, cfn_pointer(pointer)))
    }
}

/// A CloudFormation task definition's properties with the API's keys.
fn api_spelling(value: &Value) -> Value {
    use crate::checks::procedures::templates::{camel_case, keys_are_data};
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    let v = if keys_are_data(k) {
                        v.clone()
                    } else {
                        api_spelling(v)
                    };
                    (camel_case(k), v)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(api_spelling).collect()),
        other => other.clone(),
    }
}

/// A pointer in the API's spelling, in CloudFormation's: property names
/// (`logDriver`) capitalised, data keys (`awslogs-group`) and indexes kept.
fn cfn_pointer(pointer: &str) -> String {
    pointer
        .split('/')
        .map(|segment| {
            let mut chars = segment.chars();
            match chars.next() {
                Some(first) if first.is_ascii_lowercase() && !segment.contains('-') => {
                    first.to_ascii_uppercase().to_string() + chars.as_str()
                }
                _ => segment.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stacks_task_definition_follows_the_fargate_rules_at_its_own_keys() {
        let text = include_str!(
            "../../../../tests/fixtures/guide-files/templates/responderapi-stack.json"
        );
        let mut stack: Value = serde_json::from_str(text).unwrap();
        assert_eq!(
            stack_task_rules(&stack, &shapes::Pointers::default()),
            Vec::new()
        );
        let td = &mut stack["Resources"]["TaskDefinition"]["Properties"];
        td["Memory"] = Value::from("512");
        td["ContainerDefinitions"][0]["HealthCheck"]["Command"] =
            serde_json::json!(["/sbin/healthcheck"]);
        let place = shapes::Pointers::default();
        let found: Vec<_> = stack_task_rules(&stack, &place)
            .iter()
            .map(|p| place.pointer(p))
            .collect();
        assert_eq!(
            found,
            [
                "/Resources/TaskDefinition/Properties/Memory",
                "/Resources/TaskDefinition/Properties/ContainerDefinitions/0/HealthCheck/Command/0",
            ]
        );
    }
}
