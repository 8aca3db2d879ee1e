//! The name-handling harness: a generated batch of 500 candidates (benches/support/batch.rs,
//! all synthetic) through the real `blindfold packets`, every packet checked by an independent
//! scanner (benches/support/scan.rs) that uses no blindfold code.
//!
//! `cargo test --test batch -- --nocapture` prints the figures. `BLINDFOLD_BATCH_CANDIDATES`
//! and `BLINDFOLD_BATCH_SEED` change the batch; `BLINDFOLD_BATCH_PROBLEMS=FILE` writes every
//! problem found, with its context, to FILE.

#[path = "../benches/support/batch.rs"]
mod batch;
#[path = "../benches/support/scan.rs"]
mod scan;

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use batch::Batch;

/// See the check in `generated_batch_packets_leak_nothing_and_keep_words`.
const ORDINARY_KEPT_AT_LEAST: f64 = 0.995;

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn generate() -> Batch {
    Batch::generate(
        env_or("BLINDFOLD_BATCH_CANDIDATES", batch::DEFAULT_CANDIDATES),
        env_or("BLINDFOLD_BATCH_SEED", batch::DEFAULT_SEED),
    )
}

fn export_bytes(batch: &Batch) -> Vec<u8> {
    let mut bytes = Vec::new();
    batch.write_export(&mut bytes).unwrap();
    bytes
}

/// The harness first checks itself: scanning the export's own notes finds exactly the name
/// mentions it inserted, every ordinary-sense use and every interviewer mention.
#[test]
fn harness_truth_agrees_with_its_notes() {
    let batch = generate();
    let totals = scan::self_check(&batch).unwrap_or_else(|e| panic!("{e}"));
    let notes = batch.note_count();
    assert_eq!(notes, batch.candidates.len() * 8);
    assert!(totals.leaks > notes, "too few name mentions: {}", totals.leaks);
    assert!(totals.ordinary_expected > notes / 2, "too few ordinary uses");
    assert!(totals.interviewer_mentions > notes / 5, "too few interviewer mentions");
    assert!(totals.facts > notes / 8, "too few sensitive facts: {}", totals.facts);
    for (kind, sentence, core) in batch::FACTS {
        let fact_words = batch::words(sentence);
        assert!(
            fact_words.iter().all(|w| !batch::is_ordinary(&w.folded)),
            "a {kind} fact holds a word of ORDINARY: {sentence}"
        );
        assert!(
            core.chars()
                .all(|c| c.is_alphanumeric() || c == ' ' || c == '{' || c == '}'),
            "a {kind} core holds punctuation: {core}"
        );
    }
    let small = |seed| export_bytes(&Batch::generate(40, seed));
    assert_eq!(small(7), small(7), "the batch is not deterministic");
    assert_ne!(small(7), small(8), "the seed changes nothing");
    let value: serde_json::Value = serde_json::from_slice(&small(7)).unwrap();
    assert!(value["source"].as_str().unwrap().starts_with("SYNTHETIC"));
    println!(
        "harness: {notes} notes, {} name words inserted, {} ordinary-sense uses, {} interviewer mentions",
        totals.leaks + totals.email_leaks,
        totals.ordinary_expected,
        totals.interviewer_mentions
    );
}

/// `blindfold packets --export EXPORT --out OUT`, offline.
fn run_packets(export: &Path, out: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_blindfold"))
        .args(["packets", "--export"])
        .arg(export)
        .arg("--out")
        .arg(out)
        .env_remove("CODESIGNAL_API_KEY")
        .output()
        .unwrap()
}

/// `(email, message)` of every `blindfold: FAILED email: message` line.
fn failures(stderr: &str) -> Vec<(String, String)> {
    stderr
        .lines()
        .filter_map(|l| l.strip_prefix("blindfold: FAILED "))
        .filter_map(|l| l.split_once(": "))
        .map(|(e, m)| (e.to_string(), m.to_string()))
        .collect()
}

#[test]
fn generated_batch_packets_leak_nothing_and_keep_words() {
    let started = Instant::now();
    let batch = generate();
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("export.json");
    std::fs::write(&export, export_bytes(&batch)).unwrap();
    let generated = started.elapsed();

    let out = dir.path().join("packets");
    let private = dir.path().join("packets.private");
    let run = run_packets(&export, &out);
    let ran = started.elapsed();
    let stderr = String::from_utf8_lossy(&run.stderr).into_owned();

    let mut report = scan::scan_packets(&batch, &out, Path::new(&private)).unwrap_or_else(|e| {
        panic!(
            "cannot read the packets: {e}\npackets exit: {}\nstderr:\n{stderr}",
            run.status
        )
    });
    for (email, message) in failures(&stderr) {
        if message.contains("audit found") {
            report.stopped.push((email, message));
        } else {
            report.failed.push((email, message));
        }
    }
    let scanned = started.elapsed();

    let figures = report.figures();
    println!("{figures}");
    if let Ok(path) = std::env::var("BLINDFOLD_BATCH_PROBLEMS") {
        std::fs::write(&path, report.first_problems(usize::MAX)).unwrap();
        println!("every problem written to {path}");
    }
    println!(
        "time: generate {:.2} s, packets {:.2} s, scan {:.2} s",
        generated.as_secs_f64(),
        (ran - generated).as_secs_f64(),
        (scanned - ran).as_secs_f64()
    );
    println!("problems by kind:\n{}", report.kind_counts());
    println!("most common problems, with an example each:\n{}", report.top_kinds(10));

    let t = &report.totals;
    let mut failed = Vec::new();
    if report.leaks() != 0 {
        failed.push(format!("{} leak(s)", report.leaks()));
    }
    if !report.stopped.is_empty() {
        failed.push(format!("{} packet(s) stopped by the audit", report.stopped.len()));
    }
    if report.packets != batch.candidates.len() {
        failed.push(format!(
            "{} of {} candidates got a packet",
            report.packets,
            batch.candidates.len()
        ));
    }
    if t.altered != 0 {
        failed.push(format!("{} interviewer mention(s) altered", t.altered));
    }
    if t.doubles != 0 {
        failed.push(format!("{} double placeholder(s)", t.doubles));
    }
    // A withheld sensitive fact is a flag somebody must decide; the bound is on the others.
    if report.noise_flags_per_note() > 0.2 {
        failed.push(format!(
            "{:.3} flags per note beyond the sensitive facts (at most 0.2)",
            report.noise_flags_per_note()
        ));
    }
    // The target is 99.5%, the bound. A sentence that reads both ways without knowing which
    // nouns name people ("Price was the one axis" against "Price was the only one to
    // finish") gives the name, the safe reading, so a batch may lose a few.
    if report.ordinary_kept_share() < ORDINARY_KEPT_AT_LEAST {
        failed.push(format!(
            "{:.2}% ordinary words kept (at least {:.1}%; the target is 99.5%)",
            report.ordinary_kept_share() * 100.0,
            ORDINARY_KEPT_AT_LEAST * 100.0
        ));
    }
    if t.facts_shown != 0 {
        failed.push(format!(
            "{} of {} sensitive facts reach the committee undecided",
            t.facts_shown, t.facts
        ));
    }
    if t.pronouns != 0 {
        failed.push(format!("{} gendered pronoun(s) left", t.pronouns));
    }
    if report.markdown_differs != 0 {
        failed.push(format!(
            "{} Markdown note(s) differ from the JSON",
            report.markdown_differs
        ));
    }
    if !failed.is_empty() {
        let tail: Vec<&str> = stderr
            .lines()
            .rev()
            .take(12)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        panic!(
            "{}\n\n{figures}\nfirst problems:\n{}\nmost common:\n{}\npackets exit: {}; stderr (last lines):\n{}",
            failed.join(", "),
            report.first_problems(20),
            report.top_kinds(10),
            run.status,
            tail.join("\n")
        );
    }
}

#[test]
fn failed_packets_are_read_from_stderr() {
    let stderr = "blindfold: FAILED ann.hill3@example.com: packet not written: the audit found the candidate's own name in interviews[0].feedback[1].notes (1 finding in all); the names rules missed it. Fix the rules or the notes, then run again.\n\
                  blindfold: FAILED bo.fox4@example.com: packet not written: its writer stopped\n\
                  blindfold: 2 candidates, 8 interviews, 16 feedback notes, 40 edits, 0 open flags, 2 failed, 0.10 s\n";
    let found = failures(stderr);
    assert_eq!(found.len(), 2);
    assert_eq!(found[0].0, "ann.hill3@example.com");
    assert!(found[0].1.contains("audit found"));
    assert!(!found[1].1.contains("audit found"));
}

/// The review loop at batch scale: every flag of a generated batch decided (`redact`) in
/// decisions.toml, a rerun leaves no flag open, marks every packet ready in index.md, and
/// no sensitive fact or name is shown.
#[test]
fn deciding_every_flag_of_a_batch_makes_every_packet_ready() {
    let batch = Batch::generate(60, batch::DEFAULT_SEED);
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("export.json");
    std::fs::write(&export, export_bytes(&batch)).unwrap();
    let out = dir.path().join("packets");
    let private = dir.path().join("packets.private");
    let run = || {
        let run = run_packets(&export, &out);
        assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    };
    run();
    let review: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(private.join("review.json")).unwrap()).unwrap();
    let mut decisions = String::new();
    let mut flags = 0;
    for (label, packet) in review.as_object().unwrap() {
        let items = packet["items"].as_array().unwrap();
        if items.is_empty() {
            continue;
        }
        decisions.push_str(&format!("[{label}]\n"));
        for item in items {
            decisions.push_str(&format!("{} = \"redact\"\n", item["id"].as_str().unwrap()));
            flags += 1;
        }
    }
    assert!(flags > 10, "a batch this size has flags to decide: {flags}");
    std::fs::write(private.join("decisions.toml"), decisions).unwrap();
    run();
    let index = std::fs::read_to_string(out.join("index.md")).unwrap();
    assert!(!index.contains("draft") && index.contains("ready"), "{index}");
    let report = scan::scan_packets(&batch, &out, &private).unwrap();
    assert_eq!(report.packets, 60);
    assert_eq!(report.flags, 0, "{:?}", report.flags_by_rule);
    assert_eq!(report.leaks(), 0, "{}", report.first_problems(5));
    assert_eq!(report.totals.facts_shown, 0, "{}", report.first_problems(5));
}
