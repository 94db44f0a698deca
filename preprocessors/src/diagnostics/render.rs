//! A report for people (source line, caret, hint), for GitHub's
//! annotations, as JSON, or as SARIF.

use super::model::*;
use super::sarif;
use crate::diagnostics::location::Location;
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;
use std::fmt::Write as _;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub(crate) enum Format {
    /// Source line, caret and hint, for people.
    #[default]
    Human,
    /// `::error file=…,line=…,col=…::` workflow commands for GitHub Actions.
    Github,
    /// A stable JSON document (see the README).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
}

/// Renders a whole report, with a closing summary line for the human form.
pub(crate) fn render(diagnostics: &[Diagnostic], format: Format, color: bool) -> String {
    let shown: Vec<Diagnostic> = diagnostics.iter().map(visible).collect();
    match format {
        Format::Human => render_human(&shown, color),
        Format::Github => render_github(&shown),
        Format::Json => render_json(&shown),
        Format::Sarif => sarif::render(&shown),
    }
}

/// A diagnostic whose text can drive no terminal and no CI log: every
/// control character (a decoded `%0A` that would start a `::error` line of
/// its own in GitHub Actions, an ESC sequence) and every bidirectional
/// override becomes one visible character, so columns stay right.
fn visible(d: &Diagnostic) -> Diagnostic {
    let mut d = d.clone();
    // The snippet renderer counts columns from the line's start.
    for location in
        std::iter::once(&mut d.location).chain(d.related.iter_mut().map(|r| &mut r.location))
    {
        if location.line_text_start > 0 {
            location.line_text = location.full_line_text().into_owned();
            location.line_text_start = 0;
        }
    }
    let fix = |s: &mut String| {
        if let std::borrow::Cow::Owned(shown) = printable(s) {
            *s = shown;
        }
    };
    fix(&mut d.message);
    fix(&mut d.location.path);
    fix(&mut d.location.line_text);
    if let Some(hint) = &mut d.hint {
        fix(hint);
    }
    for related in &mut d.related {
        fix(&mut related.message);
        fix(&mut related.location.path);
        fix(&mut related.location.line_text);
    }
    d
}

/// Text safe to print on a terminal or in a CI log: a path or a message
/// from the book (a folder name holding a newline or ESC) can neither forge
/// a `::error` line nor drive the terminal. The status lines print through it.
pub(crate) fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().any(hidden) {
        std::borrow::Cow::Owned(text.chars().map(picture).collect())
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

fn hidden(c: char) -> bool {
    (c.is_control() && c != '\t') || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// U+2400's control pictures for C0 and DEL (`␊`, `␛`, `␡`), `�` for the rest.
fn picture(c: char) -> char {
    match c {
        '\t' => c,
        '\u{0}'..='\u{1F}' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{FFFD}'),
        '\u{7F}' => '\u{2421}',
        c if hidden(c) => '\u{FFFD}',
        c => c,
    }
}

fn render_human(diagnostics: &[Diagnostic], color: bool) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    for d in diagnostics {
        out.push_str(&renderer.render(&report(d)));
        out.push_str("\n\n");
    }
    out.push_str(&summary(diagnostics));
    out.push('\n');
    out
}

/// `2 errors, 1 warning`, or `no problems`.
pub(crate) fn summary(diagnostics: &[Diagnostic]) -> String {
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diagnostics.len() - errors;
    if diagnostics.is_empty() {
        return "no problems found".to_string();
    }
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!(
        "{}, {}",
        plural(errors, "error"),
        plural(warnings, "warning")
    )
}

fn level(severity: Severity) -> Level<'static> {
    match severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    }
}

fn snippet<'a>(
    location: &'a Location,
    label: &'a str,
    kind: AnnotationKind,
) -> Snippet<'a, annotate_snippets::Annotation<'a>> {
    let span = location.span_in_line();
    Snippet::source(location.line_text.as_str())
        .line_start(location.line)
        .path(location.path.as_str())
        .annotation(kind.span(span).label(label))
}

fn report(d: &Diagnostic) -> Vec<Group<'_>> {
    let mut title = level(d.severity)
        .primary_title(d.message.as_str())
        .id(d.code.as_str())
        .element(snippet(&d.location, "", AnnotationKind::Primary));
    for related in &d.related {
        title = title.element(snippet(
            &related.location,
            related.message.as_str(),
            AnnotationKind::Context,
        ));
    }
    if let Some(hint) = &d.hint {
        title = title.element(Level::HELP.message(hint.as_str()));
    }
    vec![title]
}

/// GitHub Actions workflow commands; newlines and `%` are escaped as the runner expects.
fn render_github(diagnostics: &[Diagnostic]) -> String {
    let escape_data = |s: &str| {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    };
    let escape_property = |s: &str| escape_data(s).replace(':', "%3A").replace(',', "%2C");
    let mut out = String::new();
    for d in diagnostics {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut message = d.message.clone();
        if let Some(hint) = &d.hint {
            message.push_str("\nhint: ");
            message.push_str(hint);
        }
        for related in &d.related {
            let _ = write!(
                message,
                "\n{}: {}",
                related.location.short(),
                related.message
            );
        }
        let _ = writeln!(
            out,
            "::{command} file={},line={},col={},endColumn={},title={}::{}",
            escape_property(&d.location.path),
            d.location.line,
            d.location.column,
            d.location.end_column,
            escape_property(d.code.as_str()),
            escape_data(&message)
        );
    }
    out
}

#[derive(Serialize)]
struct JsonReport<'a> {
    /// Bumped only when a field changes meaning or disappears.
    version: u32,
    errors: usize,
    warnings: usize,
    diagnostics: &'a [Diagnostic],
}

fn render_json(diagnostics: &[Diagnostic]) -> String {
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let report = JsonReport {
        version: 1,
        errors,
        warnings: diagnostics.len() - errors,
        diagnostics,
    };
    let mut text = serde_json::to_string_pretty(&report).expect("diagnostics always serialise");
    text.push('\n');
    text
}

/// A path as the status lines print it: control characters made visible.
pub(crate) fn shown(path: &std::path::Path) -> String {
    printable(&path.display().to_string()).into_owned()
}
