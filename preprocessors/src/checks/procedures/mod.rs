//! Procedures that cannot drift: single-sourced step lists, near-duplicate
//! detection, values bound to the templates, and step numbering.
//!
//! The `procedure` pass runs first and expands `{{#procedure NAME [A-B]}}`
//! and `{{#value KEY}}`; [`check`] runs on the finished book.

crate::diagnostics::codes::declare! {
    PROCEDURES_DUPLICATE = "procedures::duplicate", warning: "a list of steps that repeats another list word for word";
    PROCEDURES_NEAR_DUPLICATE = "procedures::near-duplicate", warning: "a step list that nearly repeats another";
    PROCEDURES_TEMPLATE_VALUE = "procedures::template-value", error: "a template field a step relies on that is missing or invalid";
    PROCEDURES_TEMPLATES_DISAGREE = "procedures::templates-disagree", error: "the CloudFormation template and the task definition disagree";
    PROCEDURES_VALUE_MISMATCH = "procedures::value-mismatch", error: "a value typed in a step that disagrees with the template";
}

pub(crate) mod agreement;
pub(crate) mod bound_values;
pub(crate) mod include;
mod kept;
pub mod near_dup;
pub(crate) mod numbering;
pub(crate) mod templates;
pub mod values;

use crate::diagnostics::location::Location;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::book_root::BookRoot;
use crate::model::chapters::{BookModel, ChapterModel};
use crate::model::directive;
use crate::model::ordered_lists;
use crate::model::origin::Origin;
use crate::model::pass::Pass;
use anyhow::Result;
use mdbook_preprocessor::book::Book;
use std::borrow::Cow;
use std::collections::HashSet;
use templates::{JsonFile, STACK, STACKS, TASK_DEFINITION};
use values::Values;

use kept::Kept;
pub use kept::{keep_findings, last_rechecked};

pub(crate) struct Procedure;

impl Pass for Procedure {
    fn name(&self) -> &'static str {
        "procedure"
    }

    fn directives(&self) -> Vec<directive::Spec> {
        vec![include::DIRECTIVE, values::DIRECTIVE]
    }

    fn run(
        &self,
        book_root: &BookRoot,
        mut book: Book,
        diagnostics: &mut Diagnostics,
    ) -> Result<Book> {
        let values = values::load(book_root);
        let library = include::Library::load(book_root, &values, diagnostics)?;
        book.for_each_chapter_mut(|chapter| {
            let Some(source) = &chapter.source_path else {
                return;
            };
            let path = book_root.chapter_path(source);
            // Values first: they stay on their line, so the procedure
            // directives keep their line and column for diagnostics.
            let text = values::expand(&chapter.content, &path, &values, diagnostics);
            chapter.content = include::expand(&text, &path, &library, diagnostics);
        });
        Ok(book)
    }
}

/// Written on a line of a step, it tells the value check that a value on
/// that line is meant to differ from the template (the comment is not shown).
pub(crate) const ALLOW_VALUE: &str = "<!-- allow value-mismatch -->";

/// One text the checks read: a chapter as readers get it, or a procedure file.
struct Text<'t> {
    path: &'t str,
    source: &'t str,
    processed: &'t str,
    /// `Some(name)` for `src/procedures/NAME.md`.
    procedure: Option<String>,
    /// The chapter's shared model (events, line map), when it is a chapter.
    chapter: Option<&'t ChapterModel<'t>>,
}

impl<'t> Text<'t> {
    fn origin(&self) -> Origin<'_> {
        match self.chapter {
            Some(chapter) => chapter.origin(),
            None => Origin::new(self.path, self.source, self.processed),
        }
    }

    /// Its step lists, from the chapter's model when it has one.
    fn steps(&self) -> Cow<'t, ordered_lists::Document> {
        match self.chapter {
            Some(chapter) => Cow::Borrowed(&chapter.steps),
            None => Cow::Owned(ordered_lists::parse(self.processed)),
        }
    }
}

/// An ordered list of three or more steps, wherever it is.
#[derive(Clone)]
struct Entry {
    text: usize,
    list: usize,
    /// The procedure it came from, if it came from one.
    procedure: Option<String>,
    /// (group, variant) when written inside an `{{#arch}}` block.
    arch: Option<(usize, String)>,
}

/// Checks on the finished book and the templates.
pub(crate) fn check(
    book_root: &BookRoot,
    model: &BookModel<'_>,
    diagnostics: &mut Diagnostics,
) -> Result<()> {
    // A template's syntax error is reported once the uses it blocks are counted.
    let started = std::time::Instant::now();
    let mut invalid = Vec::new();
    let task = load_reporting(book_root, TASK_DEFINITION, &mut invalid);
    let stacks: Vec<JsonFile> = STACKS
        .iter()
        .filter_map(|path| load_reporting(book_root, path, &mut invalid))
        .collect();
    let stack = stacks.iter().find(|file| file.path == STACK).cloned();
    let pairs = task
        .iter()
        .flat_map(|task| stacks.iter().map(move |stack| (task, stack)));
    for (task, stack) in pairs {
        let mut found = agreement::task_definition(stack, task);
        found.extend(
            agreement::policies(stack, |path| {
                templates::load(book_root, path).and_then(Result::ok)
            })
            .into_iter()
            // A policy file that is there but unreadable (not UTF-8, a FIFO)
            // is reported at the file by the policy checker, once.
            .filter(|d| {
                !(d.other_pointer.is_empty() && book_root.root.join(&d.other_path).exists())
            }),
        );
        for d in found {
            let other = match templates::load(book_root, &d.other_path).and_then(Result::ok) {
                Some(file) => file.locate(&d.other_pointer),
                None => Location::file(&d.other_path),
            };
            diagnostics.push(
                Diagnostic::raise(
                    PROCEDURES_TEMPLATES_DISAGREE,
                    stack.locate(&d.stack_pointer),
                    d.message,
                )
                .with_related(other, "the other template")
                .with_hint(format!(
                    "the stack and {} must describe the same thing; change one to match the other",
                    d.other_path
                )),
            );
        }
    }
    let shipped = shipped_architectures(book_root);
    let values = task.as_ref().map(|task| {
        Values::read(task, stack.as_ref())
            .with_platforms(shipped.iter().map(|a| a.console.clone()).collect())
    });
    let bound = |key: &str| values.as_ref().and_then(|v| v.get(key));
    let template_field = |key: &str| {
        let value = bound(key)?;
        let file = if value.file == TASK_DEFINITION {
            task.as_ref()
        } else {
            stack.as_ref()
        };
        Some((file?.locate(&value.pointer), value))
    };
    if let Some(values) = &values {
        for (key, message) in bound_values::check_template(values) {
            if let Some((at, _)) = template_field(key) {
                diagnostics.push(Diagnostic::raise(PROCEDURES_TEMPLATE_VALUE, at, message));
            }
        }
    }

    if crate::diagnostics::phases::on() {
        eprintln!(
            "    procedures: templates: {:.3} s",
            started.elapsed().as_secs_f64()
        );
    }
    let library = crate::diagnostics::phases::timed("    procedures: library", || {
        procedure_library(book_root, &values)
    })?;
    let texts = gather(&library, model);
    for mut found in invalid {
        let uses = blocked_uses(&texts, &found.location.path);
        if uses > 0 {
            let plural = if uses == 1 { "" } else { "s" };
            found.message = format!(
                "{}; it blocks {uses} `{{{{#value}}}}` use{plural}",
                found.message
            );
        }
        diagnostics.push(found);
    }
    // Each text on its own, on every core; results merged in text order.
    let kept = Kept::take(book_root, model);
    let per_text = crate::diagnostics::phases::timed("    procedures: per text", || {
        crate::model::parallel::map(&texts, |t, text| {
            if let Some((chapter, kept)) = text.chapter.zip(kept.get(text)) {
                let entries = kept.entries.iter().map(|e| Entry {
                    text: t,
                    ..e.clone()
                });
                return (
                    Cow::Borrowed(&*chapter.steps),
                    kept.found.clone(),
                    entries.collect(),
                    true,
                );
            }
            let mut diagnostics = Diagnostics::new();
            let mut entries: Vec<Entry> = Vec::new();
            let doc = text.steps();
            let origin = &text.origin();
            let arch = arch_slots(text.source);
            // What a procedure expansion holds is checked in the procedure file.
            let expanded = |range: std::ops::Range<usize>| -> Option<String> {
                let at = origin.locate(range);
                let found = directive::find(&at.line_text, &[include::DIRECTIVE.name]);
                found
                    .first()
                    .and_then(|d| d.args.first())
                    .map(|n| n.to_string())
            };
            let mentions_steps = numbering::mentions_steps(&doc);
            for (l, list) in doc.lists.iter().enumerate() {
                let first = list.steps[0].marker.clone();
                let from = text.procedure.clone().or_else(|| expanded(first.clone()));
                // Numbering runs across `{{#procedure}}` expansions: steps written
                // around one must continue its numbers. Between two steps of one
                // expansion, the procedure file is where it was checked.
                for mut problem in numbering::check_list(list) {
                    let i = list
                        .steps
                        .iter()
                        .position(|s| s.marker == problem.range)
                        .unwrap_or(0);
                    let previous = list.steps[i.saturating_sub(1)].marker.clone();
                    let in_expansion =
                        text.procedure.is_none() && expanded(problem.range.clone()).is_some();
                    if in_expansion
                        && expanded(previous.clone()).is_some()
                        && origin.locate(previous).line == origin.locate(problem.range.clone()).line
                    {
                        continue;
                    }
                    // Renumbering is for the steps the writer typed, and only
                    // when no words elsewhere point at a step by its number.
                    if in_expansion || mentions_steps {
                        problem.set_fixes(Vec::new());
                    }
                    let hint = if in_expansion {
                        "`{{#procedure}}` keeps the procedure's own numbers (a range starts at its \
                     first step): number the steps before it so they lead up to them"
                    } else {
                        "number the steps 1, 2, 3… (or `1.` on every step)"
                    };
                    diagnostics.push(origin.diagnostic(problem.with_hint(hint)));
                }
                if list.steps.len() >= near_dup::MIN_STEPS {
                    let line = origin.locate(first).line;
                    entries.push(Entry {
                        text: t,
                        list: l,
                        procedure: from,
                        arch: arch.get(line.saturating_sub(1)).cloned().flatten(),
                    });
                }
            }
            for problem in numbering::check_references(&doc) {
                if text.procedure.is_none() && expanded(problem.range.clone()).is_some() {
                    continue;
                }
                diagnostics.push(
                    problem
                        .with_hint("renumber the reference, or name the procedure it points to")
                        .locate(|r| origin.locate(r)),
                );
            }
            if let Some(values) = &values {
                for mismatch in bound_values::check(&doc, values) {
                    if text.procedure.is_none() && expanded(mismatch.range.clone()).is_some() {
                        continue;
                    }
                    let shown_key = if mismatch.key == "task.platform" {
                        "task.cpu-units"
                    } else {
                        mismatch.key
                    };
                    let at = origin.locate(mismatch.range);
                    if at.line_text.contains(ALLOW_VALUE) {
                        continue;
                    }
                    let mut found =
                        Diagnostic::raise(PROCEDURES_VALUE_MISMATCH, at, mismatch.message);
                    let field = if mismatch.key == "task.platform" {
                        task.as_ref()
                            .map(|t| (t.locate("/runtimePlatform"), "runtimePlatform"))
                    } else {
                        template_field(shown_key)
                            .map(|(at, v)| (at, v.pointer.rsplit('/').next().unwrap_or("")))
                    };
                    if let Some((at, name)) = field {
                        found = found.with_related(at, format!("the template's `{name}`"));
                    }
                    let hint = match mismatch.key {
                        "task.platform" => format!(
                            "write {}",
                            shipped
                                .iter()
                                .map(|a| format!("`{{{{#console-platform {}}}}}`", a.docker))
                                .collect::<Vec<_>>()
                                .join(" or ")
                        ),
                        key => format!(
                            "write `{{{{#value {}}}}}` so the step shows the template's value",
                            console_key(key)
                        ),
                    };
                    diagnostics.push(found.with_hint(hint));
                }
            }
            (doc, diagnostics, entries, false)
        })
    });
    kept.put_back(book_root, &texts, &per_text);
    let mut entries: Vec<Entry> = Vec::new();
    let mut docs = Vec::new();
    for (doc, found, listed, _) in per_text {
        docs.push(doc);
        diagnostics.extend(found);
        entries.extend(listed);
    }
    crate::diagnostics::phases::timed("    procedures: duplicates", || {
        report_duplicates(&texts, &docs, &entries, diagnostics)
    });
    Ok(())
}

/// The architectures the release facts ship (none when they are missing or
/// invalid: the image-uri pass reports that, where it is).
fn shipped_architectures(book_root: &BookRoot) -> Vec<crate::model::release::Architecture> {
    crate::model::release::Release::load(book_root)
        .map(|release| release.architectures().to_vec())
        .unwrap_or_default()
}

/// The console spelling of a bound key, for hints.
fn console_key(key: &str) -> &str {
    values::key(key).and_then(|k| k.console).unwrap_or(key)
}

fn load_reporting(
    book_root: &BookRoot,
    rel: &str,
    invalid: &mut Vec<Diagnostic>,
) -> Option<JsonFile> {
    match templates::load(book_root, rel)? {
        Ok(file) => Some(file),
        Err(found) => {
            invalid.push(*found);
            None
        }
    }
}

/// How many `{{#value}}` directives in the chapters and procedures read
/// from `template` (they expand to nothing while it cannot be parsed).
fn blocked_uses(texts: &[Text], template: &str) -> usize {
    texts
        .iter()
        .flat_map(|t| directive::find(t.source, &["value"]))
        .filter(|d| {
            matches!(d.args.as_slice(), [key] if values::KEYS.contains(key)
                && values::template_of(key) == template)
        })
        .count()
}

/// The procedure files, for their step lists.
fn procedure_library(book_root: &BookRoot, values: &Option<Values>) -> Result<include::Library> {
    let values = values
        .clone()
        .ok_or_else(|| format!("there is no {TASK_DEFINITION}"));
    // The pass already reported problems inside procedures.
    include::Library::load(book_root, &values, &mut Diagnostics::new())
}

/// Procedure files first (so a procedure is the first of its identical
/// copies), then chapters in book order.
fn gather<'t>(library: &'t include::Library, model: &'t BookModel<'t>) -> Vec<Text<'t>> {
    let procedures = library.procedures.iter().map(|(name, p)| Text {
        path: &p.path,
        source: &p.source,
        processed: &p.text,
        procedure: Some(name.clone()),
        chapter: None,
    });
    let chapters = model
        .chapters
        .iter()
        .filter(|c| c.chapter.source_path.is_some())
        .map(|c| Text {
            path: &c.source.path,
            source: &c.source.text,
            processed: c.content(),
            procedure: None,
            chapter: Some(c),
        });
    procedures.chain(chapters).collect()
}

/// For each source line, the `{{#arch}}` group and variant it is in.
fn arch_slots(source: &str) -> Vec<Option<(usize, String)>> {
    let mut slots = Vec::new();
    let mut group = 0;
    let mut current: Option<(usize, String)> = None;
    for line in source.lines() {
        let trimmed = line.trim();
        if trimmed == "{{#endarch}}" {
            current = None;
        } else if let Some(d) = directive::find(trimmed, &["arch"]).first() {
            if current.is_none() {
                group += 1;
            }
            current = Some((group, d.args.join(" ")));
        }
        slots.push(current.clone());
    }
    slots
}

fn report_duplicates(
    texts: &[Text],
    docs: &[Cow<'_, ordered_lists::Document>],
    entries: &[Entry],
    diagnostics: &mut Diagnostics,
) {
    let normalized: Vec<Vec<String>> = entries
        .iter()
        .map(|e| {
            docs[e.text].lists[e.list]
                .steps
                .iter()
                .map(ordered_lists::Step::normalized)
                .collect()
        })
        .collect();
    let hashes: Vec<Vec<u64>> = normalized
        .iter()
        .map(|l| l.iter().map(|s| near_dup::step_hash(s)).collect())
        .collect();
    let key = |e: &Entry, i: usize| match &e.procedure {
        Some(name) => format!("procedure {name}"),
        None => format!("list {i}"),
    };
    let mut reported = HashSet::new();
    for pair in near_dup::find(&hashes) {
        let (a, b) = (&entries[pair.a], &entries[pair.b]);
        if a.procedure.is_some() && a.procedure == b.procedure {
            continue;
        }
        if let (Some((ga, va)), Some((gb, vb))) = (&a.arch, &b.arch)
            && a.text == b.text
            && ga == gb
            && va != vb
        {
            continue;
        }
        let (ka, kb) = (key(a, pair.a), key(b, pair.b));
        if !reported.insert((ka.clone().min(kb.clone()), ka.max(kb))) {
            continue;
        }
        // Report at the hand-written copy; the other is where to look.
        let (here, there, here_diff, there_diff) = if a.procedure.is_none() && b.procedure.is_some()
        {
            (
                pair.a,
                pair.b,
                pair.first_difference.0,
                pair.first_difference.1,
            )
        } else {
            (
                pair.b,
                pair.a,
                pair.first_difference.1,
                pair.first_difference.0,
            )
        };
        let (h, t) = (here, there);
        let locate = |e: usize, step: Option<usize>| {
            let e = &entries[e];
            let list = &docs[e.text].lists[e.list];
            let step = &list.steps[step.unwrap_or(0).min(list.steps.len() - 1)];
            texts[e.text].origin().locate(step.marker.clone())
        };
        let list_len = |e: usize| docs[entries[e].text].lists[entries[e].list].steps.len();
        let number = |e: usize, step: usize| {
            docs[entries[e].text].lists[entries[e].list].start + step as u64
        };
        let hint = match &entries[there].procedure {
            Some(name) => format!(
                "single-source it: write `{{{{#procedure {name}}}}}` here (or a range such as `{{{{#procedure {name} 2-4}}}}`)"
            ),
            None => "single-source it: write the steps once in src/procedures/NAME.md and show them with `{{#procedure NAME}}` in both places".to_string(),
        };
        let there_at = locate(t, None);
        match pair.kind {
            near_dup::Kind::Identical => diagnostics.push(
                Diagnostic::raise(
                    PROCEDURES_DUPLICATE,
                    locate(h, None),
                    format!(
                        "these {} steps repeat the steps at {}",
                        list_len(h),
                        there_at.short()
                    ),
                )
                .with_related(there_at, "the same steps")
                .with_hint(hint),
            ),
            near_dup::Kind::Near => {
                let longer = list_len(h).max(list_len(t));
                let part = match (here_diff, there_diff) {
                    (Some(x), _) => format!("step {}", number(h, x)),
                    (None, Some(y)) => format!("step {}", number(t, y)),
                    (None, None) => "the end".to_string(),
                };
                // A warning, like an exact copy: two lists that differ in a
                // step are often meant to (other books than ours have them);
                // CI that denies warnings still stops the drift.
                let mut found = Diagnostic::raise(
                    PROCEDURES_NEAR_DUPLICATE,
                    locate(h, None),
                    format!(
                        "these steps nearly repeat the steps at {} ({} of {} the same); they part at {}",
                        there_at.short(),
                        pair.equal,
                        longer,
                        part
                    ),
                )
                .with_related(there_at, "the other copy");
                let side = |e: usize, step: Option<usize>, word: &str| match step {
                    Some(s) => (
                        locate(e, Some(s)),
                        format!("step {} {word}: {}", number(e, s), normalized[e][s]),
                    ),
                    None => (
                        locate(e, Some(list_len(e) - 1)),
                        format!("no step {word} after this one"),
                    ),
                };
                let (at, label) = side(h, here_diff, "here");
                found = found.with_related(at, label);
                let (at, label) = side(t, there_diff, "there");
                found = found.with_related(at, label);
                diagnostics.push(found.with_hint(hint));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arch_blocks_give_each_line_its_group_and_variant() {
        let slots = arch_slots(
            "a\n{{#arch amd64}}\nx\n{{#arch arm64}}\ny\n{{#endarch}}\nb\n{{#arch arm64}}\nz\n",
        );
        let at = |line: usize| slots[line - 1].clone().map(|(g, v)| format!("{g}:{v}"));
        assert_eq!(at(1), None);
        assert_eq!(at(3).as_deref(), Some("1:amd64"));
        assert_eq!(at(5).as_deref(), Some("1:arm64"));
        assert_eq!(at(7), None);
        assert_eq!(at(9).as_deref(), Some("2:arm64"));
    }

    #[test]
    fn expanded_values_are_located_on_their_own_line() {
        let text = Text {
            path: "src/procedures/p.md",
            source: "1. a {{#value task.family}}\n2. b {{#value x}}\n3. Set `c`\n",
            processed: "1. a responderapi-task\n2. b 1\n3. Set `c`\n",
            procedure: Some("p".into()),
            chapter: None,
        };
        let locator = text.origin();
        let second = text.processed.find("2.").unwrap();
        assert_eq!(
            locator.locate(second..second + 2).short(),
            "src/procedures/p.md:2:1"
        );
        let c = text.processed.find('c').unwrap();
        assert_eq!(locator.locate(c..c + 1).short(), "src/procedures/p.md:3:9");
        let one = text.processed.find("1\n").unwrap();
        assert_eq!(
            locator.locate(one..one + 1).short(),
            "src/procedures/p.md:2:1"
        );
    }
}
