//! The HTTP side: verify, store, answer. CodeSignal retries anything but a 200 for days, so
//! a 200 means "stored for good or deliberately ignored", and nothing else gets one.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use tokio::sync::{mpsc, oneshot};
use tracing::{info, warn};

use super::event;
use super::signature;
use super::store::{Insert, Record};

/// Bodies larger than this get 413: CodeSignal's events are a few hundred bytes.
pub const MAX_BODY: usize = 256 * 1024;
/// CodeSignal retries an event for about 17 days with the same `triggeredOn`: older ones
/// are replays.
pub const MAX_AGE_MS: i64 = 30 * 86_400_000;
/// Clocks differ a little; an event from further ahead is refused.
pub const MAX_AHEAD_MS: i64 = 5 * 60_000;

/// Refused requests logged per minute; more are counted and summed up in the next line, so
/// nobody can flood the log with unsigned requests.
const REFUSALS_LOGGED_PER_MINUTE: u32 = 5;

/// Which refusals get a log line of their own.
#[derive(Debug)]
pub struct RefusalLog {
    /// Start of the current minute, lines logged in it, refusals not logged since the last line.
    state: std::sync::Mutex<(std::time::Instant, u32, u64)>,
}

impl Default for RefusalLog {
    fn default() -> RefusalLog {
        RefusalLog {
            state: std::sync::Mutex::new((std::time::Instant::now(), 0, 0)),
        }
    }
}

impl RefusalLog {
    /// `Some(n)`: log this refusal, saying `n` were left out before it; `None`: count it.
    fn admit(&self, now: std::time::Instant) -> Option<u64> {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let (minute, logged, unlogged) = &mut *state;
        if now.duration_since(*minute) >= Duration::from_secs(60) {
            (*minute, *logged) = (now, 0);
        }
        if *logged >= REFUSALS_LOGGED_PER_MINUTE {
            *unlogged += 1;
            return None;
        }
        *logged += 1;
        Some(std::mem::take(unlogged))
    }
}

/// A record to store and where to say how it went.
pub type InsertRequest = (Record, oneshot::Sender<Result<Insert, String>>);

pub struct AppState {
    pub secret: Vec<u8>,
    /// The webhook URL as configured in CodeSignal: part of what is signed.
    pub endpoint_url: String,
    pub inserts: mpsc::Sender<InsertRequest>,
    /// False once the store's writer or the worker has stopped: `/healthz` says so.
    pub healthy: Arc<AtomicBool>,
    /// Whether the store can be written: while it cannot, `/healthz` and POSTs answer 503.
    pub store_health: Arc<super::StoreHealth>,
    /// See [`super::Limits::request_timeout`].
    pub request_timeout: Duration,
    pub refusals: RefusalLog,
}

pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/healthz", get(health))
        .route("/", post(webhook))
        .route("/{*path}", post(webhook))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(middleware::from_fn_with_state(state.clone(), deadline))
        .with_state(state)
}

async fn health(State(app): State<Arc<AppState>>) -> (StatusCode, &'static str) {
    if !app.healthy.load(Ordering::SeqCst) {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            "a thread of the listener has stopped\n",
        )
    } else if !app.store_health.is_ok() {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            "the event store cannot be written (a full disk?); events are refused until it can\n",
        )
    } else {
        (StatusCode::OK, "ok\n")
    }
}

/// Reading the body happens inside: a sender that stalls gets 408 after the request timeout.
async fn deadline(State(app): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    match tokio::time::timeout(app.request_timeout, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            warn!(outcome = "request too slow, dropped");
            StatusCode::REQUEST_TIMEOUT.into_response()
        }
    }
}

/// An event name fit for a log line. Unsigned, a body can say anything (a name, a fake log
/// line): only names blindfold knows are repeated. Signed, the name is CodeSignal's: any
/// plain word is. Anything else is shown by its length.
fn loggable(event: &str, signed: bool) -> String {
    let (current, _) = event::current_name(event);
    let plain_word = !event.is_empty() && event.len() <= 64 && event.bytes().all(|b| b.is_ascii_alphanumeric());
    if event::classify(current).is_some() || (signed && plain_word) {
        event.to_string()
    } else {
        format!("({} bytes)", event.len())
    }
}

async fn webhook(State(app): State<Arc<AppState>>, headers: HeaderMap, body: Bytes) -> StatusCode {
    // Saving a webhook in CodeSignal sends an empty payload that must get 200.
    if body.iter().all(u8::is_ascii_whitespace) || body.as_ref() == b"{}" {
        info!(outcome = "test delivery, answered");
        return StatusCode::OK;
    }
    let envelope = match event::parse(&body) {
        Ok(envelope) => envelope,
        Err(why) => {
            // A 400 would only make CodeSignal send the same bytes again: log, store nothing.
            // The reason names a field, never its value.
            warn!(outcome = "malformed, ignored", reason = %why, bytes = body.len());
            return StatusCode::OK;
        }
    };
    let event = loggable(&envelope.event, false);
    let signature = headers
        .get("x-codesignal-signature")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let signed = signature::verify(
        &app.secret,
        &app.endpoint_url,
        &envelope.event,
        &envelope.triggered_on_text,
        signature,
    );
    if !signed {
        match app.refusals.admit(std::time::Instant::now()) {
            Some(0) => warn!(%event, outcome = "refused: bad or missing signature"),
            Some(unlogged) => warn!(
                %event,
                outcome = "refused: bad or missing signature",
                "{unlogged} more refused before this one, not logged"
            ),
            None => {}
        }
        return StatusCode::UNAUTHORIZED;
    }
    let event = loggable(&envelope.event, true);
    let age = super::now_ms() - envelope.triggered_on;
    if !(-MAX_AHEAD_MS..=MAX_AGE_MS).contains(&age) {
        warn!(%event, triggered_on = envelope.triggered_on, outcome = "ignored: too old or ahead, a replay");
        return StatusCode::OK;
    }
    let (name, legacy) = event::current_name(&envelope.event);
    if legacy {
        warn!(%event, now_named = name, "a retired Certify event: move the webhook to the Pre-Screen events");
    }
    if event::classify(name).is_none() {
        info!(%event, outcome = "ignored: not an event blindfold acts on");
        return StatusCode::OK;
    }
    let Some(object_id) = envelope.object_id else {
        // A real event of a kind blindfold acts on, without a usable id: worth a look.
        warn!(%event, outcome = "ignored: no interviewId or testSessionId that looks like an id");
        return StatusCode::OK;
    };
    let record = Record {
        event: envelope.event.clone(),
        object_id: object_id.clone(),
        triggered_on: envelope.triggered_on,
    };
    let (reply, answer) = oneshot::channel();
    if app.inserts.send((record, reply)).await.is_err() {
        warn!(%event, id = %object_id, outcome = "not stored: shutting down");
        return StatusCode::SERVICE_UNAVAILABLE;
    }
    match answer.await {
        Ok(Ok(Insert::Stored)) => {
            info!(%event, id = %object_id, outcome = "stored");
            StatusCode::OK
        }
        Ok(Ok(Insert::Replay)) => {
            warn!(%event, id = %object_id, outcome = "ignored: a signature already used for too many ids, a replay");
            StatusCode::OK
        }
        Ok(Ok(Insert::Duplicate)) => {
            info!(%event, id = %object_id, outcome = "duplicate, stored before");
            StatusCode::OK
        }
        Ok(Err(e)) => {
            // Not stored: CodeSignal will send it again.
            warn!(%event, id = %object_id, outcome = "not stored", error = %e);
            StatusCode::SERVICE_UNAVAILABLE
        }
        Err(_) => StatusCode::SERVICE_UNAVAILABLE,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_are_logged_a_few_a_minute_and_the_rest_counted() {
        let log = RefusalLog::default();
        let start = std::time::Instant::now();
        let admitted: Vec<Option<u64>> = (0..8).map(|_| log.admit(start)).collect();
        assert_eq!(
            admitted,
            [Some(0), Some(0), Some(0), Some(0), Some(0), None, None, None]
        );
        let next_minute = start + Duration::from_secs(61);
        assert_eq!(
            log.admit(next_minute),
            Some(3),
            "the next line says how many were left out"
        );
        assert_eq!(log.admit(next_minute), Some(0));
    }

    /// One request over a fresh connection; the status code.
    fn status_of(addr: std::net::SocketAddr, request: &str) -> u16 {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(addr).unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        answer.split(' ').nth(1).and_then(|code| code.parse().ok()).unwrap_or(0)
    }

    #[test]
    fn a_store_that_cannot_be_written_makes_health_and_posts_answer_503() {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let (inserts, mut requests) = mpsc::channel::<InsertRequest>(8);
        let store_health = Arc::new(super::super::StoreHealth::default());
        let state = Arc::new(AppState {
            secret: b"s".to_vec(),
            endpoint_url: "https://hooks.example.com/x".into(),
            inserts,
            healthy: Arc::new(AtomicBool::new(true)),
            store_health: store_health.clone(),
            request_timeout: Duration::from_secs(5),
            refusals: RefusalLog::default(),
        });
        let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
        let addr = listener.local_addr().unwrap();
        runtime.spawn(async move { axum::serve(listener, router(state)).await });
        // The store's writer fails every insert, as on a full disk.
        let failing = store_health.clone();
        runtime.spawn(async move {
            while let Some((_, reply)) = requests.recv().await {
                failing.failed(&super::super::StoreError {
                    path: "w.sqlite".into(),
                    source: rusqlite::Error::InvalidQuery,
                });
                let _ = reply.send(Err("database or disk is full".into()));
            }
        });
        let health = "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
        assert_eq!(status_of(addr, health), 200);

        let now = super::super::now_ms();
        let body =
            format!(r#"{{"event":"liveInterviewFinished","triggeredOn":{now},"payload":{{"interviewId":"li1"}}}}"#);
        let signed = signature::sign(
            b"s",
            "https://hooks.example.com/x",
            "liveInterviewFinished",
            &now.to_string(),
        );
        let post = format!(
            "POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nX-CodeSignal-Signature: {signed}\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        assert_eq!(status_of(addr, &post), 503, "not stored: CodeSignal sends it again");
        assert_eq!(status_of(addr, health), 503);
        store_health.worked();
        assert_eq!(status_of(addr, health), 200, "back as soon as a write works");
    }
}
