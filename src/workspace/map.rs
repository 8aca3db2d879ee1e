//! The map back to candidates, in the private folder: the secret that labels candidates, and
//! each label's person. Only the coordinator reads it.
//!
//! A label is an HMAC of the candidate's email under a random key that never leaves this
//! folder: stable across runs that share the folder, and impossible to recompute (or to
//! check a guessed email against) without it. It reveals nothing: no initials, no hash of a
//! known value.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use hmac::{Hmac, KeyInit, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::files::{create_private_dir, write_private};

const KEY_FILE: &str = "label-key";
pub(super) const MAP_FILE: &str = "candidates.json";
/// Crockford's base32: no I, L, O, U, so a label is easy to read aloud and to type.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Characters of a label: 40 bits, so 10,000 candidates collide with odds of about 1 in 20,000.
pub const LABEL_LEN: usize = 8;

#[derive(Debug, thiserror::Error)]
pub enum MapError {
    #[error("{path}: {source}")]
    Io { path: String, source: io::Error },
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
    #[error("cannot draw a random key: {0}")]
    Random(String),
}

/// Who a label stands for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MapEntry {
    pub email: String,
    pub name: Option<String>,
}

#[derive(Debug)]
pub struct CandidateMap {
    dir: PathBuf,
    key: Vec<u8>,
    entries: BTreeMap<String, MapEntry>,
}

impl CandidateMap {
    /// Open the folder, creating it (mode 0700) and its key on first use.
    pub fn open(dir: &Path) -> Result<CandidateMap, MapError> {
        let io_error = |path: &Path| {
            let path = path.display().to_string();
            move |source| MapError::Io { path, source }
        };
        create_private_dir(dir).map_err(io_error(dir))?;
        let key_path = dir.join(KEY_FILE);
        let key = if key_path.exists() {
            let text = std::fs::read_to_string(&key_path).map_err(io_error(&key_path))?;
            decode_hex(text.trim())
                .filter(|k| k.len() >= 16)
                .ok_or_else(|| MapError::Invalid {
                    path: key_path.display().to_string(),
                    message: "not a label key (hex, at least 16 bytes); restore it from a backup, or labels change"
                        .into(),
                })?
        } else {
            let mut key = vec![0u8; 32];
            getrandom::fill(&mut key).map_err(|e| MapError::Random(e.to_string()))?;
            write_private(&key_path, format!("{}\n", encode_hex(&key)).as_bytes()).map_err(io_error(&key_path))?;
            key
        };
        let map_path = dir.join(MAP_FILE);
        let entries = if map_path.exists() {
            let text = std::fs::read_to_string(&map_path).map_err(io_error(&map_path))?;
            serde_json::from_str(&text).map_err(|e| MapError::Invalid {
                path: map_path.display().to_string(),
                message: e.to_string(),
            })?
        } else {
            BTreeMap::new()
        };
        Ok(CandidateMap {
            dir: dir.to_path_buf(),
            key,
            entries,
        })
    }

    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// The label of a candidate, from their email (case and spaces ignored), `len` characters.
    pub fn label(&self, email: &str, len: usize) -> String {
        // HMAC takes keys of any length; new_from_slice cannot fail here.
        let mut mac = match Hmac::<Sha256>::new_from_slice(&self.key) {
            Ok(mac) => mac,
            Err(_) => return String::new(),
        };
        mac.update(email.trim().to_lowercase().as_bytes());
        let digest = mac.finalize().into_bytes();
        let mut bits: u128 = 0;
        for byte in &digest[..16] {
            bits = (bits << 8) | u128::from(*byte);
        }
        (0..len.min(25))
            .map(|i| ALPHABET[((bits >> (123 - 5 * i)) & 31) as usize] as char)
            .collect()
    }

    /// Labels for a batch of emails: `LABEL_LEN` characters, longer where two would collide.
    pub fn labels(&self, emails: &[&str]) -> Vec<String> {
        let mut len = LABEL_LEN;
        loop {
            let labels: Vec<String> = emails.iter().map(|e| self.label(e, len)).collect();
            let mut sorted = labels.clone();
            sorted.sort();
            sorted.dedup();
            if sorted.len() == labels.len() || len >= 25 {
                return labels;
            }
            len += 2;
        }
    }

    pub fn record(&mut self, label: &str, entry: MapEntry) {
        self.entries.insert(label.to_string(), entry);
    }

    pub fn entries(&self) -> &BTreeMap<String, MapEntry> {
        &self.entries
    }

    /// Write the map (mode 0600, atomically).
    pub fn save(&self) -> Result<(), MapError> {
        let path = self.dir.join(MAP_FILE);
        let mut json = serde_json::to_string_pretty(&self.entries).unwrap_or_default();
        json.push('\n');
        write_private(&path, json.as_bytes()).map_err(|source| MapError::Io {
            path: path.display().to_string(),
            source,
        })
    }
}

fn encode_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_stable_per_folder_and_differ_between_folders() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        let first = CandidateMap::open(a.path())
            .unwrap()
            .label("Priya@Example.com ", LABEL_LEN);
        let again = CandidateMap::open(a.path())
            .unwrap()
            .label("priya@example.com", LABEL_LEN);
        let other = CandidateMap::open(b.path())
            .unwrap()
            .label("priya@example.com", LABEL_LEN);
        assert_eq!(first, again);
        assert_ne!(first, other);
        assert_eq!(first.len(), LABEL_LEN);
        assert!(first.bytes().all(|c| ALPHABET.contains(&c)));
    }

    #[test]
    fn the_map_round_trips_and_is_private() {
        let dir = tempfile::tempdir().unwrap();
        let mut private = CandidateMap::open(dir.path()).unwrap();
        private.record(
            "ABC",
            MapEntry {
                email: "a@example.com".into(),
                name: Some("Ana".into()),
            },
        );
        private.save().unwrap();
        let reopened = CandidateMap::open(dir.path()).unwrap();
        assert_eq!(reopened.entries().len(), 1);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            for file in [KEY_FILE, MAP_FILE] {
                let mode = std::fs::metadata(dir.path().join(file)).unwrap().permissions().mode();
                assert_eq!(mode & 0o777, 0o600, "{file}");
            }
        }
    }

    #[test]
    fn a_damaged_key_is_an_error_not_a_new_key() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(KEY_FILE), "zz").unwrap();
        assert!(
            CandidateMap::open(dir.path())
                .unwrap_err()
                .to_string()
                .contains("not a label key")
        );
    }
}
