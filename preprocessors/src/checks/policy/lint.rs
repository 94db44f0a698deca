//! Everything checked about one policy text: allowed characters, JSON
//! syntax, repeated keys, the schema, the size quota, then the rules past
//! the grammar (in the spirit of IAM Access Analyzer), each with a stable
//! code and a severity.

use super::Kind;
use super::attach::{self, Attachment, Size};
use super::catalog::{Catalog, Lookup, wildcard_match};
use super::manifest::Entry;
use super::schema;
use crate::diagnostics::location::{Location, TextMap};
use crate::diagnostics::{Diagnostic, Edit};
use crate::model::json::{self, Index, escape};
use serde_json::Value;
use std::collections::HashMap;
use std::ops::Range;

crate::diagnostics::codes::declare! {
    POLICY_ALLOW_NOT_ACTION = "policy::allow-not-action", warning: "`Allow` with `NotAction`, which grants every other action";
    POLICY_ALLOW_NOT_PRINCIPAL = "policy::allow-not-principal", warning: "`Allow` with `NotPrincipal`, which trusts every other principal";
    POLICY_CHARACTER = "policy::character", error: "a character outside the range IAM accepts";
    POLICY_CONFUSED_DEPUTY = "policy::confused-deputy", warning: "a service trust policy without an `aws:SourceAccount` or `aws:SourceArn` condition";
    POLICY_DUPLICATE_ACTION = "policy::duplicate-action", warning: "an action listed twice in one statement";
    POLICY_DUPLICATE_KEY = "policy::duplicate-key", error: "a JSON key repeated in one object";
    POLICY_DUPLICATE_SID = "policy::duplicate-sid", error: "two statements with the same `Sid`";
    POLICY_JSON_SYNTAX = "policy::json-syntax", error: "a policy file that is not valid JSON";
    POLICY_REDUNDANT_ACTION = "policy::redundant-action", warning: "an action already granted by a wildcard in the same statement";
    POLICY_RESOURCE_STAR = "policy::resource-star", warning: "`Resource: \"*\"` on an action that takes resource ARNs, without a reason in the manifest";
    POLICY_RETIRED_SERVICE = "policy::retired-service", warning: "an action of a service AWS has retired (`deepracer`, `iot1click`, `zocalo`, …)";
    POLICY_SIZE = "policy::size", error: "a policy over the IAM size quota of an attachment `policies.toml` declares for it (by default, a managed or a trust policy's)";
    POLICY_TRUST_PRINCIPAL = "policy::trust-principal", warning: "a trust policy whose principal is not an AWS service";
    POLICY_UNKNOWN_ACTION = "policy::unknown-action", error: "an action the service does not have";
    POLICY_UNKNOWN_CONDITION_KEY = "policy::unknown-condition-key", warning: "a service condition key (`ecr:ResourceTag/…`) the service does not have";
    POLICY_UNKNOWN_SERVICE = "policy::unknown-service", error: "an action whose service prefix is unknown";
    POLICY_WILDCARD_ACTION = "policy::wildcard-action", error: "`*` or `service:*` as an action";
}

/// An inline policy of the same role as the one linted: the inline
/// policies of a role share one quota.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RoleMate {
    /// The policy's file stem.
    pub name: String,
    /// Its characters, whitespace not counted.
    pub characters: usize,
}

/// Lints one policy. `path` is how diagnostics name the file; `kind` is the
/// declared kind (`--kind`, the manifest), else the content decides;
/// `entry` is its manifest entry when it has one.
pub fn lint_text(
    path: &str,
    text: &str,
    kind: Option<Kind>,
    entry: Option<&Entry>,
) -> Vec<Diagnostic> {
    lint_with_role_mates(path, text, kind, entry, &[])
}

/// [`lint_text`] for a policy that the manifest puts inline in a role,
/// with the role's other inline policies (`role_mates`), which share its quota.
pub(crate) fn lint_with_role_mates(
    path: &str,
    text: &str,
    kind: Option<Kind>,
    entry: Option<&Entry>,
    role_mates: &[RoleMate],
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let map = TextMap::new(path, text);
    let at = |range: Range<usize>| map.locate(range);
    characters(text, &at, &mut out);
    let (document, index) = match json::parse(text) {
        Ok(parsed) => parsed,
        Err(error) => {
            let location = if error.range.is_empty() {
                Location::file(path)
            } else {
                at(error.range)
            };
            out.push(
                Diagnostic::raise(
                    POLICY_JSON_SYNTAX,
                    location,
                    format!("invalid JSON: {}", error.message),
                )
                .with_hint("a policy is one JSON object; check commas, quotes and brackets"),
            );
            return out;
        }
    };
    let kind = kind.unwrap_or_else(|| super::kind::from_content(&document));
    for dup in &index.duplicates {
        out.push(
            Diagnostic::raise(
                POLICY_DUPLICATE_KEY,
                at(dup.range.clone()),
                format!("`{}` appears twice in the same object", dup.key),
            )
            .with_related(at(dup.first.clone()), "first here")
            .with_hint("IAM refuses a policy whose keys repeat; merge the two"),
        );
    }
    for violation in schema::validate(&document, kind, &index) {
        out.push(violation.locate(at));
    }
    let quotas = Quotas {
        kind,
        entry,
        role_mates,
    };
    quotas.check(text, &at, &mut out);
    let rules = Rules {
        kind,
        entry,
        index: &index,
        catalog: Catalog::builtin(),
        at: &at,
        map: &map,
    };
    rules.run(&document, &mut out);
    out
}

/// IAM accepts tab, LF, CR and U+0020–U+00FF only.
fn characters(text: &str, at: &dyn Fn(Range<usize>) -> Location, out: &mut Vec<Diagnostic>) {
    for (i, c) in text.char_indices() {
        let allowed = matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{ff}');
        if !allowed {
            out.push(
                Diagnostic::raise(
                    POLICY_CHARACTER,
                    at(i..i + c.len_utf8()),
                    format!(
                        "IAM does not accept the character U+{:04X} in a policy",
                        c as u32
                    ),
                )
                .with_hint(
                    "a policy may hold tab, line feed, carriage return and U+0020 to U+00FF only",
                ),
            );
        }
    }
}

/// The size quotas of a policy: those of each attachment the manifest
/// declares for it, else its kind's default.
struct Quotas<'a> {
    kind: Kind,
    entry: Option<&'a Entry>,
    role_mates: &'a [RoleMate],
}

/// Where a policy first goes over one attachment's quota.
struct Excess {
    attachment: Attachment,
    /// The first byte over it.
    at: Range<usize>,
    /// Over the byte quota (whitespace counted), not the character one.
    bytes: bool,
}

impl Quotas<'_> {
    fn declared(&self) -> Vec<Attachment> {
        let declared: Vec<Attachment> = self
            .entry
            .map(Entry::attachments)
            .unwrap_or_default()
            .into_iter()
            .filter(|a| a.kind() == self.kind)
            .collect();
        declared
    }

    fn shared_by_role(&self, attachment: Attachment) -> usize {
        if attachment == Attachment::RoleInline {
            self.role_mates.iter().map(|m| m.characters).sum()
        } else {
            0
        }
    }

    /// The error at the first character over the quota that the text
    /// exceeds first (the smallest, with what the role's others take).
    fn check(&self, text: &str, at: &dyn Fn(Range<usize>) -> Location, out: &mut Vec<Diagnostic>) {
        let declared = self.declared();
        let named = !declared.is_empty();
        let attachments = if named {
            declared
        } else {
            vec![Attachment::default_for(self.kind)]
        };
        let size = Size::of(text);
        let mut first: Option<Excess> = None;
        for attachment in attachments {
            let allowance = attachment
                .limit()
                .saturating_sub(self.shared_by_role(attachment));
            let mut excesses = Vec::new();
            if size.characters > allowance {
                excesses.push((nth_counted(text, allowance), false));
            }
            if let Some(limit) = attachment.byte_limit()
                && size.bytes > limit
            {
                let mut start = limit;
                while !text.is_char_boundary(start) {
                    start -= 1;
                }
                let len = text[start..].chars().next().map_or(0, char::len_utf8);
                excesses.push((start..start + len, true));
            }
            for (range, bytes) in excesses {
                if first.as_ref().is_none_or(|f| range.start < f.at.start) {
                    first = Some(Excess {
                        attachment,
                        at: range,
                        bytes,
                    });
                }
            }
        }
        let Some(excess) = first else {
            return;
        };
        let attachment = excess.attachment;
        let declared = if named {
            format!(" (`{}` in policies.toml)", attachment.name())
        } else {
            String::new()
        };
        let others = self.shared_by_role(attachment);
        let message = if excess.bytes {
            format!(
                "the policy has {} bytes (whitespace counted), over the permission set inline policy quota of {} bytes{declared}; the excess starts here",
                size.bytes,
                attachment.byte_limit().unwrap_or_default()
            )
        } else if others > 0 {
            let names: Vec<String> = self
                .role_mates
                .iter()
                .map(|m| format!("`{}`", m.name))
                .collect();
            let role = self.entry.and_then(Entry::inline_role).unwrap_or("");
            format!(
                "the policy has {} characters (whitespace not counted) and the other inline policies of role `{role}` {others} ({}), over the {}{declared}; the excess starts here",
                size.characters,
                names.join(", "),
                attachment.quota_words()
            )
        } else {
            format!(
                "the policy has {} characters (whitespace not counted), over the {}{declared}; the excess starts here",
                size.characters,
                attachment.quota_words()
            )
        };
        out.push(
            Diagnostic::raise(POLICY_SIZE, at(excess.at), message)
                .with_hint(self.hint(size, attachment, others)),
        );
    }

    /// Names the attachments the policy fits, if any.
    fn hint(&self, size: Size, over: Attachment, others: usize) -> String {
        let fits: Vec<String> = attach::ALL
            .iter()
            .filter(|a| a.kind() == self.kind && size.fits(**a))
            .map(|a| format!("`{}` ({})", a.name(), a.limit()))
            .collect();
        let split = "split it into several policies, or use wildcards and fewer statements";
        if others > 0 && size.fits(over) {
            return format!(
                "the inline policies of one role share {}: make this one or another a customer managed policy (`customer-managed` in policies.toml), or {split}",
                over.limit()
            );
        }
        match fits.as_slice() {
            [] => split.to_string(),
            [one] => format!(
                "it fits {one}: attach it that way and say so with `attach` in policies.toml, or {split}"
            ),
            [rest @ .., last] => format!(
                "it fits {} or {last}: attach it one of those ways and say so with `attach` in policies.toml, or {split}",
                rest.join(", ")
            ),
        }
    }
}

/// The byte range of the character after the first `n` that are not
/// whitespace (there is one: the caller knows the text has more).
fn nth_counted(text: &str, n: usize) -> Range<usize> {
    text.char_indices()
        .filter(|(_, c)| !c.is_whitespace())
        .nth(n)
        .map_or(text.len()..text.len(), |(i, c)| i..i + c.len_utf8())
}

struct Rules<'a> {
    kind: Kind,
    entry: Option<&'a Entry>,
    index: &'a Index,
    catalog: &'a Catalog,
    at: &'a dyn Fn(Range<usize>) -> Location,
    /// The file as written, where a fix is placed.
    map: &'a TextMap<'a>,
}

/// A string or each string of an array, with its JSON pointer.
fn strings<'v>(value: Option<&'v Value>, pointer: &str) -> Vec<(String, &'v str)> {
    match value {
        Some(Value::String(s)) => vec![(pointer.to_string(), s.as_str())],
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .filter_map(|(i, v)| v.as_str().map(|s| (format!("{pointer}/{i}"), s)))
            .collect(),
        _ => Vec::new(),
    }
}

impl Rules<'_> {
    fn value_at(&self, pointer: &str) -> Location {
        (self.at)(self.index.value_range(pointer))
    }

    fn key_at(&self, pointer: &str) -> Location {
        (self.at)(self.index.key_range(pointer))
    }

    fn run(&self, document: &Value, out: &mut Vec<Diagnostic>) {
        let statements: Vec<(String, &serde_json::Map<String, Value>)> =
            match document.get("Statement") {
                Some(Value::Object(s)) => vec![("/Statement".to_string(), s)],
                Some(Value::Array(items)) => items
                    .iter()
                    .enumerate()
                    .filter_map(|(i, v)| v.as_object().map(|s| (format!("/Statement/{i}"), s)))
                    .collect(),
                _ => Vec::new(),
            };
        let mut sids: HashMap<&str, String> = HashMap::new();
        for (pointer, statement) in &statements {
            if let Some(Value::String(sid)) = statement.get("Sid") {
                let here = format!("{pointer}/Sid");
                if let Some(first) = sids.get(sid.as_str()) {
                    if !sid.is_empty() {
                        out.push(
                            Diagnostic::raise(
                                POLICY_DUPLICATE_SID,
                                self.value_at(&here),
                                format!("the Sid \"{sid}\" is used by an earlier statement"),
                            )
                            .with_related(self.value_at(first), "first here")
                            .with_hint("each statement's Sid must be unique within the policy"),
                        );
                    }
                } else {
                    sids.insert(sid, here);
                }
            }
            self.statement(pointer, statement, out);
        }
    }

    fn statement(
        &self,
        pointer: &str,
        statement: &serde_json::Map<String, Value>,
        out: &mut Vec<Diagnostic>,
    ) {
        let allow = statement.get("Effect").and_then(Value::as_str) == Some("Allow");
        let action_key = if statement.contains_key("Action") {
            "Action"
        } else {
            "NotAction"
        };
        let grants = allow && action_key == "Action";
        let actions = strings(
            statement.get(action_key),
            &format!("{pointer}/{action_key}"),
        );
        // Resolved action names (lower-cased `service:name`) this statement grants.
        let mut star_with_arns: Vec<(String, String)> = Vec::new();
        for (action_pointer, action) in &actions {
            match self.catalog.lookup(action) {
                // A wildcard grants too much; in `Deny` or `NotAction` it narrows.
                Lookup::Everything if !grants => {}
                Lookup::Everything => out.push(
                    Diagnostic::raise(
                        POLICY_WILDCARD_ACTION,
                        self.value_at(action_pointer),
                        format!("`{action_key}: \"*\"` covers every action of every service"),
                    )
                    .with_hint("name the actions the role needs"),
                ),
                Lookup::UnknownService { suggestion } => {
                    let prefix = action.split_once(':').map_or(action.as_ref(), |(p, _)| p);
                    let mut d = Diagnostic::raise(
                        POLICY_UNKNOWN_SERVICE,
                        self.value_at(action_pointer),
                        format!("`{prefix}` is not an AWS service prefix"),
                    );
                    d = match suggestion {
                        Some(s) => d.with_hint(format!("did you mean `{s}`?")),
                        None => d.with_hint("service prefixes are listed in the AWS Service Authorization Reference"),
                    };
                    out.push(d);
                }
                Lookup::UnknownAction { suggestion, only } => {
                    let service = action.split_once(':').map_or("", |(p, _)| p);
                    let name = self
                        .catalog
                        .service(service)
                        .map_or(String::new(), |s| s.name.to_string());
                    let mut d = Diagnostic::raise(
                        POLICY_UNKNOWN_ACTION,
                        self.value_at(action_pointer),
                        if action.contains(['*', '?']) {
                            format!("`{action}` matches no action of {name}")
                        } else {
                            format!("`{action}` is not an action of {name}")
                        },
                    );
                    if let Some(s) = suggestion {
                        d = d.with_hint(format!("did you mean `{s}`?"));
                    }
                    // The string's contents, inside its quotes, become the one answer.
                    let range = self.index.value_range(action_pointer);
                    let inner = range.start + 1..range.end.saturating_sub(1);
                    let written = self.map.text().get(inner.clone());
                    if let Some(only) = only
                        && written == Some(*action)
                        && let Some(edit) =
                            Edit::in_text(self.map.path(), self.map.text(), inner, only)
                    {
                        d = d.with_fixes(vec![edit]);
                    }
                    out.push(d);
                }
                Lookup::RetiredService(retired) => {
                    let prefix = action.split_once(':').map_or(action.as_ref(), |(p, _)| p);
                    out.push(
                        Diagnostic::raise(
                            POLICY_RETIRED_SERVICE,
                            self.value_at(action_pointer),
                            format!(
                                "`{prefix}` is the prefix of {}, a retired service: its actions no longer exist",
                                retired.name
                            ),
                        )
                        .with_hint(format!(
                            "remove the action (retired: {})",
                            retired.evidence
                        )),
                    );
                }
                Lookup::Known(found) => {
                    if grants && action.ends_with(":*") {
                        out.push(
                            Diagnostic::raise(
                                POLICY_WILDCARD_ACTION,
                                self.value_at(action_pointer),
                                format!("`{action}` covers every action of the service"),
                            )
                            .with_hint("name the actions the role needs"),
                        );
                    }
                    let prefix = action.split_once(':').map_or("", |(p, _)| p);
                    for (name, arns) in found {
                        if arns {
                            star_with_arns
                                .push((action_pointer.clone(), format!("{prefix}:{name}")));
                        }
                    }
                }
            }
        }
        self.repeated_actions(&actions, action_key, out);
        if allow && action_key == "NotAction" {
            out.push(
                Diagnostic::raise(
                    POLICY_ALLOW_NOT_ACTION,
                    self.key_at(&format!("{pointer}/NotAction")),
                    "`Allow` with `NotAction` grants every action not listed, including those AWS adds later",
                )
                .with_hint("list the allowed actions in `Action` instead"),
            );
        }
        if allow && statement.contains_key("NotPrincipal") {
            out.push(
                Diagnostic::raise(
                    POLICY_ALLOW_NOT_PRINCIPAL,
                    self.key_at(&format!("{pointer}/NotPrincipal")),
                    "`Allow` with `NotPrincipal` trusts every principal not listed, anonymous ones included",
                )
                .with_hint("name the trusted principals in `Principal` instead"),
            );
        }
        if allow && action_key == "Action" && self.kind == Kind::Identity {
            self.resource_star(pointer, statement, &star_with_arns, out);
        }
        if allow && self.kind == Kind::Trust {
            self.trust(pointer, statement, out);
        }
        self.condition_keys(pointer, statement, out);
    }

    /// A service's condition key that the service does not have: the
    /// condition can never match as written (global `aws:` keys are not listed).
    fn condition_keys(
        &self,
        pointer: &str,
        statement: &serde_json::Map<String, Value>,
        out: &mut Vec<Diagnostic>,
    ) {
        let Some(Value::Object(operators)) = statement.get("Condition") else {
            return;
        };
        for (operator, keys) in operators {
            let Value::Object(keys) = keys else {
                continue;
            };
            for key in keys.keys() {
                let Some((prefix, _)) = key.split_once(':') else {
                    continue;
                };
                let Some(service) = self.catalog.service(prefix) else {
                    continue;
                };
                if service.has_condition_key(key) {
                    continue;
                }
                let here = format!("{pointer}/Condition/{}/{}", escape(operator), escape(key));
                let mut d = Diagnostic::raise(
                    POLICY_UNKNOWN_CONDITION_KEY,
                    self.key_at(&here),
                    format!("`{key}` is not a condition key of {}", service.name),
                );
                d = match crate::diagnostics::suggest::closest(
                    key,
                    service.condition_keys.iter().map(|(k, _)| *k),
                ) {
                    Some(near) => d.with_hint(format!("did you mean `{near}`?")),
                    None => d.with_hint(
                        "a condition on a key the request never carries does not match; the service's keys are in the Service Authorization Reference",
                    ),
                };
                out.push(d);
            }
        }
    }

    /// The same action twice, or an action a wildcard beside it already covers.
    fn repeated_actions(&self, actions: &[(String, &str)], key: &str, out: &mut Vec<Diagnostic>) {
        let lowered: Vec<String> = actions
            .iter()
            .map(|(_, a)| a.to_ascii_lowercase())
            .collect();
        // Wildcards by service prefix, in order, so each action is compared
        // with its own service's patterns only (large policies list thousands);
        // one pass, so a minified policy repeating one action 800,000 times
        // stays linear, and at most PER_FILE_AND_CODE reports of each kind.
        let service_of = |a: &str| a.split_once(':').map_or("", |(p, _)| p).to_string();
        let mut patterns: HashMap<String, Vec<usize>> = HashMap::new();
        let mut any_service: Vec<usize> = Vec::new();
        let mut first: HashMap<&str, usize> = HashMap::new();
        for (j, other) in lowered.iter().enumerate() {
            if other.contains(['*', '?']) {
                let service = service_of(other);
                if service.contains(['*', '?']) || !other.contains(':') {
                    any_service.push(j);
                } else {
                    patterns.entry(service).or_default().push(j);
                }
            }
        }
        let (mut shown, mut unshown) = ((0, 0), (0, 0));
        let cap = crate::diagnostics::PER_FILE_AND_CODE;
        let mut unshown_at = (None, None);
        for (i, (pointer, action)) in actions.iter().enumerate() {
            let this = lowered[i].as_str();
            if let Some(&j) = first.get(this) {
                if shown.0 >= cap {
                    unshown.0 += 1;
                    unshown_at.0.get_or_insert_with(|| self.value_at(pointer));
                    continue;
                }
                shown.0 += 1;
                out.push(
                    Diagnostic::raise(
                        POLICY_DUPLICATE_ACTION,
                        self.value_at(pointer),
                        format!("`{action}` is already in this `{key}`"),
                    )
                    .with_related(self.value_at(&actions[j].0), "first here")
                    .with_hint("remove the repeat"),
                );
                continue;
            }
            first.insert(this, i);
            let same_service = patterns
                .get(&service_of(this))
                .map_or(&[][..], Vec::as_slice);
            let covering = same_service
                .iter()
                .chain(&any_service)
                .copied()
                .filter(|&j| j != i && lowered[j] != this && wildcard_match(&lowered[j], this))
                .min();
            if let Some(j) = covering {
                if shown.1 >= cap {
                    unshown.1 += 1;
                    unshown_at.1.get_or_insert_with(|| self.value_at(pointer));
                    continue;
                }
                shown.1 += 1;
                out.push(
                    Diagnostic::raise(
                        POLICY_REDUNDANT_ACTION,
                        self.value_at(pointer),
                        format!(
                            "`{action}` is already covered by `{}` in this `{key}`",
                            actions[j].1
                        ),
                    )
                    .with_related(self.value_at(&actions[j].0), "covered by this")
                    .with_hint("keep one of the two (preferably the named action)"),
                );
            }
        }
        for (code, n, at) in [
            (POLICY_DUPLICATE_ACTION, unshown.0, unshown_at.0),
            (POLICY_REDUNDANT_ACTION, unshown.1, unshown_at.1),
        ] {
            if let Some(at) = at {
                out.push(crate::diagnostics::more(code.severity(), code, at, n));
            }
        }
    }

    fn resource_star(
        &self,
        pointer: &str,
        statement: &serde_json::Map<String, Value>,
        star_with_arns: &[(String, String)],
        out: &mut Vec<Diagnostic>,
    ) {
        let resource_pointer = format!("{pointer}/Resource");
        let Some((star_pointer, _)) = strings(statement.get("Resource"), &resource_pointer)
            .into_iter()
            .find(|(_, r)| *r == "*")
        else {
            return;
        };
        if star_with_arns.is_empty() {
            return;
        }
        let sid = statement.get("Sid").and_then(Value::as_str).unwrap_or("");
        // A reason under the statement's Sid, or under "*" for the whole
        // policy (a published policy reproduced as is, without Sids).
        let explained = self.entry.is_some_and(|e| {
            e.resource_star.contains_key("*")
                || (!sid.is_empty() && e.resource_star.contains_key(sid))
        });
        if explained {
            return;
        }
        let names: Vec<&str> = star_with_arns.iter().map(|(_, n)| n.as_str()).collect();
        let shown = if names.len() > 3 {
            format!("{} and {} more", names[..3].join(", "), names.len() - 3)
        } else {
            names.join(", ")
        };
        out.push(
            Diagnostic::raise(
                POLICY_RESOURCE_STAR,
                self.value_at(&star_pointer),
                format!("`Resource: \"*\"` although {shown} can be limited to resource ARNs"),
            )
            .with_hint(if sid.is_empty() {
                "name the resources' ARNs, or give the statement a Sid and say why \"*\" is needed under `resource-star` in policies.toml".to_string()
            } else {
                format!("name the resources' ARNs, or say why \"*\" is needed: `{sid} = \"…\"` under `resource-star` in this policy's entry in policies.toml")
            }),
        );
    }

    fn trust(
        &self,
        pointer: &str,
        statement: &serde_json::Map<String, Value>,
        out: &mut Vec<Diagnostic>,
    ) {
        let Some(principal) = statement.get("Principal") else {
            return;
        };
        let principal_pointer = format!("{pointer}/Principal");
        let services = strings(
            principal.get("Service"),
            &format!("{principal_pointer}/Service"),
        );
        let others: Vec<&str> = match principal {
            Value::Object(map) => map
                .keys()
                .filter(|k| k.as_str() != "Service")
                .map(String::as_str)
                .collect(),
            _ => vec!["*"],
        };
        if !others.is_empty() {
            let pointer = match principal {
                Value::Object(_) => format!("{principal_pointer}/{}", escape(others[0])),
                _ => principal_pointer.clone(),
            };
            out.push(
                Diagnostic::raise(
                    POLICY_TRUST_PRINCIPAL,
                    self.key_at(&pointer),
                    format!(
                        "this trust policy lets a non-service principal (`{}`) assume the role",
                        others.join("`, `")
                    ),
                )
                .with_hint("the guide's roles are assumed by ECS tasks only: `\"Service\": \"ecs-tasks.amazonaws.com\"`"),
            );
        }
        if services.is_empty() {
            return;
        }
        let has_key = |wanted: &str| {
            statement
                .get("Condition")
                .and_then(Value::as_object)
                .is_some_and(|ops| {
                    ops.values()
                        .filter_map(Value::as_object)
                        .any(|keys| keys.keys().any(|k| k.eq_ignore_ascii_case(wanted)))
                })
        };
        if !has_key("aws:SourceAccount") && !has_key("aws:SourceArn") && !has_key("aws:SourceOrgID")
        {
            out.push(
                Diagnostic::raise(
                    POLICY_CONFUSED_DEPUTY,
                    self.key_at(&principal_pointer),
                    "a service may assume this role on behalf of any account: no `aws:SourceAccount` or `aws:SourceArn` condition",
                )
                .with_hint("add `\"Condition\": {\"StringEquals\": {\"aws:SourceAccount\": \"ACCOUNT\"}, \"ArnLike\": {\"aws:SourceArn\": \"arn:aws:ecs:REGION:ACCOUNT:*\"}}`"),
            );
        }
    }
}

#[cfg(test)]
mod tests;
