//! Nothing outside the repository reaches the site, and nothing of the
//! writer's is deleted: each way in, tried on a temporary copy.

use responder_docs_tests::{check_shorts, copy_real_book, run, tiny_book};
use std::path::Path;

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
