//! `responder-docs fix`: applies, in the files the writer edits, the edits
//! validators attach to problems with exactly one right answer, and nothing
//! else. The planning and the edit are pure functions over text; [`run`] is
//! the shell that reads and writes the files.

use crate::book_root::BookRoot;
use crate::diagnostics::{Diagnostic, Edit};
use crate::location::Location;
use crate::pipeline::{self, Options};
use anyhow::{Context, Result};
use similar::TextDiff;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

/// One problem's edits, all applied or none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned<'d> {
    pub diagnostic: &'d Diagnostic,
    pub edits: Vec<&'d Edit>,
}

/// The problems to fix, per file, in order. A problem whose edits overlap
/// edits already planned differently is left to the writer; an edit that
/// another problem already plans (two problems of one step list) is
/// applied once.
pub fn plan(diagnostics: &[Diagnostic]) -> BTreeMap<&str, Vec<Planned<'_>>> {
    let mut files: BTreeMap<&str, Vec<Planned>> = BTreeMap::new();
    let mut taken: BTreeMap<&str, Vec<&Edit>> = BTreeMap::new();
    for diagnostic in diagnostics.iter().filter(|d| !d.fixes.is_empty()) {
        let path = diagnostic.location.path.as_str();
        // Every edit of a diagnostic is in its file.
        if diagnostic.fixes.iter().any(|e| e.path != path) {
            continue;
        }
        let planned = taken.entry(path).or_default();
        let conflicts = diagnostic.fixes.iter().any(|edit| {
            planned.iter().any(|p| {
                *p != edit && p.range.start < edit.range.end && edit.range.start < p.range.end
            })
        });
        if conflicts {
            continue;
        }
        let new: Vec<&Edit> = diagnostic
            .fixes
            .iter()
            .filter(|e| !planned.contains(e))
            .collect();
        planned.extend(new.iter().copied());
        files.entry(path).or_default().push(Planned {
            diagnostic,
            edits: new,
        });
    }
    files
}

/// `text` with `edits` applied. Refuses (naming the place) when the bytes at
/// an edit are no longer what the check saw: the file changed meanwhile.
pub fn apply(text: &str, edits: &[&Edit]) -> Result<String, String> {
    let mut sorted = edits.to_vec();
    sorted.sort_by_key(|e| e.range.start);
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for edit in sorted {
        if text.get(edit.range.clone()) != Some(edit.original.as_str()) || edit.range.start < last {
            let at = Location::in_text(&edit.path, text, edit.range.clone());
            return Err(format!(
                "{}: the file changed since it was checked; nothing fixed in it",
                at.short()
            ));
        }
        out.push_str(&text[last..edit.range.start]);
        out.push_str(&edit.replacement);
        last = edit.range.end;
    }
    out.push_str(&text[last..]);
    Ok(out)
}

/// `path:line:col: code: `old` → `new``, one line per edit of a problem.
pub fn describe(planned: &Planned, text: &str) -> Vec<String> {
    planned
        .edits
        .iter()
        .map(|edit| {
            let at = Location::in_text(&edit.path, text, edit.range.clone());
            format!(
                "{}: {}: `{}` → `{}`",
                at.short(),
                planned.diagnostic.code,
                edit.original,
                edit.replacement
            )
        })
        .collect()
}

/// A unified diff of one file, as `git diff` shows it.
pub fn diff(path: &str, old: &str, new: &str) -> String {
    TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

/// What one `fix` run did.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Problems fixed (or, with `--dry-run`, that would be).
    pub fixed: usize,
    pub files: usize,
    /// Problems that need a person, with the run's failure rule applied.
    pub left: Vec<Diagnostic>,
    pub failed: bool,
}

/// Checks the book, then fixes what has one right answer: prints each change
/// (or, with `dry_run`, the diff) to `out` and writes the files.
pub fn run(root: &Path, dry_run: bool, out: &mut dyn Write) -> Result<Outcome> {
    let checked = pipeline::check(root, &Options::default())?;
    let book_root = BookRoot::load(root)?;
    let deny = book_root.deny_warnings();
    let mut outcome = Outcome::default();
    let mut fixed: Vec<&Diagnostic> = Vec::new();
    for (path, planned) in plan(&checked.diagnostics) {
        let file = book_root
            .resolve(path)
            .map_err(|why| anyhow::anyhow!("{path}: {why:?}"))?;
        let text = std::fs::read_to_string(&file).with_context(|| format!("cannot read {path}"))?;
        let edits: Vec<&Edit> = planned.iter().flat_map(|p| p.edits.clone()).collect();
        let new = apply(&text, &edits).map_err(anyhow::Error::msg)?;
        if dry_run {
            write!(out, "{}", diff(path, &text, &new))?;
        } else {
            for p in &planned {
                for line in describe(p, &text) {
                    writeln!(out, "{line}")?;
                }
            }
            replace_file(&file, &new).with_context(|| format!("cannot write {path}"))?;
        }
        outcome.files += 1;
        outcome.fixed += planned.len();
        fixed.extend(planned.iter().map(|p| p.diagnostic));
    }
    outcome.left = checked
        .diagnostics
        .iter()
        .filter(|d| !fixed.contains(d))
        .cloned()
        .collect();
    outcome.failed = outcome
        .left
        .iter()
        .any(|d| d.severity == crate::diagnostics::Severity::Error || deny);
    Ok(outcome)
}

/// Writes `text` beside `file` and moves it into place, keeping the file's
/// permissions: an interrupted run leaves the old file or the new one, whole.
/// A symbolic link stays a link: the file it names is the one replaced.
fn replace_file(file: &Path, text: &str) -> std::io::Result<()> {
    let file = &std::fs::canonicalize(file)?;
    let dir = file.parent().unwrap_or(Path::new("."));
    let mut fresh = tempfile::NamedTempFile::new_in(dir)?;
    fresh.write_all(text.as_bytes())?;
    fresh
        .as_file()
        .set_permissions(std::fs::metadata(file)?.permissions())?;
    fresh.persist(file).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::codes;

    fn edit(range: std::ops::Range<usize>, original: &str, replacement: &str) -> Edit {
        Edit {
            path: "src/a.md".into(),
            range,
            original: original.into(),
            replacement: replacement.into(),
        }
    }

    fn problem(edits: Vec<Edit>) -> Diagnostic {
        Diagnostic::error(codes::PROCEDURES_NUMBERING, Location::file("src/a.md"), "m")
            .with_fixes(edits)
    }

    #[test]
    fn shared_edits_apply_once_and_conflicting_problems_are_left() {
        let text = "1. a\n2. b\n4. c\n5. d\n";
        let list = vec![edit(10..11, "4", "3"), edit(15..16, "5", "4")];
        let diagnostics = [
            problem(list.clone()),
            problem(list.clone()),
            problem(vec![edit(10..12, "4.", "7.")]),
            problem(Vec::new()),
        ];
        let planned = plan(&diagnostics);
        let planned = &planned["src/a.md"];
        assert_eq!(planned.len(), 2, "the conflicting problem is left out");
        assert_eq!(planned[1].edits.len(), 0, "the same edits, not twice");
        let edits: Vec<&Edit> = planned.iter().flat_map(|p| p.edits.clone()).collect();
        assert_eq!(apply(text, &edits).unwrap(), "1. a\n2. b\n3. c\n4. d\n");
        assert_eq!(
            describe(&planned[0], text),
            [
                "src/a.md:3:1: procedures::numbering: `4` → `3`",
                "src/a.md:4:1: procedures::numbering: `5` → `4`"
            ]
        );
    }

    #[test]
    fn a_file_changed_since_the_check_is_not_touched() {
        let edits = [edit(10..11, "4", "3")];
        let refs: Vec<&Edit> = edits.iter().collect();
        assert_eq!(
            apply("1. a\n2. b\n9. c\n", &refs),
            Err("src/a.md:3:1: the file changed since it was checked; nothing fixed in it".into())
        );
    }

    #[test]
    fn a_replaced_file_keeps_its_permissions_and_nothing_is_left_beside_it() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.md");
        std::fs::write(&file, "old\n").unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).unwrap();
        replace_file(&file, "new\n").unwrap();
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "new\n");
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);

        let link = dir.path().join("link.md");
        std::os::unix::fs::symlink("a.md", &link).unwrap();
        replace_file(&link, "newer\n").unwrap();
        assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "newer\n");
    }

    #[test]
    fn the_diff_is_unified_with_file_headers() {
        assert_eq!(
            diff("src/a.md", "a\nb\n", "a\nc\n"),
            "--- a/src/a.md\n+++ b/src/a.md\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n"
        );
    }
}
