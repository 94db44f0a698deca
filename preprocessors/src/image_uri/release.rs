//! The release facts, in one place: `[preprocessor.image-uri]` in book.toml.
//! Every image URI, architecture value and Region the guide shows comes from
//! here, so a version bump is one edit. Problems are reported at the
//! offending key or value of book.toml.

use crate::diagnostics::codes;
use super::aws_regions;
use crate::book_root::BookRoot;
use crate::diagnostics::Diagnostic;
use crate::location::Location;
use serde_json::Value;
use std::ops::Range;

/// The table the facts live in, and the file it is read from.
pub const TABLE: &str = "image-uri";
const BOOK_TOML: &str = "book.toml";

/// What an architecture is called by Docker, by ECS, and by the ECS console.
/// Only these pairings exist; book.toml picks which of them the product ships.
const KNOWN: &[KnownArch] = &[
    KnownArch {
        docker: "amd64",
        ecs: "X86_64",
        console: "Linux/X86_64",
        aliases: &["x86-64"],
    },
    KnownArch {
        docker: "arm64",
        ecs: "ARM64",
        console: "Linux/ARM64",
        aliases: &["aarch64"],
    },
];

struct KnownArch {
    docker: &'static str,
    ecs: &'static str,
    console: &'static str,
    aliases: &'static [&'static str],
}

/// ECS refuses a container `image` longer than this (before any digest).
pub const MAX_IMAGE_LEN: usize = 255;
/// Docker refuses a longer tag.
const MAX_TAG_LEN: usize = 128;

/// Keys of the table that belong to mdBook, not to the release.
const MDBOOK_KEYS: &[&str] = &["command", "before", "after", "renderers", "optional"];
const RELEASE_KEYS: &[&str] = &[
    "registry",
    "repository",
    "version",
    "tag",
    "architectures",
    "regions",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Architecture {
    /// `amd64`: the name in image tags and the directives.
    pub docker: String,
    /// `X86_64`: `runtimePlatform.cpuArchitecture`.
    pub ecs: String,
    /// `Linux/X86_64`: the console's "Operating system/Architecture".
    pub console: String,
}

impl Architecture {
    /// Other spellings of this architecture that a writer might use
    /// (`aarch64`), for the check that a block names only its own values.
    pub fn aliases(&self) -> &'static [&'static str] {
        KNOWN
            .iter()
            .find(|k| k.docker == self.docker)
            .map_or(&[], |k| k.aliases)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    pub code: String,
    pub name: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Release {
    pub registry: String,
    pub repository: String,
    pub version: String,
    /// `{version}-{arch}` (one tag per architecture) or `{version}` (one multi-arch tag).
    pub tag_pattern: String,
    architectures: Vec<Architecture>,
    regions: Vec<Region>,
}

impl Release {
    /// Reads and validates the facts. `Err` holds every problem found, each
    /// located in book.toml.
    pub fn load(book_root: &BookRoot) -> Result<Release, Vec<Diagnostic>> {
        let table = book_root
            .config
            .get::<Value>(&format!("preprocessor.{TABLE}"))
            .ok()
            .flatten()
            .unwrap_or(Value::Null);
        let text = book_root.read(BOOK_TOML).unwrap_or_default();
        from_table(&table, &text)
    }

    /// Whether book.toml holds any release fact at all. A book without them
    /// (a test book about something else) only fails when it uses a directive.
    pub fn is_configured(book_root: &BookRoot) -> bool {
        let table = book_root
            .config
            .get::<Value>(&format!("preprocessor.{TABLE}"))
            .ok()
            .flatten();
        table
            .as_ref()
            .and_then(Value::as_object)
            .is_some_and(|t| RELEASE_KEYS.iter().any(|k| t.contains_key(*k)))
    }

    pub fn architectures(&self) -> &[Architecture] {
        &self.architectures
    }

    pub fn architecture(&self, docker: &str) -> Option<&Architecture> {
        self.architectures.iter().find(|a| a.docker == docker)
    }

    /// The Regions the product is offered in, as book.toml lists them.
    pub fn regions(&self) -> &[Region] {
        &self.regions
    }

    /// The image tag for an architecture.
    pub fn tag(&self, arch: &str) -> String {
        self.tag_pattern
            .replace("{version}", &self.version)
            .replace("{arch}", arch)
    }

    /// The full image URI for an architecture (`None` if it is not shipped).
    pub fn uri(&self, arch: &str) -> Option<String> {
        self.architecture(arch)?;
        Some(format!(
            "{}/{}:{}",
            self.registry,
            self.repository,
            self.tag(arch)
        ))
    }

    /// Whether every architecture shares one tag (a multi-arch image).
    pub fn is_multi_arch(&self) -> bool {
        !self.tag_pattern.contains("{arch}")
    }
}

/// Validates the table (as JSON) against the text of book.toml (for positions).
pub fn from_table(table: &Value, toml_text: &str) -> Result<Release, Vec<Diagnostic>> {
    let mut v = Validator {
        text: toml_text,
        problems: Vec::new(),
    };
    let empty = serde_json::Map::new();
    let map = table.as_object().unwrap_or(&empty);

    for key in map.keys() {
        if !MDBOOK_KEYS.contains(&key.as_str()) && !RELEASE_KEYS.contains(&key.as_str()) {
            let mut d = Diagnostic::error(
                codes::CONFIG_UNKNOWN_KEY,
                v.key_location(key),
                format!("unknown setting `{key}` in [preprocessor.{TABLE}]"),
            );
            if let Some(near) = crate::suggest::closest(key, RELEASE_KEYS.iter().copied()) {
                d = d.with_hint(format!("did you mean `{near}`?"));
            }
            v.problems.push(d);
        }
    }

    let registry = v.string(map, "registry").map(|r| v.registry(r));
    let repository = v.string(map, "repository").map(|r| v.repository(r));
    let version = v.string(map, "version").map(|r| v.version(r));
    let tag_pattern = match map.get("tag") {
        None => Some(Some("{version}-{arch}".to_string())),
        Some(_) => v.string(map, "tag").map(|t| v.tag_pattern(t)),
    };
    let architectures = v.architectures(map);
    let regions = v.regions(map);

    if let (Some(Some(registry)), Some(Some(repository)), Some(Some(version)), Some(Some(tag))) =
        (&registry, &repository, &version, &tag_pattern)
        && let Some(archs) = &architectures
        && v.problems.is_empty()
    {
        let release = Release {
            registry: registry.clone(),
            repository: repository.clone(),
            version: version.clone(),
            tag_pattern: tag.clone(),
            architectures: archs.clone(),
            regions: regions.clone().unwrap_or_default(),
        };
        for arch in release.architectures() {
            let tag = release.tag(&arch.docker);
            let uri = release.uri(&arch.docker).unwrap_or_default();
            if !is_docker_tag(&tag) {
                v.problems.push(
                    Diagnostic::error(
                        codes::IMAGE_URI_BAD_TAG,
                        v.value_location(&["tag"]),
                        format!("the tag `{tag}` for {} is not a valid image tag", arch.docker),
                    )
                    .with_hint("a tag is at most 128 letters, digits, `_`, `.` and `-`, and does not start with `.` or `-`"),
                );
            }
            if uri.len() > MAX_IMAGE_LEN {
                v.problems.push(
                    Diagnostic::error(
                        codes::IMAGE_URI_URI_TOO_LONG,
                        v.value_location(&["repository"]),
                        format!(
                            "the {} image URI is {} characters long; ECS accepts at most {MAX_IMAGE_LEN}",
                            arch.docker,
                            uri.len()
                        ),
                    )
                    .with_hint("shorten the repository path or the tag pattern"),
                );
            }
        }
        if v.problems.is_empty() {
            return Ok(release);
        }
    }
    Err(v.problems)
}

struct Validator<'t> {
    text: &'t str,
    problems: Vec<Diagnostic>,
}

/// A step into the TOML document: a key or an array index.
#[derive(Clone, Copy)]
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

impl Validator<'_> {
    fn error(&mut self, code: crate::diagnostics::Code, at: Location, message: String, hint: &str) {
        self.problems
            .push(Diagnostic::error(code, at, message).with_hint(hint.to_string()));
    }

    /// A required string setting; reports a missing or non-string value.
    fn string(&mut self, map: &serde_json::Map<String, Value>, key: &str) -> Option<String> {
        match map.get(key) {
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => {
                let at = self.value_location(&[key]);
                self.error(
                    codes::IMAGE_URI_BAD_SETTING,
                    at,
                    format!("`{key}` must be a string"),
                    "write it in double quotes",
                );
                None
            }
            None => {
                let at = self.table_location();
                self.error(
                    codes::IMAGE_URI_MISSING_SETTING,
                    at,
                    format!("[preprocessor.{TABLE}] has no `{key}`"),
                    &format!("add `{key} = \"…\"`: the guide's image URIs are built from it"),
                );
                None
            }
        }
    }

    fn registry(&mut self, registry: String) -> Option<String> {
        let region = registry
            .strip_suffix(".amazonaws.com")
            .and_then(|r| r.split_once(".dkr.ecr."))
            .filter(|(account, _)| {
                account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit())
            })
            .map(|(_, region)| region);
        let at = self.value_location(&["registry"]);
        match region {
            None => {
                self.error(
                    codes::IMAGE_URI_BAD_REGISTRY,
                    at,
                    format!("`{registry}` is not an Amazon ECR registry"),
                    "an ECR registry is ACCOUNT.dkr.ecr.REGION.amazonaws.com; AWS Marketplace images are in 709825985650.dkr.ecr.us-east-1.amazonaws.com",
                );
                None
            }
            Some(region) if aws_regions::name_of(region).is_none() => {
                self.error(
                    codes::IMAGE_URI_UNKNOWN_REGION,
                    at,
                    format!("the registry's Region `{region}` is not an AWS Region code"),
                    "AWS Marketplace images are in 709825985650.dkr.ecr.us-east-1.amazonaws.com",
                );
                None
            }
            Some(_) => Some(registry),
        }
    }

    fn repository(&mut self, repository: String) -> Option<String> {
        if is_ecr_repository(&repository) {
            return Some(repository);
        }
        let at = self.value_location(&["repository"]);
        self.error(
            codes::IMAGE_URI_BAD_REPOSITORY,
            at,
            format!("`{repository}` is not an Amazon ECR repository name"),
            "lower-case letters and digits, separated by `.`, `_`, `-` or `/` (e.g. `seller/product`), 2 to 256 characters",
        );
        None
    }

    fn version(&mut self, version: String) -> Option<String> {
        if is_version(&version) {
            return Some(version);
        }
        let at = self.value_location(&["version"]);
        let hint = if version.starts_with(['v', 'V']) && is_version(&version[1..]) {
            format!("write `{}`, without the `v`", &version[1..])
        } else {
            "a version is numbers separated by dots (`1.0.4`), optionally followed by `-` and a label (`1.1.0-rc1`)".to_string()
        };
        self.error(
            codes::IMAGE_URI_BAD_VERSION,
            at,
            format!("malformed version `{version}`"),
            &hint,
        );
        None
    }

    fn tag_pattern(&mut self, pattern: String) -> Option<String> {
        let at = self.value_location(&["tag"]);
        let mut rest = pattern.as_str();
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}') else {
                break;
            };
            let name = &rest[open + 1..open + close];
            if name != "version" && name != "arch" {
                self.error(
                    codes::IMAGE_URI_BAD_TAG,
                    at,
                    format!("unknown placeholder `{{{name}}}` in the tag pattern"),
                    "the tag pattern may use `{version}` and `{arch}`",
                );
                return None;
            }
            rest = &rest[open + close + 1..];
        }
        if !pattern.contains("{version}") {
            self.error(
                codes::IMAGE_URI_BAD_TAG,
                at,
                format!("the tag pattern `{pattern}` does not use `{{version}}`"),
                "use `{version}-{arch}` for one tag per architecture or `{version}` for one multi-arch tag",
            );
            return None;
        }
        Some(pattern)
    }

    fn architectures(&mut self, map: &serde_json::Map<String, Value>) -> Option<Vec<Architecture>> {
        let Some(list) = map.get("architectures") else {
            let at = self.table_location();
            self.error(
                codes::IMAGE_URI_MISSING_SETTING,
                at,
                format!("[preprocessor.{TABLE}] has no `architectures`"),
                "add a [[preprocessor.image-uri.architectures]] table for each architecture, with `docker`, `ecs` and `console`",
            );
            return None;
        };
        let Some(list) = list.as_array().filter(|l| !l.is_empty()) else {
            let at = self.value_location(&["architectures"]);
            self.error(
                codes::IMAGE_URI_BAD_ARCHITECTURE,
                at,
                "`architectures` must be a non-empty list of tables".to_string(),
                "add a [[preprocessor.image-uri.architectures]] table for each architecture",
            );
            return None;
        };
        let mut out: Vec<Architecture> = Vec::new();
        let mut ok = true;
        for (i, entry) in list.iter().enumerate() {
            let field = |name: &str| entry.get(name).and_then(Value::as_str).unwrap_or("");
            let (docker, ecs, console) = (field("docker"), field("ecs"), field("console"));
            let at = |v: &Self, key: &str| {
                v.value_location_at(&[Step::Key("architectures"), Step::Index(i), Step::Key(key)])
            };
            let Some(known) = KNOWN.iter().find(|k| k.docker == docker) else {
                let loc = at(self, "docker");
                self.error(
                    codes::IMAGE_URI_BAD_ARCHITECTURE,
                    loc,
                    format!("unknown Docker architecture `{docker}`"),
                    "the ECS architectures are `amd64` (X86_64) and `arm64` (ARM64)",
                );
                ok = false;
                continue;
            };
            if ecs != known.ecs {
                let loc = at(self, "ecs");
                self.error(
                    codes::IMAGE_URI_BAD_ARCHITECTURE,
                    loc,
                    format!("`ecs` for {docker} must be `{}`, not `{ecs}`", known.ecs),
                    "`ecs` is the task definition's runtimePlatform.cpuArchitecture",
                );
                ok = false;
            }
            if console != known.console {
                let loc = at(self, "console");
                self.error(
                    codes::IMAGE_URI_BAD_ARCHITECTURE,
                    loc,
                    format!(
                        "`console` for {docker} must be `{}`, not `{console}`",
                        known.console
                    ),
                    "`console` is what the ECS console shows under Operating system/Architecture",
                );
                ok = false;
            }
            if out.iter().any(|a| a.docker == docker) {
                let loc = at(self, "docker");
                self.error(
                    codes::IMAGE_URI_BAD_ARCHITECTURE,
                    loc,
                    format!("architecture `{docker}` is listed twice"),
                    "list each architecture once",
                );
                ok = false;
            }
            out.push(Architecture {
                docker: docker.to_string(),
                ecs: known.ecs.to_string(),
                console: known.console.to_string(),
            });
        }
        ok.then_some(out)
    }

    fn regions(&mut self, map: &serde_json::Map<String, Value>) -> Option<Vec<Region>> {
        let Some(list) = map.get("regions") else {
            let at = self.table_location();
            self.error(
                codes::IMAGE_URI_MISSING_SETTING,
                at,
                format!("[preprocessor.{TABLE}] has no `regions`"),
                "add `regions = [\"us-east-1\", …]`: the Regions where the product is offered",
            );
            return None;
        };
        let Some(list) = list.as_array().filter(|l| !l.is_empty()) else {
            let at = self.value_location(&["regions"]);
            self.error(
                codes::IMAGE_URI_BAD_SETTING,
                at,
                "`regions` must be a non-empty list of Region codes".to_string(),
                "e.g. `regions = [\"us-east-1\", \"eu-west-1\"]`",
            );
            return None;
        };
        let mut out: Vec<Region> = Vec::new();
        for (i, code) in list.iter().enumerate() {
            let at = self.value_location_at(&[Step::Key("regions"), Step::Index(i)]);
            let code = code.as_str().unwrap_or_default();
            match aws_regions::name_of(code) {
                None => {
                    let hint = match aws_regions::closest(code) {
                        Some(near) => format!("did you mean `{near}`?"),
                        None => "Region codes look like `us-east-1`".to_string(),
                    };
                    self.error(
                        codes::IMAGE_URI_UNKNOWN_REGION,
                        at,
                        format!("`{code}` is not an AWS Region code"),
                        &hint,
                    );
                }
                Some(_) if out.iter().any(|r| r.code == code) => self.error(
                    codes::IMAGE_URI_DUPLICATE_REGION,
                    at,
                    format!("Region `{code}` is listed twice"),
                    "list each Region once",
                ),
                Some(name) => out.push(Region {
                    code: code.to_string(),
                    name,
                }),
            }
        }
        Some(out)
    }

    fn value_location(&self, keys: &[&str]) -> Location {
        let steps: Vec<Step> = keys.iter().map(|k| Step::Key(k)).collect();
        self.value_location_at(&steps)
    }

    fn value_location_at(&self, steps: &[Step]) -> Location {
        let mut path = vec![Step::Key("preprocessor"), Step::Key(TABLE)];
        path.extend_from_slice(steps);
        match value_span(self.text, &path) {
            Some(span) => Location::in_text(BOOK_TOML, self.text, span),
            None => self.table_location(),
        }
    }

    fn key_location(&self, key: &str) -> Location {
        key_span(self.text, &["preprocessor", TABLE, key])
            .map(|span| Location::in_text(BOOK_TOML, self.text, span))
            .unwrap_or_else(|| self.table_location())
    }

    /// The `[preprocessor.image-uri]` header, or the file when it is absent.
    fn table_location(&self) -> Location {
        let header = format!("[preprocessor.{TABLE}]");
        let mut offset = 0;
        for line in self.text.split_inclusive('\n') {
            if line.trim() == header {
                let start = offset + (line.len() - line.trim_start().len());
                return Location::in_text(BOOK_TOML, self.text, start..start + header.len());
            }
            offset += line.len();
        }
        Location::file(BOOK_TOML)
    }
}

/// The byte range of a value in a TOML document, found by key path.
fn value_span(text: &str, path: &[Step]) -> Option<Range<usize>> {
    use toml::de::{DeTable, DeValue};
    let doc = DeTable::parse(text).ok()?;
    let (first, rest) = path.split_first()?;
    let Step::Key(first) = first else { return None };
    let mut current = doc
        .get_ref()
        .iter()
        .find(|(k, _)| k.get_ref() == first)
        .map(|(_, v)| v)?;
    for step in rest {
        current = match (step, current.get_ref()) {
            (Step::Key(key), DeValue::Table(table)) => table
                .iter()
                .find(|(k, _)| k.get_ref() == key)
                .map(|(_, v)| v)?,
            (Step::Index(i), DeValue::Array(items)) => items.get(*i)?,
            _ => return None,
        };
    }
    Some(current.span())
}

/// The byte range of a key (not its value) in a TOML document.
fn key_span(text: &str, path: &[&str]) -> Option<Range<usize>> {
    use toml::de::{DeTable, DeValue};
    let doc = DeTable::parse(text).ok()?;
    let (last, parents) = path.split_last()?;
    let mut table = doc.get_ref();
    let mut holder;
    for key in parents {
        let value = table.iter().find(|(k, _)| k.get_ref() == key)?.1;
        match value.get_ref() {
            DeValue::Table(t) => {
                holder = t;
                table = holder;
            }
            _ => return None,
        }
    }
    table
        .iter()
        .find(|(k, _)| k.get_ref() == last)
        .map(|(k, _)| k.span())
}

/// `1.0.4`, `001`, `1.1.0-rc1`: dot-separated numbers, an optional `-label`.
pub fn is_version(version: &str) -> bool {
    let (numbers, label) = match version.split_once('-') {
        Some((n, l)) => (n, Some(l)),
        None => (version, None),
    };
    let numbers_ok = numbers.split('.').count() <= 4
        && numbers
            .split('.')
            .all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    let label_ok = label
        .is_none_or(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.'));
    numbers_ok && label_ok
}

/// Docker's tag grammar: `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`.
fn is_docker_tag(tag: &str) -> bool {
    let mut bytes = tag.bytes();
    tag.len() <= MAX_TAG_LEN
        && bytes
            .next()
            .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_')
        && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
}

/// ECR's repository name grammar: lower-case components joined by `.`, `_`,
/// `-` (within a component) or `/` (between path segments).
fn is_ecr_repository(name: &str) -> bool {
    (2..=256).contains(&name.len())
        && name.split('/').all(|segment| {
            !segment.is_empty()
                && segment.split(['.', '_', '-']).all(|part| {
                    !part.is_empty()
                        && part
                            .bytes()
                            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
                })
        })
}

/// A complete, valid release table for the unit tests of this area.
#[cfg(test)]
pub(crate) const SAMPLE: &str = r#"[book]
title = "t"

[preprocessor.image-uri]
command = "x"
registry = "709825985650.dkr.ecr.us-east-1.amazonaws.com"
repository = "certograph/responderapi"
version = "1.0.4"
tag = "{version}-{arch}"
regions = ["us-east-1", "eu-west-1"]

[[preprocessor.image-uri.architectures]]
docker = "amd64"
ecs = "X86_64"
console = "Linux/X86_64"

[[preprocessor.image-uri.architectures]]
docker = "arm64"
ecs = "ARM64"
console = "Linux/ARM64"
"#;

#[cfg(test)]
mod tests;
