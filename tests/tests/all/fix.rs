//! `responder-docs fix` on a fixture book with one problem of each kind that
//! has one right answer, beside problems that have none: the exact bytes it
//! writes, the lines it prints, the dry run's diff, and `check` afterwards.

use responder_docs_tests::{check_shorts, copy_dir, fixture, run};
use std::path::Path;

const FILES: [&str; 4] = [
    "book.toml",
    "src/SUMMARY.md",
    "src/start.md",
    "src/deploy.md",
];

fn read(root: &Path, file: &str) -> String {
    std::fs::read_to_string(root.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

fn fix(root: &Path, dry_run: bool) -> responder_docs_tests::Run {
    let root = root.to_str().unwrap();
    if dry_run {
        run(&["fix", root, "--dry-run"])
    } else {
        run(&["fix", root])
    }
}

#[test]
fn the_dry_run_prints_the_diff_and_changes_nothing() {
    let book = copy_dir(&fixture("fix/book"));
    let dry = fix(book.path(), true);
    assert_eq!(dry.stdout, read(&fixture("fix"), "dry-run.diff"));
    assert_eq!(
        dry.stderr,
        "would fix 9 problems in 3 files; 4 need a person (run `responder-docs check`)\n"
    );
    assert_eq!(dry.code, 1, "four problems are left");
    for file in FILES {
        assert_eq!(
            read(book.path(), file),
            read(&fixture("fix/book"), file),
            "{file}"
        );
    }
}

/// Every file of the book is the expected one (the fixed version where
/// there is one, else the original byte for byte).
fn assert_fixed(root: &Path) {
    let expected = fixture("fix/expected");
    for file in FILES {
        let want = if expected.join(file).exists() {
            read(&expected, file)
        } else {
            read(&fixture("fix/book"), file)
        };
        assert_eq!(read(root, file), want, "{file}");
    }
}

#[test]
fn fix_changes_exactly_the_spans_with_one_right_answer() {
    let book = copy_dir(&fixture("fix/book"));
    let fixed = fix(book.path(), false);
    assert_eq!(fixed.stdout, read(&fixture("fix"), "fixed.txt"));
    assert_eq!(fixed.code, 1);
    assert_fixed(book.path());

    // Only the problems with no single answer are left, where they were:
    // an old URI, an id two ids are as close to, and a list that words refer to.
    let (code, shorts) = check_shorts(book.path());
    assert_eq!(code, 1);
    assert_eq!(
        shorts,
        [
            "src/deploy.md:8:16: error[image-uri::hand-written-uri]: an AWS Marketplace image URI written by hand",
            "src/start.md:8:18: error[links::missing-anchor]: `deploy.md#region-c`: no heading or id `region-c` on deploy.md",
            // Renumbering would change what "step 3" points at.
            "src/start.md:13:1: error[procedures::numbering]: step number 3 follows 1: step 2 is missing",
            "src/start.md:15:22: error[procedures::missing-step]: \"step 3\" refers to step 3, but the steps here are 1-2",
        ]
    );

    // A second run has nothing left to do.
    let again = fix(book.path(), false);
    assert_eq!(again.stdout, "");
    assert_eq!(
        again.stderr,
        "fixed 0 problems in 0 files; 4 need a person (run `responder-docs check`)\n"
    );
    assert_fixed(book.path());
}

#[test]
fn the_expected_files_differ_from_the_book_only_on_the_fixed_lines() {
    // The fixture's own promise, so a wrong expectation cannot hide a stray change.
    let diff = read(&fixture("fix"), "dry-run.diff");
    let changed: Vec<&str> = diff
        .lines()
        .filter(|l| l.starts_with('-') && !l.starts_with("---"))
        .collect();
    let fixed = read(&fixture("fix"), "fixed.txt");
    assert_eq!(
        fixed.lines().count(),
        10,
        "one printed line per changed span"
    );
    // Every removed line is a line a printed change names, and no other.
    let mut lines: Vec<&str> = fixed
        .lines()
        .map(|l| {
            let mut parts = l.splitn(3, ':');
            let (file, line) = (parts.next().unwrap(), parts.next().unwrap());
            &l[..file.len() + 1 + line.len()]
        })
        .collect();
    lines.dedup();
    assert_eq!(changed.len(), lines.len(), "{diff}");
    assert_eq!(lines.len(), 9);
}

#[test]
fn a_clean_book_is_left_alone() {
    let book = copy_dir(&fixture("links/clean"));
    let before: Vec<String> = ["book.toml", "src/SUMMARY.md"]
        .iter()
        .map(|f| read(book.path(), f))
        .collect();
    let run = fix(book.path(), false);
    assert_eq!((run.code, run.stdout.as_str()), (0, ""));
    assert_eq!(run.stderr, "fixed 0 problems in 0 files; 0 need a person\n");
    let after: Vec<String> = ["book.toml", "src/SUMMARY.md"]
        .iter()
        .map(|f| read(book.path(), f))
        .collect();
    assert_eq!(before, after);
}

/// The `path:line:col: severity[code]: message` and the hint of every problem
/// `check` reports on a book.
fn shorts_and_hints(root: &Path) -> Vec<String> {
    let run = run(&["check", root.to_str().unwrap(), "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let hints = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["hint"].as_str().unwrap_or_default().to_string());
    responder_docs_tests::shorts(&run.stdout)
        .into_iter()
        .zip(hints)
        .map(|(short, hint)| format!("{short} (help: {hint})"))
        .collect()
}

/// An unknown `{{#value}}` key and a missing anchor with one close answer
/// are fixed; where two are as close, both are offered and neither applied.
/// A fragment is also compared with the start of longer ids, but an id of
/// its own length wins.
#[test]
fn value_keys_and_anchors_with_one_close_answer_are_fixed() {
    let book = copy_dir(&fixture("fix/single-answers/book"));
    let anchor = |line: usize, col: usize, page: &str, id: &str| {
        format!(
            "src/verify.md:{line}:{col}: error[links::missing-anchor]: `{page}#{id}`: no heading or id `{id}` on {page}"
        )
    };
    let value = |line: usize, col: usize, key: &str| {
        format!(
            "src/verify.md:{line}:{col}: error[procedures::unknown-value]: unknown value `{key}`"
        )
    };
    let two_services = "(help: did you mean `#create-the-service-in-the-console` or `#create-the-service-with-the-aws-cli`?)";
    let two_keys = "(help: did you mean `task.container-name` or `task.container-port`?)";
    assert_eq!(
        shorts_and_hints(book.path()),
        [
            format!(
                "{} (help: did you mean `#choose-the-subnets`?)",
                anchor(3, 10, "service.md", "choose-the-subnet")
            ),
            format!(
                "{} {two_services}",
                anchor(4, 10, "service.md", "create-the-servise")
            ),
            format!(
                "{} (help: did you mean `task.container-name`?)",
                value(6, 19, "task.container-pame")
            ),
            format!("{} {two_keys}", value(7, 14, "task.container-pome")),
            format!(
                "{} (help: did you mean `#create-the-service`?)",
                anchor(9, 4, "deploy.md", "create-the-servise")
            ),
        ]
    );

    let fixed = fix(book.path(), false);
    assert_eq!(
        fixed.stdout,
        "src/verify.md:3:31: links::missing-anchor: `choose-the-subnet` → `choose-the-subnets`\n\
         src/verify.md:6:28: procedures::unknown-value: `task.container-pame` → `task.container-name`\n\
         src/verify.md:9:31: links::missing-anchor: `create-the-servise` → `create-the-service`\n"
    );
    assert_eq!(
        read(book.path(), "src/verify.md"),
        read(&fixture("fix/single-answers/expected"), "src/verify.md")
    );
    assert_eq!(
        shorts_and_hints(book.path()),
        [
            format!(
                "{} {two_services}",
                anchor(4, 10, "service.md", "create-the-servise")
            ),
            format!("{} {two_keys}", value(7, 14, "task.container-pome")),
        ],
        "the problems with two answers are left as they were"
    );
}

/// The dry run's diff and the list of changes show a source line's control
/// characters as pictures, as reports do: a lone CR cannot start a line of
/// its own (`::error …` in a CI log) and no escape reaches the terminal.
#[test]
fn what_fix_prints_carries_no_raw_control_character() {
    let book = copy_dir(&fixture("fix/single-answers/book"));
    let verify = book.path().join("src/verify.md");
    let text = read(book.path(), "src/verify.md");
    let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
    let hostile = "Context \u{1b}[31mRED\u{1b}[0m \u{202e}bidi CR:\r::error file=x::INJECTED\n";
    lines.insert(3, hostile);
    std::fs::write(&verify, lines.concat()).unwrap();
    for dry_run in [true, false] {
        let out = fix(book.path(), dry_run);
        let raw: Vec<char> = out
            .stdout
            .chars()
            .chain(out.stderr.chars())
            .filter(|&c| (c.is_control() && c != '\n' && c != '\t') || c == '\u{202e}')
            .collect();
        assert!(raw.is_empty(), "{raw:?} in {}", out.stdout);
        if dry_run {
            assert!(
                out.stdout
                    .contains("Context ␛[31mRED␛[0m �bidi CR:␍::error file=x::INJECTED\n"),
                "{}",
                out.stdout
            );
        }
    }
}
