//! `blindfold packets`: resolve the options, gather the batch, take the workspace, and hand
//! the batch to the packet pipeline; then summarise.

use std::collections::HashMap;
use std::time::Instant;

use super::gather::{self, Gathered};
use super::{CliError, PacketsArgs, load_rules};
use crate::packet::{Batch, BatchSubjects, Failed, InterviewerMode, Job, Published, Sources, counted, publish_batch};
use crate::rewrite::Rewriter;
use crate::rules::FamilySet;
use crate::source::PreScreen;
use crate::workspace::{Decisions, MapEntry, Paths, Workspace};

pub fn run(args: PacketsArgs) -> Result<(), CliError> {
    let started = Instant::now();
    let interviewers: InterviewerMode = args
        .interviewers
        .parse()
        .map_err(|e| CliError::Usage(format!("--interviewers {e}")))?;
    if args.threads == Some(0) {
        return Err(CliError::Usage("--threads: must be at least 1".into()));
    }
    if args.export.is_some() && !args.tests.is_empty() {
        return Err(CliError::Usage(
            "--tests reads pre-screen results from the API; it cannot be used with --export".into(),
        ));
    }
    let paths = Paths::resolve(&args.out, args.private.as_deref())?;
    let (selection, filter) = gather::resolve_selection(&args.selection, args.export.is_some())?;
    let rewriter = Rewriter::new(load_rules(args.rules.as_deref())?, FamilySet::all())?;
    let (gathered, fetched_pre_screens) = match &args.export {
        Some(path) => (gather::from_export(path, &selection, &filter)?, HashMap::new()),
        None => {
            let client = gather::client(&args.api)?;
            let gathered = gather::from_api(&client, &selection, &filter)?;
            (gathered, gather::pre_screens(&client, &args.tests)?)
        }
    };

    let mut workspace = Workspace::open(paths)?;
    let emails: Vec<String> = gathered.batch.iter().map(|(e, _)| e.clone()).collect();
    let labels = label_batch(&mut workspace, &gathered)?;
    workspace
        .pre_screens
        .merge_fetched(fetched_pre_screens)
        .map_err(workspace_error)?;
    // Every candidate of the batch, compiled once; each packet focuses on its own. After
    // them, every candidate the private map knows from earlier runs: no longer under review,
    // still candidates, whose names must not reach a packet either.
    let authors = BatchSubjects::authors(gathered.candidates.iter().flat_map(|c| &c.interviews));
    let people = known_candidates(&gathered, &workspace);
    let compiled = BatchSubjects::compile(
        &rewriter,
        people.iter().map(|(e, n)| (e.as_str(), n.as_deref())),
        &authors,
    )?;
    let everyone: Vec<String> = people.into_iter().map(|(e, _)| e).collect();
    let batch = Batch {
        rewriter: &rewriter,
        compiled: &compiled,
        emails: &everyone,
        interviewers,
        strict: args.strict,
    };
    let pre_screens: Vec<Vec<PreScreen>> = emails.iter().map(|e| workspace.pre_screens.of(e)).collect();
    let jobs = jobs(&gathered, &emails, &labels, &pre_screens, &workspace.decisions);
    let bar = gather::progress(jobs.len(), "packets");
    let published = publish_batch(&batch, &workspace.shelf(), &jobs, args.threads, &|| bar.inc(1))?;
    bar.finish_and_clear();
    drop(jobs);
    workspace
        .review
        .replace_all(published.reviews.clone())
        .map_err(workspace_error)?;
    summarise(&workspace, &gathered, published, started)
}

/// A job for every candidate with interviews.
fn jobs<'a>(
    gathered: &'a Gathered,
    emails: &[String],
    labels: &'a [String],
    pre_screens: &'a [Vec<PreScreen>],
    decisions: &'a Decisions,
) -> Vec<Job<'a>> {
    let positions: HashMap<&str, usize> = emails.iter().enumerate().map(|(i, e)| (e.as_str(), i)).collect();
    let index_of = |email: &str| positions.get(email).copied();
    gathered
        .candidates
        .iter()
        .filter_map(|candidate| {
            let index = index_of(&candidate.email)?;
            Some(Job {
                email: &candidate.email,
                index,
                sources: Sources {
                    label: &labels[index],
                    interviews: &candidate.interviews,
                    left_out: gathered.left_out.get(&candidate.email).cloned().unwrap_or_default(),
                    pre_screens: &pre_screens[index],
                    decisions: decisions.of(&labels[index]),
                },
            })
        })
        .collect()
}

/// The batch's candidates, in batch order, then every other candidate of the private map.
fn known_candidates(gathered: &Gathered, workspace: &Workspace) -> Vec<(String, Option<String>)> {
    let mut people = gathered.batch.clone();
    let in_batch: std::collections::HashSet<String> = people.iter().map(|(e, _)| e.to_lowercase()).collect();
    for entry in workspace.map.entries().values() {
        if entry.name.is_some() && !in_batch.contains(&entry.email.to_lowercase()) {
            people.push((entry.email.clone(), entry.name.clone()));
        }
    }
    people
}

/// Label every candidate of the batch and save the map, before any packet exists, so every
/// packet can be traced back.
fn label_batch(workspace: &mut Workspace, gathered: &Gathered) -> Result<Vec<String>, CliError> {
    let emails: Vec<&str> = gathered.batch.iter().map(|(e, _)| e.as_str()).collect();
    let labels = workspace.map.labels(&emails);
    for ((email, name), label) in gathered.batch.iter().zip(&labels) {
        let entry = MapEntry {
            email: email.clone(),
            name: name.clone(),
        };
        workspace.map.record(label, entry);
    }
    workspace.map.save().map_err(workspace_error)?;
    Ok(labels)
}

fn workspace_error(e: impl Into<crate::workspace::WorkspaceError>) -> CliError {
    CliError::from(e.into())
}

/// One line per candidate without a packet, one per feedback left out for lack of an
/// author, what was left out and why, then the totals; the exit code says whether every
/// candidate got one.
fn summarise(
    workspace: &Workspace,
    gathered: &Gathered,
    published: Published,
    started: Instant,
) -> Result<(), CliError> {
    let mut failed: Vec<Failed> = gathered.problems.iter().cloned().chain(published.failed).collect();
    failed.sort_by(|a, b| a.email.cmp(&b.email));
    for failure in &failed {
        eprintln!("blindfold: FAILED {}: {}", failure.email, failure.message);
    }
    report_left_out(gathered);
    let totals = published.totals;
    let candidates = published.entries.len() + failed.len();
    eprintln!(
        "blindfold: {}, {}, {}, {}, {}, {} failed, {:.2} s",
        counted(candidates, "candidate"),
        counted(totals.interviews, "interview"),
        counted(totals.feedback, "feedback note"),
        counted(totals.edits, "edit"),
        counted(totals.open_flags, "open flag"),
        failed.len(),
        started.elapsed().as_secs_f64()
    );
    if !published.withdrawn.is_empty() {
        eprintln!(
            "blindfold: removed {} that this run did not write",
            counted(published.withdrawn.len(), "older packet")
        );
    }
    let review = workspace.paths().private.join("review.md");
    let stale: usize = published.reviews.values().map(|r| r.stale.len()).sum();
    if stale > 0 {
        eprintln!(
            "blindfold: {} in decisions.toml {} no flag any more (their text changed); see {}",
            counted(stale, "decision"),
            if stale == 1 { "matches" } else { "match" },
            review.display()
        );
    }
    if totals.open_flags > 0 {
        eprintln!(
            "blindfold: {} to decide in {}; until then their packets are drafts (index.md)",
            counted(totals.open_flags, "flag"),
            review.display()
        );
    }
    eprintln!(
        "blindfold: packets in {} (index.md); the map back to candidates is in {} (keep it private)",
        workspace.paths().out.display(),
        workspace.paths().private.display()
    );
    if failed.is_empty() {
        Ok(())
    } else {
        Err(CliError::Reported(format!(
            "{} got no packet",
            counted(failed.len(), "candidate")
        )))
    }
}

/// What the input held that no packet shows: feedback without an author (each named),
/// interviews left out and why.
fn report_left_out(gathered: &Gathered) {
    let interviews = gathered.candidates.iter().flat_map(|c| &c.interviews);
    let mut without_author = 0;
    for interview in interviews.clone() {
        for at in &interview.feedback_without_author {
            eprintln!(
                "blindfold: interview {}: interviewersFeedback[{at}] has no author (null); that feedback is left out",
                interview.id
            );
            without_author += 1;
        }
    }
    let without_feedback = interviews.filter(|i| i.feedback.is_empty()).count();
    if let Some(line) = left_out_line(gathered, without_feedback) {
        eprintln!("blindfold: {line}");
    }
    if without_author > 0 {
        eprintln!(
            "blindfold: {} without an author left out (named above)",
            counted(without_author, "feedback note")
        );
    }
}

/// "6 interviews left out: 4 not over (see --status), 2 without a candidate email", or
/// `None` when the packets hold every interview of the selection.
fn left_out_line(gathered: &Gathered, without_feedback: usize) -> Option<String> {
    let rejected = &gathered.rejected;
    let wanted = rejected.status_wanted.as_deref().unwrap_or("in the status asked for");
    let reasons = [
        (rejected.not_in_status(), format!("not {wanted} (see --status)")),
        (rejected.outside_dates, "outside --since/--until".to_string()),
        (gathered.orphans, "without a candidate email".to_string()),
        (without_feedback, "without feedback".to_string()),
    ];
    let parts: Vec<String> = reasons
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, why)| format!("{n} {why}"))
        .collect();
    let total: usize = reasons.iter().map(|(n, _)| n).sum();
    (total > 0).then(|| format!("{} left out: {}", counted(total, "interview"), parts.join(", ")))
}
