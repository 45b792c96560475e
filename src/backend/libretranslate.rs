//! LibreTranslate: `POST {url}/translate` with `q` as an array, optional `api_key` in the body.
//!
//! LibreTranslate takes no glossary, so approved terms travel as protected placeholders
//! ([`super::terms`]) and are restored in the answer.

use reqwest::Client;
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
    client: Client,
}

impl LibreTranslate {
    /// Builds the backend; the key is optional (self-hosted servers need none).
    pub fn new(name: &str, s: &BackendSettings, langs: &Languages) -> Result<Self, BackendError> {
        Ok(Self {
            name: name.to_string(),
            url: http::base(s.url.as_deref(), DEFAULT_URL),
            key: api_key(name, s, false)?,
            batch: s.batch.unwrap_or(25).max(1),
            langs: langs.clone(),
            client: http::client(name)?,
        })
    }

    fn body(&self, texts: &[String], key: Option<&str>) -> serde_json::Value {
        let mut body = json!({
            "q": texts,
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
        let texts: Vec<String> = batch
            .iter()
            .map(|r| terms::protect(&r.source, &r.terms).text)
            .collect();
        let key = self.key.as_ref().map(|_| "***");
        format!(
            "POST {}/translate\n{}",
            self.url,
            serde_json::to_string_pretty(&self.body(&texts, key)).unwrap_or_default()
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
                .post(format!("{}/translate", self.url))
                .json(&self.body(&texts, self.key.as_ref().map(Secret::expose)))
                .send()
                .await
                .map_err(|e| http::transport(&self.name, e))?;
            let answer: Answer = http::json(&self.name, response).await?;
            if answer.translated.len() != batch.len() {
                return Err(BackendError::Batch {
                    backend: self.name.clone(),
                    message: format!(
                        "{} translations for {} texts",
                        answer.translated.len(),
                        batch.len()
                    ),
                });
            }
            Ok(answer
                .translated
                .iter()
                .zip(&protected)
                .map(|(t, p)| Reply::Text {
                    text: terms::restore(t, &p.tokens),
                    score: None,
                })
                .collect())
        })
    }
}
