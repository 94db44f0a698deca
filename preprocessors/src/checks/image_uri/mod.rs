//! Release facts in one place: image URIs per architecture, the Region
//! table, and the page-wide architecture selector.
//!
//! The `image-uri` pass sees each chapter before its directives are expanded,
//! so it checks what the writer typed (hand-written registry URIs, blocks
//! naming the other architecture's values) and reports it at the source line;
//! [`check`] covers the files that are not chapters (`templates/`, procedure
//! files).

pub(crate) mod arch_blocks;
pub(crate) mod cross_arch;
pub(crate) mod directives;
pub mod hand_written;

use crate::diagnostics::codes;
use crate::diagnostics::location::TextMap;
use crate::diagnostics::{Diagnostic, Diagnostics, Edit};
use crate::model::book_root::{BookRoot, Refused};
use crate::model::origin::Origin;
use crate::model::pass::Pass;
use crate::model::paths::stays_inside;
use crate::model::release::{self, Release};
use anyhow::Result;
use arch_blocks::Ids;
use directives::{Env, TemplateError};
use mdbook_preprocessor::book::Book;
use std::collections::BTreeSet;
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
    Problem::error(code, range, message).with_hint(hint)
}

const HAND_WRITTEN: crate::diagnostics::Code = codes::IMAGE_URI_HAND_WRITTEN_URI;

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
        .map(|range| hand_written_diagnostic(&map, range, Written::InMarkdown, env.release))
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
                    codes::IMAGE_URI_NO_RELEASE,
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
    let Ok(dir) = book_root.resolve("templates") else {
        return Vec::new();
    };
    let mut names: Vec<String> = walkdir::WalkDir::new(&dir)
        .min_depth(1)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            e.path()
                .strip_prefix(&dir)
                .ok()
                .map(crate::model::book_root::slashed)
        })
        .collect();
    names.sort();
    names
}

/// Checks on the files that are not chapters: a registry URI typed into
/// `templates/` or into a Markdown file under `src/` that the book includes
/// (a procedure) instead of listing in SUMMARY.md.
pub(crate) fn check(
    book_root: &BookRoot,
    book: &Book,
    diagnostics: &mut Diagnostics,
) -> Result<()> {
    let release = Release::load(book_root).ok();
    if let Ok(dir) = book_root.resolve("templates") {
        for rel in files_under(book_root, &dir, |_| true) {
            scan_file(
                book_root,
                &rel,
                release.as_ref(),
                Written::InTemplate,
                diagnostics,
            );
        }
    }
    let chapters: BTreeSet<String> = book
        .chapters()
        .filter_map(|c| c.source_path.as_deref().map(|p| book_root.chapter_path(p)))
        .collect();
    if let Ok(dir) = book_root.resolve(&book_root.src_dir()) {
        let markdown = |rel: &str| rel.ends_with(".md") && !chapters.contains(rel);
        for rel in files_under(book_root, &dir, markdown) {
            scan_file(
                book_root,
                &rel,
                release.as_ref(),
                Written::InMarkdown,
                diagnostics,
            );
        }
    }
    Ok(())
}

/// Where a hand-written URI was found: the fix differs.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Written {
    /// Markdown: a directive prints the value.
    InMarkdown,
    /// `templates/`: the `ImageUri` parameter stands for it.
    InTemplate,
}

/// Book-relative names of the regular files under `dir` (symlinks are not
/// followed: `src/templates` is a link to `templates/`, scanned once).
fn files_under(book_root: &BookRoot, dir: &Path, keep: impl Fn(&str) -> bool) -> Vec<String> {
    let mut files: Vec<String> = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            e.path()
                .strip_prefix(&book_root.root)
                .ok()
                .map(crate::model::book_root::slashed)
        })
        .filter(|rel| keep(rel))
        .collect();
    files.sort();
    files
}

fn scan_file(
    book_root: &BookRoot,
    rel: &str,
    release: Option<&Release>,
    written: Written,
    diagnostics: &mut Diagnostics,
) {
    // Binary or unreadable files hold no URI a reader copies.
    let Ok(text) = book_root.read(rel) else {
        return;
    };
    let map = TextMap::new(rel, &text);
    for range in hand_written::find(&text, release.map(|r| r.registry.as_str())) {
        diagnostics.push(hand_written_diagnostic(&map, range, written, release));
    }
}

/// A URI, or a bare registry host (for `docker login`), typed by hand.
fn hand_written_diagnostic(
    map: &TextMap<'_>,
    range: Range<usize>,
    written: Written,
    release: Option<&Release>,
) -> Diagnostic {
    let (path, text) = (map.path(), map.text());
    let typed = &text[range.clone()];
    let bare_registry = !typed.contains('/');
    // In Markdown, text that is exactly what a directive prints becomes that directive.
    let directive = release
        .filter(|_| written == Written::InMarkdown)
        .and_then(|release| hand_written::directive_for(typed, release));
    let fixes = directive
        .and_then(|d| Edit::in_text(path, text, range.clone(), d))
        .into_iter()
        .collect();
    let location = map.locate(range);
    let (message, hint) = match (written, bare_registry) {
        (Written::InMarkdown, true) => (
            "the AWS Marketplace registry written by hand",
            "write {{#image-registry}} so it follows book.toml",
        ),
        (Written::InMarkdown, false) => (
            "an AWS Marketplace image URI written by hand",
            "write {{#image-uri amd64}} or {{#image-uri arm64}} (or {{#image-uris}}) so the URI follows the version in book.toml",
        ),
        (Written::InTemplate, _) => (
            "an AWS Marketplace image URI written by hand",
            "use the `${ImageUri}` parameter: the guide fills it in for each architecture with {{#template NAME ARCH}}",
        ),
    };
    Diagnostic::error(HAND_WRITTEN, location, message)
        .with_hint(hint)
        .with_fixes(fixes)
}

#[cfg(test)]
mod tests;
