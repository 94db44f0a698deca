fn main() -> std::process::ExitCode {
    responder_docs::cli::main()
}
