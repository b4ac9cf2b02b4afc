//! Share links: `/api/diagrams/{id}/links` (made and revoked by owners) and `/api/links/{token}`
//! (opened by anyone holding one).
//!
//! A viewer link shows the diagram read-only to whoever holds it, with no account; the page then
//! sends the token as a bearer token with its other requests (export). An editor link shows the
//! diagram to a signed-in person, who joins as its editor with a `POST` (a button on the page):
//! a link another site sends someone to cannot make them join by itself.

use axum::Extension;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode};
use model::Uuid;
use model::api::{CreatedLink, LinkInfo, LinkTarget, NewLink, Role};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::extract::{Json, Path};
use super::{Entry, route};
use crate::auth::origin::own_origin;
use crate::auth::{Access, Grant, secret};
use crate::db;
use crate::db::people::{now, rfc3339};
use crate::error::ApiError;
use crate::proxy::ClientInfo;
use crate::state::AppState;

pub fn routes() -> Vec<Entry> {
    let owner = Access::Diagram(Role::Owner);
    vec![
        route(Method::GET, "/diagrams/{id}/links", owner, list),
        route(Method::POST, "/diagrams/{id}/links", owner, create),
        route(
            Method::DELETE,
            "/diagrams/{id}/links/{link_id}",
            owner,
            revoke,
        ),
        route(Method::GET, "/links/{token}", Access::Public, open),
        route(Method::POST, "/links/{token}/join", Access::Person, join),
    ]
}

async fn list(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<axum::Json<Vec<LinkInfo>>, ApiError> {
    Ok(axum::Json(db::access::links(&state.db, id).await?))
}

async fn create(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    client: Option<Extension<ClientInfo>>,
    headers: HeaderMap,
    Path(id): Path<Uuid>,
    Json(body): Json<NewLink>,
) -> Result<(StatusCode, axum::Json<CreatedLink>), ApiError> {
    if body.role == Role::Owner {
        return Err(ApiError::Unprocessable(
            "invalid_role",
            "a link gives viewer or editor, never owner".into(),
        ));
    }
    let expires_at = match &body.expires_at {
        Some(text) => Some(expiry(text)?),
        None => None,
    };
    let by = grant.person()?.user.id;
    let (token, hash) = secret::new_token(secret::LINK);
    let link = db::access::create_link(&state.db, id, body.role, &hash, by, expires_at).await?;
    let https = client.is_some_and(|c| c.0.https);
    let origin = own_origin(&state, &headers, https).unwrap_or_default();
    let created = CreatedLink {
        id: link,
        url: format!("{origin}/s/{token}"),
        token,
        role: body.role,
        expires_at: expires_at.map(rfc3339),
    };
    Ok((StatusCode::CREATED, axum::Json(created)))
}

/// An RFC 3339 time in the future, as Unix seconds.
fn expiry(text: &str) -> Result<i64, ApiError> {
    let at = OffsetDateTime::parse(text, &Rfc3339)
        .map_err(|e| {
            ApiError::Unprocessable(
                "invalid_expiry",
                format!("expires_at must be an RFC 3339 time such as 2027-01-31T00:00:00Z: {e}"),
            )
        })?
        .unix_timestamp();
    if at <= now() {
        return Err(ApiError::Unprocessable(
            "invalid_expiry",
            "expires_at is in the past".into(),
        ));
    }
    Ok(at)
}

async fn revoke(
    State(state): State<AppState>,
    Path((id, link)): Path<(Uuid, Uuid)>,
) -> Result<StatusCode, ApiError> {
    if !db::access::revoke_link(&state.db, id, link).await? {
        return Err(ApiError::NotFound("no such link".into()));
    }
    Ok(StatusCode::NO_CONTENT)
}

/// The live link a token names; revoked, expired and unknown links are all `404`.
async fn live_link(state: &AppState, token: &str) -> Result<db::access::Link, ApiError> {
    let gone =
        || ApiError::NotFound("no such link; it may have been revoked or have expired".into());
    if !token.starts_with(secret::LINK) {
        return Err(gone());
    }
    db::access::link(&state.db, &secret::hash(token))
        .await?
        .ok_or_else(gone)
}

async fn target(
    state: &AppState,
    link: Uuid,
    role: Role,
) -> Result<axum::Json<LinkTarget>, ApiError> {
    let (diagram, revision) = db::get(&state.db, link).await?;
    Ok(axum::Json(LinkTarget {
        diagram,
        revision,
        role,
    }))
}

/// Opens a link: the diagram and the role the link gives. An editor link is only for a
/// signed-in person, and changes nothing until they join.
async fn open(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    Path(token): Path<String>,
) -> Result<axum::Json<LinkTarget>, ApiError> {
    let link = live_link(&state, &token).await?;
    if link.role != Role::Viewer {
        grant.person()?;
    }
    target(&state, link.diagram, link.role).await
}

/// Joins the diagram of an editor link as its editor (a person who has more keeps it); answers
/// the diagram with the person's role now.
async fn join(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    Path(token): Path<String>,
) -> Result<axum::Json<LinkTarget>, ApiError> {
    let link = live_link(&state, &token).await?;
    if link.role == Role::Viewer {
        return Err(ApiError::Unprocessable(
            "invalid_role",
            "a viewer link is opened, not joined".into(),
        ));
    }
    let user = grant.person()?.user.id;
    let had = db::access::diagram_role(&state.db, link.diagram, user).await?;
    if had.is_none_or(|r| r < link.role) {
        db::access::share(&state.db, link.diagram, user, link.role).await?;
    }
    target(
        &state,
        link.diagram,
        had.map_or(link.role, |r| r.max(link.role)),
    )
    .await
}
