//! Putting packets where the committee reads them: each packet's two files whole or not at
//! all, the index of what the folder holds, and one flush of the folder that makes it all
//! durable. `packets` publishes a batch, `listen` one packet at a time; both through here.

use std::io;
use std::path::{Path, PathBuf};

use super::{IndexEntry, Rendered, render_index};
use crate::files::{Staged, put_staged, replace_private, stage_private, sync_dir, write_private};

#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error("packet not written: {0}")]
    Packet(io::Error),
    #[error("{path}: {source}")]
    Folder { path: String, source: io::Error },
}

/// The committee's folder.
#[derive(Debug, Clone)]
pub struct Shelf {
    dir: PathBuf,
}

impl Shelf {
    pub fn new(dir: &Path) -> Shelf {
        Shelf { dir: dir.to_path_buf() }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Both files of a packet, each atomically; if the second fails the first goes too. The
    /// renames are durable once [`Shelf::publish_index`] has run.
    pub fn put(&self, packet: &Rendered) -> Result<(), PublishError> {
        let json_path = self.dir.join(format!("{}.json", packet.label));
        let md_path = self.dir.join(format!("{}.md", packet.label));
        replace_private(&json_path, packet.json.as_bytes())
            .and_then(|()| replace_private(&md_path, packet.markdown.as_bytes()))
            .map_err(|e| {
                self.withdraw(&packet.label);
                PublishError::Packet(e)
            })
    }

    /// Both files of a packet written beside their targets, for [`Shelf::put_all`]: a batch
    /// waits on the disk once, not twice per packet.
    pub fn stage(&self, packet: &Rendered) -> Result<[Staged; 2], PublishError> {
        let json = stage_private(&self.dir.join(format!("{}.json", packet.label)), packet.json.as_bytes());
        let md = stage_private(
            &self.dir.join(format!("{}.md", packet.label)),
            packet.markdown.as_bytes(),
        );
        match (json, md) {
            (Ok(json), Ok(md)) => Ok([json, md]),
            (Err(e), _) | (_, Err(e)) => Err(PublishError::Packet(e)),
        }
    }

    /// Put staged packets in place, each file whole, durable once this returns.
    pub fn put_all(&self, staged: Vec<Staged>) -> Result<(), PublishError> {
        put_staged(staged, &self.dir).map_err(|source| PublishError::Folder {
            path: self.dir.display().to_string(),
            source,
        })
    }

    /// Remove a packet's files, if any: a candidate who gets no packet keeps no stale one.
    pub fn withdraw(&self, label: &str) {
        if label.is_empty() {
            return;
        }
        for ext in ["json", "md"] {
            let _ = std::fs::remove_file(self.dir.join(format!("{label}.{ext}")));
        }
    }

    /// Withdraw every packet in the folder but those of `kept`; the labels withdrawn. Only
    /// packet files go (a label's `.json` and `.md`); anything else stays, for the audit to
    /// report.
    pub fn withdraw_all_but(&self, kept: &std::collections::HashSet<&str>) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        let mut withdrawn: Vec<String> = entries
            .flatten()
            .filter_map(|entry| {
                let path = entry.path();
                let ext = path.extension()?.to_str()?;
                let label = path.file_stem()?.to_str()?;
                let is_label = !label.is_empty() && label.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_uppercase());
                (matches!(ext, "json" | "md") && is_label && !kept.contains(label)).then(|| label.to_string())
            })
            .collect();
        withdrawn.sort();
        withdrawn.dedup();
        for label in &withdrawn {
            self.withdraw(label);
        }
        withdrawn
    }

    /// Write `index.md` listing `entries`, then flush the folder: every packet put or
    /// withdrawn before is durable after.
    pub fn publish_index(&self, entries: &[IndexEntry]) -> Result<(), PublishError> {
        let folder = |path: &Path| {
            let path = path.display().to_string();
            move |source| PublishError::Folder { path, source }
        };
        let index = self.dir.join("index.md");
        write_private(&index, render_index(entries).as_bytes()).map_err(folder(&index))?;
        sync_dir(&self.dir).map_err(folder(&self.dir))
    }

    /// Put one packet, or withdraw it when there is none, and list the folder as it now
    /// stands. `listed` is what the index listed before; it is kept up to date.
    pub fn publish_one(
        &self,
        listed: &mut Vec<IndexEntry>,
        label: &str,
        packet: Option<&Rendered>,
    ) -> Result<(), PublishError> {
        let put = match packet {
            Some(packet) => self.put(packet),
            None => {
                self.withdraw(label);
                Ok(())
            }
        };
        listed.retain(|entry| entry.label != label);
        if let (Ok(()), Some(packet)) = (&put, packet) {
            listed.push(packet.entry.clone());
        }
        self.publish_index(listed)?;
        put
    }
}
