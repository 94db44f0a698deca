use super::*;
use crate::model::book_root::temp_book;

/// Files in memory, by absolute path under `/book`.
struct Memory(HashMap<PathBuf, String>);

impl Files for &Memory {
    fn read(&mut self, path: &Path) -> Result<(PathBuf, Vec<u8>), Verdict> {
        let path = PathBuf::from(format!(
            "/{}",
            crate::model::paths::normalize(&path.to_string_lossy()).unwrap()
        ));
        match self.0.get(&path) {
            Some(text) => Ok((path, text.clone().into_bytes())),
            None => Err(Verdict::Missing),
        }
    }
}

fn memory(files: &[(&str, &str)]) -> Memory {
    Memory(
        files
            .iter()
            .map(|(p, t)| (PathBuf::from(format!("/book/src/{p}")), t.to_string()))
            .collect(),
    )
}

fn run(files: &Memory, text: &str) -> Expanded {
    let (_dir, root) = temp_book(&[]);
    let reach = root.reach().clone();
    expand(
        files,
        &reach,
        &mut BookBudget::default(),
        text,
        &Place {
            file: "src/ch.md",
            dir: "src",
            base: Path::new("/book/src"),
            locate: &|range| Location::in_text("src/ch.md", text, range),
        },
    )
}

fn kinds(text: &str) -> Vec<Kind<'_>> {
    links(text).map(|l| l.kind).collect()
}

#[test]
fn directives_read_as_mdbook_reads_them() {
    let lines = |start, end| Select::Lines { start, end };
    let include = |path, select| Kind::Include {
        path,
        select,
        rustdoc: false,
    };
    assert_eq!(
        kinds(
            "{{#include a.rs}} {{#include a.rs:}} {{#include a.rs::}} {{#include a.rs:2}} {{#include a.rs:2:}} {{#include a.rs:2:5}} {{#include a.rs::5}} {{#include a.rs:0}} {{#include a.rs:2:x}} {{#include a.rs:-1}}"
        ),
        [
            include("a.rs", lines(0, None)),
            include("a.rs", lines(0, None)),
            include("a.rs", lines(0, None)),
            include("a.rs", lines(1, Some(2))),
            include("a.rs", lines(1, None)),
            include("a.rs", lines(1, Some(5))),
            include("a.rs", lines(0, Some(5))),
            include("a.rs", lines(0, Some(1))),
            include("a.rs", lines(1, None)),
            include("a.rs", Select::Anchor("-1")),
        ]
    );
    // Whitespace and line breaks anywhere the pattern allows; unknown and
    // empty directives are not links; an escape runs to its line's last `}}`.
    assert_eq!(
        kinds(
            "{{ #include\n  b.md:part \n}} {{#playground c.rs editable\nignore}} {{#playpen d.rs}} {{#title  A title }} {{#include }} {{#unknown x}} \\{{#include e.rs}} x }}\n{{#rustdoc_include f.rs:3}}"
        ),
        [
            include("b.md", Select::Anchor("part")),
            Kind::Playground {
                path: "c.rs",
                attrs: vec!["editable", "ignore"],
                playpen: false
            },
            Kind::Playground {
                path: "d.rs",
                attrs: vec![],
                playpen: true
            },
            Kind::Title("A title "),
            Kind::Escaped,
            Kind::Include {
                path: "f.rs",
                select: lines(2, Some(3)),
                rustdoc: true
            },
        ]
    );
}

#[test]
fn lines_and_anchors_are_taken_as_mdbook_takes_them() {
    let s = "Lorem\r\nipsum\ndolor\nsit\namet\n";
    let lines = |start, end| Select::Lines { start, end };
    assert_eq!(take(s, &lines(1, Some(3))).text, "ipsum\ndolor");
    assert_eq!(take(s, &lines(3, None)).text, "sit\namet");
    assert_eq!(
        take(s, &lines(0, None)).text,
        "Lorem\nipsum\ndolor\nsit\namet"
    );
    assert_eq!(take(s, &lines(4, Some(3))).text, "");
    let anchored = "a\nANCHOR: x\nb\nANCHOR: inner\nc\nANCHOR_END: inner\nANCHOR_END: x\nd\n";
    assert_eq!(take(anchored, &Select::Anchor("x")).text, "b\nc");
    assert_eq!(take(anchored, &Select::Anchor("none")).text, "");
    assert_eq!(
        take_rustdoc(anchored, &Select::Anchor("x")).text,
        "# a\nb\nc\n# d"
    );
    assert_eq!(
        take_rustdoc("a\nb\nc\n", &lines(1, Some(2))).text,
        "# a\nb\n# c"
    );
    assert_eq!(
        take_playground("fn main() {}", &["editable"]).text,
        "```rust,editable\nfn main() {}\n```\n"
    );
    // Each taken line still knows where it is in the file.
    let taken = take(anchored, &Select::Anchor("x"));
    assert_eq!(taken.file_offset(2), anchored.find("c\n").unwrap());
}

#[test]
fn nested_includes_escapes_and_titles_expand_like_mdbook() {
    let files = memory(&[
        ("a.md", "A {{#include parts/b.md}} \\{{#include kept.md}}\n"),
        ("parts/b.md", "B {{#include c.md:2}} {{#title From B}}"),
        ("parts/c.md", "one\ntwo\n"),
    ]);
    let out = run(&files, "{{#include a.md}}");
    assert_eq!(out.content, "A B two  {{#include kept.md}}");
    assert_eq!(out.title.as_deref(), Some("From B"));
    assert!(out.found.is_empty(), "{:?}", out.found);
}

#[test]
fn a_missing_file_stays_written_and_a_missing_anchor_brings_nothing() {
    let files = memory(&[("a.md", "// ANCHOR: here\nx\n// ANCHOR_END: here\n")]);
    let out = run(
        &files,
        "{{#include gone.md}} [{{#include a.md:there}}] {{#playpen a.md}}",
    );
    assert_eq!(
        out.content,
        "{{#include gone.md}} [] ```rust\n// ANCHOR: here\nx\n// ANCHOR_END: here\n```\n"
    );
    let found: Vec<_> = out
        .found
        .iter()
        .map(|f| (f.code.as_str(), &f.message[..]))
        .collect();
    assert_eq!(
        found,
        [
            (
                "links::missing-include",
                "`{{#include gone.md}}`: `src/gone.md` does not exist"
            ),
            (
                "links::missing-include-anchor",
                "`{{#include a.md:there}}`: no `ANCHOR: there` in `src/a.md`, so nothing is included"
            ),
            (
                "links::playpen",
                "`{{#playpen a.md}}`: `{{#playpen}}` is the old name of `{{#playground}}`"
            ),
        ]
    );
}

#[test]
fn a_cycle_stops_at_mdbooks_depth_and_is_reported_where_it_repeats() {
    let files = memory(&[
        ("a.md", "a\n{{#include b.md}}\n"),
        ("b.md", "b\n{{#include a.md}}\n"),
    ]);
    let out = run(&files, "{{#include a.md}}");
    // Ten levels expanded, the eleventh dropped, as mdBook does.
    assert_eq!(out.content, "a\nb\n".repeat(5));
    assert_eq!(out.found.len(), 1);
    let found = &out.found[0];
    assert_eq!(found.code, super::LINKS_INCLUDE_DEPTH);
    assert_eq!(found.location.short(), "src/b.md:2:1");
    let brought = &found.related[0].location;
    assert_eq!(
        (brought.short(), brought.span_in_line()),
        ("src/ch.md:1:1".to_string(), 0..17)
    );
    assert_eq!(
        found.hint.as_deref().unwrap(),
        "check for cyclic includes: `src/ch.md` → `src/a.md` → `src/b.md` → `src/a.md` → …"
    );
}

#[test]
fn a_fan_out_stops_at_the_include_budget_at_once() {
    let files = memory(&[("a.md", &"{{#include a.md}}".repeat(10))]);
    let started = std::time::Instant::now();
    let out = run(&files, "{{#include a.md}}");
    assert!(started.elapsed().as_secs() < 5);
    let budget: Vec<_> = out
        .found
        .iter()
        .filter(|f| f.code == super::LINKS_INCLUDE_BUDGET)
        .collect();
    assert_eq!(budget.len(), 1);
    assert_eq!(
        budget[0].message,
        "`{{#include a.md}}` would bring the chapter to more than 10000 includes, so expanding stops here"
    );
    assert_eq!(out.content, "{{#include a.md}}");
}

#[test]
fn a_size_budget_stops_large_includes() {
    let big = "x".repeat(8 << 20);
    let files = memory(&[("big.txt", &big)]);
    let out = run(&files, &"{{#include big.txt}}\n".repeat(9));
    let found: Vec<_> = out.found.iter().map(|f| &f.message[..]).collect();
    assert_eq!(
        found,
        [
            "`{{#include big.txt}}` would bring the chapter to more than 64 MiB of included text, so expanding stops here"
        ]
    );
    assert_eq!(out.content, "{{#include big.txt}}\n".repeat(9));
}

#[test]
fn readme_becomes_index() {
    let mut book = Book::new();
    for path in ["README.md", "part/readme.md", "other.md"] {
        book.push_item(mdbook_preprocessor::book::Chapter::new(
            "C",
            String::new(),
            path,
            Vec::new(),
        ));
    }
    readme_to_index(&mut book);
    let paths: Vec<_> = book
        .iter()
        .filter_map(|i| match i {
            BookItem::Chapter(c) => c.path.clone(),
            _ => None,
        })
        .collect();
    assert_eq!(
        paths,
        [
            PathBuf::from("index.md"),
            PathBuf::from("part/index.md"),
            PathBuf::from("other.md")
        ]
    );
}
