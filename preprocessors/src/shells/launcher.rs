//! `preprocessors/mdbook-command` without `sh`: what the script does, as a
//! program (the `mdbook-command` binary), for writers on Windows.
//!
//! mdBook runs a `command` through no shell: it splits the words and, for a
//! program named by a path, joins it to the book root. On Windows, Rust's
//! `Command` then tries that path with `.exe` appended first, so
//! `preprocessors/mdbook-command.exe` (this program, copied there once by
//! `mdbook-command install`) answers the same book.toml entry the script
//! answers on Unix.

use anyhow::{Context, Result, bail};
use std::ffi::OsString;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::SystemTime;

/// What the `mdbook-command` binary runs: `mdbook-command NAME [supports
/// RENDERER]` as the script takes them, or `mdbook-command install`.
pub fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().skip(1).collect();
    let result = match args.first().and_then(|a| a.to_str()) {
        Some("install") => install().map(|()| 0),
        _ => repo().and_then(|repo| launch(&repo, &args)),
    };
    match result {
        Ok(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
        Err(error) => {
            eprintln!("mdbook-command: {error:#}");
            ExitCode::from(1)
        }
    }
}

/// The workspace: the folder above `preprocessors/`, where this program sits
/// once installed (as the script finds it from `$0`); else the workspace it
/// was built from.
fn repo() -> Result<PathBuf> {
    let me = std::env::current_exe().context("cannot find where mdbook-command is")?;
    let dir = me.parent().context("mdbook-command is in no folder")?;
    if dir.file_name().is_some_and(|n| n == "preprocessors") {
        return Ok(dir.parent().unwrap_or(dir).to_path_buf());
    }
    Ok(Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .context("the crate sits in the workspace")?
        .to_path_buf())
}

/// Copies this program to `preprocessors/mdbook-command.exe` (or without
/// `.exe` elsewhere), where mdBook finds it for the book's `command`.
fn install() -> Result<()> {
    let me = std::env::current_exe().context("cannot find where mdbook-command is")?;
    let to = repo()?
        .join("preprocessors/mdbook-command")
        .with_extension(std::env::consts::EXE_EXTENSION);
    if to == me {
        return Ok(());
    }
    std::fs::copy(&me, &to).with_context(|| format!("cannot copy to {}", to.display()))?;
    eprintln!("installed {}", to.display());
    Ok(())
}

/// Runs the release binary of `repo` with `mdbook ARGS…`, Cargo rebuilding
/// it first when it is missing or a source is newer; its exit code.
pub(crate) fn launch(repo: &Path, args: &[OsString]) -> Result<i32> {
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| repo.join("target"), PathBuf::from);
    let binary = target
        .join("release/responder-docs")
        .with_extension(std::env::consts::EXE_EXTENSION);
    let sources = [
        repo.join("preprocessors"),
        repo.join("Cargo.toml"),
        repo.join("Cargo.lock"),
    ];
    let me = std::env::current_exe().ok();
    if stale(&binary, &sources, me.as_deref()) {
        let status = Command::new("cargo")
            .args([
                "build",
                "--release",
                "--quiet",
                "--locked",
                "--manifest-path",
            ])
            .arg(repo.join("Cargo.toml"))
            .args(["--bin", "responder-docs"])
            // stdout carries mdBook's protocol.
            .stdout(std::io::stderr())
            .status()
            .context("cannot run cargo to build responder-docs")?;
        if !status.success() {
            bail!("cargo could not build responder-docs");
        }
        // Cargo leaves the binary as it is when nothing it compiles changed:
        // mark it current so the next call does not ask Cargo again.
        File::options()
            .write(true)
            .open(&binary)
            .and_then(|f| f.set_modified(SystemTime::now()))
            .with_context(|| format!("cannot mark {} current", binary.display()))?;
    }
    let status = Command::new(&binary)
        .arg("mdbook")
        .args(args)
        .status()
        .with_context(|| format!("cannot run {}", binary.display()))?;
    Ok(status.code().unwrap_or(1))
}

/// Whether `binary` is missing or any file under `sources` is newer (as
/// `find -newer` judges), leaving out `skip` (the installed launcher).
pub(crate) fn stale(binary: &Path, sources: &[PathBuf], skip: Option<&Path>) -> bool {
    let Ok(built) = binary.metadata().and_then(|m| m.modified()) else {
        return true;
    };
    sources.iter().any(|root| {
        walkdir::WalkDir::new(root)
            .into_iter()
            .flatten()
            .filter(|entry| Some(entry.path()) != skip)
            .any(|entry| {
                entry
                    .metadata()
                    .ok()
                    .and_then(|m| m.modified().ok())
                    .is_some_and(|modified| modified > built)
            })
    })
}
