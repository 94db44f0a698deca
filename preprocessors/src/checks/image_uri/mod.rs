//! Release facts in one place: image URIs per architecture, the Region
//! table, and the page-wide architecture selector.
//!
//! The `image-uri` pass sees each chapter before its directives are expanded,
//! so it checks what the writer typed (hand-written registry URIs, blocks
//! naming the other architecture's values) and reports it at the source line;
//! [`hand_written`] covers the files that are not chapters (`templates/`,
//! procedure files).

crate::diagnostics::codes::declare! {
    IMAGE_URI_BAD_ARGUMENTS = "image-uri::bad-arguments", error: "a directive with missing or extra arguments";
    IMAGE_URI_NO_RELEASE = "image-uri::no-release", error: "a directive that needs the release facts in a book without them";
    IMAGE_URI_NOT_ALONE = "image-uri::not-alone", error: "a block directive that does not stand alone on its line";
}

pub(crate) mod arch_blocks;
pub(crate) mod cross_arch;
pub(crate) mod directives;
pub mod hand_written;

use crate::diagnostics::location::TextMap;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::book_root::{BookRoot, Refused};
use crate::model::origin::Origin;
use crate::model::pass::Pass;
use crate::model::paths::stays_inside;
use crate::model::release::{self, Release};
use anyhow::Result;
use arch_blocks::Ids;
use directives::{Env, TemplateError};
use hand_written::Written;
use mdbook_preprocessor::book::Book;
use std::ops::Range;
use std::path::Path;

pub(crate) use crate::diagnostics::Problem;

/// An error with its hint: every problem of this pass has one.
pub(crate) fn problem(
    code: crate::diagnostics::Code,
    range: Range<usize>,
    message: String,
    hint: &str,
) -> Problem {
    Problem::raise(code, range, message).with_hint(hint)
}

pub(crate) struct ImageUri;

impl Pass for ImageUri {
    fn name(&self) -> &'static str {
        release::TABLE
    }

    fn directives(&self) -> Vec<crate::model::directive::Spec> {
        [directives::SPECS, arch_blocks::SPECS].concat()
    }

    fn run(
        &self,
        book_root: &BookRoot,
        mut book: Book,
        diagnostics: &mut Diagnostics,
    ) -> Result<Book> {
        let configured = Release::is_configured(book_root);
        let release = if configured {
            match Release::load(book_root) {
                Ok(release) => Some(release),
                Err(problems) => {
                    diagnostics.extend(problems);
                    None
                }
            }
        } else {
            None
        };
        let read = |name: &str| read_template(book_root, name);
        let env = Env {
            release: release.as_ref(),
            read_template: &read,
            release_invalid: configured && release.is_none(),
        };
        book.for_each_chapter_mut(|chapter| {
            let Some(source_path) = chapter.source_path.clone() else {
                return;
            };
            let source = crate::model::chapters::source_of(book_root, chapter);
            let ids = Ids::new(&crate::model::book_root::slashed(&source_path));
            let (content, found) =
                process_chapter(&source.path, &source.text, &chapter.content, &env, ids);
            diagnostics.extend(found);
            chapter.content = content;
        });
        Ok(book)
    }
}

/// Checks one chapter and expands it: `source` is the file the writer edits,
/// `content` the chapter as this pass receives it (procedures included).
pub(crate) fn process_chapter(
    path: &str,
    source: &str,
    content: &str,
    env: &Env,
    mut ids: Ids,
) -> (String, Vec<Diagnostic>) {
    let origin = Origin::new(path, source, content);
    let registry = env.release.map(|r| r.registry.as_str());
    let map = TextMap::new(path, source);
    let mut found: Vec<Diagnostic> = hand_written::find(source, registry)
        .into_iter()
        .map(|range| hand_written::diagnostic(&map, range, Written::InMarkdown, env.release))
        .collect();
    let mut problems = Vec::new();
    let archs = env.release.map_or(&[][..], Release::architectures);
    let blocks_ok = if env.release.is_some() {
        let (_, arch_problems) = arch_blocks::parse(content, archs);
        let ok = arch_problems.is_empty();
        problems.extend(arch_problems);
        ok
    } else {
        if !env.release_invalid {
            // The first block says it; every line of every block would be noise.
            for d in crate::model::directive::find(content, arch_blocks::NAMES)
                .into_iter()
                .take(1)
            {
                problems.push(problem(
                    IMAGE_URI_NO_RELEASE,
                    d.range,
                    format!("`{{{{#{}}}}}` needs the release facts, and book.toml has none", d.name),
                    "add registry, repository, version, architectures and regions to [preprocessor.image-uri] in book.toml",
                ));
            }
        }
        false
    };
    problems.extend(crate::model::directive::unknown(
        content,
        &crate::model::directive::registry(),
    ));
    let (expanded, directive_problems) = directives::expand(content, env, &mut ids);
    problems.extend(directive_problems);
    let out = if blocks_ok {
        arch_blocks::render(&expanded, archs, &mut ids)
    } else {
        expanded
    };
    found.extend(problems.into_iter().map(|p| origin.diagnostic(p)));
    (out, found)
}

/// Reads `templates/NAME` (or `templates/NAME.json`), never outside `templates/`.
pub(crate) fn read_template(book_root: &BookRoot, name: &str) -> Result<String, TemplateError> {
    let rel = Path::new(name);
    if name.is_empty() || rel.is_absolute() || name.starts_with(['/', '\\']) || !stays_inside(rel) {
        return Err(TemplateError::Outside);
    }
    let templates = book_root
        .resolve("templates")
        .ok()
        .and_then(|p| p.canonicalize().ok());
    for candidate in [
        format!("templates/{name}"),
        format!("templates/{name}.json"),
    ] {
        match book_root.resolve(&candidate) {
            Ok(path) => {
                let real = path.canonicalize().map_err(|_| TemplateError::Outside)?;
                if !templates.as_ref().is_some_and(|t| real.starts_with(t)) {
                    return Err(TemplateError::Outside);
                }
                if let Ok(text) = book_root.text(&real) {
                    return Ok(text.to_string());
                }
            }
            Err(Refused::Missing) => {}
            Err(_) => return Err(TemplateError::Outside),
        }
    }
    Err(TemplateError::Missing(template_names(book_root)))
}

fn template_names(book_root: &BookRoot) -> Vec<String> {
    match book_root.resolve("templates") {
        Ok(dir) => files_under(&dir, &dir, |_| true),
        Err(_) => Vec::new(),
    }
}

/// The names, relative to `base`, of the regular files under `dir`, sorted
/// (symlinks are not followed: `src/templates` is a link to `templates/`,
/// scanned once).
pub(crate) fn files_under(dir: &Path, base: &Path, keep: impl Fn(&str) -> bool) -> Vec<String> {
    let mut files: Vec<String> = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            e.path()
                .strip_prefix(base)
                .ok()
                .map(crate::model::book_root::slashed)
        })
        .filter(|rel| keep(rel))
        .collect();
    files.sort();
    files
}

#[cfg(test)]
mod tests;
