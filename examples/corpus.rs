//! Writes the benchmark corpus as JSON Lines for `blindfold rewrite`, one note a line with its
//! candidate as subject: `cargo run --release --example corpus -- MEGABYTES > notes.jsonl`.

#[path = "../benches/support/corpus.rs"]
mod corpus;

use std::io::{BufWriter, Write};

fn main() -> std::io::Result<()> {
    let megabytes: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(16);
    let corpus = corpus::generate(megabytes << 20, 42);
    let mut out = BufWriter::new(std::io::stdout().lock());
    for (i, note) in corpus.notes.iter().enumerate() {
        let c = &corpus.candidates[note.candidate];
        let line = serde_json::json!({
            "id": format!("n{i}"),
            "text": note.text,
            "subjects": [{ "role": "candidate", "name": c.name, "email": c.email }],
        });
        serde_json::to_writer(&mut out, &line)?;
        out.write_all(b"\n")?;
    }
    out.flush()
}
