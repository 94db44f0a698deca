//! Helpers for the end-to-end tests: fixture books copied to a temporary
//! folder, and the CLI run in-process with its output captured.

pub mod docs_gen;
pub mod runbook;

use clap::Parser;
use responder_docs::shells::cli::{self, Cli};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository root (where book.toml is).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ sits in the repository")
        .to_path_buf()
}

/// A fixture folder under `tests/fixtures/`.
pub fn fixture(rel: &str) -> PathBuf {
    repo_root().join("tests/fixtures").join(rel)
}

/// What one CLI run printed, and its exit status.
#[derive(Debug)]
pub struct Run {
    pub code: u8,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `responder-docs ARGS…` in-process.
pub fn run(args: &[&str]) -> Run {
    let cli = Cli::try_parse_from(std::iter::once("responder-docs").chain(args.iter().copied()))
        .unwrap_or_else(|e| panic!("bad arguments {args:?}: {e}"));
    let mut out = Vec::new();
    let mut err = Vec::new();
    let code = cli::run(cli, &mut out, &mut err, false);
    Run {
        code,
        stdout: String::from_utf8(out).expect("utf-8 stdout"),
        stderr: String::from_utf8(err).expect("utf-8 stderr"),
    }
}

/// The `path:line:col: severity[code]: message` lines of `check --format json`
/// on a book, for exact assertions.
pub fn check_shorts(book: &Path) -> (u8, Vec<String>) {
    let run = run(&["check", book.to_str().unwrap(), "--format", "json"]);
    (run.code, shorts(&run.stdout))
}

/// The one-line forms of a JSON report.
pub fn shorts(json: &str) -> Vec<String> {
    let report: serde_json::Value =
        serde_json::from_str(json).unwrap_or_else(|e| panic!("not a JSON report ({e}):\n{json}"));
    report["diagnostics"]
        .as_array()
        .expect("diagnostics array")
        .iter()
        .map(|d| {
            format!(
                "{}:{}:{}: {}[{}]: {}",
                d["path"].as_str().unwrap(),
                d["line"],
                d["column"],
                d["severity"].as_str().unwrap(),
                d["code"].as_str().unwrap(),
                d["message"].as_str().unwrap()
            )
        })
        .collect()
}

/// Copies a folder (a fixture book, or the real book) to a fresh temporary
/// folder, so a test can break it without touching the original.
pub fn copy_dir(from: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_into(from, dir.path());
    dir
}

/// Adds a shell block marked for the run path `path` at the end of
/// `chapter` of `book`; the line of its first command.
pub fn append_block(book: &Path, chapter: &str, path: &str, script: &str) -> usize {
    let file = book.join(chapter);
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        format!("{text}\n<!-- run: {path} -->\n```bash\n{script}\n```\n"),
    )
    .unwrap();
    text.lines().count() + 4
}

/// Copies the real book (book.toml, src/, policies/, templates/, theme/) to a temporary folder.
pub fn copy_real_book() -> tempfile::TempDir {
    let root = repo_root();
    let dir = tempfile::tempdir().expect("temp dir");
    for entry in [
        "book.toml",
        "policies.toml",
        "src",
        "policies",
        "templates",
        "theme",
    ] {
        let from = root.join(entry);
        if from.is_dir() {
            std::fs::create_dir_all(dir.path().join(entry)).unwrap();
            copy_into(&from, &dir.path().join(entry));
        } else if from.is_file() {
            std::fs::copy(&from, dir.path().join(entry)).unwrap();
        }
    }
    dir
}

fn copy_into(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).min_depth(1) {
        let entry = entry.expect("readable fixture");
        let rel = entry.path().strip_prefix(from).unwrap();
        let target = to.join(rel);
        let kind = entry.path_is_symlink();
        if kind {
            let link = std::fs::read_link(entry.path()).unwrap();
            #[cfg(unix)]
            std::os::unix::fs::symlink(link, &target).unwrap();
            #[cfg(not(unix))]
            let _ = link;
        } else if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Writes a minimal plain mdBook (no custom preprocessors) at `root`:
/// book.toml, `src/SUMMARY.md`, and the given `src/` files.
pub fn tiny_book(root: &Path, summary: &str, files: &[(&str, &str)]) {
    std::fs::create_dir_all(root.join("src")).unwrap();
    std::fs::write(
        root.join("book.toml"),
        "[book]\ntitle = \"Tiny\"\n[build]\ncreate-missing = false\n",
    )
    .unwrap();
    std::fs::write(root.join("src/SUMMARY.md"), summary).unwrap();
    for (name, text) in files {
        let path = root.join("src").join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

/// Stock mdBook 0.5 on `PATH`, for a test marked `#[ignore = "needs …"]`:
/// it runs only when asked for, so a missing tool is a failure, never a skip.
pub fn require_stock_mdbook() {
    let found = Command::new("mdbook")
        .arg("--version")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("v0.5."));
    assert!(
        found,
        "mdbook 0.5.x is not on PATH: run `cargo install mdbook --locked --version 0.5.4`"
    );
}

/// Runs stock `mdbook build BOOK --dest-dir DEST`; a failed build fails the
/// test with mdBook's stderr.
pub fn stock_mdbook_build(book: &Path, dest: &Path) {
    let output = Command::new("mdbook")
        .arg("build")
        .arg(book)
        .arg("--dest-dir")
        .arg(dest)
        .output()
        .expect("mdbook runs");
    assert!(
        output.status.success(),
        "mdbook build {} failed:\n{}",
        book.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Points the `command` entries of a copied book's book.toml at this
/// workspace's launcher, so stock `mdbook` runs our passes (this
/// workspace's build of them) on a book outside it.
pub fn commands_from_workspace(book: &Path) {
    let launcher = repo_root().join("preprocessors/mdbook-command");
    commands_run(book, &launcher.display().to_string());
}

/// Has the `command` entries of a copied book's book.toml run `program`
/// in place of `preprocessors/mdbook-command`, with the same arguments.
pub fn commands_run(book: &Path, program: &str) {
    let toml = book.join("book.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    assert!(text.contains("command = \"preprocessors/mdbook-command "));
    std::fs::write(
        &toml,
        text.replace(
            "command = \"preprocessors/mdbook-command ",
            &format!("command = \"{program} "),
        ),
    )
    .unwrap();
}
