//! The files `file://` arguments name: a file of the book (by path, or by
//! name in `templates/` or `policies/`), or one an earlier command writes
//! with `>` from such a file (`sed … task-definition.json > mine.json`), or
//! a copy of a book file named after it (`task-definition-amd64.json`), or
//! text an earlier command writes (`cat > input.json <<'EOF'`, `cat <<'EOF'
//! > input.json`, `tee input.json <<'EOF'`, `echo '{…}' > input.json`).
//! `--cli-input-json` files are checked against the operation's input shape.

use super::cli::FileArg;
use super::shell::Command;
use super::{models, shapes};
use crate::checks::policy::catalog::wildcard_match;
use crate::diagnostics::location::{Location, TextMap};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::book_root::BookRoot;
use crate::model::json::Index;
use std::ops::Range;

/// Where the reader's files come from.
pub(crate) struct Files<'a> {
    book_root: &'a BookRoot,
    /// (output pattern, the command's other words as patterns, the text
    /// it writes when the script holds it), `$name` → `*`.
    written: Vec<(String, Vec<String>, Option<Written>)>,
}

/// Text a command of the book writes, and where it stands.
#[derive(Clone)]
pub(crate) struct Written {
    pub text: String,
    /// The chapter and block whose script holds it (the keys the caller
    /// gave `Files::new`), and the offset of a here-document's text in
    /// that script (`None` for `echo`'s words, which are not the text).
    pub at: (usize, usize, Option<usize>),
}

/// The JSON a `file://NAME` holds.
pub(crate) enum Input {
    Json(serde_json::Value),
    /// A file the check cannot read (written by a command from what it
    /// cannot follow, or not JSON).
    Unread,
    /// No file stands behind the name: the CLI check reports it.
    Missing,
    /// A book file that does not parse: its own check reports it.
    Broken,
}

enum Found {
    Book(String),
    Written(Option<Written>),
    Missing,
}

impl<'a> Files<'a> {
    /// `commands`: each command with its chapter and block.
    pub(crate) fn new<'c>(
        book_root: &'a BookRoot,
        commands: impl Iterator<Item = ((usize, usize), &'c Command)>,
    ) -> Self {
        let written = commands
            .filter_map(|((chapter, block), c)| {
                let program = c.words.first().map(|w| w.text.as_str());
                // `tee FILE` writes its input to FILE as well.
                let output = c.output.as_ref().or_else(|| {
                    (program == Some("tee"))
                        .then(|| c.words.iter().skip(1).find(|w| !w.text.starts_with('-')))
                        .flatten()
                })?;
                let sources = c.words.iter().map(|w| pattern(&w.text)).collect();
                let text = match program {
                    Some("cat" | "tee") => c.input.clone().map(|text| Written {
                        text,
                        at: (chapter, block, Some(c.input_at)),
                    }),
                    Some("echo") => Some(Written {
                        text: c
                            .words
                            .iter()
                            .skip(1)
                            .skip_while(|w| w.text == "-n" || w.text == "-e")
                            .map(|w| w.text.as_str())
                            .collect::<Vec<_>>()
                            .join(" "),
                        at: (chapter, block, None),
                    }),
                    _ => None,
                };
                Some((pattern(&output.text), sources, text))
            })
            .collect();
        Files { book_root, written }
    }

    /// The book file a `file://NAME` stands for, directly or through the
    /// command that wrote it.
    pub(crate) fn book_file(&self, name: &str) -> Option<String> {
        match self.find(name) {
            Found::Book(rel) => Some(rel),
            _ => None,
        }
    }

    /// What a `file://NAME` holds, as the deployer check reads it.
    pub(crate) fn json(&self, name: &str) -> Input {
        let text = match self.find(name) {
            // A book file that does not parse has its own report.
            Found::Book(rel) => {
                return self
                    .book_root
                    .read(&rel)
                    .ok()
                    .and_then(|t| serde_json::from_str(&t).ok())
                    .map_or(Input::Broken, Input::Json);
            }
            Found::Written(text) => text,
            Found::Missing => return Input::Missing,
        };
        text.and_then(|t| serde_json::from_str(&t.text).ok())
            .map_or(Input::Unread, Input::Json)
    }

    fn find(&self, name: &str) -> Found {
        if let Some(rel) = self.in_book(name) {
            return Found::Book(rel);
        }
        for (output, sources, text) in &self.written {
            if !wildcard_match(output, name) {
                continue;
            }
            if text.is_some() {
                return Found::Written(text.clone());
            }
            let stem = stem(output, name);
            for source in sources {
                let candidate = source.replace('*', &stem);
                if !candidate.contains('*')
                    && let Some(rel) = self.in_book(&candidate)
                {
                    return Found::Book(rel);
                }
            }
            return Found::Written(None);
        }
        // A copy the reader saves under a name built on the book file's
        // (`task-definition-amd64.json`, `task-role-trust.mine.json`).
        self.named_after(name).map_or(Found::Missing, Found::Book)
    }

    fn named_after(&self, name: &str) -> Option<String> {
        let mut best: Option<String> = None;
        for dir in ["templates", "policies"] {
            let Ok(entries) = std::fs::read_dir(self.book_root.root.join(dir)) else {
                continue;
            };
            for entry in entries.flatten() {
                let file = entry.file_name().to_string_lossy().into_owned();
                let Some(stem) = file.strip_suffix(".json") else {
                    continue;
                };
                let copy = name
                    .strip_prefix(stem)
                    .is_some_and(|rest| rest.starts_with(['-', '.']));
                if copy
                    && best
                        .as_ref()
                        .is_none_or(|b| b.len() < dir.len() + 1 + file.len())
                {
                    best = Some(format!("{dir}/{file}"));
                }
            }
        }
        best
    }

    fn in_book(&self, name: &str) -> Option<String> {
        // `./stack.json`, `templates/../templates/stack.json`: one file, one name.
        if name.starts_with('/') {
            return None;
        }
        let name = crate::model::paths::normalize(name)?;
        [
            name.clone(),
            format!("templates/{name}"),
            format!("policies/{name}"),
        ]
        .into_iter()
        .find(|rel| self.book_root.resolve(rel).is_ok_and(|p| p.is_file()))
    }

    /// Whether the CLI refuses `file`'s input before any call: a
    /// `--cli-input-json` that breaks its input shape.
    pub(crate) fn input_refused(&self, file: &FileArg) -> bool {
        let Some((service, shape)) = &file.input else {
            return false;
        };
        let (Some(model), Input::Json(value)) = (models::service(service), self.json(&file.name))
        else {
            return false;
        };
        // Only whether: nothing is placed.
        shapes::check(model, shape, &value, &Index::default())
            .iter()
            .any(|p| p.code != crate::checks::aws::AWS_UNJUDGED)
    }

    /// Reports a `file://` name no file stands behind, and checks a
    /// `--cli-input-json` file against its input shape, at the file's lines.
    /// A here-document's findings are at their lines in it (`locate`: a
    /// range of a block's script, by chapter and block), once for all the
    /// commands that read it.
    pub(crate) fn check(
        &self,
        file: &FileArg,
        at: impl Fn() -> Location,
        locate: &dyn Fn((usize, usize), Range<usize>) -> Location,
        diagnostics: &mut Diagnostics,
    ) {
        if shapes::is_placeholder(&file.name) {
            return;
        }
        match self.find(&file.name) {
            Found::Missing => diagnostics.push(
                Diagnostic::raise(
                    crate::checks::aws::AWS_CLI_MISSING_FILE,
                    at(),
                    format!("`file://{}` is not a file of the book, and no command before writes it", file.name),
                )
                .with_hint("name a file in templates/ or policies/, or the file an earlier `> NAME` writes"),
            ),
            Found::Written(Some(Written {
                text,
                at: (chapter, block, Some(offset)),
            })) => {
                let Some((service, shape)) = &file.input else {
                    return;
                };
                let (Some(model), Ok(value)) = (
                    models::service(service),
                    serde_json::from_str::<serde_json::Value>(&text),
                ) else {
                    return;
                };
                let index = Index::new(&text);
                for p in shapes::check(model, shape, &value, &index) {
                    let d = p.locate(|range| {
                        locate((chapter, block), offset + range.start..offset + range.end)
                    });
                    if !diagnostics.iter().any(|e| *e == d) {
                        diagnostics.push(d);
                    }
                }
            }
            Found::Written(_) => {}
            Found::Book(rel) => {
                let Some((service, shape)) = &file.input else {
                    return;
                };
                let (Some(model), Ok(text)) = (models::service(service), self.book_root.read(&rel)) else {
                    return;
                };
                let Ok(value) = serde_json::from_str(&text) else {
                    return;
                };
                let index = Index::new(&text);
                let map = TextMap::new(&rel, &text);
                for p in shapes::check(model, shape, &value, &index) {
                    diagnostics.push(p.locate_in_text(&map));
                }
            }
        }
    }
}

/// A shell word as a file-name pattern: each `$name` or `${name}` is `*`.
fn pattern(word: &str) -> String {
    static VARIABLE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|\$\(…\)").expect("valid")
    });
    VARIABLE.replace_all(word, "*").into_owned()
}

/// What the one `*` of `pattern` matched in `name` (empty without one).
fn stem(pattern: &str, name: &str) -> String {
    match pattern.split_once('*') {
        Some((prefix, suffix))
            if !suffix.contains('*') && name.len() >= prefix.len() + suffix.len() =>
        {
            name[prefix.len()..name.len() - suffix.len()].to_string()
        }
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_and_stems() {
        assert_eq!(pattern("\"$name.mine.json\""), "\"*.mine.json\"");
        assert_eq!(pattern("${name}.json"), "*.json");
        assert_eq!(stem("*.mine.json", "task-role.mine.json"), "task-role");
        assert_eq!(stem("out.json", "out.json"), "");
    }
}
