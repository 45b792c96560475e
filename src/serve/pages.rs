//! The pages: the dashboard (`/`) rendered on the server from [`crate::work::dashboard`], and
//! the editor (`/edit/{lang}`), a page whose script (`assets/editor.js`) works through the
//! JSON API. Templates are minijinja with autoescaping, as the HTML edition's; every asset is
//! embedded, none is fetched from elsewhere.

use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use minijinja::{Environment, context};

use super::App;
use super::api::ApiError;

const LAYOUT: &str = include_str!("assets/layout.html");
const DASHBOARD: &str = include_str!("assets/dashboard.html");
const EDITOR: &str = include_str!("assets/editor.html");
const EDITOR_JS: &str = include_str!("assets/editor.js");
const STYLE: &str = include_str!("assets/workbench.css");

pub(super) fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/", get(dashboard))
        .route("/edit/{lang}", get(editor))
        .route("/assets/{name}", get(asset))
}

fn environment() -> Result<Environment<'static>, minijinja::Error> {
    let mut env = Environment::new();
    env.add_template("layout.html", LAYOUT)?;
    env.add_template("dashboard.html", DASHBOARD)?;
    env.add_template("editor.html", EDITOR)?;
    Ok(env)
}

fn render(name: &str, ctx: &minijinja::Value) -> Result<Html<String>, ApiError> {
    environment()
        .and_then(|env| env.get_template(name)?.render(ctx))
        .map(Html)
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, format!("{e:#}")))
}

async fn dashboard(State(app): State<Arc<App>>) -> Result<Html<String>, ApiError> {
    let app2 = Arc::clone(&app);
    let board =
        tokio::task::spawn_blocking(move || crate::work::dashboard::dashboard(&app2.project))
            .await
            .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e))?
            .map_err(ApiError::from)?;
    render(
        "dashboard.html",
        &context! {
            user => app.user,
            board => minijinja::Value::from_serialize(&board),
        },
    )
}

async fn editor(
    State(app): State<Arc<App>>,
    Path(lang): Path<String>,
) -> Result<Html<String>, ApiError> {
    app.project.target(&lang).map_err(ApiError::from)?;
    let docs: Vec<String> = app
        .project
        .documents()
        .map_err(ApiError::from)?
        .into_iter()
        .map(|d| d.name)
        .collect();
    render(
        "editor.html",
        &context! {
            user => app.user,
            lang => lang,
            source_lang => app.project.source_language(),
            docs => docs,
        },
    )
}

async fn asset(Path(name): Path<String>) -> Response {
    let (body, kind) = match name.as_str() {
        "editor.js" => (EDITOR_JS, "text/javascript; charset=utf-8"),
        "workbench.css" => (STYLE, "text/css; charset=utf-8"),
        _ => return (StatusCode::NOT_FOUND, "no such asset").into_response(),
    };
    ([(header::CONTENT_TYPE, kind)], body).into_response()
}

/// Answers only requests addressed to a loopback name (`localhost`, `127.0.0.1`, `[::1]`):
/// a page on another site that resolves its own name to 127.0.0.1 (DNS rebinding) gets 421.
pub(super) async fn only_loopback_hosts(request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    let name = match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    };
    if host.is_empty() || super::loopback(name).is_ok() {
        next.run(request).await
    } else {
        ApiError::new(
            StatusCode::MISDIRECTED_REQUEST,
            format!("this workbench answers only on this computer, not as {host:?}"),
        )
        .into_response()
    }
}
