fn main() -> std::process::ExitCode {
    responder_docs::launcher::main()
}
