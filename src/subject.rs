//! Who a text is about: the people whose names a rewrite must handle, as the caller gives
//! them. A leaf module: the rule files (examples name their subjects) and the engine both
//! read it, neither owns it.

use serde::{Deserialize, Serialize};

/// Who a person is to the packet being written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The person the packet is about: "the candidate".
    Candidate,
    /// Someone else of the same batch: "another candidate".
    OtherCandidate,
    /// Someone who interviews: kept as written, unless a `label` stands in for them.
    Interviewer,
}

impl Role {
    /// Candidates' names must never survive; an interviewer's may.
    pub fn is_candidate(self) -> bool {
        matches!(self, Role::Candidate | Role::OtherCandidate)
    }
}

/// A person whose names the rewrite handles, as given by the caller.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubjectSpec {
    pub role: Role,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// What replaces the name (e.g. a packet label, "Interviewer 2"); defaults to the
    /// role's phrase, and for an interviewer to the name as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SubjectError {
    #[error("subject {index}: needs a `name` or an `email`")]
    Empty { index: usize },
    #[error("subject {index}: its label would itself name the subject")]
    LabelNamesSubject { index: usize },
}
