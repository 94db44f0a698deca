//! What each stack command does to its stack in each way through the guide
//! (`run_paths::SEQUENCES`), in the order a reader runs it: whether it
//! creates, updates or deletes the stack, from which template and parameter
//! values to which, with which role and stack tags; or whether
//! CloudFormation refuses it. A stack remembers what the commands before
//! gave it: `aws cloudformation deploy` sends `UsePreviousValue` for a
//! parameter it does not override, and a later command without `--role-arn`
//! or `--tags` keeps the stack's role and tags (CloudFormation API
//! reference: `UpdateStack`, `CreateChangeSet` and `DeleteStack`, `RoleARN`
//! and `Tags`). The replacement and handler checks judge these events, not
//! every pair of templates.

use super::shell::At;
use super::stack_diff;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

/// A command that makes CloudFormation work on a stack.
#[derive(Debug, Clone)]
pub(crate) struct StackCommand {
    pub at: At,
    /// From `aws` to the command's name, in the block's script.
    pub head: Range<usize>,
    /// `create`, `update`, `delete` or `deploy`.
    pub kind: String,
    pub stack: String,
    /// The Region the command runs in: a stack is one per Region and name.
    pub region: String,
    /// The template's index in the context's templates.
    pub template: Option<usize>,
    /// Where the template option's value is in the block's script.
    pub template_word: Option<Range<usize>>,
    /// `--use-previous-template`: the stack's template stays.
    pub previous_template: bool,
    /// `--role-arn`: the handlers use that role's permissions, not the deployer's.
    pub role_arn: Option<String>,
    /// `--parameter-overrides` or `--parameters`: parameter → the value's text.
    pub parameters: BTreeMap<String, String>,
    /// Where each of those is written.
    pub parameter_words: BTreeMap<String, Range<usize>>,
    /// `--parameters ParameterKey=NAME,UsePreviousValue=true`.
    pub previous: BTreeSet<String>,
    /// Parameter values from a file or a shell variable: not known here.
    pub overrides_opaque: bool,
    /// A stack or template given by a shell variable no literal assignment
    /// sets: where, and the text. The command is not compared.
    pub unknown: Option<(Range<usize>, String)>,
    /// `--tags`, as written: stack tags, which CloudFormation gives every
    /// taggable resource. `None`: the stack keeps the tags it has.
    pub tags: Option<String>,
    /// `--capabilities`; `None` when a variable gives them.
    pub capabilities: Option<Vec<String>>,
    /// A template file no file of the book stands for, and no command
    /// before writes: where, and its name.
    pub missing: Option<(Range<usize>, String)>,
    /// `--enable-termination-protection` (`Some(true)`) or its `--no-`
    /// form: whether the stack may be deleted from here on.
    pub protection: Option<bool>,
    /// A delete option DeleteStack takes only for a stack in
    /// `DELETE_FAILED` (`--retain-resources`, `--deletion-mode
    /// FORCE_DELETE_STACK`), as written.
    pub failed_only: Option<String>,
}

/// What a stack holds after a command that made or changed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct State {
    /// The template's index in the book's templates.
    pub template: usize,
    /// Each parameter's value as written (`"$VPC_ID"` is the reader's value).
    pub parameters: BTreeMap<String, String>,
    /// Values came from where the check cannot read (`file://`, a
    /// variable): those parameters are not in `parameters`, and are not
    /// judged.
    pub opaque: bool,
    /// The role CloudFormation works with (`--role-arn`), kept by the stack.
    pub role: Option<String>,
    /// The stack tags as written, empty for none.
    pub tags: String,
    /// Termination protection is on: DeleteStack refuses the stack.
    pub protected: bool,
    /// The command (its index in the stack commands) that gave this state.
    pub by: usize,
}

impl State {
    /// The parameters whose values may differ from `before`'s: those both
    /// have, with other values (a parameter one of the two templates lacks
    /// is not referred to by the other).
    pub(crate) fn changed_from(&self, before: &State) -> BTreeSet<String> {
        let names = self.parameters.keys().chain(before.parameters.keys());
        // A value read from where the check cannot look is not in the
        // map: it is not judged to change.
        names
            .filter(|name| {
                matches!(
                    (self.parameters.get(*name), before.parameters.get(*name)),
                    (Some(a), Some(b)) if a != b
                )
            })
            .cloned()
            .collect()
    }

    /// The parameters' values as text, where they do not change from
    /// `before` and are written out (not the reader's `"$VPC_ID"`).
    pub(crate) fn known_with(&self, before: &State) -> BTreeMap<String, String> {
        let changed = self.changed_from(before);
        before
            .parameters
            .iter()
            .chain(&self.parameters)
            .filter(|(k, v)| !changed.contains(*k) && !v.contains(['$', '`']))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Op {
    Create(State),
    Update {
        before: State,
        after: State,
    },
    Delete(State),
    /// CloudFormation refuses the command: why, and how to mend it.
    Refused {
        why: String,
        hint: String,
    },
}

/// One command's effect in one way through the guide.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Event {
    pub sequence: &'static str,
    /// The paths of that way, in order.
    pub paths: &'static [&'static str],
    /// The command's index in the stack commands.
    pub command: usize,
    pub op: Op,
}

/// A step of a way: its variants (one per architecture, named by it when
/// they are in an `{{#arch}}` group), each the indices of its stack
/// commands in order.
pub(crate) type Step = Vec<(Option<String>, Vec<usize>)>;

/// A way through the guide: its name, its paths, its steps.
pub(crate) type Way = (&'static str, &'static [&'static str], Vec<Step>);

/// A stack as far as the check can follow it.
#[derive(Clone)]
enum Slot {
    Known(State),
    /// Deployed from a template the check cannot name.
    Unknown,
}

/// The events of every way through the guide, for a reader of each
/// architecture (who runs that architecture's variant of every step, or
/// the one variant a step has). `templates[i]` is the book template the
/// commands' `template` indices name.
pub(crate) fn events(ways: &[Way], commands: &[StackCommand], templates: &[&Value]) -> Vec<Event> {
    let mut out = Vec::new();
    for (sequence, paths, steps) in ways {
        let mut archs: Vec<Option<&str>> = steps
            .iter()
            .flatten()
            .filter_map(|(arch, _)| arch.as_deref().map(Some))
            .collect();
        archs.sort();
        archs.dedup();
        if archs.is_empty() {
            archs.push(None);
        }
        for arch in archs {
            // A stack is one per Region and name.
            let mut stacks: BTreeMap<(&str, &str), Slot> = BTreeMap::new();
            for step in steps {
                let Some((_, variant)) = step
                    .iter()
                    .find(|(a, _)| a.as_deref() == arch)
                    .or_else(|| step.first())
                else {
                    continue;
                };
                for &i in variant {
                    let c = &commands[i];
                    if c.unknown.is_some() && c.stack.contains(['$', '`']) {
                        continue;
                    }
                    let key = (c.region.as_str(), c.stack.as_str());
                    let before = stacks.get(&key).cloned();
                    let (mut op, mut slot) = effect(c, i, before, templates);
                    // IAM names are global: a create whose template names a
                    // role another live stack of the way made fails.
                    if let Some(Op::Create(state)) = &op
                        && let Some(why) =
                            named_elsewhere(state, &key, &stacks, commands, templates)
                    {
                        op = Some(Op::Refused {
                            why: format!(
                                "CloudFormation cannot create the stack `{}` in {}: {why}",
                                c.stack, c.region
                            ),
                            hint: "run every command of the stack in one Region (the same `--region`, or `AWS_REGION` set once), or delete the other stack first".into(),
                        });
                        slot = None;
                    }
                    if let Some(op) = op {
                        let event = Event {
                            sequence,
                            paths,
                            command: i,
                            op,
                        };
                        if !out.contains(&event) {
                            out.push(event);
                        }
                    }
                    match slot {
                        Some(s) => stacks.insert(key, s),
                        None => stacks.remove(&key),
                    };
                }
            }
        }
    }
    out
}

/// The IAM names (`RoleName` of an `AWS::IAM::Role`, written out) of a
/// stack's template.
fn iam_names(template: &Value) -> BTreeSet<String> {
    stack_diff::resources(template)
        .iter()
        .filter(|(_, r)| stack_diff::kind(r) == Some("AWS::IAM::Role"))
        .filter_map(|(_, r)| {
            let name = stack_diff::properties(r).get("RoleName")?;
            name.as_str().map(str::to_string).or_else(|| {
                // `{"Fn::Sub": "ResponderAPI…"}` without a variable.
                let sub = name.get("Fn::Sub")?.as_str()?;
                (!sub.contains("${")).then(|| sub.to_string())
            })
        })
        .collect()
}

/// Why a create with `state` fails on a role name another live stack of
/// the way (another Region or name) holds.
fn named_elsewhere(
    state: &State,
    key: &(&str, &str),
    stacks: &BTreeMap<(&str, &str), Slot>,
    commands: &[StackCommand],
    templates: &[&Value],
) -> Option<String> {
    let mine = iam_names(templates[state.template]);
    stacks.iter().find_map(|(other, slot)| {
        let Slot::Known(theirs) = slot else {
            return None;
        };
        if other == key {
            return None;
        }
        let theirs_names = iam_names(templates[theirs.template]);
        let name = mine.intersection(&theirs_names).next()?;
        Some(format!(
            "its role `{name}` exists, made by the stack `{}` in {} (`{name} already exists`); IAM role names are global",
            commands[theirs.by].stack, other.0
        ))
    })
}

/// What command `i` does to a stack that holds `before` (`None`: there is
/// no such stack), and what the stack holds after.
fn effect(
    c: &StackCommand,
    i: usize,
    before: Option<Slot>,
    templates: &[&Value],
) -> (Option<Op>, Option<Slot>) {
    let exists = before.is_some();
    let known = match &before {
        Some(Slot::Known(s)) => Some(s),
        _ => None,
    };
    let refused = |why: String, hint: String| Some(Op::Refused { why, hint });
    let kind = c.kind.as_str();
    let creates = matches!(kind, "create" | "change-set-create");
    let updates = matches!(kind, "update" | "change-set-update");
    match (kind, exists) {
        ("delete", false) => return (None, None),
        ("delete", true) => {
            if let Some(option) = &c.failed_only {
                return (
                    refused(
                        format!(
                            "CloudFormation refuses to delete the stack `{}`: `{option}` is only for a stack whose delete failed (`DELETE_FAILED`), and the commands before leave it working",
                            c.stack
                        ),
                        format!(
                            "delete the stack without `{option}`; keep it for the recovery of a failed delete"
                        ),
                    ),
                    before,
                );
            }
            if known.is_some_and(|s| s.protected) {
                return (
                    refused(
                        format!(
                            "CloudFormation refuses to delete the stack `{}`: a command before this one turned its termination protection on (`Stack [{}] cannot be deleted while TerminationProtection is enabled`)",
                            c.stack, c.stack
                        ),
                        format!(
                            "run `aws cloudformation update-termination-protection --no-enable-termination-protection --stack-name {}` first",
                            c.stack
                        ),
                    ),
                    before,
                );
            }
            return (known.map(|s| Op::Delete(s.clone())), None);
        }
        ("protect", false) => {
            return (
                refused(
                    format!(
                        "CloudFormation refuses to change the termination protection of the stack `{}`: no command before this one creates it (`Stack [{}] does not exist`)",
                        c.stack, c.stack
                    ),
                    "create the stack first".into(),
                ),
                None,
            );
        }
        ("protect", true) => {
            let after = match (before, c.protection) {
                (Some(Slot::Known(mut s)), Some(on)) => Slot::Known({
                    s.protected = on;
                    s
                }),
                (slot, _) => slot.unwrap_or(Slot::Unknown),
            };
            return (None, Some(after));
        }
        (_, true) if creates => {
            return (
                refused(
                    format!(
                        "CloudFormation refuses to create the stack `{}`: a command before this one made it (`AlreadyExistsException`)",
                        c.stack
                    ),
                    "deploy over it with `aws cloudformation deploy`, `update-stack` or a change set of type UPDATE, or delete it first".into(),
                ),
                before,
            );
        }
        (_, false) if updates => {
            return (
                refused(
                    format!(
                        "CloudFormation refuses to update the stack `{}`: no command before this one creates it (`Stack with id {} does not exist`)",
                        c.stack, c.stack
                    ),
                    "create the stack first (a change set creates one with `--change-set-type CREATE`), or use `aws cloudformation deploy`, which creates a stack that does not exist".into(),
                ),
                None,
            );
        }
        _ => {}
    }
    let template = if c.previous_template {
        known.map(|s| s.template)
    } else {
        c.template
    };
    let Some(template) = template.filter(|_| before.is_none() || known.is_some()) else {
        // A template the check cannot read: what the stack holds from here
        // on is not known.
        return (None, Some(Slot::Unknown));
    };
    let value = templates[template];
    let (parameters, missing) = parameters(c, value, known);
    let problem = undeclared(c, value, known)
        .or_else(|| without_value(c, &missing))
        .or_else(|| disallowed(value, &parameters))
        .or_else(|| capabilities(c, value));
    if let Some((why, hint)) = problem {
        let doing = if exists { "update" } else { "create" };
        // awscli's own refusal is not CloudFormation's.
        let awscli = why.starts_with("the template has no parameter")
            || why.starts_with("`--parameter-overrides`");
        let why = if awscli && c.kind == "deploy" {
            why
        } else {
            format!(
                "CloudFormation refuses to {doing} the stack `{}`: {why}",
                c.stack
            )
        };
        let hint = if exists {
            hint
        } else {
            format!(
                "{hint}; no command before this one creates the stack `{}` in this way through the guide, so this one creates it, or would: mark the block for the paths whose readers already have the stack if it is meant for them",
                c.stack
            )
        };
        return (refused(why, hint), before);
    }
    let after = State {
        template,
        parameters,
        opaque: c.overrides_opaque
            || known.is_some_and(|s| {
                s.opaque
                    && !stack_diff::declared_parameters(value)
                        .all(|(p, _)| c.parameters.contains_key(p))
            }),
        role: c
            .role_arn
            .clone()
            .or_else(|| known.and_then(|s| s.role.clone())),
        tags: c
            .tags
            .clone()
            .or_else(|| known.map(|s| s.tags.clone()))
            .unwrap_or_default(),
        protected: c
            .protection
            .unwrap_or_else(|| known.is_some_and(|s| s.protected)),
        by: i,
    };
    let op = match known {
        Some(before) => Op::Update {
            before: before.clone(),
            after: after.clone(),
        },
        None => Op::Create(after.clone()),
    };
    (Some(op), Some(Slot::Known(after)))
}

/// How the command gives a parameter a value, for a hint.
fn how_to_give(c: &StackCommand) -> &'static str {
    if c.kind == "deploy" {
        "`--parameter-overrides NAME=VALUE`"
    } else {
        "`--parameters ParameterKey=NAME,ParameterValue=VALUE`"
    }
}

/// `a`, `b` and `c`, each in backticks.
fn names(list: &[String]) -> String {
    list.iter()
        .map(|m| format!("`{m}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A value for a parameter the template does not declare, or
/// `UsePreviousValue` for one the stack did not have.
fn undeclared(
    c: &StackCommand,
    template: &Value,
    before: Option<&State>,
) -> Option<(String, String)> {
    let declared: BTreeSet<&String> = stack_diff::declared_parameters(template)
        .map(|(n, _)| n)
        .collect();
    let unknown: Vec<String> = c
        .parameters
        .keys()
        .chain(&c.previous)
        .filter(|k| !declared.contains(k))
        .cloned()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if c.kind == "deploy" && c.parameters.contains_key("ParameterKey") {
        return Some((
            "`--parameter-overrides` takes `NAME=VALUE`: `aws cloudformation deploy` reads `ParameterKey=…,ParameterValue=…` as a value for a parameter named `ParameterKey`, and drops it".to_string(),
            "write each override as `NAME=VALUE`; `ParameterKey=NAME,ParameterValue=VALUE` is the syntax of `create-stack`'s `--parameters`".to_string(),
        ));
    }
    // `deploy` drops an override the template does not declare, harmless
    // unless it was meant for one it does (`ImageURI` for `ImageUri`).
    let unknown: Vec<String> = if c.kind == "deploy" {
        unknown
            .into_iter()
            .filter(|u| {
                crate::diagnostics::suggest::closest(u, declared.iter().map(|d| d.as_str()))
                    .is_some()
            })
            .collect()
    } else {
        unknown
    };
    if !unknown.is_empty() {
        let hint = "name only the template's parameters (names are case-sensitive)".to_string();
        let why = if c.kind == "deploy" {
            // awscli's deploy keeps only the template's parameters: the
            // value is dropped, and the stack keeps its old one.
            format!(
                "the template has no parameter {}, so `aws cloudformation deploy` drops the value and the stack keeps the one it has",
                names(&unknown)
            )
        } else {
            format!(
                "the template has no parameter {} (`Parameters: [{}] do not exist in the template`)",
                names(&unknown),
                unknown.join(", ")
            )
        };
        return Some((why, hint));
    }
    let previous: Vec<String> = c
        .previous
        .iter()
        .filter(|k| before.is_none_or(|s| !s.opaque && !s.parameters.contains_key(*k)))
        .cloned()
        .collect();
    (!previous.is_empty()).then(|| {
        (
            format!(
                "{} `UsePreviousValue` for {}, which the stack has no value of",
                if previous.len() == 1 {
                    "it takes"
                } else {
                    "they take"
                },
                names(&previous)
            ),
            format!("give a value instead ({})", how_to_give(c)),
        )
    })
}

fn without_value(c: &StackCommand, missing: &[String]) -> Option<(String, String)> {
    if missing.is_empty() || c.overrides_opaque {
        return None;
    }
    Some((
        format!(
            "{} no default value and this command gives {} none (`Parameters: [{}] must have values`)",
            if missing.len() == 1 {
                format!("the parameter {} has", names(missing))
            } else {
                format!("the parameters {} have", names(missing))
            },
            if missing.len() == 1 { "it" } else { "them" },
            missing.join(", ")
        ),
        format!("give each a value ({})", how_to_give(c)),
    ))
}

/// A written-out value outside the parameter's `AllowedValues` or
/// `AllowedPattern`, which CloudFormation checks before anything changes.
fn disallowed(template: &Value, values: &BTreeMap<String, String>) -> Option<(String, String)> {
    for (name, parameter) in stack_diff::declared_parameters(template) {
        let Some(value) = values.get(name).filter(|v| !v.contains(['$', '`'])) else {
            continue;
        };
        if let Some(allowed) = parameter.get("AllowedValues").and_then(Value::as_array) {
            let texts: Vec<String> = allowed.iter().map(text).collect();
            if !texts.contains(value) {
                return Some((
                    format!(
                        "the parameter `{name}` is `{value}`, which is not one of its AllowedValues (`Parameter '{name}' must be one of AllowedValues`)"
                    ),
                    format!("give `{name}` one of `{}`", texts.join("`, `")),
                ));
            }
        }
        let pattern = parameter.get("AllowedPattern").and_then(Value::as_str);
        // CloudFormation matches the pattern against the whole value.
        let re = pattern.map(whole_match);
        if let (Some(p), Some(Some(re))) = (pattern, re.as_deref())
            && !re.is_match(value)
        {
            return Some((
                format!(
                    "the parameter `{name}` is `{value}`, which does not match its AllowedPattern `{p}` (`Parameter '{name}' must match pattern {p}`)"
                ),
                format!("give `{name}` a value that matches `{p}`"),
            ));
        }
        if let Some(found) = out_of_bounds(name, parameter, value) {
            return Some(found);
        }
    }
    None
}

/// An AllowedPattern compiled once per process (`None`: the regex crate
/// cannot compile it).
fn whole_match(pattern: &str) -> std::sync::Arc<Option<regex::Regex>> {
    static COMPILED: super::shapes::Memo<Option<regex::Regex>> = std::sync::OnceLock::new();
    super::shapes::memo(&COMPILED, pattern, || {
        regex::Regex::new(&format!("^(?:{pattern})$")).ok()
    })
}

/// A `Number` parameter's value outside `MinValue`/`MaxValue` (or not a
/// number), a `String` one's length outside `MinLength`/`MaxLength`:
/// CloudFormation refuses these as it refuses `AllowedValues`.
fn out_of_bounds(name: &str, parameter: &Value, value: &str) -> Option<(String, String)> {
    let bound = |key: &str| -> Option<f64> {
        match parameter.get(key)? {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    };
    let show = |n: f64| n.to_string();
    let kind = parameter
        .get("Type")
        .and_then(Value::as_str)
        .unwrap_or("String");
    let (measure, what, low_key, high_key) = match kind {
        "Number" => {
            let Ok(number) = value.trim().parse::<f64>() else {
                return Some((
                    format!(
                        "the parameter `{name}` is `{value}`, which is not a number, and its Type is `Number`"
                    ),
                    format!("give `{name}` a number"),
                ));
            };
            (number, "value", "MinValue", "MaxValue")
        }
        "String" => (
            value.chars().count() as f64,
            "length",
            "MinLength",
            "MaxLength",
        ),
        _ => return None,
    };
    let (low, high) = (bound(low_key), bound(high_key));
    let (key, limit) = match (low, high) {
        (Some(l), _) if measure < l => (low_key, l),
        (_, Some(h)) if measure > h => (high_key, h),
        _ => return None,
    };
    let range = match (low, high) {
        (Some(l), Some(h)) => format!("from {} to {}", show(l), show(h)),
        (Some(l), None) => format!("at least {}", show(l)),
        (None, Some(h)) => format!("at most {}", show(h)),
        (None, None) => unreachable!("a bound was crossed"),
    };
    Some((
        format!(
            "the parameter `{name}` is `{value}`, whose {what} {} is outside its {key} {}",
            show(measure),
            show(limit)
        ),
        format!("give `{name}` a {what} {range}"),
    ))
}

/// IAM resources need `--capabilities` (CloudFormation API reference,
/// `Capabilities`): `CAPABILITY_NAMED_IAM` when one has a custom name,
/// else `CAPABILITY_IAM` or it.
fn capabilities(c: &StackCommand, template: &Value) -> Option<(String, String)> {
    let given = c.capabilities.as_ref()?;
    let mut iam = false;
    let mut named = None;
    for (id, resource) in stack_diff::resources(template) {
        let kind = stack_diff::kind(resource).unwrap_or_default();
        let Some((_, name)) = IAM_TYPES.iter().find(|(t, _)| *t == kind) else {
            continue;
        };
        iam = true;
        if !name.is_empty() && stack_diff::properties(resource).get(*name).is_some() {
            named.get_or_insert_with(|| format!("`{id}` (`{kind}`) is named by `{name}`"));
        }
    }
    let has = |cap: &str| given.iter().any(|g| g == cap);
    let needed = match (&named, iam) {
        (Some(_), _) if !has("CAPABILITY_NAMED_IAM") => "CAPABILITY_NAMED_IAM",
        (None, true) if !has("CAPABILITY_IAM") && !has("CAPABILITY_NAMED_IAM") => "CAPABILITY_IAM",
        _ => return None,
    };
    let what = named.unwrap_or_else(|| "the template has IAM resources".into());
    Some((
        format!(
            "{what}, and the command does not give `--capabilities {needed}` (`InsufficientCapabilities`)"
        ),
        format!("add `--capabilities {needed}`"),
    ))
}

/// The IAM resource types CloudFormation asks to acknowledge, and the
/// property that gives each a custom name ("" for none).
const IAM_TYPES: &[(&str, &str)] = &[
    ("AWS::IAM::AccessKey", ""),
    ("AWS::IAM::Group", "GroupName"),
    ("AWS::IAM::InstanceProfile", "InstanceProfileName"),
    ("AWS::IAM::ManagedPolicy", "ManagedPolicyName"),
    ("AWS::IAM::Policy", ""),
    ("AWS::IAM::Role", "RoleName"),
    ("AWS::IAM::User", "UserName"),
    ("AWS::IAM::UserToGroupAddition", ""),
];

/// The parameter values command `c` gives `template`'s parameters on a
/// stack that holds `before`, and the parameters left with none. An
/// override wins; else a previous value, which `deploy` keeps for every
/// parameter the stack has and the API's commands for those marked
/// `UsePreviousValue=true`; else the parameter's `Default`.
fn parameters(
    c: &StackCommand,
    template: &Value,
    before: Option<&State>,
) -> (BTreeMap<String, String>, Vec<String>) {
    let mut values = BTreeMap::new();
    let mut missing = Vec::new();
    for (name, parameter) in stack_diff::declared_parameters(template) {
        // Values from a file or variable: those not written out are unknown.
        if c.overrides_opaque && !c.parameters.contains_key(name) {
            continue;
        }
        let keeps = before.filter(|_| c.kind == "deploy" || c.previous.contains(name));
        // A value read from where the check cannot look is a value still.
        if keeps.is_some_and(|s| s.opaque) && !c.parameters.contains_key(name) {
            continue;
        }
        let previous = keeps.and_then(|s| s.parameters.get(name));
        let value = c
            .parameters
            .get(name)
            .or(previous)
            .cloned()
            .or_else(|| parameter.get("Default").map(text));
        match value {
            Some(v) => {
                values.insert(name.clone(), v);
            }
            None => missing.push(name.clone()),
        }
    }
    (values, missing)
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests;
