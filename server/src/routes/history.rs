//! `/api/diagrams/{id}/revisions`: a diagram's history, and the document as of any revision.

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use model::api::RevisionInfo;
use model::{Diagram, Uuid};

use super::extract::Path;
use crate::db;
use crate::error::ApiError;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/diagrams/{id}/revisions", get(list))
        .route("/diagrams/{id}/revisions/{revision}", get(document))
}

async fn list(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<axum::Json<Vec<RevisionInfo>>, ApiError> {
    Ok(axum::Json(db::revisions(&state.db, id).await?))
}

async fn document(
    State(state): State<AppState>,
    Path((id, revision)): Path<(Uuid, i64)>,
) -> Result<axum::Json<Diagram>, ApiError> {
    Ok(axum::Json(
        db::revision_document(&state.db, id, revision).await?,
    ))
}
