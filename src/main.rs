//! The `blindfold` binary: parse the command line, run it, turn the outcome into an exit code.

use std::process::ExitCode;

use clap::Parser;

// Each note builds and drops its own small tables (the people index, edits, JSON values);
// glibc's allocator spent a third of `rewrite`'s time on them, growing and trimming its heap.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = blindfold::cli::Cli::parse();
    match blindfold::cli::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("blindfold: {err}");
            ExitCode::from(err.exit_code())
        }
    }
}
