use super::*;
use crate::diagnostics::location::Location;

fn sample() -> Vec<Diagnostic> {
    let text = "intro\nSee [setup](setup.md#nowhere).\n";
    let at = text.find("[setup]").unwrap();
    let mut diags = Diagnostics::new();
    diags.push(Diagnostic::raise(
        Code::test_warning("links::style"),
        Location::in_text("src/b.md", "x", 0..1),
        "a warning",
    ));
    diags.push(
        Diagnostic::raise(
            crate::checks::links::targets::LINKS_MISSING_ANCHOR,
            Location::in_text("src/a.md", text, at..at + 26),
            "no heading `#nowhere` in `setup.md`",
        )
        .with_hint("headings there: #setup, #roles"),
    );
    diags.into_sorted()
}

#[test]
fn sorted_by_path_then_position() {
    let shorts: Vec<_> = sample().iter().map(Diagnostic::short).collect();
    assert_eq!(
        shorts,
        [
            "src/a.md:2:5: error[links::missing-anchor]: no heading `#nowhere` in `setup.md`",
            "src/b.md:1:1: warning[links::style]: a warning",
        ]
    );
}

#[test]
fn human_form_shows_the_line_a_caret_and_the_hint() {
    let text = render(&sample(), Format::Human, false);
    assert!(
        text.contains("error[links::missing-anchor]: no heading `#nowhere` in `setup.md`"),
        "{text}"
    );
    assert!(text.contains("src/a.md:2:5"), "{text}");
    assert!(
        text.contains("2 | See [setup](setup.md#nowhere)."),
        "{text}"
    );
    assert!(text.contains("^^^^^^^^^^^^^^^^^^^^^^^^^^"), "{text}");
    assert!(
        text.contains("help: headings there: #setup, #roles"),
        "{text}"
    );
    assert!(text.ends_with("1 error, 1 warning\n"), "{text}");
}

#[test]
fn github_form_is_one_escaped_workflow_command_per_problem() {
    let text = render(&sample(), Format::Github, false);
    let lines: Vec<_> = text.lines().collect();
    assert_eq!(
        lines[0],
        "::error file=src/a.md,line=2,col=5,endColumn=31,title=links%3A%3Amissing-anchor::no heading `#nowhere` in `setup.md`%0Ahint: headings there: #setup, #roles"
    );
    assert!(lines[1].starts_with("::warning file=src/b.md,line=1,col=1,"));
}

#[test]
fn json_form_is_stable() {
    let value: serde_json::Value =
        serde_json::from_str(&render(&sample(), Format::Json, false)).unwrap();
    assert_eq!(value["version"], 1);
    assert_eq!(value["errors"], 1);
    assert_eq!(value["warnings"], 1);
    let first = &value["diagnostics"][0];
    assert_eq!(first["severity"], "error");
    assert_eq!(first["code"], "links::missing-anchor");
    assert_eq!(first["path"], "src/a.md");
    assert_eq!(first["line"], 2);
    assert_eq!(first["column"], 5);
    assert_eq!(first["end_column"], 31);
    assert_eq!(first["hint"], "headings there: #setup, #roles");
    assert!(value["diagnostics"][1].get("hint").is_none());
}

#[test]
fn warnings_fail_only_when_denied() {
    let mut diags = Diagnostics::new();
    diags.push(Diagnostic::raise(
        Code::test_warning("x::y"),
        Location::file("a"),
        "w",
    ));
    assert!(!diags.is_failure(false));
    assert!(diags.is_failure(true));
}

#[test]
fn control_characters_reach_no_output_raw() {
    let text = "See [x](#%0A::error%20file=x::pwned) \u{1b}[31mred\n";
    let d = Diagnostic::raise(
        Code::test("links::missing-anchor"),
        Location::in_text("src/a.md", text, 4..36),
        "no heading `#\n::error file=x::pwned` here \u{1b}[2J",
    )
    .with_hint("\u{202E}reversed");
    let all = [d];
    let github = render(&all, Format::Github, false);
    assert_eq!(github.lines().count(), 1, "{github}");
    assert!(
        github.contains("`#␊::error file=x::pwned` here ␛[2J"),
        "{github}"
    );
    assert!(github.contains("hint: �reversed"), "{github}");
    let human = render(&all, Format::Human, false);
    assert!(
        !human.contains('\u{1b}') && !human.contains("\n::error"),
        "{human}"
    );
    assert!(human.contains("␛[31mred"), "{human}");
    let json = render(&all, Format::Json, false);
    assert!(
        !json.contains('\u{1b}') && !json.contains('\u{202E}'),
        "{json}"
    );
    // Columns still point at the link: one picture per character.
    assert_eq!(all[0].location.column, 5);
}

#[test]
fn one_code_in_one_file_is_capped_with_a_count_of_the_rest() {
    let text = "x".repeat(300);
    let mut found = Diagnostics::new();
    for i in 0..PER_FILE_AND_CODE + 250 {
        found.push(Diagnostic::raise(
            Code::test("links::missing-file"),
            Location::in_text("src/a.md", &text, i..i + 1),
            format!("broken {i}"),
        ));
    }
    found.push(Diagnostic::raise(
        Code::test_warning("links::other"),
        Location::in_text("src/a.md", &text, 0..1),
        "kept",
    ));
    // Passing through another collection keeps the count.
    let mut outer = Diagnostics::new();
    outer.extend(found);
    let sorted = outer.into_sorted();
    assert_eq!(sorted.len(), PER_FILE_AND_CODE + 2);
    let more: Vec<_> = sorted
        .iter()
        .filter(|d| d.message.starts_with("and "))
        .map(Diagnostic::short)
        .collect();
    assert_eq!(
        more,
        [format!(
            "src/a.md:1:{}: error[links::missing-file]: and 250 more `links::missing-file` in this file",
            PER_FILE_AND_CODE + 1
        )]
    );
}
