//! Safe writes for the project's files: atomic replacement and a cross-process lock.
//!
//! Every file duiyi owns (glossaries, translation stores, journals) is written the same way: the
//! new content goes to a temporary file in the same directory, is flushed to disk (`fsync`), and
//! is renamed over the old file, so a reader sees the old content or the new, never half of it.
//! A [`Lock`] on a separate lock file serializes read-modify-write cycles between duiyi
//! processes working in one checkout; it is advisory (std's `File::lock`) and is released when
//! the value is dropped. Git, not this lock, is how several people share a project.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::thread;
use std::time::{Duration, Instant};

/// What can go wrong while writing or locking a file.
#[derive(Debug, thiserror::Error)]
pub enum FilesError {
    /// An operating-system error on a named file.
    #[error("{path}: {source}")]
    Io {
        /// The file the operation was about.
        path: PathBuf,
        /// The underlying error.
        source: io::Error,
    },
    /// Another process held the lock for longer than the wait allowed.
    #[error(
        "{path} is locked by another duiyi process (waited {waited_ms} ms); \
         wait for it to finish, or remove the lock file if no duiyi process is running"
    )]
    Locked {
        /// The lock file.
        path: PathBuf,
        /// How long this process waited.
        waited_ms: u128,
    },
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> FilesError + '_ {
    move |source| FilesError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Replaces the content of `path` with `bytes` atomically: temporary file in the same
/// directory, `fsync`, rename, then `fsync` of the directory where the platform allows it.
///
/// Creates missing parent directories.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), FilesError> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&dir).map_err(io_error(&dir))?;
    let name = path
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = File::create(&temp).map_err(io_error(&temp))?;
        file.write_all(bytes).map_err(io_error(&temp))?;
        file.sync_all().map_err(io_error(&temp))?;
        drop(file);
        fs::rename(&temp, path).map_err(io_error(path))
    })();
    if result.is_err() {
        // Best effort: the temporary file is ours and useless after a failure.
        let _ = fs::remove_file(&temp);
        return result;
    }
    // Make the rename itself durable; not every platform can open a directory.
    if let Ok(handle) = File::open(&dir) {
        let _ = handle.sync_all();
    }
    Ok(())
}

/// Appends `bytes` to `path` (created if missing) and flushes them to disk.
///
/// For append-only journals: call it while holding the [`Lock`] that guards the file.
pub fn append_durable(path: &Path, bytes: &[u8]) -> Result<(), FilesError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        fs::create_dir_all(dir).map_err(io_error(dir))?;
    }
    let mut file = OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(io_error(path))?;
    file.write_all(bytes).map_err(io_error(path))?;
    file.sync_all().map_err(io_error(path))
}

/// An exclusive advisory lock on a lock file, held until dropped.
#[derive(Debug)]
pub struct Lock {
    file: File,
    path: PathBuf,
}

impl Lock {
    /// How long [`Lock::acquire_default`] waits for another process.
    pub const DEFAULT_WAIT: Duration = Duration::from_secs(10);

    /// Takes the lock on `path` (creating the file and its directory if needed), retrying for
    /// at most `wait` while another process holds it.
    pub fn acquire(path: &Path, wait: Duration) -> Result<Self, FilesError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            fs::create_dir_all(dir).map_err(io_error(dir))?;
        }
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path)
            .map_err(io_error(path))?;
        let start = Instant::now();
        loop {
            match file.try_lock() {
                Ok(()) => {
                    return Ok(Self {
                        file,
                        path: path.to_path_buf(),
                    });
                }
                Err(fs::TryLockError::WouldBlock) => {
                    if start.elapsed() >= wait {
                        return Err(FilesError::Locked {
                            path: path.to_path_buf(),
                            waited_ms: start.elapsed().as_millis(),
                        });
                    }
                    thread::sleep(Duration::from_millis(25));
                }
                Err(fs::TryLockError::Error(source)) => {
                    return Err(FilesError::Io {
                        path: path.to_path_buf(),
                        source,
                    });
                }
            }
        }
    }

    /// [`Lock::acquire`] with [`Lock::DEFAULT_WAIT`].
    pub fn acquire_default(path: &Path) -> Result<Self, FilesError> {
        Self::acquire(path, Self::DEFAULT_WAIT)
    }

    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Closing the file releases the lock too; unlocking first makes it prompt.
        let _ = self.file.unlock();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_atomic_replaces_content_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/a.txt");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "two");
        let names: Vec<_> = fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("a.txt")]);
    }

    #[test]
    fn append_durable_appends() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        append_durable(&path, b"a\n").unwrap();
        append_durable(&path, b"b\n").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "a\nb\n");
    }

    #[test]
    fn a_second_lock_waits_then_fails_with_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".lock");
        let held = Lock::acquire(&path, Duration::from_millis(10)).unwrap();
        let err = Lock::acquire(&path, Duration::from_millis(60)).unwrap_err();
        assert!(
            err.to_string().contains("locked by another duiyi process"),
            "{err}"
        );
        drop(held);
        Lock::acquire(&path, Duration::from_millis(10)).unwrap();
    }
}
