//! Every problem of one run, gathered: none stops the run, and a file's
//! problems of one code beyond a limit are counted in one closing problem.

use super::Code;
use super::model::*;
use crate::diagnostics::location::Location;

/// How many diagnostics of one code one file reports; the rest are counted
/// in one closing diagnostic, so a file with 10,000 broken links on one long
/// line costs bounded memory and output.
pub(crate) const PER_FILE_AND_CODE: usize = 100;

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

    pub(crate) fn push(&mut self, diagnostic: Diagnostic) {
        // The declaration is the one place a severity is said (every test
        // run holds the call sites to it).
        debug_assert!(
            diagnostic.severity == diagnostic.code.severity() || diagnostic.code.varies(),
            "{} declared {:?}, raised as {:?}",
            diagnostic.code,
            diagnostic.code.severity(),
            diagnostic.severity
        );
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

    /// Whether one more problem of `code` in the file `path` would be shown
    /// (not only counted), so its checker may spare working out its help.
    pub(crate) fn shows(&self, path: &str, code: Code) -> bool {
        self.kept
            .get(&(path.to_string(), code))
            .is_none_or(|kept| *kept < PER_FILE_AND_CODE)
    }

    pub(crate) fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        for diagnostic in other {
            self.push(diagnostic);
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub(crate) fn errors(&self) -> usize {
        self.count(Severity::Error)
    }

    pub(crate) fn warnings(&self) -> usize {
        self.count(Severity::Warning)
    }

    fn count(&self, severity: Severity) -> usize {
        self.items.iter().filter(|d| d.severity == severity).count()
    }

    /// Whether the run must fail: any error, or any warning when warnings are denied.
    pub(crate) fn is_failure(&self, deny_warnings: bool) -> bool {
        self.errors() > 0 || (deny_warnings && self.warnings() > 0)
    }

    /// Sorted by file and position, duplicates removed, so output is stable;
    /// a code past its limit in a file ends with one "and N more".
    pub(crate) fn into_sorted(mut self) -> Vec<Diagnostic> {
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
pub(crate) fn more(severity: Severity, code: Code, location: Location, n: usize) -> Diagnostic {
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
