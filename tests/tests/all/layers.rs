//! The crate's folders are its layers, each using only those below it:
//! `diagnostics`, then `model` (the book read once), `checks`, `pipeline`
//! and `shells`. Within and across them, its modules depend on each other
//! without a cycle. A use of a layer above, or a cycle, means a lower module
//! reached up for something, so a newcomer could not read one layer without
//! the others.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers, lowest first.
const LAYERS: [&str; 5] = ["diagnostics", "model", "checks", "pipeline", "shells"];

/// Every module of the layers, by its file (`checks/aws/stacks.rs` is
/// `checks::aws::stacks`, `checks/aws/mod.rs` is `checks::aws`), with the
/// file's path. Unit-test files are left out.
fn modules(src: &Path) -> BTreeMap<String, PathBuf> {
    let mut modules = BTreeMap::new();
    for layer in LAYERS {
        for entry in walkdir::WalkDir::new(src.join(layer)).into_iter().flatten() {
            let path = entry.path();
            if path.extension().is_none_or(|x| x != "rs") || entry.file_name() == "tests.rs" {
                continue;
            }
            let rel = path.strip_prefix(src).unwrap().with_extension("");
            let mut segments: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if segments.last().is_some_and(|s| s == "mod") {
                segments.pop();
            }
            modules.insert(segments.join("::"), path.to_path_buf());
        }
    }
    modules
}

/// Every path a piece of Rust names after `crate::`, or after `super::`
/// in the module `module` (`super` is its parent), groups spread out:
/// `crate::checks::{aws, links::Link}` gives `checks::aws` and
/// `checks::links::Link`. Comments are left out.
fn crate_paths(code: &str, module: &str) -> Vec<String> {
    let code: String = code
        .lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let parent = module.rsplit_once("::").map_or("", |(parent, _)| parent);
    let mut found = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        spread(&code[at + "crate::".len()..], String::new(), &mut found);
    }
    for (at, _) in code.match_indices("super::") {
        // Only a path's start: not `super::super::` counted twice.
        let before = code[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        let mut rest = &code[at + "super::".len()..];
        let mut base = parent.to_string();
        while let Some(next) = rest.strip_prefix("super::") {
            base = base.rsplit_once("::").map_or("", |(p, _)| p).to_string();
            rest = next;
        }
        spread(rest, base, &mut found);
    }
    found
}

fn spread(rest: &str, prefix: String, found: &mut Vec<String>) {
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    let mut path = prefix;
    let mut rest = rest;
    loop {
        if let Some(group) = rest.strip_prefix('{') {
            let inner = group.split('}').next().unwrap_or_default();
            for item in inner.split(',').map(str::trim).filter(|i| !i.is_empty()) {
                spread(item, path.clone(), found);
            }
            return;
        }
        let end = rest.find(|c: char| !ident(c)).unwrap_or(rest.len());
        if end == 0 {
            break;
        }
        if !path.is_empty() {
            path.push_str("::");
        }
        path.push_str(&rest[..end]);
        match rest[end..].strip_prefix("::") {
            Some(next) => rest = next,
            None => break,
        }
    }
    if !path.is_empty() {
        found.push(path);
    }
}

/// Each module and the modules its non-test code names, leaving out its
/// own ancestors and descendants: a parent declares its children, and a
/// child may use what its parent gives.
fn dependencies(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let modules = modules(src);
    let unit_of = |path: &str| -> Option<String> {
        let segments: Vec<&str> = path.split("::").collect();
        (1..=segments.len())
            .rev()
            .map(|n| segments[..n].join("::"))
            .find(|candidate| modules.contains_key(candidate))
    };
    let related = |a: &str, b: &str| {
        a == b || a.starts_with(&format!("{b}::")) || b.starts_with(&format!("{a}::"))
    };
    modules
        .iter()
        .map(|(module, file)| {
            let text = std::fs::read_to_string(file).unwrap();
            // A module's unit tests (last in the file) may reach anywhere.
            let code = text.split("#[cfg(test)]\nmod ").next().unwrap_or_default();
            let uses = crate_paths(code, module)
                .iter()
                .filter_map(|path| unit_of(path))
                .filter(|used| !related(used, module))
                .collect();
            (module.clone(), uses)
        })
        .collect()
}

fn rank(module: &str) -> usize {
    let layer = module.split("::").next().unwrap_or_default();
    LAYERS
        .iter()
        .position(|l| *l == layer)
        .unwrap_or(usize::MAX)
}

/// Every use of a module in a layer above the user's, as `user -> used`.
fn upward(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<String> {
    graph
        .iter()
        .flat_map(|(module, uses)| {
            uses.iter()
                .filter(|used| rank(used) > rank(module))
                .map(move |used| format!("{module} -> {used}"))
        })
        .collect()
}

/// One cycle of `graph`, as the modules on it, if there is one.
fn a_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        graph: &BTreeMap<String, BTreeSet<String>>,
        module: &str,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|m| m == module) {
            let mut cycle = path[start..].to_vec();
            cycle.push(module.to_string());
            return Some(cycle);
        }
        if done.contains(module) {
            return None;
        }
        path.push(module.to_string());
        for next in graph.get(module).into_iter().flatten() {
            if let Some(cycle) = visit(graph, next, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(module.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|m| visit(graph, m, &mut Vec::new(), &mut done))
}

fn crate_src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../preprocessors/src")
}

#[test]
fn the_crates_modules_use_no_layer_above_their_own_and_form_no_cycle() {
    let src = crate_src();
    let graph = dependencies(&src);
    assert!(graph.len() > 80, "{:?}", graph.keys());
    // Every file of the crate but its roots sits in a layer.
    let loose: Vec<_> = std::fs::read_dir(&src)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| !LAYERS.contains(&name.as_str()))
        .filter(|name| !matches!(name.as_str(), "lib.rs" | "main.rs" | "bin"))
        .collect();
    assert_eq!(loose, Vec::<String>::new(), "outside the layers");
    assert_eq!(
        upward(&graph),
        Vec::<String>::new(),
        "a use of a layer above"
    );
    assert_eq!(
        a_cycle(&graph),
        None,
        "a module reaches up to one that needs it"
    );
}

#[test]
fn an_upward_use_and_a_cycle_are_found_where_there_are_some() {
    let dir = tempfile::tempdir().unwrap();
    let files = [
        ("model/mod.rs", "pub mod a; pub mod b;"),
        (
            "model/a.rs",
            "use crate::model::b::thing;\n// crate::shells::x in a comment",
        ),
        (
            "model/b.rs",
            "use crate::model::{a, b::c};\nuse crate::checks::{z::{One, Two}};\n#[cfg(test)]\nuse crate::shells::x;",
        ),
        (
            "checks/z.rs",
            "#[cfg(test)]\nmod tests { use crate::shells::x; }",
        ),
        ("shells/x.rs", "use crate::model::a;"),
    ];
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let graph = dependencies(dir.path());
    assert_eq!(
        a_cycle(&graph),
        Some(vec![
            "model::a".to_string(),
            "model::b".to_string(),
            "model::a".to_string()
        ])
    );
    // The `#[cfg(test)] use` before the tests module counts; the one inside does not.
    assert_eq!(
        upward(&graph),
        ["model::b -> checks::z", "model::b -> shells::x"]
    );
    std::fs::write(dir.path().join("model/b.rs"), "use crate::model::c;").unwrap();
    std::fs::create_dir(dir.path().join("checks/y")).unwrap();
    for (name, text) in [
        ("checks/y/mod.rs", "mod p; mod q; use p::One;"),
        ("checks/y/p.rs", "use super::q::Two; use super::super::z;"),
        ("checks/y/q.rs", "use super::p;"),
    ] {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let graph = dependencies(dir.path());
    // Through `super::`, within a folder; a parent and its child are no cycle.
    assert_eq!(
        a_cycle(&graph),
        Some(vec![
            "checks::y::p".to_string(),
            "checks::y::q".to_string(),
            "checks::y::p".to_string()
        ])
    );
    assert_eq!(
        graph["checks::y::p"],
        BTreeSet::from(["checks::y::q".to_string(), "checks::z".to_string()])
    );
    std::fs::write(dir.path().join("checks/y/q.rs"), "use super::super::z;").unwrap();
    let graph = dependencies(dir.path());
    assert_eq!(a_cycle(&graph), None);
    assert_eq!(upward(&graph), Vec::<String>::new());
}
