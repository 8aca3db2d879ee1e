//! Pre-screen results kept in the private folder, so a batch run and `listen` build the same
//! packet: those `packets --tests` fetched and those test-session webhooks brought, with the
//! time of the event each verification comes from.

use std::collections::{BTreeMap, HashMap};
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::files::write_private;
use crate::source::PreScreen;

pub(super) const FILE: &str = "pre-screens.json";

#[derive(Debug, thiserror::Error)]
pub enum PreScreenError {
    #[error("{path}: {source}")]
    Io { path: String, source: io::Error },
    #[error("{path}: not a pre-screen file ({message}); restore it from a backup or remove it")]
    Invalid { path: String, message: String },
    #[error("{path}: cannot read the pre-screen results of an older version: {source}")]
    Legacy { path: String, source: rusqlite::Error },
}

/// One session's result as last kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Kept {
    email: String,
    /// `triggeredOn` of the event that set the verification: an older event processed late
    /// (after a retry) must not undo a newer one. 0 when no event set it.
    verification_at: i64,
    session: PreScreen,
}

#[derive(Debug)]
pub struct PreScreens {
    path: PathBuf,
    /// By session id.
    kept: BTreeMap<String, Kept>,
}

impl PreScreens {
    /// Read the folder's results; a folder of an older version, which kept them in the
    /// webhook store, has them carried over once.
    pub fn open(private: &Path) -> Result<PreScreens, PreScreenError> {
        let path = private.join(FILE);
        let shown = path.display().to_string();
        let kept = match std::fs::read_to_string(&path) {
            Ok(text) => serde_json::from_str(&text).map_err(|e| PreScreenError::Invalid {
                path: shown,
                message: e.to_string(),
            })?,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                let kept = legacy::read(&private.join(super::WEBHOOK_STORE))?;
                let found = PreScreens { path, kept };
                if !found.kept.is_empty() {
                    found.save()?;
                }
                return Ok(found);
            }
            Err(source) => return Err(PreScreenError::Io { path: shown, source }),
        };
        Ok(PreScreens { path, kept })
    }

    /// A session's result, and when its verification was set.
    pub fn get(&self, session_id: &str) -> Option<(&PreScreen, i64)> {
        self.kept.get(session_id).map(|k| (&k.session, k.verification_at))
    }

    /// A candidate's results, by session id.
    pub fn of(&self, email: &str) -> Vec<PreScreen> {
        self.kept
            .values()
            .filter(|k| k.email == email)
            .map(|k| k.session.clone())
            .collect()
    }

    /// Keep a session's result from an event (replacing the earlier one), with the time of
    /// the event its verification comes from.
    pub fn keep(&mut self, email: &str, session: PreScreen, verification_at: i64) -> Result<(), PreScreenError> {
        self.kept.insert(
            session.session_id.clone(),
            Kept {
                email: email.to_string(),
                verification_at,
                session,
            },
        );
        self.save()
    }

    /// Keep what a batch run fetched, by candidate email, in one write. A session whose
    /// fetch says nothing of verification keeps what an earlier verification event said.
    pub fn merge_fetched(&mut self, fetched: HashMap<String, Vec<PreScreen>>) -> Result<(), PreScreenError> {
        if fetched.is_empty() {
            return Ok(());
        }
        for (email, sessions) in fetched {
            for mut session in sessions {
                let before = self.kept.remove(&session.session_id);
                if session.verification.is_none() {
                    session.verification = before.as_ref().and_then(|k| k.session.verification.clone());
                }
                let kept = Kept {
                    email: email.clone(),
                    verification_at: before.map_or(0, |k| k.verification_at),
                    session,
                };
                self.kept.insert(kept.session.session_id.clone(), kept);
            }
        }
        self.save()
    }

    fn save(&self) -> Result<(), PreScreenError> {
        let mut json = serde_json::to_string_pretty(&self.kept).unwrap_or_default();
        json.push('\n');
        write_private(&self.path, json.as_bytes()).map_err(|source| PreScreenError::Io {
            path: self.path.display().to_string(),
            source,
        })
    }
}

/// The webhook store of older versions held the pre-screen results in a table of its own.
mod legacy {
    use std::collections::BTreeMap;
    use std::path::Path;

    use rusqlite::{Connection, OpenFlags};

    use super::{Kept, PreScreenError};

    pub(super) fn read(store: &Path) -> Result<BTreeMap<String, Kept>, PreScreenError> {
        let mut kept = BTreeMap::new();
        if !store.is_file() {
            return Ok(kept);
        }
        let failed = |source| PreScreenError::Legacy {
            path: store.display().to_string(),
            source,
        };
        let conn = Connection::open_with_flags(store, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(failed)?;
        let mut columns = conn
            .prepare("SELECT name FROM pragma_table_info('pre_screens')")
            .map_err(failed)?;
        let columns: Vec<String> = columns
            .query_map([], |row| row.get(0))
            .map_err(failed)?
            .collect::<Result<_, _>>()
            .map_err(failed)?;
        if columns.is_empty() {
            return Ok(kept);
        }
        // The first versions had no verification time: the newest event then was any.
        let at = if columns.iter().any(|c| c == "verification_at") {
            "verification_at"
        } else {
            "0"
        };
        let mut query = conn
            .prepare(&format!("SELECT candidate_email, data, {at} FROM pre_screens"))
            .map_err(failed)?;
        let rows = query
            .query_map([], |row| {
                Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?, row.get(2)?))
            })
            .map_err(failed)?;
        for row in rows {
            let (email, data, verification_at) = row.map_err(failed)?;
            // A row that does not parse was never shown either (the store skipped it).
            if let Ok(session) = serde_json::from_str::<crate::source::PreScreen>(&data) {
                kept.insert(
                    session.session_id.clone(),
                    Kept {
                        email,
                        verification_at,
                        session,
                    },
                );
            }
        }
        Ok(kept)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(id: &str, verification: Option<&str>) -> PreScreen {
        PreScreen {
            session_id: id.into(),
            candidate_email: None,
            test_title: Some("General Coding Assessment".into()),
            status: None,
            score: Some(540),
            max_score: Some(600),
            solved_tasks: None,
            tasks: Vec::new(),
            finish: None,
            verification: verification.map(str::to_string),
        }
    }

    #[test]
    fn a_fetch_keeps_the_verification_an_event_set() {
        let dir = tempfile::tempdir().unwrap();
        let mut kept = PreScreens::open(dir.path()).unwrap();
        kept.keep("a@example.com", session("ts1", Some("verified")), 50)
            .unwrap();
        let fetched = HashMap::from([("a@example.com".to_string(), vec![session("ts1", None)])]);
        kept.merge_fetched(fetched).unwrap();
        let reopened = PreScreens::open(dir.path()).unwrap();
        let (session, at) = reopened.get("ts1").unwrap();
        assert_eq!((session.verification.as_deref(), at), (Some("verified"), 50));
        assert_eq!(reopened.of("a@example.com").len(), 1);
        assert!(reopened.of("b@example.com").is_empty());
    }

    #[test]
    fn an_older_store_hands_its_results_over_once() {
        let dir = tempfile::tempdir().unwrap();
        let store = dir.path().join(super::super::WEBHOOK_STORE);
        let conn = Connection::open(&store).unwrap();
        conn.execute_batch(
            "CREATE TABLE pre_screens (session_id TEXT PRIMARY KEY, candidate_email TEXT NOT NULL, data TEXT NOT NULL);",
        )
        .unwrap();
        let data = serde_json::to_string(&session("ts1", Some("pending"))).unwrap();
        conn.execute("INSERT INTO pre_screens VALUES ('ts1', 'a@example.com', ?1)", [&data])
            .unwrap();
        conn.execute("INSERT INTO pre_screens VALUES ('ts2', 'a@example.com', '{}')", [])
            .unwrap();
        drop(conn);
        let kept = PreScreens::open(dir.path()).unwrap();
        // The oldest layout had no verification time: 0, so any later event wins.
        assert_eq!(
            kept.get("ts1").map(|(s, at)| (s.verification.as_deref(), at)),
            Some((Some("pending"), 0))
        );
        assert!(kept.get("ts2").is_none(), "unreadable data is skipped, not an error");
        assert!(dir.path().join(FILE).is_file(), "carried over once, into the new file");
    }

    use rusqlite::Connection;
}
