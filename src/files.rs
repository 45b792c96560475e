//! Safe writes: atomic replacement, append-only journals, and a lock between processes.
//!
//! Every file duiyi rewrites (translation stores, glossaries) goes through [`write_atomic`]:
//! the new content is written to a temporary file beside the target, flushed to disk, and
//! renamed over it, so a crash leaves either the old file or the new one, never half of each.
//! Writers of the same data hold a [`Lock`] (an OS advisory lock on a `.lock` file beside the
//! data) for the whole read-modify-write, so two processes never lose each other's updates;
//! waiting is bounded and ends in a clear "locked" error.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How long [`Lock::acquire`] waits by default.
pub const DEFAULT_LOCK_WAIT: Duration = Duration::from_secs(10);

/// Errors of safe writes and locks.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    /// Another process holds the lock for longer than we wait.
    #[error(
        "{} is locked by another duiyi process (waited {:.1} s); try again when it has finished, or remove the lock file if no duiyi process is running",
        .path.display(),
        .waited.as_secs_f64()
    )]
    Locked {
        /// The lock file.
        path: PathBuf,
        /// How long we waited.
        waited: Duration,
    },
    /// A file system error.
    #[error("{}: {source}", .path.display())]
    Io {
        /// The path concerned.
        path: PathBuf,
        /// The error.
        source: io::Error,
    },
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> FileError + '_ {
    move |source| FileError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Replaces `path` with `bytes` atomically (temporary file, fsync, rename, fsync of the folder).
/// Creates missing parent folders.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), FileError> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(io_err(dir))?;
    let name = path
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = File::create(&tmp).map_err(io_err(&tmp))?;
        f.write_all(bytes).map_err(io_err(&tmp))?;
        f.sync_all().map_err(io_err(&tmp))?;
        drop(f);
        fs::rename(&tmp, path).map_err(io_err(path))?;
        // Make the rename itself durable. Opening a directory fails on some platforms; the
        // data is already safe there, so that is not an error.
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Appends `bytes` to `path` (creating it) and flushes to disk: for append-only journals.
pub fn append_durable(path: &Path, bytes: &[u8]) -> Result<(), FileError> {
    if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(dir).map_err(io_err(dir))?;
    }
    let mut f = OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(io_err(path))?;
    f.write_all(bytes).map_err(io_err(path))?;
    f.sync_data().map_err(io_err(path))
}

/// An exclusive advisory lock held while the value lives.
#[derive(Debug)]
pub struct Lock {
    file: File,
    path: PathBuf,
}

impl Lock {
    /// Locks `path` (usually `<data>.lock`), waiting up to `wait` for another holder.
    pub fn acquire(path: &Path, wait: Duration) -> Result<Self, FileError> {
        if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(dir).map_err(io_err(dir))?;
        }
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path)
            .map_err(io_err(path))?;
        let start = Instant::now();
        let mut pause = Duration::from_millis(5);
        loop {
            match file.try_lock() {
                Ok(()) => {
                    return Ok(Self {
                        file,
                        path: path.to_path_buf(),
                    });
                }
                Err(fs::TryLockError::WouldBlock) => {
                    let waited = start.elapsed();
                    if waited >= wait {
                        return Err(FileError::Locked {
                            path: path.to_path_buf(),
                            waited,
                        });
                    }
                    std::thread::sleep(pause.min(wait.saturating_sub(waited)));
                    pause = (pause * 2).min(Duration::from_millis(200));
                }
                Err(fs::TryLockError::Error(e)) => return Err(io_err(path)(e)),
            }
        }
    }

    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = self.file.unlock();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("sub/data.jsonl");
        write_atomic(&p, b"one\n").unwrap();
        write_atomic(&p, b"two\n").unwrap();
        assert_eq!(fs::read_to_string(&p).unwrap(), "two\n");
        let names: Vec<_> = fs::read_dir(p.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["data.jsonl"]);
    }

    #[test]
    fn append_adds_lines() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("history.jsonl");
        append_durable(&p, b"a\n").unwrap();
        append_durable(&p, b"b\n").unwrap();
        assert_eq!(fs::read_to_string(&p).unwrap(), "a\nb\n");
    }

    #[test]
    fn a_second_lock_waits_then_fails_clearly() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("en.lock");
        let held = Lock::acquire(&p, DEFAULT_LOCK_WAIT).unwrap();
        let err = Lock::acquire(&p, Duration::from_millis(50)).unwrap_err();
        assert!(
            err.to_string().contains("locked by another duiyi process"),
            "{err}"
        );
        drop(held);
        Lock::acquire(&p, Duration::from_millis(50)).unwrap();
    }
}
