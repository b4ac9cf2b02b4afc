//! Server-rendered pages (hydrated by the WASM bundle) and the front end's static files.

use std::path::Path;

use axum::Router;
use leptos_axum::{LeptosRoutes, file_and_error_handler, generate_route_list};
use tower_http::services::ServeDir;

use crate::state::AppState;

pub fn router(state: &AppState) -> Router<AppState> {
    let options = state.leptos.clone();
    let pkg = Path::new(&*options.site_root).join(&*options.site_pkg_dir);
    Router::new()
        .leptos_routes(state, generate_route_list(app::App), move || {
            app::shell(options.clone())
        })
        .nest_service(
            "/pkg",
            ServeDir::new(pkg).precompressed_br().precompressed_gzip(),
        )
        .fallback(file_and_error_handler::<AppState, _>(app::shell))
}
