//! Google Cloud Translation v2: `POST {url}/language/translate/v2` with `q` as an array.
//!
//! The key travels in the `X-goog-api-key` header, not in the query string, so it can never
//! show up in a URL in an error message. Approved terms travel as protected placeholders
//! ([`super::terms`]).

use reqwest::Client;
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
    client: Client,
}

impl Google {
    /// Builds the backend; the key is required.
    pub fn new(name: &str, s: &BackendSettings, langs: &Languages) -> Result<Self, BackendError> {
        let key = api_key(name, s, true)?
            .ok_or_else(|| BackendError::Config(format!("backend {name}: no API key")))?;
        Ok(Self {
            name: name.to_string(),
            url: http::base(s.url.as_deref(), DEFAULT_URL),
            key,
            batch: s.batch.unwrap_or(25).clamp(1, 128),
            langs: langs.clone(),
            client: http::client(name)?,
        })
    }

    fn source_code(&self) -> String {
        if self.langs.source == "zh" {
            "zh-CN".to_string()
        } else {
            self.langs.source.clone()
        }
    }

    fn body(&self, texts: &[String]) -> serde_json::Value {
        json!({
            "q": texts,
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
        let texts: Vec<String> = batch
            .iter()
            .map(|r| terms::protect(&r.source, &r.terms).text)
            .collect();
        format!(
            "POST {}/language/translate/v2\n{}",
            self.url,
            serde_json::to_string_pretty(&self.body(&texts)).unwrap_or_default()
        )
    }

    fn translate<'a>(
        &'a self,
        batch: &'a [Request],
    ) -> BoxFuture<'a, Result<Vec<Reply>, BackendError>> {
        Box::pin(async move {
            let protected: Vec<terms::Protected> = batch
                .iter()
                .map(|r| terms::protect(&r.source, &r.terms))
                .collect();
            let texts: Vec<String> = protected.iter().map(|p| p.text.clone()).collect();
            let response = self
                .client
                .post(format!("{}/language/translate/v2", self.url))
                .header("X-goog-api-key", self.key.expose())
                .json(&self.body(&texts))
                .send()
                .await
                .map_err(|e| http::transport(&self.name, e))?;
            let answer: Answer = http::json(&self.name, response).await?;
            let got = answer.data.translations;
            if got.len() != batch.len() {
                return Err(BackendError::Batch {
                    backend: self.name.clone(),
                    message: format!("{} translations for {} texts", got.len(), batch.len()),
                });
            }
            Ok(got
                .iter()
                .zip(&protected)
                .map(|(t, p)| Reply::Text {
                    text: terms::restore(&t.text, &p.tokens),
                    score: None,
                })
                .collect())
        })
    }
}
