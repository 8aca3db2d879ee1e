//! `blindfold listen` end to end: the binary serves on a free loopback port, webhooks are
//! signed here with the documented formula (HMAC-SHA256 over endpoint URL + event +
//! triggeredOn), and a mock CodeSignal API answers the fetches. Every person is invented.

mod support;

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use blindfold::listen::store::{Counts, Store};
use hmac::{Hmac, KeyInit, Mac};
use httpmock::prelude::*;
use serde_json::{Value, json};
use sha2::Sha256;
use support::{api_interview, rules_without};

const SECRET: &str = "whsec-synthetic-test-secret";
const ENDPOINT_URL: &str = "https://hooks.example.com/codesignal";
const KEY: &str = "k-listen-test";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn blindfold(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_blindfold"))
        .args(args)
        .env("CODESIGNAL_API_KEY", KEY)
        .output()
        .unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The signature header, computed here from the documented formula, not by blindfold.
fn sign(url: &str, event: &str, triggered_on: &str) -> String {
    sign_with(SECRET, url, event, triggered_on)
}

fn sign_with(secret: &str, url: &str, event: &str, triggered_on: &str) -> String {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{url}{event}{triggered_on}").as_bytes());
    mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

fn body(event: &str, triggered_on: i64, payload: Value) -> String {
    json!({"event": event, "triggeredOn": triggered_on, "payload": payload}).to_string()
}

/// A folder laid out as a coordinator would: candidates file, secret, packets, private.
struct Site {
    _dir: tempfile::TempDir,
    root: PathBuf,
}

impl Site {
    fn new(candidates: &[&str]) -> Site {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        fs::write(root.join("candidates.txt"), candidates.join("\n") + "\n").unwrap();
        fs::write(root.join("secret"), format!("{SECRET}\n")).unwrap();
        let private = root.join("packets.private");
        fs::create_dir_all(&private).unwrap();
        fs::copy(root_fixture("label-key"), private.join("label-key")).unwrap();
        Site { _dir: dir, root }
    }

    fn path(&self, name: &str) -> String {
        self.root.join(name).to_str().unwrap().to_string()
    }

    fn out(&self) -> PathBuf {
        self.root.join("packets")
    }

    fn common<'a>(&'a self, api: &'a str) -> Vec<String> {
        vec![
            "--candidates".into(),
            self.path("candidates.txt"),
            "--out".into(),
            self.path("packets"),
            "--private".into(),
            self.path("packets.private"),
            "--endpoint".into(),
            api.into(),
            "--rate".into(),
            "1000".into(),
            "--timeout".into(),
            "5".into(),
        ]
    }

    fn packets(&self, api: &str) -> Output {
        let mut args = vec!["packets".to_string()];
        args.extend(self.common(api));
        blindfold(&args.iter().map(String::as_str).collect::<Vec<_>>())
    }

    fn drain(&self, api: &str) -> Output {
        let mut args = vec!["listen".to_string(), "--drain".to_string()];
        args.extend(self.common(api));
        blindfold(&args.iter().map(String::as_str).collect::<Vec<_>>())
    }

    fn listen(&self, api: &str) -> Listener {
        self.listen_with(api, &[])
    }

    fn listen_with(&self, api: &str, extra: &[&str]) -> Listener {
        let mut args = vec![
            "listen".to_string(),
            "--bind".into(),
            "127.0.0.1:0".into(),
            "--endpoint-url".into(),
            ENDPOINT_URL.into(),
            "--secret-file".into(),
            self.path("secret"),
        ];
        args.extend(self.common(api));
        args.extend(extra.iter().map(|a| a.to_string()));
        Listener::start(&args)
    }

    fn counts(&self) -> Counts {
        Store::open(&self.root.join("packets.private/webhooks.sqlite"))
            .unwrap()
            .counts()
            .unwrap()
    }

    /// The packet files (JSON) in the output folder, by name.
    fn packet_files(&self) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(self.out())
            .map(|d| {
                d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                    .filter(|n| n.ends_with(".json"))
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    }

    fn packet(&self, name: &str) -> Value {
        serde_json::from_str(&fs::read_to_string(self.out().join(name)).unwrap()).unwrap()
    }
}

fn root_fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures").join(name)
}

/// A running `blindfold listen`, killed when dropped; its stderr is collected.
struct Listener {
    child: Child,
    addr: String,
    log: Arc<Mutex<String>>,
    client: reqwest::blocking::Client,
}

impl Listener {
    fn start(args: &[String]) -> Listener {
        let mut child = Command::new(env!("CARGO_BIN_EXE_blindfold"))
            .args(args)
            .env("CODESIGNAL_API_KEY", KEY)
            .env("BLINDFOLD_LOG", "info")
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let log = Arc::new(Mutex::new(String::new()));
        let (ready, address) = std::sync::mpsc::channel();
        let reader = BufReader::new(child.stderr.take().unwrap());
        let sink = log.clone();
        std::thread::spawn(move || {
            for line in reader.lines().map_while(Result::ok) {
                if let Some(addr) = line.strip_prefix("blindfold: listening on http://") {
                    let _ = ready.send(addr.to_string());
                }
                let mut log = sink.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
        });
        let addr = match address.recv_timeout(Duration::from_secs(30)) {
            Ok(addr) => addr,
            Err(_) => {
                let _ = child.kill();
                panic!("the listener did not start:\n{}", log.lock().unwrap());
            }
        };
        Listener {
            child,
            addr,
            log,
            client: {
                blindfold::source::codesignal::install_crypto_provider();
                reqwest::blocking::Client::new()
            },
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// POST a body with this signature header (none when `None`); the status code.
    fn post(&self, body: impl Into<String>, signature: Option<&str>) -> u16 {
        let mut request = self
            .client
            .post(self.url("/"))
            .header("content-type", "application/json")
            .body(body.into());
        if let Some(signature) = signature {
            request = request.header("x-codesignal-signature", signature);
        }
        request.send().unwrap().status().as_u16()
    }

    /// POST an event signed as CodeSignal would.
    fn deliver(&self, event: &str, triggered_on: i64, payload: Value) -> u16 {
        let signature = sign(ENDPOINT_URL, event, &triggered_on.to_string());
        self.post(body(event, triggered_on, payload), Some(&signature))
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// SIGTERM, then wait for the exit; the exit code.
    #[cfg(unix)]
    fn terminate(self) -> (Option<i32>, String) {
        self.signal("-TERM");
        self.wait_exit(Duration::from_secs(30))
    }

    #[cfg(unix)]
    fn signal(&self, signal: &str) {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill").args([signal, &pid]).status().unwrap();
        assert!(sent.success());
    }

    /// Wait at most `limit` for the exit; the exit code and the log.
    #[cfg(unix)]
    fn wait_exit(mut self, limit: Duration) -> (Option<i32>, String) {
        let deadline = Instant::now() + limit;
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            assert!(Instant::now() < deadline, "no exit after {limit:?}:\n{}", self.log());
            std::thread::sleep(Duration::from_millis(20));
        };
        // The stderr reader sees the end of the pipe shortly after the exit.
        std::thread::sleep(Duration::from_millis(200));
        (status.code(), self.log())
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Wait until `done` holds (the worker runs after the 200), or fail with the log.
fn wait_for(listener: &Listener, what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !done() {
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {what}:\n{}",
            listener.log()
        );
        std::thread::sleep(Duration::from_millis(25));
    }
}

fn api_session(id: &str, email: &str) -> Value {
    json!({
        "id": id, "test": {"id": "t1", "title": "General Coding Assessment"}, "status": "verified",
        "testTaker": {"email": email}, "maxScore": 600, "startDate": 1_762_000_000_000_i64,
        "finishDate": 1_762_003_600_000_i64,
        "result": {"score": 540, "solvedTaskCount": 3, "taskResults": [
            {"score": 300, "sessionTask": {"maxScore": 300, "task": {"id": "k1", "title": "Arrays"}}},
            {"score": 240, "sessionTask": {"maxScore": 300, "task": {"id": "k2", "title": "Graphs"}}}
        ]}
    })
}

const ANA: &str = "ana.lima@example.com";
const BO: &str = "bo.berg@example.org";

/// Mocks of one candidate's interviews (by email) and of each interview by id.
fn mock_candidate<'a>(server: &'a MockServer, email: &str, interviews: &[Value]) -> Vec<httpmock::Mock<'a>> {
    let mut mocks = vec![server.mock(|when, then| {
        when.method(POST)
            .path("/graphql")
            .header("authorization", format!("Bearer {KEY}"))
            .json_body_includes(
                json!({"operationName": "LiveInterviews", "variables": {"candidateEmail": email}}).to_string(),
            );
        then.status(200)
            .json_body(json!({"data": {"liveInterviews": interviews}}));
    })];
    for interview in interviews {
        let id = interview["id"].as_str().unwrap();
        mocks.push(server.mock(|when, then| {
            when.method(POST)
                .path("/graphql")
                .json_body_includes(json!({"operationName": "LiveInterview", "variables": {"id": id}}).to_string());
            then.status(200)
                .json_body(json!({"data": {"liveInterview": interview}}));
        }));
    }
    mocks
}

#[test]
fn signatures_sizes_and_bodies_get_the_answers_codesignal_expects() {
    let server = MockServer::start();
    server.mock(|when, then| {
        when.json_body_includes(json!({"operationName": "LiveInterview"}).to_string());
        then.status(200).json_body(json!({"data": {"liveInterview": null}}));
    });
    let site = Site::new(&[ANA]);
    let listener = site.listen(&server.url("/graphql"));
    let health = listener.client.get(listener.url("/healthz")).send().unwrap();
    assert_eq!(health.status().as_u16(), 200);

    // Saving the webhook in CodeSignal sends an empty payload.
    assert_eq!(listener.post("", None), 200);
    assert_eq!(listener.post("{}", None), 200);

    let now = now_ms();
    let at = now.to_string();
    let event = "liveInterviewFinished";
    let payload = json!({"interviewId": "li-none", "candidateName": "Zora Quill", "candidateEmail": ANA});
    let good = sign(ENDPOINT_URL, event, &at);
    let refused = [
        ("missing", None),
        ("short", Some("not-a-signature".to_string())),
        ("64 characters, not hex", Some("g".repeat(64))),
        (
            "another secret",
            Some(sign_with("whsec-other", ENDPOINT_URL, event, &at)),
        ),
        ("wrong URL", Some(sign("https://hooks.example.com/other", event, &at))),
        (
            "wrong event",
            Some(sign(ENDPOINT_URL, "liveInterviewFeedbackUpdated", &at)),
        ),
        (
            "tampered triggeredOn",
            Some(sign(ENDPOINT_URL, event, &(now - 1).to_string())),
        ),
    ];
    for (why, signature) in &refused {
        assert_eq!(
            listener.post(body(event, now, payload.clone()), signature.as_deref()),
            401,
            "{why}"
        );
    }
    // An unsigned body can say anything; the log line for it must not repeat it.
    let planted = body("liveInterviewFinished\nZora Quill zora@example.com", now, json!({}));
    assert_eq!(listener.post(planted, Some(&good)), 401);
    let plus = format!(r#"{{"event":"{event}","triggeredOn":"+{at}","payload":{{"interviewId":"li-none"}}}}"#);
    assert_eq!(
        listener.post(plus, Some(&good)),
        200,
        "not a number: malformed, ignored"
    );
    // Nobody can flood the log with unsigned requests: a few lines a minute, the rest counted.
    for _ in 0..20 {
        assert_eq!(listener.post(body(event, now, payload.clone()), None), 401);
    }
    let refusals = listener.log().matches("bad or missing signature").count();
    assert_eq!(refusals, 5, "{}", listener.log());

    // Malformed JSON: 400 would only bring the same bytes back; 200 and nothing stored.
    assert_eq!(listener.post("{\"event\": ", Some(&good)), 200);
    assert_eq!(listener.post("[1, 2]", Some(&good)), 200);
    // Over the size limit.
    let huge = body(event, now, json!({"interviewId": "x", "pad": "a".repeat(300 * 1024)}));
    assert_eq!(listener.post(huge, Some(&good)), 413);
    // Signed, but not an event blindfold acts on.
    assert_eq!(listener.deliver("companyCreated", now, json!({"companyId": "c1"})), 200);
    // Signed, but older than any CodeSignal retry: a replay.
    let stale = now - 40 * 86_400_000;
    assert_eq!(listener.deliver(event, stale, payload.clone()), 200);
    assert_eq!(site.counts(), Counts::default(), "nothing above is stored");
    // The signature covers `triggeredOn` as sent, not the number it parses to.
    for (sent, why) in [
        (format!("\"000{at}\""), "leading zeros"),
        (format!("\"{at}\""), "a string"),
    ] {
        let text = format!(r#"{{"event":"{event}","triggeredOn":{sent},"payload":{{"interviewId":"li-sent"}}}}"#);
        let signed_as_sent = sign(ENDPOINT_URL, event, sent.trim_matches('"'));
        let expect = if why == "a string" { 200 } else { 401 };
        assert_eq!(
            listener.post(text.clone(), Some(&good)),
            expect,
            "{why}, signed over the digits"
        );
        assert_eq!(listener.post(text, Some(&signed_as_sent)), 200, "{why}, signed as sent");
    }

    // Signed and 17 days old: a CodeSignal retry, still accepted.
    let retry = now - 17 * 86_400_000;
    assert_eq!(listener.deliver(event, retry, payload.clone()), 200);
    assert_eq!(listener.deliver(event, now, payload), 200);
    wait_for(&listener, "every event processed", || site.counts().pending == 0);
    // The two above, and `li-sent` (its string and zero-padded forms parse to one time:
    // one event, stored once).
    assert_eq!(site.counts().skipped, 3, "no such interview: skipped");

    let log = listener.log();
    assert!(log.contains("bad or missing signature"), "{log}");
    assert!(log.contains("malformed"), "{log}");
    assert!(log.contains("not an event blindfold acts on"), "{log}");
    assert!(log.contains("a replay"), "{log}");
    assert!(
        !log.contains("Zora") && !log.contains(ANA),
        "logs never carry names or emails:\n{log}"
    );
}

#[test]
fn the_documented_vector_verifies_with_its_own_secret_and_url() {
    // Same vector as above, now with the secret and URL it was made with: accepted as
    // authentic, then ignored as a replay (2023), never stored.
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("secret"), "whsec-test").unwrap();
    fs::write(dir.path().join("candidates.txt"), format!("{ANA}\n")).unwrap();
    let server = MockServer::start();
    let args: Vec<String> = [
        "listen",
        "--bind",
        "127.0.0.1:0",
        "--endpoint-url",
        "https://hooks.example.com/codesignal",
        "--secret-file",
        dir.path().join("secret").to_str().unwrap(),
        "--candidates",
        dir.path().join("candidates.txt").to_str().unwrap(),
        "--out",
        dir.path().join("packets").to_str().unwrap(),
        "--endpoint",
        &server.url("/graphql"),
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let listener = Listener::start(&args);
    let vector = "3c92bf0d0b79944b540d354231edcfb2b65ccbd848a38431dc8db908cb143698";
    let old = r#"{"event":"liveInterviewFinished","triggeredOn":1700000000000,"payload":{"interviewId":"li1"}}"#;
    assert_eq!(listener.post(old, Some(vector)), 200);
    let flipped = format!("{}0", &vector[..63]);
    assert_eq!(listener.post(old, Some(&flipped)), 401);
    // The log comes through a reader thread: the line may lag the response.
    wait_for(&listener, "the replay warning", || listener.log().contains("a replay"));
}

#[test]
fn an_update_refreshes_the_packet_with_the_same_label_once() {
    let server = MockServer::start();
    let api = server.url("/graphql");
    let site = Site::new(&[ANA, BO]);
    let first = api_interview("li1", ANA, "Ana Lima", "Ana was sharp; she wrote tests first.");
    let bo = api_interview("li9", BO, "Bo Berg", "Bo asked about the team.");
    let mut ana_mocks = mock_candidate(&server, ANA, std::slice::from_ref(&first));
    let _bo = mock_candidate(&server, BO, &[bo]);
    let batch = site.packets(&api);
    assert!(batch.status.success(), "{}", stderr(&batch));
    let before = site.packet_files();
    assert_eq!(before.len(), 2);
    let ana_file = before
        .iter()
        .find(|name| {
            site.packet(name)["interviews"][0]["feedback"][0]["notes"]
                .as_str()
                .unwrap()
                .contains("tests")
        })
        .unwrap()
        .clone();

    // A second interview gets feedback; the API now has both.
    for mut mock in ana_mocks.drain(..) {
        mock.delete();
    }
    let second = api_interview(
        "li2",
        ANA,
        "Ana Lima",
        "Ana Lima froze at first. Later she said Bo Berg had helped her.",
    );
    let ana_mocks = mock_candidate(&server, ANA, &[first, second]);
    let stranger = mock_candidate(
        &server,
        "zed@example.net",
        &[api_interview("li5", "zed@example.net", "Zed Quill", "Zed was fine.")],
    );

    let listener = site.listen(&api);
    let now = now_ms();
    let update =
        json!({"interviewId": "li2", "interviewerId": "u9", "feedback": {"generalNotes": "unsigned text, never read"}});
    assert_eq!(
        listener.deliver("liveInterviewFeedbackUpdated", now, update.clone()),
        200
    );
    // CodeSignal's retry of the same event, and an event about someone not under review.
    assert_eq!(listener.deliver("liveInterviewFeedbackUpdated", now, update), 200);
    assert_eq!(
        listener.deliver("liveInterviewFinished", now, json!({"interviewId": "li5"})),
        200
    );
    wait_for(&listener, "the events processed", || {
        let counts = site.counts();
        counts.pending == 0 && counts.done + counts.skipped == 2
    });

    assert_eq!(site.packet_files(), before, "the same labels, no new packet");
    let packet = site.packet(&ana_file);
    let interviews = packet["interviews"].as_array().unwrap();
    assert_eq!(interviews.len(), 2, "{packet:#}");
    let text = serde_json::to_string(&packet).unwrap();
    for identifier in ["Ana", "Lima", "Bo", "Berg", "ana.lima", "li2", "Zed"] {
        assert!(!text.contains(identifier), "{identifier} leaked: {text}");
    }
    assert!(
        text.contains("The candidate froze at first. Later they said another candidate had helped them."),
        "{text}"
    );
    let markdown = fs::read_to_string(site.out().join(ana_file.replace(".json", ".md"))).unwrap();
    assert!(markdown.contains("froze at first"), "{markdown}");
    let index = fs::read_to_string(site.out().join("index.md")).unwrap();
    let label = ana_file.trim_end_matches(".json");
    assert!(index.contains("2 packets written"), "{index}");
    assert!(index.contains(&format!("| [{label}]({label}.md) | 2 | 2 |")), "{index}");
    // The interview named by the event was fetched once: the retry was recognised.
    ana_mocks[2].assert_calls(1);
    stranger[1].assert_calls(1);
    stranger[0].assert_calls(0);
    let counts = site.counts();
    assert_eq!((counts.done, counts.skipped), (1, 1));

    let audit = blindfold(&[
        "audit",
        &site.path("packets"),
        "--private",
        &site.path("packets.private"),
    ]);
    assert!(audit.status.success(), "{}", stderr(&audit));
}

#[test]
fn test_session_events_add_a_pre_screen_section() {
    let server = MockServer::start();
    let api = server.url("/graphql");
    let site = Site::new(&[ANA]);
    let _ana = mock_candidate(&server, ANA, &[api_interview("li1", ANA, "Ana Lima", "She did well.")]);
    let session = server.mock(|when, then| {
        when.json_body_includes(json!({"operationName": "CompanyTestSession", "variables": {"id": "ts1"}}).to_string());
        then.status(200)
            .json_body(json!({"data": {"companyTestSession": api_session("ts1", ANA)}}));
    });
    let listener = site.listen(&api);
    let now = now_ms();
    let payload = json!({"testSessionId": "ts1", "testId": "t1", "candidateName": "Ana Lima"});
    assert_eq!(
        listener.deliver("companyTestSessionFinished", now, payload.clone()),
        200
    );
    wait_for(&listener, "the first event", || site.counts().done == 1);
    // A retired Certify name, mapped to preScreenResultNotVerified.
    assert_eq!(
        listener.deliver("certificationResultNotCertified", now + 1, payload),
        200
    );
    wait_for(&listener, "the legacy event", || site.counts().done == 2);
    // An older verification event processed late (a retry) does not undo the newer one.
    let older = json!({"testSessionId": "ts1"});
    assert_eq!(
        listener.deliver("preScreenResultVerificationPending", now - 60_000, older),
        200
    );
    wait_for(&listener, "the late event", || site.counts().done == 3);
    session.assert_calls(3);
    // One writer per private folder: a drain beside the listener would process the same
    // events, a batch run would rewrite the map and packets under it.
    for beside in [site.drain(&api), site.packets(&api)] {
        assert_eq!(beside.status.code(), Some(1), "{}", stderr(&beside));
        assert!(
            stderr(&beside).contains("another blindfold run (`listen` or `packets`) is using this private folder"),
            "{}",
            stderr(&beside)
        );
    }

    let files = site.packet_files();
    assert_eq!(files.len(), 1);
    let packet = site.packet(&files[0]);
    let pre_screen = &packet["pre_screen"][0];
    assert_eq!(pre_screen["test"], "General Coding Assessment");
    assert_eq!(
        (pre_screen["score"].as_i64(), pre_screen["max_score"].as_i64()),
        (Some(540), Some(600))
    );
    assert_eq!(pre_screen["solved_tasks"], 3);
    assert_eq!(pre_screen["tasks"][1]["title"], "Graphs");
    assert_eq!(pre_screen["verification"], "not verified");
    let text = serde_json::to_string(&packet).unwrap();
    assert!(
        !text.contains("ts1") && !text.contains("Ana") && !text.contains("example.com"),
        "{text}"
    );
    let markdown = fs::read_to_string(site.out().join(files[0].replace(".json", ".md"))).unwrap();
    assert!(markdown.contains("Pre-screen"), "{markdown}");
    assert!(markdown.contains("540"), "{markdown}");
    let log = listener.log();
    assert!(log.contains("retired Certify event"), "{log}");

    // A batch run afterwards keeps the section: the results live in the private folder.
    drop(listener);
    let batch = site.packets(&api);
    assert!(batch.status.success(), "{}", stderr(&batch));
    assert_eq!(site.packet(&files[0])["pre_screen"][0]["verification"], "not verified");
}

#[test]
fn packets_tests_pulls_pre_screen_results_by_email() {
    let server = MockServer::start();
    let api = server.url("/graphql");
    let site = Site::new(&[ANA]);
    let _ana = mock_candidate(&server, ANA, &[api_interview("li1", ANA, "Ana Lima", "She did well.")]);
    let sessions = server.mock(|when, then| {
        when.json_body_includes(
            json!({"operationName": "CompanyTestSessions", "variables": {"companyTestId": "t1", "offset": 0}})
                .to_string(),
        );
        then.status(200).json_body(json!({"data": {"companyTestSessions": [
            api_session("ts1", "ANA.LIMA@example.com"),
            api_session("ts2", "someone.else@example.com")
        ]}}));
    });
    let mut args = vec!["packets".to_string()];
    args.extend(site.common(&api));
    args.extend(["--tests".to_string(), "t1".to_string()]);
    let run = blindfold(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(run.status.success(), "{}", stderr(&run));
    sessions.assert_calls(1);
    let files = site.packet_files();
    let packet = site.packet(&files[0]);
    assert_eq!(packet["pre_screen"].as_array().unwrap().len(), 1, "{packet:#}");
    assert_eq!(packet["pre_screen"][0]["score"], 540);
}

#[test]
fn an_event_stored_before_a_crash_is_processed_once_after_restart() {
    let site = Site::new(&[ANA]);
    // First life: the API is unreachable, so the event is stored but cannot be processed.
    let dead = {
        let socket = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}/graphql", socket.local_addr().unwrap())
    };
    let listener = site.listen(&dead);
    let now = now_ms();
    assert_eq!(
        listener.deliver("liveInterviewFinished", now, json!({"interviewId": "li1"})),
        200
    );
    drop(listener); // SIGKILL: no chance to finish anything
    assert_eq!(site.counts().pending, 1, "stored before the 200, still pending");
    assert!(site.packet_files().is_empty());

    // Second life: the API is back; a drain processes what was stored, exactly once.
    let server = MockServer::start();
    let api = server.url("/graphql");
    let mocks = mock_candidate(&server, ANA, &[api_interview("li1", ANA, "Ana Lima", "She did well.")]);
    let drained = site.drain(&api);
    assert!(drained.status.success(), "{}", stderr(&drained));
    assert!(stderr(&drained).contains("1 done"), "{}", stderr(&drained));
    assert_eq!(site.packet_files().len(), 1);
    let again = site.drain(&api);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(stderr(&again).contains("processed 0 events"), "{}", stderr(&again));
    mocks[1].assert_calls(1);
    mocks[0].assert_calls(1);
    assert_eq!(site.counts().done, 1);
}

#[cfg(unix)]
#[test]
fn sigterm_finishes_the_event_in_flight_then_exits() {
    let server = MockServer::start();
    let api = server.url("/graphql");
    let site = Site::new(&[ANA]);
    let interview = api_interview("li1", ANA, "Ana Lima", "She did well.");
    let by_id = server.mock(|when, then| {
        when.json_body_includes(json!({"operationName": "LiveInterview"}).to_string());
        then.status(200)
            .json_body(json!({"data": {"liveInterview": interview}}));
    });
    // The candidate's interviews answer slowly: SIGTERM arrives while the worker waits.
    server.mock(|when, then| {
        when.json_body_includes(json!({"operationName": "LiveInterviews"}).to_string());
        then.status(200)
            .json_body(json!({"data": {"liveInterviews": [interview]}}))
            .delay(Duration::from_millis(1500));
    });
    let listener = site.listen(&api);
    assert_eq!(
        listener.deliver("liveInterviewFinished", now_ms(), json!({"interviewId": "li1"})),
        200
    );
    wait_for(&listener, "the worker to start", || by_id.calls() == 1);
    // The packet is written 1.5 s after the worker starts: the signal comes before it.
    assert!(
        site.packet_files().is_empty(),
        "the signal must come while the event is in flight"
    );
    let (code, log) = listener.terminate();
    assert_eq!(code, Some(0), "{log}");
    assert!(log.contains("finishing what is in flight"), "{log}");
    assert_eq!(site.counts().done, 1, "{log}");
    assert_eq!(site.packet_files().len(), 1);
}

/// A stop keeps its promise whatever the API does: retries end at once, and a request that
/// hangs is given up when the grace period ends. The event in hand stays pending.
#[cfg(unix)]
#[test]
fn a_stop_does_not_wait_for_an_api_that_fails_or_hangs() {
    for hangs in [false, true] {
        let server = MockServer::start();
        let site = Site::new(&[ANA]);
        let api = server.mock(|when, then| {
            when.json_body_includes(json!({"operationName": "LiveInterview"}).to_string());
            if hangs {
                // Longer than the grace period, shorter than the client's 5 s timeout.
                then.status(200)
                    .json_body(json!({"data": {"liveInterview": null}}))
                    .delay(Duration::from_secs(4));
            } else {
                then.status(500);
            }
        });
        let listener = site.listen_with(&server.url("/graphql"), &["--shutdown-grace-ms", "1000"]);
        assert_eq!(
            listener.deliver("liveInterviewFinished", now_ms(), json!({"interviewId": "li1"})),
            200
        );
        wait_for(&listener, "the worker to call the API", || api.calls() >= 1);
        let started = Instant::now();
        let (code, log) = listener.terminate();
        let waited = started.elapsed();
        assert_eq!(code, Some(0), "{log}");
        assert!(log.contains("the next start processes it"), "{log}");
        // Failing: no retry after the signal (the client would try 5 times over ~7 s).
        // Hanging: the grace period, not the 4 s answer nor the 5 s timeout, ended the wait.
        assert!(
            waited < Duration::from_millis(3500),
            "hangs: {hangs}, {waited:?}\n{log}"
        );
        if !hangs {
            assert!(api.calls() <= 2, "retries went on after the stop: {}", api.calls());
        }
        let counts = site.counts();
        assert_eq!(
            (counts.pending, counts.done, counts.failed),
            (1, 0, 0),
            "hangs: {hangs}"
        );
    }
}

#[test]
fn without_a_batch_run_the_other_candidates_names_are_fetched() {
    let server = MockServer::start();
    let api = server.url("/graphql");
    let site = Site::new(&[ANA, BO]);
    let _ana = mock_candidate(
        &server,
        ANA,
        &[api_interview(
            "li2",
            ANA,
            "Ana Lima",
            "Later she said Bo Berg had helped her; Berg agreed.",
        )],
    );
    let bo = mock_candidate(&server, BO, &[api_interview("li9", BO, "Bo Berg", "Fine.")]);
    let listener = site.listen(&api);
    assert_eq!(
        listener.deliver("liveInterviewFinished", now_ms(), json!({"interviewId": "li2"})),
        200
    );
    wait_for(&listener, "the event", || site.counts().done == 1);
    let files = site.packet_files();
    assert_eq!(files.len(), 1, "only the candidate the event is about");
    let text = serde_json::to_string(&site.packet(&files[0])).unwrap();
    assert!(!text.contains("Bo") && !text.contains("Berg"), "{text}");
    assert!(text.contains("another candidate had helped them"), "{text}");
    bo[0].assert_calls(1);
    let map = fs::read_to_string(site.root.join("packets.private/candidates.json")).unwrap();
    assert!(map.contains("Bo Berg"), "the map learns the name: {map}");
    let log = listener.log();
    for identifier in ["Ana", "Lima", "Bo ", "Berg", "example"] {
        assert!(!log.contains(identifier), "{identifier} in the log:\n{log}");
    }
}

#[cfg(unix)]
#[test]
fn a_packet_the_audit_stops_is_logged_by_label_and_fails_the_run() {
    let server = MockServer::start();
    let api = server.url("/graphql");
    let site = Site::new(&[ANA, BO]);
    let _ana = mock_candidate(
        &server,
        ANA,
        &[api_interview("li2", ANA, "Ana Lima", "She pinged boberg for help.")],
    );
    let _bo = mock_candidate(&server, BO, &[api_interview("li9", BO, "Bo Berg", "Fine.")]);
    let rules = rules_without(&site.root, "names.handle");
    let listener = site.listen_with(&api, &["--rules", rules.to_str().unwrap()]);
    assert_eq!(
        listener.deliver("liveInterviewFinished", now_ms(), json!({"interviewId": "li2"})),
        200
    );
    wait_for(&listener, "the event", || site.counts().failed == 1);
    assert!(site.packet_files().is_empty(), "the stopped packet is not written");
    let index = fs::read_to_string(site.out().join("index.md")).unwrap();
    assert!(index.contains("0 packets written"), "{index}");
    let (code, log) = listener.terminate();
    assert_eq!(code, Some(1), "{log}");
    assert!(log.contains("the audit found another candidate's (candidate "), "{log}");
    assert!(!log.contains(BO) && !log.contains("boberg"), "{log}");
}

#[test]
fn an_event_stored_just_before_a_crash_is_processed_on_restart() {
    let server = MockServer::start();
    let api = server.url("/graphql");
    let site = Site::new(&[ANA]);
    let mocks = mock_candidate(&server, ANA, &[api_interview("li1", ANA, "Ana Lima", "She did well.")]);
    // What the server commits before it answers 200, with no worker to see it.
    fs::create_dir_all(site.root.join("packets.private")).unwrap();
    let mut store = Store::open(&site.root.join("packets.private/webhooks.sqlite")).unwrap();
    let record = blindfold::listen::store::Record {
        event: "liveInterviewFinished".into(),
        object_id: "li1".into(),
        triggered_on: now_ms(),
    };
    store.insert_batch(&[record], now_ms()).unwrap();
    drop(store);
    let listener = site.listen(&api);
    wait_for(&listener, "the stored event", || site.counts().done == 1);
    assert_eq!(site.packet_files().len(), 1);
    mocks[1].assert_calls(1);
}

/// A connection that sends part of a request and then nothing.
#[cfg(unix)]
fn stall(listener: &Listener, partial: &str) -> std::net::TcpStream {
    use std::io::Write;
    let mut stream = std::net::TcpStream::connect(&listener.addr).unwrap();
    stream.write_all(partial.as_bytes()).unwrap();
    stream.flush().unwrap();
    std::thread::sleep(Duration::from_millis(100));
    stream
}

#[cfg(unix)]
#[test]
fn a_stalled_sender_delays_shutdown_by_the_grace_period_at_most() {
    let server = MockServer::start();
    let site = Site::new(&[ANA]);
    // A grace period far shorter than the request timeout: if the process ends in between,
    // the grace period ended it.
    let listener = site.listen_with(
        &server.url("/graphql"),
        &["--shutdown-grace-ms", "1000", "--request-timeout-ms", "30000"],
    );
    let _headers = stall(&listener, "POST / HTTP/1.1\r\nHost: x\r\n");
    let _body = stall(
        &listener,
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"event\"",
    );
    let started = Instant::now();
    let (code, log) = listener.terminate();
    let waited = started.elapsed();
    assert_eq!(code, Some(0), "{log}");
    assert!(log.contains("still open after the grace period"), "{log}");
    assert!(
        waited >= Duration::from_millis(1000) && waited < Duration::from_secs(20),
        "{waited:?}\n{log}"
    );
}

#[cfg(unix)]
#[test]
fn a_sender_that_stalls_loses_its_connection_after_the_request_timeout() {
    use std::io::Read;
    let server = MockServer::start();
    let site = Site::new(&[ANA]);
    let listener = site.listen_with(&server.url("/graphql"), &["--request-timeout-ms", "1000"]);
    let started = Instant::now();
    let headers = stall(&listener, "POST / HTTP/1.1\r\nHost: x\r\n");
    let body = stall(&listener, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{");
    for (what, mut stream) in [("headers", headers), ("body", body)] {
        stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        let mut answer = String::new();
        let closed = stream.read_to_string(&mut answer).is_ok();
        assert!(closed, "{what}: still open after {:?}", started.elapsed());
        assert!(
            answer.is_empty() || answer.starts_with("HTTP/1.1 408"),
            "{what}: {answer}"
        );
    }
    // Not before the timeout, and long before the 10 s default: the option is what counts.
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(1000) && waited < Duration::from_secs(10),
        "{waited:?}"
    );
}

#[cfg(unix)]
#[test]
fn a_second_signal_stops_at_once() {
    let server = MockServer::start();
    let site = Site::new(&[ANA]);
    // The API hangs: the worker is stuck in the event when the signals come.
    let hanging = server.mock(|when, then| {
        when.json_body_includes(json!({"operationName": "LiveInterview"}).to_string());
        then.status(200)
            .json_body(json!({"data": {"liveInterview": null}}))
            .delay(Duration::from_secs(20));
    });
    let listener = site.listen(&server.url("/graphql"));
    assert_eq!(
        listener.deliver("liveInterviewFinished", now_ms(), json!({"interviewId": "li1"})),
        200
    );
    wait_for(&listener, "the worker to start", || hanging.calls() == 1);
    let _headers = stall(&listener, "POST / HTTP/1.1\r\nHost: x\r\n");
    let started = Instant::now();
    listener.signal("-TERM");
    wait_for(&listener, "the first signal to be heard", || {
        listener.log().contains("finishing what is in flight")
    });
    listener.signal("-INT");
    let (code, log) = listener.wait_exit(Duration::from_secs(5));
    assert_eq!(code, Some(0), "{log}");
    assert!(log.contains("a second signal"), "{log}");
    assert!(log.contains("the next start processes it"), "{log}");
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(site.counts().pending, 1, "the event in hand stays stored");
}

/// A coordinator's decision made after the batch run holds when `listen` rebuilds the packet.
#[test]
fn a_decision_survives_a_rebuild_by_listen() {
    let server = MockServer::start();
    let api = server.url("/graphql");
    let site = Site::new(&[ANA]);
    let note = "She said she is 52 years old and did well.";
    let _mocks = mock_candidate(&server, ANA, &[api_interview("li1", ANA, "Ana Lima", note)]);
    let batch = site.packets(&api);
    assert!(batch.status.success(), "{}", stderr(&batch));
    let name = site.packet_files()[0].clone();
    let notes = |site: &Site| site.packet(&name)["interviews"][0]["feedback"][0]["notes"].clone();
    assert_eq!(notes(&site), "They said they are [age] and did well.");

    let private = site.root.join("packets.private");
    let review: Value = serde_json::from_str(&fs::read_to_string(private.join("review.json")).unwrap()).unwrap();
    let label = name.trim_end_matches(".json");
    let id = review[label]["items"][0]["id"].as_str().unwrap().to_string();
    fs::write(private.join("decisions.toml"), format!("[{label}]\n{id} = \"keep\"\n")).unwrap();

    drain_one(&site, &api, &private, "liveInterviewFeedbackUpdated", "li1");
    assert_eq!(notes(&site), "They said they are 52 years old and did well.");
    let index = fs::read_to_string(site.out().join("index.md")).unwrap();
    assert!(index.contains("| ready |"), "{index}");
}

/// Store one event as the listener would have, then process it with `listen --drain`.
fn drain_one(site: &Site, api: &str, private: &std::path::Path, event: &str, object_id: &str) {
    let mut store = Store::open(&private.join("webhooks.sqlite")).unwrap();
    let record = blindfold::listen::store::Record {
        event: event.into(),
        object_id: object_id.into(),
        triggered_on: now_ms(),
    };
    store.insert_batch(&[record], now_ms()).unwrap();
    drop(store);
    let drained = site.drain(api);
    assert!(drained.status.success(), "{}", stderr(&drained));
    assert!(stderr(&drained).contains("1 done"), "{}", stderr(&drained));
}

#[test]
fn a_rebuild_by_listen_counts_what_it_leaves_out_as_a_batch_run_does() {
    let server = MockServer::start();
    let api = server.url("/graphql");
    let site = Site::new(&[ANA]);
    let mut pending = api_interview("li3", ANA, "Ana Lima", "");
    pending["status"] = json!("pending");
    let mut silent = api_interview("li4", ANA, "Ana Lima", "");
    silent["interviewersFeedback"] = json!([]);
    let shown = api_interview("li1", ANA, "Ana Lima", "Ana was steady.");
    let _mocks = mock_candidate(&server, ANA, &[shown, pending, silent]);
    let batch = site.packets(&api);
    assert!(batch.status.success(), "{}", stderr(&batch));
    let name = site.packet_files()[0].clone();
    let expected =
        json!({"status": {"pending": 1}, "outside_dates": 0, "without_feedback": 1, "feedback_without_author": 0});
    assert_eq!(site.packet(&name)["left_out"], expected);
    fs::remove_file(site.out().join(&name)).unwrap();

    let private = site.root.join("packets.private");
    drain_one(&site, &api, &private, "liveInterviewFinished", "li4");
    let packet = site.packet(&name);
    assert_eq!(packet["left_out"], expected, "{packet:#}");
    assert_eq!(packet["interviews"].as_array().unwrap().len(), 1);
    let markdown = fs::read_to_string(site.out().join(name.replace(".json", ".md"))).unwrap();
    assert!(
        markdown.contains("\nLeft out: 1 interview not over (status pending), 1 without feedback.\n"),
        "{markdown}"
    );
}
