//! The live channel: `GET /api/diagrams/{id}/live`, a WebSocket per open editor.
//!
//! The server's commit order is the truth. Every committed revision of a diagram, whoever made
//! it and however (an op batch over HTTP or this channel, an import, a restore), is sent to every
//! connection in revision order; a client catches up from history when it connects with the last
//! revision it has. Presence (who is here, selections, pointers) travels on the same socket and
//! is never stored. See `docs/api.md` for the messages.

mod connection;
mod hub;
mod peer;

use axum::Extension;
use axum::extract::State;
use axum::extract::ws::WebSocketUpgrade;
use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::response::Response;
use model::Uuid;
use model::api::Role;
use serde::Deserialize;

pub use hub::{Change, Commit, Hub};

use crate::auth::Grant;
use crate::auth::origin::{own_origin, same_origin};
use crate::error::ApiError;
use crate::proxy::ClientInfo;
use crate::routes::extract::{Path, Query};
use crate::state::AppState;

/// The subprotocol the channel speaks; a client may offer it (browsers do) and is then told it.
pub const PROTOCOL: &str = "tablewright";

/// `?since=` the revision the client has (it is sent what followed), `?pending=` the key of
/// the batch it sent last and has no answer for.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LiveQuery {
    since: Option<i64>,
    pending: Option<String>,
}

/// Opens the live channel of diagram `id` (the route's access check has passed: the caller may
/// at least view it).
pub async fn connect(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    Extension(client): Extension<ClientInfo>,
    Path(id): Path<Uuid>,
    Query(query): Query<LiveQuery>,
    headers: HeaderMap,
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Result<Response, ApiError> {
    let upgrade = upgrade.map_err(|_| ApiError::UpgradeRequired)?;
    // A WebSocket is not held to the same-origin policy: another site's page could open one with
    // the person's cookie. Browsers always say where the page came from.
    if !same_origin(
        &headers,
        own_origin(&state, &headers, client.https).as_deref(),
    ) {
        return Err(ApiError::Csrf);
    }
    let role = grant.role.unwrap_or(Role::Viewer);
    let offered = headers
        .get_all(header::SEC_WEBSOCKET_PROTOCOL)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|p| p.trim() == PROTOCOL);
    let context = connection::Context {
        state: state.clone(),
        diagram: id,
        credentials: credentials(&headers),
        author: grant.caller.author(),
        peer: peer::of(&grant.caller, role),
        role,
        may_write: grant.caller.may_use(&Method::POST),
        since: query.since,
        pending: query.pending,
    };
    let upgrade = if offered {
        upgrade.protocols([PROTOCOL])
    } else {
        upgrade
    };
    Ok(upgrade
        .max_message_size(state.limits.body_bytes)
        .max_frame_size(state.limits.body_bytes)
        .on_failed_upgrade(|error| tracing::debug!(%error, "live channel upgrade failed"))
        .on_upgrade(move |socket| connection::run(socket, context)))
}

/// The headers the caller proved who they are with, kept to check again later (a share removed,
/// a session ended).
fn credentials(headers: &HeaderMap) -> HeaderMap {
    let mut kept = HeaderMap::new();
    for name in [
        header::AUTHORIZATION,
        header::COOKIE,
        header::SEC_WEBSOCKET_PROTOCOL,
    ] {
        for value in headers.get_all(&name) {
            kept.append(name.clone(), HeaderValue::clone(value));
        }
    }
    kept
}
