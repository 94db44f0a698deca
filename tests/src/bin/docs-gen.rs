//! Writes the generated parts of the docs book and the README (see
//! `responder_docs_tests::docs_gen`): `cargo run -p responder-docs-tests --bin docs-gen`.

use responder_docs_tests::docs_gen;
use responder_docs_tests::repo_root;
use std::process::ExitCode;

fn main() -> ExitCode {
    let root = repo_root();
    let readme = match std::fs::read_to_string(root.join("README.md")) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("README.md: {e}");
            return ExitCode::FAILURE;
        }
    };
    let files = match docs_gen::generate(&readme) {
        Ok(files) => files,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let stale = docs_gen::stale(&root, &files);
    for file in files.iter().filter(|f| stale.contains(&f.path)) {
        let path = root.join(&file.path);
        if let Some(dir) = path.parent()
            && let Err(e) = std::fs::create_dir_all(dir)
        {
            eprintln!("{}: {e}", dir.display());
            return ExitCode::FAILURE;
        }
        if let Err(e) = std::fs::write(&path, &file.text) {
            eprintln!("{}: {e}", file.path);
            return ExitCode::FAILURE;
        }
        println!("wrote {}", file.path);
    }
    if stale.is_empty() {
        println!("every generated file is up to date");
    }
    ExitCode::SUCCESS
}
