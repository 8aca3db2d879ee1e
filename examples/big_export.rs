//! Writes a synthetic export for the packets benchmark: N candidates, each with 4 interviews
//! of 2 feedback notes, notes made by the corpus generator (benches/support/corpus.rs).
//! usage: cargo run --release --example big_export -- CANDIDATES > export.json

#[path = "../benches/support/corpus.rs"]
mod corpus;

use std::io::{BufWriter, Write};

fn main() -> std::io::Result<()> {
    let candidates: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(10_000);
    // About 8 notes of 1 KB per candidate.
    let notes = corpus::generate(candidates * 8 * 1024, 7);
    let mut out = BufWriter::new(std::io::stdout().lock());
    writeln!(
        out,
        r#"{{"blindfold_export":1,"source":"SYNTHETIC benchmark data from examples/big_export.rs","fetched_at":"2026-11-20T00:00:00Z","live_interviews":["#
    )?;
    let mut note = notes.notes.iter().cycle();
    let interviews = candidates * 4;
    for i in 0..interviews {
        let candidate = i / 4;
        let person = &notes.candidates[candidate % notes.candidates.len()];
        // Distinct people: the corpus has 500 names, the batch needs `candidates` emails.
        let email = format!("c{candidate}.{}", person.email);
        let mut feedback = Vec::new();
        for f in 0..2 {
            let text = &note.next().map(|n| n.text.clone()).unwrap_or_default();
            feedback.push(serde_json::json!({
                "author": {"id": format!("u{f}"), "username": format!("interviewer{f}"), "profile": {"name": format!("Interviewer Number{f}"), "email": null}},
                "notes": text,
                "categories": [{"name": "Coding", "attributes": [
                    {"name": "Correctness", "score": 1 + (i + f) % 4, "notes": "Solid; one off-by-one."},
                    {"name": "Testing", "score": 1 + (i * 3 + f) % 4, "notes": null}]}],
                "recommendedLevel": "L4",
                "evaluation": "Hire",
            }));
        }
        let interview = serde_json::json!({
            "id": format!("li{i}"),
            "candidateEmail": email,
            "candidateName": person.name,
            "status": "over",
            "startDate": 1_762_000_000_000_i64 + i as i64 * 60_000,
            "finishDate": 1_762_003_600_000_i64 + i as i64 * 60_000,
            "interviewersFeedback": feedback,
        });
        serde_json::to_writer(&mut out, &interview)?;
        out.write_all(if i + 1 < interviews { b",\n" } else { b"\n" })?;
    }
    writeln!(out, "]}}")?;
    out.flush()
}
