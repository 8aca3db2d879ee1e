//! Processing stored events, one at a time, on a plain thread (blocking HTTP never runs on
//! the server's async threads): fetch what the event names by id, and if it belongs to a
//! candidate under review, rebuild that candidate's packet as `packets` would, with the
//! same label. Logs carry event names, ids, labels and outcomes, never names or notes.

use std::collections::HashMap;

use super::event::{self, Kind};
use super::store::{DueEvent, Store, StoreError};
use crate::packet::{self, Batch, BatchSubjects, IndexEntry, InterviewerMode, Sources, read_index};
use crate::rewrite::Rewriter;
use crate::source::codesignal::{Client, FetchError, candidate_name, to_domain};
use crate::source::{Filter, Interview, LeftOut, PreScreen};
use crate::workspace::{MapEntry, Workspace};

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
    /// The packets and the private folder, held for the listener's lifetime: the lock keeps
    /// other runs from writing them meanwhile.
    pub workspace: Workspace,
    pub filter: Filter,
    pub interviewers: InterviewerMode,
    /// Refuse packets with flags, as `packets --strict`.
    pub strict: bool,
    /// The batch's subjects as last compiled, reused while nobody's name changes: compiling
    /// them is most of the work of an event.
    pub compiled: Option<Compiled>,
    /// The packets on the shelf as `index.md` lists them, read from the folder once and kept
    /// up to date as packets are written or withdrawn.
    pub listed: Option<Vec<IndexEntry>>,
    /// What the API said of the names the private map lacked, this run (`None`: it knows
    /// none), so each is asked for once.
    pub looked_up: HashMap<String, Option<String>>,
}

/// Every candidate compiled (those under review first), and the emails and names they were
/// compiled from.
pub struct Compiled {
    people: Vec<(String, Option<String>)>,
    /// Ids of the interviewers the subjects were compiled with.
    authors: Vec<String>,
    subjects: BatchSubjects,
}

impl Worker {
    pub fn process(&mut self, pending: &DueEvent) -> Outcome {
        let (name, _) = event::current_name(&pending.record.event);
        let id = pending.record.object_id.as_str();
        let fetch_failed = |what: &str, e: FetchError| Outcome::Retry(format!("fetching {what}: {}", e.summary()));
        match event::classify(name) {
            None => Outcome::Skipped("not an event blindfold acts on".into()),
            Some(Kind::Interview) => match self.client.interview(id) {
                // A record the API will send the same way again: retrying cannot help.
                Err(FetchError::Record(e)) => Outcome::Failed(e.summary()),
                Err(e) => fetch_failed("the interview", e),
                Ok(None) => Outcome::Skipped("the API knows no such interview".into()),
                Ok(Some(interview)) => match self.under_review(interview.candidate_email.as_deref()) {
                    Some(email) => self.rebuild(&email),
                    None => Outcome::Skipped("not a candidate under review".into()),
                },
            },
            Some(Kind::TestSession(verification)) => match self.client.test_session(id) {
                Err(e) => fetch_failed("the test session", e),
                Ok(None) => Outcome::Skipped("the API knows no such test session".into()),
                Ok(Some(mut session)) => {
                    let Some(email) = self.under_review(session.candidate_email.as_deref()) else {
                        return Outcome::Skipped("not a candidate under review".into());
                    };
                    let previous = self
                        .workspace
                        .pre_screens
                        .get(&session.session_id)
                        .map(|(kept, at)| (kept.verification.clone(), at));
                    // The session does not say how verification went; the events do. The
                    // newest event wins, whatever order retries bring them in.
                    let at = pending.record.triggered_on;
                    let verification_at = match (verification.as_str(), previous) {
                        (Some(_), Some((kept, kept_at))) if kept_at > at => {
                            session.verification = kept;
                            kept_at
                        }
                        (Some(v), _) => {
                            session.verification = Some(v.to_string());
                            at
                        }
                        (None, Some((kept, kept_at))) => {
                            session.verification = kept;
                            kept_at
                        }
                        (None, None) => 0,
                    };
                    if let Err(e) = self.workspace.pre_screens.keep(&email, session, verification_at) {
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

    /// Rebuild one candidate's packet from everything the API has on them now; the packet
    /// counts what the filter leaves out, as a batch run's does.
    fn rebuild(&mut self, email: &str) -> Outcome {
        let all = match self.client.interviews(Some(email)).map(to_domain) {
            Ok(Ok(all)) => all,
            Ok(Err(e)) => return Outcome::Failed(e.summary()),
            Err(e) => return Outcome::Retry(format!("fetching the candidate's interviews: {}", e.summary())),
        };
        let mut left_out = LeftOut::new(&self.filter);
        let interviews: Vec<Interview> = all
            .into_iter()
            .filter(|i| !left_out.count_rejected(i, &self.filter))
            .collect();
        let pre_screens = self.workspace.pre_screens.of(email);
        match self.write_packet(email, &interviews, left_out, &pre_screens) {
            Ok(label) => Outcome::Done(format!("packet {label} refreshed")),
            Err(Failure::Retry(message)) => Outcome::Retry(message),
            Err(Failure::Refused(message)) => Outcome::Failed(message),
        }
    }

    /// Every candidate's name, as the private map knows it or, failing that, as the API
    /// does: a name nobody asked for is a name that leaves other packets unrewritten.
    fn names(&mut self, own: usize, own_name: Option<String>) -> Result<Vec<Option<String>>, Failure> {
        let mapped: HashMap<&str, &str> = self
            .workspace
            .map
            .entries()
            .values()
            .filter_map(|entry| Some((entry.email.as_str(), entry.name.as_deref()?)))
            .collect();
        let mut names = Vec::with_capacity(self.candidates.len());
        for (i, email) in self.candidates.iter().enumerate() {
            let known = mapped.get(email.as_str()).map(|name| name.to_string());
            if i == own {
                names.push(own_name.clone().or(known));
            } else if known.is_some() {
                names.push(known);
            } else if let Some(answer) = self.looked_up.get(email) {
                names.push(answer.clone());
            } else {
                let raw = self
                    .client
                    .interviews(Some(email))
                    .map_err(|e| Failure::Retry(format!("fetching another candidate's name: {}", e.summary())))?;
                let name = candidate_name(raw);
                self.looked_up.insert(email.clone(), name.clone());
                names.push(name);
            }
        }
        Ok(names)
    }

    fn write_packet(
        &mut self,
        email: &str,
        interviews: &[Interview],
        left_out: LeftOut,
        pre_screens: &[PreScreen],
    ) -> Result<String, Failure> {
        let Some(index) = self.candidates.iter().position(|e| e == email) else {
            return Err(Failure::Refused("not a candidate under review".into()));
        };
        let own_name = interviews.iter().find_map(|i| i.candidate_name.clone());
        let names = self.names(index, own_name)?;
        let emails: Vec<&str> = self.candidates.iter().map(String::as_str).collect();
        let labels = self.workspace.map.labels(&emails);
        // The map learns every name found, so packets and audits elsewhere know them too.
        let mut learned = false;
        for ((email, name), label) in self.candidates.iter().zip(&names).zip(&labels) {
            let entry = MapEntry {
                email: email.clone(),
                name: name.clone(),
            };
            if (name.is_some() || email == &self.candidates[index])
                && self.workspace.map.entries().get(label) != Some(&entry)
            {
                self.workspace.map.record(label, entry);
                learned = true;
            }
        }
        if learned {
            self.workspace.map.save().map_err(|e| Failure::Retry(e.to_string()))?;
        }
        let authors = BatchSubjects::authors(interviews);
        let author_ids: Vec<String> = authors.iter().map(|a| a.id.clone()).collect();
        // After the candidates under review, every other one the private map knows: no
        // longer under review, still candidates, whose names must not reach a packet.
        let mut people: Vec<(String, Option<String>)> = self.candidates.iter().cloned().zip(names).collect();
        for entry in self.workspace.map.entries().values() {
            if entry.name.is_some() && !self.candidates.contains(&entry.email.to_lowercase()) {
                people.push((entry.email.clone(), entry.name.clone()));
            }
        }
        if self
            .compiled
            .as_ref()
            .is_none_or(|c| c.people != people || c.authors != author_ids)
        {
            let pairs = people.iter().map(|(e, n)| (e.as_str(), n.as_deref()));
            let subjects =
                BatchSubjects::compile(&self.rewriter, pairs, &authors).map_err(|e| Failure::Refused(e.to_string()))?;
            self.compiled = Some(Compiled {
                people,
                authors: author_ids,
                subjects,
            });
        }
        let Some(compiled) = &self.compiled else {
            return Err(Failure::Refused("the candidates could not be compiled".into()));
        };
        let label = labels[index].clone();
        let batch = Batch {
            rewriter: &self.rewriter,
            compiled: &compiled.subjects,
            emails: &compiled.emails(),
            interviewers: self.interviewers,
            strict: self.strict,
        };
        self.workspace
            .reload_decisions()
            .map_err(|e| Failure::Retry(e.to_string()))?;
        let sources = Sources {
            label: &label,
            interviews,
            left_out,
            pre_screens,
            decisions: self.workspace.decisions.of(&label),
        };
        let built = packet::build(&batch, index, &sources).map_err(|withheld| {
            // The message may name another candidate by email: logs show labels instead.
            let mut message = withheld.to_string();
            for (email, label) in self.candidates.iter().zip(&labels) {
                message = message.replace(email.as_str(), &format!("candidate {label}"));
            }
            for (label, entry) in self.workspace.map.entries() {
                message = message.replace(entry.email.as_str(), &format!("candidate {label}"));
            }
            message
        });
        let shelf = self.workspace.shelf();
        let listed = self.listed.get_or_insert_with(|| read_index(shelf.dir()));
        // Written or withdrawn, the index lists what the folder holds.
        shelf
            .publish_one(listed, &label, built.as_ref().ok())
            .map_err(|e| Failure::Retry(e.to_string()))?;
        let review = built.as_ref().ok().map(|packet| packet.review.clone());
        self.workspace
            .review
            .set(&label, review)
            .map_err(|e| Failure::Retry(e.to_string()))?;
        built.map(|_| label).map_err(Failure::Refused)
    }
}

impl Compiled {
    fn emails(&self) -> Vec<String> {
        self.people.iter().map(|(e, _)| e.clone()).collect()
    }
}

enum Failure {
    Retry(String),
    Refused(String),
}

/// Does this try count towards giving up? A drain's try before the event was due does not.
fn counts_as_attempt(pending: &DueEvent, now: i64) -> bool {
    pending.due_at <= now
}

/// The outcome to log and record: a retry past the last attempt is a failure.
pub fn settle(pending: &DueEvent, outcome: Outcome, now: i64) -> Outcome {
    match outcome {
        Outcome::Retry(m) if pending.attempts + i64::from(counts_as_attempt(pending, now)) >= MAX_ATTEMPTS => {
            Outcome::Failed(format!("gave up after {MAX_ATTEMPTS} attempts: {m}"))
        }
        other => other,
    }
}

/// Apply a settled outcome to the store: done, skipped, failed, or retried later.
pub fn record(store: &Store, pending: &DueEvent, outcome: &Outcome, now: i64) -> Result<(), StoreError> {
    use super::store::State;
    match outcome {
        Outcome::Done(m) => store.finish(pending.seq, State::Done, m),
        Outcome::Skipped(m) => store.finish(pending.seq, State::Skipped, m),
        Outcome::Failed(m) => store.finish(pending.seq, State::Failed, m),
        Outcome::Retry(m) => {
            let counted = counts_as_attempt(pending, now);
            let due = if counted {
                now + retry_delay_ms(pending.attempts)
            } else {
                pending.due_at
            };
            store.retry_at(pending.seq, due, m, counted)
        }
    }
}

/// Attempts at one event before it is marked failed: with [`retry_delay_ms`], about three
/// days of trying, so an outage over a weekend loses nothing (CodeSignal, once answered 200,
/// never sends the event again). `listen --retry-failed` puts failed events back.
pub const MAX_ATTEMPTS: i64 = 80;

/// 30 s, 1 min, 2 min... then hourly.
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
            record(&store, &pending, &settle(&pending, down.clone(), now), now).unwrap();
            assert_eq!(store.next_due(now, false, 0).unwrap(), None, "attempt {attempt} waits");
            // A drain tries it before it is due: that try neither counts nor moves the time.
            let early = store.next_due(now, true, 0).unwrap().unwrap();
            record(&store, &early, &settle(&early, down.clone(), now), now).unwrap();
            let after = store.next_due(now, true, 0).unwrap().unwrap();
            assert_eq!((after.attempts, after.due_at), (attempt, early.due_at));
            now = store.next_due_at().unwrap().unwrap();
        }
        assert!(
            now > 3 * 86_400_000,
            "the last try comes after three days, not {now} ms"
        );
        let last = store.next_due(now, false, 0).unwrap().unwrap();
        assert_eq!(last.attempts, MAX_ATTEMPTS - 1);
        let given_up = settle(&last, down.clone(), now);
        assert!(
            matches!(&given_up, Outcome::Failed(m) if m.starts_with("gave up after 80 attempts")),
            "{given_up:?}"
        );
        record(&store, &last, &given_up, now).unwrap();
        let counts = store.counts().unwrap();
        assert_eq!((counts.pending, counts.failed), (0, 1));
        assert_eq!(store.requeue_failed().unwrap(), 1);
        let again = store.next_due(now, false, 0).unwrap().unwrap();
        assert_eq!((again.attempts, again.due_at), (0, 0), "requeued as new");
    }
}
