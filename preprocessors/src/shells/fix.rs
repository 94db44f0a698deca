//! `responder-docs fix`: applies, in the files the writer edits, the edits
//! validators attach to problems with exactly one right answer, and nothing
//! else. The planning and the edit are pure functions over text; [`run`] is
//! the shell that reads and writes the files.

use crate::diagnostics::location::Location;
use crate::diagnostics::{Diagnostic, Edit};
use crate::model::book_root::BookRoot;
use crate::pipeline::{self, Options};
use anyhow::{Context, Result};
use similar::TextDiff;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

/// One problem's edits, all applied or none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Planned<'d> {
    pub diagnostic: &'d Diagnostic,
    pub edits: Vec<&'d Edit>,
}

/// The problems to fix, per file, in order. A problem whose edits overlap
/// edits already planned differently is left to the writer; an edit that
/// another problem already plans (two problems of one step list) is
/// applied once.
pub(crate) fn plan(diagnostics: &[Diagnostic]) -> BTreeMap<&str, Vec<Planned<'_>>> {
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
pub(crate) fn apply(text: &str, edits: &[&Edit]) -> Result<String, String> {
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
pub(crate) fn describe(planned: &Planned, text: &str) -> Vec<String> {
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
pub(crate) fn diff(path: &str, old: &str, new: &str) -> String {
    // Lines end at `\n` only, as the line numbers of reports count them
    // (the diff's own splitting also breaks at a lone `\r`).
    let old: Vec<&str> = old.split_terminator('\n').collect();
    let new: Vec<&str> = new.split_terminator('\n').collect();
    TextDiff::configure()
        .diff_slices(&old, &new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

/// `text` with every control character but its line ends shown as a
/// picture (as reports show them), so no source line can start a line of
/// its own (a lone `\r` before `::error`) or move the terminal.
fn printable_lines(text: &str) -> String {
    text.split_inclusive('\n')
        .map(|line| {
            let body = line
                .strip_suffix("\r\n")
                .or_else(|| line.strip_suffix('\n'))
                .unwrap_or(line);
            let end = &line[body.len()..];
            format!("{}{end}", crate::diagnostics::printable(body))
        })
        .collect()
}

/// What one `fix` run did.
#[derive(Debug, Default)]
pub(crate) struct Outcome {
    /// Problems fixed (or, with `--dry-run`, that would be).
    pub fixed: usize,
    pub files: usize,
    /// Problems that need a person, with the run's failure rule applied.
    pub left: Vec<Diagnostic>,
    pub failed: bool,
}

/// Checks the book, then fixes what has one right answer: prints each change
/// (or, with `dry_run`, the diff) to `out` and writes the files.
pub(crate) fn run(root: &Path, dry_run: bool, out: &mut dyn Write) -> Result<Outcome> {
    let checked = pipeline::check(root, &Options::default())?;
    let book_root = BookRoot::load(root)?;
    let deny = book_root.deny_warnings();
    let reach = book_root.reach();
    let mut outcome = Outcome::default();
    let mut fixed: Vec<&Diagnostic> = Vec::new();
    let mut rewrites = Vec::new();
    for (path, planned) in plan(&checked.diagnostics) {
        let file = book_root
            .resolve(path)
            .map_err(|why| anyhow::anyhow!("{path}: {why:?}"))?;
        // Read through the handle judged: the file edited is the file checked.
        let (real, bytes) = reach
            .read_judged(&file)
            .map_err(|why| anyhow::anyhow!("cannot read {path}: {why:?}"))?;
        let text = String::from_utf8(bytes).with_context(|| format!("cannot read {path}"))?;
        // Opened for writing now, judged again: what is written later goes
        // through this handle, whatever is swapped in at the path meanwhile.
        let handle = (!dry_run)
            .then(|| open_judged(&real, &text))
            .transpose()
            .with_context(|| format!("cannot write {path}"))?;
        let edits: Vec<&Edit> = planned.iter().flat_map(|p| p.edits.clone()).collect();
        let new = apply(&text, &edits).map_err(anyhow::Error::msg)?;
        if dry_run {
            write!(out, "{}", printable_lines(&diff(path, &text, &new)))?;
        } else {
            for p in &planned {
                for line in describe(p, &text) {
                    writeln!(out, "{}", crate::diagnostics::printable(&line))?;
                }
            }
            rewrites.push(Rewrite {
                path: path.to_string(),
                file: handle.context("no handle")?,
                new,
            });
        }
        outcome.files += 1;
        outcome.fixed += planned.len();
        fixed.extend(planned.iter().map(|p| p.diagnostic));
    }
    rewrite_confined(&mut rewrites)?;
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

/// One file `fix` changes, opened for writing when it was judged.
#[derive(Debug)]
pub(crate) struct Rewrite {
    /// As reports name it.
    pub path: String,
    pub file: std::fs::File,
    pub new: String,
}

/// Writes every rewrite through its handle under a sandbox that grants
/// nothing: the handles were opened before it, so no path is opened (or
/// followed) again, and nothing else can be written.
pub(crate) fn rewrite_confined(rewrites: &mut [Rewrite]) -> Result<()> {
    if rewrites.is_empty() {
        return Ok(());
    }
    crate::model::sandbox::confined(|| {
        crate::model::sandbox::enter(&crate::model::sandbox::Confinement::default())?;
        for rewrite in rewrites.iter_mut() {
            rewrite_in_place(&mut rewrite.file, &rewrite.new)
                .with_context(|| format!("cannot write {}", rewrite.path))?;
        }
        Ok(())
    })
}

/// Opens the file judged at `real` for writing: without following a link
/// at its name (`O_NOFOLLOW`), still a regular file at `real` (its folders
/// not swapped either: `/proc/self/fd` names where the opened file is), and
/// still holding `old`.
pub(crate) fn open_judged(real: &Path, old: &str) -> Result<std::fs::File> {
    use std::io::Read;
    let mut options = std::fs::OpenOptions::new();
    options.read(true).write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let changed = || anyhow::anyhow!("the file changed since it was checked; nothing fixed in it");
    let mut file = options.open(real).map_err(|_| changed())?;
    if !file.metadata()?.is_file() {
        return Err(changed());
    }
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        let opened = std::fs::read_link(format!("/proc/self/fd/{}", file.as_raw_fd()))?;
        if opened != real {
            return Err(changed());
        }
    }
    let mut now = Vec::new();
    (&mut file)
        .take(crate::model::reach::MAX_FILE_BYTES + 1)
        .read_to_end(&mut now)?;
    if now != old.as_bytes() {
        return Err(changed());
    }
    Ok(file)
}

/// In place, so the file keeps its permissions and a link to it stays a
/// link; the sandbox allows nothing to be made beside it.
fn rewrite_in_place(file: &mut std::fs::File, new: &str) -> std::io::Result<()> {
    use std::io::Seek;
    file.rewind()?;
    file.write_all(new.as_bytes())?;
    file.set_len(new.len() as u64)?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(range: std::ops::Range<usize>, original: &str, replacement: &str) -> Edit {
        Edit {
            path: "src/a.md".into(),
            range,
            original: original.into(),
            replacement: replacement.into(),
        }
    }

    fn problem(edits: Vec<Edit>) -> Diagnostic {
        Diagnostic::raise(
            crate::checks::procedures::numbering::PROCEDURES_NUMBERING,
            Location::file("src/a.md"),
            "m",
        )
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

    fn rewrite(real: &Path, old: &str, new: &str) -> Result<Rewrite> {
        Ok(Rewrite {
            path: "src/a.md".into(),
            file: open_judged(&real.canonicalize()?, old)?,
            new: new.into(),
        })
    }

    #[cfg(unix)]
    #[test]
    fn a_rewritten_file_keeps_its_permissions_and_nothing_is_left_beside_it() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.md");
        std::fs::write(&file, "old text\n").unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).unwrap();
        rewrite_confined(&mut [rewrite(&file, "old text\n", "new\n").unwrap()]).unwrap();
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "new\n");
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        // Changed since the check: not opened for the edit.
        let err = rewrite(&file, "old text\n", "x").unwrap_err();
        assert_eq!(
            err.to_string(),
            "the file changed since it was checked; nothing fixed in it"
        );
    }

    /// A link swapped in between the check and the write is not followed:
    /// the file judged gets the edit, the file outside keeps its bytes.
    #[cfg(unix)]
    #[test]
    fn a_symlink_swapped_in_after_the_check_is_not_written_through() {
        let outside = tempfile::tempdir().unwrap();
        let victim = outside.path().join("a.md");
        std::fs::write(&victim, "old\n").unwrap();
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("src");
        std::fs::create_dir(&src).unwrap();
        let file = src.join("a.md");
        std::fs::write(&file, "old\n").unwrap();
        let real = file.canonicalize().unwrap();
        let mut judged = [rewrite(&file, "old\n", "new\n").unwrap()];
        // The file moves away and a link out takes its name…
        std::fs::rename(&file, dir.path().join("moved.md")).unwrap();
        std::os::unix::fs::symlink(&victim, &file).unwrap();
        rewrite_confined(&mut judged).unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "old\n");
        assert_eq!(
            std::fs::read_to_string(dir.path().join("moved.md")).unwrap(),
            "new\n"
        );
        // …and a link, or a folder swapped for a link, is refused when judged.
        let err = open_judged(&real, "old\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "the file changed since it was checked; nothing fixed in it"
        );
        std::fs::remove_file(&file).unwrap();
        std::fs::rename(&src, dir.path().join("src-moved")).unwrap();
        std::os::unix::fs::symlink(outside.path(), &src).unwrap();
        assert!(open_judged(&real, "old\n").is_err());
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "old\n");
    }

    #[test]
    fn the_diff_is_unified_with_file_headers() {
        assert_eq!(
            diff("src/a.md", "a\nb\n", "a\nc\n"),
            "--- a/src/a.md\n+++ b/src/a.md\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n"
        );
    }
}
