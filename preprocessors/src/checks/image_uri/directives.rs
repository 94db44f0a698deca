//! The value directives: `{{#image-uri ARCH}}`, `{{#image-uris}}`,
//! `{{#image-registry}}` (the registry host, for `docker login`),
//! `{{#console-platform ARCH}}`, `{{#cpu-architecture ARCH}}`, `{{#regions}}`
//! and `{{#template NAME ARCH}}`, expanded from the release facts. A bad
//! directive is left as written and reported; the build then fails, so it
//! never reaches a reader.

use super::arch_blocks::{self, Ids};
use super::{Problem, problem};
use crate::model::directive::{self, Directive, Spec, Stands};
use crate::model::release::TABLE;
use crate::model::release::{Architecture, Release};

crate::diagnostics::codes::declare! {
    IMAGE_URI_MISSING_TEMPLATE = "image-uri::missing-template", error: "`{{#template NAME}}` with no `templates/NAME`";
    IMAGE_URI_TEMPLATE_OUTSIDE = "image-uri::template-outside", error: "a template name that leads out of `templates/`";
}

pub(crate) const SPECS: &[Spec] = &[
    Spec {
        name: "image-uri",
        owner: TABLE,
        args: "ARCH",
        stands: Stands::Inline,
    },
    Spec {
        name: "image-uris",
        owner: TABLE,
        args: "",
        stands: Stands::Alone,
    },
    Spec {
        name: "image-registry",
        owner: TABLE,
        args: "",
        stands: Stands::Inline,
    },
    Spec {
        name: "console-platform",
        owner: TABLE,
        args: "ARCH",
        stands: Stands::Inline,
    },
    Spec {
        name: "cpu-architecture",
        owner: TABLE,
        args: "ARCH",
        stands: Stands::Inline,
    },
    Spec {
        name: "regions",
        owner: TABLE,
        args: "",
        stands: Stands::Alone,
    },
    Spec {
        name: "template",
        owner: TABLE,
        args: "NAME ARCH",
        stands: Stands::Anywhere,
    },
];

/// Why a template could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TemplateError {
    /// No such file; the files that do exist, for the hint.
    Missing(Vec<String>),
    /// The name leads out of `templates/`.
    Outside,
}

/// What expansion needs from outside the chapter text.
pub(crate) struct Env<'a> {
    /// `None` when book.toml has no (valid) release facts.
    pub release: Option<&'a Release>,
    /// The text of `templates/NAME`.
    pub read_template: &'a dyn Fn(&str) -> Result<String, TemplateError>,
    /// Whether the release facts were configured but invalid (already reported in book.toml).
    pub release_invalid: bool,
}

/// Expands every directive of [`SPECS`] in `text`.
pub(crate) fn expand(text: &str, env: &Env, ids: &mut Ids) -> (String, Vec<Problem>) {
    let mut problems = Vec::new();
    let out = directive::replace(text, &directive::names(SPECS), |d| {
        let range = d.range.clone();
        match expand_one(text, d, env, ids) {
            Ok(expanded) => expanded,
            Err(problem) => {
                problems.extend(problem);
                text[range].to_string()
            }
        }
    });
    (out, problems)
}

/// `Err(None)`: leave the directive unexpanded without a new problem (the
/// release facts are broken and book.toml already says so).
fn expand_one(
    text: &str,
    d: &Directive,
    env: &Env,
    ids: &mut Ids,
) -> Result<String, Option<Problem>> {
    let range = d.range.clone();
    let Some(release) = env.release else {
        if env.release_invalid {
            return Err(None);
        }
        return Err(Some(problem(
            crate::checks::image_uri::IMAGE_URI_NO_RELEASE,
            range,
            format!(
                "`{{{{#{}}}}}` needs the release facts, and book.toml has none",
                d.name
            ),
            "add registry, repository, version, architectures and regions to [preprocessor.image-uri] in book.toml",
        )));
    };
    let archs = release.architectures();
    let alone_indent = directive::alone_indent(text, &range);
    match d.name {
        "image-uri" | "console-platform" | "cpu-architecture" => {
            let arch = one_arch(d, &d.args, archs)?;
            Ok(match d.name {
                "image-uri" => release.uri(&arch.docker).unwrap_or_default(),
                "console-platform" => arch.console.clone(),
                _ => arch.ecs.clone(),
            })
        }
        "image-registry" | "image-uris" | "regions" => {
            if !d.args.is_empty() {
                return Err(Some(problem(
                    crate::checks::image_uri::IMAGE_URI_BAD_ARGUMENTS,
                    range,
                    format!("`{{{{#{}}}}}` takes no argument", d.name),
                    &format!("write `{{{{#{}}}}}`", d.name),
                )));
            }
            if d.name == "image-registry" {
                return Ok(release.registry.clone());
            }
            let Some(indent) = alone_indent else {
                return Err(Some(problem(
                    crate::checks::image_uri::IMAGE_URI_NOT_ALONE,
                    range,
                    format!("`{{{{#{}}}}}` must be alone on its line", d.name),
                    "it becomes a block (a table or a tab group), which cannot sit inside a sentence",
                )));
            };
            Ok(if d.name == "regions" {
                regions_table(release, indent)
            } else {
                image_uris(release, indent, ids)
            })
        }
        "template" => {
            let [name, _] = d.args.as_slice() else {
                return Err(Some(problem(
                    crate::checks::image_uri::IMAGE_URI_BAD_ARGUMENTS,
                    range,
                    "`{{#template}}` takes a template name and an architecture".to_string(),
                    &format!(
                        "write `{{{{#template task-definition.json {}}}}}`",
                        archs.first().map_or("amd64", |a| a.docker.as_str())
                    ),
                )));
            };
            let arch = one_arch(d, &d.args[1..], archs)?;
            let body = (env.read_template)(name).map_err(|why| {
                Some(match why {
                    TemplateError::Outside => problem(
                        IMAGE_URI_TEMPLATE_OUTSIDE,
                        range.clone(),
                        format!("`{name}` leads out of templates/"),
                        "name a file inside templates/, e.g. `task-definition.json`",
                    ),
                    TemplateError::Missing(available) => problem(
                        IMAGE_URI_MISSING_TEMPLATE,
                        range.clone(),
                        format!("no template `{name}` in templates/"),
                        &format!("the templates are: {}", available.join(", ")),
                    ),
                })
            })?;
            let filled = body
                .replace(
                    "${ImageUri}",
                    &release.uri(&arch.docker).unwrap_or_default(),
                )
                .replace("${CpuArchitecture}", &arch.ecs);
            let filled = filled.strip_suffix('\n').unwrap_or(&filled);
            Ok(indent_after_first(filled, alone_indent.unwrap_or("")))
        }
        _ => Err(None),
    }
}

/// The one architecture among `args` (a template's arguments after its name).
fn one_arch<'r>(
    d: &Directive,
    args: &[&str],
    archs: &'r [Architecture],
) -> Result<&'r Architecture, Option<Problem>> {
    let range = d.range.clone();
    let [arch] = args else {
        let (message, hint) = if args.is_empty() {
            (
                format!("`{{{{#{}}}}}` needs an architecture", d.name),
                format!(
                    "write {}",
                    archs
                        .iter()
                        .map(|a| format!("`{{{{#{} {}}}}}`", d.name, a.docker))
                        .collect::<Vec<_>>()
                        .join(" or ")
                ),
            )
        } else {
            (
                format!(
                    "unexpected argument `{}` to `{{{{#{}}}}}`",
                    args[1..].join(" "),
                    d.name
                ),
                format!("`{{{{#{}}}}}` takes one architecture", d.name),
            )
        };
        return Err(Some(problem(
            crate::checks::image_uri::IMAGE_URI_BAD_ARGUMENTS,
            range,
            message,
            &hint,
        )));
    };
    archs
        .iter()
        .find(|a| a.docker == *arch)
        .ok_or_else(|| Some(arch_blocks::unknown_architecture(range, arch, archs)))
}

/// Indents every line but the first (which takes the directive's place),
/// so a block inside a list item stays inside it.
fn indent_after_first(text: &str, indent: &str) -> String {
    if indent.is_empty() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
            if !line.is_empty() {
                out.push_str(indent);
            }
        }
        out.push_str(line);
    }
    out
}

/// The Region table, in book.toml's order.
fn regions_table(release: &Release, indent: &str) -> String {
    let mut lines = vec!["| Region | Code |".to_string(), "| --- | --- |".to_string()];
    for region in release.regions() {
        lines.push(format!("| {} | `{}` |", region.name, region.code));
    }
    indent_after_first(&lines.join("\n"), indent)
}

/// A tab group with, for each architecture, its image URI (in a code block,
/// so mdBook's copy button copies exactly the URI), console label and
/// task-definition value.
fn image_uris(release: &Release, indent: &str, ids: &mut Ids) -> String {
    let bodies: Vec<String> = release
        .architectures()
        .iter()
        .map(|arch| {
            let body = format!(
                "Image URI:\n\n```text\n{uri}\n```\n\n\
                 - In the ECS console, **Operating system/Architecture**: `{console}`\n\
                 - In a task definition: `\"runtimePlatform\": {{\"cpuArchitecture\": \"{ecs}\", \"operatingSystemFamily\": \"LINUX\"}}`",
                uri = release.uri(&arch.docker).unwrap_or_default(),
                console = arch.console,
                ecs = arch.ecs,
            );
            format!("{indent}{}", indent_after_first(&body, indent))
        })
        .collect();
    let variants: Vec<(&Architecture, &str)> = release
        .architectures()
        .iter()
        .zip(bodies.iter().map(String::as_str))
        .collect();
    let html = arch_blocks::render_group(&variants, indent, ids);
    // The directive's own indentation is already in the chapter text.
    html.strip_prefix(indent).unwrap_or(&html).to_string()
}

#[cfg(test)]
mod tests;
