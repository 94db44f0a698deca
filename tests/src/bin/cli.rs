//! The `responder-docs` command line, built here so a test can run it as a
//! process of its own (`tests/tests/all/reads.rs` traces its file opens).
fn main() -> std::process::ExitCode {
    responder_docs::cli::main()
}
