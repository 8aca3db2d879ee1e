//! `blindfold packets`: gather, rewrite in parallel, audit, write atomically, summarise.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, mpsc};
use std::time::Instant;

use rayon::prelude::*;

use super::gather::{self, Problem};
use super::{CliError, PacketsArgs, load_rules};
use crate::files::{private_dir, remove_leftovers, sync_dir, write_private};
use crate::listen::store::{self, Store};
use crate::packet::{
    self, Batch, BatchSubjects, IndexEntry, InterviewerMode, PrivateDir, PrivateEntry, Rendered, Totals, render_index,
};
use crate::rewrite::Rewriter;
use crate::rules::FamilySet;
use crate::source::PreScreen;

/// The pre-screen results packets carry: those kept in the private folder's store (from
/// webhooks or an earlier `--tests` run), updated with what `--tests` fetched now, so a batch
/// run and `listen` build the same packet.
fn known_pre_screens(
    private_path: &Path,
    emails: &[&str],
    fetched: HashMap<String, Vec<PreScreen>>,
) -> Result<HashMap<String, Vec<PreScreen>>, CliError> {
    let path = private_path.join(store::FILE_NAME);
    if fetched.is_empty() && !path.exists() {
        return Ok(HashMap::new());
    }
    let failed = |e: store::StoreError| CliError::Input(e.to_string());
    let mut store = Store::open(&path).map_err(failed)?;
    let fetched: Vec<(String, PreScreen)> = fetched
        .into_iter()
        .flat_map(|(email, sessions)| sessions.into_iter().map(move |s| (email.clone(), s)))
        .collect();
    store.merge_pre_screens(&fetched).map_err(failed)?;
    let mut known = HashMap::new();
    for email in emails {
        let sessions = store.pre_screens_of(email).map_err(failed)?;
        if !sessions.is_empty() {
            known.insert(email.to_string(), sessions);
        }
    }
    Ok(known)
}

pub fn run(args: PacketsArgs) -> Result<(), CliError> {
    let started = Instant::now();
    let interviewers: InterviewerMode = args
        .interviewers
        .parse()
        .map_err(|e| CliError::Usage(format!("--interviewers {e}")))?;
    if args.threads == Some(0) {
        return Err(CliError::Usage("--threads: must be at least 1".into()));
    }
    let private_path = private_path(&args.out, args.private.as_deref())?;
    let (selection, filter) = gather::resolve_selection(&args.selection, args.export.is_some())?;
    let rules = load_rules(args.rules.as_deref())?;
    let rewriter = Rewriter::new(rules, FamilySet::all()).map_err(|e| CliError::Input(e.to_string()))?;

    if args.export.is_some() && !args.tests.is_empty() {
        return Err(CliError::Usage(
            "--tests reads pre-screen results from the API; it cannot be used with --export".into(),
        ));
    }
    let (gathered, fetched_pre_screens) = match &args.export {
        Some(path) => (gather::from_export(path, &selection, &filter)?, HashMap::new()),
        None => {
            let client = gather::client(&args.api)?;
            let gathered = gather::from_api(&client, &selection, &filter)?;
            (gathered, gather::pre_screens(&client, &args.tests)?)
        }
    };

    private_dir(&private_path).map_err(|e| CliError::io(&private_path, e))?;
    let _lock = lock(&private_path)?;
    private_dir(&args.out).map_err(|e| CliError::io(&args.out, e))?;
    remove_leftovers(&args.out).map_err(|e| CliError::io(&args.out, e))?;
    let mut private = PrivateDir::open(&private_path).map_err(|e| CliError::Input(e.to_string()))?;

    // Every candidate of the batch, compiled once; each packet focuses on its own.
    let emails: Vec<&str> = gathered.batch.iter().map(|(e, _)| e.as_str()).collect();
    let labels = private.labels(&emails);
    let authors = BatchSubjects::authors(gathered.candidates.iter().flat_map(|c| &c.interviews));
    let compiled = BatchSubjects::compile(
        &rewriter,
        gathered.batch.iter().map(|(e, n)| (e.as_str(), n.as_deref())),
        &authors,
    )
    .map_err(|e| CliError::Input(e.to_string()))?;
    for ((email, name), label) in gathered.batch.iter().zip(&labels) {
        private.record(
            label,
            PrivateEntry {
                email: email.clone(),
                name: name.clone(),
            },
        );
    }
    // The map is saved before any packet exists, so every packet can be traced back.
    private.save().map_err(|e| CliError::Input(e.to_string()))?;
    let pre_screens = known_pre_screens(&private_path, &emails, fetched_pre_screens)?;

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.unwrap_or(0))
        .build()
        .map_err(|e| CliError::Input(format!("cannot start worker threads: {e}")))?;
    let bar = gather::progress(gathered.candidates.len(), "packets");
    let index_of = |email: &str| gathered.batch.iter().position(|(e, _)| e == email);
    let emails: Vec<String> = gathered.batch.iter().map(|(e, _)| e.clone()).collect();
    let batch = Batch {
        rewriter: &rewriter,
        compiled: &compiled,
        emails: &emails,
        interviewers,
        strict: args.strict,
    };

    // The cores rewrite, render and audit; writer threads put finished packets on disk.
    // Flushing a file waits on the disk, not the CPU, and the disk takes many flushes at
    // once: separate threads keep both busy. The channel bounds the packets in memory.
    let (sender, receiver) = mpsc::sync_channel::<(String, Rendered)>(64);
    let receiver = Mutex::new(receiver);
    let (prepared, written) = std::thread::scope(|scope| {
        let writers: Vec<_> = (0..WRITERS)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        // The lock is released before writing, so writers flush side by side.
                        let next = receiver.lock().unwrap_or_else(|p| p.into_inner()).recv();
                        let Ok((email, rendered)) = next else { break };
                        let result = rendered.write(&args.out).map(|()| (rendered.entry, rendered.totals));
                        done.push((email, rendered.label, result));
                    }
                    done
                })
            })
            .collect();
        let prepared: Vec<(String, String, Option<String>)> = pool.install(|| {
            gathered
                .candidates
                .par_iter()
                .map(|candidate| {
                    let email = candidate.email.clone();
                    let Some(i) = index_of(&email) else {
                        return (email, String::new(), Some("not in the batch".to_string()));
                    };
                    let label = labels[i].clone();
                    let sessions = pre_screens.get(&email).map_or(&[][..], Vec::as_slice);
                    let job = packet::build(&batch, i, &label, &candidate.interviews, sessions);
                    bar.inc(1);
                    match job {
                        Ok(job) => {
                            // The writers outlive this loop; a send fails only if they all died.
                            let failed = sender
                                .send((email.clone(), job))
                                .err()
                                .map(|_| "packet not written: no writer".to_string());
                            (email, label, failed)
                        }
                        Err(message) => (email, label, Some(message)),
                    }
                })
                .collect()
        });
        drop(sender);
        let written: Vec<WriteOutcome> = writers.into_iter().flat_map(|w| w.join().unwrap_or_default()).collect();
        (prepared, written)
    });
    bar.finish_and_clear();

    let mut entries = Vec::new();
    let mut failures: Vec<Problem> = gathered.problems.clone();
    let mut totals = Totals::default();
    for (email, label, failed) in prepared {
        if let Some(message) = failed {
            packet::remove(&args.out, &label);
            failures.push(Problem { email, message });
        }
    }
    let mut written_emails = std::collections::HashSet::new();
    for (email, label, result) in written {
        match result {
            Ok((entry, written)) => {
                totals.add(&written);
                entries.push(entry);
                written_emails.insert(email);
            }
            Err(message) => {
                packet::remove(&args.out, &label);
                failures.push(Problem { email, message });
            }
        }
    }
    // A writer that died took its packets with it: their candidates failed too.
    for candidate in &gathered.candidates {
        let failed = failures.iter().any(|f| f.email == candidate.email);
        if !failed && !written_emails.contains(&candidate.email) {
            failures.push(Problem {
                email: candidate.email.clone(),
                message: "packet not written: its writer stopped".into(),
            });
        }
    }
    // A candidate who got no packet this time keeps no stale one from an earlier run.
    for problem in &gathered.problems {
        if let Some(i) = index_of(&problem.email) {
            packet::remove(&args.out, &labels[i]);
        }
    }
    let index_path = args.out.join("index.md");
    write_private(&index_path, render_index(&entries).as_bytes()).map_err(|e| CliError::io(&index_path, e))?;
    // One flush of the folder makes every packet's rename durable.
    sync_dir(&args.out).map_err(|e| CliError::io(&args.out, e))?;

    failures.sort_by(|a, b| a.email.cmp(&b.email));
    for failure in &failures {
        eprintln!("blindfold: FAILED {}: {}", failure.email, failure.message);
    }
    if gathered.orphans > 0 {
        eprintln!(
            "blindfold: {} interview(s) have no candidate email and are in no packet",
            gathered.orphans
        );
    }
    let candidates = entries.len() + failures.len();
    eprintln!(
        "blindfold: {candidates} candidate{}, {} interviews, {} feedback notes, {} edits, {} flags, {} failed, {:.2} s",
        if candidates == 1 { "" } else { "s" },
        totals.interviews,
        totals.feedback,
        totals.edits,
        totals.flags,
        failures.len(),
        started.elapsed().as_secs_f64()
    );
    eprintln!(
        "blindfold: packets in {} (index.md); the map back to candidates is in {} (keep it private)",
        args.out.display(),
        private.path().display()
    );
    if failures.is_empty() {
        Ok(())
    } else {
        Err(CliError::Reported(format!(
            "{} candidate(s) got no packet",
            failures.len()
        )))
    }
}

/// Threads that write packets to disk.
const WRITERS: usize = 8;

/// What a writer did with one candidate's packet: (email, label, index entry and totals, or why not).
type WriteOutcome = (String, String, Result<(IndexEntry, Totals), String>);

/// `--private`, or `<out>.private` beside `--out`; never inside it.
/// Hold the private folder (and so the packets beside it) for this run, or say who has it.
pub(super) fn lock(private_path: &Path) -> Result<std::fs::File, CliError> {
    match crate::files::lock_private(private_path) {
        Ok(Some(lock)) => Ok(lock),
        Ok(None) => Err(CliError::Input(format!(
            "{}: another blindfold run (`listen` or `packets`) is using this private folder; stop it or wait for it",
            private_path.display()
        ))),
        Err(e) => Err(CliError::io(private_path, e)),
    }
}

pub(super) fn private_path(out: &Path, private: Option<&Path>) -> Result<PathBuf, CliError> {
    let path = match private {
        Some(path) => path.to_path_buf(),
        None => {
            let name = out.file_name().filter(|n| *n != "." && *n != "..").ok_or_else(|| {
                CliError::Usage("--out has no folder name to put .private beside; give --private".into())
            })?;
            let mut private = name.to_os_string();
            private.push(".private");
            out.with_file_name(private)
        }
    };
    let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    if absolute(&path).starts_with(absolute(out)) {
        return Err(CliError::Usage(format!(
            "--private {}: must be outside the packets folder {}",
            path.display(),
            out.display()
        )));
    }
    Ok(path)
}
