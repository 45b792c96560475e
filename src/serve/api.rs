//! The JSON API under `/api/v1` (documented in `docs/serve.md`): each handler parses the
//! request, calls one library function of [`crate::work`] on the blocking pool, and answers
//! JSON; every error is `{"error": "..."}` with the status that says what kind it is (400 bad
//! input, 403 refused by the review rules, 404 no such language, document or segment, 409 a
//! change based on an old revision, 503 the language is locked by another writer).

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use super::App;
use crate::files::FileError;
use crate::project::ProjectError;
use crate::store::StoreError;
use crate::store::record::{Flag, State as RecordState};
use crate::work::WorkError;
use crate::work::edit::{self, Change, Verdict};
use crate::work::list::{self, Filter};

pub(super) fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/api/v1/events", get(super::events::stream))
        .route("/api/v1/{lang}/segments", get(segments))
        .route("/api/v1/{lang}/segments/{id}", get(segment).put(save))
        .route("/api/v1/{lang}/segments/{id}/review", post(review))
        .route("/api/v1/{lang}/segments/{id}/suggestions", get(suggestions))
        .route("/api/{*rest}", axum::routing::any(no_such_endpoint))
}

/// An error as the API answers it.
#[derive(Debug)]
pub(super) struct ApiError {
    status: StatusCode,
    body: serde_json::Value,
}

impl ApiError {
    pub(super) fn new(status: StatusCode, message: impl std::fmt::Display) -> Self {
        Self {
            status,
            body: json!({ "error": message.to_string() }),
        }
    }

    fn bad(message: impl std::fmt::Display) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(self.body)).into_response()
    }
}

impl From<WorkError> for ApiError {
    fn from(e: WorkError) -> Self {
        match e {
            WorkError::Store(e) | WorkError::Qa(crate::qa::QaError::Store(e)) => e.into(),
            other => Self::new(StatusCode::INTERNAL_SERVER_ERROR, other),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        let status = match &e {
            StoreError::Stale { base, current, .. } => {
                return Self {
                    status: StatusCode::CONFLICT,
                    body: json!({
                        "error": e.to_string(),
                        "base": base,
                        "store": {
                            "target": current.target,
                            "state": current.state,
                            "flags": current.flags,
                            "note": current.note,
                            "who": current.who,
                            "when": current.when,
                            "revision": current.base(),
                        },
                    }),
                };
            }
            StoreError::NotFound { .. }
            | StoreError::NowhereFound { .. }
            | StoreError::Project(
                ProjectError::UnknownLanguage { .. } | ProjectError::UnknownDocument { .. },
            ) => StatusCode::NOT_FOUND,
            StoreError::Review { source, .. } if source.is_refusal() => StatusCode::FORBIDDEN,
            StoreError::WouldReplace { .. } => StatusCode::FORBIDDEN,
            StoreError::Review { .. }
            | StoreError::Ambiguous { .. }
            | StoreError::InSeveralDocuments { .. }
            | StoreError::Obsolete { .. }
            | StoreError::Segment(_)
            | StoreError::Project(ProjectError::WhichDocument { .. }) => StatusCode::BAD_REQUEST,
            StoreError::File(FileError::Locked { .. }) => StatusCode::SERVICE_UNAVAILABLE,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        Self::new(status, e)
    }
}

impl From<ProjectError> for ApiError {
    fn from(e: ProjectError) -> Self {
        StoreError::from(e).into()
    }
}

/// Runs a blocking library call on tokio's blocking pool.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e))?
}

fn parse<T: std::str::FromStr>(name: &str, value: &str) -> Result<T, ApiError>
where
    T::Err: std::fmt::Display,
{
    value
        .parse()
        .map_err(|e| ApiError::bad(format!("{name}={value:?}: {e}")))
}

/// The query of `GET /api/v1/{lang}/segments`, checked: unknown parameters are errors.
fn filter(query: &HashMap<String, String>) -> Result<Filter, ApiError> {
    let mut filter = Filter::default();
    for (key, value) in query {
        let value = value.trim();
        let text = || (!value.is_empty()).then(|| value.to_string());
        match key.as_str() {
            "doc" => filter.doc = text(),
            "state" | "flag" if value.is_empty() => {}
            "state" => filter.state = Some(parse::<RecordState>(key, value)?),
            "flag" => filter.flag = Some(parse::<Flag>(key, value)?),
            "open" => filter.open = parse::<bool>(key, value)?,
            "q" => filter.q = text(),
            "section" => filter.section = text(),
            "offset" => filter.offset = parse::<usize>(key, value)?,
            "limit" => {
                filter.limit = parse::<usize>(key, value)?;
                if filter.limit == 0 || filter.limit > list::MAX_LIMIT {
                    return Err(ApiError::bad(format!(
                        "limit={value}: give 1 to {}",
                        list::MAX_LIMIT
                    )));
                }
            }
            other => {
                return Err(ApiError::bad(format!(
                    "unknown parameter {other:?}; the parameters are doc, state, flag, open, q, section, offset, limit"
                )));
            }
        }
    }
    Ok(filter)
}

/// The `?doc=` of the one-segment endpoints; anything else is an error.
fn doc_of(query: &HashMap<String, String>) -> Result<Option<String>, ApiError> {
    for key in query.keys() {
        if key != "doc" {
            return Err(ApiError::bad(format!(
                "unknown parameter {key:?}; only doc is known here"
            )));
        }
    }
    Ok(query
        .get("doc")
        .map(|d| d.trim().to_string())
        .filter(|d| !d.is_empty()))
}

async fn segments(
    State(app): State<Arc<App>>,
    Path(lang): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let filter = filter(&query)?;
    let page = blocking(move || {
        Ok(list::segments(&app.project, &lang, &filter, &|spec| {
            app.roles(spec)
        })?)
    })
    .await?;
    Ok(Json(page).into_response())
}

async fn segment(
    State(app): State<Arc<App>>,
    Path((lang, id)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let doc = doc_of(&query)?;
    let detail = blocking(move || {
        Ok(list::segment(
            &app.project,
            &lang,
            doc.as_deref(),
            &id,
            &|spec| app.roles(spec),
        )?)
    })
    .await?;
    Ok(Json(detail).into_response())
}

async fn suggestions(
    State(app): State<Arc<App>>,
    Path((lang, id)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let doc = doc_of(&query)?;
    let found = blocking(move || {
        Ok(crate::work::suggest::suggestions(
            &app.project,
            &lang,
            doc.as_deref(),
            &id,
        )?)
    })
    .await?;
    Ok(Json(found).into_response())
}

/// The body of a save.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SaveBody {
    target: String,
    base: String,
}

/// The body of a verdict.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReviewBody {
    verdict: String,
    #[serde(default)]
    note: Option<String>,
    base: String,
}

fn body<T>(body: Result<Json<T>, JsonRejection>) -> Result<T, ApiError> {
    body.map(|Json(b)| b).map_err(|e| {
        let status = match e {
            JsonRejection::MissingJsonContentType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            _ => StatusCode::BAD_REQUEST,
        };
        ApiError::new(status, e.body_text())
    })
}

async fn save(
    State(app): State<Arc<App>>,
    Path((lang, id)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
    request: Result<Json<SaveBody>, JsonRejection>,
) -> Result<Response, ApiError> {
    let doc = doc_of(&query)?;
    let SaveBody { target, base } = body(request)?;
    let saved = blocking(move || {
        Ok(edit::apply(
            &app.project,
            &lang,
            doc.as_deref(),
            &id,
            Change::Save(&target),
            None,
            &base,
            &app.user,
        )?)
    })
    .await?;
    Ok(Json(saved).into_response())
}

async fn review(
    State(app): State<Arc<App>>,
    Path((lang, id)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
    request: Result<Json<ReviewBody>, JsonRejection>,
) -> Result<Response, ApiError> {
    let doc = doc_of(&query)?;
    let ReviewBody {
        verdict,
        note,
        base,
    } = body(request)?;
    let verdict: Verdict = parse("verdict", &verdict)?;
    let saved = blocking(move || {
        Ok(edit::apply(
            &app.project,
            &lang,
            doc.as_deref(),
            &id,
            Change::Review(verdict),
            note.as_deref(),
            &base,
            &app.user,
        )?)
    })
    .await?;
    Ok(Json(saved).into_response())
}

async fn no_such_endpoint() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "no such endpoint; see docs/serve.md for the API",
    )
}
