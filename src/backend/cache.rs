//! The answer cache: `.duiyi/cache/<lang>.jsonl` (git-ignored), one `{"key","text"}` a line.
//!
//! The key hashes the backend's name and model, both languages, the source text, its term set
//! and whether the request was the strict retry, so a rerun pays nothing twice while a changed
//! term or model asks again. Lines are appended as answers arrive; a torn last line (a crash
//! mid-write) is skipped when read.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{BackendError, Languages, Request};

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
    /// [`cache_dir`](crate::project::Project::cache_dir)).
    pub fn open(dir: &Path, lang: &str) -> Result<Self, BackendError> {
        let path = dir.join(format!("{lang}.jsonl"));
        let mut map = HashMap::new();
        if let Ok(text) = std::fs::read_to_string(&path) {
            for line in text.lines() {
                if let Ok(l) = serde_json::from_str::<Line>(line) {
                    map.insert(l.key, l.text);
                }
            }
        }
        Ok(Self { path, map })
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
                let ignore = top.join(".gitignore");
                if !ignore.exists() {
                    let _ = std::fs::write(&ignore, "*\n");
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
