//! One `check` opens each of the book's files once: the loader reads every
//! input through one primitive, mdBook's `Book` is built from those texts,
//! and every check asks the run's model for them. Counted from the system
//! calls, so a second read anywhere (mdBook's loader included) shows.

use responder_docs_tests::copy_real_book;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

/// How many times each regular file under `root` was opened for reading,
/// from an `strace -f -e trace=openat` log (folders and `O_PATH` handles,
/// which read nothing, are left out, as are failed opens).
fn opens(log: &str, root: &Path) -> BTreeMap<String, usize> {
    // A call another thread interrupts is written in two lines: `openat(…
    // <unfinished ...>`, then `<... openat resumed>) = 3`, each after the
    // thread's id. Joined here, so a busy run counts like a quiet one.
    let mut pending: BTreeMap<&str, &str> = BTreeMap::new();
    let mut calls = Vec::new();
    for line in log.lines() {
        let (thread, rest) = line.split_once(' ').unwrap_or(("", line));
        if let Some(call) = rest.strip_suffix(" <unfinished ...>") {
            pending.insert(thread, call);
        } else if let Some(result) = rest.strip_prefix("<... openat resumed>") {
            if let Some(call) = pending.remove(thread) {
                calls.push(format!("{call}{result}"));
            }
        } else {
            calls.push(rest.to_string());
        }
    }
    let mut counts = BTreeMap::new();
    for line in &calls {
        let Some((_, call)) = line.split_once("openat(") else {
            continue;
        };
        let Some((path, rest)) = call
            .split_once('"')
            .and_then(|(_, rest)| rest.split_once('"'))
        else {
            continue;
        };
        let failed = rest
            .rsplit_once("= ")
            .is_none_or(|(_, fd)| fd.starts_with('-'));
        if failed || rest.contains("O_DIRECTORY") || rest.contains("O_PATH") {
            continue;
        }
        let Ok(rel) = Path::new(path).strip_prefix(root) else {
            continue;
        };
        if Path::new(path).is_file() {
            *counts
                .entry(rel.to_string_lossy().into_owned())
                .or_default() += 1;
        }
    }
    counts
}

#[test]
fn the_counter_sees_a_second_open_and_ignores_what_reads_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("book.toml"), "").unwrap();
    let at = |flags: &str, result: &str| {
        format!(
            "12 openat(AT_FDCWD, \"{}/book.toml\", {flags}) = {result}\n",
            root.display()
        )
    };
    let log = [
        at("O_RDONLY|O_CLOEXEC", "3"),
        at("O_RDONLY|O_CLOEXEC|O_PATH", "4"),
        at(
            "O_RDONLY|O_CLOEXEC",
            "-1 ENOENT (No such file or directory)",
        ),
        at("O_RDONLY|O_CLOEXEC", "5"),
        // Interrupted by another thread, and written in two lines.
        format!(
            "13 openat(AT_FDCWD, \"{}/book.toml\", O_RDONLY|O_CLOEXEC <unfinished ...>\n",
            root.display()
        ),
        "12 write(2, \"x\", 1) = 1\n".to_string(),
        "13 <... openat resumed>) = 6\n".to_string(),
    ]
    .concat();
    assert_eq!(opens(&log, root), BTreeMap::from([("book.toml".into(), 3)]));
}

/// `responder-docs check ROOT` under strace: its exit status and the log
/// of its `openat` calls.
fn traced_check(root: &Path) -> (Option<i32>, String) {
    let log = root.with_extension("strace");
    let run = Command::new("strace")
        .args(["-f", "-qq", "-e", "trace=openat", "-o"])
        .arg(&log)
        .arg(env!("CARGO_BIN_EXE_cli"))
        .arg("check")
        .arg(root)
        .output()
        .expect("strace runs (apt-get install -y strace)");
    let text = std::fs::read_to_string(&log).unwrap();
    std::fs::remove_file(&log).unwrap();
    (run.status.code(), text)
}

#[test]
#[ignore = "needs strace: apt-get install -y strace"]
fn one_check_of_the_guide_opens_each_file_once() {
    let book = copy_real_book();
    let root = book.path().canonicalize().unwrap();
    let (status, log) = traced_check(&root);
    assert_eq!(status, Some(0));
    let counts = opens(&log, &root);
    for input in [
        "book.toml",
        "policies.toml",
        "src/SUMMARY.md",
        "src/task-definition.md",
        "templates/task-definition.json",
        "templates/responderapi-stack.json",
        "policies/task-role-trust.json",
    ] {
        assert!(counts.contains_key(input), "{input} not read: {counts:?}");
    }
    let again: Vec<_> = counts.iter().filter(|(_, n)| **n > 1).collect();
    assert!(again.is_empty(), "opened more than once: {again:?}");
}

/// A chapter that is a link into `.git/` is refused without being opened:
/// judged first, it is never read through the link.
#[cfg(unix)]
#[test]
#[ignore = "needs strace: apt-get install -y strace"]
fn a_chapter_linked_into_dot_git_is_never_opened() {
    let book = copy_real_book();
    let root = book.path().canonicalize().unwrap();
    std::fs::create_dir_all(root.join(".git")).unwrap();
    std::fs::write(root.join(".git/secretcred"), "SECRET\n").unwrap();
    std::os::unix::fs::symlink("../.git/secretcred", root.join("src/cred.md")).unwrap();
    let summary = root.join("src/SUMMARY.md");
    let text = std::fs::read_to_string(&summary).unwrap();
    std::fs::write(&summary, format!("{text}- [Cred](cred.md)\n")).unwrap();
    let (status, log) = traced_check(&root);
    assert_eq!(status, Some(1));
    let counts = opens(&log, &root);
    assert!(counts.contains_key("src/SUMMARY.md"), "{counts:?}");
    assert_eq!(counts.get("src/cred.md"), None, "{counts:?}");
    assert_eq!(counts.get(".git/secretcred"), None, "{counts:?}");
}

/// A folder of the sources linked out of the repository is refused without
/// being opened or listed: links are judged before the walk follows them.
#[cfg(unix)]
#[test]
#[ignore = "needs strace: apt-get install -y strace"]
fn a_folder_linked_out_of_the_repository_is_never_listed() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.md"), "SECRET\n").unwrap();
    let book = copy_real_book();
    let root = book.path().canonicalize().unwrap();
    std::os::unix::fs::symlink(outside.path(), root.join("src/out")).unwrap();
    let (status, text) = traced_check(&root);
    assert_eq!(status, Some(1));
    let outside = outside.path().canonicalize().unwrap();
    let link = root.join("src/out");
    // Opened through the link, the target itself, or a folder above the
    // book (as a walk that follows links does to look for loops).
    let opened: Vec<&str> = text
        .lines()
        .filter(|line| !line.contains("O_PATH"))
        .filter(|line| {
            let Some(path) = line.split('"').nth(1).map(Path::new) else {
                return false;
            };
            path.starts_with(&link)
                || path.starts_with(&outside)
                || (root.starts_with(path) && path != root)
        })
        .collect();
    assert_eq!(opened, Vec::<&str>::new());
}
