//! The release facts, in one place: `[preprocessor.image-uri]` in book.toml.
//! Every image URI, architecture value and Region the guide shows comes from
//! here, so a version bump is one edit. Problems are reported at the
//! offending key or value of book.toml.

crate::diagnostics::codes::declare! {
    IMAGE_URI_BAD_ARCHITECTURE = "image-uri::bad-architecture", error: "an architecture in the release facts that ECS does not have, or named inconsistently";
    IMAGE_URI_BAD_REGISTRY = "image-uri::bad-registry", error: "a `registry` that is not an Amazon ECR registry";
    IMAGE_URI_BAD_REPOSITORY = "image-uri::bad-repository", error: "a `repository` that is not an ECR repository name";
    IMAGE_URI_BAD_SETTING = "image-uri::bad-setting", error: "a release fact with a value of the wrong shape";
    IMAGE_URI_BAD_TAG = "image-uri::bad-tag", error: "a tag pattern that gives an invalid image tag";
    IMAGE_URI_BAD_VERSION = "image-uri::bad-version", error: "a malformed `version`";
    IMAGE_URI_DUPLICATE_REGION = "image-uri::duplicate-region", error: "a Region listed twice";
    IMAGE_URI_MISSING_SETTING = "image-uri::missing-setting", error: "a release fact that is missing";
    IMAGE_URI_UNKNOWN_REGION = "image-uri::unknown-region", error: "a Region code that AWS does not have";
    IMAGE_URI_URI_TOO_LONG = "image-uri::uri-too-long", error: "an image URI longer than ECS accepts";
}

pub(crate) mod aws_regions;

use crate::diagnostics::Diagnostic;
use crate::diagnostics::location::Location;
use crate::model::book_root::BookRoot;
use crate::model::config::{self, BookToml, Step};

/// The AWS account that holds every AWS Marketplace container image.
pub(crate) const MARKETPLACE_REGISTRY: &str = "709825985650.dkr.ecr.";

/// The table the facts live in.
pub(crate) const TABLE: &str = "image-uri";

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
pub(crate) const MAX_IMAGE_LEN: usize = 255;
/// Docker refuses a longer tag.
const MAX_TAG_LEN: usize = 128;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Architecture {
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
    pub(crate) fn aliases(&self) -> &'static [&'static str] {
        KNOWN
            .iter()
            .find(|k| k.docker == self.docker)
            .map_or(&[], |k| k.aliases)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Region {
    pub code: String,
    pub name: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Release {
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
    pub(crate) fn load(book_root: &BookRoot) -> Result<Release, Vec<Diagnostic>> {
        let table = config::raw(&book_root.config, TABLE).unwrap_or_default();
        let text = book_root.read(config::BOOK_TOML).unwrap_or_default();
        from_table(&table, &BookToml::new(&text))
    }

    /// Whether book.toml holds any release fact at all. A book without them
    /// (a test book about something else) only fails when it uses a directive.
    pub(crate) fn is_configured(book_root: &BookRoot) -> bool {
        config::raw(&book_root.config, TABLE)
            .is_some_and(|t| config::IMAGE_URI.iter().any(|f| t.contains_key(f.key)))
    }

    pub(crate) fn architectures(&self) -> &[Architecture] {
        &self.architectures
    }

    pub(crate) fn architecture(&self, docker: &str) -> Option<&Architecture> {
        self.architectures.iter().find(|a| a.docker == docker)
    }

    /// The Regions the product is offered in, as book.toml lists them.
    pub(crate) fn regions(&self) -> &[Region] {
        &self.regions
    }

    /// The image tag for an architecture.
    pub(crate) fn tag(&self, arch: &str) -> String {
        self.tag_pattern
            .replace("{version}", &self.version)
            .replace("{arch}", arch)
    }

    /// The full image URI for an architecture (`None` if it is not shipped).
    pub(crate) fn uri(&self, arch: &str) -> Option<String> {
        self.architecture(arch)?;
        Some(format!(
            "{}/{}:{}",
            self.registry,
            self.repository,
            self.tag(arch)
        ))
    }

    /// Whether every architecture shares one tag (a multi-arch image).
    #[cfg(test)]
    pub(crate) fn is_multi_arch(&self) -> bool {
        !self.tag_pattern.contains("{arch}")
    }
}

/// Checks what the facts mean; `table` is the raw table (unknown keys and
/// wrong types are the config check's), `book` gives the positions.
pub(crate) fn from_table(table: &toml::Table, book: &BookToml) -> Result<Release, Vec<Diagnostic>> {
    let facts: config::ImageUri = config::typed(table, config::IMAGE_URI);
    let mut v = Validator {
        book,
        table,
        problems: Vec::new(),
    };
    let registry = v.string("registry", facts.registry).map(|r| v.registry(r));
    let repository = v
        .string("repository", facts.repository)
        .map(|r| v.repository(r));
    let version = v.string("version", facts.version).map(|r| v.version(r));
    let tag_pattern = match facts.tag {
        None if !table.contains_key("tag") => Some(Some("{version}-{arch}".to_string())),
        tag => v.string("tag", tag).map(|t| v.tag_pattern(t)),
    };
    let architectures = v.architectures(facts.architectures);
    let regions = v.regions(facts.regions);

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
                    Diagnostic::raise(
                        IMAGE_URI_BAD_TAG,
                        v.value_location(&["tag"]),
                        format!("the tag `{tag}` for {} is not a valid image tag", arch.docker),
                    )
                    .with_hint("a tag is at most 128 letters, digits, `_`, `.` and `-`, and does not start with `.` or `-`"),
                );
            }
            if uri.len() > MAX_IMAGE_LEN {
                v.problems.push(
                    Diagnostic::raise(
                        IMAGE_URI_URI_TOO_LONG,
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

struct Validator<'b, 't> {
    book: &'b BookToml<'t>,
    table: &'b toml::Table,
    problems: Vec<Diagnostic>,
}

impl Validator<'_, '_> {
    fn error(&mut self, code: crate::diagnostics::Code, at: Location, message: String, hint: &str) {
        self.problems
            .push(Diagnostic::raise(code, at, message).with_hint(hint.to_string()));
    }

    /// A required string setting; reports a missing one (a value of the
    /// wrong type is the config check's).
    fn string(&mut self, key: &str, value: Option<String>) -> Option<String> {
        match value {
            Some(s) => Some(s),
            None if self.table.contains_key(key) => None,
            None => {
                let at = self.table_location();
                self.error(
                    IMAGE_URI_MISSING_SETTING,
                    at,
                    format!("[preprocessor.{}] has no `{key}`", self.book.located(TABLE)),
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
                    IMAGE_URI_BAD_REGISTRY,
                    at,
                    format!("`{registry}` is not an Amazon ECR registry"),
                    "an ECR registry is ACCOUNT.dkr.ecr.REGION.amazonaws.com; AWS Marketplace images are in 709825985650.dkr.ecr.us-east-1.amazonaws.com",
                );
                None
            }
            Some(region) if aws_regions::name_of(region).is_none() => {
                self.error(
                    IMAGE_URI_UNKNOWN_REGION,
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
            IMAGE_URI_BAD_REPOSITORY,
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
            IMAGE_URI_BAD_VERSION,
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
                    IMAGE_URI_BAD_TAG,
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
                IMAGE_URI_BAD_TAG,
                at,
                format!("the tag pattern `{pattern}` does not use `{{version}}`"),
                "use `{version}-{arch}` for one tag per architecture or `{version}` for one multi-arch tag",
            );
            return None;
        }
        Some(pattern)
    }

    fn architectures(
        &mut self,
        list: Option<Vec<config::ArchitectureEntry>>,
    ) -> Option<Vec<Architecture>> {
        if list.is_none() && self.table.contains_key("architectures") {
            return None;
        }
        let Some(list) = list else {
            let at = self.table_location();
            self.error(
                IMAGE_URI_MISSING_SETTING,
                at,
                format!("[preprocessor.{}] has no `architectures`", self.book.located(TABLE)),
                &format!("add a [[preprocessor.{}.architectures]] table for each architecture, with `docker`, `ecs` and `console`", self.book.located(TABLE)),
            );
            return None;
        };
        if list.is_empty() {
            let at = self.value_location(&["architectures"]);
            self.error(
                IMAGE_URI_BAD_ARCHITECTURE,
                at,
                "`architectures` must be a non-empty list of tables".to_string(),
                &format!(
                    "add a [[preprocessor.{}.architectures]] table for each architecture",
                    self.book.located(TABLE)
                ),
            );
            return None;
        };
        let mut out: Vec<Architecture> = Vec::new();
        let mut ok = true;
        for (i, entry) in list.iter().enumerate() {
            let (docker, ecs, console) = (
                entry.docker.as_str(),
                entry.ecs.as_str(),
                entry.console.as_str(),
            );
            let at = |v: &Self, key: &str| {
                v.value_location_at(&[
                    Step::Key("architectures".into()),
                    Step::Index(i),
                    Step::Key(key.into()),
                ])
            };
            let Some(known) = KNOWN.iter().find(|k| k.docker == docker) else {
                let loc = at(self, "docker");
                self.error(
                    IMAGE_URI_BAD_ARCHITECTURE,
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
                    IMAGE_URI_BAD_ARCHITECTURE,
                    loc,
                    format!("`ecs` for {docker} must be `{}`, not `{ecs}`", known.ecs),
                    "`ecs` is the task definition's runtimePlatform.cpuArchitecture",
                );
                ok = false;
            }
            if console != known.console {
                let loc = at(self, "console");
                self.error(
                    IMAGE_URI_BAD_ARCHITECTURE,
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
                    IMAGE_URI_BAD_ARCHITECTURE,
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

    fn regions(&mut self, list: Option<Vec<String>>) -> Option<Vec<Region>> {
        if list.is_none() && self.table.contains_key("regions") {
            return None;
        }
        let Some(list) = list else {
            let at = self.table_location();
            self.error(
                IMAGE_URI_MISSING_SETTING,
                at,
                format!(
                    "[preprocessor.{}] has no `regions`",
                    self.book.located(TABLE)
                ),
                "add `regions = [\"us-east-1\", …]`: the Regions where the product is offered",
            );
            return None;
        };
        if list.is_empty() {
            let at = self.value_location(&["regions"]);
            self.error(
                IMAGE_URI_BAD_SETTING,
                at,
                "`regions` must be a non-empty list of Region codes".to_string(),
                "e.g. `regions = [\"us-east-1\", \"eu-west-1\"]`",
            );
            return None;
        };
        let mut out: Vec<Region> = Vec::new();
        for (i, code) in list.iter().enumerate() {
            let at = self.value_location_at(&[Step::Key("regions".into()), Step::Index(i)]);
            let code = code.as_str();
            match aws_regions::name_of(code) {
                None => {
                    let hint = match aws_regions::closest(code) {
                        Some(near) => format!("did you mean `{near}`?"),
                        None => "Region codes look like `us-east-1`".to_string(),
                    };
                    self.error(
                        IMAGE_URI_UNKNOWN_REGION,
                        at,
                        format!("`{code}` is not an AWS Region code"),
                        &hint,
                    );
                }
                Some(_) if out.iter().any(|r| r.code == code) => self.error(
                    IMAGE_URI_DUPLICATE_REGION,
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
        let steps: Vec<Step> = keys.iter().map(|k| Step::Key(k.to_string())).collect();
        self.value_location_at(&steps)
    }

    fn value_location_at(&self, steps: &[Step]) -> Location {
        self.book
            .value_location(TABLE, steps)
            .unwrap_or_else(|| self.table_location())
    }

    /// The `[preprocessor.image-uri]` header, or the file when it is absent.
    fn table_location(&self) -> Location {
        self.book.table_location(TABLE)
    }
}

/// `1.0.4`, `001`, `1.1.0-rc1`: dot-separated numbers, an optional `-label`.
pub(crate) fn is_version(version: &str) -> bool {
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
