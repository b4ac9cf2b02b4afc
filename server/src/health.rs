//! `GET /healthz`, for load balancers: 200 when the database answers, 503 when it does not or
//! while the server is shutting down (so the balancer stops sending it requests first).

use std::sync::atomic::Ordering;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::state::AppState;

pub async fn healthz(State(state): State<AppState>) -> Response {
    if state.draining.load(Ordering::Relaxed) {
        return (StatusCode::SERVICE_UNAVAILABLE, "shutting down\n").into_response();
    }
    let answered = tokio::time::timeout(std::time::Duration::from_secs(2), state.db.ping()).await;
    match answered {
        Ok(Ok(())) => (StatusCode::OK, "ok\n").into_response(),
        Ok(Err(error)) => {
            tracing::warn!(%error, "health check: the database did not answer");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n").into_response()
        }
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "database too slow\n").into_response(),
    }
}
