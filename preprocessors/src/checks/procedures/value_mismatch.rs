//! Values typed in console steps that disagree with the templates.

use super::kept::VALUE_MISMATCH;
use super::{ALLOW_VALUE, Templates, Text, Texts, bound_values, values};
use crate::checks::rule::Model;
use crate::diagnostics::{Diagnostics, Problem, Related};

crate::checks::rule::rule! {
    check: check;
    PROCEDURES_VALUE_MISMATCH = "procedures::value-mismatch", error: "a value typed in a step that disagrees with the template";
}

fn check(model: &Model<'_, '_>, out: &mut Diagnostics) -> anyhow::Result<()> {
    let templates = model.shared::<Templates>();
    let texts = model.shared::<Texts>();
    let texts = texts.gather(model.chapters)?;
    let found = VALUE_MISMATCH.per_text(model.root, model.chapters, &texts, |_, text| {
        check_text(text, &templates)
    });
    for found in found {
        out.extend(found);
    }
    Ok(())
}

fn check_text(text: &Text<'_>, templates: &Templates) -> Diagnostics {
    let mut diagnostics = Diagnostics::new();
    let Some(values) = &templates.values else {
        return diagnostics;
    };
    let origin = &text.origin();
    let explain = |key: &str, problem: Problem| explain(templates, key, problem);
    for problem in bound_values::check(text.steps, values, &explain) {
        if text.in_expansion(origin, problem.range.clone()) {
            continue;
        }
        let at = origin.locate(problem.range.clone());
        if at.line_text.contains(ALLOW_VALUE) {
            continue;
        }
        diagnostics.push(problem.locate(|_| at));
    }
    diagnostics
}

/// The template field a value mismatching `key` disagrees with, and how
/// to write the step so it follows the template.
fn explain(templates: &Templates, key: &str, mut problem: Problem) -> Problem {
    let field = if key == "task.platform" {
        templates
            .task
            .as_ref()
            .map(|t| (t.locate("/runtimePlatform"), "runtimePlatform"))
    } else {
        templates
            .field(key)
            .map(|(at, v)| (at, v.pointer.rsplit('/').next().unwrap_or("")))
    };
    if let Some((location, name)) = field {
        problem.related.push(Related {
            location,
            message: format!("the template's `{name}`"),
        });
    }
    let hint = match key {
        "task.platform" => format!(
            "write {}",
            templates
                .shipped
                .iter()
                .map(|a| format!("`{{{{#console-platform {}}}}}`", a.docker))
                .collect::<Vec<_>>()
                .join(" or ")
        ),
        key => format!(
            "write `{{{{#value {}}}}}` so the step shows the template's value",
            values::key(key).and_then(|k| k.console).unwrap_or(key)
        ),
    };
    problem.with_hint(hint)
}
