//! The link checker: every link, image, anchor and include, reported at its
//! Markdown source line. It runs on the book as readers get it (after every
//! other preprocessor, so links that directives produce are checked too) and
//! resolves each link against the site mdBook will write, once per run
//! ([`Links`]); each problem code is a rule of its own that reports what
//! the resolution gave for it.

pub(crate) mod bad_setting;
pub(crate) mod bad_url;
pub(crate) mod draft_chapter;
pub(crate) mod empty_link;
pub mod expand;
pub(crate) mod external;
pub(crate) mod index_copy;
pub(crate) mod missing_anchor;
pub(crate) mod missing_file;
pub(crate) mod not_in_site;
pub(crate) mod not_in_summary;
pub(crate) mod outside_book;
pub(crate) mod readme_link;
pub(crate) mod site_urls;
pub(crate) mod targets;
pub(crate) mod undefined_reference;
pub(crate) mod unreachable;

// Where the overlay's tests name it.
#[cfg(test)]
pub(crate) use missing_file::LINKS_MISSING_FILE;

use crate::checks::rule::{Model, Shared};
use crate::diagnostics::location::TextMap;
use crate::diagnostics::{Code, Diagnostic, Diagnostics, Fix};
use crate::model::book_root::{BookRoot, slashed};
use crate::model::by_root::ByRoot;
use crate::model::chapters::{BookModel, ChapterModel};
use crate::model::config::SHARED_TABLE;
use crate::model::config::Validate;
use crate::model::page::{self, Page, UndefinedReference};
use crate::model::paths::join;
use std::path::Path;
use std::sync::Arc;
use targets::{From, Problem, Site, Verdict};

/// The cache of good external answers, under the book root (git-ignored).
pub(crate) const CACHE_FILE: &str = ".cache/responder-docs/links.json";

/// A link that does not plainly lead to a page or file of the site, and
/// where it leads instead.
#[derive(Clone)]
pub(crate) struct Target {
    pub link: page::Link,
    /// Never [`Verdict::Fine`].
    pub verdict: Verdict,
}

/// The links of one text of the book, resolved.
#[derive(Default)]
pub(crate) struct Resolved {
    /// Its links in order, less those that lead where they should and
    /// those `link-ignore` skips.
    pub targets: Vec<Target>,
    /// The first chapter's links that work from its folder, each with where
    /// it leads from `index.html`, mdBook's copy at the top of the site
    /// (only those that are broken there).
    pub top: Vec<Target>,
    pub undefined: Vec<UndefinedReference>,
}

/// Every link of the book resolved against the site, once per run: the
/// chapters' and those of SUMMARY.md and the 404 page, which are not
/// chapters but whose links readers follow too.
pub(crate) struct Links {
    pub settings: Validate,
    /// The `link-ignore` patterns that are regular expressions.
    pub ignore: Vec<regex::Regex>,
    /// Those that are not: their index, the pattern and why.
    pub bad_patterns: Vec<(usize, String, String)>,
    /// By chapter index.
    chapters: Vec<Arc<Resolved>>,
    /// SUMMARY.md and the 404 page: the path, the text as written and its
    /// links, by path.
    raw: Vec<(String, String, Resolved)>,
}

/// Where a text's problems are placed: in a chapter's processed content
/// (then in its source), or in a file as written.
pub(crate) enum In<'a> {
    Chapter(&'a ChapterModel<'a>),
    Raw(TextMap<'a>),
}

impl In<'_> {
    fn text(&self) -> &str {
        match self {
            In::Chapter(chapter) => chapter.content(),
            In::Raw(map) => map.text(),
        }
    }

    /// `problem` (at a range of the text) located. With `dest`, the link's
    /// destination, its fixes (at ranges of `dest`) move to the one place
    /// the link writes that part of `dest` (preceded by `#`, and not
    /// followed by more of an id); fixes that cannot be placed so are
    /// dropped.
    pub(crate) fn place(&self, mut problem: Problem, dest: Option<&str>) -> Diagnostic {
        let text = self.text();
        let fixes = dest.and_then(|dest| {
            let link = text.get(problem.range.clone())?;
            problem
                .fixes()
                .iter()
                .map(|fix| {
                    let old = dest.get(fix.range.clone())?;
                    let written = format!("#{old}");
                    let mut found = link.match_indices(&written).filter(|(i, _)| {
                        let after = link[i + written.len()..].chars().next();
                        !after.is_some_and(|c| c.is_alphanumeric() || c == '-' || c == '_')
                    });
                    let (at, _) = found.next()?;
                    if found.next().is_some() {
                        return None;
                    }
                    let start = problem.range.start + at + 1;
                    Some(Fix {
                        range: start..start + old.len(),
                        replacement: fix.replacement.clone(),
                    })
                })
                .collect::<Option<Vec<_>>>()
        });
        problem.set_fixes(fixes.unwrap_or_default());
        match self {
            In::Chapter(chapter) => chapter.origin().diagnostic(problem),
            In::Raw(map) => problem.locate_in_text(map),
        }
    }
}

impl Links {
    /// Each text with its links: the chapters in order, then the other
    /// files by path.
    pub(crate) fn each(
        &self,
        chapters: &[ChapterModel<'_>],
        mut f: impl FnMut(&In<'_>, &Resolved),
    ) {
        for (chapter, resolved) in chapters.iter().zip(&self.chapters) {
            f(&In::Chapter(chapter), resolved);
        }
        for (path, text, resolved) in &self.raw {
            f(&In::Raw(TextMap::new(path, text)), resolved);
        }
    }
}

/// Reports each link whose target resolution gave `code`, its problem
/// made final by `adjust`. A missing anchor's hint and fix are worked out
/// only when `out` will show it: a file with thousands of broken anchors
/// pays for the hundred it prints, not for every one.
pub(crate) fn report_targets(
    model: &Model<'_, '_>,
    out: &mut Diagnostics,
    code: Code,
    adjust: impl Fn(&Target, Problem) -> Problem,
) -> anyhow::Result<()> {
    let links = model.shared::<Links>();
    links.each(model.chapters.chapters.as_slice(), |at, resolved| {
        for target in &resolved.targets {
            let (problem, help) = match &target.verdict {
                Verdict::Broken(problem) if problem.code == code => (problem, None),
                Verdict::MissingAnchor(problem, help) if problem.code == code => {
                    (problem, Some(help))
                }
                _ => continue,
            };
            let link = &target.link;
            let problem = adjust(target, problem.clone().at(link.range.clone()));
            let placed = at.place(problem.clone(), Some(&link.dest));
            let diagnostic = match help {
                Some(help) if out.shows(&placed.location.path, placed.code) => {
                    at.place(help.apply(problem), Some(&link.dest))
                }
                _ => placed,
            };
            out.push(diagnostic);
        }
    });
    Ok(())
}

impl Shared for Links {
    fn build(model: &Model<'_, '_>) -> Self {
        build(model.root, model.chapters)
    }
}

fn build(book_root: &BookRoot, model: &BookModel<'_>) -> Links {
    let settings: Validate = crate::model::config::read(&book_root.config, SHARED_TABLE);
    let (ignore, bad_patterns) = ignore_patterns(&settings);
    let markdown = &model.markdown;
    let chapters = &model.chapters;
    let site_chapters: Vec<targets::Chapter> = chapters
        .iter()
        .map(|ch| targets::Chapter {
            path: ch.path.clone(),
            source_path: ch.chapter.source_path.as_deref().map(slashed),
            ids: ch.page.ids.clone(),
        })
        .collect();
    let site = Site::new(book_root, site_chapters.clone(), model.drafts.clone());

    let (keeping, last) = (KEPT.kept(), KEPT.take(&book_root.root));
    let reuse = last
        .as_ref()
        .map(|last| reusable(last, book_root, model, &site_chapters))
        .unwrap_or_default();
    let per_chapter = crate::model::parallel::map(chapters, |i, ch| {
        if let Some(Some(checked)) = reuse.get(i) {
            return Arc::clone(&checked.resolved);
        }
        let dir = ch.path.rsplit_once('/').map_or("", |(d, _)| d);
        let from = From {
            dir,
            page: Some(i),
            summary: false,
        };
        let mut resolved = resolve(&site, &ignore, from, &ch.page, false);
        if i == 0 && !dir.is_empty() {
            resolved.top = index_copy(&site, from, &ch.page);
        }
        Arc::new(resolved)
    });
    if keeping {
        let rechecked = (!reuse.is_empty()).then(|| {
            reuse
                .iter()
                .enumerate()
                .filter(|(_, r)| r.is_none())
                .map(|(i, _)| i)
                .collect()
        });
        let checked = chapters
            .iter()
            .zip(&per_chapter)
            .map(|(ch, resolved)| Checked {
                content: ch.content().into(),
                resolved: Arc::clone(resolved),
            })
            .collect();
        let last = Last {
            config: book_root.config.clone(),
            site: site_chapters,
            drafts: model.drafts.clone(),
            chapters: checked,
            rechecked,
        };
        KEPT.put(&book_root.root, last);
    }

    let mut raw = Vec::new();
    let src = book_root.src_dir();
    let summary = join(&src, "SUMMARY.md");
    let not_found = book_root
        .config
        .html_config()
        .unwrap_or_default()
        .input_404
        .unwrap_or_else(|| "404.md".into());
    for (file, is_summary) in [(summary, true), (join(&src, &not_found), false)] {
        if not_found.is_empty() && !is_summary {
            continue;
        }
        let Ok(text) = book_root.read(&file) else {
            continue;
        };
        let page = page::extract(&text, markdown);
        let from = From {
            dir: "",
            page: None,
            summary: is_summary,
        };
        let resolved = resolve(&site, &ignore, from, &page, is_summary);
        raw.push((file, text, resolved));
    }
    raw.sort_by(|a, b| a.0.cmp(&b.0));
    Links {
        settings,
        ignore,
        bad_patterns,
        chapters: per_chapter,
        raw,
    }
}

/// Under `serve`, each book's links as last resolved, by root (`None`: not kept).
static KEPT: ByRoot<Last> = ByRoot::new();

/// How the last check resolved a book's links and what it checked against.
struct Last {
    config: mdbook_preprocessor::config::Config,
    site: Vec<targets::Chapter>,
    drafts: Vec<String>,
    chapters: Vec<Checked>,
    /// The chapters checked again (the others' links were kept), or
    /// `None` when every chapter was checked.
    rechecked: Option<Vec<usize>>,
}

/// One chapter's processed content and its links resolved.
struct Checked {
    content: Box<str>,
    resolved: Arc<Resolved>,
}

/// Keeps each chapter's resolved links from one check to the next (for
/// `serve`): a chapter is checked again only when its content changed or
/// it links to an anchor of another page and some page's ids changed.
pub fn keep_findings() {
    KEPT.keep();
}

/// The chapters (by index) the last check of the book at `root` checked
/// again, `None` when it checked them all or none was kept.
pub fn last_rechecked(root: &Path) -> Option<Vec<usize>> {
    KEPT.read(root, |last| last.rechecked.clone()).flatten()
}

/// For each chapter, its links as `last` resolved them when that still holds, or
/// `None` to check it again; empty (check everything) unless the files
/// edited since are known and are all chapters, and the configuration,
/// the chapters' names and files and the drafts are as they were. A link's
/// verdict depends on its page (content), the site's pages and ids, the
/// files on disk and the settings: with the edits all chapter sources,
/// only the pages' ids can have changed beside the content, and only a
/// link to an anchor of another page reads them.
fn reusable<'l>(
    last: &'l Last,
    book_root: &BookRoot,
    model: &BookModel<'_>,
    site: &[targets::Chapter],
) -> Vec<Option<&'l Checked>> {
    let same_pages = last.site.len() == site.len()
        && last.chapters.len() == model.chapters.len()
        && last
            .site
            .iter()
            .zip(site)
            .all(|(a, b)| a.path == b.path && a.source_path == b.source_path);
    if !same_pages
        || last.drafts != model.drafts
        || last.config != book_root.config
        || !model.only_chapters_edited(book_root)
    {
        return Vec::new();
    }
    let ids_changed = last.site.iter().zip(site).any(|(a, b)| a.ids != b.ids);
    model
        .chapters
        .iter()
        .zip(&last.chapters)
        .map(|(ch, checked)| {
            let reads_ids = ids_changed
                && ch.page.links.iter().any(|link| {
                    link.dest
                        .split_once('#')
                        .is_some_and(|(path, _)| !path.is_empty())
                });
            (*checked.content == *ch.content() && !reads_ids).then_some(checked)
        })
        .collect()
}

/// The verdict on every link of `page`, written on `from`, less the links
/// the `link-ignore` patterns skip.
fn resolve(
    site: &Site<'_>,
    ignore: &[regex::Regex],
    from: From<'_>,
    page: &Page,
    is_summary: bool,
) -> Resolved {
    let mut targets = Vec::new();
    for link in &page.links {
        // `[Draft]()` is how SUMMARY.md declares a draft chapter.
        if is_summary && link.dest.trim().is_empty() {
            continue;
        }
        // External links are matched when they are fetched (`--online`).
        let external = link.dest.contains("://") || link.dest.starts_with("//");
        if !external && ignore.iter().any(|re| re.is_match(&link.dest)) {
            continue;
        }
        match site.check(from, &link.dest) {
            Verdict::Fine => {}
            verdict => targets.push(Target {
                link: link.clone(),
                verdict,
            }),
        }
    }
    Resolved {
        targets,
        top: Vec::new(),
        undefined: page.undefined.clone(),
    }
}

/// mdBook also writes the first chapter as `index.html` at the top of the
/// site, the page most readers land on; a relative link that works from the
/// chapter's own folder may lead nowhere from there.
fn index_copy(site: &Site<'_>, from: From<'_>, page: &Page) -> Vec<Target> {
    let top = From { dir: "", ..from };
    let mut broken = Vec::new();
    for link in &page.links {
        if site.check(from, &link.dest) != Verdict::Fine {
            continue;
        }
        // A browser stops `..` at the top of the site.
        let mut at_top = link.dest.as_str();
        while let Some(rest) = at_top.strip_prefix("../") {
            at_top = rest;
        }
        let verdict = site.check(top, at_top);
        if matches!(verdict, Verdict::Broken(_) | Verdict::MissingAnchor(..)) {
            broken.push(Target {
                link: link.clone(),
                verdict,
            });
        }
    }
    broken
}

/// The `link-ignore` patterns: links they match, local or external, are not
/// checked (sibling books published next to this one, hosts that refuse
/// robots). Those that are not regular expressions are set apart, with why.
#[allow(clippy::type_complexity)]
fn ignore_patterns(settings: &Validate) -> (Vec<regex::Regex>, Vec<(usize, String, String)>) {
    let mut ignore = Vec::new();
    let mut bad = Vec::new();
    for (i, pattern) in settings.link_ignore.iter().enumerate() {
        match regex::Regex::new(pattern) {
            Ok(re) => ignore.push(re),
            Err(err) => bad.push((i, pattern.clone(), err.to_string())),
        }
    }
    (ignore, bad)
}
