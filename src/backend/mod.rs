//! Machine translation: one [`Backend`] trait, one file per engine, and the [`runner`] that
//! drives any of them concurrently, politely and resumably.
//!
//! A backend only turns a batch of [`Request`]s into as many [`Reply`]s; everything that is the
//! same for every engine lives outside it: the glossary (approved terms travel with each
//! request; [`terms`] protects them as placeholders for engines that take neither a prompt nor a
//! glossary), concurrency, rate limits, timeouts, retries and the cache ([`runner`]), and what
//! lands in the store ([`translate`]). So a new engine is one small file.
//!
//! | backend | engine | terms travel as |
//! | --- | --- | --- |
//! | [`openai`] | OpenAI-compatible chat completions (vLLM, Ollama, llama.cpp, DeepSeek, Qwen) | the prompt |
//! | [`deepl`] | DeepL API v2 | a DeepL glossary |
//! | [`libretranslate`] | LibreTranslate | placeholders |
//! | [`google`] | Google Cloud Translation v2 | placeholders |
//! | [`command`] | any local program speaking JSON lines | the request (and placeholders) |
//! | [`memory`] | the project's translation memory ([`crate::memory`]), offline (the default) | — |
//!
//! API keys are read from the environment variable a `[backends.NAME]` table names, kept in a
//! [`Secret`] whose `Debug` and `Display` print `***`, and sent only to the configured host (in
//! a header, or LibreTranslate's body; [`http`] follows no redirect to another host), so they
//! never reach a file, a log, an error message (a server echoing one is redacted) or
//! `--dry-run` output. A [`command`] backend runs a program, so it runs only in a project the
//! user trusts ([`trust`]).

// Product names (DeepL, LibreTranslate, OpenAI) read better without backticks; a constant
// model name is still a per-backend method of the trait.
#![allow(clippy::doc_markdown, clippy::unnecessary_literal_bound)]

pub mod cache;
pub mod command;
pub mod deepl;
pub mod google;
pub mod http;
pub mod libretranslate;
pub mod memory;
pub mod openai;
pub mod prompt;
pub mod runner;
pub mod terms;
pub mod translate;
pub mod trust;

use std::fmt;
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::time::Duration;

use serde::Serialize;

use crate::project::{BackendKind, BackendSettings, Project};

/// Errors of a backend or of a translation run.
#[derive(Debug, thiserror::Error)]
pub enum BackendError {
    /// The server answered with an error status.
    #[error("{backend}: the server answered {status}{}", .message.as_deref().map(|m| format!(": {m}")).unwrap_or_default())]
    Status {
        /// The backend's name.
        backend: String,
        /// The HTTP status.
        status: u16,
        /// The server's message, when it sent one.
        message: Option<String>,
        /// The `Retry-After` delay of a 429 or 503.
        retry_after: Option<Duration>,
    },
    /// No answer within the timeout.
    #[error("{backend}: no answer within {}s", .after.as_secs_f64())]
    Timeout {
        /// The backend's name.
        backend: String,
        /// The timeout.
        after: Duration,
    },
    /// The connection failed.
    #[error("{backend}: {message}")]
    Connection {
        /// The backend's name.
        backend: String,
        /// What failed (never the URL's query or a key).
        message: String,
    },
    /// An answer larger than `max_answer_bytes`.
    #[error(
        "{backend}: the answer is larger than {limit} bytes (max_answer_bytes in [backends.{backend}]); reading stopped there. Raise max_answer_bytes if the engine really answers that much"
    )]
    TooLarge {
        /// The backend's name.
        backend: String,
        /// The limit in bytes.
        limit: u64,
    },
    /// A `Retry-After` longer than `max_wait`.
    #[error(
        "{backend}: the server answered {status} and asked to wait {}s before trying again (Retry-After), longer than max_wait = {}s in [backends.{backend}]; try again later, or raise max_wait",
        .asked.as_secs_f64(),
        .max.as_secs_f64()
    )]
    Wait {
        /// The backend's name.
        backend: String,
        /// The HTTP status (429 or 503).
        status: u16,
        /// The wait asked for.
        asked: Duration,
        /// The longest wait allowed.
        max: Duration,
    },
    /// An answer that does not have the documented shape.
    #[error("{backend}: malformed answer: {message}")]
    Malformed {
        /// The backend's name.
        backend: String,
        /// What is wrong.
        message: String,
    },
    /// A batch answer whose items do not match the request one to one.
    #[error(
        "{backend}: the answer does not match the batch: {message}; the batch is left untranslated"
    )]
    Batch {
        /// The backend's name.
        backend: String,
        /// What is missing or extra.
        message: String,
    },
    /// The local program of a `command` backend failed.
    #[error("{backend}: {message}")]
    Command {
        /// The backend's name.
        backend: String,
        /// What happened.
        message: String,
    },
    /// A backend that is not configured or is configured wrongly.
    #[error("{0}")]
    Config(String),
    /// The store refused or failed.
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    /// A `command` backend in a project the user has not trusted, or the trust store failed.
    #[error(transparent)]
    Trust(#[from] trust::TrustError),
    /// The glossary could not be read.
    #[error(transparent)]
    Glossary(#[from] crate::glossary::GlossaryError),
    /// The translation memory could not be read.
    #[error(transparent)]
    Memory(#[from] crate::memory::MemoryError),
    /// A file of the cache.
    #[error("{}: {source}", .path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
}

impl BackendError {
    /// Whether the runner should try again: timeouts, connection failures, 429 and 5xx.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Timeout { .. } | Self::Connection { .. } => true,
            Self::Status { status, .. } => *status == 429 || *status >= 500,
            _ => false,
        }
    }

    /// The error with every occurrence of `secret` in its messages replaced by `[redacted]`
    /// (a server may echo the key it was sent).
    #[must_use]
    pub fn redact(self, secret: &str) -> Self {
        if secret.is_empty() {
            return self;
        }
        let clean = |s: String| s.replace(secret, "[redacted]");
        match self {
            Self::Status {
                backend,
                status,
                message,
                retry_after,
            } => Self::Status {
                backend,
                status,
                message: message.map(clean),
                retry_after,
            },
            Self::Connection { backend, message } => Self::Connection {
                backend,
                message: clean(message),
            },
            Self::Malformed { backend, message } => Self::Malformed {
                backend,
                message: clean(message),
            },
            Self::Batch { backend, message } => Self::Batch {
                backend,
                message: clean(message),
            },
            Self::Command { backend, message } => Self::Command {
                backend,
                message: clean(message),
            },
            Self::Config(message) => Self::Config(clean(message)),
            other => other,
        }
    }

    /// The delay the server asked for (`Retry-After`).
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::Status { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}

/// An API key: printed as `***` everywhere.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a key.
    pub fn new(key: impl Into<String>) -> Self {
        Self(key.into())
    }

    /// The key itself, for a request header.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// An approved term found in a segment, with its rendering.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct TermHint {
    /// The source term as found.
    pub source: String,
    /// The approved rendering.
    pub target: String,
}

/// What an LLM is told about where a segment stands.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Context {
    /// The document's title.
    pub title: String,
    /// The headings enclosing the segment, outermost first.
    pub headings: Vec<String>,
    /// The source segments just before.
    pub before: Vec<String>,
    /// The source segments just after.
    pub after: Vec<String>,
}

/// One segment to translate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Request {
    /// The document (with the id, what the memory must never offer the segment: its own record).
    pub doc: String,
    /// The segment id.
    pub id: String,
    /// The segment ref (for messages).
    pub r#ref: String,
    /// The source text.
    pub source: String,
    /// Approved terms in the segment (forbidden renderings are never included).
    pub terms: Vec<TermHint>,
    /// Where the segment stands.
    pub context: Context,
    /// The second attempt after a glossary violation: insist on the terms.
    pub strict: bool,
}

/// What a backend made of one request.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    /// A translation, with a match score when the backend has one (memory).
    Text {
        /// The target text.
        text: String,
        /// The match score (0–1), for memory matches.
        score: Option<f64>,
    },
    /// Nothing good enough: leave the segment untouched (a memory match below the threshold).
    Skip,
}

/// A boxed future returned by [`Backend::translate`].
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Languages of a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Languages {
    /// The source language (`zh`).
    pub source: String,
    /// The target language (`en`).
    pub target: String,
}

/// A translation engine.
pub trait Backend: Send + Sync {
    /// The backend's name (`deepl`, or the `[backends.NAME]` name): goes into `mt:<name>`.
    fn name(&self) -> &str;

    /// The model or engine version, part of the cache key.
    fn model(&self) -> &str;

    /// Segments per request.
    fn batch_size(&self) -> usize {
        1
    }

    /// Whether terms must be protected as placeholders (engines without prompt or glossary).
    fn needs_placeholders(&self) -> bool {
        false
    }

    /// Whether the backend is the offline memory (no cache, no rate limits, origin `memory`).
    fn is_memory(&self) -> bool {
        false
    }

    /// Work done once before the first request (a DeepL glossary).
    fn prepare<'a>(&'a self, _terms: &'a [TermHint]) -> BoxFuture<'a, Result<(), BackendError>> {
        Box::pin(async { Ok(()) })
    }

    /// What would be sent for a batch (`--dry-run`): the request body, never a key.
    fn preview(&self, batch: &[Request]) -> String;

    /// Translates a batch: exactly one reply per request, in order.
    fn translate<'a>(
        &'a self,
        batch: &'a [Request],
    ) -> BoxFuture<'a, Result<Vec<Reply>, BackendError>>;
}

/// Settings resolved for a run: the backend's own and the runner's.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// The backend's name.
    pub name: String,
    /// Its kind.
    pub kind: BackendKind,
    /// Its table (defaults filled in by each backend).
    pub settings: BackendSettings,
}

/// Finds the backend `name` in `duiyi.toml` (`memory` needs no table; a table's `type`
/// defaults to its name when that is a kind). A `command` backend is refused unless the user
/// trusts the project ([`trust`]): a cloned `duiyi.toml` must not run programs.
pub fn resolve(project: &Project, name: Option<&str>) -> Result<Resolved, BackendError> {
    let name = name.unwrap_or("memory");
    let settings = project.config().backends.get(name).cloned();
    let kind_of = |n: &str| -> Option<BackendKind> {
        serde_json::from_value(serde_json::Value::String(n.to_string())).ok()
    };
    let (kind, settings) = match settings {
        Some(s) => {
            let kind = s.kind.or_else(|| kind_of(name)).ok_or_else(|| {
                BackendError::Config(format!(
                    "[backends.{name}] in duiyi.toml needs `type` (openai, deepl, libretranslate, google, command or memory)"
                ))
            })?;
            (kind, s)
        }
        None => {
            if let Some(kind) = kind_of(name) {
                (kind, BackendSettings::default())
            } else {
                let known: Vec<_> = project.config().backends.keys().cloned().collect();
                return Err(BackendError::Config(format!(
                    "no backend {name:?}: add a [backends.{name}] table to duiyi.toml (configured: {})",
                    if known.is_empty() {
                        "none; memory is always available".to_string()
                    } else {
                        known.join(", ")
                    }
                )));
            }
        }
    };
    if kind == BackendKind::Command && !settings.command.is_empty() {
        trust::TrustStore::of_user()?.check(project, name, &settings.command)?;
    }
    Ok(Resolved {
        name: name.to_string(),
        kind,
        settings,
    })
}

/// The API key from the environment variable `api_key_env` names; `required` makes a missing
/// one an error that names the variable (never a value).
pub fn api_key(
    name: &str,
    settings: &BackendSettings,
    required: bool,
) -> Result<Option<Secret>, BackendError> {
    match &settings.api_key_env {
        Some(var) => match std::env::var(var) {
            Ok(v) if !v.trim().is_empty() => Ok(Some(Secret::new(v.trim()))),
            _ => Err(BackendError::Config(format!(
                "backend {name}: the environment variable {var} (api_key_env) is not set; export it with your API key"
            ))),
        },
        None if required => Err(BackendError::Config(format!(
            "backend {name}: set api_key_env in [backends.{name}] to the name of the environment variable holding the API key"
        ))),
        None => Ok(None),
    }
}

/// Builds the backend a resolved table describes (the memory backend reads the project's
/// translation memory of `langs.target`).
pub fn build(
    project: &Project,
    resolved: &Resolved,
    langs: &Languages,
) -> Result<Box<dyn Backend>, BackendError> {
    let name = resolved.name.as_str();
    let s = &resolved.settings;
    Ok(match resolved.kind {
        BackendKind::Openai => Box::new(openai::OpenAi::new(project, name, s, langs)?),
        BackendKind::Deepl => Box::new(deepl::DeepL::new(project, name, s, langs)?),
        BackendKind::Libretranslate => {
            Box::new(libretranslate::LibreTranslate::new(name, s, langs)?)
        }
        BackendKind::Google => Box::new(google::Google::new(name, s, langs)?),
        BackendKind::Command => Box::new(command::CommandBackend::new(project, name, s, langs)?),
        BackendKind::Memory => Box::new(memory::MemoryBackend::new(
            name,
            crate::memory::Memory::from_project(project, &langs.target)?,
            s.threshold.unwrap_or(crate::memory::DEFAULT_THRESHOLD),
        )),
    })
}
