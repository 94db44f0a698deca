//! A problem: its code, severity, place, message, hint, related places
//! and fixes; and [`Problem`], a problem in one text before it is placed.

use super::Code;
use crate::diagnostics::location::{Location, TextMap};
use serde::Serialize;
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
pub(crate) struct Fix {
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
    pub(crate) fn in_text(
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
    /// A problem with `code`, of the severity its declaration gives.
    pub(crate) fn raise(code: Code, location: Location, message: impl Into<String>) -> Self {
        Self::new(code.severity(), code, location, message)
    }

    pub(super) fn new(
        severity: Severity,
        code: Code,
        location: Location,
        message: impl Into<String>,
    ) -> Self {
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

    pub(crate) fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// The edits that fix it (see [`Edit`]); none when `fixes` is empty.
    pub(crate) fn with_fixes(mut self, fixes: Vec<Edit>) -> Self {
        self.fixes = fixes;
        self
    }

    pub(crate) fn with_related(mut self, location: Location, message: impl Into<String>) -> Self {
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
    /// A problem with `code`, of the severity its declaration gives.
    pub(crate) fn raise(code: Code, range: Range<usize>, message: impl Into<String>) -> Self {
        Self::new(code.severity(), code, range, message)
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

    pub(crate) fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// The hint, when there is one.
    pub(crate) fn with_hint_if(mut self, hint: Option<String>) -> Self {
        self.hint = hint.or(self.hint);
        self
    }

    /// A replacement of `range` that fixes the problem (there may be several).
    pub(crate) fn with_fix(mut self, range: Range<usize>, replacement: impl Into<String>) -> Self {
        self.fixes.get_or_insert_default().push(Fix {
            range,
            replacement: replacement.into(),
        });
        self
    }

    /// The replacements that fix it (none for most problems).
    pub(crate) fn fixes(&self) -> &[Fix] {
        self.fixes.as_deref().map_or(&[], Vec::as_slice)
    }

    /// Replaces its fixes (none: the problem is left to the writer).
    pub(crate) fn set_fixes(&mut self, fixes: Vec<Fix>) {
        self.fixes = (!fixes.is_empty()).then(|| Box::new(fixes));
    }

    /// The same problem at `range` instead (for findings made on a slice).
    pub(crate) fn at(mut self, range: Range<usize>) -> Self {
        self.range = range;
        self
    }

    /// A diagnostic at the place `locate` gives for the problem's range
    /// (`Origin::locate`, or `Location::in_text` for a file as written).
    /// Its fixes are dropped: only [`Problem::locate_fixed`] can place them.
    pub(crate) fn locate(self, locate: impl FnOnce(Range<usize>) -> Location) -> Diagnostic {
        self.locate_fixed(locate, |_| None)
    }

    /// As [`Problem::locate`], with `edit` placing each fix in the file the
    /// writer edits; when one cannot be placed, none is kept.
    pub(crate) fn locate_fixed(
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
    pub(crate) fn locate_in_text(self, map: &TextMap<'_>) -> Diagnostic {
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
