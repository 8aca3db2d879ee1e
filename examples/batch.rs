//! Writes a generated batch (benches/support/batch.rs: synthetic, with names that collide
//! and names that are ordinary words) as an export for `blindfold packets`, and optionally
//! as JSON Lines for `blindfold rewrite` (one note a line; roles candidate, other_candidate,
//! interviewer).
//!
//! usage: cargo run --release --example batch -- [CANDIDATES] EXPORT.json [--jsonl FILE.jsonl] [--seed N]

#[path = "../benches/support/batch.rs"]
mod batch;

use std::fs::File;
use std::io::{BufWriter, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut candidates = batch::DEFAULT_CANDIDATES;
    let mut seed = batch::DEFAULT_SEED;
    let mut export = None;
    let mut jsonl = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--jsonl" => jsonl = args.next(),
            "--seed" => match args.next().and_then(|s| s.parse().ok()) {
                Some(s) => seed = s,
                None => return usage("--seed needs a number"),
            },
            _ if export.is_none() && arg.parse::<usize>().is_ok() => candidates = arg.parse().unwrap_or(candidates),
            _ if export.is_none() && !arg.starts_with('-') => export = Some(arg),
            _ => return usage(&format!("unexpected `{arg}`")),
        }
    }
    let Some(export) = export else {
        return usage("say where to write the export");
    };
    let batch = batch::Batch::generate(candidates, seed);
    let write = |path: &str, jsonl: bool| -> std::io::Result<()> {
        let mut out = BufWriter::new(File::create(path)?);
        if jsonl {
            batch.write_jsonl(&mut out)?;
        } else {
            batch.write_export(&mut out)?;
        }
        out.flush()
    };
    if let Err(e) = write(&export, false) {
        eprintln!("{export}: {e}");
        return ExitCode::FAILURE;
    }
    if let Some(path) = &jsonl
        && let Err(e) = write(path, true)
    {
        eprintln!("{path}: {e}");
        return ExitCode::FAILURE;
    }
    eprintln!(
        "{} candidates, {} interviews, {} notes (seed {seed}) -> {export}{}",
        batch.candidates.len(),
        batch.interviews.len(),
        batch.note_count(),
        jsonl.map(|j| format!(" and {j}")).unwrap_or_default()
    );
    ExitCode::SUCCESS
}

fn usage(problem: &str) -> ExitCode {
    eprintln!("{problem}\nusage: batch [CANDIDATES] EXPORT.json [--jsonl FILE.jsonl] [--seed N]");
    ExitCode::from(2)
}
