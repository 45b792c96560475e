//! What the HTTP backends share: one client, the request shown by a preview, sending a JSON
//! request, and turning answers into [`BackendError`]s.
//!
//! Error messages never carry a URL (reqwest's errors name it, and a query could hold a key):
//! only the status and the server's own message, trimmed.

use std::time::Duration;

use reqwest::{Client, RequestBuilder, Response, StatusCode};
use serde::de::DeserializeOwned;

use super::BackendError;

/// A client for one backend (connection pooling; the runner applies timeouts).
pub fn client(name: &str) -> Result<Client, BackendError> {
    Client::builder()
        .user_agent(concat!("duiyi/", env!("CARGO_PKG_VERSION")))
        .pool_max_idle_per_host(64)
        .build()
        .map_err(|e| BackendError::Config(format!("backend {name}: {}", e.without_url())))
}

/// The base URL without a trailing slash.
pub fn base(url: Option<&str>, default: &str) -> String {
    url.unwrap_or(default).trim_end_matches('/').to_string()
}

/// What a preview shows of a request: `POST {url}` and the JSON body, indented.
pub fn preview(url: &str, body: &serde_json::Value) -> String {
    format!(
        "POST {url}\n{}",
        serde_json::to_string_pretty(body).unwrap_or_default()
    )
}

/// Sends `request` and reads its JSON answer, or the error the transport or the status means.
pub async fn send<T: DeserializeOwned>(
    name: &str,
    request: RequestBuilder,
) -> Result<T, BackendError> {
    let response = request.send().await.map_err(|e| transport(name, e))?;
    json(name, response).await
}

/// Checks that an answer holds one translation for each of the `sent` texts.
pub fn check_count(name: &str, got: usize, sent: usize) -> Result<(), BackendError> {
    if got == sent {
        return Ok(());
    }
    Err(BackendError::Batch {
        backend: name.to_string(),
        message: format!("{got} translations for {sent} texts"),
    })
}

/// Maps a transport error (never naming the URL).
fn transport(name: &str, e: reqwest::Error) -> BackendError {
    let timeout = e.is_timeout();
    let e = e.without_url();
    if timeout {
        BackendError::Timeout {
            backend: name.to_string(),
            after: Duration::ZERO,
        }
    } else {
        BackendError::Connection {
            backend: name.to_string(),
            message: e.to_string(),
        }
    }
}

/// Reads a JSON answer, or the error the status means.
async fn json<T: DeserializeOwned>(name: &str, response: Response) -> Result<T, BackendError> {
    let status = response.status();
    let retry_after = retry_after(&response);
    let body = response.bytes().await.map_err(|e| transport(name, e))?;
    if !status.is_success() {
        return Err(status_error(name, status, &body, retry_after));
    }
    serde_json::from_slice(&body).map_err(|e| BackendError::Malformed {
        backend: name.to_string(),
        message: e.to_string(),
    })
}

fn status_error(
    name: &str,
    status: StatusCode,
    body: &[u8],
    retry_after: Option<Duration>,
) -> BackendError {
    let text = String::from_utf8_lossy(body);
    let message = serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|v| {
            v.pointer("/error/message")
                .or_else(|| v.get("message"))
                .or_else(|| v.get("error"))
                .and_then(|m| m.as_str().map(str::to_string))
        })
        .or_else(|| Some(text.trim().chars().take(200).collect::<String>()))
        .filter(|m| !m.is_empty());
    let hint = match status.as_u16() {
        401 | 403 => {
            Some("check the API key in the environment variable api_key_env names".to_string())
        }
        _ => None,
    };
    BackendError::Status {
        backend: name.to_string(),
        status: status.as_u16(),
        message: match (message, hint) {
            (Some(m), Some(h)) => Some(format!("{m} ({h})")),
            (m, h) => m.or(h),
        },
        retry_after,
    }
}

/// The `Retry-After` header in seconds (HTTP dates are treated as absent).
fn retry_after(response: &Response) -> Option<Duration> {
    response
        .headers()
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map(Duration::from_secs_f64)
}
