//! The JSON API under `/api`, one module per resource.

mod ddl;
mod diagrams;
mod extract;
mod history;

use axum::Router;

use crate::error::ApiError;
use crate::limits::Limits;
use crate::state::AppState;

/// Every `/api` route; unknown paths answer a JSON 404.
pub fn api(limits: &Limits) -> Router<AppState> {
    Router::new()
        .merge(diagrams::router())
        .merge(history::router())
        .merge(ddl::router(limits))
        .fallback(|| async { ApiError::NotFound("no such API route".into()) })
}
