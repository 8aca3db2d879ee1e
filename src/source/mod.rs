//! Where interviews come from: CodeSignal's GraphQL API ([`codesignal`]) or an export file
//! ([`export`]). Both give the project's own domain types below. Of the generated GraphQL
//! types, only the raw interview record leaves `codesignal`, to be saved and read back as
//! an export file; nothing decides anything on it.

pub mod codesignal;
pub mod export;

use std::collections::BTreeMap;
use std::fmt;

use time::OffsetDateTime;

/// A live interview, as much of it as a packet may need.
#[derive(Debug, Clone, PartialEq)]
pub struct Interview {
    pub id: String,
    pub candidate_email: Option<String>,
    pub candidate_name: Option<String>,
    pub status: InterviewStatus,
    /// Milliseconds since the Unix epoch.
    pub start: Option<i64>,
    pub finish: Option<i64>,
    pub feedback: Vec<Feedback>,
    /// Where in the API's `interviewersFeedback` feedback was left out for having no author
    /// (the API may send null): a note nobody can be shown to have written is in no packet.
    pub feedback_without_author: Vec<usize>,
}

impl Interview {
    /// The candidate's email as packets group by it: trimmed, lowercased, `None` if empty.
    pub fn candidate_key(&self) -> Option<String> {
        self.candidate_email
            .as_deref()
            .map(|e| e.trim().to_lowercase())
            .filter(|e| !e.is_empty())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum InterviewStatus {
    Pending,
    Active,
    Over,
    Deleted,
    Archived,
    /// A status this version does not know: kept, never a decoding error.
    Other(String),
}

impl InterviewStatus {
    pub fn as_str(&self) -> &str {
        match self {
            InterviewStatus::Pending => "pending",
            InterviewStatus::Active => "active",
            InterviewStatus::Over => "over",
            InterviewStatus::Deleted => "deleted",
            InterviewStatus::Archived => "archived",
            InterviewStatus::Other(other) => other,
        }
    }

    pub fn parse(s: &str) -> InterviewStatus {
        match s {
            "pending" => InterviewStatus::Pending,
            "active" => InterviewStatus::Active,
            "over" => InterviewStatus::Over,
            "deleted" => InterviewStatus::Deleted,
            "archived" => InterviewStatus::Archived,
            other => InterviewStatus::Other(other.to_string()),
        }
    }
}

impl fmt::Display for InterviewStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One interviewer's feedback on an interview.
#[derive(Debug, Clone, PartialEq)]
pub struct Feedback {
    pub interviewer: Interviewer,
    pub notes: String,
    pub categories: Vec<Category>,
    pub recommended_level: Option<String>,
    pub evaluation: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interviewer {
    pub id: String,
    pub username: String,
    /// May be hidden by the interviewer's privacy settings.
    pub name: Option<String>,
    pub email: Option<String>,
}

impl Interviewer {
    /// How the interviewer is shown: their name, or their username when it is hidden.
    pub fn display_name(&self) -> &str {
        self.name
            .as_deref()
            .filter(|n| !n.trim().is_empty())
            .unwrap_or(&self.username)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Category {
    pub name: Option<String>,
    pub attributes: Vec<Attribute>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Attribute {
    pub name: Option<String>,
    pub score: Option<i64>,
    pub notes: Option<String>,
}

/// A pre-screen result: one candidate's session of a company test.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PreScreen {
    pub session_id: String,
    pub candidate_email: Option<String>,
    pub test_title: Option<String>,
    pub status: Option<String>,
    pub score: Option<i64>,
    pub max_score: Option<i64>,
    pub solved_tasks: Option<i64>,
    pub tasks: Vec<PreScreenTask>,
    /// Milliseconds since the epoch.
    pub finish: Option<i64>,
    /// As the last verification event said: "verified", "not verified", "pending".
    pub verification: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PreScreenTask {
    pub title: Option<String>,
    pub score: Option<i64>,
    pub max_score: Option<i64>,
}

/// Which interviews a run is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    /// These candidates, by email.
    Candidates(Vec<String>),
    /// Every candidate with an interview in the date range.
    All,
}

/// Filters applied on our side: the API has none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    /// Only interviews in this status (`None`: any).
    pub status: Option<InterviewStatus>,
    /// Inclusive bounds, milliseconds since the epoch, on the start date (or the finish date
    /// when the start is missing).
    pub since: Option<i64>,
    pub until: Option<i64>,
}

impl Filter {
    pub fn accepts(&self, interview: &Interview) -> bool {
        self.rejects(interview).is_none()
    }

    /// Why the filter leaves this interview out, if it does: its status first.
    pub fn rejects(&self, interview: &Interview) -> Option<Rejection> {
        if self.status.as_ref().is_some_and(|s| *s != interview.status) {
            return Some(Rejection::Status);
        }
        if self.since.is_none() && self.until.is_none() {
            return None;
        }
        let Some(when) = interview.start.or(interview.finish) else {
            return Some(Rejection::Dates); // no date: cannot be shown to be in the range
        };
        let inside = self.since.is_none_or(|s| when >= s) && self.until.is_none_or(|u| when <= u);
        (!inside).then_some(Rejection::Dates)
    }
}

/// Why a filter leaves an interview out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rejection {
    /// Not in the status asked for.
    Status,
    /// Outside the dates asked for, or without a date when dates were asked for.
    Dates,
}

/// What a packet leaves out of a candidate's interviews, counted by why, so the committee
/// knows the packet is not all there is. Counts and statuses only: nothing that names
/// anyone or points at an interview.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct LeftOut {
    /// The status the run asked for (`--status`), to say what the others are not.
    #[serde(skip)]
    pub status_wanted: Option<String>,
    /// Interviews in another status, counted by their status.
    pub status: BTreeMap<String, usize>,
    /// Interviews outside the dates asked for.
    pub outside_dates: usize,
    /// Interviews nobody has written feedback on.
    pub without_feedback: usize,
    /// Feedback notes without an author.
    pub feedback_without_author: usize,
}

impl LeftOut {
    /// Nothing left out yet, by a run with this filter.
    pub fn new(filter: &Filter) -> LeftOut {
        LeftOut {
            status_wanted: filter.status.as_ref().map(|s| s.as_str().to_string()),
            ..LeftOut::default()
        }
    }

    /// Count the interview if the filter leaves it out; whether it does.
    pub fn count_rejected(&mut self, interview: &Interview, filter: &Filter) -> bool {
        match filter.rejects(interview) {
            None => false,
            Some(Rejection::Status) => {
                *self.status.entry(interview.status.as_str().to_string()).or_default() += 1;
                true
            }
            Some(Rejection::Dates) => {
                self.outside_dates += 1;
                true
            }
        }
    }

    /// Interviews left out, for any reason.
    pub fn interviews(&self) -> usize {
        self.not_in_status() + self.outside_dates + self.without_feedback
    }

    pub fn not_in_status(&self) -> usize {
        self.status.values().sum()
    }

    pub fn is_empty(&self) -> bool {
        self.interviews() == 0 && self.feedback_without_author == 0
    }

    pub fn add(&mut self, other: &LeftOut) {
        for (status, n) in &other.status {
            *self.status.entry(status.clone()).or_default() += n;
        }
        self.outside_dates += other.outside_dates;
        self.without_feedback += other.without_feedback;
        self.feedback_without_author += other.feedback_without_author;
        if self.status_wanted.is_none() {
            self.status_wanted.clone_from(&other.status_wanted);
        }
    }
}

/// The interviews of one candidate, and how the run found them.
#[derive(Debug, Clone, PartialEq)]
pub struct CandidateInterviews {
    /// As the selection or the API spells it, lowercased.
    pub email: String,
    /// The name the interviews give, if any.
    pub name: Option<String>,
    pub interviews: Vec<Interview>,
}

/// Group interviews by candidate email (lowercased), in email order; interviews without an
/// email are returned apart, since no packet can be made for them.
pub fn group_by_candidate(interviews: Vec<Interview>) -> (Vec<CandidateInterviews>, Vec<Interview>) {
    let mut by_email: BTreeMap<String, CandidateInterviews> = BTreeMap::new();
    let mut orphans = Vec::new();
    for interview in interviews {
        let Some(email) = interview.candidate_key() else {
            orphans.push(interview);
            continue;
        };
        let entry = by_email.entry(email.clone()).or_insert_with(|| CandidateInterviews {
            email,
            name: None,
            interviews: Vec::new(),
        });
        if entry.name.is_none() {
            entry.name = interview.candidate_name.clone().filter(|n| !n.trim().is_empty());
        }
        entry.interviews.push(interview);
    }
    (by_email.into_values().collect(), orphans)
}

/// Keep the first interview of each id: pages may overlap when interviews are added while
/// paging, and the API's order is undocumented.
pub fn dedupe_by_id(interviews: &mut Vec<Interview>) {
    let mut seen = std::collections::HashSet::new();
    interviews.retain(|i| seen.insert(i.id.clone()));
}

/// `YYYY-MM-DD` of a timestamp (UTC), for packets.
pub fn date_of(ms: i64) -> Option<String> {
    let when = OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).ok()?;
    let format = time::macros::format_description!("[year]-[month]-[day]");
    when.format(&format).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn interview(id: &str, email: Option<&str>, status: InterviewStatus, start: Option<i64>) -> Interview {
        Interview {
            id: id.into(),
            candidate_email: email.map(Into::into),
            candidate_name: None,
            status,
            start,
            finish: None,
            feedback: Vec::new(),
            feedback_without_author: Vec::new(),
        }
    }

    #[test]
    fn filters_by_status_and_dates() {
        let filter = Filter {
            status: Some(InterviewStatus::Over),
            since: Some(1_000),
            until: Some(2_000),
        };
        assert!(filter.accepts(&interview("a", None, InterviewStatus::Over, Some(1_500))));
        assert!(!filter.accepts(&interview("b", None, InterviewStatus::Active, Some(1_500))));
        assert!(!filter.accepts(&interview("c", None, InterviewStatus::Over, Some(2_001))));
        assert!(!filter.accepts(&interview("d", None, InterviewStatus::Over, None)));
    }

    #[test]
    fn counts_what_the_filter_leaves_out_by_why() {
        let filter = Filter {
            status: Some(InterviewStatus::Over),
            since: Some(1_000),
            until: None,
        };
        let mut left_out = LeftOut::new(&filter);
        let other = InterviewStatus::Other("cancelled".into());
        for (status, start) in [
            (InterviewStatus::Over, Some(1_500)),
            (InterviewStatus::Pending, Some(1_500)),
            (other.clone(), None),
            (other, Some(1_500)),
            (InterviewStatus::Over, Some(10)),
        ] {
            left_out.count_rejected(&interview("x", None, status, start), &filter);
        }
        assert_eq!(left_out.status_wanted.as_deref(), Some("over"));
        assert_eq!(
            left_out.status.into_iter().collect::<Vec<_>>(),
            [("cancelled".to_string(), 2), ("pending".to_string(), 1)]
        );
        assert_eq!(left_out.outside_dates, 1);
    }

    #[test]
    fn groups_by_lowercased_email_and_sets_orphans_apart() {
        let (groups, orphans) = group_by_candidate(vec![
            interview("1", Some("A@x.com"), InterviewStatus::Over, None),
            interview("2", Some("a@x.com "), InterviewStatus::Over, None),
            interview("3", None, InterviewStatus::Over, None),
        ]);
        assert_eq!(groups.len(), 1);
        assert_eq!(groups[0].email, "a@x.com");
        assert_eq!(groups[0].interviews.len(), 2);
        assert_eq!(orphans.len(), 1);
    }

    #[test]
    fn formats_dates_in_utc() {
        assert_eq!(date_of(1_762_041_600_000).as_deref(), Some("2025-11-02"));
    }
}
