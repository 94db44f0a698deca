//! Procedures that cannot drift: single-sourced step lists, near-duplicate
//! detection, values bound to the templates, and step numbering.
//!
//! The `procedure` pass runs first and expands `{{#procedure NAME [A-B]}}`
//! and `{{#value KEY}}`; the rules (one file each) check the finished book.
//! What several of them read is built once per run: the templates and their
//! values ([`Templates`]) and the texts with their step lists ([`Texts`]).

pub(crate) mod agreement;
pub(crate) mod bound_values;
mod duplicates;
pub(crate) mod include;
mod kept;
mod missing_step;
pub mod near_dup;
pub(crate) mod numbering;
mod template_value;
pub(crate) mod templates;
pub mod values;

use crate::checks::rule::{Model, Shared};
use crate::diagnostics::location::Location;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::book_root::BookRoot;
use crate::model::chapters::{BookModel, ChapterModel};
use crate::model::directive;
use crate::model::ordered_lists::{self, Document};
use crate::model::origin::Origin;
use crate::model::pass::Pass;
use anyhow::Result;
use mdbook_preprocessor::book::Book;
use std::ops::Range;
use std::sync::Arc;
use templates::{JsonFile, STACK, STACKS, TASK_DEFINITION};
use values::{BoundValue, Values};

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

/// The templates the steps are bound to, each loaded once per run, and the
/// values read from them.
pub(crate) struct Templates {
    task: Option<JsonFile>,
    /// The stacks that exist and parse, in [`STACKS`] order.
    stacks: Vec<JsonFile>,
    /// The syntax errors of those that do not: reported by the
    /// template-invalid rule with the uses they block.
    invalid: Vec<Diagnostic>,
    values: Option<Values>,
    /// The architectures the release facts ship (none when they are missing
    /// or invalid: the image-uri pass reports that, where it is).
    shipped: Vec<crate::model::release::Architecture>,
}

impl Shared for Templates {
    fn build(model: &Model<'_, '_>) -> Self {
        let book_root = model.root;
        let mut invalid = Vec::new();
        let task = load_reporting(book_root, TASK_DEFINITION, &mut invalid);
        let stacks: Vec<JsonFile> = STACKS
            .iter()
            .filter_map(|path| load_reporting(book_root, path, &mut invalid))
            .collect();
        let shipped = crate::model::release::Release::load(book_root)
            .map(|release| release.architectures().to_vec())
            .unwrap_or_default();
        let stack = stacks.iter().find(|file| file.path == STACK);
        let values = task.as_ref().map(|task| {
            Values::read(task, stack)
                .with_platforms(shipped.iter().map(|a| a.console.clone()).collect())
        });
        Templates {
            task,
            stacks,
            invalid,
            values,
            shipped,
        }
    }
}

impl Templates {
    /// The stack the values are read from.
    fn stack(&self) -> Option<&JsonFile> {
        self.stacks.iter().find(|file| file.path == STACK)
    }

    /// The template field bound to `key`, and where it is.
    fn field(&self, key: &str) -> Option<(Location, &BoundValue)> {
        let value = self.values.as_ref()?.get(key)?;
        let file = if value.file == TASK_DEFINITION {
            self.task.as_ref()
        } else {
            self.stack()
        };
        Some((file?.locate(&value.pointer), value))
    }
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

/// The procedure files and their step lists, read once per run; with the
/// chapters, the texts the rules read.
pub(crate) struct Texts {
    /// `Err` when the procedures folder cannot be listed: a fault of the run.
    library: Result<include::Library, String>,
    /// The step lists of each procedure, in the library's order.
    steps: Vec<Arc<Document>>,
}

impl Shared for Texts {
    fn build(model: &Model<'_, '_>) -> Self {
        let templates = model.shared::<Templates>();
        let values = templates
            .values
            .clone()
            .ok_or_else(|| format!("there is no {TASK_DEFINITION}"));
        // The pass already reported problems inside procedures.
        let library = include::Library::load(model.root, &values, &mut Diagnostics::new())
            .map_err(|error| format!("{error:#}"));
        let steps = library
            .iter()
            .flat_map(|library| library.procedures.values())
            .map(|p| Arc::new(ordered_lists::parse(&p.text)))
            .collect();
        Texts { library, steps }
    }
}

impl Texts {
    /// Procedure files first (so a procedure is the first of its identical
    /// copies), then chapters in book order.
    fn gather<'t>(&'t self, model: &'t BookModel<'t>) -> Result<Vec<Text<'t>>> {
        let library = self.library.as_ref().map_err(|e| anyhow::anyhow!("{e}"))?;
        let procedures = library
            .procedures
            .iter()
            .zip(&self.steps)
            .map(|((name, p), steps)| Text {
                path: &p.path,
                source: &p.source,
                processed: &p.text,
                procedure: Some(name.clone()),
                chapter: None,
                steps,
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
                steps: &c.steps,
            });
        Ok(procedures.chain(chapters).collect())
    }
}

/// One text the checks read: a chapter as readers get it, or a procedure file.
pub(crate) struct Text<'t> {
    path: &'t str,
    source: &'t str,
    processed: &'t str,
    /// `Some(name)` for `src/procedures/NAME.md`.
    procedure: Option<String>,
    /// The chapter's shared model (events, line map), when it is a chapter.
    chapter: Option<&'t ChapterModel<'t>>,
    /// Its step lists.
    steps: &'t Document,
}

impl<'t> Text<'t> {
    fn origin(&self) -> Origin<'_> {
        match self.chapter {
            Some(chapter) => chapter.origin(),
            None => Origin::new(self.path, self.source, self.processed),
        }
    }

    /// The procedure a `{{#procedure}}` expansion on the line of `range`
    /// shows, if one does.
    fn expanded(origin: &Origin<'_>, range: Range<usize>) -> Option<String> {
        let at = origin.locate(range);
        let found = directive::find(&at.line_text, &[include::DIRECTIVE.name]);
        found
            .first()
            .and_then(|d| d.args.first())
            .map(|n| n.to_string())
    }

    /// Whether `range` is in a chapter's procedure expansion: what one
    /// holds is checked in the procedure file.
    fn in_expansion(&self, origin: &Origin<'_>, range: Range<usize>) -> bool {
        self.procedure.is_none() && Self::expanded(origin, range).is_some()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expanded_values_are_located_on_their_own_line() {
        let steps = Document::default();
        let text = Text {
            path: "src/procedures/p.md",
            source: "1. a {{#value task.family}}\n2. b {{#value x}}\n3. Set `c`\n",
            processed: "1. a responderapi-task\n2. b 1\n3. Set `c`\n",
            procedure: Some("p".into()),
            chapter: None,
            steps: &steps,
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
