//! The `padan` command-line tool; all logic lives in [`padan::cli`].

fn main() -> std::process::ExitCode {
    padan::cli::main()
}
