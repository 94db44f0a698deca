//! Nothing outside the repository reaches the site, and nothing of the
//! writer's is deleted: each way in, tried on a temporary copy.

use responder_docs_tests::{
    check_shorts, commands_from_workspace, copy_real_book, run, stock_mdbook_available, tiny_book,
};
use std::path::Path;
use std::process::Command;

/// Appends `text` to a file and returns the 1-based line its first line lands on.
fn append(file: &Path, text: &str) -> usize {
    let old = std::fs::read_to_string(file).unwrap();
    let sep = if old.ends_with('\n') { "" } else { "\n" };
    std::fs::write(file, format!("{old}{sep}{text}")).unwrap();
    old.lines().count() + 1
}

fn build(book: &Path, dest: &Path) -> responder_docs_tests::Run {
    run(&[
        "build",
        book.to_str().unwrap(),
        "--dest-dir",
        dest.to_str().unwrap(),
    ])
}

/// Every file under `dir` whose bytes contain `needle`.
fn files_containing(dir: &Path, needle: &str) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .filter(|e| {
            std::fs::read(e.path()).is_ok_and(|b| String::from_utf8_lossy(&b).contains(needle))
        })
        .map(|e| e.path().display().to_string())
        .collect()
}

fn canonical(path: &Path) -> String {
    path.canonicalize().unwrap().display().to_string()
}

#[test]
fn an_include_in_a_procedure_step_is_refused_at_the_step() {
    let book = copy_real_book();
    let root = book.path();
    let procedure = root.join("src/procedures/find-public-ip.md");
    let line = append(
        &procedure,
        "4. Compare with the environment:\n\n   ```text\n   {{#include /proc/self/environ}}\n   ```\n",
    ) + 3;
    let (code, found) = check_shorts(root);
    assert_eq!(code, 1);
    let expected = format!(
        "src/procedures/find-public-ip.md:{line}:4: error[reach::include-outside]: `{{{{#include /proc/self/environ}}}}` reads `/proc/self/environ`, which resolves to `{}`, outside the repository (`{}`)",
        Path::new("/proc/self/environ")
            .canonicalize()
            .unwrap()
            .display(),
        canonical(root)
    );
    assert_eq!(
        found
            .iter()
            .filter(|s| s.contains("reach::"))
            .collect::<Vec<_>>(),
        [&expected],
        "reported once, at the step, though two chapters show it"
    );
    let dest = root.join("site");
    let built = build(root, &dest);
    assert_eq!(built.code, 1, "{}", built.stderr);
    assert!(!dest.exists(), "nothing written");
}

#[test]
fn climbing_out_and_absolute_paths_are_refused_despite_decoys() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    tiny_book(
        root,
        "# Summary\n\n[A](a.md)\n",
        &[
            (
                "a.md",
                "# A\n\n```\n{{#include ../../../../../../../../../../etc/passwd}}\n```\n\n{{#include /etc/passwd}}\n",
            ),
            ("etc/passwd", "decoy"),
        ],
    );
    std::fs::write(root.join("etc-passwd"), "decoy").unwrap();
    let (code, found) = check_shorts(root);
    assert_eq!(code, 1);
    let shorts: Vec<String> = found
        .iter()
        .map(|s| {
            s.split(": error").next().unwrap().to_string()
                + s.split("]").next().unwrap().rsplit('[').next().unwrap()
        })
        .collect();
    assert_eq!(
        shorts,
        [
            "src/a.md:4:1reach::include-outside",
            "src/a.md:7:1reach::include-outside"
        ]
    );
    let dest = root.join("site");
    let built = build(root, &dest);
    assert_eq!(built.code, 1);
    assert!(!dest.exists());
}

#[cfg(unix)]
#[test]
fn dot_dot_through_a_linked_folder_lands_beside_the_repository_and_is_refused() {
    let outer = tempfile::tempdir().unwrap();
    std::fs::write(outer.path().join("secret.txt"), "canary-beside-the-repo").unwrap();
    let root = outer.path().join("book");
    tiny_book(
        &root,
        "# Summary\n\n[A](a.md)\n",
        &[(
            "a.md",
            "# A\n\n{{#include shared/../../secret.txt}}\n\n{{#include shared/ok.json}}\n",
        )],
    );
    std::fs::write(root.join("secret.txt"), "decoy at the book root").unwrap();
    std::fs::create_dir_all(root.join("shared")).unwrap();
    std::fs::write(root.join("shared/ok.json"), "{}\n").unwrap();
    std::os::unix::fs::symlink("../shared", root.join("src/shared")).unwrap();
    let (code, found) = check_shorts(&root);
    assert_eq!(code, 1);
    assert_eq!(
        found,
        [format!(
            "src/a.md:3:1: error[reach::include-outside]: `{{{{#include shared/../../secret.txt}}}}` reads `shared/../../secret.txt`, which resolves to `{}`, outside the repository (`{}`)",
            canonical(&outer.path().join("secret.txt")),
            canonical(&root)
        )]
    );
    // With the bad include gone, the link inside the repository builds.
    std::fs::write(
        root.join("src/a.md"),
        "# A\n\n{{#include shared/ok.json}}\n",
    )
    .unwrap();
    let dest = root.join("site");
    let built = build(&root, &dest);
    assert_eq!(built.code, 0, "{}", built.stderr);
    assert!(files_containing(&dest, "canary-beside-the-repo").is_empty());
}

#[cfg(unix)]
#[test]
fn symlinks_under_src_leading_outside_are_refused_and_nothing_is_written() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("leak.txt"), "canary-outside").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    tiny_book(
        root,
        "# Summary\n\n[A](a.md)\n[Leak](leak.md)\n",
        &[("a.md", "# A\n")],
    );
    let src = root.join("src");
    std::os::unix::fs::symlink("/etc/passwd", src.join("passwd.txt")).unwrap();
    std::os::unix::fs::symlink(outside.path(), src.join("assets")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("leak.txt"), src.join("leak.md")).unwrap();
    let (code, found) = check_shorts(root);
    assert_eq!(code, 1);
    let outside_real = canonical(outside.path());
    let book_real = canonical(root);
    assert_eq!(
        found,
        [
            format!(
                "src/assets:1:1: error[reach::outside-source]: `src/assets` resolves to `{outside_real}`, outside the repository (`{book_real}`); mdBook would copy it into the site"
            ),
            format!(
                "src/leak.md:1:1: error[reach::outside-source]: `src/leak.md` resolves to `{outside_real}/leak.txt`, outside the repository (`{book_real}`); mdBook would copy it into the site"
            ),
            format!(
                "src/passwd.txt:1:1: error[reach::outside-source]: `src/passwd.txt` resolves to `{}`, outside the repository (`{book_real}`); mdBook would copy it into the site",
                canonical(Path::new("/etc/passwd"))
            ),
        ]
    );
    let dest = root.join("site");
    let built = build(root, &dest);
    assert_eq!(built.code, 1, "{}", built.stderr);
    assert!(!dest.exists());
}

#[test]
fn the_real_books_links_to_policies_and_templates_stay_allowed() {
    let book = copy_real_book();
    let (code, found) = check_shorts(book.path());
    assert_eq!((code, found), (0, Vec::<String>::new()));
}

#[test]
fn the_writers_folders_are_never_a_destination() {
    let outer = tempfile::tempdir().unwrap();
    let root = outer.path().join("book");
    tiny_book(&root, "# Summary\n\n[A](a.md)\n", &[("a.md", "# A\n")]);
    std::fs::create_dir_all(outer.path().join("sibling")).unwrap();
    std::fs::write(outer.path().join("sibling/keep.txt"), "mine").unwrap();
    std::fs::write(root.join("notes.txt"), "mine").unwrap();
    for dest in [
        root.clone(),
        root.join("."),
        root.join("src"),
        root.join("src/out"),
        outer.path().to_path_buf(),
        outer.path().join("sibling"),
        root.join("notes.txt"),
    ] {
        let built = build(&root, &dest);
        assert_eq!(built.code, 2, "{}: {}", dest.display(), built.stderr);
        assert!(
            built.stderr.contains("error: the destination"),
            "{}",
            built.stderr
        );
    }
    assert!(root.join("book.toml").is_file() && root.join("src/a.md").is_file());
    assert!(outer.path().join("sibling/keep.txt").is_file());
    assert_eq!(
        std::fs::read_to_string(root.join("notes.txt")).unwrap(),
        "mine"
    );

    // `build-dir = "src"` in book.toml is refused the same way.
    let toml = root.join("book.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(
        &toml,
        text.replace("[build]\n", "[build]\nbuild-dir = \"src\"\n"),
    )
    .unwrap();
    let built = run(&["build", root.to_str().unwrap()]);
    assert_eq!(built.code, 2, "{}", built.stderr);
    assert!(
        built.stderr.contains("is or contains the book's sources"),
        "{}",
        built.stderr
    );
    assert!(root.join("src/SUMMARY.md").is_file());
}

#[test]
fn a_marked_site_is_replaced_and_a_killed_builds_staging_is_removed() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("book");
    tiny_book(&root, "# Summary\n\n[A](a.md)\n", &[("a.md", "# A\n")]);
    let dest = dir.path().join("site");
    let leftover = dir
        .path()
        .join(format!(".responder-docs-build-{}-x1", u32::MAX - 7));
    std::fs::create_dir_all(leftover.join("big")).unwrap();
    assert_eq!(build(&root, &dest).code, 0);
    assert!(dest.join(".responder-docs-site").is_file());
    let second = build(&root, &dest);
    assert_eq!(second.code, 0, "{}", second.stderr);
    if Path::new("/proc/self").exists() {
        assert!(
            !leftover.exists(),
            "the dead build's staging folder is removed"
        );
    }
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "book")
        .collect();
    assert!(
        names == ["site"] || !Path::new("/proc/self").exists(),
        "{names:?}"
    );
}

#[test]
fn stock_mdbook_never_expands_a_refused_include() {
    if !stock_mdbook_available() {
        return;
    }
    let book = copy_real_book();
    let root = book.path();
    commands_from_workspace(root);
    let line = append(
        &root.join("src/procedures/find-public-ip.md"),
        "4. Compare:\n\n   ```text\n   {{#include /proc/self/environ}}\n   ```\n",
    ) + 3;
    let out = tempfile::tempdir().unwrap();
    let output = Command::new("mdbook")
        .arg("build")
        .arg(root)
        .arg("--dest-dir")
        .arg(out.path())
        .env("RESPONDER_DOCS_CANARY", "canary-in-the-environment")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{stderr}");
    assert!(stderr.contains("error[reach::include-outside]"), "{stderr}");
    assert!(
        stderr.contains(&format!("src/procedures/find-public-ip.md:{line}:4")),
        "{stderr}"
    );
    assert!(files_containing(out.path(), "canary-in-the-environment").is_empty());
    assert!(files_containing(root, "canary-in-the-environment").is_empty());
}

#[test]
fn summary_entries_outside_the_sources_are_refused_before_mdbook_reads_them() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    tiny_book(
        root,
        "# Summary\n\n[A](a.md)\n- [x](/etc/passwd)\n- [y](../../../../../../../../etc/hostname)\n",
        &[("a.md", "# A\n")],
    );
    let (code, found) = check_shorts(root);
    assert_eq!(code, 1);
    assert_eq!(
        found,
        [
            "src/SUMMARY.md:4:3: error[reach::summary-absolute]: `/etc/passwd` is an absolute path; chapters are files under the book's sources".to_string(),
            format!(
                "src/SUMMARY.md:5:3: error[reach::outside-source]: the chapter `../../../../../../../../etc/hostname` resolves to `{}`, outside the repository (`{}`)",
                canonical(Path::new("/etc/hostname")),
                canonical(root)
            ),
        ]
    );
}

/// A FIFO at `path`, or `None` (with a notice) where `mkfifo` is missing.
fn fifo(path: &Path) -> Option<()> {
    let made = Command::new("mkfifo").arg(path).status();
    if made.is_ok_and(|s| s.success()) {
        Some(())
    } else {
        eprintln!("SKIPPED: mkfifo is not available");
        None
    }
}

#[cfg(unix)]
#[test]
fn fifos_and_devices_are_never_opened() {
    let book = copy_real_book();
    let root = book.path();
    if fifo(&root.join("policies/pipe.json")).is_none() {
        return;
    }
    let (code, found) = check_shorts(root);
    assert_eq!(code, 1);
    // One cause, reported once: `src/policies` (a link to `policies/`)
    // would copy the FIFO into the site.
    assert_eq!(
        found,
        [
            "src/policies/pipe.json:1:1: error[reach::not-a-file]: `src/policies/pipe.json` is a FIFO, not a regular file; mdBook would copy it into the site"
        ]
    );
    // Without that link, the policy check is what meets it.
    std::fs::remove_file(root.join("src/policies")).unwrap();
    let (_, found) = check_shorts(root);
    assert!(
        found.contains(&"policies/pipe.json:1:1: error[policy::unreadable]: cannot read the policy: it is a FIFO, not a regular file".to_string()),
        "{found:?}"
    );
    assert!(!found.iter().any(|f| f.contains("reach::")), "{found:?}");
    let linted = run(&["policy", "lint", "/dev/zero", "--format", "json"]);
    assert_eq!(linted.code, 1);
    assert_eq!(
        responder_docs_tests::shorts(&linted.stdout),
        [
            "/dev/zero:1:1: error[policy::unreadable]: cannot read the policy: it is a device, not a regular file"
        ]
    );
    std::fs::remove_file(root.join("policies/pipe.json")).unwrap();
    fifo(&root.join("src/pipe.md")).unwrap();
    let (code, found) = check_shorts(root);
    assert_eq!(code, 1);
    assert_eq!(
        found,
        [
            "src/pipe.md:1:1: error[reach::not-a-file]: `src/pipe.md` is a FIFO, not a regular file; mdBook would copy it into the site"
        ]
    );
}

#[test]
fn policies_and_procedures_that_are_not_utf8_are_reported_at_the_byte() {
    let book = copy_real_book();
    let root = book.path();
    let policy = root.join("policies/task-role-policy.json");
    let mut bytes = std::fs::read(&policy).unwrap();
    let line = bytes.iter().filter(|&&b| b == b'\n').count() + 1;
    bytes.extend_from_slice(b"  \xff\n");
    std::fs::write(&policy, bytes).unwrap();
    let procedure = root.join("src/procedures/find-public-ip.md");
    std::fs::write(&procedure, b"1. Open the console \xe9.\n").unwrap();
    let (code, found) = check_shorts(root);
    assert_eq!(code, 1);
    assert_eq!(
        found,
        [
            format!("policies/task-role-policy.json:{line}:3: error[policy::unreadable]: cannot read the policy: it is not UTF-8: the first invalid byte is on line {line}, column 3"),
            "src/procedures/find-public-ip.md:1:21: error[procedures::unreadable]: cannot read the procedure: it is not UTF-8: the first invalid byte is on line 1, column 21".to_string(),
        ]
    );
}

#[cfg(unix)]
#[test]
fn check_finds_what_build_would_fail_on() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    tiny_book(root, "# Summary\n\n[A](a.md)\n", &[("a.md", "# A\n")]);
    std::os::unix::fs::symlink("loop", root.join("src/loop")).unwrap();
    let (code, found) = check_shorts(root);
    assert_eq!(code, 1);
    assert_eq!(
        found,
        [
            "src/loop:1:1: error[reach::unreadable-source]: `src/loop` cannot be read (a dangling symlink?); mdBook cannot copy it into the site"
        ]
    );
    std::fs::remove_file(root.join("src/loop")).unwrap();
    std::fs::create_dir_all(root.join("src/sub")).unwrap();
    std::os::unix::fs::symlink("..", root.join("src/sub/up")).unwrap();
    let (code, found) = check_shorts(root);
    assert_eq!(code, 1);
    assert_eq!(
        found,
        [
            "src/sub/up:1:1: error[reach::unreadable-source]: `src/sub/up` is a symlink loop; mdBook cannot copy it into the site"
        ]
    );

    let other = tempfile::tempdir().unwrap();
    let root = other.path();
    std::fs::write(root.join("book.toml"), "[book]\ntitle = \"T\"\n").unwrap();
    std::os::unix::fs::symlink("/", root.join("src")).unwrap();
    let (code, found) = check_shorts(root);
    assert_eq!(code, 1);
    assert_eq!(
        found,
        [format!(
            "src:1:1: error[reach::outside-source]: `src` resolves to `/`, outside the repository (`{}`); mdBook would copy it into the site",
            canonical(root)
        )]
    );
}
