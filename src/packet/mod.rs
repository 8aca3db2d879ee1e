//! Committee packets: one per candidate, every free text of their interviews rewritten,
//! rendered to JSON and Markdown, and audited for any identifier of the batch before a byte
//! is written. Nothing in a packet points back to the person: no name, email, URL or id.

mod audit;
mod batch;
mod build;
mod publish;
mod render;
mod review;

use std::collections::BTreeMap;
use std::str::FromStr;

use serde::Serialize;

pub use audit::{Finding, audit, audit_json, audit_text};
pub use batch::{BatchError, Failed, Job, Published, publish_batch};
pub use build::{Batch, BatchSubjects, Rendered, Totals, Withheld, build};
pub use publish::{PublishError, Shelf};
pub use render::{
    Glance, IndexEntry, counted, glance, left_out_text, read_index, render_index, render_json, render_markdown,
};
pub use review::{Decision, PacketReview, ReviewItem, render_review};

use std::sync::Arc;

use crate::rewrite::{InterviewerNames, Rewriter, Subjects};
use crate::source::{Interview, LeftOut, PreScreen, date_of};

/// Bumped when the JSON packet changes shape.
pub const SCHEMA_VERSION: u32 = 1;

/// How interviewers appear in packets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InterviewerMode {
    /// By name (or username, when the name is hidden).
    Keep,
    /// "Interviewer 1", "Interviewer 2"..., numbered within each packet.
    Label,
    /// Not at all.
    Drop,
}

impl FromStr for InterviewerMode {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "keep" => Ok(InterviewerMode::Keep),
            "label" => Ok(InterviewerMode::Label),
            "drop" => Ok(InterviewerMode::Drop),
            other => Err(format!("`{other}`: expected keep, label or drop")),
        }
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Packet {
    pub schema_version: u32,
    /// The candidate's label: reveals nothing, stable across runs of one private folder.
    pub candidate: String,
    /// The candidate's interviews this packet does not show, counted by why.
    pub left_out: LeftOut,
    pub interviews: Vec<PacketInterview>,
    /// Pre-screen test results, when the run pulled them (`--tests`, or `listen`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub pre_screen: Vec<PacketPreScreen>,
    /// How many replacements each rule made, for the record.
    pub edits: BTreeMap<String, usize>,
    /// Flags nobody has decided on yet, counted by rule; their words are in the private
    /// folder's review file, never here.
    pub open_flags: BTreeMap<String, usize>,
    /// Every flag, for the review file.
    #[serde(skip)]
    pub review: PacketReview,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PacketInterview {
    /// `YYYY-MM-DD` (UTC) of the start, or the finish when the start is unknown.
    pub date: Option<String>,
    pub status: String,
    pub feedback: Vec<PacketFeedback>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PacketFeedback {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interviewer: Option<String>,
    pub notes: String,
    pub categories: Vec<PacketCategory>,
    pub recommended_level: Option<String>,
    pub evaluation: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PacketCategory {
    pub name: Option<String>,
    pub attributes: Vec<PacketAttribute>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PacketAttribute {
    pub name: Option<String>,
    pub score: Option<i64>,
    pub notes: Option<String>,
}

/// A pre-screen result, without anything that points at the candidate (no session id,
/// email or link); titles are rewritten like any text.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PacketPreScreen {
    pub test: Option<String>,
    pub date: Option<String>,
    pub status: Option<String>,
    pub verification: Option<String>,
    pub score: Option<i64>,
    pub max_score: Option<i64>,
    pub solved_tasks: Option<i64>,
    pub tasks: Vec<PacketTask>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PacketTask {
    pub title: Option<String>,
    pub score: Option<i64>,
    pub max_score: Option<i64>,
}

impl Packet {
    /// Every interviewer name shown in the packet (the audit allows them where they stand).
    pub fn interviewers(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self
            .interviews
            .iter()
            .flat_map(|i| &i.feedback)
            .filter_map(|f| f.interviewer.as_deref())
            .collect();
        names.sort_unstable();
        names.dedup();
        names
    }

    pub fn feedback_count(&self) -> usize {
        self.interviews.iter().map(|i| i.feedback.len()).sum()
    }

    pub fn edit_count(&self) -> usize {
        self.edits.values().sum()
    }

    pub fn open_flag_count(&self) -> usize {
        self.open_flags.values().sum()
    }
}

/// What one candidate's packet is made from.
pub struct Sources<'a> {
    pub label: &'a str,
    pub interviews: &'a [Interview],
    /// The candidate's interviews the run's filter (`--status`, dates) left out before these.
    pub left_out: LeftOut,
    pub pre_screens: &'a [PreScreen],
    /// The coordinator's decisions on this packet's flags, by flag id.
    pub decisions: Option<&'a BTreeMap<String, Decision>>,
}

/// Build the packet of one candidate: `subjects` is the whole batch, focused on this
/// candidate (see [`Subjects::focused_on`]).
pub fn assemble(
    rewriter: &Rewriter,
    subjects: &Subjects,
    person_of: &dyn Fn(&str) -> Option<usize>,
    sources: &Sources<'_>,
    interviewers: InterviewerMode,
) -> Packet {
    // An interview nobody wrote feedback on has nothing for the committee to read: it is
    // counted, not shown, as is feedback without an author (left out when read).
    let mut left_out = sources.left_out.clone();
    let mut sorted: Vec<&Interview> = Vec::with_capacity(sources.interviews.len());
    for interview in sources.interviews {
        left_out.feedback_without_author += interview.feedback_without_author.len();
        if interview.feedback.is_empty() {
            left_out.without_feedback += 1;
        } else {
            sorted.push(interview);
        }
    }
    sorted.sort_by(|a, b| (a.start.or(a.finish), &a.id).cmp(&(b.start.or(b.finish), &b.id)));
    // Interviewers are numbered in order of appearance; their names in the notes read as
    // the packet shows them.
    let mut interviewer_numbers: Vec<String> = Vec::new();
    for feedback in sorted.iter().flat_map(|i| &i.feedback) {
        if !interviewer_numbers.contains(&feedback.interviewer.id) {
            interviewer_numbers.push(feedback.interviewer.id.clone());
        }
    }
    let names = &rewriter.rules().names;
    let named = match interviewers {
        InterviewerMode::Keep => None,
        InterviewerMode::Label => Some(InterviewerNames {
            labels: interviewer_numbers
                .iter()
                .enumerate()
                .filter_map(|(n, id)| Some((person_of(id)? as u32, format!("Interviewer {}", n + 1))))
                .collect(),
            others: Some(names.other_interviewer.clone()),
        }),
        InterviewerMode::Drop => Some(InterviewerNames {
            labels: Default::default(),
            others: Some(names.interviewer.clone()),
        }),
    };
    let subjects = subjects.with_interviewer_names(named.map(Arc::new));
    let mut builder = Builder {
        rewriter,
        subjects: &subjects,
        person_of,
        author: subjects.clone(),
        edits: BTreeMap::new(),
        flags: Vec::new(),
        interviewer_numbers,
        label: sources.label,
        decisions: sources.decisions,
        place: Place::default(),
    };
    let interviews = sorted
        .iter()
        .enumerate()
        .map(|(i, interview)| {
            // Only the interview's own interviewers make the candidate's bare name doubtful.
            let panel: Vec<usize> = interview
                .feedback
                .iter()
                .filter_map(|f| person_of(&f.interviewer.id))
                .collect();
            let date = interview.start.or(interview.finish).and_then(date_of);
            let feedback = interview
                .feedback
                .iter()
                .map(|feedback| {
                    builder.place = Place {
                        interview: interview.id.clone(),
                        author: feedback.interviewer.id.clone(),
                        shown: format!(
                            "Interview {} · {}, {}",
                            i + 1,
                            date.as_deref().unwrap_or("no date"),
                            feedback.interviewer.display_name()
                        ),
                    };
                    builder.feedback(feedback, &panel, interviewers)
                })
                .collect();
            PacketInterview {
                date,
                status: interview.status.as_str().to_string(),
                feedback,
            }
        })
        .collect();
    let mut sessions: Vec<&PreScreen> = sources.pre_screens.iter().collect();
    sessions.sort_by(|a, b| (a.finish, &a.session_id).cmp(&(b.finish, &b.session_id)));
    let pre_screen = sessions.iter().map(|s| builder.pre_screen(s)).collect();
    let mut open_flags = BTreeMap::new();
    for item in builder.flags.iter().filter(|item| item.is_open()) {
        *open_flags.entry(item.rule.clone()).or_default() += 1;
    }
    let stale = sources
        .decisions
        .into_iter()
        .flat_map(|decided| decided.keys())
        .filter(|id| !builder.flags.iter().any(|item| &item.id == *id))
        .cloned()
        .collect();
    Packet {
        schema_version: SCHEMA_VERSION,
        candidate: sources.label.to_string(),
        left_out,
        interviews,
        pre_screen,
        edits: builder.edits,
        open_flags,
        review: PacketReview {
            items: builder.flags,
            stale,
        },
    }
}

/// Where the text being rewritten stands: what a flag's id and the review file name.
#[derive(Default)]
struct Place {
    interview: String,
    author: String,
    /// As the Markdown shows it.
    shown: String,
}

struct Builder<'a> {
    rewriter: &'a Rewriter,
    subjects: &'a Subjects,
    person_of: &'a dyn Fn(&str) -> Option<usize>,
    /// `subjects`, for the text at hand (its author known).
    author: Subjects,
    edits: BTreeMap<String, usize>,
    flags: Vec<ReviewItem>,
    /// Interviewer ids in order of appearance, for "Interviewer N".
    interviewer_numbers: Vec<String>,
    label: &'a str,
    decisions: Option<&'a BTreeMap<String, Decision>>,
    place: Place,
}

impl Builder<'_> {
    fn feedback(
        &mut self,
        feedback: &crate::source::Feedback,
        panel: &[usize],
        mode: InterviewerMode,
    ) -> PacketFeedback {
        self.author = self
            .subjects
            .written_by((self.person_of)(&feedback.interviewer.id))
            .with_panel(panel.iter().copied());
        let text = |this: &mut Self, text: &str, field: String| this.rewrite(text, &field);
        let interviewer = match mode {
            InterviewerMode::Keep => Some(feedback.interviewer.display_name().to_string()),
            InterviewerMode::Drop => None,
            InterviewerMode::Label => {
                let id = &feedback.interviewer.id;
                let n = match self.interviewer_numbers.iter().position(|known| known == id) {
                    Some(i) => i + 1,
                    None => {
                        self.interviewer_numbers.push(id.clone());
                        self.interviewer_numbers.len()
                    }
                };
                Some(format!("Interviewer {n}"))
            }
        };
        let notes = text(self, &feedback.notes, "notes".into());
        let categories = feedback
            .categories
            .iter()
            .enumerate()
            .map(|(c, category)| PacketCategory {
                name: category
                    .name
                    .as_deref()
                    .map(|n| text(self, n, format!("categories[{c}].name"))),
                attributes: category
                    .attributes
                    .iter()
                    .enumerate()
                    .map(|(a, attribute)| {
                        let at = format!("categories[{c}].attributes[{a}]");
                        PacketAttribute {
                            name: attribute.name.as_deref().map(|n| text(self, n, format!("{at}.name"))),
                            score: attribute.score,
                            notes: attribute.notes.as_deref().map(|n| text(self, n, format!("{at}.notes"))),
                        }
                    })
                    .collect(),
            })
            .collect();
        let recommended_level = feedback
            .recommended_level
            .as_deref()
            .map(|l| text(self, l, "recommended_level".into()));
        let evaluation = feedback
            .evaluation
            .as_deref()
            .map(|e| text(self, e, "evaluation".into()));
        PacketFeedback {
            interviewer,
            notes,
            categories,
            recommended_level,
            evaluation,
        }
    }

    fn pre_screen(&mut self, session: &PreScreen) -> PacketPreScreen {
        // Test and task titles are the company's, but run through the rules all the same.
        let title = |this: &mut Self, text: &Option<String>| {
            text.as_deref().map(|t| this.rewriter.rewrite(t, this.subjects).text)
        };
        PacketPreScreen {
            test: title(self, &session.test_title),
            date: session.finish.and_then(date_of),
            status: session.status.clone(),
            verification: session.verification.clone(),
            score: session.score,
            max_score: session.max_score,
            solved_tasks: session.solved_tasks,
            tasks: session
                .tasks
                .iter()
                .map(|t| PacketTask {
                    title: title(self, &t.title),
                    score: t.score,
                    max_score: t.max_score,
                })
                .collect(),
        }
    }

    /// Rewrite one field, counting its edits; each flag is settled as decided (a sensitive
    /// fact nobody decided on is withheld) and kept for the review file.
    fn rewrite(&mut self, text: &str, field: &str) -> String {
        let out = self.rewriter.rewrite(text, &self.author);
        for edit in &out.edits {
            *self.edits.entry(edit.rule.to_string()).or_default() += 1;
        }
        let mut shown = out.text.clone();
        // Right to left, so the spans still to come stay where they are.
        let mut flags: Vec<&crate::rewrite::Flag> = out.flags.iter().collect();
        flags.sort_by_key(|flag| std::cmp::Reverse(flag.span.start));
        let mut last_start = usize::MAX;
        let first = self.flags.len();
        let written_at = review::written_words(&out.edits);
        for flag in flags {
            // What the note said there: a flag may stand on words a rule already replaced.
            let written = written_at(flag.span.clone()).unwrap_or(&flag.text).to_string();
            let sentence = review::sentence_around(&out.text, flag.span.clone());
            let place = &self.place;
            let id = review::flag_id(&[
                self.label,
                &place.interview,
                &place.author,
                field,
                &flag.rule,
                &sentence,
            ]);
            let decision = self.decisions.and_then(|decided| decided.get(&id));
            // A sensitive fact is withheld until kept, even where a rule already rewrote its
            // words ("husband" -> "spouse" still tells a family status), and kept it reads as
            // rewritten: keeping the fact is not undoing the gender rule. A word that may be
            // a name is the other way round: a rule's replacement stands until a person keeps
            // the word as written.
            let sensitive = review::is_sensitive_fact(&flag.rule);
            let (instead, decided) = match decision {
                Some(Decision::Keep) if sensitive => (flag.text.clone(), Some("keep")),
                Some(Decision::Keep) => (written.clone(), Some("keep")),
                Some(Decision::Redact) => ("[redacted]".to_string(), Some("redact")),
                Some(Decision::Replace(words)) => (words.clone(), Some("replace")),
                None if !sensitive && flag.text != written => (flag.text.clone(), None),
                None => (review::placeholder(&flag.rule), None),
            };
            let fits = flag.span.end <= last_start
                && out.text.is_char_boundary(flag.span.start)
                && out.text.is_char_boundary(flag.span.end);
            if instead != flag.text && fits {
                shown.replace_range(flag.span.clone(), &instead);
                last_start = flag.span.start;
            }
            self.flags.push(ReviewItem {
                id,
                rule: flag.rule.to_string(),
                place: format!("{}, {field}", place.shown),
                text: written,
                sentence,
                shown: instead,
                decision: decided.map(str::to_string),
            });
        }
        // Settled right to left; listed as they read.
        self.flags[first..].reverse();
        shown
    }
}
