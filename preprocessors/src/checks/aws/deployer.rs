//! The deployer's permissions, derived from what the run paths do: every
//! AWS CLI command a reader runs calls API operations (a model operation
//! its own, `aws X wait W` the one its waiter polls, the AWS CLI's own
//! commands those `cli-calls.toml` lists from its source), and a command that
//! creates, updates or deletes a stack makes CloudFormation's resource
//! handlers call theirs with the reader's permissions (`handlers`). Each call
//! is evaluated, on the resource ARN its request names (`arns`), against the
//! deployer policy with the offline evaluator. A call the policy does not
//! allow is reported once per path step, at the command.

use super::arns::{self, Arns, Request};
use super::cli::{aws_words, option_words, service_index};
use super::deployer_permission::AWS_DEPLOYER_PERMISSION;
use super::evaluator::{self, Decision, Policy, RequestContext};
use super::files::Input;
use super::handlers::{self, HandlerNeed, Template};
use super::models::{self, ServiceModel};
pub(crate) use super::shell::At;
use super::shell::{Command, Word};
use super::stacks::{self, StackCommand};
use crate::diagnostics::Diagnostic;
use crate::diagnostics::location::Location;
use crate::model::chapters::BookModel;
use crate::model::code_blocks::Block;
use crate::model::json::Index;
use crate::model::run_paths::{RunPaths, SEQUENCES};
use serde_json::Value;
use std::cell::OnceCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;
use std::sync::LazyLock;

/// The policy the guide asks the reader to have, relative to the book root.
pub(crate) const DEPLOYER_POLICY: &str = "policies/deployer-policy.json";

/// A template of the book, parsed.
pub(crate) struct BookTemplate {
    pub rel: String,
    pub text: String,
    pub value: Value,
}

/// What the derivation reads: the book, its run paths, the commands of every
/// block (`scripts[chapter][block]`), the templates, and how a `file://`
/// name is found among the book's files.
pub(crate) struct Context<'m> {
    pub model: &'m BookModel<'m>,
    pub run: &'m RunPaths,
    pub scripts: &'m [Vec<(&'m Block, Vec<Command>)>],
    pub templates: &'m [BookTemplate],
    /// A `file://` name → the book file it stands for.
    pub book_file: &'m dyn Fn(&str) -> Option<String>,
    /// A `file://` name → the JSON it holds (a book file's, or what an
    /// earlier command writes).
    pub file_json: &'m dyn Fn(&str) -> Input,
    /// The commands the CLI check rejects, left to its report.
    pub rejected: &'m BTreeSet<At>,
    /// What the derivation works out once per run and asks again and again.
    pub memo: Memo,
}

/// The path commands and the literal assignments among them, worked out at
/// their first use in one run (`Default` to start).
#[derive(Default)]
pub(crate) struct Memo {
    path_commands: OnceCell<Vec<PathCommand>>,
    /// Variable → the value the first path command that assigns it a
    /// literal gives.
    literals: OnceCell<HashMap<String, String>>,
}

/// A command of a path: the path that first runs it, its step, and where.
type PathCommand = (&'static str, (usize, usize), At);

/// One API call the deployer's permissions must allow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Need {
    /// The command calls it (`why`: which call of the command).
    Call {
        action: String,
        arns: Arns,
        why: String,
        /// The condition keys whose values the command determines.
        context: RequestContext,
        /// Actions IAM accepts instead (`logs:TagLogGroup` for `logs:TagResource`).
        alternatives: Vec<String>,
    },
    /// A resource handler calls it for the stack the command works on.
    Handler(HandlerNeed),
}

impl Need {
    pub fn action(&self) -> &str {
        match self {
            Need::Call { action, .. } => action,
            Need::Handler(h) => &h.action,
        }
    }

    pub fn arns(&self) -> &Arns {
        match self {
            Need::Call { arns, .. } => arns,
            Need::Handler(h) => &h.arns,
        }
    }
}

/// The needs of one command of a path step.
#[derive(Debug)]
pub struct CommandNeeds {
    pub path: &'static str,
    /// The step, by its first variant's block: variants are one position.
    pub step: (usize, usize),
    pub at: At,
    /// `aws cloudformation deploy`.
    pub label: String,
    pub needs: Vec<Need>,
    /// The Region the command runs in (`aws:RequestedRegion`).
    pub region: String,
}

/// A variable a command sets (`NAME=$(aws …)`, `for NAME in $(aws …)`),
/// with the command that gives its value.
type Env = HashMap<String, At>;

impl<'m> Context<'m> {
    fn command(&self, at: At) -> &'m Command {
        &self.scripts[at.chapter][at.block].1[at.command]
    }

    fn commands(&self, at: At) -> &'m [Command] {
        &self.scripts[at.chapter][at.block].1
    }

    fn block(&self, at: At) -> &'m Block {
        self.scripts[at.chapter][at.block].0
    }

    /// Where a range of a command's script is in the writer's chapter.
    pub(crate) fn locate(&self, at: At, range: Range<usize>) -> Location {
        let chapter = &self.model.chapters[at.chapter];
        chapter.origin().locate(self.block(at).chapter_range(range))
    }

    /// Every command of every path, in the order the sequences run them,
    /// once each, with the path that first runs it.
    fn path_commands(&self) -> &[PathCommand] {
        self.memo
            .path_commands
            .get_or_init(|| self.find_path_commands())
    }

    fn find_path_commands(&self) -> Vec<PathCommand> {
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        let paths = SEQUENCES
            .iter()
            .flat_map(|s| s.paths.iter().copied())
            .chain(crate::model::run_paths::PATHS.iter().copied());
        for path in paths {
            for step in self.run.steps(path) {
                let key = (step.chapter, step.variants[0].block);
                for variant in &step.variants {
                    let Some((_, commands)) = self.scripts[step.chapter].get(variant.block) else {
                        continue;
                    };
                    for command in 0..commands.len() {
                        let at = At {
                            chapter: step.chapter,
                            block: variant.block,
                            command,
                        };
                        if seen.insert(at) {
                            out.push((path, key, at));
                        }
                    }
                }
            }
        }
        out
    }
}

/// The parts of an AWS CLI command.
struct Parsed<'c> {
    service: String,
    /// The command (`deploy`, `update-service`), or `wait`.
    op: String,
    /// For `wait`: the waiter.
    waiter: Option<String>,
    model: Option<&'static ServiceModel>,
    /// The words after the command (or the waiter).
    rest: &'c [Word],
    /// From `aws` to the command's name, in the script.
    head: Range<usize>,
}

fn parse(command: &Command) -> Option<Parsed<'_>> {
    let words = aws_words(command)?;
    let i = service_index(words);
    let service = words.get(i)?;
    let op = words.get(i + 1)?;
    let (waiter, rest_at) = if op.text == "wait" {
        (Some(words.get(i + 2)?.text.clone()), i + 3)
    } else {
        (None, i + 2)
    };
    let last = &words[rest_at - 1];
    Some(Parsed {
        service: service.text.clone(),
        op: op.text.clone(),
        waiter,
        model: models::service(&service.text),
        rest: &words[rest_at.min(words.len())..],
        head: words[0].range.start..last.range.end,
    })
}

impl Parsed<'_> {
    fn label(&self) -> String {
        match &self.waiter {
            Some(w) => format!("aws {} wait {w}", self.service),
            None => format!("aws {} {}", self.service, self.op),
        }
    }

    /// The values of `--name` (the words after it up to the next option,
    /// or what follows `=` in `--name=VALUE`), with their words.
    fn option(&self, name: &str) -> Vec<(&str, &Word)> {
        option_words(self.rest, |_| true)
            .into_iter()
            .filter(|o| o.name == name)
            .flat_map(|o| o.values)
            .collect()
    }

    /// Whether the command gives `--name` (a value or a flag).
    fn gives(&self, name: &str) -> bool {
        self.rest
            .iter()
            .any(|w| w.text == name || w.text.starts_with(&format!("{name}=")))
    }

    /// The API calls the command makes, as IAM actions with why; `None` for
    /// a command whose calls are not known (another of the CLI's own).
    fn calls(&self) -> Option<Vec<(String, String)>> {
        let key = format!("{} {}", self.service, self.op);
        let custom = models::cli_calls().commands.get(&key);
        // A command of the CLI's own with no call (`aws configure get`)
        // needs no model to be judged.
        if custom.is_some_and(|c| c.calls.is_empty()) {
            return Some(Vec::new());
        }
        let model = self.model?;
        let signing = &model.signing_name;
        let action = |op: &str| format!("{signing}:{op}");
        if let Some(custom) = custom {
            return Some(
                custom
                    .calls
                    .iter()
                    .filter(|c| c.when.as_ref().is_none_or(|o| self.gives(o)))
                    .filter(|c| c.unless.as_ref().is_none_or(|o| !self.gives(o)))
                    .filter_map(|c| {
                        let op = match (&c.operation, &c.waiter, &c.action) {
                            (Some(op), _, _) => op.clone(),
                            (None, Some(w), _) => model.waiters.get(w)?.clone(),
                            (None, None, Some(a)) => return Some((a.clone(), c.why.clone())),
                            (None, None, None) => return None,
                        };
                        Some((action(&op), c.why.clone()))
                    })
                    .collect(),
            );
        }
        if let Some(waiter) = &self.waiter {
            let op = model.waiters.get(waiter)?;
            return Some(vec![(
                action(op),
                format!("the waiter `{waiter}` polls it"),
            )]);
        }
        let (op, _) = model.operation_by_cli(&self.op)?;
        Some(vec![(action(op), "the command's operation".into())])
    }
}

/// What IAM checks for `action` besides the action itself (`cli-calls.toml`),
/// for a command that gives the options `given`.
fn implied(action: &str, request: &Request, given: &dyn Fn(&str) -> bool) -> Vec<Need> {
    let Some(list) = models::cli_calls().implied.get(action) else {
        return Vec::new();
    };
    list.iter()
        .filter(|i| i.when.as_deref().is_none_or(given))
        .filter_map(|i| {
            let arns = match (&i.role, &i.on) {
                (Some(role), _) => {
                    let mut fixed = Request::default();
                    fixed.name("iam", "role");
                    fixed.set("RoleNameWithPath", role.clone());
                    arns::arns(&i.action, &fixed)?
                }
                // The resource the command creates, not every one it names.
                (None, Some(kind)) => {
                    let prefix = i.action.split_once(':')?.0;
                    let mut own = request.clone();
                    own.types.retain(|(s, k)| s == prefix && k == kind);
                    own.name(prefix, kind);
                    arns::arns(&i.action, &own)?
                }
                (None, None) if request.types.contains(&("iam".into(), "role".into())) => {
                    arns::arns(&i.action, request)?
                }
                (None, None) => return None,
            };
            let mut context = RequestContext::new();
            if let Some(role) = &i.role {
                let mut fixed = Request::default();
                fixed.set("RoleNameWithPath", role.clone());
                linked_service(&i.action, &fixed, &mut context);
            }
            if let Some(service) = &i.passed_to {
                context.insert("iam:passedtoservice".into(), vec![service.clone()]);
            }
            if i.when.is_some() {
                // A tag on create: the create action is the one tagging.
                let (prefix, name) = action.split_once(':')?;
                context.insert(format!("{prefix}:createaction"), vec![name.to_string()]);
            }
            Some(Need::Call {
                action: i.action.clone(),
                arns,
                why: i.why.clone(),
                context,
                alternatives: i.alternatives.clone(),
            })
        })
        .collect()
}

/// `taskRoleArn` → `task-role-arn`, as the CLI names an input member.
fn kebab(member: &str) -> String {
    let mut out = String::new();
    for c in member.chars() {
        if c.is_ascii_uppercase() {
            if !out.is_empty() {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The command whose `$(…)` output is part of `word`.
fn inner(commands: &[Command], word: &Word) -> Option<usize> {
    commands.iter().position(|c| {
        c.words
            .first()
            .is_some_and(|w| w.range.start >= word.range.start && w.range.end <= word.range.end)
            && aws_words(c).is_some()
    })
}

/// The variable a command sets from an AWS CLI command's output.
fn assignment(commands: &[Command], command: &Command) -> Option<(String, usize)> {
    let words = &command.words;
    let texts: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
    let (name, word) = match texts.as_slice() {
        ["for", name, "in", ..] => (name.to_string(), words.get(3)?),
        ["export" | "local" | "readonly", assign, ..] | [assign, ..] => {
            let (name, _) = assign.split_once('=')?;
            let word = if texts[0] == *assign {
                &words[0]
            } else {
                &words[1]
            };
            (name.to_string(), word)
        }
        _ => return None,
    };
    let valid = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !valid || !word.text.contains("$(…)") {
        return None;
    }
    Some((name, inner(commands, word)?))
}

/// The literal value a command assigns and does nothing else with
/// (`STACK=responderapi`, `export TEMPLATE=stack.json`).
fn literal_assignment(command: &Command) -> Option<(&str, &str)> {
    let texts: Vec<&str> = command.words.iter().map(|w| w.text.as_str()).collect();
    let assign = match texts.as_slice() {
        ["export" | "local" | "readonly", assign] | [assign] => *assign,
        _ => return None,
    };
    let (name, value) = assign.split_once('=')?;
    let valid = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    (valid && !value.contains(['$', '`'])).then_some((name, value))
}

/// The variable `$NAME`, `${NAME}` stands for, when that is the whole word.
fn variable(text: &str) -> Option<&str> {
    let name = text.strip_prefix('$')?;
    let name = name
        .strip_prefix('{')
        .and_then(|n| n.strip_suffix('}'))
        .unwrap_or(name);
    (!name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .then_some(name)
}

/// `iam:AWSServiceName` of a call that creates a service-linked role: the
/// principal its path names (`aws-service-role/ecs.amazonaws.com/…`).
fn linked_service(action: &str, request: &Request, context: &mut RequestContext) {
    if !action.eq_ignore_ascii_case("iam:CreateServiceLinkedRole") {
        return;
    }
    let principals: Vec<String> = request
        .vars
        .get("RoleNameWithPath")
        .into_iter()
        .flatten()
        .filter_map(|r| r.strip_prefix("aws-service-role/")?.split('/').next())
        .map(str::to_string)
        .collect();
    if !principals.is_empty() {
        context.insert("iam:awsservicename".into(), principals);
    }
}

/// A call that creates its resource finds no tags on it: every
/// `aws:ResourceTag/…` (and the service's own `…:ResourceTag/…`) is absent.
fn untagged_if_created(action: &str, context: &mut RequestContext) {
    let Some((prefix, name)) = action.split_once(':') else {
        return;
    };
    let creates = (name.starts_with("Create") || name.starts_with("Register"))
        && !name.contains("Tag")
        && name != "CreateLogStream";
    if creates {
        context.insert("aws:resourcetag/*".into(), Vec::new());
        context.insert(
            format!("{}:resourcetag/*", prefix.to_ascii_lowercase()),
            Vec::new(),
        );
    }
}

/// The condition keys a command's own call determines: `ecs:cluster` for an
/// ECS action that has the key (the cluster the command names, else
/// `default`), and no `PREFIX:CreateAction` for a tagging action called by
/// itself (the key is there only when a create action tags).
fn call_context(action: &str, request: &Request) -> RequestContext {
    let mut context = RequestContext::new();
    // The reader's own call: no service made it for them.
    context.insert("aws:viaawsservice".into(), vec!["false".into()]);
    for key in ["aws:calledvia", "aws:calledviafirst", "aws:calledvialast"] {
        context.insert(key.into(), Vec::new());
    }
    untagged_if_created(action, &mut context);
    let Some((prefix, name)) = action.split_once(':') else {
        return context;
    };
    let Some(found) = crate::checks::policy::catalog::Catalog::builtin()
        .service(prefix)
        .and_then(|s| s.action(name))
    else {
        return context;
    };
    linked_service(action, request, &mut context);
    let create_action = format!("{prefix}:createaction");
    if found
        .condition_keys
        .iter()
        .any(|k| k.eq_ignore_ascii_case(&create_action))
    {
        context.insert(create_action, Vec::new());
    }
    let has_cluster = prefix == "ecs" && found.condition_keys.contains(&"ecs:cluster");
    if !has_cluster || request.unknown.contains("ClusterName") {
        return context;
    }
    let mut cluster = request.clone();
    cluster.types = BTreeSet::from([("ecs".to_string(), "cluster".to_string())]);
    if let Some(Arns::Resources(arns)) = arns::arns("ecs:DescribeClusters", &cluster) {
        context.insert("ecs:cluster".into(), arns);
    }
    context
}

/// Condition keys whose value is an option of the request: absent when the
/// command does not give it, which fails a condition on it (IAM's
/// condition operators on a key the request lacks).
const OPTION_KEYS: [(&str, &str); 2] = [
    ("cloudformation:rolearn", "--role-arn"),
    ("iam:permissionsboundary", "--permissions-boundary"),
];

impl Context<'_> {
    /// The keys of [`OPTION_KEYS`] that `action` has, from the command's
    /// options: the value given (when the check can read it), else none.
    fn option_keys(&self, at: At, parsed: &Parsed<'_>, action: &str, context: &mut RequestContext) {
        let Some((prefix, name)) = action.split_once(':') else {
            return;
        };
        let Some(found) = crate::checks::policy::catalog::Catalog::builtin()
            .service(prefix)
            .and_then(|s| s.action(name))
        else {
            return;
        };
        for (key, option) in OPTION_KEYS {
            if !found
                .condition_keys
                .iter()
                .any(|k| k.eq_ignore_ascii_case(key))
            {
                continue;
            }
            match parsed.option(option).first() {
                None => {
                    context.insert(key.to_string(), Vec::new());
                }
                Some((text, _)) => {
                    if let Some(value) = self.literal_value(at, text) {
                        let value = readers_arn(&value, &self.region(at));
                        context.insert(key.to_string(), vec![value]);
                    }
                }
            }
        }
    }

    /// The Region a command runs in: its `--region`, else `AWS_REGION`, else
    /// `AWS_DEFAULT_REGION`, each as the command's prefix or else a literal
    /// assignment sets it, else the guide's example Region.
    fn region(&self, at: At) -> String {
        let command = self.command(at);
        let words = &command.words;
        let flag = words.iter().enumerate().find_map(|(i, w)| {
            if w.text == "--region" {
                return words.get(i + 1).map(|v| v.text.clone());
            }
            w.text.strip_prefix("--region=").map(str::to_string)
        });
        let prefix = |name: &str| {
            words
                .iter()
                .take_while(|w| w.text != "aws")
                .find_map(|w| w.text.strip_prefix(&format!("{name}=")).map(str::to_string))
        };
        // `AWS_REGION` overrides `AWS_DEFAULT_REGION` wherever each is set
        // (AWS CLI User Guide, Environment variables).
        flag.and_then(|v| self.literal_value(at, &v))
            .or_else(|| prefix("AWS_REGION"))
            .or_else(|| self.literal(at, "AWS_REGION"))
            .or_else(|| prefix("AWS_DEFAULT_REGION"))
            .or_else(|| self.literal(at, "AWS_DEFAULT_REGION"))
            .filter(|r| !r.is_empty() && !r.contains(['$', '`']))
            .unwrap_or_else(|| evaluator::SAMPLE_REGION.to_string())
    }

    /// The value of a literal assignment of `name`: the last before the
    /// command in its block, else the first any path block makes.
    fn literal(&self, at: At, name: &str) -> Option<String> {
        let found = |c: &Command| {
            literal_assignment(c)
                .filter(|(n, _)| *n == name)
                .map(|(_, v)| v.to_string())
        };
        if let Some(v) = self.commands(at)[..at.command].iter().rev().find_map(found) {
            return Some(v);
        }
        let literals = self.memo.literals.get_or_init(|| {
            let mut first = HashMap::new();
            for &(_, _, a) in self.path_commands() {
                if let Some((n, v)) = literal_assignment(self.command(a)) {
                    first.entry(n.to_string()).or_insert_with(|| v.to_string());
                }
            }
            first
        });
        literals.get(name).cloned()
    }

    /// A word's value when it is literal or a variable a literal assignment
    /// sets; `None` when the shell alone knows it.
    fn literal_value(&self, at: At, text: &str) -> Option<String> {
        if !text.contains(['$', '`']) {
            return Some(text.to_string());
        }
        self.literal(at, variable(text)?)
    }

    /// What a command names, following shell variables and `$(…)` to the
    /// commands that set them.
    fn request(&self, at: At, env: &Env, depth: usize) -> Request {
        let mut request = Request::default();
        let Some(parsed) = parse(self.command(at)) else {
            return request;
        };
        let Some(model) = parsed.model else {
            return request;
        };
        let names = models::arn_names();
        let tables: Vec<&BTreeMap<String, models::Names>> = [
            names.cli.get(&parsed.service),
            names.cli.get(&format!("{} {}", parsed.service, parsed.op)),
        ]
        .into_iter()
        .flatten()
        .collect();
        let lookup = |option: &str| tables.iter().rev().find_map(|t| t.get(option));
        let named = |request: &mut Request, n: &models::Names, values: &[(&str, &Word)]| {
            let service = n.service.as_deref().unwrap_or(&model.signing_name);
            // An account names no resource by itself.
            if n.var != "Account" {
                request.name(service, &n.kind);
            }
            for (text, word) in values {
                self.value(at, env, depth, (service, n), text, word, request);
            }
        };
        let rest = parsed.rest;
        if let (Some(first), Some(n)) = (rest.first(), lookup("positional"))
            && !first.text.starts_with("--")
        {
            named(&mut request, n, &[(first.text.as_str(), first)]);
        }
        for option in option_words(rest, |_| true) {
            // YAML input names the resources too, but is not read: unjudged,
            // never judged on `*`.
            if option.name == "--cli-input-yaml" {
                let name = option.values.first().map(|(v, _)| v.to_string());
                request.opaque = request.opaque.take().or(name).or(Some(String::new()));
                continue;
            }
            if option.name == "--cli-input-json" {
                let file = option
                    .values
                    .first()
                    .and_then(|(v, _)| v.strip_prefix("file://"));
                let input = match file.map(|f| (self.file_json)(f)) {
                    Some(Input::Json(value)) => Some(value),
                    // A missing or broken file is another check's report.
                    Some(Input::Missing | Input::Broken) => {
                        request.opaque.get_or_insert_with(String::new);
                        None
                    }
                    _ => {
                        let name = option.values.first().map(|(v, _)| v.to_string());
                        request.opaque = request.opaque.take().or(name);
                        None
                    }
                };
                for (member, value) in input.iter().flat_map(|v| v.as_object()).flatten() {
                    let Some(n) = lookup(&format!("--{}", kebab(member))) else {
                        continue;
                    };
                    let service = n.service.as_deref().unwrap_or(&model.signing_name);
                    request.name(service, &n.kind);
                    let texts: Vec<&str> = match value {
                        Value::String(s) => vec![s.as_str()],
                        Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
                        _ => Vec::new(),
                    };
                    for text in texts {
                        // The guide has readers fill these in (`sed`), as the
                        // example account and Region stand for theirs.
                        let text = text
                            .replace("${AWS::AccountId}", evaluator::SAMPLE_ACCOUNT)
                            .replace("${AWS::Region}", evaluator::SAMPLE_REGION);
                        // An unquoted here-document puts the shell's
                        // values in: a variable a literal assignment sets.
                        if let Some(text) = self.literal_value(at, &text) {
                            request.set_value(service, &n.kind, &n.var, &text);
                        } else if !names.ids.contains_key(&n.var) {
                            request.unknown.insert(n.var.clone());
                        }
                    }
                }
                continue;
            }
            if let Some(n) = lookup(option.name) {
                named(&mut request, n, &option.values);
                continue;
            }
            // IDs of several types (`--resources sg-… subnet-…`): the prefix
            // says which.
            if names
                .id_options
                .get(&parsed.service)
                .is_some_and(|o| o.iter().any(|o| o == option.name))
            {
                let prefixes = names.id_prefixes.get(&parsed.service);
                for (text, word) in &option.values {
                    let value = self.literal_value(at, text);
                    let prefix = value
                        .as_deref()
                        .and_then(|v| v.split_once('-'))
                        .map(|p| p.0);
                    let by_prefix = prefixes.zip(prefix).and_then(|(p, x)| p.get(x));
                    // `"$SG_ID"` set by `create-security-group` (or a
                    // `describe-security-groups`) is a security group's ID.
                    let by_source = || {
                        let source = variable(text).and_then(|v| env.get(v).copied())?;
                        let from = parse(self.command(source))?;
                        let kind = from
                            .op
                            .strip_prefix("create-")
                            .or_else(|| from.op.strip_prefix("describe-")?.strip_suffix('s'))?;
                        prefixes?.values().find(|n| n.kind == kind)
                    };
                    match by_prefix.or_else(by_source) {
                        Some(n) => named(&mut request, n, &[(text, word)]),
                        None => {
                            request.unknown_id.get_or_insert_with(|| text.to_string());
                        }
                    }
                }
                continue;
            }
            // An option no table names may still give a resource by its
            // full ARN (`--resource-arn`, `--resource`, `--arn`), or by a
            // variable a command of the same service set from its answer
            // (`--change-set-name "$CHANGE_SET"` after `CHANGE_SET=$(aws
            // cloudformation create-change-set … --query Id …)`): what that
            // command names.
            for (text, _) in &option.values {
                if text.starts_with("arn:") {
                    // Another service's ARN (`--role-arn` of a stack) names
                    // what the command uses, not what it acts on: its
                    // account is not the resource's.
                    let text = readers_arn(text, &self.region(at));
                    let service = text.split(':').nth(2).unwrap_or_default();
                    if service == model.signing_name && !text.contains(['$', '`']) {
                        request.set_arn(&text);
                    }
                    continue;
                }
                let Some(source) = variable(text).and_then(|v| env.get(v).copied()) else {
                    // A change set's ARN the reader pastes names its stack,
                    // which the check cannot see: unjudged, not `*`.
                    if option.name == "--change-set-name" && variable(text).is_some() {
                        request.opaque = request.opaque.take().or(Some(text.to_string()));
                    }
                    continue;
                };
                let same_service =
                    parse(self.command(source)).is_some_and(|p| p.service == parsed.service);
                if same_service && depth < 4 {
                    let from = self.request(source, env, depth + 1);
                    request.types.extend(from.types);
                    for (var, values) in from.vars {
                        for v in values {
                            request.set(&var, v);
                        }
                    }
                }
            }
        }
        if parsed.service == "iam" {
            self.with_iam_paths(&mut request);
        }
        request
    }

    /// An IAM role, user or group an IAM command names without its path has
    /// the path its `create-…` command gave (`--path /responderapi/`): the
    /// ARN IAM evaluates is `role/responderapi/NAME`. (A full ARN elsewhere
    /// says its own path.)
    fn with_iam_paths(&self, request: &mut Request) {
        const KINDS: [(&str, &str, &str); 3] = [
            ("RoleNameWithPath", "create-role", "--role-name"),
            ("UserNameWithPath", "create-user", "--user-name"),
            ("GroupNameWithPath", "create-group", "--group-name"),
        ];
        for (var, create, option) in KINDS {
            let Some(values) = request.vars.get_mut(var) else {
                continue;
            };
            for value in values.iter_mut().filter(|v| !v.contains('/')) {
                if let Some(path) = self.iam_path(create, option, value) {
                    *value = format!("{path}{value}");
                }
            }
        }
    }

    /// The `--path` (without its leading `/`) that a path's `aws iam
    /// CREATE OPTION NAME` gives, when it gives one.
    fn iam_path(&self, create: &str, option: &str, name: &str) -> Option<String> {
        self.path_commands().iter().find_map(|&(_, _, at)| {
            let parsed = parse(self.command(at))?;
            if parsed.service != "iam" || parsed.op != create {
                return None;
            }
            let named = parsed
                .option(option)
                .iter()
                .any(|(v, _)| self.literal_value(at, v).as_deref() == Some(name));
            let path = parsed.option("--path").first()?.0;
            let path = self.literal_value(at, path)?;
            let path = path.trim_start_matches('/');
            (named && !path.is_empty()).then(|| path.to_string())
        })
    }

    /// Adds what one option value (`text`, in `word`) names to `request`.
    #[allow(clippy::too_many_arguments)]
    fn value(
        &self,
        at: At,
        env: &Env,
        depth: usize,
        (service, n): (&str, &models::Names),
        text: &str,
        word: &Word,
        request: &mut Request,
    ) {
        let ids = &models::arn_names().ids;
        let arn;
        let text = if text.starts_with("arn:") && text.contains('$') {
            arn = readers_arn(text, &self.region(at));
            arn.as_str()
        } else {
            text
        };
        if n.service_linked {
            let roles = &models::arn_names().service_linked_roles;
            match self
                .literal_value(at, text)
                .and_then(|p| Some((roles.get(&p)?, p)))
            {
                Some((role, principal)) => {
                    request.set(&n.var, format!("aws-service-role/{principal}/{role}"))
                }
                None => {
                    request.unknown.insert(n.var.clone());
                }
            }
            return;
        }
        if let Some(text) = self.literal_value(at, text) {
            let text = match ids.get(&n.var).filter(|_| n.folder_of_id) {
                Some(id) => format!("{}/{id}", text.trim_end_matches('/')),
                None => text,
            };
            request.set_value(service, &n.kind, &n.var, &text);
            return;
        }
        let source = if text.contains("$(…)") {
            inner(self.commands(at), word).map(|command| At { command, ..at })
        } else {
            variable(text).and_then(|v| env.get(v).copied())
        };
        let from = source
            .filter(|_| depth < 4)
            .map(|s| self.request(s, env, depth + 1));
        match from.as_ref().and_then(|r| r.vars.get(&n.var)) {
            Some(values) => {
                for v in values {
                    request.set(&n.var, v.clone());
                }
            }
            None if ids.contains_key(&n.var) => {}
            None => {
                request.unknown.insert(n.var.clone());
            }
        }
    }

    /// Every command that makes CloudFormation work on a stack, in the order
    /// the paths run them.
    pub(crate) fn stack_commands(&self) -> Vec<StackCommand> {
        let mut out = Vec::new();
        let commands = self.path_commands();
        for (n, &(_, _, at)) in commands.iter().enumerate() {
            let Some(parsed) = parse(self.command(at)) else {
                continue;
            };
            let key = format!("{} {}", parsed.service, parsed.op);
            let Some(custom) = models::cli_calls().commands.get(&key) else {
                continue;
            };
            let (Some(kind), Some(stack_option)) = (&custom.stack, &custom.stack_name) else {
                continue;
            };
            // A preview creates a change set and exits: the stack stays,
            // unless a later `execute-change-set` of the paths may run it
            // (by an ARN or a name the shell alone knows, on its stack).
            if parsed.gives("--no-execute-changeset") {
                let stack = parsed
                    .option(stack_option)
                    .first()
                    .and_then(|(t, _)| self.literal_value(at, t));
                let executed = commands[n + 1..].iter().any(|&(_, _, later)| {
                    parse(self.command(later)).is_some_and(|p| {
                        let name = p
                            .option("--change-set-name")
                            .first()
                            .map(|(t, _)| self.literal_value(later, t));
                        let later_stack = p
                            .option("--stack-name")
                            .first()
                            .and_then(|(t, _)| self.literal_value(later, t));
                        p.service == "cloudformation"
                            && p.op == "execute-change-set"
                            && matches!(name, Some(None))
                                | matches!(&name, Some(Some(n)) if n.starts_with("arn:"))
                            && (later_stack.is_none() || later_stack == stack)
                    })
                });
                if !executed {
                    continue;
                }
            }
            // A change set deploys when a later command executes it.
            let kind = if kind == "change-set" {
                let literal = |p: &Parsed<'_>, o: &str| {
                    p.option(o)
                        .first()
                        .and_then(|(t, _)| self.literal_value(at, t))
                };
                let named = (
                    literal(&parsed, "--change-set-name"),
                    literal(&parsed, stack_option),
                );
                // `CHANGE_SET=$(aws cloudformation create-change-set …)`.
                let block = self.commands(at);
                let assigned = block.iter().find_map(|c| {
                    assignment(block, c)
                        .filter(|(_, i)| *i == at.command)
                        .map(|(name, _)| name)
                });
                let executed = commands[n + 1..].iter().any(|&(_, _, later)| {
                    parse(self.command(later)).is_some_and(|p| {
                        let by_name = named.0.is_some()
                            && (
                                literal(&p, "--change-set-name"),
                                literal(&p, "--stack-name"),
                            ) == named;
                        let by_arn = assigned.as_deref().is_some_and(|name| {
                            p.option("--change-set-name")
                                .first()
                                .and_then(|(t, _)| variable(t))
                                == Some(name)
                        });
                        p.service == "cloudformation"
                            && p.op == "execute-change-set"
                            && (by_name || by_arn)
                    })
                });
                if !executed {
                    continue;
                }
                // CreateChangeSet's ChangeSetType: UPDATE unless given.
                match parsed.option("--change-set-type").first().map(|(t, _)| *t) {
                    Some("CREATE") => "change-set-create",
                    Some("UPDATE") | None => "change-set-update",
                    Some(_) => continue,
                }
            } else {
                kind.as_str()
            };
            let Some(&(stack_text, stack_word)) = parsed.option(stack_option).first() else {
                continue;
            };
            let mut unknown = None;
            let mut missing = None;
            let stack = self.literal_value(at, stack_text).unwrap_or_else(|| {
                unknown = Some((stack_word.range.clone(), stack_text.to_string()));
                stack_text.to_string()
            });
            // A template in S3 (`--template-url`) is not the book's to read.
            let template_word = custom
                .template
                .as_ref()
                .and_then(|o| parsed.option(o).first().copied())
                .or_else(|| parsed.option("--template-url").first().copied());
            let template = template_word.and_then(|(text, w)| {
                let Some(text) = self.literal_value(at, text) else {
                    unknown.get_or_insert((w.range.clone(), text.to_string()));
                    return None;
                };
                if text.starts_with("https://") || text.starts_with("http://") {
                    unknown.get_or_insert((w.range.clone(), text.to_string()));
                    return None;
                }
                let name = text.strip_prefix("file://").unwrap_or(&text);
                if matches!((self.file_json)(name), Input::Missing) {
                    missing = Some((w.range.clone(), name.to_string()));
                }
                let rel = (self.book_file)(name)?;
                self.templates.iter().position(|t| t.rel == rel)
            });
            let mut given = Given::default();
            for option in ["--parameter-overrides", "--parameters"] {
                for (text, word) in parsed.option(option) {
                    given.add(text, word.range.clone(), option == "--parameter-overrides");
                }
            }
            let tags = parsed.option("--tags");
            let capabilities: Vec<&str> = parsed
                .option("--capabilities")
                .iter()
                .map(|(t, _)| *t)
                .collect();
            out.push(StackCommand {
                at,
                head: parsed.head.clone(),
                kind: kind.to_string(),
                stack,
                region: self.region(at),
                template,
                template_word: template_word.map(|(_, w)| w.range.clone()),
                previous_template: parsed
                    .rest
                    .iter()
                    .any(|w| w.text == "--use-previous-template"),
                role_arn: parsed
                    .option("--role-arn")
                    .first()
                    .map(|(t, _)| t.to_string()),
                parameters: given.values,
                parameter_words: given.words,
                previous: given.previous,
                overrides_opaque: given.opaque,
                unknown,
                tags: (!tags.is_empty())
                    .then(|| tags.iter().map(|(t, _)| *t).collect::<Vec<_>>().join(" ")),
                capabilities: (!capabilities.iter().any(|c| c.contains(['$', '`'])))
                    .then(|| capabilities.iter().map(|c| c.to_string()).collect()),
                missing,
                protection: if parsed.gives("--enable-termination-protection") {
                    Some(true)
                } else if parsed.gives("--no-enable-termination-protection") {
                    Some(false)
                } else {
                    None
                },
                failed_only: if parsed.gives("--retain-resources") {
                    Some("--retain-resources".to_string())
                } else {
                    parsed
                        .option("--deletion-mode")
                        .first()
                        .filter(|(t, _)| *t == "FORCE_DELETE_STACK")
                        .map(|(t, _)| format!("--deletion-mode {t}"))
                },
            });
        }
        out
    }

    /// Each `execute-change-set` that no earlier `create-change-set` of the
    /// paths makes (by the same literal name and stack, or by the variable
    /// that holds its ARN): where, and the change set's name.
    pub(crate) fn unpaired_executes(&self) -> Vec<(At, Range<usize>, String)> {
        let commands = self.path_commands();
        let mut out = Vec::new();
        for (n, &(_, _, at)) in commands.iter().enumerate() {
            let Some(p) = parse(self.command(at)) else {
                continue;
            };
            if p.service != "cloudformation" || p.op != "execute-change-set" {
                continue;
            }
            let literal = |p: &Parsed<'_>, o: &str, at: At| {
                p.option(o)
                    .first()
                    .and_then(|(t, _)| self.literal_value(at, t))
            };
            let name = literal(&p, "--change-set-name", at);
            let stack = literal(&p, "--stack-name", at);
            // An ARN, or a name the shell alone knows, is not judged here.
            let Some(name) = name.filter(|n| !n.starts_with("arn:")) else {
                continue;
            };
            let made = commands[..n].iter().any(|&(_, _, before)| {
                parse(self.command(before)).is_some_and(|c| {
                    c.service == "cloudformation"
                        && c.op == "create-change-set"
                        && literal(&c, "--change-set-name", before).as_deref()
                            == Some(name.as_str())
                        && (stack.is_none() || literal(&c, "--stack-name", before) == stack)
                })
            });
            if !made {
                out.push((at, p.head.clone(), name));
            }
        }
        out
    }

    /// The path commands whose calls are not known: a service with no
    /// vendored model (`aws s3api list-buckets`), or one of the CLI's own
    /// commands `cli-calls.toml` does not list. Where, and the command.
    pub(crate) fn unmodelled(&self) -> Vec<(At, Range<usize>, String)> {
        self.path_commands()
            .iter()
            .filter(|(_, _, at)| !self.rejected.contains(at))
            .filter_map(|&(_, _, at)| {
                let parsed = parse(self.command(at))?;
                parsed
                    .calls()
                    .is_none()
                    .then(|| (at, parsed.head.clone(), parsed.label()))
            })
            .collect()
    }

    /// Each way through the guide as steps of stack commands (indices in
    /// `stacks`), for [`stacks::events`].
    fn ways(&self, stacks: &[StackCommand]) -> Vec<stacks::Way> {
        let index: HashMap<At, usize> = stacks.iter().enumerate().map(|(i, s)| (s.at, i)).collect();
        SEQUENCES
            .iter()
            .map(|sequence| {
                let steps = sequence
                    .paths
                    .iter()
                    .flat_map(|path| self.run.steps(path))
                    .map(|step| {
                        step.variants
                            .iter()
                            .map(|variant| {
                                let count = self.scripts[step.chapter]
                                    .get(variant.block)
                                    .map_or(0, |(_, c)| c.len());
                                let commands = (0..count)
                                    .filter_map(|command| {
                                        let at = At {
                                            chapter: step.chapter,
                                            block: variant.block,
                                            command,
                                        };
                                        index.get(&at).copied()
                                    })
                                    .collect();
                                (variant.arch.clone(), commands)
                            })
                            .collect::<stacks::Step>()
                    })
                    .filter(|step| step.iter().any(|(_, v)| !v.is_empty()))
                    .collect();
                (sequence.name, sequence.paths, steps)
            })
            .collect()
    }

    /// Every stack command, and what each does in each way through the guide.
    pub(crate) fn stack_events(&self) -> (Vec<StackCommand>, Vec<stacks::Event>) {
        let commands = self.stack_commands();
        let templates: Vec<&Value> = self.templates.iter().map(|t| &t.value).collect();
        let events = stacks::events(&self.ways(&commands), &commands, &templates);
        (commands, events)
    }

    /// The needs of every command of every path.
    pub(crate) fn derive(&self) -> Vec<CommandNeeds> {
        let (stacks, events) = self.stack_events();
        self.derive_with(&stacks, &events)
    }

    /// [`Self::derive`] from the [`Self::stack_events`] the caller has.
    pub(crate) fn derive_with(
        &self,
        stacks: &[StackCommand],
        events: &[stacks::Event],
    ) -> Vec<CommandNeeds> {
        let mut stack_needs: HashMap<_, Vec<Need>> = HashMap::new();
        let everywhere = self.assignments();
        let mut out = Vec::new();
        for path in crate::model::run_paths::PATHS {
            let mut env = Env::new();
            for step in self.run.steps(path) {
                let key = (step.chapter, step.variants[0].block);
                for variant in &step.variants {
                    let Some((_, commands)) = self.scripts[step.chapter].get(variant.block) else {
                        continue;
                    };
                    let mut local = env.clone();
                    for (i, command) in commands.iter().enumerate() {
                        let at = At {
                            chapter: step.chapter,
                            block: variant.block,
                            command: i,
                        };
                        if let Some((name, from)) = assignment(commands, command) {
                            local.insert(
                                name,
                                At {
                                    command: from,
                                    ..at
                                },
                            );
                        }
                        let Some(parsed) = parse(command) else {
                            continue;
                        };
                        // A command the CLI check rejects is its report alone.
                        if self.rejected.contains(&at) {
                            continue;
                        }
                        let Some(calls) = parsed.calls() else {
                            continue;
                        };
                        let mut scope = everywhere.clone();
                        scope.extend(local.clone());
                        let region = self.region(at);
                        let mut request = self.request(at, &scope, 0);
                        // The command's Region, after any an ARN gives.
                        request.set("Region", region.clone());
                        let given = |option: &str| {
                            option_words(parsed.rest, |_| true)
                                .iter()
                                .any(|o| o.name == option)
                        };
                        let mut needs: Vec<Need> = calls
                            .into_iter()
                            .filter(|(action, _)| {
                                !models::cli_calls().no_permission.contains_key(action)
                            })
                            .flat_map(|(action, why)| {
                                let implied = implied(&action, &request, &given);
                                let arns = arns::arns(&action, &request);
                                let mut context = call_context(&action, &request);
                                self.option_keys(at, &parsed, &action, &mut context);
                                arns.map(|arns| Need::Call {
                                    action,
                                    arns,
                                    why,
                                    context,
                                    alternatives: Vec::new(),
                                })
                                .into_iter()
                                .chain(implied)
                            })
                            .collect();
                        if let Some(i) = stacks.iter().position(|s| s.at == at) {
                            // Each way may find the stack otherwise; the
                            // command needs what any of them makes it do.
                            for event in events.iter().filter(|e| e.command == i) {
                                let key = (format!("{:?}", event.op), region.clone());
                                let found = stack_needs.entry(key).or_insert_with(|| {
                                    let mut needs = self.stack_needs(&stacks[i], &event.op);
                                    in_region(&mut needs, &region);
                                    needs
                                });
                                for need in found.iter() {
                                    if !needs.contains(need) {
                                        needs.push(need.clone());
                                    }
                                }
                            }
                        }
                        out.push(CommandNeeds {
                            path,
                            step: key,
                            at,
                            label: parsed.label(),
                            needs,
                            region,
                        });
                    }
                    if variant == &step.variants[0] {
                        env = local;
                    }
                }
            }
        }
        out
    }

    /// The variables every path block sets, for a command whose own path
    /// does not set one it uses.
    fn assignments(&self) -> Env {
        let mut env = Env::new();
        for &(_, _, at) in self.path_commands() {
            let commands = self.commands(at);
            if let Some((name, from)) = assignment(commands, self.command(at)) {
                env.entry(name).or_insert(At {
                    command: from,
                    ..at
                });
            }
        }
        env
    }

    /// What a stack command makes CloudFormation's handlers call with the
    /// deployer's permissions (none when the stack works with a role), and
    /// passing the role it gives.
    fn stack_needs(&self, stack: &StackCommand, op: &stacks::Op) -> Vec<Need> {
        let mut found = Vec::new();
        if let Some(role) = &stack.role_arn {
            found.extend(pass_role(role));
        }
        let tagged = |s: &stacks::State| {
            let value = &self.templates[s.template].value;
            if s.tags.is_empty() {
                value.clone()
            } else {
                handlers::with_stack_tags(value, &s.tags)
            }
        };
        let rel = |s: &stacks::State| self.templates[s.template].rel.as_str();
        let name = stack.stack.as_str();
        let handled = match op {
            stacks::Op::Create(after) if after.role.is_none() => {
                let value = tagged(after);
                handlers::create(
                    Template {
                        rel: rel(after),
                        value: &value,
                    },
                    name,
                )
            }
            stacks::Op::Update { before, after } if after.role.is_none() => {
                let (old, new) = (tagged(before), tagged(after));
                handlers::update(
                    Template {
                        rel: rel(before),
                        value: &old,
                    },
                    Template {
                        rel: rel(after),
                        value: &new,
                    },
                    name,
                    &after.changed_from(before),
                )
            }
            stacks::Op::Delete(before) if stack.role_arn.is_none() && before.role.is_none() => {
                let value = tagged(before);
                handlers::delete(
                    Template {
                        rel: rel(before),
                        value: &value,
                    },
                    name,
                )
            }
            _ => Vec::new(),
        };
        found.extend(handled.into_iter().map(Need::Handler));
        found
    }
}

/// An ARN written with shell variables for its Region and account
/// (`arn:aws:ecs:$AWS_REGION:$ACCOUNT_ID:cluster/…`): the reader's account
/// is the example account, as everywhere else the guide names it, and the
/// Region the one the command runs in. Other variables stay.
fn readers_arn(arn: &str, region: &str) -> String {
    static FIELD: LazyLock<regex::Regex> =
        LazyLock::new(|| regex::Regex::new(r"^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$").expect("valid"));
    let mut parts: Vec<&str> = arn.splitn(6, ':').collect();
    if parts.len() == 6 {
        if FIELD.is_match(parts[3]) {
            parts[3] = region;
        }
        if FIELD.is_match(parts[4]) {
            parts[4] = evaluator::SAMPLE_ACCOUNT;
        }
    }
    parts.join(":")
}

/// Passing `role` to CloudFormation (`--role-arn`).
fn pass_role(role: &str) -> Option<Need> {
    let role = &readers_arn(role, evaluator::SAMPLE_REGION);
    let mut request = Request::default();
    request.name("iam", "role");
    if role.contains('$') {
        request.unknown.insert("RoleNameWithPath".into());
    } else {
        request.set_value("iam", "role", "RoleNameWithPath", role);
    }
    let context = RequestContext::from([(
        "iam:passedtoservice".to_string(),
        vec!["cloudformation.amazonaws.com".to_string()],
    )]);
    arns::arns("iam:PassRole", &request).map(|arns| Need::Call {
        action: "iam:PassRole".into(),
        arns,
        why: "`--role-arn` passes the role CloudFormation works with".into(),
        context,
        alternatives: Vec::new(),
    })
}

/// The parameter values a stack command gives: `NAME=VALUE` (`deploy`'s
/// `--parameter-overrides`) or the API's shorthand
/// `ParameterKey=NAME,ParameterValue=VALUE` and `…,UsePreviousValue=true`.
/// Anything else (`file://…`, JSON, a variable) is opaque.
#[derive(Default)]
struct Given {
    values: BTreeMap<String, String>,
    words: BTreeMap<String, Range<usize>>,
    previous: BTreeSet<String>,
    opaque: bool,
}

impl Given {
    /// `overrides`: `deploy`'s `NAME=VALUE`, which awscli splits at the
    /// first `=` whatever follows (`ParameterKey=…` names `ParameterKey`).
    fn add(&mut self, text: &str, range: Range<usize>, overrides: bool) {
        // `${VPC_ID}` and `$VPC_ID` are the same value of the reader's shell.
        // So are `${VPC_ID:?set it first}` and `${VPC_ID:-…}`: the shell's
        // checks and defaults, the value the same.
        static BRACES: LazyLock<regex::Regex> = LazyLock::new(|| {
            regex::Regex::new(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-?=+][^}]*)?\}").expect("valid")
        });
        let text = &*BRACES.replace_all(text, "$$$1");
        if text.starts_with("ParameterKey=") && !overrides {
            let fields: BTreeMap<&str, &str> =
                text.split(',').filter_map(|f| f.split_once('=')).collect();
            let Some(name) = fields.get("ParameterKey").map(|n| n.to_string()) else {
                self.opaque = true;
                return;
            };
            if fields.get("UsePreviousValue") == Some(&"true") {
                self.previous.insert(name);
            } else if let Some(value) = fields.get("ParameterValue") {
                self.values.insert(name.clone(), value.to_string());
                self.words.insert(name, range);
            } else {
                self.opaque = true;
            }
            return;
        }
        match text.split_once('=') {
            Some((name, value)) if !name.is_empty() && !name.contains(['$', '`', '/']) => {
                self.values.insert(name.to_string(), value.to_string());
                self.words.insert(name.to_string(), range);
            }
            _ => self.opaque = true,
        }
    }
}

/// A need the policy does not meet, on one ARN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Missing {
    pub decision: Decision,
    pub arn: String,
    /// Other ARNs the same action is refused on, for the same command.
    pub more: usize,
}

/// Which needs the policy refuses: per command, per action, the first ARN
/// (and how many more) and the need that asked for it.
pub(crate) fn refused<'n>(
    policy: &Policy,
    commands: &'n [CommandNeeds],
) -> Vec<(&'n CommandNeeds, &'n Need, Missing)> {
    let mut out = Vec::new();
    // The same call recurs across handlers and updates: decide it once.
    let mut decided: HashMap<(String, String, RequestContext), Decision> = HashMap::new();
    for command in commands {
        let mut by_action: BTreeMap<&str, (&Need, Missing)> = BTreeMap::new();
        let mut arns_seen: BTreeSet<(&str, &str)> = BTreeSet::new();
        let mut order: Vec<&str> = Vec::new();
        for need in &command.needs {
            let Arns::Resources(arns) = need.arns() else {
                continue;
            };
            let context = need_context(need, command);
            let alternatives: &[String] = match need {
                Need::Call { alternatives, .. } => alternatives,
                Need::Handler(_) => &[],
            };
            for arn in arns {
                let mut decide = |action: &str| {
                    *decided
                        .entry((action.to_string(), arn.clone(), context.clone()))
                        .or_insert_with(|| evaluator::decide_in([policy], action, arn, &context))
                };
                let mut decision = decide(need.action());
                if alternatives.iter().any(|a| decide(a) == Decision::Allowed) {
                    decision = Decision::Allowed;
                }
                if decision == Decision::Allowed || !arns_seen.insert((need.action(), arn)) {
                    continue;
                }
                match by_action.get_mut(need.action()) {
                    Some((_, m)) => m.more += 1,
                    None => {
                        order.push(need.action());
                        by_action.insert(
                            need.action(),
                            (
                                need,
                                Missing {
                                    decision,
                                    arn: arn.clone(),
                                    more: 0,
                                },
                            ),
                        );
                    }
                }
            }
        }
        for action in order {
            let (need, missing) = by_action.remove(action).expect("recorded");
            out.push((command, need, missing));
        }
    }
    out
}

/// The handlers' ARNs in the Region the stack is deployed to: the template's
/// `${AWS::Region}` and the ARNs built without one hold the example Region.
fn in_region(needs: &mut [Need], region: &str) {
    if region == evaluator::SAMPLE_REGION {
        return;
    }
    for need in needs {
        let Need::Handler(h) = need else {
            continue;
        };
        if let Arns::Resources(arns) = &mut h.arns {
            for arn in arns {
                let mut parts: Vec<&str> = arn.splitn(5, ':').collect();
                if parts.len() == 5 && parts[3] == evaluator::SAMPLE_REGION {
                    parts[3] = region;
                    *arn = parts.join(":");
                }
            }
        }
    }
}

/// What the request context holds for a need: the Region the command runs
/// in (IAM's endpoint is us-east-1's), the service a handler passes roles to,
/// and what the call determines.
fn need_context(need: &Need, command: &CommandNeeds) -> RequestContext {
    let mut context = match need {
        Need::Call { context, .. } => context.clone(),
        Need::Handler(h) => {
            let mut c = RequestContext::new();
            // A handler calls with the deployer's credentials, through
            // CloudFormation (IAM User Guide, aws:CalledVia).
            c.insert("aws:viaawsservice".into(), vec!["true".into()]);
            for key in ["aws:calledvia", "aws:calledviafirst", "aws:calledvialast"] {
                c.insert(key.into(), vec!["cloudformation.amazonaws.com".into()]);
            }
            if h.handler == "create" {
                untagged_if_created(&h.action, &mut c);
            } else if let Some((prefix, _)) = h.action.split_once(':') {
                // Tags written to a resource that exists: no create action
                // is tagging (`ec2:CreateAction` is absent).
                c.insert(
                    format!("{}:createaction", prefix.to_ascii_lowercase()),
                    Vec::new(),
                );
            }
            if h.action == "iam:PassRole"
                && let Some(service) = models::cli_calls().passed_to.get(&h.kind)
            {
                c.insert("iam:passedtoservice".into(), vec![service.clone()]);
            }
            c
        }
    };
    let region = if need.action().starts_with("iam:") {
        "us-east-1".to_string()
    } else {
        command.region.clone()
    };
    context.insert("aws:requestedregion".into(), vec![region]);
    context
}

/// The deployer policy, parsed, with its file for locations.
pub(crate) struct DeployerPolicy<'a> {
    pub rel: &'a str,
    pub text: &'a str,
    pub value: &'a Value,
}

/// Reports every need the deployer policy refuses once, at the first
/// command that has it (the template resource as a related location for a
/// handler's need); every later command with the same need (the same call
/// on the same resource, for the same reason) is a related location.
pub(crate) fn check(
    ctx: &Context<'_>,
    commands: &[CommandNeeds],
    policy: &DeployerPolicy<'_>,
) -> Vec<Diagnostic> {
    let parsed = evaluator::parse(policy.value);
    let mut reported: BTreeSet<((usize, usize), String)> = BTreeSet::new();
    let mut first: BTreeMap<String, usize> = BTreeMap::new();
    let mut out: Vec<Diagnostic> = Vec::new();
    for (command, need, missing) in refused(&parsed, commands) {
        if !reported.insert((command.step, need.action().to_string())) {
            continue;
        }
        let head = parse(ctx.command(command.at)).map_or(0..0, |p| p.head);
        let how = match missing.decision {
            Decision::ExplicitDeny => "denies",
            _ => "does not allow",
        };
        let more = match missing.more {
            0 => String::new(),
            1 => " (and on 1 more resource)".into(),
            n => format!(" (and on {n} more resources)"),
        };
        let action = need.action();
        let arn = &missing.arn;
        let by = match need {
            Need::Call { why, .. } => format!("which `{}` calls ({why})", command.label),
            Need::Handler(h) => format!(
                "which CloudFormation's {} handler of `{}` (`{}`) calls during `{}`",
                h.handler, h.resource, h.kind, command.label
            ),
        };
        let message = format!("`{}` {how} `{action}` on `{arn}`{more}, {by}", policy.rel);
        if let Some(&i) = first.get(&message) {
            let at = ctx.locate(command.at, head);
            out[i].related.push(crate::diagnostics::Related {
                location: at,
                message: "needed here too".into(),
            });
            continue;
        }
        first.insert(message.clone(), out.len());
        let mut d = Diagnostic::raise(
            AWS_DEPLOYER_PERMISSION,
            ctx.locate(command.at, head),
            message,
        )
        .with_hint(
            condition_hint(&parsed, action, arn, &need_context(need, command)).unwrap_or_else(
                || {
                    let context = need_context(need, command);
                    statement_hint(&parsed, policy, action, arn, missing.decision, &context)
                },
            ),
        );
        if let Need::Handler(h) = need
            && let Some(t) = ctx.templates.iter().find(|t| t.rel == h.template)
        {
            let range = Index::new(&t.text).key_range(&format!(
                "/Resources/{}",
                super::shapes::escape(&h.resource)
            ));
            d = d.with_related(
                Location::in_text(&t.rel, &t.text, range),
                format!(
                    "the `{}` resource whose {} handler calls it",
                    h.kind, h.handler
                ),
            );
        }
        let statement = match missing.decision {
            Decision::ExplicitDeny => {
                denying_statement(&parsed, action, arn, &need_context(need, command))
                    .map(|i| (i, "the statement that denies it"))
            }
            _ => fitting_statement(&parsed, action, arn, &need_context(need, command))
                .map(|(i, _)| (i, "the statement that could take it")),
        };
        if let Some((i, what)) = statement {
            let range = Index::new(policy.text).value_range(&format!("/Statement/{i}/Action"));
            d = d.with_related(Location::in_text(policy.rel, policy.text, range), what);
        }
        out.push(d);
    }
    // A resource whose type the request does not say is not judged, aloud.
    let mut warned = BTreeSet::new();
    for command in commands {
        for need in &command.needs {
            let (message, hint) = match need.arns() {
                Arns::Unjudged(id) => (
                    format!(
                        "the deployer permission check does not know which kind of resource `{id}` is, so it does not judge `{}`, which `{}` calls on it",
                        need.action(),
                        command.label
                    ),
                    "add the ID's prefix to [id-prefixes] in preprocessors/data/aws/arn-names.toml",
                ),
                Arns::Unread(file) if file.starts_with('$') => (
                    format!(
                        "the deployer permission check cannot read `{file}`, which names what `{}` acts on, so it does not judge `{}`",
                        command.label,
                        need.action()
                    ),
                    "give `--stack-name` too, or set the variable from the command that makes the change set (`CHANGE_SET=$(aws cloudformation create-change-set … --query Id --output text)`)",
                ),
                Arns::Unread(file) => (
                    format!(
                        "the deployer permission check cannot read `{file}`, which names what `{}` acts on, so it does not judge `{}`",
                        command.label,
                        need.action()
                    ),
                    "the check reads `--cli-input-json` input that is a file of the book or written in an earlier block (`cat > NAME.json <<'EOF'` … `EOF`); it does not read YAML",
                ),
                _ => continue,
            };
            if !warned.insert((command.step, need.action().to_string())) {
                continue;
            }
            let head = parse(ctx.command(command.at)).map_or(0..0, |p| p.head);
            out.push(
                Diagnostic::raise(
                    crate::checks::aws::AWS_UNJUDGED,
                    ctx.locate(command.at, head),
                    message,
                )
                .with_hint(hint),
            );
        }
    }
    out
}

/// Reports what the deployer policy refuses in another Region the release
/// facts offer (book.toml `regions`) but allows in the example Region the
/// guide's commands run in: readers choose their Region. Once per need,
/// naming the first such Region. A policy that names no Region (nor
/// `aws:RequestedRegion`) decides alike in every Region and is not
/// evaluated again.
pub(crate) fn check_regions(
    ctx: &Context<'_>,
    commands: &[CommandNeeds],
    policy: &DeployerPolicy<'_>,
    regions: &[String],
) -> Vec<Diagnostic> {
    let lower = policy.text.to_ascii_lowercase();
    let names_a_region = lower.contains("requestedregion")
        || regions
            .iter()
            .any(|r| lower.contains(&r.to_ascii_lowercase()))
        || [
            "us-", "eu-", "ap-", "sa-", "ca-", "me-", "af-", "il-", "mx-",
        ]
        .iter()
        .any(|p| lower.contains(&format!(":{p}")) || lower.contains(&format!("\"{p}")));
    if !names_a_region {
        return Vec::new();
    }
    let parsed = evaluator::parse(policy.value);
    let home: BTreeSet<(At, String)> = refused(&parsed, commands)
        .into_iter()
        .map(|(c, n, _)| (c.at, n.action().to_string()))
        .collect();
    let mut reported: BTreeSet<(String, String)> = BTreeSet::new();
    let mut out = Vec::new();
    for region in regions.iter().filter(|r| *r != evaluator::SAMPLE_REGION) {
        let regional: Vec<CommandNeeds> = commands
            .iter()
            .filter(|c| c.region == evaluator::SAMPLE_REGION)
            .map(|c| CommandNeeds {
                path: c.path,
                step: c.step,
                at: c.at,
                label: c.label.clone(),
                needs: c.needs.iter().map(|n| regionalized(n, region)).collect(),
                region: region.clone(),
            })
            .collect();
        for (command, need, missing) in refused(&parsed, &regional) {
            let action = need.action();
            if home.contains(&(command.at, action.to_string())) {
                continue;
            }
            let any_region = missing.arn.replace(&format!(":{region}:"), "::");
            if !reported.insert((action.to_string(), any_region)) {
                continue;
            }
            let head = parse(ctx.command(command.at)).map_or(0..0, |p| p.head);
            let how = match missing.decision {
                Decision::ExplicitDeny => "denies",
                _ => "does not allow",
            };
            out.push(
                Diagnostic::raise(
                    AWS_DEPLOYER_PERMISSION,
                    ctx.locate(command.at, head),
                    format!(
                        "`{}` {how} `{action}` on `{}` in `{region}`, a Region the release is offered in, which `{}` calls there",
                        policy.rel, missing.arn, command.label
                    ),
                )
                .with_hint(format!(
                    "readers run the guide in the Region they choose: write `*` for the Region in the statement's ARNs (or `aws:RequestedRegion`), or list every Region of book.toml's `regions`; it is allowed in `{}`",
                    evaluator::SAMPLE_REGION
                )),
            );
        }
    }
    out
}

/// `need` made in `region`: the example Region in its ARNs (and in the
/// ARNs of its context, `ecs:cluster`) becomes `region`.
fn regionalized(need: &Need, region: &str) -> Need {
    let fix = |arns: &Arns| match arns {
        Arns::Resources(list) => {
            Arns::Resources(list.iter().map(|a| with_region(a, region)).collect())
        }
        other => other.clone(),
    };
    match need {
        Need::Call {
            action,
            arns,
            why,
            context,
            alternatives,
        } => Need::Call {
            action: action.clone(),
            arns: fix(arns),
            why: why.clone(),
            context: context
                .iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        v.iter().map(|a| with_region(a, region)).collect(),
                    )
                })
                .collect(),
            alternatives: alternatives.clone(),
        },
        Need::Handler(h) => Need::Handler(HandlerNeed {
            arns: fix(&h.arns),
            ..h.clone()
        }),
    }
}

/// An ARN in the example Region, moved to `region` (others as they are).
fn with_region(arn: &str, region: &str) -> String {
    let parts: Vec<&str> = arn.splitn(5, ':').collect();
    let regional = parts.len() == 5
        && parts[0] == "arn"
        && (parts[3] == evaluator::SAMPLE_REGION || parts[3] == region);
    if !regional {
        return arn.to_string();
    }
    let mut parts = parts;
    parts[3] = region;
    parts.join(":")
}

/// How a statement of the policy could take a refused call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fit {
    /// It allows the action, on other resources.
    HasAction,
    /// It allows actions of the same service on this resource.
    Covers,
    /// It allows actions of the same service, on other resources.
    SameService,
}

/// The Allow statement that could take `action` on `arn`, and how: one
/// whose conditions the request does not refute (naming one whose
/// condition fails would send the writer to a statement that cannot allow).
fn fitting_statement(
    policy: &Policy,
    action: &str,
    arn: &str,
    context: &RequestContext,
) -> Option<(usize, Fit)> {
    let prefix = format!(
        "{}:",
        action
            .split_once(':')
            .map_or(action, |(p, _)| p)
            .to_ascii_lowercase()
    );
    let same_service = |s: &evaluator::Statement| {
        s.actions
            .iter()
            .any(|(a, _)| a.to_ascii_lowercase().starts_with(&prefix))
    };
    let allowing = || {
        policy
            .statements
            .iter()
            .enumerate()
            .filter(|(_, s)| s.allow && s.refuted(action, context).is_none())
    };
    // Another action added to a statement on every resource, or to one
    // whose condition its requests may not meet, would allow it on `*` or
    // not at all: such a statement only takes actions it already has.
    let open_to_more = |s: &evaluator::Statement| {
        !s.not_action
            && same_service(s)
            && s.conditions.is_empty()
            && !s.resources.iter().any(|r| r == "*")
            && !s.not_resource
    };
    allowing()
        .find(|(_, s)| s.matches_action(action))
        .map(|(i, _)| (i, Fit::HasAction))
        .or_else(|| {
            allowing()
                .find(|(_, s)| open_to_more(s) && s.matches_resource(arn))
                .map(|(i, _)| (i, Fit::Covers))
        })
        .or_else(|| {
            // An action that takes no ARN does not belong in a statement
            // limited to ARNs: that would allow the others on `*` too.
            allowing()
                .find(|(_, s)| open_to_more(s) && arn != "*")
                .map(|(i, _)| (i, Fit::SameService))
        })
}

/// The Deny statement that refuses `action` on `arn`.
fn denying_statement(
    policy: &Policy,
    action: &str,
    arn: &str,
    context: &RequestContext,
) -> Option<usize> {
    policy.statements.iter().position(|s| {
        let alone = Policy {
            statements: vec![s.clone()],
        };
        !s.allow && evaluator::decide_in([&alone], action, arn, context) == Decision::ExplicitDeny
    })
}

/// When an Allow statement takes the call but for a condition the request
/// refutes: which statement, which key, and the request's value.
fn condition_hint(
    policy: &Policy,
    action: &str,
    arn: &str,
    context: &RequestContext,
) -> Option<String> {
    let (name, c, given) = refuted_allow(policy, action, context, |s| s.matches_resource(arn))?;
    Some(format!(
        "{name} allows `{action}` on this resource, but its `{}` condition on `{}` fails: {given}",
        c.operator, c.written
    ))
}

/// The first Allow statement with `action` (and `also`) whose condition the
/// request refutes: its name, the condition, and what the request has
/// ("the request's value is …").
fn refuted_allow<'a>(
    policy: &'a Policy,
    action: &str,
    context: &RequestContext,
    also: impl Fn(&evaluator::Statement) -> bool,
) -> Option<(String, &'a evaluator::Condition, String)> {
    policy.statements.iter().enumerate().find_map(|(i, s)| {
        if !(s.allow && s.matches_action(action) && also(s)) {
            return None;
        }
        let c = s.refuted(action, context)?;
        let name = s.sid.as_ref().map_or_else(
            || format!("statement {}", i + 1),
            |s| format!("the statement `{s}`"),
        );
        let given = match context.get(&c.key) {
            _ if evaluator::lacks_key(action, &c.key) => format!(
                "`{action}` requests carry no `{}` (the Service Authorization Reference lists no such key for the action or its resources)",
                c.written
            ),
            Some(v) if !v.is_empty() => format!("the request's value is `{}`", v.join("`, `")),
            _ => format!("the request has no `{}`", c.written),
        };
        Some((name, c, given))
    })
}

fn statement_hint(
    policy: &Policy,
    deployer: &DeployerPolicy<'_>,
    action: &str,
    arn: &str,
    decision: Decision,
    context: &RequestContext,
) -> String {
    if decision == Decision::ExplicitDeny {
        return format!(
            "a Deny statement of `{}` matches `{action}` on this resource: narrow it, or readers cannot follow the guide",
            deployer.rel
        );
    }
    let fit = fitting_statement(policy, action, arn, context);
    let arn = &without_sample_ids(arn);
    let hint = match fit {
        Some((i, fit)) => {
            let name = policy.statements[i].sid.as_ref().map_or_else(
                || format!("statement {}", i + 1),
                |s| format!("the statement `{s}`"),
            );
            match fit {
                // A request that names no resource is evaluated on `*`:
                // naming one is narrower than allowing every resource.
                Fit::HasAction if arn == "*" => format!(
                    "{name} allows `{action}` on the resources it names, and the command names none (IAM evaluates it on `*`): name the resource in the command, or, if it must see them all, allow `{action}` on `\"*\"` in a statement of its own"
                ),
                Fit::HasAction => format!(
                    "{name} allows `{action}`, but not on this resource: use the name it allows, or add `{arn}` to its resources"
                ),
                Fit::Covers => {
                    format!("add `{action}` to {name}, which already covers this resource")
                }
                Fit::SameService => format!(
                    "add `{action}` to {name} and let it cover `{arn}`, or add a statement for it"
                ),
            }
        }
        None if arn == "*" => {
            format!("add a statement that allows `{action}` on `\"*\"`: it takes no resource ARN")
        }
        None => format!("add a statement that allows `{action}` on `{arn}`"),
    };
    match refused_by_condition(policy, action, context) {
        Some(why) => format!("{hint} ({why})"),
        None => hint,
    }
}

/// An Allow statement with the action whose condition the request refutes,
/// said as why it does not take the call.
fn refused_by_condition(policy: &Policy, action: &str, context: &RequestContext) -> Option<String> {
    let (name, c, given) = refuted_allow(policy, action, context, |_| true)?;
    Some(format!(
        "{name} allows `{action}` only when its `{}` condition on `{}` holds, and {given}",
        c.operator, c.written
    ))
}

/// An ARN with each part of its resource that is a sample ID (what AWS
/// assigns: a stack's ID, a revision) written `*`, as a policy names it.
fn without_sample_ids(arn: &str) -> String {
    let ids = &models::arn_names().ids;
    let split = arn.match_indices(':').nth(4).map_or(0, |(i, _)| i + 1);
    let (head, resource) = arn.split_at(split);
    let mut out = head.to_string();
    let mut part = String::new();
    for c in resource.chars().chain(std::iter::once('\0')) {
        if matches!(c, '/' | ':' | '\0') {
            let sample = ids.values().any(|id| *id == part);
            out.push_str(if sample { "*" } else { &part });
            part.clear();
            if c != '\0' {
                out.push(c);
            }
        } else {
            part.push(c);
        }
    }
    out
}

/// Per path: the distinct actions its commands need, and how many of them
/// only CloudFormation's handlers call.
pub fn figures(commands: &[CommandNeeds]) -> Vec<(&'static str, usize, usize)> {
    crate::model::run_paths::PATHS
        .iter()
        .map(|path| {
            let mut all = BTreeSet::new();
            let mut by_command = BTreeSet::new();
            for c in commands.iter().filter(|c| c.path == *path) {
                for n in &c.needs {
                    all.insert(n.action().to_string());
                    if matches!(n, Need::Call { .. }) {
                        by_command.insert(n.action().to_string());
                    }
                }
            }
            let handlers_only = all.difference(&by_command).count();
            (*path, all.len(), handlers_only)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggested_arns_write_what_aws_assigns_as_a_wildcard() {
        assert_eq!(
            without_sample_ids(
                "arn:aws:cloudformation:us-east-1:111122223333:stack/prod/0a1b2c3d-4e5f-6789-abcd-ef0123456789"
            ),
            "arn:aws:cloudformation:us-east-1:111122223333:stack/prod/*"
        );
        assert_eq!(
            without_sample_ids("arn:aws:ecs:us-east-1:111122223333:task-definition/app:1"),
            "arn:aws:ecs:us-east-1:111122223333:task-definition/app:*"
        );
        let named = "arn:aws:ecs:us-east-1:111122223333:cluster/c1";
        assert_eq!(without_sample_ids(named), named);
    }

    #[test]
    fn kebab_case_and_variables() {
        assert_eq!(kebab("taskRoleArn"), "task-role-arn");
        assert_eq!(kebab("family"), "family");
        assert_eq!(variable("$ALB_ARN"), Some("ALB_ARN"));
        assert_eq!(variable("${TG_ARN}"), Some("TG_ARN"));
        assert_eq!(variable("$MY_IP/32"), None);
    }

    #[test]
    fn assignments_link_a_variable_to_the_command_that_sets_it() {
        let commands = super::super::shell::commands(
            "ALB_ARN=$(aws elbv2 create-load-balancer --name a \\\n  --query x --output text)\nfor arn in $(aws ecs list-task-definitions --family-prefix f); do echo $arn; done\n",
        );
        let found: Vec<(String, String)> = commands
            .iter()
            .filter_map(|c| assignment(&commands, c))
            .map(|(name, i)| (name, commands[i].words[2].text.clone()))
            .collect();
        assert_eq!(
            found,
            [
                ("ALB_ARN".to_string(), "create-load-balancer".to_string()),
                ("arn".to_string(), "list-task-definitions".to_string()),
            ]
        );
    }
}
