//! One candidate's packet, ready for disk: assembled, rendered and audited. `packets` builds
//! a batch of them in parallel; `listen` rebuilds one when an event comes.

use super::{
    Finding, IndexEntry, InterviewerMode, Packet, PacketReview, Sources, assemble, audit, render_json, render_markdown,
};
use crate::rewrite::{Rewriter, Role, SubjectError, SubjectSpec, Subjects};
use crate::rules::Family;
use crate::source::{Interview, Interviewer};

/// The people of a batch, compiled once: every candidate (each packet focuses on its own,
/// and every other one is "another candidate" whose names must not survive either) and
/// every interviewer who wrote feedback (named as the packets show interviewers).
pub struct BatchSubjects {
    /// For rewriting ([`Rewriter::subjects`]).
    pub subjects: Subjects,
    /// The same people with every form of their names, for the audit ([`Rewriter::audit_subjects`]).
    pub identifiers: Subjects,
    /// Interviewer ids, in the order they follow the candidates in the index.
    interviewer_ids: Vec<String>,
    candidates: usize,
}

impl BatchSubjects {
    /// Compile the batch from each candidate's email and name, in batch order, and the
    /// interviewers who wrote the feedback.
    pub fn compile<'a>(
        rewriter: &Rewriter,
        people: impl IntoIterator<Item = (&'a str, Option<&'a str>)>,
        interviewers: &[&Interviewer],
    ) -> Result<BatchSubjects, SubjectError> {
        let mut specs: Vec<SubjectSpec> = people
            .into_iter()
            .map(|(email, name)| SubjectSpec {
                role: Role::OtherCandidate,
                name: name.map(str::to_string),
                email: Some(email.to_string()),
                label: None,
            })
            .collect();
        let candidates = specs.len();
        let mut interviewer_ids = Vec::new();
        for interviewer in interviewers {
            if interviewer_ids.contains(&interviewer.id) {
                continue;
            }
            interviewer_ids.push(interviewer.id.clone());
            specs.push(SubjectSpec {
                role: Role::Interviewer,
                name: Some(interviewer.display_name().to_string()),
                email: interviewer.email.clone().filter(|e| !e.trim().is_empty()),
                label: None,
            });
        }
        Ok(BatchSubjects {
            subjects: rewriter.subjects(&specs)?,
            identifiers: rewriter.audit_subjects(&specs)?,
            interviewer_ids,
            candidates,
        })
    }

    /// Where the interviewer with this id is in the index.
    pub fn interviewer(&self, id: &str) -> Option<usize> {
        self.interviewer_ids
            .iter()
            .position(|known| known == id)
            .map(|i| self.candidates + i)
    }

    /// Every distinct author of feedback in `interviews`, in order of appearance.
    pub fn authors<'a>(interviews: impl IntoIterator<Item = &'a Interview>) -> Vec<&'a Interviewer> {
        let mut seen: Vec<&Interviewer> = Vec::new();
        for feedback in interviews.into_iter().flat_map(|i| &i.feedback) {
            if !seen.iter().any(|s| s.id == feedback.interviewer.id) {
                seen.push(&feedback.interviewer);
            }
        }
        seen
    }
}

/// What every packet of a batch is made with.
pub struct Batch<'a> {
    pub rewriter: &'a Rewriter,
    pub compiled: &'a BatchSubjects,
    /// The candidates' emails, in the order the subjects were compiled.
    pub emails: &'a [String],
    pub interviewers: InterviewerMode,
    /// Refuse packets with open flags (nobody has decided on them).
    pub strict: bool,
}

/// Sums over packets, for a run's summary.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Totals {
    pub interviews: usize,
    pub feedback: usize,
    pub edits: usize,
    /// Flags nobody has decided on yet.
    pub open_flags: usize,
}

impl Totals {
    pub fn of(packet: &Packet) -> Totals {
        Totals {
            interviews: packet.interviews.len(),
            feedback: packet.feedback_count(),
            edits: packet.edit_count(),
            open_flags: packet.open_flag_count(),
        }
    }

    pub fn add(&mut self, other: &Totals) {
        self.interviews += other.interviews;
        self.feedback += other.feedback;
        self.edits += other.edits;
        self.open_flags += other.open_flags;
    }
}

/// A packet rendered and audited, ready for disk.
#[derive(Debug)]
pub struct Rendered {
    pub label: String,
    pub json: String,
    pub markdown: String,
    pub entry: IndexEntry,
    pub totals: Totals,
    /// For the review file, not the committee.
    pub review: PacketReview,
}

/// Why a packet is withheld. The messages never quote note text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Withheld {
    /// The audit could not read back what was rendered.
    #[error("packet not written: {0}")]
    Unreadable(String),
    #[error("{0}")]
    Leak(String),
    #[error("packet not written (--strict): open flags {} (decide them in decisions.toml; see review.md)", .0.join(", "))]
    Flagged(Vec<String>),
}

/// Build, render and audit the packet of the batch's candidate number `index`.
pub fn build(batch: &Batch<'_>, index: usize, sources: &Sources<'_>) -> Result<Rendered, Withheld> {
    let focused = batch.compiled.subjects.focused_on(index);
    let person_of = |id: &str| batch.compiled.interviewer(id);
    let packet = assemble(batch.rewriter, &focused, &person_of, sources, batch.interviewers);
    let json = render_json(&packet);
    let markdown = render_markdown(&packet);
    let identifiers = batch.compiled.identifiers.focused_on(index);
    let findings =
        audit(batch.rewriter, &json, &markdown, &identifiers, &packet.interviewers()).map_err(Withheld::Unreadable)?;
    if let Some(finding) = findings.first() {
        return Err(Withheld::Leak(describe_leak(
            finding,
            findings.len(),
            batch.emails,
            index,
        )));
    }
    if batch.strict && packet.open_flag_count() > 0 {
        return Err(Withheld::Flagged(packet.open_flags.keys().cloned().collect()));
    }
    Ok(Rendered {
        label: sources.label.to_string(),
        entry: IndexEntry::of(&packet),
        totals: Totals::of(&packet),
        json,
        markdown,
        review: packet.review,
    })
}

/// Say which rule family missed whose identifier where, never what the text says.
fn describe_leak(finding: &Finding, count: usize, emails: &[String], own: usize) -> String {
    let whose = match emails.get(finding.subject) {
        Some(_) if finding.subject == own => "the candidate's own".to_string(),
        Some(email) => format!("another candidate's ({email})"),
        None => "a candidate's".to_string(),
    };
    let what = if finding.family == Family::Contact {
        "email"
    } else {
        "name"
    };
    format!(
        "packet not written: the audit found {whose} {what} in {} ({} in all); the {} rules \
         missed it. Fix the rules or the notes, then run again.",
        finding.place,
        super::counted(count, "finding"),
        finding.family
    )
}
