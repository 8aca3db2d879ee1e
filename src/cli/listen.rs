//! `blindfold listen`: resolve the options into a worker and a server, and run them.

use std::io::IsTerminal;
use std::path::Path;
use std::time::Duration;

use super::gather::{self, read_candidates_file, status_filter};
use super::{CliError, ListenArgs, load_rules};
use crate::listen;
use crate::listen::store::Store;
use crate::listen::worker::Worker;
use crate::packet::{InterviewerMode, counted};
use crate::rewrite::Rewriter;
use crate::rules::FamilySet;
use crate::source::Filter;
use crate::workspace::{Paths, Workspace};

pub fn run(args: ListenArgs) -> Result<(), CliError> {
    init_logs();
    let interviewers: InterviewerMode = args
        .interviewers
        .parse()
        .map_err(|e| CliError::Usage(format!("--interviewers {e}")))?;
    let filter = Filter {
        status: status_filter(&args.status)?,
        since: None,
        until: None,
    };
    let mut candidates = read_candidates_file(&args.candidates_file)?;
    candidates.sort();
    candidates.dedup();
    if candidates.is_empty() {
        return Err(CliError::Usage(format!(
            "{}: no candidate emails",
            args.candidates_file.display()
        )));
    }
    let paths = Paths::resolve(&args.out, args.private.as_deref())?;
    let secret = match (&args.secret_file, args.drain) {
        (Some(path), _) => read_secret(path)?,
        (None, true) => Vec::new(),
        (None, false) => return Err(CliError::Usage("--secret-file is required".into())),
    };
    let client = gather::client(&args.api)?;
    let rewriter = Rewriter::new(load_rules(args.rules.as_deref())?, FamilySet::all())?;
    let endpoint_url = match (&args.endpoint_url, args.drain) {
        (Some(url), _) => url.clone(),
        (None, true) => String::new(),
        (None, false) => return Err(CliError::Usage("--endpoint-url is required".into())),
    };
    // One writer per workspace, before anything is touched: two listeners would process
    // the same events, and a batch run would rewrite the map under the listener.
    let workspace = Workspace::open(paths)?;
    let store_path = workspace.webhook_store();
    let store = Store::open(&store_path)?;
    if args.retry_failed {
        let requeued = store.requeue_failed()?;
        eprintln!("blindfold: {} put back in the queue", counted(requeued, "failed event"));
    }
    let worker = Worker {
        client,
        rewriter,
        candidates,
        workspace,
        listed: None,
        filter,
        interviewers,
        strict: args.strict,
        compiled: None,
        looked_up: Default::default(),
    };
    let ended = if args.drain {
        listen::drain(worker, store)
    } else {
        let config = listen::ServerConfig {
            bind: args.bind.clone(),
            secret,
            endpoint_url,
            limits: listen::Limits {
                request_timeout: Duration::from_millis(args.request_timeout_ms),
                shutdown_grace: Duration::from_millis(args.shutdown_grace_ms),
                ..listen::Limits::default()
            },
        };
        listen::serve(config, &store_path, worker, store, |addr| {
            eprintln!("blindfold: listening on http://{addr}");
        })
    }?;
    report(&ended)
}

/// Structured logs on stderr; BLINDFOLD_LOG=debug (or warn...) changes the level.
fn init_logs() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("BLINDFOLD_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(filter)
        .with_target(false)
        .with_ansi(std::io::stderr().is_terminal())
        .try_init();
    // A panic's message can quote the data it choked on: log only where it happened.
    std::panic::set_hook(Box::new(|info| {
        let place = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        tracing::error!(%place, "internal error");
    }));
}

fn read_secret(path: &Path) -> Result<Vec<u8>, CliError> {
    let text = std::fs::read_to_string(path).map_err(|e| CliError::io(path, e))?;
    let secret = text.trim().as_bytes().to_vec();
    if secret.is_empty() {
        return Err(CliError::Usage(format!(
            "{}: the webhook secret is empty",
            path.display()
        )));
    }
    Ok(secret)
}

/// What this run did and what the store holds; exit 1 if any event failed.
fn report(ended: &listen::Ended) -> Result<(), CliError> {
    let (tally, counts) = (ended.tally, ended.counts);
    eprintln!(
        "blindfold: this run processed {}: {} done, {} skipped, {} to retry, {} failed; in store: {} pending, {} failed",
        counted(tally.done + tally.skipped + tally.retried + tally.failed, "event"),
        tally.done,
        tally.skipped,
        tally.retried,
        tally.failed,
        counts.pending,
        counts.failed
    );
    if ended.abandoned {
        eprintln!("blindfold: stopped before the event in hand was finished; the next start processes it");
    }
    if tally.failed > 0 {
        return Err(CliError::Reported(format!("{} failed", counted(tally.failed, "event"))));
    }
    Ok(())
}
