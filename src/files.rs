//! Safe writes: atomic replacement, append-only journals, a lock between processes, and
//! confinement to the project.
//!
//! Every file duiyi rewrites (translation stores, glossaries, tables, editions) goes through an
//! [`AtomicFile`] (or [`write_atomic`], for content already in memory): the new content is
//! written to a fresh temporary file beside the target, flushed to disk, and renamed over it,
//! so a crash leaves either the old file or the new one, never half of each. Journals grow through [`append_journal`], which never follows a symbolic link, cuts a
//! torn final line left by a crash before it appends, and can take its append back
//! ([`Appended::rollback`]) when the change it records does not happen after all.
//!
//! Writers of the same data hold a [`Lock`] (an OS advisory lock on a `.lock` file beside the
//! data) for the whole read-modify-write, so two processes never lose each other's updates.
//! The kernel releases the lock when its holder dies, so a crashed holder never blocks anyone;
//! the lock file records who holds it (pid, host, command, start time) so a "locked" message
//! can say who to wait for, and a holder checks before it writes that its lock file was not
//! deleted and replaced meanwhile ([`Lock::verify`]).
//!
//! A cloned project is not trusted to point where it likes: [`confine`] refuses a path that is
//! a symbolic link or lies, through a linked folder, outside the project root.
//!
//! Tests interrupt writes at named points with [`fault`] (debug builds only).

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How long [`Lock::acquire`] waits by default.
pub const DEFAULT_LOCK_WAIT: Duration = Duration::from_secs(10);

/// Errors of safe writes and locks.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    /// Another process holds the lock for longer than we wait.
    #[error(
        "{} is locked by another duiyi process{} (waited {:.1} s); try again when it has finished",
        .path.display(),
        .holder.as_ref().map(|h| format!(": {h}")).unwrap_or_default(),
        .waited.as_secs_f64()
    )]
    Locked {
        /// The lock file.
        path: PathBuf,
        /// Who holds it, as its lock file says.
        holder: Option<String>,
        /// How long we waited.
        waited: Duration,
    },
    /// The lock file was deleted or replaced while we held it: another process may be writing.
    #[error(
        "{}: the lock file was removed or replaced while this command held it; nothing was written. Never delete a lock file by hand: run the command again",
        .path.display()
    )]
    LockLost {
        /// The lock file.
        path: PathBuf,
    },
    /// A path that is a symbolic link, or that leads outside the project.
    #[error("{}: {message}; nothing was written", .path.display())]
    Escapes {
        /// The path.
        path: PathBuf,
        /// What is wrong.
        message: String,
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

/// Stops the process at a named point of a write, for tests that prove a crash there loses
/// nothing (debug builds only; release builds compile this to nothing).
///
/// `DUIYI_FAULT=<point>` aborts the process at that point, as `kill -9` would (no destructor,
/// no flush); `DUIYI_FAULT=<point>=error` makes the step fail with an I/O error instead.
pub fn fault(point: &str) -> io::Result<()> {
    if faulting(point) {
        std::process::abort();
    }
    if faulting(&format!("{point}=error")) {
        return Err(io::Error::other(format!("injected fault at {point}")));
    }
    Ok(())
}

/// Whether `DUIYI_FAULT` names `point` (always false in release builds).
fn faulting(point: &str) -> bool {
    cfg!(debug_assertions) && std::env::var("DUIYI_FAULT").is_ok_and(|v| v == point)
}

/// Refuses `path` when it is a symbolic link, or when the folder it is in resolves (through
/// links) to a place outside `root`. Missing folders are fine: they are created below the last
/// existing one, which is checked.
pub fn confine(root: &Path, path: &Path) -> Result<(), FileError> {
    let escapes = |message: String| FileError::Escapes {
        path: path.to_path_buf(),
        message,
    };
    if fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(escapes(
            "is a symbolic link; duiyi writes only regular files inside the project (replace the link with a file)".into(),
        ));
    }
    let root = fs::canonicalize(root).map_err(io_err(root))?;
    let mut dir = path.parent();
    while let Some(d) = dir {
        let d = if d.as_os_str().is_empty() {
            Path::new(".")
        } else {
            d
        };
        match fs::canonicalize(d) {
            Ok(real) => {
                if real.starts_with(&root) {
                    return Ok(());
                }
                return Err(escapes(format!(
                    "its folder {} leads outside the project (to {}); duiyi writes only inside {}",
                    d.display(),
                    real.display(),
                    root.display()
                )));
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => dir = d.parent(),
            Err(e) => return Err(io_err(d)(e)),
        }
    }
    Ok(())
}

fn open_nofollow(options: &mut OpenOptions) -> &mut OpenOptions {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW);
    }
    options
}

/// Refuses a path that is a symbolic link (for platforms without `O_NOFOLLOW`, and to give a
/// clear message where the open would fail with `ELOOP`).
fn refuse_link(path: &Path) -> Result<(), FileError> {
    if fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(FileError::Escapes {
            path: path.to_path_buf(),
            message: "is a symbolic link; duiyi does not write through links (replace the link with a file)".into(),
        });
    }
    Ok(())
}

/// The temporary file an [`AtomicFile`] writes for `path` in this process.
fn temp_path(dir: &Path, path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
    dir.join(format!(".{name}.{}.tmp", std::process::id()))
}

/// A file written in full beside its name and then renamed over it ([`AtomicFile::commit`]):
/// a crash or an error leaves the old file or the new one, never half of either. The
/// temporary file is created new (never through an existing file or link), the rename
/// replaces a link at the name rather than following it, and a file dropped uncommitted takes
/// its temporary file with it. Stores, glossaries, tables and editions are all written
/// through it; editions stream into [`AtomicFile::writer`].
#[derive(Debug)]
pub struct AtomicFile {
    path: PathBuf,
    dir: PathBuf,
    tmp: PathBuf,
    out: io::BufWriter<File>,
    committed: bool,
}

impl AtomicFile {
    /// Starts writing `path`, creating its folder when missing.
    pub fn create(path: &Path) -> Result<Self, FileError> {
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf();
        fs::create_dir_all(&dir).map_err(io_err(&dir))?;
        let tmp = temp_path(&dir, path);
        // A temporary file of this process left by an earlier failed write.
        let _ = fs::remove_file(&tmp);
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .map_err(io_err(&tmp))?;
        Ok(Self {
            path: path.to_path_buf(),
            dir,
            tmp,
            out: io::BufWriter::with_capacity(1 << 16, file),
            committed: false,
        })
    }

    /// Where the content goes until [`AtomicFile::commit`].
    pub fn writer(&mut self) -> &mut io::BufWriter<File> {
        &mut self.out
    }

    /// The final path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// An I/O error of writing this file, with its path.
    pub fn error(&self, source: io::Error) -> FileError {
        io_err(&self.path)(source)
    }

    /// Flushes and syncs the content, renames it over the final path and makes the rename
    /// durable. Returns the final path.
    pub fn commit(mut self) -> Result<PathBuf, FileError> {
        self.out.flush().map_err(io_err(&self.tmp))?;
        self.out.get_ref().sync_all().map_err(io_err(&self.tmp))?;
        fault("write-atomic-before-rename").map_err(io_err(&self.path))?;
        fs::rename(&self.tmp, &self.path).map_err(io_err(&self.path))?;
        self.committed = true;
        // Make the rename itself durable. Opening a directory fails on some platforms; the
        // data is already safe there, so that is not an error.
        if let Ok(d) = File::open(&self.dir) {
            let _ = d.sync_all();
        }
        Ok(self.path.clone())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.out.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_file(&self.tmp);
        }
    }
}

/// Replaces `path` with `bytes` atomically through an [`AtomicFile`]. Creates missing parent
/// folders.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), FileError> {
    let mut f = AtomicFile::create(path)?;
    f.write_all(bytes).map_err(|e| f.error(e))?;
    f.commit().map(|_| ())
}

/// Removes the temporary copies of `path` that writers killed before their rename left behind
/// (`.<name>.<pid>.tmp`). Call it only under the lock that serializes writers of `path`: then
/// no other process is writing one. Returns how many were removed.
pub fn remove_stale_temps(path: &Path) -> usize {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let Some(name) = path.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return 0;
    };
    let prefix = format!(".{name}.");
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let file = entry.file_name();
        let file = file.to_string_lossy();
        let stale = file
            .strip_prefix(&prefix)
            .and_then(|rest| rest.strip_suffix(".tmp"))
            .is_some_and(|pid| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()));
        if stale
            && entry.file_type().is_ok_and(|t| t.is_file())
            && fs::remove_file(entry.path()).is_ok()
        {
            removed += 1;
        }
    }
    removed
}

/// An append to a journal that can be taken back.
#[derive(Debug)]
#[must_use = "an append is rolled back or kept deliberately"]
pub struct Appended {
    path: PathBuf,
    before: u64,
    /// Bytes of a torn final line (a crashed earlier append) that were cut before appending.
    pub cut_torn: usize,
}

impl Appended {
    /// Takes the append back: the journal is cut to its length before it. Only under the lock
    /// that serializes the journal's writers.
    pub fn rollback(self) -> Result<(), FileError> {
        truncate(&self.path, self.before)
    }

    /// The journal's length before the append.
    pub fn before(&self) -> u64 {
        self.before
    }
}

/// Cuts `path` to `len` bytes and flushes (never through a link).
pub fn truncate(path: &Path, len: u64) -> Result<(), FileError> {
    let f = open_nofollow(OpenOptions::new().write(true))
        .open(path)
        .map_err(io_err(path))?;
    f.set_len(len).map_err(io_err(path))?;
    f.sync_all().map_err(io_err(path))
}

/// Appends whole lines `bytes` (each ending in `\n`) to the journal `path`, creating it, and
/// flushes to disk. Never follows a symbolic link. A final line without its line break — what
/// a crash in the middle of an earlier append leaves — is cut first, so every line stays
/// readable. When writing fails the journal is cut back to where it was.
pub fn append_journal(path: &Path, bytes: &[u8]) -> Result<Appended, FileError> {
    if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(dir).map_err(io_err(dir))?;
    }
    refuse_link(path)?;
    let mut f = open_nofollow(OpenOptions::new().read(true).append(true).create(true))
        .open(path)
        .map_err(io_err(path))?;
    let meta = f.metadata().map_err(io_err(path))?;
    if !meta.is_file() {
        return Err(FileError::Escapes {
            path: path.to_path_buf(),
            message: "is not a regular file".into(),
        });
    }
    let mut before = meta.len();
    let mut cut_torn = 0;
    if before > 0 {
        let end = torn_tail(&mut f, before).map_err(io_err(path))?;
        if end < before {
            cut_torn = usize::try_from(before - end).unwrap_or(usize::MAX);
            f.set_len(end).map_err(io_err(path))?;
            before = end;
        }
    }
    let write = |f: &mut File| -> io::Result<()> {
        fault("journal-append")?;
        if faulting("journal-append-torn") {
            // Half the bytes, then die: a torn line.
            f.write_all(&bytes[..bytes.len() / 2])?;
            f.sync_data()?;
            std::process::abort();
        }
        f.write_all(bytes)?;
        f.sync_data()
    };
    if let Err(e) = write(&mut f) {
        let _ = f.set_len(before);
        let _ = f.sync_all();
        return Err(io_err(path)(e));
    }
    Ok(Appended {
        path: path.to_path_buf(),
        before,
        cut_torn,
    })
}

/// Where the last complete line of a file of `len` bytes ends (`len` when the file ends with a
/// line break).
fn torn_tail(f: &mut File, len: u64) -> io::Result<u64> {
    let mut pos = len;
    let mut buf = vec![0u8; 4096];
    loop {
        let start = pos.saturating_sub(buf.len() as u64);
        let n = usize::try_from(pos - start).unwrap_or(0);
        f.seek(SeekFrom::Start(start))?;
        f.read_exact(&mut buf[..n])?;
        if pos == len && buf[n - 1] == b'\n' {
            return Ok(len);
        }
        if let Some(i) = buf[..n].iter().rposition(|&b| b == b'\n') {
            return Ok(start + i as u64 + 1);
        }
        if start == 0 {
            return Ok(0);
        }
        pos = start;
    }
}

/// Appends `bytes` to `path` (creating it) and flushes to disk: for append-only journals that
/// need no rollback ([`append_journal`] without keeping the handle).
pub fn append_durable(path: &Path, bytes: &[u8]) -> Result<(), FileError> {
    append_journal(path, bytes).map(|_| ())
}

/// An exclusive advisory lock held while the value lives.
#[derive(Debug)]
pub struct Lock {
    file: File,
    path: PathBuf,
}

/// Who holds a lock, as written into the lock file.
fn holder_line() -> String {
    let host = fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| fs::read_to_string("/etc/hostname"))
        .map(|h| h.trim().to_string())
        .ok()
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "this machine".into());
    let args: Vec<String> = std::env::args().take(3).collect();
    let command = args
        .iter()
        .enumerate()
        .map(|(i, a)| {
            if i == 0 {
                Path::new(a)
                    .file_name()
                    .map_or_else(|| a.clone(), |n| n.to_string_lossy().into_owned())
            } else {
                a.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(" ");
    format!(
        "`{command}` (pid {} on {host}, since {})\n",
        std::process::id(),
        crate::clock::now()
    )
}

impl Lock {
    /// Locks `path` (usually `<data>.lock`), waiting up to `wait` for another holder. The lock
    /// file is never opened through a link; once held it names this process.
    pub fn acquire(path: &Path, wait: Duration) -> Result<Self, FileError> {
        if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(dir).map_err(io_err(dir))?;
        }
        let start = Instant::now();
        let mut pause = Duration::from_millis(5);
        loop {
            refuse_link(path)?;
            let file = open_nofollow(OpenOptions::new().create(true).truncate(false).write(true))
                .open(path)
                .map_err(io_err(path))?;
            match file.try_lock() {
                Ok(()) => {
                    let lock = Self {
                        file,
                        path: path.to_path_buf(),
                    };
                    // Someone may have deleted and recreated the file between our open and our
                    // lock: then we hold a lock nobody else will look at. Start again.
                    if lock.verify().is_err() {
                        continue;
                    }
                    let mut f = &lock.file;
                    let _ = f.set_len(0);
                    let _ = f.write_all(holder_line().as_bytes());
                    return Ok(lock);
                }
                Err(fs::TryLockError::WouldBlock) => {
                    let waited = start.elapsed();
                    if waited >= wait {
                        let holder = fs::read_to_string(path)
                            .ok()
                            .map(|s| s.trim().to_string())
                            .filter(|s| !s.is_empty());
                        return Err(FileError::Locked {
                            path: path.to_path_buf(),
                            holder,
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

    /// Checks that the lock file on disk is still the one this lock holds: when someone
    /// deleted it (and another process may have created and locked a new one), writing now
    /// could lose that process's work.
    pub fn verify(&self) -> Result<(), FileError> {
        let lost = || FileError::LockLost {
            path: self.path.clone(),
        };
        let held = self.file.metadata().map_err(|_| lost())?;
        let now = fs::symlink_metadata(&self.path).map_err(|_| lost())?;
        if same_file(&held, &now) {
            Ok(())
        } else {
            Err(lost())
        }
    }
}

#[cfg(unix)]
fn same_file(a: &fs::Metadata, b: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(_: &fs::Metadata, b: &fs::Metadata) -> bool {
    b.is_file()
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
    fn an_atomic_file_appears_whole_or_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out/a.html");
        {
            let mut f = AtomicFile::create(&target).unwrap();
            f.writer().write_all(b"half").unwrap();
        }
        assert!(!target.exists());
        assert_eq!(fs::read_dir(target.parent().unwrap()).unwrap().count(), 0);
        let mut f = AtomicFile::create(&target).unwrap();
        f.write_all(b"whole").unwrap();
        assert_eq!(f.commit().unwrap(), target);
        assert_eq!(fs::read_to_string(&target).unwrap(), "whole");
        let blocker = dir.path().join("file");
        fs::write(&blocker, "x").unwrap();
        assert!(AtomicFile::create(&blocker.join("x.html")).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn an_atomic_file_replaces_a_link_instead_of_writing_through_it() {
        let dir = tempfile::tempdir().unwrap();
        let outside = dir.path().join("outside.txt");
        fs::write(&outside, "mine").unwrap();
        let link = dir.path().join("edition.html");
        std::os::unix::fs::symlink(&outside, &link).unwrap();
        write_atomic(&link, b"new").unwrap();
        assert_eq!(fs::read_to_string(&outside).unwrap(), "mine");
        assert!(
            !fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        // A link planted where the temporary file goes is never written through either.
        let planted = temp_path(dir.path(), &dir.path().join("b.txt"));
        std::os::unix::fs::symlink(&outside, &planted).unwrap();
        write_atomic(&dir.path().join("b.txt"), b"b").unwrap();
        assert_eq!(fs::read_to_string(&outside).unwrap(), "mine");
    }

    #[test]
    fn stale_temporary_copies_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("doc.jsonl");
        fs::write(dir.path().join(".doc.jsonl.4242.tmp"), b"old").unwrap();
        fs::write(dir.path().join(".other.jsonl.4242.tmp"), b"keep").unwrap();
        fs::write(dir.path().join(".doc.jsonl.x.tmp"), b"keep").unwrap();
        assert_eq!(remove_stale_temps(&p), 1);
        let mut names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, [".doc.jsonl.x.tmp", ".other.jsonl.4242.tmp"]);
    }

    #[test]
    fn append_adds_lines_and_cuts_a_torn_one() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("history.jsonl");
        append_durable(&p, b"a\n").unwrap();
        append_durable(&p, b"b\n").unwrap();
        assert_eq!(fs::read_to_string(&p).unwrap(), "a\nb\n");
        fs::write(&p, b"a\nb\n{\"tor").unwrap();
        let appended = append_journal(&p, b"c\n").unwrap();
        assert_eq!(appended.cut_torn, 5);
        assert_eq!(fs::read_to_string(&p).unwrap(), "a\nb\nc\n");
        appended.rollback().unwrap();
        assert_eq!(fs::read_to_string(&p).unwrap(), "a\nb\n");
        fs::write(&p, b"no line break at all").unwrap();
        let _ = append_journal(&p, b"d\n").unwrap();
        assert_eq!(fs::read_to_string(&p).unwrap(), "d\n");
    }

    #[cfg(unix)]
    #[test]
    fn links_are_never_followed() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let target = outside.path().join("profile");
        fs::write(&target, b"mine\n").unwrap();
        let link = dir.path().join("history.jsonl");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let e = append_journal(&link, b"x\n").unwrap_err();
        assert!(e.to_string().contains("symbolic link"), "{e}");
        let lock = dir.path().join(".lock");
        std::os::unix::fs::symlink(&target, &lock).unwrap();
        assert!(Lock::acquire(&lock, Duration::from_millis(10)).is_err());
        assert_eq!(fs::read_to_string(&target).unwrap(), "mine\n");
        // A folder that leads outside.
        let linked = dir.path().join("translations");
        std::os::unix::fs::symlink(outside.path(), &linked).unwrap();
        let e = confine(dir.path(), &linked.join("en/doc.jsonl")).unwrap_err();
        assert!(e.to_string().contains("leads outside the project"), "{e}");
        confine(dir.path(), &dir.path().join("glossary/en.tsv")).unwrap();
        let e = confine(dir.path(), &link).unwrap_err();
        assert!(e.to_string().contains("symbolic link"), "{e}");
    }

    #[test]
    fn a_second_lock_waits_then_names_the_holder() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("en.lock");
        let held = Lock::acquire(&p, DEFAULT_LOCK_WAIT).unwrap();
        let err = Lock::acquire(&p, Duration::from_millis(50)).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("locked by another duiyi process"), "{msg}");
        assert!(
            msg.contains(&format!("pid {}", std::process::id())),
            "{msg}"
        );
        assert!(!msg.contains("remove"), "{msg}");
        drop(held);
        Lock::acquire(&p, Duration::from_millis(50)).unwrap();
    }

    #[test]
    fn a_deleted_lock_file_is_noticed_before_writing() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("en.lock");
        let held = Lock::acquire(&p, DEFAULT_LOCK_WAIT).unwrap();
        held.verify().unwrap();
        fs::remove_file(&p).unwrap();
        let other = Lock::acquire(&p, Duration::from_millis(50)).unwrap();
        assert!(matches!(held.verify(), Err(FileError::LockLost { .. })));
        other.verify().unwrap();
    }
}
