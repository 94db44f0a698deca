//! The include guard: runs on the book mdBook's `links` preprocessor is about
//! to expand (after our own directives, so an include inside a procedure's
//! steps is seen too), resolves every `{{#include}}`, `{{#rustdoc_include}}`
//! and `{{#playground}}` exactly as `links` will (relative to the chapter's
//! folder under `src/`, absolute paths as absolute, through symlinks, into
//! the included files up to mdBook's depth), and escapes each one that would
//! read outside the repository (see [`crate::reach`]), so `links` never
//! opens it. Each refusal is reported at the line the writer typed.

use super::includes::{DIRECTIVE, MAX_DEPTH, Selection, anchored, line_span, selection};
use crate::book_root::BookRoot;
use crate::diagnostics::{Diagnostic, Diagnostics, codes};
use crate::location::Location;
use crate::origin::Origin;
use crate::reach::{Reach, Refusal, Verdict};
use mdbook_preprocessor::book::{Book, BookItem};
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

/// One include directive as mdBook's `links` reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Include<'a> {
    pub range: Range<usize>,
    pub text: &'a str,
    pub path: &'a str,
    /// What follows the path's first `:` (`include`, `rustdoc_include` only).
    pub selector: Option<&'a str>,
    /// `rustdoc_include` and `playground` bring in the whole file.
    pub whole_file: bool,
}

/// Every include-like directive in `text`, found with mdBook's own pattern
/// (escaped ones, `\{{#…}}`, are not directives).
pub fn includes(text: &str) -> Vec<Include<'_>> {
    let mut found = Vec::new();
    for cap in DIRECTIVE.captures_iter(text) {
        let (Some(kind), Some(args)) = (cap.get(1), cap.get(2)) else {
            continue;
        };
        let Some(arg) = args.as_str().split_whitespace().next() else {
            continue;
        };
        let whole = cap.get(0).expect("a match");
        let (path, selector, whole_file) = match kind.as_str() {
            "include" | "rustdoc_include" => {
                let (path, selector) = match arg.split_once(':') {
                    Some((p, s)) => (p, Some(s)),
                    None => (arg, None),
                };
                (path, selector, kind.as_str() == "rustdoc_include")
            }
            "playground" | "playpen" => (arg, None, true),
            _ => continue,
        };
        found.push(Include {
            range: whole.range(),
            text: whole.as_str(),
            path,
            selector,
            whole_file,
        });
    }
    found
}

/// Why one directive is refused: the innermost directive on the way to
/// the file (in an included file when the chain goes through one).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Refused {
    /// The included file holding the refused directive; `None` when it is
    /// the directive in the chapter itself.
    file: Option<(PathBuf, String)>,
    range: Range<usize>,
    directive: String,
    path: String,
    refusal: Refusal,
}

/// Resolves directives and the files they bring in, remembering each file's
/// verdict so a file included many times is read once per depth.
struct Resolver<'a> {
    reach: &'a Reach,
    memo: HashMap<(PathBuf, Option<String>, bool, usize), Option<Refused>>,
}

impl Resolver<'_> {
    /// Each directive of `text` (in folder `base`) that would read something
    /// refused, directly or through the files it brings in: its range in
    /// `text`, its own text, and the innermost refusal.
    fn refusals<'t>(
        &mut self,
        text: &'t str,
        base: &Path,
        depth: usize,
    ) -> Vec<(Range<usize>, &'t str, Refused)> {
        let mut refused = Vec::new();
        for include in includes(text) {
            if let Some(r) = self.judge(&include, base, depth) {
                refused.push((include.range.clone(), include.text, r));
            }
        }
        refused
    }

    fn judge(&mut self, include: &Include<'_>, base: &Path, depth: usize) -> Option<Refused> {
        let target = base.join(include.path);
        let key = (
            target.clone(),
            include.selector.map(str::to_string),
            include.whole_file,
            depth,
        );
        if let Some(known) = self.memo.get(&key) {
            return known.clone().map(|inner| self.wrap(include, inner));
        }
        let inner = self.judge_uncached(include, &target, depth);
        self.memo.insert(key, inner.clone());
        inner.map(|inner| self.wrap(include, inner))
    }

    /// A refusal found at `include` itself keeps its own place; one found
    /// deeper keeps the deeper place.
    fn wrap(&self, include: &Include<'_>, inner: Refused) -> Refused {
        if inner.file.is_none() && inner.directive.is_empty() {
            Refused {
                range: include.range.clone(),
                directive: include.text.to_string(),
                path: include.path.to_string(),
                ..inner
            }
        } else {
            inner
        }
    }

    fn judge_uncached(
        &mut self,
        include: &Include<'_>,
        target: &Path,
        depth: usize,
    ) -> Option<Refused> {
        let real = match self.reach.judge(target) {
            Verdict::Missing => return None,
            Verdict::Refused(refusal) => {
                return Some(Refused {
                    file: None,
                    range: 0..0,
                    directive: String::new(),
                    path: String::new(),
                    refusal,
                });
            }
            Verdict::Readable(real) => real,
        };
        // mdBook expands what it includes only this deep.
        if depth >= MAX_DEPTH {
            return None;
        }
        let text = std::fs::read_to_string(real).ok()?;
        let part = if include.whole_file {
            0..text.len()
        } else {
            match include.selector.map(selection) {
                Some(Selection::Anchor(anchor)) => anchored(&text, anchor)?,
                Some(Selection::Lines(lines)) => line_span(&text, lines),
                None => 0..text.len(),
            }
        };
        let folder = target.parent().unwrap_or(Path::new("/")).to_path_buf();
        let nested = self.refusals(&text[part.clone()], &folder, depth + 1);
        let (_, _, mut first) = nested.into_iter().next()?;
        if first.file.is_none() {
            first.range = first.range.start + part.start..first.range.end + part.start;
            first.file = Some((target.to_path_buf(), text));
        }
        Some(first)
    }
}

/// Escapes every include in the book that would read outside the allowed
/// folder, and reports each at the line the writer typed.
pub fn guard(book_root: &BookRoot, book: &mut Book, diagnostics: &mut Diagnostics) {
    let reach = book_root.reach();
    let src = book_root.root.join(&book_root.config.book.src);
    let mut resolver = Resolver {
        reach,
        memo: HashMap::new(),
    };
    let mut reported = HashSet::new();
    book.for_each_mut(|item| {
        let BookItem::Chapter(chapter) = item else {
            return;
        };
        let Some(path) = chapter.path.clone() else {
            return;
        };
        let base = src.join(path.parent().unwrap_or(Path::new("")));
        let refused = resolver.refusals(&chapter.content, &base, 0);
        if refused.is_empty() {
            return;
        }
        let file = book_root.chapter_path(chapter.source_path.as_deref().unwrap_or(&path));
        let source = book_root.read(&file).unwrap_or_default();
        let origin = Origin::new(&file, &source, &chapter.content);
        for (range, directive, r) in &refused {
            let here = locate_expanded(book_root, &origin, range.clone(), directive);
            let diagnostic = report(reach, r, here);
            if reported.insert(diagnostic.short()) {
                diagnostics.push(diagnostic);
            }
        }
        let starts: Vec<usize> = refused.iter().map(|(range, _, _)| range.start).collect();
        chapter.content = escape(&chapter.content, starts.into_iter());
    });
}

/// A chapter whose own file leads outside (a `SUMMARY.md` entry that is a
/// symlink to `/etc/passwd`) is emptied, so nothing of it reaches the site;
/// [`crate::reach::check_sources`] reports the link.
pub fn empty_outside_chapters(book_root: &BookRoot, book: &mut Book) {
    let reach = book_root.reach();
    let src = book_root.root.join(&book_root.config.book.src);
    book.for_each_mut(|item| {
        if let BookItem::Chapter(chapter) = item
            && let Some(source) = &chapter.source_path
            && matches!(reach.judge(&src.join(source)), Verdict::Refused(_))
        {
            chapter.content.clear();
        }
    });
}

/// Where the writer typed a refused directive: in the chapter, in an included
/// file, or in the procedure or template a directive of ours expanded.
fn locate_expanded(
    book_root: &BookRoot,
    origin: &Origin<'_>,
    range: Range<usize>,
    directive: &str,
) -> Location {
    let at = origin.locate(range);
    if at.line_text.contains(directive) {
        return at;
    }
    for folder in expansion_folders(book_root) {
        let Ok(entries) = std::fs::read_dir(book_root.root.join(&folder)) else {
            continue;
        };
        let mut names: Vec<_> = entries
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        for name in names {
            let rel = format!("{folder}/{name}");
            let Ok(text) = book_root.read(&rel) else {
                continue;
            };
            if let Some(i) = text.find(directive) {
                return Location::in_text(&rel, &text, i..i + directive.len());
            }
        }
    }
    at
}

/// The folders our directives copy text from into chapters.
fn expansion_folders(book_root: &BookRoot) -> [String; 2] {
    let src = book_root.src_dir();
    let procedures = if src.is_empty() || src == "." {
        "procedures".to_string()
    } else {
        format!("{src}/procedures")
    };
    [procedures, "templates".to_string()]
}

fn report(reach: &Reach, r: &Refused, chapter_at: Location) -> Diagnostic {
    let code = match r.refusal {
        Refusal::Outside(_) => codes::REACH_INCLUDE_OUTSIDE,
        Refusal::NotAFile(_) => codes::REACH_NOT_A_FILE,
        Refusal::TooLarge(_) => codes::REACH_TOO_LARGE,
    };
    let at = match &r.file {
        Some((file, text)) => Location::in_text(&reach.name(file), text, r.range.clone()),
        None => chapter_at.clone(),
    };
    let message = format!(
        "`{}` reads `{}`, which {}",
        r.directive,
        r.path,
        reach.explain(&r.refusal)
    );
    let hint = match r.refusal {
        Refusal::Outside(_) => format!(
            "includes may read only files inside {}; the directive is left unexpanded",
            reach.label()
        ),
        _ => "include a regular file of the repository; the directive is left unexpanded".into(),
    };
    let diagnostic = Diagnostic::error(code, at.clone(), message).with_hint(hint);
    if at == chapter_at {
        diagnostic
    } else {
        diagnostic.with_related(chapter_at, "the chapter brings it in here")
    }
}

/// `text` with a `\` before each directive starting at `starts`: mdBook's
/// `links` then prints the directive literally instead of reading its file.
fn escape(text: &str, starts: impl Iterator<Item = usize>) -> String {
    let mut starts: Vec<usize> = starts.collect();
    starts.sort_unstable();
    let mut out = String::with_capacity(text.len() + starts.len());
    let mut last = 0;
    for start in starts {
        out.push_str(&text[last..start]);
        out.push('\\');
        last = start;
    }
    out.push_str(&text[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::book_root::temp_book;
    use mdbook_preprocessor::book::Chapter;

    fn chapter_book(path: &str, content: &str) -> Book {
        let mut book = Book::new();
        book.push_item(Chapter::new("C", content.to_string(), path, Vec::new()));
        book
    }

    fn content(book: &Book) -> String {
        match book.iter().next() {
            Some(BookItem::Chapter(ch)) => ch.content.clone(),
            _ => panic!("a chapter"),
        }
    }

    #[test]
    fn finds_includes_as_mdbook_does() {
        // An escaped directive runs to the last `}}` of its line, as in mdBook.
        let text = "{{#include a.md:2:3}} \\{{#include b.md}} {{#include hidden.md}}\n{{ #rustdoc_include c.rs:x }} {{#playground d.rs editable}} {{#title T}}";
        let found: Vec<_> = includes(text)
            .into_iter()
            .map(|i| (i.path, i.selector, i.whole_file))
            .collect();
        assert_eq!(
            found,
            [
                ("a.md", Some("2:3"), false),
                ("c.rs", Some("x"), true),
                ("d.rs", None, true)
            ]
        );
    }

    #[test]
    fn escaping_keeps_everything_else() {
        assert_eq!(
            escape("a {{#x}} b {{#y}}", [2, 11].into_iter()),
            "a \\{{#x}} b \\{{#y}}"
        );
    }

    #[test]
    fn an_absolute_include_is_refused_even_with_a_decoy_under_src() {
        let (dir, root) = temp_book(&[(".git/HEAD", ""), ("src/etc/passwd", "decoy")]);
        let mut book = chapter_book("ch.md", "# C\n\n```\n{{#include /etc/passwd}}\n```\n");
        std::fs::write(dir.path().join("src/ch.md"), content(&book)).unwrap();
        let mut found = Diagnostics::new();
        guard(&root, &mut book, &mut found);
        let shorts: Vec<_> = found.iter().map(|d| d.short()).collect();
        assert_eq!(
            shorts,
            [format!(
                "src/ch.md:4:1: error[reach::include-outside]: `{{{{#include /etc/passwd}}}}` reads `/etc/passwd`, which resolves to `/etc/passwd`, outside the repository (`{}`)",
                dir.path().canonicalize().unwrap().display()
            )]
        );
        assert_eq!(
            content(&book),
            "# C\n\n```\n\\{{#include /etc/passwd}}\n```\n"
        );
    }

    #[test]
    fn includes_inside_the_repository_stay_even_above_the_book() {
        let (dir, _) = temp_book(&[
            ("repo/.git/HEAD", ""),
            ("repo/examples/a.rs", "fn main() {}\n"),
            ("repo/guide/book.toml", ""),
        ]);
        let root = BookRoot::new(dir.path().join("repo/guide"), Default::default());
        let text = "{{#include ../../examples/a.rs}}\n";
        let mut book = chapter_book("ch.md", text);
        let mut found = Diagnostics::new();
        guard(&root, &mut book, &mut found);
        assert!(found.is_empty(), "{found:?}");
        assert_eq!(content(&book), text);
    }

    #[test]
    fn a_nested_include_is_refused_at_its_own_line_and_the_chapter_is_escaped() {
        let (dir, root) = temp_book(&[
            (".git/HEAD", ""),
            (
                "src/parts/a.md",
                "intro\n<!-- ANCHOR: x -->\n{{#include ../../../../../../../../etc/hostname}}\n<!-- ANCHOR_END: x -->\n{{#include /etc/passwd}}\n",
            ),
        ]);
        let text = "{{#include parts/a.md:x}}\n";
        std::fs::write(dir.path().join("src/ch.md"), text).unwrap();
        let mut book = chapter_book("ch.md", text);
        let mut found = Diagnostics::new();
        guard(&root, &mut book, &mut found);
        let found: Vec<_> = found.iter().cloned().collect();
        assert_eq!(found.len(), 1, "only the anchored part counts: {found:?}");
        assert_eq!(found[0].location.short(), "src/parts/a.md:3:1");
        assert_eq!(found[0].related[0].location.short(), "src/ch.md:1:1");
        assert_eq!(content(&book), "\\{{#include parts/a.md:x}}\n");
    }

    #[cfg(unix)]
    #[test]
    fn dot_dot_through_a_symlinked_folder_is_judged_where_it_lands() {
        let (dir, _) = temp_book(&[
            ("secret.txt", "outside"),
            ("repo/.git/HEAD", ""),
            ("repo/secret.txt", "decoy"),
            ("repo/policies/a.json", "{}"),
            ("repo/book/src/ch.md", ""),
        ]);
        let repo = dir.path().join("repo");
        std::os::unix::fs::symlink("../../policies", repo.join("book/src/policies")).unwrap();
        let root = BookRoot::new(repo.join("book"), Default::default());
        // The text says `book/secret.txt`; the system says `repo/../secret.txt`.
        let text = "{{#include policies/../../secret.txt}}\n{{#include policies/a.json}}\n";
        let mut book = chapter_book("ch.md", text);
        let mut found = Diagnostics::new();
        guard(&root, &mut book, &mut found);
        assert_eq!(
            found.iter().map(|d| d.code.as_str()).collect::<Vec<_>>(),
            ["reach::include-outside"]
        );
        assert_eq!(
            content(&book),
            "\\{{#include policies/../../secret.txt}}\n{{#include policies/a.json}}\n"
        );
    }
}
