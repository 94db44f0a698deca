//! Where a key or value of book.toml is written, parsed once per report.

use crate::diagnostics::Edit;
use crate::diagnostics::location::Location;
use std::ops::Range;
use toml::de::{DeTable, DeValue};

use super::BOOK_TOML;

/// A step below `[preprocessor.NAME]`: a key, or an index into an array.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Step {
    Key(String),
    Index(usize),
}

/// book.toml as written, with the spans of its keys and values.
pub(crate) struct BookToml<'t> {
    text: &'t str,
    doc: Option<toml::Spanned<DeTable<'t>>>,
}

impl<'t> BookToml<'t> {
    pub(crate) fn new(text: &'t str) -> Self {
        BookToml {
            text,
            doc: DeTable::parse(text).ok(),
        }
    }

    /// Where `table`'s settings are written in this book (see [`super::located`]).
    pub(crate) fn located(&self, table: &str) -> String {
        let one = self
            .find_at(&[
                Step::Key("preprocessor".into()),
                Step::Key(super::ONE.into()),
            ])
            .is_some();
        super::located(table, one)
    }

    /// The value at `path` under `[preprocessor.TABLE]`, if book.toml writes it.
    pub(crate) fn value_location(&self, table: &str, path: &[Step]) -> Option<Location> {
        self.value_location_at(&preprocessor(&self.located(table), path))
    }

    /// The value at `path` from the top of book.toml (`output`, `html`,
    /// `input-404`), if book.toml writes it.
    pub(crate) fn value_location_at(&self, path: &[Step]) -> Option<Location> {
        let value = self.find_at(path)?;
        Some(self.at(value.span()))
    }

    /// The key at the end of `path` from the top of book.toml, if written.
    pub(crate) fn key_location_at(&self, path: &[Step]) -> Option<Location> {
        self.key_span_at(path).map(|span| self.at(span))
    }

    /// The key at the end of `path`, else its table's header, else the file.
    pub(crate) fn key_location(&self, table: &str, path: &[Step]) -> Location {
        self.key_span(table, path)
            .map_or_else(|| self.table_location(table), |span| self.at(span))
    }

    /// The bytes of the key at the end of `path` (quotes included), if written.
    fn key_span(&self, table: &str, path: &[Step]) -> Option<Range<usize>> {
        self.key_span_at(&preprocessor(&self.located(table), path))
    }

    fn key_span_at(&self, path: &[Step]) -> Option<Range<usize>> {
        let (Step::Key(last), parents) = path.split_last()? else {
            return None;
        };
        let parent = self.find_at(parents)?;
        let DeValue::Table(map) = parent.get_ref() else {
            return None;
        };
        map.iter()
            .find(|(k, _)| k.get_ref() == last)
            .map(|(k, _)| k.span())
    }

    /// The edit renaming the key at the end of `path` to `name`, when the
    /// key is written bare in book.toml (not quoted, not from the environment).
    pub(crate) fn rename_key(&self, table: &str, path: &[Step], name: &str) -> Option<Edit> {
        let span = self.key_span(table, path)?;
        let Some(Step::Key(key)) = path.last() else {
            return None;
        };
        (self.text.get(span.clone())? == key)
            .then(|| Edit::in_text(BOOK_TOML, self.text, span, name.to_string()))
            .flatten()
    }

    /// The `[preprocessor.TABLE]` header, or the file when it is not written.
    pub(crate) fn table_location(&self, table: &str) -> Location {
        self.header_location(&format!("preprocessor.{}", self.located(table)))
    }

    /// The `[NAME]` header (`output.html`), or the file when it is not written.
    pub(crate) fn header_location(&self, name: &str) -> Location {
        let header = format!("[{name}]");
        let mut offset = 0;
        for line in self.text.split_inclusive('\n') {
            if line.trim() == header {
                let start = offset + (line.len() - line.trim_start().len());
                return self.at(start..start + header.len());
            }
            offset += line.len();
        }
        Location::file(BOOK_TOML)
    }

    fn at(&self, span: Range<usize>) -> Location {
        Location::in_text(BOOK_TOML, self.text, span)
    }

    /// The value at `path` from the top of book.toml.
    fn find_at(&self, path: &[Step]) -> Option<&toml::Spanned<DeValue<'t>>> {
        let doc = self.doc.as_ref()?.get_ref();
        let (Step::Key(first), rest) = path.split_first()? else {
            return None;
        };
        let mut current = doc
            .iter()
            .find(|(k, _)| k.get_ref() == first)
            .map(|(_, v)| v)?;
        for step in rest {
            current = match (step, current.get_ref()) {
                (Step::Key(key), DeValue::Table(map)) => map
                    .iter()
                    .find(|(k, _)| k.get_ref() == key)
                    .map(|(_, v)| v)?,
                (Step::Index(i), DeValue::Array(items)) => items.get(*i)?,
                _ => return None,
            };
        }
        Some(current)
    }
}

/// `path` below `[preprocessor.TABLE]` (`TABLE` as [`super::located`]
/// gives it), from the top of book.toml.
fn preprocessor(table: &str, path: &[Step]) -> Vec<Step> {
    std::iter::once("preprocessor")
        .chain(table.split('.'))
        .map(|key| Step::Key(key.into()))
        .chain(path.iter().cloned())
        .collect()
}
