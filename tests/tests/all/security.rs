//! Nothing outside the repository reaches the site, and nothing of the
//! writer's is deleted: each way in, tried on a temporary copy.

use responder_docs_tests::{
    check_shorts, commands_from_workspace, copy_real_book, require_stock_mdbook, run, tiny_book,
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
    responder_docs::pipeline::destination::mark(&leftover).unwrap();
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
#[ignore = "needs stock mdBook 0.5.4 on PATH: cargo install mdbook --locked --version 0.5.4"]
fn stock_mdbook_never_expands_a_refused_include() {
    require_stock_mdbook();
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

/// A FIFO at `path` (`mkfifo` is part of every Unix's base system).
fn fifo(path: &Path) {
    let made = Command::new("mkfifo").arg(path).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo {}", path.display());
}

#[cfg(unix)]
#[test]
fn fifos_and_devices_are_never_opened() {
    let book = copy_real_book();
    let root = book.path();
    fifo(&root.join("policies/pipe.json"));
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
    fifo(&root.join("src/pipe.md"));
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

/// Every file, folder and link under `dir`, by relative path, with the
/// bytes of each file and the target of each link: what a refused build
/// must leave exactly as it was.
fn snapshot(dir: &Path) -> std::collections::BTreeMap<String, String> {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .map(|e| e.unwrap())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().display().to_string();
            let what = if e.path_is_symlink() {
                format!("-> {}", std::fs::read_link(e.path()).unwrap().display())
            } else if e.file_type().is_dir() {
                "folder".into()
            } else {
                String::from_utf8_lossy(&std::fs::read(e.path()).unwrap()).into_owned()
            };
            (rel, what)
        })
        .collect()
}

/// `build` with a JSON report: its exit status and one-line problems.
fn build_shorts(book: &Path) -> (u8, Vec<String>) {
    let built = run(&["build", book.to_str().unwrap(), "--format", "json"]);
    (built.code, responder_docs_tests::shorts(&built.stdout))
}

/// A tiny book at `outer/book` (no `.git`: the book is the repository),
/// with `output` appended to its book.toml; the line it starts on.
fn book_with(outer: &Path, output: &str) -> (std::path::PathBuf, usize) {
    let root = outer.join("book");
    tiny_book(&root, "# Summary\n\n[A](a.md)\n", &[("a.md", "# A\n")]);
    let line = append(&root.join("book.toml"), output);
    (root, line)
}

/// Refused by `check` and `build` alike, with nothing written anywhere.
fn refused_everywhere(outer: &Path, root: &Path, expected: &[String]) {
    let before = snapshot(outer);
    assert_eq!(check_shorts(root), (1, expected.to_vec()));
    assert_eq!(build_shorts(root), (1, expected.to_vec()));
    assert_eq!(snapshot(outer), before, "nothing written, nothing changed");
}

#[test]
fn an_input_404_outside_the_sources_never_overwrites_book_toml() {
    let outer = tempfile::tempdir().unwrap();
    let (root, line) = book_with(
        outer.path(),
        "[output.html]\ninput-404 = \"../book.toml\"\n",
    );
    refused_everywhere(
        outer.path(),
        &root,
        &[format!(
            "book.toml:{}:13: error[reach::writes-outside]: `input-404` is `../book.toml`, which is not under `src/`: mdBook would write the 404 page to `../book.toml`, outside the site",
            line + 1
        )],
    );
    assert!(
        std::fs::read_to_string(root.join("book.toml"))
            .unwrap()
            .starts_with("[book]")
    );
}

#[test]
fn an_absolute_input_404_outside_the_repository_is_neither_read_nor_copied() {
    let outer = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let secret = elsewhere.path().join("secret.md");
    std::fs::write(&secret, "# canary-404\n").unwrap();
    let (root, line) = book_with(
        outer.path(),
        &format!("[output.html]\ninput-404 = \"{}\"\n", secret.display()),
    );
    let before = snapshot(elsewhere.path());
    refused_everywhere(
        outer.path(),
        &root,
        &[format!(
            "book.toml:{}:13: error[reach::writes-outside]: `input-404` is `{}`, which is not under `src/`: mdBook would write the 404 page to `{}`, outside the site",
            line + 1,
            secret.display(),
            elsewhere.path().join("secret.html").display()
        )],
    );
    assert_eq!(snapshot(elsewhere.path()), before);
    assert!(files_containing(outer.path(), "canary-404").is_empty());
}

#[test]
fn a_writers_folder_named_like_an_old_site_survives_every_build() {
    let outer = tempfile::tempdir().unwrap();
    let (root, _) = book_with(outer.path(), "");
    // Beside the default destination `book/`: named as older versions named
    // an old site moved aside, of processes that do not run.
    let emacs = root.join(".emacs.d.old-1700000000");
    let notes = root.join(".notes.old-4294967290");
    let site_like = root.join(".book.old-4294967290");
    for folder in [&emacs, &notes, &site_like] {
        std::fs::create_dir_all(folder.join("lisp")).unwrap();
        std::fs::write(folder.join("lisp/init.el"), "(setq mine t)\n").unwrap();
    }
    let before = snapshot(&root);
    for _ in 0..2 {
        let built = run(&["build", root.to_str().unwrap()]);
        assert_eq!(built.code, 0, "{}", built.stderr);
    }
    let after = snapshot(&root);
    for (path, what) in &before {
        assert_eq!(after.get(path), Some(what), "{path}");
    }
    let beside: Vec<_> = after
        .keys()
        .filter(|p| !p.contains('/') && p.starts_with(".responder-docs"))
        .collect();
    assert!(beside.is_empty(), "no build folder left: {beside:?}");
}

#[test]
fn a_redirect_never_writes_outside_the_site() {
    let outer = tempfile::tempdir().unwrap();
    let (root, line) = book_with(
        outer.path(),
        "[output.html.redirect]\n\"/../../x.html\" = \"a.html\"\n\"/../../../y.html\" = \"a.html\"\n",
    );
    refused_everywhere(
        outer.path(),
        &root,
        &[
            format!(
                "book.toml:{}:1: error[reach::writes-outside]: the redirect `/../../x.html` climbs out of the site: mdBook would write its page to `../../x.html` from the site's folder",
                line + 1
            ),
            format!(
                "book.toml:{}:1: error[reach::writes-outside]: the redirect `/../../../y.html` climbs out of the site: mdBook would write its page to `../../../y.html` from the site's folder",
                line + 2
            ),
        ],
    );
    assert!(!root.join("x.html").exists() && !outer.path().join("y.html").exists());
}

#[cfg(unix)]
#[test]
fn a_theme_written_through_the_sources_is_judged_where_it_really_is() {
    // `src/../evil-theme` starts with `src/` as text, but is beside it.
    let outer = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::write(
        elsewhere.path().join("head.hbs"),
        "<meta name=\"canary-head\">\n",
    )
    .unwrap();
    let (root, _) = book_with(
        outer.path(),
        "[output.html]\ntheme = \"src/../evil-theme\"\n",
    );
    std::fs::create_dir_all(root.join("evil-theme")).unwrap();
    std::os::unix::fs::symlink(
        elsewhere.path().join("head.hbs"),
        root.join("evil-theme/head.hbs"),
    )
    .unwrap();
    refused_everywhere(
        outer.path(),
        &root,
        &[format!(
            "src/../evil-theme/head.hbs:1:1: error[reach::outside-source]: `src/../evil-theme/head.hbs` resolves to `{}`, outside the repository (`{}`); mdBook would publish it in every page",
            canonical(&elsewhere.path().join("head.hbs")),
            canonical(&root)
        )],
    );
    assert!(files_containing(&root, "canary").is_empty());
}

#[cfg(unix)]
#[test]
fn theme_files_and_additional_css_from_outside_are_never_published() {
    let outer = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::write(
        elsewhere.path().join("head.hbs"),
        "<meta name=\"canary-head\">\n",
    )
    .unwrap();
    std::fs::write(outer.path().join("secret.css"), "/* canary-css */\n").unwrap();
    let (root, line) = book_with(
        outer.path(),
        "[output.html]\nadditional-css = [\"../secret.css\"]\n",
    );
    std::fs::create_dir_all(root.join("theme")).unwrap();
    std::os::unix::fs::symlink(
        elsewhere.path().join("head.hbs"),
        root.join("theme/head.hbs"),
    )
    .unwrap();
    refused_everywhere(
        outer.path(),
        &root,
        &[
            format!(
                "book.toml:{}:19: error[reach::writes-outside]: the `additional-css` entry `../secret.css` is a path that climbs out: mdBook copies each entry to the same path under the site, so this one would be written outside it",
                line + 1
            ),
            format!(
                "theme/head.hbs:1:1: error[reach::outside-source]: `theme/head.hbs` resolves to `{}`, outside the repository (`{}`); mdBook would publish it in every page",
                canonical(&elsewhere.path().join("head.hbs")),
                canonical(&root)
            ),
        ],
    );
    assert!(
        !root.join("secret.css").exists(),
        "nothing beside book.toml"
    );
    assert!(files_containing(&root, "canary").is_empty());
}

#[test]
fn an_additional_css_entry_read_from_outside_is_refused_and_an_absolute_one_never_copied_onto_itself()
 {
    let outer = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let own = outer.path().join("book/theme/own.css");
    std::fs::create_dir_all(own.parent().unwrap()).unwrap();
    std::fs::write(&own, "p { color: black }\n").unwrap();
    std::fs::write(elsewhere.path().join("secret.css"), "/* canary-css */\n").unwrap();
    let (root, line) = book_with(
        outer.path(),
        &format!("[output.html]\nadditional-css = [\"{}\"]\n", own.display()),
    );
    let column = "additional-css = [\"".chars().count();
    refused_everywhere(
        outer.path(),
        &root,
        &[format!(
            "book.toml:{}:{column}: error[reach::writes-outside]: the `additional-css` entry `{}` is an absolute path: mdBook copies each entry to the same path under the site, so this one would be written outside it",
            line + 1,
            own.display()
        )],
    );
    #[cfg(unix)]
    {
        std::fs::write(
            root.join("book.toml"),
            "[book]\ntitle = \"Tiny\"\n[output.html]\nadditional-css = [\"theme/linked.css\"]\n",
        )
        .unwrap();
        std::os::unix::fs::symlink(
            elsewhere.path().join("secret.css"),
            root.join("theme/linked.css"),
        )
        .unwrap();
        let (code, found) = check_shorts(&root);
        assert_eq!(code, 1);
        assert!(found.contains(&format!(
            "book.toml:4:19: error[reach::setting-outside]: the `additional-css` entry `theme/linked.css` resolves to `{}`, outside the repository (`{}`); mdBook would publish it",
            canonical(&elsewhere.path().join("secret.css")),
            canonical(&root)
        )), "{found:?}");
    }
}

#[test]
fn what_public_books_write_in_output_html_builds() {
    let outer = tempfile::tempdir().unwrap();
    let root = outer.path().join("book");
    tiny_book(
        &root,
        "# Summary\n\n[A](a.md)\n- [New](new/page.md)\n",
        &[
            ("a.md", "# A\n"),
            ("new/page.md", "# New\n"),
            ("404.md", "# Lost\n\ncanary-lost\n"),
        ],
    );
    std::fs::create_dir_all(root.join("theme/fonts")).unwrap();
    std::fs::write(root.join("theme/custom.css"), "/* canary-custom */\n").unwrap();
    std::fs::write(root.join("theme/fonts/fonts.css"), "\n").unwrap();
    std::fs::write(root.join("theme/head.hbs"), "<meta name=\"canary-head\">\n").unwrap();
    std::fs::create_dir_all(root.join("shared")).unwrap();
    std::fs::write(root.join("shared/extra.js"), "// canary-linked\n").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("../shared/extra.js", root.join("theme/extra.js")).unwrap();
    #[cfg(not(unix))]
    std::fs::copy(root.join("shared/extra.js"), root.join("theme/extra.js")).unwrap();
    append(
        &root.join("book.toml"),
        "[output.html]\ninput-404 = \"404.md\"\ntheme = \"theme\"\n\
         additional-css = [\"theme/custom.css\"]\nadditional-js = [\"theme/extra.js\"]\n\
         [output.html.redirect]\n\"/old/page.html\" = \"../new/page.html\"\n\
         \"intro.html\" = \"a.html\"\n\"/old/page.html#part\" = \"../new/page.html#new\"\n\
         \"/gone.html\" = \"https://example.com/gone\"\n",
    );
    assert_eq!(check_shorts(&root), (0, Vec::new()));
    let dest = outer.path().join("site");
    let built = build(&root, &dest);
    assert_eq!(built.code, 0, "{}", built.stderr);
    let page = |rel: &str| {
        std::fs::read_to_string(dest.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    };
    assert!(page("old/page.html").contains("URL=../new/page.html"));
    assert!(page("intro.html").contains("URL=a.html"));
    assert!(page("gone.html").contains("URL=https://example.com/gone"));
    assert!(page("404.html").contains("canary-lost"));
    assert!(page("a.html").contains("canary-head"));
    // Under `theme/`, named with their hash (`hash-files`).
    for canary in ["canary-custom", "canary-linked"] {
        let found = files_containing(&dest, canary);
        assert!(
            found.len() == 1 && found[0].contains("/theme/"),
            "{canary}: {found:?}"
        );
    }
}

#[test]
fn a_site_stock_mdbook_wrote_is_replaced_a_folder_with_more_is_not() {
    let outer = tempfile::tempdir().unwrap();
    let (root, _) = book_with(outer.path(), "");
    std::fs::create_dir_all(root.join("src/images")).unwrap();
    std::fs::write(root.join("src/images/logo.svg"), "<svg/>\n").unwrap();
    // What `mdbook build` does: mdBook's own library, no preprocessor of ours.
    mdbook_driver::MDBook::load(&root).unwrap().build().unwrap();
    let site = root.join("book");
    assert!(site.join(".nojekyll").is_file() && site.join("images/logo.svg").is_file());
    std::fs::write(site.join("notes.txt"), "mine").unwrap();
    let built = run(&["build", root.to_str().unwrap()]);
    assert_eq!(built.code, 2, "{}", built.stderr);
    assert_eq!(
        built.stderr.lines().last().unwrap(),
        // Named relative to the book, as every path in a report is.
        "error: the destination book is a folder that a previous build did not write (no .responder-docs-site in it) \
         nor a site of stock mdBook (`notes.txt` is not something mdBook writes for this book); remove it yourself or choose another folder"
    );
    assert_eq!(
        std::fs::read_to_string(site.join("notes.txt")).unwrap(),
        "mine"
    );

    std::fs::remove_file(site.join("notes.txt")).unwrap();
    let built = run(&["build", root.to_str().unwrap()]);
    assert_eq!(built.code, 0, "{}", built.stderr);
    assert!(site.join(".responder-docs-site").is_file());
    assert!(site.join("images/logo.svg").is_file());
    let beside: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(beside.is_empty(), "{beside:?}");
}

#[test]
fn include_root_is_a_setting_and_moves_the_boundary() {
    let outer = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(outer.path().join("shared")).unwrap();
    std::fs::write(outer.path().join("shared/part.md"), "canary-shared\n").unwrap();
    let root = outer.path().join("book");
    tiny_book(
        &root,
        "# Summary\n\n[A](a.md)\n",
        &[("a.md", "# A\n\n{{#include ../../shared/part.md}}\n")],
    );
    let (code, found) = check_shorts(&root);
    assert_eq!(code, 1);
    assert!(found[0].contains("reach::include-outside"), "{found:?}");
    append(
        &root.join("book.toml"),
        "[preprocessor.validate]\ninclude-root = \"..\"\n",
    );
    assert_eq!(check_shorts(&root), (0, Vec::new()));
    let dest = outer.path().join("site");
    assert_eq!(build(&root, &dest).code, 0);
    assert!(
        files_containing(&dest, "canary-shared")
            .iter()
            .any(|f| f.ends_with("/a.html"))
    );
}

#[test]
fn the_stock_protocol_refuses_before_mdbook_renders() {
    let outer = tempfile::tempdir().unwrap();
    let (root, _) = book_with(
        outer.path(),
        "[output.html]\ninput-404 = \"../book.toml\"\n",
    );
    let before = snapshot(outer.path());
    // What `mdbook build` runs: mdBook's library, with our `validate` pass
    // as its book.toml `command` would run it.
    let mut book = mdbook_driver::MDBook::load(&root).unwrap();
    book.with_preprocessor(
        responder_docs::shells::mdbook_command::Stock::named("validate").unwrap(),
    );
    let err = book.build().unwrap_err();
    assert!(
        format!("{err:#}").contains("the validate preprocessor found 1 error"),
        "{err:#}"
    );
    assert_eq!(snapshot(outer.path()), before);
}

#[test]
#[ignore = "needs stock mdBook 0.5.4 on PATH: cargo install mdbook --locked --version 0.5.4"]
fn stock_mdbook_refuses_what_the_validate_pass_refuses() {
    require_stock_mdbook();
    let book = copy_real_book();
    let root = book.path();
    commands_from_workspace(root);
    let toml = root.join("book.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    let line = text
        .lines()
        .position(|l| l == "input-404 = \"404.md\"")
        .unwrap()
        + 1;
    std::fs::write(
        &toml,
        text.replace("input-404 = \"404.md\"", "input-404 = \"../book.toml\""),
    )
    .unwrap();
    let before = snapshot(root);
    let output = Command::new("mdbook")
        .arg("build")
        .arg(root)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{stderr}");
    assert!(stderr.contains("error[reach::writes-outside]"), "{stderr}");
    assert!(stderr.contains(&format!("book.toml:{line}:13")), "{stderr}");
    assert_eq!(snapshot(root), before);
}

#[test]
fn serve_refuses_a_build_dir_outside_the_repository_before_writing_or_serving() {
    use responder_docs::shells::serve::{ServeOptions, serve};
    let outer = tempfile::tempdir().unwrap();
    let root = outer.path().join("book");
    tiny_book(&root, "# Summary\n\n[A](a.md)\n", &[("a.md", "# A\n")]);
    let toml = root.join("book.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(
        &toml,
        text.replace("[build]\n", "[build]\nbuild-dir = \"../site\"\n"),
    )
    .unwrap();
    let expected = format!(
        "book.toml:4:13: error[reach::setting-outside]: `build-dir` is `../site`, which resolves to `{}/site`, outside the repository (`{}`); the build would write the site there",
        canonical(outer.path()),
        canonical(&root)
    );
    assert_eq!(check_shorts(&root), (1, vec![expected.clone()]));
    let options = ServeOptions {
        port: 0,
        open: false,
        build: Default::default(),
    };
    let err = serve(&root, &options).unwrap_err().to_string();
    assert_eq!(
        err,
        format!(
            "{expected}\n  = help: keep the site inside the repository (the default is `book`), or name another folder with `--dest-dir`"
        )
    );
    assert!(!outer.path().join("site").exists());
}

#[test]
fn status_lines_print_a_hostile_folder_name_with_its_control_characters_visible() {
    let dir = tempfile::tempdir().unwrap();
    // A folder name that would end the line and start a GitHub workflow
    // command, then drive the terminal.
    let book = dir.path().join("b\n::error::forged\u{1b}[2J");
    responder_docs_tests::tiny_book(
        &book,
        "[Chapter](chapter.md)",
        &[("chapter.md", "# Chapter\n")],
    );
    let book_arg = book.to_str().unwrap();
    for args in [vec!["check", book_arg], vec!["build", book_arg]] {
        let out = responder_docs_tests::run(&args);
        assert!(
            !out.stderr.contains("\n::error::forged") && !out.stderr.contains('\u{1b}'),
            "{args:?}: {:?}",
            out.stderr
        );
        assert!(
            out.stderr.contains("b␊::error::forged␛[2J"),
            "{args:?}: {}",
            out.stderr
        );
    }
}

#[test]
fn a_summary_entry_that_climbs_out_through_a_symlink_writes_no_page_outside() {
    // `src/deep` leads further into the repository, so reading
    // `deep/../../../victim/index.md` stays inside; its page would be
    // written at that path under the site, out of it.
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    let book = repo.join("book-root");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    std::fs::create_dir_all(repo.join("a/b/c/victim")).unwrap();
    std::fs::write(repo.join("a/b/c/victim/index.md"), "# Victim\n").unwrap();
    std::fs::create_dir_all(dir.path().join("victim")).unwrap();
    std::fs::write(dir.path().join("victim/index.html"), "the writer's page").unwrap();
    responder_docs_tests::tiny_book(
        &book,
        "[Chapter](chapter.md)\n[Deep](deep/../../../victim/index.md)\n[Spaced](deep/..%2F..%2F..%2Fvictim/index.md)\n",
        &[("chapter.md", "# Chapter\n")],
    );
    std::os::unix::fs::symlink(repo.join("a/b/c"), book.join("src/deep")).unwrap();
    let out = responder_docs_tests::run(&["build", book.to_str().unwrap()]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let (_, found) = responder_docs_tests::check_shorts(&book);
    assert_eq!(
        found,
        [
            "src/SUMMARY.md:2:1: error[reach::writes-outside]: `deep/../../../victim/index.md` climbs out of the book's sources, so mdBook would write its page outside the site",
            "src/SUMMARY.md:3:1: error[reach::writes-outside]: `deep/..%2F..%2F..%2Fvictim/index.md` climbs out of the book's sources, so mdBook would write its page outside the site",
        ]
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("victim/index.html")).unwrap(),
        "the writer's page"
    );
}

#[cfg(unix)]
#[test]
fn a_book_toml_that_leads_out_of_the_repository_or_is_huge_is_never_read() {
    let dir = tempfile::tempdir().unwrap();
    let outer = dir.path();
    std::fs::create_dir_all(outer.join("victim")).unwrap();
    std::fs::write(outer.join("victim/thesis.txt"), "the writer's thesis").unwrap();
    let settings = "[book]\ntitle = \"T\"\n[build]\nbuild-dir = \"../victim\"\n";
    // A link to a book.toml outside the repository: its `build-dir` is
    // never even seen, so the file is refused as a whole.
    let linked = outer.join("linked");
    tiny_book(&linked, "[A](a.md)\n", &[("a.md", "# A\n")]);
    std::fs::write(outer.join("elsewhere.toml"), settings).unwrap();
    std::fs::remove_file(linked.join("book.toml")).unwrap();
    std::os::unix::fs::symlink(outer.join("elsewhere.toml"), linked.join("book.toml")).unwrap();
    // One over the size limit: mdBook would parse it, the judgement could not.
    let huge = outer.join("huge");
    tiny_book(&huge, "[A](a.md)\n", &[("a.md", "# A\n")]);
    let padding = format!("#{}\n", "x".repeat(1023)).repeat(16 * 1024 + 1);
    std::fs::write(huge.join("book.toml"), format!("{settings}{padding}")).unwrap();
    let before = snapshot(outer);
    let expected = [
        (
            &linked,
            format!(
                "book.toml:1:1: error[reach::outside-source]: `book.toml` resolves to `{}/elsewhere.toml`, outside the repository (`{}`); the book's settings are not read from it",
                canonical(outer),
                canonical(&linked)
            ),
        ),
        (
            &huge,
            format!(
                "book.toml:1:1: error[reach::too-large]: `book.toml` is {} bytes, over the 16777216-byte limit on any file the build reads; the book's settings are not read from it",
                std::fs::metadata(huge.join("book.toml")).unwrap().len()
            ),
        ),
    ];
    for (book, expected) in &expected {
        assert_eq!(check_shorts(book), (1, vec![expected.clone()]));
        assert_eq!(build_shorts(book), (1, vec![expected.clone()]));
        let served = responder_docs::shells::serve::serve(
            book,
            &responder_docs::shells::serve::ServeOptions {
                port: 0,
                open: false,
                build: Default::default(),
            },
        )
        .unwrap_err()
        .to_string();
        assert_eq!(&served, expected);
    }
    assert_eq!(snapshot(outer), before, "nothing written, nothing changed");
}

#[cfg(unix)]
#[test]
fn a_book_toml_linked_from_inside_the_repository_is_read_and_its_build_dir_judged() {
    // The book in `docs/`, its book.toml shared from elsewhere in the
    // repository: allowed, and `build-dir` is judged as for any book.toml.
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    std::fs::create_dir_all(repo.join("shared")).unwrap();
    let book = repo.join("docs");
    tiny_book(&book, "[A](a.md)\n", &[("a.md", "# A\n")]);
    std::fs::remove_file(book.join("book.toml")).unwrap();
    std::os::unix::fs::symlink("../shared/book.toml", book.join("book.toml")).unwrap();
    let toml = repo.join("shared/book.toml");
    std::fs::write(
        &toml,
        "[book]\ntitle = \"T\"\n[build]\nbuild-dir = \"../../site\"\n",
    )
    .unwrap();
    assert_eq!(
        check_shorts(&book),
        (
            1,
            vec![format!(
                "book.toml:4:13: error[reach::setting-outside]: `build-dir` is `../../site`, which resolves to `{}/site`, outside the repository (`{}`); the build would write the site there",
                canonical(dir.path()),
                canonical(&repo)
            )]
        )
    );
    assert_eq!(build_shorts(&book).0, 1);
    assert!(!dir.path().join("site").exists());
    std::fs::write(
        &toml,
        "[book]\ntitle = \"T\"\n[build]\nbuild-dir = \"site\"\n",
    )
    .unwrap();
    assert_eq!(build_shorts(&book), (0, vec![]));
    assert!(book.join("site/a.html").is_file());
}

#[cfg(unix)]
#[test]
fn create_missing_never_creates_a_chapter_outside_the_sources() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("book");
    tiny_book(
        &root,
        "[A](a.md)\n[Listed](policies/new.md)\n[Dangling](gone.md)\n[Fine](new/fine.md)\n",
        &[("a.md", "# A\n")],
    );
    let toml = root.join("book.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(
        &toml,
        text.replace("create-missing = false", "create-missing = true"),
    )
    .unwrap();
    // `src/policies` leads elsewhere in the repository, as the guide's does.
    std::fs::create_dir_all(root.join("policies")).unwrap();
    std::os::unix::fs::symlink("../policies", root.join("src/policies")).unwrap();
    std::os::unix::fs::symlink(dir.path().join("made.md"), root.join("src/gone.md")).unwrap();
    let before = snapshot(dir.path());
    let (code, found) = check_shorts(&root);
    assert_eq!(code, 1);
    let summary: Vec<_> = found
        .iter()
        .filter(|s| s.starts_with("src/SUMMARY.md"))
        .collect();
    assert_eq!(
        summary,
        [
            &format!(
                "src/SUMMARY.md:2:1: error[reach::writes-outside]: `policies/new.md` does not exist, and `create-missing` would have mdBook create it at `{}/policies/new.md`, outside the book's sources",
                canonical(&root)
            ),
            &format!(
                "src/SUMMARY.md:3:1: error[reach::writes-outside]: `gone.md` does not exist, and `create-missing` would have mdBook create it at `{}/made.md`, outside the book's sources",
                dir.path().display()
            ),
        ]
    );
    assert_eq!(build_shorts(&root).0, 1);
    assert_eq!(snapshot(dir.path()), before, "nothing created anywhere");
    // Without the two, mdBook creates the missing chapter where it belongs.
    std::fs::remove_file(root.join("src/gone.md")).unwrap();
    std::fs::write(
        root.join("src/SUMMARY.md"),
        "[A](a.md)\n[Fine](new/fine.md)\n",
    )
    .unwrap();
    assert_eq!(build_shorts(&root), (0, vec![]));
    assert!(root.join("src/new/fine.md").is_file());
}

#[cfg(unix)]
#[test]
fn a_destination_that_is_a_symlink_is_the_folder_it_leads_to_and_the_link_stays() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("book");
    tiny_book(&root, "[A](a.md)\n", &[("a.md", "# A\n")]);
    let dests = dir.path().join("dests");
    std::fs::create_dir_all(dests.join("real")).unwrap();
    std::os::unix::fs::symlink("real", dests.join("link")).unwrap();
    for _ in 0..2 {
        let built = build(&root, &dests.join("link"));
        assert_eq!(built.code, 0, "{}", built.stderr);
        assert!(
            built.stderr.contains(&format!(
                "Site written to {}",
                canonical(&dests.join("real"))
            )),
            "{}",
            built.stderr
        );
        assert_eq!(
            std::fs::read_link(dests.join("link")).unwrap(),
            Path::new("real")
        );
        assert!(dests.join("real/a.html").is_file());
        let names: Vec<_> = std::fs::read_dir(&dests)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        assert_eq!(names, ["link", "real"]);
    }
    // A link leading nowhere names no folder: nothing is made at its target.
    std::os::unix::fs::symlink("nowhere", dests.join("dangling")).unwrap();
    let built = build(&root, &dests.join("dangling"));
    assert_eq!(built.code, 2);
    assert!(
        built.stderr.contains(&format!(
            "error: the destination {} is a link that leads nowhere",
            dests.join("dangling").display()
        )),
        "{}",
        built.stderr
    );
    assert!(!dests.join("nowhere").exists());
    // A link to the writer's own folder is judged as that folder.
    std::fs::create_dir_all(dests.join("mine")).unwrap();
    std::fs::write(dests.join("mine/notes.txt"), "mine").unwrap();
    std::os::unix::fs::symlink("mine", dests.join("to-mine")).unwrap();
    let built = build(&root, &dests.join("to-mine"));
    assert_eq!(built.code, 2, "{}", built.stderr);
    assert!(
        built
            .stderr
            .contains("is reached through a link and is not a site (it has no `.nojekyll` as mdBook writes it)"),
        "{}",
        built.stderr
    );
    assert_eq!(snapshot(&dests.join("mine")).len(), 1);
    // Nor with a build's marker copied in: through a link, only a site is replaced.
    std::fs::copy(
        dests.join("real/.responder-docs-site"),
        dests.join("mine/.responder-docs-site"),
    )
    .unwrap();
    let built = build(&root, &dests.join("to-mine"));
    assert_eq!(built.code, 2, "{}", built.stderr);
    assert_eq!(snapshot(&dests.join("mine")).len(), 2);
}

#[test]
fn messages_quoting_book_toml_or_a_theme_template_carry_no_control_characters() {
    let dir = tempfile::tempdir().unwrap();
    // An unknown key whose name ends the line and starts a workflow command.
    let key = tempfile::tempdir_in(dir.path()).unwrap();
    tiny_book(key.path(), "[A](a.md)\n", &[("a.md", "# A\n")]);
    append(
        &key.path().join("book.toml"),
        "\"x\\n::error file=a.md,line=1::forged\\n\\u001b[31m\" = 1\n",
    );
    // A syntax error echoing a raw title change and colour.
    let syntax = tempfile::tempdir_in(dir.path()).unwrap();
    tiny_book(syntax.path(), "[A](a.md)\n", &[("a.md", "# A\n")]);
    append(
        &syntax.path().join("book.toml"),
        "x = \u{1b}]0;title\u{7}\u{1b}[31m ::error::forged\n",
    );
    // A theme template the renderer cannot parse, quoted in its error.
    let theme = tempfile::tempdir_in(dir.path()).unwrap();
    tiny_book(theme.path(), "[A](a.md)\n", &[("a.md", "# A\n")]);
    std::fs::create_dir_all(theme.path().join("theme")).unwrap();
    std::fs::write(
        theme.path().join("theme/head.hbs"),
        "{{#if}}\u{1b}[31m\n::error::forged\r\n",
    )
    .unwrap();
    for book in [key.path(), syntax.path(), theme.path()] {
        for format in ["human", "github", "json", "sarif"] {
            let built = run(&["build", book.to_str().unwrap(), "--format", format]);
            assert_eq!(built.code, 2, "{format}: {}", built.stderr);
            for (stream, text) in [("stderr", &built.stderr), ("stdout", &built.stdout)] {
                assert!(
                    !text
                        .chars()
                        .any(|c| c.is_control() && c != '\n' && c != '\t'),
                    "{format} {stream}: {text:?}"
                );
                assert!(
                    !text
                        .lines()
                        .any(|l| l.starts_with("::error::forged")
                            || l.starts_with("::error file=a.md")),
                    "{format} {stream}: {text}"
                );
            }
            assert!(built.stderr.contains('␛'), "{format}: {}", built.stderr);
        }
    }
}

#[cfg(unix)]
#[test]
#[ignore = "needs Landlock (Linux 5.13 or later)"]
fn with_our_checks_off_the_sandbox_still_stops_every_way_out() {
    use responder_docs::model::sandbox::without_our_checks;
    assert!(
        responder_docs::model::sandbox::available(),
        "this system has no Landlock"
    );
    let dir = tempfile::tempdir().unwrap();
    let outer = dir.path();
    std::fs::create_dir_all(outer.join("outside")).unwrap();
    std::fs::write(outer.join("outside/secret.txt"), "CANARY_OUTSIDE").unwrap();
    std::fs::write(
        outer.join("outside/head.hbs"),
        "<meta name=\"CANARY_OUTSIDE\">",
    )
    .unwrap();
    std::fs::create_dir_all(outer.join("victim")).unwrap();
    std::fs::write(outer.join("victim/index.html"), "the writer's page").unwrap();
    // Each book tries one way out that our checks refuse; with them off,
    // only the sandbox is left to stop it.
    let ways: [(&str, &str, &str); 5] = [
        ("include", "", "{{#include ../../outside/secret.txt}}\n"),
        ("link", "", ""),
        ("theme", "[output.html]\ntheme = \"../outside-theme\"\n", ""),
        (
            "redirect",
            "[output.html.redirect]\n\"../../victim/index.html\" = \"a.html\"\n",
            "",
        ),
        ("chapter", "", ""),
    ];
    std::fs::create_dir_all(outer.join("outside-theme")).unwrap();
    std::fs::copy(
        outer.join("outside/head.hbs"),
        outer.join("outside-theme/head.hbs"),
    )
    .unwrap();
    for (name, output, chapter) in ways {
        let root = outer.join(name);
        tiny_book(
            &root,
            "[A](a.md)\n",
            &[("a.md", &format!("# A\n\n{chapter}"))],
        );
        append(&root.join("book.toml"), output);
        match name {
            "link" => std::os::unix::fs::symlink(
                outer.join("outside/secret.txt"),
                root.join("src/leak.txt"),
            )
            .unwrap(),
            // Read inside the book, written five folders up from the site.
            "chapter" => {
                std::fs::create_dir_all(root.join("deep/a/b/c")).unwrap();
                std::fs::create_dir_all(root.join("victim")).unwrap();
                std::fs::write(root.join("victim/index.md"), "# Victim\n").unwrap();
                std::os::unix::fs::symlink(root.join("deep/a/b/c"), root.join("src/d")).unwrap();
                append(
                    &root.join("src/SUMMARY.md"),
                    "[V](d/../../../../../victim/index.md)\n",
                );
            }
            _ => {}
        }
    }
    let before = snapshot(outer);
    for (name, _, _) in ways {
        let root = outer.join(name);
        let site = root.join("book");
        let built = without_our_checks(|| run(&["build", root.to_str().unwrap()]));
        let published = if site.exists() {
            files_containing(&site, "CANARY_OUTSIDE")
        } else {
            vec![]
        };
        assert_eq!(published, Vec::<String>::new(), "{name}: {}", built.stderr);
        // Only the site (and nothing beside it) may differ.
        let after: std::collections::BTreeMap<_, _> = snapshot(outer)
            .into_iter()
            .filter(|(path, _)| {
                *path != format!("{name}/book") && !path.starts_with(&format!("{name}/book/"))
            })
            .collect();
        assert_eq!(after, before, "{name}: {}", built.stderr);
        let _ = std::fs::remove_dir_all(&site);
    }
    // The same ways with our checks on are refused before anything runs,
    // and a plain book still builds under the sandbox.
    assert_eq!(build_shorts(&outer.join("include")).0, 1);
    let plain = outer.join("plain");
    tiny_book(&plain, "[A](a.md)\n", &[("a.md", "# A\n")]);
    assert_eq!(build_shorts(&plain), (0, vec![]));
    // `.git/` is inside the repository but never read, checks on or off.
    let repo = outer.join("repo");
    tiny_book(
        &repo,
        "[A](a.md)\n",
        &[("a.md", "# A\n\n{{#include ../.git/config}}\n")],
    );
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    std::fs::write(repo.join(".git/config"), "CANARY_GIT").unwrap();
    for unchecked in [false, true] {
        let build = || run(&["build", repo.to_str().unwrap()]);
        let built = if unchecked {
            without_our_checks(build)
        } else {
            build()
        };
        assert_eq!(
            files_containing(&repo.join("book"), "CANARY_GIT"),
            Vec::<String>::new(),
            "{}",
            built.stderr
        );
    }
}

/// A chapter or another file of `src/` that is a link into the repository's
/// `.git/` (where a checkout keeps its credentials) is refused before
/// anything is read, and nothing of it is published.
#[cfg(unix)]
#[test]
fn a_source_linked_into_dot_git_is_refused_and_never_published() {
    let book = copy_real_book();
    let root = book.path();
    std::fs::create_dir_all(root.join(".git")).unwrap();
    std::fs::write(root.join(".git/secretcred"), "GIT_SECRET_CANARY\n").unwrap();
    std::os::unix::fs::symlink("../.git/secretcred", root.join("src/cred.md")).unwrap();
    std::os::unix::fs::symlink("../.git/secretcred", root.join("src/cred.txt")).unwrap();
    let summary = root.join("src/SUMMARY.md");
    let text = std::fs::read_to_string(&summary).unwrap();
    std::fs::write(&summary, format!("{text}- [Cred](cred.md)\n")).unwrap();
    let (code, shorts) = check_shorts(root);
    let real = root.canonicalize().unwrap().join(".git/secretcred");
    assert_eq!(
        shorts,
        [
            format!(
                "src/cred.md:1:1: error[reach::git-folder]: `src/cred.md` resolves to `{}`, inside a `.git` folder, which the build never reads (it holds credentials); mdBook would copy it into the site",
                real.display()
            ),
            format!(
                "src/cred.txt:1:1: error[reach::git-folder]: `src/cred.txt` resolves to `{}`, inside a `.git` folder, which the build never reads (it holds credentials); mdBook would copy it into the site",
                real.display()
            ),
        ]
    );
    assert_eq!(code, 1);
    let run = responder_docs_tests::run(&["build", root.to_str().unwrap()]);
    assert_ne!(run.code, 0);
    let site = root.join("book");
    if site.exists() {
        for entry in walkdir::WalkDir::new(&site).into_iter().flatten() {
            if entry.file_type().is_file() {
                let bytes = std::fs::read(entry.path()).unwrap();
                assert!(
                    !String::from_utf8_lossy(&bytes).contains("GIT_SECRET_CANARY"),
                    "{}",
                    entry.path().display()
                );
            }
        }
    }
}

/// The destination is judged even with our path checks off (the test-only
/// switch): the site is swapped in outside the sandbox, so that judgement is
/// all that keeps a writer's folder from being replaced.
#[test]
fn with_our_checks_off_a_writers_folder_is_still_never_replaced() {
    let book = copy_real_book();
    let outer = tempfile::tempdir().unwrap();
    let victim = outer.path().join("victim");
    std::fs::create_dir_all(&victim).unwrap();
    std::fs::write(victim.join("keep.txt"), "the writer's\n").unwrap();
    let built = responder_docs::model::sandbox::without_our_checks(|| {
        run(&[
            "build",
            book.path().to_str().unwrap(),
            "--dest-dir",
            victim.to_str().unwrap(),
        ])
    });
    assert_ne!(built.code, 0, "{}", built.stderr);
    assert_eq!(
        std::fs::read_to_string(victim.join("keep.txt")).unwrap(),
        "the writer's\n"
    );
    assert_eq!(std::fs::read_dir(&victim).unwrap().count(), 1);
}

/// A `book.toml` that is a FIFO or a folder is refused at `book.toml:1:1`,
/// saying what it is, and never opened: a FIFO opened for reading would
/// block the run for ever.
#[cfg(unix)]
#[test]
fn a_book_toml_that_is_a_fifo_or_a_folder_is_refused_unopened() {
    let dir = tempfile::tempdir().unwrap();
    let fifo_book = dir.path().join("fifo");
    tiny_book(&fifo_book, "[A](a.md)\n", &[("a.md", "# A\n")]);
    std::fs::remove_file(fifo_book.join("book.toml")).unwrap();
    fifo(&fifo_book.join("book.toml"));
    let folder_book = dir.path().join("folder");
    tiny_book(&folder_book, "[A](a.md)\n", &[("a.md", "# A\n")]);
    std::fs::remove_file(folder_book.join("book.toml")).unwrap();
    std::fs::create_dir(folder_book.join("book.toml")).unwrap();
    for (book, kind) in [(&fifo_book, "FIFO"), (&folder_book, "folder")] {
        let expected = vec![format!(
            "book.toml:1:1: error[reach::not-a-file]: `book.toml` is a {kind}, not a regular file; the book's settings are not read from it"
        )];
        // The run returning at all shows the FIFO was never opened.
        assert_eq!(check_shorts(book), (1, expected.clone()), "{kind}");
        assert_eq!(build_shorts(book), (1, expected), "{kind}");
        assert!(!book.join("book").exists(), "{kind}: nothing built");
    }
    // A regular book.toml beside them builds.
    let plain = dir.path().join("plain");
    tiny_book(&plain, "[A](a.md)\n", &[("a.md", "# A\n")]);
    assert_eq!(build_shorts(&plain), (0, vec![]));
}

/// A chapter (or `SUMMARY.md`) that is not UTF-8 is reported where its first
/// invalid byte is, before mdBook's loader would stop without a location.
#[test]
fn a_chapter_that_is_not_utf8_is_reported_at_the_byte() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    tiny_book(
        root,
        "[A](a.md)\n[B](b.md)\n",
        &[("a.md", "# A\n"), ("b.md", "# B\n\nCafé ok.\n")],
    );
    std::fs::write(root.join("src/a.md"), b"# A\n\nna\xefve \xff\n").unwrap();
    let (code, found) = check_shorts(root);
    assert_eq!(
        found,
        [
            "src/a.md:3:3: error[reach::unreadable-source]: cannot read the chapter: it is not UTF-8: the first invalid byte is on line 3, column 3"
        ]
    );
    assert_eq!(code, 1);
    let human = run(&["check", root.to_str().unwrap()]);
    assert!(
        human
            .stderr
            .contains("--> src/a.md:3:3\n  |\n3 | na\u{fffd}ve \u{fffd}\n"),
        "{}",
        human.stderr
    );
    assert!(human.stderr.contains("= help: save the file as UTF-8"));
    std::fs::write(root.join("src/SUMMARY.md"), b"[A](a.md)\n\xc3(\n").unwrap();
    std::fs::write(root.join("src/a.md"), "# A\n").unwrap();
    assert_eq!(
        check_shorts(root),
        (1, vec!["src/SUMMARY.md:2:1: error[reach::unreadable-source]: cannot read the table of contents: it is not UTF-8: the first invalid byte is on line 2, column 1".to_string()])
    );
    // UTF-8 beyond ASCII is fine.
    std::fs::write(root.join("src/SUMMARY.md"), "[A](a.md)\n[B](b.md)\n").unwrap();
    assert_eq!(check_shorts(root), (0, vec![]));
}

/// `include-root` above the repository moves the boundary, but the `.git/`
/// of the repository (and of a repository inside it) stays unreadable: our
/// checks refuse an include of it, and with them off the sandbox does.
#[cfg(unix)]
#[test]
#[ignore = "needs Landlock (Linux 5.13 or later)"]
fn include_root_above_the_repository_never_opens_a_dot_git() {
    assert!(
        responder_docs::model::sandbox::available(),
        "this system has no Landlock"
    );
    let dir = tempfile::tempdir().unwrap();
    let outer = dir.path();
    let repo = outer.join("repo");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    std::fs::write(repo.join(".git/config"), "CANARY_GIT_REPO").unwrap();
    std::fs::create_dir_all(outer.join("other/.git")).unwrap();
    std::fs::write(outer.join("other/.git/config"), "CANARY_GIT_OTHER").unwrap();
    std::fs::write(outer.join("other/notes.txt"), "NOTES_BESIDE").unwrap();
    let root = repo.join("book");
    tiny_book(
        &root,
        "[A](a.md)\n",
        &[(
            "a.md",
            "# A\n\n{{#include ../../.git/config}}\n\n{{#include ../../../other/.git/config}}\n\n{{#include ../../../other/notes.txt}}\n",
        )],
    );
    append(
        &root.join("book.toml"),
        "[preprocessor.include]\n[preprocessor.validate]\ninclude-root = \"../..\"\n",
    );
    let (code, found) = check_shorts(&root);
    let outer_real = canonical(outer);
    assert_eq!(
        found,
        [
            format!(
                "src/a.md:3:1: error[reach::git-folder]: `{{{{#include ../../.git/config}}}}` reads `../../.git/config`, which resolves to `{outer_real}/repo/.git/config`, inside a `.git` folder, which the build never reads (it holds credentials)"
            ),
            format!(
                "src/a.md:5:1: error[reach::git-folder]: `{{{{#include ../../../other/.git/config}}}}` reads `../../../other/.git/config`, which resolves to `{outer_real}/other/.git/config`, inside a `.git` folder, which the build never reads (it holds credentials)"
            ),
        ]
    );
    assert_eq!(code, 1);
    // With our checks off, the sandbox denies both `.git` files (so the
    // includes read as missing) and lets the file beside them be read.
    let built = responder_docs::model::sandbox::without_our_checks(|| {
        run(&["build", root.to_str().unwrap(), "--format", "json"])
    });
    assert_eq!(
        responder_docs_tests::shorts(&built.stdout),
        [
            "src/a.md:3:1: error[links::missing-include]: `{{#include ../../.git/config}}`: `src/../../.git/config` does not exist",
            "src/a.md:5:1: error[links::missing-include]: `{{#include ../../../other/.git/config}}`: `src/../../../other/.git/config` does not exist",
        ],
        "{}",
        built.stderr
    );
    assert!(!built.stdout.contains("CANARY_GIT"));
    assert!(!root.join("book").exists(), "nothing published");
}

/// With our checks off, mdBook's loader runs under the sandbox too: a
/// chapter that is a link out of the repository is not read, so it is
/// neither published nor read into the book.
#[cfg(unix)]
#[test]
#[ignore = "needs Landlock (Linux 5.13 or later)"]
fn with_our_checks_off_the_loader_reads_no_chapter_outside() {
    assert!(
        responder_docs::model::sandbox::available(),
        "this system has no Landlock"
    );
    let dir = tempfile::tempdir().unwrap();
    let outer = dir.path();
    std::fs::write(outer.join("secret.md"), "# CANARY_CHAPTER\n").unwrap();
    let root = outer.join("book");
    tiny_book(&root, "[A](a.md)\n[S](leak.md)\n", &[("a.md", "# A\n")]);
    std::os::unix::fs::symlink(outer.join("secret.md"), root.join("src/leak.md")).unwrap();
    let refused = check_shorts(&root);
    assert_eq!(refused.0, 1);
    assert!(
        refused.1[0].starts_with("src/leak.md:1:1: error[reach::outside-source]"),
        "{refused:?}"
    );
    let built = responder_docs::model::sandbox::without_our_checks(|| {
        run(&["build", root.to_str().unwrap(), "--format", "json"])
    });
    assert_eq!(built.code, 2, "{}", built.stderr);
    assert!(
        built.stderr.contains(
            "error: cannot load the book at .: failed to read chapter `leak.md`: Permission denied"
        ) && built.stderr.contains("Permission denied"),
        "{}",
        built.stderr
    );
    assert!(!built.stdout.contains("CANARY_CHAPTER"));
    assert!(!root.join("book").exists());
    // `create-missing` still makes a missing chapter under the sources.
    std::fs::remove_file(root.join("src/leak.md")).unwrap();
    std::fs::write(
        root.join("book.toml"),
        "[book]\ntitle = \"Tiny\"\n[build]\ncreate-missing = true\n",
    )
    .unwrap();
    let built = responder_docs::model::sandbox::without_our_checks(|| {
        run(&["build", root.to_str().unwrap()])
    });
    assert_eq!(built.code, 0, "{}", built.stderr);
    assert_eq!(
        std::fs::read_to_string(root.join("src/leak.md")).unwrap(),
        "# S\n"
    );
}

/// The one-line problems of `check` with this code.
fn with_code(book: &Path, code: &str) -> Vec<String> {
    check_shorts(book)
        .1
        .into_iter()
        .filter(|s| s.contains(&format!("[{code}]")))
        .collect()
}

/// Inputs whose checks cost more than their bytes have budgets, each
/// reported where it is exceeded; one over a budget stops the run before
/// anything parses it, and one at the budget is checked as usual.
#[test]
fn markdown_templates_and_policies_over_their_budgets_stop_the_run_at_the_place() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    tiny_book(
        root,
        "[A](a.md)\n[B](b.md)\n",
        &[
            ("a.md", &format!("# A\n\n{}\n", "[".repeat(100_001))),
            ("b.md", "# B\n\n{{#include deep.txt}}\n"),
            ("deep.txt", &"*a ".repeat(100_001)),
        ],
    );
    assert_eq!(
        check_shorts(root),
        (1, vec!["src/a.md:3:100001: error[reach::over-budget]: more than 100000 Markdown delimiters (`[`, `]`, `<`, `>`, `&`, `\\`, runs of `*`, `_`, `` ` ``, `~`) outside fenced code; the chapter is not checked".to_string()])
    );
    // At the budget, the chapter is checked; its includes may not bring
    // it over (the text past the budget is dropped, the build fails).
    std::fs::write(
        root.join("src/a.md"),
        format!("# A\n\n{}\n", "[".repeat(100_000)),
    )
    .unwrap();
    assert_eq!(
        check_shorts(root),
        (1, vec!["src/b.md:3:1: error[reach::over-budget]: with what it includes, the chapter holds more than 100000 Markdown delimiters (`[`, `]`, `<`, `>`, `&`, `\\`, runs of `*`, `_`, `` ` ``, `~`) outside fenced code; the text past them is not checked".to_string()])
    );
    assert_eq!(build_shorts(root).0, 1);
    assert!(!root.join("book").exists());
    std::fs::write(
        root.join("src/deep.txt"),
        "```\n".to_string() + &"*a ".repeat(100_001) + "\n```\n",
    )
    .unwrap();
    assert_eq!(check_shorts(root), (0, vec![]), "fenced code costs nothing");

    // Templates: CloudFormation's 500 resources and 1 MiB.
    std::fs::create_dir_all(root.join("templates")).unwrap();
    let template = |n: usize| {
        let resources: Vec<String> = (0..n)
            .map(|i| format!("    \"Log{i}\": {{\"Type\": \"AWS::Logs::LogGroup\"}}"))
            .collect();
        format!(
            "{{\n  \"AWSTemplateFormatVersion\": \"2010-09-09\",\n  \"Resources\": {{\n{}\n  }}\n}}\n",
            resources.join(",\n")
        )
    };
    std::fs::write(root.join("templates/big.json"), template(500)).unwrap();
    assert_eq!(with_code(root, "reach::over-budget"), Vec::<String>::new());
    // 75,000 resources: reported at its 1,048,577th byte.
    let huge = template(75_000);
    std::fs::write(root.join("templates/big.json"), &huge).unwrap();
    let before = &huge[..1 << 20];
    let line = before.matches('\n').count() + 1;
    let column = before.len() - before.rfind('\n').unwrap();
    assert_eq!(
        check_shorts(root),
        (
            1,
            vec![format!(
                "templates/big.json:{line}:{column}: error[reach::over-budget]: the template is {} bytes, over the 1048576-byte budget for a template; it is not checked",
                huge.len()
            )]
        )
    );
    std::fs::write(root.join("templates/big.json"), template(501)).unwrap();
    assert_eq!(
        check_shorts(root),
        (1, vec!["templates/big.json:504:5: error[reach::over-budget]: the template has 501 resources, over CloudFormation's limit of 500; it is not checked".to_string()])
    );
    std::fs::remove_file(root.join("templates/big.json")).unwrap();

    // Policies: 128 KiB, on one line too.
    std::fs::create_dir_all(root.join("policies")).unwrap();
    let policy = |bytes: usize| {
        let head = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/";
        let tail = "\"}]}";
        format!(
            "{head}{}{tail}",
            "x".repeat(bytes - head.len() - tail.len())
        )
    };
    std::fs::write(root.join("policies/long.json"), policy(131_072)).unwrap();
    assert_eq!(with_code(root, "reach::over-budget"), Vec::<String>::new());
    std::fs::write(root.join("policies/long.json"), policy(16 << 20)).unwrap();
    assert_eq!(
        check_shorts(root),
        (1, vec!["policies/long.json:1:131073: error[reach::over-budget]: the policy is 16777216 bytes, over the 131072-byte budget for a policy; it is not checked".to_string()])
    );
}

/// A lone carriage return beside a directive once panicked every command
/// (the line map indexed past its lines); it is text like any other.
#[test]
fn a_lone_carriage_return_beside_a_directive_is_checked_and_built() {
    let book = copy_real_book();
    let root = book.path();
    append(
        &root.join("src/support.md"),
        "Registry: {{#image-registry}}\rB\n\n[broken](nowhere.md)\n",
    );
    let (code, found) = check_shorts(root);
    assert_eq!(code, 1);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains("error[links::missing-file]: `nowhere.md`"),
        "{found:?}"
    );
    let dest = tempfile::tempdir().unwrap();
    let built = build(root, &dest.path().join("site"));
    assert_eq!(built.code, 1, "{}", built.stderr);
    assert!(!built.stderr.contains("panicked"), "{}", built.stderr);
}

/// Only a link's own heading ids are compared for a suggestion, and never
/// names too long to be mistyped (two 100,000-character ids took half a
/// minute a link).
#[test]
fn a_missing_anchor_beside_a_huge_heading_is_reported_without_a_suggestion() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let id = "a".repeat(100_000);
    tiny_book(
        root,
        "[A](a.md)\n",
        &[("a.md", &format!("# {id}\n\n[x](#{}b)\n", &id[1..]))],
    );
    let (code, found) = check_shorts(root);
    assert_eq!(code, 1);
    assert_eq!(found.len(), 1);
    assert!(
        found[0].starts_with("src/a.md:3:1: error[links::missing-anchor]:"),
        "{}",
        &found[0][..80]
    );
}

/// What only looks like a fence (a backtick fence's info string holds no
/// backtick) hides nothing from the Markdown budget.
#[test]
fn a_line_that_only_looks_like_a_fence_does_not_open_one_for_the_budget() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    tiny_book(
        root,
        "[A](a.md)\n",
        &[("a.md", &format!("```x`y\n{}\n", "[".repeat(100_001)))],
    );
    assert_eq!(
        check_shorts(root),
        (1, vec!["src/a.md:2:99999: error[reach::over-budget]: more than 100000 Markdown delimiters (`[`, `]`, `<`, `>`, `&`, `\\`, runs of `*`, `_`, `` ` ``, `~`) outside fenced code; the chapter is not checked".to_string()])
    );
}

/// A committed link `book -> policies` and a copied marker do not make a
/// folder the book reads into the site: the build refuses and the policies
/// stay. Nor does a leftover sweep remove sources named like a leftover.
#[cfg(unix)]
#[test]
fn a_folder_the_book_reads_is_never_replaced_by_the_site_nor_swept_as_a_leftover() {
    let book = copy_real_book();
    let root = book.path();
    let first = run(&["build", root.to_str().unwrap()]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    std::fs::copy(
        root.join("book/.responder-docs-site"),
        root.join("policies/.responder-docs-site"),
    )
    .unwrap();
    std::fs::remove_dir_all(root.join("book")).unwrap();
    std::os::unix::fs::symlink("policies", root.join("book")).unwrap();
    let before = snapshot(&root.join("policies"));
    let built = run(&["build", root.to_str().unwrap()]);
    assert_eq!(built.code, 2, "{}", built.stderr);
    assert!(
        built.stderr.contains(
            "error: the destination policies is or contains a folder the book reads (policies); building there would delete it"
        ),
        "{}",
        built.stderr
    );
    assert_eq!(snapshot(&root.join("policies")), before);

    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let sources = ".responder-docs-old-999999-book";
    tiny_book(root, "[A](a.md)\n", &[("a.md", "# A\n")]);
    std::fs::rename(root.join("src"), root.join(sources)).unwrap();
    std::fs::write(
        root.join("book.toml"),
        format!("[book]\ntitle = \"Tiny\"\nsrc = \"{sources}\"\n"),
    )
    .unwrap();
    std::fs::write(
        root.join(sources).join(".responder-docs-site"),
        "Written by responder-docs build; the next build replaces this folder.\n",
    )
    .unwrap();
    let built = run(&["build", root.to_str().unwrap()]);
    assert_eq!(built.code, 0, "{}", built.stderr);
    assert!(root.join(sources).join("a.md").is_file());
}

/// A tiny book whose book.toml leaves `create-missing` on (mdBook's default).
fn creating_book(root: &Path, summary: &str, files: &[(&str, &str)]) {
    tiny_book(root, summary, files);
    std::fs::write(root.join("book.toml"), "[book]\ntitle = \"Tiny\"\n").unwrap();
}

/// An entry missing as written but landing on a file once its folders are
/// made (`new/../SUMMARY.md`) would have `create-missing` write over that
/// file: refused, by `check` and `build`, and every file stays as it was.
#[test]
fn create_missing_never_writes_over_a_file_of_the_book() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    creating_book(
        root,
        "# Summary\n\n- [A](a.md)\n- [Oops](new/../SUMMARY.md)\n- [A2](sub/../a.md)\n",
        &[("a.md", "# A\n\nImportant content.\n")],
    );
    let before = snapshot(root);
    let expected = [
        "src/SUMMARY.md:4:3: error[reach::create-overwrites]: `new/../SUMMARY.md` does not exist as written, and `create-missing` would have mdBook make its folders and write the chapter's title over `src/SUMMARY.md`",
        "src/SUMMARY.md:5:3: error[reach::create-overwrites]: `sub/../a.md` does not exist as written, and `create-missing` would have mdBook make its folders and write the chapter's title over `src/a.md`",
    ];
    assert_eq!(check_shorts(root), (1, expected.map(String::from).to_vec()));
    assert_eq!(build_shorts(root), (1, expected.map(String::from).to_vec()));
    assert_eq!(snapshot(root), before);
    assert!(!root.join("src/new").exists() && !root.join("src/sub").exists());
}

/// `check` writes nothing: a chapter `create-missing` would create is
/// checked as the text mdBook would write, and not made; `build` makes it.
#[test]
fn check_creates_no_missing_chapter_and_build_does() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    creating_book(
        root,
        "# Summary\n\n- [A](a.md)\n- [New & improved](sub/new.md)\n",
        &[(
            "a.md",
            "# A\n\nSee [the new page](sub/new.md#new--improved).\n",
        )],
    );
    let before = snapshot(root);
    assert_eq!(check_shorts(root), (0, vec![]));
    assert_eq!(snapshot(root), before);
    assert!(!root.join("src/sub").exists());
    assert_eq!(build_shorts(root), (0, vec![]));
    assert_eq!(
        std::fs::read_to_string(root.join("src/sub/new.md")).unwrap(),
        "# New &amp; improved\n"
    );
}

/// A chapter inside a `.git` folder of the sources (a vendored checkout),
/// or under a folder linked into the repository's `.git`, is refused where
/// the folder is, and mdBook's loader never reads it.
#[cfg(unix)]
#[test]
fn a_chapter_in_a_dot_git_folder_is_refused_and_never_published() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    tiny_book(
        root,
        "- [A](a.md)\n- [Notes](vendor/.git/notes.md)\n- [S](g/secret.md)\n",
        &[
            ("a.md", "# A\n"),
            ("vendor/.git/notes.md", "# Notes\n\nGIT_TOKEN_CANARY\n"),
        ],
    );
    std::fs::create_dir_all(root.join(".git")).unwrap();
    std::fs::write(root.join(".git/secret.md"), "GIT_TOKEN_CANARY\n").unwrap();
    std::os::unix::fs::symlink("../.git", root.join("src/g")).unwrap();
    let real = root.canonicalize().unwrap();
    let expected = [
        format!(
            "src/g:1:1: error[reach::git-folder]: `src/g` resolves to `{}`, inside a `.git` folder, which the build never reads (it holds credentials); mdBook would copy it into the site",
            real.join(".git").display()
        ),
        format!(
            "src/vendor/.git:1:1: error[reach::git-folder]: `src/vendor/.git` resolves to `{}`, inside a `.git` folder, which the build never reads (it holds credentials); mdBook would copy it into the site",
            real.join("src/vendor/.git").display()
        ),
    ];
    assert_eq!(check_shorts(root), (1, expected.to_vec()));
    assert_eq!(build_shorts(root).0, 1);
    assert_eq!(
        files_containing(root, "GIT_TOKEN_CANARY").len(),
        2,
        "only the two sources"
    );
}
