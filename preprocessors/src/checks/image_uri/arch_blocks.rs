//! `{{#arch amd64}} … {{#arch arm64}} … {{#endarch}}`: content that belongs to
//! one architecture, rendered as a tab group. The markup works without
//! JavaScript (every variant shown, each with a visible label); the theme's
//! `arch-selector.js` turns each group into tabs that follow the reader's
//! one choice on every page.
//!
//! mdBook renders Markdown inside an HTML block only when blank lines separate
//! it from the tags, so every opening and closing tag sits on its own line
//! with a blank line between it and the writer's Markdown.

use super::cross_arch;
use super::{Problem, problem};
use crate::model::directive;
use crate::model::release::Architecture;
use std::ops::Range;

crate::diagnostics::codes::declare! {
    IMAGE_URI_ARCH_IN_CODE = "image-uri::arch-in-code", error: "an `{{#arch}}` group inside a code block";
    IMAGE_URI_DUPLICATE_VARIANT = "image-uri::duplicate-variant", error: "an `{{#arch}}` group with the same architecture twice";
    IMAGE_URI_MISSING_VARIANT = "image-uri::missing-variant", error: "an `{{#arch}}` group without every shipped architecture";
    IMAGE_URI_OTHER_ARCHITECTURE = "image-uri::other-architecture", error: "an architecture block that names the other architecture's values";
    IMAGE_URI_STRAY_ENDARCH = "image-uri::stray-endarch", error: "`{{#endarch}}` without an open group";
    IMAGE_URI_UNCLOSED_ARCH = "image-uri::unclosed-arch", error: "an `{{#arch}}` group without `{{#endarch}}`";
    IMAGE_URI_UNKNOWN_ARCHITECTURE = "image-uri::unknown-architecture", error: "a directive argument that is not a shipped architecture";
}

pub(crate) const NAMES: &[&str] = &["arch", "endarch"];

pub(crate) const SPECS: &[directive::Spec] = &[
    directive::Spec {
        name: "arch",
        owner: crate::model::release::TABLE,
        args: "ARCH",
        stands: directive::Stands::Alone,
    },
    directive::Spec {
        name: "endarch",
        owner: crate::model::release::TABLE,
        args: "",
        stands: directive::Stands::Alone,
    },
];

/// One tab group as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Group {
    /// From the start of the first `{{#arch}}` line to the end of the `{{#endarch}}` line.
    pub range: Range<usize>,
    /// The leading whitespace of the first directive (a group inside a list item).
    pub indent: String,
    pub variants: Vec<Variant>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Variant {
    pub arch: String,
    /// The `{{#arch X}}` directive.
    pub directive: Range<usize>,
    /// The lines between this directive and the next.
    pub body: Range<usize>,
}

/// Finds every group and every problem with them: unknown or repeated
/// architectures, a group left open, a missing variant, directives that
/// share a line or sit in a code block, and a variant that names another
/// architecture's values.
pub(crate) fn parse(text: &str, archs: &[Architecture]) -> (Vec<Group>, Vec<Problem>) {
    let mut groups = Vec::new();
    let mut problems = Vec::new();
    let mut open: Option<Group> = None;
    let mut fence: Option<(char, usize)> = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        if let Some(marker) = fence_marker(content) {
            fence = match fence {
                None => Some(marker),
                Some((c, n)) if marker.0 == c && marker.1 >= n && is_bare_fence(content) => None,
                keep => keep,
            };
            continue;
        }
        let found = directive::find(content, NAMES);
        let Some(d) = found.first() else { continue };
        let range = start + d.range.start..start + d.range.end;
        if fence.is_some() {
            problems.push(problem(
                IMAGE_URI_ARCH_IN_CODE,
                range,
                format!("`{{{{#{}}}}}` inside a code block", d.name),
                "close the code block first: put one complete code block in each architecture's variant",
            ));
            continue;
        }
        if found.len() > 1 || directive::alone_indent(content, &d.range).is_none() {
            problems.push(problem(
                crate::checks::image_uri::IMAGE_URI_NOT_ALONE,
                range,
                format!("`{{{{#{}}}}}` must be alone on its line", d.name),
                "put each {{#arch X}} and {{#endarch}} on a line of its own",
            ));
            continue;
        }
        let line_end = start + content.len();
        if d.name == "endarch" {
            if !d.args.is_empty() {
                problems.push(problem(
                    crate::checks::image_uri::IMAGE_URI_BAD_ARGUMENTS,
                    range.clone(),
                    "`{{#endarch}}` takes no argument".to_string(),
                    "write `{{#endarch}}`",
                ));
            }
            match open.take() {
                None => problems.push(problem(
                    IMAGE_URI_STRAY_ENDARCH,
                    range,
                    "`{{#endarch}}` without an `{{#arch X}}` before it".to_string(),
                    "start the group with `{{#arch amd64}}`, or remove this line",
                )),
                Some(mut group) => {
                    if let Some(last) = group.variants.last_mut() {
                        last.body.end = start;
                    }
                    group.range.end = line_end;
                    let missing: Vec<&str> = archs
                        .iter()
                        .map(|a| a.docker.as_str())
                        .filter(|a| !group.variants.iter().any(|v| v.arch == *a))
                        .collect();
                    let all_known = group
                        .variants
                        .iter()
                        .all(|v| archs.iter().any(|a| a.docker == v.arch));
                    if !missing.is_empty() && all_known {
                        problems.push(problem(
                            IMAGE_URI_MISSING_VARIANT,
                            group.variants[0].directive.clone(),
                            format!("this architecture group has no {} variant", missing.join(" or ")),
                            "every reader sees the variant of the architecture they chose: give each architecture its own",
                        ));
                    }
                    groups.push(group);
                }
            }
            continue;
        }
        // `{{#arch X}}`
        let arch = match d.args.as_slice() {
            [arch] => *arch,
            _ => {
                problems.push(problem(
                    crate::checks::image_uri::IMAGE_URI_BAD_ARGUMENTS,
                    range,
                    "`{{#arch}}` takes exactly one architecture".to_string(),
                    &format!("write `{{{{#arch {}}}}}`", names(archs, " or ")),
                ));
                continue;
            }
        };
        // An unknown name still opens or continues the group, so its
        // `{{#endarch}}` is not reported as stray too.
        if !archs.iter().any(|a| a.docker == arch) {
            problems.push(unknown_architecture(range.clone(), arch, archs));
        }
        let variant = Variant {
            arch: arch.to_string(),
            directive: range.clone(),
            body: offset..offset,
        };
        match open.as_mut() {
            None => {
                open = Some(Group {
                    range: start..line_end,
                    indent: content[..content.len() - content.trim_start().len()].to_string(),
                    variants: vec![variant],
                });
            }
            Some(group) => {
                if group.variants.iter().any(|v| v.arch == arch) {
                    problems.push(problem(
                        IMAGE_URI_DUPLICATE_VARIANT,
                        range,
                        format!("a second {arch} variant in one group"),
                        "close the group with `{{#endarch}}` before starting another",
                    ));
                    continue;
                }
                if let Some(last) = group.variants.last_mut() {
                    last.body.end = start;
                }
                group.variants.push(variant);
            }
        }
    }
    if let Some(group) = open {
        problems.push(problem(
            IMAGE_URI_UNCLOSED_ARCH,
            group.variants[0].directive.clone(),
            "this architecture group is never closed".to_string(),
            "end it with `{{#endarch}}` on a line of its own",
        ));
    }
    for group in &groups {
        for variant in &group.variants {
            let Some(own) = archs.iter().find(|a| a.docker == variant.arch) else {
                continue;
            };
            let body = &text[variant.body.clone()];
            for mention in cross_arch::find(body, own, archs) {
                let range = variant.body.start + mention.range.start
                    ..variant.body.start + mention.range.end;
                problems.push(problem(
                    IMAGE_URI_OTHER_ARCHITECTURE,
                    range.clone(),
                    format!(
                        "the {} variant names `{}`, a value of {}",
                        own.docker,
                        &text[range],
                        mention.arch
                    ),
                    &format!(
                        "use {{{{#image-uri {0}}}}}, {{{{#cpu-architecture {0}}}}} or {{{{#console-platform {0}}}}} inside this variant",
                        own.docker
                    ),
                ));
            }
        }
    }
    (groups, problems)
}

/// `amd64 or arm64`.
pub(crate) fn names(archs: &[Architecture], sep: &str) -> String {
    archs
        .iter()
        .map(|a| a.docker.as_str())
        .collect::<Vec<_>>()
        .join(sep)
}

/// The problem for an architecture name that is not shipped, with the
/// Docker name to write when the writer used the ECS or console name.
pub(crate) fn unknown_architecture(
    range: Range<usize>,
    arch: &str,
    archs: &[Architecture],
) -> Problem {
    let by_other_name = archs.iter().find(|a| {
        a.ecs.eq_ignore_ascii_case(arch)
            || a.console.eq_ignore_ascii_case(arch)
            || a.docker.eq_ignore_ascii_case(arch)
            || a.aliases().iter().any(|x| x.eq_ignore_ascii_case(arch))
    });
    let hint = match by_other_name {
        Some(a) => format!(
            "write `{}`: directives take the Docker name and print the ECS or console name where needed",
            a.docker
        ),
        None => format!("the architectures are {}", names(archs, " and ")),
    };
    problem(
        IMAGE_URI_UNKNOWN_ARCHITECTURE,
        range,
        format!("unknown architecture `{arch}`"),
        &hint,
    )
}

/// Counts groups on a page so every tab and panel id is unique, also on the
/// print page where every chapter shares one document.
#[derive(Debug)]
pub(crate) struct Ids {
    prefix: String,
    next: usize,
}

impl Ids {
    /// `chapter` is the chapter's path, made into an id-safe prefix.
    pub(crate) fn new(chapter: &str) -> Self {
        let slug: String = chapter
            .trim_end_matches(".md")
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .collect();
        Ids {
            prefix: format!("arch-{slug}"),
            next: 0,
        }
    }

    fn group(&mut self) -> String {
        self.next += 1;
        format!("{}-{}", self.prefix, self.next)
    }
}

/// The HTML for one group: a tab list (hidden until the script runs) and one
/// labelled panel per variant whose body is the writer's Markdown. Each tab
/// is the Docker name alone, so a group's tabs fit one row on a phone; the
/// panel's label adds the console's name.
pub(crate) fn render_group(
    variants: &[(&Architecture, &str)],
    indent: &str,
    ids: &mut Ids,
) -> String {
    let group = ids.group();
    let mut html = String::new();
    let line = |html: &mut String, s: &str| {
        if !s.is_empty() {
            html.push_str(indent);
        }
        html.push_str(s);
        html.push('\n');
    };
    line(&mut html, r#"<div class="arch-group" data-arch-group>"#);
    line(
        &mut html,
        r#"<div class="arch-tabs" role="tablist" aria-label="Architecture" hidden>"#,
    );
    for (i, (arch, _)) in variants.iter().enumerate() {
        let id = format!("{group}-{}", arch.docker);
        let selected = i == 0;
        line(
            &mut html,
            &format!(
                r#"<button type="button" role="tab" class="arch-tab" id="{id}-tab" aria-controls="{id}" aria-selected="{selected}" tabindex="{}" data-arch="{}">{}</button>"#,
                if selected { 0 } else { -1 },
                arch.docker,
                arch.docker
            ),
        );
    }
    line(&mut html, "</div>");
    for (arch, body) in variants {
        let id = format!("{group}-{}", arch.docker);
        line(
            &mut html,
            &format!(
                r#"<div class="arch-panel" role="tabpanel" id="{id}" aria-labelledby="{id}-tab" data-arch="{}" tabindex="0">"#,
                arch.docker
            ),
        );
        line(
            &mut html,
            &format!(r#"<p class="arch-label">For {}:</p>"#, label(arch)),
        );
        line(&mut html, "");
        let body = body.trim_matches('\n');
        html.push_str(body);
        html.push('\n');
        line(&mut html, "");
        line(&mut html, "</div>");
    }
    html.push_str(indent);
    html.push_str("</div>");
    html
}

/// `arm64 (Linux/ARM64)`: the Docker name readers see in the tag, and the
/// console's name for it.
fn label(arch: &Architecture) -> String {
    format!("{} ({})", arch.docker, arch.console)
}

/// Replaces every group in `text` with its HTML. `text` must parse without
/// problems (the caller reports them and leaves the chapter alone).
pub(crate) fn render(text: &str, archs: &[Architecture], ids: &mut Ids) -> String {
    let (groups, _) = parse(text, archs);
    let mut out = String::with_capacity(text.len() * 2);
    let mut last = 0;
    for group in groups {
        out.push_str(&text[last..group.range.start]);
        let variants: Vec<(&Architecture, &str)> = group
            .variants
            .iter()
            .filter_map(|v| {
                let arch = archs.iter().find(|a| a.docker == v.arch)?;
                Some((arch, &text[v.body.clone()]))
            })
            .collect();
        out.push_str(&render_group(&variants, &group.indent, ids));
        last = group.range.end;
    }
    out.push_str(&text[last..]);
    out
}

/// The fence character and length if the line opens or closes a code fence.
fn fence_marker(line: &str) -> Option<(char, usize)> {
    // Any indentation: a fence inside a list item is still a fence.
    let trimmed = line.trim_start();
    let c = trimmed.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let n = trimmed.chars().take_while(|x| *x == c).count();
    (n >= 3).then_some((c, n))
}

/// A closing fence carries no info string.
fn is_bare_fence(line: &str) -> bool {
    line.trim().chars().all(|c| c == '`' || c == '~')
}

#[cfg(test)]
mod tests;
