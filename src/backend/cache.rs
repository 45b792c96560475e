//! The answer cache: `.duiyi/cache/<lang>.jsonl` (git-ignored), one `{"key","text"}` a line.
//!
//! The key hashes the backend's name and model, both languages, the source text, its term set
//! and whether the request was the strict retry, so a rerun pays nothing twice while a changed
//! term or model asks again. Lines are appended as answers arrive; a torn last line (a crash
//! mid-write) is skipped when read.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{BackendError, Languages, Request};
use crate::files;

/// The cache of one language.
#[derive(Debug)]
pub struct Cache {
    path: PathBuf,
    map: HashMap<String, String>,
}

#[derive(Serialize, Deserialize)]
struct Line {
    key: String,
    text: String,
}

impl Cache {
    /// Opens (or starts) the cache `<lang>.jsonl` in `dir` (the project's
    /// [`cache_dir`](crate::project::Project::cache_dir)). Refuses a cache file that is a
    /// symbolic link or that a linked folder puts outside the project `root`, as every file
    /// duiyi writes (see [`files::confine`]).
    pub fn open(root: &Path, dir: &Path, lang: &str) -> Result<Self, BackendError> {
        let path = dir.join(format!("{lang}.jsonl"));
        files::confine(root, &path).map_err(|e| BackendError::Config(e.to_string()))?;
        let map = std::fs::read_to_string(&path)
            .map(|text| Self::parse(&text))
            .unwrap_or_default();
        Ok(Self { path, map })
    }

    /// The answers of a cache file's text by key; a line that does not parse (a torn last
    /// line) is skipped.
    pub fn parse(text: &str) -> HashMap<String, String> {
        let mut map = HashMap::new();
        for line in text.lines() {
            if let Ok(l) = serde_json::from_str::<Line>(line) {
                map.insert(l.key, l.text);
            }
        }
        map
    }

    /// The key of a request.
    pub fn key(backend: &str, model: &str, langs: &Languages, r: &Request) -> String {
        let mut terms = r.terms.clone();
        terms.sort();
        let material = serde_json::json!([
            backend,
            model,
            langs.source,
            langs.target,
            r.source,
            terms,
            r.strict
        ]);
        blake3::hash(material.to_string().as_bytes()).to_hex()[..32].to_string()
    }

    /// A cached answer.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.map.get(key).map(String::as_str)
    }

    /// Records an answer (appended to the file at once).
    pub fn put(&mut self, key: String, text: &str) -> Result<(), BackendError> {
        if self.map.get(&key).is_some_and(|t| t == text) {
            return Ok(());
        }
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir).map_err(|source| BackendError::Io {
                path: dir.to_path_buf(),
                source,
            })?;
            if let Some(top) = dir.parent() {
                // Created new or left alone: never written through a link a clone brought.
                let ignore = top.join(".gitignore");
                if let Ok(mut f) = std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(&ignore)
                {
                    let _ = f.write_all(b"*\n");
                }
            }
        }
        let mut line = serde_json::to_string(&Line {
            key: key.clone(),
            text: text.to_string(),
        })
        .unwrap_or_default();
        line.push('\n');
        crate::files::append_durable(&self.path, line.as_bytes())
            .map_err(|e| BackendError::Config(e.to_string()))?;
        self.map.insert(key, text.to_string());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cache_a_linked_folder_puts_outside_the_project_is_refused() {
        let root = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(outside.path(), root.path().join(".duiyi")).unwrap();
        let err = Cache::open(root.path(), &root.path().join(".duiyi/cache"), "en").unwrap_err();
        assert!(err.to_string().contains("outside the project"), "{err}");
        assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0);
    }

    #[test]
    fn a_cache_file_that_is_a_link_is_refused() {
        let root = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let dir = root.path().join(".duiyi/cache");
        std::fs::create_dir_all(&dir).unwrap();
        std::os::unix::fs::symlink(outside.path().join("profile"), dir.join("en.jsonl")).unwrap();
        let err = Cache::open(root.path(), &dir, "en").unwrap_err();
        assert!(err.to_string().contains("symbolic link"), "{err}");
        assert!(!outside.path().join("profile").exists());
    }

    #[test]
    fn the_cache_ignore_file_is_never_written_through_a_link() {
        let root = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let dir = root.path().join(".duiyi/cache");
        std::fs::create_dir_all(&dir).unwrap();
        let planted = outside.path().join("planted");
        std::os::unix::fs::symlink(&planted, root.path().join(".duiyi/.gitignore")).unwrap();
        let mut cache = Cache::open(root.path(), &dir, "en").unwrap();
        cache.put("k".into(), "China.").unwrap();
        assert!(!planted.exists(), "written through the link");
        let again = Cache::open(root.path(), &dir, "en").unwrap();
        assert_eq!(again.get("k"), Some("China."));
    }

    #[test]
    fn a_torn_or_foreign_line_of_the_cache_is_skipped() {
        let map = Cache::parse("{\"key\":\"a\",\"text\":\"A.\"}\nnot json\n{\"key\":\"b\",\"te");
        assert_eq!(map.len(), 1);
        assert_eq!(map["a"], "A.");
    }
}
