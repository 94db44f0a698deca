//! book.toml, one typed struct per `[preprocessor.NAME]` table of ours.
//! Each table is declared once (its keys and their kinds); a key nobody
//! reads or a value of the wrong type is an error at its book.toml line,
//! never silently ignored, and the typed struct is read from what passed.

crate::diagnostics::codes::declare! {
    CONFIG_UNKNOWN_KEY = "config::unknown-key", error: "a key in one of the book's `[preprocessor.*]` tables that the preprocessor does not read (usually a misspelling)";
    CONFIG_WRONG_TYPE = "config::wrong-type", error: "a `[preprocessor.*]` setting (in book.toml or an `MDBOOK_PREPROCESSOR__…` variable) whose value has the wrong type";
}

mod spans;

pub(crate) use spans::{BookToml, Step};

use crate::diagnostics::Diagnostic;
use mdbook_preprocessor::config::Config;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use toml::Value;

/// The file the tables live in, relative to the book root.
pub(crate) const BOOK_TOML: &str = "book.toml";

/// What a key's value must be.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Kind {
    /// `true`/`false`; `1`/`0` too, which is how an environment variable says it.
    Bool,
    Str,
    /// A whole number, zero or more.
    Count,
    StrList,
    /// An array of tables (`[[preprocessor.NAME.KEY]]`) with these keys.
    Tables(&'static [Field]),
    /// A table of ours below the one table (`[preprocessor.responder-docs.image-uri]`),
    /// checked as a table of its own.
    Table,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Field {
    pub key: &'static str,
    pub kind: Kind,
}

const fn field(key: &'static str, kind: Kind) -> Field {
    Field { key, kind }
}

/// Keys mdBook itself reads in every `[preprocessor.NAME]` table.
const MDBOOK: &[Field] = &[
    field("command", Kind::Str),
    field("before", Kind::StrList),
    field("after", Kind::StrList),
    field("renderers", Kind::StrList),
    field("optional", Kind::Bool),
];

/// `[preprocessor.validate]`: the settings every validator shares.
pub(crate) const VALIDATE: &[Field] = &[
    field("deny-warnings", Kind::Bool),
    field("online", Kind::Bool),
    field("link-ignore", Kind::StrList),
    field("link-cache-max-age-hours", Kind::Count),
    field("link-timeout-seconds", Kind::Count),
    field("link-concurrency", Kind::Count),
    field("link-per-host", Kind::Count),
    field("link-retries", Kind::Count),
    field("include-root", Kind::Str),
];

/// `[preprocessor.image-uri]`: the release facts.
pub(crate) const IMAGE_URI: &[Field] = &[
    field("registry", Kind::Str),
    field("repository", Kind::Str),
    field("version", Kind::Str),
    field("tag", Kind::Str),
    field("regions", Kind::StrList),
    field("architectures", Kind::Tables(ARCHITECTURE)),
];

const ARCHITECTURE: &[Field] = &[
    field("docker", Kind::Str),
    field("ecs", Kind::Str),
    field("console", Kind::Str),
];

/// Every table of ours and its keys (besides mdBook's own).
pub(crate) const TABLES: &[(&str, &[Field])] = &[
    ("procedure", &[]),
    ("iam-policy", &[]),
    ("image-uri", IMAGE_URI),
    ("include", &[]),
    ("validate", VALIDATE),
];

/// The one table that runs every pass in one process under stock mdBook.
/// Its own keys are the shared settings (`validate`'s); each pass's settings
/// are a table below it (`[preprocessor.responder-docs.image-uri]`), so no
/// other table of ours is needed, and mdBook runs no other command of ours.
pub(crate) const ONE: &str = "responder-docs";

/// The `[preprocessor.validate]` table holds the settings every pass shares
/// (in a book with [`ONE`] table, that table's own keys).
pub(crate) const SHARED_TABLE: &str = "validate";

/// The one table's keys: the shared settings, and a table for each pass.
static ONE_FIELDS: std::sync::LazyLock<Vec<Field>> = std::sync::LazyLock::new(|| {
    VALIDATE
        .iter()
        .copied()
        .chain(
            TABLES
                .iter()
                .filter(|(name, _)| *name != SHARED_TABLE)
                .map(|(name, _)| field(name, Kind::Table)),
        )
        .collect()
});

/// Where `table`'s settings live, below `preprocessor.`: the table itself,
/// or in a book with the one table (`one`), that table (`validate`'s
/// settings) or a table below it.
pub(crate) fn located(table: &str, one: bool) -> String {
    match table {
        _ if !one || table == ONE || table.starts_with("responder-docs.") => table.to_string(),
        "validate" => ONE.to_string(),
        _ => format!("{ONE}.{table}"),
    }
}

/// Whether the book runs every pass through the one table.
pub(crate) fn has_one(config: &mdbook_preprocessor::config::Config) -> bool {
    config
        .get::<Value>(&format!("preprocessor.{ONE}"))
        .ok()
        .flatten()
        .is_some()
}

/// Every table of ours the book has, checked (unknown keys, wrong types).
pub(crate) fn check_all(config: &Config, book_toml: &str) -> Vec<Diagnostic> {
    if has_one(config) {
        return check(config, book_toml, ONE);
    }
    TABLES
        .iter()
        .flat_map(|(table, _)| check(config, book_toml, table))
        .collect()
}

/// `[preprocessor.validate]`, typed.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub(crate) struct Validate {
    /// Warnings fail the run (CI sets it).
    pub deny_warnings: bool,
    /// Ask external URLs whether they answer (`--online` sets it).
    pub online: bool,
    /// Regular expressions of external URLs never asked.
    pub link_ignore: Vec<String>,
    pub link_cache_max_age_hours: Option<u64>,
    pub link_timeout_seconds: Option<u64>,
    pub link_concurrency: Option<usize>,
    pub link_per_host: Option<usize>,
    pub link_retries: Option<u32>,
    /// The folder every read must stay inside, relative to the book root,
    /// instead of the repository (see `reach.rs`).
    pub include_root: Option<String>,
}

/// `[preprocessor.image-uri]`, typed; `release` checks what the values mean.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub(crate) struct ImageUri {
    pub registry: Option<String>,
    pub repository: Option<String>,
    pub version: Option<String>,
    pub tag: Option<String>,
    pub regions: Option<Vec<String>>,
    pub architectures: Option<Vec<ArchitectureEntry>>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub(crate) struct ArchitectureEntry {
    pub docker: String,
    pub ecs: String,
    pub console: String,
}

/// The raw `[preprocessor.NAME]` table as mdBook sees it (book.toml with
/// `MDBOOK_PREPROCESSOR__…` variables applied), if the book has one.
pub(crate) fn raw(config: &Config, table: &str) -> Option<toml::Table> {
    let table = located(table, has_one(config));
    config
        .get::<Value>(&format!("preprocessor.{table}"))
        .ok()
        .flatten()
        .and_then(|v| match v {
            Value::Table(t) => Some(t),
            _ => None,
        })
}

/// The typed settings of a table: what [`check`] accepts, defaults elsewhere.
pub(crate) fn read<T: DeserializeOwned + Default>(config: &Config, table: &str) -> T {
    let fields = fields_of(table);
    raw(config, table).map_or_else(T::default, |t| typed(&t, fields))
}

/// `table` with unknown keys and ill-typed values left out (they are
/// reported by [`check`]) and `1`/`0` read as booleans, deserialised.
pub(crate) fn typed<T: DeserializeOwned + Default>(table: &toml::Table, fields: &[Field]) -> T {
    Value::Table(clean(table, fields, true))
        .try_into()
        .unwrap_or_default()
}

fn fields_of(table: &str) -> &'static [Field] {
    if table == ONE {
        return &ONE_FIELDS;
    }
    let name = table.strip_prefix("responder-docs.").unwrap_or(table);
    TABLES
        .iter()
        .find(|(n, _)| *n == name)
        .map_or(&[], |(_, fields)| fields)
}

fn clean(table: &toml::Table, fields: &[Field], top: bool) -> toml::Table {
    let mut out = toml::Table::new();
    for (key, value) in table {
        let Some(field) = lookup(fields, key, top) else {
            continue;
        };
        if let Some(value) = accepted(value, field.kind) {
            out.insert(key.clone(), value);
        }
    }
    out
}

fn lookup<'f>(fields: &'f [Field], key: &str, top: bool) -> Option<&'f Field> {
    fields
        .iter()
        .chain(if top { MDBOOK } else { &[] })
        .find(|f| f.key == key)
}

/// The value as the kind reads it, or `None` when it has the wrong type.
fn accepted(value: &Value, kind: Kind) -> Option<Value> {
    match (kind, value) {
        (Kind::Bool, Value::Boolean(_)) => Some(value.clone()),
        (Kind::Bool, Value::Integer(n @ (0 | 1))) => Some(Value::Boolean(*n == 1)),
        (Kind::Str, Value::String(_)) => Some(value.clone()),
        (Kind::Count, Value::Integer(n)) if *n >= 0 => Some(value.clone()),
        (Kind::StrList, Value::Array(items)) if items.iter().all(Value::is_str) => {
            Some(value.clone())
        }
        // Read as a table of its own (`read` of `image-uri`), not through this one.
        (Kind::Table, Value::Table(_)) => None,
        (Kind::Tables(fields), Value::Array(items)) if items.iter().all(Value::is_table) => {
            Some(Value::Array(
                items
                    .iter()
                    .filter_map(Value::as_table)
                    .map(|t| Value::Table(clean(t, fields, false)))
                    .collect(),
            ))
        }
        _ => None,
    }
}

/// Every unknown key and ill-typed value in `[preprocessor.NAME]`, located in book.toml.
pub(crate) fn check(config: &Config, book_toml: &str, table: &str) -> Vec<Diagnostic> {
    let Some(raw) = raw(config, table) else {
        return Vec::new();
    };
    let table = located(table, has_one(config));
    let from_env = |key: &str| std::env::var_os(env_name(&table, key)).is_some();
    check_table(&BookToml::new(book_toml), &table, &raw, &from_env)
}

/// The environment variable mdBook reads for a key of `[preprocessor.TABLE]`
/// (`TABLE` as [`located`] gives it).
pub(crate) fn env_name(table: &str, key: &str) -> String {
    format!("MDBOOK_PREPROCESSOR__{table}__{key}")
        .to_ascii_uppercase()
        .replace('-', "_")
        .replace('.', "__")
}

/// [`check`] over text: `from_env` says whether a top-level key is set by
/// an environment variable (then the message names it).
pub(crate) fn check_table(
    book: &BookToml,
    table: &str,
    raw: &toml::Table,
    from_env: &dyn Fn(&str) -> bool,
) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    walk(
        book,
        table,
        raw,
        fields_of(table),
        &mut Vec::new(),
        from_env,
        &mut found,
    );
    found
}

fn walk(
    book: &BookToml,
    table: &str,
    map: &toml::Table,
    fields: &[Field],
    path: &mut Vec<Step>,
    from_env: &dyn Fn(&str) -> bool,
    found: &mut Vec<Diagnostic>,
) {
    let top = path.is_empty();
    let shown = |path: &[Step], key: &str| {
        let mut name = String::new();
        for step in path {
            match step {
                Step::Key(k) => name.push_str(k),
                Step::Index(i) => name.push_str(&format!("[{i}].")),
            }
        }
        format!("{name}{key}")
    };
    for (key, value) in map {
        path.push(Step::Key(key.clone()));
        let Some(field) = lookup(fields, key, top) else {
            let known: Vec<&str> = fields.iter().map(|f| f.key).collect();
            let hint = crate::diagnostics::suggest::hint(key, known.iter().copied()).unwrap_or_else(|| {
                if known.is_empty() {
                    "this table takes only mdBook's own keys (command, before, after, renderers, optional)".to_string()
                } else {
                    format!("the keys here are {}", known.join(", "))
                }
            });
            // Renamed in place when one known key is meant and not already set.
            let fix = crate::diagnostics::suggest::only(key, known.iter().copied())
                .filter(|name| !map.contains_key(*name))
                .and_then(|name| book.rename_key(table, path, name));
            found.push(
                Diagnostic::raise(
                    CONFIG_UNKNOWN_KEY,
                    book.key_location(table, path),
                    format!(
                        "unknown key `{}` in [preprocessor.{table}]",
                        shown(&path[..path.len() - 1], key)
                    ),
                )
                .with_hint(hint)
                .with_fixes(fix.into_iter().collect()),
            );
            path.pop();
            continue;
        };
        match (field.kind, value) {
            (Kind::Table, Value::Table(sub)) => {
                let below = format!("{table}.{key}");
                walk(
                    book,
                    &below,
                    sub,
                    fields_of(&below),
                    &mut Vec::new(),
                    &|_| false,
                    found,
                );
            }
            (Kind::Tables(sub), Value::Array(items)) if items.iter().all(Value::is_table) => {
                for (i, item) in items.iter().enumerate() {
                    path.push(Step::Index(i));
                    if let Some(item) = item.as_table() {
                        walk(book, table, item, sub, path, from_env, found);
                    }
                    path.pop();
                }
            }
            (Kind::StrList, Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    if !item.is_str() {
                        path.push(Step::Index(i));
                        found.push(wrong_type(
                            book,
                            table,
                            path,
                            &format!("{} [{i}]", shown(&path[..path.len() - 2], key)),
                            "a string",
                            item,
                            None,
                        ));
                        path.pop();
                    }
                }
            }
            (kind, value) if accepted(value, kind).is_none() => {
                let env = (top && from_env(key)).then(|| env_name(table, key));
                found.push(wrong_type(
                    book,
                    table,
                    path,
                    &shown(&path[..path.len() - 1], key),
                    expected(kind),
                    value,
                    env,
                ));
            }
            _ => {}
        }
        path.pop();
    }
}

fn expected(kind: Kind) -> &'static str {
    match kind {
        Kind::Bool => "true or false",
        Kind::Str => "a string",
        Kind::Count => "a whole number",
        Kind::StrList => "a list of strings",
        Kind::Tables(_) => "a list of tables",
        Kind::Table => "a table",
    }
}

fn wrong_type(
    book: &BookToml,
    table: &str,
    path: &[Step],
    name: &str,
    expected: &str,
    value: &Value,
    env: Option<String>,
) -> Diagnostic {
    let got = match value {
        Value::String(_) => format!("the string {value}"),
        Value::Integer(_) | Value::Float(_) => format!("the number {value}"),
        Value::Boolean(_) => format!("`{value}`"),
        Value::Array(_) => "a list".to_string(),
        Value::Table(_) => "a table".to_string(),
        Value::Datetime(_) => "a date".to_string(),
    };
    let mut message = format!("`{name}` in [preprocessor.{table}] must be {expected}, not {got}");
    let hint = match (&env, value) {
        (Some(var), _) => {
            message.push_str(&format!(" (set by the environment variable `{var}`)"));
            format!("set `{var}` to {expected}")
        }
        // Unquoted, the text must be a value of the right kind: `yes` is
        // not TOML.
        (None, Value::String(s))
            if (expected == "true or false" && (s == "true" || s == "false"))
                || (expected == "a whole number" && s.parse::<u64>().is_ok()) =>
        {
            format!("write the value without quotes: `{name} = {s}`")
        }
        _ => format!("write {expected}"),
    };
    let location = match env {
        Some(_) => book
            .value_location(table, path)
            .unwrap_or_else(|| book.table_location(table)),
        None => book
            .value_location(table, path)
            .unwrap_or_else(|| book.key_location(table, path)),
    };
    Diagnostic::raise(CONFIG_WRONG_TYPE, location, message).with_hint(hint)
}

#[cfg(test)]
mod tests;
