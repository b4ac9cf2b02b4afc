//! `/api/diagrams/{id}/revisions`: a diagram's history, and the document as of any revision.

use axum::extract::State;
use axum::http::Method;
use model::api::{RevisionInfo, Role};
use model::{Diagram, Uuid};

use super::extract::Path;
use super::{Entry, route};
use crate::auth::Access;
use crate::db;
use crate::error::ApiError;
use crate::state::AppState;

pub fn routes() -> Vec<Entry> {
    let viewer = Access::Diagram(Role::Viewer);
    vec![
        route(Method::GET, "/diagrams/{id}/revisions", viewer, list),
        route(
            Method::GET,
            "/diagrams/{id}/revisions/{revision}",
            viewer,
            document,
        ),
    ]
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
