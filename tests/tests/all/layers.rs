//! The crate's top-level modules depend on each other without a cycle: the
//! model (paths, file access, settings, the parsed chapters) below the
//! checks, the checks below the pipeline and the commands. A cycle means a
//! lower module reached up for something, so a newcomer could not read one
//! layer without the others.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Each top-level module of `preprocessors/src` and the top-level modules
/// its non-test code names through `crate::`.
fn dependencies(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut modules: BTreeMap<String, Vec<std::path::PathBuf>> = BTreeMap::new();
    for entry in std::fs::read_dir(src).unwrap().flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some(stem) = name.strip_suffix(".rs") {
            if !matches!(stem, "lib" | "main") {
                modules.entry(stem.into()).or_default().push(path);
            }
        } else if path.is_dir() && name != "bin" {
            let files = walkdir::WalkDir::new(&path)
                .into_iter()
                .flatten()
                .filter(|e| e.path().extension().is_some_and(|x| x == "rs"))
                .filter(|e| e.file_name() != "tests.rs")
                .map(|e| e.into_path());
            modules.entry(name).or_default().extend(files);
        }
    }
    let names: BTreeSet<String> = modules.keys().cloned().collect();
    modules
        .iter()
        .map(|(module, files)| {
            let mut uses = BTreeSet::new();
            for file in files {
                let text = std::fs::read_to_string(file).unwrap();
                // A module's unit tests (last in the file) may reach anywhere.
                let code = text.split("#[cfg(test)]\nmod ").next().unwrap_or_default();
                for (at, _) in code.match_indices("crate::") {
                    let rest = &code[at + "crate::".len()..];
                    let named: Vec<&str> = match rest.strip_prefix('{') {
                        Some(group) => group
                            .split('}')
                            .next()
                            .unwrap_or_default()
                            .split(',')
                            .map(|item| item.trim().split("::").next().unwrap_or_default())
                            .collect(),
                        None => vec![
                            rest.split(|c: char| !(c.is_alphanumeric() || c == '_'))
                                .next()
                                .unwrap_or_default(),
                        ],
                    };
                    uses.extend(
                        named
                            .into_iter()
                            .filter(|n| *n != module && names.contains(*n))
                            .map(str::to_string),
                    );
                }
            }
            (module.clone(), uses)
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

#[test]
fn the_crates_modules_depend_on_each_other_without_a_cycle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../preprocessors/src");
    let graph = dependencies(&src);
    assert!(graph.len() > 30, "{:?}", graph.keys());
    assert_eq!(
        a_cycle(&graph),
        None,
        "a module reaches up to one that needs it"
    );
}

#[test]
fn a_cycle_is_found_where_there_is_one() {
    let dir = tempfile::tempdir().unwrap();
    let files = [
        ("lib.rs", "pub mod a; pub mod b; pub mod c;"),
        ("a.rs", "use crate::b::thing;"),
        (
            "b.rs",
            "use crate::{c::other, a};\n#[cfg(test)]\nuse crate::z;",
        ),
        ("c.rs", "#[cfg(test)]\nmod tests { use crate::a; }"),
    ];
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let graph = dependencies(dir.path());
    assert_eq!(
        a_cycle(&graph),
        Some(vec!["a".to_string(), "b".to_string(), "a".to_string()])
    );
    std::fs::write(dir.path().join("b.rs"), "use crate::c;").unwrap();
    assert_eq!(
        a_cycle(&dependencies(dir.path())),
        None,
        "c's test reaches a"
    );
}
