//! A project's `glossary/` directory: `<lang>.tsv` per target language, the shared
//! `history.jsonl` journal, and the `.lock` file that serializes writers.
//!
//! Every change is a locked read-modify-write: take the lock, read the file fresh, apply the
//! edit in memory (which checks the invariants), write the file atomically, append the
//! journal, release. An edit that fails leaves file and journal untouched.

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::{Change, Glossary, GlossaryError, journal, tsv};
use crate::files::{DEFAULT_LOCK_WAIT, Lock};

/// The glossary directory of a project.
#[derive(Debug, Clone)]
pub struct GlossaryStore {
    dir: PathBuf,
    lock_wait: Duration,
}

impl GlossaryStore {
    /// The store in `dir` (usually `<project>/glossary`); nothing is created until a write.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self {
            dir: dir.into(),
            lock_wait: DEFAULT_LOCK_WAIT,
        }
    }

    /// The same store, waiting at most `wait` for another process's lock.
    #[must_use]
    pub fn with_lock_wait(mut self, wait: Duration) -> Self {
        self.lock_wait = wait;
        self
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The glossary file of `lang`.
    pub fn path(&self, lang: &str) -> PathBuf {
        self.dir.join(format!("{lang}.tsv"))
    }

    /// The journal.
    pub fn journal_path(&self) -> PathBuf {
        self.dir.join("history.jsonl")
    }

    /// The lock file guarding every glossary file of the directory.
    pub fn lock_path(&self) -> PathBuf {
        self.dir.join(".lock")
    }

    /// The glossary of `lang`, or of every language with a glossary file when `None`.
    pub fn load_all(&self, lang: Option<&str>) -> Result<Vec<Glossary>, GlossaryError> {
        let langs = match lang {
            Some(lang) => vec![lang.to_owned()],
            None => self.langs()?,
        };
        langs.iter().map(|l| self.load(l)).collect()
    }

    /// The languages with a glossary file, sorted.
    pub fn langs(&self) -> Result<Vec<String>, GlossaryError> {
        let entries = match std::fs::read_dir(&self.dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(source) => {
                return Err(GlossaryError::Io {
                    path: self.dir.clone(),
                    source,
                });
            }
        };
        let mut langs: Vec<String> = entries
            .filter_map(Result::ok)
            .filter_map(|e| {
                let name = e.file_name().into_string().ok()?;
                name.strip_suffix(".tsv").map(str::to_owned)
            })
            .filter(|lang| !lang.is_empty() && !lang.starts_with('.'))
            .collect();
        langs.sort();
        Ok(langs)
    }

    /// Reads the glossary of `lang` (empty when it has no file yet).
    pub fn load(&self, lang: &str) -> Result<Glossary, GlossaryError> {
        tsv::read(&self.path(lang), lang)
    }

    /// Applies `edit` to the glossary of `lang` under the lock, then writes the file and
    /// journals the changes the edit returns. Returns those changes.
    pub fn update<F>(&self, lang: &str, edit: F) -> Result<Vec<Change>, GlossaryError>
    where
        F: FnOnce(&mut Glossary) -> Result<Vec<Change>, GlossaryError>,
    {
        // The glossary folder is the project's `glossary/`: nothing is written through a link,
        // nor through a folder that leads out of the project.
        let root = self.dir.parent().unwrap_or(&self.dir);
        for path in [self.lock_path(), self.path(lang), self.journal_path()] {
            crate::files::confine(root, &path)?;
        }
        let lock = Lock::acquire(&self.lock_path(), self.lock_wait)?;
        let mut glossary = self.load(lang)?;
        let changes = edit(&mut glossary)?;
        if !changes.is_empty() {
            // Journal first, as the translation stores do: a failed write of the glossary takes
            // the journal entries back, so the journal never misses a change the file has.
            lock.verify()?;
            let appended = journal::append(&self.journal_path(), &changes)?;
            if let Err(e) = tsv::write(&self.path(lang), &glossary) {
                if let Some(a) = appended {
                    let _ = a.rollback();
                }
                return Err(e);
            }
            crate::files::remove_stale_temps(&self.path(lang));
        }
        Ok(changes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glossary::{Stamp, Term};

    #[test]
    fn update_writes_file_and_journal_and_failed_edits_write_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let store = GlossaryStore::new(dir.path().join("glossary"));
        let stamp = Stamp::now("li");
        store
            .update("en", |g| {
                Ok(vec![g.add(
                    Term::proposed("一带一路", "Belt and Road Initiative", "", "", ""),
                    &stamp,
                )?])
            })
            .unwrap();
        let before = std::fs::read_to_string(store.path("en")).unwrap();
        assert!(before.starts_with(tsv::HEADER));
        let err = store
            .update("en", |g| g.approve("不存在", None, false, None, &stamp))
            .unwrap_err();
        assert!(matches!(err, GlossaryError::NotFound { .. }));
        assert_eq!(std::fs::read_to_string(store.path("en")).unwrap(), before);
        let journal = std::fs::read_to_string(store.journal_path()).unwrap();
        assert_eq!(journal.lines().count(), 1);
        assert_eq!(store.langs().unwrap(), vec!["en"]);
    }

    #[test]
    fn a_held_lock_refuses_the_update_and_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let store = GlossaryStore::new(dir.path()).with_lock_wait(Duration::from_millis(50));
        let held = Lock::acquire(&store.lock_path(), Duration::from_millis(10)).unwrap();
        let stamp = Stamp::now("li");
        let err = store
            .update("en", |g| {
                Ok(vec![g.add(
                    Term::proposed("一带一路", "Belt and Road", "", "", ""),
                    &stamp,
                )?])
            })
            .unwrap_err();
        assert!(
            err.to_string().contains("locked by another duiyi process"),
            "{err}"
        );
        assert!(!store.path("en").exists());
        drop(held);
    }
}
