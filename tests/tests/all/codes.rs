//! Every declared problem code has a fixture whose exact diagnostic is
//! asserted, so a code that no input can reach, or whose wording drifts,
//! fails here. A code's fixture is either a book under
//! `tests/fixtures/codes/NAME/` whose complete report is its `expected` file
//! (one `path:line:col: severity[code]: message` line each), or an exact
//! line of that form asserted by another test module.

use responder_docs::diagnostics::codes::all;
use responder_docs_tests::{check_shorts, copy_dir, fixture, repo_root};
use std::collections::BTreeSet;

/// The books under `tests/fixtures/codes/`, by name.
fn code_books() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(fixture("codes"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

fn expected(name: &str) -> Vec<String> {
    let text = std::fs::read_to_string(fixture("codes").join(name).join("expected"))
        .unwrap_or_else(|e| panic!("tests/fixtures/codes/{name}/expected: {e}"));
    text.lines().map(String::from).collect()
}

/// The code of a report line: `error[aws::trust]` → `aws::trust`.
fn code_of(line: &str) -> Option<&str> {
    let (_, rest) = line.split_once(": ")?;
    let rest = rest
        .strip_prefix("error[")
        .or_else(|| rest.strip_prefix("warning["))?;
    Some(rest.split_once(']')?.0)
}

/// Codes some test module asserts an exact report line of: a string literal
/// holding `:LINE:COL: error[CODE]: ` (or `warning`).
fn asserted_elsewhere() -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let dir = repo_root().join("tests/tests/all");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        for literal in string_literals(&text) {
            if exact_line(literal)
                && let Some(code) = code_of(literal)
            {
                found.insert(code.to_string());
            }
        }
    }
    found
}

/// The contents of the string literals of Rust source, escapes left as
/// written (`\"` inside a literal does not end it; `'"'` starts none).
fn string_literals(source: &str) -> Vec<&str> {
    let bytes = source.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\'' if bytes.get(i + 2) == Some(&b'\'') => i += 3,
            b'\'' if bytes.get(i + 1) == Some(&b'\\') && bytes.get(i + 3) == Some(&b'\'') => i += 4,
            b'"' => {
                let start = i + 1;
                let mut end = start;
                while end < bytes.len() && bytes[end] != b'"' {
                    end += if bytes[end] == b'\\' { 2 } else { 1 };
                }
                if let Some(literal) = source.get(start..end.min(bytes.len())) {
                    found.push(literal);
                }
                i = end + 1;
            }
            _ => i += 1,
        }
    }
    found
}

/// Whether a literal is a whole report line: `path:LINE:COL: severity[…]: …`.
fn exact_line(literal: &str) -> bool {
    let Some((place, _)) = literal.split_once(": ") else {
        return false;
    };
    let mut parts = place.rsplitn(3, ':');
    let (Some(col), Some(line), Some(path)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    // A number, or a `format!` argument standing for one (`{line}`).
    let number = |n: &str| {
        (!n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
            || (n.starts_with('{') && n.ends_with('}'))
    };
    !path.is_empty() && number(line) && number(col) && code_of(literal).is_some()
}

#[test]
fn every_code_book_gives_exactly_its_expected_report() {
    let mut wrong = Vec::new();
    for name in code_books() {
        let (code, shorts) = check_shorts(&fixture("codes").join(&name));
        let want = expected(&name);
        let failing = want
            .iter()
            .any(|l| code_of(l).is_some() && l.contains(": error["));
        if shorts != want || code != u8::from(failing) {
            wrong.push(format!(
                "{name}: exit {code}, report:\n{}\n",
                shorts.join("\n")
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn every_declared_code_has_a_fixture() {
    let mut covered = asserted_elsewhere();
    let mut in_books = BTreeSet::new();
    for name in code_books() {
        for line in expected(&name) {
            let code = code_of(&line)
                .unwrap_or_else(|| panic!("codes/{name}/expected: not a report line: {line}"));
            in_books.insert(code.to_string());
        }
    }
    let declared: BTreeSet<String> = all().iter().map(|c| c.as_str().to_string()).collect();
    let unknown: Vec<_> = in_books.difference(&declared).collect();
    assert!(
        unknown.is_empty(),
        "fixtures name undeclared codes: {unknown:?}"
    );
    covered.extend(in_books);
    let missing: Vec<_> = declared.difference(&covered).collect();
    assert!(
        missing.is_empty(),
        "declared codes with no fixture (add a book under tests/fixtures/codes/ \
         with its exact report in `expected`): {missing:?}"
    );
}

#[test]
fn the_line_reader_knows_a_report_line_from_other_text() {
    assert!(exact_line(
        "src/a.md:3:7: error[a::b]: `b.md` does not exist"
    ));
    assert!(exact_line("book.toml:1:1: warning[x::y]: m"));
    assert!(!exact_line("error[a::b]: no place"));
    assert!(!exact_line("src/a.md:3: error[a::b]: no column"));
    assert!(!exact_line("src/a.md:3:7: note: not a problem"));
    assert!(exact_line("book.toml:{line}:1: error[a::b]: m"));
    assert!(!exact_line("book.toml:x:1: error[a::b]: m"));
    assert_eq!(code_of("a:1:1: error[a::b]: m"), Some("a::b"));
    assert_eq!(
        string_literals(r#"let q = '"'; f("x:1:1: error[a::b]: \"q\"", "y");"#),
        [r#"x:1:1: error[a::b]: \"q\""#, "y"]
    );
}

/// A file over the size the validators read is refused where it is named,
/// and never read: built here, since 17 MiB has no place in the repository.
#[test]
fn a_file_too_large_to_read_is_refused() {
    let book = copy_dir(&fixture("codes/html-settings"));
    let toml = book.path().join("book.toml");
    let settings = std::fs::read_to_string(&toml).unwrap();
    let (keep, _) = settings.split_once("[output.html]").unwrap();
    std::fs::write(&toml, keep).unwrap();
    let huge = book.path().join("src/huge.txt");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(17 * 1024 * 1024)
        .unwrap();
    std::fs::write(
        book.path().join("src/chapter.md"),
        "# Chapter\n\n```text\n{{#include huge.txt}}\n```\n",
    )
    .unwrap();
    let (code, shorts) = check_shorts(book.path());
    assert_eq!(
        shorts,
        [
            "src/chapter.md:4:1: error[reach::too-large]: `{{#include huge.txt}}` reads `huge.txt`, which is 17825792 bytes, over the 16777216-byte limit on any file the build reads",
            "src/huge.txt:1:1: error[reach::too-large]: `src/huge.txt` is 17825792 bytes, over the 16777216-byte limit on any file the build reads; mdBook would copy it into the site",
        ]
    );
    assert_eq!(code, 1);
    assert_eq!(std::fs::metadata(&huge).unwrap().len(), 17 * 1024 * 1024);
}
