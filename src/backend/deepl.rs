//! DeepL API v2: `POST /v2/translate`, with the approved terms as a DeepL glossary.
//!
//! The host is `api-free.deepl.com` for keys ending in `:fx` (DeepL's convention for free
//! accounts) and `api.deepl.com` otherwise, unless `url` says. Before the first request the
//! approved terms of the language become one glossary (`POST /v2/glossaries`, TSV entries);
//! its id is remembered in `.duiyi/deepl-glossaries.json` under a hash of the host, languages
//! and entries, so it is reused while the terms are unchanged and a new one is made when they
//! change.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::OnceLock;

use serde::Deserialize;
use serde_json::json;

use super::{
    Backend, BackendError, BoxFuture, Languages, Reply, Request, Secret, TermHint, api_key, http,
};
use crate::project::{BackendSettings, Project};

/// A DeepL backend.
#[derive(Debug)]
pub struct DeepL {
    name: String,
    url: String,
    key: Secret,
    batch: usize,
    langs: Languages,
    http: http::Http,
    ids_file: PathBuf,
    glossary: OnceLock<Option<String>>,
}

impl DeepL {
    /// Builds the backend; the key is required.
    pub fn new(
        project: &Project,
        name: &str,
        s: &BackendSettings,
        langs: &Languages,
    ) -> Result<Self, BackendError> {
        let key = api_key(name, s, true)?
            .ok_or_else(|| BackendError::Config(format!("backend {name}: no API key")))?;
        let default = if key.expose().ends_with(":fx") {
            "https://api-free.deepl.com"
        } else {
            "https://api.deepl.com"
        };
        Ok(Self {
            name: name.to_string(),
            url: http::base(s.url.as_deref(), default),
            http: http::Http::new(name, s, Some(&key))?,
            key,
            batch: s.batch.unwrap_or(25).clamp(1, 50),
            langs: langs.clone(),
            ids_file: project.state_dir().join("deepl-glossaries.json"),
            glossary: OnceLock::new(),
        })
    }

    fn auth(&self) -> String {
        format!("DeepL-Auth-Key {}", self.key.expose())
    }

    fn body(&self, batch: &[Request]) -> serde_json::Value {
        let mut body = json!({
            "text": batch.iter().map(|r| r.source.as_str()).collect::<Vec<_>>(),
            // DeepL takes a source language without its region or script.
            "source_lang": crate::lang::primary(&self.langs.source).to_uppercase(),
            "target_lang": self.langs.target.to_uppercase(),
        });
        if let Some(Some(id)) = self.glossary.get() {
            body["glossary_id"] = json!(id);
        }
        body
    }

    fn remembered(&self) -> BTreeMap<String, String> {
        std::fs::read(&self.ids_file)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    }
}

/// The TSV entries of a DeepL glossary (tabs and line breaks cannot occur in terms).
pub fn entries(terms: &[TermHint]) -> String {
    let mut sorted: Vec<&TermHint> = terms.iter().collect();
    sorted.sort();
    sorted.dedup_by(|a, b| a.source == b.source);
    let mut out = String::new();
    for t in sorted {
        out.push_str(&t.source);
        out.push('\t');
        out.push_str(&t.target);
        out.push('\n');
    }
    out
}

#[derive(Deserialize)]
struct Translations {
    translations: Vec<Translated>,
}

#[derive(Deserialize)]
struct Translated {
    text: String,
}

#[derive(Deserialize)]
struct Created {
    glossary_id: String,
}

/// Parses DeepL's answer to a batch of `sent` texts (`{"translations":[{"text"}]}`), one
/// translation per text in order.
pub fn parse_answer(name: &str, body: &[u8], sent: usize) -> Result<Vec<Reply>, BackendError> {
    let answer: Translations = http::parse_json(name, body)?;
    http::check_count(name, answer.translations.len(), sent)?;
    Ok(answer
        .translations
        .into_iter()
        .map(|t| Reply::Text {
            text: t.text,
            score: None,
        })
        .collect())
}

impl Backend for DeepL {
    fn name(&self) -> &str {
        &self.name
    }

    fn model(&self) -> &str {
        "v2"
    }

    fn batch_size(&self) -> usize {
        self.batch
    }

    fn prepare<'a>(&'a self, terms: &'a [TermHint]) -> BoxFuture<'a, Result<(), BackendError>> {
        Box::pin(async move {
            if self.glossary.get().is_some() {
                return Ok(());
            }
            if terms.is_empty() {
                let _ = self.glossary.set(None);
                return Ok(());
            }
            let entries = entries(terms);
            let key = blake3::hash(
                format!(
                    "{}\n{}\n{}\n{entries}",
                    self.url, self.langs.source, self.langs.target
                )
                .as_bytes(),
            )
            .to_hex()[..32]
                .to_string();
            let mut known = self.remembered();
            if let Some(id) = known.get(&key) {
                let _ = self.glossary.set(Some(id.clone()));
                return Ok(());
            }
            let request = self
                .http
                .post(&format!("{}/v2/glossaries", self.url))
                .header("Authorization", self.auth())
                .json(&json!({
                    "name": format!("duiyi {}-{} {}", self.langs.source, self.langs.target, &key[..8]),
                    "source_lang": self.langs.source,
                    "target_lang": self.langs.target,
                    "entries": entries,
                    "entries_format": "tsv",
                }));
            let created: Created = self.http.send_json(request).await?;
            known.insert(key, created.glossary_id.clone());
            if let Some(dir) = self.ids_file.parent() {
                let _ = std::fs::create_dir_all(dir);
                let _ = std::fs::write(dir.join(".gitignore"), "*\n");
            }
            let text = serde_json::to_vec_pretty(&known).unwrap_or_default();
            crate::files::write_atomic(&self.ids_file, &text)
                .map_err(|e| BackendError::Config(format!("backend {}: {e}", self.name)))?;
            let _ = self.glossary.set(Some(created.glossary_id));
            Ok(())
        })
    }

    fn preview(&self, batch: &[Request]) -> String {
        http::preview(&format!("{}/v2/translate", self.url), &self.body(batch))
    }

    fn translate<'a>(
        &'a self,
        batch: &'a [Request],
    ) -> BoxFuture<'a, Result<Vec<Reply>, BackendError>> {
        Box::pin(async move {
            let request = self
                .http
                .post(&format!("{}/v2/translate", self.url))
                .header("Authorization", self.auth())
                .json(&self.body(batch));
            let body = self.http.send(request).await?;
            parse_answer(&self.name, &body, batch.len()).map_err(|e| self.http.redact(e))
        })
    }
}
