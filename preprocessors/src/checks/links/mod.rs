//! The link checker: every link, image, anchor and include, reported at its
//! Markdown source line. It runs on the book as readers get it (after every
//! other preprocessor, so links that directives produce are checked too) and
//! resolves each link against the site mdBook will write.

crate::diagnostics::codes::declare! {
    LINKS_BAD_SETTING = "links::bad-setting", error: "a `link-ignore` pattern that is not a valid regular expression";
    LINKS_BAD_URL = "links::bad-url", error: "an `http(s)` URL that does not parse";
    LINKS_EMPTY_LINK = "links::empty-link", warning: "a link with no destination, such as a `[later]()` placeholder (a warning: it leads back to its own page)";
    LINKS_INDEX_COPY = "links::index-copy", warning: "a link on the first chapter that breaks on its `index.html` copy";
    LINKS_MISSING_FILE = "links::missing-file", error: "a link or image to a file that does not exist";
    LINKS_UNDEFINED_REFERENCE = "links::undefined-reference", error: "a reference link with no definition";
    LINKS_UNREACHABLE = "links::unreachable", either: "(with `--online`) an external link that does not answer";
}

pub mod expand;
pub(crate) mod external;
pub(crate) mod site_urls;
pub(crate) mod targets;

use crate::diagnostics::location::{Location, TextMap};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::book_root::{BookRoot, slashed};
use crate::model::by_root::ByRoot;
use crate::model::chapters::{BookModel, ChapterModel};
use crate::model::config::SHARED_TABLE;
use crate::model::config::{BookToml, Step, Validate};
use crate::model::page::{self, LinkKind, Page};
use crate::model::paths::join;
use anyhow::Result;
use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;
use std::time::Duration;
use targets::{AnchorHelp, From, Problem, Site, Verdict, broken};

/// The cache of good external answers, under the book root (git-ignored).
pub(crate) const CACHE_FILE: &str = ".cache/responder-docs/links.json";

/// Which text a finding's byte range refers to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum FileKey {
    /// A chapter's processed content (index among the chapters).
    Chapter(usize),
    /// A file as it is on disk, relative to the book root.
    Raw(String),
}

/// A problem at a byte range of one text of the book.
#[derive(Clone)]
struct Finding {
    file: FileKey,
    problem: Problem,
    /// The link's destination, when the problem's fix is placed in it
    /// (see [`Finding::link`]).
    dest: Option<String>,
    /// The hint and fix still to work out, only if the problem is shown.
    help: Option<AnchorHelp>,
}

impl Finding {
    fn new(file: FileKey, range: Range<usize>, problem: Problem) -> Self {
        Finding {
            file,
            problem: problem.at(range),
            dest: None,
            help: None,
        }
    }

    /// A problem with a link whose fix (if any) is at a range of `dest`.
    fn link(file: FileKey, link: &page::Link, problem: Problem) -> Self {
        Finding {
            dest: Some(link.dest.clone()),
            ..Self::new(file, link.range.clone(), problem)
        }
    }

    /// The problem with its fixes moved from `dest` to where the link is
    /// written in `text`: the one place the link writes that part of
    /// `dest` (preceded by `#`, and not followed by more of an id).
    /// Fixes that cannot be placed so are dropped.
    fn placed(&self, text: &str) -> Problem {
        let mut problem = self.problem.clone();
        let fixes = self.dest.as_deref().and_then(|dest| {
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
                    Some(crate::diagnostics::Fix {
                        range: start..start + old.len(),
                        replacement: fix.replacement.clone(),
                    })
                })
                .collect::<Option<Vec<_>>>()
        });
        problem.set_fixes(fixes.unwrap_or_default());
        problem
    }

    /// An external link's problem: a doubtful answer (a time-out, 403,
    /// 5xx) is a warning although the code is declared an error.
    fn unreachable(file: FileKey, range: Range<usize>, problem: Problem, doubtful: bool) -> Self {
        let mut finding = Self::new(file, range, problem);
        if doubtful {
            finding.problem.severity = crate::diagnostics::Severity::Warning;
        }
        finding
    }
}

/// Checks the book as readers get it (after every other preprocessor).
pub(crate) fn check(
    book_root: &BookRoot,
    model: &BookModel<'_>,
    diagnostics: &mut Diagnostics,
) -> Result<()> {
    let settings: Validate = crate::model::config::read(&book_root.config, SHARED_TABLE);
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

    let ignore = ignore_patterns(book_root, &settings, diagnostics);
    let mut findings = Vec::new();
    let mut externals: Vec<(String, FileKey, Range<usize>)> = Vec::new();
    let (keeping, last) = (KEPT.kept(), KEPT.take(&book_root.root));
    let reuse = last
        .as_ref()
        .map(|last| reusable(last, book_root, model, &site_chapters))
        .unwrap_or_default();
    let per_chapter = crate::model::parallel::map(chapters, |i, ch| {
        if let Some(Some(checked)) = reuse.get(i) {
            return (checked.found.clone(), checked.ext.clone());
        }
        let dir = ch.path.rsplit_once('/').map_or("", |(d, _)| d);
        let from = From {
            dir,
            page: Some(i),
            summary: false,
        };
        let mut found = Vec::new();
        let mut ext = Vec::new();
        links_of(
            Rules {
                site: &site,
                ignore: &ignore,
            },
            from,
            &ch.page,
            FileKey::Chapter(i),
            false,
            &mut found,
            &mut ext,
        );
        if i == 0 && !dir.is_empty() {
            index_copy(&site, from, &ch.page, &mut found);
        }
        (found, ext)
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
            .map(|(ch, (found, ext))| Checked {
                content: ch.content().into(),
                found: found.clone(),
                ext: ext.clone(),
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
    for (found, ext) in per_chapter {
        findings.extend(found);
        externals.extend(ext);
    }

    // SUMMARY.md and the 404 page are not chapters, but readers follow their links too.
    let mut raw_texts: HashMap<String, String> = HashMap::new();
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
        links_of(
            Rules {
                site: &site,
                ignore: &ignore,
            },
            from,
            &page,
            FileKey::Raw(file.clone()),
            is_summary,
            &mut findings,
            &mut externals,
        );
        raw_texts.insert(file, text);
    }

    site_urls::check(book_root, diagnostics);
    check_externals(book_root, &settings, &ignore, &externals, &mut findings);
    report(book_root, chapters, &raw_texts, findings, diagnostics);
    Ok(())
}

/// Under `serve`, each book's last link findings, by root (`None`: not kept).
static KEPT: ByRoot<Last> = ByRoot::new();

/// What the last check of a book's links found and what it checked against.
struct Last {
    config: mdbook_preprocessor::config::Config,
    site: Vec<targets::Chapter>,
    drafts: Vec<String>,
    chapters: Vec<Checked>,
    /// The chapters checked again (the others' findings were kept), or
    /// `None` when every chapter was checked.
    rechecked: Option<Vec<usize>>,
}

/// One chapter's processed content and the findings of its links.
struct Checked {
    content: Box<str>,
    found: Vec<Finding>,
    ext: Vec<(String, FileKey, Range<usize>)>,
}

/// Keeps each chapter's link findings from one check to the next (for
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

/// For each chapter, its findings from `last` when they still hold, or
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

/// The verdict on every link of one page.
/// What a local link is checked against: the site mdBook will write, less
/// the `link-ignore` patterns.
#[derive(Clone, Copy)]
struct Rules<'a> {
    site: &'a Site<'a>,
    ignore: &'a [regex::Regex],
}

fn links_of(
    Rules { site, ignore }: Rules<'_>,
    from: From<'_>,
    page: &Page,
    file: FileKey,
    is_summary: bool,
    found: &mut Vec<Finding>,
    externals: &mut Vec<(String, FileKey, Range<usize>)>,
) {
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
            Verdict::External(url) => match external::syntax(&url) {
                Ok(()) => externals.push((url, file.clone(), link.range.clone())),
                Err(why) => found.push(Finding::new(
                    file.clone(),
                    link.range.clone(),
                    broken(
                        LINKS_BAD_URL,
                        format!("`{}` is not a valid URL: it {why}", link.dest),
                        None,
                    ),
                )),
            },
            Verdict::MissingAnchor(problem, help) => found.push(Finding {
                help: Some(help),
                ..Finding::link(file.clone(), link, problem)
            }),
            Verdict::Broken(mut problem) => {
                if link.kind == LinkKind::Image && problem.code == LINKS_MISSING_FILE {
                    problem.message = format!("image {}", problem.message);
                }
                found.push(Finding::link(file.clone(), link, problem));
            }
        }
    }
    for undefined in &page.undefined {
        found.push(Finding::new(
            file.clone(),
            undefined.range.clone(),
            broken(
                LINKS_UNDEFINED_REFERENCE,
                format!("the reference `[{}]` has no definition", undefined.label),
                Some(format!(
                    "add a line `[{}]: <target>` to this page, or fix the label",
                    undefined.label
                )),
            ),
        ));
    }
}

/// mdBook also writes the first chapter as `index.html` at the top of the
/// site, the page most readers land on; a relative link that works from the
/// chapter's own folder may lead nowhere from there.
fn index_copy(site: &Site<'_>, from: From<'_>, page: &Page, found: &mut Vec<Finding>) {
    let top = From { dir: "", ..from };
    for link in &page.links {
        if site.check(from, &link.dest) != Verdict::Fine {
            continue;
        }
        // A browser stops `..` at the top of the site.
        let mut at_top = link.dest.as_str();
        while let Some(rest) = at_top.strip_prefix("../") {
            at_top = rest;
        }
        if let Verdict::Broken(problem) | Verdict::MissingAnchor(problem, _) =
            site.check(top, at_top)
        {
            found.push(Finding::new(
                FileKey::Chapter(0),
                link.range.clone(),
                broken(
                    LINKS_INDEX_COPY,
                    format!(
                        "`{}` is broken on `index.html`, mdBook's copy of this first chapter at the top of the site ({})",
                        link.dest, problem.message
                    ),
                    Some(
                        "move the first chapter to the top of src/, or write the link so it works from both folders"
                            .into(),
                    ),
                ),
            ));
        }
    }
}

/// The `link-ignore` patterns: links they match, local or external, are not
/// checked (sibling books published next to this one, hosts that refuse robots).
/// The `i`th `link-ignore` pattern as written in book.toml; the key or its
/// table when the environment set it.
fn pattern_location(book_root: &BookRoot, i: usize) -> Location {
    let text = book_root
        .read(crate::model::config::BOOK_TOML)
        .unwrap_or_default();
    let book = BookToml::new(&text);
    let key = Step::Key("link-ignore".into());
    book.value_location(SHARED_TABLE, &[key.clone(), Step::Index(i)])
        .unwrap_or_else(|| book.key_location(SHARED_TABLE, &[key]))
}

fn ignore_patterns(
    book_root: &BookRoot,
    settings: &Validate,
    diagnostics: &mut Diagnostics,
) -> Vec<regex::Regex> {
    let mut ignore = Vec::new();
    for (i, pattern) in settings.link_ignore.iter().enumerate() {
        match regex::Regex::new(pattern) {
            Ok(re) => ignore.push(re),
            Err(err) => diagnostics.push(
                Diagnostic::raise(
                    LINKS_BAD_SETTING,
                    pattern_location(book_root, i),
                    format!("`link-ignore` pattern `{pattern}` is not a regular expression: {err}"),
                )
                .with_hint(
                    "patterns use the syntax of the `regex` crate; escape `.` and `?` with `\\`",
                ),
            ),
        }
    }
    ignore
}

fn check_externals(
    book_root: &BookRoot,
    settings: &Validate,
    ignore: &[regex::Regex],
    externals: &[(String, FileKey, Range<usize>)],
    findings: &mut Vec<Finding>,
) {
    if !settings.online || externals.is_empty() {
        return;
    }
    let urls: Vec<String> = externals
        .iter()
        .map(|(url, _, _)| url.clone())
        .filter(|url| !ignore.iter().any(|re| re.is_match(url)))
        .collect();
    let defaults = external::Options::default();
    let options = external::Options {
        concurrency: settings.link_concurrency.unwrap_or(defaults.concurrency),
        per_host: settings.link_per_host.unwrap_or(defaults.per_host),
        timeout: settings
            .link_timeout_seconds
            .map_or(defaults.timeout, Duration::from_secs),
        retries: settings.link_retries.unwrap_or(defaults.retries),
        max_age: settings
            .link_cache_max_age_hours
            .map_or(defaults.max_age, |h| Duration::from_secs(h * 3600)),
        cache_file: Some(book_root.root.join(CACHE_FILE)),
        env_proxy: true,
    };
    let answers = external::reachability(&urls, &options);
    for (url, file, range) in externals {
        let (why, doubtful) = match answers.get(url) {
            Some(external::Answer::Broken(why)) => (why, false),
            Some(external::Answer::Doubtful(why)) => (why, true),
            _ => continue,
        };
        findings.push(Finding::unreachable(
            file.clone(),
            range.clone(),
            broken(
                LINKS_UNREACHABLE,
                format!("`{url}` {why}"),
                Some(
                    "fix or remove the link, or add a pattern for it to `link-ignore` in [preprocessor.validate]"
                        .into(),
                ),
            ),
            doubtful,
        ));
    }
}

/// Places every finding at its source line and hands it to `diagnostics`.
fn report(
    book_root: &BookRoot,
    chapters: &[ChapterModel<'_>],
    raw_texts: &HashMap<String, String>,
    mut findings: Vec<Finding>,
    diagnostics: &mut Diagnostics,
) {
    findings.sort_by(|a, b| a.file.cmp(&b.file));
    let mut i = 0;
    while i < findings.len() {
        let key = findings[i].file.clone();
        let end = findings[i..]
            .iter()
            .position(|f| f.file != key)
            .map_or(findings.len(), |n| i + n);
        let group = &findings[i..end];
        match &key {
            FileKey::Chapter(index) => {
                let chapter = &chapters[*index];
                let origin = chapter.origin();
                for f in group {
                    let place = |f: &Finding| origin.diagnostic(f.placed(chapter.content()));
                    diagnostics.push(helped(f, place, diagnostics));
                }
            }
            FileKey::Raw(path) => {
                let text = raw_texts
                    .get(path)
                    .cloned()
                    .or_else(|| book_root.read(path).ok())
                    .unwrap_or_default();
                let map = TextMap::new(path, &text);
                for f in group {
                    let place = |f: &Finding| f.placed(&text).locate_in_text(&map);
                    diagnostics.push(helped(f, place, diagnostics));
                }
            }
        }
        i = end;
    }
}

/// The finding placed by `place`, with its hint and fix worked out only
/// when `diagnostics` will show it: a file with thousands of broken
/// anchors pays for the hundred it prints, not for every one.
fn helped(
    f: &Finding,
    place: impl Fn(&Finding) -> Diagnostic,
    diagnostics: &Diagnostics,
) -> Diagnostic {
    let placed = place(f);
    match &f.help {
        Some(help) if diagnostics.shows(&placed.location.path, placed.code) => place(&Finding {
            problem: help.apply(f.problem.clone()),
            help: None,
            ..f.clone()
        }),
        _ => placed,
    }
}
