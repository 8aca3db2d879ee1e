//! `blindfold listen`: keep packets current from CodeSignal webhooks.
//!
//! Three parts, so that nothing is lost and nothing blocks: the HTTP server verifies each
//! event and hands it to the inserter; the inserter commits events to the store in batches
//! (one flush to disk for many) and only then lets the server answer 200; the worker thread
//! processes stored events one at a time, fetching from the API with blocking HTTP away
//! from the server's async threads. A crash between storing and processing resumes on the
//! next start; SIGTERM or Ctrl-C stop accepting, finish what is in flight, and exit.

pub mod event;
pub mod server;
pub mod signature;
pub mod store;
pub mod worker;

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc as std_mpsc;
use std::time::Duration;

use tokio::sync::mpsc;
use tracing::{error, info, warn};

use server::{AppState, InsertRequest};
use store::{Counts, Store, StoreError};
use worker::{Outcome, Worker};

#[derive(Debug, thiserror::Error)]
pub enum ListenError {
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: String, source: std::io::Error },
    #[error("{0}")]
    Runtime(String),
}

/// What one run of the worker did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub done: usize,
    pub skipped: usize,
    pub retried: usize,
    pub failed: usize,
}

fn now_ms() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp() * 1000
}

/// Serve webhooks on `bind` until SIGTERM or Ctrl-C; process what is stored meanwhile.
/// `ready` hears the address once the server listens (port 0 picks a free one).
pub fn serve(
    bind: &str,
    secret: Vec<u8>,
    endpoint_url: String,
    store_path: &Path,
    worker: Worker,
    ready: impl FnOnce(SocketAddr),
) -> Result<(Counts, Tally), ListenError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| ListenError::Runtime(e.to_string()))?;
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind(bind))
        .map_err(|source| ListenError::Bind {
            addr: bind.to_string(),
            source,
        })?;
    let addr = listener.local_addr().map_err(|source| ListenError::Bind {
        addr: bind.to_string(),
        source,
    })?;

    let inserter_store = Store::open(store_path)?;
    let (inserts, requests) = mpsc::channel::<InsertRequest>(4096);
    let (wake, woken) = std_mpsc::channel::<()>();
    let stop = Arc::new(AtomicBool::new(false));
    let inserter = std::thread::spawn(move || insert_loop(inserter_store, requests, wake));
    let worker_stop = stop.clone();
    // A worker that stops on its own (its store failed) stops the server too: accepting events
    // nobody processes would hide the failure until the next restart.
    let worker_failed = Arc::new(tokio::sync::Notify::new());
    let notify = worker_failed.clone();
    let worker_thread = std::thread::spawn(move || {
        let result = work_loop(worker, woken, &worker_stop, false);
        if let Err(e) = &result {
            error!(error = %e, "the worker stopped; shutting down");
            notify.notify_one();
        }
        result
    });

    info!(address = %addr, "listening");
    ready(addr);
    let state = Arc::new(AppState {
        secret,
        endpoint_url,
        inserts,
    });
    let app = server::router(state);
    let served = runtime.block_on(async {
        axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                tokio::select! {
                    () = shutdown_signal() => {},
                    () = worker_failed.notified() => {},
                }
            })
            .await
    });
    // The server has answered everything it accepted; the inserter drains and stops.
    let inserted = inserter.join();
    stop.store(true, Ordering::SeqCst);
    let counts = worker_thread.join();
    served.map_err(|e| ListenError::Runtime(e.to_string()))?;
    if inserted.is_err() {
        return Err(ListenError::Runtime("the store's writer thread stopped".into()));
    }
    counts.map_err(|_| ListenError::Runtime("the worker thread stopped".into()))?
}

/// Process every event stored and pending, once each, then stop.
pub fn drain(worker: Worker) -> Result<(Counts, Tally), ListenError> {
    let (_wake, woken) = std_mpsc::channel::<()>();
    work_loop(worker, woken, &AtomicBool::new(false), true)
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    info!("stopping: finishing what is in flight");
}

/// Commit queued events in batches: the first waits, the rest come along in one transaction.
fn insert_loop(mut store: Store, mut requests: mpsc::Receiver<InsertRequest>, wake: std_mpsc::Sender<()>) {
    while let Some(first) = requests.blocking_recv() {
        let mut batch = vec![first];
        while batch.len() < 512 {
            match requests.try_recv() {
                Ok(request) => batch.push(request),
                Err(_) => break,
            }
        }
        let records: Vec<_> = batch.iter().map(|(record, _)| record.clone()).collect();
        match store.insert_batch(&records, now_ms()) {
            Ok(results) => {
                for ((_, reply), result) in batch.into_iter().zip(results) {
                    let _ = reply.send(Ok(result));
                }
                let _ = wake.send(());
            }
            Err(e) => {
                error!(error = %e, "events not stored; their senders will retry");
                for (_, reply) in batch {
                    let _ = reply.send(Err(e.to_string()));
                }
            }
        }
    }
}

/// Process due events until `stop` (or, draining, until each pending one was tried once).
fn work_loop(
    mut worker: Worker,
    woken: std_mpsc::Receiver<()>,
    stop: &AtomicBool,
    draining: bool,
) -> Result<(Counts, Tally), ListenError> {
    let mut after = 0;
    let mut tally = Tally::default();
    loop {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        let now = now_ms();
        let Some(pending) = worker.store.next_due(now, draining, after)? else {
            if draining {
                break;
            }
            // Sleep until woken by a new event, the next retry is due, or a second passes.
            let until_due = worker
                .store
                .next_due_at()?
                .map_or(1000, |at| (at - now).clamp(10, 1000));
            let _ = woken.recv_timeout(Duration::from_millis(until_due as u64));
            while woken.try_recv().is_ok() {}
            continue;
        };
        if draining {
            after = pending.seq;
        }
        let outcome = worker.process(&pending);
        let (event, id) = (&pending.record.event, &pending.record.object_id);
        match &outcome {
            Outcome::Done(m) => {
                tally.done += 1;
                info!(%event, %id, outcome = %m, "processed")
            }
            Outcome::Skipped(m) => {
                tally.skipped += 1;
                info!(%event, %id, outcome = %m, "skipped")
            }
            Outcome::Retry(m) => {
                tally.retried += 1;
                warn!(%event, %id, attempt = pending.attempts + 1, outcome = %m, "will retry")
            }
            Outcome::Failed(m) => {
                tally.failed += 1;
                error!(%event, %id, outcome = %m, "failed")
            }
        }
        worker::record(&worker.store, &pending, &outcome, now_ms())?;
    }
    Ok((worker.store.counts()?, tally))
}
