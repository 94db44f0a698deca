//! `serve`'s incremental rebuilds: after any sequence of edits, the site it
//! serves is byte for byte the site a fresh full build of the same sources
//! writes, and its report is that build's report. Edits are drawn at random
//! over a small book: chapter text, headings other chapters link to, links,
//! an included file, the outline, an asset, a linked file removed and made
//! again, book.toml, a chapter over the Markdown budget and back, step
//! lists (a procedure shown, copied by hand, misnumbered) and the procedure
//! file. The
//! fresh build reads a copy of the sources, so nothing `serve` keeps by
//! book root (each chapter's link findings) is shared with it.

use proptest::prelude::*;
use responder_docs::pipeline::{self, Options, Rebuilds};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const CHAPTERS: usize = 5;

fn chapter_file(i: usize) -> String {
    if i == 0 {
        "intro.md".into()
    } else {
        format!("part/ch{i}.md")
    }
}

/// A book whose chapters link to each other's headings and include a
/// shared file; `shared` enables the search index and the print page.
fn write_book(root: &Path, shared: bool) {
    let toggles = if shared {
        ""
    } else {
        "[output.html.print]\nenable = false\n[output.html.search]\nenable = false\n"
    };
    write(
        root,
        "book.toml",
        &format!("[book]\ntitle = \"Edited\"\n[build]\ncreate-missing = false\n{toggles}"),
    );
    let mut summary = String::from("# Summary\n\n[Intro](intro.md)\n\n");
    for i in 1..CHAPTERS {
        let indent = if i > 2 { "  " } else { "" };
        summary.push_str(&format!("{indent}- [Chapter {i}](part/ch{i}.md)\n"));
    }
    write(root, "src/SUMMARY.md", &summary);
    for i in 0..CHAPTERS {
        let next = chapter_file((i + 1) % CHAPTERS);
        let next = if i == 0 { next } else { format!("../{next}") };
        let text = format!(
            "# Chapter {i}\n\n## Setup {i}\n\nSee [the next setup]({next}#setup-{}).\n\n\
             {{{{#include ../shared.md}}}}\n",
            (i + 1) % CHAPTERS
        );
        write(root, &format!("src/{}", chapter_file(i)), &text);
    }
    write(root, "src/shared.md", "Shared text.\n");
    write(root, PROCEDURE, STEPS);
    write(root, "src/intro.md", "# Intro\n\n## Setup 0\n\nWelcome.\n");
    write(root, "src/assets/a.txt", "asset\n");
    write(root, "src/assets/b.txt", "linked\n");
    let ch1 = root.join("src").join(chapter_file(1));
    let text = std::fs::read_to_string(&ch1).unwrap();
    write(
        root,
        "src/part/ch1.md",
        &format!("{text}\n[A file](../assets/b.txt)\n"),
    );
}

/// The procedure chapters show with `{{#procedure deploy}}`.
const PROCEDURE: &str = "src/procedures/deploy.md";
const STEPS: &str = "1. Open the **Deploy** page.\n2. Choose **Create**.\n3. Choose **Save**.\n";

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[derive(Debug, Clone)]
enum Edit {
    /// A line appended to a chapter.
    Append(usize, String),
    /// A chapter's second heading renamed (the link to it from the
    /// previous chapter breaks) or named back.
    Heading(usize, bool),
    /// A link from one chapter to another's heading.
    Link(usize, usize),
    /// The file every chapter includes.
    Shared(String),
    /// A chapter's title in SUMMARY.md.
    Title(usize, String),
    /// A file copied into the site.
    Asset(String),
    /// The file chapter 1 links to removed (the link breaks) or made again.
    Linked(bool),
    /// The book's title.
    BookTitle(String),
    /// A page title set by `{{#title}}`.
    PageTitle(usize, String),
    /// A chapter taken over the Markdown budget (the build fails) or
    /// brought back within it.
    Budget(usize, bool),
    /// A chapter's step list replaced.
    Steps(usize, Steps),
    /// The procedure's last step reworded.
    Procedure(String),
}

/// The step list a chapter ends with.
#[derive(Debug, Clone, Copy)]
enum Steps {
    None,
    /// `{{#procedure deploy}}`.
    Shown,
    /// The procedure's steps typed out (a duplicate of the procedure file,
    /// or of another chapter's copy).
    Copied,
    /// Three steps numbered 1, 3, 4.
    Misnumbered,
}

fn edit() -> impl Strategy<Value = Edit> {
    let chapter = 0..CHAPTERS;
    let word = "[a-z]{1,8}";
    prop_oneof![
        4 => (chapter.clone(), word).prop_map(|(i, w)| Edit::Append(i, w)),
        2 => (1..CHAPTERS, any::<bool>()).prop_map(|(i, b)| Edit::Heading(i, b)),
        2 => (chapter.clone(), chapter.clone()).prop_map(|(i, j)| Edit::Link(i, j)),
        1 => word.prop_map(Edit::Shared),
        1 => (1..CHAPTERS, word).prop_map(|(i, w)| Edit::Title(i, w)),
        1 => word.prop_map(Edit::Asset),
        1 => any::<bool>().prop_map(Edit::Linked),
        1 => word.prop_map(Edit::BookTitle),
        1 => (chapter.clone(), word).prop_map(|(i, w)| Edit::PageTitle(i, w)),
        1 => (chapter.clone(), any::<bool>()).prop_map(|(i, b)| Edit::Budget(i, b)),
        3 => (chapter, steps()).prop_map(|(i, s)| Edit::Steps(i, s)),
        1 => word.prop_map(Edit::Procedure),
    ]
}

fn steps() -> impl Strategy<Value = Steps> {
    prop_oneof![
        Just(Steps::None),
        Just(Steps::Shown),
        Just(Steps::Copied),
        Just(Steps::Misnumbered),
    ]
}

/// What one rebuild sees: mostly one edit, sometimes two or three.
fn save() -> impl Strategy<Value = Vec<Edit>> {
    prop_oneof![
        3 => edit().prop_map(|e| vec![e]),
        1 => prop::collection::vec(edit(), 2..4),
    ]
}

/// Applies an edit; returns the file it wrote.
fn apply(root: &Path, edit: &Edit) -> PathBuf {
    let chapter = |i: usize| root.join("src").join(chapter_file(i));
    let append = |path: &Path, text: &str| {
        let mut old = std::fs::read_to_string(path).unwrap();
        old.push_str(text);
        std::fs::write(path, old).unwrap();
    };
    match edit {
        Edit::Append(i, w) => {
            append(&chapter(*i), &format!("\n{w} text.\n"));
            chapter(*i)
        }
        Edit::Heading(i, renamed) => {
            let path = chapter(*i);
            let text = std::fs::read_to_string(&path).unwrap();
            let (from, to) = (format!("## Setup {i}\n"), format!("## Set up {i}\n"));
            let text = if *renamed {
                text.replace(&from, &to)
            } else {
                text.replace(&to, &from)
            };
            std::fs::write(&path, text).unwrap();
            path
        }
        Edit::Link(i, j) => {
            let target = chapter_file(*j);
            let target = if *i == 0 {
                target
            } else {
                format!("../{target}")
            };
            append(&chapter(*i), &format!("\n[to {j}]({target}#setup-{j})\n"));
            chapter(*i)
        }
        Edit::Shared(w) => {
            let path = root.join("src/shared.md");
            append(&path, &format!("{w}\n"));
            path
        }
        Edit::Title(i, w) => {
            let path = root.join("src/SUMMARY.md");
            let text = std::fs::read_to_string(&path).unwrap();
            let line_start = "- [";
            let file = format!("](part/ch{i}.md)");
            let text: String = text
                .lines()
                .map(|line| match line.find(&file) {
                    Some(end) if line.contains(line_start) => {
                        let start = line.find('[').unwrap() + 1;
                        format!("{}{w}{}\n", &line[..start], &line[end..])
                    }
                    _ => format!("{line}\n"),
                })
                .collect();
            std::fs::write(&path, text).unwrap();
            path
        }
        Edit::Asset(w) => {
            let path = root.join("src/assets/a.txt");
            append(&path, &format!("{w}\n"));
            path
        }
        Edit::Linked(removed) => {
            let path = root.join("src/assets/b.txt");
            if *removed {
                let _ = std::fs::remove_file(&path);
            } else {
                std::fs::write(&path, "linked\n").unwrap();
            }
            path
        }
        Edit::BookTitle(w) => {
            let path = root.join("book.toml");
            let text = std::fs::read_to_string(&path).unwrap();
            let start = text.find("title = \"").unwrap() + 9;
            let end = start + text[start..].find('"').unwrap();
            std::fs::write(&path, format!("{}{w}{}", &text[..start], &text[end..])).unwrap();
            path
        }
        Edit::PageTitle(i, w) => {
            // Set once, then replaced in place: the content stays the same.
            let path = chapter(*i);
            let text = std::fs::read_to_string(&path).unwrap();
            let title = format!("{{{{#title {w}}}}}\n");
            let text = match text.find("{{#title ") {
                Some(at) => {
                    let end = at + text[at..].find('\n').unwrap() + 1;
                    format!("{}{title}{}", &text[..at], &text[end..])
                }
                None => format!("{text}\n{title}"),
            };
            std::fs::write(&path, text).unwrap();
            path
        }
        Edit::Budget(i, over) => {
            let path = chapter(*i);
            let text = std::fs::read_to_string(&path).unwrap();
            let mut text: String = text
                .lines()
                .filter(|line| !line.starts_with(OVER))
                .map(|line| format!("{line}\n"))
                .collect();
            if *over {
                let delimiters = "[".repeat(responder_docs::model::markdown::MAX_DELIMITERS + 1);
                text.push_str(&format!("{OVER}{delimiters}\n"));
            }
            std::fs::write(&path, text).unwrap();
            path
        }
        Edit::Steps(i, steps) => {
            let path = chapter(*i);
            let text = std::fs::read_to_string(&path).unwrap();
            let step = |line: &str| {
                line.starts_with("{{#procedure") || line.starts_with(|c: char| c.is_ascii_digit())
            };
            let mut text: String = text
                .lines()
                .filter(|line| !step(line))
                .map(|line| format!("{line}\n"))
                .collect();
            text.push_str(match steps {
                Steps::None => "",
                Steps::Shown => "\n{{#procedure deploy}}\n",
                Steps::Copied => STEPS,
                Steps::Misnumbered => {
                    "1. Open the page.\n3. Choose **Next**.\n4. Choose **Done**.\n"
                }
            });
            std::fs::write(&path, text).unwrap();
            path
        }
        Edit::Procedure(w) => {
            let path = root.join(PROCEDURE);
            let text = STEPS.replace("**Save**", &format!("**{w}**"));
            std::fs::write(&path, text).unwrap();
            path
        }
    }
}

/// Starts the line that takes a chapter over the Markdown budget.
const OVER: &str = "Over:";

/// Every file under `dir`, by relative path.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut all = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).unwrap();
            all.insert(
                rel.display().to_string(),
                std::fs::read(entry.path()).unwrap(),
            );
        }
    }
    all
}

/// The report as a list of `path:line:col: message` lines.
fn report(outcome: &pipeline::Outcome) -> Vec<String> {
    outcome.diagnostics.iter().map(|d| d.short()).collect()
}

/// One rebuild as `serve` runs it: the pages written alone, if any.
fn rebuild(
    rebuilds: &mut Rebuilds,
    root: &Path,
    site: &Path,
) -> (pipeline::Outcome, Option<Vec<PathBuf>>) {
    let rebuilt = rebuilds.rebuild(root, site, &Options::default()).unwrap();
    (rebuilt.outcome, rebuilt.pages.map(|p| p.chapters))
}

/// `serve`'s site after each save (one or more edits, as one rebuild sees
/// them) against a fresh full build of the same sources (a failed build
/// leaves the last good site). With the search
/// index and print page enabled, pages written alone name the old index
/// until the sources settle: compared without it, then exactly.
fn run(saves: &[Vec<Edit>], shared: bool) -> Result<Vec<Written>, TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("book");
    write_book(&root, shared);
    let site = root.join("served");
    // As `serve` does: each chapter's parse, budget verdict, link and step
    // findings, and each file's text are kept from one build to the next.
    responder_docs::model::chapters::keep_reads();
    responder_docs::model::markdown::keep_budgets();
    responder_docs::checks::links::keep_findings();
    responder_docs::checks::procedures::keep_findings();
    responder_docs::model::kept_texts::keep_texts();
    let mut rebuilds = Rebuilds::default();
    let (first, _) = rebuild(&mut rebuilds, &root, &site);
    prop_assert!(!first.failed, "{:?}", report(&first));
    let mut good = files(&site);
    let mut written = Vec::new();
    let mut failed = false;
    for (n, edits) in saves.iter().enumerate() {
        for edit in edits {
            rebuilds.edited(apply(&root, edit));
        }
        let (ours, pages) = rebuild(&mut rebuilds, &root, &site);
        written.push(Written {
            pages,
            links: responder_docs::checks::links::last_rechecked(&root),
            steps: responder_docs::checks::procedures::last_rechecked(&root),
            report: report(&ours),
        });
        // The fresh build reads a copy of the sources: what a check keeps
        // is kept by book root, so the fresh one neither reads nor replaces
        // what the rebuilds keep.
        let fresh_root = dir.path().join(format!("fresh-book-{n}"));
        copy_sources(&root, &fresh_root);
        let fresh_dir = dir.path().join(format!("fresh-{n}"));
        let fresh = pipeline::build(&fresh_root, Some(&fresh_dir), &Options::default()).unwrap();
        prop_assert_eq!(report(&ours), report(&fresh), "after {:?}", &saves[..=n]);
        // Whole: hints, related places and fixes too.
        prop_assert_eq!(&ours.diagnostics, &fresh.diagnostics);
        prop_assert_eq!(ours.failed, fresh.failed);
        failed = fresh.failed;
        if !fresh.failed {
            good = files(&fresh_dir);
        }
        let served = files(&site);
        if rebuilds.stale() {
            prop_assert_eq!(
                without_shared(&served),
                without_shared(&good),
                "after {:?}",
                &saves[..=n]
            );
        } else {
            prop_assert!(
                served == good,
                "after {:?}: {}",
                &saves[..=n],
                differ(&served, &good)
            );
        }
    }
    if rebuilds.stale() && !failed {
        // What `serve` runs once the sources stay quiet after a good build.
        let settled = rebuilds.full(&root, &site, &Options::default()).unwrap();
        prop_assert!(!settled.outcome.failed);
    }
    let served = files(&site);
    if !rebuilds.stale() {
        prop_assert!(served == good, "settled: {}", differ(&served, &good));
    }
    Ok(written)
}

/// After one save: the pages written alone (`None`: the whole site), the
/// chapters whose links were checked again and those whose steps were
/// (`None`: every chapter), and the report.
struct Written {
    pages: Option<Vec<PathBuf>>,
    links: Option<Vec<usize>>,
    steps: Option<Vec<String>>,
    report: Vec<String>,
}

/// The book at `root` copied to `to`, less the site served from it.
fn copy_sources(root: &Path, to: &Path) {
    for (rel, bytes) in files(root) {
        if !rel.starts_with("served") {
            let path = to.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, bytes).unwrap();
        }
    }
}

/// The site without the search index and print page, every page naming
/// the index alike.
fn without_shared(site: &BTreeMap<String, Vec<u8>>) -> BTreeMap<String, String> {
    site.iter()
        .filter(|(name, _)| !name.starts_with("searchindex") && *name != "print.html")
        .map(|(name, bytes)| {
            let text = String::from_utf8_lossy(bytes);
            let mut parts = text.split("searchindex-");
            let mut same = parts.next().unwrap_or_default().to_string();
            for part in parts {
                same.push_str("searchindex");
                same.push_str(part.get(8..).unwrap_or(part));
            }
            (name.clone(), same)
        })
        .collect()
}

fn differ(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) -> String {
    let names: std::collections::BTreeSet<_> = a.keys().chain(b.keys()).collect();
    let differ: Vec<_> = names
        .into_iter()
        .filter(|n| a.get(*n) != b.get(*n))
        .collect();
    format!("files that differ: {differ:?}")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn served_site_equals_a_fresh_build(saves in prop::collection::vec(save(), 1..6)) {
        run(&saves, false)?;
    }

    #[test]
    fn with_search_and_print_it_equals_once_settled(saves in prop::collection::vec(save(), 1..5)) {
        run(&saves, true)?;
    }
}

/// The fast path is taken: a chapter edit renders that page alone; an
/// edit that breaks a link writes nothing; an edit that changes no page's
/// content renders none; an included file renders its includers; a page
/// title renders its page, even with the content unchanged; the outline and
/// the assets render everything (a linked file removed fails the build,
/// made again it renders everything); two chapters saved at once render
/// both (the first one's page is `index.html` too); a chapter over the
/// Markdown budget writes nothing, and brought back it renders no page (it
/// is as served).
#[test]
fn each_edit_renders_the_pages_it_changed() {
    let written = run(
        &[
            vec![Edit::Append(2, "one".into())],
            vec![Edit::Heading(3, true)],
            vec![Edit::Heading(3, false)],
            vec![Edit::Shared("two".into())],
            vec![Edit::PageTitle(2, "first".into())],
            vec![Edit::PageTitle(2, "second".into())],
            vec![Edit::Title(1, "renamed".into())],
            vec![Edit::Asset("three".into())],
            vec![Edit::Linked(true)],
            vec![Edit::Linked(false)],
            vec![
                Edit::Append(4, "four".into()),
                Edit::Append(0, "zero".into()),
            ],
            vec![Edit::Budget(2, true)],
            vec![Edit::Budget(2, false)],
        ],
        false,
    )
    .unwrap();
    // The introduction includes nothing.
    let all: Vec<PathBuf> = (1..CHAPTERS).map(|i| chapter_file(i).into()).collect();
    let pages: Vec<_> = written.iter().map(|w| w.pages.clone()).collect();
    assert_eq!(
        pages,
        [
            Some(vec![PathBuf::from("part/ch2.md")]),
            None,
            Some(Vec::new()),
            Some(all),
            Some(vec![PathBuf::from("part/ch2.md")]),
            Some(vec![PathBuf::from("part/ch2.md")]),
            None,
            None,
            None,
            None,
            Some(vec![
                PathBuf::from("intro.md"),
                PathBuf::from("part/ch4.md")
            ]),
            None,
            Some(Vec::new()),
        ]
    );
    // Links: an edited chapter is checked again alone; a renamed heading
    // (ids changed) checks again every chapter with a link to another
    // page's anchor (all but the introduction); an included file, the
    // outline, an asset and the removal of a linked file check every
    // chapter; a page title that leaves
    // the content as it was checks none. Over the Markdown budget, the
    // build stops before the links are checked (the last check's answer
    // stands); brought back, chapter 2 is as last checked.
    let links: Vec<_> = written.iter().map(|w| w.links.clone()).collect();
    assert_eq!(
        links,
        [
            Some(vec![2]),
            Some(vec![1, 2, 3, 4]),
            Some(vec![1, 2, 3, 4]),
            None,
            Some(vec![2]),
            Some(Vec::new()),
            None,
            None,
            None,
            None,
            Some(vec![0, 4]),
            Some(vec![0, 4]),
            Some(Vec::new()),
        ]
    );
}

/// Steps: an edited chapter's steps are checked again alone, and what it
/// finds comes and goes with the edits (a misnumbered list fixed, a copy of
/// the procedure made in one chapter, then another); the procedure file
/// edited checks every chapter again. The report is a fresh build's at
/// every save (see [`run`]); here, which chapters were checked again and
/// what the steps' checks found.
#[test]
fn each_edit_checks_again_the_steps_it_changed() {
    let saves = [
        vec![Edit::Steps(2, Steps::Misnumbered)],
        vec![Edit::Steps(2, Steps::Shown)],
        vec![Edit::Steps(3, Steps::Copied)],
        vec![Edit::Steps(4, Steps::Copied)],
        vec![Edit::Procedure("Publish".into())],
        vec![Edit::Append(4, "more".into())],
        vec![Edit::Steps(3, Steps::None), Edit::Steps(4, Steps::None)],
    ];
    let written = run(&saves, false).unwrap();
    let rechecked: Vec<_> = written.iter().map(|w| w.steps.clone()).collect();
    let ch = |i: usize| format!("src/{}", chapter_file(i));
    assert_eq!(
        rechecked,
        [
            Some(vec![ch(2)]),
            Some(vec![ch(2)]),
            Some(vec![ch(3)]),
            Some(vec![ch(4)]),
            None,
            Some(vec![ch(4)]),
            Some(vec![ch(3), ch(4)]),
        ]
    );
    let steps: Vec<Vec<&str>> = written
        .iter()
        .map(|w| {
            w.report
                .iter()
                .filter(|line| line.contains("[procedures::"))
                .map(String::as_str)
                .collect()
        })
        .collect();
    let copy = |i: usize, of: &str| {
        format!(
            "src/part/ch{i}.md:8:1: warning[procedures::duplicate]: these 3 steps repeat the steps at {of}"
        )
    };
    let (of_procedure, of_ch3) = ("src/procedures/deploy.md:1:1", "src/part/ch3.md:8:1");
    assert_eq!(
        steps,
        [
            vec![
                "src/part/ch2.md:9:1: error[procedures::numbering]: step number 3 follows 1: step 2 is missing"
            ],
            vec![],
            vec![copy(3, of_procedure).as_str()],
            vec![
                copy(3, of_procedure).as_str(),
                copy(4, of_procedure).as_str()
            ],
            // Reworded, the procedure is no longer copied; the copies still are.
            vec![copy(4, of_ch3).as_str()],
            vec![copy(4, of_ch3).as_str()],
            vec![],
        ]
    );
}
