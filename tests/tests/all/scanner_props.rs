//! Property tests for the scanners every input passes through: the directive
//! scanner, the include engine's directive reader, the JSON span reader and
//! the Markdown link extractor (SUMMARY.md included), and locating
//! problems on a line. Each case runs in its
//! own forked process that the harness kills after `CASE_MS` (proptest's
//! `timeout`), and each case checks its own peak memory against `CASE_KB`,
//! so a quadratic or runaway input fails the run instead of hanging it.

use proptest::prelude::*;
use responder_docs::checks::links::expand::links;
use responder_docs::diagnostics::location::TextMap;
use responder_docs::model::directive;
use responder_docs::model::json::Index;
use responder_docs::model::origin::Origin;
use responder_docs::model::page::extract;

/// The wall-clock budget of one case, enforced by the harness.
const CASE_MS: u32 = 10_000;
/// The peak resident memory one case may reach (its forked process).
const CASE_KB: u64 = 512 * 1024;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 24,
        fork: true,
        timeout: CASE_MS,
        ..ProptestConfig::default()
    }
}

/// The peak resident memory of this process so far, where Linux says it.
fn peak_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn within_memory() -> Result<(), TestCaseError> {
    if let Some(kb) = peak_kb() {
        prop_assert!(kb <= CASE_KB, "peak memory {kb} KB over {CASE_KB} KB");
    }
    Ok(())
}

/// Text built from the pieces the scanners react to, repeated up to `n`
/// times, so both random mixes and long adversarial runs come up.
fn hostile(pieces: &'static [&'static str], n: usize) -> impl Strategy<Value = String> {
    (
        prop::collection::vec(prop::sample::select(pieces), 0..64),
        1..n,
    )
        .prop_map(|(parts, times)| parts.concat().repeat(times))
}

const DIRECTIVE_PIECES: &[&str] = &[
    "{{#",
    "}}",
    "\n",
    "\\",
    " ",
    "x",
    "include",
    "procedure ",
    "a.md",
    ":",
    "{{ #",
    "é",
    "{",
    "}",
];
const JSON_PIECES: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    "\"",
    "\\",
    ":",
    ",",
    "\"Action\"",
    "\"s3:GetObject\"",
    " ",
    "\n",
    "1",
    "tru",
    "é",
];
const LINK_PIECES: &[&str] = &[
    "[",
    "]",
    "(",
    ")",
    "<",
    ">",
    "#",
    "- ",
    "\n",
    "x.md",
    "../",
    "/etc/passwd",
    "`",
    "*",
    "![",
    "]:",
    " ",
    "\\",
];

proptest! {
    #![proptest_config(config())]

    #[test]
    fn the_directive_scanner_finds_only_one_line_directives(text in hostile(DIRECTIVE_PIECES, 2_000)) {
        for d in directive::find(&text, &["x", "include", "procedure"]) {
            let found = &text[d.range.clone()];
            prop_assert!(found.starts_with("{{#") && found.ends_with("}}"));
            prop_assert!(!found.contains('\n'));
        }
        let _ = directive::replace(&text, &["x"], |_| String::new());
        within_memory()?;
    }

    #[test]
    fn the_include_reader_matches_whole_directives(text in hostile(DIRECTIVE_PIECES, 2_000)) {
        for link in links(&text) {
            prop_assert_eq!(&text[link.range.clone()], link.text);
            if let Some(path) = link.path() {
                prop_assert!(link.text.contains(path));
            }
        }
        within_memory()?;
    }

    #[test]
    fn the_json_span_reader_stays_inside_any_text(text in hostile(JSON_PIECES, 4_000)) {
        let index = Index::new(&text);
        for pointer in ["", "/Statement/0/Action", "/a/b/c"] {
            let range = index.value_range(pointer);
            prop_assert!(range.start <= range.end && range.end <= text.len());
        }
        within_memory()?;
    }

    #[test]
    fn link_extraction_stays_inside_any_text(text in hostile(LINK_PIECES, 2_000)) {
        let page = extract(&text, &Default::default());
        for link in &page.links {
            prop_assert!(link.range.end <= text.len());
        }
        within_memory()?;
    }
}

/// The worst cases the issue measured, as fixed inputs under the same harness.
#[test]
fn known_worst_cases_finish_within_their_budget() {
    let lines = "{{#x\n".repeat(100_000) + "}}\n";
    let links = (0..10_000)
        .map(|i| format!("[x](n{i}.md)"))
        .collect::<Vec<_>>()
        .join(" ");
    let nested = "[".repeat(100_000);
    // One line: 100,000 `{{#x ` and one `}}`; 50,000 directives side by side.
    let open_line = "{{#x ".repeat(100_000) + "}}";
    let side_by_side = "{{#procedure p}} ".repeat(50_000);
    // 100,000 problems on one 2 MB line, with characters of every width.
    let long_line = "é€𝄞 [x](n.md) ".repeat(100_000);
    // 50,000 links on one line after an inline expansion, located in the source.
    let links_line = "[x](y.md) ".repeat(50_000);
    let expanded_source = format!("CPU {{{{#value task.cpu}}}} {links_line}\n");
    let expanded = format!("CPU 0.5 vCPU {links_line}\n");
    proptest!(config(), |(case in 0..7usize)| {
        match case {
            0 => prop_assert!(directive::find(&lines, &["x"]).is_empty()),
            1 => prop_assert_eq!(extract(&links, &Default::default()).links.len(), 10_000),
            2 => {
                let _ = Index::new(&nested);
            }
            3 => prop_assert!(directive::find(&open_line, &["x"]).len() == 1),
            4 => {
                let found = directive::find(&side_by_side, &["procedure"]);
                prop_assert_eq!(found.len(), 50_000);
                prop_assert!(found.iter().all(|d| directive::alone_indent(&side_by_side, &d.range).is_none()));
            }
            5 => {
                let origin = Origin::new("src/a.md", &expanded_source, &expanded);
                let first = "CPU 0.5 vCPU ".len();
                for k in (0..50_000).step_by(7) {
                    let at = first + 10 * k;
                    let location = origin.locate(at..at + 9);
                    prop_assert_eq!((location.line, location.column), (1, 25 + 10 * k));
                }
            }
            _ => {
                let map = TextMap::new("src/a.md", &long_line);
                let step = long_line.len() / 100_000;
                for (k, at) in (0..long_line.len()).step_by(step).enumerate() {
                    let location = map.locate(at + 10..at + 19);
                    prop_assert_eq!((location.line, location.column), (1, 14 * k + 5));
                    prop_assert!(location.line_text.len() < 2_000);
                }
            }
        }
        within_memory()?;
    });
}
