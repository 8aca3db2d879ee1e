//! The HTTP side: verify, store, answer. CodeSignal retries anything but a 200 for days, so
//! a 200 means "stored for good or deliberately ignored", and nothing else gets one.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode};
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

/// A record to store and where to say how it went.
pub type InsertRequest = (Record, oneshot::Sender<Result<Insert, String>>);

pub struct AppState {
    pub secret: Vec<u8>,
    /// The webhook URL as configured in CodeSignal: part of what is signed.
    pub endpoint_url: String,
    pub inserts: mpsc::Sender<InsertRequest>,
}

pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/healthz", get(|| async { "ok\n" }))
        .route("/", post(webhook))
        .route("/{*path}", post(webhook))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .with_state(state)
}

fn now_ms() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp() * 1000
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
            warn!(outcome = "malformed, ignored", reason = %why, bytes = body.len());
            return StatusCode::OK;
        }
    };
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
        warn!(event = %envelope.event, outcome = "refused: bad or missing signature");
        return StatusCode::UNAUTHORIZED;
    }
    let age = now_ms() - envelope.triggered_on;
    if !(-MAX_AHEAD_MS..=MAX_AGE_MS).contains(&age) {
        warn!(event = %envelope.event, triggered_on = envelope.triggered_on, outcome = "ignored: too old or ahead, a replay");
        return StatusCode::OK;
    }
    let (name, legacy) = event::current_name(&envelope.event);
    if legacy {
        warn!(event = %envelope.event, now_named = name, "a retired Certify event: move the webhook to the Pre-Screen events");
    }
    if event::classify(name).is_none() {
        info!(event = %envelope.event, outcome = "ignored: not an event blindfold acts on");
        return StatusCode::OK;
    }
    let Some(object_id) = envelope.object_id else {
        info!(event = %envelope.event, outcome = "ignored: names no interview or test session");
        return StatusCode::OK;
    };
    let record = Record {
        event: envelope.event.clone(),
        object_id: object_id.clone(),
        triggered_on: envelope.triggered_on,
    };
    let (reply, answer) = oneshot::channel();
    if app.inserts.send((record, reply)).await.is_err() {
        warn!(event = %envelope.event, id = %object_id, outcome = "not stored: shutting down");
        return StatusCode::SERVICE_UNAVAILABLE;
    }
    match answer.await {
        Ok(Ok(Insert::Stored)) => {
            info!(event = %envelope.event, id = %object_id, outcome = "stored");
            StatusCode::OK
        }
        Ok(Ok(Insert::Duplicate)) => {
            info!(event = %envelope.event, id = %object_id, outcome = "duplicate, stored before");
            StatusCode::OK
        }
        Ok(Err(e)) => {
            // Not stored: CodeSignal will send it again.
            warn!(event = %envelope.event, id = %object_id, outcome = "not stored", error = %e);
            StatusCode::INTERNAL_SERVER_ERROR
        }
        Err(_) => StatusCode::SERVICE_UNAVAILABLE,
    }
}
