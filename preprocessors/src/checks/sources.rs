//! The book's sources judged before anything reads them: every file under
//! `src/` and the theme (links out, special files, sizes), every chapter
//! `SUMMARY.md` lists, and the budgets on what the checks parse. Built on
//! [`crate::model::reach`], which judges one path; this module knows the book.

use crate::diagnostics::location::{Location, TextMap};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::book_root::BookRoot;
use crate::model::reach::{
    MAX_FILE_BYTES, Reach, Refusal, Unreadable, Verdict, kind_of, read_regular, resolve_place,
    utf8_error_at,
};
use std::path::{Path, PathBuf};

crate::diagnostics::codes::declare! {
    REACH_CREATE_OVERWRITES = "reach::create-overwrites", error: "a `SUMMARY.md` entry missing as written (`new/../a.md`) that `create-missing` would have mdBook create by writing over a file that exists";
    REACH_SUMMARY_ABSOLUTE = "reach::summary-absolute", error: "a `SUMMARY.md` entry with an absolute path, which mdBook's loader cannot read";
    REACH_UNREADABLE_SOURCE = "reach::unreadable-source", error: "a file under `src/` that cannot be read (a symlink loop or a dangling link), or a chapter or `SUMMARY.md` that is not UTF-8";
}

/// Every file and folder under the book's `src/` that mdBook would read or
/// copy into the site, judged: symlinks that lead outside, dangling links,
/// symlink loops and special files are reported; nothing is followed out.
pub(crate) fn check_sources(book_root: &BookRoot, reach: &Reach, diagnostics: &mut Diagnostics) {
    let src_rel = book_root.src_dir();
    let src = book_root.root.join(&book_root.config.book.src);
    let src_name = if src_rel.is_empty() {
        ".".into()
    } else {
        src_rel
    };
    check_tree(&Tree::SOURCES, &src, &src_name, reach, diagnostics);
}

/// What mdBook does with the files of a folder it reads, for what a
/// problem there means.
pub(crate) struct Tree {
    /// What becomes of a file: `copy it into the site`.
    pub fate: &'static str,
    /// Whether a dangling link or a loop stops mdBook (it copies every entry
    /// of `src/`, but reads only the theme files it knows, if they exist).
    pub unreadable_matters: bool,
}

impl Tree {
    pub(crate) const SOURCES: Tree = Tree {
        fate: "copy it into the site",
        unreadable_matters: true,
    };
    pub(crate) const THEME: Tree = Tree {
        fate: "publish it in every page",
        unreadable_matters: false,
    };
}

/// Every file and folder under `dir` (named `name` in diagnostics), judged
/// as [`check_sources`] judges `src/`.
pub(crate) fn check_tree(
    tree: &Tree,
    dir: &Path,
    name: &str,
    reach: &Reach,
    diagnostics: &mut Diagnostics,
) {
    let Ok(real) = dir.canonicalize() else {
        return;
    };
    if let Some(refusal) = reach.refuse(&real) {
        diagnostics.push(outside_source(tree, name, reach, &refusal));
        return;
    }
    walk(tree, dir, &mut vec![real], reach, diagnostics);
}

/// The entries under `dir`, whose real path and those of the folders it
/// was reached through are `chain`. Links are judged before they are
/// followed, so nothing outside the boundary is opened or listed, and a
/// link back to a folder of `chain` is a loop.
fn walk(
    tree: &Tree,
    dir: &Path,
    chain: &mut Vec<PathBuf>,
    reach: &Reach,
    diagnostics: &mut Diagnostics,
) {
    let unreadable = |at: &Path, why: &str, diagnostics: &mut Diagnostics| {
        if !tree.unreadable_matters {
            return;
        }
        let at = reach.name(at);
        diagnostics.push(
            Diagnostic::raise(
                REACH_UNREADABLE_SOURCE,
                Location::file(&at),
                format!("`{at}` {why}; mdBook cannot copy it into the site"),
            )
            .with_hint("remove the link or point it at a file inside the repository"),
        );
    };
    let mut entries = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = entries.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let at = err.path().unwrap_or(dir).to_path_buf();
                unreadable(&at, "cannot be read (a dangling symlink?)", diagnostics);
                continue;
            }
        };
        let name = reach.name(entry.path());
        // A repository's folder inside the sources (a vendored checkout):
        // its credentials would be copied into the site.
        if entry.file_type().is_dir() && entry.file_name() == ".git" {
            let real = entry
                .path()
                .canonicalize()
                .unwrap_or_else(|_| entry.path().into());
            diagnostics.push(outside_source(tree, &name, reach, &Refusal::Git(real)));
            entries.skip_current_dir();
            continue;
        }
        if entry.path_is_symlink() {
            let Ok(real) = entry.path().canonicalize() else {
                unreadable(
                    entry.path(),
                    "cannot be read (a dangling symlink?)",
                    diagnostics,
                );
                continue;
            };
            if let Some(refusal) = reach.refuse(&real) {
                diagnostics.push(outside_source(tree, &name, reach, &refusal));
                continue;
            }
            if real.is_dir() {
                // A link to a folder that holds it, or that the walk came
                // through, would be walked for ever.
                let parent = entry.path().parent().and_then(|p| p.canonicalize().ok());
                if chain
                    .iter()
                    .chain(&parent)
                    .any(|folder| folder.starts_with(&real))
                {
                    unreadable(entry.path(), "is a symlink loop", diagnostics);
                } else {
                    chain.push(real);
                    walk(tree, entry.path(), chain, reach, diagnostics);
                    chain.pop();
                }
                continue;
            }
        }
        if entry.file_type().is_dir() {
            continue;
        }
        let Ok(meta) = std::fs::metadata(entry.path()) else {
            continue;
        };
        if meta.is_dir() {
            continue;
        }
        if !meta.is_file() {
            diagnostics.push(outside_source(
                tree,
                &name,
                reach,
                &Refusal::NotAFile(kind_of(&meta)),
            ));
        } else if meta.len() > MAX_FILE_BYTES {
            diagnostics.push(outside_source(
                tree,
                &name,
                reach,
                &Refusal::TooLarge(meta.len()),
            ));
        }
    }
}

/// Every chapter `SUMMARY.md` lists, judged before mdBook's loader reads it:
/// an absolute path makes that loader panic, and a path that leads outside
/// (`../../etc/passwd`, a link) would be published as a chapter.
/// Returns whether a chapter it lists may not be read (reported where the
/// cause is: the link or folder that leads away, by [`check_sources`]).
pub(crate) fn check_summary(
    book_root: &BookRoot,
    reach: &Reach,
    diagnostics: &mut Diagnostics,
) -> bool {
    let src = book_root.root.join(&book_root.config.book.src);
    let name = reach.name(&src.join("SUMMARY.md"));
    let summary = src.join("SUMMARY.md");
    let Verdict::Readable(_) = reach.judge(&summary) else {
        return false;
    };
    // Read once for the loader too; the bytes only when they are not UTF-8.
    let text = match book_root.text(&summary) {
        Ok(text) => text,
        Err(_) => {
            let Ok(bytes) = read_regular(reach, &summary) else {
                return false;
            };
            diagnostics.extend(not_utf8(&name, &bytes, "the table of contents"));
            std::sync::Arc::from(String::from_utf8_lossy(&bytes))
        }
    };
    let create_missing = book_root.config.build.create_missing;
    let mut read = std::collections::HashSet::new();
    let mut refused = false;
    let page = crate::model::page::extract(&text, &Default::default());
    let map = TextMap::new(&name, &text);
    for link in &page.links {
        let dest = link.dest.split('#').next().unwrap_or_default();
        if dest.is_empty() || dest.contains("://") || dest.starts_with("mailto:") {
            continue;
        }
        let at = map.locate(link.range.clone());
        // mdBook's loader decodes `%20` and the like before it opens the file.
        let decoded = percent_encoding::percent_decode_str(dest).decode_utf8_lossy();
        let path = Path::new(decoded.as_ref());
        if path.is_absolute() {
            diagnostics.push(
                Diagnostic::raise(
                    REACH_SUMMARY_ABSOLUTE,
                    at,
                    format!(
                        "`{dest}` is an absolute path; chapters are files under the book's sources"
                    ),
                )
                .with_hint("write the chapter's path relative to the folder of SUMMARY.md"),
            );
            continue;
        }
        // A path that stays under the sources textually but leads out through
        // a symlink is reported once, at the link, by `check_sources`.
        if crate::model::paths::stays_inside(path) {
            let chapter = src.join(path);
            // Judged before it is read: a chapter linked into `.git` or out
            // of the repository is reported by `check_sources`, never opened,
            // and mdBook's loader is not started on it.
            let verdict = read.insert(chapter.clone()).then(|| reach.judge(&chapter));
            refused |= matches!(verdict, Some(Verdict::Refused(_)));
            if let Some(Verdict::Readable(_)) = verdict {
                match book_root.text(&chapter) {
                    Err(Unreadable::NotUtf8 { .. }) => {
                        if let Ok(bytes) = read_regular(reach, &chapter) {
                            let name = reach.name(&chapter);
                            diagnostics.extend(not_utf8(&name, &bytes, "the chapter"));
                        }
                    }
                    Ok(text) => {
                        diagnostics.extend(over_markdown_budget(&reach.name(&chapter), &text));
                    }
                    Err(_) => {}
                }
            }
            if create_missing && let Some(over) = made_over(&src, path, reach) {
                diagnostics.push(
                    Diagnostic::raise(
                        REACH_CREATE_OVERWRITES,
                        at.clone(),
                        format!(
                            "`{dest}` does not exist as written, and `create-missing` would have mdBook make its folders and write the chapter's title over `{over}`"
                        ),
                    )
                    .with_hint("write the chapter's path without `..`, or set `create-missing = false` under `[build]`"),
                );
            } else if create_missing && let Some(made) = made_outside(&src, path, reach) {
                diagnostics.push(
                    Diagnostic::raise(
                        crate::model::reach::REACH_WRITES_OUTSIDE,
                        at,
                        format!(
                            "`{dest}` does not exist, and `create-missing` would have mdBook create it at `{made}`, outside the book's sources"
                        ),
                    )
                    .with_hint("create the chapter under the sources yourself, or set `create-missing = false` under `[build]`"),
                );
            }
            continue;
        }
        if let Verdict::Refused(refusal) = reach.judge(&src.join(path)) {
            diagnostics.push(
                Diagnostic::raise(
                    refusal.code(crate::model::reach::REACH_OUTSIDE_SOURCE),
                    at,
                    format!("the chapter `{dest}` {}", reach.explain(&refusal)),
                )
                .with_hint("chapters must be regular files inside the repository"),
            );
        } else {
            // The file may be inside the repository (through a symlink, or
            // beside `src/`), but mdBook writes its page at the same path
            // under the site, and `..` climbs out of the site.
            diagnostics.push(
                Diagnostic::raise(
                    crate::model::reach::REACH_WRITES_OUTSIDE,
                    at,
                    format!(
                        "`{dest}` climbs out of the book's sources, so mdBook would write its page outside the site"
                    ),
                )
                .with_hint("move the chapter under the sources (a symlink there to it is fine)"),
            );
        }
    }
    refused
}

/// The most resources CloudFormation accepts in one template; each costs
/// the template checks far more than its bytes.
pub(crate) const MAX_TEMPLATE_RESOURCES: usize = 500;
/// The largest template CloudFormation accepts (from S3): 1 MB.
pub(crate) const MAX_TEMPLATE_BYTES: usize = 1 << 20;
/// The largest policy file checked: IAM's largest policy is 10,240
/// characters, and a policy's checks cost far more than its bytes.
pub(crate) const MAX_POLICY_BYTES: usize = 128 << 10;

/// A chapter (or the text includes made of it) over a Markdown budget
/// ([`crate::model::markdown::over_budget`]), at the byte that goes over.
pub(crate) fn over_markdown_budget(name: &str, text: &str) -> Option<Diagnostic> {
    let over = crate::model::markdown::over_budget_kept("source", name, text)?;
    let at = over.at();
    Some(
        Diagnostic::raise(
            crate::model::reach::REACH_OVER_BUDGET,
            Location::in_text(name, text, at..at + 1),
            format!("{}; the chapter is not checked", over.what()),
        )
        .with_hint(format!(
            "a chapter may hold at most {} (the Markdown parser's cost grows faster than the text with them): split the chapter, or put the text in a fenced code block",
            over.limit()
        )),
    )
}

/// The templates and policies over their budgets, judged before any check
/// parses them: each is reported at the byte or resource that goes over,
/// and stops the run (their checks' time and memory grow with them).
pub(crate) fn check_budgets(book_root: &BookRoot, reach: &Reach, diagnostics: &mut Diagnostics) {
    for (folder, limit) in [
        ("templates", MAX_TEMPLATE_BYTES),
        ("policies", MAX_POLICY_BYTES),
    ] {
        let dir = book_root.root.join(folder);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut files: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        for file in files {
            let Verdict::Readable(real) = reach.judge(&file) else {
                continue;
            };
            let Ok(len) = std::fs::metadata(&real).map(|m| m.len() as usize) else {
                continue;
            };
            let name = reach.name(&file);
            let what = if folder == "templates" {
                "template"
            } else {
                "policy"
            };
            if len > limit {
                let Ok(text) = book_root.text(&file) else {
                    continue;
                };
                let mut at = limit.min(text.len());
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                diagnostics.push(
                    Diagnostic::raise(
                        crate::model::reach::REACH_OVER_BUDGET,
                        Location::in_text(&name, &text, at..at + 1),
                        format!("the {what} is {len} bytes, over the {limit}-byte budget for a {what}; it is not checked"),
                    )
                    .with_hint(format!("a {what} may be at most {limit} bytes ({})", if folder == "templates" {
                        "CloudFormation refuses a larger template"
                    } else {
                        "IAM's largest policy is 10,240 characters"
                    })),
                );
            } else if folder == "templates"
                && let Ok(text) = book_root.text(&file)
            {
                diagnostics.extend(over_resource_budget(&name, &text));
            }
        }
    }
}

/// A template with more than [`MAX_TEMPLATE_RESOURCES`] resources, at the
/// first resource over.
fn over_resource_budget(name: &str, text: &str) -> Option<Diagnostic> {
    let value: serde_json::Value = serde_json::from_str(text).ok()?;
    let resources = value.get("Resources")?.as_object()?;
    let over = resources.keys().nth(MAX_TEMPLATE_RESOURCES)?;
    let index = crate::model::json::Index::new(text);
    let pointer = format!("/Resources/{}", crate::model::json::escape(over));
    Some(
        Diagnostic::raise(
            crate::model::reach::REACH_OVER_BUDGET,
            Location::in_text(name, text, index.key_range(&pointer)),
            format!(
                "the template has {} resources, over CloudFormation's limit of {MAX_TEMPLATE_RESOURCES}; it is not checked",
                resources.len()
            ),
        )
        .with_hint(format!(
            "a template may hold at most {MAX_TEMPLATE_RESOURCES} resources: split it into nested stacks"
        )),
    )
}

/// A file mdBook's loader reads as UTF-8 that is not, reported where its
/// first invalid byte is (mdBook would stop with no location).
fn not_utf8(name: &str, bytes: &[u8], what: &str) -> Option<Diagnostic> {
    let err = std::str::from_utf8(bytes).err()?;
    let (line, column) = utf8_error_at(bytes, &err);
    let text = String::from_utf8_lossy(bytes);
    Some(
        Diagnostic::raise(
            REACH_UNREADABLE_SOURCE,
            Location::at_line_col(name, &text, line, column),
            format!(
                "cannot read {what}: it is not UTF-8: the first invalid byte is on line {line}, column {column}"
            ),
        )
        .with_hint("save the file as UTF-8 (the byte shows as `\u{fffd}` on the line above)"),
    )
}

/// Where mdBook's loader would create a missing chapter (`create_dir_all`
/// on its folder, then the file), when that is not inside the sources: a
/// symlinked folder on the way (`src/policies -> ../policies`) or a dangling
/// link, which the loader would follow, both lead the new file elsewhere.
/// Where `create-missing` would write a missing chapter when that place
/// already holds a file: a path through a folder that does not exist and
/// back out (`new/../SUMMARY.md`) is missing as written, yet lands on one.
fn made_over(src: &Path, path: &Path, reach: &Reach) -> Option<String> {
    let full = src.join(path);
    if full.exists() || std::fs::symlink_metadata(&full).is_ok() {
        return None;
    }
    let real = resolve_place(&full);
    real.exists().then(|| reach.name(&real))
}

fn made_outside(src: &Path, path: &Path, reach: &Reach) -> Option<String> {
    let full = src.join(path);
    if reach.judge(&full) != Verdict::Missing {
        return None;
    }
    if std::fs::symlink_metadata(&full).is_ok() {
        let target = std::fs::read_link(&full).unwrap_or_default();
        return Some(target.display().to_string());
    }
    let real = resolve_place(&full);
    let real_src = src.canonicalize().ok()?;
    (!real.starts_with(&real_src)).then(|| real.display().to_string())
}

fn outside_source(tree: &Tree, name: &str, reach: &Reach, refusal: &Refusal) -> Diagnostic {
    Diagnostic::raise(
        refusal.code(crate::model::reach::REACH_OUTSIDE_SOURCE),
        Location::file(name),
        format!(
            "`{name}` {}; mdBook would {}",
            reach.explain(refusal),
            tree.fate
        ),
    )
    .with_hint(match refusal {
        Refusal::Outside(_) => {
            "copy the file into the repository instead of linking to it; links that stay inside (such as `src/policies -> ../policies`) are fine"
        }
        _ => "remove it from the book's sources",
    })
}
