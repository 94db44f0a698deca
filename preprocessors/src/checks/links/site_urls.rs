//! The URLs mdBook's theme turns into links on every page
//! (`git-repository-url`, `edit-url-template` in `[output.html]`): only
//! `http(s)` is accepted, so a `javascript:` value never becomes a link.

use crate::checks::rule::Model;
use crate::diagnostics::location::Location;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::book_root::BookRoot;
use crate::model::paths::scheme;

crate::checks::rule::rule! {
    check: check;
    LINKS_BAD_SITE_URL = "links::bad-site-url", error: "a `git-repository-url` or `edit-url-template` that is not an http(s) address";
}

/// The `[output.html]` keys whose values become links on every page.
const KEYS: [&str; 2] = ["git-repository-url", "edit-url-template"];

fn check(model: &Model<'_, '_>, diagnostics: &mut Diagnostics) -> anyhow::Result<()> {
    check_settings(model.root, diagnostics);
    Ok(())
}

fn check_settings(book_root: &BookRoot, diagnostics: &mut Diagnostics) {
    let text = book_root
        .read(crate::model::config::BOOK_TOML)
        .unwrap_or_default();
    for key in KEYS {
        let Ok(Some(value)) = book_root
            .config
            .get::<String>(&format!("output.html.{key}"))
        else {
            continue;
        };
        if let Some(why) = refused(&value) {
            diagnostics.push(
                Diagnostic::raise(
                    LINKS_BAD_SITE_URL,
                    locate(&text, key),
                    format!("`{key}` is `{value}`: {why}"),
                )
                .with_hint("mdBook links every page to it; give an https:// address"),
            );
        }
    }
}

/// Why a value may not become a link on every page, if it may not.
pub(crate) fn refused(value: &str) -> Option<String> {
    match scheme(value).as_deref() {
        Some("https" | "http") if value.contains("://") => None,
        Some(s) => Some(format!(
            "the `{s}:` scheme is refused; only http and https are"
        )),
        _ => Some("it is not an absolute http(s) URL".into()),
    }
}

/// The line of `key = …` in book.toml, or the file.
fn locate(text: &str, key: &str) -> Location {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with(key) && trimmed[key.len()..].trim_start().starts_with('=') {
            let at = offset + (line.len() - trimmed.len());
            return Location::in_text("book.toml", text, at..at + line.trim().len());
        }
        offset += line.len();
    }
    Location::file("book.toml")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_and_https_become_links() {
        assert_eq!(refused("https://github.com/o/r"), None);
        assert_eq!(refused("http://example.com/edit/{path}"), None);
        assert_eq!(
            refused("javascript:alert(1)").as_deref(),
            Some("the `javascript:` scheme is refused; only http and https are")
        );
        assert_eq!(
            refused(" JavaScript:x").as_deref(),
            Some("the `javascript:` scheme is refused; only http and https are")
        );
        assert_eq!(
            refused("github.com/o/r").as_deref(),
            Some("it is not an absolute http(s) URL")
        );
    }

    #[test]
    fn the_setting_is_reported_at_its_line() {
        let text =
            "[book]\ntitle = \"x\"\n[output.html]\ngit-repository-url = \"javascript:alert(1)\"\n";
        let config = text.parse().unwrap();
        let (dir, _) = crate::model::book_root::temp_book(&[("book.toml", text)]);
        let root = BookRoot::new(dir.path(), config);
        let mut found = Diagnostics::new();
        check_settings(&root, &mut found);
        let shorts: Vec<_> = found.iter().map(|d| d.short()).collect();
        assert_eq!(
            shorts,
            [
                "book.toml:4:1: error[links::bad-site-url]: `git-repository-url` is `javascript:alert(1)`: the `javascript:` scheme is refused; only http and https are"
            ]
        );
    }
}
