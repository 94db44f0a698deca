//! The error overlay: while the book does not build, the pages a preview
//! shows say so, with every problem of the build. The problems travel as
//! JSON and the script builds the overlay with `textContent` only: they are
//! the writer's input, never markup.

use crate::diagnostics::{Diagnostic, Severity};
use mdbook_preprocessor::book::{Book, BookItem};
use mdbook_preprocessor::config::Config;
use serde::Serialize;

/// Where `serve` answers with the problems of the last build (`[]` once it
/// succeeded); the pages' script asks it on every load.
pub(crate) const PROBLEMS_PATH: &str = "/_responder-docs/problems.json";

/// The overlay's script, the same on every page: it shows the problems the
/// page carries (see [`embed`]) or, without them, those `serve` answers.
const SCRIPT: &str = include_str!("overlay/overlay.js");

/// One problem as the overlay shows it.
#[derive(Debug, Serialize)]
struct Shown<'a> {
    /// `path:line:col`, empty for a failure with no place.
    at: String,
    severity: &'static str,
    code: &'a str,
    message: &'a str,
    line: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    hint: Option<&'a str>,
}

/// The problems of a failed build, for the overlay; `machinery` is an error
/// that stopped the build before any problem was placed.
pub(crate) fn problems_json(diagnostics: &[Diagnostic], machinery: Option<&str>) -> String {
    let mut shown: Vec<Shown> = diagnostics
        .iter()
        .map(|d| Shown {
            at: d.location.short(),
            severity: match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            },
            code: d.code.as_str(),
            message: &d.message,
            line: &d.location.line_text,
            hint: d.hint.as_deref(),
        })
        .collect();
    if let Some(message) = machinery {
        shown.push(Shown {
            at: String::new(),
            severity: "error",
            code: "",
            message,
            line: "",
            hint: None,
        });
    }
    serde_json::to_string(&shown).unwrap_or_else(|_| "[]".into())
}

/// `html` with the overlay's script before `</body>` (at the end when there
/// is none).
pub(crate) fn inject(html: &[u8]) -> Vec<u8> {
    let tag = format!("<script>{SCRIPT}</script>");
    let at = find_last(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// Whether stock mdBook runs the passes for `mdbook serve`: it sets the
/// live-reload endpoint in the configuration they receive, and only then.
pub(crate) fn under_serve(config: &Config) -> bool {
    config
        .get::<String>("output.html.live-reload-endpoint")
        .ok()
        .flatten()
        .is_some()
}

/// Whether a failed build may still be written, with the overlay: its
/// problems are all in the content. A problem with what the build reads or
/// where mdBook writes (`reach::*`) still stops it before it writes.
pub(crate) fn may_write(diagnostics: &[Diagnostic]) -> bool {
    !diagnostics.iter().any(|d| {
        let code = d.code.as_str();
        code.starts_with("reach::") || code.starts_with("book::")
    })
}

/// Puts the problems (as JSON no `</script>` can end early) and the
/// overlay's script at the top of every chapter, for stock `mdbook serve`.
pub(crate) fn embed(book: &mut Book, diagnostics: &[Diagnostic]) {
    let json = problems_json(diagnostics, None).replace('<', "\\u003c");
    let block = format!(
        "<script type=\"application/json\" class=\"responder-docs-problems\">{json}</script>\n\
         <script>\n{SCRIPT}</script>\n\n"
    );
    book.for_each_mut(|item| {
        if let BookItem::Chapter(chapter) = item {
            chapter.content.insert_str(0, &block);
        }
    });
}

fn find_last(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .rposition(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::location::Location;

    #[test]
    fn problems_are_data_and_markup_in_them_stays_text() {
        let mut location = Location::file("src/a.md");
        location.line = 3;
        location.column = 5;
        location.line_text = "See [x](<b>.md)".into();
        let d = Diagnostic::raise(
            crate::checks::links::LINKS_MISSING_FILE,
            location,
            "`</script><b>` x",
        )
        .with_hint("no file");
        let json = problems_json(&[d], Some("cannot read"));
        let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(parsed[0]["at"], "src/a.md:3:5");
        assert_eq!(parsed[0]["code"], "links::missing-file");
        assert_eq!(parsed[0]["message"], "`</script><b>` x");
        assert_eq!(parsed[0]["line"], "See [x](<b>.md)");
        assert_eq!(parsed[0]["hint"], "no file");
        assert_eq!(parsed[1]["message"], "cannot read");
        assert_eq!(problems_json(&[], None), "[]");
    }

    #[test]
    fn only_stock_serve_writes_a_failing_book_and_never_past_a_reach_problem() {
        let mut config = Config::default();
        assert!(!under_serve(&config), "mdbook build");
        config
            .set("output.html.live-reload-endpoint", "__livereload")
            .unwrap();
        assert!(under_serve(&config), "mdbook serve");

        let content = Diagnostic::raise(
            crate::checks::links::targets::LINKS_MISSING_ANCHOR,
            Location::file("src/a.md"),
            "`</script>`",
        );
        let reach = Diagnostic::raise(
            crate::model::reach::REACH_WRITES_OUTSIDE,
            Location::file("src/SUMMARY.md"),
            "m",
        );
        assert!(may_write(std::slice::from_ref(&content)));
        assert!(!may_write(&[content.clone(), reach]));

        let mut book = Book::new();
        book.push_item(mdbook_preprocessor::book::Chapter::new(
            "A",
            "# A\n".into(),
            "a.md",
            Vec::new(),
        ));
        embed(&mut book, &[content]);
        let BookItem::Chapter(chapter) = &book.items[0] else {
            panic!("a chapter");
        };
        assert!(
            chapter.content.starts_with(
                "<script type=\"application/json\" class=\"responder-docs-problems\">[{\"at\":\"src/a.md:1:1\""
            ),
            "{}",
            chapter.content
        );
        // The writer's `</script>` cannot end the data block early.
        assert_eq!(chapter.content.matches("</script>").count(), 2);
        assert!(chapter.content.contains("`\\u003c/script>`"));
        assert!(chapter.content.ends_with("</script>\n\n# A\n"));
    }

    #[test]
    fn the_script_goes_before_the_last_body_end() {
        let page = inject(b"<html><body><p>x</p></BODY></html>");
        let page = String::from_utf8(page).unwrap();
        assert!(page.starts_with("<html><body><p>x</p><script>"), "{page}");
        assert!(page.ends_with("</script></BODY></html>"), "{page}");
        let bare = String::from_utf8(inject(b"<p>x</p>")).unwrap();
        assert!(bare.starts_with("<p>x</p><script>") && bare.ends_with("</script>"));
    }
}
