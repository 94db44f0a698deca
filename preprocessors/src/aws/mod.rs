//! Checks against AWS's own machine-readable models, offline: task
//! definitions against the ECS `RegisterTaskDefinition` input shape and the
//! Fargate rules, CloudFormation templates against the resource provider
//! schemas, AWS CLI commands in the book against the service models, and the
//! roles' policies against what the task definition needs. The data is
//! vendored in `preprocessors/data/aws/`; this file is the I/O shell.

pub mod blocks;
pub mod fargate;
pub mod models;
pub mod shapes;

use crate::book_root::BookRoot;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::location::Location;
use crate::origin::Origin;
use crate::policy::json_pos::Index;
use anyhow::Result;
use mdbook_preprocessor::book::{Book, BookItem};
use serde_json::Value;
use shapes::Finding;
use std::ops::Range;

/// The folder of the task definition and templates, relative to the book root.
pub const TEMPLATES_DIR: &str = "templates";

/// Runs every AWS check on the book's templates and chapters.
pub fn check(book_root: &BookRoot, book: &Book, diagnostics: &mut Diagnostics) -> Result<()> {
    for (rel, text) in template_files(book_root) {
        let Ok(value) = serde_json::from_str::<Value>(&text) else {
            // The procedures check reports a template's syntax errors.
            continue;
        };
        let index = Index::new(&text);
        let at = |f: &Finding| Location::in_text(&rel, &text, finding_range(&index, f));
        if is_task_definition(&value) {
            diagnostics.extend(
                task_definition(&value)
                    .iter()
                    .map(|f| to_diagnostic(f, at(f))),
            );
        }
    }
    for item in book.iter() {
        let BookItem::Chapter(chapter) = item else {
            continue;
        };
        if chapter.path.is_none() {
            continue;
        }
        let (path, source) = crate::policy::chapter_source(book_root, chapter);
        let origin = Origin::new(&path, &source, &chapter.content);
        for block in blocks::fenced(&chapter.content) {
            if block.lang == "json" {
                let Ok(value) = serde_json::from_str::<Value>(&block.text) else {
                    continue;
                };
                if is_task_definition(&value) {
                    let index = Index::new(&block.text);
                    for f in task_definition(&value) {
                        let range = block.chapter_range(finding_range(&index, &f));
                        diagnostics.push(to_diagnostic(&f, origin.locate(range)));
                    }
                }
            }
        }
    }
    Ok(())
}

/// `templates/*.json`, sorted, as (repo-relative path, text).
fn template_files(book_root: &BookRoot) -> Vec<(String, String)> {
    let mut names: Vec<String> = std::fs::read_dir(book_root.root.join(TEMPLATES_DIR))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".json"))
        .collect();
    names.sort();
    names
        .into_iter()
        .filter_map(|name| {
            let rel = format!("{TEMPLATES_DIR}/{name}");
            book_root.resolve(&rel).ok()?;
            Some((rel.clone(), book_root.read(&rel).ok()?))
        })
        .collect()
}

/// A RegisterTaskDefinition document: it has container definitions.
pub fn is_task_definition(value: &Value) -> bool {
    value.get("containerDefinitions").is_some()
}

/// Check 1: the model's input shape, then the rules it cannot express.
pub fn task_definition(value: &Value) -> Vec<Finding> {
    let ecs = models::service("ecs").expect("the ECS model is vendored");
    let mut found = shapes::check(ecs, "RegisterTaskDefinitionRequest", value);
    found.extend(fargate::check(value));
    found
}

fn finding_range(index: &Index, finding: &Finding) -> Range<usize> {
    if finding.on_key {
        index.key_range(&finding.pointer)
    } else {
        index.value_range(&finding.pointer)
    }
}

fn to_diagnostic(finding: &Finding, location: Location) -> Diagnostic {
    let d = Diagnostic::error(finding.code, location, finding.message.clone());
    match &finding.hint {
        Some(hint) => d.with_hint(hint.clone()),
        None => d,
    }
}
