//! `link-ignore` patterns that are not regular expressions: the links they
//! were meant to skip are checked after all.

use super::Links;
use crate::checks::rule::Model;
use crate::diagnostics::location::Location;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::book_root::BookRoot;
use crate::model::config::{BookToml, SHARED_TABLE, Step};

crate::checks::rule::rule! {
    check: check;
    LINKS_BAD_SETTING = "links::bad-setting", error: "a `link-ignore` pattern that is not a valid regular expression";
}

fn check(model: &Model<'_, '_>, out: &mut Diagnostics) -> anyhow::Result<()> {
    let links = model.shared::<Links>();
    for (i, pattern, err) in &links.bad_patterns {
        out.push(
            Diagnostic::raise(
                LINKS_BAD_SETTING,
                pattern_location(model.root, *i),
                format!("`link-ignore` pattern `{pattern}` is not a regular expression: {err}"),
            )
            .with_hint(
                "patterns use the syntax of the `regex` crate; escape `.` and `?` with `\\`",
            ),
        );
    }
    Ok(())
}

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
