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
use store::{Counts, DueEvent, Store, StoreError};
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
    /// While the store cannot be written, how often the worker tries it again.
    pub store_retry: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            request_timeout: Duration::from_secs(10),
            shutdown_grace: Duration::from_secs(10),
            store_retry: Duration::from_secs(1),
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

/// Whether the store could be written last time anyone tried. While it cannot (a full
/// disk), `/healthz` and POSTs answer 503 and the worker waits; the first write that works
/// again puts everything back, without a restart.
#[derive(Debug, Default)]
pub struct StoreHealth {
    failing: AtomicBool,
}

impl StoreHealth {
    pub fn is_ok(&self) -> bool {
        !self.failing.load(Ordering::SeqCst)
    }

    fn failed(&self, error: &StoreError) {
        if !self.failing.swap(true, Ordering::SeqCst) {
            error!(error = %error, "cannot write the event store: refusing events (503) until it can");
        }
    }

    fn worked(&self) {
        if self.failing.swap(false, Ordering::SeqCst) {
            info!("the event store can be written again");
        }
    }
}

/// What the worker does with a due event; the listener's loop owns the store around it.
pub trait Handler {
    fn handle(&mut self, event: &DueEvent) -> Outcome;
    /// Forget what is cached after a bug was met (the cache may be half made).
    fn reset(&mut self) {}
}

impl Handler for Worker {
    fn handle(&mut self, event: &DueEvent) -> Outcome {
        self.process(event)
    }

    fn reset(&mut self) {
        self.compiled = None;
    }
}

/// Where and how the webhook server listens.
pub struct ServerConfig {
    /// `host:port`; port 0 picks a free one.
    pub bind: String,
    /// The webhook's secret, which keys the signatures.
    pub secret: Vec<u8>,
    /// The webhook URL exactly as configured in CodeSignal: part of what is signed.
    pub endpoint_url: String,
    pub limits: Limits,
}

/// Serve webhooks until SIGTERM or Ctrl-C; the worker processes what is stored in `store`
/// (at `store_path`) meanwhile. `ready` hears the address once the server listens.
pub fn serve(
    config: ServerConfig,
    store_path: &Path,
    worker: Worker,
    store: Store,
    ready: impl FnOnce(SocketAddr),
) -> Result<Ended, ListenError> {
    let ServerConfig {
        bind,
        secret,
        endpoint_url,
        limits,
    } = config;
    // The handlers are in place before anyone hears the server is up, and outlive the
    // server's runtime: a second signal must still count while the worker finishes.
    let signals = count_signals()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| ListenError::Runtime(e.to_string()))?;
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind(&bind))
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
    let store_health = Arc::new(StoreHealth::default());
    let stopping = Arc::new(AtomicBool::new(false));
    // A stop ends the client's waits and retries: the event in hand stays pending.
    let cancel = worker.client.canceller();
    let stop_server = Arc::new(tokio::sync::Notify::new());
    let guard = || ExitGuard {
        healthy: healthy.clone(),
        stop_server: stop_server.clone(),
        stopping: stopping.clone(),
    };
    let inserter_guard = guard();
    let inserter_health = store_health.clone();
    let inserter = std::thread::spawn(move || {
        let _guard = inserter_guard;
        insert_loop(inserter_store, requests, wake, &inserter_health);
    });
    let tally = Arc::new(Mutex::new(Tally::default()));
    let (worker_done, worker_result) = std_mpsc::channel();
    let worker_guard = guard();
    let worker_stopping = stopping.clone();
    let worker_tally = tally.clone();
    let worker_health = store_health.clone();
    let pause = limits.store_retry;
    std::thread::spawn(move || {
        let _guard = worker_guard;
        let loop_state = Loop {
            stop: &worker_stopping,
            draining: false,
            tally: &worker_tally,
            health: &worker_health,
            pause,
        };
        let result = work_loop(worker, &store, woken, &loop_state);
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
        store_health,
        request_timeout: limits.request_timeout,
        refusals: server::RefusalLog::default(),
    });
    let app = server::router(state);
    let mut first = signals.clone();
    let mut second = signals.clone();
    let stop_heard = std::sync::OnceLock::new();
    runtime.block_on(accept_until_stopped(
        listener,
        app,
        limits,
        async {
            tokio::select! {
                _ = first.wait_for(|n| *n >= 1) => info!("stopping: finishing what is in flight"),
                () = stop_server.notified() => error!("stopping: a thread of the listener ended"),
            }
            let _ = stop_heard.set(std::time::Instant::now());
            // The worker takes no new event and its client no new try from here.
            stopping.store(true, Ordering::SeqCst);
            cancel.store(true, Ordering::SeqCst);
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
    // The worker gets what is left of the grace period after the signal, whatever the API
    // does: a request it has sent runs to its timeout, which may be longer.
    let deadline = stop_heard.get().copied().unwrap_or_else(std::time::Instant::now) + limits.shutdown_grace;
    let finished = loop {
        match worker_result.recv_timeout(Duration::from_millis(50)) {
            Ok(result) => break Some(result?),
            Err(std_mpsc::RecvTimeoutError::Disconnected) => {
                return Err(ListenError::Runtime("the worker thread stopped".into()));
            }
            Err(std_mpsc::RecvTimeoutError::Timeout) if *signals.borrow() >= 2 => {
                warn!("a second signal: not waiting for the event in hand; the next start processes it");
                break None;
            }
            Err(std_mpsc::RecvTimeoutError::Timeout) if std::time::Instant::now() >= deadline => {
                warn!("the event in hand is not finished after the grace period; the next start processes it");
                break None;
            }
            Err(std_mpsc::RecvTimeoutError::Timeout) => {}
        }
    };
    let tally = *tally.lock().unwrap_or_else(|p| p.into_inner());
    match finished {
        Some((counts, abandoned)) => Ok(Ended {
            counts,
            tally,
            abandoned,
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
pub fn drain(worker: Worker, store: Store) -> Result<Ended, ListenError> {
    let (_wake, woken) = std_mpsc::channel::<()>();
    let tally = Mutex::new(Tally::default());
    let health = StoreHealth::default();
    let loop_state = Loop {
        stop: &AtomicBool::new(false),
        draining: true,
        tally: &tally,
        health: &health,
        pause: Limits::default().store_retry,
    };
    let (counts, abandoned) = work_loop(worker, &store, woken, &loop_state)?;
    Ok(Ended {
        counts,
        tally: *tally.lock().unwrap_or_else(|p| p.into_inner()),
        abandoned,
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
fn insert_loop(
    mut store: Store,
    mut requests: mpsc::Receiver<InsertRequest>,
    wake: std_mpsc::Sender<()>,
    health: &StoreHealth,
) {
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
                health.worked();
                for ((_, reply), result) in batch.into_iter().zip(results) {
                    let _ = reply.send(Ok(result));
                }
                let _ = wake.send(());
            }
            Err(e) => {
                health.failed(&e);
                for (_, reply) in batch {
                    let _ = reply.send(Err(e.to_string()));
                }
            }
        }
    }
}

/// What the work loop shares with the rest of the listener.
struct Loop<'a> {
    /// Set when the listener stops: no new event is taken.
    stop: &'a AtomicBool,
    /// Try each pending event once, due or not, then return.
    draining: bool,
    tally: &'a Mutex<Tally>,
    health: &'a StoreHealth,
    /// How long to wait before trying a store that failed again.
    pause: Duration,
}

/// Process due events until `stop` (or, draining, until each pending one was tried once).
/// A store that cannot be written stops nothing: the loop waits until it can. Returns the
/// store's counts, and whether an event was left unfinished because of the stop.
fn work_loop(
    mut handler: impl Handler,
    store: &Store,
    woken: std_mpsc::Receiver<()>,
    run: &Loop<'_>,
) -> Result<(Counts, bool), ListenError> {
    let mut after = 0;
    let mut abandoned = false;
    loop {
        if run.stop.load(Ordering::SeqCst) {
            break;
        }
        if !run.health.is_ok() {
            match store.probe(now_ms()) {
                Ok(()) => run.health.worked(),
                Err(_) => {
                    pause(run.pause, run.stop);
                    continue;
                }
            }
        }
        let now = now_ms();
        let due = match store.next_due(now, run.draining, after) {
            Ok(due) => due,
            Err(e) => {
                run.health.failed(&e);
                pause(run.pause, run.stop);
                continue;
            }
        };
        let Some(due) = due else {
            if run.draining {
                break;
            }
            // Sleep until woken by a new event, the next retry is due, or a second passes.
            let until_due = store
                .next_due_at()
                .ok()
                .flatten()
                .map_or(1000, |at| (at - now).clamp(10, 1000));
            let wait = Duration::from_millis(until_due as u64);
            if let Err(std_mpsc::RecvTimeoutError::Disconnected) = woken.recv_timeout(wait) {
                // No more new events (the server is stopping): only retries can come due.
                std::thread::sleep(wait.min(Duration::from_millis(50)));
            }
            while woken.try_recv().is_ok() {}
            continue;
        };
        if run.draining {
            after = due.seq;
        }
        // A bug met by one event fails that event, not the listener (which would meet it
        // again on every restart).
        let outcome =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| handler.handle(&due))).unwrap_or_else(|_| {
                handler.reset();
                Outcome::Failed("blindfold hit an internal error on this event (a bug: please report it)".into())
            });
        if run.stop.load(Ordering::SeqCst) && matches!(outcome, Outcome::Retry(_)) {
            // Cut short by the stop, not by the API: no attempt is counted.
            abandoned = true;
            break;
        }
        let now = now_ms();
        let outcome = worker::settle(&due, outcome, now);
        log_outcome(&due, &outcome, run.tally);
        if let Err(e) = worker::record(store, &due, &outcome, now) {
            // The event stays as it was, and is processed again once the store works.
            run.health.failed(&e);
        }
    }
    Ok((store.counts()?, abandoned))
}

/// Wait `wait`, or until `stop`.
fn pause(wait: Duration, stop: &AtomicBool) {
    let until = std::time::Instant::now() + wait;
    while !stop.load(Ordering::SeqCst) && std::time::Instant::now() < until {
        std::thread::sleep(Duration::from_millis(20).min(wait));
    }
}

fn log_outcome(due: &DueEvent, outcome: &Outcome, tally: &Mutex<Tally>) {
    let (event, id) = (&due.record.event, &due.record.object_id);
    let mut tally = tally.lock().unwrap_or_else(|p| p.into_inner());
    match outcome {
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
            warn!(%event, %id, attempt = due.attempts + 1, outcome = %m, "will retry")
        }
        Outcome::Failed(m) => {
            tally.failed += 1;
            error!(%event, %id, outcome = %m, "failed")
        }
    }
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

    /// Counts the events it is given, and says each is done.
    struct Counting(Arc<std::sync::atomic::AtomicUsize>);

    impl Handler for Counting {
        fn handle(&mut self, _: &DueEvent) -> Outcome {
            self.0.fetch_add(1, Ordering::SeqCst);
            Outcome::Done("done".into())
        }
    }

    fn wait_until(what: &str, done: impl Fn() -> bool) {
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while !done() {
            assert!(std::time::Instant::now() < deadline, "timed out waiting for {what}");
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    #[test]
    fn a_store_that_cannot_be_written_pauses_the_worker_until_it_can() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.sqlite");
        let mut store = Store::open(&path).unwrap();
        let record = store::Record {
            event: "liveInterviewFinished".into(),
            object_id: "li1".into(),
            triggered_on: 1,
        };
        store.insert_batch(&[record], 0).unwrap();
        store.wait_for_lock(Duration::from_millis(20));
        // Another connection holds the write lock: every write of the worker's fails.
        let blocker = rusqlite::Connection::open(&path).unwrap();
        blocker.execute_batch("BEGIN IMMEDIATE").unwrap();

        let handled = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let (stop, tally, health) = (
            AtomicBool::new(false),
            Mutex::new(Tally::default()),
            StoreHealth::default(),
        );
        let (_wake, woken) = std_mpsc::channel::<()>();
        let run = Loop {
            stop: &stop,
            draining: false,
            tally: &tally,
            health: &health,
            pause: Duration::from_millis(10),
        };
        std::thread::scope(|scope| {
            let (counting, run) = (Counting(handled.clone()), &run);
            let worker = scope.spawn(move || work_loop(counting, &store, woken, run));
            wait_until("the failed write to be noticed", || !health.is_ok());
            std::thread::sleep(Duration::from_millis(100));
            assert!(!worker.is_finished(), "the worker waits, it does not exit");
            assert_eq!(
                handled.load(Ordering::SeqCst),
                1,
                "no event is taken while the store fails"
            );

            blocker.execute_batch("ROLLBACK").unwrap();
            wait_until("the store to work again", || health.is_ok());
            // The event whose outcome could not be kept is processed again, then kept.
            wait_until("the event to be done", || handled.load(Ordering::SeqCst) == 2);
            stop.store(true, Ordering::SeqCst);
            let (counts, abandoned) = worker.join().unwrap().unwrap();
            assert_eq!((counts.pending, counts.done, abandoned), (0, 1, false));
        });
    }
}
