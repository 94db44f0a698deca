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

use super::deployer::StackCommand;
use super::stack_diff;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// What a stack holds after a command that made or changed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct State {
    /// The template's index in the book's templates.
    pub template: usize,
    /// Each parameter's value as written (`"$VPC_ID"` is the reader's value).
    pub parameters: BTreeMap<String, String>,
    /// Values came from where the check cannot read (`file://`, a
    /// variable): any parameter may hold anything.
    pub opaque: bool,
    /// The role CloudFormation works with (`--role-arn`), kept by the stack.
    pub role: Option<String>,
    /// The stack tags as written, empty for none.
    pub tags: String,
    /// The command (its index in the stack commands) that gave this state.
    pub by: usize,
}

impl State {
    /// The parameters whose values may differ from `before`'s: those both
    /// have, with other values (a parameter one of the two templates lacks
    /// is not referred to by the other).
    pub fn changed_from(&self, before: &State) -> BTreeSet<String> {
        let names = self.parameters.keys().chain(before.parameters.keys());
        names
            .filter(|name| {
                self.opaque
                    || before.opaque
                    || matches!(
                        (self.parameters.get(*name), before.parameters.get(*name)),
                        (Some(a), Some(b)) if a != b
                    )
            })
            .cloned()
            .collect()
    }

    /// The parameters' values as text, where they do not change from
    /// `before` and are written out (not the reader's `"$VPC_ID"`).
    pub fn known_with(&self, before: &State) -> BTreeMap<String, String> {
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
pub enum Op {
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
pub struct Event {
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
pub type Step = Vec<(Option<String>, Vec<usize>)>;

/// A way through the guide: its name, its paths, its steps.
pub type Way = (&'static str, &'static [&'static str], Vec<Step>);

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
pub fn events(ways: &[Way], commands: &[StackCommand], templates: &[&Value]) -> Vec<Event> {
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
            let mut stacks: BTreeMap<&str, Slot> = BTreeMap::new();
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
                    let before = stacks.get(c.stack.as_str()).cloned();
                    let (op, slot) = effect(c, i, before, templates);
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
                        Some(s) => stacks.insert(&c.stack, s),
                        None => stacks.remove(c.stack.as_str()),
                    };
                }
            }
        }
    }
    out
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
    match (c.kind.as_str(), exists) {
        ("delete", false) => (None, None),
        ("delete", true) => (known.map(|s| Op::Delete(s.clone())), None),
        ("create", true) => (
            Some(Op::Refused {
                why: format!(
                    "CloudFormation refuses to create the stack `{}`: a command before this one made it (`AlreadyExistsException`)",
                    c.stack
                ),
                hint: "deploy over it with `aws cloudformation deploy` or `update-stack`, or delete it first".into(),
            }),
            before,
        ),
        ("update", false) => (
            Some(Op::Refused {
                why: format!(
                    "CloudFormation refuses to update the stack `{}`: no command before this one creates it (`Stack with id {} does not exist`)",
                    c.stack, c.stack
                ),
                hint: "create the stack first, or use `aws cloudformation deploy`, which creates a stack that does not exist".into(),
            }),
            None,
        ),
        _ => {
            let template = if c.previous_template {
                known.map(|s| s.template)
            } else {
                c.template
            };
            let Some(template) = template.filter(|_| before.is_none() || known.is_some()) else {
                // A template the check cannot read: what the stack holds
                // from here on is not known.
                return (None, Some(Slot::Unknown));
            };
            let (parameters, missing) = parameters(c, templates[template], known);
            if !missing.is_empty() && !c.overrides_opaque {
                let names = missing
                    .iter()
                    .map(|m| format!("`{m}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let doing = if exists { "update" } else { "create" };
                return (
                    Some(Op::Refused {
                        why: format!(
                            "CloudFormation refuses to {doing} the stack `{}`: {} no default value and this command gives {} none (`Parameters: [{}] must have values`)",
                            c.stack,
                            if missing.len() == 1 {
                                format!("the parameter {names} has")
                            } else {
                                format!("the parameters {names} have")
                            },
                            if missing.len() == 1 { "it" } else { "them" },
                            missing.join(", ")
                        ),
                        hint: if exists {
                            "give each a value (`--parameter-overrides NAME=VALUE`)".into()
                        } else {
                            format!(
                                "no command before this one creates the stack `{}` in this way through the guide, so this one creates it: give each parameter a value (`--parameter-overrides NAME=VALUE`), or mark the block for the paths whose readers already have the stack",
                                c.stack
                            )
                        },
                    }),
                    before,
                );
            }
            let after = State {
                template,
                parameters,
                opaque: c.overrides_opaque
                    || known.is_some_and(|s| {
                        s.opaque && !stack_diff::declared_parameters(templates[template]).all(|(p, _)| c.parameters.contains_key(p))
                    }),
                role: c.role_arn.clone().or_else(|| known.and_then(|s| s.role.clone())),
                tags: c
                    .tags
                    .clone()
                    .or_else(|| known.map(|s| s.tags.clone()))
                    .unwrap_or_default(),
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
    }
}

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
