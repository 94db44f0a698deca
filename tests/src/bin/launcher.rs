//! The `mdbook-command` launcher, built here so the tests of the script
//! (`tests/tests/all/mdbook_command.rs`) can run it the same way.
fn main() -> std::process::ExitCode {
    responder_docs::shells::launcher::main()
}
