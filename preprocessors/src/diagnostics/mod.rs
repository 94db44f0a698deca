//! One diagnostic model for every validator: a stable code, a repo-relative
//! `path:line:col`, the offending source line, a hint, and three renderings
//! (human, GitHub annotations, JSON, SARIF).

pub mod codes;
pub mod sarif;

pub use codes::Code;

use crate::location::{Location, TextMap};
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;
use std::fmt::Write as _;
use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A second place a diagnostic points at (the other copy of a procedure,
/// the template field a step disagrees with, …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Related {
    #[serde(flatten)]
    pub location: Location,
    pub message: String,
}

/// A replacement with one right answer, in the text a [`Problem`] was found
/// in; the validator that found the problem sets it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub range: Range<usize>,
    pub replacement: String,
}

/// A [`Fix`] placed in the file the writer edits: `original` is what the
/// bytes at `range` must still be for `responder-docs fix` to apply it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    /// Relative to the book root, as in [`Location::path`].
    pub path: String,
    pub range: Range<usize>,
    pub original: String,
    pub replacement: String,
}

impl Edit {
    /// The edit of `range` in `text` (the file at `path` as written).
    pub fn in_text(
        path: &str,
        text: &str,
        range: Range<usize>,
        replacement: String,
    ) -> Option<Edit> {
        let original = text.get(range.clone())?.to_string();
        Some(Edit {
            path: path.to_string(),
            range,
            original,
            replacement,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// `pass::problem`, stable across releases so CI can filter on it.
    pub code: Code,
    #[serde(flatten)]
    pub location: Location,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Related>,
    /// Edits that fix the problem, all or none (`responder-docs fix`).
    #[serde(skip)]
    pub fixes: Vec<Edit>,
    /// For the closing "and N more" of a code in a file: N, the ones not
    /// shown (see [`more`]).
    #[serde(skip)]
    pub more: Option<usize>,
}

impl Diagnostic {
    pub fn error(code: Code, location: Location, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, location, message)
    }

    pub fn warning(code: Code, location: Location, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, code, location, message)
    }

    fn new(severity: Severity, code: Code, location: Location, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            code,
            location,
            message: message.into(),
            hint: None,
            related: Vec::new(),
            fixes: Vec::new(),
            more: None,
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// The edits that fix it (see [`Edit`]); none when `fixes` is empty.
    pub fn with_fixes(mut self, fixes: Vec<Edit>) -> Self {
        self.fixes = fixes;
        self
    }

    pub fn with_related(mut self, location: Location, message: impl Into<String>) -> Self {
        self.related.push(Related {
            location,
            message: message.into(),
        });
        self
    }

    /// `path:line:col: severity[code]: message`, the one-line form tests assert.
    pub fn short(&self) -> String {
        format!(
            "{}: {}[{}]: {}",
            self.location.short(),
            self.severity_word(),
            self.code,
            self.message
        )
    }

    fn severity_word(&self) -> &'static str {
        match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// A problem found by a pure function over one text, at a byte range of
/// that text. The shell that knows where the text came from turns it into a
/// [`Diagnostic`] with [`Problem::locate`]; every validator reports this way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub severity: Severity,
    pub code: Code,
    pub range: Range<usize>,
    pub message: String,
    pub hint: Option<String>,
    /// Other places involved, already located.
    pub related: Vec<Related>,
    /// Replacements that fix it, in the same text as `range`. Behind one
    /// thin pointer: most problems have none, and problems are returned by
    /// value in `Result`s, which must stay small.
    #[allow(clippy::box_collection)]
    fixes: Option<Box<Vec<Fix>>>,
}

impl Problem {
    pub fn error(code: Code, range: Range<usize>, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, range, message)
    }

    pub fn warning(code: Code, range: Range<usize>, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, code, range, message)
    }

    fn new(
        severity: Severity,
        code: Code,
        range: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        Problem {
            severity,
            code,
            range,
            message: message.into(),
            hint: None,
            related: Vec::new(),
            fixes: None,
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// A replacement of `range` that fixes the problem (there may be several).
    pub fn with_fix(mut self, range: Range<usize>, replacement: impl Into<String>) -> Self {
        self.fixes.get_or_insert_default().push(Fix {
            range,
            replacement: replacement.into(),
        });
        self
    }

    /// The replacements that fix it (none for most problems).
    pub fn fixes(&self) -> &[Fix] {
        self.fixes.as_deref().map_or(&[], Vec::as_slice)
    }

    /// Replaces its fixes (none: the problem is left to the writer).
    pub fn set_fixes(&mut self, fixes: Vec<Fix>) {
        self.fixes = (!fixes.is_empty()).then(|| Box::new(fixes));
    }

    /// The same problem at `range` instead (for findings made on a slice).
    pub fn at(mut self, range: Range<usize>) -> Self {
        self.range = range;
        self
    }

    /// A diagnostic at the place `locate` gives for the problem's range
    /// (`Origin::locate`, or `Location::in_text` for a file as written).
    /// Its fixes are dropped: only [`Problem::locate_fixed`] can place them.
    pub fn locate(self, locate: impl FnOnce(Range<usize>) -> Location) -> Diagnostic {
        self.locate_fixed(locate, |_| None)
    }

    /// As [`Problem::locate`], with `edit` placing each fix in the file the
    /// writer edits; when one cannot be placed, none is kept.
    pub fn locate_fixed(
        self,
        locate: impl FnOnce(Range<usize>) -> Location,
        edit: impl Fn(&Fix) -> Option<Edit>,
    ) -> Diagnostic {
        let fixes = self.fixes().iter().map(edit).collect::<Option<Vec<_>>>();
        Diagnostic {
            severity: self.severity,
            code: self.code,
            location: locate(self.range),
            message: self.message,
            hint: self.hint,
            related: self.related,
            fixes: fixes.unwrap_or_default(),
            more: None,
        }
    }

    /// A diagnostic in a file as written.
    pub fn locate_in_text(self, map: &TextMap<'_>) -> Diagnostic {
        self.locate_fixed(
            |r| map.locate(r),
            |fix| {
                Edit::in_text(
                    map.path(),
                    map.text(),
                    fix.range.clone(),
                    fix.replacement.clone(),
                )
            },
        )
    }
}

/// How many diagnostics of one code one file reports; the rest are counted
/// in one closing diagnostic, so a file with 10,000 broken links on one long
/// line costs bounded memory and output.
pub const PER_FILE_AND_CODE: usize = 100;

/// The hint that marks the closing "and N more" diagnostic of a code.
const MORE_HINT: &str = "the rest of the same kind are not shown; fix these and run again";

/// Everything the validators found in one run; nothing stops at the first problem.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
    /// Per (path, code): how many are kept.
    kept: std::collections::HashMap<(String, Code), usize>,
    /// Per (path, code): how many more were dropped, and where the last kept one is.
    more: std::collections::BTreeMap<(String, Code), (usize, Severity, Location)>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, diagnostic: Diagnostic) {
        let key = (diagnostic.location.path.clone(), diagnostic.code);
        if let Some(n) = more_count(&diagnostic) {
            let entry =
                self.more
                    .entry(key)
                    .or_insert((0, diagnostic.severity, diagnostic.location));
            entry.0 += n;
            return;
        }
        let kept = self.kept.entry(key.clone()).or_default();
        if *kept >= PER_FILE_AND_CODE {
            let entry =
                self.more
                    .entry(key)
                    .or_insert((0, diagnostic.severity, diagnostic.location));
            entry.0 += 1;
            return;
        }
        *kept += 1;
        self.items.push(diagnostic);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        for diagnostic in other {
            self.push(diagnostic);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn errors(&self) -> usize {
        self.count(Severity::Error)
    }

    pub fn warnings(&self) -> usize {
        self.count(Severity::Warning)
    }

    fn count(&self, severity: Severity) -> usize {
        self.items.iter().filter(|d| d.severity == severity).count()
    }

    /// Whether the run must fail: any error, or any warning when warnings are denied.
    pub fn is_failure(&self, deny_warnings: bool) -> bool {
        self.errors() > 0 || (deny_warnings && self.warnings() > 0)
    }

    /// Sorted by file and position, duplicates removed, so output is stable;
    /// a code past its limit in a file ends with one "and N more".
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        for ((_, code), (n, severity, location)) in std::mem::take(&mut self.more) {
            self.items.push(more(severity, code, location, n));
        }
        self.items.sort_by(|a, b| {
            (
                &a.location.path,
                a.location.line,
                a.location.column,
                &a.code,
            )
                .cmp(&(
                    &b.location.path,
                    b.location.line,
                    b.location.column,
                    &b.code,
                ))
        });
        self.items.dedup();
        self.items
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.into_sorted().into_iter()
    }
}

/// The closing diagnostic for `n` more of `code` in one file (a checker
/// that finds very many may stop building them and say how many instead).
pub fn more(severity: Severity, code: Code, location: Location, n: usize) -> Diagnostic {
    let mut more = Diagnostic::new(
        severity,
        code,
        location,
        format!("and {n} more `{code}` in this file"),
    );
    more.hint = Some(MORE_HINT.into());
    more.more = Some(n);
    more
}

/// `Some(N)` for a closing "and N more" diagnostic.
fn more_count(d: &Diagnostic) -> Option<usize> {
    d.more
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
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
pub fn render(diagnostics: &[Diagnostic], format: Format, color: bool) -> String {
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
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
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
pub fn summary(diagnostics: &[Diagnostic]) -> String {
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
pub fn shown(path: &std::path::Path) -> String {
    printable(&path.display().to_string()).into_owned()
}

#[cfg(test)]
mod tests;
