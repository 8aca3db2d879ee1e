//! The `blindfold` binary: parse the command line, run it, turn the outcome into an exit code.

use std::process::ExitCode;

use clap::Parser;

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
