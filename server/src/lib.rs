//! The Tablewright server: the JSON API under `/api`, server-rendered pages, and storage.

pub mod config;
pub mod db;
mod error;
mod pages;
mod routes;
mod state;

use std::future::Future;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::response::IntoResponse;
use tokio::net::TcpListener;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::trace::TraceLayer;

pub use error::ApiError;
pub use state::AppState;

/// The whole application: `/api`, the pages and the static files.
pub fn router(state: AppState) -> Router {
    let api = routes::api().layer(DefaultBodyLimit::max(state.body_limit));
    Router::new()
        .nest("/api", api)
        .merge(pages::router(&state))
        .layer(CatchPanicLayer::custom(|_| {
            ApiError::Internal("a handler panicked".into()).into_response()
        }))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Serves until `shutdown` resolves, lets in-flight requests finish, then closes the pool.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let db = state.db.clone();
    let served = axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await;
    db.close().await;
    served
}
