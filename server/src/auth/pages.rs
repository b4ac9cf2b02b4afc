//! The same rules for the server-rendered pages as for the API: the private pages send a visitor
//! with no session to the sign-in page, and a diagram page the person may not see answers 404
//! like one that does not exist (the page itself then says so, as it does for a deleted one).

use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use model::Uuid;

use super::access::diagram_role;
use super::caller::Caller;
use crate::proxy::ClientInfo;
use crate::state::AppState;

/// Pages anyone may open.
fn public(path: &str) -> bool {
    matches!(path, "/signin" | "/signup")
        || path.starts_with("/s/")
        || path.starts_with("/pkg/")
        || path == "/favicon.ico"
}

pub async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_string();
    if public(&path) {
        return next.run(request).await;
    }
    // Pages read only the session cookie: a bearer token is for the API.
    let mut headers = request.headers().clone();
    headers.remove(header::AUTHORIZATION);
    let caller = match Caller::resolve(&state, &headers).await {
        Ok(caller) => caller,
        Err(error) => return error.into_response(),
    };
    if caller.person().is_none() {
        let next_page = request
            .uri()
            .path_and_query()
            .map_or("/", |p| p.as_str())
            .to_string();
        return Redirect::to(&format!(
            "/signin?next={}",
            model::api::encode_query(&next_page)
        ))
        .into_response();
    }
    let hidden = match path.strip_prefix("/diagrams/").map(Uuid::parse_str) {
        Some(Ok(id)) => match diagram_role(&state, &caller, id).await {
            Ok(role) => role.is_none(),
            Err(error) => return error.into_response(),
        },
        _ => false,
    };
    let secure = request
        .extensions()
        .get::<ClientInfo>()
        .is_some_and(|c| c.https);
    let mut response = next.run(request).await;
    if hidden {
        *response.status_mut() = StatusCode::NOT_FOUND;
    }
    caller.renew_cookie(&mut response, secure, state.auth.session_idle);
    response
}
