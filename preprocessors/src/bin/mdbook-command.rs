fn main() -> std::process::ExitCode {
    responder_docs::shells::launcher::main()
}
