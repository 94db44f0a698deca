//! One policy as every rule reads it: the text parsed once, its
//! statements, and the catalog's answer for each action.

use super::Kind;
use super::catalog::{Catalog, Lookup};
use super::manifest::Entry;
use crate::diagnostics::location::{Location, TextMap};
use crate::model::json::{self, Index, SyntaxError};
use serde_json::Value;

/// An inline policy of the same role as the one linted: the inline
/// policies of a role share one quota.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RoleMate {
    /// The policy's file stem.
    pub name: String,
    /// Its characters, whitespace not counted.
    pub characters: usize,
}

/// One policy as every rule reads it, parsed once.
pub(crate) struct Linted {
    /// How diagnostics name the file.
    pub path: String,
    pub text: String,
    /// The document and where each value is, or why it is not JSON.
    pub parsed: Result<(Value, Index), SyntaxError>,
    /// Declared, else read from the content (meaningless unparsed).
    pub kind: Kind,
    pub entry: Option<Entry>,
    pub role_mates: Vec<RoleMate>,
    /// The catalog's answer for each action of each statement, in the
    /// order of [`Parsed::statements`].
    lookups: Vec<Vec<Lookup>>,
}

impl Linted {
    pub(crate) fn new(
        path: String,
        text: String,
        kind: Option<Kind>,
        entry: Option<Entry>,
        role_mates: Vec<RoleMate>,
    ) -> Self {
        let parsed = json::parse(&text);
        let kind = match &parsed {
            Ok((document, _)) => kind.unwrap_or_else(|| super::kind::from_content(document)),
            Err(_) => kind.unwrap_or(Kind::Identity),
        };
        let lookups = match &parsed {
            Ok((document, _)) => {
                let catalog = Catalog::builtin();
                statement_bodies(document)
                    .into_iter()
                    .map(|(pointer, body)| {
                        let (_, actions) = actions_of(&pointer, body);
                        actions.iter().map(|(_, a)| catalog.lookup(a)).collect()
                    })
                    .collect()
            }
            Err(_) => Vec::new(),
        };
        Linted {
            path,
            text,
            parsed,
            kind,
            entry,
            role_mates,
            lookups,
        }
    }

    pub(crate) fn map(&self) -> TextMap<'_> {
        TextMap::new(&self.path, &self.text)
    }

    /// The policy as JSON, for the rules past the syntax (none report
    /// on a file that is not JSON).
    pub(crate) fn parsed(&self) -> Option<Parsed<'_>> {
        let (document, index) = self.parsed.as_ref().ok()?;
        Some(Parsed {
            policy: self,
            document,
            index,
            map: self.map(),
        })
    }
}

/// A policy that is JSON, with where its values are.
pub(crate) struct Parsed<'a> {
    pub policy: &'a Linted,
    pub document: &'a Value,
    pub index: &'a Index,
    /// The file as written, where a problem and a fix are placed.
    pub map: TextMap<'a>,
}

/// One statement of a policy.
pub(crate) struct Statement<'a> {
    /// Its JSON pointer.
    pub pointer: String,
    pub body: &'a serde_json::Map<String, Value>,
    pub allow: bool,
    /// `Action`, else `NotAction`.
    pub action_key: &'static str,
    /// Each action (or pattern) with its pointer.
    pub actions: Vec<(String, &'a str)>,
    /// The catalog's answer for each of `actions`.
    pub lookups: &'a [Lookup],
}

impl Statement<'_> {
    /// Whether its actions are what it allows (a wildcard here grants).
    pub(crate) fn grants(&self) -> bool {
        self.allow && self.action_key == "Action"
    }
}

impl<'a> Parsed<'a> {
    pub(crate) fn at(&self, range: std::ops::Range<usize>) -> Location {
        self.map.locate(range)
    }

    pub(crate) fn value_at(&self, pointer: &str) -> Location {
        self.at(self.index.value_range(pointer))
    }

    pub(crate) fn key_at(&self, pointer: &str) -> Location {
        self.at(self.index.key_range(pointer))
    }

    pub(crate) fn statements(&self) -> Vec<Statement<'a>> {
        statement_bodies(self.document)
            .into_iter()
            .zip(&self.policy.lookups)
            .map(|((pointer, body), lookups)| {
                let (action_key, actions) = actions_of(&pointer, body);
                Statement {
                    allow: body.get("Effect").and_then(Value::as_str) == Some("Allow"),
                    pointer,
                    body,
                    action_key,
                    actions,
                    lookups,
                }
            })
            .collect()
    }
}

/// Each statement object with its pointer.
fn statement_bodies(document: &Value) -> Vec<(String, &serde_json::Map<String, Value>)> {
    match document.get("Statement") {
        Some(Value::Object(s)) => vec![("/Statement".to_string(), s)],
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .filter_map(|(i, v)| v.as_object().map(|s| (format!("/Statement/{i}"), s)))
            .collect(),
        _ => Vec::new(),
    }
}

/// A statement's action key and its actions, each with its pointer.
fn actions_of<'v>(
    pointer: &str,
    statement: &'v serde_json::Map<String, Value>,
) -> (&'static str, Vec<(String, &'v str)>) {
    let action_key = if statement.contains_key("Action") {
        "Action"
    } else {
        "NotAction"
    };
    let actions = strings(
        statement.get(action_key),
        &format!("{pointer}/{action_key}"),
    );
    (action_key, actions)
}

/// A string or each string of an array, with its JSON pointer.
pub(crate) fn strings<'v>(value: Option<&'v Value>, pointer: &str) -> Vec<(String, &'v str)> {
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

/// The service prefix of an action (`""` without one).
pub(crate) fn prefix_of(action: &str) -> &str {
    action.split_once(':').map_or("", |(p, _)| p)
}
