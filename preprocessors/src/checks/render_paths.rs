//! The paths mdBook's HTML renderer reads and writes, named in book.toml's
//! `[output.html]` and `[build]`, judged before it runs. mdBook joins them
//! to the book root, `src/` or the site without looking (`input-404 =
//! "../book.toml"` writes the 404 page over book.toml), so each is resolved
//! as the operating system will (symlinks followed; a path not made yet
//! through its nearest existing folder) and must read from inside the
//! repository (or `include-root`, see `reach.rs`) and write inside the site.

use crate::checks::sources::Tree;
use crate::diagnostics::Diagnostic;
use crate::diagnostics::location::Location;
use crate::model::book_root::BookRoot;
use crate::model::config::{BOOK_TOML, BookToml, Step};
use crate::model::paths::stays_inside;
use crate::model::reach::{Reach, Verdict};
use std::path::Path;

crate::diagnostics::codes::declare! {
    LINKS_BAD_REDIRECT = "links::bad-redirect", error: "an `[output.html.redirect]` target that is neither a relative address nor an http(s) one";
    REACH_SETTING_OUTSIDE = "reach::setting-outside", error: "a path in book.toml's `[output.html]` or `[build]` (`input-404`, `additional-css`, `additional-js`, `theme`, `build-dir`, `extra-watch-dirs`) that resolves outside the repository";
}

/// Every refused path of `[output.html]` and `[build]`, located in book.toml.
pub(crate) fn check(book_root: &BookRoot) -> Vec<Diagnostic> {
    // Under stock mdBook, which read it anyway: nothing in it can be trusted.
    if let Some(refused) = crate::model::reach::check_book_toml(&book_root.root) {
        return vec![refused];
    }
    let text = book_toml(book_root);
    let toml = BookToml::new(&text);
    let reach = book_root.reach();
    let html = book_root.config.html_config().unwrap_or_default();
    let mut found = Vec::new();
    let at = |path: &[&str]| Setting::new(&toml, path);

    if let Some(input) = html.input_404.as_deref().filter(|i| !i.is_empty()) {
        found.extend(input_404(book_root, reach, input, &at(&["input-404"])));
    }
    for (key, entries) in [
        ("additional-css", &html.additional_css),
        ("additional-js", &html.additional_js),
    ] {
        for (i, entry) in entries.iter().enumerate() {
            let entry = entry.to_string_lossy();
            let setting = at(&[key]).item(i);
            found.extend(additional(book_root, reach, key, &entry, &setting));
        }
    }
    found.extend(theme(
        book_root,
        reach,
        html.theme.as_deref(),
        &at(&["theme"]),
    ));
    let mut redirects: Vec<_> = html.redirect.iter().collect();
    redirects.sort();
    for (from, to) in redirects {
        found.extend(redirect(from, to, &at(&["redirect", from.as_str()])));
    }
    found.extend(build_dir(book_root));
    for (i, dir) in book_root.config.build.extra_watch_dirs.iter().enumerate() {
        let setting = at(&["extra-watch-dirs"]).under("build").item(i);
        if let Err(refusal) = reach.judge_place(&book_root.root.join(dir)) {
            found.push(
                Diagnostic::raise(
                    REACH_SETTING_OUTSIDE,
                    setting.value(),
                    format!(
                        "the `extra-watch-dirs` entry `{}` {}; `serve` would watch it",
                        dir.display(),
                        reach.explain(&refusal)
                    ),
                )
                .with_hint("watch folders inside the repository"),
            );
        }
    }
    found
}

/// `[build] build-dir` as book.toml writes it, when it leads outside the
/// repository. A `--dest-dir` (which stock mdBook writes into the same
/// setting) or an environment variable is the person's own choice, so only
/// the value in the file is judged.
pub(crate) fn build_dir(book_root: &BookRoot) -> Option<Diagnostic> {
    if let Some(refused) = crate::model::reach::check_book_toml(&book_root.root) {
        return Some(refused);
    }
    let text = book_toml(book_root);
    let written: toml::Table = toml::from_str(&text).ok()?;
    let dir = written.get("build")?.get("build-dir")?.as_str()?;
    let reach = book_root.reach();
    let refusal = reach.judge_place(&book_root.root.join(dir)).err()?;
    let toml = BookToml::new(&text);
    Some(
        Diagnostic::raise(
            REACH_SETTING_OUTSIDE,
            Setting::new(&toml, &["build-dir"]).under("build").value(),
            format!(
                "`build-dir` is `{dir}`, which {}; the build would write the site there",
                reach.explain(&refusal)
            ),
        )
        .with_hint(
            "keep the site inside the repository (the default is `book`), or name another folder with `--dest-dir`",
        ),
    )
}

/// book.toml's text, once [`crate::model::reach::check_book_toml`] accepted it: a
/// link to a file elsewhere in the repository is read where it leads.
fn book_toml(book_root: &BookRoot) -> String {
    book_root
        .text(&book_root.root.join(BOOK_TOML))
        .map(|text| text.to_string())
        .unwrap_or_default()
}

/// `input-404`, read from `src/` and written, `.md` made `.html`, into the site.
fn input_404(
    book_root: &BookRoot,
    reach: &Reach,
    input: &str,
    setting: &Setting,
) -> Option<Diagnostic> {
    let src = match book_root.src_dir() {
        src if src.is_empty() => "the book's root".to_string(),
        src => format!("`{src}/`"),
    };
    let hint = "name a Markdown file under the book's sources, such as `404.md`";
    if leaves(input) {
        return Some(
            Diagnostic::raise(
                crate::model::reach::REACH_WRITES_OUTSIDE,
                setting.value(),
                format!(
                    "`input-404` is `{input}`, which is not under {src}: mdBook would write the 404 page to `{}`, outside the site",
                    page_404(input)
                ),
            )
            .with_hint(hint),
        );
    }
    let path = book_root.root.join(&book_root.config.book.src).join(input);
    let what = format!("`input-404` (`{}`)", reach.name(&path));
    refused_read(reach, &path, &what, setting, hint)
}

/// An `additional-css` or `additional-js` entry: read from the book root,
/// written at the same path under the site.
fn additional(
    book_root: &BookRoot,
    reach: &Reach,
    key: &str,
    entry: &str,
    setting: &Setting,
) -> Option<Diagnostic> {
    if leaves(entry) {
        let why = if is_absolute(entry) {
            "an absolute path"
        } else {
            "a path that climbs out"
        };
        return Some(
            Diagnostic::raise(
                crate::model::reach::REACH_WRITES_OUTSIDE,
                setting.value(),
                format!(
                    "the `{key}` entry `{entry}` is {why}: mdBook copies each entry to the same path under the site, so this one would be written outside it"
                ),
            )
            .with_hint("give a path inside the book, relative to book.toml, such as `theme/custom.css`"),
        );
    }
    refused_read(
        reach,
        &book_root.root.join(entry),
        &format!("the `{key}` entry `{entry}`"),
        setting,
        "keep the file in the repository; a link to it is fine if it stays inside",
    )
}

/// A file the renderer reads and publishes (`what` names it), refused when
/// it resolves outside the repository or is no regular file of a sane size.
fn refused_read(
    reach: &Reach,
    path: &Path,
    what: &str,
    setting: &Setting,
    hint: &str,
) -> Option<Diagnostic> {
    let Verdict::Refused(refusal) = reach.judge(path) else {
        return None;
    };
    Some(
        Diagnostic::raise(
            refusal.code(REACH_SETTING_OUTSIDE),
            setting.value(),
            format!(
                "{what} {}; mdBook would publish it",
                reach.explain(&refusal)
            ),
        )
        .with_hint(hint),
    )
}

/// The theme folder (book.toml's `theme`, else `theme/`) and every file in
/// it: mdBook reads its templates into every page and copies its fonts.
fn theme(
    book_root: &BookRoot,
    reach: &Reach,
    configured: Option<&Path>,
    setting: &Setting,
) -> Vec<Diagnostic> {
    let dir = book_root
        .root
        .join(configured.unwrap_or(Path::new("theme")));
    let src = book_root.root.join(&book_root.config.book.src);
    let mut found = crate::diagnostics::Diagnostics::new();
    match (configured, reach.judge_place(&dir)) {
        (Some(theme), Err(refusal)) => {
            found.push(
                Diagnostic::raise(
                    REACH_SETTING_OUTSIDE,
                    setting.value(),
                    format!(
                        "`theme` is `{}`, which {}; mdBook would publish its files in every page",
                        theme.display(),
                        reach.explain(&refusal)
                    ),
                )
                .with_hint("keep the theme in the repository"),
            );
        }
        // The sources' own check judges a theme inside them: where it really
        // is, not how it is written (`src/../elsewhere` is not inside).
        _ if really_inside(&dir, &src) => {}
        _ => crate::checks::sources::check_tree(
            &Tree::THEME,
            &dir,
            &reach.name(&dir),
            reach,
            &mut found,
        ),
    }
    found.into_sorted()
}

/// Whether `path` lies in `folder` once both are resolved as the system
/// will; a path that cannot be resolved is not.
fn really_inside(path: &Path, folder: &Path) -> bool {
    match (std::fs::canonicalize(path), std::fs::canonicalize(folder)) {
        (Ok(path), Ok(folder)) => path.starts_with(folder),
        _ => false,
    }
}

/// A redirect: its page is written at the key (without its `#fragment` and
/// leading slashes) under the site, and sends readers to its target.
fn redirect(from: &str, to: &str, setting: &Setting) -> Option<Diagnostic> {
    let page = redirect_page(from);
    if !stays_inside(Path::new(page)) {
        return Some(
            Diagnostic::raise(
                crate::model::reach::REACH_WRITES_OUTSIDE,
                setting.key(),
                format!(
                    "the redirect `{from}` climbs out of the site: mdBook would write its page to `{page}` from the site's folder"
                ),
            )
            .with_hint("name the old page by its path in the site, such as `/old/page.html`"),
        );
    }
    let why = refused_target(to)?;
    Some(
        Diagnostic::raise(
            LINKS_BAD_REDIRECT,
            setting.value(),
            format!("the redirect `{from}` leads to `{to}`: {why}"),
        )
        .with_hint("give a path relative to the old page, or an https:// address"),
    )
}

/// Where mdBook writes a redirect's page, relative to the site.
fn redirect_page(from: &str) -> &str {
    from.rsplit_once('#')
        .map_or(from, |(page, _)| page)
        .trim_start_matches('/')
}

/// Why a redirect target may not be one, if it may not: it must be a
/// relative address or an http(s) URL (a browser follows `javascript:` too).
pub(crate) fn refused_target(target: &str) -> Option<String> {
    if target.chars().any(char::is_control) {
        // Browsers drop tabs and newlines, which can make a scheme of the rest.
        return Some("it holds a control character".into());
    }
    if let Some(c) = target.chars().find(|c| matches!(c, '<' | '>' | '"')) {
        // The page embeds targets in its script, unescaped.
        return Some(format!(
            "it holds `{c}`, which a URL writes percent-encoded"
        ));
    }
    match crate::model::paths::scheme(target).as_deref() {
        None | Some("http" | "https") => None,
        Some(scheme) => Some(format!(
            "the `{scheme}:` scheme is refused; only relative addresses, http and https are"
        )),
    }
}

/// Where mdBook writes the 404 page, relative to the site: `input-404` with
/// each `.md` made `.html` (`HtmlConfig::get_404_output_file`).
fn page_404(input: &str) -> String {
    input.replace(".md", ".html")
}

/// Whether a path, joined to a folder, lands outside it: absolute, or
/// climbing above it with `..`.
fn leaves(path: &str) -> bool {
    is_absolute(path) || !stays_inside(Path::new(path))
}

fn is_absolute(path: &str) -> bool {
    Path::new(path).is_absolute() || path.starts_with('/') || path.starts_with('\\')
}

/// Where a setting is written in book.toml: `[output.html]` unless told.
struct Setting<'b, 't> {
    toml: &'b BookToml<'t>,
    path: Vec<Step>,
}

impl<'b, 't> Setting<'b, 't> {
    fn new(toml: &'b BookToml<'t>, keys: &[&str]) -> Self {
        let path = ["output", "html"]
            .iter()
            .chain(keys)
            .map(|k| Step::Key(k.to_string()))
            .collect();
        Setting { toml, path }
    }

    /// The same keys under `[TABLE]` instead of `[output.html]`.
    fn under(mut self, table: &str) -> Self {
        self.path.splice(..2, [Step::Key(table.to_string())]);
        self
    }

    fn item(mut self, i: usize) -> Self {
        self.path.push(Step::Index(i));
        self
    }

    /// The value as written, else its key, else its table's header (a value
    /// from an environment variable), else the file.
    fn value(&self) -> Location {
        self.toml
            .value_location_at(&self.path)
            .unwrap_or_else(|| self.key())
    }

    /// The key (for an item, its list's), else its table's header.
    fn key(&self) -> Location {
        let keys: Vec<Step> = self
            .path
            .iter()
            .take_while(|s| matches!(s, Step::Key(_)))
            .cloned()
            .collect();
        self.toml
            .key_location_at(&keys)
            .unwrap_or_else(|| self.toml.header_location(self.header()))
    }

    fn header(&self) -> &str {
        match self.path.first() {
            Some(Step::Key(table)) if table == "build" => "build",
            _ => "output.html",
        }
    }
}

#[cfg(test)]
mod tests;
