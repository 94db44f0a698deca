//! The guide's run paths: which shell blocks a reader of each deployment
//! path runs, in book order. A block joins a path through an HTML comment on
//! the line just before its fence, which readers never see:
//!
//! ```text
//! <!-- run: cli -->
//! <!-- run: cli cloudformation stand-in -->
//! ```
//!
//! One or more path names, then `stand-in` for a block that needs what an
//! emulator cannot give (a running task, a public IP address, the internet).
//! The chapters are read as readers get them, so an `{{#arch}}` group holds
//! every architecture's variant of a block: variants are one step of the
//! path. This is the one parser of the markers: the checks of what the
//! paths do (`aws::deployer`, `aws::replacement`) and the tests' harness that
//! runs them read it.

use crate::diagnostics::{Diagnostic, Problem};
use crate::model::chapters::BookModel;
use crate::model::code_blocks::Block;
use std::collections::HashMap;
use std::ops::Range;

crate::diagnostics::codes::declare! {
    AWS_RUN_MARKER = "aws::run-marker", error: "a run marker the run paths cannot use: not on the line just before a code fence, an unknown path, or before a block that is not a shell block";
    AWS_UNMARKED_BLOCK = "aws::unmarked-block", warning: "a shell block in an `{{#arch}}` group with no run marker while a sibling variant has one: no path runs it, so nothing judges it (a warning)";
}

/// Every path a block can belong to.
pub const PATHS: &[&str] = &[
    "cli",
    "cloudformation",
    "update",
    "alb-cli",
    "alb-cloudformation",
    "alb-cloudformation-undo",
    "cleanup-cli",
    "cleanup-cloudformation",
    "cleanup-alb",
];

/// One reader's way through the guide: paths run one after another in the
/// same shell session, against the same account.
#[derive(Debug)]
pub struct Sequence {
    pub name: &'static str,
    pub paths: &'static [&'static str],
}

/// The ways through the guide (the README's "The guide runs").
pub const SEQUENCES: &[Sequence] = &[
    Sequence {
        name: "cli",
        paths: &["cli", "update", "cleanup-cli"],
    },
    Sequence {
        name: "cloudformation",
        paths: &["cloudformation", "cleanup-cloudformation"],
    },
    // The load balancer on top of each deployment, then the clean-up of both.
    Sequence {
        name: "alb-cli",
        paths: &["cli", "update", "alb-cli", "cleanup-alb", "cleanup-cli"],
    },
    Sequence {
        name: "alb-cloudformation",
        paths: &[
            "cloudformation",
            "alb-cloudformation",
            "cleanup-cloudformation",
        ],
    },
    // The load balancer stack over the first, the first again, then the
    // stack's deletion.
    Sequence {
        name: "alb-cloudformation-undo",
        paths: &[
            "cloudformation",
            "alb-cloudformation",
            "alb-cloudformation-undo",
            "cleanup-cloudformation",
        ],
    },
];

/// The text after `<!--` and `run:` when a line is a run marker, spaced
/// any way (`<!--run:cli-->`); `None` for any other line. A `Run:` or
/// `RUN:` is a marker too, refused by [`parse_marker`] rather than dropped,
/// and so is a near miss that names a path (`<!-- runs: cli -->`,
/// `<!-- run cli -->`): its block would otherwise leave every path unseen.
fn marker_body(line: &str) -> Option<&str> {
    let rest = line.trim().strip_prefix("<!--")?.trim_start();
    let end = rest
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(rest.len());
    let word = &rest[..end];
    if !(word.eq_ignore_ascii_case("run") || word.eq_ignore_ascii_case("runs")) {
        return None;
    }
    let after = &rest[end..];
    if word.len() == 3
        && let Some(body) = after.trim_start().strip_prefix(':')
    {
        return Some(body);
    }
    after
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .any(|w| PATHS.contains(&w))
        .then_some(after)
}

/// What a marker says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker {
    pub paths: Vec<String>,
    pub stand_in: bool,
}

/// `<!-- run: cli cloudformation stand-in -->`.
pub fn parse_marker(line: &str) -> Result<Marker, String> {
    let one_line = "a run marker is one line: `<!-- run: PATH… [stand-in] -->`";
    let body = marker_body(line).ok_or_else(|| one_line.to_string())?;
    let opening = line
        .trim()
        .strip_prefix("<!--")
        .map(str::trim_start)
        .unwrap_or_default();
    let word = &opening[..opening
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(opening.len())];
    if word.eq_ignore_ascii_case("run") && word != "run" {
        return Err(
            "a run marker is written in lower case: `<!-- run: PATH… [stand-in] -->`".into(),
        );
    }
    if word != "run" || !opening[word.len()..].trim_start().starts_with(':') {
        return Err(format!(
            "`{}` names a path but is not a run marker: write `<!-- run: PATH… [stand-in] -->`",
            line.trim()
        ));
    }
    let inner = body
        .trim_end()
        .strip_suffix("-->")
        .ok_or_else(|| one_line.to_string())?;
    if inner.contains("-->") {
        return Err(
            "one run marker per line: list every path in one marker, `<!-- run: PATH PATH… -->`"
                .into(),
        );
    }
    let mut words: Vec<&str> = inner.split_whitespace().collect();
    let stand_in = words.last() == Some(&"stand-in");
    if stand_in {
        words.pop();
    }
    if words.contains(&"stand-in") {
        return Err(
            "`stand-in` is written once, after the paths: `<!-- run: PATH… stand-in -->`".into(),
        );
    }
    if words.is_empty() {
        return Err("a run marker names at least one path".into());
    }
    for w in &words {
        if !PATHS.contains(w) {
            return Err(format!(
                "unknown path `{w}` in a run marker (known: {})",
                PATHS.join(", ")
            ));
        }
    }
    Ok(Marker {
        paths: words.into_iter().map(String::from).collect(),
        stand_in,
    })
}

/// Whether a block of this language runs in the reader's shell.
pub(crate) fn is_shell(lang: &str) -> bool {
    // The guide's commands are written for Bash or Zsh.
    matches!(lang, "bash" | "zsh" | "sh" | "shell" | "console")
}

/// What the scan found about one fenced block of a chapter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fence {
    pub marker: Option<Marker>,
    /// The `{{#arch}}` panel the block sits in: the group's ordinal in the
    /// chapter and the panel's architecture.
    pub arch: Option<(usize, String)>,
}

enum Div {
    Group(usize),
    Panel(String),
    Other,
}

/// The marker and architecture panel of each of `blocks` (the chapter's
/// fenced blocks, in order), and the markers that cannot be used, at their
/// ranges in the chapter.
pub fn scan(content: &str, blocks: &[Block]) -> (Vec<Fence>, Vec<Problem>) {
    let mut fences = vec![Fence::default(); blocks.len()];
    let mut problems = Vec::new();
    let opening: Vec<usize> = blocks
        .iter()
        .map(|b| content[..b.range.start].rfind('\n').map_or(0, |i| i + 1))
        .collect();
    let mut next = 0;
    let mut pending: Option<(Range<usize>, Marker)> = None;
    let mut divs: Vec<Div> = Vec::new();
    let mut groups = 0;
    let mut offset = 0;
    while offset < content.len() {
        let end = content[offset..]
            .find('\n')
            .map_or(content.len(), |i| offset + i + 1);
        let line = content[offset..end].trim_end_matches(['\n', '\r']);
        let start = offset;
        offset = end;
        if next < blocks.len() && start >= opening[next] {
            let block = &blocks[next];
            if let Some((at, marker)) = pending.take() {
                if is_shell(&block.lang) {
                    fences[next].marker = Some(marker);
                } else {
                    let what = match block.lang.as_str() {
                        "" => "a fence with no language".to_string(),
                        lang => format!("a `{lang}` block"),
                    };
                    problems.push(unusable(
                        at,
                        format!(
                            "a run marker before {what}: only shell blocks (`bash`, `zsh`, `sh`, `shell`, `console`) run"
                        ),
                    ));
                }
            }
            fences[next].arch = panel(&divs);
            // On to the line after the closing fence.
            let past = block.range.end.min(content.len());
            offset = offset.max(match content[..past].ends_with('\n') {
                true => past,
                false => content[past..]
                    .find('\n')
                    .map_or(content.len(), |i| past + i + 1),
            });
            next += 1;
            continue;
        }
        if let Some((at, _)) = pending.take() {
            problems.push(misplaced(at));
        }
        // A marker in a blockquote stands before the quoted fence.
        let mut trimmed = line.trim_start();
        while let Some(rest) = trimmed.strip_prefix('>') {
            trimmed = rest.trim_start();
        }
        if marker_body(trimmed).is_some() {
            let at = start + (line.len() - trimmed.len())..start + line.len();
            match parse_marker(trimmed) {
                Ok(marker) => pending = Some((at, marker)),
                Err(message) => problems.push(unusable(at, message)),
            }
            continue;
        }
        track_divs(trimmed, &mut divs, &mut groups);
    }
    if let Some((at, _)) = pending {
        problems.push(misplaced(at));
    }
    (fences, problems)
}

fn misplaced(range: Range<usize>) -> Problem {
    unusable(
        range,
        "a run marker must sit on the line just before a code fence".into(),
    )
}

/// A marker the paths cannot use.
fn unusable(range: Range<usize>, message: String) -> Problem {
    Problem::raise(AWS_RUN_MARKER, range, message).with_hint(format!(
        "write `<!-- run: PATH… [stand-in] -->` alone on the line before a shell block's fence; paths: {}",
        PATHS.join(", ")
    ))
}

/// Follows the `<div>`s of one line outside code: the architecture groups'
/// HTML opens a group, then one panel per architecture.
fn track_divs(line: &str, divs: &mut Vec<Div>, groups: &mut usize) {
    let mut rest = line;
    while let Some(i) = rest
        .find("<div")
        .into_iter()
        .chain(rest.find("</div"))
        .min()
    {
        if rest[i..].starts_with("</div") {
            divs.pop();
            rest = &rest[i + 5..];
            continue;
        }
        let tag_end = rest[i..].find('>').map_or(rest.len(), |e| i + e);
        let tag = &rest[i..tag_end];
        divs.push(if tag.contains("data-arch-group") {
            *groups += 1;
            Div::Group(*groups)
        } else if tag.contains("class=\"arch-panel\"") {
            Div::Panel(attribute(tag, "data-arch").unwrap_or_default())
        } else {
            Div::Other
        });
        rest = &rest[tag_end..];
    }
}

/// The innermost architecture panel, with its group.
fn panel(divs: &[Div]) -> Option<(usize, String)> {
    let at = divs.iter().rposition(|d| matches!(d, Div::Panel(_)))?;
    let Div::Panel(arch) = &divs[at] else {
        return None;
    };
    let group = divs[..at].iter().rev().find_map(|d| match d {
        Div::Group(g) => Some(*g),
        _ => None,
    })?;
    Some((group, arch.clone()))
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let key = format!("{name}=\"");
    let start = tag.find(&key)? + key.len();
    let end = tag[start..].find('"')? + start;
    Some(tag[start..end].to_string())
}

/// One block of a step: the whole step, or one architecture's variant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Variant {
    /// The block's index in its chapter's `blocks`.
    pub block: usize,
    pub arch: Option<String>,
    pub stand_in: bool,
}

/// One step of a path: a block, or the variants of one block in an
/// `{{#arch}}` group (the reader runs one of them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Step {
    /// The chapter's index in the model.
    pub chapter: usize,
    pub variants: Vec<Variant>,
}

/// Every path's steps in book order, and the markers that cannot be used.
#[derive(Debug, Default)]
pub(crate) struct RunPaths {
    pub paths: Vec<(&'static str, Vec<Step>)>,
    pub problems: Vec<Diagnostic>,
}

impl RunPaths {
    /// The steps of `path` (none for a path no block names).
    pub(crate) fn steps(&self, path: &str) -> &[Step] {
        self.paths
            .iter()
            .find(|(p, _)| *p == path)
            .map_or(&[], |(_, steps)| steps.as_slice())
    }
}

/// Reads the run paths of the book's chapters.
pub(crate) fn build(model: &BookModel<'_>) -> RunPaths {
    let mut run = RunPaths {
        paths: PATHS.iter().map(|p| (*p, Vec::new())).collect(),
        problems: Vec::new(),
    };
    for (c, chapter) in model.chapters.iter().enumerate() {
        let (fences, problems) = scan(chapter.content(), &chapter.blocks);
        let origin = chapter.origin();
        run.problems.extend(
            problems
                .into_iter()
                .map(|p| p.locate(|range| origin.locate(range))),
        );
        for (range, message) in unmarked(&chapter.blocks, &fences) {
            run.problems.push(
                Diagnostic::raise(AWS_UNMARKED_BLOCK, origin.locate(range), message)
                    .with_hint(format!(
                        "give it the marker its sibling variant has (`<!-- run: PATH… -->` on the line before its fence; paths: {})",
                        PATHS.join(", ")
                    )),
            );
        }
        for (range, message) in mismatched(chapter.content(), &chapter.blocks, &fences) {
            run.problems.push(
                Diagnostic::raise(AWS_RUN_MARKER, origin.locate(range), message)
                    .with_hint("give every variant of the step the same marker: the reader runs the one of their architecture where the others stand"),
            );
        }
        add_steps(&mut run, c, &fences);
    }
    run
}

/// The shell blocks that are a variant of an `{{#arch}}` group whose
/// sibling is marked, with no marker of their own: the paths skip them, so
/// nothing judges what they run. The fence's line, and why.
fn unmarked(blocks: &[Block], fences: &[Fence]) -> Vec<(Range<usize>, String)> {
    let marked_groups: Vec<usize> = fences
        .iter()
        .filter(|f| f.marker.is_some())
        .filter_map(|f| f.arch.as_ref().map(|(g, _)| *g))
        .collect();
    let mut out = Vec::new();
    for (block, fence) in blocks.iter().zip(fences) {
        if fence.marker.is_some() || !is_shell(&block.lang) {
            continue;
        }
        if let Some((group, arch)) = &fence.arch
            && marked_groups.contains(group)
        {
            out.push((
                block.range.start..block.range.start + 3,
                format!("the `{arch}` variant of a marked `{{{{#arch}}}}` block has no run marker: no path runs it, so nothing judges it"),
            ));
        }
    }
    out
}

/// The variants of one step (the n-th marked shell block of each panel of
/// an `{{#arch}}` group) marked for other paths than the first panel's:
/// readers never see markers, so each would run at a step the other does
/// not model. Reported at the later variant's marker line.
fn mismatched(content: &str, blocks: &[Block], fences: &[Fence]) -> Vec<(Range<usize>, String)> {
    // (group, n) → the first panel's architecture and marker.
    let mut first: HashMap<(usize, usize), (&str, &Marker)> = HashMap::new();
    let mut seen: HashMap<(usize, &str), usize> = HashMap::new();
    let mut out = Vec::new();
    for (block, fence) in blocks.iter().zip(fences) {
        let (Some(marker), Some((group, arch))) = (&fence.marker, &fence.arch) else {
            continue;
        };
        let n = seen.entry((*group, arch.as_str())).or_default();
        let key = (*group, *n);
        *n += 1;
        match first.get(&key) {
            None => {
                first.insert(key, (arch.as_str(), marker));
            }
            Some((other, theirs))
                if !same_paths(&theirs.paths, &marker.paths)
                    || theirs.stand_in != marker.stand_in =>
            {
                let line_start = content[..block.range.start]
                    .trim_end_matches('\n')
                    .rfind('\n')
                    .map_or(0, |i| i + 1);
                let line_end = content[line_start..]
                    .find('\n')
                    .map_or(content.len(), |i| line_start + i);
                let shown = |m: &Marker| {
                    let mut words = m.paths.join(" ");
                    if m.stand_in {
                        words.push_str(" stand-in");
                    }
                    words
                };
                out.push((
                    line_start..line_end,
                    format!(
                        "the `{arch}` variant of this step is marked `{}`, its `{other}` sibling `{}`",
                        shown(marker),
                        shown(theirs)
                    ),
                ));
            }
            Some(_) => {}
        }
    }
    out
}

/// The same paths in any order (`cli update`, `update cli`).
fn same_paths(a: &[String], b: &[String]) -> bool {
    let set = |p: &[String]| {
        p.iter()
            .cloned()
            .collect::<std::collections::BTreeSet<String>>()
    };
    set(a) == set(b)
}

/// Adds one chapter's marked blocks to the paths: the n-th block of a path
/// in each panel of an `{{#arch}}` group is the same step.
fn add_steps(run: &mut RunPaths, chapter: usize, fences: &[Fence]) {
    for (path, steps) in &mut run.paths {
        // (group, architecture) → blocks seen; (group, n) → step index.
        let mut seen: HashMap<(usize, &str), usize> = HashMap::new();
        let mut step_of: HashMap<(usize, usize), usize> = HashMap::new();
        for (block, fence) in fences.iter().enumerate() {
            let Some(marker) = fence
                .marker
                .as_ref()
                .filter(|m| m.paths.iter().any(|p| p == path))
            else {
                continue;
            };
            let variant = Variant {
                block,
                arch: fence.arch.as_ref().map(|(_, a)| a.clone()),
                stand_in: marker.stand_in,
            };
            let Some((group, arch)) = &fence.arch else {
                steps.push(Step {
                    chapter,
                    variants: vec![variant],
                });
                continue;
            };
            let n = seen.entry((*group, arch.as_str())).or_default();
            *n += 1;
            match step_of.get(&(*group, *n)) {
                Some(&i) => steps[i].variants.push(variant),
                None => {
                    step_of.insert((*group, *n), steps.len());
                    steps.push(Step {
                        chapter,
                        variants: vec![variant],
                    });
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
