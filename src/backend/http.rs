//! What the HTTP backends share: one [`Http`] client per backend that sends JSON requests and
//! reads their answers within limits, and turns failures into [`BackendError`]s.
//!
//! An engine's answer is untrusted input, and the engine's host is the only one that may see
//! the key. So:
//!
//! - an answer is read as a stream and abandoned past `max_answer_bytes` (default 16 MiB,
//!   [`DEFAULT_MAX_ANSWER`]) instead of being read whole, whatever its `Content-Length` says;
//! - a `Retry-After` longer than `max_wait` (default 60 s, [`DEFAULT_MAX_WAIT`]) fails the
//!   request at once instead of sleeping that long while holding the language's lock;
//! - redirects are followed only to the same host (an `http` → `https` upgrade included), never
//!   to another host or down to `http`: the key travels in a header or in the body, and a
//!   redirect to another host would carry it there;
//! - every error message has the key replaced by `[redacted]` (a server may echo it), and never
//!   carries a URL (reqwest's errors name it).

use std::time::Duration;

use reqwest::{Client, RequestBuilder, Response, StatusCode, Url};
use serde::de::DeserializeOwned;

use super::{BackendError, Secret};
use crate::project::BackendSettings;

/// The largest answer read by default (`max_answer_bytes`): 16 MiB, far above any batch.
pub const DEFAULT_MAX_ANSWER: u64 = 16 * 1024 * 1024;

/// The longest `Retry-After` waited for by default (`max_wait`).
pub const DEFAULT_MAX_WAIT: Duration = Duration::from_mins(1);

/// Redirects followed at most.
const MAX_REDIRECTS: usize = 5;

/// The HTTP side of one backend: its client, its limits, and the key to keep out of messages.
#[derive(Debug)]
pub struct Http {
    name: String,
    client: Client,
    max_answer: u64,
    max_wait: Duration,
    key: Option<Secret>,
}

impl Http {
    /// The client of backend `name` with the limits of its table; `key` is redacted from every
    /// error.
    pub fn new(
        name: &str,
        settings: &BackendSettings,
        key: Option<&Secret>,
    ) -> Result<Self, BackendError> {
        let client = Client::builder()
            .user_agent(concat!("duiyi/", env!("CARGO_PKG_VERSION")))
            .pool_max_idle_per_host(64)
            .redirect(reqwest::redirect::Policy::custom(|attempt| {
                if attempt.previous().len() > MAX_REDIRECTS {
                    return attempt.error(format!("more than {MAX_REDIRECTS} redirects"));
                }
                let allowed = attempt
                    .previous()
                    .first()
                    .is_none_or(|from| same_host(from, attempt.url()));
                if allowed {
                    attempt.follow()
                } else {
                    let to = attempt.url();
                    let port = to.port().map(|p| format!(":{p}")).unwrap_or_default();
                    let host = format!("{}{port}", to.host_str().unwrap_or("?"));
                    attempt.error(format!(
                        "the server redirected to another host ({host}); duiyi does not follow it, so the API key stays with the host you configured: set `url` to the address the service wants"
                    ))
                }
            }))
            .build()
            .map_err(|e| BackendError::Config(format!("backend {name}: {}", e.without_url())))?;
        let max_wait = settings
            .max_wait
            .filter(|s| s.is_finite() && *s >= 0.0)
            .map_or(DEFAULT_MAX_WAIT, Duration::from_secs_f64);
        Ok(Self {
            name: name.to_string(),
            client,
            max_answer: settings.max_answer_bytes.unwrap_or(DEFAULT_MAX_ANSWER),
            max_wait,
            key: key.cloned(),
        })
    }

    /// A POST request to `url`.
    pub fn post(&self, url: &str) -> RequestBuilder {
        self.client.post(url)
    }

    /// Sends `request` and reads its answer (at most `max_answer_bytes`), or the error the
    /// transport or the status means.
    pub async fn send(&self, request: RequestBuilder) -> Result<Vec<u8>, BackendError> {
        let result = async {
            let response = request.send().await.map_err(|e| transport(&self.name, e))?;
            let status = response.status();
            let retry_after = retry_after(&response);
            let body = self.read(response).await?;
            if status.is_success() {
                return Ok(body);
            }
            match retry_after {
                Some(asked) if asked > self.max_wait => Err(BackendError::Wait {
                    backend: self.name.clone(),
                    status: status.as_u16(),
                    asked,
                    max: self.max_wait,
                }),
                _ => Err(status_error(&self.name, status, &body, retry_after)),
            }
        }
        .await;
        result.map_err(|e| self.redact(e))
    }

    /// Sends `request` and parses its JSON answer.
    pub async fn send_json<T: DeserializeOwned>(
        &self,
        request: RequestBuilder,
    ) -> Result<T, BackendError> {
        let body = self.send(request).await?;
        parse_json(&self.name, &body).map_err(|e| self.redact(e))
    }

    /// `e` with the key replaced by `[redacted]` in every message.
    pub fn redact(&self, e: BackendError) -> BackendError {
        match &self.key {
            Some(key) => e.redact(key.expose()),
            None => e,
        }
    }

    /// Reads the body as a stream, stopping past the limit.
    async fn read(&self, mut response: Response) -> Result<Vec<u8>, BackendError> {
        let too_large = || BackendError::TooLarge {
            backend: self.name.clone(),
            limit: self.max_answer,
        };
        if response
            .content_length()
            .is_some_and(|n| n > self.max_answer)
        {
            return Err(too_large());
        }
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| transport(&self.name, e))?
        {
            if (body.len() + chunk.len()) as u64 > self.max_answer {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }
}

/// Whether a redirect from `from` to `to` stays with the same host: same host, and the same
/// scheme and port, or an upgrade from `http` to `https` on the default ports.
fn same_host(from: &Url, to: &Url) -> bool {
    if from.host_str() != to.host_str() {
        return false;
    }
    let same =
        from.scheme() == to.scheme() && from.port_or_known_default() == to.port_or_known_default();
    let upgrade = from.scheme() == "http"
        && to.scheme() == "https"
        && from.port().is_none()
        && to.port().is_none();
    same || upgrade
}

/// Parses a JSON answer of backend `name`.
pub fn parse_json<T: DeserializeOwned>(name: &str, body: &[u8]) -> Result<T, BackendError> {
    serde_json::from_slice(body).map_err(|e| BackendError::Malformed {
        backend: name.to_string(),
        message: e.to_string(),
    })
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

/// Maps a transport error (never naming the URL), with its causes.
fn transport(name: &str, e: reqwest::Error) -> BackendError {
    let timeout = e.is_timeout();
    let e = e.without_url();
    if timeout {
        return BackendError::Timeout {
            backend: name.to_string(),
            after: Duration::ZERO,
        };
    }
    let mut message = e.to_string();
    let mut cause = std::error::Error::source(&e);
    while let Some(c) = cause {
        message.push_str(": ");
        message.push_str(&c.to_string());
        cause = c.source();
    }
    BackendError::Connection {
        backend: name.to_string(),
        message,
    }
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
    parse_retry_after(
        response
            .headers()
            .get(reqwest::header::RETRY_AFTER)?
            .to_str()
            .ok()?,
    )
}

/// A `Retry-After` value in seconds; one too large for a [`Duration`] is the largest one
/// (it is then beyond any `max_wait`).
fn parse_retry_after(value: &str) -> Option<Duration> {
    let secs = value
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|s| !s.is_nan() && *s >= 0.0)?;
    Some(Duration::try_from_secs_f64(secs).unwrap_or(Duration::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    /// A server that answers 200 with an endless chunked body.
    fn endless_server() -> String {
        use std::io::{Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        std::thread::spawn(move || {
            let Ok((mut stream, _)) = listener.accept() else {
                return;
            };
            let mut request = [0u8; 4096];
            let _ = stream.read(&mut request);
            let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
            let chunk = format!("400\r\n{}\r\n", "x".repeat(1024));
            while stream.write_all(chunk.as_bytes()).is_ok() {}
        });
        format!("http://{addr}/")
    }

    #[tokio::test]
    async fn an_endless_answer_is_read_only_up_to_the_limit() {
        let url = endless_server();
        let settings = BackendSettings {
            max_answer_bytes: Some(64 * 1024),
            ..BackendSettings::default()
        };
        let http = Http::new("test", &settings, None).unwrap();
        let err = http.send(http.post(&url)).await.unwrap_err();
        assert!(
            matches!(err, BackendError::TooLarge { limit: 65536, .. }),
            "{err}"
        );
    }

    #[test]
    fn an_error_never_shows_the_key() {
        let key = Secret::new("sk-SECRET");
        let http = Http::new("test", &BackendSettings::default(), Some(&key)).unwrap();
        let e = status_error(
            "test",
            StatusCode::BAD_REQUEST,
            br#"{"error":{"message":"bad key sk-SECRET"}}"#,
            None,
        );
        assert_eq!(
            http.redact(e).to_string(),
            "test: the server answered 400: bad key [redacted]"
        );
    }

    #[test]
    fn retry_after_values_never_panic() {
        assert_eq!(parse_retry_after(" 2 "), Some(Duration::from_secs(2)));
        assert_eq!(parse_retry_after("1e300"), Some(Duration::MAX));
        assert_eq!(parse_retry_after("inf"), Some(Duration::MAX));
        assert_eq!(parse_retry_after("-1"), None);
        assert_eq!(parse_retry_after("NaN"), None);
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), None);
    }

    #[test]
    fn redirects_stay_with_the_host() {
        assert!(same_host(
            &url("https://a.example/x"),
            &url("https://a.example/y")
        ));
        assert!(same_host(
            &url("http://a.example/x"),
            &url("https://a.example/x")
        ));
        assert!(!same_host(
            &url("https://a.example/x"),
            &url("http://a.example/x")
        ));
        assert!(!same_host(
            &url("https://a.example/x"),
            &url("https://b.example/x")
        ));
        assert!(!same_host(
            &url("http://127.0.0.1:1/x"),
            &url("http://127.0.0.1:2/x")
        ));
        assert!(!same_host(
            &url("https://a.example/x"),
            &url("https://a.example.evil/x")
        ));
    }
}
