//! Writing files that hold personal data: readable by their owner only, and whole or not at
//! all (a temporary file in the same folder, flushed to disk, then renamed over the target).

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Prefix of the temporary files; a crash can leave one behind, never a half-written target.
pub const TEMP_PREFIX: &str = ".blindfold-";

/// Write `bytes` to `path` atomically, with mode 0600, and make the rename durable.
pub fn write_private(path: &Path, bytes: &[u8]) -> io::Result<()> {
    replace_private(path, bytes)?;
    sync_dir(folder_of(path))
}

/// Write `bytes` to `path` atomically, with mode 0600: its content is on disk before the
/// rename, so the path holds the old file or the new one, never part of one. The rename
/// itself is durable once [`sync_dir`] has run on the folder; a batch of files calls it once.
pub fn replace_private(path: &Path, bytes: &[u8]) -> io::Result<()> {
    // tempfile creates the file with mode 0600 and removes it if we fail before persisting.
    let mut temp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .suffix(".tmp")
        .tempfile_in(folder_of(path))?;
    temp.write_all(bytes)?;
    temp.as_file().sync_all()?;
    temp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// A file written beside its target but not yet in place, nor known to be on disk.
#[derive(Debug)]
pub struct Staged {
    temp: tempfile::TempPath,
    target: PathBuf,
}

/// Write `bytes` beside `path` (mode 0600) without waiting for the disk; [`put_staged`]
/// puts a batch of such files in place with one flush for all. Dropped unplaced, the file
/// goes.
pub fn stage_private(path: &Path, bytes: &[u8]) -> io::Result<Staged> {
    let mut temp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .suffix(".tmp")
        .tempfile_in(folder_of(path))?;
    temp.write_all(bytes)?;
    Ok(Staged {
        temp: temp.into_temp_path(),
        target: path.to_path_buf(),
    })
}

/// Make every staged file durable, then rename each over its target, then flush `dir`:
/// each target holds its old file or its new one, never part of one. One flush of the file
/// system costs far less than one per file.
pub fn put_staged(staged: Vec<Staged>, dir: &Path) -> io::Result<()> {
    flush_staged(&staged, dir)?;
    for file in staged {
        file.temp.persist(&file.target).map_err(|e| e.error)?;
    }
    sync_dir(dir)
}

#[cfg(target_os = "linux")]
fn flush_staged(_staged: &[Staged], dir: &Path) -> io::Result<()> {
    use std::os::fd::AsRawFd;
    let folder = fs::File::open(dir)?;
    // SAFETY: syncfs only reads the descriptor, which `folder` keeps open for the call.
    if unsafe { libc::syncfs(folder.as_raw_fd()) } == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn flush_staged(staged: &[Staged], _dir: &Path) -> io::Result<()> {
    for file in staged {
        fs::File::open(&file.temp)?.sync_all()?;
    }
    Ok(())
}

/// Flush a folder's entries (renames, removals) to disk.
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    fs::File::open(dir)?.sync_all()
}

fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// Create `dir` (and its parents) readable by its owner only, if it does not exist.
pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

/// Remove temporary files an interrupted run left in `dir`.
pub fn remove_leftovers(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut removed = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else {
        return Ok(removed);
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(TEMP_PREFIX) && name.ends_with(".tmp") {
            fs::remove_file(entry.path())?;
            removed.push(entry.path());
        }
    }
    Ok(removed)
}

/// The lock file a writer holds in the private folder.
const LOCK_FILE: &str = "writer.lock";

/// Hold the private folder `dir` for this process (a listener, or a batch run): both rewrite
/// its map and the packets beside it. `Ok(None)`: another process holds it. The lock goes
/// with the returned file.
pub fn lock_private(dir: &Path) -> io::Result<Option<fs::File>> {
    let mut options = fs::OpenOptions::new();
    options.create(true).truncate(false).write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let file = options.open(dir.join(LOCK_FILE))?;
    match file.try_lock() {
        Ok(()) => Ok(Some(file)),
        Err(fs::TryLockError::WouldBlock) => Ok(None),
        Err(fs::TryLockError::Error(e)) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_whole_and_private() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.json");
        write_private(&path, b"first").unwrap();
        write_private(&path, b"second").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"second");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["a.json"], "no temporary file is left");
    }

    #[test]
    fn staged_files_appear_whole_and_only_once_put() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("a.json");
        write_private(&target, b"old").unwrap();
        let staged = vec![
            stage_private(&target, b"new").unwrap(),
            stage_private(&dir.path().join("b.md"), b"b").unwrap(),
        ];
        assert_eq!(fs::read(&target).unwrap(), b"old", "not in place before put_staged");
        put_staged(staged, dir.path()).unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"new");
        assert_eq!(fs::read(dir.path().join("b.md")).unwrap(), b"b");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(fs::metadata(&target).unwrap().permissions().mode() & 0o777, 0o600);
        }
        drop(stage_private(&dir.path().join("c.md"), b"c").unwrap());
        let mut names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        assert_eq!(
            names,
            ["a.json", "b.md"],
            "a staged file dropped unplaced leaves nothing"
        );
    }

    #[test]
    fn removes_leftovers_only() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(".blindfold-x1.tmp"), "").unwrap();
        fs::write(dir.path().join("keep.json"), "").unwrap();
        assert_eq!(remove_leftovers(dir.path()).unwrap().len(), 1);
        assert!(dir.path().join("keep.json").exists());
    }

    #[test]
    fn one_holder_of_the_private_folder_at_a_time() {
        let dir = tempfile::tempdir().unwrap();
        let held = lock_private(dir.path()).unwrap();
        assert!(held.is_some());
        assert!(lock_private(dir.path()).unwrap().is_none(), "held elsewhere");
        drop(held);
        assert!(lock_private(dir.path()).unwrap().is_some(), "free again once dropped");
    }
}
