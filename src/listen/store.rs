//! The durable queue of webhook events (SQLite): an event is answered 200 only once its row is
//! committed to disk, and processed from here afterwards, so a crash loses nothing. The key
//! (event, object id, triggeredOn) makes CodeSignal's retries of one event a single row.
//! Only that key is kept: the body, which names the candidate, is never stored.

use std::path::Path;

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

#[derive(Debug, thiserror::Error)]
#[error("{path}: {source}")]
pub struct StoreError {
    pub path: String,
    #[source]
    pub source: rusqlite::Error,
}

/// An event to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// As sent (legacy names included): part of the key, as the signature covers it.
    pub event: String,
    pub object_id: String,
    pub triggered_on: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Insert {
    Stored,
    /// Already stored (a retry of the same event): processed once, answered 200 again.
    Duplicate,
    /// One signature (event + triggeredOn) already brought [`MAX_IDS_PER_SIGNATURE`] ids:
    /// the id is not signed, so this is someone replaying a captured signature.
    Replay,
}

/// How many objects one (event, triggeredOn) may name. CodeSignal sends one event per
/// change; a few events of one kind in the same millisecond are possible, hundreds are not.
pub const MAX_IDS_PER_SIGNATURE: i64 = 16;

/// A stored event waiting to be processed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueEvent {
    pub seq: i64,
    pub record: Record,
    pub attempts: i64,
    /// When the next attempt is due (0: at once), milliseconds since the epoch.
    pub due_at: i64,
}

/// Where processing left an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Done,
    /// Nothing to do: not a candidate under review, no such interview...
    Skipped,
    /// Given up: the log says why.
    Failed,
}

impl State {
    fn as_str(self) -> &'static str {
        match self {
            State::Done => "done",
            State::Skipped => "skipped",
            State::Failed => "failed",
        }
    }
}

/// Events by state, for logs, `--drain` and tests.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub pending: i64,
    pub done: i64,
    pub skipped: i64,
    pub failed: i64,
}

/// Name the store in an error.
fn at(path: &str) -> impl Fn(rusqlite::Error) -> StoreError + Copy + '_ {
    move |source| StoreError {
        path: path.to_string(),
        source,
    }
}

pub struct Store {
    conn: Connection,
    path: String,
}

impl Store {
    /// Open (or create, mode 0600) the store at `path`.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let name = path.display().to_string();
        let error = |source| StoreError {
            path: name.clone(),
            source,
        };
        let conn = Connection::open(path).map_err(error)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
        }
        // WAL lets the receiver write while the worker reads; FULL makes each commit durable
        // before the receiver answers 200.
        conn.pragma_update(None, "journal_mode", "WAL").map_err(error)?;
        conn.pragma_update(None, "synchronous", "FULL").map_err(error)?;
        conn.busy_timeout(std::time::Duration::from_secs(10)).map_err(error)?;
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS events (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                event TEXT NOT NULL,
                object_id TEXT NOT NULL,
                triggered_on INTEGER NOT NULL,
                received_at INTEGER NOT NULL,
                state TEXT NOT NULL DEFAULT 'pending',
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at INTEGER NOT NULL DEFAULT 0,
                outcome TEXT,
                UNIQUE (event, object_id, triggered_on)
            );
            CREATE INDEX IF NOT EXISTS events_pending ON events (state, next_attempt_at, seq);
            CREATE INDEX IF NOT EXISTS events_signature ON events (event, triggered_on);
            -- One row, rewritten to learn whether the store can be written again.
            CREATE TABLE IF NOT EXISTS probe (id INTEGER PRIMARY KEY CHECK (id = 1), at INTEGER NOT NULL);",
        )
        .map_err(error)?;
        Ok(Store { conn, path: name })
    }

    fn error(&self, source: rusqlite::Error) -> StoreError {
        at(&self.path)(source)
    }

    /// IMMEDIATE takes the write lock up front, waiting out another writer (busy_timeout),
    /// rather than failing when a read in the transaction turns into a write.
    fn write_transaction(&mut self) -> Result<rusqlite::Transaction<'_>, StoreError> {
        let path = self.path.clone();
        self.conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(at(&path))
    }

    /// Store events in one transaction: one flush to disk for the lot.
    pub fn insert_batch(&mut self, records: &[Record], now: i64) -> Result<Vec<Insert>, StoreError> {
        let path = self.path.clone();
        let error = at(&path);
        let tx = self.write_transaction()?;
        let mut results = Vec::with_capacity(records.len());
        {
            let mut ids = tx
                .prepare_cached(
                    "SELECT COUNT(*), COALESCE(SUM(object_id = ?3), 0) FROM events WHERE event = ?1 AND triggered_on = ?2",
                )
                .map_err(error)?;
            let mut insert = tx
                .prepare_cached(
                    "INSERT INTO events (event, object_id, triggered_on, received_at) VALUES (?1, ?2, ?3, ?4)",
                )
                .map_err(error)?;
            for r in records {
                let (named, this_one): (i64, i64) = ids
                    .query_row(params![r.event, r.triggered_on, r.object_id], |row| {
                        Ok((row.get(0)?, row.get(1)?))
                    })
                    .map_err(error)?;
                results.push(if this_one > 0 {
                    Insert::Duplicate
                } else if named >= MAX_IDS_PER_SIGNATURE {
                    Insert::Replay
                } else {
                    insert
                        .execute(params![r.event, r.object_id, r.triggered_on, now])
                        .map_err(error)?;
                    Insert::Stored
                });
            }
        }
        tx.commit().map_err(error)?;
        Ok(results)
    }

    /// Can the store be written? A real write, so a full disk says so.
    pub fn probe(&self, now: i64) -> Result<(), StoreError> {
        self.conn
            .execute("INSERT OR REPLACE INTO probe (id, at) VALUES (1, ?1)", [now])
            .map(|_| ())
            .map_err(|e| self.error(e))
    }

    /// How long a write waits for another connection's lock before it fails (tests only:
    /// a lock held elsewhere stands in for a disk that refuses writes).
    #[cfg(test)]
    pub fn wait_for_lock(&self, wait: std::time::Duration) {
        self.conn.busy_timeout(wait).unwrap();
    }

    /// The oldest event due for processing after `after` (with `any_time`, retries not yet
    /// due too: a drain tries every pending event once, in order).
    pub fn next_due(&self, now: i64, any_time: bool, after: i64) -> Result<Option<DueEvent>, StoreError> {
        self.conn
            .query_row(
                "SELECT seq, event, object_id, triggered_on, attempts, next_attempt_at FROM events
                 WHERE state = 'pending' AND (?1 OR next_attempt_at <= ?2) AND seq > ?3 ORDER BY seq LIMIT 1",
                params![any_time, now, after],
                |row| {
                    Ok(DueEvent {
                        seq: row.get(0)?,
                        record: Record {
                            event: row.get(1)?,
                            object_id: row.get(2)?,
                            triggered_on: row.get(3)?,
                        },
                        attempts: row.get(4)?,
                        due_at: row.get(5)?,
                    })
                },
            )
            .optional()
            .map_err(|e| self.error(e))
    }

    /// When the next pending event is due, if any is pending.
    pub fn next_due_at(&self) -> Result<Option<i64>, StoreError> {
        self.conn
            .query_row(
                "SELECT MIN(next_attempt_at) FROM events WHERE state = 'pending'",
                [],
                |row| row.get(0),
            )
            .map_err(|e| self.error(e))
    }

    pub fn finish(&self, seq: i64, state: State, outcome: &str) -> Result<(), StoreError> {
        self.conn
            .execute(
                "UPDATE events SET state = ?2, outcome = ?3, attempts = attempts + 1 WHERE seq = ?1",
                params![seq, state.as_str(), outcome],
            )
            .map(|_| ())
            .map_err(|e| self.error(e))
    }

    /// Try again at `at`; `counted`: this try counts towards giving up (a drain's try before
    /// the retry was due does not).
    pub fn retry_at(&self, seq: i64, at: i64, outcome: &str, counted: bool) -> Result<(), StoreError> {
        self.conn
            .execute(
                "UPDATE events SET attempts = attempts + ?4, next_attempt_at = ?2, outcome = ?3 WHERE seq = ?1",
                params![seq, at, outcome, i64::from(counted)],
            )
            .map(|_| ())
            .map_err(|e| self.error(e))
    }

    /// Put the events given up on back in the queue, as new; how many.
    pub fn requeue_failed(&self) -> Result<usize, StoreError> {
        self.conn
            .execute(
                "UPDATE events SET state = 'pending', attempts = 0, next_attempt_at = 0 WHERE state = 'failed'",
                [],
            )
            .map_err(|e| self.error(e))
    }

    pub fn counts(&self) -> Result<Counts, StoreError> {
        let mut counts = Counts::default();
        let mut query = self
            .conn
            .prepare("SELECT state, COUNT(*) FROM events GROUP BY state")
            .map_err(|e| self.error(e))?;
        let rows = query
            .query_map([], |row| Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?)))
            .map_err(|e| self.error(e))?;
        for row in rows {
            let (state, n) = row.map_err(|e| self.error(e))?;
            match state.as_str() {
                "pending" => counts.pending = n,
                "done" => counts.done = n,
                "skipped" => counts.skipped = n,
                _ => counts.failed += n,
            }
        }
        Ok(counts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(event: &str, id: &str, at: i64) -> Record {
        Record {
            event: event.into(),
            object_id: id.into(),
            triggered_on: at,
        }
    }

    #[test]
    fn retries_of_one_event_are_one_row_processed_once() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("w.sqlite")).unwrap();
        let a = record("liveInterviewFinished", "li1", 100);
        let results = store
            .insert_batch(&[a.clone(), a.clone(), record("liveInterviewFinished", "li1", 101)], 1)
            .unwrap();
        assert_eq!(results, [Insert::Stored, Insert::Duplicate, Insert::Stored]);
        let first = store.next_due(0, false, 0).unwrap().unwrap();
        assert_eq!(first.record, a);
        store.finish(first.seq, State::Done, "ok").unwrap();
        assert_eq!(
            store.insert_batch(&[a], 2).unwrap(),
            [Insert::Duplicate],
            "a retry after processing"
        );
        let second = store.next_due(0, false, 0).unwrap().unwrap();
        store.retry_at(second.seq, 500, "API down", true).unwrap();
        assert_eq!(store.next_due(100, false, 0).unwrap(), None, "not due yet");
        assert_eq!(store.next_due(100, true, 0).unwrap().map(|p| p.attempts), Some(1));
        assert_eq!(
            store.counts().unwrap(),
            Counts {
                pending: 1,
                done: 1,
                skipped: 0,
                failed: 0
            }
        );
    }

    #[test]
    fn survives_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.sqlite");
        Store::open(&path)
            .unwrap()
            .insert_batch(&[record("e", "1", 1)], 1)
            .unwrap();
        assert!(Store::open(&path).unwrap().next_due(0, false, 0).unwrap().is_some());
    }

    #[test]
    fn one_signature_names_a_bounded_number_of_ids() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("w.sqlite")).unwrap();
        let many: Vec<Record> = (0..MAX_IDS_PER_SIGNATURE + 2)
            .map(|i| record("liveInterviewFinished", &format!("li{i}"), 7))
            .collect();
        let results = store.insert_batch(&many, 1).unwrap();
        let stored = results.iter().filter(|r| **r == Insert::Stored).count();
        assert_eq!(stored as i64, MAX_IDS_PER_SIGNATURE);
        assert_eq!(results[results.len() - 1], Insert::Replay);
        assert_eq!(
            store.insert_batch(&[many[0].clone()], 2).unwrap(),
            [Insert::Duplicate],
            "a retry of a stored one is still a duplicate"
        );
        assert_eq!(
            store
                .insert_batch(&[record("liveInterviewFinished", "li99", 8)], 2)
                .unwrap(),
            [Insert::Stored],
            "another triggeredOn is another signature"
        );
    }
}
