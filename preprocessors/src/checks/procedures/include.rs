//! `{{#procedure NAME}}` and `{{#procedure NAME A-B}}`: the steps of
//! `src/procedures/NAME.md`, written once and shown wherever they are needed.

use super::values::{self, Values};
use crate::diagnostics::location::{Location, TextMap};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::book_root::BookRoot;
use crate::model::directive;
use crate::model::ordered_lists;
use std::collections::BTreeMap;

crate::diagnostics::codes::declare! {
    PROCEDURES_BAD_RANGE = "procedures::bad-range", error: "a step range outside the procedure";
    PROCEDURES_INLINE_PROCEDURE = "procedures::inline-procedure", error: "`{{#procedure}}` inside a line of prose";
    PROCEDURES_NESTED_PROCEDURE = "procedures::nested-procedure", error: "a procedure that includes a procedure";
    PROCEDURES_UNKNOWN_PROCEDURE = "procedures::unknown-procedure", error: "`{{#procedure NAME}}` with no `src/procedures/NAME.md`";
    PROCEDURES_UNREADABLE = "procedures::unreadable", error: "a procedure file that cannot be read (not UTF-8, not a regular file, over the size limit)";
}

/// The folder of procedures, under the book's `src/`.
pub(crate) const FOLDER: &str = "procedures";

/// One procedure file, its `{{#value}}` directives already expanded.
#[derive(Debug, Clone)]
pub(crate) struct Procedure {
    /// Repo-relative, e.g. `src/procedures/create-service.md`.
    pub path: String,
    pub source: String,
    pub text: String,
}

/// Every procedure of a book, by name.
#[derive(Debug, Clone, Default)]
pub(crate) struct Library {
    pub procedures: BTreeMap<String, Procedure>,
    /// Procedures whose file could not be read (reported at the file).
    pub unreadable: std::collections::BTreeSet<String>,
}

impl Library {
    /// Reads `src/procedures/*.md`. Problems inside a procedure (a bad
    /// `{{#value}}`, a procedure inside a procedure) are reported here,
    /// once, at the procedure's own line.
    pub(crate) fn load(
        book_root: &BookRoot,
        values: &Result<Values, String>,
        diagnostics: &mut Diagnostics,
    ) -> anyhow::Result<Self> {
        let mut library = Library::default();
        let folder = format!("{}/{FOLDER}", book_root.src_dir());
        let Ok(dir) = book_root.resolve(&folder) else {
            return Ok(library);
        };
        let mut names: Vec<String> = std::fs::read_dir(&dir)?
            .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
            .filter_map(|file| file.strip_suffix(".md").map(str::to_string))
            .collect();
        names.sort();
        for name in names {
            let path = format!("{folder}/{name}.md");
            let source = match book_root.resolve(&path) {
                Ok(real) => match book_root.text(&real) {
                    Ok(source) => source.to_string(),
                    Err(error) => {
                        diagnostics.push(Diagnostic::raise(
                            PROCEDURES_UNREADABLE,
                            error.location(&path),
                            format!("cannot read the procedure: {error}"),
                        ));
                        library.unreadable.insert(name);
                        continue;
                    }
                },
                // A symlink out of the root: the sources check reports it.
                Err(_) => continue,
            };
            library.add(&name, &path, source, values, diagnostics);
        }
        Ok(library)
    }

    /// Adds one procedure (also how tests build a library).
    pub(crate) fn add(
        &mut self,
        name: &str,
        path: &str,
        source: String,
        values: &Result<Values, String>,
        diagnostics: &mut Diagnostics,
    ) {
        for nested in directive::find(&source, &[DIRECTIVE.name]) {
            diagnostics.push(
                Diagnostic::raise(
                    PROCEDURES_NESTED_PROCEDURE,
                    Location::in_text(path, &source, nested.range.clone()),
                    "a procedure cannot include another procedure",
                )
                .with_hint("write the steps here, or split the chapter's procedure in two"),
            );
        }
        let text = values::expand(&source, path, values, diagnostics);
        let text = directive::replace(&text, &[DIRECTIVE.name], |_| String::new());
        self.procedures.insert(
            name.to_string(),
            Procedure {
                path: path.to_string(),
                source,
                text,
            },
        );
    }

    fn names(&self) -> impl Iterator<Item = &str> {
        self.procedures.keys().map(String::as_str)
    }
}

pub(crate) const DIRECTIVE: directive::Spec = directive::Spec {
    name: "procedure",
    owner: "procedure",
    args: "NAME [A-B]",
    stands: directive::Stands::Alone,
};

/// Replaces every `{{#procedure …}}` of a chapter (`path`, `text`). A bad
/// directive is an error at its line and column and stays as written (the
/// failed build publishes nothing).
pub(crate) fn expand(
    text: &str,
    path: &str,
    library: &Library,
    diagnostics: &mut Diagnostics,
) -> String {
    let map = TextMap::new(path, text);
    directive::replace(text, &[DIRECTIVE.name], |d| {
        let written = text[d.range.clone()].to_string();
        let here = || map.locate(d.range.clone());
        let Some(indent) = directive::alone_indent(text, &d.range) else {
            diagnostics.push(
                Diagnostic::raise(
                    PROCEDURES_INLINE_PROCEDURE,
                    here(),
                    "`{{#procedure}}` must be on a line of its own",
                )
                .with_hint("steps are a block: put the directive on its own line"),
            );
            return written;
        };
        let (name, range) = match d.args.as_slice() {
            [name] => (*name, None),
            [name, range] => (*name, Some(*range)),
            _ => {
                diagnostics.push(Diagnostic::raise(
                    PROCEDURES_UNKNOWN_PROCEDURE,
                    here(),
                    "write `{{#procedure NAME}}` or `{{#procedure NAME A-B}}`",
                ));
                return written;
            }
        };
        let Some(procedure) = library.procedures.get(name) else {
            if !library.unreadable.contains(name) {
                diagnostics.push(unknown(name, library, here()));
            }
            return written;
        };
        let selected = match range {
            None => Ok(procedure.text.trim_end().to_string()),
            Some(range) => parse_range(range)
                .ok_or_else(|| format!("`{range}` is not a range of steps such as `3-5`"))
                .and_then(|(from, to)| select(&procedure.text, from, to)),
        };
        match selected {
            Ok(steps) => steps
                .replace('\n', &format!("\n{indent}"))
                .replace(&format!("\n{indent}\n"), "\n\n"),
            Err(why) => {
                diagnostics.push(
                    Diagnostic::raise(
                        PROCEDURES_BAD_RANGE,
                        here(),
                        format!("bad range for procedure `{name}`: {why}"),
                    )
                    .with_related(
                        Location::in_text(&procedure.path, &procedure.source, 0..0),
                        "the procedure",
                    ),
                );
                written
            }
        }
    })
}

fn unknown(name: &str, library: &Library, at: Location) -> Diagnostic {
    let plain = !name.is_empty()
        && !name.contains("..")
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && !name.ends_with(".md");
    let known: Vec<&str> = library.names().collect();
    let listed = if known.is_empty() {
        format!("there are none in src/{FOLDER}/")
    } else {
        format!("known: {}", known.join(", "))
    };
    let message = if plain {
        format!("unknown procedure `{name}` ({listed})")
    } else {
        format!(
            "`{name}` is not a procedure name: write the file stem of src/{FOLDER}/NAME.md ({listed})"
        )
    };
    let stem = name
        .rsplit('/')
        .next()
        .unwrap_or(name)
        .trim_end_matches(".md");
    let found = Diagnostic::raise(PROCEDURES_UNKNOWN_PROCEDURE, at, message);
    match crate::diagnostics::suggest::closest(stem, known.iter().copied()) {
        Some(near) => found.with_hint(format!("did you mean `{{{{#procedure {near}}}}}`?")),
        None => found.with_hint(format!("write the steps once in src/{FOLDER}/{stem}.md")),
    }
}

/// `3-5` → (3, 5); `4` → (4, 4).
fn parse_range(text: &str) -> Option<(u64, u64)> {
    let (from, to) = text.split_once(['-', '–']).unwrap_or((text, text));
    Some((from.parse().ok()?, to.parse().ok()?))
}

/// Steps `from`..=`to` of a procedure (by the numbers readers see), each
/// marker rewritten with its number so the list starts at `from`.
pub(crate) fn select(text: &str, from: u64, to: u64) -> Result<String, String> {
    let doc = ordered_lists::parse(text);
    let numbered: Vec<(u64, &ordered_lists::Step)> = doc
        .lists
        .iter()
        .filter(|list| list.depth == 0)
        .flat_map(|list| (list.start..).zip(&list.steps))
        .collect();
    let (Some(first), Some(last)) = (numbered.first(), numbered.last()) else {
        return Err("it has no numbered steps".to_string());
    };
    let (first, last) = (first.0, last.0);
    if from > to || from < first || to > last {
        return Err(format!("it has steps {first}-{last}"));
    }
    let chosen: Vec<_> = numbered
        .into_iter()
        .filter(|(n, _)| (from..=to).contains(n))
        .collect();
    let mut out = String::new();
    let mut at = chosen[0].1.range.start;
    for (n, step) in chosen {
        if step.number.is_none() {
            out.push_str(&text[at..step.range.end]);
            at = step.range.end;
            continue;
        }
        out.push_str(&text[at..step.marker.start]);
        let old = &text[step.marker.clone()];
        let new = format!("{n}{}", &old[old.len() - 1..]);
        out.push_str(&new);
        out.push_str(&reindent(
            &text[step.marker.end..step.range.end],
            new.len() as isize - old.len() as isize,
        ));
        at = step.range.end;
    }
    Ok(out.trim_end().to_string())
}

/// Shifts a step's continuation lines when its marker got wider or narrower,
/// so nested blocks stay inside it.
fn reindent(body: &str, delta: isize) -> String {
    if delta == 0 {
        return body.to_string();
    }
    let mut out = String::with_capacity(body.len());
    for (i, line) in body.split_inclusive('\n').enumerate() {
        if i == 0 || line.trim().is_empty() {
            out.push_str(line);
        } else if delta > 0 {
            out.push_str(&" ".repeat(delta as usize));
            out.push_str(line);
        } else {
            let spaces = line.len() - line.trim_start_matches(' ').len();
            out.push_str(&line[spaces.min(delta.unsigned_abs())..]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const STEPS: &str = "1. Open the console.\n1. Choose **Create**.\n1. Type the name.\n\n   ```\n   name\n   ```\n1. Click **Create**.\n";

    fn library() -> Library {
        let mut library = Library::default();
        let mut found = Diagnostics::new();
        let none = Err("no templates".to_string());
        library.add(
            "create",
            "src/procedures/create.md",
            STEPS.into(),
            &none,
            &mut found,
        );
        library.add(
            "delete",
            "src/procedures/delete.md",
            "1. a\n2. b\n".into(),
            &none,
            &mut found,
        );
        assert!(found.is_empty());
        library
    }

    fn expand_one(text: &str) -> (String, Vec<String>) {
        let mut found = Diagnostics::new();
        let out = expand(text, "src/c.md", &library(), &mut found);
        (out, found.into_iter().map(|d| d.short()).collect())
    }

    #[test]
    fn a_whole_procedure_replaces_its_directive() {
        let (out, found) = expand_one("Steps:\n\n{{#procedure create}}\n\nDone.\n");
        assert!(found.is_empty(), "{found:?}");
        assert_eq!(out, format!("Steps:\n\n{}\n\nDone.\n", STEPS.trim_end()));
    }

    #[test]
    fn a_range_is_renumbered_from_its_start_and_keeps_nested_blocks_inside() {
        let (out, found) = expand_one("{{#procedure create 3-4}}\n");
        assert!(found.is_empty(), "{found:?}");
        assert_eq!(
            out,
            "3. Type the name.\n\n   ```\n   name\n   ```\n4. Click **Create**.\n"
        );
        assert_eq!(
            select("9. a\n   b\n10. c\n", 9, 10).unwrap(),
            "9. a\n   b\n10. c"
        );
        assert_eq!(
            select("1. a\n\n   more\n", 1, 1).unwrap(),
            "1. a\n\n   more"
        );
        assert_eq!(reindent("x\n  y\n", 1), "x\n   y\n");
        assert_eq!(reindent("x\n  y\n", -1), "x\n y\n");
    }

    #[test]
    fn an_indented_directive_indents_every_line() {
        let (out, _) = expand_one("1. Do this:\n\n   {{#procedure delete}}\n");
        assert_eq!(out, "1. Do this:\n\n   1. a\n   2. b\n");
    }

    #[test]
    fn unknown_names_bad_ranges_and_inline_use_are_errors_at_the_directive() {
        let (out, found) = expand_one(
            "x\n  {{#procedure creat}}\n{{#procedure create 2-9}}\n{{#procedure ../x}}\nsee {{#procedure delete}}\n",
        );
        assert_eq!(
            out,
            "x\n  {{#procedure creat}}\n{{#procedure create 2-9}}\n{{#procedure ../x}}\nsee {{#procedure delete}}\n"
        );
        assert_eq!(
            found,
            [
                "src/c.md:2:3: error[procedures::unknown-procedure]: unknown procedure `creat` (known: create, delete)",
                "src/c.md:3:1: error[procedures::bad-range]: bad range for procedure `create`: it has steps 1-4",
                "src/c.md:4:1: error[procedures::unknown-procedure]: `../x` is not a procedure name: write the file stem of src/procedures/NAME.md (known: create, delete)",
                "src/c.md:5:5: error[procedures::inline-procedure]: `{{#procedure}}` must be on a line of its own",
            ]
        );
    }

    #[test]
    fn did_you_mean_names_the_closest_procedure() {
        let mut found = Diagnostics::new();
        expand("{{#procedure creat}}\n", "src/c.md", &library(), &mut found);
        let hint = found.into_iter().next().unwrap().hint.unwrap();
        assert_eq!(hint, "did you mean `{{#procedure create}}`?");
    }

    #[test]
    fn a_procedure_inside_a_procedure_is_refused_where_it_is_written() {
        let mut library = Library::default();
        let mut found = Diagnostics::new();
        let none = Err("x".to_string());
        library.add(
            "a",
            "src/procedures/a.md",
            "1. x\n{{#procedure b}}\n".into(),
            &none,
            &mut found,
        );
        let found: Vec<_> = found.into_iter().map(|d| d.short()).collect();
        assert_eq!(
            found,
            [
                "src/procedures/a.md:2:1: error[procedures::nested-procedure]: a procedure cannot include another procedure"
            ]
        );
    }
}
