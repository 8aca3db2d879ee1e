//! The two folders a run writes, as one thing: the committee's packets (`--out`) and the
//! private folder beside it (the label key, the map back to candidates, pre-screen results,
//! the webhook store). Every command derives, checks, locks and opens them here, one way.

mod decisions;
mod map;
mod pre_screens;
mod review;

use std::io;
use std::path::{Path, PathBuf};

pub use decisions::{DecisionError, Decisions};
pub use map::{CandidateMap, LABEL_LEN, MapEntry, MapError};
pub use pre_screens::{PreScreenError, PreScreens};
pub use review::{ReviewError, ReviewFile};

use crate::files::{create_private_dir, lock_private, remove_leftovers};
use crate::packet::Shelf;

/// The webhook queue `listen` keeps in the private folder.
pub const WEBHOOK_STORE: &str = "webhooks.sqlite";

#[derive(Debug, thiserror::Error)]
pub enum WorkspaceError {
    #[error("--out has no folder name to put .private beside; give --private")]
    NoFolderName,
    #[error("--private {private}: must be outside the packets folder {out}")]
    PrivateInsideOut { private: String, out: String },
    #[error("{0} is a file, not a folder of packets; give --out a folder (it is made if missing)")]
    OutNotAFolder(String),
    #[error("{0} is a file, not a folder; it cannot be the private folder (give --private another place)")]
    PrivateNotAFolder(String),
    #[error("{0}: no candidates.json; give the --private folder of the run that wrote the packets")]
    NoMap(String),
    #[error("{0}: another blindfold run (`listen` or `packets`) is using this private folder; stop it or wait for it")]
    Busy(String),
    #[error("{path}: {source}")]
    Io { path: String, source: io::Error },
    #[error(transparent)]
    Map(#[from] MapError),
    #[error(transparent)]
    PreScreens(#[from] PreScreenError),
    #[error(transparent)]
    Decisions(#[from] DecisionError),
    #[error(transparent)]
    Review(#[from] ReviewError),
}

impl WorkspaceError {
    /// The options given cannot work, whatever is on disk.
    pub fn is_usage(&self) -> bool {
        matches!(
            self,
            WorkspaceError::NoFolderName
                | WorkspaceError::PrivateInsideOut { .. }
                | WorkspaceError::NoMap(_)
                | WorkspaceError::OutNotAFolder(_)
                | WorkspaceError::PrivateNotAFolder(_)
        )
    }

    fn io(path: &Path) -> impl FnOnce(io::Error) -> WorkspaceError + '_ {
        move |source| WorkspaceError::Io {
            path: path.display().to_string(),
            source,
        }
    }
}

/// Where the packets and the private folder are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    pub out: PathBuf,
    pub private: PathBuf,
}

impl Paths {
    /// `--private`, or `<out>.private` beside `--out`; never inside `--out`, even through a
    /// symbolic link: the map would land in the committee's folder. Neither may be a file:
    /// said before a run fetches anything.
    pub fn resolve(out: &Path, private: Option<&Path>) -> Result<Paths, WorkspaceError> {
        let private = match private {
            Some(path) => path.to_path_buf(),
            None => {
                let name = out
                    .file_name()
                    .filter(|n| *n != "." && *n != "..")
                    .ok_or(WorkspaceError::NoFolderName)?;
                let mut private = name.to_os_string();
                private.push(".private");
                out.with_file_name(private)
            }
        };
        if real(&private).starts_with(real(out)) {
            return Err(WorkspaceError::PrivateInsideOut {
                private: private.display().to_string(),
                out: out.display().to_string(),
            });
        }
        let paths = Paths {
            out: out.to_path_buf(),
            private,
        };
        paths.check_folders()?;
        Ok(paths)
    }

    /// Each of the two is a folder, or nothing yet.
    fn check_folders(&self) -> Result<(), WorkspaceError> {
        let not_a_folder = |path: &Path| path.exists() && !path.is_dir();
        if not_a_folder(&self.out) {
            return Err(WorkspaceError::OutNotAFolder(self.out.display().to_string()));
        }
        if not_a_folder(&self.private) {
            return Err(WorkspaceError::PrivateNotAFolder(self.private.display().to_string()));
        }
        Ok(())
    }

    /// The review file of the run that wrote these packets, read without taking the folders.
    pub fn read_review(&self) -> Result<ReviewFile, WorkspaceError> {
        Ok(ReviewFile::open(&self.private)?)
    }

    /// The map of the run that wrote these packets, read without taking the folders (for
    /// `audit`, which writes nothing).
    pub fn read_map(&self) -> Result<CandidateMap, WorkspaceError> {
        if !self.private.join(map::MAP_FILE).is_file() {
            return Err(WorkspaceError::NoMap(self.private.display().to_string()));
        }
        Ok(CandidateMap::open(&self.private)?)
    }
}

/// The path as the file system resolves it: the part that exists with its links followed,
/// the rest as written.
fn real(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = absolute.as_path();
    let mut missing = Vec::new();
    loop {
        if let Ok(found) = existing.canonicalize() {
            return missing.iter().rev().fold(found, |path, part| path.join(part));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                missing.push(name.to_os_string());
                existing = parent;
            }
            _ => return absolute,
        }
    }
}

/// Both folders, held for this process: `packets` and `listen` both rewrite the map and
/// the packets, so one of them at a time.
#[derive(Debug)]
pub struct Workspace {
    paths: Paths,
    /// The lock goes with this file.
    _lock: std::fs::File,
    pub map: CandidateMap,
    pub pre_screens: PreScreens,
    /// The coordinator's decisions on flags, as read when the workspace was opened.
    pub decisions: Decisions,
    pub review: ReviewFile,
}

impl Workspace {
    /// Create both folders (owner only) if needed, take the private folder's lock, clear
    /// the temporary files an interrupted run left among the packets, and read the map and
    /// the pre-screen results. When that fails, a folder this call made is removed again: a
    /// failed run leaves no private folder holding only a lock.
    pub fn open(paths: Paths) -> Result<Workspace, WorkspaceError> {
        paths.check_folders()?;
        let made_private = !paths.private.exists();
        let made_out = !paths.out.exists();
        create_private_dir(&paths.private).map_err(WorkspaceError::io(&paths.private))?;
        let opened = Workspace::open_made(paths.clone());
        if opened.is_err() {
            // Only what this call made, moments ago, under the lock: nothing of anyone's.
            if made_out {
                let _ = std::fs::remove_dir(&paths.out);
            }
            if made_private {
                let _ = std::fs::remove_dir_all(&paths.private);
            }
        }
        opened
    }

    /// [`Workspace::open`] once the private folder exists.
    fn open_made(paths: Paths) -> Result<Workspace, WorkspaceError> {
        let lock = lock_private(&paths.private)
            .map_err(WorkspaceError::io(&paths.private))?
            .ok_or_else(|| WorkspaceError::Busy(paths.private.display().to_string()))?;
        create_private_dir(&paths.out).map_err(WorkspaceError::io(&paths.out))?;
        remove_leftovers(&paths.out).map_err(WorkspaceError::io(&paths.out))?;
        let map = CandidateMap::open(&paths.private)?;
        let pre_screens = PreScreens::open(&paths.private)?;
        let decisions = Decisions::read(&paths.private, &|label| map.entries().contains_key(label))?;
        let review = ReviewFile::open(&paths.private)?;
        Ok(Workspace {
            paths,
            _lock: lock,
            map,
            pre_screens,
            decisions,
            review,
        })
    }

    pub fn paths(&self) -> &Paths {
        &self.paths
    }

    /// Read decisions.toml again: a listener runs for days, and the coordinator decides
    /// meanwhile.
    pub fn reload_decisions(&mut self) -> Result<(), WorkspaceError> {
        let map = &self.map;
        self.decisions = Decisions::read(&self.paths.private, &|label| map.entries().contains_key(label))?;
        Ok(())
    }

    /// Where the committee's packets go.
    pub fn shelf(&self) -> Shelf {
        Shelf::new(&self.paths.out)
    }

    pub fn webhook_store(&self) -> PathBuf {
        self.paths.private.join(WEBHOOK_STORE)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_private_folder_sits_beside_the_packets() {
        let paths = Paths::resolve(Path::new("review/packets"), None).unwrap();
        assert_eq!(paths.private, Path::new("review/packets.private"));
        assert!(matches!(
            Paths::resolve(Path::new("."), None),
            Err(WorkspaceError::NoFolderName)
        ));
    }

    #[test]
    fn the_private_folder_is_never_inside_the_packets_even_through_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("packets");
        std::fs::create_dir(&out).unwrap();
        assert!(Paths::resolve(&out, Some(&out.join("secret"))).is_err());
        #[cfg(unix)]
        {
            let link = dir.path().join("link");
            std::os::unix::fs::symlink(&out, &link).unwrap();
            let err = Paths::resolve(&out, Some(&link.join("secret"))).unwrap_err();
            assert!(err.to_string().contains("must be outside the packets folder"), "{err}");
        }
        assert!(Paths::resolve(&out, Some(&dir.path().join("private"))).is_ok());
    }

    #[test]
    fn one_run_at_a_time_and_out_must_be_a_folder() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::resolve(&dir.path().join("packets"), None).unwrap();
        let held = Workspace::open(paths.clone()).unwrap();
        assert!(matches!(Workspace::open(paths.clone()), Err(WorkspaceError::Busy(_))));
        drop(held);
        assert!(Workspace::open(paths).is_ok());

        let file = dir.path().join("file");
        std::fs::write(&file, "").unwrap();
        let err = Paths::resolve(&file, None).unwrap_err();
        assert!(matches!(err, WorkspaceError::OutNotAFolder(_)), "{err}");
        assert!(err.is_usage(), "a file named as --out is a usage error");
        let err = Workspace::open(Paths {
            out: file.clone(),
            private: dir.path().join("file.private"),
        })
        .unwrap_err();
        assert!(matches!(err, WorkspaceError::OutNotAFolder(_)), "{err}");
        assert!(
            !dir.path().join("file.private").exists(),
            "nothing created for a bad --out"
        );
        let err = Paths::resolve(&dir.path().join("packets"), Some(&file)).unwrap_err();
        assert!(matches!(err, WorkspaceError::PrivateNotAFolder(_)), "{err}");
    }

    #[test]
    fn a_failed_open_leaves_no_folder_it_made() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths {
            out: dir.path().join("packets"),
            private: dir.path().join("packets.private"),
        };
        // The packets folder cannot be made: its parent is a file.
        std::fs::write(dir.path().join("blocker"), "").unwrap();
        let blocked = Paths {
            out: dir.path().join("blocker/packets"),
            ..paths.clone()
        };
        assert!(Workspace::open(blocked).is_err());
        assert!(!paths.private.exists(), "no private folder (and no lock) left behind");
        // A private folder that was there stays, with what it held.
        std::fs::create_dir(&paths.private).unwrap();
        std::fs::write(paths.private.join("keep"), "").unwrap();
        let blocked = Paths {
            out: dir.path().join("blocker/packets"),
            ..paths.clone()
        };
        assert!(Workspace::open(blocked).is_err());
        assert!(paths.private.join("keep").exists());
    }
}
