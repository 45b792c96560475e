//! `duiyi serve`: the translator's and reviewer's workbench in the browser, the second face of
//! the library beside the command line.
//!
//! There is no database: the stores, the journals and the glossary are the data, read and
//! written through the same library calls and the same locks as the command line
//! ([`crate::work`], [`crate::store::apply_one_based`]), so the CLI and any number of browsers
//! work on one project at once. A save carries the revision it was based on; a segment changed
//! meanwhile is a conflict (409) with the text it has now, never an overwrite. Every change,
//! whichever face made it, reaches the open pages as a server-sent event from the journals
//! (`events.rs`), which are written before the stores.
//!
//! The handlers (`api.rs`, `pages.rs`) only turn requests into library calls, run them on
//! tokio's blocking pool (they read files and take locks), and turn results and errors into
//! JSON with the right status. Templates, CSS and JavaScript are embedded data (`assets/`):
//! no build step, nothing fetched from the network, and a Content-Security-Policy that allows
//! only the server's own scripts.
//!
//! Users, logins and roles are not built yet: the server acts as one local user and refuses to
//! listen beyond the loopback interface; it also refuses requests whose `Host` is not a
//! loopback name, so a web page elsewhere cannot reach it through DNS rebinding.

mod api;
mod events;
mod pages;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::http::{HeaderValue, header};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::project::{DocumentSpec, Project};
use crate::work::WorkError;
use crate::work::list::Roles;

/// The port `duiyi serve` listens on unless told otherwise.
pub const DEFAULT_PORT: u16 = 8470;

/// How the workbench is served.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The host name or address to listen on (a loopback one while users are not built).
    pub host: String,
    /// The port (0: any free port; the URL says which).
    pub port: u16,
    /// Who the changes made in the browser are attributed to.
    pub user: String,
}

/// Errors of `duiyi serve`.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// An address beyond the loopback interface.
    #[error(
        "--host {host}: the workbench listens only on this computer (127.0.0.1, ::1 or localhost) until users and logins are configured, which duiyi does not do yet; use an SSH tunnel to reach it from elsewhere"
    )]
    NotLocal {
        /// The host asked for.
        host: String,
    },
    /// Listening failed (the port is taken, or not ours to use).
    #[error("cannot listen on {addr}: {source}; choose another port with --port")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// The runtime or the server failed.
    #[error("the workbench stopped: {0}")]
    Io(#[from] std::io::Error),
}

impl ServeError {
    /// The exit code: 2 (usage or environment).
    pub fn code(&self) -> u8 {
        2
    }
}

/// The loopback address `host` names: `localhost`, or an IPv4 or IPv6 loopback address.
pub fn loopback(host: &str) -> Result<IpAddr, ServeError> {
    let host = host.trim();
    let ip = if host.eq_ignore_ascii_case("localhost") {
        IpAddr::V4(Ipv4Addr::LOCALHOST)
    } else {
        host.trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
            .map_err(|_| ServeError::NotLocal {
                host: host.to_string(),
            })?
    };
    if ip.is_loopback() {
        Ok(ip)
    } else {
        Err(ServeError::NotLocal {
            host: host.to_string(),
        })
    }
}

/// Serves the workbench of `project` until the process is stopped: binds, calls `ready` with
/// the URL to open (the face prints it), then answers requests on a tokio runtime.
pub fn run(
    project: Project,
    settings: &Settings,
    ready: impl FnOnce(&str),
) -> Result<(), ServeError> {
    let ip = loopback(&settings.host)?;
    let addr = SocketAddr::new(ip, settings.port);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|source| ServeError::Bind { addr, source })?;
        let bound = listener.local_addr()?;
        ready(&format!("http://{bound}/"));
        let app = app(project, settings.user.clone());
        axum::serve(listener, app).await?;
        Ok(())
    })
}

/// What every handler shares.
pub(crate) struct App {
    project: Project,
    user: String,
    /// Roles of each document, by the source file's length and modification time.
    roles: Mutex<HashMap<String, (SourceStamp, Arc<Roles>)>>,
    events: events::Hub,
}

/// A source file's length and modification time: when it changes, roles are segmented again.
type SourceStamp = (u64, Option<std::time::SystemTime>);

impl App {
    /// The roles of a document's segments, segmented once per source revision.
    fn roles(&self, spec: &DocumentSpec) -> Result<Arc<Roles>, WorkError> {
        let stamp =
            std::fs::metadata(&spec.path).map_or((0, None), |m| (m.len(), m.modified().ok()));
        let cached = self
            .roles
            .lock()
            .ok()
            .and_then(|c| c.get(&spec.name).cloned());
        if let Some((s, roles)) = cached
            && s == stamp
        {
            return Ok(roles);
        }
        let roles = Arc::new(Roles::of_document(&self.project, spec)?);
        if let Ok(mut cache) = self.roles.lock() {
            cache.insert(spec.name.clone(), (stamp, Arc::clone(&roles)));
        }
        Ok(roles)
    }
}

/// The workbench's routes over `project`, acting as `user`: the pages, the JSON API under
/// `/api/v1` and the event stream. (Tests call it without a listener.)
pub fn app(project: Project, user: String) -> Router {
    let events = events::Hub::start(&project);
    let state = Arc::new(App {
        project,
        user,
        roles: Mutex::new(HashMap::new()),
        events,
    });
    let security = [
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        ),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "DENY"),
    ];
    let mut router = pages::routes()
        .merge(api::routes())
        .layer(axum::middleware::from_fn(pages::only_loopback_hosts))
        .with_state(state);
    for (name, value) in security {
        router = router.layer(SetResponseHeaderLayer::if_not_present(
            name,
            HeaderValue::from_static(value),
        ));
    }
    router
}
