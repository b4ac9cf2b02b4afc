//! The JSON API under `/api`, one module per resource.
//!
//! Every route is one row of [`table`]: method, path, the [`Access`] it needs, and its handler.
//! The router is built from the table with the access check on each route, so a route cannot
//! exist without one; the access-matrix test walks the same table.

mod auth;
mod ddl;
mod diagrams;
pub(crate) mod extract;
mod history;
mod invites;
mod links;
mod members;
mod migration;
mod teams;
mod tokens;
mod webhooks;

use axum::Router;
use axum::handler::Handler;
use axum::http::Method;
use axum::middleware;
use axum::routing::{MethodFilter, MethodRouter, on};

use crate::auth::Access;
use crate::error::ApiError;
use crate::limits::Limits;
use crate::state::AppState;

/// A route of the API: what the access-matrix test needs to know of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteInfo {
    pub method: Method,
    /// Under `/api`, with axum's `{param}` placeholders.
    pub path: &'static str,
    pub access: Access,
}

pub type Entry = (RouteInfo, MethodRouter<AppState>);

/// One row of the table.
fn route<H, T>(method: Method, path: &'static str, access: Access, handler: H) -> Entry
where
    H: Handler<T, AppState>,
    T: 'static,
{
    let filter = MethodFilter::try_from(method.clone()).expect("a standard method");
    (
        RouteInfo {
            method,
            path,
            access,
        },
        on(filter, handler),
    )
}

/// Every route of the API.
pub fn table(limits: &Limits) -> Vec<Entry> {
    [
        auth::routes(),
        tokens::routes(),
        invites::routes(),
        diagrams::routes(),
        members::routes(),
        links::routes(),
        history::routes(),
        ddl::routes(limits),
        migration::routes(),
        webhooks::routes(),
        teams::routes(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// The API router; unknown paths answer a JSON 404, other methods of a known path a JSON 405.
pub fn api(state: &AppState) -> Router<AppState> {
    let mut router = Router::new();
    for (info, handler) in table(&state.limits) {
        let check = middleware::from_fn_with_state(
            (state.clone(), info.access),
            crate::auth::access::enforce,
        );
        router = router.route(info.path, handler.route_layer(check));
    }
    router
        .fallback(|| async { ApiError::NotFound("no such API route".into()) })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
}
