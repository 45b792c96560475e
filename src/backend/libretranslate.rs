//! LibreTranslate: `POST {url}/translate` with `q` as an array, optional `api_key` in the body.
//!
//! LibreTranslate takes no glossary, so approved terms travel as protected placeholders
//! ([`super::terms`]) and are restored in the answer.

use serde::Deserialize;
use serde_json::json;

use super::{
    Backend, BackendError, BoxFuture, Languages, Reply, Request, Secret, api_key, http, terms,
};
use crate::project::BackendSettings;

/// The default base URL.
pub const DEFAULT_URL: &str = "https://libretranslate.com";

/// A LibreTranslate backend.
#[derive(Debug)]
pub struct LibreTranslate {
    name: String,
    url: String,
    key: Option<Secret>,
    batch: usize,
    langs: Languages,
    http: http::Http,
}

impl LibreTranslate {
    /// Builds the backend; the key is optional (self-hosted servers need none).
    pub fn new(name: &str, s: &BackendSettings, langs: &Languages) -> Result<Self, BackendError> {
        let key = api_key(name, s, false)?;
        Ok(Self {
            name: name.to_string(),
            url: http::base(s.url.as_deref(), DEFAULT_URL),
            http: http::Http::new(name, s, key.as_ref())?,
            key,
            batch: s.batch.unwrap_or(25).max(1),
            langs: langs.clone(),
        })
    }

    fn endpoint(&self) -> String {
        format!("{}/translate", self.url)
    }

    fn body(&self, protected: &[terms::Protected], key: Option<&str>) -> serde_json::Value {
        let mut body = json!({
            "q": protected.iter().map(|p| p.text.as_str()).collect::<Vec<_>>(),
            "source": self.langs.source,
            "target": self.langs.target,
            "format": "text",
        });
        if let Some(key) = key {
            body["api_key"] = json!(key);
        }
        body
    }
}

#[derive(Deserialize)]
struct Answer {
    #[serde(rename = "translatedText")]
    translated: Vec<String>,
}

/// Parses LibreTranslate's answer to `batch` (`{"translatedText":[...]}`), one translation
/// per request in order, placeholders restored.
pub fn parse_answer(
    name: &str,
    body: &[u8],
    batch: &[Request],
) -> Result<Vec<Reply>, BackendError> {
    let answer: Answer = http::parse_json(name, body)?;
    http::check_count(name, answer.translated.len(), batch.len())?;
    Ok(terms::restore_batch(
        answer.translated.iter().map(String::as_str),
        &terms::protect_batch(batch),
    ))
}

impl Backend for LibreTranslate {
    fn name(&self) -> &str {
        &self.name
    }

    fn model(&self) -> &str {
        "libretranslate"
    }

    fn batch_size(&self) -> usize {
        self.batch
    }

    fn needs_placeholders(&self) -> bool {
        true
    }

    fn preview(&self, batch: &[Request]) -> String {
        let key = self.key.as_ref().map(|_| "***");
        http::preview(
            &self.endpoint(),
            &self.body(&terms::protect_batch(batch), key),
        )
    }

    fn translate<'a>(
        &'a self,
        batch: &'a [Request],
    ) -> BoxFuture<'a, Result<Vec<Reply>, BackendError>> {
        Box::pin(async move {
            let protected = terms::protect_batch(batch);
            let key = self.key.as_ref().map(Secret::expose);
            let request = self
                .http
                .post(&self.endpoint())
                .json(&self.body(&protected, key));
            let body = self.http.send(request).await?;
            parse_answer(&self.name, &body, batch).map_err(|e| self.http.redact(e))
        })
    }
}
