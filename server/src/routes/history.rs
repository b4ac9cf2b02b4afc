//! `/api/diagrams/{id}/revisions` and `…/versions`: a diagram's history, the document as of any
//! revision, and the named versions.

use axum::Extension;
use axum::extract::State;
use axum::http::{Method, StatusCode};
use model::api::{NewVersion, RevisionInfo, Role, VersionInfo, VersionPatch};
use model::{Diagram, Uuid};
use serde::Deserialize;

use super::extract::{Json, Path, Query};
use super::{Entry, route};
use crate::auth::{Access, Grant};
use crate::db;
use crate::db::versions;
use crate::error::ApiError;
use crate::state::AppState;
use crate::webhooks::payload;

/// The most revisions one page lists.
const MAX_PAGE: i64 = 1_000;

/// The longest name a version may have, in characters.
const MAX_VERSION_NAME: usize = 100;

pub fn routes() -> Vec<Entry> {
    let viewer = Access::Diagram(Role::Viewer);
    let editor = Access::Diagram(Role::Editor);
    let version = "/diagrams/{id}/versions/{version_id}";
    vec![
        route(Method::GET, "/diagrams/{id}/revisions", viewer, list),
        route(
            Method::GET,
            "/diagrams/{id}/revisions/{revision}",
            viewer,
            document,
        ),
        route(
            Method::GET,
            "/diagrams/{id}/versions",
            viewer,
            list_versions,
        ),
        route(
            Method::POST,
            "/diagrams/{id}/versions",
            editor,
            name_version,
        ),
        route(Method::PATCH, version, editor, rename_version),
        route(Method::DELETE, version, editor, delete_version),
    ]
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Page {
    /// Only revisions before this one.
    #[serde(default)]
    before: Option<i64>,
    /// At most this many (the newest of them); all of them, up to [`MAX_PAGE`], when absent.
    #[serde(default)]
    limit: Option<i64>,
}

async fn list(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Query(page): Query<Page>,
) -> Result<axum::Json<Vec<RevisionInfo>>, ApiError> {
    let limit = page.limit.unwrap_or(MAX_PAGE);
    if !(1..=MAX_PAGE).contains(&limit) {
        return Err(ApiError::BadQuery(format!(
            "limit must be between 1 and {MAX_PAGE}"
        )));
    }
    Ok(axum::Json(
        db::revisions(&state.db, id, page.before, limit).await?,
    ))
}

async fn document(
    State(state): State<AppState>,
    Path((id, revision)): Path<(Uuid, i64)>,
) -> Result<axum::Json<Diagram>, ApiError> {
    Ok(axum::Json(
        db::revision_document(&state.db, id, revision).await?,
    ))
}

async fn list_versions(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<axum::Json<Vec<VersionInfo>>, ApiError> {
    Ok(axum::Json(versions::list(&state.db, id).await?))
}

/// A version's name: trimmed, not empty, not too long.
fn checked_name(name: &str) -> Result<String, ApiError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_VERSION_NAME {
        return Err(ApiError::Unprocessable(
            "invalid_version_name",
            format!("a version's name is 1 to {MAX_VERSION_NAME} characters"),
        ));
    }
    Ok(name.to_string())
}

async fn name_version(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    Path(id): Path<Uuid>,
    Json(body): Json<NewVersion>,
) -> Result<(StatusCode, axum::Json<VersionInfo>), ApiError> {
    let name = checked_name(&body.name)?;
    let author = grant.caller.author();
    let version = versions::create(
        &state.db,
        id,
        body.revision,
        &name,
        &author,
        |v, diagram| payload::version_named(id, diagram, v),
    )
    .await?;
    Ok((StatusCode::CREATED, axum::Json(version)))
}

async fn rename_version(
    State(state): State<AppState>,
    Path((id, version)): Path<(Uuid, Uuid)>,
    Json(body): Json<VersionPatch>,
) -> Result<axum::Json<VersionInfo>, ApiError> {
    let name = checked_name(&body.name)?;
    Ok(axum::Json(
        versions::rename(&state.db, id, version, &name).await?,
    ))
}

async fn delete_version(
    State(state): State<AppState>,
    Path((id, version)): Path<(Uuid, Uuid)>,
) -> Result<StatusCode, ApiError> {
    versions::delete(&state.db, id, version).await?;
    Ok(StatusCode::NO_CONTENT)
}
