//! Processing stored events, one at a time, on a plain thread (blocking HTTP never runs on
//! the server's async threads): fetch what the event names by id, and if it belongs to a
//! candidate under review, rebuild that candidate's packet as `packets` would, with the
//! same label. Logs carry event names, ids, labels and outcomes, never names or notes.

use std::path::PathBuf;

use super::event::{self, Kind};
use super::store::{Pending, Store, StoreError};
use crate::files::sync_dir;
use crate::packet::{self, Batch, InterviewerMode, PrivateDir, PrivateEntry, read_index, render_index};
use crate::rewrite::{Rewriter, Role, SubjectSpec, Subjects};
use crate::source::codesignal::{Client, to_domain};
use crate::source::{Filter, Interview};

/// What became of an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Done(String),
    Skipped(String),
    /// Worth another try later (the API was down, rate-limited...).
    Retry(String),
    Failed(String),
}

/// Everything a rebuild needs, owned by the worker thread.
pub struct Worker {
    pub client: Client,
    pub rewriter: Rewriter,
    /// The candidates under review, lowercased emails.
    pub candidates: Vec<String>,
    pub out: PathBuf,
    pub private: PrivateDir,
    pub filter: Filter,
    pub interviewers: InterviewerMode,
    pub store: Store,
    /// The batch's subjects as last compiled, reused while nobody's name changes: compiling
    /// them is most of the work of an event.
    pub compiled: Option<Compiled>,
}

/// Every candidate under review compiled for rewriting and for the audit, and the names
/// they were compiled from.
pub struct Compiled {
    names: Vec<Option<String>>,
    subjects: Subjects,
    identifiers: Subjects,
}

impl Worker {
    pub fn process(&mut self, pending: &Pending) -> Outcome {
        let (name, _) = event::current_name(&pending.record.event);
        let id = pending.record.object_id.as_str();
        match event::classify(name) {
            None => Outcome::Skipped("not an event blindfold acts on".into()),
            Some(Kind::Interview) => match self.client.interview(id) {
                Err(e) => Outcome::Retry(format!("fetching the interview: {e}")),
                Ok(None) => Outcome::Skipped("the API knows no such interview".into()),
                Ok(Some(interview)) => match self.under_review(interview.candidate_email.as_deref()) {
                    Some(email) => self.rebuild(&email),
                    None => Outcome::Skipped("not a candidate under review".into()),
                },
            },
            Some(Kind::TestSession(verification)) => match self.client.test_session(id) {
                Err(e) => Outcome::Retry(format!("fetching the test session: {e}")),
                Ok(None) => Outcome::Skipped("the API knows no such test session".into()),
                Ok(Some(mut session)) => {
                    let Some(email) = self.under_review(session.candidate_email.as_deref()) else {
                        return Outcome::Skipped("not a candidate under review".into());
                    };
                    // A verification event says what the session does not: keep the last one.
                    session.verification = match verification.as_str() {
                        Some(v) => Some(v.to_string()),
                        None => match self.store.pre_screen(&session.session_id) {
                            Ok(previous) => previous.and_then(|p| p.verification),
                            Err(e) => return Outcome::Retry(e.to_string()),
                        },
                    };
                    if let Err(e) = self.store.save_pre_screen(&email, &session) {
                        return Outcome::Retry(e.to_string());
                    }
                    self.rebuild(&email)
                }
            },
        }
    }

    fn under_review(&self, email: Option<&str>) -> Option<String> {
        let email = email?.trim().to_lowercase();
        self.candidates.contains(&email).then_some(email)
    }

    /// Rebuild one candidate's packet from everything the API has on them now.
    fn rebuild(&mut self, email: &str) -> Outcome {
        let interviews: Vec<Interview> = match self.client.interviews(Some(email)) {
            Ok(raw) => to_domain(raw).into_iter().filter(|i| self.filter.accepts(i)).collect(),
            Err(e) => return Outcome::Retry(format!("fetching the candidate's interviews: {e}")),
        };
        let pre_screens = match self.store.pre_screens_of(email) {
            Ok(p) => p,
            Err(e) => return Outcome::Retry(e.to_string()),
        };
        match self.write_packet(email, &interviews, &pre_screens) {
            Ok(label) => Outcome::Done(format!("packet {label} refreshed")),
            Err(Failure::Retry(message)) => Outcome::Retry(message),
            Err(Failure::Refused(message)) => Outcome::Failed(message),
        }
    }

    fn write_packet(
        &mut self,
        email: &str,
        interviews: &[Interview],
        pre_screens: &[crate::source::PreScreen],
    ) -> Result<String, Failure> {
        // The batch is every candidate under review, named as the private map (or these
        // interviews) knows them: their names leave this packet too.
        let known = |e: &str| -> Option<String> {
            self.private
                .entries()
                .values()
                .find(|entry| entry.email == e)
                .and_then(|entry| entry.name.clone())
        };
        let own_name = interviews
            .iter()
            .find_map(|i| i.candidate_name.clone())
            .or_else(|| known(email));
        let names: Vec<Option<String>> = self
            .candidates
            .iter()
            .map(|e| if e == email { own_name.clone() } else { known(e) })
            .collect();
        if self.compiled.as_ref().is_none_or(|c| c.names != names) {
            let specs: Vec<SubjectSpec> = self
                .candidates
                .iter()
                .zip(&names)
                .map(|(e, name)| SubjectSpec {
                    role: Role::OtherCandidate,
                    name: name.clone(),
                    email: Some(e.clone()),
                    label: None,
                })
                .collect();
            let refused = |e: crate::rewrite::SubjectError| Failure::Refused(e.to_string());
            self.compiled = Some(Compiled {
                subjects: self.rewriter.subjects(&specs).map_err(refused)?,
                identifiers: self.rewriter.audit_subjects(&specs).map_err(refused)?,
                names,
            });
        }
        let Some(compiled) = &self.compiled else {
            return Err(Failure::Refused("the candidates could not be compiled".into()));
        };
        let emails: Vec<&str> = self.candidates.iter().map(String::as_str).collect();
        let labels = self.private.labels(&emails);
        let Some(index) = self.candidates.iter().position(|e| e == email) else {
            return Err(Failure::Refused("not a candidate under review".into()));
        };
        let label = labels[index].clone();
        self.private.record(
            &label,
            PrivateEntry {
                email: email.to_string(),
                name: own_name,
            },
        );
        self.private.save().map_err(|e| Failure::Retry(e.to_string()))?;
        let batch = Batch {
            rewriter: &self.rewriter,
            subjects: &compiled.subjects,
            identifiers: &compiled.identifiers,
            emails: &self.candidates,
            interviewers: self.interviewers,
            strict: false,
        };
        let rendered = match packet::build(&batch, index, &label, interviews, pre_screens) {
            Ok(rendered) => rendered,
            Err(message) => {
                packet::remove(&self.out, &label);
                return Err(Failure::Refused(message));
            }
        };
        rendered.write(&self.out).map_err(Failure::Retry)?;
        let index_text = render_index(&read_index(&self.out));
        crate::files::write_private(&self.out.join("index.md"), index_text.as_bytes())
            .map_err(|e| Failure::Retry(format!("index.md: {e}")))?;
        sync_dir(&self.out).map_err(|e| Failure::Retry(e.to_string()))?;
        Ok(label)
    }
}

enum Failure {
    Retry(String),
    Refused(String),
}

/// Apply an outcome to the store: done, skipped, failed, or retried later with a backoff.
pub fn record(store: &Store, pending: &Pending, outcome: &Outcome, now: i64) -> Result<(), StoreError> {
    use super::store::State;
    match outcome {
        Outcome::Done(m) => store.finish(pending.seq, State::Done, m),
        Outcome::Skipped(m) => store.finish(pending.seq, State::Skipped, m),
        Outcome::Failed(m) => store.finish(pending.seq, State::Failed, m),
        Outcome::Retry(m) if pending.attempts + 1 >= MAX_ATTEMPTS => store.finish(
            pending.seq,
            State::Failed,
            &format!("gave up after {MAX_ATTEMPTS} attempts: {m}"),
        ),
        Outcome::Retry(m) => store.retry_at(pending.seq, now + retry_delay_ms(pending.attempts), m),
    }
}

/// Attempts at one event before it is marked failed.
pub const MAX_ATTEMPTS: i64 = 10;

/// 30 s, 1 min, 2 min... capped at an hour: about seven hours in all.
fn retry_delay_ms(attempts: i64) -> i64 {
    (30_000_i64 << attempts.clamp(0, 7)).min(3_600_000)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::listen::store::Record;

    #[test]
    fn retries_back_off_then_give_up() {
        assert_eq!(
            (0..9).map(retry_delay_ms).collect::<Vec<_>>(),
            [
                30_000, 60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000, 3_600_000, 3_600_000
            ]
        );
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("w.sqlite")).unwrap();
        let event = Record {
            event: "liveInterviewFinished".into(),
            object_id: "li1".into(),
            triggered_on: 1,
        };
        store.insert_batch(&[event], 0).unwrap();
        let down = Outcome::Retry("the API is down".into());
        let mut now = 0;
        for attempt in 1..MAX_ATTEMPTS {
            let pending = store.next_due(now, false, 0).unwrap().unwrap();
            record(&store, &pending, &down, now).unwrap();
            assert_eq!(store.next_due(now, false, 0).unwrap(), None, "attempt {attempt} waits");
            now = store.next_due_at().unwrap().unwrap();
        }
        let last = store.next_due(now, false, 0).unwrap().unwrap();
        assert_eq!(last.attempts, MAX_ATTEMPTS - 1);
        record(&store, &last, &down, now).unwrap();
        let counts = store.counts().unwrap();
        assert_eq!((counts.pending, counts.failed), (0, 1));
    }
}
