//! Near-duplicate detection alone, on every Markdown file under a folder:
//! `near-dup-bench [--naive] DIR`. Prints how many step lists, identical
//! pairs and near-duplicate pairs it found, and how long parsing and
//! detection took. `--naive` compares every pair of lists step by step on
//! their texts: the reference the benchmark measures the index against.

use responder_docs::checks::procedures::near_dup;
use responder_docs::model::ordered_lists;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    let mut naive = false;
    let mut dir = None;
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--naive" => naive = true,
            _ if dir.is_none() => dir = Some(PathBuf::from(arg)),
            _ => dir = None,
        }
    }
    let Some(dir) = dir else {
        eprintln!("usage: near-dup-bench [--naive] DIR");
        return ExitCode::from(2);
    };
    let started = Instant::now();
    let mut lists: Vec<Vec<String>> = Vec::new();
    let mut files = 0;
    for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
        let Ok(entry) = entry else { continue };
        if entry.path().extension().is_none_or(|e| e != "md") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(entry.path()) else {
            continue;
        };
        files += 1;
        for list in ordered_lists::parse(&text).lists {
            lists.push(
                list.steps
                    .iter()
                    .map(ordered_lists::Step::normalized)
                    .collect(),
            );
        }
    }
    let parsed = started.elapsed();
    let started = Instant::now();
    let pairs = if naive {
        same_as_index(&lists, near_dup::find_naive(&lists))
    } else {
        let hashes: Vec<Vec<u64>> = lists
            .iter()
            .map(|l| l.iter().map(|s| near_dup::step_hash(s)).collect())
            .collect();
        near_dup::find(&hashes)
    };
    let detected = started.elapsed();
    let near = pairs
        .iter()
        .filter(|p| p.kind == near_dup::Kind::Near)
        .count();
    let long = lists
        .iter()
        .filter(|l| l.len() >= near_dup::MIN_STEPS)
        .count();
    println!(
        "{} files, {} lists ({long} of {}+ steps), {} identical pairs, {near} near-duplicate pairs; parse {:.3} s, detection {:.3} s ({})",
        files,
        lists.len(),
        near_dup::MIN_STEPS,
        pairs.len() - near,
        parsed.as_secs_f64(),
        detected.as_secs_f64(),
        if naive { "every pair" } else { "index" }
    );
    ExitCode::SUCCESS
}

/// The naive pass pairs every copy of a list with every other; the index
/// pairs each copy with the first of its kind and compares distinct lists
/// once. Fold the naive pairs the same way so the two counts can be compared.
fn same_as_index(lists: &[Vec<String>], pairs: Vec<near_dup::Pair>) -> Vec<near_dup::Pair> {
    let mut first: std::collections::HashMap<&[String], usize> = Default::default();
    let rep: Vec<usize> = lists
        .iter()
        .enumerate()
        .map(|(i, l)| *first.entry(l.as_slice()).or_insert(i))
        .collect();
    let mut seen = std::collections::HashSet::new();
    pairs
        .into_iter()
        .filter(|p| match p.kind {
            near_dup::Kind::Identical => p.a == rep[p.b],
            near_dup::Kind::Near => seen.insert((rep[p.a].min(rep[p.b]), rep[p.a].max(rep[p.b]))),
        })
        .collect()
}
