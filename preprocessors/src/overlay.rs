//! The error overlay: while the book does not build, the pages a preview
//! shows say so, with every problem of the build. The problems travel as
//! JSON and the script builds the overlay with `textContent` only: they are
//! the writer's input, never markup.

use crate::diagnostics::{Diagnostic, Severity};
use serde::Serialize;

/// Where `serve` answers with the problems of the last build (`[]` once it
/// succeeded); the pages' script asks it on every load.
pub const PROBLEMS_PATH: &str = "/_responder-docs/problems.json";

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
pub fn problems_json(diagnostics: &[Diagnostic], machinery: Option<&str>) -> String {
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
pub fn inject(html: &[u8]) -> Vec<u8> {
    let tag = format!("<script>{SCRIPT}</script>");
    let at = find_last(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn find_last(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .rposition(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::codes;
    use crate::location::Location;

    #[test]
    fn problems_are_data_and_markup_in_them_stays_text() {
        let mut location = Location::file("src/a.md");
        location.line = 3;
        location.column = 5;
        location.line_text = "See [x](<b>.md)".into();
        let d = Diagnostic::error(codes::LINKS_MISSING_FILE, location, "`</script><b>` x")
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
    fn the_script_goes_before_the_last_body_end() {
        let page = inject(b"<html><body><p>x</p></BODY></html>");
        let page = String::from_utf8(page).unwrap();
        assert!(page.starts_with("<html><body><p>x</p><script>"), "{page}");
        assert!(page.ends_with("</script></BODY></html>"), "{page}");
        let bare = String::from_utf8(inject(b"<p>x</p>")).unwrap();
        assert!(bare.starts_with("<p>x</p><script>") && bare.ends_with("</script>"));
    }
}
