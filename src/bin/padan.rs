//! The `padan` command-line tool; all logic lives in [`padan::cli`].

// glibc's allocator spends a tenth of a 1M-row run in malloc and free; mimalloc is made for
// many small, short-lived allocations across threads. Only the binary sets it: a service that
// links the crate keeps its own allocator.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    padan::cli::main()
}
