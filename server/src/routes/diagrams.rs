//! `/api/diagrams`: list, create, read, replace, delete, and apply op batches.

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::StatusCode;
use axum::routing::{get, post};
use model::api::{DiagramState, DiagramSummary, NewDiagram, OpBatch, Replacement, Saved};
use model::{Diagram, Uuid};

use super::extract::{Json, Path};
use crate::db;
use crate::error::ApiError;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/diagrams", get(list).post(create))
        .route("/diagrams/{id}", get(read).put(replace).delete(remove))
        .route("/diagrams/{id}/ops", post(apply_ops))
}

async fn list(State(state): State<AppState>) -> Result<axum::Json<Vec<DiagramSummary>>, ApiError> {
    Ok(axum::Json(db::list(&state.db).await?))
}

/// The body is optional: no body (or an empty one) creates an untitled diagram.
async fn create(
    State(state): State<AppState>,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, axum::Json<DiagramState>), ApiError> {
    let body = body?;
    let new: NewDiagram = if body.trim_ascii().is_empty() {
        NewDiagram::default()
    } else {
        serde_json::from_slice(&body).map_err(ApiError::from_json)?
    };
    let name = new
        .name
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| "Untitled diagram".to_string());
    let diagram = Diagram::new(name.trim());
    let revision = db::create(&state.db, &diagram).await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(DiagramState { diagram, revision }),
    ))
}

async fn read(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<axum::Json<DiagramState>, ApiError> {
    let (diagram, revision) = db::get(&state.db, id).await?;
    Ok(axum::Json(DiagramState { diagram, revision }))
}

async fn replace(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Json(body): Json<Replacement>,
) -> Result<axum::Json<Saved>, ApiError> {
    let revision = db::replace(&state.db, id, body.base_revision, body.diagram).await?;
    Ok(axum::Json(Saved { revision }))
}

async fn remove(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<StatusCode, ApiError> {
    db::delete(&state.db, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn apply_ops(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Json(batch): Json<OpBatch>,
) -> Result<axum::Json<Saved>, ApiError> {
    let revision = db::apply_ops(&state.db, id, batch.base_revision, batch.ops).await?;
    Ok(axum::Json(Saved { revision }))
}
