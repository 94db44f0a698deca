//! The docs book's "Problem codes" table against the code table
//! (`diagnostics::codes::ALL`): same codes, same order, same meanings, so a
//! code added, renamed or reworded in one place fails until the other follows.

use responder_docs::diagnostics::codes::ALL;
use responder_docs_tests::repo_root;

/// The `(code, meaning)` rows of the table under `# Problem codes`.
fn readme_codes(readme: &str) -> Vec<(String, String)> {
    let section = readme
        .split_once("# Problem codes\n")
        .expect("the chapter has a \"Problem codes\" heading")
        .1;
    let section = section.split("\n#").next().unwrap_or(section);
    section
        .lines()
        .filter_map(|line| line.strip_prefix("| `"))
        .map(|row| {
            let (code, rest) = row.split_once("` | ").expect("a `code` | meaning | row");
            let meaning = rest.strip_suffix(" |").expect("a row ends with ` |`");
            (code.to_string(), meaning.to_string())
        })
        .collect()
}

#[test]
fn readme_lists_exactly_the_code_table() {
    let readme = std::fs::read_to_string(repo_root().join("docs/src/problem-codes.md")).unwrap();
    let documented = readme_codes(&readme);
    let table: Vec<(String, String)> = ALL
        .iter()
        .map(|(code, help)| (code.as_str().to_string(), help.to_string()))
        .collect();
    let missing: Vec<_> = table
        .iter()
        .filter(|row| !documented.contains(row))
        .collect();
    let extra: Vec<_> = documented
        .iter()
        .filter(|row| !table.contains(row))
        .collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "README rows missing or different: {missing:#?}\nREADME rows not in codes.rs: {extra:#?}"
    );
    assert_eq!(
        documented, table,
        "README rows are in another order than codes.rs"
    );
}

#[test]
fn the_row_reader_sees_every_row_and_nothing_else() {
    let readme = "intro\n\n# Problem codes\n\n| code | meaning |\n| --- | --- |\n\
                  | `a::b` | one `x` |\n| `c::d` | two |\n\n## Next\n\n| `e::f` | not codes |\n";
    assert_eq!(
        readme_codes(readme),
        vec![
            ("a::b".to_string(), "one `x`".to_string()),
            ("c::d".to_string(), "two".to_string())
        ]
    );
}
