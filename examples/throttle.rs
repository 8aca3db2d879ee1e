//! Measures the client-side throttle: `blindfold fetch` of 200 interviews from a local mock
//! server at `--rate 10`, company-wide (11 requests: 10 pages of 20 and an empty one) and
//! per candidate (200 requests, 4 in flight). A throttle at R requests/s needs at least
//! (requests - 1) / R seconds; the report gives the time and how far over that it is.
//! usage: cargo run --release --example throttle -- target/release/blindfold

use std::process::Command;
use std::time::Instant;

use httpmock::prelude::*;
use serde_json::{Value, json};

const RATE: f64 = 10.0;

fn interview(i: usize) -> Value {
    json!({"id": format!("li{i}"), "candidateEmail": format!("c{i}@example.com"), "candidateName": format!("Cand Number{i}"),
        "status": "over", "startDate": 1_762_000_000_000_i64, "finishDate": null,
        "interviewersFeedback": [{"author": {"id": "u1", "username": "iv", "profile": {"name": null, "email": null}},
            "notes": "Synthetic.", "categories": null, "recommendedLevel": null, "evaluation": null}]})
}

fn run(bin: &str, server: &MockServer, selection: &[String], requests: usize, what: &str) {
    let out = std::env::temp_dir().join(format!("blindfold-throttle-{}.json", std::process::id()));
    let started = Instant::now();
    let status = Command::new(bin)
        .arg("fetch")
        .args(selection)
        .args([
            "--rate",
            &RATE.to_string(),
            "--endpoint",
            &server.url("/graphql"),
            "--out",
        ])
        .arg(&out)
        .env("CODESIGNAL_API_KEY", "synthetic-key")
        .status()
        .expect("run blindfold");
    let took = started.elapsed().as_secs_f64();
    let _ = std::fs::remove_file(&out);
    assert!(status.success(), "blindfold fetch failed");
    let floor = (requests - 1) as f64 / RATE;
    println!(
        "{what}: {requests} requests in {took:.2} s; the throttle allows no less than {floor:.2} s: {:+.1}%",
        (took / floor - 1.0) * 100.0
    );
}

fn main() {
    let bin = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "target/release/blindfold".into());
    let server = MockServer::start();
    for page in 0..=10 {
        let items: Vec<Value> = (page * 20..(page * 20 + 20).min(200)).map(interview).collect();
        server.mock(|when, then| {
            when.json_body_includes(json!({"variables": {"candidateEmail": null, "offset": page * 20}}).to_string());
            then.status(200).json_body(json!({"data": {"liveInterviews": items}}));
        });
    }
    for i in 0..200 {
        server.mock(|when, then| {
            when.json_body_includes(json!({"variables": {"candidateEmail": format!("c{i}@example.com")}}).to_string());
            then.status(200)
                .json_body(json!({"data": {"liveInterviews": [interview(i)]}}));
        });
    }
    run(&bin, &server, &["--all".to_string()], 11, "company-wide, pages of 20");
    let selection: Vec<String> = (0..200)
        .flat_map(|i| ["--candidate".to_string(), format!("c{i}@example.com")])
        .collect();
    run(&bin, &server, &selection, 200, "per candidate, 4 in flight");
}
