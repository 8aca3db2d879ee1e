//! The review file in the private folder: every packet's flags, kept as JSON so `listen`
//! can update one packet's part, and rendered as `review.md` for the coordinator.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use crate::files::write_private;
use crate::packet::{PacketReview, render_review};

const JSON: &str = "review.json";
pub(super) const MARKDOWN: &str = "review.md";

#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    #[error("{path}: {source}")]
    Io { path: String, source: io::Error },
    #[error("{path}: not a review file ({message}); remove it and run `blindfold packets` again")]
    Invalid { path: String, message: String },
}

#[derive(Debug)]
pub struct ReviewFile {
    dir: PathBuf,
    packets: BTreeMap<String, PacketReview>,
}

impl ReviewFile {
    pub fn open(private: &Path) -> Result<ReviewFile, ReviewError> {
        let path = private.join(JSON);
        let packets = match std::fs::read_to_string(&path) {
            Ok(text) => serde_json::from_str(&text).map_err(|e| ReviewError::Invalid {
                path: path.display().to_string(),
                message: e.to_string(),
            })?,
            Err(e) if e.kind() == io::ErrorKind::NotFound => BTreeMap::new(),
            Err(source) => {
                return Err(ReviewError::Io {
                    path: path.display().to_string(),
                    source,
                });
            }
        };
        Ok(ReviewFile {
            dir: private.to_path_buf(),
            packets,
        })
    }

    /// Every packet's review, by label.
    pub fn packets(&self) -> &BTreeMap<String, PacketReview> {
        &self.packets
    }

    /// A batch run's reviews: exactly the packets it wrote.
    pub fn replace_all(&mut self, packets: BTreeMap<String, PacketReview>) -> Result<(), ReviewError> {
        self.packets = packets;
        self.save()
    }

    /// One packet rebuilt (`Some`) or withdrawn (`None`).
    pub fn set(&mut self, label: &str, review: Option<PacketReview>) -> Result<(), ReviewError> {
        match review {
            Some(review) => self.packets.insert(label.to_string(), review),
            None => self.packets.remove(label),
        };
        self.save()
    }

    fn save(&self) -> Result<(), ReviewError> {
        let write = |name: &str, text: String| {
            let path = self.dir.join(name);
            write_private(&path, text.as_bytes()).map_err(|source| ReviewError::Io {
                path: path.display().to_string(),
                source,
            })
        };
        let mut json = serde_json::to_string_pretty(&self.packets).unwrap_or_default();
        json.push('\n');
        write(JSON, json)?;
        write(MARKDOWN, render_review(&self.packets))
    }
}
