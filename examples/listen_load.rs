//! Load check of `blindfold listen`, loopback only: N distinct signed events (default 2000)
//! posted by many connections at once, plus CodeSignal-style retries of some of them, with
//! a mock GraphQL API behind. Reports events/s accepted, how long processing took, and the
//! listener's peak memory; fails unless every event was stored once and processed once.
//! Everything is synthetic. usage: cargo run --release --example listen_load --
//! target/release/blindfold [EVENTS] [CONNECTIONS]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use blindfold::listen::store::Store;
use hmac::{Hmac, KeyInit, Mac};
use httpmock::prelude::*;
use serde_json::{Value, json};
use sha2::Sha256;

const SECRET: &str = "whsec-synthetic-load";
const ENDPOINT_URL: &str = "https://hooks.example.com/codesignal";
const CANDIDATES: usize = 50;
const INTERVIEWS: usize = 100;
const SESSIONS: usize = 50;
/// Every this many events, one earlier event is sent again, as CodeSignal's retries are.
const RETRY_EVERY: usize = 10;
/// The whole check gives up after this long.
const LIMIT: Duration = Duration::from_secs(900);

fn sign(event: &str, triggered_on: i64) -> String {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(SECRET.as_bytes()).expect("any key length");
    mac.update(format!("{ENDPOINT_URL}{event}{triggered_on}").as_bytes());
    mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

fn email(c: usize) -> String {
    format!("cand{c}@example.com")
}

fn interview(i: usize) -> Value {
    let c = i % CANDIDATES;
    json!({"id": format!("li{i}"), "candidateEmail": email(c), "candidateName": format!("Synthia Loadtest{c}"),
        "status": "over", "startDate": 1_762_000_000_000_i64 + i as i64, "finishDate": null,
        "interviewersFeedback": [{"author": {"id": "u1", "username": "iv", "profile": {"name": "Ivo Nine", "email": null}},
            "notes": format!("Synthia Loadtest{c} explained her approach; she tested edge cases."),
            "categories": [], "recommendedLevel": "L4", "evaluation": "Hire"}]})
}

fn session(s: usize) -> Value {
    json!({"id": format!("ts{s}"), "test": {"id": "t1", "title": "Coding Assessment"}, "status": "verified",
        "testTaker": {"email": email(s % CANDIDATES)}, "maxScore": 600, "startDate": null, "finishDate": 1_762_000_000_000_i64,
        "result": {"score": 500, "solvedTaskCount": 3, "taskResults": []}})
}

/// Event `n`: four in five name an interview, one in five a test session.
fn event(n: usize, base: i64) -> (String, String) {
    let at = base + n as i64;
    let (name, payload) = if n % 5 == 4 {
        (
            "companyTestSessionFinished",
            json!({"testSessionId": format!("ts{}", n % SESSIONS)}),
        )
    } else {
        (
            "liveInterviewFeedbackUpdated",
            json!({"interviewId": format!("li{}", n % INTERVIEWS)}),
        )
    };
    let body = json!({"event": name, "triggeredOn": at, "payload": payload}).to_string();
    (body, sign(name, at))
}

fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// User + system CPU seconds the process has used (Linux, 100 ticks a second).
fn cpu_seconds(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(ticks as f64 / 100.0)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(bin) = args.get(1) else {
        eprintln!("usage: listen_load BLINDFOLD_BINARY [EVENTS] [CONNECTIONS]");
        std::process::exit(2);
    };
    let events: usize = args.get(2).and_then(|n| n.parse().ok()).unwrap_or(2000);
    let connections: usize = args.get(3).and_then(|n| n.parse().ok()).unwrap_or(32);
    let started_all = Instant::now();

    let server = MockServer::start();
    let by_email: Vec<_> = (0..CANDIDATES)
        .map(|c| {
            let theirs: Vec<Value> = (0..INTERVIEWS).filter(|i| i % CANDIDATES == c).map(interview).collect();
            server.mock(|when, then| {
                when.json_body_includes(
                    json!({"operationName": "LiveInterviews", "variables": {"candidateEmail": email(c)}}).to_string(),
                );
                then.status(200).json_body(json!({"data": {"liveInterviews": theirs}}));
            })
        })
        .collect();
    let by_id: Vec<_> = (0..INTERVIEWS)
        .map(|i| {
            server.mock(|when, then| {
                when.json_body_includes(
                    json!({"operationName": "LiveInterview", "variables": {"id": format!("li{i}")}}).to_string(),
                );
                then.status(200)
                    .json_body(json!({"data": {"liveInterview": interview(i)}}));
            })
        })
        .collect();
    let sessions: Vec<_> = (0..SESSIONS)
        .map(|s| {
            server.mock(|when, then| {
                when.json_body_includes(
                    json!({"operationName": "CompanyTestSession", "variables": {"id": format!("ts{s}")}}).to_string(),
                );
                then.status(200)
                    .json_body(json!({"data": {"companyTestSession": session(s)}}));
            })
        })
        .collect();

    let dir = tempfile::tempdir().expect("a temporary folder");
    let candidates: Vec<String> = (0..CANDIDATES).map(email).collect();
    std::fs::write(dir.path().join("candidates.txt"), candidates.join("\n")).expect("write candidates");
    std::fs::write(dir.path().join("secret"), SECRET).expect("write secret");
    let path = |name: &str| dir.path().join(name).to_string_lossy().into_owned();
    let mut child = Command::new(bin)
        .args(["listen", "--bind", "127.0.0.1:0", "--endpoint-url", ENDPOINT_URL])
        .args([
            "--secret-file",
            &path("secret"),
            "--candidates",
            &path("candidates.txt"),
        ])
        .args([
            "--out",
            &path("packets"),
            "--endpoint",
            &server.url("/graphql"),
            "--rate",
            "1000",
        ])
        .env("CODESIGNAL_API_KEY", "synthetic-key")
        .env("BLINDFOLD_LOG", "warn")
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the listener");
    let pid = child.id();
    let mut lines = BufReader::new(child.stderr.take().expect("stderr")).lines();
    let addr = loop {
        match lines.next() {
            Some(Ok(line)) => {
                if let Some(addr) = line.strip_prefix("blindfold: listening on http://") {
                    break addr.to_string();
                }
                eprintln!("{line}");
            }
            _ => panic!("the listener did not start"),
        }
    };
    // Keep reading stderr so the listener never blocks on a full pipe.
    let log = std::thread::spawn(move || lines.map_while(Result::ok).collect::<Vec<_>>());

    let base = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("a clock after 1970")
        .as_millis() as i64
        - 60_000;
    let url = format!("http://{addr}/");
    let next = AtomicUsize::new(0);
    let retries = AtomicUsize::new(0);
    let posting = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..connections {
            scope.spawn(|| {
                blindfold::source::codesignal::install_crypto_provider();
                let client = reqwest::blocking::Client::builder()
                    .timeout(Duration::from_secs(60))
                    .build()
                    .expect("an HTTP client");
                let post = |(body, signature): (String, String)| {
                    let status = client
                        .post(&url)
                        .header("content-type", "application/json")
                        .header("x-codesignal-signature", signature)
                        .body(body)
                        .send()
                        .map(|r| r.status().as_u16());
                    assert_eq!(status.ok(), Some(200), "every signed event is answered 200");
                };
                loop {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    if n >= events {
                        break;
                    }
                    post(event(n, base));
                    if n % RETRY_EVERY == RETRY_EVERY - 1 {
                        retries.fetch_add(1, Ordering::Relaxed);
                        post(event(n / 2, base));
                    }
                }
            });
        }
    });
    let posted = posting.elapsed().as_secs_f64();
    let retries = retries.into_inner();

    let store_path = dir.path().join("packets.private").join("webhooks.sqlite");
    let store = Store::open(&store_path).expect("open the store");
    let processing = Instant::now();
    let counts = loop {
        let counts = store.counts().expect("read the store");
        if counts.pending == 0 {
            break counts;
        }
        assert!(started_all.elapsed() < LIMIT, "gave up waiting: {counts:?}");
        std::thread::sleep(Duration::from_millis(100));
    };
    let processed = posted + processing.elapsed().as_secs_f64();
    let rss = peak_rss_kib(pid);
    let cpu = cpu_seconds(pid);
    let _ = Command::new("kill").args(["-TERM", &pid.to_string()]).status();
    let status = child.wait().expect("the listener exits");
    let log = log.join().unwrap_or_default();

    let interview_fetches: usize = by_id.iter().map(|m| m.calls()).sum();
    let session_fetches: usize = sessions.iter().map(|m| m.calls()).sum();
    let rebuild_fetches: usize = by_email.iter().map(|m| m.calls()).sum();
    let session_events = (0..events).filter(|n| n % 5 == 4).count();
    let stored = counts.done + counts.skipped + counts.failed;
    println!(
        "posted {events} events + {retries} retries over {connections} connections in {posted:.2} s: {:.0} events/s accepted",
        (events + retries) as f64 / posted
    );
    println!(
        "processed all in {processed:.1} s from the first post: {} done, {} skipped, {} failed; \
         fetches: {interview_fetches} interviews by id, {session_fetches} sessions, {rebuild_fetches} candidates' interviews",
        counts.done, counts.skipped, counts.failed
    );
    match rss {
        Some(kib) => println!("listener peak RSS: {:.1} MiB", kib as f64 / 1024.0),
        None => println!("listener peak RSS: unknown (no /proc)"),
    }
    if let Some(cpu) = cpu {
        println!("listener CPU time: {cpu:.1} s");
    }
    let mut problems = Vec::new();
    if stored != events as i64 {
        problems.push(format!("{stored} events stored, {events} sent"));
    }
    if counts.failed > 0 {
        problems.push(format!("{} failed", counts.failed));
    }
    if interview_fetches != events - session_events || session_fetches != session_events {
        problems.push(format!(
            "fetches {interview_fetches} + {session_fetches}, expected {} + {session_events}: an event was processed twice or never",
            events - session_events
        ));
    }
    if !status.success() {
        problems.push(format!("the listener exited with {status}"));
    }
    if problems.is_empty() {
        println!("ok: none lost, none processed twice, clean exit on SIGTERM");
    } else {
        for line in log.iter().rev().take(20) {
            eprintln!("{line}");
        }
        eprintln!("FAILED: {}", problems.join("; "));
        std::process::exit(1);
    }
}
