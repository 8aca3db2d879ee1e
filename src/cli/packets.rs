//! `blindfold packets`: gather, rewrite in parallel, audit, write atomically, summarise.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, mpsc};
use std::time::Instant;

use rayon::prelude::*;

use super::gather::{self, Gathered, Problem};
use super::{CliError, PacketsArgs, load_rules};
use crate::files::{private_dir, remove_leftovers, replace_private, sync_dir, write_private};
use crate::packet::{
    self, Finding, IndexEntry, InterviewerMode, Packet, PrivateDir, PrivateEntry, render_index, render_json,
    render_markdown,
};
use crate::rewrite::{Rewriter, Role, SubjectSpec, Subjects};
use crate::rules::FamilySet;

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

    let gathered = match &args.export {
        Some(path) => gather::from_export(path, &selection, &filter)?,
        None => gather::from_api(&gather::client(&args.api)?, &selection, &filter)?,
    };

    private_dir(&args.out).map_err(|e| CliError::io(&args.out, e))?;
    remove_leftovers(&args.out).map_err(|e| CliError::io(&args.out, e))?;
    let mut private = PrivateDir::open(&private_path).map_err(|e| CliError::Input(e.to_string()))?;

    // Every candidate of the batch, compiled once; each packet focuses on its own.
    let emails: Vec<&str> = gathered.batch.iter().map(|(e, _)| e.as_str()).collect();
    let labels = private.labels(&emails);
    let specs: Vec<SubjectSpec> = gathered
        .batch
        .iter()
        .map(|(email, name)| SubjectSpec {
            role: Role::OtherCandidate,
            name: name.clone(),
            email: Some(email.clone()),
            label: None,
        })
        .collect();
    let subjects = rewriter.subjects(&specs).map_err(|e| CliError::Input(e.to_string()))?;
    let identifiers = rewriter
        .audit_subjects(&specs)
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

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.unwrap_or(0))
        .build()
        .map_err(|e| CliError::Input(format!("cannot start worker threads: {e}")))?;
    let bar = gather::progress(gathered.candidates.len(), "packets");
    let index_of = |email: &str| gathered.batch.iter().position(|(e, _)| e == email);

    // The cores rewrite, render and audit; writer threads put finished packets on disk.
    // Flushing a file waits on the disk, not the CPU, and the disk takes many flushes at
    // once: separate threads keep both busy. The channel bounds the packets in memory.
    let (sender, receiver) = mpsc::sync_channel::<WriteJob>(64);
    let receiver = Mutex::new(receiver);
    let (prepared, written) = std::thread::scope(|scope| {
        let writers: Vec<_> = (0..WRITERS)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        // The lock is released before writing, so writers flush side by side.
                        let next = receiver.lock().unwrap_or_else(|p| p.into_inner()).recv();
                        let Ok(job) = next else { break };
                        let result = job.write(&args.out);
                        done.push((job.email, job.label, result));
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
                    let focused = subjects.focused_on(i);
                    let job = prepare(
                        &rewriter,
                        &focused,
                        &identifiers,
                        &gathered,
                        &label,
                        candidate,
                        interviewers,
                        args.strict,
                    );
                    bar.inc(1);
                    match job {
                        Ok(job) => {
                            // The writers outlive this loop; a send fails only if they all died.
                            let failed = sender
                                .send(job)
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
        let written: Vec<(String, String, Result<Written, String>)> =
            writers.into_iter().flat_map(|w| w.join().unwrap_or_default()).collect();
        (prepared, written)
    });
    bar.finish_and_clear();

    let mut entries = Vec::new();
    let mut failures: Vec<Problem> = gathered.problems.clone();
    let mut totals = Totals::default();
    for (email, label, failed) in prepared {
        if let Some(message) = failed {
            remove_packet(&args.out, &label);
            failures.push(Problem { email, message });
        }
    }
    let mut written_emails = std::collections::HashSet::new();
    for (email, label, result) in written {
        match result {
            Ok(written) => {
                totals.add(&written.totals);
                entries.push(written.entry);
                written_emails.insert(email);
            }
            Err(message) => {
                remove_packet(&args.out, &label);
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
            remove_packet(&args.out, &labels[i]);
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

#[derive(Default, Clone, Copy)]
struct Totals {
    interviews: usize,
    feedback: usize,
    edits: usize,
    flags: usize,
}

impl Totals {
    fn of(packet: &Packet) -> Totals {
        Totals {
            interviews: packet.interviews.len(),
            feedback: packet.feedback_count(),
            edits: packet.edit_count(),
            flags: packet.flags.len(),
        }
    }

    fn add(&mut self, other: &Totals) {
        self.interviews += other.interviews;
        self.feedback += other.feedback;
        self.edits += other.edits;
        self.flags += other.flags;
    }
}

/// A packet rendered and audited, ready for disk.
struct WriteJob {
    email: String,
    label: String,
    json: String,
    markdown: String,
    entry: IndexEntry,
    totals: Totals,
}

struct Written {
    entry: IndexEntry,
    totals: Totals,
}

impl WriteJob {
    /// Both files, each atomically; if the second fails the first goes too.
    fn write(&self, out: &Path) -> Result<Written, String> {
        let json_path = out.join(format!("{}.json", self.label));
        let md_path = out.join(format!("{}.md", self.label));
        let written = replace_private(&json_path, self.json.as_bytes())
            .and_then(|()| replace_private(&md_path, self.markdown.as_bytes()));
        match written {
            Ok(()) => Ok(Written {
                entry: self.entry.clone(),
                totals: self.totals,
            }),
            Err(e) => {
                remove_packet(out, &self.label);
                Err(format!("packet not written: {e}"))
            }
        }
    }
}

/// `--private`, or `<out>.private` beside `--out`; never inside it.
fn private_path(out: &Path, private: Option<&Path>) -> Result<PathBuf, CliError> {
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

/// Build, render and audit one candidate's packet; the reason if it must not be written.
#[allow(clippy::too_many_arguments)]
fn prepare(
    rewriter: &Rewriter,
    focused: &Subjects,
    identifiers: &Subjects,
    gathered: &Gathered,
    label: &str,
    candidate: &crate::source::CandidateInterviews,
    interviewers: InterviewerMode,
    strict: bool,
) -> Result<WriteJob, String> {
    let packet = packet::assemble(rewriter, focused, label, &candidate.interviews, interviewers);
    let json = render_json(&packet);
    let markdown = render_markdown(&packet);
    let findings = packet::audit(&json, &markdown, identifiers, &packet.interviewers())
        .map_err(|message| format!("packet not written: {message}"))?;
    if let Some(finding) = findings.first() {
        return Err(describe_leak(finding, findings.len(), gathered, &candidate.email));
    }
    if strict && !packet.flags.is_empty() {
        let rules: Vec<&str> = packet.flags.iter().map(|f| f.rule.as_str()).collect();
        return Err(format!("packet not written (--strict): flags {}", rules.join(", ")));
    }
    Ok(WriteJob {
        email: candidate.email.clone(),
        label: label.to_string(),
        entry: IndexEntry {
            label: label.to_string(),
            interviews: packet.interviews.len(),
            feedback: packet.feedback_count(),
            flags: packet.flags.len(),
        },
        totals: Totals::of(&packet),
        json,
        markdown,
    })
}

/// Say which rule family missed whose identifier where, never what the text says.
fn describe_leak(finding: &Finding, count: usize, gathered: &Gathered, own: &str) -> String {
    let whose = match gathered.batch.get(finding.subject) {
        Some((email, _)) if email == own => "the candidate's own".to_string(),
        Some((email, _)) => format!("another candidate's ({email})"),
        None => "a candidate's".to_string(),
    };
    format!(
        "packet not written: the audit found {whose} {} in {} ({count} finding(s) in all); the {} rules missed it. \
         Fix the rules or the notes, then run again.",
        if finding.family == crate::rules::Family::Contact {
            "email"
        } else {
            "name"
        },
        finding.place,
        finding.family
    )
}

fn remove_packet(out: &Path, label: &str) {
    if label.is_empty() {
        return;
    }
    for ext in ["json", "md"] {
        let _ = std::fs::remove_file(out.join(format!("{label}.{ext}")));
    }
}
