//! `blindfold packets`: gather, rewrite in parallel, audit, write atomically, summarise.

use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

use super::gather::{self, Gathered, Problem};
use super::{CliError, PacketsArgs, load_rules};
use crate::files::{private_dir, remove_leftovers, write_private};
use crate::packet::{
    self, Finding, IndexEntry, InterviewerMode, Packet, PrivateDir, PrivateEntry, render_index, render_json,
    render_markdown,
};
use crate::rewrite::{Rewriter, Role, SubjectSpec, Subjects};
use crate::rules::FamilySet;

/// What became of one candidate.
enum Outcome {
    Written(IndexEntry, Packet),
    Failed(String),
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
    let outcomes: Vec<(String, String, Outcome)> = pool.install(|| {
        gathered
            .candidates
            .par_iter()
            .map(|candidate| {
                let Some(i) = index_of(&candidate.email) else {
                    return (
                        candidate.email.clone(),
                        String::new(),
                        Outcome::Failed("not in the batch".into()),
                    );
                };
                let label = labels[i].clone();
                let outcome = make_packet(
                    &rewriter,
                    &subjects.focused_on(i),
                    &identifiers,
                    &gathered,
                    &label,
                    candidate,
                    interviewers,
                    args.strict,
                    &args.out,
                );
                bar.inc(1);
                (candidate.email.clone(), label, outcome)
            })
            .collect()
    });
    bar.finish_and_clear();

    let mut entries = Vec::new();
    let mut failures: Vec<Problem> = gathered.problems.clone();
    let mut totals = Totals::default();
    for (email, label, outcome) in outcomes {
        match outcome {
            Outcome::Written(entry, packet) => {
                totals.add(&packet);
                entries.push(entry);
            }
            Outcome::Failed(message) => {
                remove_packet(&args.out, &label);
                failures.push(Problem { email, message });
            }
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
    eprintln!(
        "blindfold: {} candidates, {} interviews, {} feedback, {} edits, {} flags, {} failed, {:.1} s",
        entries.len() + failures.len(),
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

#[derive(Default)]
struct Totals {
    interviews: usize,
    feedback: usize,
    edits: usize,
    flags: usize,
}

impl Totals {
    fn add(&mut self, packet: &Packet) {
        self.interviews += packet.interviews.len();
        self.feedback += packet.feedback_count();
        self.edits += packet.edit_count();
        self.flags += packet.flags.len();
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

#[allow(clippy::too_many_arguments)]
fn make_packet(
    rewriter: &Rewriter,
    focused: &Subjects,
    identifiers: &Subjects,
    gathered: &Gathered,
    label: &str,
    candidate: &crate::source::CandidateInterviews,
    interviewers: InterviewerMode,
    strict: bool,
    out: &Path,
) -> Outcome {
    let packet = packet::assemble(rewriter, focused, label, &candidate.interviews, interviewers);
    let json = render_json(&packet);
    let markdown = render_markdown(&packet);
    let findings = match packet::audit(&json, &markdown, identifiers, &packet.interviewers()) {
        Ok(findings) => findings,
        Err(message) => return Outcome::Failed(format!("packet not written: {message}")),
    };
    if let Some(finding) = findings.first() {
        return Outcome::Failed(describe_leak(finding, findings.len(), gathered, &candidate.email));
    }
    if strict && !packet.flags.is_empty() {
        let rules: Vec<&str> = packet.flags.iter().map(|f| f.rule.as_str()).collect();
        return Outcome::Failed(format!("packet not written (--strict): flags {}", rules.join(", ")));
    }
    let json_path = out.join(format!("{label}.json"));
    let md_path = out.join(format!("{label}.md"));
    let written =
        write_private(&json_path, json.as_bytes()).and_then(|()| write_private(&md_path, markdown.as_bytes()));
    if let Err(e) = written {
        remove_packet(out, label);
        return Outcome::Failed(format!("packet not written: {e}"));
    }
    let entry = IndexEntry {
        label: label.to_string(),
        interviews: packet.interviews.len(),
        feedback: packet.feedback_count(),
        flags: packet.flags.len(),
    };
    Outcome::Written(entry, packet)
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
