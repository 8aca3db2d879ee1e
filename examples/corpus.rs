//! Writes the benchmark corpus as JSON Lines for `blindfold rewrite`, one note a line with its
//! candidate as subject: `cargo run --release --example corpus -- MEGABYTES > notes.jsonl`.
//! With `distinct` after the size, every line also names another candidate and an
//! interviewer no other line names, as in a real batch where each line is someone else's:
//! no two lines share their subjects, so nothing compiled for one line serves the next.

#[path = "../benches/support/corpus.rs"]
mod corpus;

use std::io::{BufWriter, Write};

fn main() -> std::io::Result<()> {
    let megabytes: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(16);
    let distinct = std::env::args().nth(2).as_deref() == Some("distinct");
    let corpus = corpus::generate(megabytes << 20, 42);
    let mut out = BufWriter::new(std::io::stdout().lock());
    for (i, note) in corpus.notes.iter().enumerate() {
        let c = &corpus.candidates[note.candidate];
        let mut subjects = vec![serde_json::json!({ "role": "candidate", "name": c.name, "email": c.email })];
        if distinct {
            // Synthetic names made from the line number: unique, and no English words.
            let tag = letters(i);
            subjects.push(serde_json::json!({ "role": "other_candidate", "name": format!("Zy{tag} Qx{tag}") }));
            subjects.push(serde_json::json!({ "role": "interviewer", "name": format!("Vo{tag} Kj{tag}") }));
        }
        let line = serde_json::json!({
            "id": format!("n{i}"),
            "text": note.text,
            "subjects": subjects,
        });
        serde_json::to_writer(&mut out, &line)?;
        out.write_all(b"\n")?;
    }
    out.flush()
}

/// The line number in base 26, as lowercase letters.
fn letters(mut n: usize) -> String {
    let mut out = String::new();
    loop {
        out.push((b'a' + (n % 26) as u8) as char);
        n /= 26;
        if n == 0 {
            return out;
        }
    }
}
