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
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc as std_mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::sync::{mpsc, watch};
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

/// How a run of the listener ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ended {
    pub counts: Counts,
    pub tally: Tally,
    /// Stopped by a second signal before the event in hand was finished: it is still in the
    /// store, and the next start processes it.
    pub abandoned: bool,
}

fn now_ms() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp() * 1000
}

/// How long the server waits on others.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// CodeSignal waits 10 s for an answer; a request that takes longer (a sender trickling
    /// its headers or body) gets 408 and its connection back.
    pub request_timeout: Duration,
    /// After a stop signal, how long open connections get to finish before they are dropped
    /// (a sender that stalls mid-request must not keep the process alive; CodeSignal resends
    /// what was not answered).
    pub shutdown_grace: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            request_timeout: Duration::from_secs(10),
            shutdown_grace: Duration::from_secs(10),
        }
    }
}

/// Flags a failed thread to the server when dropped, so the process stops rather than
/// answering 200 for events nobody will store or process. Dropped on panic too.
struct ExitGuard {
    healthy: Arc<AtomicBool>,
    stop_server: Arc<tokio::sync::Notify>,
    stopping: Arc<AtomicBool>,
}

impl Drop for ExitGuard {
    fn drop(&mut self) {
        if !self.stopping.load(Ordering::SeqCst) {
            self.healthy.store(false, Ordering::SeqCst);
            self.stop_server.notify_one();
        }
    }
}

/// Serve webhooks on `bind` until SIGTERM or Ctrl-C; process what is stored meanwhile.
/// `ready` hears the address once the server listens (port 0 picks a free one).
pub fn serve(
    bind: &str,
    secret: Vec<u8>,
    endpoint_url: String,
    store_path: &Path,
    worker: Worker,
    limits: Limits,
    ready: impl FnOnce(SocketAddr),
) -> Result<Ended, ListenError> {
    // The handlers are in place before anyone hears the server is up, and outlive the
    // server's runtime: a second signal must still count while the worker finishes.
    let signals = count_signals()?;
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
    let healthy = Arc::new(AtomicBool::new(true));
    let stopping = Arc::new(AtomicBool::new(false));
    let stop_server = Arc::new(tokio::sync::Notify::new());
    let guard = || ExitGuard {
        healthy: healthy.clone(),
        stop_server: stop_server.clone(),
        stopping: stopping.clone(),
    };
    let inserter_guard = guard();
    let inserter = std::thread::spawn(move || {
        let _guard = inserter_guard;
        insert_loop(inserter_store, requests, wake);
    });
    let tally = Arc::new(Mutex::new(Tally::default()));
    let (worker_done, worker_result) = std_mpsc::channel();
    let worker_guard = guard();
    let worker_stopping = stopping.clone();
    let worker_tally = tally.clone();
    std::thread::spawn(move || {
        let _guard = worker_guard;
        let result = work_loop(worker, woken, &worker_stopping, false, &worker_tally);
        if let Err(e) = &result {
            error!(error = %e, "the worker stopped");
        }
        let _ = worker_done.send(result);
    });

    info!(address = %addr, "listening");
    ready(addr);
    let state = Arc::new(AppState {
        secret,
        endpoint_url,
        inserts,
        healthy,
        request_timeout: limits.request_timeout,
    });
    let app = server::router(state);
    let mut first = signals.clone();
    let mut second = signals.clone();
    runtime.block_on(accept_until_stopped(
        listener,
        app,
        limits,
        async move {
            tokio::select! {
                _ = first.wait_for(|n| *n >= 1) => info!("stopping: finishing what is in flight"),
                () = stop_server.notified() => error!("stopping: a thread of the listener ended"),
            }
        },
        async move {
            let _ = second.wait_for(|n| *n >= 2).await;
        },
    ));
    // The worker finishes the event in hand. Shutting the runtime down ends connections still
    // open, and with them the senders of events: the inserter stores what it holds and stops.
    stopping.store(true, Ordering::SeqCst);
    runtime.shutdown_timeout(Duration::from_secs(1));
    if inserter.join().is_err() {
        return Err(ListenError::Runtime("the store's writer thread stopped".into()));
    }
    let counts = loop {
        match worker_result.recv_timeout(Duration::from_millis(50)) {
            Ok(result) => break Some(result?),
            Err(std_mpsc::RecvTimeoutError::Disconnected) => {
                return Err(ListenError::Runtime("the worker thread stopped".into()));
            }
            Err(std_mpsc::RecvTimeoutError::Timeout) if *signals.borrow() >= 2 => {
                warn!("a second signal: not waiting for the event in hand; the next start processes it");
                break None;
            }
            Err(std_mpsc::RecvTimeoutError::Timeout) => {}
        }
    };
    let tally = *tally.lock().unwrap_or_else(|p| p.into_inner());
    match counts {
        Some(counts) => Ok(Ended {
            counts,
            tally,
            abandoned: false,
        }),
        None => Ok(Ended {
            counts: Store::open(store_path)?.counts()?,
            tally,
            abandoned: true,
        }),
    }
}

/// Accept connections until `stop`, then let open ones finish for up to the grace period
/// (or until `hurry`). Each connection has the request timeout to send its headers.
async fn accept_until_stopped(
    listener: tokio::net::TcpListener,
    app: axum::Router,
    limits: Limits,
    stop: impl Future<Output = ()>,
    hurry: impl Future<Output = ()>,
) {
    let graceful = GracefulShutdown::new();
    tokio::pin!(stop);
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let connection = http1::Builder::new()
                        .timer(TokioTimer::new())
                        .header_read_timeout(limits.request_timeout)
                        .serve_connection(TokioIo::new(stream), TowerToHyperService::new(app.clone()));
                    tokio::spawn(graceful.watch(connection));
                }
                Err(e) => {
                    // Out of file descriptors, say: wait a little rather than spin.
                    warn!(error = %e, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            },
            () = &mut stop => break,
        }
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {},
        () = tokio::time::sleep(limits.shutdown_grace) => warn!("connections still open after the grace period: closing them"),
        () = hurry => warn!("a second signal: closing open connections"),
    }
}

/// Process every event stored and pending, once each, then stop.
pub fn drain(worker: Worker) -> Result<Ended, ListenError> {
    let (_wake, woken) = std_mpsc::channel::<()>();
    let tally = Mutex::new(Tally::default());
    let counts = work_loop(worker, woken, &AtomicBool::new(false), true, &tally)?;
    Ok(Ended {
        counts,
        tally: *tally.lock().unwrap_or_else(|p| p.into_inner()),
        abandoned: false,
    })
}

/// SIGTERM and SIGINT (Ctrl-C), counted on a thread of their own for the life of the
/// process: the first stops gracefully, the second at once.
fn count_signals() -> Result<watch::Receiver<u32>, ListenError> {
    let failed = |e: std::io::Error| ListenError::Runtime(format!("cannot handle signals: {e}"));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(failed)?;
    let (count, counted) = watch::channel(0_u32);
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let (mut terminate, mut interrupt) = {
            let _context = runtime.enter();
            (
                signal(SignalKind::terminate()).map_err(failed)?,
                signal(SignalKind::interrupt()).map_err(failed)?,
            )
        };
        std::thread::spawn(move || {
            runtime.block_on(async move {
                loop {
                    tokio::select! {
                        _ = terminate.recv() => {},
                        _ = interrupt.recv() => {},
                    }
                    count.send_modify(|n| *n += 1);
                }
            })
        });
    }
    #[cfg(not(unix))]
    std::thread::spawn(move || {
        runtime.block_on(async move {
            while tokio::signal::ctrl_c().await.is_ok() {
                count.send_modify(|n| *n += 1);
            }
            // Without handlers, never report a signal.
            std::future::pending::<()>().await
        })
    });
    Ok(counted)
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
    tally: &Mutex<Tally>,
) -> Result<Counts, ListenError> {
    let mut after = 0;
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
            let wait = Duration::from_millis(until_due as u64);
            if let Err(std_mpsc::RecvTimeoutError::Disconnected) = woken.recv_timeout(wait) {
                // No more new events (the server is stopping): only retries can come due.
                std::thread::sleep(wait.min(Duration::from_millis(50)));
            }
            while woken.try_recv().is_ok() {}
            continue;
        };
        if draining {
            after = pending.seq;
        }
        // A bug met by one event fails that event, not the listener (which would meet it
        // again on every restart).
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| worker.process(&pending)))
            .unwrap_or_else(|_| {
                worker.compiled = None;
                Outcome::Failed("blindfold hit an internal error on this event (a bug: please report it)".into())
            });
        let now = now_ms();
        let outcome = worker::settle(&pending, outcome, now);
        let (event, id) = (&pending.record.event, &pending.record.object_id);
        {
            let mut tally = tally.lock().unwrap_or_else(|p| p.into_inner());
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
        }
        worker::record(&worker.store, &pending, &outcome, now)?;
    }
    Ok(worker.store.counts()?)
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_thread_that_ends_before_the_stop_fails_health_and_stops_the_server() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let healthy = Arc::new(AtomicBool::new(true));
        let stopping = Arc::new(AtomicBool::new(false));
        let stop_server = Arc::new(tokio::sync::Notify::new());
        let guard = || ExitGuard {
            healthy: healthy.clone(),
            stop_server: stop_server.clone(),
            stopping: stopping.clone(),
        };
        // A panicking thread drops its guard too.
        let guarded = guard();
        let _ = std::thread::spawn(move || {
            let _guard = guarded;
            panic!("a bug");
        })
        .join();
        assert!(!healthy.load(Ordering::SeqCst));
        let notified =
            runtime.block_on(async { tokio::time::timeout(Duration::from_secs(1), stop_server.notified()).await });
        assert!(notified.is_ok(), "the server was told to stop");

        // After the stop, threads end as they should: nothing is flagged.
        healthy.store(true, Ordering::SeqCst);
        stopping.store(true, Ordering::SeqCst);
        drop(guard());
        assert!(healthy.load(Ordering::SeqCst));
    }
}
