//! Google Cloud Translation v2: `POST {url}/language/translate/v2` with `q` as an array.
//!
//! The key travels in the `X-goog-api-key` header, not in the query string, so it can never
//! show up in a URL in an error message, and the header is never sent to another host
//! ([`http`] follows no redirect across hosts). Approved terms travel as protected placeholders
//! ([`super::terms`]).

use serde::Deserialize;
use serde_json::json;

use super::{
    Backend, BackendError, BoxFuture, Languages, Reply, Request, Secret, api_key, http, terms,
};
use crate::project::BackendSettings;

/// The default base URL.
pub const DEFAULT_URL: &str = "https://translation.googleapis.com";

/// A Google Cloud Translation v2 backend.
#[derive(Debug)]
pub struct Google {
    name: String,
    url: String,
    key: Secret,
    batch: usize,
    langs: Languages,
    http: http::Http,
}

impl Google {
    /// Builds the backend; the key is required.
    pub fn new(name: &str, s: &BackendSettings, langs: &Languages) -> Result<Self, BackendError> {
        let key = api_key(name, s, true)?
            .ok_or_else(|| BackendError::Config(format!("backend {name}: no API key")))?;
        Ok(Self {
            name: name.to_string(),
            url: http::base(s.url.as_deref(), DEFAULT_URL),
            http: http::Http::new(name, s, Some(&key))?,
            key,
            batch: s.batch.unwrap_or(25).clamp(1, 128),
            langs: langs.clone(),
        })
    }

    fn source_code(&self) -> String {
        if self.langs.source == "zh" {
            "zh-CN".to_string()
        } else {
            self.langs.source.clone()
        }
    }

    fn endpoint(&self) -> String {
        format!("{}/language/translate/v2", self.url)
    }

    fn body(&self, protected: &[terms::Protected]) -> serde_json::Value {
        json!({
            "q": protected.iter().map(|p| p.text.as_str()).collect::<Vec<_>>(),
            "source": self.source_code(),
            "target": self.langs.target,
            "format": "text",
        })
    }
}

#[derive(Deserialize)]
struct Answer {
    data: Data,
}

#[derive(Deserialize)]
struct Data {
    translations: Vec<Translated>,
}

#[derive(Deserialize)]
struct Translated {
    #[serde(rename = "translatedText")]
    text: String,
}

/// Parses Google's answer to `batch` (`{"data":{"translations":[{"translatedText"}]}}`), one
/// translation per request in order, placeholders restored.
pub fn parse_answer(
    name: &str,
    body: &[u8],
    batch: &[Request],
) -> Result<Vec<Reply>, BackendError> {
    let answer: Answer = http::parse_json(name, body)?;
    let got = answer.data.translations;
    http::check_count(name, got.len(), batch.len())?;
    Ok(terms::restore_batch(
        got.iter().map(|t| t.text.as_str()),
        &terms::protect_batch(batch),
    ))
}

impl Backend for Google {
    fn name(&self) -> &str {
        &self.name
    }

    fn model(&self) -> &str {
        "v2"
    }

    fn batch_size(&self) -> usize {
        self.batch
    }

    fn needs_placeholders(&self) -> bool {
        true
    }

    fn preview(&self, batch: &[Request]) -> String {
        http::preview(&self.endpoint(), &self.body(&terms::protect_batch(batch)))
    }

    fn translate<'a>(
        &'a self,
        batch: &'a [Request],
    ) -> BoxFuture<'a, Result<Vec<Reply>, BackendError>> {
        Box::pin(async move {
            let protected = terms::protect_batch(batch);
            let request = self
                .http
                .post(&self.endpoint())
                .header("X-goog-api-key", self.key.expose())
                .json(&self.body(&protected));
            let body = self.http.send(request).await?;
            parse_answer(&self.name, &body, batch).map_err(|e| self.http.redact(e))
        })
    }
}
