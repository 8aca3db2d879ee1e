//! `blindfold packets`: resolve the options, gather the batch, take the workspace, and hand
//! the batch to the packet pipeline; then summarise.

use std::collections::HashMap;
use std::time::Instant;

use super::gather::{self, Gathered};
use super::{CliError, PacketsArgs, load_rules};
use crate::packet::{Batch, BatchSubjects, Failed, InterviewerMode, Job, Published, Sources, publish_batch};
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

/// One line per candidate without a packet, then the totals; the exit code says whether
/// every candidate got one.
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
    if gathered.orphans > 0 {
        eprintln!(
            "blindfold: {} interview(s) have no candidate email and are in no packet",
            gathered.orphans
        );
    }
    let totals = published.totals;
    let candidates = published.entries.len() + failed.len();
    eprintln!(
        "blindfold: {candidates} candidate{}, {} interviews, {} feedback notes, {} edits, {} open flags, {} failed, {:.2} s",
        if candidates == 1 { "" } else { "s" },
        totals.interviews,
        totals.feedback,
        totals.edits,
        totals.open_flags,
        failed.len(),
        started.elapsed().as_secs_f64()
    );
    if !published.withdrawn.is_empty() {
        eprintln!(
            "blindfold: removed {} older packet(s) that this run did not write",
            published.withdrawn.len()
        );
    }
    let review = workspace.paths().private.join("review.md");
    let stale: usize = published.reviews.values().map(|r| r.stale.len()).sum();
    if stale > 0 {
        eprintln!(
            "blindfold: {stale} decision(s) in decisions.toml match no flag any more (their text changed); see {}",
            review.display()
        );
    }
    if totals.open_flags > 0 {
        eprintln!(
            "blindfold: {} flag(s) to decide in {}; until then their packets are drafts (index.md)",
            totals.open_flags,
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
            "{} candidate(s) got no packet",
            failed.len()
        )))
    }
}
