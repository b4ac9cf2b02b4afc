//! Server-rendered pages (hydrated by the WASM bundle) and the front end's static files.

use std::path::Path;

use axum::Router;
use axum::middleware;
use leptos_axum::{LeptosRoutes, file_and_error_handler_with_context, generate_route_list};
use tower_http::services::ServeDir;

use crate::security;
use crate::state::AppState;

pub fn router(state: &AppState) -> Router<AppState> {
    let options = state.leptos.clone();
    let pkg = Path::new(&*options.site_root).join(&*options.site_pkg_dir);
    Router::new()
        .leptos_routes_with_context(
            state,
            generate_route_list(app::App),
            security::provide_page_policy,
            move || app::shell(options.clone()),
        )
        .nest_service(
            "/pkg",
            ServeDir::new(pkg).precompressed_br().precompressed_gzip(),
        )
        .fallback(file_and_error_handler_with_context::<AppState, _>(
            security::provide_page_policy,
            app::shell,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::auth::pages::guard,
        ))
}
