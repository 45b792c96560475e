//! OpenAI-compatible chat completions (`POST {url}/chat/completions`): OpenAI itself, and vLLM,
//! Ollama (`http://localhost:11434/v1`), llama.cpp's server, DeepSeek and Qwen endpoints.
//!
//! Several segments travel in one request; the model is asked for
//! `{"translations": [{"id", "text"}]}` and the answer is parsed strictly: every id of the batch
//! exactly once and nothing else, or the whole batch is an error (a shifted translation landing
//! on the wrong segment is far worse than none). A ```json fence around the object is tolerated.

use std::collections::HashMap;

use serde::Deserialize;
use serde_json::json;

use super::{
    Backend, BackendError, BoxFuture, Languages, Reply, Request, Secret, api_key, http, prompt,
};
use crate::project::{BackendSettings, Project};

/// The default base URL.
pub const DEFAULT_URL: &str = "https://api.openai.com/v1";

/// An OpenAI-compatible chat completions backend.
#[derive(Debug)]
pub struct OpenAi {
    name: String,
    url: String,
    model: String,
    key: Option<Secret>,
    temperature: f64,
    batch: usize,
    template: String,
    langs: Languages,
    http: http::Http,
}

impl OpenAi {
    /// Builds the backend from its table; the key is optional (local servers need none).
    pub fn new(
        project: &Project,
        name: &str,
        s: &BackendSettings,
        langs: &Languages,
    ) -> Result<Self, BackendError> {
        let model = s.model.clone().ok_or_else(|| {
            BackendError::Config(format!(
                "backend {name}: set `model` in [backends.{name}] (for example \"gpt-4o-mini\" or \"qwen2.5:7b\")"
            ))
        })?;
        let template = match &s.prompt {
            Some(rel) => {
                let path = project
                    .inside(rel)
                    .map_err(|e| BackendError::Config(e.to_string()))?;
                std::fs::read_to_string(&path)
                    .map_err(|source| BackendError::Io { path, source })?
            }
            None => prompt::DEFAULT.to_string(),
        };
        let key = api_key(name, s, false)?;
        Ok(Self {
            name: name.to_string(),
            url: http::base(s.url.as_deref(), DEFAULT_URL),
            model,
            http: http::Http::new(name, s, key.as_ref())?,
            key,
            temperature: s.temperature.unwrap_or(0.2),
            batch: s.batch.unwrap_or(8).max(1),
            template,
            langs: langs.clone(),
        })
    }

    fn body(&self, batch: &[Request]) -> serde_json::Value {
        json!({
            "model": self.model,
            "temperature": self.temperature,
            "response_format": {"type": "json_object"},
            "messages": [
                {"role": "user", "content": prompt::render(&self.template, &self.langs, batch)}
            ]
        })
    }
}

#[derive(Deserialize)]
struct Completion {
    choices: Vec<Choice>,
}

#[derive(Deserialize)]
struct Choice {
    message: Message,
}

#[derive(Deserialize)]
struct Message {
    content: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Items {
    translations: Vec<Item>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Item {
    id: String,
    text: String,
}

/// Parses a chat completion answering `batch`: the model's `choices[0].message.content`,
/// read by [`parse_items`].
pub fn parse_answer(
    name: &str,
    body: &[u8],
    batch: &[Request],
) -> Result<Vec<Reply>, BackendError> {
    let completion: Completion = http::parse_json(name, body)?;
    let content = completion
        .choices
        .into_iter()
        .next()
        .and_then(|c| c.message.content)
        .ok_or_else(|| BackendError::Malformed {
            backend: name.to_string(),
            message: "no choices[0].message.content".into(),
        })?;
    parse_items(name, &content, batch)
}

/// Parses the model's answer for `batch` strictly: each id once, no other.
pub fn parse_items(
    name: &str,
    content: &str,
    batch: &[Request],
) -> Result<Vec<Reply>, BackendError> {
    let trimmed = content.trim();
    let unfenced = trimmed
        .strip_prefix("```json")
        .or_else(|| trimmed.strip_prefix("```"))
        .and_then(|s| s.strip_suffix("```"))
        .unwrap_or(trimmed)
        .trim();
    let items: Items = serde_json::from_str(unfenced).map_err(|e| BackendError::Malformed {
        backend: name.to_string(),
        message: format!("the model's answer is not the JSON asked for ({e})"),
    })?;
    let mut by_id: HashMap<&str, &str> = HashMap::new();
    let batch_error = |message: String| BackendError::Batch {
        backend: name.to_string(),
        message,
    };
    for item in &items.translations {
        if !batch.iter().any(|r| r.id == item.id) {
            return Err(batch_error(format!("unexpected item {:?}", item.id)));
        }
        if by_id.insert(&item.id, &item.text).is_some() {
            return Err(batch_error(format!("item {:?} twice", item.id)));
        }
    }
    batch
        .iter()
        .map(|r| match by_id.get(r.id.as_str()) {
            Some(t) if !t.trim().is_empty() => Ok(Reply::Text {
                text: t.trim().to_string(),
                score: None,
            }),
            Some(_) => Err(batch_error(format!("empty text for {}", r.r#ref))),
            None => Err(batch_error(format!("no item for {} ({})", r.r#ref, r.id))),
        })
        .collect()
}

impl Backend for OpenAi {
    fn name(&self) -> &str {
        &self.name
    }

    fn model(&self) -> &str {
        &self.model
    }

    fn batch_size(&self) -> usize {
        self.batch
    }

    fn preview(&self, batch: &[Request]) -> String {
        http::preview(&format!("{}/chat/completions", self.url), &self.body(batch))
    }

    fn translate<'a>(
        &'a self,
        batch: &'a [Request],
    ) -> BoxFuture<'a, Result<Vec<Reply>, BackendError>> {
        Box::pin(async move {
            let mut req = self
                .http
                .post(&format!("{}/chat/completions", self.url))
                .json(&self.body(batch));
            if let Some(key) = &self.key {
                req = req.bearer_auth(key.expose());
            }
            let body = self.http.send(req).await?;
            parse_answer(&self.name, &body, batch).map_err(|e| self.http.redact(e))
        })
    }
}
