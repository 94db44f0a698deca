//! `preprocessors/mdbook-command`, which book.toml's `command` entries run
//! under stock mdBook: it runs the release binary straight away while the
//! binary is newer than every source, and has Cargo rebuild it first when it
//! is missing or a source changed. Run on a copy of the script, and of the
//! program that stands for it on Windows (`launcher.rs`), in a small fake
//! workspace whose `cargo` and binary only record how they were called.
#![cfg(unix)]

use responder_docs_tests::repo_root;
use std::fs::{self, File};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, SystemTime};

/// What the fake `cargo build` installs as the release binary.
const BINARY: &str = "#!/bin/sh\necho \"binary: $*\"\n";

/// What answers for `preprocessors/mdbook-command`.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Script,
    /// The `mdbook-command` program (built here as `launcher`).
    Program,
}

const KINDS: [Kind; 2] = [Kind::Script, Kind::Program];

struct Workspace {
    dir: tempfile::TempDir,
    kind: Kind,
}

impl Workspace {
    fn new(kind: Kind) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("preprocessors/src")).unwrap();
        fs::create_dir_all(root.join("bin")).unwrap();
        let command = match kind {
            Kind::Script => repo_root().join("preprocessors/mdbook-command"),
            Kind::Program => PathBuf::from(env!("CARGO_BIN_EXE_launcher")),
        };
        fs::copy(command, root.join("preprocessors/mdbook-command")).unwrap();
        // As installed, the program is older than the binary it runs.
        set_mtime(
            &root.join("preprocessors/mdbook-command"),
            SystemTime::now() - Duration::from_secs(3600),
        );
        for file in ["Cargo.toml", "Cargo.lock", "preprocessors/src/lib.rs"] {
            fs::write(root.join(file), "").unwrap();
        }
        // `cargo` logs its arguments and, like Cargo when nothing it
        // compiles changed, leaves an existing binary untouched; it writes
        // one only when there is none, and fails when told to.
        let cargo = format!(
            "#!/bin/sh\necho \"$*\" >> '{log}'\n[ -z \"$CARGO_FAILS\" ] || {{ echo 'error: it does not compile' >&2; exit 101; }}\n[ -e '{release}/responder-docs' ] && exit 0\nmkdir -p '{release}'\nprintf '%s' '{BINARY}' > '{release}/responder-docs'\nchmod +x '{release}/responder-docs'\n",
            log = root.join("cargo.log").display(),
            release = root.join("target/release").display(),
        );
        write_executable(&root.join("bin/cargo"), &cargo);
        Workspace { dir, kind }
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn binary(&self) -> PathBuf {
        self.root().join("target/release/responder-docs")
    }

    /// Creates `target/release/` and returns the binary's path in it.
    fn binary_dir_created(&self) -> PathBuf {
        fs::create_dir_all(self.root().join("target/release")).unwrap();
        self.binary()
    }

    fn cargo_calls(&self) -> Vec<String> {
        fs::read_to_string(self.root().join("cargo.log"))
            .unwrap_or_default()
            .lines()
            .map(str::to_string)
            .collect()
    }

    /// Runs the script as mdBook does: by absolute path, from the book root.
    fn run(&self, args: &[&str], cargo_fails: bool) -> Output {
        let path = format!(
            "{}:{}",
            self.root().join("bin").display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let mut command = Command::new(self.root().join("preprocessors/mdbook-command"));
        command
            .args(args)
            .current_dir(self.root())
            .env("PATH", path)
            .env_remove("CARGO_TARGET_DIR")
            .stdin(Stdio::null());
        if cargo_fails {
            command.env("CARGO_FAILS", "1");
        }
        // Another test's child, forked while this test was writing the
        // program, holds it open for writing until it execs: wait that out.
        for _ in 0..50 {
            match command.output() {
                Err(e) if e.kind() == std::io::ErrorKind::ExecutableFileBusy => {
                    std::thread::sleep(Duration::from_millis(20));
                }
                output => return output.unwrap(),
            }
        }
        panic!(
            "{} stayed busy",
            self.root().join("preprocessors/mdbook-command").display()
        )
    }
}

fn write_executable(path: &Path, text: &str) {
    fs::write(path, text).unwrap();
    fs::set_permissions(path, fs::Permissions::from_mode(0o755)).unwrap();
}

fn set_mtime(path: &Path, time: SystemTime) {
    File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(time)
        .unwrap();
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn build_call(ws: &Workspace) -> String {
    let manifest = match ws.kind {
        Kind::Script => ws.root().join("preprocessors/../Cargo.toml"),
        Kind::Program => ws.root().join("Cargo.toml"),
    };
    format!(
        "build --release --quiet --locked --manifest-path {} --bin responder-docs",
        manifest.display()
    )
}

#[test]
fn without_a_binary_cargo_builds_the_release_one_and_it_runs() {
    for kind in KINDS {
        let ws = Workspace::new(kind);
        let output = ws.run(&["validate", "supports", "html"], false);
        assert!(output.status.success(), "{output:?}");
        assert_eq!(stdout(&output), "binary: mdbook validate supports html\n");
        assert_eq!(ws.cargo_calls(), vec![build_call(&ws)]);
    }
}

#[test]
fn a_binary_newer_than_every_source_runs_without_cargo() {
    for kind in KINDS {
        let ws = Workspace::new(kind);
        write_executable(&ws.binary_dir_created(), BINARY);
        let later = SystemTime::now() + Duration::from_secs(60);
        set_mtime(&ws.binary(), later);
        let output = ws.run(&["procedure"], false);
        assert!(output.status.success(), "{output:?}");
        assert_eq!(stdout(&output), "binary: mdbook procedure\n");
        assert_eq!(ws.cargo_calls(), Vec::<String>::new());
    }
}

#[test]
fn an_edited_source_is_rebuilt_before_it_runs_and_only_once() {
    for kind in KINDS {
        let ws = Workspace::new(kind);
        write_executable(&ws.binary_dir_created(), BINARY);
        let now = SystemTime::now();
        set_mtime(&ws.binary(), now - Duration::from_secs(60));
        set_mtime(&ws.root().join("preprocessors/src/lib.rs"), now);
        let output = ws.run(&["image-uri"], false);
        assert!(output.status.success(), "{output:?}");
        assert_eq!(stdout(&output), "binary: mdbook image-uri\n");
        assert_eq!(ws.cargo_calls(), vec![build_call(&ws)]);
        // Cargo found nothing to compile, so it left the binary's time alone; the
        // script marks it current and the next call goes straight to it.
        let output = ws.run(&["image-uri"], false);
        assert_eq!(stdout(&output), "binary: mdbook image-uri\n");
        assert_eq!(ws.cargo_calls().len(), 1, "{:?}", ws.cargo_calls());
    }
}

#[test]
fn a_failed_build_fails_the_command_and_runs_no_stale_binary() {
    for kind in KINDS {
        let ws = Workspace::new(kind);
        write_executable(&ws.binary_dir_created(), BINARY);
        let now = SystemTime::now();
        set_mtime(&ws.binary(), now - Duration::from_secs(60));
        set_mtime(&ws.root().join("Cargo.lock"), now);
        let output = ws.run(&["validate"], true);
        assert!(!output.status.success(), "{output:?}");
        assert_eq!(stdout(&output), "", "the stale binary did not run");
        assert!(String::from_utf8_lossy(&output.stderr).contains("error: it does not compile"));
    }
}
