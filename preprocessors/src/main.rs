// glibc's malloc grows each thread's arena a page at a time (thousands of
// `mprotect` calls on a large book) and contends on frees across threads;
// mimalloc does neither.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    responder_docs::shells::cli::main()
}
