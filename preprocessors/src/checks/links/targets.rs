//! Where a link leads once the site is built: a chapter (and an id on it),
//! a file copied from `src/`, a page mdBook generates, an external URL — or
//! nowhere, and why.

use crate::diagnostics::Code;
use crate::model::book_root::{BookRoot, Refused};
use crate::model::page::heading_ids::id_from_content;
use crate::model::paths::join;
pub(crate) use crate::model::paths::normalize;
use percent_encoding::percent_decode_str;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::Arc;

pub(crate) use crate::diagnostics::Problem;

pub(crate) use super::draft_chapter::LINKS_DRAFT_CHAPTER;
pub(crate) use super::empty_link::LINKS_EMPTY_LINK;
pub(crate) use super::missing_anchor::LINKS_MISSING_ANCHOR;
pub(crate) use super::missing_file::LINKS_MISSING_FILE;
pub(crate) use super::not_in_site::LINKS_NOT_IN_SITE;
pub(crate) use super::not_in_summary::LINKS_NOT_IN_SUMMARY;
pub(crate) use super::outside_book::LINKS_OUTSIDE_BOOK;
pub(crate) use super::readme_link::LINKS_README_LINK;

/// A problem with one link, before it is placed: the caller knows where
/// the link is and sets the range.
pub(crate) fn broken(code: Code, message: String, hint: impl Into<Option<String>>) -> Problem {
    let problem = Problem::raise(code, 0..0, message);
    match hint.into() {
        Some(hint) => problem.with_hint(hint),
        None => problem,
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Verdict {
    Fine,
    /// An `http(s)` URL, checked elsewhere.
    External(String),
    Broken(Problem),
    /// A fragment no id on its page has: the problem without its hint and
    /// fix, which cost a comparison with every id of the page and are
    /// worked out ([`AnchorHelp::apply`]) only for the problems shown.
    MissingAnchor(Problem, AnchorHelp),
}

impl Verdict {
    /// The verdict with any help worked out now.
    #[cfg(test)]
    pub(crate) fn helped(self) -> Verdict {
        match self {
            Verdict::MissingAnchor(problem, help) => Verdict::Broken(help.apply(problem)),
            other => other,
        }
    }
}

/// What the hint and fix of a missing anchor are made from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AnchorHelp {
    ids: Arc<PageIds>,
    /// The id the link asks for, decoded.
    id: String,
    /// How the page is named in hints (`this page`, `guide/roles.md`).
    label: String,
    /// Whether a fix may replace the fragment as written (the id is
    /// written as itself, at the end of the destination).
    fixable: bool,
    /// The fragment's place in the destination, for the fix.
    at: Range<usize>,
}

impl AnchorHelp {
    /// `problem` with the closest ids as its hint and, when one id alone is
    /// close, a fix that writes it.
    pub(crate) fn apply(&self, problem: Problem) -> Problem {
        let ids = &self.ids;
        let near = likely_ids(&self.id, &ids.ordered);
        let hint = match crate::diagnostics::suggest::offer(&near, "#") {
            Some(offer) => offer,
            None if ids.ordered.is_empty() => format!("{} has no headings", self.label),
            None => {
                let mut list: Vec<String> = ids
                    .ordered
                    .iter()
                    .take(8)
                    .map(|i| format!("`#{i}`"))
                    .collect();
                if ids.ordered.len() > 8 {
                    list.push("…".into());
                }
                format!("ids on {}: {}", self.label, list.join(", "))
            }
        };
        let problem = problem.with_hint(hint);
        let only = self
            .fixable
            .then(|| {
                crate::diagnostics::suggest::only(&self.id, ids.ordered.iter().map(String::as_str))
            })
            .flatten();
        match only {
            Some(only) => problem.with_fix(self.at.clone(), only),
            None => problem,
        }
    }
}

/// A rendered page and the ids on it.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct PageIds {
    ordered: Vec<String>,
    set: HashSet<String>,
}

impl PageIds {
    pub(crate) fn new(ids: Vec<String>) -> Self {
        let set = ids.iter().cloned().collect();
        PageIds { ordered: ids, set }
    }
}

/// What the built site will contain, as far as links are concerned.
pub(crate) struct Site<'r> {
    root: &'r BookRoot,
    src: String,
    /// `dir/page.md` (relative to `src/`, after README → index) → index in `ids`.
    pages: HashMap<String, usize>,
    ids: Vec<Arc<PageIds>>,
    /// `dir/README.md` → `dir/index.md`: the file the writer knows, renamed by mdBook.
    readmes: HashMap<String, String>,
    /// A draft chapter's name under the slug a link to its future file would have.
    drafts: HashMap<String, String>,
    /// The pages of each folder, sorted, for "did you mean" (never the whole book).
    folders: HashMap<String, Vec<String>>,
    /// Pages mdBook writes besides the chapters (`print.html`, `404.html`, redirects…).
    generated: HashSet<String>,
    /// The `[output.html.redirect]` pages: a link to `old.md` whose page is
    /// only a redirect still lands.
    redirects: HashSet<String>,
    not_found_md: Option<String>,
    /// The book's policies, for the policy checker's hint on a broken `.json` link.
    policies: Vec<String>,
}

/// The page a link is written on.
#[derive(Debug, Clone, Copy)]
pub(crate) struct From<'a> {
    /// Its folder relative to `src/` (`""` at the top).
    pub dir: &'a str,
    /// Its index among the chapters, when it is one.
    pub page: Option<usize>,
    /// SUMMARY.md names chapters by the files the writer made (`README.md`).
    pub summary: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Chapter {
    /// Relative to `src/`, as rendered (`index.md` for a README).
    pub path: String,
    /// Relative to `src/`, as written (may be `README.md`).
    pub source_path: Option<String>,
    pub ids: Vec<String>,
}

impl<'r> Site<'r> {
    pub(crate) fn new(root: &'r BookRoot, chapters: Vec<Chapter>, drafts: Vec<String>) -> Self {
        let html = root.config.html_config().unwrap_or_default();
        let mut pages = HashMap::new();
        let mut ids = Vec::new();
        let mut readmes = HashMap::new();
        for (i, chapter) in chapters.into_iter().enumerate() {
            if let Some(source) = chapter.source_path
                && source != chapter.path
            {
                readmes.insert(source, chapter.path.clone());
            }
            pages.insert(chapter.path, i);
            ids.push(Arc::new(PageIds::new(chapter.ids)));
        }
        let mut generated: HashSet<String> = ["print.html", "toc.html"]
            .into_iter()
            .map(String::from)
            .collect();
        if !pages.is_empty() {
            generated.insert("index.html".into());
        }
        let not_found_md = match html.input_404.as_deref() {
            Some("") => None,
            Some(name) => Some(name.to_string()),
            None => Some("404.md".to_string()),
        };
        if let Some(md) = &not_found_md {
            generated.insert(with_extension(md, "html"));
        }
        let redirects: HashSet<String> = html
            .redirect
            .keys()
            .map(|from| from.trim_start_matches('/').to_string())
            .collect();
        generated.extend(redirects.iter().cloned());
        let mut folders: HashMap<String, Vec<String>> = HashMap::new();
        for page in pages.keys() {
            let dir = page.rsplit_once('/').map_or("", |(d, _)| d);
            folders
                .entry(dir.to_string())
                .or_default()
                .push(page.clone());
        }
        for siblings in folders.values_mut() {
            siblings.sort_unstable();
        }
        let mut by_slug = HashMap::new();
        for draft in drafts {
            by_slug.entry(id_from_content(&draft)).or_insert(draft);
        }
        Site {
            root,
            src: root.src_dir(),
            pages,
            ids,
            readmes,
            drafts: by_slug,
            folders,
            generated,
            redirects,
            not_found_md,
            policies: crate::checks::policy::known_policies(root),
        }
    }

    /// Where `dest`, written on `from`, leads.
    pub(crate) fn check(&self, from: From<'_>, dest: &str) -> Verdict {
        let dest = dest.trim();
        if dest.is_empty() {
            return Verdict::Broken(broken(
                LINKS_EMPTY_LINK,
                "link with an empty destination".into(),
                "give it a target (`page.md`, `page.md#heading`, `https://…`) or remove the brackets"
                    .to_string(),
            ));
        }
        if dest.starts_with("//") {
            return Verdict::External(format!("https:{dest}"));
        }
        if let Some(scheme) = scheme(dest) {
            return if scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https") {
                Verdict::External(dest.to_string())
            } else {
                // mailto:, tel:, data:… are not ours to check.
                Verdict::Fine
            };
        }
        let (path_part, fragment) = match dest.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (dest, None),
        };
        let path_part = path_part.split_once('?').map_or(path_part, |(p, _)| p);
        let path = percent_decode_str(path_part).decode_utf8_lossy();
        if path.is_empty() {
            return match (from.page, fragment) {
                (Some(page), Some(fragment)) => self.fragment(page, fragment, dest, "this page"),
                _ => Verdict::Fine,
            };
        }
        let joined = if let Some(abs) = path.strip_prefix('/') {
            abs.to_string()
        } else if from.dir.is_empty() {
            path.to_string()
        } else {
            [from.dir, "/", &path].concat()
        };
        let is_dir = joined.ends_with('/');
        let Some(target) = normalize(&joined) else {
            return Verdict::Broken(self.outside(dest, &joined));
        };
        if is_dir || target.is_empty() {
            let index = join(&target, "index.md");
            if let Some(&page) = self.pages.get(&index) {
                return self.fragment_opt(page, fragment, dest, &index);
            }
            return self.file(from, dest, &join(&target, "index.html"));
        }
        match extension(&target) {
            Some("md") => self.markdown(from, dest, &target, fragment),
            Some("html") => {
                let md = with_extension(&target, "md");
                if let Some(&page) = self.pages.get(&md) {
                    return self.fragment_opt(page, fragment, dest, &md);
                }
                if self.generated.contains(&target) {
                    return Verdict::Fine;
                }
                self.file(from, dest, &target)
            }
            _ => {
                // A folder without a slash is served as its index page.
                if let Some(&page) = self.pages.get(&join(&target, "index.md")) {
                    return self.fragment_opt(page, fragment, dest, &target);
                }
                self.file(from, dest, &target)
            }
        }
    }

    fn markdown(
        &self,
        from: From<'_>,
        dest: &str,
        target: &str,
        fragment: Option<&str>,
    ) -> Verdict {
        if let Some(&page) = self.pages.get(target) {
            return self.fragment_opt(page, fragment, dest, target);
        }
        if let Some(index) = self.readmes.get(target) {
            if from.summary
                && let Some(&page) = self.pages.get(index)
            {
                return self.fragment_opt(page, fragment, dest, target);
            }
            let written = dest.split('#').next().unwrap_or(dest);
            let file = written.rsplit('/').next().unwrap_or(written);
            return Verdict::Broken(broken(
                LINKS_README_LINK,
                format!(
                    "`{dest}` leads to `{}`, which does not exist: mdBook publishes `{target}` as `{}`",
                    with_extension(target, "html"),
                    with_extension(index, "html")
                ),
                format!("write `{}` instead of `{file}`", "index.md"),
            ));
        }
        if self.not_found_md.as_deref() == Some(target)
            || self.redirects.contains(&with_extension(target, "html"))
        {
            return Verdict::Fine;
        }
        let stem = target
            .rsplit('/')
            .next()
            .unwrap_or(target)
            .trim_end_matches(".md");
        let slug = id_from_content(&stem.replace('_', "-"));
        if let Some(draft) = self.drafts.get(&slug) {
            return Verdict::Broken(broken(
                LINKS_DRAFT_CHAPTER,
                format!("`{dest}` is the draft chapter “{draft}”, which is not published"),
                "give the chapter a file in src/SUMMARY.md, or remove the link until it is written"
                    .to_string(),
            ));
        }
        match self.exists(target) {
            Ok(()) => Verdict::Broken(broken(
                LINKS_NOT_IN_SUMMARY,
                format!(
                    "`{dest}` is not in SUMMARY.md, so mdBook does not render it and the link is dead"
                ),
                format!(
                    "add `{}` to src/SUMMARY.md or link to a chapter that is",
                    target
                ),
            )),
            Err(Refused::LeavesRoot) => Verdict::Broken(outside_book(dest)),
            Err(_) => Verdict::Broken(self.missing(from, dest, target)),
        }
    }

    fn file(&self, from: From<'_>, dest: &str, target: &str) -> Verdict {
        match self.exists(target) {
            Ok(()) => Verdict::Fine,
            Err(Refused::LeavesRoot) => Verdict::Broken(outside_book(dest)),
            Err(_) => Verdict::Broken(self.missing(from, dest, target)),
        }
    }

    /// Whether a file is there (the book root remembers each answer).
    fn exists(&self, target: &str) -> Result<(), Refused> {
        self.root.resolve(&join(&self.src, target)).map(|_| ())
    }

    fn missing(&self, from: From<'_>, dest: &str, target: &str) -> Problem {
        let wanted = join(&self.src, target);
        if let Some(hint) = crate::checks::policy::link_hint(&self.policies, from.dir, target) {
            return broken(LINKS_MISSING_FILE, format!("`{dest}` does not exist"), hint);
        }
        // Suggest from the same folder only: comparing with every chapter
        // of a large book costs more than the rest of the check.
        let dir = target.rsplit_once('/').map_or("", |(d, _)| d);
        let siblings = self
            .folders
            .get(dir)
            .into_iter()
            .flatten()
            .map(String::as_str);
        let hint = crate::diagnostics::suggest::closest(target, siblings)
            .map(|best| format!("no file `{wanted}`; did you mean the chapter `{best}`?"))
            .unwrap_or_else(|| format!("no file `{wanted}`"));
        broken(LINKS_MISSING_FILE, format!("`{dest}` does not exist"), hint)
    }

    /// A path that climbs above `src/`: still inside the book (but not
    /// published), or out of it altogether.
    fn outside(&self, dest: &str, joined: &str) -> Problem {
        let in_root =
            !matches!(self.src.as_str(), "" | ".") && normalize(&join(&self.src, joined)).is_some();
        if in_root {
            return broken(
                LINKS_NOT_IN_SITE,
                format!(
                    "`{dest}` is outside `{}/`, so it is not published with the site",
                    self.src
                ),
                "move the file under src/, or reach it through a folder symlinked into src/ (as src/policies → ../policies)"
                    .to_string(),
            );
        }
        outside_book(dest)
    }

    fn fragment_opt(
        &self,
        page: usize,
        fragment: Option<&str>,
        dest: &str,
        label: &str,
    ) -> Verdict {
        match fragment {
            Some(f) => self.fragment(page, f, dest, label),
            None => Verdict::Fine,
        }
    }

    fn fragment(&self, page: usize, fragment: &str, dest: &str, label: &str) -> Verdict {
        let id = percent_decode_str(fragment).decode_utf8_lossy();
        // `#` and `#top` scroll to the top; `#:~:text=` is a text fragment.
        if id.is_empty() || id == "top" || id.starts_with(":~:") {
            return Verdict::Fine;
        }
        let Some(ids) = self.ids.get(page) else {
            return Verdict::Fine;
        };
        if ids.set.contains(id.as_ref()) {
            return Verdict::Fine;
        }
        let problem = Problem::raise(
            LINKS_MISSING_ANCHOR,
            0..0,
            format!("`{dest}`: no heading or id `{id}` on {label}"),
        );
        // Written as the id itself (not percent-encoded), a fix replaces the
        // fragment's place in `dest`, which the caller moves to where the
        // link is written.
        let fixable = id == fragment && dest.ends_with(&format!("#{fragment}"));
        Verdict::MissingAnchor(
            problem,
            AnchorHelp {
                ids: ids.clone(),
                id: id.into_owned(),
                label: label.to_string(),
                fixable,
                at: dest.len() - fragment.len()..dest.len(),
            },
        )
    }
}

/// The ids of a page most like `wanted`. A fragment is also compared with
/// the start of each longer id, word for word (`#create-the-servise` with
/// `#create-the-service-in-the-console`): writers shorten headings. An id
/// as long as the fragment wins over a start as close.
fn likely_ids<'a>(wanted: &str, ids: &'a [String]) -> Vec<&'a str> {
    let words = wanted.split('-').count();
    let start = |id: &'a str| match id.match_indices('-').nth(words - 1) {
        Some((end, _)) => &id[..end],
        None => id,
    };
    let best = crate::diagnostics::suggest::tied(wanted, ids.iter().map(|id| start(id)));
    let near: Vec<&str> = ids
        .iter()
        .map(String::as_str)
        .filter(|id| best.contains(&start(id)))
        .collect();
    let whole: Vec<&str> = near
        .iter()
        .copied()
        .filter(|id| best.contains(id))
        .collect();
    let mut near = if whole.is_empty() { near } else { whole };
    near.sort_unstable();
    near.dedup();
    near
}

fn outside_book(dest: &str) -> Problem {
    broken(
        LINKS_OUTSIDE_BOOK,
        format!("`{dest}` leads outside the book"),
        "a link may only reach files inside the book; copy the file under src/".to_string(),
    )
}

/// `https` in `https://…` (RFC 3986 scheme, as mdBook's own test for links).
fn scheme(dest: &str) -> Option<&str> {
    let (scheme, _) = dest.split_once(':')?;
    let mut chars = scheme.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-')))
    .then_some(scheme)
}

fn extension(path: &str) -> Option<&str> {
    let file = path.rsplit('/').next()?;
    file.rsplit_once('.').map(|(_, ext)| ext)
}

fn with_extension(path: &str, ext: &str) -> String {
    let file_start = path.rfind('/').map_or(0, |i| i + 1);
    match path[file_start..].rfind('.') {
        Some(dot) => format!("{}.{ext}", &path[..file_start + dot]),
        None => format!("{path}.{ext}"),
    }
}

#[cfg(test)]
mod tests;
