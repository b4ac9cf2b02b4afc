//! Server-rendered pages (hydrated by the WASM bundle) and the front end's static files.

use std::path::Path;

use axum::Router;
use axum::middleware;
use leptos_axum::{LeptosRoutes, file_and_error_handler_with_context, generate_route_list};

use crate::state::AppState;
use crate::{security, statics};

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
        .nest("/pkg", statics::router(pkg))
        // The folder itself, which the nested router does not see.
        .route("/pkg/", axum::routing::any(statics::not_found))
        .fallback(file_and_error_handler_with_context::<AppState, _>(
            security::provide_page_policy,
            app::shell,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::auth::pages::guard,
        ))
}
